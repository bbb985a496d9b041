#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "kunit" suite: load v9x.ko (its KUnit suites run at
# load) and hand the KTAP results to the host through the ctl share.
. /lib.sh

setup_modules
if [ -d /sys/kernel/debug/kunit ]; then
	ok "the kernel has KUnit debugfs results"
else
	not_ok "the kernel has KUnit debugfs results"
	done_tests
fi
mkdir -p /ctl/kunit
for d in /sys/kernel/debug/kunit/v9x_*; do
	s=${d##*/}
	cat "$d/results" >"/ctl/kunit/$s.ktap"
	note "$s: $(grep -c '^    ok ' "$d/results") ok, $(grep -c '^    not ok ' "$d/results") not ok"
done
done_tests
