# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "special" suite: a read-only export (tag "rox", QEMU
# readonly=on: every modification must fail with EROFS even on a read-write
# mount), and an export, tag "mapped", with
# security_model=mapped-xattr, where QEMU stores modes, owners and device
# numbers in user.virtfs.* xattrs and so allows mknod/mkfifo (the "none"
# model refuses special files). The host checks the xattrs it recorded,
# among them the owners of files made by several guest users under
# access=client, user and any (one Tattach per user, or one shared).

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2
	mkdir -p "$data/../mapped" "$data/../rox"
	echo readonly >"$data/../rox/file"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/runas" "$exp/../runas"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/oexcl" "$exp/../oexcl"
}

# QEMU arguments (set in the harness, not in the prep subshell).
suite_args() {
	local data=$1
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
		[ "$mode:$rdev" = "$((0020600)):$(((1 << 8) | 3))" ]
	t_check "$prefix: host: the regular file has its data" \
		[ "$(cat "$m/reg")" = hello ]
	local f want
	for f in c1000:1000:1000 d1000:1000:1000 d1000/f:1000:1000 c0:0:0 u1001:1001:1001; do
		want=${f#*:}
		t_check "$prefix: host: shared/${f%%:*} was created as uid:gid $want" \
			[ "$(_virtfs_attr "$m/shared/${f%%:*}" uid):$(_virtfs_attr "$m/shared/${f%%:*}" gid)" = "$want" ]
	done
	if [ "$V9X_FS" = v9x ]; then
		t_check "$prefix: host: with access=any the file of uid 1002 has the session's uid 0" \
			[ "$(_virtfs_attr "$m/shared/a1002" uid)" = 0 ]
	fi
	t_check "$prefix: host: c1000 holds uid 1000's lines, c0 root's" \
		[ "$(tr -d '\n' <"$m/shared/c1000"):$(tr -d '\n' <"$m/shared/c0")" = u1000123:r123 ]
	t_check "$prefix: host: the read-only export is unchanged" \
		[ "$(ls "$1/../rox")" = file ]
}
