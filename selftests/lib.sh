# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host-side library of the v9x selftests (sourced by run.sh and by the tools
# in scripts/: build-all.sh, lint.sh, demo.sh, bench.sh, profile.sh; bash
# only).  It sets V9X_REPO (the repository), V9X_SELFTESTS (the tests and
# their harness: this directory) and V9X_SCRIPTS (the tooling: build, lint,
# deps, dkms, demo, bench, profile, the debug kernel).  It provides:
#   - kernel selection: pick the kernels to test against: Debian 12's 6.1 and
#     6.12 (host), Debian 13's 6.12 and the newest trixie-backports kernel
#     (in the chroot of scripts/trixie.sh, when V9X_TRIXIE names it), the
#     debug kernel; kernel_root tells where a kernel's files are;
#   - QEMU selection: the host's (Debian 12), or a chroot's (V9X_QEMU_ROOT:
#     Debian 13's 10.0 or trixie-backports' 11.1), run by qemu-chroot.sh;
#   - guest images: a raw vmlinux extracted from /boot/vmlinuz-$KVER for fast PVH
#     boots (falls back to the bzImage), and a cached base initramfs with
#     busybox-static plus the virtio/9p modules the guest needs;
#   - vm_boot: run one QEMU/TCG guest with an extra per-run cpio (holding
#     /test.sh, v9x.ko, expected values...), any number of virtfs exports,
#     console to a log file (followed on stdout), test results on a second
#     serial port, exit status through isa-debug-exit;
#   - splat_scan: look for kernel warnings/oopses/lockdep... in a console log;
#   - t_ok / t_fail / t_summary: KTAP-ish result lines on the host.
# Nothing here ever loads a module on the host.

V9X_SELFTESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
V9X_REPO=$(cd "$V9X_SELFTESTS/.." && pwd)
# Names this checkout's scratch build trees (/tmp/v9x-build-KVER-ID,
# /tmp/v9x-sparse-KVER-ID), so that two checkouts (git worktrees, a CI
# clone) building at once never share one.
V9X_TREE_ID=$(printf '%s' "$V9X_REPO" | md5sum | cut -c1-8)
V9X_SCRIPTS=$V9X_REPO/scripts
V9X_CACHE=${V9X_CACHE:-/var/cache/v9x-selftests}
# Bump when the layout of the cached base initramfs changes.
V9X_BASE_FORMAT=3

# Virtio transport (built in on 6.12) and the in-kernel 9p client. On 7.x,
# 9pnet needs netfs loaded first without naming it in its depends; on
# kernels where netfs is built in or absent it is left out.
V9X_VIRTIO_MODS="virtio_pci"
V9X_9P_MODS="netfs 9pnet_virtio 9p"

# chroot_run, for the Debian 13 chroots.
# shellcheck source=../scripts/trixie.sh
. "$V9X_SCRIPTS/trixie.sh"

log() { echo "[v9x-selftests] $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- kernels

# Newest installed kernel matching a glob, with headers (a build dir).
_newest_kernel() {
	local glob=$1 v best=
	for v in $(cd /lib/modules 2>/dev/null && ls -d $glob 2>/dev/null | sort -V); do
		[ -e "/boot/vmlinuz-$v" ] && [ -e "/lib/modules/$v/build/Makefile" ] && best=$v
	done
	echo "$best"
}

# kernel_root KVER: where KVER's /boot and /lib/modules are: "" for the
# host's kernels (Debian 12, the debug kernel), the Debian 13 chroot
# (V9X_TRIXIE) for its kernels.
kernel_root() {
	if [ ! -e "/lib/modules/$1/modules.dep" ] && [ -n "${V9X_TRIXIE:-}" ] &&
	   [ -e "$V9X_TRIXIE/lib/modules/$1/modules.dep" ]; then
		echo "$V9X_TRIXIE"
	fi
}

# _trixie_kernel N: line N of the chroot's kernel list (1: trixie's own,
# 2: the newest in trixie-backports, chosen when the chroot was built).
_trixie_kernel() {
	[ -n "${V9X_TRIXIE:-}" ] && sed -n "${1}p" "$V9X_TRIXIE/v9x-kernels" 2>/dev/null
}

# kernel_matches KVER SELECTOR: SELECTOR names KVER. "debug" is the debug
# kernel; "deb13" Debian 13's own kernel and "bpo" the newest backports one;
# a host kernel also by a version prefix ("6.1", "6.12": Debian 12's), a
# chroot kernel by a prefix no host kernel has ("7", "7.3"); any by its
# full name.
kernel_matches() {
	local k=$1 want=$2 h
	[ "$k" = "$want" ] && return 0
	if [ "$k" = "${V9X_DEBUG_KVER:-}" ]; then
		[ "$want" = debug ]
		return
	fi
	case $want in
	deb13) [ "$k" = "$(_trixie_kernel 1)" ]; return ;;
	bpo) [ "$k" = "$(_trixie_kernel 2)" ]; return ;;
	esac
	case $k in "$want".*|"$want"-*) ;; *) return 1 ;; esac
	[ -z "$(kernel_root "$k")" ] && return 0
	for h in $(_newest_kernel '6.1.0-*-amd64') $(_newest_kernel '6.12.*+deb12-amd64'); do
		case $h in "$want".*|"$want"-*) return 1 ;; esac
	done
	return 0
}

# Prints the kernels to test, one per line: the newest 6.1.0-*-amd64, the
# newest 6.12.*+deb12-amd64, the chroot's two (when V9X_TRIXIE is set) and
# the debug kernel (when V9X_DEBUG_KVER is). V9X_KERNELS (space separated
# selectors, see kernel_matches) restricts the list.
v9x_kernels() {
	local k want
	for k in $(_newest_kernel '6.1.0-*-amd64') $(_newest_kernel '6.12.*+deb12-amd64') \
		 $(_trixie_kernel 1) $(_trixie_kernel 2) ${V9X_DEBUG_KVER:-}; do
		if [ -z "${V9X_KERNELS:-}" ]; then
			echo "$k"
			continue
		fi
		for want in $V9X_KERNELS; do
			kernel_matches "$k" "$want" && { echo "$k"; break; }
		done
	done
}

# ---------------------------------------------------------------- guest kernel

# Extract the ELF vmlinux embedded (compressed) in a bzImage, like the kernel's
# scripts/extract-vmlinux: try every XZ / ZSTD / GZIP magic offset and keep the
# first output that is an ELF file.
_extract_vmlinux() {
	local img=$1 out=$2 tmp="$2.tmp.$$" spec pat dec off
	for spec in 'xz|\xFD\x37\x7A\x58\x5A\x00|xz -dc --single-stream' \
		    'zstd|\x28\xB5\x2F\xFD|zstd -dcq' \
		    'gzip|\x1F\x8B\x08|gzip -dc'; do
		IFS='|' read -r _ pat dec <<<"$spec"
		command -v "${dec%% *}" >/dev/null || continue
		for off in $(LC_ALL=C grep -obUaP "$pat" "$img" 2>/dev/null | cut -d: -f1); do
			tail -c +$((off + 1)) "$img" | $dec >"$tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$tmp" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
				mv "$tmp" "$out"
				return 0
			fi
		done
	done
	rm -f "$tmp"
	return 1
}

# Print the path of the kernel to boot for $1, in $V9X_CACHE/$1 (where a
# chroot's QEMU sees it too): a raw vmlinux when the kernel supports PVH
# entry and extraction worked, else a copy of its bzImage.
guest_kernel() {
	local kver=$1 root img dir="$V9X_CACHE/$1" stamp
	root=$(kernel_root "$kver")
	img="$root/boot/vmlinuz-$kver"
	[ -r "$img" ] || die "no $img"
	stamp="$(stat -c '%s %Y' "$img")"
	mkdir -p "$dir"
	if [ "${V9X_BZIMAGE:-0}" = 1 ] || ! grep -q '^CONFIG_PVH=y' "$root/boot/config-$kver" 2>/dev/null; then
		_guest_bzimage "$img" "$dir" "$stamp"
		return
	fi
	if [ ! -s "$dir/vmlinux" ] || [ "$(cat "$dir/vmlinux.stamp" 2>/dev/null)" != "$stamp" ]; then
		if _extract_vmlinux "$img" "$dir/vmlinux"; then
			echo "$stamp" >"$dir/vmlinux.stamp.$$"
			mv "$dir/vmlinux.stamp.$$" "$dir/vmlinux.stamp"
		else
			log "could not extract vmlinux from $img, booting the bzImage"
			rm -f "$dir/vmlinux" "$dir/vmlinux.stamp"
			_guest_bzimage "$img" "$dir" "$stamp"
			return
		fi
	fi
	echo "$dir/vmlinux"
}

# _guest_bzimage IMG DIR STAMP: print the path of a copy of IMG in DIR.
_guest_bzimage() {
	if [ ! -s "$2/bzImage" ] || [ "$(cat "$2/bzImage.stamp" 2>/dev/null)" != "$3" ]; then
		cp "$1" "$2/bzImage.tmp.$$"
		mv "$2/bzImage.tmp.$$" "$2/bzImage"
		echo "$3" >"$2/bzImage.stamp"
	fi
	echo "$2/bzImage"
}

# ---------------------------------------------------------------- initramfs

# Dependency-first load order of modules $2... for kernel $1 (from
# `modinfo -F depends`).  Built-in modules and modules that do not exist as
# separate files (e.g. fscache inside netfs on 6.12) are left out.
module_order() {
	local kver=$1 root
	shift
	root=$(kernel_root "$kver")
	local -A seen=()
	local -a order=()
	_visit() {
		local m=$1 f d
		[ -n "${seen[$m]:-}" ] && return
		seen[$m]=1
		f=$(modinfo ${root:+-b "$root"} -k "$kver" -n "$m" 2>/dev/null) || return 0
		case $f in ""|"(builtin)") return 0 ;; esac
		for d in $(modinfo ${root:+-b "$root"} -k "$kver" -F depends "$m" 2>/dev/null | tr ',' ' '); do
			_visit "$d"
		done
		order+=("$m")
	}
	local m
	for m in "$@"; do _visit "$m"; done
	echo "${order[@]}"
}

# Copy module $2 of kernel $1 to $3/$2.ko, decompressing .ko.xz/.zst/.gz so
# that busybox insmod can load it.
_copy_module() {
	local kver=$1 m=$2 dst=$3/$2.ko f root
	root=$(kernel_root "$kver")
	f=$(modinfo ${root:+-b "$root"} -k "$kver" -n "$m") || return 1
	# modinfo -b prints the path inside the root.
	case $f in /*) [ -e "$f" ] || f=$root$f ;; esac
	case $f in
	*.ko) cp "$f" "$dst" ;;
	*.ko.xz) xz -dc "$f" >"$dst" ;;
	*.ko.zst) zstd -dcq "$f" >"$dst" ;;
	*.ko.gz) gzip -dc "$f" >"$dst" ;;
	*) die "unknown module file format: $f" ;;
	esac
}

# Print the path of the cached base initramfs (newc cpio, uncompressed) for
# kernel $1: busybox with all applet links in /bin (/sbin -> bin), the
# modules in /modules/NAME.ko and the load orders in /modules/virtio.order
# (loaded by /init) and /modules/9p.order (in-kernel 9p client, loaded by tests).
base_initramfs() {
	local kver=$1 dir="$V9X_CACHE/$1" out stamp root a vm pm m
	out="$dir/base.cpio"
	stamp="$V9X_BASE_FORMAT $V9X_9P_MODS $(stat -c '%s %Y' /bin/busybox "$(kernel_root "$kver")/lib/modules/$kver/modules.dep" | tr '\n' ' ')"
	if [ -s "$out" ] && [ "$(cat "$out.stamp" 2>/dev/null)" = "$stamp" ]; then
		echo "$out"
		return
	fi
	[ -x /bin/busybox ] || die "busybox-static missing (run scripts/deps.sh)"
	file -b /bin/busybox 2>/dev/null | grep -q dynamic && die "/bin/busybox is not static"
	mkdir -p "$dir"
	root=$(mktemp -d "$dir/base.XXXXXX")
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,mnt,run,modules,etc,root}
	ln -s bin "$root/sbin"
	ln -s ../bin "$root/usr" 2>/dev/null || true
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	vm=$(module_order "$kver" $V9X_VIRTIO_MODS)
	pm=$(module_order "$kver" $V9X_9P_MODS)
	# The 9p list must not reload what /init already loaded.
	local -a p9=()
	for m in $pm; do
		case " $vm " in *" $m "*) ;; *) p9+=("$m") ;; esac
	done
	: >"$root/modules/virtio.order"
	for m in $vm; do
		_copy_module "$kver" "$m" "$root/modules" || die "module $m for $kver"
		echo "$m" >>"$root/modules/virtio.order"
	done
	: >"$root/modules/9p.order"
	for m in "${p9[@]}"; do
		_copy_module "$kver" "$m" "$root/modules" || die "module $m for $kver"
		echo "$m" >>"$root/modules/9p.order"
	done
	echo "$kver" >"$root/etc/kernel-release"
	# Build under a private name, then rename: concurrent runs share the cache.
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out.tmp.$$"
	rm -rf "$root"
	mv "$out.tmp.$$" "$out"
	echo "$stamp" >"$out.stamp.$$"
	mv "$out.stamp.$$" "$out.stamp"
	log "built base initramfs for $kver: virtio [$vm] 9p [${p9[*]}]"
	echo "$out"
}

# Pack directory $1 into a newc cpio $2 (owned by root).
make_cpio() {
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$2"
}

# ---------------------------------------------------------------- booting

# vm_boot [options] [-- extra qemu args]
#   -k KVER      kernel version (required)
#   -d DIR       directory whose content is added on top of the base initramfs
#                (must contain /test.sh; /init comes from selftests/guest/init)
#   -l LOG       console log file (required); results go to LOG.results
#   -x DIR:TAG[:MODEL]  export DIR with mount tag TAG (repeatable), with
#                QEMU's security_model MODEL (default none; see virtfs_arg)
#   -t SECS      timeout (default 300)
#   -m MEM       guest memory (default $V9X_MEM or 1G)
#   -s SMP       guest CPUs (default $V9X_SMP or 2)
#   -a ARGS      extra kernel command line
#   -q           do not follow the console on stdout
# Returns 0 when the guest ran /test.sh to completion and reported exit code 0
# through isa-debug-exit, 1 otherwise; VM_RC holds the guest's code (or -1
# when there was none: timeout, panic, QEMU error) and VM_QEMU_RC QEMU's status.
vm_boot() {
	local kver= dir= logf= timeout=300 mem=${V9X_MEM:-1G} smp=${V9X_SMP:-2} append= quiet=${V9X_QUIET:-0}
	local -a exports=() extra=()
	local OPTIND=1 o
	while getopts "k:d:l:x:t:m:s:a:q" o; do
		case $o in
		k) kver=$OPTARG ;;
		d) dir=$OPTARG ;;
		l) logf=$OPTARG ;;
		x) exports+=("$OPTARG") ;;
		t) timeout=$OPTARG ;;
		m) mem=$OPTARG ;;
		s) smp=$OPTARG ;;
		a) append="$append $OPTARG" ;;
		q) quiet=1 ;;
		*) die "vm_boot: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	[ "${1:-}" = -- ] && shift
	extra=("$@")
	[ -n "$kver" ] && [ -n "$logf" ] || die "vm_boot: -k and -l are required"

	local kernel base initrd runcpio e i=0
	kernel=$(guest_kernel "$kver")
	base=$(base_initramfs "$kver")
	initrd="$logf.initrd"
	runcpio="$logf.run.cpio"
	local stage
	stage=$(mktemp -d "${TMPDIR:-/tmp}/v9x-stage.XXXXXX")
	[ -n "$dir" ] && cp -a "$dir/." "$stage/"
	install -m 755 "$V9X_SELFTESTS/guest/init" "$stage/init"
	make_cpio "$stage" "$runcpio"
	rm -rf "$stage"
	# Concatenated archives are unpacked in order by the kernel.
	cat "$base" "$runcpio" >"$initrd"
	rm -f "$runcpio"

	local -a qemu
	qemu_cmd
	# shellcheck disable=SC2054 # the commas are inside QEMU's own arguments
	qemu=("${V9X_QEMU_CMD[@]}" -accel tcg -machine pc -cpu max
		-smp "$smp" -m "$mem" -nodefaults -nographic -no-reboot
		-monitor none -display none
		-chardev "file,id=con,path=$logf" -serial chardev:con
		-chardev "file,id=res,path=$logf.results" -serial chardev:res
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-kernel "$kernel" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 oops=panic rdinit=/init$append")
	for e in "${exports[@]}"; do
		i=$((i + 1))
		qemu+=(-virtfs "$(virtfs_arg "$e" "fs$i")")
	done
	qemu+=("${extra[@]}")

	: >"$logf"
	: >"$logf.results"
	echo "${qemu[*]}" >"$logf.cmd"
	local t0=$SECONDS qpid tpid=
	timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null >"$logf.qemu" 2>&1 &
	qpid=$!
	VM_PID=$qpid
	if [ "$quiet" != 1 ]; then
		tail -n +1 -f --pid="$qpid" "$logf" &
		tpid=$!
	fi
	# A kernel that hangs in early boot (seen under TCG: the console stops
	# before init, QEMU spins) never reaches /test.sh; stop it after
	# V9X_BOOT_TIMEOUT seconds instead of the whole timeout, so that the
	# caller's retry (run.sh) starts at once.
	local wpid=
	(
		b=0
		while [ $b -lt "${V9X_BOOT_TIMEOUT:-120}" ]; do
			sleep 5
			b=$((b + 5))
			grep -q "init: running" "$logf" 2>/dev/null && exit 0
			kill -0 "$qpid" 2>/dev/null || exit 0
		done
		echo "# vm_boot: no init after ${V9X_BOOT_TIMEOUT:-120}s: stopping the guest" >>"$logf"
		pkill -KILL -P "$qpid" 2>/dev/null
	) &
	wpid=$!
	VM_QEMU_RC=0
	wait "$qpid" || VM_QEMU_RC=$?
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
	VM_PID=
	[ -n "$tpid" ] && wait "$tpid" 2>/dev/null
	VM_SECONDS=$((SECONDS - t0))
	rm -f "$initrd"
	qemu_status "$VM_QEMU_RC"
	if [ "$VM_RC" -lt 0 ]; then
		case $VM_QEMU_RC in
		124|137) log "VM ($kver) timed out after ${timeout}s" ;;
		0) log "VM ($kver) stopped without a result (panic or poweroff)" ;;
		*)
			if [ -n "$VM_QEMU_SIGNAL" ]; then
				log "VM ($kver): QEMU itself died of signal $VM_QEMU_SIGNAL (status $VM_QEMU_RC):"
			else
				log "VM ($kver): QEMU failed with status $VM_QEMU_RC:"
			fi
			cat "$logf.qemu" >&2 ;;
		esac
	fi
	[ "$VM_RC" -eq 0 ]
}

# virtfs_arg DIR:TAG[:MODEL] ID: the -virtfs value that exports DIR with
# mount tag TAG and QEMU's security_model MODEL (none, passthrough,
# mapped-xattr or mapped-file; none when left out, so "DIR:TAG" keeps its
# meaning). For vm_boot's -x, and for suites that add exports of their own.
virtfs_arg() {
	local e=$1 id=$2 model=none
	case $e in
	*:none|*:passthrough|*:mapped-xattr|*:mapped-file)
		model=${e##*:}
		e=${e%:*}
		;;
	esac
	echo "local,path=${e%:*},mount_tag=${e##*:},security_model=$model,id=$id"
}

# qemu_cmd: set V9X_QEMU_CMD to the command that runs the QEMU vm_boot
# uses: the host's qemu-system-x86_64 (Debian 12's 7.2), or, when
# V9X_QEMU_ROOT names a Debian 13 chroot, that chroot's (10.0, or 11.1 from
# trixie-backports) through qemu-chroot.sh.
qemu_cmd() {
	if [ -n "${V9X_QEMU_ROOT:-}" ]; then
		V9X_QEMU_CMD=(bash "$V9X_SELFTESTS/qemu-chroot.sh" "$V9X_QEMU_ROOT")
	else
		V9X_QEMU_CMD=(qemu-system-x86_64)
	fi
}

# qemu_version: the version (e.g. 7.2.22) of the QEMU vm_boot runs; the
# guests get it as QEMU_VERSION, for the behaviour that depends on the
# server's version.
qemu_version() {
	local key=${V9X_QEMU_ROOT:-host}
	if [ "${_V9X_QEMU_VERSION_OF:-}" != "$key" ]; then
		qemu_cmd
		_V9X_QEMU_VERSION=$("${V9X_QEMU_CMD[@]}" --version |
			sed -n '1s/^QEMU emulator version \([0-9][0-9.]*\).*/\1/p')
		[ -n "$_V9X_QEMU_VERSION" ] || die "cannot tell the version of ${V9X_QEMU_CMD[*]}"
		_V9X_QEMU_VERSION_OF=$key
	fi
	echo "$_V9X_QEMU_VERSION"
}

# qemu_status STATUS: what the exit status of "timeout ... qemu" means.
# Sets VM_RC to the guest's code (or -1 when there is none) and
# VM_QEMU_SIGNAL to the signal QEMU itself died of (or empty).
#   (code << 1) | 1   isa-debug-exit; the guest's code is at most 60
#                     (guest/init), so this is at most 121
#   124, 137          timeout, and its SIGKILL after --kill-after
#   125..127          timeout could not run QEMU
#   128 + N           QEMU was killed by signal N (139: SIGSEGV, a QEMU bug)
# Without the cap and this rule, a QEMU segfault (139) read as a guest that
# reported 69 failures.
qemu_status() {
	local st=$1
	VM_RC=-1
	VM_QEMU_SIGNAL=
	case $st in
	124|125|126|127|137) return 0 ;;
	esac
	if [ "$st" -gt 128 ]; then
		VM_QEMU_SIGNAL=$((st - 128))
	elif [ $((st & 1)) -eq 1 ]; then
		VM_RC=$((st >> 1))
	fi
}

# The harness's own check of qemu_status on the statuses it must tell apart.
qemu_status_selfcheck() {
	local got= st
	for st in 1 3 121 124 137 134 139 0; do
		qemu_status "$st"
		got="$got $st:$VM_RC/${VM_QEMU_SIGNAL:--}"
	done
	if [ "$got" = " 1:0/- 3:1/- 121:60/- 124:-1/- 137:-1/- 134:-1/6 139:-1/11 0:-1/-" ]; then
		t_ok "harness: a QEMU crash is told apart from a guest's result"
	else
		t_fail "harness: a QEMU crash is told apart from a guest's result" "got:$got"
	fi
}

# Stop the VM of an interrupted vm_boot (timeout forwards the signal to QEMU,
# which runs in timeout's own process group).  For EXIT/INT/TERM traps.
vm_cleanup() {
	[ -n "${VM_PID:-}" ] && kill "$VM_PID" 2>/dev/null
	VM_PID=
}

# ---------------------------------------------------------------- checks

# kmemleak: only its leak reports, not its "initialized" banner.
V9X_SPLAT_RE='BUG:|WARNING:|Oops|KASAN|possible circular locking|possible recursive locking|hung task|blocked for more than|Kernel panic|v9x.*refcount|UBSAN|kmemleak: [0-9]+ new suspected|unreferenced object|general protection fault|list_add corruption|list_del corruption|soft lockup|rcu_sched self-detected stall|RCU stall|stack-protector|Call Trace:'

# Print the console lines of $1 that look like a kernel splat (with a few
# lines of context); return 0 if there were none.
splat_scan() {
	local f=$1
	if tr -d '\r' <"$f" | grep -Eq "$V9X_SPLAT_RE"; then
		tr -d '\r' <"$f" | grep -E -n -A 12 "$V9X_SPLAT_RE" | head -n 120
		return 1
	fi
	return 0
}

# RFLAGS bits that no x86-64 code can set: VIF and VIP (only IRET to
# virtual-8086 mode loads them) and the reserved bits 22-63. QEMU's POPF and
# 64-bit IRET mask them out, so a register dump showing one means the
# emulator's own CPU state was corrupted, not the guest's.
V9X_IMPOSSIBLE_RFLAGS=0xffffffffffd80000

# Print the register dumps of console log $1 whose EFLAGS has an impossible
# bit (see above); return 0 if there was one, i.e. the console shows an
# emulator fault rather than something the guest kernel did.
emulator_fault() {
	local f=$1 line fl found=1
	# Only a whole register-dump line counts: an optional printk time, then
	# exactly "RSP: SSSS:<16 hex> EFLAGS: <8 hex>", the " ORIG_RAX: <16 hex>"
	# that x86's show_iret_regs() may add, and the end of the line.
	# Guest output glued to it ("EFLAGS: 00010246dd: ...") is ambiguous and
	# never makes a failure an emulator fault.
	local re='^(\[ *[0-9]+\.[0-9]+\] )?RSP: [0-9a-f]{4}:[0-9a-f]{16} EFLAGS: ([0-9a-f]{8})( ORIG_RAX: [0-9a-f]{16})?$'
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		fl=${BASH_REMATCH[2]}
		if (((0x$fl & V9X_IMPOSSIBLE_RFLAGS) != 0)); then
			echo "$line"
			found=0
		fi
	done < <(tr -d '\r' <"$f" | grep -F 'EFLAGS: ')
	return $found
}

# The harness's own check of emulator_fault on three recorded consoles
# (selftests/fixtures): the 6.12 single-step trap with impossible RFLAGS is
# an emulator fault; a real WARN from v9x (the drop_nlink one fixed in stop
# 10) is not, so it can never be rerun away, not even when guest output is
# glued to its register dump (kernel-warn-interleaved: "EFLAGS: 00010246dd:").
emulator_fault_selfcheck() {
	local fx=$V9X_SELFTESTS/fixtures
	if emulator_fault "$fx/emulator-fault.console" >/dev/null &&
	   ! emulator_fault "$fx/kernel-warn.console" >/dev/null &&
	   ! emulator_fault "$fx/kernel-warn-interleaved.console" >/dev/null; then
		t_ok "harness: impossible RFLAGS is told apart from a kernel WARN"
	else
		t_fail "harness: impossible RFLAGS is told apart from a kernel WARN"
	fi
}

# ---------------------------------------------------------------- results

T_PASS=0
T_FAIL=0
T_SKIP=0
T_NUM=0
T_FAILED_NAMES=()

t_ok() {
	T_NUM=$((T_NUM + 1))
	T_PASS=$((T_PASS + 1))
	echo "ok $T_NUM - $*"
}

t_skip() {
	T_NUM=$((T_NUM + 1))
	T_SKIP=$((T_SKIP + 1))
	echo "ok $T_NUM - $* # SKIP"
}

# t_fail NAME [DETAIL-FILE-OR-TEXT...]: detail lines are printed as "# ..."
t_fail() {
	local name=$1
	shift
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	T_FAILED_NAMES+=("$name")
	echo "not ok $T_NUM - $name"
	local d
	for d in "$@"; do
		if [ -f "$d" ]; then
			sed 's/^/#   /' "$d" | head -n 200
		else
			printf '%s\n' "$d" | sed 's/^/#   /'
		fi
	done
}

# t_check NAME CMD...: ok when CMD succeeds; its output becomes the detail.
# same_sum FILE SUMFILE: FILE's sha256 is the one SUMFILE holds. Fails when
# either is missing or empty: two absent values are never "equal".
same_sum() {
	local got want
	got=$(sha256sum -- "$1" 2>&1) || { echo "$got"; return 1; }
	got=${got%% *}
	want=$(cat -- "$2" 2>&1) || { echo "$want"; return 1; }
	if [ ${#want} != 64 ] || [ "$got" != "$want" ]; then
		echo "sha256 of $1 is $got, $2 says '$want'"
		return 1
	fi
}

t_check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		t_ok "$name"
	else
		t_fail "$name" "$out"
	fi
}

t_summary() {
	if [ "$T_FAIL" -gt 0 ]; then
		echo "# failed tests:"
		printf '#   %s\n' "${T_FAILED_NAMES[@]}"
	fi
	[ "$T_SKIP" -gt 0 ] && echo "# $T_SKIP skipped (not counted as passed)"
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && [ "$T_PASS" -gt 0 ]
}
