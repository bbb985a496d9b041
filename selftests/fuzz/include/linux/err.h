/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim for proto.c. */
#ifndef V9X_SHIM_ERR_H
#define V9X_SHIM_ERR_H
#define MAX_ERRNO 4095
#endif
