#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build v9x.ko against the headers of every tested kernel (see v9x_kernels in
# lib.sh) with W=1, each in its own copy of the source tree
# (/tmp/v9x-build-$KVER-$V9X_TREE_ID; for Debian 13's kernels, that path
# inside the chroot, built there with trixie's gcc-14, as a Debian 13 user's
# dkms would), and copy the result to selftests/out/$KVER/v9x.ko;
# and the testing build (V9X_TESTING=1: KUnit where the kernel has it, fault
# injection) from /tmp/v9x-build-$KVER-$V9X_TREE_ID-testing to
# selftests/out/$KVER/testing/v9x.ko, for the kunit and faults suites.
# Checks, one ok/not ok line each: each build succeeds; the compiler (or
# modpost) printed no warning; `modinfo -F depends` names none of the in-kernel
# 9p client's modules (9pnet, 9pnet_virtio, 9p, netfs, fscache); the vermagic
# is the target kernel's; the default build has no fault_ parameter, no kunit
# dependency and no kunit/v9x_fault symbol; the testing build has fault_mode.  Sourced by run.sh (build_all), or run directly.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"

V9X_OUT=${V9X_OUT:-$V9X_SELFTESTS/out}

# _build_tree KVER SRC OUT NAME [MAKE-VARS...]: copy the source to SRC, build
# it with W=1 (and MAKE-VARS), copy v9x.ko to OUT and check the build and its
# warnings. NAME starts the check names.
_build_tree() {
	local kver=$1 src=$2 out=$3 name=$4 blog root
	shift 4
	root=$(kernel_root "$kver")
	blog="$out/build.log"
	rm -rf "$root$src" "$out"
	mkdir -p "$root$src" "$out"
	# Copy the source (whatever is in the work tree, committed or not), leaving
	# out git data, the selftests, the scripts and build products.
	tar -C "$V9X_REPO" --exclude=./.git --exclude=./selftests --exclude=./scripts \
		--exclude=./build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.cmd' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.order' --exclude='*.symvers' -cf - . |
		tar -C "$root$src" -xf -
	if _kmake "$root" -C "/lib/modules/$kver/build" M="$src" W=1 "$@" modules >"$blog" 2>&1 &&
	   [ -s "$root$src/v9x.ko" ]; then
		cp "$root$src/v9x.ko" "$out/v9x.ko"
		t_ok "$name: make W=1 ${*:+$* }modules"
	else
		t_fail "$name: make W=1 ${*:+$* }modules" "$(tail -n 60 "$blog")"
		return 1
	fi
	if grep -E -i 'warning:' "$blog" >"$out/warnings.txt"; then
		t_fail "$name: no compiler or modpost warnings" "$out/warnings.txt"
	else
		t_ok "$name: no compiler or modpost warnings"
	fi
}

# _kmake ROOT MAKE-ARGS...: make on the host, or inside the chroot ROOT.
_kmake() {
	local root=$1
	shift
	if [ -n "$root" ]; then
		chroot_run "$root" make "$@"
	else
		make "$@"
	fi
}

# build_one KVER: build and check the shipped v9x.ko (selftests/out/KVER/) and
# the testing one, with KUnit and fault injection (V9X_TESTING=1,
# selftests/out/KVER/testing/), for one kernel, reporting results.
build_one() {
	local kver=$1 out="$V9X_OUT/$1" ko deps bad m vermagic parms syms
	ko=$out/v9x.ko
	_build_tree "$kver" "/tmp/v9x-build-$kver-$V9X_TREE_ID" "$out" "build $kver" || return 1
	deps=$(modinfo -F depends "$ko")
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
	vermagic=$(modinfo -F vermagic "$ko")
	if [ "${vermagic%% *}" = "$kver" ]; then
		t_ok "build $kver: vermagic matches"
	else
		t_fail "build $kver: vermagic matches" "vermagic='$vermagic'"
	fi
	# The shipped module has no test code: no fault_* parameter, no KUnit.
	parms=$(modinfo -F parm "$ko")
	t_check "build $kver: the default v9x.ko has no fault_ parameter" \
		_none_matches '^fault_' "$parms"
	t_check "build $kver: the default v9x.ko does not depend on kunit" \
		_none_matches '(^|,)kunit(,|$)' "$deps"
	syms=$(nm "$ko" 2>&1) || { t_fail "build $kver: nm v9x.ko" "$syms"; syms=; }
	# (v9x_fault() itself may be inlined: its parameters' symbols are not.)
	t_check "build $kver: the default v9x.ko has no kunit or fault-injection symbol" \
		_none_matches 'kunit|v9x_fault|fault_mode|fault_count' "$syms"

	_build_tree "$kver" "/tmp/v9x-build-$kver-$V9X_TREE_ID-testing" "$out/testing" \
		"build $kver testing" V9X_TESTING=1 || return 1
	t_check "build $kver testing: v9x.ko has the fault_mode parameter" \
		_some_matches '^fault_mode:' "$(modinfo -F parm "$out/testing/v9x.ko")"
}

# _none_matches ERE TEXT: succeed when no line of TEXT matches (and print
# the lines that do); _some_matches: when one does.
_none_matches() {
	! printf '%s\n' "$2" | grep -E "$1"
}
_some_matches() {
	printf '%s\n' "$2" | grep -Eq "$1" && return 0
	printf 'no line matches /%s/ in:\n%s\n' "$1" "$2"
	return 1
}

# probe_selfcheck: v9x/probe.sh on a copy of Debian 12's 6.12 headers
# (whose srctree is /usr/src/linux-headers-VERSION-common) prints what it
# prints on the originals, and, once ->write_begin has an argument no kernel
# has, names that interface (V9X_UNKNOWN:WRITE_BEGIN_FOLIO, which Kbuild
# turns into a build error) instead of choosing a variant.
probe_selfcheck() {
	local k src tmp want got name="build: probe.sh names an interface whose signature it does not know"
	k=$(_newest_kernel '6.12.*+deb12-amd64')
	src=/usr/src/linux-headers-${k%-amd64}-common
	if [ -z "$k" ] || [ ! -r "$src/include/linux/fs.h" ]; then
		t_fail "$name" "no Debian 12 6.12 headers in /usr/src (scripts/deps.sh installs them)"
		return 1
	fi
	tmp=$(mktemp -d)
	mkdir -p "$tmp/include"
	cp -r "$src/include/linux" "$tmp/include/"
	want=$(sh "$V9X_REPO/v9x/probe.sh" "$src")
	got=$(sh "$V9X_REPO/v9x/probe.sh" "$tmp")
	if [ "$got" != "$want" ]; then
		t_fail "$name" "on an unchanged copy: '$got'" "on the headers: '$want'"
		rm -rf "$tmp"
		return 1
	fi
	sed -i 's/struct folio \*\*foliop, void \*\*fsdata);/struct folio **foliop, void **fsdata, int extra);/' \
		"$tmp/include/linux/fs.h"
	got=$(sh "$V9X_REPO/v9x/probe.sh" "$tmp")
	rm -rf "$tmp"
	case " $got " in
	*" V9X_UNKNOWN:WRITE_BEGIN_FOLIO "*)
		case " $got " in
		*" -DV9X_HAVE_WRITE_BEGIN_FOLIO "*) t_fail "$name" "it also chose a variant: $got" ;;
		*) t_ok "$name" ;;
		esac
		;;
	*) t_fail "$name" "probe.sh printed: $got" ;;
	esac
}

# build_all: build for every tested kernel; returns non-zero if one failed.
build_all() {
	local k rc=0 ks
	ks=$(v9x_kernels)
	[ -n "$ks" ] || { t_fail "build: find the kernels with headers" \
		"none found; run scripts/deps.sh"; return 1; }
	probe_selfcheck || rc=1
	for k in $ks; do
		build_one "$k" || rc=1
	done
	return $rc
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	bash "$V9X_SCRIPTS/deps.sh" || exit 1
	# Debian 13's kernels too, from the cached (or newly built) chroot.
	V9X_TRIXIE=${V9X_TRIXIE-$(bash "$V9X_SCRIPTS/trixie.sh" kernels)} || exit 1
	export V9X_TRIXIE
	build_all
	t_summary
fi
