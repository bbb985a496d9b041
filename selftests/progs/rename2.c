// SPDX-License-Identifier: GPL-2.0
/*
 * rename2 [-n] OLD NEW: renameat2(2) with RENAME_NOREPLACE when -n is given
 * (plain rename otherwise). Prints "ok" or the errno's name and exits 0 or 1,
 * so a guest test can check the exact errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int i = 1;

	if (argc > 1 && !strcmp(argv[1], "-n")) {
		flags = RENAME_NOREPLACE;
		i++;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: rename2 [-n] OLD NEW\n");
		return 2;
	}
	if (syscall(SYS_renameat2, AT_FDCWD, argv[i], AT_FDCWD, argv[i + 1],
		    flags)) {
		printf("%s\n", errno == EEXIST ? "EEXIST" :
		       errno == EINVAL ? "EINVAL" : strerror(errno));
		return 1;
	}
	printf("ok\n");
	return 0;
}
