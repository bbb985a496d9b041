#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install whatever the v9x selftests need on a Debian 12 host, only when missing:
# QEMU, busybox-static, cpio, kmod, the (de)compressors used to unpack the Debian
# kernels, a compiler, and two Debian kernels with headers: the newest 6.1 one
# (linux-image-amd64 / linux-headers-amd64) and a 6.12 one from bookworm-security.
# If some 6.12.*+deb12-amd64 image+headers pair is already installed it is used
# as is; otherwise V9X_K612 (default 6.12.117+deb12-amd64) is installed.
set -euo pipefail

K612_DEFAULT=${V9X_K612:-6.12.117+deb12-amd64}

need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed'; }
want() { local p; for p in "$@"; do have_pkg "$p" || need+=("$p"); done; }

want qemu-system-x86 busybox-static cpio kmod xz-utils zstd gzip make gcc libc6-dev \
     binutils coreutils findutils grep python3 stress-ng clang-14 libclang-rt-14-dev dkms sparse shellcheck debootstrap \
     linux-source-6.1

# 6.1: the Debian metapackages pull the newest 6.1.0-*-amd64 image and headers.
ls /boot/vmlinuz-6.1.0-*-amd64 >/dev/null 2>&1 || want linux-image-amd64
ls -d /usr/src/linux-headers-6.1.0-*-amd64 >/dev/null 2>&1 || want linux-headers-amd64

# 6.12: any installed image that also has its headers will do.
have612=
for v in $(ls /boot 2>/dev/null | sed -n 's/^vmlinuz-\(6\.12\..*+deb12-amd64\)$/\1/p'); do
	[ -e "/lib/modules/$v/build/Makefile" ] && have612=$v
done
[ -n "$have612" ] || want "linux-image-$K612_DEFAULT" "linux-headers-$K612_DEFAULT"

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi

echo "deps.sh: installing: ${need[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: must run as root to install packages" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet; refresh them once when needed.
if ! apt-get install -y --no-install-recommends "${need[@]}"; then
	apt-get update
	apt-get install -y --no-install-recommends "${need[@]}"
fi
