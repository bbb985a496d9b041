#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "special" suite: mkfifo/mknod on a mapped-xattr export,
# and the FIFO works between two processes.
. /lib.sh

setup_modules data,mapped,rox
mkdir -p /m
if v9x_only; then
	mount -t v9x mapped /m >/tmp/m.out 2>&1
else
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none mapped /m >/tmp/m.out 2>&1
fi
if [ $? = 0 ]; then
	ok "mount the mapped-xattr export"
else
	not_ok "mount the mapped-xattr export" /tmp/m.out
	done_tests
fi
umask 022
check "mkfifo" mkfifo -m 0640 /m/fifo
check "stat: it is a FIFO with mode 640" \
	sh -c '[ "$(stat -c "%F %a" /m/fifo)" = "fifo 640" ]'
check "mknod c 1 3" mknod -m 0600 /m/null c 1 3
check "stat: char device 1:3 mode 600" \
	sh -c '[ "$(stat -c "%F %t:%T %a" /m/null)" = "character special file 1:3 600" ]'
check "the device node opens the guest's /dev/null (write succeeds)" \
	sh -c 'echo discard >/m/null'
(echo through-fifo >/m/fifo) &
check "a FIFO on the share carries data between processes" \
	sh -c '[ "$(cat /m/fifo)" = through-fifo ]'
wait
check "a regular file next to them" sh -c 'echo hello >/m/reg && [ "$(cat /m/reg)" = hello ]'
umount /m

section "one session per user (access=)"
# On the mapped-xattr export QEMU records the owner of each new file as the
# user of the fid the request came on: the host checks those in verify.
mnt_mapped() {
	if v9x_only; then
		mount -t v9x ${1:+-o "$1"} mapped /m
	else
		mount -t 9p -o "trans=virtio,version=9p2000.L,cache=none${1:+,$1}" mapped /m
	fi
}
if mnt_mapped >/tmp/m.out 2>&1; then
	ok "mount the mapped-xattr export again (access=client)"
	mkdir -p /m/shared && chmod 0777 /m/shared
	echo secret >/m/shared/private && chmod 0600 /m/shared/private
	check "access=client: uid 1000 creates a file" \
		/runas 1000 1000 sh -c 'echo u1000 >/m/shared/c1000'
	check "access=client: uid 1000 makes a directory, and a file in it" \
		/runas 1000 1000 sh -c 'mkdir /m/shared/d1000 && echo x >/m/shared/d1000/f'
	check "access=client: root creates a file" sh -c 'echo r >/m/shared/c0'
	check "access=client: the guest sees 1000:1000 as the file's owner" \
		sh -c '[ "$(stat -c %u:%g /m/shared/c1000)" = 1000:1000 ]'
	expect_fail "access=client: uid 1000 cannot read a 0600 root file (the guest checks)" \
		"Permission denied" /runas 1000 1000 cat /m/shared/private
	check "access=client: root and uid 1000 interleave in one directory" \
		sh -c 'for i in 1 2 3; do /runas 1000 1000 sh -c "echo \$0 >>/m/shared/c1000" $i || exit 1; echo $i >>/m/shared/c0 || exit 1; done'
	umount /m
else
	not_ok "mount the mapped-xattr export again (access=client)" /tmp/m.out
fi
if mnt_mapped access=user >/tmp/m.out 2>&1; then
	ok "mount -o access=user"
	check "access=user: /proc/mounts shows it" grep -q " /m .*access=user" /proc/mounts
	check "access=user: uid 1001 creates a file" \
		/runas 1001 1001 sh -c 'echo u1001 >/m/shared/u1001'
	check "access=user: the guest sees 1001:1001 as its owner" \
		sh -c '[ "$(stat -c %u:%g /m/shared/u1001)" = 1001:1001 ]'
	expect_fail "access=user: uid 1001 cannot read a 0600 root file (the guest checks too)" \
		"Permission denied" /runas 1001 1001 cat /m/shared/private
	expect_fail "access=user: the x bit is still needed to execute" "Permission denied" \
		/runas 1001 1001 /m/shared/private
	umount /m
else
	not_ok "mount -o access=user" /tmp/m.out
fi
if v9x_only; then
	if mnt_mapped access=any >/tmp/m.out 2>&1; then
		check "access=any: uid 1002 creates a file" \
			/runas 1002 1002 sh -c 'echo a1002 >/m/shared/a1002'
		check "access=any: it belongs to the mount's one session (uid 0)" \
			sh -c '[ "$(stat -c %u /m/shared/a1002)" = 0 ]'
		umount /m
	else
		not_ok "mount -o access=any" /tmp/m.out
	fi
fi

section "permission checks in every access mode"
# A 0600 root file and a 0700 root directory: uid 1000 gets EACCES in every
# access mode (the guest runs generic_permission() like the in-kernel
# client; QEMU, root on the host, would serve anyone), also with cache=loose
# once root has looked the names up and the dentries are cached. With
# access=1000 root may not use the mount, so uid 1000 looks them up first.
if mnt_mapped >/tmp/m.out 2>&1; then
	mkdir -p /m/perm/dir && chmod 0755 /m/perm &&
		echo secret >/m/perm/secret && chmod 0600 /m/perm/secret &&
		echo inner >/m/perm/dir/inner && chmod 0644 /m/perm/dir/inner &&
		chmod 0700 /m/perm/dir
	check "root makes a 0600 file and a 0700 directory" \
		sh -c '[ "$(stat -c %a:%u /m/perm/secret /m/perm/dir | tr "\n" " ")" = "600:0 700:0 " ]'
	umount /m
else
	not_ok "mount the mapped-xattr export for the permission checks" /tmp/m.out
fi
perm_case() {
	_po=access=$1${2:+,cache=$2}
	if ! mnt_mapped "$_po" >/tmp/m.out 2>&1; then
		not_ok "mount -o $_po" /tmp/m.out
		return
	fi
	if [ "$1" != 1000 ]; then
		check "$_po: root reads the 0600 file and stats inside the 0700 directory" \
			sh -c 'cat /m/perm/secret >/dev/null && stat /m/perm/dir/inner >/dev/null'
	fi
	v9x_only && _pe=$(stat_get errors mapped)
	expect_fail "$_po: uid 1000 cannot open the 0600 root file: EACCES" \
		"Permission denied" /runas 1000 1000 cat /m/perm/secret
	expect_fail "$_po: uid 1000 cannot stat a file in the 0700 root directory: EACCES" \
		"Permission denied" /runas 1000 1000 stat /m/perm/dir/inner
	expect_fail "$_po: uid 1000 cannot read a file in it: EACCES" \
		"Permission denied" /runas 1000 1000 cat /m/perm/dir/inner
	expect_fail "$_po: uid 1000 cannot list it: EACCES" \
		"Permission denied" /runas 1000 1000 ls /m/perm/dir
	check "$_po: uid 1000 still stats the 0600 file (the directory is 0755)" \
		/runas 1000 1000 stat /m/perm/secret
	# Where a refusal comes from: the server's errors show in the counter.
	v9x_only && note "$_po: server errors during uid 1000's attempts: $(delta "$_pe" "$(stat_get errors mapped)")"
	umount /m
}
for _pm in client user any 1000; do
	perm_case $_pm
	perm_case $_pm loose
done

section "read-only export"
mkdir -p /r
if v9x_only; then
	mount -t v9x rox /r >/tmp/m.out 2>&1
else
	mount -t 9p -o trans=virtio,version=9p2000.L,cache=none rox /r >/tmp/m.out 2>&1
fi
if [ $? = 0 ]; then
	ok "mount the read-only export (read-write mount)"
	check "read-only export: reading works" sh -c '[ "$(cat /r/file)" = readonly ]'
	expect_fail "read-only export: create gives EROFS" "Read-only file system" sh -c 'echo x >/r/new'
	expect_fail "read-only export: write gives EROFS" "Read-only file system" sh -c 'echo x >>/r/file'
	expect_fail "read-only export: mkdir gives EROFS" "Read-only file system" mkdir /r/d
	expect_fail "read-only export: unlink gives EROFS" "Read-only file system" rm /r/file
	expect_fail "read-only export: chmod gives EROFS" "Read-only file system" chmod 600 /r/file
	expect_fail "read-only export: rename gives EROFS" "Read-only file system" mv /r/file /r/file2
	# EEXIST comes before any other error for an exclusive create, also
	# for a name the guest has not looked up (dcache dropped).
	expect_fail "read-only export: O_CREAT|O_EXCL of an existing, uncached name gives EEXIST" \
		"File exists" sh -c 'echo 2 >/proc/sys/vm/drop_caches; /oexcl /r/file'
	expect_fail "read-only export: O_CREAT|O_EXCL of a new name gives EROFS" \
		"Read-only file system" /oexcl /r/new2
	umount /r
else
	not_ok "mount the read-only export (read-write mount)" /tmp/m.out
fi
done_tests
