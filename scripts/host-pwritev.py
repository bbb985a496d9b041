#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The host's own buffered pwritev() rate by call size, with no guest and no
# QEMU: what QEMU's 9p server does for each Twrite. Each round writes a new
# 256 MiB file in calls of each size (4 KiB iovecs, as a Twrite's pages
# arrive), then fsyncs and removes it; the sizes take turns, in reverse
# order every other round. Prints each size's rates and how many rounds
# fell under 1,500 MB/s: the host's own slow mode, which decides the
# seq-write rows of make bench (Documentation/performance.rst, "What
# bounds"), and the writing thread's CPU time against the wall time of
# its calls: near 1 when the slow mode is CPU spent in the host kernel
# rather than a wait. A diagnostic, not a test: it never fails on a
# number.
#
# Usage: scripts/host-pwritev.py [DIR [ROUNDS [SIZE...]]]
#        (default: /tmp, 12 rounds, 4 MiB 2 MiB 1 MiB 512 KiB)
import mmap
import os
import sys
import time

TOTAL = 256 << 20


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    sizes = [int(s) for s in sys.argv[3:]] or [4 << 20, 2 << 20, 1 << 20, 512 << 10]
    path = os.path.join(d, "v9x-pwritev-probe.%d" % os.getpid())
    iovs = {}
    for s in sizes:
        if s % 4096 or TOTAL % s:
            sys.exit("size %d: not a multiple of 4096 dividing 256 MiB" % s)
        buf = mmap.mmap(-1, s)
        buf.write(os.urandom(s))
        mv = memoryview(buf)
        iovs[s] = [mv[i:i + 4096] for i in range(0, s, 4096)]
    rates = {s: [] for s in sizes}
    busy = {s: [] for s in sizes}
    for r in range(rounds):
        for s in sizes if r % 2 == 0 else sizes[::-1]:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                t0, c0 = time.perf_counter(), time.thread_time()
                for off in range(0, TOTAL, s):
                    os.pwritev(fd, iovs[s], off)
                t1, c1 = time.perf_counter(), time.thread_time()
                os.fsync(fd)
            finally:
                os.close(fd)
                os.unlink(path)
            rates[s].append(TOTAL / (t1 - t0) / 1e6)
            busy[s].append((c1 - c0) / (t1 - t0))
            time.sleep(0.3)
    print("pwritev of 256 MiB into %s, %d rounds, MB/s (fsync not timed)" % (d, rounds))
    for s in sizes:
        v = sorted(rates[s])
        slow = sum(1 for x in v if x < 1500)
        print("%6d KiB: median %5.0f, under 1500: %2d/%d, CPU/wall %.2f-%.2f  (%s)" %
              (s >> 10, v[len(v) // 2], slow, len(v), min(busy[s]), max(busy[s]),
               " ".join("%.0f" % x for x in rates[s])))


if __name__ == "__main__":
    main()
