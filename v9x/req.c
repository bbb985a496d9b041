// SPDX-License-Identifier: GPL-2.0
/*
 * The request engine: allocate a request (tag, buffers), send it through
 * the transport, wait killably for the reply and check its header, flush
 * it when the waiter is killed, and free it once nobody may touch it.
 * Calls the transport (v9x_chan_*) and proto.c; the VFS never calls here.
 *
 * Request lifetime: v9x_req_alloc() reserves a tag and returns a request
 * with one reference (the caller's). v9x_chan_submit() adds the device's
 * reference, dropped by v9x_req_complete() when the buffers come back. A
 * caller killed while waiting sends a Tflush that holds a third reference,
 * so the tag (and any pinned pages) stay reserved until both the original
 * reply and the Rflush are in. The last put frees the tag, releases pages
 * and, for a Tclunk, the fid number. The device's put (v9x_req_complete())
 * always defers a last free to v9x_wq, because releasing user pages and the
 * client may sleep and the transport's callback may not (see there).
 */

#include <linux/err.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static struct workqueue_struct *v9x_wq;

static void v9x_req_trace_submit(struct v9x_req *req)
{
	req->submit_ns = ktime_get_ns();
	atomic64_inc(&req->clnt->stats.by_type[req->type & 127]);
	trace_v9x_request_submit(req, req->tc.pos + req->zc_out.len,
				 req->rc_cap + req->zc_in.len);
}

/**
 * v9x_req_send - hand @req to the transport
 * @clnt: the session
 * @req: the request
 * @killable: whether waiting for ring space may be cut short by a fatal signal
 *
 * With the bookkeeping every request gets: counters, trace, in-flight
 * count (undone when the submission fails).
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_send(struct v9x_client *clnt, struct v9x_req *req,
		 bool killable)
{
	int ret;

	s64 now, max;

	atomic64_inc(&clnt->stats.requests);
	now = atomic64_inc_return(&clnt->stats.inflight);
	max = atomic64_read(&clnt->stats.inflight_max);
	while (now > max &&
	       !atomic64_try_cmpxchg(&clnt->stats.inflight_max, &max, now))
		;
	v9x_req_trace_submit(req);
	ret = v9x_chan_submit(clnt->chan, req, killable);
	if (ret)
		atomic64_dec(&clnt->stats.inflight);
	return ret;
}

static void v9x_zc_release(struct v9x_zc *zc)
{
	unsigned int i;
	bool dirty = zc->dirty && zc->user;

	switch (zc->mode) {
	case V9X_PAGES_PINNED:
		unpin_user_pages_dirty_lock(zc->pages, zc->npages, dirty);
		break;
	case V9X_PAGES_REF:
		for (i = 0; i < zc->npages; i++) {
			if (dirty)
				set_page_dirty_lock(zc->pages[i]);
			put_page(zc->pages[i]);
		}
		break;
	case V9X_PAGES_NONE:
		break;
	}
	kvfree(zc->pages);
	zc->pages = NULL;
	zc->npages = 0;
}

static void v9x_req_free(struct v9x_req *req)
{
	struct v9x_client *clnt = req->clnt;

	if (req->zc_in.pages)
		v9x_zc_release(&req->zc_in);
	if (req->zc_out.pages)
		v9x_zc_release(&req->zc_out);
	if (req->flushed)
		v9x_req_put(req->flushed);
	if (req->free_fid != V9X_NOFID)
		v9x_chan_free_fid(clnt->chan, req->free_fid);
	v9x_chan_free_tag(clnt->chan, req->tag);
	if (!req->inline_bufs) {
		kvfree(req->rc);
		kfree(req->tc.data);
	}
	kfree(req);
	v9x_client_put_req(clnt);
}

static void v9x_req_free_work(struct work_struct *work)
{
	v9x_req_free(container_of(work, struct v9x_req, work));
}

static void v9x_req_free_later(struct v9x_req *req)
{
	INIT_WORK(&req->work, v9x_req_free_work);
	queue_work(v9x_wq, &req->work);
}

/**
 * v9x_req_put - drop a reference to a request
 * @req: the request
 *
 * The last put frees it: from a workqueue when called outside task
 * context, since releasing pinned user pages may sleep.
 */
void v9x_req_put(struct v9x_req *req)
{
	if (!refcount_dec_and_test(&req->ref))
		return;
	if (in_task())
		v9x_req_free(req);
	else
		v9x_req_free_later(req);
}

/**
 * v9x_req_complete - the transport returns a request's buffers
 * @req: the request
 * @len: the device's used length (untrusted)
 * @status: 0, or -EIO when the device went away
 *
 * Called with no transport lock held, from the transport's callback or
 * from task context. Drops the device's reference; when that is the last,
 * the free goes to v9x_wq whatever the context: in_task() is no test of
 * whether the caller may sleep, since a virtqueue callback under
 * "threadirqs" runs in a task with interrupts and bottom halves off.
 */
void v9x_req_complete(struct v9x_req *req, u32 len, int status)
{
	trace_v9x_request_complete(req, len, ktime_get_ns() - req->submit_ns,
				   status);
	req->rlen = len;
	req->status = status;
	atomic64_inc(&req->clnt->replies);
	atomic64_dec(&req->clnt->stats.inflight);
	complete(&req->done);
	if (refcount_dec_and_test(&req->ref))
		v9x_req_free_later(req);
}

/**
 * v9x_req_alloc - allocate a request and reserve its tag
 * @clnt: the session (the request holds a reference)
 * @tsize: bytes the caller will encode the T-message into
 * @rsize: bytes the reply may take (kvmalloc'ed when large)
 *
 * Return: the request with one reference (the caller's), or
 * ERR_PTR(-ENOMEM).
 */
struct v9x_req *v9x_req_alloc(struct v9x_client *clnt, size_t tsize,
			      size_t rsize)
{
	size_t tpad = ALIGN(tsize, L1_CACHE_BYTES);
	struct v9x_req *req;
	int tag;

	/*
	 * Most messages are small: one allocation holds the request and both
	 * buffers. The reply buffer starts on its own cache line, away from
	 * the fields the CPU writes while the device owns it.
	 */
	if (tpad + rsize <= V9X_REQ_INLINE_MAX) {
		req = kzalloc(sizeof(*req) + tpad + rsize, GFP_NOFS);
		if (!req)
			return ERR_PTR(-ENOMEM);
		req->inline_bufs = true;
		req->tc.data = req->inline_buf;
		req->rc = req->inline_buf + tpad;
	} else {
		req = kzalloc(sizeof(*req), GFP_NOFS);
		if (!req)
			return ERR_PTR(-ENOMEM);
		req->tc.data = kmalloc(tsize, GFP_NOFS);
		if (!req->tc.data)
			goto out_free_req;
		req->rc = kvmalloc(rsize, GFP_NOFS);
		if (!req->rc)
			goto out_free_tc;
	}
	tag = v9x_chan_alloc_tag(clnt->chan);
	if (tag < 0)
		goto out_free_rc;

	refcount_set(&req->ref, 1);
	init_completion(&req->done);
	req->tag = tag;
	req->tc.size = tsize;
	req->rc_cap = rsize;
	req->free_fid = V9X_NOFID;
	kref_get(&clnt->ref);
	req->clnt = clnt;
	return req;

out_free_rc:
	if (!req->inline_bufs)
		kvfree(req->rc);
out_free_tc:
	if (!req->inline_bufs)
		kfree(req->tc.data);
out_free_req:
	kfree(req);
	return ERR_PTR(-ENOMEM);
}

static void v9x_req_flush_work(struct work_struct *work)
{
	struct v9x_req *fl = container_of(work, struct v9x_req, work);

	trace_v9x_flush(fl, fl->flushed->tag);
	v9x_req_send(fl->clnt, fl, false);
	v9x_req_put(fl);
}

/**
 * v9x_req_flush_async - the caller of @req was killed: Tflush it
 * @clnt: the session
 * @req: the request being abandoned
 *
 * The Tflush holds a reference on @req, so @req's tag stays reserved until
 * the Rflush is in (9P forbids reusing it earlier). Submission runs from
 * v9x_wq because the dying task cannot wait for ring space.
 */
void v9x_req_flush_async(struct v9x_client *clnt, struct v9x_req *req)
{
	struct v9x_req *fl;

	fl = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tflush, req->tag);
	if (IS_ERR(fl))
		return;	/* @req still completes when the device answers it */
	refcount_inc(&req->ref);
	fl->flushed = req;
	atomic64_inc(&clnt->stats.flushes);
	INIT_WORK(&fl->work, v9x_req_flush_work);
	queue_work(v9x_wq, &fl->work);
}

/*
 * How long a killed caller of a folio-carrying request waits for the device
 * between two log lines.
 */
#define V9X_HOLD_WARN_JIFFIES	(30 * HZ)

/**
 * v9x_req_abandon - a killed caller gives up on @req
 * @clnt: the session
 * @req: a request the device has, or a Tflush will
 *
 * Tflushes @req. A caller with only its own buffers or pinned user memory
 * may leave at once: the request keeps those until the device returns them.
 * A request that carries page-cache folios (@req->hold) may not: once its
 * caller returns, the folios are unlocked or their writeback ends, so the
 * device would write a stale Rread into a folio someone has filled since,
 * or run a Twrite after the next writeback of the range (or a truncation).
 * So the caller waits, uninterruptibly, until the device returned the
 * buffers. The wait is bounded by the device: a server answers the request
 * itself before its Rflush (9P), and remove() fails every request still
 * outstanding with -EIO; while it lasts it is logged every 30 s.
 */
void v9x_req_abandon(struct v9x_client *clnt, struct v9x_req *req)
{
	v9x_req_flush_async(clnt, req);
	if (!req->hold)
		return;
	while (!wait_for_completion_io_timeout(&req->done,
					       V9X_HOLD_WARN_JIFFIES))
		v9x_clnt_err(clnt, "a killed task waits for the device to return the page-cache folios of %s tag %u\n",
			     v9x_type_name(req->type), req->tag);
}

/*
 * Wait for @req's reply, killably. A request of the mount's background work
 * (v9x_client.bg_work, prefetch) runs in a kworker, which no signal ever
 * reaches: it stops waiting instead when the mount stops that work, so an
 * unmount never waits on a server that does not answer.
 */
static int v9x_req_wait_reply(struct v9x_client *clnt, struct v9x_req *req)
{
	struct work_struct *work = current_work();

	if (!work || !clnt->bg_work || work->func != clnt->bg_work)
		return wait_for_completion_killable(&req->done);
	while (!wait_for_completion_timeout(&req->done, HZ / 10))
		if (READ_ONCE(clnt->bg_stop))
			return -EINTR;
	return 0;
}

/**
 * v9x_req_wait - wait for the reply to @req and check its header
 * @clnt: the session
 * @req: a request sent with v9x_req_send()
 * @hdr: the reply's header, on success
 *
 * Checks the header against what was received and turns an Rlerror into
 * -errno. On success, unless the reply carries zero-copy data, hdr->size
 * bytes of @req->rc are valid. A killed caller (or background work the
 * mount stops) gets -EINTR and the request is flushed (v9x_req_abandon()).
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_wait(struct v9x_client *clnt, struct v9x_req *req,
		 struct v9x_hdr *hdr)
{
	size_t received;
	struct v9x_buf b;
	int ret;

	if (v9x_req_wait_reply(clnt, req)) {
		v9x_req_abandon(clnt, req);
		ret = -EINTR;
		goto out_err;
	}
	ret = req->status;
	if (ret)
		goto out_err;

	/* Never trust the used length beyond the buffers we offered. */
	received = min_t(size_t, req->rlen, req->rc_cap + req->zc_in.len);
	ret = v9x_dec_header(req->rc, received, hdr);
	if (ret) {
		v9x_clnt_err(clnt, "malformed reply to %s (size field vs %zu bytes received)\n",
			     v9x_type_name(req->type), received);
		goto out_proto;
	}
	if (hdr->tag != req->wire_tag) {
		v9x_clnt_err(clnt, "reply to %s has tag %u, expected %u\n",
			     v9x_type_name(req->type), hdr->tag,
			     req->wire_tag);
		ret = -EPROTO;
		goto out_proto;
	}
	if (hdr->type == V9X_RLERROR) {
		if (hdr->size > req->rc_cap) {
			v9x_clnt_err(clnt, "Rlerror to %s of %u bytes overflows its %zu-byte buffer\n",
				     v9x_type_name(req->type), hdr->size,
				     req->rc_cap);
			ret = -EPROTO;
			goto out_proto;
		}
		v9x_dec_body(&b, req->rc, hdr);
		ret = v9x_dec_rlerror(&b);
		if (ret == -EPROTO) {
			v9x_clnt_err(clnt, "invalid Rlerror to %s\n",
				     v9x_type_name(req->type));
			goto out_proto;
		}
		goto out_err;
	}
	if (hdr->type != req->type + 1) {
		v9x_clnt_err(clnt, "reply type %u to %s\n", hdr->type,
			     v9x_type_name(req->type));
		ret = -EPROTO;
		goto out_proto;
	}
	/* Replies without zero-copy data must sit wholly in rc. */
	if (!req->zc_in.len && hdr->size > req->rc_cap) {
		v9x_clnt_err(clnt, "reply to %s of %u bytes overflows its %zu-byte buffer\n",
			     v9x_type_name(req->type), hdr->size, req->rc_cap);
		ret = -EPROTO;
		goto out_proto;
	}
	return 0;

out_proto:
	atomic64_inc(&clnt->stats.proto_errors);
out_err:
	atomic64_inc(&clnt->stats.errors);
	trace_v9x_request_error(req, ret);
	return ret;
}

/**
 * v9x_req_send_killable - send @req, killably waiting for ring space
 * @clnt: the session
 * @req: the request
 *
 * A failure is counted and traced.
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_send_killable(struct v9x_client *clnt, struct v9x_req *req)
{
	int ret = v9x_req_send(clnt, req, true);

	if (ret) {
		atomic64_inc(&clnt->stats.errors);
		trace_v9x_request_error(req, ret);
	}
	return ret;
}

/**
 * v9x_req_rpc - send @req and wait for its reply
 * @clnt: the session
 * @req: the request
 * @hdr: the reply's header, on success
 *
 * v9x_req_wait() after v9x_req_send().
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_rpc(struct v9x_client *clnt, struct v9x_req *req,
		struct v9x_hdr *hdr)
{
	int ret = v9x_req_send_killable(clnt, req);

	if (ret)
		return ret;
	return v9x_req_wait(clnt, req, hdr);
}

/**
 * v9x_req_wait_body - wait, and position a cursor on the reply body
 * @clnt: the session
 * @req: a request sent with v9x_req_send()
 * @b: the cursor over the body, on success
 *
 * Return: 0, a negative errno, or -EPROTO for a malformed reply.
 */
int v9x_req_wait_body(struct v9x_client *clnt, struct v9x_req *req,
		      struct v9x_buf *b)
{
	struct v9x_hdr hdr;
	int ret = v9x_req_wait(clnt, req, &hdr);

	if (ret)
		return ret;
	return v9x_dec_body(b, req->rc, &hdr);
}

/**
 * v9x_req_rpc_body - send, wait, and position a cursor on the reply body
 * @clnt: the session
 * @req: the request
 * @b: the cursor over the body, on success
 *
 * Return: 0, a negative errno, or -EPROTO for a malformed reply.
 */
int v9x_req_rpc_body(struct v9x_client *clnt, struct v9x_req *req,
		     struct v9x_buf *b)
{
	struct v9x_hdr hdr;
	int ret = v9x_req_rpc(clnt, req, &hdr);

	if (ret)
		return ret;
	return v9x_dec_body(b, req->rc, &hdr);
}

/**
 * v9x_req_body_error - count and log a malformed reply body
 * @clnt: the session
 * @req: the request
 * @ret: the decoder's result
 *
 * Return: @ret.
 */
int v9x_req_body_error(struct v9x_client *clnt, struct v9x_req *req,
		       int ret)
{
	if (ret == -EPROTO) {
		v9x_clnt_err(clnt, "malformed body in reply to %s\n",
			     v9x_type_name(req->type));
		atomic64_inc(&clnt->stats.proto_errors);
		atomic64_inc(&clnt->stats.errors);
	}
	return ret;
}

/**
 * v9x_req_rpc_empty - send a request whose reply has no body
 * @clnt: the session
 * @req: the request; consumed
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_rpc_empty(struct v9x_client *clnt, struct v9x_req *req)
{
	struct v9x_buf b;
	int ret;

	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rempty(&b));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_req_rpc_qid - send a request whose reply is a qid
 * @clnt: the session
 * @req: the request; consumed
 * @qid: the qid, on success
 *
 * Return: 0 or a negative errno.
 */
int v9x_req_rpc_qid(struct v9x_client *clnt, struct v9x_req *req,
		    struct v9x_qid *qid)
{
	struct v9x_buf b;
	int ret;

	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rqid(&b, qid));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_req_init - set up what requests need at module load
 *
 * Return: 0 or -ENOMEM.
 */
int v9x_req_init(void)
{
	/*
	 * Deferred frees and flushes need no particular CPU: unbound. (v7.x
	 * warns at a workqueue that is neither WQ_UNBOUND nor WQ_PERCPU.)
	 */
	v9x_wq = alloc_workqueue("v9x", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	return v9x_wq ? 0 : -ENOMEM;
}

/**
 * v9x_req_exit - wait for deferred frees and flushes, then tear down
 */
void v9x_req_exit(void)
{
	destroy_workqueue(v9x_wq);
}
