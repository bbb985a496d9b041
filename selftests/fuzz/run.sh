#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Build and run the libFuzzer target for v9x/proto.c (clang-14 with
# -fsanitize=fuzzer,address,undefined) for V9X_FUZZ_SECONDS (default 60),
# starting from the seed corpus in corpus/ (make fuzz V9X_FUZZ_SECONDS=600). Prints one
# "ok/not ok" line and the number of runs; exit 0 when no crash was found.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${V9X_FUZZ_OUT:-$here/../out/fuzz}
secs=${V9X_FUZZ_SECONDS:-60}
mkdir -p "$out/corpus"
if ! clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$here/include" -o "$out/fuzz_proto" "$here/fuzz_proto.c" \
	"$here/../../v9x/proto.c" >"$out/build.log" 2>&1; then
	echo "not ok - fuzz: build the proto.c fuzzer"
	sed 's/^/#   /' "$out/build.log" | head -40
	exit 1
fi
# Seeds (selector byte + a valid reply per decoder) come from the repo
# (corpus/, written by gen-corpus.py); new inputs go to out/, not the repo.
cp "$here"/corpus/* "$out/corpus/"
"$out/fuzz_proto" -max_total_time="$secs" -max_len=4096 -print_final_stats=1 \
	-artifact_prefix="$out/" "$out/corpus" >"$out/fuzz.log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log")
if [ "$rc" = 0 ]; then
	echo "ok - fuzz: proto.c decoders, ${runs:-?} inputs in ${secs}s, no crash"
else
	echo "not ok - fuzz: proto.c decoders (exit $rc)"
	grep -E 'ERROR|SUMMARY|assert|runtime error' "$out/fuzz.log" | head -20 | sed 's/^/#   /'
fi
exit $rc
