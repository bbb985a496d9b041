# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "kunit" suite (debug kernel only): the guest loads v9x.ko,
# whose KUnit suites run at load time, and copies each suite's KTAP from
# /sys/kernel/debug/kunit/<suite>/results to the ctl share. The host parses
# every file with the kernel tree's kunit.py (exit 1 on a failed case) and
# fails if fewer cases ran than v9x has: kunit.py is happy with zero tests.

SUITE_TIMEOUT=300
SUITE_KO=testing	# fault_* parameters and KUnit are only in the testing build
# Cases in v9x/*_test.c; raise it when adding cases.
V9X_KUNIT_MIN_CASES=${V9X_KUNIT_MIN_CASES:-67}
V9X_KUNIT_SUITES="v9x_proto v9x_mount_opts v9x_trans v9x_client v9x_vfs"

suite_prep() {
	:
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 ctl=$1/../ctl s f out n total=0
	# $kver is run_suite's (bash scoping): the kernel under test.
	local kunit_py="/lib/modules/$kver/build/tools/testing/kunit/kunit.py"
	for s in $V9X_KUNIT_SUITES; do
		f=$ctl/kunit/$s.ktap
		if [ ! -s "$f" ]; then
			t_fail "$prefix: KUnit suite $s ran" "no results in $f"
			continue
		fi
		n=$(grep -cE '^    (not )?ok [0-9]+ ' "$f")
		total=$((total + n))
		if out=$(python3 "$kunit_py" parse "$f" 2>&1); then
			t_ok "$prefix: KUnit suite $s: $n cases passed (kunit.py parse)"
		else
			t_fail "$prefix: KUnit suite $s (kunit.py parse)" "$out"
		fi
	done
	if [ "$total" -ge "$V9X_KUNIT_MIN_CASES" ]; then
		t_ok "$prefix: KUnit: $total cases ran (at least $V9X_KUNIT_MIN_CASES expected)"
	else
		t_fail "$prefix: KUnit: $total cases ran, at least $V9X_KUNIT_MIN_CASES expected"
	fi
}
