// SPDX-License-Identifier: GPL-2.0
/*
 * mmapw FILE OFFSET LENGTH SEED [sync|nosync [hold]]: map FILE shared and
 * writable, fill LENGTH bytes at OFFSET with a pattern derived from SEED
 * (byte i is (SEED + i * 7) & 0xff), then msync(MS_SYNC) unless "nosync",
 * munmap and close. With "hold", print "synced" after the msync and wait
 * for a line on stdin before unmapping (the host looks at the file while
 * it is still mapped). With "prewait" instead, print "mapped" once the
 * mapping exists and wait for a line on stdin before filling it (the test
 * changes the file under an existing mapping). The file must already be at
 * least OFFSET + LENGTH long. Exit status: 0 done, 2 the mapping was refused with EINVAL, 1 any
 * other failure, 3 bad usage or open failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t off, len, pgoff, i;
	unsigned int seed;
	unsigned char *p;
	int fd, sync = 1, hold = 0, prewait = 0;
	char c;

	if (argc < 5) {
		fprintf(stderr, "usage: mmapw FILE OFFSET LENGTH SEED [sync|nosync [hold|prewait]]\n");
		return 3;
	}
	off = strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	seed = strtoul(argv[4], NULL, 0);
	if (argc > 5 && !strcmp(argv[5], "nosync"))
		sync = 0;
	if (argc > 6 && !strcmp(argv[6], "hold"))
		hold = 1;
	if (argc > 6 && !strcmp(argv[6], "prewait"))
		prewait = 1;
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		printf("mmapw: open: %s\n", strerror(errno));
		return 3;
	}
	pgoff = off & ~((size_t)sysconf(_SC_PAGESIZE) - 1);
	p = mmap(NULL, len + off - pgoff, PROT_READ | PROT_WRITE, MAP_SHARED,
		 fd, pgoff);
	if (p == MAP_FAILED) {
		printf("mmapw: mmap: %s\n", strerror(errno));
		return errno == EINVAL ? 2 : 1;
	}
	if (prewait) {
		printf("mapped\n");
		fflush(stdout);
		if (read(0, &c, 1) < 0)
			printf("mmapw: read stdin: %s\n", strerror(errno));
	}
	for (i = 0; i < len; i++)
		p[off - pgoff + i] = (unsigned char)(seed + i * 7);
	if (sync && msync(p, len + off - pgoff, MS_SYNC)) {
		printf("mmapw: msync: %s\n", strerror(errno));
		return 1;
	}
	if (hold) {
		printf("synced\n");
		fflush(stdout);
		if (read(0, &c, 1) < 0)
			printf("mmapw: read stdin: %s\n", strerror(errno));
	}
	if (munmap(p, len + off - pgoff) || close(fd)) {
		printf("mmapw: munmap/close: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
