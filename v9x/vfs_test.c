// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of vfs_ops.c helpers, included at its end: open flag
 * translation and directory entry types from the wire.
 */

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

static struct kunit_case v9x_vfs_cases[] = {
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
