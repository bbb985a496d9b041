#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the v9x debug kernel: Debian's linux-source-6.1 (the
# kernel Debian 12 ships, so bugs found here are the ones users would hit),
# x86_64 tinyconfig plus debug.config (KASAN, lockdep, kmemleak, KFENCE,
# KUnit...). The result is cached outside the repository, keyed by the source
# version and a hash of the fragment, and rebuilt only when either changes.
#
# Prints the cache directory on stdout; it holds:
#   linux/            the configured and built tree (for M= module builds)
#   vmlinux, bzImage  the kernel
#   modules/          modules_install output (lib/modules/<kver>/...)
#   kver              the kernel release string
# Takes ~15-30 min on 2 cores when the cache is cold.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug.config
cache_root=${V9X_DEBUG_KERNEL_CACHE:-/var/cache/v9x-debug-kernel}
src_pkg=linux-source-6.1

log() { echo "[debug-kernel] $*" >&2; }

if ! dpkg -s "$src_pkg" >/dev/null 2>&1; then
	log "installing $src_pkg"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		"$src_pkg" bc bison flex libelf-dev libssl-dev xz-utils >&2
fi
for p in bc bison flex libelf-dev libssl-dev; do
	dpkg -s "$p" >/dev/null 2>&1 && continue
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		bc bison flex libelf-dev libssl-dev >&2
	break
done

srcver=$(dpkg-query -W -f '${Version}' "$src_pkg")
key=$( (echo "$src_pkg $srcver"; cat "$frag") | sha256sum | cut -c1-16)
out=$cache_root/$key
if [ -f "$out/done" ]; then
	echo "$out"
	exit 0
fi

log "building $src_pkg $srcver with $(basename "$frag") into $out"
# Only the cache directory goes to stdout (install.sh reads it); everything
# the kernel's make and kconfig scripts print goes to stderr.
exec 3>&1 1>&2
rm -rf "$out"
mkdir -p "$out"
tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n 1)
tar -C "$out" -xf "$tarball"
mv "$out"/linux-source-6.1 "$out/linux"
cd "$out/linux"

make -s ARCH=x86_64 tinyconfig
scripts/kconfig/merge_config.sh -m .config "$frag" >/dev/null
make -s ARCH=x86_64 olddefconfig

# Kconfig silently drops options whose dependencies are missing: refuse that.
missing=0
while read -r line; do
	case $line in ''|'#'*) continue ;; esac
	if ! grep -qx -- "$line" .config; then
		log "fragment line did not survive olddefconfig: $line"
		missing=1
	fi
done <"$frag"
[ "$missing" = 0 ] || { log "fix debug.config"; exit 1; }

nice -n 10 make -s ARCH=x86_64 -j"$(nproc)" bzImage modules >&2
make -s ARCH=x86_64 INSTALL_MOD_PATH="$out/modules" modules_install >&2
cp vmlinux arch/x86/boot/bzImage "$out/"
make -s ARCH=x86_64 kernelrelease >"$out/kver"
touch "$out/done"
log "done: $(cat "$out/kver")"
echo "$out" >&3
