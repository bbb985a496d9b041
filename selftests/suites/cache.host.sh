# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "cache" suite (sourced by run.sh): the guest mounts the
# share in each cache mode and checks what each promises; the host checks,
# while the guest is still running, that data written through the page
# cache (buffered writes, shared mappings) is on its side after close,
# fsync or msync, and changes files under the guest's cached names. In every
# mode the guest then runs progs/journal.c (sqlite-style journals, mapped
# writes) and extracts a tar of 800 files, which the host compares with its
# own copy before the guest deletes them again.

SUITE_TIMEOUT=600

# The pattern progs/mmapw.c writes: byte i is (seed + 7 i) & 0xff.
_pattern_ok() {
	python3 - "$@" <<'PY'
import sys
path, off, length, seed = sys.argv[1], *map(int, sys.argv[2:5])
with open(path, 'rb') as f:
    f.seek(off)
    got = f.read(length)
want = bytes((seed + 7 * i) & 0xff for i in range(length))
sys.exit(0 if got == want else 1)
PY
}

# The modes the guest runs journal.c and the tar extraction in, one host
# step each (8, 9, ...), in this order.
_journal_modes="none readahead mmap loose"

# _journal_check DATA X MODE: the guest's j-MODE equals the host's reference.
_journal_check() {
	local d="$1/c/j-$3" x=$2
	cmp "$x/ref/db" "$d/db" || return 1
	if [ "$3" = none ]; then
		[ ! -e "$d/mm" ] || { echo "mm exists: cache=none refuses shared writable mmap"; return 1; }
	else
		cmp "$x/ref/mm" "$d/mm" || return 1
	fi
	for f in mm-gone db-journal; do
		[ ! -e "$d/$f" ] || { echo "$d/$f was unlinked in the guest"; return 1; }
	done
	diff -r "$x/tree" "$d/tree"
}

suite_prep() {
	local data=$1 exp=$2 x="$1/../host-extra" progs
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/mmapw" "$exp/../mmapw"
	cp "$progs/journal" "$exp/../journal"
	mkdir -p "$data/c" "$x"
	head -c $((16 << 20)) /dev/urandom >"$data/c/big"
	sha256sum <"$data/c/big" | cut -d' ' -f1 >"$exp/big.sum"
	head -c 20000 /dev/urandom >"$data/c/rep"
	head -c 30000 /dev/urandom >"$x/rep.new"
	sha256sum <"$x/rep.new" | cut -d' ' -f1 >"$exp/rep.new.sum"
	head -c 40000 /dev/urandom >"$data/c/inplace"
	head -c 50000 /dev/urandom >"$x/inplace.new"
	sha256sum <"$x/inplace.new" | cut -d' ' -f1 >"$exp/inplace.new.sum"
	# journal.c's reference output, from the host's own filesystem.
	mkdir -p "$x/ref"
	echo "read only" >"$x/ref/ro"
	"$progs/journal" "$x/ref" 20 "$x/ref/ro" || return 1
	# 800 small files in 20 directories, as a tar the guest extracts.
	python3 - "$x/tree" <<'PY' || return 1
import os, sys
for d in range(20):
    os.makedirs(f"{sys.argv[1]}/d{d:02}")
    for f in range(40):
        with open(f"{sys.argv[1]}/d{d:02}/f{f:02}", "wb") as fh:
            fh.write(os.urandom((d * 40 + f) * 37 % 6000))
PY
	tar -cf "$x/tree.tar" -C "$x" tree || return 1
	# One copy per mode, each with an atime older than a day: the guest's
	# first read updates it (relatime) before the server's read does.
	local m
	for m in $_journal_modes; do
		cp "$x/tree.tar" "$data/c/tree-$m.tar" &&
		echo "read only" >"$data/c/ro-$m" &&
		touch -a -d '2001-01-01 00:00:00 UTC' "$data/c/ro-$m" "$data/c/tree-$m.tar" ||
		return 1
	done
}

# Each step leaves its verdict in ctl/result-N for the guest to check.
suite_step() {
	local n=$1 data=$2 x="$2/../host-extra" ctl="$2/../ctl" r
	case $n in
	1) sha256sum <"$data/c/buf" | cut -d' ' -f1 >"$ctl/result-1" ;;
	2) if _pattern_ok "$data/c/m-loose" 12345 100000 7; then r=ok; else r=bad; fi
	   echo $r >"$ctl/result-2" ;;
	3) if _pattern_ok "$data/c/m-loose" 200000 5000 9; then r=ok; else r=bad; fi
	   echo $r >"$ctl/result-3" ;;
	4) cp "$x/rep.new" "$data/c/.rep.tmp" && mv "$data/c/.rep.tmp" "$data/c/rep" ;;
	5) cat "$x/inplace.new" >"$data/c/inplace" ;;
	6) if _pattern_ok "$data/c/m-mmap" 4096 8192 3; then r=ok; else r=bad; fi
	   echo $r >"$ctl/result-6" ;;
	7) if _pattern_ok "$data/c/m-ra" 1 70000 5; then r=ok; else r=bad; fi
	   echo $r >"$ctl/result-7" ;;
	*) local m i=8
	   for m in $_journal_modes; do
		   if [ "$n" = $i ]; then
			   if _journal_check "$data" "$x" "$m" >"$ctl/detail-$n" 2>&1; then
				   r=ok
			   else
				   r=bad
			   fi
			   echo $r >"$ctl/result-$n"
			   return 0
		   fi
		   i=$((i + 1))
	   done
	   return 1 ;;
	esac
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3
	if same_sum "$data/c/buf" "$data/c/buf.sum" >/dev/null; then
		t_ok "$prefix: host: the buffered cache=loose file equals what the guest wrote"
	else
		t_fail "$prefix: host: the buffered cache=loose file equals what the guest wrote" \
			"$(ls -l "$data/c" 2>&1)"
	fi
	local m
	for m in $_journal_modes; do
		t_check "$prefix: host: cache=$m: the guest's db is the reference's" \
			cmp "$1/../host-extra/ref/db" "$data/c/j-$m/db"
		t_check "$prefix: host: cache=$m: the guest's rm -rf removed the 800 files" \
			test ! -e "$data/c/j-$m/tree"
	done
}
