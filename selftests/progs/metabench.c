// SPDX-License-Identifier: GPL-2.0
/*
 * Small file-system benchmarks for "make bench" (static, run in the guest).
 *
 *   metabench create DIR N     create+stat+unlink N small files: files/s
 *   metabench walk DIR         lstat every entry of a tree (recursive): entries/s
 *   metabench readdir DIR      read a directory's entries (no stat): entries/s
 *   metabench randread FILE N  N random 4 KiB O_DIRECT preads: IOPS
 *   metabench seqread FILE BS   read FILE sequentially in BS chunks: MiB/s
 *   metabench seqwrite FILE MIB BS  write MIB MiB in BS chunks + fsync: MiB/s
 *   metabench lstat LIST       lstat each path of LIST (one per line), the
 *                              way `git status` checks a known index: entries/s
 *   metabench run N CMD        run the shell command CMD, count N items: N/s
 *
 * Prints one number (the rate) on stdout.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long walk(const char *dir)
{
	char p[4096];
	struct dirent *de;
	struct stat st;
	long n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (lstat(p, &st))
			continue;
		n++;
		if (S_ISDIR(st.st_mode))
			n += walk(p);
	}
	closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	double t0, t;
	long n = 0, i;

	if (argc < 3)
		return 2;
	t0 = now();
	if (!strcmp(argv[1], "create") && argc == 4) {
		char p[4096];
		struct stat st;

		n = atol(argv[3]);
		for (i = 0; i < n; i++) {
			int fd;

			snprintf(p, sizeof(p), "%s/f%ld", argv[2], i);
			fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
			if (fd < 0 || write(fd, "x", 1) != 1 || close(fd))
				return 1;
			if (stat(p, &st) || unlink(p))
				return 1;
		}
	} else if (!strcmp(argv[1], "walk")) {
		n = walk(argv[2]);
	} else if (!strcmp(argv[1], "readdir")) {
		DIR *d = opendir(argv[2]);

		if (!d)
			return 1;
		while (readdir(d))
			n++;
		closedir(d);
	} else if (!strcmp(argv[1], "randread") && argc == 4) {
		int fd = open(argv[2], O_RDONLY | O_DIRECT);
		off_t blocks;
		void *buf;

		if (fd < 0 || posix_memalign(&buf, 4096, 4096))
			return 1;
		blocks = lseek(fd, 0, SEEK_END) / 4096;
		n = atol(argv[3]);
		srand(1);
		for (i = 0; i < n; i++)
			if (pread(fd, buf, 4096, (off_t)(rand() % blocks) * 4096) != 4096)
				return 1;
		close(fd);
	} else if (!strcmp(argv[1], "seqread") && argc == 4) {
		size_t bs = atol(argv[3]);
		char *buf = malloc(bs);
		int fd = open(argv[2], O_RDONLY);
		ssize_t r;

		if (fd < 0 || !buf)
			return 1;
		while ((r = read(fd, buf, bs)) > 0)
			n += r;
		if (r < 0)
			return 1;
		close(fd);
		t = now() - t0;
		printf("%.1f\n", t > 0 ? n / t / 1048576 : 0);
		return 0;
	} else if (!strcmp(argv[1], "seqwrite") && argc == 5) {
		size_t bs = atol(argv[4]);
		long total = atol(argv[3]) * 1048576L;
		char *buf = malloc(bs);
		int fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || !buf)
			return 1;
		memset(buf, 0x5a, bs);
		while (n < total) {
			if (write(fd, buf, bs) != (ssize_t)bs)
				return 1;
			n += bs;
		}
		if (fsync(fd) || close(fd))
			return 1;
		t = now() - t0;
		printf("%.1f\n", t > 0 ? n / t / 1048576 : 0);
		return 0;
	} else if (!strcmp(argv[1], "lstat")) {
		char p[4096];
		struct stat st;
		FILE *f = fopen(argv[2], "r");

		if (!f)
			return 1;
		while (fgets(p, sizeof(p), f)) {
			p[strcspn(p, "\n")] = 0;
			if (lstat(p, &st))
				return 1;
			n++;
		}
		fclose(f);
	} else if (!strcmp(argv[1], "run") && argc == 4) {
		int status;
		pid_t pid;

		n = atol(argv[2]);
		pid = fork();
		if (pid < 0)
			return 1;
		if (!pid) {
			execl("/bin/sh", "sh", "-c", argv[3], (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 1;
	} else {
		return 2;
	}
	t = now() - t0;
	printf("%.0f\n", t > 0 ? n / t : 0);
	return 0;
}
