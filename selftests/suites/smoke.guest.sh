#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of the "smoke" suite: mount, read, write, stat, umount, rmmod.
. /lib.sh

setup_modules
check "mount" mount_data /mnt
check "read a 3 MB file (sha256 as on the host)" \
	sh -c '[ "$(sha256sum </mnt/in | cut -d" " -f1)" = "$(cat /expected/in.sha)" ]'
check "write it back" cp /mnt/in /mnt/out
check "stat the copy" sh -c '[ "$(stat -c %s /mnt/out)" = 3000000 ]'
check "modinfo-visible version is this module" grep -q '^v9x ' /proc/modules
check "umount" umount /mnt
done_tests
