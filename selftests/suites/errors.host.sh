# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "errors" suite (sourced by run.sh): a small share with a
# file, a directory and an immutable file (chattr +i: the server itself
# refuses with EPERM) for the error-path and mount/umount lifecycle tests,
# and a 5 MiB file of random bytes that the guest hands to finit_module(2)
# (the kernel reads it whole into a kernel buffer, then refuses it as not
# an ELF image).

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
	cp "$(bash "$V9X_SELFTESTS/progs/build.sh")/finit" "$exp/../finit"
	# The server's own refusal: root may not change an immutable inode.
	if chattr +i "$data/locked" 2>/dev/null; then
		: >"$exp/immutable"
	fi
	return 0
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3
	chattr -i "$data/locked" 2>/dev/null
	if [ "$(ls -A "$data" | tr '\n' ' ')" = "blob.bin hello.txt locked somedir " ] &&
	   [ "$(ls -A "$data/somedir" | tr '\n' ' ')" = "inner.txt sub " ] &&
	   cmp -s "$data/hello.txt" "$exp/hello.txt" &&
	   [ "$(sha256sum <"$data/blob.bin")" = "$(cat "$exp/blob.sum")" ]; then
		t_ok "$prefix: host: the guest's write attempts left the share unchanged"
	else
		t_fail "$prefix: host: the guest's write attempts left the share unchanged" \
			"$(ls -laR "$data")"
	fi
}
