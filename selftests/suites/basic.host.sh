# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "basic" suite (sourced by run.sh): fills the exported
# "data" directory with random files of awkward sizes, a 10,000-entry
# directory, a small directory with a file/dir/symlink, a 24-level deep path,
# files with known size/mode/nlink/mtime and symlinks, and writes the expected
# values (sha256 sums, sorted listings, stat lines, link targets) into the
# per-run cpio as /expected/*.  After the guest ran, checks that the share was
# not modified.

SUITE_TIMEOUT=900

suite_prep() {
	local data=$1 exp=$2 s d i p
	# Read correctness: random content, sizes around page and 1 MiB boundaries.
	mkdir -p "$data/files"
	for s in 0 1 4095 4096 4097 $((1048576 + 13)) $((67108864 + 1)); do
		head -c "$s" /dev/urandom >"$data/files/f$s"
	done
	(cd "$data/files" && sha256sum -- *) >"$exp/sums"

	# Listing: 10,000 entries, names of varying length (up to 200 bytes) so
	# that readdir replies are cut at many different places.
	mkdir -p "$data/big"
	awk 'BEGIN { pad = sprintf("%200s", ""); gsub(/ /, "x", pad);
		for (i = 0; i < 9997; i++) printf "e%05d-%s\n", i, substr(pad, 1, i % 190) }' \
		>"$exp/big.names"
	printf '%s\n' 'with space' 'unicode-ünïcødé-名前' '.hidden' >>"$exp/big.names"
	(cd "$data/big" && tr '\n' '\0' <"$exp/big.names" | xargs -0 touch)
	LC_ALL=C sort "$exp/big.names" >"$exp/big.list"
	# busybox ls (no locale support) prints each non-ASCII byte as '?'.
	LC_ALL=C tr '\200-\377' '?' <"$exp/big.names" | LC_ALL=C sort >"$exp/big.list.ls"
	rm "$exp/big.names"
	[ "$(wc -l <"$exp/big.list")" -eq 10000 ]

	# Types: a file, a directory and a symlink.
	mkdir -p "$data/small/dir"
	echo "small file" >"$data/small/file"
	ln -s file "$data/small/link"

	# Deep path: 24 nested directories.
	p=$data/deep
	for i in $(seq -w 1 24); do p=$p/d$i; done
	mkdir -p "$p"
	echo "the leaf at depth 24" >"$p/leaf"
	echo "${p#$data/}/leaf" >"$exp/deep.path"
	sha256sum <"$p/leaf" | cut -d' ' -f1 >"$exp/deep.sum"
	stat -c '%s %a %h %Y' "$p/leaf" >"$exp/deep.stat"

	# stat: size, mode, nlink, mtime.
	mkdir -p "$data/st"
	head -c 12345 /dev/urandom >"$data/st/a"
	chmod 640 "$data/st/a"
	ln "$data/st/a" "$data/st/a.hardlink"
	touch -d '2021-03-04 05:06:07 UTC' "$data/st/a"
	printf '#!/bin/sh\necho hi\n' >"$data/st/exe"
	chmod 755 "$data/st/exe"
	touch -d '1999-12-31 23:59:59 UTC' "$data/st/exe"
	: >"$data/st/ro"
	chmod 444 "$data/st/ro"
	touch -d '2038-01-19 03:14:08 UTC' "$data/st/ro"
	mkdir "$data/st/dir"
	chmod 750 "$data/st/dir"
	touch -d '2010-10-10 10:10:10 UTC' "$data/st/dir"
	for i in a a.hardlink exe ro dir; do
		echo "$i $(stat -c '%s %a %h %Y' "$data/st/$i")"
	done >"$exp/stat"

	# Symlinks: relative, absolute (resolved in the guest, where the share is
	# mounted on /mnt), to a directory, dangling.
	mkdir -p "$data/sl"
	echo "symlink target content" >"$data/sl/target"
	ln -s target "$data/sl/rel"
	ln -s /mnt/sl/target "$data/sl/abs"
	ln -s ../files/f4097 "$data/sl/up"
	ln -s ../small "$data/sl/dirlink"
	ln -s /nonexistent/dangling "$data/sl/dangling"
	for i in rel abs up dirlink dangling; do
		echo "$i $(readlink "$data/sl/$i")"
	done >"$exp/links"
	sha256sum <"$data/sl/target" | cut -d' ' -f1 >"$exp/target.sum"
	stat -c %s "$data/sl/target" >"$exp/target.size"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 out
	if out=$(cd "$data/files" && sha256sum -c --quiet "$exp/sums" 2>&1) &&
	   [ "$(ls -A "$data/big" | wc -l)" -eq 10000 ]; then
		t_ok "$prefix: host: the guest left the share unchanged"
	else
		t_fail "$prefix: host: the guest left the share unchanged" "$out"
	fi
	# The guest's numbered notes (as many as basic.guest.sh sends), sent
	# while it took signals; a note cut short does not count.
	local res=$data/../console.log.results notes=800
	out=$(tr -d '\r' <"$res" |
		sed -n "s/^V9XT: # harness line \([0-9]*\) of $notes \(abcdefghij\)\{15\}\$/\1/p" |
		awk -v n=$notes '$1 != NR && !bad { bad = "note " NR " is missing (the next one is " $1 ")" }
		     END { if (!bad && NR != n) bad = NR " of " n " notes arrived"
			   if (bad) { print bad; exit 1 } }' 2>&1)
	if [ $? = 0 ]; then
		t_ok "$prefix: host: the results channel lost none of $notes notes"
	else
		t_fail "$prefix: host: the results channel lost none of $notes notes" "$out"
	fi
}
