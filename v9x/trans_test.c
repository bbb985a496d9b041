// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the channel's tag and fid number spaces and of the tags=
 * filter, included at the end of trans_virtio.c. Uses a channel that has no
 * device (v9x_chan_test_alloc()), which the client tests use too.
 */

#include <kunit/test.h>

/**
 * v9x_chan_test_alloc - a device-less, dead channel for unit tests
 *
 * Return: the channel (claimed, one reference), or NULL.
 */
struct v9x_chan *v9x_chan_test_alloc(void)
{
	struct v9x_chan *chan = kzalloc(sizeof(*chan), GFP_KERNEL);

	if (!chan)
		return NULL;
	kref_init(&chan->ref);
	spin_lock_init(&chan->lock);
	init_waitqueue_head(&chan->ring_wait);
	ida_init(&chan->tags);
	ida_init(&chan->fids);
	INIT_LIST_HEAD(&chan->held);
	INIT_DELAYED_WORK(&chan->hold_work, v9x_hold_work);
	chan->dead = true;	/* every submission fails with -EIO */
	chan->claimed = true;
	chan->max_zc_pages = 8;
	strscpy(chan->tag, "kunit", sizeof(chan->tag));
	return chan;
}

/**
 * v9x_chan_test_free - drop a channel from v9x_chan_test_alloc()
 * @chan: the channel
 */
void v9x_chan_test_free(struct v9x_chan *chan)
{
	kref_put(&chan->ref, v9x_chan_free);
}

/**
 * v9x_chan_test_set_fake - answer this channel's requests with @fake
 * @chan: a channel from v9x_chan_test_alloc()
 * @fake: called instead of adding to a virtqueue; it must either fail, or
 *	take the device's reference and complete the request. NULL makes the
 *	channel dead, as after remove().
 */
void v9x_chan_test_set_fake(struct v9x_chan *chan,
			    int (*fake)(struct v9x_chan *, struct v9x_req *))
{
	chan->fake = fake;
	chan->dead = !fake;
}

static void test_tags_exhaust_and_reuse(struct kunit *test)
{
	struct v9x_chan *chan = v9x_chan_test_alloc();
	int i, t;

	KUNIT_ASSERT_NOT_NULL(test, chan);
	for (i = 0; i < V9X_NOTAG; i++) {
		t = v9x_chan_alloc_tag(chan);
		if (t != i)
			break;
	}
	KUNIT_EXPECT_EQ(test, i, (int)V9X_NOTAG);
	/* NOTAG itself is never handed out: the space is exhausted. */
	KUNIT_EXPECT_EQ(test, v9x_chan_alloc_tag(chan), -ENOSPC);
	v9x_chan_free_tag(chan, 1234);
	KUNIT_EXPECT_EQ(test, v9x_chan_alloc_tag(chan), 1234);
	KUNIT_EXPECT_EQ(test, v9x_chan_alloc_tag(chan), -ENOSPC);
	v9x_chan_test_free(chan);
}

static void test_fids_unique_and_reuse(struct kunit *test)
{
	struct v9x_chan *chan = v9x_chan_test_alloc();
	u32 a, b, c;

	KUNIT_ASSERT_NOT_NULL(test, chan);
	KUNIT_ASSERT_EQ(test, v9x_chan_alloc_fid(chan, &a), 0);
	KUNIT_ASSERT_EQ(test, v9x_chan_alloc_fid(chan, &b), 0);
	KUNIT_EXPECT_NE(test, a, b);
	KUNIT_EXPECT_NE(test, a, V9X_NOFID);
	v9x_chan_free_fid(chan, a);
	KUNIT_ASSERT_EQ(test, v9x_chan_alloc_fid(chan, &c), 0);
	KUNIT_EXPECT_EQ(test, c, a);
	v9x_chan_test_free(chan);
}

static void test_tags_param(struct kunit *test)
{
	char *saved = tags;
	char list[] = "alpha,beta,gamma";
	char one[] = "solo";
	char empty[] = "";

	tags = NULL;
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("anything"));
	tags = empty;
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("anything"));
	tags = list;
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("alpha"));
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("beta"));
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("gamma"));
	KUNIT_EXPECT_FALSE(test, v9x_tag_wanted("alph"));
	KUNIT_EXPECT_FALSE(test, v9x_tag_wanted("betagamma"));
	KUNIT_EXPECT_FALSE(test, v9x_tag_wanted("delta"));
	tags = one;
	KUNIT_EXPECT_TRUE(test, v9x_tag_wanted("solo"));
	KUNIT_EXPECT_FALSE(test, v9x_tag_wanted("sol"));
	tags = saved;
}

static void test_claim_unknown_tag(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, PTR_ERR(v9x_chan_claim("v9x-kunit-nope")), -ENOENT);
}

static struct kunit_case v9x_trans_cases[] = {
	KUNIT_CASE(test_tags_exhaust_and_reuse),
	KUNIT_CASE(test_fids_unique_and_reuse),
	KUNIT_CASE(test_tags_param),
	KUNIT_CASE(test_claim_unknown_tag),
	{}
};

static struct kunit_suite v9x_trans_suite = {
	.name = "v9x_trans",
	.test_cases = v9x_trans_cases,
};

kunit_test_suite(v9x_trans_suite);
