/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: just enough of the kernel's types for proto.c. */
#ifndef V9X_SHIM_TYPES_H
#define V9X_SHIM_TYPES_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif
