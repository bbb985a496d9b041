#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: v9x against the in-kernel 9p client and virtiofs, side by side
# in one TCG guest on the same host directory, exported once per client:
# tags "v9x", "v9xr", "v9xm" and "v9xl" (v9x with cache=none, readahead, mmap
# and loose) at msize 4 MiB, "p9" and "p9l" for 9pnet_virtio (cache=none and
# cache=loose, msize 512000, its virtio cap), and "vfs" and "vfsp" for
# virtiofs through the Rust virtiofsd of Debian 13 (from the chroot of
# scripts/trixie.sh; --cache=auto, the first with its default of no thread
# pool, the second with a pool of V9X_BENCH_VFS_POOL threads); plus guest
# tmpfs as the ceiling. Streaming workloads run on the v9x none/loose, 9p,
# virtiofs and tmpfs mounts; metadata workloads (create+stat+unlink, stat
# walks, readdir, untar of a headers tree, find+stat cold and warm, lstat of
# a known file list as `git status` does, rm -rf) on every mount. Every
# number is the median of V9X_BENCH_RUNS (default 3) runs; what matters is
# the ratio, measured in the same boot. Beside each rate: v9x's 9P requests
# per operation (debugfs), the guest CPU per operation, and the host's CPU
# by thread (scripts/hostcpu.py: QEMU's vCPUs, its main loop, its 9p
# workers, virtiofsd), per operation for the metadata rows and per GiB for
# the streaming ones. A benchmark, not
# a test: it prints a table (also written as markdown next to the raw
# numbers), draws the rates normalised to 9p cache=none as an SVG chart
# (gnuplot), and never fails on a number.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"

runs=${V9X_BENCH_RUNS:-3}
# Metadata workloads cost milliseconds per request under TCG.
# V9X_BENCH_FILES=5000 V9X_BENCH_TREES=2 gives the full-size create and walk
# workloads (5,000 files, ~20,000-entry tree). The untar workload unpacks
# V9X_BENCH_UNTAR (a path inside Debian's 6.1 headers tree; default: all of
# it, ~9,950 entries) into the share.
files=${V9X_BENCH_FILES:-1000}
trees=${V9X_BENCH_TREES:-1}
untar=${V9X_BENCH_UNTAR:-.}
pool=${V9X_BENCH_VFS_POOL:-8}
kver=${V9X_BENCH_KERNEL:-$(V9X_KERNELS=6.1 v9x_kernels | head -n 1)}
w=$(mktemp -d /tmp/v9x-bench.XXXXXX)
share=$w/share
stage=$w/stage
mkdir -p "$share/tree" "$share/dir" "$stage"

bash "$V9X_SCRIPTS/deps.sh" >/dev/null || exit 1
command -v gnuplot >/dev/null ||
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null ||
	log "gnuplot-nox did not install: no chart"
make -s -C "/lib/modules/$kver/build" M="$V9X_REPO" modules >/dev/null 2>&1 ||
	die "build failed"
cp "$V9X_REPO/v9x.ko" "$stage/v9x.ko"
cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/metabench" "$stage/metabench"
# virtiofs: the guest's fuse and virtiofs modules, and the Rust virtiofsd
# of Debian 13 (QEMU 7.2's C virtiofsd is deprecated, and gone from QEMU 8).
vfs_mods=$(module_order "$kver" virtiofs)
for m in $vfs_mods; do
	_copy_module "$kver" "$m" "$stage" || die "module $m for $kver"
done
troot=$(bash "$V9X_SCRIPTS/trixie.sh" kernels) || die "Debian 13 chroot (scripts/trixie.sh kernels)"
[ -x "$troot/usr/libexec/virtiofsd" ] || die "no virtiofsd in $troot"
vfs_version=$(chroot "$troot" /usr/libexec/virtiofsd --version 2>/dev/null | head -n 1)

log "preparing the share (256 MiB file, header tree(s), 10,000-entry directory, untar tarball)"
head -c $((256 << 20)) /dev/urandom >"$share/big"
hdrs=$(ls -d /usr/src/linux-headers-6.1.*-common /usr/src/linux-headers-6.12.*-common 2>/dev/null)
for h in $(echo "$hdrs" | head -n "$trees"); do
	cp -a "$h" "$share/tree/"
done
tree_n=$(find "$share/tree" -mindepth 1 | wc -l)
(cd "$share/dir" && seq 1 10000 | sed 's/^/e/' | xargs touch)
h=$(echo "$hdrs" | head -n 1)
tar -C "$h" -cf "$share/h.tar" "$untar" || die "tar of $h/$untar"
tar_n=$(tar -tf "$share/h.tar" | grep -vc '^\./$')
tar_f=$(find "$h/$untar" -type f | wc -l)
# Write the share to disk now: otherwise the first fsync in the guest (v9x's
# seq-write, the first write workload) pays for the 256 MiB just created.
sync

cat >"$stage/test.sh" <<GUEST
#!/bin/sh
export PATH=/bin
mount -t debugfs none /sys/kernel/debug 2>/dev/null
insmod /v9x.ko tags=v9x,v9xr,v9xm,v9xl
for m in \$(cat /modules/9p.order); do insmod /modules/\$m.ko; done
for m in $vfs_mods; do insmod /\$m.ko; done
mkdir -p /a /ar /am /al /b /bl /v /vp /t
mount -t v9x -o msize=4194304 v9x /a || exit 1
mount -t v9x -o msize=4194304,cache=readahead v9xr /ar || exit 1
mount -t v9x -o msize=4194304,cache=mmap v9xm /am || exit 1
mount -t v9x -o msize=4194304,cache=loose v9xl /al || exit 1
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none p9 /b || exit 1
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose p9l /bl || exit 1
mount -t virtiofs vfs /v || exit 1
mount -t virtiofs vfsp /vp || exit 1
mount -t tmpfs -o size=900m tmpfs /t
for c in a ar am al b bl v vp t; do mkdir -p /\$c/w\$c; done
cp /a/big /t/big
cp /a/h.tar /t/h.tar
mkdir -p /t/dir && (cd /t/dir && seq 1 10000 | sed 's/^/e/' | xargs touch)
grep -E ' /(a|ar|am|al|b|bl|v|vp) ' /proc/mounts
drop() { sync; echo 3 >/proc/sys/vm/drop_caches; }
# The host's ext4 commits its journal (with the data it orders) at the next
# fsync on it: one 4 KiB write + fsync through 9p before each measurement
# leaves that cost to no client. Without it v9x, measured first after the
# create/unlink workloads, paid for them: seq-write 0.48x in one boot, 1.40x
# in the next with it.
settle() {
	dd if=/dev/zero of=/b/wb/settle bs=4k count=1 conv=fsync 2>/dev/null
	rm -f /b/wb/settle
}
# v9x's request counter of client \$1 (its debugfs stats), or 0.
reqs() {
	case \$1 in a) t=v9x ;; ar) t=v9xr ;; am) t=v9xm ;; al) t=v9xl ;; *) echo 0; return ;; esac
	awk '\$1 == "requests" { print \$2 }' /sys/kernel/debug/v9x/\$t/stats
}
# B WORK CLIENT RUN CMD: one measurement (CMD prints the rate), with the
# seconds it took, the guest's user and system CPU ticks, and v9x's requests.
B() {
	settle
	r0=\$(reqs \$2)
	u0=\$(awk '/^cpu /{print \$2 + \$3}' /proc/stat)
	s0=\$(awk '/^cpu /{print \$4}' /proc/stat)
	echo "HOSTCPU-BEGIN \$1 \$2 \$3"
	e0=\$(cut -d' ' -f1 /proc/uptime)
	v=\$(eval "\$4")
	e1=\$(cut -d' ' -f1 /proc/uptime)
	echo "HOSTCPU-END \$1 \$2 \$3"
	s1=\$(awk '/^cpu /{print \$4}' /proc/stat)
	u1=\$(awk '/^cpu /{print \$2 + \$3}' /proc/stat)
	r1=\$(reqs \$2)
	echo "BENCH \$1 \$2 \$3 \$v \$((s1 - s0)) \$((u1 - u0)) \$(awk "BEGIN { print \$e1 - \$e0 }") \$((r1 - r0))"
}
for r in \$(seq 1 $runs); do
	for c in a b v t; do
		drop
		B seq-read-4M \$c \$r "/metabench seqread /\$c/big 4194304"
		drop
		B seq-read-1M \$c \$r "/metabench seqread /\$c/big 1048576"
	done
	for c in al bl v t; do
		drop
		[ \$c = al ] || [ \$c = bl ] &&
			B seq-read-4M \$c \$r "/metabench seqread /\$c/big 4194304"
		# Read once more, at once: from the guest's page cache.
		/metabench seqread /\$c/big 4194304 >/dev/null
		B warm-reread-4M \$c \$r "/metabench seqread /\$c/big 4194304"
	done
	for c in a al b bl v t; do
		B seq-write-256M-4M+fsync \$c \$r "/metabench seqwrite /\$c/w\$c/out 256 4194304"
		rm -f /\$c/w\$c/out
	done
	for c in al bl v t; do
		B buffered-write-256M-4k+fsync \$c \$r "/metabench seqwrite /\$c/w\$c/out 256 4096"
		rm -f /\$c/w\$c/out
	done
	for c in a b v; do
		B randread-4k-direct-IOPS \$c \$r "/metabench randread /\$c/big 2000"
	done
	for c in a ar am al b bl v vp; do
		mkdir -p /\$c/w\$c/m\$r
		B create+stat+unlink-files/s \$c \$r "/metabench create /\$c/w\$c/m\$r $files"
		drop
		B stat-walk-cold-entries/s \$c \$r "/metabench walk /\$c/tree"
		B stat-walk-warm-entries/s \$c \$r "/metabench walk /\$c/tree"
		B readdir-10k-entries/s \$c \$r "/metabench readdir /\$c/dir"
		u=/\$c/w\$c/u\$r
		mkdir -p \$u
		B untar-entries/s \$c \$r "/metabench run $tar_n 'tar -xf /t/h.tar -C \$u'"
		drop
		B find+stat-cold-files/s \$c \$r "/metabench run $tar_f 'find \$u -type f | xargs stat >/dev/null'"
		B find+stat-warm-files/s \$c \$r "/metabench run $tar_f 'find \$u -type f | xargs stat >/dev/null'"
		# git status: the list of files is known (the index), each is
		# lstat'ed; the dentries are as cold as after a drop.
		find \$u -type f >/t/list
		drop
		B lstat-known-list-files/s \$c \$r "/metabench lstat /t/list"
		B rm-rf-entries/s \$c \$r "/metabench run $tar_n 'rm -rf \$u'"
	done
	B readdir-10k-entries/s t \$r "/metabench readdir /t/dir"
done
umount /a /ar /am /al /b /bl /v /vp
GUEST

# virtiofsd VARIANT SOCKET ARGS...: the Rust virtiofsd of the Debian 13
# chroot on the share, in a private mount namespace that binds /tmp (the
# share and the socket) at the same path inside the chroot.
virtiofsd() {
	local name=$1 sock=$2
	shift 2
	unshare --mount --propagation private sh -ec '
		root=$1 sock=$2 share=$3
		shift 3
		mount --rbind /dev "$root/dev"
		mount -t proc proc "$root/proc"
		mkdir -p "$root/tmp"
		mount --bind /tmp "$root/tmp"
		exec chroot "$root" /usr/libexec/virtiofsd --socket-path="$sock" \
			--shared-dir="$share" --cache=auto --sandbox=none "$@"
	' virtiofsd "$troot" "$sock" "$share" "$@" >"$w/virtiofsd-$name.log" 2>&1 &
	echo $!
}
log "starting $vfs_version on the share (no thread pool, and a pool of $pool)"
vfsd=$(virtiofsd vfs "$w/vfs.sock" --thread-pool-size=0)
vfsdp=$(virtiofsd vfsp "$w/vfsp.sock" --thread-pool-size="$pool")
for _ in $(seq 1 100); do [ -S "$w/vfs.sock" ] && [ -S "$w/vfsp.sock" ] && break; sleep 0.1; done
[ -S "$w/vfs.sock" ] && [ -S "$w/vfsp.sock" ] ||
	die "virtiofsd did not start: $(cat "$w"/virtiofsd-*.log)"

log "booting $kver (2 GiB guest); this takes a while under TCG"
# The host's CPU per measurement, by thread (scripts/hostcpu.py).
python3 "$V9X_SCRIPTS/hostcpu.py" "$w" "$w/console.log" "$w/hostcpu.txt" &
hostcpu=$!
V9X_MEM=2G vm_boot -q -k "$kver" -d "$stage" -l "$w/console.log" -t 10800 \
	-x "$share:v9x" -x "$share:v9xr" -x "$share:v9xm" -x "$share:v9xl" \
	-x "$share:p9" -x "$share:p9l" -- \
	-object memory-backend-memfd,id=mem,size=2G,share=on -numa node,memdev=mem \
	-chardev socket,id=vfs,path="$w/vfs.sock" \
	-device vhost-user-fs-pci,chardev=vfs,tag=vfs \
	-chardev socket,id=vfsp,path="$w/vfsp.sock" \
	-device vhost-user-fs-pci,chardev=vfsp,tag=vfsp \
	-name v9x-bench,debug-threads=on
kill "$vfsd" "$vfsdp" "$hostcpu" 2>/dev/null
wait "$hostcpu" 2>/dev/null
grep '^BENCH ' "$w/console.log" | tr -d '\r' >"$w/bench.txt"
python3 - "$w/bench.txt" "$runs" "$kver" "$files" "$tree_n" "$w" "$tar_n" \
	"$(qemu_version)" "$vfs_version, --cache=auto" "$pool" <<'PY'
import datetime, os, statistics, subprocess, sys
txt, runs, kver, nfiles, tree_n, out_dir, tar_n, qemu, vfs, pool = sys.argv[1:11]
runs = int(runs)
rows, sys_t, cpu_op, req_op = {}, {}, {}, {}
opcount = {}
hz = os.sysconf("SC_CLK_TCK")
for line in open(txt):
    parts = line.split()
    if len(parts) < 9:
        continue	# a failed measurement prints no value
    _, work, client, run, val, st, ut, el, rq = parts[:9]
    val, el = float(val), float(el)
    rows.setdefault(work, {}).setdefault(client, []).append(val)
    sys_t.setdefault(work, {}).setdefault(client, []).append(int(st))
    ops = val * el
    if ops > 0:
        cpu_op.setdefault(work, {}).setdefault(client, []).append(
            (int(st) + int(ut)) / hz * 1e6 / ops)
        req_op.setdefault(work, {}).setdefault(client, []).append(int(rq) / ops)
        opcount[(work, client, run)] = ops
# The host's CPU per operation (scripts/hostcpu.py): total, and its parts.
host_op, host_gib = {}, {}
hpath = os.path.join(out_dir, "hostcpu.txt")
for line in open(hpath) if os.path.exists(hpath) else []:
    parts = line.split()
    if len(parts) != 7 or tuple(parts[:3]) not in opcount:
        continue
    ops = opcount[tuple(parts[:3])]
    t = [int(x) / hz * 1e6 / ops for x in parts[3:]]
    host_op.setdefault(parts[0], {}).setdefault(parts[1], []).append([sum(t)] + t)
    # Streaming workloads move 256 MiB each: seconds per GiB.
    g = [int(x) / hz * 4 for x in parts[3:]]
    host_gib.setdefault(parts[0], {}).setdefault(parts[1], []).append([sum(g)] + g)
cols = ["a", "ar", "am", "al", "b", "bl", "v", "vp", "t"]
names = {"a": "v9x none", "ar": "v9x readahead", "am": "v9x mmap",
         "al": "v9x loose", "b": "9p none", "bl": "9p loose",
         "v": "virtiofs", "vp": "virtiofs pool%s" % pool, "t": "tmpfs"}
v9x = ["a", "ar", "am", "al"]
meta = lambda w: w.endswith("/s") and not w.startswith("randread")
def med(d, w, k):
    return statistics.median(d[w][k]) if w in d and k in d[w] else None
def ratio(x, y):
    return "%.2fx" % (x / y) if x and y else "-"
out = []
out.append("v9x vs in-kernel 9p and virtiofs: Debian %s guest under TCG, QEMU %s, %s; %s, median of %d runs"
           % (kver, qemu, vfs, datetime.date.today().isoformat(), runs))
out.append("(%s files created, %s-entry tree walked, 10,000-entry readdir, %s-entry tarball; MiB/s or ops/s)"
           % (nfiles, tree_n, tar_n))
out.append("")
out.append("| workload | " + " | ".join(names[c] for c in cols) +
           " | v9x none/9p none | best v9x/9p loose | best v9x/best virtiofs |")
out.append("|" + "---|" * (len(cols) + 4))
for work in rows:
    m = {k: med(rows, work, k) for k in cols}
    cells = ["%.1f" % m[k] if m[k] is not None else "-" for k in cols]
    bv = max([m[k] for k in v9x if m[k]] or [0]) or None
    bf = max([m[k] for k in ("v", "vp") if m[k]] or [0]) or None
    out.append("| %s | %s | %s | %s | %s |" % (work, " | ".join(cells),
               ratio(m["a"], m["b"]), ratio(bv, m["bl"]), ratio(bv, bf)))
out.append("")
def table(title, data, clients, fmt, keep):
    """A markdown table of data's medians for the workloads keep() accepts."""
    out.append(title)
    out.append("")
    out.append("| workload | " + " | ".join(names[c] for c in clients) + " |")
    out.append("|" + "---|" * (len(clients) + 1))
    for work in rows:
        if not keep(work):
            continue
        cells = [fmt % med(data, work, k) if med(data, work, k) is not None else "-"
                 for k in clients]
        out.append("| %s | %s |" % (work, " | ".join(cells)))
    out.append("")
table("v9x's 9P requests per operation (debugfs `requests`, prefetches included), metadata workloads:",
      req_op, v9x, "%.2f", meta)
table("Guest CPU (user + system) microseconds per operation, metadata workloads:",
      cpu_op, [c for c in cols if c != "t"], "%.0f", meta)
def host_table(title, data, clients, keep, fmt):
    """Host CPU by thread: each cell is total = its parts, medians of the runs."""
    if not data:
        return
    out.append(title)
    out.append("")
    out.append("| workload | " + " | ".join(names[c] for c in clients) + " |")
    out.append("|" + "---|" * (len(clients) + 1))
    cell = fmt + " = " + " + ".join([fmt] * 4)
    for work in rows:
        if not keep(work) or work not in data:
            continue
        cells = []
        for c in clients:
            v = data[work].get(c)
            m = [statistics.median(x[i] for x in v) for i in range(5)] if v else None
            cells.append(cell % tuple(m) if m else "-")
        out.append("| %s | %s |" % (work, " | ".join(cells)))
    out.append("")
host_table("Host CPU microseconds per operation, metadata workloads: total = QEMU's "
           "vCPU threads + its main loop + its other threads (the 9p server's "
           "workers) + virtiofsd (a 2-core host: this is what bounds a rate once "
           "the cores are busy):", host_op, ["a", "al", "b", "bl", "v", "vp"], meta, "%.0f")
out.append("Guest system CPU seconds per GiB moved (streaming workloads):")
out.append("")
sc = ["a", "al", "b", "bl", "v", "t"]
out.append("| workload | " + " | ".join(names[c] for c in sc) + " |")
out.append("|" + "---|" * (len(sc) + 1))
for work in sys_t:
    if not (work.startswith("seq") or work.startswith("buffered") or
            work.startswith("warm")):
        continue
    # Every streaming workload moves 256 MiB (the file, or the write).
    cells = ["%.2f" % (med(sys_t, work, k) / hz * 4) if med(sys_t, work, k) is not None else "-" for k in sc]
    out.append("| %s | %s |" % (work, " | ".join(cells)))
out.append("")
host_table("Host CPU seconds per GiB moved (streaming workloads), parts as above:",
           host_gib, sc, lambda w: not meta(w) and not w.startswith("randread"), "%.2f")
text = "\n".join(out)
print(text)
open(os.path.join(out_dir, "bench.md"), "w").write(text + "\n")

# The chart: every workload that 9p cache=none ran, each client's rate
# divided by 9p cache=none's (log scale).
cc = [c for c in cols if c not in ("t", "b")]
dat = os.path.join(out_dir, "chart.dat")
with open(dat, "w") as f:
    f.write("workload " + " ".join('"%s"' % names[c] for c in cc) + "\n")
    for work in rows:
        base = med(rows, work, "b")
        if not base:
            continue
        vals = []
        for c in cc:
            x = med(rows, work, c)
            vals.append("%.3f" % (x / base) if x else "-")
        f.write('"%s" %s\n' % (work, " ".join(vals)))
svg = os.path.join(out_dir, "bench.svg")
gp = """set terminal svg size 1200,560 dynamic font 'sans,11' background '#ffffff'
set output '%s'
set title 'v9x, 9p loose and virtiofs: rate / 9p cache=none (%s, QEMU %s, TCG, %s)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.9 border -1
set logscale y 2
set yrange [0.125:*]
set grid ytics
set ylabel 'x 9p cache=none (log scale)'
set xtics rotate by -30 font ',9'
set key outside right top
set datafile missing '-'
plot for [i=2:%d] '%s' using i:xtic(1) title columnhead(i), 1 with lines lc 'black' dt 2 notitle
""" % (svg, kver, qemu, datetime.date.today().isoformat(), len(cc) + 1, dat)
try:
    subprocess.run(["gnuplot"], input=gp.encode(), check=True)
    print("chart: %s" % svg)
except (OSError, subprocess.CalledProcessError) as e:
    print("no chart: %s" % e)
PY
log "raw numbers, markdown table, chart and console: $w"
