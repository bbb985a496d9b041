#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: v9x against the in-kernel 9p client, side by side in one TCG
# guest on the same host directory (exported twice: tag "v9x" for v9x at
# msize 4 MiB, tag "p9" for 9pnet_virtio at its virtio cap, msize 512000,
# cache=none), plus guest tmpfs as the ceiling for streaming. Every number
# is the median of V9X_BENCH_RUNS (default 3) runs; what matters is the
# ratio, measured in the same boot. A benchmark, not a test: it prints a
# table and never fails on a number.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs=${V9X_BENCH_RUNS:-3}
# Metadata workloads cost milliseconds per request under TCG; the defaults
# keep a run near 10 minutes. V9X_BENCH_FILES=5000 V9X_BENCH_TREES=2 gives
# the full-size workloads (5,000 files, ~20,000-entry tree).
files=${V9X_BENCH_FILES:-1000}
trees=${V9X_BENCH_TREES:-1}
kver=${V9X_BENCH_KERNEL:-$(V9X_KERNELS=6.1 v9x_kernels | head -n 1)}
w=$(mktemp -d /tmp/v9x-bench.XXXXXX)
share=$w/share
stage=$w/stage
mkdir -p "$share/tree" "$share/dir" "$stage"

bash "$V9X_SELFTESTS/deps.sh" >/dev/null || exit 1
make -s -C "/lib/modules/$kver/build" M="$V9X_REPO" modules >/dev/null 2>&1 ||
	die "build failed"
cp "$V9X_REPO/v9x.ko" "$stage/v9x.ko"
cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/metabench" "$stage/metabench"

log "preparing the share (256 MiB file, header tree(s), 10,000-entry directory)"
head -c $((256 << 20)) /dev/urandom >"$share/big"
for h in $(ls -d /usr/src/linux-headers-6.1.*-common /usr/src/linux-headers-6.12.*-common 2>/dev/null | head -n "$trees"); do
	cp -a "$h" "$share/tree/"
done
tree_n=$(find "$share/tree" -mindepth 1 | wc -l)
(cd "$share/dir" && seq 1 10000 | sed 's/^/e/' | xargs touch)

cat >"$stage/test.sh" <<GUEST
#!/bin/sh
export PATH=/bin
insmod /v9x.ko tags=v9x
for m in \$(cat /modules/9p.order); do insmod /modules/\$m.ko; done
mkdir -p /a /b /t
mount -t v9x -o msize=4194304 v9x /a || exit 1
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none p9 /b || exit 1
mount -t tmpfs -o size=600m tmpfs /t
mkdir -p /a/w /b/w /t/w
cp /a/big /t/big
grep -E ' /a | /b ' /proc/mounts
B() { echo "BENCH \$1 \$2 \$3 \$(\$4)"; }
for r in \$(seq 1 $runs); do
	for c in a b t; do
		B "seq-read-4M" \$c \$r "/metabench seqread /\$c/big 4194304"
		B "seq-read-1M" \$c \$r "/metabench seqread /\$c/big 1048576"
	done
	for c in a b t; do
		B "seq-write-256M-4M+fsync" \$c \$r "/metabench seqwrite /\$c/w/out 256 4194304"
		rm -f /\$c/w/out
	done
	for c in a b; do
		B "randread-4k-direct-IOPS" \$c \$r "/metabench randread /\$c/big 2000"
		mkdir -p /\$c/w/m\$r
		B "create+stat+unlink-files/s" \$c \$r "/metabench create /\$c/w/m\$r $files"
		B "stat-walk-entries/s" \$c \$r "/metabench walk /\$c/tree"
		B "readdir-10k-entries/s" \$c \$r "/metabench readdir /\$c/dir"
	done
done
umount /a /b
GUEST

log "booting $kver (2 GiB guest); this takes several minutes under TCG"
V9X_MEM=2G vm_boot -q -k "$kver" -d "$stage" -l "$w/console.log" -t 3600 \
	-x "$share:v9x" -x "$share:p9"
grep '^BENCH ' "$w/console.log" | tr -d '\r' >"$w/bench.txt"
python3 - "$w/bench.txt" "$runs" "$kver" "$files" "$tree_n" <<'PY'
import statistics, sys
rows, runs, kver = {}, int(sys.argv[2]), sys.argv[3]
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 5:
        continue	# a failed measurement prints no value
    _, work, client, run, val = parts[:5]
    rows.setdefault(work, {}).setdefault(client, []).append(float(val))
print("v9x vs in-kernel 9p, Debian %s guest under TCG, median of %d runs" % (kver, runs))
print("(%s files created, %s-entry tree walked cold-ish, 10,000-entry readdir)" % (sys.argv[4], sys.argv[5]))
print("%-28s %12s %12s %12s %8s" % ("workload", "v9x", "9p", "tmpfs", "v9x/9p"))
for work, c in rows.items():
    med = {k: statistics.median(v) for k, v in c.items()}
    a, b = med.get("a"), med.get("b")
    ratio = "%.2fx" % (a / b) if a and b else "-"
    print("%-28s %12.1f %12.1f %12s %8s" % (work, a or 0, b or 0,
          "%.1f" % med["t"] if "t" in med else "-", ratio))
PY
log "raw numbers and console: $w"
