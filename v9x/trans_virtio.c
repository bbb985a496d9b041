// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio transport: a virtio driver for virtio-9p devices (as QEMU's
 * virtio-9p-pci presents them), one channel per device, one request
 * virtqueue per channel.
 *
 * This file knows virtio and scatter-gather lists; it knows nothing of the
 * VFS and nothing of 9P beyond "a request is a buffer out and buffers in". It
 * hands each finished request back to the client with v9x_req_complete().
 *
 * It also owns the channel's tag and fid number spaces: they belong to the
 * wire session, and a request or fid may outlive the mount that made it.
 */

#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/virtio.h>
#include <linux/virtio_9p.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <linux/virtio_ring.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "internal.h"

/* Longest mount tag accepted from a device's config space. */
#define V9X_TAG_MAX	255

static char *tags;
module_param(tags, charp, 0444);
MODULE_PARM_DESC(tags,
		 "Comma-separated mount tags v9x may claim (default: every virtio-9p device)");

/*
 * Fault injection, for testing the client against a hostile device (the
 * confidential-guest threat model): while fault_count > 0, each completed
 * request has its reply corrupted as fault_mode says, and fault_count drops
 * by one. Off (0) unless set through /sys/module/v9x/parameters/.
 */
enum v9x_fault {
	V9X_FAULT_NONE,
	V9X_FAULT_TRUNCATE,	/* used length shorter than the header */
	V9X_FAULT_TAG,		/* reply carries another tag */
	V9X_FAULT_TYPE,		/* reply has an unexpected type */
	V9X_FAULT_COUNT,	/* Rread/Rreaddir count larger than asked */
	V9X_FAULT_ERRNO,	/* Rlerror with an errno no kernel has */
	V9X_FAULT_OVERSIZE,	/* size field and used length past the buffer */
	V9X_FAULT_HOLD,		/* reply intact, delivered fault_delay_ms late */
	V9X_FAULT_MAX,
};

static int fault_mode;
module_param(fault_mode, int, 0644);
MODULE_PARM_DESC(fault_mode,
		 "Testing: corrupt replies (1 truncate, 2 tag, 3 type, 4 count, 5 errno, 6 oversize, 7 hold back)");
static atomic_t fault_count = ATOMIC_INIT(0);
module_param_named(fault_count, fault_count.counter, int, 0644);
MODULE_PARM_DESC(fault_count, "Testing: how many replies to corrupt");
static unsigned int fault_delay_ms = 3000;
module_param(fault_delay_ms, uint, 0644);
MODULE_PARM_DESC(fault_delay_ms,
		 "Testing: how long fault_mode 7 holds a reply back (ms, at most 60000)");

static void v9x_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

/* Corrupt one reply as a hostile device would; returns the used length. */
static u32 v9x_fault(struct v9x_req *req, u32 len)
{
	int mode = READ_ONCE(fault_mode);
	u8 *rc = req->rc;

	if (mode <= V9X_FAULT_NONE || mode >= V9X_FAULT_MAX ||
	    atomic_dec_if_positive(&fault_count) < 0 || req->rc_cap < V9X_IOHDRSZ)
		return len;
	switch (mode) {
	case V9X_FAULT_TRUNCATE:
		return 5;
	case V9X_FAULT_TAG:
		rc[5] ^= 0x55;
		break;
	case V9X_FAULT_TYPE:
		rc[4] = 0xff;
		break;
	case V9X_FAULT_COUNT:
		/* Elsewhere, an Rread: a count where none belongs. */
		if (req->type == V9X_TREAD || req->type == V9X_TREADDIR)
			v9x_put_le32(rc + 7, 0x7ffffff0);
		else
			rc[4] = V9X_RREAD;
		break;
	case V9X_FAULT_ERRNO:
		v9x_put_le32(rc, V9X_RLERROR_SZ);
		rc[4] = V9X_RLERROR;
		v9x_put_le32(rc + 7, 0xdeadbeef);
		return V9X_RLERROR_SZ;
	case V9X_FAULT_OVERSIZE:
		v9x_put_le32(rc, req->rc_cap + req->zc_in.len + 4096);
		return U32_MAX;
	}
	return len;
}

/**
 * struct v9x_chan - one virtio-9p device
 * @ref: the driver's reference while bound, plus the claiming client's
 * @list: entry in v9x_chans, protected by v9x_chans_lock
 * @tag: the mount tag from config space, NUL-terminated
 * @claimed: a client owns this channel; protected by v9x_chans_lock
 * @lock: protects @vq and @dead, and serialises virtqueue add and get
 * @vq: the request virtqueue; NULL once removed
 * @dead: set by remove(); no request is added after it, and every
 *	outstanding one has been completed with -EIO
 * @completions: bumped by each interrupt, for ring-full waiters
 * @ring_wait: where submitters wait for ring space
 * @vdev: the device, for dev_*() logging; valid while @vq is
 * @tags: tag numbers in use on the wire
 * @fids: fid numbers in use on the wire
 * @max_zc_pages: most data pages one request may carry
 * @held: replies held back by fault_mode 7; protected by @lock
 * @hold_work: delivers the @held replies
 * @fake: KUnit only: answers requests instead of a device
 */
struct v9x_chan {
	struct kref ref;
	struct list_head list;
	char tag[V9X_TAG_MAX + 1];
	bool claimed;

	spinlock_t lock;	/* see above */
	struct virtqueue *vq;
	bool dead;
	unsigned long completions;
	wait_queue_head_t ring_wait;

	struct virtio_device *vdev;
	struct ida tags;
	struct ida fids;
	unsigned int max_zc_pages;
	struct list_head held;
	struct delayed_work hold_work;
#if IS_ENABLED(CONFIG_KUNIT)
	int (*fake)(struct v9x_chan *chan, struct v9x_req *req);
#endif
};

/*
 * fault_mode 7: keep an intact reply from its waiter for fault_delay_ms, as
 * a slow server would, so that any operation (readdir, lookup...) can be
 * caught waiting. Called with the channel lock held; true when @req was
 * taken. The device's reference stays with @req until v9x_hold_work() or
 * remove() completes it, so its tag stays reserved meanwhile. A timer
 * already pending is not pushed back: a later reply may wait less.
 */
static bool v9x_fault_hold(struct v9x_chan *chan, struct v9x_req *req,
			   u32 len)
{
	if (READ_ONCE(fault_mode) != V9X_FAULT_HOLD ||
	    atomic_dec_if_positive(&fault_count) < 0)
		return false;
	req->rlen = len;
	list_add_tail(&req->held, &chan->held);
	schedule_delayed_work(&chan->hold_work,
			      msecs_to_jiffies(min(fault_delay_ms, 60000U)));
	return true;
}

/* Complete requests already off the ring: no lock, a last put may sleep. */
static void v9x_complete_list(struct list_head *list, int status)
{
	struct v9x_req *req, *next;

	list_for_each_entry_safe(req, next, list, held) {
		list_del(&req->held);
		v9x_req_complete(req, status ? 0 : req->rlen, status);
	}
}

static void v9x_hold_work(struct work_struct *work)
{
	struct v9x_chan *chan = container_of(to_delayed_work(work),
					     struct v9x_chan, hold_work);
	unsigned long flags;
	LIST_HEAD(due);

	spin_lock_irqsave(&chan->lock, flags);
	list_splice_init(&chan->held, &due);
	spin_unlock_irqrestore(&chan->lock, flags);
	v9x_complete_list(&due, 0);
}

/* v9x_chans_lock protects v9x_chans and every channel's @claimed. */
static LIST_HEAD(v9x_chans);
static DEFINE_MUTEX(v9x_chans_lock);

static void v9x_chan_free(struct kref *ref)
{
	struct v9x_chan *chan = container_of(ref, struct v9x_chan, ref);

	ida_destroy(&chan->tags);
	ida_destroy(&chan->fids);
	kfree(chan);
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
	kref_put(&chan->ref, v9x_chan_free);
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

/* Fill @sg with a kmalloc'ed or vmalloc'ed buffer; returns entries used. */
static unsigned int v9x_sg_buf(struct scatterlist *sg, void *buf, size_t len)
{
	unsigned int n = 0;

	if (!is_vmalloc_addr(buf)) {
		sg_set_buf(sg, buf, len);
		return 1;
	}
	while (len) {
		size_t off = offset_in_page(buf);
		size_t part = min_t(size_t, len, PAGE_SIZE - off);

		sg_set_page(&sg[n++], vmalloc_to_page(buf), part, off);
		buf += part;
		len -= part;
	}
	return n;
}

static unsigned int v9x_buf_nents(const void *buf, size_t len)
{
	if (!is_vmalloc_addr(buf))
		return 1;
	return DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
}

static unsigned int v9x_sg_zc(struct scatterlist *sg, const struct v9x_zc *zc)
{
	size_t off = zc->offset, len = zc->len;
	unsigned int i;

	for (i = 0; i < zc->npages && len; i++) {
		size_t part = min_t(size_t, len, PAGE_SIZE - off);

		sg_set_page(&sg[i], zc->pages[i], part, off);
		len -= part;
		off = 0;
	}
	return i;
}

/* Has a completion freed ring space since @seen, or did the device go? */
static bool v9x_ring_moved(struct v9x_chan *chan, unsigned long seen)
{
	return READ_ONCE(chan->completions) != seen || READ_ONCE(chan->dead);
}

/**
 * v9x_chan_submit - hand a request's buffers to the device
 * @chan: the channel
 * @req: the request; on success the device holds a reference until it
 *	returns the buffers (or remove() fails the request)
 * @killable: wait killably for ring space (a flush sent on behalf of a
 *	dying task waits uninterruptibly instead)
 *
 * Return: 0, -EIO when the device is gone, -EINTR on a fatal signal, or
 * -ENOMEM.
 */
int v9x_chan_submit(struct v9x_chan *chan, struct v9x_req *req, bool killable)
{
	struct scatterlist stack_sg[4], *sg = stack_sg, *out, *in;
	struct scatterlist *sgs[2];
	unsigned int nout, nin, n;
	unsigned long flags, seen;
	bool notify = false;
	int ret;

#if IS_ENABLED(CONFIG_KUNIT)
	if (chan->fake)
		return chan->fake(chan, req);
#endif
	nout = v9x_buf_nents(req->tc.data, req->tc.pos) + req->zc_out.npages;
	nin = v9x_buf_nents(req->rc, req->rc_cap) + req->zc_in.npages;
	if (nout + nin > V9X_MAX_CHAIN)
		return -EINVAL;
	if (nout + nin > ARRAY_SIZE(stack_sg)) {
		sg = kvmalloc_array(nout + nin, sizeof(*sg), GFP_NOFS);
		if (!sg)
			return -ENOMEM;
	}
	out = sg;
	in = sg + nout;
	sg_init_table(out, nout);
	sg_init_table(in, nin);
	n = v9x_sg_buf(out, req->tc.data, req->tc.pos);
	if (req->zc_out.npages)
		n += v9x_sg_zc(out + n, &req->zc_out);
	sg_mark_end(&out[n - 1]);
	n = v9x_sg_buf(in, req->rc, req->rc_cap);
	if (req->zc_in.npages)
		n += v9x_sg_zc(in + n, &req->zc_in);
	/* A zero-length tail page never happens, but the table must end right. */
	sg_mark_end(&in[n - 1]);
	sgs[0] = out;
	sgs[1] = in;

	refcount_inc(&req->ref);
	for (;;) {
		spin_lock_irqsave(&chan->lock, flags);
		if (chan->dead) {
			ret = -EIO;
		} else {
			ret = virtqueue_add_sgs(chan->vq, sgs, 1, 1, req,
						GFP_ATOMIC);
			if (!ret)
				notify = virtqueue_kick_prepare(chan->vq);
		}
		seen = chan->completions;
		spin_unlock_irqrestore(&chan->lock, flags);
		if (ret != -ENOSPC)
			break;

		/*
		 * Ring full (or an indirect table could not be allocated):
		 * wait for a completion, with a timeout so that a failed
		 * atomic allocation is simply retried.
		 */
		if (killable) {
			long w;

			w = wait_event_killable_timeout(chan->ring_wait,
							v9x_ring_moved(chan, seen),
							HZ / 10);
			if (w < 0) {
				ret = -EINTR;
				break;
			}
		} else {
			wait_event_timeout(chan->ring_wait,
					   v9x_ring_moved(chan, seen), HZ / 10);
		}
	}
	if (ret)
		refcount_dec(&req->ref);
	else if (notify)
		virtqueue_notify(chan->vq);

	if (sg != stack_sg)
		kvfree(sg);
	return ret;
}

static void v9x_vq_done(struct virtqueue *vq)
{
	struct v9x_chan *chan = vq->vdev->priv;
	struct v9x_req *req;
	unsigned long flags;
	unsigned int len;

	spin_lock_irqsave(&chan->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((req = virtqueue_get_buf(vq, &len))) {
			if (unlikely(atomic_read(&fault_count) > 0)) {
				if (v9x_fault_hold(chan, req, len))
					continue;
				len = v9x_fault(req, len);
			}
			v9x_req_complete(req, len, 0);
		}
	} while (!virtqueue_enable_cb(vq));
	chan->completions++;
	spin_unlock_irqrestore(&chan->lock, flags);
	wake_up_all(&chan->ring_wait);
}

static ssize_t mount_tag_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct virtio_device *vdev = dev_to_virtio(dev);
	struct v9x_chan *chan = vdev->priv;

	return sysfs_emit(buf, "%s\n", chan->tag);
}
static DEVICE_ATTR_RO(mount_tag);

/* Is @tag in the comma-separated tags= list (or is the list empty)? */
static bool v9x_tag_wanted(const char *tag)
{
	const char *p = tags;
	size_t len = strlen(tag);

	if (!p || !*p)
		return true;
	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, tag, n))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

static int v9x_read_tag(struct virtio_device *vdev, char *tag)
{
	u16 len;

	virtio_cread(vdev, struct virtio_9p_config, tag_len, &len);
	if (!len || len > V9X_TAG_MAX) {
		dev_err(&vdev->dev, "bad mount tag length %u\n", len);
		return -EINVAL;
	}
	virtio_cread_bytes(vdev, offsetof(struct virtio_9p_config, tag),
			   tag, len);
	tag[len] = '\0';
	if (strlen(tag) != len) {
		dev_err(&vdev->dev, "mount tag contains a NUL byte\n");
		return -EINVAL;
	}
	return 0;
}

static int v9x_probe(struct virtio_device *vdev)
{
	struct v9x_chan *chan;
	unsigned int ring;
	int ret;

	if (!virtio_has_feature(vdev, VIRTIO_9P_MOUNT_TAG)) {
		dev_err(&vdev->dev, "device has no mount tag\n");
		return -EINVAL;
	}
	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return -ENOMEM;
	ret = v9x_read_tag(vdev, chan->tag);
	if (ret)
		goto out_free_chan;
	if (!v9x_tag_wanted(chan->tag)) {
		dev_info(&vdev->dev, "tag '%s' not in tags=, leaving it to other drivers\n",
			 chan->tag);
		ret = -ENODEV;
		goto out_free_chan;
	}

	kref_init(&chan->ref);
	spin_lock_init(&chan->lock);
	init_waitqueue_head(&chan->ring_wait);
	ida_init(&chan->tags);
	ida_init(&chan->fids);
	INIT_LIST_HEAD(&chan->held);
	INIT_DELAYED_WORK(&chan->hold_work, v9x_hold_work);
	chan->vdev = vdev;
	vdev->priv = chan;

	chan->vq = virtio_find_single_vq(vdev, v9x_vq_done, "requests");
	if (IS_ERR(chan->vq)) {
		ret = PTR_ERR(chan->vq);
		goto out_free_chan;
	}
	ring = virtqueue_get_vring_size(chan->vq);
	if (virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC))
		chan->max_zc_pages = V9X_MAX_ZC_PAGES;
	else
		chan->max_zc_pages = ring > 4 ? ring - 4 : 1;

	ret = device_create_file(&vdev->dev, &dev_attr_mount_tag);
	if (ret)
		goto out_del_vqs;
	kobject_uevent(&vdev->dev.kobj, KOBJ_CHANGE);

	virtio_device_ready(vdev);

	mutex_lock(&v9x_chans_lock);
	list_add_tail(&chan->list, &v9x_chans);
	mutex_unlock(&v9x_chans_lock);
	dev_info(&vdev->dev, "mount tag '%s', ring %u, %u pages per request\n",
		 chan->tag, ring, chan->max_zc_pages);
	return 0;

out_del_vqs:
	vdev->config->del_vqs(vdev);
out_free_chan:
	vdev->priv = NULL;
	kfree(chan);
	return ret;
}

/*
 * remove() never waits for a mount: it stops the device, fails everything
 * outstanding with -EIO and marks the channel dead so later requests fail
 * at once. A mounted filesystem keeps its channel reference and can still be
 * unmounted.
 */
static void v9x_remove(struct virtio_device *vdev)
{
	struct v9x_chan *chan = vdev->priv;
	struct v9x_req *req;
	unsigned long flags;
	LIST_HEAD(failed);

	mutex_lock(&v9x_chans_lock);
	list_del(&chan->list);
	mutex_unlock(&v9x_chans_lock);

	spin_lock_irqsave(&chan->lock, flags);
	chan->dead = true;
	spin_unlock_irqrestore(&chan->lock, flags);

	/* After the reset no callback runs and the device touches no buffer. */
	virtio_reset_device(vdev);

	spin_lock_irqsave(&chan->lock, flags);
	while ((req = virtqueue_detach_unused_buf(chan->vq)))
		list_add_tail(&req->held, &failed);
	list_splice_tail_init(&chan->held, &failed);
	chan->vq = NULL;
	spin_unlock_irqrestore(&chan->lock, flags);
	/* Outside the lock: the device's reference may be a request's last. */
	v9x_complete_list(&failed, -EIO);
	wake_up_all(&chan->ring_wait);
	/* Nothing can be held any more: no callback runs after the reset. */
	cancel_delayed_work_sync(&chan->hold_work);

	vdev->config->del_vqs(vdev);
	device_remove_file(&vdev->dev, &dev_attr_mount_tag);
	dev_info(&vdev->dev, "removed mount tag '%s'\n", chan->tag);
	vdev->priv = NULL;
	kref_put(&chan->ref, v9x_chan_free);
}

static const struct virtio_device_id v9x_id_table[] = {
	{ VIRTIO_ID_9P, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static const unsigned int v9x_features[] = {
	VIRTIO_9P_MOUNT_TAG,
};

static struct virtio_driver v9x_virtio_driver = {
	.feature_table = v9x_features,
	.feature_table_size = ARRAY_SIZE(v9x_features),
	.driver.name = "v9x_virtio",
	.driver.owner = THIS_MODULE,
	.id_table = v9x_id_table,
	.probe = v9x_probe,
	.remove = v9x_remove,
};

/**
 * v9x_virtio_init - register the virtio driver
 *
 * Return: 0 or a negative error.
 */
int v9x_virtio_init(void)
{
	return register_virtio_driver(&v9x_virtio_driver);
}

/**
 * v9x_virtio_exit - unregister the driver; remove() runs for every device
 */
void v9x_virtio_exit(void)
{
	unregister_virtio_driver(&v9x_virtio_driver);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "trans_test.c"
#endif
