# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "errors" suite (sourced by run.sh): a small share with a
# file, a directory and an immutable file (chattr +i: the server itself
# refuses with EPERM) for the error-path and mount/umount lifecycle tests,
# and a 5 MiB file of random bytes that the guest hands to finit_module(2)
# (the kernel reads it whole into a kernel buffer, then refuses it as not
# an ELF image), also on a second device that uses the DMA API.

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2
	mkdir -p "$data/somedir/sub"
	echo "hello from the host" >"$data/hello.txt"
	echo "inside" >"$data/somedir/inner.txt"
	echo "hello from the host" >"$exp/hello.txt"
	echo locked >"$data/locked"
	# More than one 4 MiB message, not a multiple of a page.
	head -c $((5 * 1048576 + 12345)) /dev/urandom >"$data/blob.bin"
	sha256sum <"$data/blob.bin" >"$exp/blob.sum"
	# The same blob on a second, read-only device that uses the DMA API.
	mkdir -p "$data/../dma"
	cp "$data/blob.bin" "$data/../dma/blob.bin"
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/finit" "$exp/../finit"
	# The server's own refusal: root may not change an immutable inode.
	if chattr +i "$data/locked" 2>/dev/null; then
		: >"$exp/immutable"
	fi
	return 0
}

# A device behind the DMA API (iommu_platform=on, modern-only: QEMU offers
# it on no legacy device; as in SEV/TDX guests):
# with swiotlb=force on the guest's command line (V9X_APPEND) every buffer
# it is given is bounced, and one larger than a swiotlb segment cannot be
# mapped at all.
suite_args() {
	local data=$1
	SUITE_QEMU_ARGS=(-fsdev "local,id=dmafs,path=$data/../dma,security_model=none,readonly=on"
			 -device "virtio-9p-pci,fsdev=dmafs,mount_tag=dma,iommu_platform=on,disable-legacy=on")
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3
	chattr -i "$data/locked" 2>/dev/null
	if [ "$(ls -A "$data" | tr '\n' ' ')" = "blob.bin hello.txt locked somedir " ] &&
	   [ "$(ls -A "$data/somedir" | tr '\n' ' ')" = "inner.txt sub " ] &&
	   cmp -s "$data/hello.txt" "$exp/hello.txt" &&
	   [ "$(sha256sum <"$data/blob.bin")" = "$(cat "$exp/blob.sum")" ] &&
	   [ "$(sha256sum <"$data/../dma/blob.bin")" = "$(cat "$exp/blob.sum")" ]; then
		t_ok "$prefix: host: the guest's write attempts left the share unchanged"
	else
		t_fail "$prefix: host: the guest's write attempts left the share unchanged" \
			"$(ls -laR "$data")"
	fi
}
