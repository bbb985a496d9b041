#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "coherence" suite (busybox sh): reads a file or
# directory on the v9x "data" mount, asks the host through the ctl share
# (sync_host N) to change it, and checks that the change is visible:
# in-place rewrite with a new size, replacement by rename, directory entries
# added/removed, mode/size/mtime change, append, deletion, renames and
# deletes in the middle of a guest walk, a listed directory replaced by
# another (the guest kept its opened fid), rename and
# deletion under an open file, an append under an open fd. With an actimeo
# (cache=loose) each check waits that long first: the staleness bound.
. /lib.sh
set -o pipefail

setup_modules
mount_or_stop "mount data on /mnt" /mnt

sum() { _s=$(cat "$1" | sha256sum) || return 1; echo "${_s%% *}"; }

# same NAME FILE WANT-FILE: sha256 of FILE equals the one in WANT-FILE
same() {
	_got=$(sum "$2" 2>&1)
	if [ "$_got" = "$(cat "$3")" ]; then
		ok "$1"
	else
		echo "got $_got want $(cat "$3"); $(ls -l "$2" 2>&1)" >/tmp/c.out
		not_ok "$1" /tmp/c.out
	fi
}

# Cached attributes and names (cache=loose) are trusted for actimeo
# seconds: a host change must be visible once that much time has passed.
actimeo=$(sed -n 's|.* /mnt v9x .*actimeo=\([0-9]*\).*|\1|p' /proc/mounts)
actimeo=${actimeo:-0}
note "cache mode $(cache_mode), actimeo ${actimeo}s"

# step N: let the host do mutation N (then wait out actimeo)
step() {
	if sync_host "$1" 60 >/tmp/s.out 2>&1; then
		[ "$actimeo" -gt 0 ] && sleep $((actimeo + 1))
		return 0
	fi
	echo "host step $1 did not complete" >>/tmp/s.out
	not_ok "host step $1" /tmp/s.out
	return 1
}

section "rewrite in place"
same "F: initial content" /mnt/coh/F /expected/F.0
dd if=/mnt/coh/F bs=4k of=/dev/null 2>/dev/null
step 1
same "F rewritten in place by the host (new size): guest sees the new content" /mnt/coh/F /expected/F.1
check "F: stat shows the new size" [ "$(stat -c %s /mnt/coh/F)" = "$(cat /expected/F.1.size)" ]
got=$(dd if=/mnt/coh/F bs=4k 2>/dev/null | sha256sum)
check "F: dd bs=4k after the rewrite sees the new content" [ "${got%% *}" = "$(cat /expected/F.1)" ]

section "replace by rename"
same "G: initial content" /mnt/coh/G /expected/G.0
step 2
same "G replaced by rename on the host: guest sees the new file" /mnt/coh/G /expected/G.2

section "directory entries"
check "dir: initial entries" [ "$(ls /mnt/coh/dir | tr '\n' ' ')" = "old-entry stays " ]
step 3
check "dir: host removed one entry and added one: ls shows the change" \
	sh -c 'got=$(ls /mnt/coh/dir | tr "\n" " "); echo "got: $got"; [ "$got" = "new-entry stays " ]'
expect_fail "dir: the removed entry is gone (ENOENT)" "No such file" stat /mnt/coh/dir/old-entry
check "dir: the new entry can be stat'ed" stat /mnt/coh/dir/new-entry

section "attributes"
check "H: initial mode 644" [ "$(stat -c %a /mnt/coh/H)" = 644 ]
step 4
got=$(stat -c '%a %s %Y' /mnt/coh/H 2>&1)
want=$(cat /expected/H.4)
# want is "mode 1 mtime"; the size becomes 5 + 3 = 8 bytes ("attr\nxx\n").
want="${want%% *} 8 ${want##* }"
echo "want '$want' got '$got'" >/tmp/h.out
if [ "$got" = "$want" ]; then
	ok "H: host chmod/append/touch: stat shows the new mode, size and mtime"
else
	not_ok "H: host chmod/append/touch: stat shows the new mode, size and mtime" /tmp/h.out
fi

section "append"
same "F before append" /mnt/coh/F /expected/F.1
step 5
same "F appended on the host: guest sees the longer content" /mnt/coh/F /expected/F.5

section "delete"
step 6
expect_fail "G deleted on the host: cat fails with ENOENT" "No such file" cat /mnt/coh/G

section "host rename and delete under an open file"
# open_step NAME N: open NAME, let the host do step N, then read the open
# file into /tmp/open-N.sum (in a subshell, so the file is surely closed).
open_step() {
	(exec 6<"$1" || exit 1
	 sync_host "$2" 60 || exit 1
	 cat <&6 | sha256sum >"/tmp/open-$2.sum") >/tmp/s.out 2>&1
	_rc=$?
	[ "$_rc" = 0 ] && [ ! -e "/ctl/fail-$2" ] && [ "$actimeo" -gt 0 ] &&
		sleep $((actimeo + 1))
	if [ "$_rc" = 0 ] && [ ! -e "/ctl/fail-$2" ]; then
		ok "host step $2 with $1 open"
	else
		not_ok "host step $2 with $1 open" /tmp/s.out
	fi
}
open_step /mnt/coh/K 7
got=$(cat /tmp/open-7.sum)
check "K renamed on the host while open: the open file still reads its bytes" \
	[ "${got%% *}" = "$(cat /expected/K.0)" ]
same "K2 (the new name) is visible with the same bytes" /mnt/coh/K2 /expected/K.0
expect_fail "K (the old name) is gone: ENOENT" "No such file" stat /mnt/coh/K
open_step /mnt/coh/L 8
got=$(cat /tmp/open-8.sum)
check "L deleted on the host while open: the open file still reads its bytes" \
	[ "${got%% *}" = "$(cat /expected/L.0)" ]
expect_fail "L is gone: ENOENT" "No such file" stat /mnt/coh/L
check "the mount stays usable: ls" ls /mnt/coh

section "RENAME_NOREPLACE over a name the host just created"
# The guest has just seen N missing (a fresh negative dentry in a caching
# mode); the host then creates N, and renameat2(M, N, RENAME_NOREPLACE)
# must fail with EEXIST, not replace the host's file.
echo guest >/mnt/coh/M
expect_fail "N does not exist yet" "No such file" stat /mnt/coh/N
if sync_host 9 60 >/tmp/s.out 2>&1; then
	ok "host step 9: the host creates N"
	/rename2 -n /mnt/coh/M /mnt/coh/N >/tmp/r2.out 2>&1
	# The in-kernel client refuses the flag outright (EINVAL).
	want=EEXIST
	v9x_only || want=EINVAL
	check "renameat2(M, N, RENAME_NOREPLACE) fails with $want" \
		grep -qx $want /tmp/r2.out
	check "N reads the host's data" [ "$(cat /mnt/coh/N)" = host ]
else
	not_ok "host step 9: the host creates N" /tmp/s.out
fi

section "append on the host under an open file (tail -f)"
# One fd reads P (5000 bytes) to its end: in a caching mode the folio that
# holds the end of file is cached, zero-filled past 5000. The host appends
# 3000 bytes; once stat shows the new size, the same fd must read them,
# not the zeros of that folio. The fd lives in a subshell only: a check's
# timeout helper must not inherit it and keep the mount busy.
(exec 7</mnt/coh/P || exit 1
 cat <&7 >/tmp/p.head || exit 1
 sync_host 10 60 || exit 1
 [ "$actimeo" -gt 0 ] && sleep $((actimeo + 1))
 stat -c %s /mnt/coh/P >/tmp/p.size || exit 1
 cat <&7 >/tmp/p.tail) >/tmp/s.out 2>&1
if [ $? = 0 ]; then
	ok "host step 10 with P open"
else
	not_ok "host step 10 with P open" /tmp/s.out
fi
got=$(sha256sum </tmp/p.head)
check "P: the open fd read the initial 5000 bytes" [ "${got%% *}" = "$(cat /expected/P.0)" ]
check "P: stat showed the appended size (8000)" [ "$(cat /tmp/p.size)" = 8000 ]
got=$(sha256sum </tmp/p.tail)
check "P: the same fd then read the host's 3000 appended bytes, no zeros" \
	sh -c "[ '${got%% *}' = '$(cat /expected/P.tail)' ] || { od -A d -c /tmp/p.tail | head -n 4; false; }"

section "O_CREAT without O_EXCL over a name the host just created"
# The guest has just seen OC missing in ocd (mode 1777, so uid 1000 may
# create there); the host then creates it, root-owned and 0600. An O_CREAT
# open of OC by uid 1000 opens the host's file, it
# creates nothing: it must be refused (EACCES), not truncate and write the
# host's file as if the guest had just created it.
expect_fail "OC does not exist yet" "No such file" stat /mnt/coh/ocd/OC
if sync_host 11 60 >/tmp/s.out 2>&1; then
	ok "host step 11: the host creates OC (root, 0600)"
	expect_fail "uid 1000: echo x >OC is refused" "Permission denied" \
		/runas 1000 1000 sh -c 'echo x >/mnt/coh/ocd/OC'
	check "OC still reads the host's data" [ "$(cat /mnt/coh/ocd/OC)" = secret ]
else
	not_ok "host step 11: the host creates OC (root, 0600)" /tmp/s.out
fi

section "host renames and deletes during a guest walk"
# The guest lists walk/ (with prefetch, in every mode, this fetches the
# entries' attributes ahead) and stats half of what it listed; the host
# then renames a40 to r40, deletes a41, replaces a42 by rename (777 bytes)
# and renames the directory d1 to d1r, and deletes a12, which was already
# stat'ed; the guest stats the rest. After the mode's actimeo (what v9x.rst
# promises) it must see exactly the host's tree: nothing fetched ahead may
# outlive that bound.
W=/mnt/coh/walk
pf0=0
v9x_only && pf0=$(stat_get prefetches)
# host_moves_seen TAG DIR OLD NEW GONE REPLACED SUB: what the host did to
# DIR is what the guest sees: OLD renamed to NEW (which reads "TAG" and
# OLD's number), GONE deleted, REPLACED replaced by rename (777 bytes), and
# the directory SUB renamed to SUBr.
host_moves_seen() {
	expect_fail "$1: $3, renamed on the host, is gone" "No such file" stat "$2/$3"
	check "$1: $4 is there" [ "$(cat "$2/$4")" = "$1 ${3#?}" ]
	expect_fail "$1: $5, deleted on the host, is gone" "No such file" stat "$2/$5"
	check "$1: $6, replaced by rename, has the new size" [ "$(stat -c %s "$2/$6")" = 777 ]
	expect_fail "$1: $7, renamed on the host, is gone" "No such file" ls "$2/$7"
	check "$1: ${7}r/inner reads" [ "$(cat "$2/${7}r/inner")" = inside ]
}
# prefetch_wait N: wait (up to 10 s) until debugfs prefetches is pf0 + N;
# sets pf1 to what it is then.
prefetch_wait() {
	_i=0
	while [ "$(stat_get prefetches)" -lt $((pf0 + $1)) ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	pf1=$(stat_get prefetches)
}
# Every mode prefetches by default (prefetch=256); without an actimeo what
# was fetched is checked again at its use. The first listing reads the
# entries only (busybox ls lstats each one, and a name it looks up before
# prefetch gets to it is known, so prefetch passes over it: 39 of 40 were
# fetched ahead once). Prefetch is given up to 10 s to fetch them.
/metabench readdir $W >/dev/null
if v9x_only; then
	prefetch_wait 40
	check "walk: the listing fetched entries ahead (prefetches $pf0 -> $pf1)" \
		[ "$pf1" -ge $((pf0 + 40)) ]
fi
ls $W >/tmp/w.list
check "walk: the guest lists 41 entries" [ "$(wc -l </tmp/w.list)" = 41 ]
for i in $(seq 10 29); do stat -c %s $W/a$i >/dev/null 2>&1 || echo "a$i"; done >/tmp/w.bad
check "walk: the first half stats (20 files)" [ ! -s /tmp/w.bad ]
if step 12; then
	host_moves_seen walk $W a40 r40 a41 a42 d1
	expect_fail "walk: a12 (stat'ed before) is gone" "No such file" stat $W/a12
	for i in $(seq 30 39) $(seq 43 49); do
		[ "$(cat $W/a$i 2>&1)" = "walk $i" ] || echo "a$i"
	done >/tmp/w.bad
	check "walk: the rest of the walk reads as before (17 files)" [ ! -s /tmp/w.bad ]
	ls $W >/tmp/w.list2
	{ seq 10 49 | sed 's/^/a/' | grep -vx -e a40 -e a41 -e a12; echo d1r; echo r40; } |
		sort >/tmp/w.want
	check "walk: a new listing is the host's (39 entries)" \
		sh -c 'sort /tmp/w.list2 | cmp - /tmp/w.want'
fi

section "a listed directory replaced on the host"
# In a caching mode the guest keeps a listed directory's opened fid for
# its next listing; a directory the host put in its place is listed anyway.
check "rd: initial entries" [ "$(ls /mnt/coh/rd | tr '\n' ' ')" = "orig " ]
check "rd: listed again" [ "$(ls /mnt/coh/rd | tr '\n' ' ')" = "orig " ]
if step 13; then
	check "rd: replaced by another directory on the host: ls shows the new one" \
		sh -c 'got=$(ls /mnt/coh/rd | tr "\n" " "); echo "got: $got"; [ "$got" = "fresh " ]'
	check "rd: and the old one under its new name" \
		sh -c 'got=$(ls /mnt/coh/rd.old | tr "\n" " "); echo "got: $got"; [ "$got" = "orig " ]'
fi

section "directories on the way replaced or made searchable on the host"
# Without an actimeo v9x checks the directories a path goes through
# together, while the walk goes on, and waits for the answers before the
# last component is used: a directory replaced on the host, or whose
# permission bits changed, sends the walk back to be done again (checking
# each directory first). uid 1000 may not search px (0700) until the host
# makes it 0755.
check "pw/mid/f: initial content" [ "$(cat /mnt/coh/pw/mid/f)" = old ]
expect_fail "uid 1000 may not search px (0700)" "Permission denied" \
	/runas 1000 1000 cat /mnt/coh/px/f
retries0=MISSING
v9x_only && retries0=$(stat_get path_retries)
if step 14; then
	check "pw/mid replaced on the host: cat pw/mid/f reads the new file" \
		sh -c 'got=$(cat /mnt/coh/pw/mid/f); echo "got: $got"; [ "$got" = new ]'
	check "px made 0755 on the host: uid 1000 reads px/f at once" \
		sh -c 'got=$(/runas 1000 1000 cat /mnt/coh/px/f 2>&1); echo "got: $got"; [ "$got" = inside ]'
	check "pw/mid.old/f is the old file" [ "$(cat /mnt/coh/pw/mid.old/f)" = old ]
	if v9x_only && [ "$actimeo" = 0 ]; then
		retries1=$(stat_get path_retries)
		check "each change sent its walk back (path_retries $retries0 -> $retries1)" \
			[ "$retries1" -ge $((retries0 + 2)) ]
	fi
fi

section "creates under directories changed on the host"
# mkdir, mknod, symlink and link walk again only when the create itself
# fails with ESTALE: a directory on the way that was replaced on the host,
# or whose permission bits changed, sends the create back to walk again
# (never "Stale file handle" to the user): the create lands in what the
# host has now, with its group, and a directory no longer searchable
# refuses it.
check "pc/sub1, pc/sub2, pc/sub3 and pe/w are known" \
	stat /mnt/coh/pc/sub1 /mnt/coh/pc/sub2 /mnt/coh/pc/sub3 /mnt/coh/pe/w
check "uid 1000 may create in pe/w (1777)" /runas 1000 1000 mkdir /mnt/coh/pe/w/before
check "uid 1000 may create in its pu/own" /runas 1000 1000 mkdir /mnt/coh/pu/own/before
check "uid 1000 owns pv" /runas 1000 1000 chmod 755 /mnt/coh/pv/.
check "uid 1000 reaches pa1/a/b, pa2/a/b, pa3/a/b" \
	/runas 1000 1000 stat /mnt/coh/pa1/a/b/. /mnt/coh/pa2/a/b/. /mnt/coh/pa3/a/b/.
if step 15; then
	check "pc/sub1 replaced on the host: mkdir pc/sub1/x" mkdir /mnt/coh/pc/sub1/x
	# (link, not ln: busybox ln stats the new name first, a walk that
	# does walk again.)
	check "pc/sub2 replaced on the host: link pc/hsrc pc/sub2/hl" \
		link /mnt/coh/pc/hsrc /mnt/coh/pc/sub2/hl
	# The new directory is setgid, group 1234: the new one takes its group.
	check "pc/sub3 replaced by a setgid directory of group 1234: mkdir pc/sub3/g is of group 1234" \
		sh -c 'mkdir /mnt/coh/pc/sub3/g && got=$(stat -c %g /mnt/coh/pc/sub3/g) && echo "got: $got" && [ "$got" = 1234 ]'
	expect_fail "pe made 0700 on the host: uid 1000 may not mkdir pe/w/x" \
		"Permission denied" /runas 1000 1000 mkdir /mnt/coh/pe/w/x
	# The directory created in replaced by root's 0755 one: the VFS's
	# own write check looked at uid 1000's old one.
	expect_fail "pu/own replaced by root's 0755 directory: uid 1000 may not mkdir pu/own/x" \
		"Permission denied" /runas 1000 1000 mkdir /mnt/coh/pu/own/x
	# A path ending in ".": utimensat (busybox touch -c: no stat first)
	# walks again, through root's 0700 pv.
	expect_fail "pv replaced by root's 0700 directory: uid 1000 may not touch pv/." \
		"Permission denied" /runas 1000 1000 touch -c /mnt/coh/pv/.
	# A path ending in "." whose directory above the last one became
	# root's 0700: each use waits for the check of every directory on
	# its way. (One pa per use: the first refusal's walk updates a.)
	expect_fail "pa1/a made 0700 on the host: uid 1000 may not touch pa1/a/b/." \
		"Permission denied" /runas 1000 1000 touch -c /mnt/coh/pa1/a/b/.
	expect_fail "pa2/a made 0700 on the host: uid 1000 may not cd pa2/a/b/." \
		"Permission denied" /runas 1000 1000 sh -c 'cd /mnt/coh/pa2/a/b/.'
	expect_fail "pa3/a made 0700 on the host: uid 1000 may not list pa3/a/b/." \
		"Permission denied" /runas 1000 1000 ls /mnt/coh/pa3/a/b/.
fi
section "host renames and deletes after a listing, before any stat"
# The guest only lists walk2/: with prefetch its names are looked up ahead
# (without an actimeo only walked, their fids kept for the lookups that
# follow). The host then renames b10 to s10, deletes b11, replaces b12 by
# rename (777 bytes) and renames the directory e1 to e1r; the guest's
# stats (after the mode's actimeo) must see exactly that.
W2=/mnt/coh/walk2
pw0=MISSING
if v9x_only; then
	pf0=$(stat_get prefetches)
	/metabench readdir $W2 >/dev/null
	prefetch_wait 11
	check "walk2: the listing looked its 11 entries up ahead (prefetches $pf0 -> $pf1)" \
		[ "$pf1" -ge $((pf0 + 11)) ]
	pw0=$(stat_get prefetch_walked)
else
	/metabench readdir $W2 >/dev/null
fi
if step 16; then
	host_moves_seen walk2 $W2 b10 s10 b11 b12 e1
	for i in $(seq 13 19); do
		[ "$(cat $W2/b$i 2>&1)" = "walk2 $i" ] || echo "b$i"
	done >/tmp/w.bad
	check "walk2: the others read as before (7 files)" [ ! -s /tmp/w.bad ]
	# Without an actimeo those lookups took the fids walked ahead (the
	# gone ones then walked again): at least b13-b19's.
	if [ "$pw0" != MISSING ] && [ "$actimeo" = 0 ]; then
		pw1=$(stat_get prefetch_walked)
		check "walk2: ... through the fids prefetch walked (prefetch_walked $pw0 -> $pw1)" \
			[ "$pw1" -ge $((pw0 + 7)) ]
	fi
fi

# A create whose name exists fails (EEXIST; mkdir -p meets it at every
# level) before any create operation waits for the checks its walk left
# in flight: they are judged then, not held (with their inodes and fids)
# until the task's next call.
if v9x_only && [ "$actimeo" = 0 ]; then
	held0=$(stat_get path_checks_held)
	expect_fail "mkdir of the existing pc/sub1 fails" "File exists" \
		mkdir /mnt/coh/pc/sub1
	held1=$(stat_get path_checks_held)
	check "... and holds none of its walk's checks (path_checks_held $held0 -> $held1)" \
		[ "$held1" -le "$held0" ]
fi

section "a remount: the new mount's inodes see the host's changes"
# The kernel reuses a freed inode's memory for the next inode of any
# mount: what the first mount left in it (here: 200 of its inodes marked
# changed in the guest, after which it refused server answers that might
# predate that change) must not hold back the next mount's updates.
chmod 600 /mnt/coh/re/f* 2>/tmp/re.out
check "re/: the guest made 200 files 0600" [ ! -s /tmp/re.out ]
check "umount /mnt for a remount" umount /mnt
sleep 1
mount_or_stop "mount data on /mnt again" /mnt
for i in 1 2 3 4 5 6 7 8; do stat -c "t$i %a %s" /mnt/coh/re/t$i; done >/tmp/re.0 2>&1
check "re/: the new mount sees t1-t8 as 644, 3 bytes" \
	sh -c 'cat /tmp/re.0; [ "$(grep -c " 644 3\$" /tmp/re.0)" = 8 ]'
if step 17; then
	for i in 1 2 3 4 5 6 7 8; do stat -c "t$i %a %s" /mnt/coh/re/t$i; done >/tmp/re.1 2>&1
	check "re/: host chmod 600 and append: the new mount's stats see 600, 7 bytes for t1-t8" \
		sh -c 'cat /tmp/re.1; [ "$(grep -c " 600 7\$" /tmp/re.1)" = 8 ]'
fi

check "umount /mnt" umount /mnt
if v9x_only; then
	umount /ctl
	rmmod_v9x "rmmod v9x at the end"
fi
done_tests
