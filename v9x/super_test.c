// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of mount option parsing, included at the end of super.c so
 * they can reach its static parser. Each case parses options into a real
 * fs_context of type v9x without mounting anything.
 */

/* The include site checks CONFIG_KUNIT; only the testing build has tests. */
#ifdef V9X_TESTING

#include <kunit/test.h>

static struct fs_context *v9x_test_fc(struct kunit *test)
{
	struct fs_context *fc = fs_context_for_mount(&v9x_fs_type, 0);

	KUNIT_ASSERT_FALSE(test, IS_ERR(fc));
	return fc;
}

static int v9x_test_parse(struct fs_context *fc, const char *key,
			  const char *val)
{
	return vfs_parse_fs_string(fc, key, val, val ? strlen(val) : 0);
}

static void test_opts_defaults(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);
	struct v9x_mount_opts *o = fc->fs_private;

	KUNIT_EXPECT_EQ(test, o->msize, V9X_DEFAULT_MSIZE);
	KUNIT_EXPECT_STREQ(test, o->uname, V9X_DEFAULT_UNAME);
	KUNIT_EXPECT_STREQ(test, o->aname, "");
	KUNIT_EXPECT_EQ(test, (int)o->access, (int)V9X_ACCESS_CLIENT);
	KUNIT_EXPECT_FALSE(test, o->uname_set);
	KUNIT_EXPECT_FALSE(test, o->dfltuid_set);
	KUNIT_EXPECT_EQ(test, (int)o->cache, (int)V9X_CACHE_NONE);
	KUNIT_EXPECT_EQ(test, o->actimeo, 0U);
	KUNIT_EXPECT_FALSE(test, o->actimeo_set);
	put_fs_context(fc);
}

static void test_opts_valid(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);
	struct v9x_mount_opts *o = fc->fs_private;

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "4096"), 0);
	KUNIT_EXPECT_EQ(test, o->msize, 4096U);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "67108864"), 0);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "uname", "alice"), 0);
	KUNIT_EXPECT_STREQ(test, o->uname, "alice");
	KUNIT_EXPECT_TRUE(test, o->uname_set);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "aname", "/srv"), 0);
	KUNIT_EXPECT_STREQ(test, o->aname, "/srv");
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "version", "9p2000.L"), 0);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "version", "9P2000.L"), 0);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "trans", "virtio"), 0);
	KUNIT_EXPECT_FALSE(test, o->posixacl);
	/* Refused where the kernel has no ACLs (the debug kernel). */
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "posixacl", NULL),
			IS_ENABLED(CONFIG_FS_POSIX_ACL) ? 0 : -EINVAL);
	KUNIT_EXPECT_EQ(test, o->posixacl, IS_ENABLED(CONFIG_FS_POSIX_ACL));
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "dfltuid", "1000"), 0);
	KUNIT_EXPECT_EQ(test, o->dfltuid, 1000U);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "tag", "share"), 0);
	KUNIT_EXPECT_STREQ(test, fc->source, "share");
	put_fs_context(fc);
}

static void test_opts_access(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);
	struct v9x_mount_opts *o = fc->fs_private;

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "any"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->access, (int)V9X_ACCESS_ANY);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "1234"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->access, (int)V9X_ACCESS_SINGLE);
	KUNIT_EXPECT_EQ(test, from_kuid(&init_user_ns, o->access_uid), 1234U);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "client"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->access, (int)V9X_ACCESS_CLIENT);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "user"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->access, (int)V9X_ACCESS_USER);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "users"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "bogus"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "access", "-1"), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_cache(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);
	struct v9x_mount_opts *o = fc->fs_private;

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "loose"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->cache, (int)V9X_CACHE_LOOSE);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "mmap"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->cache, (int)V9X_CACHE_MMAP);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "readahead"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->cache, (int)V9X_CACHE_READAHEAD);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "none"), 0);
	KUNIT_EXPECT_EQ(test, (int)o->cache, (int)V9X_CACHE_NONE);
	/* v9fs names v9x does not have. */
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "fscache"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", "Loose"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "cache", ""), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "actimeo", "0"), 0);
	KUNIT_EXPECT_TRUE(test, o->actimeo_set);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "actimeo", "3600"), 0);
	KUNIT_EXPECT_EQ(test, o->actimeo, 3600U);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "actimeo", "3601"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "actimeo", "-1"), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_invalid(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "100"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "4095"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "67108865"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "abc"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "msize", "-5"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "version", "9p2000.u"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "version", "9p2000"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "trans", "tcp"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "dfltuid", "4294967295"), -EINVAL);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "dfltuid", "x"), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_unknown(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "foo", "bar"), -EINVAL);
	/* A flag takes no value. */
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "posixacl", "yes"), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_tag_twice(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "source", "a"), 0);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "tag", "b"), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_tag_with_none(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	/* mount -t v9x -o tag=data none /mnt */
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "source", "none"), 0);
	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "tag", "data"), 0);
	KUNIT_EXPECT_STREQ(test, fc->source, "data");
	put_fs_context(fc);
}

static void test_opts_no_tag(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	/* get_tree refuses a mount without a source before touching a device. */
	KUNIT_EXPECT_EQ(test, v9x_vfs_get_tree(fc), -EINVAL);
	put_fs_context(fc);
}

static void test_opts_unknown_tag(struct kunit *test)
{
	struct fs_context *fc = v9x_test_fc(test);

	KUNIT_EXPECT_EQ(test, v9x_test_parse(fc, "source", "v9x-kunit-no-such-tag"), 0);
	KUNIT_EXPECT_EQ(test, vfs_get_tree(fc), -ENOENT);
	put_fs_context(fc);
}

static struct kunit_case v9x_opts_cases[] = {
	KUNIT_CASE(test_opts_defaults),
	KUNIT_CASE(test_opts_valid),
	KUNIT_CASE(test_opts_access),
	KUNIT_CASE(test_opts_cache),
	KUNIT_CASE(test_opts_invalid),
	KUNIT_CASE(test_opts_unknown),
	KUNIT_CASE(test_opts_tag_twice),
	KUNIT_CASE(test_opts_tag_with_none),
	KUNIT_CASE(test_opts_no_tag),
	KUNIT_CASE(test_opts_unknown_tag),
	{}
};

static struct kunit_suite v9x_opts_suite = {
	.name = "v9x_mount_opts",
	.test_cases = v9x_opts_cases,
};

kunit_test_suite(v9x_opts_suite);

#endif /* V9X_TESTING */
