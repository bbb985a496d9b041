// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of vfs_ops.c helpers, included at its end: open flag
 * translation and directory entry types from the wire.
 */

/* The include site checks CONFIG_KUNIT; only the testing build has tests. */
#ifdef V9X_TESTING

#include <kunit/test.h>

static void test_dotl_flags(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_RDONLY), (u32)V9X_DOTL_RDONLY);
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_WRONLY), (u32)V9X_DOTL_WRONLY);
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_RDWR | O_APPEND),
			(u32)(V9X_DOTL_RDWR | V9X_DOTL_APPEND));
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_RDWR | O_EXCL | O_CREAT),
			(u32)(V9X_DOTL_RDWR | V9X_DOTL_EXCL));
	/* The client truncates via setattr and never caches: not sent. */
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_WRONLY | O_TRUNC | O_DIRECT),
			(u32)V9X_DOTL_WRONLY);
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_RDONLY | O_SYNC) & V9X_DOTL_SYNC,
			(u32)V9X_DOTL_SYNC);
	KUNIT_EXPECT_EQ(test, v9x_dotl_flags(O_RDONLY | O_DIRECTORY),
			(u32)V9X_DOTL_DIRECTORY);
}

static void test_dtype(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, v9x_dtype(DT_REG), (unsigned char)DT_REG);
	KUNIT_EXPECT_EQ(test, v9x_dtype(DT_DIR), (unsigned char)DT_DIR);
	KUNIT_EXPECT_EQ(test, v9x_dtype(DT_LNK), (unsigned char)DT_LNK);
	KUNIT_EXPECT_EQ(test, v9x_dtype(15), (unsigned char)DT_UNKNOWN);
	KUNIT_EXPECT_EQ(test, v9x_dtype(255), (unsigned char)DT_UNKNOWN);
}

static void test_timestamps(struct kunit *test)
{
	struct timespec64 ts = v9x_ts(1234567890, 123456789);

	KUNIT_EXPECT_EQ(test, ts.tv_sec, 1234567890LL);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 123456789L);
	/* An impossible nanosecond count from the server is dropped. */
	ts = v9x_ts(5, NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, ts.tv_nsec, 0L);
}

struct v9x_test_ctx {
	struct dir_context ctx;
	int budget;		/* entries to accept before saying stop */
	char names[8][8];
	int n;
};

static bool v9x_test_actor(struct dir_context *ctx, const char *name,
			   int len, loff_t pos, u64 ino, unsigned int type)
{
	struct v9x_test_ctx *t = container_of(ctx, struct v9x_test_ctx, ctx);

	if (t->budget-- <= 0 || t->n >= 8)
		return false;
	snprintf(t->names[t->n++], 8, "%.*s", len, name);
	return true;
}

/* Three entries "a" (offset 100), "bb" (200), "c" (300). */
static size_t v9x_test_dents(u8 *buf)
{
	static const char *const names[] = { "a", "bb", "c" };
	struct v9x_buf b;
	int i;

	v9x_buf_init(&b, buf, 256);
	for (i = 0; i < 3; i++) {
		v9x_put_u8(&b, 0);
		v9x_put_u32(&b, 0);
		v9x_put_u64(&b, 10 + i);
		v9x_put_u64(&b, 100 * (i + 1));
		v9x_put_u8(&b, DT_REG);
		v9x_put_str(&b, names[i], strlen(names[i]));
	}
	return b.pos;
}

/* Log lines of the tests name this client (too large for the stack). */
static struct v9x_client v9x_test_clnt = { .tag = "kunit" };

/* An open directory's state as v9x_vfs_iterate() holds it: locked. */
static void v9x_test_file_init(struct v9x_file *vf, struct v9x_fid *fid)
{
	fid->clnt = &v9x_test_clnt;
	vf->fid = fid;
	mutex_init(&vf->lock);
	mutex_lock(&vf->lock);
}

static void test_readdir_resume(struct kunit *test)
{
	struct v9x_test_ctx t = { .ctx.actor = v9x_test_actor, .budget = 2 };
	struct v9x_fid fid = { 0 };
	struct v9x_file vf = { 0 };
	u8 buf[256];

	v9x_test_file_init(&vf, &fid);
	vf.dents = buf;
	vf.dlen = v9x_test_dents(buf);
	/* getdents with room for two entries: stops before "c". */
	KUNIT_EXPECT_EQ(test, v9x_emit_cached(&vf, &t.ctx), 0);
	KUNIT_EXPECT_EQ(test, t.n, 2);
	KUNIT_EXPECT_STREQ(test, t.names[1], "bb");
	KUNIT_EXPECT_EQ(test, t.ctx.pos, 200LL);
	KUNIT_EXPECT_EQ(test, vf.dcookie, 200LL);
	/* The next getdents resumes at "c" from the cache and uses it up. */
	t.budget = 8;
	KUNIT_EXPECT_EQ(test, v9x_emit_cached(&vf, &t.ctx), 1);
	KUNIT_EXPECT_EQ(test, t.n, 3);
	KUNIT_EXPECT_STREQ(test, t.names[2], "c");
	KUNIT_EXPECT_EQ(test, t.ctx.pos, 300LL);
	KUNIT_EXPECT_EQ(test, vf.dpos, vf.dlen);
	mutex_unlock(&vf.lock);
}

static void test_readdir_malformed(struct kunit *test)
{
	struct v9x_test_ctx t = { .ctx.actor = v9x_test_actor, .budget = 8 };
	struct v9x_fid fid = { 0 };
	struct v9x_file vf = { 0 };
	u8 buf[256];

	v9x_test_file_init(&vf, &fid);
	vf.dents = buf;
	vf.dlen = v9x_test_dents(buf) - 1;	/* last name cut short */
	KUNIT_EXPECT_EQ(test, v9x_emit_cached(&vf, &t.ctx), -EIO);
	/* The two whole entries before it were still delivered. */
	KUNIT_EXPECT_EQ(test, t.n, 2);
	KUNIT_EXPECT_EQ(test, t.ctx.pos, 200LL);
	mutex_unlock(&vf.lock);
}

static struct kunit_case v9x_vfs_cases[] = {
	KUNIT_CASE(test_readdir_resume),
	KUNIT_CASE(test_readdir_malformed),
	KUNIT_CASE(test_dotl_flags),
	KUNIT_CASE(test_dtype),
	KUNIT_CASE(test_timestamps),
	{}
};

static struct kunit_suite v9x_vfs_suite = {
	.name = "v9x_vfs",
	.test_cases = v9x_vfs_cases,
};

kunit_test_suite(v9x_vfs_suite);

#endif /* V9X_TESTING */
