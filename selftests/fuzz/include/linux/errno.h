/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace shim for proto.c. glibc's <errno.h> itself includes
 * <linux/errno.h>, so this must not include <errno.h>: take the UAPI values.
 */
#include <asm/errno.h>
