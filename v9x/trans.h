/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the client core and a transport (net/9p's
 * p9_trans_module in miniature). The client sees only an opaque struct
 * v9x_chan and the v9x_chan_*() calls in internal.h; a transport embeds a
 * struct v9x_chan in its own channel and fills in a struct v9x_trans_ops.
 * Implementations: trans_virtio.c (what ships) and trans_fake.c (KUnit, in
 * the testing build only).
 */
#ifndef V9X_TRANS_H
#define V9X_TRANS_H

#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>

#include "internal.h"

/* Longest mount tag a channel carries. */
#define V9X_TAG_MAX	255

/**
 * struct v9x_trans_ops - what a transport does for its channels
 * @submit: hand a request's buffers to the transport. On success the
 *	transport holds a reference to the request until it returns the
 *	buffers with v9x_req_complete() (from any context). Returns 0, -EIO
 *	when the transport is gone, -EINTR on a fatal signal while @killable
 *	waits for room, -EINVAL or -ENOMEM.
 * @free: free the transport's channel once its last reference is gone;
 *	called after the tag and fid spaces are destroyed
 */
struct v9x_trans_ops {
	int (*submit)(struct v9x_chan *chan, struct v9x_req *req,
		      bool killable);
	void (*free)(struct v9x_chan *chan);
};

/**
 * struct v9x_chan - the transport-independent part of a channel
 * @ops: the transport's operations (immutable)
 * @ref: the transport's reference while its device is bound, plus one
 *	held by the claiming client from v9x_chan_claim() to
 *	v9x_chan_release()
 * @list: entry in the list of claimable channels, under v9x_chans_lock
 *	(chan.c); empty while not registered
 * @claimed: a client owns this channel; protected by v9x_chans_lock
 * @tag: the mount tag, NUL-terminated (immutable once registered)
 * @max_zc_pages: most data pages one request may carry, at least 1
 *	(immutable once registered)
 * @max_buf: most bytes one physically contiguous buffer of a request may
 *	span, at least V9X_RSZ_FIXED_MAX: the device's DMA segment limit (a swiotlb
 *	bounce slot under SEV/TDX), SIZE_MAX when it has none. Set by the
 *	transport before v9x_chan_register(), immutable after.
 * @tags: tag numbers in use on the wire (the IDA locks itself)
 * @fids: fid numbers in use on the wire (the IDA locks itself)
 *
 * The tag and fid spaces belong to the wire session, not to a mount: a
 * request or fid may outlive the mount that made it, so they live here.
 */
struct v9x_chan {
	const struct v9x_trans_ops *ops;
	struct kref ref;
	struct list_head list;
	bool claimed;
	char tag[V9X_TAG_MAX + 1];
	unsigned int max_zc_pages;
	size_t max_buf;
	struct ida tags;
	struct ida fids;
};

void v9x_chan_init(struct v9x_chan *chan, const struct v9x_trans_ops *ops);
void v9x_chan_put(struct v9x_chan *chan);
void v9x_chan_register(struct v9x_chan *chan);
void v9x_chan_unregister(struct v9x_chan *chan);
void v9x_chan_complete_list(struct list_head *list, int status);

#endif /* V9X_TRANS_H */
