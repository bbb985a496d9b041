// SPDX-License-Identifier: GPL-2.0
/*
 * journal DIR N RO: what sqlite does to commit N transactions in rollback
 * journal mode, plus a shared mapping, on DIR:
 *
 *   - each transaction creates DIR/db-journal, writes a header and the old
 *     content of the page it is about to change, fsyncs it, writes the new
 *     page and the change counter into DIR/db, fsyncs that, and ends the
 *     journal one of four ways (i % 4): close then unlink (DELETE mode);
 *     unlink while open, write more and read it back, then close (the
 *     journal kept open across unlink, nothing fsynced after it); the
 *     same with an fsync after the write; truncate to 0 and close
 *     (TRUNCATE mode). A syncfs() runs after each transaction, as a
 *     busy system's flusher would.
 *   - DIR/mm is written through a shared writable mapping and closed
 *     without msync; DIR/mm-gone the same, unlinked while mapped.
 *   - RO (a file only ever opened read-only here) is read with read(2),
 *     read-only mmap and sendfile(2), which update its atime, and the
 *     filesystem is synced while it is still open.
 *
 * Every system call is checked; the last syncfs() and every close must
 * succeed. DIR/db and DIR/mm are then the same bytes wherever the program
 * runs, so the host runs it on its own disk for the reference. A shared
 * writable mapping refused with EINVAL (v9x's cache=none) is reported and
 * leaves DIR/mm absent. Exit status: 0 all done, 1 a failure (printed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE	4096
#define PAGES	8
#define MMLEN	(16 * PAGE + 123)

static int failed;

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("journal: ");
	vprintf(fmt, ap);
	printf(": %s\n", strerror(errno));
	va_end(ap);
	failed = 1;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 9));
}

static int xwrite(int fd, const void *buf, size_t len, off_t off,
		  const char *what)
{
	ssize_t n = pwrite(fd, buf, len, off);

	if (n != (ssize_t)len) {
		fail("pwrite %s (%zd of %zu)", what, n, len);
		return -1;
	}
	return 0;
}

/* Write more to the unlinked journal and read it back through the fd. */
static void after_unlink(int jfd, unsigned int i, int do_fsync)
{
	unsigned char buf[3000], back[3000];

	fill(buf, sizeof(buf), 1000 + i);
	if (xwrite(jfd, buf, sizeof(buf), 5000, "journal after unlink"))
		return;
	if (do_fsync && fsync(jfd))
		fail("fsync journal %u after unlink", i);
	if (pread(jfd, back, sizeof(back), 5000) != (ssize_t)sizeof(back) ||
	    memcmp(buf, back, sizeof(buf)))
		fail("read back journal %u after unlink", i);
}

static void transaction(const char *dir, int db, unsigned int i)
{
	unsigned char hdr[512], page[PAGE], old[PAGE];
	char jname[4096];
	unsigned int ctr = i + 1;
	off_t off = (off_t)(i % PAGES) * PAGE;
	int jfd;

	snprintf(jname, sizeof(jname), "%s/db-journal", dir);
	jfd = open(jname, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (jfd < 0) {
		fail("create %s", jname);
		return;
	}
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7", 8);
	memcpy(hdr + 8, &i, sizeof(i));
	memset(old, 0, sizeof(old));
	if (pread(db, old, sizeof(old), off) < 0)
		fail("read db page %u", i);
	if (xwrite(jfd, hdr, sizeof(hdr), 0, "journal header") ||
	    xwrite(jfd, old, sizeof(old), sizeof(hdr), "journal page") ||
	    xwrite(jfd, &ctr, sizeof(ctr), sizeof(hdr) + PAGE, "journal sum"))
		goto out;
	if (fsync(jfd))
		fail("fsync journal %u", i);
	fill(page, sizeof(page), i);
	if (xwrite(db, page, sizeof(page), off, "db page") ||
	    xwrite(db, &ctr, sizeof(ctr), 24, "db change counter"))
		goto out;
	if (fsync(db))
		fail("fsync db %u", i);
out:
	switch (i % 4) {
	case 0:
		if (close(jfd))
			fail("close journal %u", i);
		if (unlink(jname))
			fail("unlink journal %u", i);
		break;
	case 1:
	case 2:
		if (unlink(jname))
			fail("unlink open journal %u", i);
		after_unlink(jfd, i, i % 4 == 2);
		if (close(jfd))
			fail("close unlinked journal %u", i);
		break;
	default:
		if (ftruncate(jfd, 0))
			fail("truncate journal %u", i);
		if (close(jfd))
			fail("close truncated journal %u", i);
		if (unlink(jname))
			fail("unlink truncated journal %u", i);
		break;
	}
	if (syncfs(db))
		fail("syncfs after transaction %u", i);
}

/* Write @name through a shared mapping; unlink it while mapped if @gone. */
static void mapped(const char *dir, const char *name, unsigned int seed,
		   int gone)
{
	char path[4096];
	unsigned char *p;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		fail("create %s", path);
		return;
	}
	if (ftruncate(fd, MMLEN)) {
		fail("truncate %s", path);
		close(fd);
		return;
	}
	p = mmap(NULL, MMLEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		if (errno == EINVAL)
			printf("journal: shared writable mmap of %s refused (EINVAL)\n",
			       name);
		else
			fail("mmap %s", path);
		close(fd);
		if (unlink(path))
			fail("unlink %s", path);
		return;
	}
	fill(p + 100, MMLEN - 200, seed);
	if (gone && unlink(path))
		fail("unlink mapped %s", path);
	if (munmap(p, MMLEN))
		fail("munmap %s", path);
	if (close(fd))
		fail("close %s after writing its mapping", path);
}

/* Read @ro every way that updates its atime, and sync while it is open. */
static void read_only(const char *ro)
{
	char buf[PAGE];
	void *p;
	int fd, null;

	fd = open(ro, O_RDONLY);
	if (fd < 0) {
		fail("open %s", ro);
		return;
	}
	if (read(fd, buf, sizeof(buf)) <= 0)
		fail("read %s", ro);
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		fail("read-only mmap %s", ro);
	} else {
		buf[0] = *(volatile char *)p;
		munmap(p, PAGE);
	}
	null = open("/dev/null", O_WRONLY);
	if (null >= 0) {
		off_t off = 0;

		if (sendfile(null, fd, &off, PAGE) < 0)
			fail("sendfile %s", ro);
		close(null);
	}
	if (syncfs(fd))
		fail("syncfs with %s open", ro);
	if (close(fd))
		fail("close %s", ro);
}

int main(int argc, char **argv)
{
	char path[4096];
	unsigned int i, n;
	int db;

	if (argc != 4) {
		fprintf(stderr, "usage: journal DIR N RO\n");
		return 1;
	}
	n = strtoul(argv[2], NULL, 0);
	snprintf(path, sizeof(path), "%s/db", argv[1]);
	db = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (db < 0) {
		fail("create %s", path);
		return 1;
	}
	for (i = 0; i < n; i++)
		transaction(argv[1], db, i);
	if (close(db))
		fail("close db");
	mapped(argv[1], "mm", 77, 0);
	mapped(argv[1], "mm-gone", 78, 1);
	read_only(argv[3]);
	snprintf(path, sizeof(path), "%s/db-journal", argv[1]);
	if (access(path, F_OK) == 0 || errno != ENOENT)
		fail("%s still there", path);
	db = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (db < 0 || syncfs(db))
		fail("final syncfs of %s", argv[1]);
	if (db >= 0)
		close(db);
	return failed;
}
