#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# qmp.py SOCKET COMMAND [KEY=VALUE...]: send one QMP command to a QEMU
# started with -qmp unix:SOCKET,server=on,wait=off and print the answer.
# Exit status 0 when QEMU returned success, 1 on an error answer, 2 when
# QEMU could not be reached. With "--wait-event NAME", wait (up to 60 s)
# for that event after the command and print it too.
import json
import socket
import sys


def main():
    args = sys.argv[1:]
    wait_event = None
    if len(args) >= 2 and args[0] == "--wait-event":
        wait_event = args[1]
        args = args[2:]
    if len(args) < 2:
        print(__doc__ or "usage: qmp.py SOCKET COMMAND [KEY=VALUE...]", file=sys.stderr)
        return 2
    sock_path, command = args[0], args[1]
    arguments = dict(a.split("=", 1) for a in args[2:])
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(60)
        s.connect(sock_path)
    except OSError as e:
        print(f"qmp.py: cannot reach {sock_path}: {e}", file=sys.stderr)
        return 2
    f = s.makefile("rw")

    def send(cmd, arguments=None):
        msg = {"execute": cmd}
        if arguments:
            msg["arguments"] = arguments
        f.write(json.dumps(msg) + "\n")
        f.flush()
        while True:
            line = f.readline()
            if not line:
                raise OSError("QMP connection closed")
            r = json.loads(line)
            if "return" in r or "error" in r:
                return r
            if wait_event and r.get("event") == wait_event:
                print(json.dumps(r))
                return_events.append(r)

    return_events = []
    f.readline()  # the greeting
    send("qmp_capabilities")
    r = send(command, arguments)
    print(json.dumps(r))
    if "error" in r:
        return 1
    while wait_event and not return_events:
        line = f.readline()
        if not line:
            return 1
        ev = json.loads(line)
        if ev.get("event") == wait_event:
            print(json.dumps(ev))
            return_events.append(ev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
