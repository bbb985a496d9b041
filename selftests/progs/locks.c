// SPDX-License-Identifier: GPL-2.0
/*
 * locks: POSIX lock cases of the "faults" suite that need a server which
 * refuses or reports locks, which QEMU (it grants every lock and reports
 * none) never does: v9x's fault_mode 11 answers as if another client held
 * a read lock on every file. The program sets the fault itself, through
 * /sys/module/v9x/parameters, so that it covers exactly one request.
 *
 *   locks upgrade FILE
 *	Take a read lock on bytes 0..99, then ask to upgrade it to a write
 *	lock with the fault on: the server refuses (F_SETLK: EAGAIN). The
 *	read lock must still be held: a child process's F_GETLK for a write
 *	lock must see it (F_RDLCK, this process's pid).
 *   locks getlk FILE
 *	F_GETLK for a read lock with the fault on: a read lock conflicts with
 *	no read lock, so it must report F_UNLCK; then F_GETLK for a write
 *	lock must report the server's conflicting read lock.
 *
 * Prints one line per step; exit 0 when every step is right, 1 otherwise,
 * 3 on a setup failure.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PARAMS "/sys/module/v9x/parameters/"

static int set_param(const char *name, const char *val)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), PARAMS "%s", name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* fault_mode 11 for the next @count lock replies. */
static int fault_on(const char *count)
{
	if (set_param("fault_mode", "11") || set_param("fault_count", count)) {
		perror("fault parameters");
		return -1;
	}
	return 0;
}

static void fault_off(void)
{
	set_param("fault_count", "0");
	set_param("fault_mode", "0");
}

static struct flock range(short type)
{
	struct flock fl = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = 0, .l_len = 100 };
	return fl;
}

static const char *type_name(short type)
{
	return type == F_RDLCK ? "F_RDLCK" : type == F_WRLCK ? "F_WRLCK" :
	       type == F_UNLCK ? "F_UNLCK" : "?";
}

static int do_upgrade(const char *path)
{
	struct flock fl = range(F_RDLCK);
	int fd, status, err, bad = 0;
	pid_t child;

	fd = open(path, O_RDWR);
	if (fd < 0 || fcntl(fd, F_SETLK, &fl)) {
		perror("open and read-lock");
		return 3;
	}
	if (fault_on("1"))
		return 3;
	fl = range(F_WRLCK);
	err = fcntl(fd, F_SETLK, &fl) ? errno : 0;
	fault_off();
	printf("upgrade refused by the server: %s\n", err ? strerror(err) : "granted");
	if (err != EAGAIN && err != EACCES)
		bad = 1;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		struct flock g = range(F_WRLCK);
		int cfd = open(path, O_RDWR);

		if (cfd < 0 || fcntl(cfd, F_GETLK, &g))
			_exit(3);
		printf("another process sees %s by %s\n", type_name(g.l_type),
		       g.l_pid == getppid() ? "the holder" : "someone else");
		fflush(stdout);
		_exit(g.l_type == F_RDLCK && g.l_pid == getppid() ? 0 : 1);
	}
	if (child < 0 || waitpid(child, &status, 0) != child ||
	    !WIFEXITED(status))
		return 3;
	if (WEXITSTATUS(status) == 3)
		return 3;
	if (WEXITSTATUS(status))
		bad = 1;
	close(fd);
	return bad;
}

static int do_getlk(const char *path)
{
	struct flock rd = range(F_RDLCK), wr = range(F_WRLCK);
	int fd, bad = 0;

	fd = open(path, O_RDWR);
	if (fd < 0) {
		perror("open");
		return 3;
	}
	if (fault_on("2"))
		return 3;
	if (fcntl(fd, F_GETLK, &rd) || fcntl(fd, F_GETLK, &wr)) {
		perror("F_GETLK");
		fault_off();
		return 3;
	}
	fault_off();
	printf("F_GETLK for a read lock: %s\n", type_name(rd.l_type));
	printf("F_GETLK for a write lock: %s\n", type_name(wr.l_type));
	if (rd.l_type != F_UNLCK || wr.l_type != F_RDLCK)
		bad = 1;
	close(fd);
	return bad;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "upgrade"))
		return do_upgrade(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "getlk"))
		return do_getlk(argv[2]);
	fprintf(stderr, "usage: locks upgrade|getlk FILE\n");
	return 3;
}
