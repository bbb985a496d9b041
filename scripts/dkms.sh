# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# dkms check (sourced by run.sh): the source tree is copied to
# /usr/src/v9x-<version>, then "dkms add", "dkms build -k", "dkms install -k"
# for each kernel, exactly as a user would; the installed module is checked
# with modinfo and copied to $V9X_OUT/dkms/<kver>/v9x.ko, which run.sh then
# boots in a "smoke" suite on the matching kernel. Nothing is loaded on the
# host.
#
#   dkms_setup, dkms_one KVER               the host's dkms (Debian 12)
#   dkms_chroot_setup T, dkms_chroot_one T KVER
#                                           dkms in the Debian 13 chroot T
#                                           (scripts/trixie.sh kernels)
#
# The chroot functions need chroot_run (scripts/trixie.sh). They leave v9x
# registered in T's dkms, as the host ones do on the host; scripts/deb.sh's
# deb_check clears that (_dkms_chroot_clean) before it installs the .deb,
# and dkms_chroot_setup clears what deb_check may have left, so either may
# run first.

_dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$V9X_REPO/dkms.conf"
}

# _dkms_src DIR: the module source into DIR (created): no git data, tests
# (selftests/), tooling (scripts/), packaging (debian/) or build products.
# scripts/deb.sh packages the same files.
_dkms_src() {
	mkdir -p "$1" &&
	tar -C "$V9X_REPO" --exclude=./.git --exclude=./selftests --exclude=./scripts \
		--exclude=./debian --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.order' --exclude='*.symvers' -cf - . |
		tar -C "$1" -xf -
}

# _dkms_check_ko ROOT KVER OUT NAME: the module dkms installed under ROOT
# (/ or a chroot) for KVER is found by modinfo, built for KVER, carries the
# fs-v9x alias; it is copied decompressed to OUT/KVER/v9x.ko. Results are
# reported as "NAME: ...".
_dkms_check_ko() {
	local root=$1 kver=$2 out=$3 name=$4 ko
	ko=$(find "${root%/}/lib/modules/$kver/updates/dkms" -name 'v9x.ko*' 2>/dev/null | head -n 1)
	if [ -n "$ko" ] &&
	   [ "$(modinfo -b "$root" -k "$kver" -F vermagic v9x 2>/dev/null | cut -d' ' -f1)" = "$kver" ] &&
	   modinfo -b "$root" -k "$kver" -F alias v9x 2>/dev/null | grep -qx fs-v9x; then
		t_ok "$name: modinfo v9x finds $ko (vermagic $kver, alias fs-v9x)"
	else
		t_fail "$name: modinfo finds the installed module" \
			"module file: '${ko:-none}'" "$(modinfo -b "$root" -k "$kver" v9x 2>&1)"
		return 1
	fi
	mkdir -p "$out/$kver"
	case $ko in
	*.xz) xz -dc "$ko" >"$out/$kver/v9x.ko" ;;
	*.zst) zstd -dcq "$ko" >"$out/$kver/v9x.ko" ;;
	*) cp "$ko" "$out/$kver/v9x.ko" ;;
	esac
}

# dkms_setup: (re)register the current source with dkms.
dkms_setup() {
	local ver src out
	ver=$(_dkms_version)
	src=/usr/src/v9x-$ver
	dkms remove -m v9x -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
	_dkms_src "$src"
	if out=$(dkms add -m v9x -v "$ver" 2>&1); then
		t_ok "dkms add v9x/$ver"
	else
		t_fail "dkms add v9x/$ver" "$out"
		return 1
	fi
}

# dkms_one KVER: build and install for one kernel; prints nothing on failure.
dkms_one() {
	local kver=$1 ver out
	ver=$(_dkms_version)
	if ! out=$(dkms build -m v9x -v "$ver" -k "$kver" 2>&1); then
		t_fail "dkms build -k $kver" "$out"
		return 1
	fi
	t_ok "dkms build -k $kver"
	if ! out=$(dkms install -m v9x -v "$ver" -k "$kver" 2>&1); then
		t_fail "dkms install -k $kver" "$out"
		return 1
	fi
	_dkms_check_ko / "$kver" "$V9X_OUT/dkms" "dkms install -k $kver"
}

# _dkms_chroot_pkg T: the dpkg state of v9x-dkms in chroot T (installed,
# config-files, ...), empty when it is not there at all.
_dkms_chroot_pkg() {
	chroot_run "$1" dpkg-query -W -f "\${db:Status-Status}" v9x-dkms 2>/dev/null |
		grep -vx not-installed
}

# _dkms_chroot_clean T: no v9x left in chroot T: the v9x-dkms package
# purged, every v9x version removed from dkms (which deletes its modules),
# no /usr/src/v9x-*. Fails, printing what it did and what is left, when a
# trace remains.
_dkms_chroot_clean() {
	local t=$1 st d k
	st=$(_dkms_chroot_pkg "$t")
	if [ -n "$st" ]; then
		chroot_run "$t" apt-get purge -y v9x-dkms 2>&1 | tail -n 20
	fi
	for d in "$t"/var/lib/dkms/v9x/*; do
		if [ ! -d "$d" ] || [ -L "$d" ]; then
			continue
		fi
		chroot_run "$t" dkms remove -m v9x -v "${d##*/}" --all 2>&1 | tail -n 20
	done
	rm -rf "$t"/usr/src/v9x-* "$t/var/lib/dkms/v9x"
	# A module dkms did not remove (its tree was deleted by hand).
	for d in "$t"/lib/modules/*/updates/dkms; do
		[ -n "$(find "$d" -name 'v9x.ko*' 2>/dev/null)" ] || continue
		k=${d%/updates/dkms}
		k=${k##*/}
		find "$d" -name 'v9x.ko*' -delete
		chroot_run "$t" depmod "$k"
	done
	_dkms_chroot_leftovers "$t"
}

# _dkms_chroot_leftovers T: prints each trace of v9x in chroot T; fails
# when there is one.
_dkms_chroot_leftovers() {
	local t=$1 st left
	left=$(ls -d "$t"/usr/src/v9x-* "$t/var/lib/dkms/v9x" 2>/dev/null
		find "$t"/lib/modules/*/updates -name 'v9x.ko*' 2>/dev/null)
	st=$(_dkms_chroot_pkg "$t")
	[ -z "$st" ] || left+=${left:+$'\n'}"package v9x-dkms: $st"
	[ -z "$left" ] || { printf '%s\n' "$left"; return 1; }
}

# dkms_chroot_setup T: register the current source with dkms in the Debian
# 13 chroot T, as a user there would: copied to /usr/src/v9x-<version>, then
# "dkms add". Any earlier v9x (a registration, the .deb) is removed first.
dkms_chroot_setup() {
	local t=$1 ver out
	ver=$(_dkms_version)
	if ! out=$(_dkms_chroot_clean "$t"); then
		t_fail "dkms (Debian 13 chroot) remove earlier v9x" "$out"
		return 1
	fi
	if ! out=$(_dkms_src "$t/usr/src/v9x-$ver" 2>&1); then
		t_fail "dkms (Debian 13 chroot) copy source to /usr/src/v9x-$ver" "$out"
		return 1
	fi
	if out=$(chroot_run "$t" dkms add -m v9x -v "$ver" 2>&1); then
		t_ok "dkms (Debian 13 chroot) add v9x/$ver"
	else
		t_fail "dkms (Debian 13 chroot) add v9x/$ver" "$out"
		return 1
	fi
}

# dkms_chroot_one T KVER: "dkms build -k", "dkms install -k" in chroot T;
# the installed module is checked and copied to $V9X_OUT/dkms/KVER/v9x.ko.
dkms_chroot_one() {
	local t=$1 kver=$2 ver out name
	ver=$(_dkms_version)
	name="dkms (Debian 13 chroot)"
	if ! out=$(chroot_run "$t" nice dkms build -m v9x -v "$ver" -k "$kver" 2>&1); then
		t_fail "$name build -k $kver" "$out"
		return 1
	fi
	t_ok "$name build -k $kver"
	if ! out=$(chroot_run "$t" dkms install -m v9x -v "$ver" -k "$kver" 2>&1); then
		t_fail "$name install -k $kver" "$out"
		return 1
	fi
	_dkms_check_ko "$t" "$kver" "$V9X_OUT/dkms" "$name install -k $kver"
}
