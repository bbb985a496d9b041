#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian package v9x-dkms (debian/: dh-dkms, the module source in
# /usr/src/v9x-VERSION, built by dkms on the user's machine).
#
#   bash scripts/deb.sh (make deb)   builds build/deb/v9x-dkms_VERSION_all.deb
#                                    and prints its path
#
# It is built in the Debian 13 chroot of scripts/trixie.sh, whose dh-dkms
# (3.2.2) is the one Debian 13 users' packages are built with; nothing is
# installed on the host. Sourced (by run.sh, after selftests/lib.sh), it
# also provides:
#
#   deb_build T            the same build in chroot T; prints the .deb's path
#   deb_check T KVER [DEB] installs the .deb in chroot T with apt-get, as a
#                          user would (the package's postinst runs dkms for
#                          the installed kernels), checks the module built for
#                          KVER, copies it to $V9X_OUT/deb/KVER/v9x.ko, then
#                          purges the package and checks that no v9x is left
#
# deb_check removes any v9x registered in T's dkms first (dkms_chroot_setup
# of scripts/dkms.sh leaves one), so the two run in either order.

V9X_REPO=${V9X_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# shellcheck source=scripts/trixie.sh
. "$(dirname "${BASH_SOURCE[0]}")/trixie.sh"
# shellcheck source=scripts/dkms.sh
. "$(dirname "${BASH_SOURCE[0]}")/dkms.sh"

# deb_build T: dpkg-buildpackage in chroot T, on a copy of the work tree
# (uncommitted changes included, so the package holds what was just tested):
# the files dkms gets (_dkms_src) plus debian/. The .deb replaces any older
# one in build/deb/; its path is printed. On failure, the end of the build
# log (build/deb/build.log) goes to stderr.
deb_build() {
	local t=$1 ver work dest deb
	ver=$(_dkms_version)
	work=$t/tmp/v9x-deb.$$
	dest=$V9X_REPO/build/deb
	rm -rf "$work"
	mkdir -p "$dest"
	rm -f "$dest"/v9x-dkms_*.deb
	if ! _dkms_src "$work/v9x-$ver" || ! cp -a "$V9X_REPO/debian" "$work/v9x-$ver/"; then
		echo "deb.sh: cannot copy the source to $work" >&2
		rm -rf "$work"
		return 1
	fi
	# The chroot has debian/control's Build-Depends (trixie.sh installs
	# them), not the build-essential metapackage that dpkg-buildpackage
	# also demands; nothing is compiled, so those are checked alone and
	# dpkg-buildpackage is told not to check (-d).
	# shellcheck disable=SC2016 # expanded by the chroot's sh
	if ! chroot_run "$t" sh -c 'cd "$1" &&
		dpkg-checkbuilddeps -d "$(sed -n "s/^Build-Depends: //p" debian/control)" &&
		nice dpkg-buildpackage -us -uc -b -d' sh \
		"/tmp/${work##*/}/v9x-$ver" >"$dest/build.log" 2>&1; then
		tail -n 30 "$dest/build.log" >&2
		echo "deb.sh: dpkg-buildpackage failed (log: $dest/build.log)" >&2
		rm -rf "$work"
		return 1
	fi
	deb=$(find "$work" -maxdepth 1 -name 'v9x-dkms_*_all.deb' | head -n 1)
	if [ -z "$deb" ] || ! cp "$deb" "$dest/"; then
		echo "deb.sh: no v9x-dkms_*_all.deb in $work (log: $dest/build.log)" >&2
		rm -rf "$work"
		return 1
	fi
	rm -rf "$work"
	echo "$dest/${deb##*/}"
}

# deb_check T KVER [DEB]: DEB (default: the one in build/deb/) installed and
# purged in chroot T; see the top of this file.
deb_check() {
	local t=$1 kver=$2 deb=${3:-} name out dir rc=0
	name="deb (Debian 13 chroot)"
	[ -n "$deb" ] || deb=$(find "$V9X_REPO/build/deb" -maxdepth 1 -name 'v9x-dkms_*_all.deb' 2>/dev/null |
		sort -V | tail -n 1)
	if [ ! -f "$deb" ]; then
		t_fail "$name: a v9x-dkms .deb to install" "none in $V9X_REPO/build/deb (make deb)"
		return 1
	fi
	if ! out=$(_dkms_chroot_clean "$t"); then
		t_fail "$name: remove earlier v9x" "$out"
		return 1
	fi
	# Readable by apt's unprivileged _apt user, as a user's download is.
	dir=$t/tmp/v9x-debcheck.$$
	mkdir -p "$dir"
	cp "$deb" "$dir/"
	chmod -R a+rX "$dir"
	# shellcheck disable=SC2016 # expanded by the chroot's sh
	out=$(chroot_run "$t" sh -c 'cd "$1" && apt-get install -y "./$2"' sh \
		"/tmp/${dir##*/}" "${deb##*/}" 2>&1)
	rc=$?
	rm -rf "$dir"
	if [ "$rc" != 0 ]; then
		t_fail "$name: apt-get install ./${deb##*/}" "$out"
		_dkms_chroot_clean "$t" >/dev/null
		return 1
	fi
	t_ok "$name: apt-get install ./${deb##*/}"
	_dkms_check_ko "$t" "$kver" "$V9X_OUT/deb" "$name: dkms built the module for $kver" || rc=1
	if out=$(chroot_run "$t" apt-get purge -y v9x-dkms 2>&1) && out=$(_dkms_chroot_leftovers "$t"); then
		t_ok "$name: apt-get purge v9x-dkms leaves no v9x in the chroot"
	else
		t_fail "$name: apt-get purge v9x-dkms leaves no v9x in the chroot" "$out"
		_dkms_chroot_clean "$t" >/dev/null
		rc=1
	fi
	return "$rc"
}

main() {
	local t
	[ "$(id -u)" = 0 ] || { echo "deb.sh: must run as root (it builds in a chroot)" >&2; exit 1; }
	t=$(bash "$V9X_REPO/scripts/trixie.sh" kernels) || exit 1
	deb_build "$t"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	main "$@"
fi
