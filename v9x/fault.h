/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection into a transport's paths (fault.c), for testing
 * the client against a hostile device. Only the testing build (V9X_TESTING)
 * has it; in the default build every hook below is an empty inline and
 * struct v9x_fault has no members, so the shipped module neither branches
 * on a fault parameter nor carries one.
 */
#ifndef V9X_FAULT_H
#define V9X_FAULT_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct v9x_req;

#ifdef V9X_TESTING

/**
 * struct v9x_fault - a transport channel's fault-injection state
 * @lock: protects @held and @late; taken inside the transport's own lock
 *	(and so with interrupts off), never around it
 * @held: replies held back by fault_mode 7, linked by their @held entries;
 *	the transport's reference stays with each until it is completed
 * @work: completes the @held replies when fault_delay_ms has passed
 * @late: data requests kept from the device by fault_mode 10, linked by
 *	their @held entries; each keeps the reference the transport took for
 *	the device until @late_work hands it on
 * @late_work: adds the @late requests when fault_delay_ms has passed
 * @add: the transport's own add, bypassing fault injection
 */
struct v9x_fault {
	spinlock_t lock;	/* see above */
	struct list_head held;
	struct delayed_work work;
	struct list_head late;
	struct delayed_work late_work;
	int (*add)(struct v9x_fault *fault, struct v9x_req *req);
};

void v9x_fault_init(struct v9x_fault *fault,
		    int (*add)(struct v9x_fault *fault, struct v9x_req *req));
bool v9x_fault_reply(struct v9x_fault *fault, struct v9x_req *req, u32 *len);
bool v9x_fault_late(struct v9x_fault *fault, struct v9x_req *req);
void v9x_fault_kick_delay(struct v9x_fault *fault);
void v9x_fault_take_held(struct v9x_fault *fault, struct list_head *list);
void v9x_fault_stop(struct v9x_fault *fault);

#else /* !V9X_TESTING */

struct v9x_fault {
};

static inline void v9x_fault_init(struct v9x_fault *fault,
				  int (*add)(struct v9x_fault *fault,
					     struct v9x_req *req))
{
}

static inline bool v9x_fault_reply(struct v9x_fault *fault,
				   struct v9x_req *req, u32 *len)
{
	return false;
}

static inline bool v9x_fault_late(struct v9x_fault *fault,
				  struct v9x_req *req)
{
	return false;
}

static inline void v9x_fault_kick_delay(struct v9x_fault *fault)
{
}

static inline void v9x_fault_take_held(struct v9x_fault *fault,
				       struct list_head *list)
{
}

static inline void v9x_fault_stop(struct v9x_fault *fault)
{
}

#endif /* V9X_TESTING */

#endif /* V9X_FAULT_H */
