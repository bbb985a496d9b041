# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "unbind" suite: a second device, tag "ub", that the
# guest unbinds from v9x and binds again in a loop while I/O runs on it.
# Not throttled: the point is many submissions racing remove().

SUITE_TIMEOUT=600
SUITE_KO=testing	# fault_mode 8 (delayed notification) is testing-only

suite_prep() {
	local ub=$1/../ub
	mkdir -p "$ub"
	head -c 4000000 /dev/zero >"$ub/big"
	echo small >"$ub/small"
}

# QEMU arguments (set in the harness, not in the prep subshell).
suite_args() {
	local ub=$1/../ub
	SUITE_QEMU_ARGS=(-virtfs "local,path=$ub,mount_tag=ub,security_model=none,id=ub")
}
