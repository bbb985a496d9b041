// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the client core, included at the end of client.c: request
 * and tag lifetime around a flush, reply checking (tag, type, size, used
 * length, Rlerror), walk splitting, and read bounds. A fake channel answers
 * requests synchronously with replies the test scripts; the real server is
 * exercised by the VM suites.
 */

/* The include site checks CONFIG_KUNIT; only the testing build has tests. */
#ifdef V9X_TESTING

#include <kunit/test.h>

/* What the fake server answers, set by each test. */
static struct {
	u8 reply[512];
	size_t len;		/* bytes of reply to copy */
	u32 used;		/* used length to report (the device's claim) */
	bool patch_tag;		/* write the request's tag into the reply */
	unsigned int walks;	/* Twalks seen */
	unsigned int walk_n[8];	/* nwname of each */
	unsigned int clunks;	/* Tclunks seen */
	u32 walk_newfid;	/* newfid of the last Twalk */
	u32 clunk_fid;		/* fid of the last Tclunk */
	unsigned int walk_short_at; /* answer Twalk number N (1-based) short */
} v9x_fake;

static u32 v9x_fake_le32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static size_t v9x_fake_hdr(u8 *p, u8 type, size_t body)
{
	size_t n = V9X_HDRSZ + body;

	p[0] = n;
	p[1] = n >> 8;
	p[2] = 0;
	p[3] = 0;
	p[4] = type;
	return n;
}

static int v9x_fake_server(struct v9x_chan *chan, struct v9x_req *req)
{
	u8 *rc = req->rc;
	size_t len, n;

	if (req->type == V9X_TWALK) {
		/* size[4] type[1] tag[2] fid[4] newfid[4] nwname[2] */
		unsigned int nw = req->tc.data[15] | req->tc.data[16] << 8;
		unsigned int give = nw;

		if (v9x_fake.walks < ARRAY_SIZE(v9x_fake.walk_n))
			v9x_fake.walk_n[v9x_fake.walks] = nw;
		v9x_fake.walks++;
		v9x_fake.walk_newfid = v9x_fake_le32(req->tc.data + 11);
		if (v9x_fake.walk_short_at == v9x_fake.walks && nw)
			give = nw - 1;
		len = v9x_fake_hdr(rc, V9X_RWALK, 2 + give * V9X_QIDSZ);
		rc[7] = give;
		rc[8] = 0;
		for (n = 0; n < give; n++) {
			memset(rc + 9 + n * V9X_QIDSZ, 0, V9X_QIDSZ);
			rc[9 + n * V9X_QIDSZ + 5] = v9x_fake.walks * 16 + n;
		}
		v9x_fake.used = len;
	} else if (req->type == V9X_TCLUNK) {
		v9x_fake.clunks++;
		v9x_fake.clunk_fid = v9x_fake_le32(req->tc.data + 7);
		len = v9x_fake_hdr(rc, V9X_RCLUNK, 0);
		v9x_fake.used = len;
	} else {
		len = min(v9x_fake.len, req->rc_cap);
		memcpy(rc, v9x_fake.reply, len);
	}
	if (v9x_fake.patch_tag || req->type == V9X_TWALK ||
	    req->type == V9X_TCLUNK) {
		rc[5] = req->wire_tag & 0xff;
		rc[6] = req->wire_tag >> 8;
	}
	refcount_inc(&req->ref);	/* the device's reference */
	v9x_req_complete(req, v9x_fake.used, 0);
	return 0;
}

static struct v9x_client *v9x_test_client(struct kunit *test)
{
	struct v9x_client *clnt = kzalloc(sizeof(*clnt), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, clnt);
	kref_init(&clnt->ref);
	clnt->chan = v9x_chan_test_alloc();
	KUNIT_ASSERT_NOT_NULL(test, clnt->chan);
	clnt->msize = 8192;
	v9x_chan_test_set_fake(clnt->chan, v9x_fake_server);
	memset(&v9x_fake, 0, sizeof(v9x_fake));
	v9x_fake.patch_tag = true;
	return clnt;
}

static void v9x_test_client_put(struct v9x_client *clnt)
{
	/* v9x_client_free() releases the claim, which frees the test channel. */
	v9x_client_put(clnt);
}

static struct v9x_fid *v9x_test_fid(struct v9x_client *clnt)
{
	struct v9x_fid *fid = v9x_fid_alloc(clnt);

	return IS_ERR(fid) ? NULL : fid;
}

/* Script a reply: type, body; size and used length follow the body. */
static void v9x_fake_reply(u8 type, const void *body, size_t blen)
{
	v9x_fake.len = v9x_fake_hdr(v9x_fake.reply, type, blen);
	memcpy(v9x_fake.reply + V9X_HDRSZ, body, blen);
	v9x_fake.used = v9x_fake.len;
}

static void test_flush_keeps_tag(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	struct v9x_req *req, *fl, *other;
	u16 tag;

	req = v9x_req_alloc(clnt, 16, 16);
	KUNIT_ASSERT_FALSE(test, IS_ERR(req));
	tag = req->tag;
	/* A pending Tflush holds the original, as v9x_req_flush_async() does. */
	fl = v9x_req_alloc(clnt, 16, 16);
	KUNIT_ASSERT_FALSE(test, IS_ERR(fl));
	refcount_inc(&req->ref);
	fl->flushed = req;
	v9x_req_put(req);	/* the killed caller leaves */
	other = v9x_req_alloc(clnt, 16, 16);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_EXPECT_NE(test, other->tag, tag);
	v9x_req_put(other);
	v9x_req_put(fl);	/* Rflush: both go */
	other = v9x_req_alloc(clnt, 16, 16);
	KUNIT_ASSERT_FALSE(test, IS_ERR(other));
	KUNIT_EXPECT_EQ(test, other->tag, tag);
	v9x_req_put(other);
	v9x_test_client_put(clnt);
}

static int v9x_test_statfs_rpc(struct kunit *test, struct v9x_client *clnt)
{
	struct v9x_fid *fid = v9x_test_fid(clnt);
	struct v9x_statfs st;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, fid);
	ret = v9x_client_statfs(fid, &st);
	v9x_chan_free_fid(clnt->chan, fid->fid);
	kfree(fid);
	return ret;
}

static void test_rpc_ok(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	u8 body[60] = { 0 };

	v9x_fake_reply(V9X_RSTATFS, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), 0);
	v9x_test_client_put(clnt);
}

static void test_rpc_rlerror(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	u8 enoent[4] = { ENOENT }, insane[4] = { 0x88, 0x13 };	/* 5000 */

	v9x_fake_reply(V9X_RLERROR, enoent, 4);
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -ENOENT);
	v9x_fake_reply(V9X_RLERROR, insane, 4);
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	KUNIT_EXPECT_GE(test, atomic64_read(&clnt->stats.proto_errors), 1LL);
	v9x_test_client_put(clnt);
}

static void test_rpc_wrong_tag(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	u8 body[60] = { 0 };

	v9x_fake_reply(V9X_RSTATFS, body, sizeof(body));
	v9x_fake.patch_tag = false;
	v9x_fake.reply[5] = 0xee;
	v9x_fake.reply[6] = 0xee;
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	v9x_test_client_put(clnt);
}

static void test_rpc_wrong_type(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	u8 body[60] = { 0 };

	v9x_fake_reply(V9X_RGETATTR, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	v9x_fake_reply(200, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	v9x_test_client_put(clnt);
}

static void test_rpc_used_len_lies(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	u8 body[60] = { 0 };

	/* Used length shorter than the size field: truncated reply. */
	v9x_fake_reply(V9X_RSTATFS, body, sizeof(body));
	v9x_fake.used = 20;
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	/* Used length far beyond the buffer: clamped, the reply still parses. */
	v9x_fake_reply(V9X_RSTATFS, body, sizeof(body));
	v9x_fake.used = 0x7fffffff;
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), 0);
	/* Size field past the buffer we offered. */
	v9x_fake_reply(V9X_RSTATFS, body, sizeof(body));
	v9x_fake.reply[1] = 0x10;
	v9x_fake.used = 0x7fffffff;
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EPROTO);
	v9x_test_client_put(clnt);
}

static void test_rpc_dead_channel(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);

	v9x_chan_test_set_fake(clnt->chan, NULL);
	KUNIT_EXPECT_EQ(test, v9x_test_statfs_rpc(test, clnt), -EIO);
	KUNIT_EXPECT_EQ(test, atomic64_read(&clnt->stats.inflight), 0LL);
	v9x_test_client_put(clnt);
}

static void test_walk_split(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	const char *names[40];
	struct v9x_fid *fid = v9x_test_fid(clnt), *nf;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, fid);
	for (i = 0; i < 40; i++)
		names[i] = "d";
	KUNIT_ASSERT_EQ(test, v9x_client_walk(fid, 40, names, &nf), 0);
	KUNIT_EXPECT_EQ(test, v9x_fake.walks, 3U);
	KUNIT_EXPECT_EQ(test, v9x_fake.walk_n[0], 16U);
	KUNIT_EXPECT_EQ(test, v9x_fake.walk_n[1], 16U);
	KUNIT_EXPECT_EQ(test, v9x_fake.walk_n[2], 8U);
	/* The new fid's qid is the last name's: walk 3, entry 7. */
	KUNIT_EXPECT_EQ(test, nf->qid.path, 3ULL * 16 + 7);
	v9x_client_clunk(nf);
	v9x_client_clunk(fid);
	KUNIT_EXPECT_EQ(test, v9x_fake.clunks, 2U);
	v9x_test_client_put(clnt);
}

static void test_walk_partial(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	const char *names[20];
	struct v9x_fid *fid = v9x_test_fid(clnt), *nf = NULL;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, fid);
	for (i = 0; i < 20; i++)
		names[i] = "d";
	/*
	 * 20 names take two Twalks (16, then 4). The first one short: the
	 * server made no fid, so there is nothing to clunk.
	 */
	v9x_fake.walk_short_at = 1;
	KUNIT_EXPECT_EQ(test, v9x_client_walk(fid, 20, names, &nf), -ENOENT);
	KUNIT_EXPECT_EQ(test, v9x_fake.walks, 1U);
	KUNIT_EXPECT_EQ(test, v9x_fake.clunks, 0U);
	/*
	 * The second one short: the first one made newfid on the server, and
	 * the failed walk must clunk exactly that fid.
	 */
	v9x_fake.walks = 0;
	v9x_fake.walk_short_at = 2;
	KUNIT_EXPECT_EQ(test, v9x_client_walk(fid, 20, names, &nf), -ENOENT);
	KUNIT_EXPECT_EQ(test, v9x_fake.walks, 2U);
	KUNIT_EXPECT_EQ(test, v9x_fake.walk_n[0], 16U);
	KUNIT_EXPECT_EQ(test, v9x_fake.walk_n[1], 4U);
	KUNIT_EXPECT_EQ(test, v9x_fake.clunks, 1U);
	KUNIT_EXPECT_EQ(test, v9x_fake.clunk_fid, v9x_fake.walk_newfid);
	KUNIT_EXPECT_NE(test, v9x_fake.clunk_fid, fid->fid);
	/* Both whole: the new fid is the caller's, no clunk yet. */
	v9x_fake.walks = 0;
	v9x_fake.clunks = 0;
	v9x_fake.walk_short_at = 0;
	KUNIT_ASSERT_EQ(test, v9x_client_walk(fid, 20, names, &nf), 0);
	KUNIT_EXPECT_EQ(test, v9x_fake.walks, 2U);
	KUNIT_EXPECT_EQ(test, v9x_fake.clunks, 0U);
	KUNIT_EXPECT_EQ(test, nf->fid, v9x_fake.walk_newfid);
	v9x_client_clunk(nf);
	v9x_client_clunk(fid);
	v9x_test_client_put(clnt);
}

static void test_read_count_checked(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	struct v9x_fid *fid = v9x_test_fid(clnt);
	u8 body[4 + 16] = { 16 }, dst[8];
	struct kvec kv = { .iov_base = dst, .iov_len = sizeof(dst) };
	struct iov_iter to;
	bool eof;

	KUNIT_ASSERT_NOT_NULL(test, fid);
	/* 16 bytes answered to an 8-byte read. */
	v9x_fake_reply(V9X_RREAD, body, sizeof(body));
	iov_iter_kvec(&to, ITER_DEST, &kv, 1, sizeof(dst));
	KUNIT_EXPECT_EQ(test, v9x_client_read(fid, 0, &to, &eof), (ssize_t)-EPROTO);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&to), sizeof(dst));
	/* 4 bytes: a short read, marked as end of file. */
	body[0] = 4;
	v9x_fake_reply(V9X_RREAD, body, 4 + 4);
	KUNIT_EXPECT_EQ(test, v9x_client_read(fid, 0, &to, &eof), (ssize_t)4);
	KUNIT_EXPECT_TRUE(test, eof);
	v9x_client_clunk(fid);
	v9x_test_client_put(clnt);
}

static void test_readdir_count_checked(struct kunit *test)
{
	struct v9x_client *clnt = v9x_test_client(test);
	struct v9x_fid *fid = v9x_test_fid(clnt);
	u8 body[4 + 8] = { 8 };
	const u8 *data;
	void *buf;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, fid);
	v9x_fake_reply(V9X_RREADDIR, body, sizeof(body));
	KUNIT_EXPECT_EQ(test, v9x_client_readdir(fid, 0, 4, &buf, &data, &len), -EPROTO);
	KUNIT_ASSERT_EQ(test, v9x_client_readdir(fid, 0, 100, &buf, &data, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 8U);
	KUNIT_EXPECT_PTR_EQ(test, (const void *)data, (const void *)((u8 *)buf + V9X_IOHDRSZ));
	kvfree(buf);
	v9x_client_clunk(fid);
	v9x_test_client_put(clnt);
}

static struct kunit_case v9x_client_cases[] = {
	KUNIT_CASE(test_flush_keeps_tag),
	KUNIT_CASE(test_rpc_ok),
	KUNIT_CASE(test_rpc_rlerror),
	KUNIT_CASE(test_rpc_wrong_tag),
	KUNIT_CASE(test_rpc_wrong_type),
	KUNIT_CASE(test_rpc_used_len_lies),
	KUNIT_CASE(test_rpc_dead_channel),
	KUNIT_CASE(test_walk_split),
	KUNIT_CASE(test_walk_partial),
	KUNIT_CASE(test_read_count_checked),
	KUNIT_CASE(test_readdir_count_checked),
	{}
};

static struct kunit_suite v9x_client_suite = {
	.name = "v9x_client",
	.test_cases = v9x_client_cases,
};

kunit_test_suite(v9x_client_suite);

#endif /* V9X_TESTING */
