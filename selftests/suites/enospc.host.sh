# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "enospc" suite: the share is a 16 MiB tmpfs. The guest
# fills it until writes fail with ENOSPC; the host checks that what was
# written before is intact, and the guest checks that the mount is usable
# again once files are deleted.

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2
	mount -t tmpfs -o size=16m v9x-enospc "$data"
	head -c 3000000 /dev/urandom >"$data/keep"
	sha256sum <"$data/keep" | cut -d' ' -f1 >"$exp/keep.sha"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3
	t_check "$prefix: host: the file written before the disk filled is intact" \
		same_sum "$data/keep" "$exp/keep.sha"
	t_check "$prefix: host: the guest's 2 MiB file written before ENOSPC is intact" \
		same_sum "$data/before" "$data/../ctl/before.sha"
	t_check "$prefix: host: the file written after freeing space is intact" \
		same_sum "$data/after" "$data/../ctl/after.sha"
	umount "$data"
}
