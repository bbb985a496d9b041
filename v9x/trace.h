/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of v9x (system "v9x"): every request's submission and
 * completion (tag, type, bytes, latency, error) and every flush. Enable with
 * echo 1 > /sys/kernel/tracing/events/v9x/enable.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM v9x

#if !defined(V9X_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define V9X_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(v9x_request_submit,
	TP_PROTO(u16 tag, u8 type, u32 bytes_out, u32 bytes_in),
	TP_ARGS(tag, type, bytes_out, bytes_in),
	TP_STRUCT__entry(
		__field(u16, tag)
		__field(u8, type)
		__field(u32, bytes_out)
		__field(u32, bytes_in)
	),
	TP_fast_assign(
		__entry->tag = tag;
		__entry->type = type;
		__entry->bytes_out = bytes_out;
		__entry->bytes_in = bytes_in;
	),
	TP_printk("tag=%u type=%u out=%u in=%u", __entry->tag, __entry->type,
		  __entry->bytes_out, __entry->bytes_in)
);

TRACE_EVENT(v9x_request_complete,
	TP_PROTO(u16 tag, u8 type, u32 used, u64 latency_ns, int status),
	TP_ARGS(tag, type, used, latency_ns, status),
	TP_STRUCT__entry(
		__field(u16, tag)
		__field(u8, type)
		__field(u32, used)
		__field(u64, latency_ns)
		__field(int, status)
	),
	TP_fast_assign(
		__entry->tag = tag;
		__entry->type = type;
		__entry->used = used;
		__entry->latency_ns = latency_ns;
		__entry->status = status;
	),
	TP_printk("tag=%u type=%u used=%u latency_ns=%llu status=%d",
		  __entry->tag, __entry->type, __entry->used,
		  __entry->latency_ns, __entry->status)
);

TRACE_EVENT(v9x_request_error,
	TP_PROTO(u16 tag, u8 type, int err),
	TP_ARGS(tag, type, err),
	TP_STRUCT__entry(
		__field(u16, tag)
		__field(u8, type)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->tag = tag;
		__entry->type = type;
		__entry->err = err;
	),
	TP_printk("tag=%u type=%u err=%d", __entry->tag, __entry->type,
		  __entry->err)
);

TRACE_EVENT(v9x_flush,
	TP_PROTO(u16 tag, u16 oldtag),
	TP_ARGS(tag, oldtag),
	TP_STRUCT__entry(
		__field(u16, tag)
		__field(u16, oldtag)
	),
	TP_fast_assign(
		__entry->tag = tag;
		__entry->oldtag = oldtag;
	),
	TP_printk("tag=%u oldtag=%u", __entry->tag, __entry->oldtag)
);

#endif /* V9X_TRACE_H */

/* Out of tree: tell define_trace.h where this header lives. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
