#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debian 13 (trixie) chroots for the kernels and QEMUs that Debian 12 does
# not have, built on demand with debootstrap and cached by what they contain:
#
#   bash scripts/trixie.sh kernels   trixie's gcc-14 toolchain, dkms and
#                                    dh-dkms, QEMU 10.0 and virtiofsd, and
#                                    two kernels with headers: trixie's own
#                                    6.12+deb13 and the newest one in
#                                    trixie-backports (7.3 on 2026-12-01)
#   bash scripts/trixie.sh qemu-bpo  QEMU from trixie-backports (11.1)
#
# Each prints the chroot's path. Debian 13 packages never go into the host's
# apt sources (a mixed bookworm/trixie host breaks, ../shared/facts.md):
# everything is installed inside the chroot. Only one QEMU version fits in
# one chroot, hence two. Which backports kernel is the newest is decided when
# the chroot is built, from the package lists, not written here; a cached
# chroot is rebuilt when what it installs changes (the key hashes _build) or after V9X_TRIXIE_DAYS (7) days,
# so the suite follows the backports series.
#
# Commands run inside with chroot_run (also used by build-all.sh, dkms.sh and
# lib.sh, which source this file): a private mount namespace with its own
# /proc, so nothing stays mounted on the host.

V9X_CACHE=${V9X_CACHE:-/var/cache/v9x-selftests}
MIRROR=${V9X_DEBIAN_MIRROR:-$(sed -n 's/^URIs: *\(.*\/debian\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY=${MIRROR%/debian}/debian-security
DAYS=${V9X_TRIXIE_DAYS:-7}

# chroot_run DIR CMD...: CMD in chroot DIR, with a fresh /proc.
chroot_run() {
	local dir=$1
	shift
	unshare --mount --pid --fork --mount-proc="$dir/proc" \
		chroot "$dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

_sources() {
	cat <<EOF
deb $MIRROR trixie main
deb $MIRROR trixie-updates main
deb $SECURITY trixie-security main
deb $MIRROR trixie-backports main
EOF
}

# _kernel_of RELEASE: the kernel flavour (e.g. 7.3.4+deb13-amd64) that
# RELEASE's linux-image-amd64 metapackage depends on.
_kernel_of() {
	chroot_run "$1" apt-cache show "linux-image-amd64/$2" 2>/dev/null |
		sed -n 's/^Depends: .*linux-image-\([0-9][^ ,]*-amd64\).*/\1/p' |
		sort -V | tail -n 1
}

_install() {
	local dir=$1
	shift
	chroot_run "$dir" apt-get install -y --no-install-recommends \
		-o Dpkg::Options::=--force-confdef "$@"
}

_build() {
	local name=$1 dir=$2 tmp k13 kbpo
	tmp="$dir.tmp.$$"
	rm -rf "$tmp"
	mkdir -p "$(dirname "$dir")"
	echo "trixie.sh: debootstrap trixie ($name) from $MIRROR" >&2
	debootstrap --variant=minbase \
		--include=ca-certificates,xz-utils,zstd,kmod,perl \
		trixie "$tmp" "$MIRROR" >"$tmp.log" 2>&1 ||
		{ tail -n 20 "$tmp.log" >&2; return 1; }
	_sources >"$tmp/etc/apt/sources.list"
	# No daemons start in the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
	chmod 755 "$tmp/usr/sbin/policy-rc.d"
	chroot_run "$tmp" apt-get update >&2
	case $name in
	kernels)
		_install "$tmp" gcc make libc6-dev bc kmod xz-utils zstd perl \
			python3 dkms dh-dkms debhelper fakeroot dpkg-dev \
			qemu-system-x86 seabios virtiofsd >&2
		k13=$(_kernel_of "$tmp" trixie)
		kbpo=$(_kernel_of "$tmp" trixie-backports)
		[ -n "$k13" ] && [ -n "$kbpo" ] ||
			{ echo "trixie.sh: no kernel in trixie ('$k13') or trixie-backports ('$kbpo')" >&2; return 1; }
		_install "$tmp" "linux-image-$k13" "linux-headers-$k13" >&2
		_install "$tmp" -t trixie-backports "linux-image-$kbpo" "linux-headers-$kbpo" >&2
		printf '%s\n%s\n' "$k13" "$kbpo" >"$tmp/v9x-kernels"
		;;
	qemu-bpo)
		_install "$tmp" -t trixie-backports qemu-system-x86 seabios >&2
		;;
	*)
		echo "trixie.sh: unknown chroot '$name' (kernels, qemu-bpo)" >&2
		return 1
		;;
	esac
	chroot_run "$tmp" apt-get clean
	chroot_run "$tmp" sh -c 'dpkg-query -W -f "\${Package} \${Version}\n"' >"$tmp/v9x-packages"
	rm -f "$tmp.log"
	rm -rf "$dir"
	mv "$tmp" "$dir"
	touch "$dir/v9x-done"
}

main() {
	local name=${1:?usage: trixie.sh kernels|qemu-bpo} key dir
	[ "$(id -u)" = 0 ] || { echo "trixie.sh: must run as root" >&2; exit 1; }
	# What the chroot holds is what these functions install.
	key=$(declare -f _sources _kernel_of _install _build | sha256sum | cut -c1-12)
	dir=$V9X_CACHE/trixie/$name-$key
	if [ -e "$dir/v9x-done" ] && [ -z "$(find "$dir/v9x-done" -mtime +"$DAYS")" ]; then
		echo "$dir"
		return
	fi
	command -v debootstrap >/dev/null ||
		{ echo "trixie.sh: debootstrap missing (scripts/deps.sh installs it)" >&2; exit 1; }
	# Two runs at once (CI and a bench) must not build one chroot twice.
	mkdir -p "$V9X_CACHE"
	exec 9>"$V9X_CACHE/trixie.$name.lock"
	flock 9
	if [ ! -e "$dir/v9x-done" ] || [ -n "$(find "$dir/v9x-done" -mtime +"$DAYS")" ]; then
		# Older chroots of this name are replaced, not kept.
		rm -rf "$V9X_CACHE/trixie/$name"-*
		_build "$name" "$dir"
	fi
	echo "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	main "$@"
fi
