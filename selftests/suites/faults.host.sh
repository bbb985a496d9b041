# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "faults" suites' shared setup. "faults" covers a hostile
# device (malformed replies injected by v9x's fault_mode/fault_count module
# parameters), SIGKILL of a process blocked on a slow (throttled) device,
# and device removal with I/O in flight. The slow device is a second
# virtio-9p device, tag "slow", throttled to 2 MB/s by QEMU.

SUITE_TIMEOUT=600
SUITE_KO=testing	# fault_* parameters and KUnit are only in the testing build

suite_prep() {
	local data=$1 exp=$2 slow=$1/../slow
	mkdir -p "$slow"
	head -c 1000000 /dev/urandom >"$data/f"
	sha256sum <"$data/f" | cut -d' ' -f1 >"$exp/f.sha"
	head -c 64000000 /dev/zero >"$slow/big"
	mkdir -p "$data/dir"
	(cd "$data/dir" && for i in $(seq 1 300); do : >"entry-$i"; done)
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/sigio" "$exp/../sigio"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/locks" "$exp/../locks"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/mmapw" "$exp/../mmapw"
	: >"$data/lockf"
	echo small >"$slow/small"
	head -c 65536 /dev/zero | tr '\0' A >"$data/hold-r"
	head -c 65536 /dev/zero | tr '\0' A >"$data/hold-w"
	head -c 16384 /dev/urandom >"$data/trunc-m"
}

# QEMU arguments (set in the harness, not in the prep subshell).
suite_args() {
	local slow=$1/../slow
	SUITE_QEMU_ARGS=(-fsdev "local,id=slowfs,path=$slow,security_model=none,throttling.bps-total=2000000"
			 -device "virtio-9p-pci,fsdev=slowfs,mount_tag=slow")
}

# The file a handled SIGINT interrupted holds what write(2) said it wrote.
suite_verify() {
	local data=$1 prefix=$3 want got
	want=$(cat "$data/../ctl/wint.size" 2>/dev/null)
	got=$(stat -c %s "$data/../slow/wint" 2>/dev/null)
	t_check "$prefix: host: the SIGINT-interrupted file holds what write(2) reported ($got bytes)" \
		test -n "$want" -a "$want" = "$got"
	t_check "$prefix: host: a killed reader's late Tread did not undo the mmap overwrite that followed (hold-r)" \
		python3 -c "import sys; d=open('$data/hold-r','rb').read(); sys.exit(0 if d==bytes((5+i*7)&255 for i in range(65536)) else 1)"
	t_check "$prefix: host: a killed fsync's late Twrite did not re-extend the file truncated after it (hold-w empty)" \
		test "$(stat -c %s "$data/hold-w" 2>/dev/null)" = 0
	t_check "$prefix: host: a page dirtied through a mapping during the truncation did not extend trunc-m again" \
		test "$(stat -c %s "$data/trunc-m" 2>/dev/null)" = 0
}
