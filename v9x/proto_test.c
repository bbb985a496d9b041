// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of proto.c: golden encodings from the 9P2000.L spec, encode →
 * decode round trips, and malformed replies, each of which must be -EPROTO
 * and never a read past the buffer. Built only where CONFIG_KUNIT is set.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "proto.h"

#define BUFSZ 512

/* KUNIT_EXPECT_MEMEQ() is v6.2+; this works on 6.1 too. */
#define V9X_EXPECT_MEMEQ(test, a, b, n) \
	KUNIT_EXPECT_EQ(test, memcmp((a), (b), (n)), 0)

/* Build a reply: size[4] type[1] tag[2] then @body. Returns its length. */
static size_t mkreply(u8 *out, u8 type, u16 tag, const void *body,
		      size_t blen)
{
	size_t n = V9X_HDRSZ + blen;

	out[0] = n & 0xff;
	out[1] = (n >> 8) & 0xff;
	out[2] = (n >> 16) & 0xff;
	out[3] = (n >> 24) & 0xff;
	out[4] = type;
	out[5] = tag & 0xff;
	out[6] = tag >> 8;
	memcpy(out + V9X_HDRSZ, body, blen);
	return n;
}

/* Header + body cursor over a reply, as the client sets them up. */
static int open_reply(struct kunit *test, u8 *buf, size_t len,
		      struct v9x_buf *b)
{
	struct v9x_hdr hdr;
	int ret = v9x_dec_header(buf, len, &hdr);

	if (ret)
		return ret;
	return v9x_dec_body(b, buf, &hdr);
}

static void test_golden_tversion(struct kunit *test)
{
	/* size[4]=21 Tversion=100 tag=NOTAG msize[4]=8192 version[s] */
	static const u8 want[] = {
		21, 0, 0, 0, 100, 0xff, 0xff, 0x00, 0x20, 0, 0,
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L'
	};
	u8 out[64];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tversion(&b, V9X_NOTAG, 8192, "9P2000.L");
	KUNIT_ASSERT_EQ(test, v9x_enc_end(&b), (int)sizeof(want));
	V9X_EXPECT_MEMEQ(test, out, want, sizeof(want));
}

static void test_golden_twalk(struct kunit *test)
{
	static const char *const names[] = { "a", "bc" };
	static const u8 want[] = {
		24, 0, 0, 0, 110, 1, 0, 5, 0, 0, 0, 6, 0, 0, 0, 2, 0,
		1, 0, 'a', 2, 0, 'b', 'c'
	};
	u8 out[64];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	KUNIT_ASSERT_EQ(test, v9x_enc_twalk(&b, 1, 5, 6, 2, names), 0);
	KUNIT_ASSERT_EQ(test, v9x_enc_end(&b), (int)sizeof(want));
	V9X_EXPECT_MEMEQ(test, out, want, sizeof(want));
}

static void test_golden_tread(struct kunit *test)
{
	static const u8 want[] = {
		23, 0, 0, 0, 116, 7, 0, 3, 0, 0, 0,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0, 0x10, 0, 0
	};
	u8 out[64];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tread(&b, 7, 3, 0x1122334455667788ULL, 4096);
	KUNIT_ASSERT_EQ(test, v9x_enc_end(&b), (int)sizeof(want));
	V9X_EXPECT_MEMEQ(test, out, want, sizeof(want));
}

static void test_golden_tflush_tclunk(struct kunit *test)
{
	static const u8 flush[] = { 9, 0, 0, 0, 108, 2, 0, 0x34, 0x12 };
	static const u8 clunk[] = { 11, 0, 0, 0, 120, 3, 0, 9, 0, 0, 0 };
	u8 out[32];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tflush(&b, 2, 0x1234);
	KUNIT_ASSERT_EQ(test, v9x_enc_end(&b), 9);
	V9X_EXPECT_MEMEQ(test, out, flush, sizeof(flush));
	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tclunk(&b, 3, 9);
	KUNIT_ASSERT_EQ(test, v9x_enc_end(&b), 11);
	V9X_EXPECT_MEMEQ(test, out, clunk, sizeof(clunk));
}

static void test_count_mode_matches(struct kunit *test)
{
	u8 out[128];
	struct v9x_buf b, c;

	v9x_buf_init_count(&c);
	v9x_enc_tattach(&c, 1, 2, V9X_NOFID, "user", "tree", 1000);
	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tattach(&b, 1, 2, V9X_NOFID, "user", "tree", 1000);
	KUNIT_EXPECT_EQ(test, v9x_enc_end(&c), v9x_enc_end(&b));
	KUNIT_EXPECT_EQ(test, v9x_enc_end(&b), 4 + 1 + 2 + 4 + 4 + 6 + 6 + 4);
}

static void test_encode_overflow(struct kunit *test)
{
	u8 out[10];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_tversion(&b, V9X_NOTAG, 8192, "9P2000.L");
	KUNIT_EXPECT_EQ(test, v9x_enc_end(&b), -EMSGSIZE);
}

static void test_twalk_too_many(struct kunit *test)
{
	const char *names[V9X_MAXWELEM + 1];
	u8 out[256];
	struct v9x_buf b;
	int i;

	for (i = 0; i <= V9X_MAXWELEM; i++)
		names[i] = "x";
	v9x_buf_init(&b, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, v9x_enc_twalk(&b, 1, 1, 2, V9X_MAXWELEM + 1,
					    names), -EINVAL);
	v9x_buf_init(&b, out, sizeof(out));
	KUNIT_EXPECT_EQ(test, v9x_enc_twalk(&b, 1, 1, 2, V9X_MAXWELEM, names), 0);
}

static void test_header_ok(struct kunit *test)
{
	u8 buf[BUFSZ];
	struct v9x_hdr hdr;
	size_t n = mkreply(buf, V9X_RCLUNK, 42, NULL, 0);

	KUNIT_ASSERT_EQ(test, v9x_dec_header(buf, n, &hdr), 0);
	KUNIT_EXPECT_EQ(test, hdr.size, 7U);
	KUNIT_EXPECT_EQ(test, hdr.type, V9X_RCLUNK);
	KUNIT_EXPECT_EQ(test, hdr.tag, 42);
}

static void test_header_size_too_big(struct kunit *test)
{
	u8 buf[BUFSZ];
	struct v9x_hdr hdr;
	size_t n = mkreply(buf, V9X_RCLUNK, 1, NULL, 0);

	buf[0] = 8;	/* claims one byte more than received */
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, n, &hdr), -EPROTO);
	buf[0] = 0xff;
	buf[3] = 0x7f;
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, n, &hdr), -EPROTO);
}

static void test_header_size_too_small(struct kunit *test)
{
	u8 buf[BUFSZ];
	struct v9x_hdr hdr;

	mkreply(buf, V9X_RCLUNK, 1, NULL, 0);
	buf[0] = 6;
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, 7, &hdr), -EPROTO);
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, 6, &hdr), -EPROTO);
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, 0, &hdr), -EPROTO);
}

static void test_size_smaller_than_body(struct kunit *test)
{
	/* Rgetattr whose size field stops short: the body must not decode. */
	u8 body[V9X_RGETATTR_BODYSZ] = { 0 }, buf[BUFSZ];
	struct v9x_stat st;
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RGETATTR, 1, body, sizeof(body));

	buf[0] = (n - 10) & 0xff;
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rgetattr(&b, &st), -EPROTO);
}

static void test_trailing_bytes(struct kunit *test)
{
	u8 body[] = { 1, 2, 3 }, buf[BUFSZ];
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RCLUNK, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rempty(&b), -EPROTO);
}

static void test_rversion_roundtrip(struct kunit *test)
{
	u8 body[] = { 0, 0, 0x40, 0, 8, 0, '9', 'P', '2', '0', '0', '0', '.',
		      'L' }, buf[BUFSZ];
	const char *v;
	struct v9x_buf b;
	u32 msize;
	u16 vlen;
	size_t n = mkreply(buf, V9X_RVERSION, V9X_NOTAG, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rversion(&b, &msize, &v, &vlen), 0);
	KUNIT_EXPECT_EQ(test, msize, 4194304U);
	KUNIT_EXPECT_EQ(test, vlen, 8);
	V9X_EXPECT_MEMEQ(test, v, "9P2000.L", 8);
}

static void test_string_past_end(struct kunit *test)
{
	u8 body[] = { 0, 0x20, 0, 0, 200, 0, '9', 'P' }, buf[BUFSZ];
	const char *v;
	struct v9x_buf b;
	u32 msize;
	u16 vlen;
	size_t n = mkreply(buf, V9X_RVERSION, V9X_NOTAG, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rversion(&b, &msize, &v, &vlen), -EPROTO);
	KUNIT_EXPECT_EQ(test, vlen, 0);
}

static void put_qid(u8 *p, u8 type, u32 version, u64 path)
{
	int i;

	p[0] = type;
	for (i = 0; i < 4; i++)
		p[1 + i] = version >> (8 * i);
	for (i = 0; i < 8; i++)
		p[5 + i] = path >> (8 * i);
}

static void test_rwalk_ok(struct kunit *test)
{
	u8 body[2 + 2 * V9X_QIDSZ], buf[BUFSZ];
	struct v9x_qid qids[V9X_MAXWELEM];
	unsigned int nwqid;
	struct v9x_buf b;
	size_t n;

	body[0] = 2;
	body[1] = 0;
	put_qid(body + 2, V9X_QTDIR, 1, 0x100);
	put_qid(body + 2 + V9X_QIDSZ, 0, 2, 0x1122334455667788ULL);
	n = mkreply(buf, V9X_RWALK, 1, body, sizeof(body));
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rwalk(&b, 2, qids, &nwqid), 0);
	KUNIT_EXPECT_EQ(test, nwqid, 2U);
	KUNIT_EXPECT_EQ(test, qids[0].type, V9X_QTDIR);
	KUNIT_EXPECT_EQ(test, qids[1].path, 0x1122334455667788ULL);
	KUNIT_EXPECT_EQ(test, qids[1].version, 2U);
}

static void test_rwalk_more_than_asked(struct kunit *test)
{
	u8 body[2 + 3 * V9X_QIDSZ] = { 3, 0 }, buf[BUFSZ];
	struct v9x_qid qids[V9X_MAXWELEM];
	unsigned int nwqid;
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RWALK, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rwalk(&b, 2, qids, &nwqid), -EPROTO);
	KUNIT_EXPECT_EQ(test, nwqid, 0U);
}

static void test_rwalk_over_16(struct kunit *test)
{
	u8 body[2 + 17 * V9X_QIDSZ] = { 17, 0 }, buf[BUFSZ];
	struct v9x_qid qids[V9X_MAXWELEM + 1];
	unsigned int nwqid;
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RWALK, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rwalk(&b, 17, qids, &nwqid), -EPROTO);
}

static void test_rwalk_truncated(struct kunit *test)
{
	u8 body[2 + V9X_QIDSZ] = { 2, 0 }, buf[BUFSZ];
	struct v9x_qid qids[V9X_MAXWELEM];
	unsigned int nwqid;
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RWALK, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rwalk(&b, 2, qids, &nwqid), -EPROTO);
}

static void test_rgetattr_roundtrip(struct kunit *test)
{
	u8 body[V9X_RGETATTR_BODYSZ], buf[BUFSZ];
	struct v9x_stat st;
	struct v9x_buf b, w;
	size_t n;

	/* Encode a body with the put helpers, then decode it. */
	v9x_buf_init(&w, body, sizeof(body));
	v9x_put_u64(&w, V9X_GETATTR_BASIC);
	v9x_put_u8(&w, 0);
	v9x_put_u32(&w, 3);
	v9x_put_u64(&w, 77);
	v9x_put_u32(&w, 0100644);
	v9x_put_u32(&w, 1000);
	v9x_put_u32(&w, 100);
	v9x_put_u64(&w, 2);
	v9x_put_u64(&w, 0);
	v9x_put_u64(&w, 123456789012ULL);
	v9x_put_u64(&w, 4096);
	v9x_put_u64(&w, 8);
	for (n = 0; n < 8; n++)
		v9x_put_u64(&w, n);
	v9x_put_u64(&w, 0);
	v9x_put_u64(&w, 0);
	KUNIT_ASSERT_EQ(test, w.err, 0);
	KUNIT_ASSERT_EQ(test, w.pos, sizeof(body));
	n = mkreply(buf, V9X_RGETATTR, 1, body, sizeof(body));
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rgetattr(&b, &st), 0);
	KUNIT_EXPECT_EQ(test, st.qid.path, 77ULL);
	KUNIT_EXPECT_EQ(test, st.mode, 0100644U);
	KUNIT_EXPECT_EQ(test, st.uid, 1000U);
	KUNIT_EXPECT_EQ(test, st.nlink, 2ULL);
	KUNIT_EXPECT_EQ(test, st.size, 123456789012ULL);
	KUNIT_EXPECT_EQ(test, st.mtime_nsec, 3ULL);
}

static void test_rread_ok(struct kunit *test)
{
	u8 body[4 + 5] = { 5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o' }, buf[BUFSZ];
	const u8 *data;
	struct v9x_buf b;
	u32 count;
	size_t n = mkreply(buf, V9X_RREAD, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rread(&b, 10, &count, &data), 0);
	KUNIT_EXPECT_EQ(test, count, 5U);
	V9X_EXPECT_MEMEQ(test, data, "hello", 5);
}

static void test_rread_more_than_asked(struct kunit *test)
{
	u8 body[4 + 5] = { 5, 0, 0, 0 }, buf[BUFSZ];
	const u8 *data;
	struct v9x_buf b;
	u32 count;
	size_t n = mkreply(buf, V9X_RREAD, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rread(&b, 4, &count, &data), -EPROTO);
	KUNIT_EXPECT_EQ(test, count, 0U);
}

static void test_rread_more_than_received(struct kunit *test)
{
	u8 body[4 + 5] = { 50, 0, 0, 0 }, buf[BUFSZ];
	const u8 *data;
	struct v9x_buf b;
	u32 count;
	size_t n = mkreply(buf, V9X_RREAD, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rread(&b, 100, &count, &data), -EPROTO);
}

static void test_rread_zc(struct kunit *test)
{
	u8 buf[V9X_IOHDRSZ] = { 11 + 100, 0, 0, 0, V9X_RREAD, 1, 0, 100, 0, 0, 0 };
	struct v9x_hdr hdr;
	u32 count;

	/* The data (100 bytes) went to pages; 11 + 100 bytes were received. */
	KUNIT_ASSERT_EQ(test, v9x_dec_header(buf, 111, &hdr), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rread_zc(&hdr, buf, 100, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 100U);
	KUNIT_EXPECT_EQ(test, v9x_dec_rread_zc(&hdr, buf, 99, &count), -EPROTO);
	buf[7] = 101;	/* count disagrees with the size field */
	KUNIT_EXPECT_EQ(test, v9x_dec_rread_zc(&hdr, buf, 200, &count), -EPROTO);
	/* Received less than the size field claims. */
	KUNIT_EXPECT_EQ(test, v9x_dec_header(buf, 50, &hdr), -EPROTO);
}

static size_t put_dirent(u8 *p, u64 path, u64 off, u8 type, const char *name)
{
	size_t len = strlen(name), i;

	put_qid(p, 0, 0, path);
	for (i = 0; i < 8; i++)
		p[V9X_QIDSZ + i] = off >> (8 * i);
	p[V9X_QIDSZ + 8] = type;
	p[V9X_QIDSZ + 9] = len;
	p[V9X_QIDSZ + 10] = 0;
	memcpy(p + V9X_QIDSZ + 11, name, len);
	return V9X_QIDSZ + 11 + len;
}

static void test_rreaddir_ok(struct kunit *test)
{
	u8 ents[128], buf[BUFSZ], body[4 + 128];
	struct v9x_dirent de;
	struct v9x_buf b;
	size_t e = 0, n;
	u32 count;

	e += put_dirent(ents + e, 5, 10, 4, "dir");
	e += put_dirent(ents + e, 6, 20, 8, "file");
	body[0] = e;
	memset(body + 1, 0, 3);
	memcpy(body + 4, ents, e);
	n = mkreply(buf, V9X_RREADDIR, 1, body, 4 + e);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rreaddir(&b, 1000, &count), 0);
	KUNIT_EXPECT_EQ(test, count, (u32)e);
	KUNIT_ASSERT_EQ(test, v9x_dec_dirent(&b, &de), 0);
	KUNIT_EXPECT_EQ(test, de.offset, 10ULL);
	KUNIT_EXPECT_EQ(test, de.namelen, 3);
	V9X_EXPECT_MEMEQ(test, de.name, "dir", 3);
	KUNIT_ASSERT_EQ(test, v9x_dec_dirent(&b, &de), 0);
	KUNIT_EXPECT_EQ(test, de.qid.path, 6ULL);
	KUNIT_EXPECT_EQ(test, de.type, 8);
	KUNIT_EXPECT_EQ(test, b.pos, b.size);
}

static void test_rreaddir_cut_entry(struct kunit *test)
{
	u8 ents[128], buf[BUFSZ], body[4 + 128];
	struct v9x_dirent de;
	struct v9x_buf b;
	size_t e, n;
	u32 count;

	e = put_dirent(ents, 5, 10, 4, "directory") - 4;	/* name cut */
	body[0] = e;
	memset(body + 1, 0, 3);
	memcpy(body + 4, ents, e);
	n = mkreply(buf, V9X_RREADDIR, 1, body, 4 + e);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rreaddir(&b, 1000, &count), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_dirent(&b, &de), -EPROTO);
}

static void test_rreaddir_bad_names(struct kunit *test)
{
	u8 ents[64];
	struct v9x_dirent de;
	struct v9x_buf b;
	size_t e;

	e = put_dirent(ents, 5, 10, 4, "a/b");
	v9x_buf_init(&b, ents, e);
	KUNIT_EXPECT_EQ(test, v9x_dec_dirent(&b, &de), -EPROTO);
	e = put_dirent(ents, 5, 10, 4, "");
	v9x_buf_init(&b, ents, e);
	KUNIT_EXPECT_EQ(test, v9x_dec_dirent(&b, &de), -EPROTO);
	e = put_dirent(ents, 5, 10, 4, "ab");
	ents[V9X_QIDSZ + 11] = 0;	/* NUL inside the name */
	v9x_buf_init(&b, ents, e);
	KUNIT_EXPECT_EQ(test, v9x_dec_dirent(&b, &de), -EPROTO);
}

static void test_rreaddir_count_mismatch(struct kunit *test)
{
	u8 body[4 + 40] = { 60, 0, 0, 0 }, buf[BUFSZ];
	struct v9x_buf b;
	u32 count;
	size_t n = mkreply(buf, V9X_RREADDIR, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rreaddir(&b, 1000, &count), -EPROTO);
	body[0] = 40;
	n = mkreply(buf, V9X_RREADDIR, 1, body, sizeof(body));
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rreaddir(&b, 39, &count), -EPROTO);
}

static void test_rlerror(struct kunit *test)
{
	u8 body[4] = { ENOENT, 0, 0, 0 }, buf[BUFSZ];
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RLERROR, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlerror(&b), -ENOENT);
}

static void test_rlerror_insane(struct kunit *test)
{
	u8 zero[4] = { 0 }, neg[4] = { 0xff, 0xff, 0xff, 0xff },
	   big[4] = { 0x00, 0x10, 0, 0 }, buf[BUFSZ];
	struct v9x_buf b;
	size_t n;

	n = mkreply(buf, V9X_RLERROR, 1, zero, 4);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlerror(&b), -EPROTO);
	n = mkreply(buf, V9X_RLERROR, 1, neg, 4);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlerror(&b), -EPROTO);
	n = mkreply(buf, V9X_RLERROR, 1, big, 4);	/* 4096 > MAX_ERRNO */
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlerror(&b), -EPROTO);
	n = mkreply(buf, V9X_RLERROR, 1, zero, 2);	/* short */
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlerror(&b), -EPROTO);
}

static void test_errno_map(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, v9x_errno_from_wire(1), -EPERM);
	KUNIT_EXPECT_EQ(test, v9x_errno_from_wire(ENOSPC), -ENOSPC);
	KUNIT_EXPECT_EQ(test, v9x_errno_from_wire(MAX_ERRNO), -MAX_ERRNO);
	KUNIT_EXPECT_EQ(test, v9x_errno_from_wire(MAX_ERRNO + 1), -EPROTO);
	KUNIT_EXPECT_EQ(test, v9x_errno_from_wire(0), -EPROTO);
}

static void test_rreadlink(struct kunit *test)
{
	u8 ok[] = { 3, 0, 'a', '/', 'b' }, bad[] = { 3, 0, 'a', 0, 'b' },
	   buf[BUFSZ];
	const char *t;
	struct v9x_buf b;
	u16 len;
	size_t n;

	n = mkreply(buf, V9X_RREADLINK, 1, ok, sizeof(ok));
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_ASSERT_EQ(test, v9x_dec_rreadlink(&b, &t, &len), 0);
	KUNIT_EXPECT_EQ(test, len, 3);
	n = mkreply(buf, V9X_RREADLINK, 1, bad, sizeof(bad));
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rreadlink(&b, &t, &len), -EPROTO);
}

static void test_rstatfs_short(struct kunit *test)
{
	u8 body[60] = { 0 }, buf[BUFSZ];
	struct v9x_statfs st;
	struct v9x_buf b;
	size_t n = mkreply(buf, V9X_RSTATFS, 1, body, sizeof(body) - 1);

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rstatfs(&b, &st), -EPROTO);
	n = mkreply(buf, V9X_RSTATFS, 1, body, 60);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rstatfs(&b, &st), 0);
}

static void test_rwrite(struct kunit *test)
{
	u8 body[4] = { 10, 0, 0, 0 }, buf[BUFSZ];
	struct v9x_buf b;
	u32 count;
	size_t n = mkreply(buf, V9X_RWRITE, 1, body, sizeof(body));

	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rwrite(&b, 10, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 10U);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rwrite(&b, 9, &count), -EPROTO);
}

static void test_twrite_zc_size(struct kunit *test)
{
	u8 out[64];
	struct v9x_buf b;

	v9x_buf_init(&b, out, sizeof(out));
	v9x_enc_twrite(&b, 1, 2, 0, 1000);
	KUNIT_ASSERT_EQ(test, v9x_enc_end_data(&b, 1000), V9X_TWRITE_HDRSZ);
	/* The size field covers the data sent from pages. */
	KUNIT_EXPECT_EQ(test, out[0] | out[1] << 8, V9X_TWRITE_HDRSZ + 1000);
}

/*
 * Encode T-message number @i into @b; false once @i is past the last one.
 * Covers every encoder the client uses.
 */
static bool enc_msg(struct v9x_buf *b, int i)
{
	static const char *const wn[] = { "a", "bc", "def" };
	static const struct v9x_iattr ia = {
		.valid = 0x1ff, .mode = 0644, .uid = 1, .gid = 2, .size = 3,
		.atime_sec = 4, .atime_nsec = 5, .mtime_sec = 6,
		.mtime_nsec = 7,
	};
	static const struct v9x_flock fl = {
		.type = 1, .flags = 2, .start = 3, .length = 4, .proc_id = 5,
		.client_id = "host",
	};

	switch (i) {
	case 0:
		v9x_enc_tversion(b, V9X_NOTAG, 8192, "9P2000.L");
		break;
	case 1:
		v9x_enc_tattach(b, 1, 2, V9X_NOFID, "u", "a", 7);
		break;
	case 2:
		v9x_enc_twalk(b, 1, 2, 3, ARRAY_SIZE(wn), wn);
		break;
	case 3:
		v9x_enc_tgetattr(b, 1, 2, 0x3fff);
		break;
	case 4:
		v9x_enc_tlopen(b, 1, 2, 0102);
		break;
	case 5:
		v9x_enc_tread(b, 1, 2, 1ULL << 40, 4096);
		break;
	case 6:
		v9x_enc_treaddir(b, 1, 2, 5, 8192);
		break;
	case 7:
		v9x_enc_treadlink(b, 1, 2);
		break;
	case 8:
		v9x_enc_tstatfs(b, 1, 2);
		break;
	case 9:
		v9x_enc_tclunk(b, 1, 2);
		break;
	case 10:
		v9x_enc_tflush(b, 1, 9);
		break;
	case 11:
		v9x_enc_tlcreate(b, 1, 2, "f", 0102, 0644, 3);
		break;
	case 12:
		v9x_enc_tmkdir(b, 1, 2, "d", 0755, 3);
		break;
	case 13:
		v9x_enc_tsymlink(b, 1, 2, "s", "t", 3);
		break;
	case 14:
		v9x_enc_tmknod(b, 1, 2, "n", 020644, 1, 3, 4);
		break;
	case 15:
		v9x_enc_tlink(b, 1, 2, 3, "l");
		break;
	case 16:
		v9x_enc_tunlinkat(b, 1, 2, "x", 0x200);
		break;
	case 17:
		v9x_enc_trenameat(b, 1, 2, "o", 3, "n");
		break;
	case 18:
		v9x_enc_tsetattr(b, 1, 2, &ia);
		break;
	case 19:
		v9x_enc_tfsync(b, 1, 2, 1);
		break;
	case 20:
		v9x_enc_txattrwalk(b, 1, 2, 3, "user.x");
		break;
	case 21:
		v9x_enc_txattrcreate(b, 1, 2, "user.x", 9, 1);
		break;
	case 22:
		v9x_enc_tlock(b, 1, 2, &fl);
		break;
	case 23:
		v9x_enc_tgetlock(b, 1, 2, &fl);
		break;
	default:
		return false;
	}
	return true;
}

/*
 * No byte the client sends may be memory the encoder did not write: each
 * T-message is encoded into buffers filled with two different patterns and
 * must come out byte-identical, exactly as long as the counting pass (the
 * size the client allocates and sends), with a size field that says so.
 */
static void test_encoders_write_every_byte(struct kunit *test)
{
	u8 x[128], y[128];
	struct v9x_buf bc, bx, by;
	int i, n, len;

	for (i = 0; ; i++) {
		v9x_buf_init_count(&bc);
		if (!enc_msg(&bc, i))
			break;
		n = v9x_enc_end(&bc);
		memset(x, 0xa5, sizeof(x));
		memset(y, 0x5a, sizeof(y));
		v9x_buf_init(&bx, x, sizeof(x));
		v9x_buf_init(&by, y, sizeof(y));
		enc_msg(&bx, i);
		enc_msg(&by, i);
		len = v9x_enc_end(&bx);
		KUNIT_EXPECT_GE_MSG(test, len, V9X_HDRSZ, "message %d", i);
		KUNIT_EXPECT_EQ_MSG(test, len, n, "message %d: counted size", i);
		KUNIT_EXPECT_EQ_MSG(test, v9x_enc_end(&by), len, "message %d", i);
		KUNIT_EXPECT_EQ_MSG(test, bx.pos, (size_t)len, "message %d", i);
		if (len < V9X_HDRSZ)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, memcmp(x, y, len), 0,
				    "message %d sends bytes it did not write", i);
		KUNIT_EXPECT_EQ_MSG(test, x[0] | x[1] << 8 | x[2] << 16, len,
				    "message %d: size field", i);
	}
	KUNIT_EXPECT_EQ(test, i, 24);

	/* A Twrite header: the data that follows is counted, not encoded. */
	memset(x, 0xa5, sizeof(x));
	memset(y, 0x5a, sizeof(y));
	v9x_buf_init(&bx, x, sizeof(x));
	v9x_buf_init(&by, y, sizeof(y));
	v9x_enc_twrite(&bx, 1, 2, 7, 3);
	v9x_enc_twrite(&by, 1, 2, 7, 3);
	KUNIT_ASSERT_EQ(test, v9x_enc_end_data(&bx, 3), V9X_TWRITE_HDRSZ);
	KUNIT_ASSERT_EQ(test, v9x_enc_end_data(&by, 3), V9X_TWRITE_HDRSZ);
	KUNIT_EXPECT_EQ(test, memcmp(x, y, V9X_TWRITE_HDRSZ), 0);
}

static void test_rlock_status(struct kunit *test)
{
	u8 good[1] = { V9X_LOCK_BLOCKED }, bad[1] = { 9 }, buf[BUFSZ];
	struct v9x_buf b;
	u8 status;
	size_t n;

	n = mkreply(buf, V9X_RLOCK, 1, good, 1);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlock(&b, &status), 0);
	KUNIT_EXPECT_EQ(test, status, V9X_LOCK_BLOCKED);
	n = mkreply(buf, V9X_RLOCK, 1, bad, 1);
	KUNIT_ASSERT_EQ(test, open_reply(test, buf, n, &b), 0);
	KUNIT_EXPECT_EQ(test, v9x_dec_rlock(&b, &status), -EPROTO);
}

static void test_string_too_long(struct kunit *test)
{
	static char big[0x10001];
	struct v9x_buf b;

	memset(big, 'a', sizeof(big) - 1);
	v9x_buf_init_count(&b);
	v9x_put_str(&b, big, sizeof(big) - 1);
	KUNIT_EXPECT_EQ(test, b.err, -ENAMETOOLONG);
}

static struct kunit_case v9x_proto_cases[] = {
	KUNIT_CASE(test_golden_tversion),
	KUNIT_CASE(test_golden_twalk),
	KUNIT_CASE(test_golden_tread),
	KUNIT_CASE(test_golden_tflush_tclunk),
	KUNIT_CASE(test_count_mode_matches),
	KUNIT_CASE(test_encode_overflow),
	KUNIT_CASE(test_twalk_too_many),
	KUNIT_CASE(test_header_ok),
	KUNIT_CASE(test_header_size_too_big),
	KUNIT_CASE(test_header_size_too_small),
	KUNIT_CASE(test_size_smaller_than_body),
	KUNIT_CASE(test_trailing_bytes),
	KUNIT_CASE(test_rversion_roundtrip),
	KUNIT_CASE(test_string_past_end),
	KUNIT_CASE(test_rwalk_ok),
	KUNIT_CASE(test_rwalk_more_than_asked),
	KUNIT_CASE(test_rwalk_over_16),
	KUNIT_CASE(test_rwalk_truncated),
	KUNIT_CASE(test_rgetattr_roundtrip),
	KUNIT_CASE(test_rread_ok),
	KUNIT_CASE(test_rread_more_than_asked),
	KUNIT_CASE(test_rread_more_than_received),
	KUNIT_CASE(test_rread_zc),
	KUNIT_CASE(test_rreaddir_ok),
	KUNIT_CASE(test_rreaddir_cut_entry),
	KUNIT_CASE(test_rreaddir_bad_names),
	KUNIT_CASE(test_rreaddir_count_mismatch),
	KUNIT_CASE(test_rlerror),
	KUNIT_CASE(test_rlerror_insane),
	KUNIT_CASE(test_errno_map),
	KUNIT_CASE(test_rreadlink),
	KUNIT_CASE(test_rstatfs_short),
	KUNIT_CASE(test_rwrite),
	KUNIT_CASE(test_twrite_zc_size),
	KUNIT_CASE(test_rlock_status),
	KUNIT_CASE(test_string_too_long),
	KUNIT_CASE(test_encoders_write_every_byte),
	{}
};

static struct kunit_suite v9x_proto_suite = {
	.name = "v9x_proto",
	.test_cases = v9x_proto_cases,
};

kunit_test_suite(v9x_proto_suite);
