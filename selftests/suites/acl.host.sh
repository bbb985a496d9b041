# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "acl" suite: POSIX ACLs (-o posixacl) on an export with
# security_model=mapped-xattr (tag "acl"), where QEMU keeps a file's
# system.posix_acl_access/default as the host xattrs
# user.virtfs.system.posix_acl_access/default. The guest sets ACLs with
# progs/acl.c (busybox has no setfacl) and checks them as uid 1000; the host
# decodes what QEMU stored.

SUITE_TIMEOUT=240

suite_prep() {
	local data=$1 exp=$2 progs
	mkdir -p "$data/../acl"
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/runas" "$exp/.."
	# Not /acl: busybox mount would take a file named like the tag for a
	# loop device's image.
	cp "$progs/acl" "$exp/../acltool"
	# Step 1: directories the guest knows, replaced on the host.
	mkdir -p "$data/../acl/r/d1" "$data/../acl/r/d2"
}

# _host_set_default DIR ENTRY...: store DIR's default ACL as QEMU's
# mapped-xattr model does (the posix_acl_xattr format _host_acl decodes);
# an entry is TAG:ID:PERM, with TAG u, g, m or o and ID empty for the
# owner's, group's, mask and other entries.
_host_set_default() {
	python3 - "$@" <<'PY'
import os, struct, sys
tags = {("u", False): 1, ("u", True): 2, ("g", False): 4, ("g", True): 8,
        ("m", False): 0x10, ("o", False): 0x20}
v = struct.pack("<I", 2)
for e in sys.argv[2:]:
    tag, ident, perm = e.split(":")
    v += struct.pack("<HHI", tags[(tag, ident != "")], int(perm, 8),
                     int(ident) if ident else 0xffffffff)
os.setxattr(sys.argv[1], "user.virtfs.system.posix_acl_default", v)
PY
}

suite_step() {
	local n=$1 r=$2/../acl/r
	case $n in
	# r/d1 replaced by root's 1777 directory, r/d2 by one with a default
	# ACL.
	1) mv "$r/d1" "$r/d1.old" && mkdir "$r/d1" && chmod 1777 "$r/d1" &&
	   mv "$r/d2" "$r/d2.old" && mkdir "$r/d2" &&
	   _host_set_default "$r/d2" u::7 u:1000:6 g::5 m::7 o::0 ;;
	*) return 1 ;;
	esac
}

suite_args() {
	local data=$1
	SUITE_QEMU_ARGS=(-virtfs "$(virtfs_arg "$data/../acl:acl:mapped-xattr" acl)")
}

# _host_acl FILE access|default: the ACL QEMU stored for FILE, decoded from
# the posix_acl_xattr format (le32 version 2, then le16 tag, le16 perm,
# le32 id per entry) into acl.c's notation; "none" when there is none.
_host_acl() {
	python3 - "$1" "$2" <<'PY'
import os, struct, sys
try:
    v = os.getxattr(sys.argv[1], "user.virtfs.system.posix_acl_" + sys.argv[2])
except OSError:
    print("none")
    sys.exit(0)
if len(v) < 4 or (len(v) - 4) % 8 or struct.unpack_from("<I", v)[0] != 2:
    print("malformed", v.hex())
    sys.exit(0)
names = {1: "u", 2: "u", 4: "g", 8: "g", 0x10: "m", 0x20: "o"}
out = []
for off in range(4, len(v), 8):
    tag, perm, uid = struct.unpack_from("<HHI", v, off)
    ident = str(uid) if tag in (2, 8) else ""
    out.append("%s:%s:%o" % (names.get(tag, "?%d" % tag), ident, perm))
print(" ".join(out))
PY
}

# _host_perm FILE: the permission bits QEMU recorded (user.virtfs.mode), octal.
_host_perm() {
	python3 -c 'import os, struct, sys; print("%o" % (struct.unpack("<I", os.getxattr(sys.argv[1], "user.virtfs.mode"))[0] & 0o7777))' "$1"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 a=$1/../acl/t
	[ "$V9X_FS" = v9x ] || return 0
	t_check "$prefix: host: the grant ACL is stored, its mask moved back by chmod 640" \
		[ "$(_host_acl "$a/grant" access)" = "u::6 u:1000:4 g::4 m::4 o::0" ]
	t_check "$prefix: host: the deny ACL is stored" \
		[ "$(_host_acl "$a/deny" access)" = "u::6 u:1000:0 g::4 m::4 o::4" ]
	t_check "$prefix: host: the directory's default ACL is stored" \
		[ "$(_host_acl "$a/d" default)" = "u::7 u:1000:6 g::5 m::7 o::0" ]
	t_check "$prefix: host: the new file inherited it as its access ACL" \
		[ "$(_host_acl "$a/d/new" access)" = "u::6 u:1000:6 g::5 m::6 o::0" ]
	t_check "$prefix: host: the new subdirectory inherited the default ACL" \
		[ "$(_host_acl "$a/d/sub" default)" = "u::7 u:1000:6 g::5 m::7 o::0" ]
	t_check "$prefix: host: a file made where no default ACL is has no ACL" \
		[ "$(_host_acl "$a/plain" access)" = none ]
	t_check "$prefix: host: without posixacl the ACL was not stored as an xattr" \
		[ "$(_host_acl "$a/noacl" access)" = none ]
	t_check "$prefix: host: the file mode QEMU recorded for the new file is 0660" \
		[ "$(_host_perm "$a/d/new")" = 660 ]
	t_check "$prefix: host: uid 1000's mkdir landed in the new r/d1" \
		test -d "$a/../r/d1/x" -a ! -e "$a/../r/d1.old/x"
	t_check "$prefix: host: the mkdir in the new r/d2 inherited its default ACL" \
		[ "$(_host_acl "$a/../r/d2/sub" default)" = "u::7 u:1000:6 g::5 m::7 o::0" ]
}
