# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "stress" suite: independent load from stress-ng (Debian's
# package, run from the host's own root filesystem, exported read-only to the
# guest as tag "hostroot" and mounted there with the in-kernel client) on
# the v9x mount, with --verify where the stressor has it.

SUITE_TIMEOUT=900
SUITE_QEMU_ARGS=(-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot")

suite_prep() {
	local data=$1 exp=$2
	command -v stress-ng >/dev/null || { echo "stress-ng missing (scripts/deps.sh)"; return 1; }
	mkdir -p "$data/stress"
}
