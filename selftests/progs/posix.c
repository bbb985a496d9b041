// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX behaviour of a v9x mount, checked from the guest (static binary).
 *
 *   posix DIR MSIZE
 *
 * Works inside DIR (an empty directory on the mount). Each check prints
 * "RESULT ok NAME" or "RESULT fail NAME: detail"; the guest script turns
 * them into test lines. It leaves a known tree under DIR/final that the host
 * verifies on its side of the share (see suites/posix.host.sh):
 *   final/b<size>@<off>   pattern bytes (byte i of the file = i % 251) at
 *                         the listed boundary sizes and offsets
 *   final/sparse          "END" at 5 GiB, a hole before it
 *   final/perm            mode 0640, uid 1234, gid 5678
 *   final/hl1, final/hl2  hard links (nlink 2)
 *   final/sym, final/symabs  symlinks to "b4096@0" and "/abs/target"
 *   final/xf              user.a = "alpha", user.b removed
 *   final/timed           mtime 1234567890.123456789
 *   final/trunc           100 pattern bytes, then grown to 12345 (zeros)
 *   final/renamed-dir/inner  moved from final/old-dir/inner
 *   final/unlinked-open   must not exist (written while unlinked)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static int failures;

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("RESULT ok %s\n", name);
	} else {
		failures++;
		printf("RESULT fail %s: ", name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	fflush(stdout);
}

/* CHECK_OK(name, expr): expr must be >= 0. */
#define CHECK_OK(name, expr) do {					\
	long __r = (long)(expr);					\
	result(__r >= 0, name, "%s returned %ld (%s)", #expr, __r,	\
	       strerror(errno));					\
} while (0)

/* CHECK_ERR(name, expr, err): expr must fail with errno err. */
#define CHECK_ERR(name, expr, err) do {					\
	long __r;							\
	errno = 0;							\
	__r = (long)(expr);						\
	result(__r < 0 && errno == (err), name,				\
	       "%s returned %ld errno %d (%s), wanted %s", #expr, __r,	\
	       errno, strerror(errno), #err);				\
} while (0)

static unsigned char pat(uint64_t i)
{
	return (unsigned char)(i % 251);
}

static void fill(unsigned char *b, uint64_t off, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = pat(off + i);
}

/* Write size pattern bytes at off into a new file, read back, compare. */
static void boundary(const char *dir, size_t size, uint64_t off)
{
	char path[PATH_MAX], name[128];
	unsigned char *w = malloc(size + 1), *r = malloc(size + 4097);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/final/b%zu@%llu", dir, size,
		 (unsigned long long)off);
	snprintf(name, sizeof(name), "write/read %zu bytes at offset %llu", size,
		 (unsigned long long)off);
	fill(w, off, size);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		result(0, name, "open: %s", strerror(errno));
		goto out;
	}
	n = pwrite(fd, w, size, off);
	if (n != (ssize_t)size) {
		result(0, name, "pwrite returned %zd (%s)", n, strerror(errno));
		close(fd);
		goto out;
	}
	memset(r, 0xee, size + 4097);
	n = pread(fd, r, size + 4096, off);
	if (n != (ssize_t)size || memcmp(r, w, size)) {
		result(0, name, "pread returned %zd, data %s", n,
		       n == (ssize_t)size ? "differs" : "short");
	} else if (off && (pread(fd, r, 1, off - 1) != 1 || r[0] != 0)) {
		result(0, name, "the hole before the data does not read as zero");
	} else {
		result(1, name, NULL);
	}
	close(fd);
out:
	free(w);
	free(r);
}

static int write_file(const char *path, const void *buf, size_t n, int mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, buf, n) != (ssize_t)n) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Forget cached dentries and inodes (root only; else a no-op). */
static void drop_dcache(void)
{
	int fd;

	sync();
	fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	if (fd < 0)
		return;
	if (write(fd, "2", 1) != 1)
		perror("drop_caches");
	close(fd);
}

static void test_open_create(const char *d)
{
	char p[PATH_MAX], q[PATH_MAX], buf[64];
	struct stat st;
	int fd;

	snprintf(p, sizeof(p), "%s/excl", d);
	fd = open(p, O_RDWR | O_CREAT | O_EXCL, 0600);
	CHECK_OK("open O_CREAT|O_EXCL creates", fd);
	if (fd >= 0)
		close(fd);
	CHECK_ERR("open O_CREAT|O_EXCL on an existing file: EEXIST",
		  open(p, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	/*
	 * The same with names the dentry cache has forgotten (dropped), so
	 * the server's answer decides: a file, a directory, a dangling
	 * symlink (O_EXCL never follows one) all give EEXIST.
	 */
	snprintf(q, sizeof(q), "%s/excl-dir", d);
	CHECK_OK("mkdir excl-dir", mkdir(q, 0755));
	snprintf(q, sizeof(q), "%s/excl-dangling", d);
	CHECK_OK("symlink excl-dangling", symlink("no-such-target", q));
	drop_dcache();
	CHECK_ERR("O_CREAT|O_EXCL, uncached existing file: EEXIST",
		  open(p, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	snprintf(q, sizeof(q), "%s/excl-dir", d);
	CHECK_ERR("O_CREAT|O_EXCL, uncached existing directory: EEXIST",
		  open(q, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	snprintf(q, sizeof(q), "%s/excl-dangling", d);
	CHECK_ERR("O_CREAT|O_EXCL, uncached dangling symlink: EEXIST",
		  open(q, O_RDWR | O_CREAT | O_EXCL, 0600), EEXIST);
	result(lstat(q, &st) == 0 && S_ISLNK(st.st_mode) &&
	       stat(q, &st) < 0 && errno == ENOENT,
	       "the dangling symlink is left alone (nothing created)", "%s",
	       strerror(errno));
	unlink(q);
	snprintf(q, sizeof(q), "%s/excl-dir", d);
	rmdir(q);
	fd = stat(p, &st);
	result(!fd && (st.st_mode & 07777) == 0600 && S_ISREG(st.st_mode),
	       "created file has the requested mode (umask 0)", "mode %o",
	       st.st_mode);
	snprintf(q, sizeof(q), "%s/nonexistent", d);
	CHECK_ERR("open of a missing file: ENOENT", open(q, O_RDONLY), ENOENT);
	snprintf(q, sizeof(q), "%s/nonexistent/x", d);
	CHECK_ERR("create under a missing directory: ENOENT",
		  open(q, O_RDWR | O_CREAT, 0600), ENOENT);
	snprintf(q, sizeof(q), "%s/excl/x", d);
	CHECK_ERR("path through a regular file: ENOTDIR",
		  open(q, O_RDONLY), ENOTDIR);

	/* O_TRUNC */
	write_file(p, "0123456789", 10, 0600);
	fd = open(p, O_RDWR | O_TRUNC);
	result(fd >= 0 && !fstat(fd, &st) && st.st_size == 0,
	       "open O_TRUNC truncates to 0", "size %lld",
	       (long long)st.st_size);
	if (fd >= 0)
		close(fd);

	/* O_APPEND */
	write_file(p, "abc", 3, 0600);
	fd = open(p, O_WRONLY | O_APPEND);
	if (fd >= 0) {
		lseek(fd, 0, SEEK_SET);
		CHECK_OK("write with O_APPEND", write(fd, "def", 3));
		result(lseek(fd, 0, SEEK_CUR) == 6, "O_APPEND leaves the offset at the end",
		       "offset %lld", (long long)lseek(fd, 0, SEEK_CUR));
		close(fd);
	}
	fd = open(p, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	result(fd >= 0 && read(fd, buf, sizeof(buf)) == 6 && !memcmp(buf, "abcdef", 6),
	       "O_APPEND data lands at the end", "got '%s'", buf);
	if (fd >= 0)
		close(fd);

	/* O_DIRECT */
	fd = open(p, O_RDWR | O_DIRECT);
	CHECK_OK("open O_DIRECT", fd);
	if (fd >= 0) {
		unsigned char *wr, *rd;
		ssize_t nw, nr = -1;
		size_t i, bad = 8192;

		if (posix_memalign((void **)&wr, 4096, 8192) ||
		    posix_memalign((void **)&rd, 4096, 8192)) {
			result(0, "O_DIRECT aligned write and read", "no memory");
			close(fd);
			goto no_direct;
		}
		/* A pattern that differs in every byte of a page. */
		for (i = 0; i < 8192; i++)
			wr[i] = (unsigned char)(i * 7 + i / 4096 + 1);
		memset(rd, 0, 8192);
		nw = pwrite(fd, wr, 8192, 0);
		if (nw == 8192)
			nr = pread(fd, rd, 8192, 0);
		if (nr == 8192)
			for (bad = 0; bad < 8192 && rd[bad] == wr[bad]; bad++)
				;
		result(nw == 8192 && nr == 8192 && bad == 8192,
		       "O_DIRECT aligned write, read back into a fresh buffer, all 8192 bytes equal",
		       "write %zd read %zd first difference at %zu (%s)", nw, nr,
		       bad, strerror(errno));
		free(wr);
		free(rd);
		close(fd);
	}
no_direct:

	/* name too long */
	memset(q, 'n', sizeof(q));
	snprintf(q, sizeof(q), "%s/", d);
	memset(q + strlen(q), 'n', 256);
	q[strlen(d) + 1 + 256] = 0;
	CHECK_ERR("256-byte name: ENAMETOOLONG", open(q, O_RDWR | O_CREAT, 0600),
		  ENAMETOOLONG);
	CHECK_ERR("256-byte name, O_CREAT|O_EXCL: ENAMETOOLONG",
		  open(q, O_RDWR | O_CREAT | O_EXCL, 0600), ENAMETOOLONG);
	snprintf(q, sizeof(q), "%s", d);
	CHECK_ERR("open a directory for writing: EISDIR", open(q, O_WRONLY),
		  EISDIR);
}

static void test_io(const char *d, size_t msize)
{
	size_t sizes[] = { 0, 1, 4095, 4096, 4097, msize - 1, msize, msize + 1 };
	uint64_t offs[] = { 0, 1, 4095, 4096, 4097, (5ULL << 30) + 17 };
	char p[PATH_MAX];
	unsigned int i;
	struct iovec iov[3];
	char a[5000], b[3], c[7000], r[13000];
	int fd;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		boundary(d, sizes[i], 0);
	for (i = 1; i < sizeof(offs) / sizeof(offs[0]); i++)
		boundary(d, 4097, offs[i]);
	boundary(d, msize + 1, 4095);

	/* writev of three pieces */
	snprintf(p, sizeof(p), "%s/writev", d);
	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	memset(c, 'c', sizeof(c));
	iov[0] = (struct iovec){ a, sizeof(a) };
	iov[1] = (struct iovec){ b, sizeof(b) };
	iov[2] = (struct iovec){ c, sizeof(c) };
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	result(fd >= 0 && writev(fd, iov, 3) == 12003 &&
	       pread(fd, r, sizeof(r), 0) == 12003 && r[4999] == 'a' &&
	       r[5000] == 'b' && r[5003] == 'c' && r[12002] == 'c',
	       "writev of 3 segments reads back", "%s", strerror(errno));
	if (fd >= 0)
		close(fd);

	/* sparse file at 5 GiB */
	snprintf(p, sizeof(p), "%s/final/sparse", d);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		struct stat st;
		char z[4096];

		result(pwrite(fd, "END", 3, 5ULL << 30) == 3 && !fstat(fd, &st) &&
		       st.st_size == (5LL << 30) + 3,
		       "pwrite at 5 GiB: size 5 GiB + 3", "%s", strerror(errno));
		memset(z, 1, sizeof(z));
		result(pread(fd, z, sizeof(z), 3ULL << 30) == sizeof(z) &&
		       !memchr(z, 1, sizeof(z)) && !z[0] && !z[4095],
		       "hole at 3 GiB reads as zeros", "%s", strerror(errno));
		close(fd);
	}
}

static void test_namespace(const char *d)
{
	char p[PATH_MAX], q[PATH_MAX], t[PATH_MAX];
	struct stat st;
	ssize_t n;

	snprintf(p, sizeof(p), "%s/dir", d);
	CHECK_OK("mkdir", mkdir(p, 0755));
	CHECK_ERR("mkdir of an existing name: EEXIST", mkdir(p, 0755), EEXIST);
	snprintf(q, sizeof(q), "%s/dir/file", d);
	CHECK_OK("create in the new directory", write_file(q, "x", 1, 0644));
	CHECK_ERR("rmdir of a non-empty directory: ENOTEMPTY", rmdir(p), ENOTEMPTY);
	CHECK_ERR("rmdir of a file: ENOTDIR", rmdir(q), ENOTDIR);
	CHECK_ERR("unlink of a directory: EISDIR", unlink(p), EISDIR);
	CHECK_ERR("unlink of a missing name: ENOENT",
		  unlink("/nonexistent-v9x"), ENOENT);
	snprintf(t, sizeof(t), "%s/dir/missing", d);
	CHECK_ERR("unlink of a missing name on v9x: ENOENT", unlink(t), ENOENT);

	/* rename: file over file */
	snprintf(p, sizeof(p), "%s/r1", d);
	snprintf(q, sizeof(q), "%s/r2", d);
	write_file(p, "one", 3, 0644);
	write_file(q, "two", 3, 0644);
	CHECK_OK("rename a file over another file", rename(p, q));
	result(stat(p, &st) && errno == ENOENT, "rename: the old name is gone",
	       "stat old name: %s", strerror(errno));
	result(!stat(q, &st) && st.st_size == 3, "rename: the new name has the data",
	       "%s", strerror(errno));
	/* cross-directory */
	snprintf(t, sizeof(t), "%s/dir/r2moved", d);
	CHECK_OK("rename across directories", rename(q, t));
	/* directory rename */
	snprintf(p, sizeof(p), "%s/dir", d);
	snprintf(q, sizeof(q), "%s/dir2", d);
	CHECK_OK("rename a directory", rename(p, q));
	snprintf(t, sizeof(t), "%s/dir2/file", d);
	result(!stat(t, &st), "renamed directory keeps its contents", "%s",
	       strerror(errno));
	/* directory over a non-empty directory */
	snprintf(p, sizeof(p), "%s/dir3", d);
	mkdir(p, 0755);
	errno = 0;
	n = rename(p, q);
	result(n < 0 && (errno == ENOTEMPTY || errno == EEXIST),
	       "rename a directory over a non-empty one: ENOTEMPTY", "errno %d",
	       errno);
	snprintf(t, sizeof(t), "%s/dir2/file", d);
	CHECK_ERR("rename a directory over a file: ENOTDIR", rename(p, t), ENOTDIR);
	CHECK_ERR("rename a file over a directory: EISDIR", rename(t, p), EISDIR);
	snprintf(t, sizeof(t), "%s/dir3/sub", d);
	CHECK_ERR("rename a directory into itself: EINVAL", rename(p, t), EINVAL);
	/* dir3 (empty) over dir4 (empty): allowed, dir4 is replaced */
	snprintf(q, sizeof(q), "%s/dir4", d);
	CHECK_OK("mkdir an empty target directory", mkdir(q, 0755));
	CHECK_OK("rename a directory over an empty one", rename(p, q));
	result(stat(p, &st) && errno == ENOENT,
	       "rename over an empty directory: the old name is gone", "stat: %s",
	       strerror(errno));
	result(!stat(q, &st) && S_ISDIR(st.st_mode),
	       "rename over an empty directory: the new name is a directory",
	       "%s mode %o", strerror(errno), st.st_mode);
	snprintf(q, sizeof(q), "%s/dir2", d);
	CHECK_ERR("rename across mounts: EXDEV", rename(q, "/tmp/v9x-exdev"), EXDEV);

	/* symlinks */
	snprintf(p, sizeof(p), "%s/final/sym", d);
	CHECK_OK("symlink (relative)", symlink("b4096@0", p));
	n = readlink(p, t, sizeof(t));
	result(n == 7 && !memcmp(t, "b4096@0", 7), "readlink returns the target",
	       "got %zd", n);
	result(!stat(p, &st) && st.st_size == 4096, "stat follows the symlink",
	       "%s", strerror(errno));
	result(!lstat(p, &st) && S_ISLNK(st.st_mode) && st.st_size == 7,
	       "lstat sees the symlink", "mode %o size %lld", st.st_mode,
	       (long long)st.st_size);
	snprintf(p, sizeof(p), "%s/final/symabs", d);
	CHECK_OK("symlink (absolute, dangling)", symlink("/abs/target", p));
	CHECK_ERR("symlink over an existing name: EEXIST", symlink("x", p), EEXIST);

	/* hard links */
	snprintf(p, sizeof(p), "%s/final/hl1", d);
	snprintf(q, sizeof(q), "%s/final/hl2", d);
	write_file(p, "hardlink", 8, 0644);
	CHECK_OK("link", link(p, q));
	result(!stat(p, &st) && st.st_nlink == 2, "nlink is 2 on the first name",
	       "nlink %lu", (unsigned long)st.st_nlink);
	result(!stat(q, &st) && st.st_nlink == 2, "nlink is 2 on the second name",
	       "nlink %lu", (unsigned long)st.st_nlink);
	snprintf(t, sizeof(t), "%s/final/hl3", d);
	CHECK_OK("link a third name", link(p, t));
	result(!stat(p, &st) && st.st_nlink == 3, "nlink is 3 with a third name",
	       "nlink %lu", (unsigned long)st.st_nlink);
	CHECK_OK("unlink the third name", unlink(t));
	result(!stat(p, &st) && st.st_nlink == 2, "nlink back to 2 after unlinking a third name",
	       "nlink %lu", (unsigned long)st.st_nlink);
	CHECK_ERR("link over an existing name: EEXIST", link(p, q), EEXIST);

	/* moved directory for the host check */
	snprintf(p, sizeof(p), "%s/final/old-dir", d);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/final/old-dir/inner", d);
	write_file(p, "inner", 5, 0644);
	snprintf(p, sizeof(p), "%s/final/old-dir", d);
	snprintf(q, sizeof(q), "%s/final/renamed-dir", d);
	CHECK_OK("rename a directory (host-verified)", rename(p, q));

	/* mkfifo: QEMU refuses special files with security_model=none */
	snprintf(p, sizeof(p), "%s/fifo", d);
	errno = 0;
	n = mkfifo(p, 0644);
	if (n == 0) {
		result(!lstat(p, &st) && S_ISFIFO(st.st_mode), "mkfifo creates a FIFO",
		       "mode %o", st.st_mode);
	} else {
		/* QEMU 7.2 with security_model=none: "broken or compromised
		 * client detected", ENXIO; any other errno is a client bug. */
		int e = errno;

		result(e == ENXIO, "mkfifo refused with exactly ENXIO (security_model=none)",
		       "errno %d (%s)", e, strerror(e));
	}
}

static void test_attrs(const char *d)
{
	char p[PATH_MAX];
	unsigned char buf[200];
	struct timespec ts[2];
	struct stat st;
	struct statfs sfs;
	int fd;

	snprintf(p, sizeof(p), "%s/final/perm", d);
	write_file(p, "perm", 4, 0600);
	CHECK_OK("chmod", chmod(p, 0640));
	CHECK_OK("chown", chown(p, 1234, 5678));
	result(!stat(p, &st) && (st.st_mode & 07777) == 0640 && st.st_uid == 1234 &&
	       st.st_gid == 5678, "stat shows the new mode and owner",
	       "mode %o uid %u gid %u", st.st_mode, st.st_uid, st.st_gid);

	snprintf(p, sizeof(p), "%s/final/trunc", d);
	fill(buf, 0, 200);
	write_file(p, buf, 200, 0644);
	CHECK_OK("truncate (shrink)", truncate(p, 100));
	CHECK_OK("truncate (grow)", truncate(p, 12345));
	fd = open(p, O_RDWR);
	memset(buf, 0xff, sizeof(buf));
	result(fd >= 0 && pread(fd, buf, 200, 0) == 200 && buf[0] == pat(0) &&
	       buf[99] == pat(99) && buf[100] == 0 && buf[199] == 0,
	       "truncate: kept bytes intact, grown part reads zeros", "%s",
	       strerror(errno));
	if (fd >= 0) {
		CHECK_OK("ftruncate", ftruncate(fd, 12345));
		result(!fstat(fd, &st) && st.st_size == 12345, "fstat size after ftruncate",
		       "size %lld", (long long)st.st_size);
		CHECK_OK("fsync", fsync(fd));
		CHECK_OK("fdatasync", fdatasync(fd));
		close(fd);
	}

	snprintf(p, sizeof(p), "%s/final/timed", d);
	write_file(p, "t", 1, 0644);
	ts[0].tv_sec = 1000000000;
	ts[0].tv_nsec = 5;
	ts[1].tv_sec = 1234567890;
	ts[1].tv_nsec = 123456789;
	CHECK_OK("utimensat with nanoseconds", utimensat(AT_FDCWD, p, ts, 0));
	result(!stat(p, &st) && st.st_mtim.tv_sec == 1234567890 &&
	       st.st_mtim.tv_nsec == 123456789 && st.st_atim.tv_sec == 1000000000,
	       "mtime and atime keep their nanoseconds", "mtime %lld.%09ld",
	       (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_OMIT;
	CHECK_OK("utimensat UTIME_OMIT", utimensat(AT_FDCWD, p, ts, 0));
	result(!stat(p, &st) && st.st_mtim.tv_sec == 1234567890,
	       "UTIME_OMIT leaves mtime alone", "mtime %lld",
	       (long long)st.st_mtim.tv_sec);
	snprintf(p, sizeof(p), "%s/excl", d);
	ts[0].tv_nsec = UTIME_NOW;
	ts[1].tv_nsec = UTIME_NOW;
	CHECK_OK("utimensat UTIME_NOW", utimensat(AT_FDCWD, p, ts, 0));
	result(!stat(p, &st) && st.st_mtim.tv_sec > 1600000000,
	       "UTIME_NOW sets a current mtime", "mtime %lld",
	       (long long)st.st_mtim.tv_sec);

	CHECK_OK("statfs", statfs(d, &sfs));
	result(sfs.f_blocks > 0 && sfs.f_bsize > 0, "statfs reports blocks",
	       "blocks %llu", (unsigned long long)sfs.f_blocks);
}

/*
 * A 3000-byte value: more than V9X_ZC_MIN, so it travels in the kernel's
 * own buffer (copied, never zero-copy). The host checks the same bytes.
 */
static void test_xattr_big(const char *p)
{
	static char big[3000], got[4096];
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = 'A' + i % 26;
	CHECK_OK("setxattr of a 3000-byte value",
		 setxattr(p, "user.big", big, sizeof(big), 0));
	memset(got, 0, sizeof(got));
	n = getxattr(p, "user.big", got, sizeof(got));
	result(n == (ssize_t)sizeof(big) && !memcmp(got, big, sizeof(big)),
	       "getxattr returns the 3000-byte value intact", "got %zd", n);
}

static void test_xattr(const char *d)
{
	char p[PATH_MAX], v[64], list[256];
	ssize_t n;

	snprintf(p, sizeof(p), "%s/final/xf", d);
	write_file(p, "x", 1, 0644);
	CHECK_OK("setxattr XATTR_CREATE", setxattr(p, "user.a", "alpha", 5, XATTR_CREATE));
	CHECK_ERR("setxattr XATTR_CREATE on an existing name: EEXIST",
		  setxattr(p, "user.a", "x", 1, XATTR_CREATE), EEXIST);
	CHECK_ERR("setxattr XATTR_REPLACE on a missing name: ENODATA",
		  setxattr(p, "user.zz", "x", 1, XATTR_REPLACE), ENODATA);
	CHECK_OK("setxattr second name", setxattr(p, "user.b", "beta", 4, 0));
	CHECK_OK("setxattr XATTR_REPLACE", setxattr(p, "user.b", "BETA", 4, XATTR_REPLACE));
	memset(v, 0, sizeof(v));
	n = getxattr(p, "user.b", v, sizeof(v));
	result(n == 4 && !memcmp(v, "BETA", 4), "getxattr returns the replaced value",
	       "got %zd '%s'", n, v);
	n = getxattr(p, "user.a", NULL, 0);
	result(n == 5, "getxattr size query", "got %zd", n);
	CHECK_ERR("getxattr into a small buffer: ERANGE",
		  getxattr(p, "user.a", v, 2), ERANGE);
	CHECK_ERR("getxattr of a missing name: ENODATA",
		  getxattr(p, "user.missing", v, sizeof(v)), ENODATA);
	n = listxattr(p, list, sizeof(list));
	result(n > 0 && memmem(list, n, "user.a", 7) && memmem(list, n, "user.b", 7),
	       "listxattr lists both names", "got %zd", n);
	CHECK_OK("removexattr", removexattr(p, "user.b"));
	CHECK_ERR("getxattr after removexattr: ENODATA",
		  getxattr(p, "user.b", v, sizeof(v)), ENODATA);
	test_xattr_big(p);
}

static void test_locks(const char *d)
{
	char p[PATH_MAX];
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 100 };
	int fd, status;
	pid_t pid;

	snprintf(p, sizeof(p), "%s/lockfile", d);
	fd = open(p, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		result(0, "lock file", "%s", strerror(errno));
		return;
	}
	CHECK_OK("fcntl F_SETLK write lock", fcntl(fd, F_SETLK, &fl));
	CHECK_OK("flock LOCK_EX", flock(fd, LOCK_EX | LOCK_NB));
	pid = fork();
	if (!pid) {
		struct flock g = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				   .l_start = 50, .l_len = 10 };
		int cfd = open(p, O_RDWR);
		int bad = 0;

		if (fcntl(cfd, F_GETLK, &g) || g.l_type != F_WRLCK ||
		    g.l_pid != getppid())
			bad |= 1;
		g.l_type = F_WRLCK;
		if (fcntl(cfd, F_SETLK, &g) == 0 || (errno != EAGAIN && errno != EACCES))
			bad |= 2;
		if (flock(cfd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK)
			bad |= 4;
		g.l_start = 200;
		if (fcntl(cfd, F_SETLK, &g))	/* a free range */
			bad |= 8;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "another process sees the locks (F_GETLK, F_SETLK, flock)",
	       "child status %d", WEXITSTATUS(status));
	pid = fork();
	if (!pid) {
		struct flock g = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				   .l_start = 0, .l_len = 100 };
		int cfd = open(p, O_RDWR);

		/* Blocks until the parent unlocks. */
		_exit(fcntl(cfd, F_SETLKW, &g) ? 1 : 0);
	}
	usleep(300000);
	fl.l_type = F_UNLCK;
	CHECK_OK("fcntl F_SETLK unlock", fcntl(fd, F_SETLK, &fl));
	waitpid(pid, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "F_SETLKW waits for the unlock and gets the lock", "status %d",
	       status);
	close(fd);
}

static void test_open_unlink(const char *d)
{
	const char *fd_truncate = getenv("V9X_SERVER_FD_TRUNCATE");
	char p[PATH_MAX], buf[64];
	struct stat st;
	int fd;

	snprintf(p, sizeof(p), "%s/final/unlinked-open", d);
	fd = open(p, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		result(0, "open-unlink: create", "%s", strerror(errno));
		return;
	}
	write(fd, "before", 6);
	CHECK_OK("open-unlink: unlink while open", unlink(p));
	result(write(fd, "-after", 6) == 6, "open-unlink: write after unlink",
	       "%s", strerror(errno));
	memset(buf, 0, sizeof(buf));
	result(pread(fd, buf, sizeof(buf), 0) == 12 && !strcmp(buf, "before-after"),
	       "open-unlink: read after unlink", "got '%s'", buf);
	result(!fstat(fd, &st) && st.st_size == 12 && st.st_nlink == 0,
	       "open-unlink: fstat after unlink (size 12, nlink 0)",
	       "%s size %lld nlink %lu", strerror(errno), (long long)st.st_size,
	       (unsigned long)st.st_nlink);
	errno = 0;
	if (ftruncate(fd, 3) && (errno == ENOENT || errno == ENODATA) &&
	    fd_truncate && !strcmp(fd_truncate, "0")) {
		/*
		 * QEMU before 10.1 truncates by path even for an open fid,
		 * and the path is gone: a server limit, reported as such,
		 * only where the harness says the server is one of those
		 * (V9X_SERVER_FD_TRUNCATE=0, from the QEMU version).
		 */
		printf("RESULT skip open-unlink: ftruncate after unlink: this QEMU (before 10.1) truncates by path (%s)\n",
		       strerror(errno));
	} else {
		result(!fstat(fd, &st) && st.st_size == 3,
		       "open-unlink: ftruncate after unlink", "%s size %lld",
		       strerror(errno), (long long)st.st_size);
		memset(buf, 0, sizeof(buf));
		result(pread(fd, buf, sizeof(buf), 0) == 3 && !strcmp(buf, "bef"),
		       "open-unlink: read after ftruncate", "got '%s'", buf);
	}
	CHECK_OK("open-unlink: close", close(fd));
	CHECK_ERR("open-unlink: name is gone", stat(p, &st), ENOENT);
}

static void test_access(const char *d)
{
	char p[PATH_MAX], q[PATH_MAX];
	int status;
	pid_t pid;

	snprintf(p, sizeof(p), "%s/private", d);
	write_file(p, "secret", 6, 0600);
	snprintf(q, sizeof(q), "%s/rootdir", d);
	mkdir(q, 0755);
	pid = fork();
	if (!pid) {
		int bad = 0;
		char r[PATH_MAX + 8];

		if (setgid(65534) || setuid(65534))
			_exit(100);
		if (open(p, O_RDONLY) >= 0 || errno != EACCES)
			bad |= 1;
		snprintf(r, sizeof(r), "%s/new", q);
		if (open(r, O_RDWR | O_CREAT, 0644) >= 0 || errno != EACCES)
			bad |= 2;
		if (unlink(p) == 0 || errno != EACCES)
			bad |= 4;
		if (chmod(p, 0777) == 0 || errno != EPERM)
			bad |= 8;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	result(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "unprivileged user: EACCES on open/create/unlink, EPERM on chmod",
	       "child status %d", WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	char p[PATH_MAX];
	size_t msize;

	if (argc == 3 && !strcmp(argv[1], "-u")) {
		/* posix -u FILE: read FILE as uid/gid 65534, print the outcome. */
		int fd;

		if (setgid(65534) || setuid(65534))
			return 100;
		fd = open(argv[2], O_RDONLY);
		printf("%s\n", fd < 0 ? strerror(errno) : "readable");
		return fd < 0 ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-m")) {
		/* posix -m DIR: try to mount v9x as uid 65534. */
		if (setgid(65534) || setuid(65534))
			return 100;
		if (mount("data", argv[2], "v9x", 0, NULL) == 0) {
			printf("mounted\n");
			return 0;
		}
		printf("%s\n", strerror(errno));
		return 1;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: posix DIR MSIZE | posix -u FILE | posix -m DIR\n");
		return 2;
	}
	msize = strtoul(argv[2], NULL, 0);
	umask(0);
	snprintf(p, sizeof(p), "%s/final", argv[1]);
	if (mkdir(p, 0755)) {
		perror(p);
		return 2;
	}
	test_open_create(argv[1]);
	test_io(argv[1], msize);
	test_namespace(argv[1]);
	test_attrs(argv[1]);
	test_xattr(argv[1]);
	test_locks(argv[1]);
	test_open_unlink(argv[1]);
	test_access(argv[1]);
	printf("RESULT done %d failures\n", failures);
	return failures ? 1 : 0;
}
