// SPDX-License-Identifier: GPL-2.0
/*
 * Pure, bounds-checked 9P2000.L encoding and decoding.
 *
 * This file must not know about virtio, the VFS, locking or allocation: it
 * turns values into bytes and bytes into values, nothing else. Every length
 * that comes from the wire is checked against the bytes actually received;
 * anything that does not fit yields -EPROTO and never a read past the buffer.
 *
 * Order: the cursor primitives, then every T-message encoder, then every
 * R-message decoder. Over 800 lines because it is one short function per
 * message of 9P2000.L in each direction, kept together so the whole wire
 * format is in one file that also compiles in userspace for fuzzing.
 */

#include <linux/err.h>
#include <linux/errno.h>
#include <linux/string.h>

#include "proto.h"

/* Reserve @n bytes at the cursor; NULL when they do not fit or when counting. */
static u8 *v9x_put_space(struct v9x_buf *b, size_t n)
{
	u8 *p;

	if (b->err)
		return NULL;
	if (n > b->size - b->pos) {
		b->err = -EMSGSIZE;
		return NULL;
	}
	p = b->data ? b->data + b->pos : NULL;
	b->pos += n;
	return p;
}

static const u8 *v9x_get_space(struct v9x_buf *b, size_t n)
{
	const u8 *p;

	if (b->err)
		return NULL;
	if (b->pos > b->size || n > b->size - b->pos) {
		b->err = -EPROTO;
		return NULL;
	}
	p = b->data + b->pos;
	b->pos += n;
	return p;
}

/* 9P is little-endian on the wire; assemble bytes by hand so this builds anywhere. */
static void v9x_le_store(u8 *p, u64 v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

static u64 v9x_le_load(const u8 *p, unsigned int n)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

static void v9x_put_le(struct v9x_buf *b, u64 v, unsigned int n)
{
	u8 *p = v9x_put_space(b, n);

	if (p)
		v9x_le_store(p, v, n);
}

static u64 v9x_get_le(struct v9x_buf *b, unsigned int n)
{
	const u8 *p = v9x_get_space(b, n);

	return p ? v9x_le_load(p, n) : 0;
}

/**
 * v9x_put_u8 - append one byte
 * @b: cursor
 * @v: value
 */
void v9x_put_u8(struct v9x_buf *b, u8 v)
{
	v9x_put_le(b, v, 1);
}

/**
 * v9x_put_u16 - append a little-endian u16
 * @b: cursor
 * @v: value
 */
void v9x_put_u16(struct v9x_buf *b, u16 v)
{
	v9x_put_le(b, v, 2);
}

/**
 * v9x_put_u32 - append a little-endian u32
 * @b: cursor
 * @v: value
 */
void v9x_put_u32(struct v9x_buf *b, u32 v)
{
	v9x_put_le(b, v, 4);
}

/**
 * v9x_put_u64 - append a little-endian u64
 * @b: cursor
 * @v: value
 */
void v9x_put_u64(struct v9x_buf *b, u64 v)
{
	v9x_put_le(b, v, 8);
}

/**
 * v9x_put_str - append a 9P string: len[2] then the bytes, no NUL
 * @b: cursor
 * @s: the string (may be NULL when @len is 0)
 * @len: its length
 * more than 65535 bytes sets -ENAMETOOLONG
 */
void v9x_put_str(struct v9x_buf *b, const char *s, size_t len)
{
	u8 *p;

	if (!b->err && len > 0xffff) {
		b->err = -ENAMETOOLONG;
		return;
	}
	v9x_put_u16(b, (u16)len);
	p = v9x_put_space(b, len);
	if (p && len)
		memcpy(p, s, len);
}

/**
 * v9x_get_u8 - read one byte (0 after an error)
 * @b: cursor
 */
u8 v9x_get_u8(struct v9x_buf *b)
{
	return (u8)v9x_get_le(b, 1);
}

/**
 * v9x_get_u16 - read a little-endian u16
 * @b: cursor
 */
u16 v9x_get_u16(struct v9x_buf *b)
{
	return (u16)v9x_get_le(b, 2);
}

/**
 * v9x_get_u32 - read a little-endian u32
 * @b: cursor
 */
u32 v9x_get_u32(struct v9x_buf *b)
{
	return (u32)v9x_get_le(b, 4);
}

/**
 * v9x_get_u64 - read a little-endian u64
 * @b: cursor
 */
u64 v9x_get_u64(struct v9x_buf *b)
{
	return v9x_get_le(b, 8);
}

/**
 * v9x_get_str - read a 9P string in place
 * @b: cursor
 * @len: set to the string's length
 *
 * Return: a pointer into the buffer (not NUL-terminated), or NULL with
 * @b->err set when the length runs past the received bytes.
 */
const char *v9x_get_str(struct v9x_buf *b, u16 *len)
{
	u16 n = v9x_get_u16(b);
	const u8 *p = v9x_get_space(b, n);

	*len = p ? n : 0;
	return (const char *)p;
}

/**
 * v9x_get_qid - read a qid[13]
 * @b: cursor
 * @qid: filled in
 */
void v9x_get_qid(struct v9x_buf *b, struct v9x_qid *qid)
{
	qid->type = v9x_get_u8(b);
	qid->version = v9x_get_u32(b);
	qid->path = v9x_get_u64(b);
}

/**
 * v9x_enc_begin - start a message: size[4] (filled by v9x_enc_end) type[1] tag[2]
 * @b: cursor at offset 0
 * @type: T-message type
 * @tag: its tag
 */
void v9x_enc_begin(struct v9x_buf *b, u8 type, u16 tag)
{
	v9x_put_u32(b, 0);
	v9x_put_u8(b, type);
	v9x_put_u16(b, tag);
}

/**
 * v9x_enc_end - finish a message by writing its size field
 * @b: cursor after the last field
 *
 * Return: the message size, or a negative error when it did not fit.
 */
int v9x_enc_end(struct v9x_buf *b)
{
	if (b->err)
		return b->err;
	if (b->pos > 0x7fffffff)
		return -EMSGSIZE;
	if (b->data)
		v9x_le_store(b->data, b->pos, 4);
	return (int)b->pos;
}

/**
 * v9x_enc_tversion - Tversion tag msize[4] version[s]
 * @b: cursor
 * @tag: tag (NOTAG)
 * @msize: proposed msize
 * @version: version string
 */
void v9x_enc_tversion(struct v9x_buf *b, u16 tag, u32 msize,
		      const char *version)
{
	v9x_enc_begin(b, V9X_TVERSION, tag);
	v9x_put_u32(b, msize);
	v9x_put_str(b, version, strlen(version));
}

/**
 * v9x_enc_tattach - Tattach fid[4] afid[4] uname[s] aname[s] n_uname[4]
 * @b: cursor
 * @tag: tag
 * @fid: root fid to create
 * @afid: auth fid (NOFID)
 * @uname: user name
 * @aname: tree to attach
 * @n_uname: numeric uid
 */
void v9x_enc_tattach(struct v9x_buf *b, u16 tag, u32 fid, u32 afid,
		     const char *uname, const char *aname, u32 n_uname)
{
	v9x_enc_begin(b, V9X_TATTACH, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, afid);
	v9x_put_str(b, uname, strlen(uname));
	v9x_put_str(b, aname, strlen(aname));
	v9x_put_u32(b, n_uname);
}

/**
 * v9x_enc_twalk - Twalk fid[4] newfid[4] nwname[2] nwname*(wname[s])
 * @b: cursor
 * @tag: tag
 * @fid: start
 * @newfid: fid to create
 * @nwname: number of names, at most V9X_MAXWELEM
 * @wnames: the names, NUL-terminated
 *
 * Return: 0, or -EINVAL when @nwname is too large (the caller must split).
 */
int v9x_enc_twalk(struct v9x_buf *b, u16 tag, u32 fid, u32 newfid,
		  unsigned int nwname, const char *const *wnames)
{
	unsigned int i;

	if (nwname > V9X_MAXWELEM)
		return -EINVAL;
	v9x_enc_begin(b, V9X_TWALK, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, newfid);
	v9x_put_u16(b, (u16)nwname);
	for (i = 0; i < nwname; i++)
		v9x_put_str(b, wnames[i], strlen(wnames[i]));
	return 0;
}

/**
 * v9x_enc_tgetattr - Tgetattr fid[4] request_mask[8]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 * @mask: V9X_GETATTR_* bits
 */
void v9x_enc_tgetattr(struct v9x_buf *b, u16 tag, u32 fid, u64 mask)
{
	v9x_enc_begin(b, V9X_TGETATTR, tag);
	v9x_put_u32(b, fid);
	v9x_put_u64(b, mask);
}

/**
 * v9x_enc_tlopen - Tlopen fid[4] flags[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 * @flags: V9X_DOTL_* flags
 */
void v9x_enc_tlopen(struct v9x_buf *b, u16 tag, u32 fid, u32 flags)
{
	v9x_enc_begin(b, V9X_TLOPEN, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, flags);
}

static void v9x_enc_io(struct v9x_buf *b, u8 type, u16 tag, u32 fid,
		       u64 offset, u32 count)
{
	v9x_enc_begin(b, type, tag);
	v9x_put_u32(b, fid);
	v9x_put_u64(b, offset);
	v9x_put_u32(b, count);
}

/**
 * v9x_enc_tread - Tread fid[4] offset[8] count[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 * @offset: file or directory offset
 * @count: bytes requested
 */
void v9x_enc_tread(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		   u32 count)
{
	v9x_enc_io(b, V9X_TREAD, tag, fid, offset, count);
}

/**
 * v9x_enc_treaddir - Treaddir fid[4] offset[8] count[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 * @offset: file or directory offset
 * @count: bytes requested
 */
void v9x_enc_treaddir(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		      u32 count)
{
	v9x_enc_io(b, V9X_TREADDIR, tag, fid, offset, count);
}

static void v9x_enc_fid(struct v9x_buf *b, u8 type, u16 tag, u32 fid)
{
	v9x_enc_begin(b, type, tag);
	v9x_put_u32(b, fid);
}

/**
 * v9x_enc_treadlink - Treadlink fid[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 */
void v9x_enc_treadlink(struct v9x_buf *b, u16 tag, u32 fid)
{
	v9x_enc_fid(b, V9X_TREADLINK, tag, fid);
}

/**
 * v9x_enc_tstatfs - Tstatfs fid[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 */
void v9x_enc_tstatfs(struct v9x_buf *b, u16 tag, u32 fid)
{
	v9x_enc_fid(b, V9X_TSTATFS, tag, fid);
}

/**
 * v9x_enc_tclunk - Tclunk fid[4]
 * @b: cursor
 * @tag: the tag
 * @fid: the fid
 */
void v9x_enc_tclunk(struct v9x_buf *b, u16 tag, u32 fid)
{
	v9x_enc_fid(b, V9X_TCLUNK, tag, fid);
}

/**
 * v9x_enc_tflush - Tflush oldtag[2]
 * @b: cursor
 * @tag: the tag
 * @oldtag: tag of the request to cancel
 */
void v9x_enc_tflush(struct v9x_buf *b, u16 tag, u16 oldtag)
{
	v9x_enc_begin(b, V9X_TFLUSH, tag);
	v9x_put_u16(b, oldtag);
}

/**
 * v9x_enc_tlcreate - Tlcreate fid[4] name[s] flags[4] mode[4] gid[4]
 * @b: cursor
 * @tag: the tag
 * @fid: a clone of the directory's fid; becomes the new open file
 * @name: the new file's name
 * @flags: V9X_DOTL_* open flags
 * @mode: permission bits
 * @gid: owning group
 */
void v9x_enc_tlcreate(struct v9x_buf *b, u16 tag, u32 fid, const char *name,
		      u32 flags, u32 mode, u32 gid)
{
	v9x_enc_begin(b, V9X_TLCREATE, tag);
	v9x_put_u32(b, fid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_u32(b, flags);
	v9x_put_u32(b, mode);
	v9x_put_u32(b, gid);
}

/**
 * v9x_enc_twrite - Twrite fid[4] offset[8] count[4], header only
 * @b: cursor
 * @tag: the tag
 * @fid: an open fid
 * @offset: file offset
 * @count: bytes of data that follow the header on the wire
 *
 * The size field covers the data, which the caller appends or sends from
 * other buffers; finish with v9x_enc_end_data().
 */
void v9x_enc_twrite(struct v9x_buf *b, u16 tag, u32 fid, u64 offset,
		    u32 count)
{
	v9x_enc_io(b, V9X_TWRITE, tag, fid, offset, count);
}

/**
 * v9x_enc_end_data - finish a message whose last @extra bytes travel apart
 * @b: cursor after the header
 * @extra: bytes sent from other buffers (zero-copy pages)
 *
 * Return: the header length in @b, or a negative error.
 */
int v9x_enc_end_data(struct v9x_buf *b, u32 extra)
{
	if (b->err)
		return b->err;
	if (b->pos + (u64)extra > 0x7fffffff)
		return -EMSGSIZE;
	if (b->data)
		v9x_le_store(b->data, b->pos + extra, 4);
	return (int)b->pos;
}

/**
 * v9x_enc_tmkdir - Tmkdir dfid[4] name[s] mode[4] gid[4]
 * @b: cursor
 * @tag: the tag
 * @dfid: the parent directory
 * @name: the new directory's name
 * @mode: permission bits
 * @gid: owning group
 */
void v9x_enc_tmkdir(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		    u32 mode, u32 gid)
{
	v9x_enc_begin(b, V9X_TMKDIR, tag);
	v9x_put_u32(b, dfid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_u32(b, mode);
	v9x_put_u32(b, gid);
}

/**
 * v9x_enc_tsymlink - Tsymlink dfid[4] name[s] symtgt[s] gid[4]
 * @b: cursor
 * @tag: the tag
 * @dfid: the parent directory
 * @name: the link's name
 * @target: what it points to
 * @gid: owning group
 */
void v9x_enc_tsymlink(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		      const char *target, u32 gid)
{
	v9x_enc_begin(b, V9X_TSYMLINK, tag);
	v9x_put_u32(b, dfid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_str(b, target, strlen(target));
	v9x_put_u32(b, gid);
}

/**
 * v9x_enc_tmknod - Tmknod dfid[4] name[s] mode[4] major[4] minor[4] gid[4]
 * @b: cursor
 * @tag: the tag
 * @dfid: the parent directory
 * @name: the node's name
 * @mode: file type and permission bits
 * @major: device major
 * @minor: device minor
 * @gid: owning group
 */
void v9x_enc_tmknod(struct v9x_buf *b, u16 tag, u32 dfid, const char *name,
		    u32 mode, u32 major, u32 minor, u32 gid)
{
	v9x_enc_begin(b, V9X_TMKNOD, tag);
	v9x_put_u32(b, dfid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_u32(b, mode);
	v9x_put_u32(b, major);
	v9x_put_u32(b, minor);
	v9x_put_u32(b, gid);
}

/**
 * v9x_enc_tlink - Tlink dfid[4] fid[4] name[s]
 * @b: cursor
 * @tag: the tag
 * @dfid: the directory to hold the new name
 * @fid: the existing file
 * @name: the new name
 */
void v9x_enc_tlink(struct v9x_buf *b, u16 tag, u32 dfid, u32 fid,
		   const char *name)
{
	v9x_enc_begin(b, V9X_TLINK, tag);
	v9x_put_u32(b, dfid);
	v9x_put_u32(b, fid);
	v9x_put_str(b, name, strlen(name));
}

/**
 * v9x_enc_tunlinkat - Tunlinkat dfid[4] name[s] flags[4]
 * @b: cursor
 * @tag: the tag
 * @dfid: the parent directory
 * @name: the name to remove
 * @flags: 0, or V9X_DOTL_AT_REMOVEDIR
 */
void v9x_enc_tunlinkat(struct v9x_buf *b, u16 tag, u32 dfid,
		       const char *name, u32 flags)
{
	v9x_enc_begin(b, V9X_TUNLINKAT, tag);
	v9x_put_u32(b, dfid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_u32(b, flags);
}

/**
 * v9x_enc_trenameat - Trenameat olddirfid[4] oldname[s] newdirfid[4] newname[s]
 * @b: cursor
 * @tag: the tag
 * @olddfid: the source directory
 * @oldname: the source name
 * @newdfid: the target directory
 * @newname: the target name
 */
void v9x_enc_trenameat(struct v9x_buf *b, u16 tag, u32 olddfid,
		       const char *oldname, u32 newdfid, const char *newname)
{
	v9x_enc_begin(b, V9X_TRENAMEAT, tag);
	v9x_put_u32(b, olddfid);
	v9x_put_str(b, oldname, strlen(oldname));
	v9x_put_u32(b, newdfid);
	v9x_put_str(b, newname, strlen(newname));
}

/**
 * v9x_enc_tsetattr - Tsetattr fid[4] valid[4] mode[4] uid[4] gid[4] size[8]
 *	atime_sec[8] atime_nsec[8] mtime_sec[8] mtime_nsec[8]
 * @b: cursor
 * @tag: the tag
 * @fid: the file
 * @ia: what to change
 */
void v9x_enc_tsetattr(struct v9x_buf *b, u16 tag, u32 fid,
		      const struct v9x_iattr *ia)
{
	v9x_enc_begin(b, V9X_TSETATTR, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, ia->valid);
	v9x_put_u32(b, ia->mode);
	v9x_put_u32(b, ia->uid);
	v9x_put_u32(b, ia->gid);
	v9x_put_u64(b, ia->size);
	v9x_put_u64(b, ia->atime_sec);
	v9x_put_u64(b, ia->atime_nsec);
	v9x_put_u64(b, ia->mtime_sec);
	v9x_put_u64(b, ia->mtime_nsec);
}

/**
 * v9x_enc_tfsync - Tfsync fid[4] datasync[4]
 * @b: cursor
 * @tag: the tag
 * @fid: an open fid
 * @datasync: nonzero for fdatasync
 */
void v9x_enc_tfsync(struct v9x_buf *b, u16 tag, u32 fid, u32 datasync)
{
	v9x_enc_begin(b, V9X_TFSYNC, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, datasync);
}

/**
 * v9x_enc_txattrwalk - Txattrwalk fid[4] newfid[4] name[s]
 * @b: cursor
 * @tag: the tag
 * @fid: the file
 * @newfid: fid to create for reading the value (or the name list)
 * @name: attribute name; empty to list names
 */
void v9x_enc_txattrwalk(struct v9x_buf *b, u16 tag, u32 fid, u32 newfid,
			const char *name)
{
	v9x_enc_begin(b, V9X_TXATTRWALK, tag);
	v9x_put_u32(b, fid);
	v9x_put_u32(b, newfid);
	v9x_put_str(b, name, strlen(name));
}

/**
 * v9x_enc_txattrcreate - Txattrcreate fid[4] name[s] attr_size[8] flags[4]
 * @b: cursor
 * @tag: the tag
 * @fid: a fid that turns into the attribute's write handle
 * @name: attribute name
 * @size: value length (0 with no value removes the attribute)
 * @flags: XATTR_CREATE / XATTR_REPLACE
 */
void v9x_enc_txattrcreate(struct v9x_buf *b, u16 tag, u32 fid,
			  const char *name, u64 size, u32 flags)
{
	v9x_enc_begin(b, V9X_TXATTRCREATE, tag);
	v9x_put_u32(b, fid);
	v9x_put_str(b, name, strlen(name));
	v9x_put_u64(b, size);
	v9x_put_u32(b, flags);
}

/**
 * v9x_enc_tlock - Tlock fid[4] type[1] flags[4] start[8] length[8]
 *	proc_id[4] client_id[s]
 * @b: cursor
 * @tag: the tag
 * @fid: an open fid
 * @fl: the lock
 */
void v9x_enc_tlock(struct v9x_buf *b, u16 tag, u32 fid,
		   const struct v9x_flock *fl)
{
	v9x_enc_begin(b, V9X_TLOCK, tag);
	v9x_put_u32(b, fid);
	v9x_put_u8(b, fl->type);
	v9x_put_u32(b, fl->flags);
	v9x_put_u64(b, fl->start);
	v9x_put_u64(b, fl->length);
	v9x_put_u32(b, fl->proc_id);
	v9x_put_str(b, fl->client_id, strlen(fl->client_id));
}

/**
 * v9x_enc_tgetlock - Tgetlock fid[4] type[1] start[8] length[8] proc_id[4]
 *	client_id[s]
 * @b: cursor
 * @tag: the tag
 * @fid: an open fid
 * @fl: the lock to test
 */
void v9x_enc_tgetlock(struct v9x_buf *b, u16 tag, u32 fid,
		      const struct v9x_flock *fl)
{
	v9x_enc_begin(b, V9X_TGETLOCK, tag);
	v9x_put_u32(b, fid);
	v9x_put_u8(b, fl->type);
	v9x_put_u64(b, fl->start);
	v9x_put_u64(b, fl->length);
	v9x_put_u32(b, fl->proc_id);
	v9x_put_str(b, fl->client_id, strlen(fl->client_id));
}

/**
 * v9x_dec_header - decode and check the common header of a reply
 * @data: the reply buffer
 * @received: bytes that may be read: the device's used length clamped to
 *	the buffer's capacity by the caller
 * @hdr: filled in
 *
 * The size field must cover at least the header and must not claim more
 * bytes than were received.
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_header(const void *data, size_t received, struct v9x_hdr *hdr)
{
	const u8 *p = data;

	if (received < V9X_HDRSZ)
		return -EPROTO;
	hdr->size = (u32)v9x_le_load(p, 4);
	hdr->type = p[4];
	hdr->tag = (u16)v9x_le_load(p + 5, 2);
	if (hdr->size < V9X_HDRSZ || hdr->size > received)
		return -EPROTO;
	return 0;
}

/**
 * v9x_dec_body - set up a cursor over a reply's body
 * @b: cursor to initialise
 * @data: the reply buffer
 * @hdr: its checked header
 * the cursor ends at @hdr->size
 *
 * Return: 0.
 */
int v9x_dec_body(struct v9x_buf *b, const void *data,
		 const struct v9x_hdr *hdr)
{
	v9x_buf_init(b, (void *)data, hdr->size);
	b->pos = V9X_HDRSZ;
	return 0;
}

/**
 * v9x_dec_end - check that a fixed-layout reply was consumed exactly
 * @b: cursor
 *
 * Return: 0, or -EPROTO when a field ran short or bytes were left over.
 */
int v9x_dec_end(struct v9x_buf *b)
{
	if (b->err)
		return b->err;
	return b->pos == b->size ? 0 : -EPROTO;
}

/**
 * v9x_errno_from_wire - turn an Rlerror ecode into a negative errno
 * @ecode: the value from the wire
 *
 * Return: -@ecode for 1..MAX_ERRNO; -EPROTO for 0 and anything larger,
 * which no sane server sends.
 */
int v9x_errno_from_wire(u32 ecode)
{
	if (ecode == 0 || ecode > MAX_ERRNO)
		return -EPROTO;
	return -(int)ecode;
}

/**
 * v9x_dec_rlerror - decode Rlerror ecode[4]
 * @b: cursor over the body
 *
 * Return: the negative errno the server reported, or -EPROTO.
 */
int v9x_dec_rlerror(struct v9x_buf *b)
{
	u32 ecode = v9x_get_u32(b);
	int ret = v9x_dec_end(b);

	return ret ? ret : v9x_errno_from_wire(ecode);
}

/**
 * v9x_dec_rversion - decode Rversion msize[4] version[s]
 * @b: cursor
 * @msize: server's msize
 * @version: points into the buffer
 * @vlen: its length
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rversion(struct v9x_buf *b, u32 *msize, const char **version,
		     u16 *vlen)
{
	*msize = v9x_get_u32(b);
	*version = v9x_get_str(b, vlen);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rattach - decode Rattach qid[13]
 * @b: cursor
 * @qid: filled in
 */
int v9x_dec_rattach(struct v9x_buf *b, struct v9x_qid *qid)
{
	v9x_get_qid(b, qid);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rwalk - decode Rwalk nwqid[2] nwqid*(qid[13])
 * @b: cursor
 * @nwname: how many names were sent
 * the server may answer fewer, never more
 * @qids: room for @nwname qids
 * @nwqid: set to the number decoded
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rwalk(struct v9x_buf *b, unsigned int nwname,
		  struct v9x_qid *qids, unsigned int *nwqid)
{
	unsigned int i, n = v9x_get_u16(b);

	*nwqid = 0;
	if (b->err)
		return b->err;
	if (n > nwname || n > V9X_MAXWELEM)
		return -EPROTO;
	for (i = 0; i < n; i++)
		v9x_get_qid(b, &qids[i]);
	if (v9x_dec_end(b))
		return -EPROTO;
	*nwqid = n;
	return 0;
}

/**
 * v9x_dec_rgetattr - decode Rgetattr
 * @b: cursor
 * @st: filled in
 */
int v9x_dec_rgetattr(struct v9x_buf *b, struct v9x_stat *st)
{
	st->valid = v9x_get_u64(b);
	v9x_get_qid(b, &st->qid);
	st->mode = v9x_get_u32(b);
	st->uid = v9x_get_u32(b);
	st->gid = v9x_get_u32(b);
	st->nlink = v9x_get_u64(b);
	st->rdev = v9x_get_u64(b);
	st->size = v9x_get_u64(b);
	st->blksize = v9x_get_u64(b);
	st->blocks = v9x_get_u64(b);
	st->atime_sec = v9x_get_u64(b);
	st->atime_nsec = v9x_get_u64(b);
	st->mtime_sec = v9x_get_u64(b);
	st->mtime_nsec = v9x_get_u64(b);
	st->ctime_sec = v9x_get_u64(b);
	st->ctime_nsec = v9x_get_u64(b);
	st->btime_sec = v9x_get_u64(b);
	st->btime_nsec = v9x_get_u64(b);
	st->gen = v9x_get_u64(b);
	st->data_version = v9x_get_u64(b);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rlopen - decode Rlopen qid[13] iounit[4]
 * @b: cursor
 * @qid: filled in
 * @iounit: set to the server I/O unit
 */
int v9x_dec_rlopen(struct v9x_buf *b, struct v9x_qid *qid, u32 *iounit)
{
	v9x_get_qid(b, qid);
	*iounit = v9x_get_u32(b);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rread - decode an Rread whose data is in the same buffer
 * @b: cursor
 * @requested: the count sent in Tread
 * @count: bytes returned
 * @data: points at them inside the buffer
 *
 * Return: 0, or -EPROTO when count exceeds what was asked or what arrived.
 */
int v9x_dec_rread(struct v9x_buf *b, u32 requested, u32 *count,
		  const u8 **data)
{
	u32 n = v9x_get_u32(b);

	*count = 0;
	if (b->err)
		return b->err;
	if (n > requested || n != b->size - b->pos)
		return -EPROTO;
	*data = v9x_get_space(b, n);
	if (b->err)
		return b->err;
	*count = n;
	return 0;
}

/**
 * v9x_dec_rread_zc - check an Rread/Rreaddir whose data went elsewhere
 * @hdr: the header, already checked against the header buffer's contents
 *	by v9x_dec_header() with the whole reply's received size
 * @hdrbuf: the V9X_IOHDRSZ bytes that hold size, type, tag and count
 * @requested: the count sent
 * @count: bytes the server says it placed after the header
 *
 * The size field must be exactly V9X_IOHDRSZ + count, and count may not
 * exceed the request.
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rread_zc(const struct v9x_hdr *hdr, const void *hdrbuf,
		     u32 requested, u32 *count)
{
	u32 n;

	*count = 0;
	if (hdr->size < V9X_IOHDRSZ)
		return -EPROTO;
	n = (u32)v9x_le_load((const u8 *)hdrbuf + V9X_HDRSZ, 4);
	if (n > requested || hdr->size - V9X_IOHDRSZ != n)
		return -EPROTO;
	*count = n;
	return 0;
}

/**
 * v9x_dec_rreaddir - decode the count of an Rreaddir held in one buffer
 * @b: cursor
 * left at the first entry, with @b->size trimmed to its end
 * @requested: count sent in Treaddir
 * @count: bytes of entries
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rreaddir(struct v9x_buf *b, u32 requested, u32 *count)
{
	u32 n = v9x_get_u32(b);

	*count = 0;
	if (b->err)
		return b->err;
	if (n > requested || n != b->size - b->pos)
		return -EPROTO;
	*count = n;
	return 0;
}

/**
 * v9x_dec_dirent - decode one entry: qid[13] offset[8] type[1] name[s]
 * @b: cursor inside the entries of an Rreaddir
 * @de: filled in
 * @de->name points into the buffer
 *
 * An entry cut short by the end of the data is -EPROTO, as is an empty name
 * or one containing '/' or NUL, which no directory can hold.
 *
 * Return: 0, or -EPROTO.
 */
int v9x_dec_dirent(struct v9x_buf *b, struct v9x_dirent *de)
{
	v9x_get_qid(b, &de->qid);
	de->offset = v9x_get_u64(b);
	de->type = v9x_get_u8(b);
	de->name = v9x_get_str(b, &de->namelen);
	if (b->err)
		return b->err;
	if (!de->namelen || memchr(de->name, '/', de->namelen) ||
	    memchr(de->name, '\0', de->namelen))
		return -EPROTO;
	return 0;
}

/**
 * v9x_dec_rreadlink - decode Rreadlink target[s]
 * @b: cursor
 * @target: set to the target, inside the buffer
 * @len: set to its length
 */
int v9x_dec_rreadlink(struct v9x_buf *b, const char **target, u16 *len)
{
	*target = v9x_get_str(b, len);
	if (!b->err && memchr(*target, '\0', *len))
		return -EPROTO;
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rstatfs - decode Rstatfs
 * @b: cursor
 * @st: filled in
 */
int v9x_dec_rstatfs(struct v9x_buf *b, struct v9x_statfs *st)
{
	st->type = v9x_get_u32(b);
	st->bsize = v9x_get_u32(b);
	st->blocks = v9x_get_u64(b);
	st->bfree = v9x_get_u64(b);
	st->bavail = v9x_get_u64(b);
	st->files = v9x_get_u64(b);
	st->ffree = v9x_get_u64(b);
	st->fsid = v9x_get_u64(b);
	st->namelen = v9x_get_u32(b);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rempty - check a reply with no body (Rclunk, Rflush)
 * @b: cursor
 */
int v9x_dec_rempty(struct v9x_buf *b)
{
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rqid - decode a reply that is just qid[13] (Rattach, Rmkdir,
 *	Rsymlink, Rmknod)
 * @b: cursor
 * @qid: filled in
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rqid(struct v9x_buf *b, struct v9x_qid *qid)
{
	v9x_get_qid(b, qid);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rwrite - decode Rwrite count[4]
 * @b: cursor
 * @requested: bytes sent
 * @count: bytes the server wrote; never more than @requested
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rwrite(struct v9x_buf *b, u32 requested, u32 *count)
{
	u32 n = v9x_get_u32(b);
	int ret = v9x_dec_end(b);

	*count = 0;
	if (ret)
		return ret;
	if (n > requested)
		return -EPROTO;
	*count = n;
	return 0;
}

/**
 * v9x_dec_rxattrwalk - decode Rxattrwalk size[8]
 * @b: cursor
 * @size: the value's (or the name list's) length
 *
 * Return: 0 or -EPROTO.
 */
int v9x_dec_rxattrwalk(struct v9x_buf *b, u64 *size)
{
	*size = v9x_get_u64(b);
	return v9x_dec_end(b);
}

/**
 * v9x_dec_rlock - decode Rlock status[1]
 * @b: cursor
 * @status: V9X_LOCK_* status
 *
 * Return: 0 or -EPROTO (including an unknown status).
 */
int v9x_dec_rlock(struct v9x_buf *b, u8 *status)
{
	*status = v9x_get_u8(b);
	if (v9x_dec_end(b))
		return -EPROTO;
	return *status <= V9X_LOCK_GRACE ? 0 : -EPROTO;
}

/**
 * v9x_dec_rgetlock - decode Rgetlock type[1] start[8] length[8] proc_id[4]
 *	client_id[s]
 * @b: cursor
 * @fl: filled in; @fl->client_id is not set
 *
 * Return: 0 or -EPROTO (including an unknown lock type).
 */
int v9x_dec_rgetlock(struct v9x_buf *b, struct v9x_flock *fl)
{
	u16 len;

	fl->type = v9x_get_u8(b);
	fl->start = v9x_get_u64(b);
	fl->length = v9x_get_u64(b);
	fl->proc_id = v9x_get_u32(b);
	v9x_get_str(b, &len);
	if (v9x_dec_end(b))
		return -EPROTO;
	return fl->type <= V9X_LOCK_TYPE_UNLCK ? 0 : -EPROTO;
}
