# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "fsx" suite: the guest runs progs/fsx.c, a model-based
# random tester, for FSX_OPS (100,000 unless run.sh lowers it: the debug
# kernel and the readahead/mmap passes, to keep make check inside CI's
# time) operations on one file, then 4 processes on 4 files; each process
# leaves its model in /ctl, and the host compares every model with the
# file on its side of the share.

SUITE_TIMEOUT=1200
FSX_SEED=${V9X_FSX_SEED:-$(date +%s)}

suite_prep() {
	local data=$1 exp=$2 progs
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/fsx" "$exp/../fsx"
	echo "$FSX_SEED" >"$exp/seed"
	echo "${FSX_OPS:-100000}" >"$exp/ops"
	mkdir -p "$data/fsx"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 i bad= ctl=$1/../ctl
	for i in 0 1 2 3; do
		if [ ! -f "$ctl/model.$i" ]; then
			bad="$bad model.$i-missing"
		elif ! cmp -s "$ctl/model.$i" "$data/fsx/mp.$i"; then
			bad="$bad mp.$i"
		fi
	done
	if [ -z "$bad" ]; then
		t_ok "$prefix: host: the 4 files written by 4 processes equal their models (seed $FSX_SEED)"
	else
		t_fail "$prefix: host: the 4 files written by 4 processes equal their models (seed $FSX_SEED)" "differs:$bad"
	fi
}
