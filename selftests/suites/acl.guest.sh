#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "acl" suite: -o posixacl,access=client on the
# mapped-xattr export "acl". An ACL entry granting or denying uid 1000
# takes effect, chmod moves the mask, a directory's default ACL is
# inherited by new files and directories, the umask still applies where
# there is no default ACL; without posixacl the ACL xattrs are refused.
. /lib.sh

setup_modules data,acl
mkdir -p /m
umask 022
if ! v9x_only; then
	skip "acl: the in-kernel client's posixacl needs its own option set; v9x only"
	done_tests
fi

if mount -t v9x acl /m >/tmp/m.out 2>&1; then
	mkdir -p /m/t && echo x >/m/t/noacl
	expect_fail "without posixacl: setting an ACL fails with EOPNOTSUPP" \
		"Operation not supported" /acltool set /m/t/noacl access u::6 u:1000:4 g::4 m::4 o::0
	umount /m
else
	not_ok "mount the acl export without posixacl" /tmp/m.out
fi

if ! mount -t v9x -o posixacl,access=client acl /m >/tmp/m.out 2>&1; then
	not_ok "mount -o posixacl,access=client" /tmp/m.out
	done_tests
fi
ok "mount -o posixacl,access=client"
check "posixacl is shown in /proc/mounts" grep -q " /m v9x .*posixacl" /proc/mounts

echo secret >/m/t/grant && chmod 0640 /m/t/grant
expect_fail "0640 root file: uid 1000 cannot read it" \
	"Permission denied" /runas 1000 1000 cat /m/t/grant
check "set an access ACL granting uid 1000 read" \
	/acltool set /m/t/grant access u::6 u:1000:4 g::4 m::4 o::0
check "the ACL reads back" \
	sh -c '[ "$(/acltool get /m/t/grant access)" = "u::6 u:1000:4 g::4 m::4 o::0" ]'
check "the grant takes effect: uid 1000 reads it" \
	sh -c '[ "$(/runas 1000 1000 cat /m/t/grant)" = secret ]'
check "uid 1001 (no entry) still cannot" \
	sh -c '! /runas 1001 1001 cat /m/t/grant 2>/dev/null'

check "chmod 600 on a file with an ACL" chmod 0600 /m/t/grant
check "chmod moved the mask to the group bits (m::0)" \
	sh -c '[ "$(/acltool get /m/t/grant access)" = "u::6 u:1000:4 g::4 m::0 o::0" ]'
expect_fail "with the mask at 0, uid 1000 cannot read" \
	"Permission denied" /runas 1000 1000 cat /m/t/grant
check "chmod 640 gives the mask back" chmod 0640 /m/t/grant
check "uid 1000 reads it again" \
	sh -c '[ "$(/runas 1000 1000 cat /m/t/grant)" = secret ]'

echo open >/m/t/deny && chmod 0644 /m/t/deny
check "set an access ACL denying uid 1000" \
	/acltool set /m/t/deny access u::6 u:1000:0 g::4 m::4 o::4
expect_fail "the deny takes effect although others may read" \
	"Permission denied" /runas 1000 1000 cat /m/t/deny
check "uid 1001 (an other) reads it" \
	sh -c '[ "$(/runas 1001 1001 cat /m/t/deny)" = open ]'

mkdir /m/t/d && chmod 0755 /m/t/d
check "set a default ACL on a directory" \
	/acltool set /m/t/d default u::7 u:1000:6 g::5 m::7 o::0
check "a file created in it inherits it (mode 0666 asked, umask ignored)" \
	sh -c 'echo new >/m/t/d/new && [ "$(/acltool get /m/t/d/new access)" = "u::6 u:1000:6 g::5 m::6 o::0" ]'
check "its mode is 0660 (the mask is the group bits)" \
	sh -c '[ "$(stat -c %a /m/t/d/new)" = 660 ]'
check "uid 1000 may write the root-owned 0660 file (the inherited entry)" \
	/runas 1000 1000 sh -c 'echo more >>/m/t/d/new'
check "a subdirectory inherits the default ACL" \
	sh -c 'mkdir /m/t/d/sub && [ "$(/acltool get /m/t/d/sub default)" = "u::7 u:1000:6 g::5 m::7 o::0" ]'
check "a directory without a default ACL: the umask applies (0644)" \
	sh -c 'echo p >/m/t/plain && [ "$(stat -c %a /m/t/plain)" = 644 ]'
expect_fail "the new plain file has no ACL" "No data available" \
	/acltool get /m/t/plain access
check "remove the deny ACL" /acltool rm /m/t/deny access
check "then uid 1000 reads the 0644 file" \
	sh -c '[ "$(/runas 1000 1000 cat /m/t/deny)" = open ]'
check "and it has no ACL left" sh -c '! /acltool get /m/t/deny access'
check "set the deny ACL again (the host checks it)" \
	/acltool set /m/t/deny access u::6 u:1000:0 g::4 m::4 o::4

# A create in a directory replaced on the host walks again, and is judged
# on the new directory: its ACL (none: the mode bits) for the permission,
# its default ACL for the new one.
check "r/d1 and r/d2 are known" stat /m/r/d1 /m/r/d2
expect_fail "uid 1000 may not mkdir in root's 0755 r/d1" \
	"Permission denied" /runas 1000 1000 mkdir /m/r/d1/before
if sync_host 1 60 >/tmp/s.out 2>&1; then
	check "r/d1 replaced by root's 1777 directory: uid 1000 may mkdir r/d1/x" \
		/runas 1000 1000 mkdir /m/r/d1/x
	check "r/d2 replaced by one with a default ACL: mkdir r/d2/sub inherits it" \
		sh -c 'mkdir /m/r/d2/sub && [ "$(/acltool get /m/r/d2/sub default)" = "u::7 u:1000:6 g::5 m::7 o::0" ]'
else
	not_ok "host step 1" /tmp/s.out
fi
umount /m
done_tests
