// SPDX-License-Identifier: GPL-2.0
/*
 * Channels, whatever carries them: the list of channels a mount may claim,
 * each channel's tag and fid number spaces, and the dispatch of requests to
 * the channel's transport (struct v9x_trans_ops, trans.h). Knows no
 * transport and no VFS; calls only v9x_req_complete() into the client.
 */

#include <linux/err.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "trans.h"

/* Protects v9x_chans and every channel's @list and @claimed. */
static DEFINE_MUTEX(v9x_chans_lock);
static LIST_HEAD(v9x_chans);

/**
 * v9x_chan_init - set up the common part of a new channel
 * @chan: the channel, zeroed, embedded in the transport's own
 * @ops: the transport's operations; @ops->free frees the channel
 *
 * The caller holds the one reference; its tag and @max_zc_pages are set by
 * the transport before v9x_chan_register(), and @max_buf lowered from "no
 * limit" when the transport has one.
 */
void v9x_chan_init(struct v9x_chan *chan, const struct v9x_trans_ops *ops)
{
	chan->ops = ops;
	chan->max_buf = SIZE_MAX;
	kref_init(&chan->ref);
	INIT_LIST_HEAD(&chan->list);
	ida_init(&chan->tags);
	ida_init(&chan->fids);
}

static void v9x_chan_free(struct kref *ref)
{
	struct v9x_chan *chan = container_of(ref, struct v9x_chan, ref);

	ida_destroy(&chan->tags);
	ida_destroy(&chan->fids);
	chan->ops->free(chan);
}

/**
 * v9x_chan_put - drop a channel reference; the last one frees it
 * @chan: the channel
 */
void v9x_chan_put(struct v9x_chan *chan)
{
	kref_put(&chan->ref, v9x_chan_free);
}

/**
 * v9x_chan_register - make a channel claimable by its mount tag
 * @chan: an initialised channel, not yet registered
 */
void v9x_chan_register(struct v9x_chan *chan)
{
	mutex_lock(&v9x_chans_lock);
	list_add_tail(&chan->list, &v9x_chans);
	mutex_unlock(&v9x_chans_lock);
}

/**
 * v9x_chan_unregister - stop new claims of a channel
 * @chan: a registered channel
 *
 * A client that already claimed it keeps its reference and its claim.
 */
void v9x_chan_unregister(struct v9x_chan *chan)
{
	mutex_lock(&v9x_chans_lock);
	list_del_init(&chan->list);
	mutex_unlock(&v9x_chans_lock);
}

/**
 * v9x_chan_claim - find the channel with a mount tag and claim it
 * @tag: the mount tag
 *
 * One session per device: a second claim of a claimed channel is -EBUSY.
 *
 * Return: the channel (with a reference), or ERR_PTR(-ENOENT/-EBUSY).
 */
struct v9x_chan *v9x_chan_claim(const char *tag)
{
	struct v9x_chan *chan, *found = ERR_PTR(-ENOENT);

	mutex_lock(&v9x_chans_lock);
	list_for_each_entry(chan, &v9x_chans, list) {
		if (strcmp(chan->tag, tag))
			continue;
		if (chan->claimed) {
			found = ERR_PTR(-EBUSY);
			continue;
		}
		chan->claimed = true;
		kref_get(&chan->ref);
		found = chan;
		break;
	}
	mutex_unlock(&v9x_chans_lock);
	return found;
}

/**
 * v9x_chan_release - give up a claim made by v9x_chan_claim()
 * @chan: the channel
 */
void v9x_chan_release(struct v9x_chan *chan)
{
	mutex_lock(&v9x_chans_lock);
	chan->claimed = false;
	mutex_unlock(&v9x_chans_lock);
	v9x_chan_put(chan);
}

/**
 * v9x_chan_submit - hand a request's buffers to the channel's transport
 * @chan: the channel
 * @req: the request; on success the transport holds a reference until it
 *	returns the buffers (or fails the request when its device goes)
 * @killable: wait killably for room (a flush sent on behalf of a dying
 *	task waits uninterruptibly instead)
 *
 * Return: 0, -EIO when the device is gone, -EINTR on a fatal signal,
 * -EINVAL for a request too large for any ring, or -ENOMEM.
 */
int v9x_chan_submit(struct v9x_chan *chan, struct v9x_req *req, bool killable)
{
	return chan->ops->submit(chan, req, killable);
}

/**
 * v9x_chan_complete_list - complete requests a transport took off its ring
 * @list: requests linked by their @held entries; emptied
 * @status: 0 (each with its saved @rlen), or the error for all of them
 *
 * Called with no transport lock held (from the transport's callback, too):
 * completing wakes the waiters, and a last reference queues the free.
 */
void v9x_chan_complete_list(struct list_head *list, int status)
{
	struct v9x_req *req, *next;

	list_for_each_entry_safe(req, next, list, held) {
		list_del(&req->held);
		v9x_req_complete(req, status ? 0 : req->rlen, status);
	}
}

/**
 * v9x_chan_max_zc_pages - how many data pages one request may carry
 * @chan: the channel
 *
 * Return: the limit, at least 1.
 */
unsigned int v9x_chan_max_zc_pages(struct v9x_chan *chan)
{
	return chan->max_zc_pages;
}

/**
 * v9x_chan_max_buf - how large one contiguous buffer of a request may be
 * @chan: the channel
 *
 * A kmalloc'ed buffer is one scatter-gather entry the device maps whole; a
 * larger one fails to map where DMA bounces (swiotlb).
 *
 * Return: the limit in bytes, at least V9X_RSZ_FIXED_MAX; SIZE_MAX for none.
 */
size_t v9x_chan_max_buf(struct v9x_chan *chan)
{
	return chan->max_buf;
}

/**
 * v9x_chan_alloc_tag - reserve a tag
 * @chan: the channel
 *
 * Return: a tag below V9X_NOTAG, or a negative error.
 */
int v9x_chan_alloc_tag(struct v9x_chan *chan)
{
	return ida_alloc_max(&chan->tags, V9X_NOTAG - 1, GFP_NOFS);
}

/**
 * v9x_chan_free_tag - release a tag reserved by v9x_chan_alloc_tag()
 * @chan: the channel
 * @tag: the tag
 */
void v9x_chan_free_tag(struct v9x_chan *chan, u16 tag)
{
	ida_free(&chan->tags, tag);
}

/**
 * v9x_chan_alloc_fid - reserve a fid number
 * @chan: the channel
 * @fid: set to the number
 *
 * Return: 0 or a negative error.
 */
int v9x_chan_alloc_fid(struct v9x_chan *chan, u32 *fid)
{
	int id = ida_alloc_max(&chan->fids, INT_MAX, GFP_NOFS);

	if (id < 0)
		return id;
	*fid = id;
	return 0;
}

/**
 * v9x_chan_free_fid - release a fid number once the server forgot it
 * @chan: the channel
 * @fid: the number
 */
void v9x_chan_free_fid(struct v9x_chan *chan, u32 fid)
{
	ida_free(&chan->fids, fid);
}
