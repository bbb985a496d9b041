/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure 9P2000.L encode/decode. proto.c depends on nothing but this header and
 * protocol.h, so it can be unit-tested and compiled in userspace for fuzzing.
 *
 * Every accessor works on a struct v9x_buf cursor with a sticky error: once a
 * read or write would cross the end of the buffer, @err is set to -EPROTO
 * (decode) or -EMSGSIZE (encode), and every later access is a no-op. Callers
 * check the error once, at the end of a message.
 */
#ifndef V9X_PROTO_H
#define V9X_PROTO_H

#include "protocol.h"

/**
 * struct v9x_buf - a bounded cursor over a message
 * @data: the bytes; NULL for an encoder in counting mode (sizes only)
 * @size: capacity when encoding, number of valid bytes when decoding
 * @pos: current offset
 * @err: 0, or the first error seen
 */
struct v9x_buf {
	u8 *data;
	size_t size;
	size_t pos;
	int err;
};

/**
 * struct v9x_hdr - the common header of every message
 * @size: total message size including the header
 * @type: message type
 * @tag: request tag
 */
struct v9x_hdr {
	u32 size;
	u8 type;
	u16 tag;
};

static inline void v9x_buf_init(struct v9x_buf *b, void *data, size_t size)
{
	b->data = data;
	b->size = size;
	b->pos = 0;
	b->err = 0;
}

/* An encoder that only counts: v9x_enc_end() then returns the size needed. */
static inline void v9x_buf_init_count(struct v9x_buf *b)
{
	v9x_buf_init(b, NULL, (size_t)-1);
}

void v9x_put_u8(struct v9x_buf *b, u8 v);
void v9x_put_u16(struct v9x_buf *b, u16 v);
void v9x_put_u32(struct v9x_buf *b, u32 v);
void v9x_put_u64(struct v9x_buf *b, u64 v);
void v9x_put_str(struct v9x_buf *b, const char *s, size_t len);

u8 v9x_get_u8(struct v9x_buf *b);
u16 v9x_get_u16(struct v9x_buf *b);
u32 v9x_get_u32(struct v9x_buf *b);
u64 v9x_get_u64(struct v9x_buf *b);
const char *v9x_get_str(struct v9x_buf *b, u16 *len);
void v9x_get_qid(struct v9x_buf *b, struct v9x_qid *qid);

void v9x_enc_begin(struct v9x_buf *b, u8 type, u16 tag);
int v9x_enc_end(struct v9x_buf *b);

void v9x_enc_tversion(struct v9x_buf *b, u16 tag, u32 msize,
		      const char *version);
void v9x_enc_tattach(struct v9x_buf *b, u16 tag, u32 fid, u32 afid,
		     const char *uname, const char *aname, u32 n_uname);
int v9x_enc_twalk(struct v9x_buf *b, u16 tag, u32 fid, u32 newfid,
		  unsigned int nwname, const char *const *wnames);
void v9x_enc_tgetattr(struct v9x_buf *b, u16 tag, u32 fid, u64 mask);
void v9x_enc_tlopen(struct v9x_buf *b, u16 tag, u32 fid, u32 flags);
void v9x_enc_tread(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		   u32 count);
void v9x_enc_treaddir(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		      u32 count);
void v9x_enc_treadlink(struct v9x_buf *b, u16 tag, u32 fid);
void v9x_enc_tstatfs(struct v9x_buf *b, u16 tag, u32 fid);
void v9x_enc_tclunk(struct v9x_buf *b, u16 tag, u32 fid);
void v9x_enc_tflush(struct v9x_buf *b, u16 tag, u16 oldtag);
void v9x_enc_tlcreate(struct v9x_buf *b, u16 tag, u32 fid, const char *name,
		      u32 flags, u32 mode, u32 gid);
void v9x_enc_twrite(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		    u32 count);
int v9x_enc_end_data(struct v9x_buf *b, u32 extra);
void v9x_enc_tmkdir(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		    u32 mode, u32 gid);
void v9x_enc_tsymlink(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		      const char *target, u32 gid);
void v9x_enc_tmknod(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		    u32 mode, u32 major, u32 minor, u32 gid);
void v9x_enc_tlink(struct v9x_buf *b, u16 tag, u32 dfid, u32 fid,
		   const char *name);
void v9x_enc_tunlinkat(struct v9x_buf *b, u16 tag, u32 dfid,
		       const char *name, u32 flags);
void v9x_enc_trenameat(struct v9x_buf *b, u16 tag, u32 olddfid,
		       const char *oldname, u32 newdfid, const char *newname);
void v9x_enc_tsetattr(struct v9x_buf *b, u16 tag, u32 fid,
		      const struct v9x_iattr *ia);
void v9x_enc_tfsync(struct v9x_buf *b, u16 tag, u32 fid, u32 datasync);
void v9x_enc_txattrwalk(struct v9x_buf *b, u16 tag, u32 fid, u32 newfid,
			const char *name);
void v9x_enc_txattrcreate(struct v9x_buf *b, u16 tag, u32 fid,
			  const char *name, u64 size, u32 flags);
void v9x_enc_tlock(struct v9x_buf *b, u16 tag, u32 fid,
		   const struct v9x_flock *fl);
void v9x_enc_tgetlock(struct v9x_buf *b, u16 tag, u32 fid,
		      const struct v9x_flock *fl);

int v9x_dec_header(const void *data, size_t received, struct v9x_hdr *hdr);
int v9x_dec_body(struct v9x_buf *b, const void *data,
		 const struct v9x_hdr *hdr);
int v9x_dec_rlerror(struct v9x_buf *b);
int v9x_dec_end(struct v9x_buf *b);
int v9x_dec_rversion(struct v9x_buf *b, u32 *msize, const char **version,
		     u16 *vlen);
int v9x_dec_rattach(struct v9x_buf *b, struct v9x_qid *qid);
int v9x_dec_rwalk(struct v9x_buf *b, unsigned int nwname,
		  struct v9x_qid *qids, unsigned int *nwqid);
int v9x_dec_rgetattr(struct v9x_buf *b, struct v9x_stat *st);
int v9x_dec_rlopen(struct v9x_buf *b, struct v9x_qid *qid, u32 *iounit);
int v9x_dec_rread(struct v9x_buf *b, u32 requested, u32 *count,
		  const u8 **data);
int v9x_dec_rread_zc(const struct v9x_hdr *hdr, const void *hdrbuf,
		     u32 requested, u32 *count);
int v9x_dec_rreaddir(struct v9x_buf *b, u32 requested, u32 *count);
int v9x_dec_dirent(struct v9x_buf *b, struct v9x_dirent *de);
int v9x_dec_rreadlink(struct v9x_buf *b, const char **target, u16 *len);
int v9x_dec_rstatfs(struct v9x_buf *b, struct v9x_statfs *st);
int v9x_dec_rempty(struct v9x_buf *b);
int v9x_dec_rqid(struct v9x_buf *b, struct v9x_qid *qid);
int v9x_dec_rwrite(struct v9x_buf *b, u32 requested, u32 *count);
int v9x_dec_rxattrwalk(struct v9x_buf *b, u64 *size);
int v9x_dec_rlock(struct v9x_buf *b, u8 *status);
int v9x_dec_rgetlock(struct v9x_buf *b, struct v9x_flock *fl);

int v9x_errno_from_wire(u32 ecode);

#endif /* V9X_PROTO_H */
