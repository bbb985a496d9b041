// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the channel's tag and fid number spaces and of the tags=
 * filter, included at the end of trans_virtio.c (testing build only). Uses
 * a channel of the fake transport (trans_fake.c), as the client tests do.
 */

#include <kunit/test.h>

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
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("anything"));
	tags = empty;
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("anything"));
	tags = list;
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("alpha"));
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("beta"));
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("gamma"));
	KUNIT_EXPECT_FALSE(test, v9x_virtio_tag_wanted("alph"));
	KUNIT_EXPECT_FALSE(test, v9x_virtio_tag_wanted("betagamma"));
	KUNIT_EXPECT_FALSE(test, v9x_virtio_tag_wanted("delta"));
	tags = one;
	KUNIT_EXPECT_TRUE(test, v9x_virtio_tag_wanted("solo"));
	KUNIT_EXPECT_FALSE(test, v9x_virtio_tag_wanted("sol"));
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
