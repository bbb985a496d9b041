#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make lint: checkpatch --strict (from the debug kernel's linux-source tree,
# or any installed linux-source), sparse (C=2) against the 6.1 and 6.12
# headers, and the W=1 builds (build-all.sh does those). One ok/not ok line
# each; sourced by run.sh (lint_all) or run directly.
#
# checkpatch types ignored, and why:
#   CAMELCASE            Opt_* are the fs_parser convention of in-tree code
#   LINUX_VERSION_CODE,  compat.h is the one file allowed version checks
#   CONSTANT_COMPARISON  (house rule 7); the comparisons are the macro's
#   MACRO_ARG_REUSE      V9X_NEW_REQ() names the encoder twice (count, then
#                        encode): a function name has no side effects
#   SPACING (compat.h)   "V9X_IDMAP_T *idmap" is a type, not a product
# trace.h is left out: TRACE_EVENT() layout is the tracing subsystem's own
# and checkpatch flags it in-tree too.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"

# checkpatch.pl with its data files, from an unpacked kernel tree or, when
# there is none yet, from linux-source-6.1's tarball (deps.sh installs it).
_checkpatch() {
	local cp tb dir=/var/cache/v9x-selftests/checkpatch
	for cp in /lib/modules/*/build/scripts/checkpatch.pl \
		  /var/cache/v9x-debug-kernel/*/linux/scripts/checkpatch.pl \
		  "$dir"/*/scripts/checkpatch.pl; do
		[ -x "$cp" ] && { echo "$cp"; return; }
	done
	tb=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	[ -n "$tb" ] || return 0
	mkdir -p "$dir"
	tar -C "$dir" -xf "$tb" --wildcards '*/scripts/checkpatch.pl' \
		'*/scripts/spelling.txt' '*/scripts/const_structs.checkpatch' || return 0
	ls "$dir"/*/scripts/checkpatch.pl 2>/dev/null | head -n 1
}

# _sparse_one KVER SRC: sparse (C=2) on every v9x file. Fails when make fails
# (sparse missing, a build error), when kbuild ran no CHECK at all, and on
# any sparse warning or error.
_sparse_one() {
	local k=$1 src=$2 out rc n warn name="lint: sparse (C=2) clean against $1"
	out=$(make -C "/lib/modules/$k/build" M="$src" C=2 ${V9X_SPARSE_MAKE_ARGS:-} modules 2>&1)
	rc=$?
	n=$(printf '%s\n' "$out" | grep -cE '^ +CHECK +/tmp/v9x-sparse-')
	warn=$(printf '%s\n' "$out" | grep -E '^/tmp/v9x-sparse-[^:]*:[0-9]+:[0-9]+: (warning|error)')
	if [ "$rc" != 0 ]; then
		t_fail "$name" "make C=2 exited with $rc:" "$(printf '%s\n' "$out" | tail -n 30)"
	elif [ "$n" = 0 ]; then
		t_fail "$name" "kbuild ran sparse on no file (no CHECK line):" \
			"$(printf '%s\n' "$out" | tail -n 30)"
	elif [ -n "$warn" ]; then
		t_fail "$name" "$warn"
	else
		t_ok "$name ($n files checked)"
	fi
}

# Lint with shellcheck at severity warning (errors and warnings; its style
# notes are left to review) on every script, the tooling in scripts/ and the
# harness in selftests/: bash for the host side, POSIX sh for what runs in
# the busybox guest. Exclusions, and why:
#   SC1007  "local a= b=" declares empty locals on purpose
#   SC2034  variables read by the files that source these (run.sh sources
#           lib.sh, build-all.sh, dkms.sh, lint.sh and the host hooks; the
#           hooks read its locals)
#   SC2154  the same, seen from the hook's side
#   SC3040  (guest) busybox ash has "set -o pipefail"
lint_shellcheck() {
	local out
	if ! command -v shellcheck >/dev/null; then
		t_fail "lint: shellcheck available" "no shellcheck (scripts/deps.sh installs it)"
		return
	fi
	out=$(cd "$V9X_REPO" && shellcheck -s bash -S warning -e SC1007,SC2034,SC2154 \
		scripts/*.sh scripts/debug-kernel/*.sh \
		selftests/*.sh selftests/fuzz/*.sh \
		selftests/progs/*.sh selftests/suites/*.host.sh \
		selftests/fixtures/*.sh .ci/run 2>&1 &&
	      shellcheck -s sh -S warning -e SC1007,SC2034,SC2154,SC3040 \
		selftests/suites/*.guest.sh selftests/guest/lib.sh \
		selftests/guest/init 2>&1)
	if [ $? = 0 ] && [ -z "$out" ]; then
		t_ok "lint: shellcheck clean (host bash and guest sh scripts)"
	else
		t_fail "lint: shellcheck clean (host bash and guest sh scripts)" "$out"
	fi
}

lint_all() {
	local cp out k hdrs=()
	lint_shellcheck
	# t_check/check NAME [ a ] && [ b ] checks only a (scripts/check-helpers.py).
	t_check "lint: every check helper call is one whole command" \
		python3 "$V9X_SCRIPTS/check-helpers.py" "$V9X_SCRIPTS"/*.sh \
		"$V9X_SELFTESTS"/*.sh "$V9X_SELFTESTS"/suites/*.sh \
		"$V9X_SELFTESTS"/guest/lib.sh
	# trace.h is macro soup for the tracing core; checkpatch misreads it.
	for k in "$V9X_REPO"/v9x/*.h; do
		[ "${k##*/}" = trace.h ] || hdrs+=("v9x/${k##*/}")
	done
	cp=$(_checkpatch)
	if [ -z "$cp" ]; then
		t_fail "lint: checkpatch.pl available" "no linux-source tree found"
	else
		out=$(cd "$V9X_REPO" && "$cp" --strict --no-tree --terse --show-types \
			--ignore CAMELCASE,LINUX_VERSION_CODE,CONSTANT_COMPARISON,MACRO_ARG_REUSE \
			-f v9x/*.c "${hdrs[@]}" 2>&1 | grep -v '^total:' |
			grep -v '^v9x/compat.h:[0-9]*: CHECK:SPACING: spaces preferred around that' )
		rm -f "$V9X_REPO"/.checkpatch-camelcase.*
		if [ -z "$out" ]; then
			t_ok "lint: checkpatch --strict clean (v9x/*.c, v9x/*.h)"
		else
			t_fail "lint: checkpatch --strict clean" "$out"
		fi
	fi
	# The host's Debian 12 kernels (sparse is not in the Debian 13 chroot,
	# whose kernels get the W=1 builds).
	for k in $(V9X_DEBUG_KVER='' V9X_TRIXIE='' v9x_kernels); do
		local src=/tmp/v9x-sparse-$k-$V9X_TREE_ID
		rm -rf "$src"
		mkdir -p "$src"
		cp -a "$V9X_REPO/Kbuild" "$V9X_REPO/Makefile" "$V9X_REPO/v9x" "$src/"
		_sparse_one "$k" "$src"
	done
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	lint_all
	t_summary
fi
