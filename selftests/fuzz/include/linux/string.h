/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for proto.c. */
#include <string.h>
