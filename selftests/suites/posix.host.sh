# SPDX-License-Identifier: GPL-2.0
#
# Host side of the "posix" suite: the guest runs progs/posix.c (every
# namespace and data operation, each checked by return value and errno) on
# the v9x mount, then the host checks what it left on its side of the share:
# contents by sha256, sizes, modes, owners, link counts, symlink targets,
# xattrs, sub-second times and that removed names are gone.

SUITE_TIMEOUT=600

suite_prep() {
	local data=$1 exp=$2 progs
	progs=$(bash "$V9X_SELFTESTS/progs/build.sh")
	cp "$progs/posix" "$exp/../posix"
	mkdir -p "$data/px"
	# O_APPEND: 16 MiB of distinct 4 KiB blocks, appended three times by
	# single write(2)s, must land in order.
	head -c $((16 << 20)) /dev/urandom >"$data/appsrc"
	for _ in 1 2 3; do cat "$data/appsrc"; done | sha256sum | cut -d' ' -f1 >"$exp/append.sum"
}

# _check_boundary DIR MSIZE: each b<size>@<off> file must be off+size bytes,
# hold pattern bytes (byte i is i % 251) from off, and zeros before (checked
# at both ends of the hole).
_check_boundary() {
	python3 - "$1" "$2" <<'PY'
import os, sys
d, msize = sys.argv[1], int(sys.argv[2])
cases = [(0, 0), (1, 0), (4095, 0), (4096, 0), (4097, 0), (msize - 1, 0),
         (msize, 0), (msize + 1, 0), (4097, 1), (4097, 4095), (4097, 4096),
         (4097, 4097), (4097, (5 << 30) + 17), (msize + 1, 4095)]
bad = []
for size, off in cases:
    p = os.path.join(d, "b%d@%d" % (size, off))
    try:
        with open(p, "rb") as f:
            if os.fstat(f.fileno()).st_size != off + size:
                bad.append("%s: size" % p); continue
            f.seek(off)
            data = f.read(size)
            want = bytes((off + i) % 251 for i in range(size))
            if data != want:
                bad.append("%s: data" % p); continue
            for at in (0, max(0, off - 4096)):
                f.seek(at)
                hole = f.read(min(4096, off - at))
                if hole.strip(b"\0"):
                    bad.append("%s: hole at %d" % (p, at))
    except OSError as e:
        bad.append("%s: %s" % (p, e))
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

# _check_append FILE SUMFILE: FILE is 48 MiB with the sha256 in SUMFILE;
# else say which 4 KiB blocks of it hold which block of the source.
_check_append() {
	local sum
	sum=$(sha256sum <"$1" | cut -d' ' -f1) || return 1
	[ -s "$2" ] && [ "$sum" = "$(cat "$2")" ] && return 0
	echo "size $(stat -c %s "$1"), want $((48 << 20))"
	python3 - "$1" "${1%/*}/appsrc" <<'PY'
import sys
got, src = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
blk = {src[i:i + 4096]: i // 4096 for i in range(0, len(src), 4096)}
n = 0
for i in range(0, len(got), 4096):
    j = blk.get(got[i:i + 4096])
    if j != (i // 4096) % 4096:
        print("block %d holds source block %s" % (i // 4096, j))
        n += 1
        if n == 5:
            break
PY
	return 1
}

suite_verify() {
	local data=$1 exp=$2 prefix=$3 f=$1/px/final msize
	msize=$(cat "$data/../ctl/msize" 2>/dev/null || echo 4194304)
	t_check "$prefix: host: 14 boundary files (sizes 0..msize+1, offsets up to 5 GiB) hold the right bytes" \
		_check_boundary "$f" "$msize"
	t_check "$prefix: host: the 8 MiB written at bs=4M (several Twrites in flight) is intact" \
		same_sum "$data/px/zcw" "$data/px/zcw.sum"
	t_check "$prefix: host: sparse file is 5 GiB + 3 and ends in END" \
		bash -c "[ \$(stat -c %s '$f/sparse') = $(((5 << 30) + 3)) ] && [ \"\$(tail -c 3 '$f/sparse')\" = END ]"
	t_check "$prefix: host: perm has mode 640, uid 1234, gid 5678" \
		bash -c "[ \"\$(stat -c '%a %u %g' '$f/perm')\" = '640 1234 5678' ]"
	t_check "$prefix: host: hard links share an inode, nlink 2" \
		bash -c "[ \"\$(stat -c '%h %i' '$f/hl1')\" = \"\$(stat -c '%h %i' '$f/hl2')\" ] && [ \$(stat -c %h '$f/hl1') = 2 ]"
	t_check "$prefix: host: symlink targets" \
		bash -c "[ \"\$(readlink '$f/sym')\" = b4096@0 ] && [ \"\$(readlink '$f/symabs')\" = /abs/target ]"
	t_check "$prefix: host: xattr user.a=alpha set, user.b removed" \
		python3 -c "import os,sys; p='$f/xf'; a=os.getxattr(p,'user.a'); n=os.listxattr(p); sys.exit(0 if a==b'alpha' and 'user.b' not in n else 1)"
	t_check "$prefix: host: the 3000-byte xattr user.big holds its bytes" \
		python3 -c "import os,sys; v=os.getxattr('$f/xf','user.big'); sys.exit(0 if v==bytes(65+i%26 for i in range(3000)) else 1)"
	t_check "$prefix: host: mtime 1234567890.123456789 kept to the nanosecond" \
		bash -c "[ \"\$(stat -c %y '$f/timed')\" = \"\$(date -d @1234567890 '+%Y-%m-%d %H:%M:%S').123456789 \$(date -d @1234567890 +%z)\" ]"
	t_check "$prefix: host: truncated file is 12345 bytes, 100 kept, rest zeros" \
		bash -c "[ \$(stat -c %s '$f/trunc') = 12345 ] && [ \"\$(head -c 100 '$f/trunc' | sha256sum)\" = \"\$(python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(100)))' | sha256sum)\" ] && [ -z \"\$(tail -c 12245 '$f/trunc' | tr -d '\\0')\" ]"
	t_check "$prefix: host: renamed directory moved with its content" \
		bash -c "[ ! -e '$f/old-dir' ] && [ \"\$(cat '$f/renamed-dir/inner')\" = inner ]"
	t_check "$prefix: host: three 16 MiB O_APPEND writes landed whole and in order" \
		_check_append "$data/append" "$exp/append.sum"
	t_check "$prefix: host: unlinked files are gone" \
		bash -c "[ ! -e '$f/unlinked-open' ] && [ ! -e '$data/px/r1' ] && [ ! -e '$f/hl3' ]"
}
