#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzer's seed corpus: one valid reply per decoder, each file
the selector byte fuzz_proto.c uses followed by the reply bytes."""
import os
import struct

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def reply(rtype, body, tag=1):
    return struct.pack("<IBH", 7 + len(body), rtype, tag) + body


def qid(t=0, v=1, p=42):
    return struct.pack("<BIQ", t, v, p)


def s9(b):
    return struct.pack("<H", len(b)) + b


def dirent(p, off, name):
    return qid(0, 0, p) + struct.pack("<QB", off, 8) + s9(name)


DENTS = dirent(5, 10, b"dir") + dirent(6, 20, b"file")

seeds = {
    "rversion": (0, reply(101, struct.pack("<I", 4194304) + s9(b"9P2000.L"), 0xffff)),
    "rwalk": (1, reply(111, struct.pack("<H", 2) + qid(0x80) + qid())),
    "rgetattr": (2, reply(25, struct.pack("<Q", 0x7ff) + qid() +
                          struct.pack("<III", 0o100644, 0, 0) + bytes(8 * 15))),
    "rread": (3, reply(117, struct.pack("<I", 5) + b"hello")),
    "rreaddir": (4, reply(41, struct.pack("<I", len(DENTS)) + DENTS)),
    "rreadlink": (5, reply(23, s9(b"../target"))),
    "rstatfs": (6, reply(9, bytes(60))),
    "rlerror": (7, reply(7, struct.pack("<I", 2))),
    "rlopen": (8, reply(13, qid() + struct.pack("<I", 0))),
    "rwrite": (9, reply(119, struct.pack("<I", 100))),
    "rxattrwalk": (10, reply(31, struct.pack("<Q", 5))),
    "rgetlock": (11, reply(55, struct.pack("<BQQI", 2, 0, 0, 1) + s9(b"host"))),
    "rlock": (12, reply(53, b"\x00")),
    "rread_zc": (13, struct.pack("<IBHI", 11 + 4096, 117, 1, 4096) + bytes(4096)),
}
os.makedirs(here, exist_ok=True)
for name, (sel, data) in seeds.items():
    with open(os.path.join(here, name), "wb") as f:
        f.write(bytes([sel]) + data)
