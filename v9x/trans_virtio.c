// SPDX-License-Identifier: GPL-2.0
/*
 * The virtio transport: a virtio driver for virtio-9p devices (as QEMU's
 * virtio-9p-pci presents them), one channel per device, one request
 * virtqueue per channel, and the channel's struct v9x_trans_ops.
 *
 * This file knows virtio and scatter-gather lists; it knows nothing of the
 * VFS and nothing of 9P beyond "a request is a buffer out and buffers in". It
 * hands each finished request back to the client with v9x_req_complete().
 * The tag and fid spaces and the list of claimable channels are chan.c's.
 * Driver callbacks are v9x_virtio_*.
 */

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
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

#include "fault.h"
#include "trans.h"

/*
 * Requests the device may hold at once. QEMU's 9p server takes at most 128
 * (its MAX_REQ) off the ring, and looks at the ring again only when it is
 * notified: a request beyond those would sit in the ring until the next
 * submission, for ever if every task that could submit one waits for a
 * reply. Seen with QEMU 10.0, whose ring has 1024 entries: a walk of a
 * 2,000-entry directory, its prefetch with up to 512 lookups in flight,
 * hung. Linux's 9pnet_virtio never has more than 64 (two descriptors each
 * in a ring of 128).
 */
#define V9X_VIRTIO_MAX_INFLIGHT	128

static char *tags;
module_param(tags, charp, 0444);
MODULE_PARM_DESC(tags,
		 "Comma-separated mount tags v9x may claim (default: every virtio-9p device)");

/**
 * struct v9x_virtio_chan - one virtio-9p device
 * @chan: the common channel (trans.h); its reference held by the driver is
 *	dropped in remove()
 * @lock: protects @vq and @dead and serialises virtqueue add, get and
 *	detach. Nothing is completed or freed under it: completions are
 *	collected under it and handed on after it is dropped.
 * @vq: the request virtqueue; NULL once removed. A submitter notifies the
 *	device after dropping @lock (a notification may exit to the
 *	hypervisor); it does so inside an RCU read-side section entered
 *	before it takes @lock, and remove() waits for those sections
 *	(synchronize_rcu()) between setting @dead and resetting the device,
 *	so no notification touches @vq once remove() goes on to free it.
 * @dead: set by remove() under @lock; no request is added after it, and
 *	every outstanding one has been completed with -EIO
 * @completions: bumped under @lock by each callback; ring-full waiters
 *	read it without the lock to see that space may have been freed
 * @inflight: requests added to @vq and not yet returned by the device,
 *	under @lock
 * @max_inflight: the most @inflight may be (V9X_VIRTIO_MAX_INFLIGHT, or
 *	the ring's size if smaller); a submitter beyond it waits as for a
 *	full ring
 * @ring_wait: where submitters wait for ring space
 * @fault: fault injection state (the testing build only; empty otherwise)
 */
struct v9x_virtio_chan {
	struct v9x_chan chan;

	spinlock_t lock;	/* see above */
	struct virtqueue *vq;
	bool dead;
	unsigned long completions;
	unsigned int inflight;
	unsigned int max_inflight;
	wait_queue_head_t ring_wait;
	struct v9x_fault fault;
};

static struct v9x_virtio_chan *to_virtio_chan(struct v9x_chan *chan)
{
	return container_of(chan, struct v9x_virtio_chan, chan);
}

/* Fill @sg with a kmalloc'ed or vmalloc'ed buffer; returns entries used. */
static unsigned int v9x_virtio_sg_buf(struct scatterlist *sg, void *buf,
				      size_t len)
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

static unsigned int v9x_virtio_buf_nents(const void *buf, size_t len)
{
	if (!is_vmalloc_addr(buf))
		return 1;
	return DIV_ROUND_UP(offset_in_page(buf) + len, PAGE_SIZE);
}

static unsigned int v9x_virtio_sg_zc(struct scatterlist *sg,
				     const struct v9x_zc *zc)
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
static bool v9x_virtio_ring_moved(struct v9x_virtio_chan *vc,
				  unsigned long seen)
{
	return READ_ONCE(vc->completions) != seen || READ_ONCE(vc->dead);
}

/*
 * Add the request's buffers to the virtqueue, waiting for ring space when
 * it is full. On success the device holds a reference to @req until the
 * callback or remove() gives it back. @may_delay lets fault injection keep
 * the request (and that reference) back for a while instead.
 */
static int v9x_virtio_add(struct v9x_virtio_chan *vc, struct v9x_req *req,
			  bool killable, bool may_delay)
{
	struct scatterlist stack_sg[4], *sg = stack_sg, *out, *in;
	struct scatterlist *sgs[2];
	struct virtqueue *vq;
	unsigned int nout, nin, n;
	unsigned long flags, seen;
	bool notify = false;
	int ret;

	nout = v9x_virtio_buf_nents(req->tc.data, req->tc.pos) +
	       req->zc_out.npages;
	nin = v9x_virtio_buf_nents(req->rc, req->rc_cap) + req->zc_in.npages;
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
	n = v9x_virtio_sg_buf(out, req->tc.data, req->tc.pos);
	if (req->zc_out.npages)
		n += v9x_virtio_sg_zc(out + n, &req->zc_out);
	sg_mark_end(&out[n - 1]);
	n = v9x_virtio_sg_buf(in, req->rc, req->rc_cap);
	if (req->zc_in.npages)
		n += v9x_virtio_sg_zc(in + n, &req->zc_in);
	/* A zero-length tail page never happens, but the table must end right. */
	sg_mark_end(&in[n - 1]);
	sgs[0] = out;
	sgs[1] = in;

	refcount_inc(&req->ref);
	for (;;) {
		/*
		 * Entered before @lock is taken, so that remove(), which sets
		 * @dead under @lock and then waits for RCU readers, cannot
		 * free @vq while we notify through it below.
		 */
		rcu_read_lock();
		spin_lock_irqsave(&vc->lock, flags);
		if (vc->dead) {
			ret = -EIO;
		} else if (may_delay && v9x_fault_late(&vc->fault, req)) {
			ret = 0;	/* the device's reference went with it */
		} else if (vc->inflight >= vc->max_inflight) {
			ret = -ENOSPC;	/* as many as the device takes */
		} else {
			ret = virtqueue_add_sgs(vc->vq, sgs, 1, 1, req,
						GFP_ATOMIC);
			if (!ret) {
				vc->inflight++;
				notify = virtqueue_kick_prepare(vc->vq);
			}
		}
		seen = vc->completions;
		vq = vc->vq;
		spin_unlock_irqrestore(&vc->lock, flags);
		/* Outside @lock: a notification may exit to the hypervisor. */
		if (notify) {
			v9x_fault_kick_delay(&vc->fault);
			virtqueue_notify(vq);
		}
		rcu_read_unlock();
		if (ret != -ENOSPC)
			break;

		/*
		 * Ring full, the device holding all it takes, or an indirect
		 * table could not be allocated: wait for a completion, with a
		 * timeout so that a failed atomic allocation is simply retried.
		 */
		if (killable) {
			long w;

			w = wait_event_killable_timeout(vc->ring_wait,
							v9x_virtio_ring_moved(vc, seen),
							HZ / 10);
			if (w < 0) {
				ret = -EINTR;
				break;
			}
		} else {
			wait_event_timeout(vc->ring_wait,
					   v9x_virtio_ring_moved(vc, seen),
					   HZ / 10);
		}
	}
	if (ret)
		refcount_dec(&req->ref);

	if (sg != stack_sg)
		kvfree(sg);
	return ret;
}

/* The transport's submit (struct v9x_trans_ops). */
static int v9x_virtio_submit(struct v9x_chan *chan, struct v9x_req *req,
			     bool killable)
{
	return v9x_virtio_add(to_virtio_chan(chan), req, killable, true);
}

/* fault_mode 10 adds a request it kept back: never killably, never again late. */
static int v9x_virtio_add_late(struct v9x_fault *fault, struct v9x_req *req)
{
	return v9x_virtio_add(container_of(fault, struct v9x_virtio_chan, fault),
			      req, false, false);
}

/* The transport's free (struct v9x_trans_ops), at the channel's last put. */
static void v9x_virtio_free(struct v9x_chan *chan)
{
	kfree(to_virtio_chan(chan));
}

static const struct v9x_trans_ops v9x_virtio_trans_ops = {
	.submit = v9x_virtio_submit,
	.free = v9x_virtio_free,
};

/* The virtqueue callback: the device returned buffers. */
static void v9x_virtio_done(struct virtqueue *vq)
{
	struct v9x_virtio_chan *vc = vq->vdev->priv;
	struct v9x_req *req;
	unsigned long flags;
	unsigned int len;
	LIST_HEAD(done);

	spin_lock_irqsave(&vc->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((req = virtqueue_get_buf(vq, &len))) {
			u32 used = len;

			if (!WARN_ON_ONCE(!vc->inflight))
				vc->inflight--;

			if (v9x_fault_reply(&vc->fault, req, &used))
				continue;
			req->rlen = used;
			list_add_tail(&req->held, &done);
		}
	} while (!virtqueue_enable_cb(vq));
	vc->completions++;
	spin_unlock_irqrestore(&vc->lock, flags);
	/* Completing wakes waiters and drops references: not under @lock. */
	v9x_chan_complete_list(&done, 0);
	wake_up_all(&vc->ring_wait);
}

static ssize_t mount_tag_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct virtio_device *vdev = dev_to_virtio(dev);
	struct v9x_virtio_chan *vc = vdev->priv;

	return sysfs_emit(buf, "%s\n", vc->chan.tag);
}
static DEVICE_ATTR_RO(mount_tag);

/* Is @tag in the comma-separated tags= list (or is the list empty)? */
static bool v9x_virtio_tag_wanted(const char *tag)
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

static int v9x_virtio_read_tag(struct virtio_device *vdev, char *tag)
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

static int v9x_virtio_probe(struct virtio_device *vdev)
{
	struct v9x_virtio_chan *vc;
	unsigned int ring;
	size_t dma_max;
	int ret;

	if (!virtio_has_feature(vdev, VIRTIO_9P_MOUNT_TAG)) {
		dev_err(&vdev->dev, "device has no mount tag\n");
		return -EINVAL;
	}
	vc = kzalloc(sizeof(*vc), GFP_KERNEL);
	if (!vc)
		return -ENOMEM;
	ret = v9x_virtio_read_tag(vdev, vc->chan.tag);
	if (ret)
		goto out_free_chan;
	if (!v9x_virtio_tag_wanted(vc->chan.tag)) {
		dev_info(&vdev->dev, "tag '%s' not in tags=, leaving it to other drivers\n",
			 vc->chan.tag);
		ret = -ENODEV;
		goto out_free_chan;
	}

	v9x_chan_init(&vc->chan, &v9x_virtio_trans_ops);
	spin_lock_init(&vc->lock);
	init_waitqueue_head(&vc->ring_wait);
	v9x_fault_init(&vc->fault, v9x_virtio_add_late);
	vdev->priv = vc;

	vc->vq = virtio_find_single_vq(vdev, v9x_virtio_done, "requests");
	if (IS_ERR(vc->vq)) {
		ret = PTR_ERR(vc->vq);
		goto out_put_chan;
	}
	ring = virtqueue_get_vring_size(vc->vq);
	vc->max_inflight = min_t(unsigned int, ring, V9X_VIRTIO_MAX_INFLIGHT);
	if (virtio_has_feature(vdev, VIRTIO_RING_F_INDIRECT_DESC))
		vc->chan.max_zc_pages = V9X_MAX_ZC_PAGES;
	else
		vc->chan.max_zc_pages = ring > 4 ? ring - 4 : 1;
	/*
	 * A kmalloc'ed buffer goes to the device as one scatter-gather entry,
	 * which the DMA layer must map whole: under swiotlb (SEV/TDX guests,
	 * swiotlb=force) no more than one bounce segment, 256 KiB. The client
	 * keeps its variable-sized buffers within it (v9x_buf_max()); the
	 * fixed-size ones must fit as they are.
	 */
	dma_max = virtio_max_dma_size(vdev);
	if (dma_max < V9X_RSZ_FIXED_MAX) {
		dev_err(&vdev->dev, "DMA segment limit %zu is below the %zu bytes one reply needs\n",
			dma_max, (size_t)V9X_RSZ_FIXED_MAX);
		ret = -EINVAL;
		goto out_del_vqs;
	}
	vc->chan.max_buf = dma_max;

	ret = device_create_file(&vdev->dev, &dev_attr_mount_tag);
	if (ret)
		goto out_del_vqs;
	kobject_uevent(&vdev->dev.kobj, KOBJ_CHANGE);

	virtio_device_ready(vdev);

	v9x_chan_register(&vc->chan);
	if (dma_max != SIZE_MAX)
		dev_info(&vdev->dev, "mount tag '%s', ring %u, %u requests at once, %u pages per request, DMA segments up to %zu bytes\n",
			 vc->chan.tag, ring, vc->max_inflight,
			 vc->chan.max_zc_pages, dma_max);
	else
		dev_info(&vdev->dev, "mount tag '%s', ring %u, %u requests at once, %u pages per request\n",
			 vc->chan.tag, ring, vc->max_inflight,
			 vc->chan.max_zc_pages);
	return 0;

out_del_vqs:
	vdev->config->del_vqs(vdev);
out_put_chan:
	vdev->priv = NULL;
	v9x_chan_put(&vc->chan);
	return ret;
out_free_chan:
	kfree(vc);
	return ret;
}

/*
 * remove() never waits for a mount: it stops the device, fails everything
 * outstanding with -EIO and marks the channel dead so later requests fail
 * at once. A mounted filesystem keeps its channel reference and can still be
 * unmounted.
 */
static void v9x_virtio_remove(struct virtio_device *vdev)
{
	struct v9x_virtio_chan *vc = vdev->priv;
	struct v9x_req *req;
	unsigned long flags;
	LIST_HEAD(failed);

	v9x_chan_unregister(&vc->chan);

	spin_lock_irqsave(&vc->lock, flags);
	vc->dead = true;
	spin_unlock_irqrestore(&vc->lock, flags);
	/*
	 * No submitter adds after @dead; wait for those that added before it
	 * and may still be notifying the device through @vq (see @vq).
	 */
	synchronize_rcu();

	/* After the reset no callback runs and the device touches no buffer. */
	virtio_reset_device(vdev);

	spin_lock_irqsave(&vc->lock, flags);
	while ((req = virtqueue_detach_unused_buf(vc->vq)))
		list_add_tail(&req->held, &failed);
	vc->inflight = 0;
	vc->vq = NULL;
	spin_unlock_irqrestore(&vc->lock, flags);
	/* Nothing can be held any more: no callback runs after the reset. */
	v9x_fault_take_held(&vc->fault, &failed);
	/* Outside the lock, as in the callback. */
	v9x_chan_complete_list(&failed, -EIO);
	wake_up_all(&vc->ring_wait);
	v9x_fault_stop(&vc->fault);

	vdev->config->del_vqs(vdev);
	device_remove_file(&vdev->dev, &dev_attr_mount_tag);
	dev_info(&vdev->dev, "removed mount tag '%s'\n", vc->chan.tag);
	vdev->priv = NULL;
	v9x_chan_put(&vc->chan);
}

static const struct virtio_device_id v9x_virtio_id_table[] = {
	{ VIRTIO_ID_9P, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

static const unsigned int v9x_virtio_features[] = {
	VIRTIO_9P_MOUNT_TAG,
};

static struct virtio_driver v9x_virtio_driver = {
	.feature_table = v9x_virtio_features,
	.feature_table_size = ARRAY_SIZE(v9x_virtio_features),
	.driver.name = "v9x_virtio",
	.driver.owner = THIS_MODULE,
	.id_table = v9x_virtio_id_table,
	.probe = v9x_virtio_probe,
	.remove = v9x_virtio_remove,
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

#if IS_ENABLED(CONFIG_KUNIT) && defined(V9X_TESTING)
#include "trans_test.c"
#endif
