#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the debug kernel (built or reused by build.sh) look like an installed
# kernel to the harness, without booting it on the host: its bzImage and
# config go to /boot, its modules to /lib/modules/<kver>, whose build link
# points at the built tree (so "make KERNELRELEASE=<kver>" builds v9x.ko
# with its KUnit suites against it). Prints the kernel release.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(bash "$here/build.sh")
kver=$(cat "$dir/kver")
stamp=$(stat -c '%Y' "$dir/done")
if [ "$(cat "/lib/modules/$kver/.v9x-debug-stamp" 2>/dev/null)" != "$stamp" ]; then
	install -m 644 "$dir/bzImage" "/boot/vmlinuz-$kver"
	install -m 644 "$dir/linux/.config" "/boot/config-$kver"
	rm -rf "/lib/modules/$kver"
	cp -a "$dir/modules/lib/modules/$kver" "/lib/modules/$kver"
	ln -sfn "$dir/linux" "/lib/modules/$kver/build"
	echo "$stamp" >"/lib/modules/$kver/.v9x-debug-stamp"
fi
echo "$kver"
