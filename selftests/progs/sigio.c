// SPDX-License-Identifier: GPL-2.0
/*
 * sigio: system calls for the signal tests of the "faults" suite, run on a
 * slow (throttled) device.
 *
 *   sigio write FILE BYTES
 *	Catch SIGINT with a handler (no SA_RESTART), create FILE and write
 *	BYTES in one write(2). Prints "write ret=N errno=E size=S": what the
 *	call returned and the file's size afterwards. POSIX: a write that a
 *	handled signal interrupts either transferred nothing (-1, EINTR) or
 *	reports exactly what it wrote. Exit 0 when ret matches the size (or
 *	-1/EINTR with nothing written) and at least one SIGINT arrived during
 *	the call; 1 otherwise; 3 on a setup failure.
 *   sigio readdir DIR [stop]
 *	Read DIR with getdents64 in 4 KiB calls until its end (for a SIGKILL
 *	test: the caller kills it while it waits for a Treaddir). With "stop",
 *	stop itself (SIGSTOP) after opening DIR, so that the caller can set a
 *	fault up before the first getdents64. Prints the entry count.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t sigints;

static void on_sigint(int sig)
{
	(void)sig;
	sigints++;
}

static int do_write(const char *path, size_t bytes)
{
	struct sigaction sa;
	struct stat st;
	ssize_t ret;
	char *buf;
	int fd, err, seen;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;	/* no SA_RESTART */
	if (sigaction(SIGINT, &sa, NULL))
		return 3;
	buf = malloc(bytes);
	if (!buf)
		return 3;
	memset(buf, 'w', bytes);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		perror("open");
		return 3;
	}
	printf("writing\n");
	fflush(stdout);
	ret = write(fd, buf, bytes);
	err = ret < 0 ? errno : 0;
	seen = sigints;
	if (fstat(fd, &st)) {
		perror("fstat");
		return 3;
	}
	close(fd);
	printf("write ret=%zd errno=%d size=%lld sigints=%d\n", ret, err,
	       (long long)st.st_size, seen);
	if (!seen) {
		printf("no SIGINT arrived during the write\n");
		return 1;
	}
	if (ret < 0)
		return err == EINTR && st.st_size == 0 ? 0 : 1;
	return (long long)ret == (long long)st.st_size && ret > 0 ? 0 : 1;
}

static int do_readdir(const char *path, int stop)
{
	char buf[4096];
	long n, entries = 0;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		perror("open");
		return 3;
	}
	printf("reading\n");
	fflush(stdout);
	if (stop)
		raise(SIGSTOP);
	for (;;) {
		long off = 0;

		n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (n < 0) {
			perror("getdents64");
			return 1;
		}
		if (n == 0)
			break;
		while (off < n) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			entries++;
		}
	}
	close(fd);
	printf("entries=%ld\n", entries);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return do_write(argv[2], strtoul(argv[3], NULL, 0));
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "readdir"))
		return do_readdir(argv[2], argc == 4 && !strcmp(argv[3], "stop"));
	fprintf(stderr, "usage: sigio write FILE BYTES | sigio readdir DIR [stop]\n");
	return 3;
}
