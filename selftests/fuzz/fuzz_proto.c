// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for v9x/proto.c, compiled unchanged in userspace with the
 * shim headers in include/. The first input byte picks a decoder; the rest
 * is a reply as the device would deliver it. Every decoder must stay inside
 * the buffer (ASan/UBSan check that) and return 0 or a negative errno; on
 * success, the values it returns must be consistent with the input.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <linux/err.h>

#include "../../v9x/proto.h"

static void check_reply(const uint8_t *data, size_t size, uint8_t sel)
{
	/* Copy into an exact-size heap buffer so ASan sees any overrun. */
	uint8_t *buf = malloc(size ? size : 1);
	struct v9x_hdr hdr;
	struct v9x_buf b;
	int ret;

	memcpy(buf, data, size);
	if (v9x_dec_header(buf, size, &hdr)) {
		free(buf);
		return;
	}
	assert(hdr.size >= V9X_HDRSZ && hdr.size <= size);
	v9x_dec_body(&b, buf, &hdr);
	switch (sel % 14) {
	case 0: {
		u32 msize;
		const char *v;
		u16 vlen;

		ret = v9x_dec_rversion(&b, &msize, &v, &vlen);
		if (!ret)
			assert(v + vlen <= (char *)buf + hdr.size);
		break;
	}
	case 1: {
		struct v9x_qid qids[V9X_MAXWELEM];
		unsigned int n;

		ret = v9x_dec_rwalk(&b, sel % 17, qids, &n);
		if (!ret)
			assert(n <= sel % 17 && n <= V9X_MAXWELEM);
		break;
	}
	case 2: {
		struct v9x_stat st;

		ret = v9x_dec_rgetattr(&b, &st);
		break;
	}
	case 3: {
		const u8 *d;
		u32 n;

		ret = v9x_dec_rread(&b, 1000, &n, &d);
		if (!ret)
			assert(n <= 1000 && d + n <= buf + hdr.size);
		break;
	}
	case 4: {
		u32 n;
		struct v9x_dirent de;

		ret = v9x_dec_rreaddir(&b, 100000, &n);
		while (!ret && b.pos < b.size) {
			ret = v9x_dec_dirent(&b, &de);
			if (!ret)
				assert(de.name + de.namelen <= (char *)buf + hdr.size &&
				       de.namelen > 0);
		}
		break;
	}
	case 5: {
		const char *t;
		u16 len;

		ret = v9x_dec_rreadlink(&b, &t, &len);
		break;
	}
	case 6: {
		struct v9x_statfs st;

		ret = v9x_dec_rstatfs(&b, &st);
		break;
	}
	case 7:
		ret = v9x_dec_rlerror(&b);
		assert(ret < 0 && ret >= -MAX_ERRNO);
		break;
	case 8: {
		struct v9x_qid q;
		u32 iounit;

		ret = v9x_dec_rlopen(&b, &q, &iounit);
		break;
	}
	case 9: {
		u32 n;

		ret = v9x_dec_rwrite(&b, 4096, &n);
		if (!ret)
			assert(n <= 4096);
		break;
	}
	case 10: {
		u64 sz;

		ret = v9x_dec_rxattrwalk(&b, &sz);
		break;
	}
	case 11: {
		struct v9x_flock fl;

		ret = v9x_dec_rgetlock(&b, &fl);
		break;
	}
	case 12: {
		u8 st;

		ret = v9x_dec_rlock(&b, &st);
		break;
	}
	default: {
		u32 n;

		/* Zero-copy Rread: only the 11-byte header is in the buffer. */
		if (size >= V9X_IOHDRSZ) {
			ret = v9x_dec_rread_zc(&hdr, buf, 4096, &n);
			if (!ret)
				assert(n <= 4096 && hdr.size == V9X_IOHDRSZ + n);
		}
		ret = 0;
		break;
	}
	}
	assert(ret <= 0);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	check_reply(data + 1, size - 1, data[0]);
	return 0;
}
