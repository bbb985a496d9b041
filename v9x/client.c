// SPDX-License-Identifier: GPL-2.0
/*
 * The 9P client core: sessions, requests, tags, fids, the RPC wait and
 * flush, and one function per 9P operation the VFS needs.
 *
 * Request lifetime: v9x_req_alloc() reserves a tag and returns a request
 * with one reference (the caller's). v9x_chan_submit() adds the device's
 * reference, dropped by v9x_req_complete() when the buffers come back. A
 * caller killed while waiting sends a Tflush that holds a third reference,
 * so the tag (and any pinned pages) stay reserved until both the original
 * reply and the Rflush are in. The last put frees the tag, releases pages
 * and, for a Tclunk, the fid number. Puts from interrupt context defer the
 * free to v9x_wq, because releasing user pages may sleep.
 */

#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <linux/vmalloc.h>
#include <linux/xattr.h>

#include "compat.h"
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static struct workqueue_struct *v9x_wq;

/*
 * Reply buffer sizes (header included). A reply that does not fit makes QEMU
 * declare the device broken, so every size covers the largest valid reply:
 * SMALL covers Rversion (with a short version string), Rattach, Rlopen,
 * Rstatfs (67 bytes), Rclunk, Rflush and Rlerror.
 */
#define V9X_RSZ_SMALL	128
#define V9X_RSZ_GETATTR	(V9X_HDRSZ + V9X_RGETATTR_BODYSZ)
#define V9X_RSZ_WALK	(V9X_HDRSZ + 2 + V9X_MAXWELEM * V9X_QIDSZ)
#define V9X_RSZ_READLINK (V9X_HDRSZ + 2 + PATH_MAX)
#define V9X_RSZ_GETLOCK	(V9X_HDRSZ + 1 + 8 + 8 + 4 + 2 + 0xffff)

/**
 * v9x_type_name - printable name of a T-message type
 * @type: the type
 *
 * Return: e.g. "Tread", or "T?" for a type v9x does not send.
 */
const char *v9x_type_name(u8 type)
{
	switch (type) {
	case V9X_TVERSION: return "Tversion";
	case V9X_TATTACH: return "Tattach";
	case V9X_TWALK: return "Twalk";
	case V9X_TGETATTR: return "Tgetattr";
	case V9X_TLOPEN: return "Tlopen";
	case V9X_TREAD: return "Tread";
	case V9X_TREADDIR: return "Treaddir";
	case V9X_TREADLINK: return "Treadlink";
	case V9X_TSTATFS: return "Tstatfs";
	case V9X_TCLUNK: return "Tclunk";
	case V9X_TFLUSH: return "Tflush";
	case V9X_TLCREATE: return "Tlcreate";
	case V9X_TWRITE: return "Twrite";
	case V9X_TMKDIR: return "Tmkdir";
	case V9X_TSYMLINK: return "Tsymlink";
	case V9X_TMKNOD: return "Tmknod";
	case V9X_TLINK: return "Tlink";
	case V9X_TUNLINKAT: return "Tunlinkat";
	case V9X_TRENAMEAT: return "Trenameat";
	case V9X_TSETATTR: return "Tsetattr";
	case V9X_TFSYNC: return "Tfsync";
	case V9X_TXATTRWALK: return "Txattrwalk";
	case V9X_TXATTRCREATE: return "Txattrcreate";
	case V9X_TLOCK: return "Tlock";
	case V9X_TGETLOCK: return "Tgetlock";
	default: return "T?";
	}
}

static void v9x_client_free(struct kref *ref)
{
	struct v9x_client *clnt = container_of(ref, struct v9x_client, ref);

	v9x_chan_release(clnt->chan);
	kfree(clnt);
}

/**
 * v9x_client_put - drop a reference to a client
 * @clnt: the client
 */
void v9x_client_put(struct v9x_client *clnt)
{
	kref_put(&clnt->ref, v9x_client_free);
}

static void v9x_trace_submit(struct v9x_req *req)
{
	req->submit_ns = ktime_get_ns();
	atomic64_inc(&req->clnt->stats.by_type[req->type & 127]);
	trace_v9x_request_submit(req->wire_tag, req->type,
				 req->tc.pos + req->zc_out.len,
				 req->rc_cap + req->zc_in.len);
}

/*
 * Hand @req to the transport, with the bookkeeping every request gets:
 * counters, trace, in-flight count (undone when the submission fails).
 */
static int v9x_send(struct v9x_client *clnt, struct v9x_req *req,
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
	v9x_trace_submit(req);
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

static void v9x_req_put(struct v9x_req *req);

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
	v9x_client_put(clnt);
}

static void v9x_req_free_work(struct work_struct *work)
{
	v9x_req_free(container_of(work, struct v9x_req, work));
}

static void v9x_req_put(struct v9x_req *req)
{
	if (!refcount_dec_and_test(&req->ref))
		return;
	if (in_task()) {
		v9x_req_free(req);
	} else {
		INIT_WORK(&req->work, v9x_req_free_work);
		queue_work(v9x_wq, &req->work);
	}
}

/**
 * v9x_req_complete - the transport returns a request's buffers
 * @req: the request
 * @len: the device's used length (untrusted)
 * @status: 0, or -EIO when the device went away
 *
 * Called from the virtqueue interrupt with the channel lock held, or, for a
 * request already off the ring, from task context with no lock held (a
 * last put frees the request there, which may sleep). Drops the device's
 * reference.
 */
void v9x_req_complete(struct v9x_req *req, u32 len, int status)
{
	trace_v9x_request_complete(req->wire_tag, req->type, len,
				   ktime_get_ns() - req->submit_ns, status);
	req->rlen = len;
	req->status = status;
	atomic64_dec(&req->clnt->stats.inflight);
	complete(&req->done);
	v9x_req_put(req);
}

/*
 * Allocate a request: the T-message is encoded by the caller into @tsize
 * bytes, the reply lands in @rsize bytes (kvmalloc'ed when large).
 */
static struct v9x_req *v9x_req_alloc(struct v9x_client *clnt, size_t tsize,
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

/* Size of a message, found by running its encoder in counting mode. */
#define V9X_MSG_SIZE(enc, ...) ({				\
	struct v9x_buf __b;					\
	v9x_buf_init_count(&__b);				\
	enc(&__b, 0, ##__VA_ARGS__);				\
	v9x_enc_end(&__b);					\
})

/* Encode into a fresh request; the encoder must match the size used. */
#define V9X_NEW_REQ(clnt, rsize, enc, ...) ({			\
	struct v9x_req *__r;					\
	int __sz = V9X_MSG_SIZE(enc, ##__VA_ARGS__);		\
	__r = __sz < 0 ? ERR_PTR(__sz) :			\
		v9x_req_alloc(clnt, __sz, rsize);		\
	if (!IS_ERR(__r)) {					\
		enc(&__r->tc, __r->tag, ##__VA_ARGS__);		\
		v9x_enc_end(&__r->tc);				\
		__r->type = __r->tc.data[4];			\
		__r->wire_tag = __r->tag;			\
	}							\
	__r;							\
})

static void v9x_flush_work(struct work_struct *work)
{
	struct v9x_req *fl = container_of(work, struct v9x_req, work);

	trace_v9x_flush(fl->tag, fl->flushed->tag);
	v9x_send(fl->clnt, fl, false);
	v9x_req_put(fl);
}

/*
 * The caller of @req was killed: ask the server to drop it. The Tflush holds
 * a reference on @req, so @req's tag stays reserved until the Rflush is in
 * (9P forbids reusing it earlier). Submission runs from v9x_wq because the
 * dying task cannot wait for ring space.
 */
static void v9x_flush_async(struct v9x_client *clnt, struct v9x_req *req)
{
	struct v9x_req *fl;

	fl = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tflush, req->tag);
	if (IS_ERR(fl))
		return;	/* @req still completes when the device answers it */
	refcount_inc(&req->ref);
	fl->flushed = req;
	atomic64_inc(&clnt->stats.flushes);
	INIT_WORK(&fl->work, v9x_flush_work);
	queue_work(v9x_wq, &fl->work);
}

/*
 * Wait for the reply to @req, sent with v9x_send(); check the header
 * against what was received and turn an Rlerror into -errno. On success
 * @hdr describes the reply and, unless the reply carries zero-copy data,
 * hdr->size bytes of @req->rc are valid. A killed caller gets -EINTR and
 * the request is flushed.
 */
static int v9x_rpc_wait(struct v9x_client *clnt, struct v9x_req *req,
			struct v9x_hdr *hdr)
{
	size_t received;
	struct v9x_buf b;
	int ret;

	if (wait_for_completion_killable(&req->done)) {
		v9x_flush_async(clnt, req);
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
		pr_err_ratelimited("malformed reply to %s (size field vs %zu bytes received)\n",
				   v9x_type_name(req->type), received);
		goto out_proto;
	}
	if (hdr->tag != req->wire_tag) {
		pr_err_ratelimited("reply to %s has tag %u, expected %u\n",
				   v9x_type_name(req->type), hdr->tag,
				   req->wire_tag);
		ret = -EPROTO;
		goto out_proto;
	}
	if (hdr->type == V9X_RLERROR) {
		if (hdr->size > req->rc_cap) {
			ret = -EPROTO;
			goto out_proto;
		}
		v9x_dec_body(&b, req->rc, hdr);
		ret = v9x_dec_rlerror(&b);
		if (ret == -EPROTO) {
			pr_err_ratelimited("invalid Rlerror to %s\n",
					   v9x_type_name(req->type));
			goto out_proto;
		}
		goto out_err;
	}
	if (hdr->type != req->type + 1) {
		pr_err_ratelimited("reply type %u to %s\n", hdr->type,
				   v9x_type_name(req->type));
		ret = -EPROTO;
		goto out_proto;
	}
	/* Replies without zero-copy data must sit wholly in rc. */
	if (!req->zc_in.len && hdr->size > req->rc_cap) {
		ret = -EPROTO;
		goto out_proto;
	}
	return 0;

out_proto:
	atomic64_inc(&clnt->stats.proto_errors);
out_err:
	atomic64_inc(&clnt->stats.errors);
	trace_v9x_request_error(req->wire_tag, req->type, ret);
	return ret;
}

/* Send @req, killably waiting for ring space, and count a failure. */
static int v9x_send_killable(struct v9x_client *clnt, struct v9x_req *req)
{
	int ret = v9x_send(clnt, req, true);

	if (ret) {
		atomic64_inc(&clnt->stats.errors);
		trace_v9x_request_error(req->wire_tag, req->type, ret);
	}
	return ret;
}

/* Send @req and wait for its reply: v9x_rpc_wait() after v9x_send(). */
static int v9x_rpc(struct v9x_client *clnt, struct v9x_req *req,
		   struct v9x_hdr *hdr)
{
	int ret = v9x_send_killable(clnt, req);

	if (ret)
		return ret;
	return v9x_rpc_wait(clnt, req, hdr);
}

/* Send, wait, and report a malformed body as a protocol error. */
static int v9x_rpc_body(struct v9x_client *clnt, struct v9x_req *req,
			struct v9x_buf *b)
{
	struct v9x_hdr hdr;
	int ret = v9x_rpc(clnt, req, &hdr);

	if (ret)
		return ret;
	return v9x_dec_body(b, req->rc, &hdr);
}

static int v9x_body_error(struct v9x_client *clnt, struct v9x_req *req,
			  int ret)
{
	if (ret == -EPROTO) {
		pr_err_ratelimited("malformed body in reply to %s\n",
				   v9x_type_name(req->type));
		atomic64_inc(&clnt->stats.proto_errors);
		atomic64_inc(&clnt->stats.errors);
	}
	return ret;
}

static int v9x_client_version(struct v9x_client *clnt, u32 msize)
{
	struct v9x_req *req;
	const char *version;
	struct v9x_buf b;
	u32 server_msize;
	u16 vlen;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tversion, msize,
			  V9X_VERSION_L);
	if (IS_ERR(req))
		return PTR_ERR(req);
	/* Tversion uses NOTAG on the wire; its reserved tag stays unused. */
	req->tc.data[5] = 0xff;
	req->tc.data[6] = 0xff;
	req->wire_tag = V9X_NOTAG;

	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rversion(&b, &server_msize,
						      &version, &vlen));
	if (ret)
		goto out;
	if (vlen != strlen(V9X_VERSION_L) ||
	    memcmp(version, V9X_VERSION_L, vlen)) {
		pr_err("server does not speak %s (it answered '%.*s')\n",
		       V9X_VERSION_L, (int)min_t(u16, vlen, 32), version);
		ret = -EREMOTEIO;
		goto out;
	}
	if (server_msize < V9X_MIN_MSIZE) {
		pr_err("server msize %u is below the minimum %u\n",
		       server_msize, V9X_MIN_MSIZE);
		ret = -EREMOTEIO;
		goto out;
	}
	clnt->msize = min(msize, server_msize);
out:
	v9x_req_put(req);
	return ret;
}

static struct v9x_fid *v9x_fid_alloc(struct v9x_client *clnt)
{
	struct v9x_fid *fid = kzalloc(sizeof(*fid), GFP_NOFS);

	if (!fid)
		return ERR_PTR(-ENOMEM);
	refcount_set(&fid->ref, 1);
	if (v9x_chan_alloc_fid(clnt->chan, &fid->fid)) {
		kfree(fid);
		return ERR_PTR(-ENOSPC);
	}
	fid->clnt = clnt;
	return fid;
}

/*
 * Forget a fid whose creating request failed. After an Rlerror or a dead
 * device the server does not know it: the number is free again. After a
 * malformed reply the server may have created it, so it is clunked (the
 * number returns when the Rclunk does). After -EINTR the request may still
 * be running on the server, and a Tclunk could overtake it: the number is
 * leaked rather than risk reusing a live fid.
 */
static void v9x_fid_discard(struct v9x_fid *fid, int err)
{
	if (err == -EPROTO) {
		v9x_client_clunk(fid);
		return;
	}
	if (err != -EINTR)
		v9x_chan_free_fid(fid->clnt->chan, fid->fid);
	kfree(fid);
}

/**
 * v9x_client_attach - Tattach: a new root fid acting as @n_uname
 * @clnt: the client
 * @uname: Tattach uname
 * @aname: Tattach aname
 * @n_uname: the numeric user the server is to act as for this fid and
 *	every fid walked from it
 * @fidp: set to the new fid
 *
 * Return: 0 or a negative error.
 */
int v9x_client_attach(struct v9x_client *clnt, const char *uname, const char *aname,
		      u32 n_uname, struct v9x_fid **fidp)
{
	struct v9x_fid *root;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	root = v9x_fid_alloc(clnt);
	if (IS_ERR(root))
		return PTR_ERR(root);
	root->uid = make_kuid(&init_user_ns, n_uname);
	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tattach, root->fid,
			  V9X_NOFID, uname, aname, n_uname);
	if (IS_ERR(req)) {
		ret = PTR_ERR(req);
		goto out_discard;
	}
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rattach(&b, &root->qid));
	v9x_req_put(req);
	if (ret)
		goto out_discard;
	*fidp = root;
	return 0;

out_discard:
	v9x_fid_discard(root, ret);
	return ret;
}

/**
 * v9x_client_create - claim a channel, negotiate and attach
 * @tag: the mount tag
 * @msize: msize to ask for
 * @uname: Tattach uname
 * @aname: Tattach aname
 * @n_uname: Tattach n_uname
 * @rootp: set to the root fid
 *
 * Return: the client, or ERR_PTR(-ENOENT) for an unknown tag, -EBUSY for a
 * claimed one, or another negative error.
 */
struct v9x_client *v9x_client_create(const char *tag, u32 msize,
				     const char *uname, const char *aname,
				     u32 n_uname, struct v9x_fid **rootp)
{
	struct v9x_client *clnt;
	struct v9x_chan *chan;
	int ret;

	chan = v9x_chan_claim(tag);
	if (IS_ERR(chan))
		return ERR_CAST(chan);
	clnt = kzalloc(sizeof(*clnt), GFP_KERNEL);
	if (!clnt) {
		v9x_chan_release(chan);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&clnt->ref);
	clnt->chan = chan;	/* the client now owns the claim */

	ret = v9x_client_version(clnt, msize);
	if (ret)
		goto out_put;
	ret = v9x_client_attach(clnt, uname, aname, n_uname, rootp);
	if (ret)
		goto out_put;
	return clnt;

out_put:
	v9x_client_put(clnt);
	return ERR_PTR(ret);
}

/**
 * v9x_client_walk - walk from @fid through @wnames to a new fid
 * @fid: starting point
 * @nwname: number of names; 0 clones @fid. More than V9X_MAXWELEM are
 *	walked in several Twalks.
 * @wnames: the names
 * @newfidp: set to the new fid, whose qid is the last name's
 *
 * A partial walk (the server stops early) is -ENOENT.
 *
 * Return: 0 or a negative error.
 */
int v9x_client_walk(struct v9x_fid *fid, unsigned int nwname,
		    const char *const *wnames, struct v9x_fid **newfidp)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_qid qids[V9X_MAXWELEM];
	struct v9x_fid *newfid, *from = fid;
	unsigned int n, nwqid;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	newfid = v9x_fid_alloc(clnt);
	if (IS_ERR(newfid))
		return PTR_ERR(newfid);
	newfid->qid = fid->qid;
	newfid->uid = fid->uid;
	do {
		n = min(nwname, V9X_MAXWELEM);
		req = V9X_NEW_REQ(clnt, V9X_RSZ_WALK, v9x_enc_twalk, from->fid,
				  newfid->fid, n, wnames);
		if (IS_ERR(req)) {
			ret = PTR_ERR(req);
			goto out_fail;
		}
		ret = v9x_rpc_body(clnt, req, &b);
		if (!ret)
			ret = v9x_body_error(clnt, req,
					     v9x_dec_rwalk(&b, n, qids, &nwqid));
		v9x_req_put(req);
		if (ret)
			goto out_fail;
		if (nwqid < n) {
			/* The server made no fid for a partial walk. */
			ret = -ENOENT;
			goto out_fail;
		}
		if (n)
			newfid->qid = qids[n - 1];
		from = newfid;
		wnames += n;
		nwname -= n;
	} while (nwname);
	*newfidp = newfid;
	return 0;

out_fail:
	if (from == newfid) {
		/* An earlier chunk created the fid on the server. */
		v9x_client_clunk(newfid);
		return ret;
	}
	v9x_fid_discard(newfid, ret);
	return ret;
}

/**
 * v9x_client_getattr - Tgetattr
 * @fid: the file
 * @mask: V9X_GETATTR_* bits wanted
 * @st: filled in
 *
 * Return: 0 or a negative error.
 */
int v9x_client_getattr(struct v9x_fid *fid, u64 mask, struct v9x_stat *st)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_GETATTR, v9x_enc_tgetattr, fid->fid,
			  mask);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rgetattr(&b, st));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_lopen - Tlopen
 * @fid: a fid not yet opened
 * @flags: V9X_DOTL_* flags
 *
 * Return: 0 or a negative error; sets @fid->qid and @fid->iounit.
 */
int v9x_client_lopen(struct v9x_fid *fid, u32 flags)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tlopen, fid->fid, flags);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rlopen(&b, &fid->qid, &fid->iounit));
	v9x_req_put(req);
	return ret;
}

/* The largest payload one Tread/Treaddir may ask for. */
static u32 v9x_io_max(struct v9x_client *clnt)
{
	return clnt->msize - V9X_IOHDRSZ;
}

/* Bytes one Tread/Twrite of @fid may carry, given the message limit @max. */
static size_t v9x_io_limit(struct v9x_fid *fid, size_t max)
{
	return fid->iounit ? min_t(size_t, max, fid->iounit) : max;
}

/*
 * Bytes per request for a zero-copy transfer of @total bytes: no more than
 * one message (@max) carries, and small enough that a large transfer is
 * spread over V9X_IO_DEPTH requests in flight together, down to
 * V9X_IO_SPLIT_MIN each.
 */
static size_t v9x_io_chunk(size_t max, size_t total)
{
	size_t chunk = round_up(DIV_ROUND_UP(total, V9X_IO_DEPTH), PAGE_SIZE);

	return min(max_t(size_t, chunk, V9X_IO_SPLIT_MIN), max);
}

/*
 * Take the pages under the next part of a bvec iterator (page-cache folios,
 * one bio_vec per folio): as many as follow one another page to page, so
 * that one request carries a run of folios. Each page gets a reference: a
 * request abandoned by a killed caller keeps its pages until the device has
 * returned them.
 */
static ssize_t v9x_extract_bvec(struct iov_iter *iter, size_t maxsize,
				unsigned int maxpages, struct v9x_zc *zc)
{
	const struct bio_vec *bv = iter->bvec;
	unsigned long nsegs = iter->nr_segs;
	size_t skip = iter->iov_offset, total = 0, first = 0;
	bool joinable = true;
	struct page **pages;
	unsigned int n = 0, i;

	maxsize = min(maxsize, iov_iter_count(iter));
	maxpages = min_t(size_t, maxpages,
			 DIV_ROUND_UP(maxsize, PAGE_SIZE) + 1);
	pages = kvmalloc_array(maxpages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	for (; nsegs && joinable && total < maxsize; bv++, nsegs--, skip = 0) {
		size_t off = bv->bv_offset + skip;
		size_t left = min(bv->bv_len - skip, maxsize - total);

		while (left && n < maxpages) {
			size_t poff = offset_in_page(off);
			size_t len = min(left, PAGE_SIZE - poff);

			/* After the first page, each must start a page. */
			if (n && poff) {
				joinable = false;
				break;
			}
			if (!n)
				first = poff;
			pages[n++] = bv->bv_page + (off >> PAGE_SHIFT);
			total += len;
			off += len;
			left -= len;
			/* A page that does not run to its end ends the run. */
			if (poff + len < PAGE_SIZE) {
				joinable = false;
				break;
			}
		}
		if (n == maxpages)
			break;
	}
	if (!total) {
		kvfree(pages);
		return -EFAULT;
	}
	for (i = 0; i < n; i++)
		get_page(pages[i]);
	zc->pages = pages;
	zc->npages = n;
	zc->offset = first;
	zc->len = total;
	zc->mode = V9X_PAGES_REF;
	zc->user = false;
	iov_iter_advance(iter, total);
	return total;
}

/*
 * Build a zero-copy Tread (@write false: the host writes straight into the
 * pinned pages) or Twrite (it reads from them) for up to @count bytes of
 * @iter at @offset. @iter is advanced by *@gotp.
 */
static struct v9x_req *v9x_zc_prep(struct v9x_fid *fid, u64 offset,
				   struct iov_iter *iter, size_t count,
				   bool write, size_t *gotp)
{
	struct v9x_client *clnt = fid->clnt;
	unsigned int maxpages = v9x_chan_max_zc_pages(clnt->chan);
	struct v9x_req *req;
	ssize_t got;

	/* One page of slack for a buffer that does not start page-aligned. */
	count = min_t(size_t, count, (size_t)(maxpages - 1) << PAGE_SHIFT);
	if (write)
		req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_twrite,
				  fid->fid, offset, 0);
	else
		req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ, v9x_enc_tread, fid->fid,
				  offset, 0);
	if (IS_ERR(req))
		return req;
	if (iov_iter_is_bvec(iter))
		got = v9x_extract_bvec(iter, count, maxpages,
				       write ? &req->zc_out : &req->zc_in);
	else
		got = v9x_extract_pages(iter, count, maxpages,
					write ? &req->zc_out : &req->zc_in);
	if (got <= 0) {
		v9x_req_put(req);
		return ERR_PTR(got ? got : -EFAULT);
	}
	/* Now that the size is known, patch it into the message. */
	req->tc.pos = 0;
	if (write) {
		v9x_enc_twrite(&req->tc, req->tag, fid->fid, offset, got);
		v9x_enc_end_data(&req->tc, got);
	} else {
		v9x_enc_tread(&req->tc, req->tag, fid->fid, offset, got);
		v9x_enc_end(&req->tc);
		req->zc_in.dirty = true;
	}
	*gotp = got;
	return req;
}

/* Wait for a zero-copy request of @got bytes: bytes moved, or an error. */
static ssize_t v9x_zc_finish(struct v9x_client *clnt, struct v9x_req *req,
			     size_t got, bool write)
{
	struct v9x_hdr hdr;
	struct v9x_buf b;
	u32 n;
	int ret;

	ret = v9x_rpc_wait(clnt, req, &hdr);
	if (ret)
		return ret;
	if (write) {
		ret = v9x_dec_body(&b, req->rc, &hdr);
		if (!ret)
			ret = v9x_dec_rwrite(&b, got, &n);
	} else {
		ret = v9x_dec_rread_zc(&hdr, req->rc, got, &n);
	}
	ret = v9x_body_error(clnt, req, ret);
	if (ret)
		return ret;
	if (write) {
		atomic64_inc(&clnt->stats.zc_writes);
		atomic64_add(n, &clnt->stats.zc_write_bytes);
	} else {
		atomic64_inc(&clnt->stats.zc_reads);
		atomic64_add(n, &clnt->stats.zc_read_bytes);
	}
	return n;
}

/*
 * Move @iter's data zero-copy in up to V9X_IO_DEPTH requests of at most
 * @chunk bytes each, all in flight at once: the server works on them in
 * parallel while the next ones are pinned and queued. Replies are consumed
 * in order; the first error or short count ends the transfer there (@eof
 * for a short read), and the later requests are still waited for, so that
 * no reply lands in the caller's pages after the call returns. A killed
 * caller flushes what is left.
 *
 * Return: bytes moved (@iter advanced by as many), or a negative error.
 */
static ssize_t v9x_zc_io(struct v9x_fid *fid, u64 offset,
			 struct iov_iter *iter, size_t chunk, bool write,
			 bool *eof)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *reqs[V9X_IO_DEPTH];
	size_t gots[V9X_IO_DEPTH], queued = 0;
	ssize_t total = 0, ret = 0, n;
	unsigned int i, nr = 0;
	bool stop = false;

	while (nr < V9X_IO_DEPTH && iov_iter_count(iter)) {
		struct v9x_req *req;
		size_t got;

		req = v9x_zc_prep(fid, offset + queued, iter,
				  min(chunk, iov_iter_count(iter)), write, &got);
		if (IS_ERR(req)) {
			ret = PTR_ERR(req);
			break;
		}
		ret = v9x_send_killable(clnt, req);
		if (ret) {
			iov_iter_revert(iter, got);
			v9x_req_put(req);
			break;
		}
		reqs[nr] = req;
		gots[nr++] = got;
		queued += got;
	}
	/* A failure to queue more than the first is not the caller's error. */
	if (!nr)
		return ret;
	if (ret != -EINTR)
		ret = 0;
	for (i = 0; i < nr; i++) {
		if (ret == -EINTR) {
			v9x_flush_async(clnt, reqs[i]);
		} else if (stop) {
			if (wait_for_completion_killable(&reqs[i]->done)) {
				v9x_flush_async(clnt, reqs[i]);
				ret = -EINTR;
			}
		} else {
			n = v9x_zc_finish(clnt, reqs[i], gots[i], write);
			if (n < 0) {
				ret = n;
				stop = true;
			} else {
				total += n;
				if (n < gots[i]) {
					stop = true;
					*eof = !write;
				}
			}
		}
		v9x_req_put(reqs[i]);
	}
	iov_iter_revert(iter, queued - total);
	return total ? total : ret;
}

/*
 * Zero-copy hands the iterator's pages to the device, so the request must be
 * able to keep them until the device returns them, even after its caller was
 * killed and went away: user pages are pinned, bvec pages (page cache,
 * splice) get a reference. A kvec's memory (an xattr value, exec's
 * kernel_read() buffer) is its caller's, freed once the call returns, so the
 * device could still write a late reply into it: kernel buffers are copied.
 */
static bool v9x_zc_iter(const struct iov_iter *iter)
{
	return user_backed_iter(iter) || iov_iter_is_bvec(iter);
}

/* Read into a kernel buffer and copy out: for small reads. */
static ssize_t v9x_read_copy(struct v9x_fid *fid, u64 offset,
			     struct iov_iter *to, size_t count)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	const u8 *data;
	struct v9x_buf b;
	u32 n;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ + count, v9x_enc_tread, fid->fid,
			  offset, count);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rread(&b, count, &n, &data));
	if (!ret) {
		atomic64_inc(&clnt->stats.copy_reads);
		atomic64_add(n, &clnt->stats.copy_read_bytes);
		if (copy_to_iter(data, n, to) != n)
			ret = -EFAULT;
	}
	v9x_req_put(req);
	/* Not "ret ? ret : n": with n a u32 that turns -EPROTO positive. */
	if (ret)
		return ret;
	return n;
}

/**
 * v9x_client_read - Treads at @offset into @to
 * @fid: an open fid
 * @offset: file offset
 * @to: destination; advanced by the bytes read
 * @eof: set when the server returned less than was asked (end of file)
 *
 * Reads of V9X_ZC_MIN bytes or more into user memory or pages go zero-copy,
 * as up to V9X_IO_DEPTH Treads in flight together (v9x_zc_io()); smaller
 * ones, kernel buffers (v9x_zc_iter()) and iterators whose pages cannot be
 * taken are one copied Tread.
 *
 * Return: bytes read (0 at end of file) or a negative error.
 */
ssize_t v9x_client_read(struct v9x_fid *fid, u64 offset, struct iov_iter *to,
			bool *eof)
{
	size_t before = iov_iter_count(to);
	size_t max = v9x_io_limit(fid, v9x_io_max(fid->clnt));
	size_t count = min(before, max);
	ssize_t ret = -EFAULT;

	*eof = false;
	if (!count)
		return 0;
	if (count >= V9X_ZC_MIN && v9x_zc_iter(to)) {
		ret = v9x_zc_io(fid, offset, to, v9x_io_chunk(max, before),
				false, eof);
		if (ret != -EFAULT || iov_iter_count(to) != before)
			return ret;
	}
	ret = v9x_read_copy(fid, offset, to, count);
	*eof = ret >= 0 && (size_t)ret < count;
	return ret;
}

/**
 * v9x_client_readdir - Treaddir
 * @fid: an open directory fid
 * @offset: 0, or an offset from a previous entry
 * @count: at most this many bytes of entries
 * @bufp: set to a kvmalloc'ed buffer the caller must kvfree()
 * @datap: set to the entries inside *@bufp
 * @lenp: set to their length; 0 at the end of the directory
 *
 * Return: 0 or a negative error.
 */
int v9x_client_readdir(struct v9x_fid *fid, u64 offset, u32 count, void **bufp,
		       const u8 **datap, u32 *lenp)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	u32 n;
	int ret;

	count = min(count, v9x_io_max(clnt));
	req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ + count, v9x_enc_treaddir,
			  fid->fid, offset, count);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rreaddir(&b, count, &n));
	if (!ret && req->inline_bufs) {
		/* A tiny reply shares the request's allocation: copy it. */
		*bufp = kvmalloc(V9X_IOHDRSZ + n, GFP_KERNEL);
		if (*bufp) {
			memcpy(*bufp, req->rc, V9X_IOHDRSZ + n);
			*datap = (u8 *)*bufp + V9X_IOHDRSZ;
			*lenp = n;
		} else {
			ret = -ENOMEM;
		}
	} else if (!ret) {
		/* Hand the reply buffer to the caller. */
		*bufp = req->rc;
		*datap = req->rc + V9X_IOHDRSZ;
		*lenp = n;
		req->rc = NULL;
	}
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_readlink - Treadlink
 * @fid: the symlink
 * @target: set to a kmalloc'ed NUL-terminated copy of the target
 *
 * Return: 0 or a negative error.
 */
int v9x_client_readlink(struct v9x_fid *fid, char **target)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	const char *s;
	struct v9x_buf b;
	u16 len;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_READLINK, v9x_enc_treadlink, fid->fid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rreadlink(&b, &s, &len));
	if (!ret) {
		*target = kmemdup_nul(s, len, GFP_KERNEL);
		if (!*target)
			ret = -ENOMEM;
	}
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_statfs - Tstatfs
 * @fid: any fid on the export
 * @st: filled in
 *
 * Return: 0 or a negative error.
 */
int v9x_client_statfs(struct v9x_fid *fid, struct v9x_statfs *st)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tstatfs, fid->fid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rstatfs(&b, st));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_clunk - release a fid without waiting for Rclunk
 * @fid: the fid; freed here
 *
 * The fid number is returned to the channel only when the Rclunk (or the
 * device's removal) completes the request, so it is never reused while
 * the server may still know it.
 */
void v9x_client_clunk(struct v9x_fid *fid)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tclunk, fid->fid);
	if (IS_ERR(req)) {
		/* Leak the number rather than reuse a fid the server holds. */
		kfree(fid);
		return;
	}
	req->free_fid = fid->fid;
	kfree(fid);
	v9x_send(clnt, req, false);
	v9x_req_put(req);
}

/* Send a request whose reply has no body; consumes @req. */
static int v9x_rpc_empty(struct v9x_client *clnt, struct v9x_req *req)
{
	struct v9x_buf b;
	int ret;

	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rempty(&b));
	v9x_req_put(req);
	return ret;
}

/* Send a request whose reply is a qid; consumes @req. */
static int v9x_rpc_qid(struct v9x_client *clnt, struct v9x_req *req,
		       struct v9x_qid *qid)
{
	struct v9x_buf b;
	int ret;

	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rqid(&b, qid));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_clunk_sync - release a fid and wait for the server's answer
 * @fid: the fid; freed here
 *
 * For fids whose clunk commits something (an xattr write handle), so that
 * the server's error reaches the caller.
 *
 * Return: 0 or the server's error.
 */
int v9x_client_clunk_sync(struct v9x_fid *fid)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tclunk, fid->fid);
	if (IS_ERR(req)) {
		kfree(fid);
		return PTR_ERR(req);
	}
	/* Whatever the answer, the server no longer knows this fid. */
	req->free_fid = fid->fid;
	kfree(fid);
	return v9x_rpc_empty(clnt, req);
}

/**
 * v9x_client_lcreate - Tlcreate: create and open a file
 * @fid: a clone of the directory's fid; on success it is the open new file
 * @name: the new name
 * @flags: V9X_DOTL_* open flags
 * @mode: permission bits
 * @gid: owning group
 *
 * Return: 0 or a negative error; sets @fid->qid and @fid->iounit.
 */
int v9x_client_lcreate(struct v9x_fid *fid, const char *name, u32 flags, u32 mode,
		       u32 gid)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tlcreate, fid->fid,
			  name, flags, mode, gid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rlopen(&b, &fid->qid, &fid->iounit));
	v9x_req_put(req);
	return ret;
}

/* Write from pinned pages: the host reads the data straight out of them. */
/* Copy the data into the request: for small writes. */
static ssize_t v9x_write_copy(struct v9x_fid *fid, u64 offset,
			      struct iov_iter *from, size_t count)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	size_t copied;
	u32 n;
	int ret;

	/* The data follows the header in the request buffer. */
	req = v9x_req_alloc(clnt, V9X_TWRITE_HDRSZ + count, V9X_RSZ_SMALL);
	if (IS_ERR(req))
		return PTR_ERR(req);
	copied = copy_from_iter(req->tc.data + V9X_TWRITE_HDRSZ, count, from);
	if (!copied) {
		v9x_req_put(req);
		return -EFAULT;
	}
	v9x_enc_twrite(&req->tc, req->tag, fid->fid, offset, copied);
	v9x_enc_end_data(&req->tc, copied);
	req->tc.pos += copied;
	req->type = V9X_TWRITE;
	req->wire_tag = req->tag;

	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req,
				     v9x_dec_rwrite(&b, copied, &n));
	if (ret) {
		iov_iter_revert(from, copied);
		v9x_req_put(req);
		return ret;
	}
	if (n < copied)
		iov_iter_revert(from, copied - n);
	atomic64_inc(&clnt->stats.copy_writes);
	atomic64_add(n, &clnt->stats.copy_write_bytes);
	v9x_req_put(req);
	return n;
}

/**
 * v9x_client_write - Twrites at @offset from @from
 * @fid: an open fid
 * @offset: file offset
 * @from: source; advanced by the bytes the server took
 *
 * Writes of V9X_ZC_MIN bytes or more from user memory or pages are sent
 * zero-copy, as up to V9X_IO_DEPTH Twrites in flight together; smaller ones
 * and kernel buffers (v9x_zc_iter()) are one Twrite with the data copied
 * into it.
 *
 * Return: bytes written or a negative error.
 */
ssize_t v9x_client_write(struct v9x_fid *fid, u64 offset, struct iov_iter *from)
{
	size_t before = iov_iter_count(from);
	size_t max = v9x_io_limit(fid, fid->clnt->msize - V9X_TWRITE_HDRSZ);
	size_t count = min(before, max);
	bool eof;
	ssize_t ret;

	if (!count)
		return 0;
	if (count >= V9X_ZC_MIN && v9x_zc_iter(from)) {
		ret = v9x_zc_io(fid, offset, from, v9x_io_chunk(max, before),
				true, &eof);
		if (ret != -EFAULT || iov_iter_count(from) != before)
			return ret;
	}
	return v9x_write_copy(fid, offset, from, count);
}

/**
 * v9x_client_write_batch - bytes one v9x_client_write() call sends in flight together
 * @fid: an open fid
 *
 * Return: V9X_IO_DEPTH messages' worth: what writeback gathers into a batch.
 */
size_t v9x_client_write_batch(struct v9x_fid *fid)
{
	return V9X_IO_DEPTH *
	       v9x_io_limit(fid, fid->clnt->msize - V9X_TWRITE_HDRSZ);
}

/**
 * v9x_client_mkdir - Tmkdir
 * @dfid: the parent directory
 * @name: the new name
 * @mode: permission bits
 * @gid: owning group
 * @qid: set to the new directory's qid
 *
 * Return: 0 or a negative error.
 */
int v9x_client_mkdir(struct v9x_fid *dfid, const char *name, u32 mode, u32 gid,
		     struct v9x_qid *qid)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(dfid->clnt, V9X_RSZ_SMALL, v9x_enc_tmkdir,
			  dfid->fid, name, mode, gid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_qid(dfid->clnt, req, qid);
}

/**
 * v9x_client_symlink - Tsymlink
 * @dfid: the parent directory
 * @name: the link's name
 * @target: its target
 * @gid: owning group
 * @qid: set to the link's qid
 *
 * Return: 0 or a negative error.
 */
int v9x_client_symlink(struct v9x_fid *dfid, const char *name, const char *target,
		       u32 gid, struct v9x_qid *qid)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(dfid->clnt, V9X_RSZ_SMALL, v9x_enc_tsymlink,
			  dfid->fid, name, target, gid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_qid(dfid->clnt, req, qid);
}

/**
 * v9x_client_mknod - Tmknod
 * @dfid: the parent directory
 * @name: the node's name
 * @mode: type and permission bits
 * @major: device major
 * @minor: device minor
 * @gid: owning group
 * @qid: set to the node's qid
 *
 * Return: 0 or a negative error.
 */
int v9x_client_mknod(struct v9x_fid *dfid, const char *name, u32 mode, u32 major,
		     u32 minor, u32 gid, struct v9x_qid *qid)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(dfid->clnt, V9X_RSZ_SMALL, v9x_enc_tmknod,
			  dfid->fid, name, mode, major, minor, gid);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_qid(dfid->clnt, req, qid);
}

/**
 * v9x_client_link - Tlink: a new name for an existing file
 * @dfid: the directory to hold the name
 * @fid: the file
 * @name: the new name
 *
 * Return: 0 or a negative error.
 */
int v9x_client_link(struct v9x_fid *dfid, struct v9x_fid *fid, const char *name)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(dfid->clnt, V9X_RSZ_SMALL, v9x_enc_tlink, dfid->fid,
			  fid->fid, name);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_empty(dfid->clnt, req);
}

/**
 * v9x_client_unlinkat - Tunlinkat
 * @dfid: the parent directory
 * @name: the name to remove
 * @flags: 0 or V9X_DOTL_AT_REMOVEDIR
 *
 * Return: 0 or a negative error.
 */
int v9x_client_unlinkat(struct v9x_fid *dfid, const char *name, u32 flags)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(dfid->clnt, V9X_RSZ_SMALL, v9x_enc_tunlinkat,
			  dfid->fid, name, flags);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_empty(dfid->clnt, req);
}

/**
 * v9x_client_renameat - Trenameat
 * @olddfid: source directory
 * @oldname: source name
 * @newdfid: target directory
 * @newname: target name
 *
 * Return: 0 or a negative error.
 */
int v9x_client_renameat(struct v9x_fid *olddfid, const char *oldname,
			struct v9x_fid *newdfid, const char *newname)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(olddfid->clnt, V9X_RSZ_SMALL, v9x_enc_trenameat,
			  olddfid->fid, oldname, newdfid->fid, newname);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_empty(olddfid->clnt, req);
}

/**
 * v9x_client_setattr - Tsetattr
 * @fid: the file
 * @ia: what to change
 *
 * Return: 0 or a negative error.
 */
int v9x_client_setattr(struct v9x_fid *fid, const struct v9x_iattr *ia)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(fid->clnt, V9X_RSZ_SMALL, v9x_enc_tsetattr, fid->fid,
			  ia);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_empty(fid->clnt, req);
}

/**
 * v9x_client_fsync - Tfsync
 * @fid: an open fid
 * @datasync: nonzero for fdatasync semantics
 *
 * Return: 0 or a negative error.
 */
int v9x_client_fsync(struct v9x_fid *fid, int datasync)
{
	struct v9x_req *req;

	req = V9X_NEW_REQ(fid->clnt, V9X_RSZ_SMALL, v9x_enc_tfsync, fid->fid,
			  datasync ? 1 : 0);
	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_rpc_empty(fid->clnt, req);
}

/* Read a whole xattr fid (value or name list) into @buf. */
static ssize_t v9x_xattr_read(struct v9x_fid *xfid, void *buf, size_t size)
{
	struct kvec kv = { .iov_base = buf, .iov_len = size };
	struct iov_iter to;
	size_t done = 0;
	bool eof = false;
	ssize_t n;

	iov_iter_kvec(&to, ITER_DEST, &kv, 1, size);
	while (done < size && !eof) {
		n = v9x_client_read(xfid, done, &to, &eof);
		if (n < 0)
			return n;
		if (!n)
			break;
		done += n;
	}
	return done;
}

/**
 * v9x_client_xattr_get - Txattrwalk + Tread: read an attribute or the name list
 * @fid: the file
 * @name: attribute name, or "" for the list of names
 * @buf: destination, or NULL to ask for the size
 * @size: room in @buf
 *
 * Return: the value's size, -ERANGE when @buf is too small, or an error.
 */
ssize_t v9x_client_xattr_get(struct v9x_fid *fid, const char *name, void *buf,
			     size_t size)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_fid *xfid;
	struct v9x_req *req;
	struct v9x_buf b;
	u64 len;
	ssize_t ret;

	xfid = v9x_fid_alloc(clnt);
	if (IS_ERR(xfid))
		return PTR_ERR(xfid);
	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_txattrwalk, fid->fid,
			  xfid->fid, name);
	if (IS_ERR(req)) {
		v9x_fid_discard(xfid, PTR_ERR(req));
		return PTR_ERR(req);
	}
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rxattrwalk(&b, &len));
	v9x_req_put(req);
	if (ret) {
		v9x_fid_discard(xfid, ret);
		return ret;
	}
	if (len > XATTR_SIZE_MAX) {
		ret = -E2BIG;
	} else if (!buf || !size) {
		ret = len;
	} else if (len > size) {
		ret = -ERANGE;
	} else {
		ret = v9x_xattr_read(xfid, buf, len);
		if (ret >= 0 && ret != len)
			ret = -EIO;
	}
	v9x_client_clunk(xfid);
	return ret;
}

/**
 * v9x_client_xattr_set - Txattrcreate + Twrite + Tclunk: set or remove an attribute
 * @fid: the file
 * @name: attribute name
 * @value: the value, or NULL to remove the attribute
 * @size: its length
 * @flags: XATTR_CREATE / XATTR_REPLACE
 *
 * The server commits the attribute when the write handle is clunked, so the
 * clunk is waited for and its error returned.
 *
 * Return: 0 or a negative error.
 */
int v9x_client_xattr_set(struct v9x_fid *fid, const char *name, const void *value,
			 size_t size, int flags)
{
	struct v9x_client *clnt = fid->clnt;
	struct kvec kv = { .iov_base = (void *)value, .iov_len = size };
	struct v9x_fid *xfid;
	struct iov_iter from;
	struct v9x_req *req;
	u64 off = 0;
	ssize_t n;
	int ret;

	if (!value)
		size = 0;
	ret = v9x_client_walk(fid, 0, NULL, &xfid);
	if (ret)
		return ret;
	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_txattrcreate,
			  xfid->fid, name, size, flags);
	if (IS_ERR(req)) {
		v9x_client_clunk(xfid);
		return PTR_ERR(req);
	}
	ret = v9x_rpc_empty(clnt, req);
	if (ret) {
		v9x_client_clunk(xfid);
		return ret;
	}
	iov_iter_kvec(&from, ITER_SOURCE, &kv, 1, size);
	while (iov_iter_count(&from)) {
		n = v9x_client_write(xfid, off, &from);
		if (n <= 0) {
			v9x_client_clunk(xfid);
			return n ? n : -EIO;
		}
		off += n;
	}
	return v9x_client_clunk_sync(xfid);
}

/**
 * v9x_client_lock - Tlock
 * @fid: an open fid
 * @fl: the lock
 * @status: set to the server's V9X_LOCK_* status
 *
 * Return: 0 or a negative error.
 */
int v9x_client_lock(struct v9x_fid *fid, const struct v9x_flock *fl, u8 *status)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_tlock, fid->fid, fl);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rlock(&b, status));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_getlock - Tgetlock
 * @fid: an open fid
 * @fl: the lock to test; overwritten with the conflicting lock, or with
 *	type V9X_LOCK_TYPE_UNLCK when there is none
 *
 * Return: 0 or a negative error.
 */
int v9x_client_getlock(struct v9x_fid *fid, struct v9x_flock *fl)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_GETLOCK, v9x_enc_tgetlock, fid->fid,
			  fl);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_body_error(clnt, req, v9x_dec_rgetlock(&b, fl));
	v9x_req_put(req);
	return ret;
}

/**
 * v9x_client_init - set up what requests need at module load
 *
 * Return: 0 or -ENOMEM.
 */
int v9x_client_init(void)
{
	v9x_wq = alloc_workqueue("v9x", WQ_MEM_RECLAIM, 0);
	return v9x_wq ? 0 : -ENOMEM;
}

/**
 * v9x_client_exit - wait for deferred frees and flushes, then tear down
 */
void v9x_client_exit(void)
{
	destroy_workqueue(v9x_wq);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "client_test.c"
#endif
