// SPDX-License-Identifier: GPL-2.0
/*
 * finit PATH: finit_module(2) of PATH. The kernel reads the whole file into
 * a kernel buffer (kernel_read_file(), one kernel_read() per call: a kvec
 * read, not user memory) before it looks at the contents, so for a file of
 * random bytes the errno says how far it got: ENOEXEC (not an ELF image)
 * means the read succeeded; EIO, ENOMEM, ENOSPC or EINVAL mean it failed.
 * Prints "loaded" or the errno's name and exits 0 or 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case ENOEXEC: return "ENOEXEC";
	case EIO: return "EIO";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case EINVAL: return "EINVAL";
	case EFBIG: return "EFBIG";
	case EBADMSG: return "EBADMSG";
	case EKEYREJECTED: return "EKEYREJECTED";
	case EPERM: return "EPERM";
	case EINTR: return "EINTR";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: finit PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		printf("open: %s\n", errname(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, "", 0)) {
		printf("%s\n", errname(errno));
		return 1;
	}
	printf("loaded\n");
	return 0;
}
