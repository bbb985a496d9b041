#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "enospc" suite: fill a 16 MiB share until ENOSPC, check
# earlier data, delete, write again.
. /lib.sh

setup_modules
mount_or_stop "mount data on /mnt" /mnt

sum() { _s=$(sha256sum <"$1") && echo "${_s%% *}"; }

dd if=/dev/urandom of=/tmp/before bs=1M count=2 2>/dev/null
cp /tmp/before /mnt/before && sum /tmp/before >/ctl/before.sha
check "write 2 MiB before the share is full" cmp /tmp/before /mnt/before

# 20 MiB into 16 MiB: must fail with ENOSPC, not succeed or hang.
expect_fail "writing past the end of the share fails with ENOSPC" \
	"No space left on device" dd if=/dev/zero of=/mnt/filler bs=1M count=20
check "data written earlier still reads back" cmp /tmp/before /mnt/before
check "the host's file still reads back" \
	sh -c '[ "$(sha256sum </mnt/keep | cut -d" " -f1)" = "$(cat /expected/keep.sha)" ]'
check "delete the filler" rm /mnt/filler
dd if=/dev/urandom of=/tmp/after bs=1M count=4 2>/dev/null
check "write 4 MiB after freeing space" cp /tmp/after /mnt/after
sum /tmp/after >/ctl/after.sha
check "the new file reads back" cmp /tmp/after /mnt/after
umount /mnt
done_tests
