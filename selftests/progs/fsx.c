// SPDX-License-Identifier: GPL-2.0
/*
 * fsx-style model-based random tester for v9x (built static on the host, run
 * in the guest). Random pwrite/pwritev/pread/mmap-read/ftruncate/fstat/
 * close-and-reopen operations at random offsets and sizes on one file,
 * checked after every read and stat against an in-memory model of what the
 * file must contain. With -M, writes through a shared writable mapping too
 * (the mount must allow them: a v9x cache mode).
 *
 *   fsx [-n OPS] [-s SEED] [-l MAXLEN] [-b BIGOP] [-P PROCS] [-m DIR] [-M] FILE
 *
 * With -P N, N processes each run the test on FILE.<i> with seed SEED+i, and
 * each writes its final model to DIR/model.<i> (-m) so the host can compare
 * it with the file on its side of the share. Output lines start with
 * "fsx:"; the exit status is 0 only when no mismatch was seen.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64*: small, fast and reproducible from the seed. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

struct fsx {
	const char *path;
	int fd;
	unsigned char *model;
	unsigned char *buf;
	size_t len;		/* model file size */
	size_t maxlen;		/* model capacity */
	size_t bigop;		/* largest single operation */
	int mapwrite;		/* -M: writes through shared mappings too */
	unsigned long op;
	char last[8][128];	/* recent operations, for a failure report */
};

static void logop(struct fsx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logop(struct fsx *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(f->last[f->op % 8], sizeof(f->last[0]), fmt, ap);
	va_end(ap);
}

static int fail(struct fsx *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct fsx *f, const char *fmt, ...)
{
	va_list ap;
	unsigned long i;

	printf("fsx: FAIL %s op %lu: ", f->path, f->op);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	for (i = f->op > 7 ? f->op - 7 : 0; i <= f->op; i++)
		printf("fsx:   op %lu: %s\n", i, f->last[i % 8]);
	fflush(stdout);
	return -1;
}

/* An operation size: mostly small, sometimes up to bigop (msize and beyond). */
static size_t pick_size(struct fsx *f)
{
	switch (rnd_below(20)) {
	case 0:
		return rnd_below(f->bigop) + 1;
	case 1:
	case 2:
		return rnd_below(65536) + 1;
	default:
		return rnd_below(8192) + 1;
	}
}

static size_t pick_offset(struct fsx *f, size_t size)
{
	size_t room = f->maxlen - size;
	/* Mostly near or inside the file, sometimes anywhere (holes). */
	if (rnd_below(4) && f->len)
		return rnd_below(f->len < room ? f->len + 1 : room + 1);
	return rnd_below(room + 1);
}

static int do_write(struct fsx *f, int vectored)
{
	size_t size = pick_size(f), off, i;
	ssize_t n;

	if (size > f->maxlen)
		size = f->maxlen;
	off = pick_offset(f, size);
	for (i = 0; i < size; i++)
		f->buf[i] = (unsigned char)(rnd() >> 32);
	logop(f, "%s off %zu size %zu (len %zu)", vectored ? "pwritev" : "pwrite",
	      off, size, f->len);
	if (vectored) {
		struct iovec iov[3];
		size_t a = rnd_below(size + 1), b = a + rnd_below(size - a + 1);

		iov[0] = (struct iovec){ f->buf, a };
		iov[1] = (struct iovec){ f->buf + a, b - a };
		iov[2] = (struct iovec){ f->buf + b, size - b };
		n = pwritev(f->fd, iov, 3, off);
	} else {
		n = pwrite(f->fd, f->buf, size, off);
	}
	if (n != (ssize_t)size)
		return fail(f, "write returned %zd (%s), wanted %zu", n,
			    n < 0 ? strerror(errno) : "short", size);
	memcpy(f->model + off, f->buf, size);
	if (off + size > f->len)
		f->len = off + size;
	return 0;
}

static int do_read(struct fsx *f)
{
	size_t size = pick_size(f), off, want, i;
	ssize_t n;

	off = rnd_below(f->len + 4096 + 1);
	logop(f, "pread off %zu size %zu (len %zu)", off, size, f->len);
	want = off >= f->len ? 0 : (f->len - off < size ? f->len - off : size);
	memset(f->buf, 0xa5, size);
	n = pread(f->fd, f->buf, size, off);
	if (n != (ssize_t)want)
		return fail(f, "read returned %zd (%s), wanted %zu", n,
			    n < 0 ? strerror(errno) : "count", want);
	if (memcmp(f->buf, f->model + off, want)) {
		for (i = 0; i < want && f->buf[i] == f->model[off + i]; i++)
			;
		return fail(f, "data mismatch at file offset %zu: got 0x%02x want 0x%02x",
			    off + i, f->buf[i], f->model[off + i]);
	}
	return 0;
}

/* Map [off, off + size) of the file; returns the address of off. */
static unsigned char *map_range(struct fsx *f, size_t off, size_t size,
				int prot, int flags, void **base, size_t *maplen)
{
	size_t pgoff = off & ~((size_t)4096 - 1);

	*maplen = size + off - pgoff;
	*base = mmap(NULL, *maplen, prot, flags, f->fd, pgoff);
	if (*base == MAP_FAILED)
		return NULL;
	return (unsigned char *)*base + (off - pgoff);
}

static int do_mapread(struct fsx *f)
{
	size_t size = pick_size(f), off, maplen, i;
	unsigned char *p;
	void *base;

	if (!f->len)
		return 0;
	off = rnd_below(f->len);
	if (size > f->len - off)
		size = f->len - off;
	logop(f, "mapread off %zu size %zu (len %zu)", off, size, f->len);
	p = map_range(f, off, size, PROT_READ,
		      f->mapwrite ? MAP_SHARED : MAP_PRIVATE, &base, &maplen);
	if (!p)
		return fail(f, "mmap for read: %s", strerror(errno));
	if (memcmp(p, f->model + off, size)) {
		for (i = 0; i < size && p[i] == f->model[off + i]; i++)
			;
		fail(f, "mapread mismatch at file offset %zu: got 0x%02x want 0x%02x",
		     off + i, p[i], f->model[off + i]);
		munmap(base, maplen);
		return -1;
	}
	munmap(base, maplen);
	return 0;
}

/* Write through a shared mapping, growing the file first if needed. */
static int do_mapwrite(struct fsx *f)
{
	size_t size = pick_size(f), off, maplen, i;
	int sync = !rnd_below(4);
	unsigned char *p;
	void *base;

	if (size > f->maxlen)
		size = f->maxlen;
	off = pick_offset(f, size);
	logop(f, "mapwrite off %zu size %zu%s (len %zu)", off, size,
	      sync ? " msync" : "", f->len);
	if (off + size > f->len) {
		if (ftruncate(f->fd, off + size))
			return fail(f, "ftruncate before mapwrite: %s",
				    strerror(errno));
		f->len = off + size;
	}
	p = map_range(f, off, size, PROT_READ | PROT_WRITE, MAP_SHARED, &base,
		      &maplen);
	if (!p)
		return fail(f, "mmap for write: %s", strerror(errno));
	for (i = 0; i < size; i++)
		p[i] = f->model[off + i] = (unsigned char)(rnd() >> 32);
	if (sync && msync(base, maplen, MS_SYNC)) {
		fail(f, "msync: %s", strerror(errno));
		munmap(base, maplen);
		return -1;
	}
	if (munmap(base, maplen))
		return fail(f, "munmap: %s", strerror(errno));
	return 0;
}

/* Close and open again: close-to-open write-back and revalidation. */
static int do_reopen(struct fsx *f)
{
	logop(f, "close+open (len %zu)", f->len);
	if (close(f->fd))
		return fail(f, "close: %s", strerror(errno));
	f->fd = open(f->path, O_RDWR);
	if (f->fd < 0)
		return fail(f, "reopen: %s", strerror(errno));
	return 0;
}

static int do_truncate(struct fsx *f)
{
	size_t size = rnd_below(f->maxlen + 1);

	if (rnd_below(3) == 0)
		size = rnd_below(f->len + 1);	/* shrink more often */
	logop(f, "ftruncate %zu (len %zu)", size, f->len);
	if (ftruncate(f->fd, size))
		return fail(f, "ftruncate %zu: %s", size, strerror(errno));
	/* Bytes past the end must read back as zeros if the file grows again. */
	if (size < f->len)
		memset(f->model + size, 0, f->len - size);
	f->len = size;
	return 0;
}

static int do_stat(struct fsx *f)
{
	struct stat st;

	logop(f, "fstat (len %zu)", f->len);
	if (fstat(f->fd, &st))
		return fail(f, "fstat: %s", strerror(errno));
	if ((size_t)st.st_size != f->len)
		return fail(f, "fstat size %jd, model %zu", (intmax_t)st.st_size,
			    f->len);
	return 0;
}

static int run_one(const char *path, uint64_t seed, unsigned long ops,
		   size_t maxlen, size_t bigop, const char *modeldir, int idx,
		   int mapwrite)
{
	struct fsx f = { .path = path, .maxlen = maxlen, .bigop = bigop,
			 .mapwrite = mapwrite };
	unsigned long counts[7] = { 0 };
	int ret = 0;

	rng_state = seed ? seed : 1;
	f.model = calloc(1, maxlen);
	f.buf = malloc(bigop > 65536 ? bigop : 65536);
	if (!f.model || !f.buf) {
		printf("fsx: out of memory\n");
		return 2;
	}
	f.fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (f.fd < 0) {
		printf("fsx: open %s: %s\n", path, strerror(errno));
		return 2;
	}
	printf("fsx: %s seed %" PRIu64 " ops %lu maxlen %zu bigop %zu\n", path,
	       seed, ops, maxlen, bigop);
	fflush(stdout);
	for (f.op = 0; f.op < ops && !ret; f.op++) {
		unsigned int k = rnd_below(100);

		if (k < 36 || (k < 40 && !f.mapwrite)) {
			ret = do_write(&f, k < 8);
			counts[0]++;
		} else if (k < 40) {
			ret = do_mapwrite(&f);
			counts[4]++;
		} else if (k < 80) {
			ret = do_read(&f);
			counts[1]++;
		} else if (k < 85) {
			ret = do_mapread(&f);
			counts[5]++;
		} else if (k < 92) {
			ret = do_truncate(&f);
			counts[2]++;
		} else if (k < 98) {
			ret = do_stat(&f);
			counts[3]++;
		} else {
			ret = do_reopen(&f);
			counts[6]++;
		}
	}
	/* A last full read of the whole file against the model. */
	if (!ret) {
		ssize_t n;

		free(f.buf);
		f.buf = malloc(f.len + 1);
		n = f.buf ? pread(f.fd, f.buf, f.len + 1, 0) : -1;
		if (n != (ssize_t)f.len || memcmp(f.buf, f.model, f.len))
			ret = fail(&f, "final full read mismatch (%zd of %zu)",
				   n, f.len);
	}
	if (close(f.fd))
		ret = fail(&f, "close: %s", strerror(errno));
	if (!ret && modeldir) {
		char mp[4096];
		FILE *m;

		snprintf(mp, sizeof(mp), "%s/model.%d", modeldir, idx);
		m = fopen(mp, "w");
		if (!m || fwrite(f.model, 1, f.len, m) != f.len || fclose(m)) {
			printf("fsx: cannot write %s\n", mp);
			ret = -1;
		}
	}
	printf("fsx: %s %s after %lu ops (writes %lu reads %lu truncates %lu stats %lu mapwrites %lu mapreads %lu reopens %lu), final size %zu, seed %" PRIu64 "\n",
	       path, ret ? "FAILED" : "passed", f.op, counts[0], counts[1],
	       counts[2], counts[3], counts[4], counts[5], counts[6], f.len,
	       seed);
	fflush(stdout);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long ops = 10000;
	uint64_t seed = 1;
	size_t maxlen = 6 << 20, bigop = (4 << 20) + 4097;
	const char *modeldir = NULL;
	int procs = 0, opt, i, status, failed = 0, mapwrite = 0;

	while ((opt = getopt(argc, argv, "n:s:l:b:P:m:M")) != -1) {
		switch (opt) {
		case 'n': ops = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'l': maxlen = strtoul(optarg, NULL, 0); break;
		case 'b': bigop = strtoul(optarg, NULL, 0); break;
		case 'P': procs = atoi(optarg); break;
		case 'm': modeldir = optarg; break;
		case 'M': mapwrite = 1; break;
		default:
			fprintf(stderr, "usage: fsx [-n ops] [-s seed] [-l maxlen] [-b bigop] [-P procs] [-m modeldir] [-M] file\n");
			return 2;
		}
	}
	if (optind != argc - 1 || bigop > maxlen) {
		fprintf(stderr, "fsx: one file name; bigop <= maxlen\n");
		return 2;
	}
	if (!procs)
		return run_one(argv[optind], seed, ops, maxlen, bigop, modeldir, 0,
			       mapwrite);

	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 2;
		}
		if (!pid) {
			char p[4096];

			snprintf(p, sizeof(p), "%s.%d", argv[optind], i);
			_exit(run_one(p, seed + i, ops, maxlen, bigop, modeldir, i,
				      mapwrite));
		}
	}
	for (i = 0; i < procs; i++) {
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	printf("fsx: %d of %d processes failed\n", failed, procs);
	return failed ? 1 : 0;
}
