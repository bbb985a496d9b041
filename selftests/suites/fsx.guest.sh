#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "fsx" suite: 100,000 random operations on one file
# checked against a model after every read, then 4 processes x 5,000
# operations on 4 files whose final models go to /ctl for the host. In a
# cache mode (V9X_MOUNT_OPTS) the operations include shared-mapping writes.
. /lib.sh

setup_modules
mount_or_stop "mount data on /mnt" /mnt
seed=$(cat /expected/seed)
ops=$(cat /expected/ops)
# Cache modes allow shared writable mappings: fsx writes through them too.
mflag=
[ "$(cache_mode)" != none ] && mflag=-M
note "fsx seed $seed (V9X_FSX_SEED=$seed reproduces)"

section "fsx $ops ops"
/fsx -n "$ops" -s "$seed" $mflag /mnt/fsx/single >/tmp/fsx1.out 2>&1
rc=$?
tail -n 12 /tmp/fsx1.out | while IFS= read -r l; do note "$l"; done
check "fsx: $ops random ops on one file match the model (seed $seed)" [ "$rc" = 0 ]

section "fsx 4 processes"
/fsx -n 5000 -s "$((seed + 1000))" $mflag -P 4 -m /ctl /mnt/fsx/mp >/tmp/fsx4.out 2>&1
rc=$?
tail -n 12 /tmp/fsx4.out | while IFS= read -r l; do note "$l"; done
check "fsx: 4 processes x 5,000 ops on 4 files match their models" [ "$rc" = 0 ]
umount /mnt
done_tests
