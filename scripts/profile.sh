#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make profile: where the guest's CPU time goes, v9x against the in-kernel
# 9p client, for the workloads make bench compares. One TCG guest (Debian
# 6.1 by default) exports the same host directory as tag "v9x" (v9x, msize
# 4 MiB) and "p9" (9pnet_virtio, msize 512000); the host's root is mounted
# read-only with the in-kernel client so that the guest can run the host's
# perf (linux-perf). For each workload and client: the rate, the requests
# per operation (v9x's debugfs counters), and `perf record -e cpu-clock -a
# -g` summarised as the top kernel symbols (self time). Also counts the 9P
# requests QEMU served per client with -trace v9fs_* (V9X_PROFILE_TRACE=1).
# A diagnostic tool, not a test: it prints and never fails on a number.
#
# Environment: V9X_PROFILE_WORK="seqwrite randread create" (the default; also
# seqread, walk: a cold stat walk of a Linux headers tree, lstat: lstat of
# its known file list with cold dentries), V9X_PROFILE_CACHE (the cache mode
# of both mounts, default none: e.g. loose, to profile the walks where v9x
# is fastest), V9X_PROFILE_TOP (symbols per profile, default 25),
# V9X_BENCH_KERNEL.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../selftests/lib.sh"

work=${V9X_PROFILE_WORK:-seqwrite randread create}
top=${V9X_PROFILE_TOP:-25}
cache=${V9X_PROFILE_CACHE:-none}
kver=${V9X_BENCH_KERNEL:-$(V9X_KERNELS=6.1 v9x_kernels | head -n 1)}
w=$(mktemp -d /tmp/v9x-profile.XXXXXX)
share=$w/share
stage=$w/stage
mkdir -p "$share" "$stage"

bash "$V9X_SCRIPTS/deps.sh" >/dev/null || exit 1
command -v perf >/dev/null || {
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends linux-perf >/dev/null ||
		die "linux-perf is needed for make profile"
}
make -s -C "/lib/modules/$kver/build" M="$V9X_REPO" modules >/dev/null 2>&1 ||
	die "build failed"
cp "$V9X_REPO/v9x.ko" "$stage/v9x.ko"
cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/metabench" "$stage/metabench"
head -c $((256 << 20)) /dev/urandom >"$share/big"
mkdir -p "$share/wa" "$share/wb" "$share/tree"
case " $work " in
*" walk "* | *" lstat "*)
	h=$(ls -d /usr/src/linux-headers-6.1.*-common 2>/dev/null | head -n 1)
	[ -n "$h" ] || die "no Debian 6.1 headers tree to walk (scripts/deps.sh)"
	cp -a "$h" "$share/tree/" ;;
esac
tree_n=$(find "$share/tree" -mindepth 1 | wc -l)
tree_f=$(find "$share/tree" -type f | wc -l)
sync

cat >"$stage/test.sh" <<GUEST
#!/bin/sh
export PATH=/bin
insmod /v9x.ko tags=v9x
for m in \$(cat /modules/9p.order); do insmod /modules/\$m.ko; done
mkdir -p /host
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot /host || exit 1
mount -t tmpfs tmpfs /host/tmp
mount -t proc proc /host/proc
mount -o bind /sys /host/sys
mount -o bind /dev /host/dev
mkdir -p /host/tmp/a /host/tmp/b
mount -t v9x -o msize=4194304,cache=$cache v9x /host/tmp/a || exit 1
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=$cache p9 /host/tmp/b || exit 1
cp /metabench /host/tmp/metabench
mount -t debugfs none /sys/kernel/debug 2>/dev/null
S=/sys/kernel/debug/v9x/v9x/stats
reqs() { awk '\$1 == "requests" { print \$2 }' \$S; }
# P NAME CLIENT N CMD...: run CMD under perf, print rate, requests per op
# and the top symbols.
P() {
	name=\$1 c=\$2 n=\$3
	shift 3
	sync; echo 3 >/proc/sys/vm/drop_caches
	r0=\$(reqs)
	cat \$S >/tmp/s0
	echo "PROFILE-BEGIN \$name \$c"
	chroot /host perf record -q -e cpu-clock -F 4000 -a -g -o /tmp/perf.data -- "\$@" >/tmp/rate 2>/tmp/perf.err
	echo "rate: \$(cat /tmp/rate)"
	if [ \$c = a ]; then
		echo "v9x requests per operation: \$(( (\$(reqs) - r0) * 100 / n ))e-2"
		awk -v n=\$n 'NR == FNR { a[\$1] = \$2; next }
			\$1 ~ /^req_T/ && \$2 > a[\$1] { printf "  %s %.2f\\n", \$1, (\$2 - a[\$1]) / n }' /tmp/s0 \$S
	fi
	chroot /host perf report -i /tmp/perf.data --stdio --no-children --sort sym \
		--percent-limit 0.5 -g none 2>/dev/null | grep -v '^#' | grep -v '^\$' | head -n $top
	echo "PROFILE-END \$name \$c"
}
for wk in $work; do
	for c in a b; do
		case \$wk in
		seqwrite) P seqwrite-256M-4M \$c 64 /tmp/metabench seqwrite /tmp/\$c/w\$c/out 256 4194304
			rm -f /host/tmp/\$c/w\$c/out ;;
		seqread) P seqread-256M-4M \$c 64 /tmp/metabench seqread /tmp/\$c/big 4194304 ;;
		randread) P randread-4k-direct \$c 2000 /tmp/metabench randread /tmp/\$c/big 2000 ;;
		walk) P stat-walk-cold \$c $tree_n /tmp/metabench walk /tmp/\$c/tree ;;
		lstat) find /host/tmp/\$c/tree -type f | sed 's,^/host,,' >/host/tmp/list
			P lstat-known-list \$c $tree_f /tmp/metabench lstat /tmp/list ;;
		create) mkdir -p /host/tmp/\$c/w\$c/m
			P create+stat+unlink \$c 300 /tmp/metabench create /tmp/\$c/w\$c/m 300 ;;
		esac
	done
done
umount /host/tmp/a /host/tmp/b
GUEST

trace=()
if [ "${V9X_PROFILE_TRACE:-0}" = 1 ]; then
	trace=(-trace "enable=v9fs_*,file=$w/qemu-trace.log")
fi
log "booting $kver with perf from the host's root; this takes a while under TCG"
V9X_MEM=2G vm_boot -q -k "$kver" -d "$stage" -l "$w/console.log" -t 3600 \
	-x "$share:v9x" -x "$share:p9" -- \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap,id=hostroot" \
	"${trace[@]}"
tr -d '\r' <"$w/console.log" | sed -n '/^PROFILE-BEGIN/,/^PROFILE-END/p' | tee "$w/profile.txt"
if [ -s "$w/qemu-trace.log" ]; then
	echo "# QEMU 9p server: requests by type (all exports, incl. hostroot)"
	grep -oE 'v9fs_[a-z_]+' "$w/qemu-trace.log" | sort | uniq -c | sort -rn | head -n 30
fi
log "full console: $w/console.log; profiles: $w/profile.txt"
