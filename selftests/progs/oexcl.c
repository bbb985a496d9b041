// SPDX-License-Identifier: GPL-2.0
/*
 * oexcl PATH: open(PATH, O_WRONLY | O_CREAT | O_EXCL, 0644), which busybox
 * cannot do. Prints "created" or the error (strerror, as the shell's tools
 * do) and exits 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: oexcl PATH\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0) {
		printf("oexcl: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	printf("created\n");
	return 0;
}
