# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "coherence" suite (sourced by run.sh): the guest reads
# something, asks the host (over the ctl share) to change it, and must then
# see the host's change.  suite_step N performs host mutation N; the new
# contents are generated at prep time so their sha256 sums can go into
# /expected.

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2 x="$1/../host-extra" progs
	mkdir -p "$data/coh/dir" "$x"
	# 1: F rewritten in place (same inode), content and size change.
	head -c 5000 /dev/urandom >"$data/coh/F"
	head -c 123457 /dev/urandom >"$x/F.B"
	# 2: G replaced by rename (new inode).
	head -c 70000 /dev/urandom >"$data/coh/G"
	head -c 3000 /dev/urandom >"$x/G.C"
	# 3: directory entries appear and disappear.
	touch "$data/coh/dir/old-entry" "$data/coh/dir/stays"
	# 13: a directory the guest listed is replaced by another one.
	mkdir -p "$data/coh/rd" && touch "$data/coh/rd/orig"
	# 4: attributes change.
	echo attr >"$data/coh/H"
	chmod 644 "$data/coh/H"
	touch -d '2020-01-01 00:00:00 UTC' "$data/coh/H"
	# 7, 8: K renamed and L deleted on the host while open in the guest.
	head -c 30000 /dev/urandom >"$data/coh/K"
	head -c 40000 /dev/urandom >"$data/coh/L"
	sha256sum <"$data/coh/K" | cut -d' ' -f1 >"$exp/K.0"
	sha256sum <"$data/coh/L" | cut -d' ' -f1 >"$exp/L.0"
	# 5: F grows by appending (already-cached pages stay valid, size grows).
	head -c 100000 /dev/urandom >"$x/F.tail"
	cat "$x/F.B" "$x/F.tail" >"$x/F.B+tail"
	for f in "$data/coh/F" "$data/coh/G"; do sha256sum <"$f" | cut -d' ' -f1 >"$exp/$(basename "$f").0"; done
	sha256sum <"$x/F.B" | cut -d' ' -f1 >"$exp/F.1"
	sha256sum <"$x/G.C" | cut -d' ' -f1 >"$exp/G.2"
	sha256sum <"$x/F.B+tail" | cut -d' ' -f1 >"$exp/F.5"
	echo "600 1 $(date -d '2022-02-22 22:22:22 UTC' +%s)" >"$exp/H.4"
	stat -c '%s' "$x/F.B" >"$exp/F.1.size"
	# 10: P grows on the host while the guest holds it open (tail -f).
	head -c 5000 /dev/urandom >"$data/coh/P"
	head -c 3000 /dev/urandom >"$x/P.tail"
	sha256sum <"$data/coh/P" | cut -d' ' -f1 >"$exp/P.0"
	sha256sum <"$x/P.tail" | cut -d' ' -f1 >"$exp/P.tail"
	# 9: N appears on the host while the guest has a fresh negative dentry.
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/rename2" "$exp/../rename2"
	cp "$progs/runas" "$exp/../runas"
	cp "$progs/metabench" "$exp/../metabench"
	# 11: OC appears in ocd, where uid 1000 may create, after a lookup.
	mkdir -p "$data/coh/ocd" && chmod 1777 "$data/coh/ocd"
	# 12: renames and deletes on the host in the middle of a guest walk.
	mkdir -p "$data/coh/walk/d1"
	for i in $(seq 10 49); do echo "walk $i" >"$data/coh/walk/a$i"; done
	echo inside >"$data/coh/walk/d1/inner"
	head -c 777 /dev/urandom >"$x/a30.new"
	# 16: renames and deletes on the host after a guest listing that
	# stated nothing (what prefetch walked ahead is not used yet).
	mkdir -p "$data/coh/walk2/e1"
	for i in $(seq 10 19); do echo "walk2 $i" >"$data/coh/walk2/b$i"; done
	echo inside >"$data/coh/walk2/e1/inner"
	# 17: after a remount, files the new mount stat'ed change on the host
	# (the first mount changed 200 others in the guest first).
	mkdir -p "$data/coh/re"
	for i in $(seq 1 200); do : >"$data/coh/re/f$i"; done
	for i in 1 2 3 4 5 6 7 8; do echo t0 >"$data/coh/re/t$i"; done
	chmod 644 "$data/coh/re"/*
	# 14: a directory on the way replaced, and one made searchable.
	mkdir -p "$data/coh/pw/mid" "$data/coh/px"
	echo old >"$data/coh/pw/mid/f"
	echo inside >"$data/coh/px/f"
	chmod 700 "$data/coh/px"
	# 15: directories on the way of a create replaced, and one made 0700.
	mkdir -p "$data/coh/pc/sub1" "$data/coh/pc/sub2" "$data/coh/pc/sub3" "$data/coh/pe/w"
	chmod 1777 "$data/coh/pe/w"
	echo src >"$data/coh/pc/hsrc"
	mkdir -p "$data/coh/pu/own" "$data/coh/pv"
	chown 1000:1000 "$data/coh/pu/own" "$data/coh/pv"
	for i in 1 2 3; do
		mkdir -p "$data/coh/pa$i/a/b"
		chown 1000:1000 "$data/coh/pa$i/a/b"
	done
}

suite_step() {
	local n=$1 data=$2 x="$2/../host-extra"
	case $n in
	1) cat "$x/F.B" >"$data/coh/F" ;;		# in place: O_TRUNC + write
	2) cp "$x/G.C" "$data/coh/.G.tmp" && mv "$data/coh/.G.tmp" "$data/coh/G" ;;
	3) rm "$data/coh/dir/old-entry" && touch "$data/coh/dir/new-entry" ;;
	4) chmod 600 "$data/coh/H" && echo xx >>"$data/coh/H" &&
	   touch -d '2022-02-22 22:22:22 UTC' "$data/coh/H" ;;
	5) cat "$x/F.tail" >>"$data/coh/F" ;;
	6) rm "$data/coh/G" ;;
	7) mv "$data/coh/K" "$data/coh/K2" ;;
	8) rm "$data/coh/L" ;;
	9) echo host >"$data/coh/N" ;;
	10) cat "$x/P.tail" >>"$data/coh/P" ;;
	11) (umask 077 && echo secret >"$data/coh/ocd/OC") ;;
	12) mv "$data/coh/walk/a40" "$data/coh/walk/r40" &&
	    rm "$data/coh/walk/a41" &&
	    cp "$x/a30.new" "$data/coh/walk/.a42" &&
	    mv "$data/coh/walk/.a42" "$data/coh/walk/a42" &&
	    mv "$data/coh/walk/d1" "$data/coh/walk/d1r" &&
	    rm "$data/coh/walk/a12" ;;
	13) mv "$data/coh/rd" "$data/coh/rd.old" && mkdir "$data/coh/rd" &&
	    touch "$data/coh/rd/fresh" ;;
	14) mv "$data/coh/pw/mid" "$data/coh/pw/mid.old" && mkdir "$data/coh/pw/mid" &&
	    echo new >"$data/coh/pw/mid/f" && chmod 755 "$data/coh/px" ;;
	15) mv "$data/coh/pc/sub1" "$data/coh/pc/sub1.old" && mkdir "$data/coh/pc/sub1" &&
	    mv "$data/coh/pc/sub2" "$data/coh/pc/sub2.old" && mkdir "$data/coh/pc/sub2" &&
	    mv "$data/coh/pc/sub3" "$data/coh/pc/sub3.old" && mkdir "$data/coh/pc/sub3" &&
	    chgrp 1234 "$data/coh/pc/sub3" && chmod 2775 "$data/coh/pc/sub3" &&
	    chmod 700 "$data/coh/pe" &&
	    mv "$data/coh/pu/own" "$data/coh/pu/own.old" && mkdir "$data/coh/pu/own" &&
	    mv "$data/coh/pv" "$data/coh/pv.old" && mkdir -m 700 "$data/coh/pv" &&
	    touch -d '2001-01-01 00:00:00 UTC' "$data/coh/pv" &&
	    touch -d '2001-01-01 00:00:00 UTC' "$data/coh/pa1/a/b" &&
	    chmod 700 "$data/coh/pa1/a" "$data/coh/pa2/a" "$data/coh/pa3/a" ;;
	16) mv "$data/coh/walk2/b10" "$data/coh/walk2/s10" &&
	    rm "$data/coh/walk2/b11" &&
	    cp "$x/a30.new" "$data/coh/walk2/.b12" &&
	    mv "$data/coh/walk2/.b12" "$data/coh/walk2/b12" &&
	    mv "$data/coh/walk2/e1" "$data/coh/walk2/e1r" ;;
	17) for i in 1 2 3 4 5 6 7 8; do
		chmod 600 "$data/coh/re/t$i" && echo t17 >>"$data/coh/re/t$i" || return 1
	    done ;;
	*) return 1 ;;
	esac
}

suite_verify() {
	local data=$1 prefix=$3
	t_check "$prefix: host: RENAME_NOREPLACE left the host's N as it was" \
		bash -c "[ \"\$(cat '$data/coh/N')\" = host ]"
	t_check "$prefix: host: uid 1000's O_CREAT open left the host's OC as it was" \
		bash -c "[ \"\$(cat '$data/coh/ocd/OC')\" = secret ]"
	t_check "$prefix: host: and the guest's M was not moved" \
		bash -c "[ \"\$(cat '$data/coh/M')\" = guest ]"
	if [ -e "$data/coh/pc/sub1.old" ]; then
		t_check "$prefix: host: the guest's mkdir landed in the new pc/sub1" \
			test -d "$data/coh/pc/sub1/x" -a ! -e "$data/coh/pc/sub1.old/x"
		t_check "$prefix: host: and its hard link in the new pc/sub2" \
			test "$data/coh/pc/sub2/hl" -ef "$data/coh/pc/hsrc" -a ! -e "$data/coh/pc/sub2.old/hl"
		t_check "$prefix: host: the mkdir in the new setgid pc/sub3 has its group 1234" \
			test "$(stat -c %g "$data/coh/pc/sub3/g" 2>&1)" = 1234 -a ! -e "$data/coh/pc/sub3.old/g"
		t_check "$prefix: host: uid 1000 made nothing in pe/w after pe became 0700" \
			test -d "$data/coh/pe/w/before" -a ! -e "$data/coh/pe/w/x"
		t_check "$prefix: host: nor in root's new pu/own" \
			test -d "$data/coh/pu/own.old/before" -a ! -e "$data/coh/pu/own/x"
		t_check "$prefix: host: root's new pv kept its 2001 mtime" \
			test "$(date -u -r "$data/coh/pv" +%Y)" = 2001
		t_check "$prefix: host: pa1/a/b behind root's 0700 pa1/a kept its 2001 mtime" \
			test "$(date -u -r "$data/coh/pa1/a/b" +%Y)" = 2001
	fi
}
