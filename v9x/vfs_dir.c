// SPDX-License-Identifier: GPL-2.0
/*
 * Directories: iterate_shared over Treaddir, with one reply cached per open
 * file (struct v9x_file's readdir fields), the opened fid a directory keeps
 * between opens, and v9x_dir_fops.
 * Calls the client, proto.c's dirent decoder, vfs_file.c (open/release) and
 * prefetch.c (each listed entry's lookup sent ahead).
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "internal.h"

/* Directory fids a mount keeps open for the next open of their directory. */
#define V9X_DIR_FIDS_MAX	1024

/* Where @dentry is now: the name a kept fid is tied to. */
static void v9x_dir_name_get(struct dentry *dentry, struct v9x_dir_name *n)
{
	spin_lock(&dentry->d_lock);
	n->dentry = dentry;
	n->parent = dentry->d_parent;
	n->hash = dentry->d_name.hash;
	spin_unlock(&dentry->d_lock);
}

/**
 * v9x_dir_fid_take - the opened fid a directory kept from its last close
 * @inode: the directory
 * @dentry: the name it is being opened through
 *
 * In a mode with an actimeo, a directory's last close keeps its opened fid
 * (Treaddir names its offset, so a fid serves any listing), and the next
 * open by the same user through the same name takes it instead of a Twalk
 * and a Tlopen; its close later puts it back or clunks it. The fid reads
 * the directory the inode is: a host that replaced the directory under the
 * same name is seen when the name is next revalidated, within actimeo, as
 * for any name. A directory the host renamed is found under its new name,
 * and there the kept fid is clunked, not used: QEMU's 9p server knows a
 * fid by the path it was walked to, and with QEMU 10.0 a listing through
 * the old path's fid came back empty.
 *
 * Return: the fid (the caller owns the reference), or NULL.
 */
struct v9x_fid *v9x_dir_fid_take(struct inode *inode, struct dentry *dentry)
{
	struct v9x_sb_info *sbi = V9X_SB(inode->i_sb);
	bool any = sbi->opts.access == V9X_ACCESS_ANY;
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_fid *fid, *stale = NULL;
	struct v9x_dir_name now;

	if (!sbi->actimeo || !READ_ONCE(vi->dir_fid))
		return NULL;
	v9x_dir_name_get(dentry, &now);
	spin_lock(&vi->open_lock);
	fid = vi->dir_fid;
	if (fid && (vi->dir_fid_at.dentry != now.dentry ||
		    vi->dir_fid_at.parent != now.parent ||
		    vi->dir_fid_at.hash != now.hash)) {
		stale = fid;
		vi->dir_fid = NULL;
		fid = NULL;
	} else if (fid && (any || uid_eq(fid->uid, current_fsuid()))) {
		vi->dir_fid = NULL;
	} else {
		fid = NULL;
	}
	spin_unlock(&vi->open_lock);
	if (fid || stale)
		atomic_dec(&sbi->dir_fids);
	if (stale)
		v9x_fid_put(stale);
	return fid;
}

/**
 * v9x_dir_fid_keep - keep a closed directory's fid for its next open
 * @inode: the directory
 * @fid: its file's opened fid, whose reference the inode takes if kept
 * @dentry: the name the file was opened through
 *
 * At most V9X_DIR_FIDS_MAX per mount (each holds the directory open on the
 * server), one per directory, none for a removed one.
 *
 * Return: true if kept.
 */
bool v9x_dir_fid_keep(struct inode *inode, struct v9x_fid *fid,
		      struct dentry *dentry)
{
	struct v9x_sb_info *sbi = V9X_SB(inode->i_sb);
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_dir_name at;
	bool kept = false;

	if (!sbi->actimeo || IS_DEADDIR(inode))
		return false;
	v9x_dir_name_get(dentry, &at);
	if (atomic_inc_return(&sbi->dir_fids) <= V9X_DIR_FIDS_MAX) {
		spin_lock(&vi->open_lock);
		if (!vi->dir_fid) {
			vi->dir_fid = fid;
			vi->dir_fid_at = at;
			kept = true;
		}
		spin_unlock(&vi->open_lock);
	}
	if (!kept)
		atomic_dec(&sbi->dir_fids);
	return kept;
}

/**
 * v9x_dir_fid_drop - clunk the fid a directory kept, if any
 * @inode: the directory, being evicted
 */
void v9x_dir_fid_drop(struct inode *inode)
{
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_fid *fid;

	spin_lock(&vi->open_lock);
	fid = vi->dir_fid;
	vi->dir_fid = NULL;
	spin_unlock(&vi->open_lock);
	if (fid) {
		atomic_dec(&V9X_SB(inode->i_sb)->dir_fids);
		v9x_fid_put(fid);
	}
}

static unsigned char v9x_dtype(u8 type)
{
	return type <= DT_WHT ? type : DT_UNKNOWN;
}

/*
 * Emit the cached Treaddir entries from vf->dpos on. Each emitted entry
 * moves ctx->pos to that entry's server offset (where a later Treaddir
 * resumes) and the cache cursor past it, so a getdents that stops early
 * continues with the next entry. Returns 1 when the buffer is used up, 0
 * when dir_emit() wants no more, -EIO for a malformed entry. The caller
 * holds vf->lock.
 */
static int v9x_emit_cached(struct v9x_file *vf, struct dir_context *ctx)
{
	struct v9x_dirent de;
	struct v9x_buf b;

	lockdep_assert_held(&vf->lock);
	v9x_buf_init(&b, (void *)vf->dents, vf->dlen);
	b.pos = vf->dpos;
	while (b.pos < b.size) {
		if (v9x_dec_dirent(&b, &de)) {
			v9x_clnt_err(vf->fid->clnt, "malformed directory entry from the server\n");
			return -EIO;
		}
		if (!dir_emit(ctx, de.name, de.namelen, (ino_t)de.qid.path,
			      v9x_dtype(de.type)))
			return 0;
		ctx->pos = (loff_t)de.offset;
		vf->dpos = b.pos;
		vf->dcookie = ctx->pos;
	}
	return 1;
}

static int v9x_vfs_iterate(struct file *file, struct dir_context *ctx)
{
	struct v9x_file *vf = file->private_data;
	bool prefetch = v9x_prefetch_enabled(file_inode(file));
	int ret = 0;

	if (mutex_lock_killable(&vf->lock))
		return -EINTR;
	for (;;) {
		/* The cache serves only the position it was left at. */
		if (!vf->dbuf || vf->dcookie != ctx->pos ||
		    vf->dpos >= vf->dlen) {
			u32 size = vf->dsize;
			void *buf;
			const u8 *data;
			u32 len;

			kvfree(vf->dbuf);
			vf->dbuf = NULL;
			/*
			 * The end was seen here by the previous call: the
			 * getdents(2) that follows a listing's last batch
			 * costs no Treaddir. Once: the call after that, and
			 * any listing from the start (rewinddir), ask again,
			 * so that entries added since are seen.
			 */
			if (!ctx->pos)
				vf->deof_valid = false;
			/*
			 * A listing's first request: small, unless its entries
			 * are fetched ahead (prefetch.c keeps only the last
			 * reply, so it should hold what a walk lists first).
			 */
			if (!ctx->pos || !size)
				size = prefetch ? V9X_READDIR_BUFSZ :
						  V9X_READDIR_MIN;
			if (vf->deof_valid && vf->deof == ctx->pos) {
				vf->deof_valid = false;
				break;
			}
			ret = v9x_client_readdir(vf->fid, ctx->pos,
						 size - V9X_IOHDRSZ, &buf,
						 &data, &len);
			if (ret)
				break;
			/*
			 * A reply more than half full: more is likely to
			 * follow. Less: probably the end, whose Treaddir
			 * brings nothing.
			 */
			vf->dsize = len > (size - V9X_IOHDRSZ) / 2 ?
				    V9X_READDIR_BUFSZ : V9X_READDIR_MIN;
			if (!len) {
				kvfree(buf);
				vf->deof = ctx->pos;
				vf->deof_valid = true;
				break;
			}
			vf->dbuf = buf;
			vf->dents = data;
			vf->dlen = len;
			vf->dpos = 0;
			vf->dcookie = ctx->pos;
			if (prefetch)
				v9x_prefetch_listing(file, data, len, !ctx->pos);
		}
		ret = v9x_emit_cached(vf, ctx);
		if (ret <= 0)
			break;
		ret = 0;
	}
	mutex_unlock(&vf->lock);
	return ret;
}

const struct file_operations v9x_dir_fops = {
	.owner = THIS_MODULE,
	.open = v9x_vfs_open,
	.release = v9x_vfs_release,
	.read = generic_read_dir,
	.iterate_shared = v9x_vfs_iterate,
	.llseek = generic_file_llseek,
	.fsync = v9x_vfs_fsync,
};

#if IS_ENABLED(CONFIG_KUNIT)
#include "vfs_test.c"
#endif
