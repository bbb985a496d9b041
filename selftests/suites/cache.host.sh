# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "cache" suite (sourced by run.sh): the guest mounts the
# share in each cache mode and checks what each promises; the host checks,
# while the guest is still running, that data written through the page
# cache (buffered writes, shared mappings) is on its side after close,
# fsync or msync, and changes files under the guest's cached names.

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

suite_prep() {
	local data=$1 exp=$2 x="$1/../host-extra"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/mmapw" "$exp/../mmapw"
	mkdir -p "$data/c" "$x"
	head -c $((16 << 20)) /dev/urandom >"$data/c/big"
	sha256sum <"$data/c/big" | cut -d' ' -f1 >"$exp/big.sum"
	head -c 20000 /dev/urandom >"$data/c/rep"
	head -c 30000 /dev/urandom >"$x/rep.new"
	sha256sum <"$x/rep.new" | cut -d' ' -f1 >"$exp/rep.new.sum"
	head -c 40000 /dev/urandom >"$data/c/inplace"
	head -c 50000 /dev/urandom >"$x/inplace.new"
	sha256sum <"$x/inplace.new" | cut -d' ' -f1 >"$exp/inplace.new.sum"
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
	*) return 1 ;;
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
}
