// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrent namespace and data churn on one shared directory (static,
 * run in the guest):
 *
 *   churn DIR PROCS SECONDS SEED
 *
 * PROCS processes loop over random operations on a small pool of names so
 * that they collide: write a self-checking file under a private temporary
 * name and rename it over a pool name (atomic replace), read a pool file and
 * check it, unlink, mkdir/rmdir, readdir, stat, link. Races make some calls
 * fail with ENOENT, EEXIST, ENOTEMPTY or ENOTDIR, which is expected; any
 * other errno, or a file whose contents do not check, is a failure. Each
 * file is "V9XC" + length[4] + seed[4] + payload, payload byte i being
 * (seed + i * 7) & 0xff, so the host can check the final state too.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POOL 24
#define MAXLEN 70000

static uint64_t rs;

static uint32_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)rs;
}

static int expected(int err)
{
	return err == ENOENT || err == EEXIST || err == ENOTEMPTY ||
	       err == ENOTDIR || err == EISDIR;
}

static int bad(const char *op, const char *path)
{
	printf("churn: FAIL %d: %s %s: %s\n", getpid(), op, path, strerror(errno));
	fflush(stdout);
	return 1;
}

static int check_buf(const unsigned char *b, size_t n)
{
	uint32_t len, seed, i;

	if (n < 12 || memcmp(b, "V9XC", 4))
		return -1;
	memcpy(&len, b + 4, 4);
	memcpy(&seed, b + 8, 4);
	if (len != n - 12)
		return -1;
	for (i = 0; i < len; i++)
		if (b[12 + i] != (unsigned char)(seed + i * 7))
			return -1;
	return 0;
}

static int run(const char *dir, int secs)
{
	static unsigned char buf[MAXLEN + 12], rb[MAXLEN + 13];
	char p[4096], q[4096], tmp[4096];
	time_t end = time(NULL) + secs;
	unsigned long ops = 0;
	int fails = 0;

	snprintf(tmp, sizeof(tmp), "%s/.tmp.%d", dir, getpid());
	while (time(NULL) < end && !fails) {
		unsigned int k = rnd() % 100, a = rnd() % POOL, b = rnd() % POOL;
		uint32_t len, seed, i;
		ssize_t n;
		int fd;

		snprintf(p, sizeof(p), "%s/n%02u", dir, a);
		snprintf(q, sizeof(q), "%s/n%02u", dir, b);
		ops++;
		if (k < 30) {		/* write + rename over a pool name */
			len = rnd() % MAXLEN;
			seed = rnd();
			memcpy(buf, "V9XC", 4);
			memcpy(buf + 4, &len, 4);
			memcpy(buf + 8, &seed, 4);
			for (i = 0; i < len; i++)
				buf[12 + i] = (unsigned char)(seed + i * 7);
			fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (fd < 0) {
				fails += bad("create", tmp);
				break;
			}
			if (write(fd, buf, len + 12) != (ssize_t)(len + 12))
				fails += bad("write", tmp);
			close(fd);
			if (rename(tmp, p) && !expected(errno))
				fails += bad("rename", p);
			unlink(tmp);
		} else if (k < 60) {	/* read and check */
			fd = open(p, O_RDONLY);
			if (fd < 0) {
				if (!expected(errno))
					fails += bad("open", p);
				continue;
			}
			n = read(fd, rb, sizeof(rb));
			if (n < 0 && errno != EISDIR)
				fails += bad("read", p);
			else if (n >= 0 && check_buf(rb, n)) {
				printf("churn: FAIL %d: %s: %zd bytes do not check\n",
				       getpid(), p, n);
				fails++;
			}
			close(fd);
		} else if (k < 68) {
			if (unlink(p) && !expected(errno))
				fails += bad("unlink", p);
		} else if (k < 74) {
			if (mkdir(p, 0755) && !expected(errno))
				fails += bad("mkdir", p);
		} else if (k < 80) {
			if (rmdir(p) && !expected(errno))
				fails += bad("rmdir", p);
		} else if (k < 86) {
			DIR *d = opendir(dir);
			struct dirent *de;

			if (!d) {
				fails += bad("opendir", dir);
				continue;
			}
			errno = 0;
			while ((de = readdir(d)))
				;
			if (errno)
				fails += bad("readdir", dir);
			closedir(d);
		} else if (k < 94) {
			struct stat st;

			if (stat(p, &st) && !expected(errno))
				fails += bad("stat", p);
		} else if (k < 97) {
			if (link(p, q) && !expected(errno) && errno != EPERM)
				fails += bad("link", q);
		} else {
			if (rename(p, q) && !expected(errno) && errno != EINVAL)
				fails += bad("rename", q);
		}
	}
	printf("churn: %d: %lu ops, %d failures\n", getpid(), ops, fails);
	fflush(stdout);
	return fails ? 1 : 0;
}

int main(int argc, char **argv)
{
	int procs, secs, i, status, failed = 0;
	uint64_t seed;

	if (argc != 5) {
		fprintf(stderr, "usage: churn DIR PROCS SECONDS SEED\n");
		return 2;
	}
	procs = atoi(argv[2]);
	secs = atoi(argv[3]);
	seed = strtoull(argv[4], NULL, 0);
	printf("churn: %s, %d processes, %d s, seed %llu\n", argv[1], procs, secs,
	       (unsigned long long)seed);
	fflush(stdout);
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (!pid) {
			rs = seed * 1000 + i + 1;
			_exit(run(argv[1], secs));
		}
	}
	for (i = 0; i < procs; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	printf("churn: %d of %d processes failed\n", failed, procs);
	return failed ? 1 : 0;
}
