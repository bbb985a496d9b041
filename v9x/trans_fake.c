// SPDX-License-Identifier: GPL-2.0
/*
 * The KUnit transport (testing build with CONFIG_KUNIT only): a second
 * implementation of struct v9x_trans_ops whose channels have no device and
 * answer each request with a function the test supplies. Used by the client
 * and channel KUnit suites; knows nothing of virtio.
 */

#include <linux/slab.h>
#include <linux/string.h>

#include "trans.h"

/**
 * struct v9x_fake_chan - a channel answered by a test
 * @chan: the common channel
 * @answer: completes (or fails) each request; NULL: the channel is dead
 */
struct v9x_fake_chan {
	struct v9x_chan chan;
	int (*answer)(struct v9x_chan *chan, struct v9x_req *req);
};

static struct v9x_fake_chan *to_fake_chan(struct v9x_chan *chan)
{
	return container_of(chan, struct v9x_fake_chan, chan);
}

static int v9x_fake_submit(struct v9x_chan *chan, struct v9x_req *req,
			   bool killable)
{
	struct v9x_fake_chan *fc = to_fake_chan(chan);

	if (!fc->answer)
		return -EIO;
	return fc->answer(chan, req);
}

static void v9x_fake_free(struct v9x_chan *chan)
{
	kfree(to_fake_chan(chan));
}

static const struct v9x_trans_ops v9x_fake_trans_ops = {
	.submit = v9x_fake_submit,
	.free = v9x_fake_free,
};

/**
 * v9x_chan_test_alloc - a device-less, dead channel for unit tests
 *
 * Return: the channel (claimed, one reference), or NULL.
 */
struct v9x_chan *v9x_chan_test_alloc(void)
{
	struct v9x_fake_chan *fc = kzalloc(sizeof(*fc), GFP_KERNEL);

	if (!fc)
		return NULL;
	v9x_chan_init(&fc->chan, &v9x_fake_trans_ops);
	fc->chan.claimed = true;
	fc->chan.max_zc_pages = 8;
	strscpy(fc->chan.tag, "kunit", sizeof(fc->chan.tag));
	return &fc->chan;
}

/**
 * v9x_chan_test_free - drop a channel from v9x_chan_test_alloc()
 * @chan: the channel
 */
void v9x_chan_test_free(struct v9x_chan *chan)
{
	v9x_chan_put(chan);
}

/**
 * v9x_chan_test_set_fake - answer this channel's requests with @fake
 * @chan: a channel from v9x_chan_test_alloc()
 * @fake: called instead of a device; it must either fail, or take the
 *	transport's reference and complete the request. NULL makes the
 *	channel dead, as after remove().
 */
void v9x_chan_test_set_fake(struct v9x_chan *chan,
			    int (*fake)(struct v9x_chan *, struct v9x_req *))
{
	to_fake_chan(chan)->answer = fake;
}
