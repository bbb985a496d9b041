#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# make bench's host CPU meter. Under TCG the guest, the device models and
# the file servers share the host's cores, so a client that costs the guest
# less but the host more is not faster where it counts. This follows the
# guest's console (CONSOLE) and, at each "HOSTCPU-BEGIN WORK CLIENT RUN" and
# "HOSTCPU-END ..." line, reads the CPU time of every thread of the
# processes whose command line names DIR (the benchmark's QEMU and
# virtiofsd instances). For each measurement it appends to OUT:
#
#   WORK CLIENT RUN VCPU MAIN OTHER VIRTIOFSD    (clock ticks)
#
# VCPU: QEMU's "CPU n/TCG" threads (the guest, and the device model code a
# notification runs in them); MAIN: QEMU's main loop (where 9p requests
# resume and are answered); OTHER: QEMU's other threads (the 9p server's
# workers); VIRTIOFSD: every thread of every virtiofsd. QEMU must run with
# -name ...,debug-threads=on to name its vCPU threads. The console is
# polled every 20 ms, so a measurement is exact to about that much at each
# end. Stops when CONSOLE's QEMU is gone, or on SIGTERM.
#
# Usage: hostcpu.py DIR CONSOLE OUT
import os
import signal
import sys
import time

work_dir, console, out_path = sys.argv[1:4]


def procs():
    """(pid, kind) of the processes whose command line names work_dir."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if not any(work_dir.encode() in a for a in argv):
            continue
        exe = os.path.basename(argv[0])
        if exe.startswith(b"qemu-system"):
            found.append((d, "qemu"))
        elif exe == b"virtiofsd":
            found.append((d, "virtiofsd"))
    return found


def snapshot(ps):
    """{tid: (class, ticks)} over the threads of ps."""
    snap = {}
    for pid, kind in ps:
        try:
            tids = os.listdir("/proc/%s/task" % pid)
        except OSError:
            continue
        for tid in tids:
            base = "/proc/%s/task/%s/" % (pid, tid)
            try:
                with open(base + "stat") as f:
                    st = f.read()
                with open(base + "comm") as f:
                    comm = f.read().strip()
            except OSError:
                continue
            fields = st[st.rindex(")") + 2:].split()
            ticks = int(fields[11]) + int(fields[12])
            if kind == "virtiofsd":
                cls = "virtiofsd"
            elif comm.startswith("CPU ") and comm.endswith("/TCG"):
                cls = "vcpu"
            elif tid == pid:
                cls = "main"
            else:
                cls = "other"
            snap[tid] = (cls, ticks)
    return snap


def main():
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    out = open(out_path, "a")
    pos, part, begin, seen = 0, b"", {}, False
    ps, ps_at = [], 0.0
    while not stop:
        now = time.monotonic()
        if now - ps_at > 2:
            ps, ps_at = procs(), now
            if any(k == "qemu" for _, k in ps):
                seen = True
            elif seen:
                break
        try:
            with open(console, "rb") as f:
                f.seek(pos)
                data = f.read()
        except OSError:
            data = b""
        pos += len(data)
        lines = (part + data).split(b"\n")
        part = lines.pop()
        for raw in lines:
            line = raw.decode("utf-8", "replace").strip("\r ")
            words = line.split()
            if len(words) != 4 or words[0] not in ("HOSTCPU-BEGIN", "HOSTCPU-END"):
                continue
            key = " ".join(words[1:])
            snap = snapshot(ps)
            if words[0] == "HOSTCPU-BEGIN":
                begin[key] = snap
                continue
            b = begin.pop(key, None)
            if b is None:
                continue
            tot = {"vcpu": 0, "main": 0, "other": 0, "virtiofsd": 0}
            # A thread that exited meanwhile (an idle 9p worker) loses its
            # share: QEMU ends a worker only after seconds of idleness.
            for tid, (cls, ticks) in snap.items():
                tot[cls] += ticks - b.get(tid, (cls, 0))[1]
            out.write("%s %d %d %d %d\n" % (key, tot["vcpu"], tot["main"],
                                            tot["other"], tot["virtiofsd"]))
            out.flush()
        time.sleep(0.02)


main()
