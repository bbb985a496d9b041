// SPDX-License-Identifier: GPL-2.0
/*
 * The 9P client: sessions (version, attach), fids, and one function per 9P
 * operation the VFS needs, each building its T-message, sending it through
 * the request engine (req.c) and decoding the R-message (proto.c). Tread and
 * Twrite, with their zero-copy paths, are in client_io.c.
 *
 * Over 800 lines because it is ~25 operations of the same shape; splitting
 * them further would scatter one protocol's calls across files.
 */

#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>
#include <linux/xattr.h>

#include "compat.h"
#include "internal.h"

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

/**
 * v9x_client_put_req - drop a request's reference to its client
 * @clnt: the client
 *
 * Wakes v9x_client_drain(). The wake-up only hashes the address, so it is
 * safe even when the mount's own put has freed @clnt meanwhile.
 */
void v9x_client_put_req(struct v9x_client *clnt)
{
	if (!kref_put(&clnt->ref, v9x_client_free))
		wake_up_var(&clnt->ref);
}

/* Unmount stops waiting for a server that answered nothing for this long. */
#define V9X_DRAIN_STALL	(10 * HZ)

/**
 * v9x_client_drain - wait until no request of the session is left
 * @clnt: the client, with the caller's (the mount's) reference
 *
 * For unmount: the fids of every cached name are clunked asynchronously,
 * and the channel stays claimed until the last request is freed, so a
 * mount right after the umount would find it busy. The wait lasts as long
 * as replies keep coming: a server that answers none of them for
 * V9X_DRAIN_STALL (requests a killed task or prefetch gave up on, which a
 * stalled server never answers) or a fatal signal ends it early, and the
 * channel is then released when the last request is.
 */
void v9x_client_drain(struct v9x_client *clnt)
{
	s64 replies = atomic64_read(&clnt->replies), now;
	unsigned long progress = jiffies;

	while (kref_read(&clnt->ref) > 1 && !fatal_signal_pending(current)) {
		wait_var_event_timeout(&clnt->ref, kref_read(&clnt->ref) <= 1,
				       HZ / 10);
		now = atomic64_read(&clnt->replies);
		if (now != replies) {
			replies = now;
			progress = jiffies;
		} else if (time_after(jiffies, progress + V9X_DRAIN_STALL)) {
			v9x_clnt_err(clnt, "unmounted with %u requests (Tflushes included) the server has not answered for %d s: the device stays busy until it does\n",
				     kref_read(&clnt->ref) - 1,
				     V9X_DRAIN_STALL / HZ);
			return;
		}
	}
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

	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rversion(&b, &server_msize,
							  &version, &vlen));
	if (ret)
		goto out;
	if (vlen != strlen(V9X_VERSION_L) ||
	    memcmp(version, V9X_VERSION_L, vlen)) {
		v9x_clnt_err(clnt, "server does not speak %s (it answered '%.*s')\n",
			     V9X_VERSION_L, (int)min_t(u16, vlen, 32), version);
		ret = -EREMOTEIO;
		goto out;
	}
	if (server_msize < V9X_MIN_MSIZE) {
		v9x_clnt_err(clnt, "server msize %u is below the minimum %u\n",
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rattach(&b, &root->qid));
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
	strscpy(clnt->tag, tag, sizeof(clnt->tag));

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
		ret = v9x_req_rpc_body(clnt, req, &b);
		if (!ret)
			ret = v9x_req_body_error(clnt, req,
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
 * v9x_client_walk_send - send a Twalk of one name without waiting
 * @fid: the directory; the caller keeps it until v9x_client_walk_wait()
 * @name: the name, kept by the caller until then too
 * @newfidp: set to the new fid, for v9x_client_walk_wait()
 *
 * Return: the request, for v9x_client_walk_wait(), or an ERR_PTR (no fid).
 */
struct v9x_req *v9x_client_walk_send(struct v9x_fid *fid, const char *name,
				     struct v9x_fid **newfidp)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_fid *newfid;
	struct v9x_req *req;
	int ret;

	newfid = v9x_fid_alloc(clnt);
	if (IS_ERR(newfid))
		return ERR_CAST(newfid);
	newfid->qid = fid->qid;
	newfid->uid = fid->uid;
	req = V9X_NEW_REQ(clnt, V9X_RSZ_WALK, v9x_enc_twalk, fid->fid,
			  newfid->fid, 1, &name);
	if (IS_ERR(req)) {
		ret = PTR_ERR(req);
		goto out_discard;
	}
	ret = v9x_req_send_killable(clnt, req);
	if (ret) {
		v9x_req_put(req);
		goto out_discard;
	}
	*newfidp = newfid;
	return req;

out_discard:
	v9x_fid_discard(newfid, ret);
	return ERR_PTR(ret);
}

/**
 * v9x_client_walk_wait - the answer to v9x_client_walk_send()
 * @clnt: the session
 * @req: the request; consumed
 * @newfid: the fid it was sent for; on failure it is gone
 *
 * Return: 0 (@newfid is the name's, with its qid), -ENOENT when the name
 * is missing, or another negative error.
 */
int v9x_client_walk_wait(struct v9x_client *clnt, struct v9x_req *req,
			 struct v9x_fid *newfid)
{
	unsigned int nwqid = 0;
	struct v9x_qid qid;
	struct v9x_buf b;
	int ret;

	ret = v9x_req_wait_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rwalk(&b, 1, &qid, &nwqid));
	v9x_req_put(req);
	/* The server made no fid for a partial walk. */
	if (!ret && nwqid < 1)
		ret = -ENOENT;
	if (ret) {
		v9x_fid_discard(newfid, ret);
		return ret;
	}
	newfid->qid = qid;
	return 0;
}

/**
 * v9x_client_getattr_send - send a Tgetattr without waiting for its answer
 * @fid: the file; the caller keeps it until v9x_client_getattr_wait()
 * @mask: V9X_GETATTR_* bits wanted
 *
 * Return: the request, for v9x_client_getattr_wait() (or v9x_req_put() to
 * drop the answer), or an ERR_PTR.
 */
struct v9x_req *v9x_client_getattr_send(struct v9x_fid *fid, u64 mask)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_RSZ_GETATTR, v9x_enc_tgetattr, fid->fid,
			  mask);
	if (IS_ERR(req))
		return req;
	ret = v9x_req_send_killable(clnt, req);
	if (ret) {
		v9x_req_put(req);
		return ERR_PTR(ret);
	}
	return req;
}

/**
 * v9x_client_getattr_wait - the answer to v9x_client_getattr_send()
 * @clnt: the session
 * @req: the request; consumed
 * @st: filled in
 *
 * Return: 0 or a negative error (-EINTR when killed).
 */
int v9x_client_getattr_wait(struct v9x_client *clnt, struct v9x_req *req,
			    struct v9x_stat *st)
{
	struct v9x_buf b;
	int ret;

	ret = v9x_req_wait_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rgetattr(&b, st));
	v9x_req_put(req);
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
	struct v9x_req *req = v9x_client_getattr_send(fid, mask);

	if (IS_ERR(req))
		return PTR_ERR(req);
	return v9x_client_getattr_wait(fid->clnt, req, st);
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rlopen(&b, &fid->qid, &fid->iounit));
	v9x_req_put(req);
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

	/* The reply buffer is one kernel buffer: v9x_buf_max(), not msize. */
	count = min_t(size_t, count, v9x_buf_max(clnt) - V9X_IOHDRSZ);
	req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ + count, v9x_enc_treaddir,
			  fid->fid, offset, count);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rstatfs(&b, st));
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
	v9x_req_send(clnt, req, false);
	v9x_req_put(req);
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
	return v9x_req_rpc_empty(clnt, req);
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rlopen(&b, &fid->qid, &fid->iounit));
	v9x_req_put(req);
	return ret;
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
	return v9x_req_rpc_qid(dfid->clnt, req, qid);
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
	return v9x_req_rpc_qid(dfid->clnt, req, qid);
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
	return v9x_req_rpc_qid(dfid->clnt, req, qid);
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
	return v9x_req_rpc_empty(dfid->clnt, req);
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
	return v9x_req_rpc_empty(dfid->clnt, req);
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
	return v9x_req_rpc_empty(olddfid->clnt, req);
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
	return v9x_req_rpc_empty(fid->clnt, req);
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
	return v9x_req_rpc_empty(fid->clnt, req);
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rxattrwalk(&b, &len));
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
	ret = v9x_req_rpc_empty(clnt, req);
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rlock(&b, status));
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
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req, v9x_dec_rgetlock(&b, fl));
	v9x_req_put(req);
	return ret;
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "client_test.c"
#endif
