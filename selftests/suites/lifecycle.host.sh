# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "lifecycle" suite: concurrency and lifecycle races.
# Three extra devices: data2 (a second share under load at the same time),
# slow (throttled, to keep I/O in flight) and data3 (moved between v9x and
# the in-kernel client). The host checks the churned directories at the end.

SUITE_TIMEOUT=900

suite_prep() {
	local data=$1 exp=$2 w=$1/.. progs
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/churn" "$exp/../churn"
	mkdir -p "$data/churn" "$w/data2/churn" "$w/slow" "$w/data3"
	head -c 64000000 /dev/zero >"$w/slow/big"
	echo moved >"$w/data3/file"
	mkdir -p "$w/data2/walk"
	(cd "$w/data2/walk" && for d in $(seq 0 9); do
		mkdir "d$d" && (cd "d$d" && touch $(seq -f "f%04g" 0 999))
	done)
}

# QEMU arguments (set in the harness, not in the prep subshell).
suite_args() {
	local w=$1/..
	SUITE_QEMU_ARGS=(
		-virtfs "local,path=$w/data2,mount_tag=data2,security_model=none,id=data2"
		-fsdev "local,id=slowfs,path=$w/slow,security_model=none,throttling.bps-total=2000000"
		-device "virtio-9p-pci,fsdev=slowfs,mount_tag=slow"
		-virtfs "local,path=$w/data3,mount_tag=data3,security_model=none,id=data3")
}

# _check_churned DIR: every regular file left is a complete, self-checking
# churn file (see progs/churn.c).
_check_churned() {
	python3 - "$1" <<'PY'
import os, struct, sys
d, bad, n = sys.argv[1], [], 0
for name in os.listdir(d):
    p = os.path.join(d, name)
    if not os.path.isfile(p) or os.path.islink(p):
        continue
    b = open(p, "rb").read()
    n += 1
    ok = len(b) >= 12 and b[:4] == b"V9XC"
    if ok:
        length, seed = struct.unpack("<II", b[4:12])
        ok = length == len(b) - 12 and all(
            b[12 + i] == (seed + i * 7) & 0xff for i in range(length))
    if not ok:
        bad.append(name)
print("%d files, bad: %s" % (n, bad))
sys.exit(1 if bad else 0)
PY
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 w=$1/..
	t_check "$prefix: host: every file left by the 8-process churn is complete" \
		_check_churned "$data/churn"
	t_check "$prefix: host: every file left by the two-mount churn is complete" \
		_check_churned "$w/data2/churn"
	t_check "$prefix: host: no temporary file left behind" \
		bash -c "! ls -A '$data/churn' '$w/data2/churn' | grep -q '^\.tmp'"
}
