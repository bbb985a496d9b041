// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, testing build only (V9X_TESTING): a transport passes each
 * completed request through v9x_fault_reply(), which, while fault_count > 0,
 * corrupts the reply as fault_mode says (the confidential-guest threat
 * model: a device that lies) or holds an intact one back, and decrements
 * fault_count; fault_mode 8 instead delays the transport's notification of
 * the device (v9x_fault_kick_delay()), to widen a race with remove(), and
 * fault_mode 10 hands a data request to the device late (v9x_fault_late()),
 * as a server slow to run it would, and fault_mode 11 answers lock requests
 * as a server would where another client holds a read lock. Knows the reply layout and the client's
 * request, nothing of virtio or the VFS.
 * Off (0) unless set in /sys/module/v9x/parameters/.
 */

#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "fault.h"
#include "internal.h"
#include "trans.h"

enum v9x_fault_mode {
	V9X_FAULT_NONE,
	V9X_FAULT_TRUNCATE,	/* used length shorter than the header */
	V9X_FAULT_TAG,		/* reply carries another tag */
	V9X_FAULT_TYPE,		/* reply has an unexpected type */
	V9X_FAULT_COUNT,	/* Rread/Rreaddir count larger than asked */
	V9X_FAULT_ERRNO,	/* Rlerror with an errno no kernel has */
	V9X_FAULT_OVERSIZE,	/* size field and used length past the buffer */
	V9X_FAULT_HOLD,		/* reply intact, delivered fault_delay_ms late */
	V9X_FAULT_KICK,		/* device notified fault_delay_ms after the add */
	V9X_FAULT_QID,		/* Rgetattr names another file: fault_qid */
	V9X_FAULT_LATE,		/* Tread/Twrite reaches the device late */
	V9X_FAULT_RDLOCKED,	/* another client read-locks every file */
	V9X_FAULT_MAX,
};

static int fault_mode;
module_param(fault_mode, int, 0644);
MODULE_PARM_DESC(fault_mode,
		 "Testing: corrupt replies (1 truncate, 2 tag, 3 type, 4 count, 5 errno, 6 oversize, 7 hold back); 8 delay the notification of the device; 9 forge an Rgetattr's qid.path; 10 hand a Tread/Twrite to the device late; 11 answer locks as if another client read-locked every file");
static atomic_t fault_count = ATOMIC_INIT(0);
module_param_named(fault_count, fault_count.counter, int, 0644);
MODULE_PARM_DESC(fault_count, "Testing: how many replies to corrupt");
static unsigned int fault_delay_ms = 3000;
module_param(fault_delay_ms, uint, 0644);
MODULE_PARM_DESC(fault_delay_ms,
		 "Testing: how long fault_mode 7 holds a reply back or fault_mode 10 a request (ms, at most 60000), or fault_mode 8 spins before a notification (at most 1000)");
static unsigned int fault_type;
module_param(fault_type, uint, 0644);
MODULE_PARM_DESC(fault_type,
		 "Testing: only replies to this T-message type (e.g. 26, Tsetattr) are corrupted or held back by fault_modes 1-7; 0: any");
static unsigned long long fault_qid;
module_param(fault_qid, ullong, 0644);
MODULE_PARM_DESC(fault_qid,
		 "Testing: the qid.path fault_mode 9 puts in an Rgetattr (e.g. an existing directory's inode number)");

/* Offset of qid.path in an Rgetattr: header, valid[8], qid type[1] version[4]. */
#define V9X_FAULT_RGETATTR_QPATH (V9X_HDRSZ + 8 + 1 + 4)

static void v9x_fault_put_le32(u8 *p, u32 v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static u64 v9x_fault_get_le64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * fault_mode 9: the Rgetattr of a directory just made names another one
 * (fault_qid), as a server lying about a new directory's identity would.
 * The Rmkdir's qid says which directory is new; only the next Rgetattr of
 * that qid is changed (and counted), so the Tgetattrs of the path's other
 * directories pass unchanged.
 */
/* qid.path of the last Rmkdir seen (testing: the tests fault one mount at a time) */
static u64 fault_new_dir;

static void v9x_fault_forge_qid(struct v9x_req *req, u32 len)
{
	u8 *p = req->rc + V9X_FAULT_RGETATTR_QPATH;
	u64 want = READ_ONCE(fault_qid);
	int i;

	if (req->type == V9X_TMKDIR && req->rc[4] == V9X_RMKDIR &&
	    len >= V9X_HDRSZ + V9X_QIDSZ && req->rc_cap >= V9X_HDRSZ + V9X_QIDSZ) {
		/* Rmkdir: qid type[1] version[4] path[8] */
		fault_new_dir = v9x_fault_get_le64(req->rc + V9X_HDRSZ + 5);
		return;
	}
	if (req->type != V9X_TGETATTR || len < V9X_FAULT_RGETATTR_QPATH + 8 ||
	    req->rc_cap < V9X_FAULT_RGETATTR_QPATH + 8 ||
	    req->rc[4] != V9X_RGETATTR ||
	    v9x_fault_get_le64(p) != fault_new_dir || fault_new_dir == want)
		return;
	if (atomic_dec_if_positive(&fault_count) < 0)
		return;
	for (i = 0; i < 8; i++)
		p[i] = want >> (8 * i);
}

/* Corrupt one reply as a hostile device would; returns the used length. */
static u32 v9x_fault_corrupt(struct v9x_req *req, int mode, u32 len)
{
	u8 *rc = req->rc;

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
			v9x_fault_put_le32(rc + 7, 0x7ffffff0);
		else
			rc[4] = V9X_RREAD;
		break;
	case V9X_FAULT_ERRNO:
		v9x_fault_put_le32(rc, V9X_RLERROR_SZ);
		rc[4] = V9X_RLERROR;
		v9x_fault_put_le32(rc + 7, 0xdeadbeef);
		return V9X_RLERROR_SZ;
	case V9X_FAULT_OVERSIZE:
		v9x_fault_put_le32(rc, req->rc_cap + req->zc_in.len + 4096);
		return U32_MAX;
	}
	return len;
}

/*
 * fault_mode 7 keeps an intact reply from its waiter for fault_delay_ms, as
 * a slow server would, so that any operation (readdir, lookup...) can be
 * caught waiting. The transport's reference stays with the request until
 * this work or v9x_fault_take_held() hands it on, so its tag stays reserved
 * meanwhile.
 */
static void v9x_fault_hold_work(struct work_struct *work)
{
	struct v9x_fault *fault = container_of(to_delayed_work(work),
					       struct v9x_fault, work);
	unsigned long flags;
	LIST_HEAD(due);

	spin_lock_irqsave(&fault->lock, flags);
	list_splice_init(&fault->held, &due);
	spin_unlock_irqrestore(&fault->lock, flags);
	v9x_chan_complete_list(&due, 0);
}

/*
 * fault_mode 10 hands a Tread or Twrite to the device fault_delay_ms late,
 * as a server would that is slow to start the preadv/pwritev: the device
 * reads or writes the request's pages long after it was sent, and after any
 * Tflush sent meanwhile (whose Rflush then comes at once). Each late request
 * keeps the reference its transport took for the device; when the add
 * fails, the request is completed with its error instead.
 */
static void v9x_fault_late_work(struct work_struct *work)
{
	struct v9x_fault *fault = container_of(to_delayed_work(work),
					       struct v9x_fault, late_work);
	struct v9x_req *req, *next;
	unsigned long flags;
	LIST_HEAD(due);
	int ret;

	spin_lock_irqsave(&fault->lock, flags);
	list_splice_init(&fault->late, &due);
	spin_unlock_irqrestore(&fault->lock, flags);
	list_for_each_entry_safe(req, next, &due, held) {
		list_del(&req->held);
		ret = fault->add(fault, req);
		if (ret)
			v9x_req_complete(req, 0, ret);
		else
			v9x_req_put(req);
	}
}

/*
 * fault_mode 11: a server where another client holds a read lock on every
 * file, which QEMU (it grants every lock) never is. Each Rlock or Rgetlock
 * counts; one that answers a write lock is changed: Rlock says BLOCKED,
 * Rgetlock names a conflicting read lock (over the range asked about).
 */
static void v9x_fault_forge_lock(struct v9x_req *req, u32 len)
{
	/* Tlock and Tgetlock: header, fid[4], type[1] */
	const size_t type_at = V9X_HDRSZ + 4;

	if ((req->type != V9X_TLOCK && req->type != V9X_TGETLOCK) ||
	    req->tc.pos <= type_at || len <= V9X_HDRSZ ||
	    req->rc_cap <= V9X_HDRSZ || req->rc[4] != req->type + 1 ||
	    atomic_dec_if_positive(&fault_count) < 0)
		return;
	if (req->tc.data[type_at] != V9X_LOCK_TYPE_WRLCK)
		return;
	/* Rlock: status[1]; Rgetlock: type[1] start[8] length[8] ... */
	req->rc[V9X_HDRSZ] = req->type == V9X_TLOCK ? V9X_LOCK_BLOCKED :
						       V9X_LOCK_TYPE_RDLCK;
}

/**
 * v9x_fault_init - set up a channel's fault-injection state
 * @fault: the state, embedded in the transport's channel
 * @add: the transport's add of a request to its device, without fault
 *	injection; it takes its own reference for the device (fault_mode 10)
 */
void v9x_fault_init(struct v9x_fault *fault,
		    int (*add)(struct v9x_fault *fault, struct v9x_req *req))
{
	spin_lock_init(&fault->lock);
	INIT_LIST_HEAD(&fault->held);
	INIT_DELAYED_WORK(&fault->work, v9x_fault_hold_work);
	INIT_LIST_HEAD(&fault->late);
	INIT_DELAYED_WORK(&fault->late_work, v9x_fault_late_work);
	fault->add = add;
}

/**
 * v9x_fault_late - keep a data request from the device for a while
 * @fault: the channel's state
 * @req: the request about to be added, with the device's reference taken
 *
 * Called by the transport under its lock, where it would add @req.
 *
 * Return: true when fault_mode 10 took @req (and the device's reference):
 * @fault->add() gets it fault_delay_ms later; else false.
 */
bool v9x_fault_late(struct v9x_fault *fault, struct v9x_req *req)
{
	lockdep_assert_irqs_disabled();
	if (likely(atomic_read(&fault_count) <= 0) ||
	    READ_ONCE(fault_mode) != V9X_FAULT_LATE ||
	    (req->type != V9X_TREAD && req->type != V9X_TWRITE) ||
	    atomic_dec_if_positive(&fault_count) < 0)
		return false;
	spin_lock(&fault->lock);
	list_add_tail(&req->held, &fault->late);
	spin_unlock(&fault->lock);
	schedule_delayed_work(&fault->late_work,
			      msecs_to_jiffies(min(fault_delay_ms, 60000U)));
	return true;
}

/**
 * v9x_fault_reply - pass one completed request through fault injection
 * @fault: the channel's state
 * @req: the request the device returned
 * @len: the device's used length; may be changed to a corrupt one
 *
 * Called from the transport's completion path, under its lock. A timer
 * already pending for held replies is not pushed back: a later reply may
 * wait less.
 *
 * Return: true when @req was held back (the caller must not complete it),
 * else false, with @req's reply and @len possibly corrupted.
 */
bool v9x_fault_reply(struct v9x_fault *fault, struct v9x_req *req, u32 *len)
{
	int mode;

	/* The caller's lock is taken with interrupts off; @fault->lock nests. */
	lockdep_assert_irqs_disabled();
	if (likely(atomic_read(&fault_count) <= 0))
		return false;
	mode = READ_ONCE(fault_mode);
	if (mode == V9X_FAULT_KICK || mode == V9X_FAULT_LATE)
		return false;
	if (mode == V9X_FAULT_QID) {
		v9x_fault_forge_qid(req, *len);
		return false;
	}
	if (mode == V9X_FAULT_RDLOCKED) {
		v9x_fault_forge_lock(req, *len);
		return false;
	}
	if (mode <= V9X_FAULT_HOLD && READ_ONCE(fault_type) &&
	    req->type != READ_ONCE(fault_type))
		return false;
	if (mode != V9X_FAULT_HOLD) {
		if (mode > V9X_FAULT_NONE && mode < V9X_FAULT_MAX &&
		    atomic_dec_if_positive(&fault_count) >= 0 &&
		    req->rc_cap >= V9X_IOHDRSZ)
			*len = v9x_fault_corrupt(req, mode, *len);
		return false;
	}
	if (atomic_dec_if_positive(&fault_count) < 0)
		return false;
	req->rlen = *len;
	spin_lock(&fault->lock);
	list_add_tail(&req->held, &fault->held);
	spin_unlock(&fault->lock);
	schedule_delayed_work(&fault->work,
			      msecs_to_jiffies(min(fault_delay_ms, 60000U)));
	return true;
}

/**
 * v9x_fault_kick_delay - widen the window between an add and its notification
 * @fault: the channel's state
 *
 * With fault_mode 8, while fault_count > 0, each call spins fault_delay_ms
 * (at most 1 s) and decrements fault_count: the transport calls it after it
 * dropped its lock and before it notifies the device, the window in which
 * remove() may run. It spins rather than sleeps, because the window is an
 * RCU read-side section.
 */
void v9x_fault_kick_delay(struct v9x_fault *fault)
{
	if (likely(atomic_read(&fault_count) <= 0) ||
	    READ_ONCE(fault_mode) != V9X_FAULT_KICK ||
	    atomic_dec_if_positive(&fault_count) < 0)
		return;
	mdelay(min(fault_delay_ms, 1000U));
}

/**
 * v9x_fault_take_held - take back every reply still held, every late request
 * @fault: the channel's state
 * @list: where the requests go, linked by their @held entries
 *
 * For a transport's remove(), once its device can complete nothing more and
 * no request is added any more: each taken request holds the device's
 * reference, which completing it drops.
 */
void v9x_fault_take_held(struct v9x_fault *fault, struct list_head *list)
{
	unsigned long flags;

	spin_lock_irqsave(&fault->lock, flags);
	list_splice_tail_init(&fault->held, list);
	list_splice_tail_init(&fault->late, list);
	spin_unlock_irqrestore(&fault->lock, flags);
}

/**
 * v9x_fault_stop - wait for the hold and late works, which find nothing more
 * @fault: the channel's state, whose requests were taken back; a late
 *	request the work already had is added after the device is dead, so
 *	it fails with -EIO there
 */
void v9x_fault_stop(struct v9x_fault *fault)
{
	cancel_delayed_work_sync(&fault->work);
	cancel_delayed_work_sync(&fault->late_work);
}
