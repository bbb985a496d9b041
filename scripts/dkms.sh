# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# dkms check (sourced by run.sh): the source tree is copied to
# /usr/src/v9x-<version>, then "dkms add", "dkms build -k", "dkms install -k"
# for each Debian kernel, exactly as a user would; the installed module is
# checked with modinfo and copied to $V9X_OUT/dkms/<kver>/v9x.ko, which
# run.sh then boots in a "smoke" suite on the matching kernel. Nothing is
# loaded on the host.

_dkms_version() {
	sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$V9X_REPO/dkms.conf"
}

# dkms_setup: (re)register the current source with dkms.
dkms_setup() {
	local ver src
	ver=$(_dkms_version)
	src=/usr/src/v9x-$ver
	dkms remove -m v9x -v "$ver" --all >/dev/null 2>&1
	rm -rf "$src"
	mkdir -p "$src"
	# The module source: no git data, tests (selftests/), tooling (scripts/)
	# or build products.
	tar -C "$V9X_REPO" --exclude=./.git --exclude=./selftests --exclude=./scripts \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.order' --exclude='*.symvers' -cf - . |
		tar -C "$src" -xf -
	if out=$(dkms add -m v9x -v "$ver" 2>&1); then
		t_ok "dkms add v9x/$ver"
	else
		t_fail "dkms add v9x/$ver" "$out"
		return 1
	fi
}

# dkms_one KVER: build and install for one kernel; prints nothing on failure.
dkms_one() {
	local kver=$1 ver out ko
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
	ko=$(find "/lib/modules/$kver/updates/dkms" -name 'v9x.ko*' 2>/dev/null | head -n 1)
	if [ -n "$ko" ] && [ "$(modinfo -k "$kver" -F vermagic v9x 2>/dev/null | cut -d' ' -f1)" = "$kver" ] &&
	   modinfo -k "$kver" -F alias v9x | grep -qx fs-v9x; then
		t_ok "dkms install -k $kver: modinfo v9x finds $ko (alias fs-v9x)"
	else
		t_fail "dkms install -k $kver: modinfo finds the installed module" \
			"$out" "$(modinfo -k "$kver" v9x 2>&1)"
		return 1
	fi
	mkdir -p "$V9X_OUT/dkms/$kver"
	case $ko in
	*.xz) xz -dc "$ko" >"$V9X_OUT/dkms/$kver/v9x.ko" ;;
	*.zst) zstd -dcq "$ko" >"$V9X_OUT/dkms/$kver/v9x.ko" ;;
	*) cp "$ko" "$V9X_OUT/dkms/$kver/v9x.ko" ;;
	esac
}
