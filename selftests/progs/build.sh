#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the static test programs the guests run (posix, fsx) into
# $1 (default selftests/out/progs) and print that directory. Rebuilds a
# program only when its source is newer.
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../out/progs}
mkdir -p "$out"
for c in "$src"/*.c; do
	p=$out/$(basename "$c" .c)
	if [ ! -x "$p" ] || [ "$c" -nt "$p" ]; then
		gcc -static -O2 -Wall -Wextra -Werror -o "$p" "$c"
	fi
done
echo "$out"
