#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# qemu-chroot.sh ROOT QEMU-ARGS...: run the qemu-system-x86_64 of the Debian
# 13 chroot ROOT (scripts/trixie.sh) with QEMU-ARGS, for vm_boot when
# V9X_QEMU_ROOT is set. In a private mount namespace, the host's /dev, /tmp,
# the selftests cache and the repository (and V9X_QEMU_BINDS) are bound at
# the same paths inside ROOT, with what is mounted below them, so every path in QEMU-ARGS means there what it
# means on the host, and nothing stays mounted afterwards. Every step execs
# the next: QEMU keeps this script's PID, so vm_boot's timeout and kill reach
# QEMU itself.
set -euo pipefail
root=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
binds="/tmp ${V9X_CACHE:-/var/cache/v9x-selftests} $(cd "$here/.." && pwd) ${V9X_QEMU_BINDS:-}"
# shellcheck disable=SC2016 # expanded by the inner shell
exec unshare --mount --propagation private sh -ec '
	root=$1 binds=$2
	shift 2
	mount --rbind /dev "$root/dev"
	mount -t proc proc "$root/proc"
	for d in $binds; do
		mkdir -p "$root$d"
		# With what is mounted below it (the enospc suite exports a
		# tmpfs under /tmp), except a directory that holds ROOT.
		case $root/ in
		"$d"/*) mount --bind "$d" "$root$d" ;;
		*) mount --rbind "$d" "$root$d" ;;
		esac
	done
	exec chroot "$root" qemu-system-x86_64 "$@"
' qemu-chroot "$root" "$binds" "$@"
