// SPDX-License-Identifier: GPL-2.0
/*
 * hog KEEP_MIB SECONDS: a memory hog for the "pressure" suite. Takes
 * anonymous memory in 4 MiB chunks until MemAvailable is down to KEEP_MIB,
 * then for SECONDS (or until SIGTERM) keeps re-touching every page and tops
 * up whatever the page cache gave back, so the kernel must reclaim to serve
 * anybody else.
 * It stays under the limit on purpose: the test is about I/O under
 * pressure, not about the OOM killer. Prints the MiB it held at the peak.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK (4UL << 20)
#define MAX_CHUNKS 1024

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static long mem_available_mib(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

int main(int argc, char **argv)
{
	static char *chunks[MAX_CHUNKS];
	long keep, secs, n = 0, peak = 0, i;
	time_t end;

	if (argc != 3) {
		fprintf(stderr, "usage: hog KEEP_MIB SECONDS\n");
		return 2;
	}
	keep = atol(argv[1]);
	secs = atol(argv[2]);
	end = time(NULL) + secs;
	signal(SIGTERM, on_term);
	while (!stop && time(NULL) < end) {
		long avail = mem_available_mib();

		if (avail < 0)
			return 2;
		if (avail > keep + 4 && n < MAX_CHUNKS) {
			chunks[n] = malloc(CHUNK);
			if (chunks[n]) {
				memset(chunks[n], 0x5a, CHUNK);
				n++;
			}
		} else if (avail < keep - 8 && n > 0) {
			free(chunks[--n]);	/* never push toward the OOM killer */
		}
		if (n > peak)
			peak = n;
		for (i = 0; i < n; i++) {
			size_t off;

			for (off = 0; off < CHUNK; off += 4096)
				chunks[i][off]++;
		}
	}
	printf("hog: held up to %ld MiB\n", peak * (CHUNK >> 20));
	return 0;
}
