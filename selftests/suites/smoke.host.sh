# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "smoke" suite: a quick read/write round trip, run with the
# dkms-installed module (see scripts/dkms.sh).

SUITE_TIMEOUT=300

suite_prep() {
	local data=$1 exp=$2
	head -c 3000000 /dev/urandom >"$data/in"
	sha256sum <"$data/in" | cut -d' ' -f1 >"$exp/in.sha"
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3
	t_check "$prefix: host: the file the guest wrote equals the one it read" \
		cmp "$data/in" "$data/out"
}
