# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "pressure" suite: a 256 MiB guest runs msize-4-MiB I/O
# from four processes on two v9x mounts (tag "data" with cache=none, tag
# "lo" with cache=loose, so page-cache writeback runs under pressure too)
# while a memory hog keeps MemAvailable low. Every copy must complete and
# arrive intact on the host: no allocation failure may wedge I/O or lose a
# request.

SUITE_TIMEOUT=600
SUITE_MEM=256M

suite_prep() {
	local data=$1 exp=$2 lo=$1/../lo
	mkdir -p "$lo"
	head -c $((24 << 20)) /dev/urandom >"$data/r1"
	head -c $((24 << 20)) /dev/urandom >"$data/r2"
	sha256sum <"$data/r1" | cut -d' ' -f1 >"$exp/r1.sha"
	sha256sum <"$data/r2" | cut -d' ' -f1 >"$exp/r2.sha"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/hog" "$exp/../hog"
}

# QEMU arguments (set in the harness, not in the prep subshell).
suite_args() {
	local lo=$1/../lo
	SUITE_QEMU_ARGS=(-virtfs "local,path=$lo,mount_tag=lo,security_model=none,id=lo")
}

# The copies the guest made, checked on the host's side of both shares.
suite_verify() {
	local data=$1 exp=$2 prefix=$3 lo=$1/../lo f want got
	for f in data/c1 data/c2 lo/c3 lo/c4; do
		case $f in
		*1|*3) want=$(cat "$exp/r1.sha") ;;
		*) want=$(cat "$exp/r2.sha") ;;
		esac
		got=$(sha256sum <"$data/../$f" 2>/dev/null | cut -d' ' -f1)
		t_check "$prefix: host: $f written under memory pressure is intact" \
			test "$want" = "$got"
	done
}
