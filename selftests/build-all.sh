#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build v9x.ko against the headers of every tested Debian kernel (6.1 and 6.12,
# see v9x_kernels in lib.sh) with W=1, each in its own copy of the source tree
# (/tmp/v9x-build-$KVER), and copy the result to selftests/out/$KVER/v9x.ko.
# Checks, one ok/not ok line each: the build succeeds; the compiler (or
# modpost) printed no warning; `modinfo -F depends` names none of the in-kernel
# 9p client's modules (9pnet, 9pnet_virtio, 9p, netfs, fscache); the vermagic
# is the target kernel's.  Sourced by run.sh (build_all), or run directly.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

V9X_OUT=${V9X_OUT:-$V9X_SELFTESTS/out}

# build_one KVER: build and check v9x.ko for one kernel, reporting results.
build_one() {
	local kver=$1 src="/tmp/v9x-build-$1" out="$V9X_OUT/$1" blog deps bad m vermagic
	blog="$out/build.log"
	rm -rf "$src" "$out"
	mkdir -p "$src" "$out"
	# Copy the source (whatever is in the work tree, committed or not), leaving
	# out git data, the selftests and build products.
	tar -C "$V9X_REPO" --exclude=./.git --exclude=./selftests --exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.order' --exclude='*.symvers' -cf - . |
		tar -C "$src" -xf -
	if make -C "/lib/modules/$kver/build" M="$src" W=1 modules >"$blog" 2>&1 &&
	   [ -s "$src/v9x.ko" ]; then
		cp "$src/v9x.ko" "$out/v9x.ko"
		t_ok "build $kver: make W=1 modules"
	else
		t_fail "build $kver: make W=1 modules" "$(tail -n 60 "$blog")"
		return 1
	fi
	if grep -E -i 'warning:' "$blog" >"$out/warnings.txt"; then
		t_fail "build $kver: no compiler or modpost warnings" "$out/warnings.txt"
	else
		t_ok "build $kver: no compiler or modpost warnings"
	fi
	deps=$(modinfo -F depends "$out/v9x.ko")
	bad=
	for m in $(echo "$deps" | tr ',' ' '); do
		case $m in 9pnet|9pnet_virtio|9p|netfs|fscache) bad="$bad $m" ;; esac
	done
	if [ -z "$bad" ]; then
		t_ok "build $kver: v9x.ko depends on none of 9pnet,9pnet_virtio,9p,netfs,fscache"
		echo "# depends='$deps'"
	else
		t_fail "build $kver: v9x.ko depends on none of 9pnet,9pnet_virtio,9p,netfs,fscache" \
			"depends=$deps, forbidden:$bad"
	fi
	vermagic=$(modinfo -F vermagic "$out/v9x.ko")
	if [ "${vermagic%% *}" = "$kver" ]; then
		t_ok "build $kver: vermagic matches"
	else
		t_fail "build $kver: vermagic matches" "vermagic='$vermagic'"
	fi
}

# build_all: build for every tested kernel; returns non-zero if one failed.
build_all() {
	local k rc=0 ks
	ks=$(v9x_kernels)
	[ -n "$ks" ] || { t_fail "build: find Debian 6.1/6.12 kernels with headers" \
		"none found; run selftests/deps.sh"; return 1; }
	for k in $ks; do
		build_one "$k" || rc=1
	done
	return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	bash "$V9X_SELFTESTS/deps.sh" || exit 1
	build_all
	t_summary
fi
