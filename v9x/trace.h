/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints of v9x (system "v9x"): every request's submission and
 * completion (mount tag, request tag, message type by name, bytes, latency,
 * error) and every flush. Enable with
 * echo 1 > /sys/kernel/tracing/events/v9x/enable.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM v9x

#if !defined(V9X_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define V9X_TRACE_H

#include <linux/tracepoint.h>

#include "internal.h"

/* T-message types by name in the trace output (R-types are T + 1). */
#define v9x_show_type(type)						\
	__print_symbolic(type,						\
		{ V9X_TVERSION, "Tversion" }, { V9X_TATTACH, "Tattach" },	\
		{ V9X_TWALK, "Twalk" }, { V9X_TGETATTR, "Tgetattr" },	\
		{ V9X_TLOPEN, "Tlopen" }, { V9X_TREAD, "Tread" },	\
		{ V9X_TREADDIR, "Treaddir" }, { V9X_TREADLINK, "Treadlink" }, \
		{ V9X_TSTATFS, "Tstatfs" }, { V9X_TCLUNK, "Tclunk" },	\
		{ V9X_TFLUSH, "Tflush" }, { V9X_TLCREATE, "Tlcreate" },	\
		{ V9X_TWRITE, "Twrite" }, { V9X_TMKDIR, "Tmkdir" },	\
		{ V9X_TSYMLINK, "Tsymlink" }, { V9X_TMKNOD, "Tmknod" },	\
		{ V9X_TLINK, "Tlink" }, { V9X_TUNLINKAT, "Tunlinkat" },	\
		{ V9X_TRENAMEAT, "Trenameat" }, { V9X_TSETATTR, "Tsetattr" }, \
		{ V9X_TFSYNC, "Tfsync" }, { V9X_TXATTRWALK, "Txattrwalk" }, \
		{ V9X_TXATTRCREATE, "Txattrcreate" }, { V9X_TLOCK, "Tlock" }, \
		{ V9X_TGETLOCK, "Tgetlock" })

/*
 * Every event names its mount (the client's tag, copied: the client may be
 * gone when the trace is read) and the request's wire tag and type.
 */
#define V9X_TRACE_REQ_FIELDS						\
	__array(char, mtag, sizeof(((struct v9x_client *)0)->tag))	\
	__field(u16, tag)						\
	__field(u8, type)
#define V9X_TRACE_REQ_ASSIGN(req)					\
	do {								\
		memcpy(__entry->mtag, (req)->clnt->tag,			\
		       sizeof(__entry->mtag));				\
		__entry->tag = (req)->wire_tag;				\
		__entry->type = (req)->type;				\
	} while (0)

TRACE_EVENT(v9x_request_submit,
	TP_PROTO(const struct v9x_req *req, u32 bytes_out, u32 bytes_in),
	TP_ARGS(req, bytes_out, bytes_in),
	TP_STRUCT__entry(
		V9X_TRACE_REQ_FIELDS
		__field(u32, bytes_out)
		__field(u32, bytes_in)
	),
	TP_fast_assign(
		V9X_TRACE_REQ_ASSIGN(req);
		__entry->bytes_out = bytes_out;
		__entry->bytes_in = bytes_in;
	),
	TP_printk("%s tag=%u %s out=%u in=%u", __entry->mtag, __entry->tag,
		  v9x_show_type(__entry->type), __entry->bytes_out,
		  __entry->bytes_in)
);

TRACE_EVENT(v9x_request_complete,
	TP_PROTO(const struct v9x_req *req, u32 used, u64 latency_ns,
		 int status),
	TP_ARGS(req, used, latency_ns, status),
	TP_STRUCT__entry(
		V9X_TRACE_REQ_FIELDS
		__field(u32, used)
		__field(u64, latency_ns)
		__field(int, status)
	),
	TP_fast_assign(
		V9X_TRACE_REQ_ASSIGN(req);
		__entry->used = used;
		__entry->latency_ns = latency_ns;
		__entry->status = status;
	),
	TP_printk("%s tag=%u %s used=%u latency_ns=%llu status=%d",
		  __entry->mtag, __entry->tag, v9x_show_type(__entry->type),
		  __entry->used, __entry->latency_ns, __entry->status)
);

TRACE_EVENT(v9x_request_error,
	TP_PROTO(const struct v9x_req *req, int err),
	TP_ARGS(req, err),
	TP_STRUCT__entry(
		V9X_TRACE_REQ_FIELDS
		__field(int, err)
	),
	TP_fast_assign(
		V9X_TRACE_REQ_ASSIGN(req);
		__entry->err = err;
	),
	TP_printk("%s tag=%u %s err=%d", __entry->mtag, __entry->tag,
		  v9x_show_type(__entry->type), __entry->err)
);

/* A Tflush (@fl, whose type is Tflush) cancelling the request @oldtag. */
TRACE_EVENT(v9x_flush,
	TP_PROTO(const struct v9x_req *fl, u16 oldtag),
	TP_ARGS(fl, oldtag),
	TP_STRUCT__entry(
		V9X_TRACE_REQ_FIELDS
		__field(u16, oldtag)
	),
	TP_fast_assign(
		V9X_TRACE_REQ_ASSIGN(fl);
		__entry->oldtag = oldtag;
	),
	TP_printk("%s tag=%u oldtag=%u", __entry->mtag, __entry->tag,
		  __entry->oldtag)
);

#endif /* V9X_TRACE_H */

/* Out of tree: tell define_trace.h where this header lives. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
