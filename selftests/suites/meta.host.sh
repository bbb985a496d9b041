# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "meta" suite (sourced by run.sh): what metadata
# operations cost in 9P requests, counted in the guest's debugfs (the
# issue-16 design: dentries kept and revalidated with one Tgetattr,
# prefetch from listings, negative dentries, qid.version 0, the memory a
# huge listing holds). A tree of small files, a 2,000-entry and a 100,000-entry
# directory, a file whose qid.version is 0 (QEMU: mtime ^ size << 8, so
# mtime 0 and size 0).

SUITE_TIMEOUT=600

suite_prep() {
	local data=$1 exp=$2 i progs
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/metabench" "$exp/../metabench"
	cp "$progs/runas" "$exp/../runas"
	mkdir -p "$data/m/a/b/c/n" "$data/m/wide" "$data/m/par" "$data/m/huge"
	for i in $(seq 1 40); do echo "$i" >"$data/m/a/b/c/f$i"; done
	(cd "$data/m/wide" && seq -f 'w%04g' 1 2000 | xargs touch)
	(cd "$data/m/par" && seq -f 'p%03g' 1 64 | xargs touch)
	mkdir -p "$data/m/pn"
	(cd "$data/m/pn" && seq -f 'q%03g' 1 64 | xargs touch)
	mkdir -p "$data/m/pr"
	(cd "$data/m/pr" && seq -f 'r%03g' 1 48 | xargs touch)
	mkdir -p "$data/m/git"
	(cd "$data/m/git" && seq -f 'g%03g' 1 100 | xargs touch)
	(cd "$data/m/huge" && seq -f 'h%06g' 1 100000 | xargs touch)
	: >"$data/m/v0"
	touch -d @0 "$data/m/v0"
	echo v1 >"$data/m/v1"
}

suite_verify() {
	local data=$1 prefix=$3
	t_check "$prefix: host: the create/unlink loop left nothing behind" \
		bash -c "[ -z \"\$(ls -A '$data/m/a/b/c/n')\" ]"
}
