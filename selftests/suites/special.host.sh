# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "special" suite: a read-only export (tag "rox", QEMU
# readonly=on: every modification must fail with EROFS even on a read-write
# mount), and an export, tag "mapped", with
# security_model=mapped-xattr, where QEMU stores modes, owners and device
# numbers in user.virtfs.* xattrs and so allows mknod/mkfifo (the "none"
# model refuses special files). The host checks the xattrs it recorded.

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2
	mkdir -p "$data/../mapped" "$data/../rox"
	echo readonly >"$data/../rox/file"
	SUITE_QEMU_ARGS=(-virtfs "local,path=$data/../mapped,mount_tag=mapped,security_model=mapped-xattr,id=mapped"
			 -virtfs "local,path=$data/../rox,mount_tag=rox,security_model=none,readonly=on,id=rox")
}

# _mode_of FILE: the mode QEMU recorded for FILE (decimal).
_virtfs_attr() {
	python3 -c "import os,sys,struct; v=os.getxattr(sys.argv[1],'user.virtfs.'+sys.argv[2]); print(struct.unpack('<I' if len(v)==4 else '<Q', v)[0])" "$1" "$2"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 m=$1/../mapped mode rdev
	mode=$(_virtfs_attr "$m/fifo" mode 2>&1)
	t_check "$prefix: host: the FIFO is recorded as S_IFIFO|0640 (user.virtfs.mode)" \
		[ "$mode" = $((0010640)) ]
	mode=$(_virtfs_attr "$m/null" mode 2>&1)
	rdev=$(_virtfs_attr "$m/null" rdev 2>&1)
	t_check "$prefix: host: the char device is recorded as S_IFCHR|0600, rdev 1:3" \
		[ "$mode" = $((0020600)) ] && [ "$rdev" = $(((1 << 8) | 3)) ]
	t_check "$prefix: host: the regular file has its data" \
		[ "$(cat "$m/reg")" = hello ]
	t_check "$prefix: host: the read-only export is unchanged" \
		[ "$(ls "$1/../rox")" = file ]
}
