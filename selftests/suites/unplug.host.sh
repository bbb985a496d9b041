# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "unplug" suite: a QEMU-level hot-unplug. The device of
# tag "hp" (throttled to 4 MB/s, so I/O is in flight) has a QEMU id; at the
# guest's step 1 the host sends device_del over QMP, and the guest's ACPI
# PCI hotplug removes it while a reader and a writer are blocked on it.

SUITE_TIMEOUT=600

suite_prep() {
	local data=$1 exp=$2 hp=$1/../hp
	mkdir -p "$hp"
	head -c 64000000 /dev/zero >"$hp/big"
	echo small >"$hp/small"
	echo kept >"$data/kept"
}

# QEMU arguments and the QMP socket suite_step uses (set in the harness,
# not in the prep subshell).
suite_args() {
	local data=$1 hp=$1/../hp
	UNPLUG_QMP=$(cd "$data/.." && pwd)/qmp.sock
	SUITE_QEMU_ARGS=(-fsdev "local,id=hpfs,path=$hp,security_model=none,throttling.bps-total=4000000"
			 -device "virtio-9p-pci,fsdev=hpfs,mount_tag=hp,id=p9hp"
			 -qmp "unix:$UNPLUG_QMP,server=on,wait=off")
}

suite_step() {
	case $1 in
	1) python3 "$V9X_SELFTESTS/qmp.py" "$UNPLUG_QMP" device_del id=p9hp ;;
	*) return 1 ;;
	esac
}
