#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Find check helpers whose command is cut short by the shell.

``t_check NAME [ a ] && [ b ]`` (host) or ``check NAME [ a ] && [ b ]``
(guest) checks only ``[ a ]``: the shell runs ``&& [ b ]`` after the result
was printed. The helpers take exactly one command; anything compound must be
a function or ``sh -c``. This prints every helper call followed by an
unquoted ``&&``, ``||``, ``|`` or ``;`` and exits 1 if there was one.
"""
import re
import shlex
import sys

HELPERS = ("t_check", "check", "expect_fail")
bad = 0
for path in sys.argv[1:]:
    lines = open(path, encoding="utf-8").read().split("\n")
    i = 0
    while i < len(lines):
        start, text = i, lines[i]
        while text.endswith("\\") and i + 1 < len(lines):
            i += 1
            text = text[:-1] + " " + lines[i]
        i += 1
        words = text.split(None, 1)
        if not words or words[0] not in HELPERS:
            continue
        lex = shlex.shlex(text, posix=True, punctuation_chars=";&|")
        lex.whitespace_split = True
        lex.commenters = "#"
        try:
            toks = list(lex)
        except ValueError:
            # $(...) with nested quotes: fall back to a plain search outside
            # single/double quotes is not possible here; flag for a human.
            toks = []
            if re.search(r"\]\s*(&&|\|\|)", text):
                toks = ["&&"]
        if any(t in ("&&", "||", "|", ";", ";;") for t in toks[1:]):
            print("%s:%d: %s" % (path, start + 1, lines[start].strip()))
            bad += 1
sys.exit(1 if bad else 0)
