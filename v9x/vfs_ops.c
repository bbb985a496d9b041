// SPDX-License-Identifier: GPL-2.0
/*
 * Inode, dentry, file and address-space operations of v9x.
 *
 * Fid ownership: every positive dentry owns the fid that names its file
 * (d_fsdata, clunked in d_release); every open file owns a fid cloned from
 * its dentry's and opened with Tlopen (private_data, clunked at release).
 * A dentry is used only while the caller holds a reference to it, so its
 * fid cannot go away under an operation.
 *
 * Coherence (cache=none): dentries are not kept once unused, every stat asks
 * the server, and read() goes to the server every time. Only mmap reads go
 * through the page cache, which is dropped at each open.
 */

#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/uio.h>

#include "compat.h"
#include "internal.h"

/**
 * struct v9x_file - per open file state
 * @fid: the opened fid
 * @lock: protects the readdir cache below (iterate_shared may run
 *	concurrently on one file)
 * @dbuf: the last Treaddir reply buffer, or NULL
 * @dents: the entries inside @dbuf
 * @dlen: bytes of entries
 * @dpos: offset in @dents of the next entry not yet emitted
 * @dcookie: the directory position (ctx->pos) that @dpos corresponds to
 */
struct v9x_file {
	struct v9x_fid *fid;
	struct mutex lock;
	void *dbuf;
	const u8 *dents;
	u32 dlen;
	u32 dpos;
	loff_t dcookie;
};

static struct v9x_fid *v9x_dentry_fid(struct dentry *dentry)
{
	return dentry->d_fsdata;
}

static void v9x_d_release(struct dentry *dentry)
{
	struct v9x_fid *fid = dentry->d_fsdata;

	if (fid)
		v9x_clunk(fid);
}

const struct dentry_operations v9x_dentry_ops = {
	.d_delete = always_delete_dentry,
	.d_release = v9x_d_release,
};

static struct timespec64 v9x_ts(u64 sec, u64 nsec)
{
	struct timespec64 ts = {
		.tv_sec = (time64_t)sec,
		.tv_nsec = nsec < NSEC_PER_SEC ? (long)nsec : 0,
	};

	return ts;
}

/**
 * v9x_inode_update - refresh an inode from an Rgetattr
 * @inode: the inode
 * @st: what the server said; the file type bits are never changed
 */
void v9x_inode_update(struct inode *inode, const struct v9x_stat *st)
{
	struct timespec64 atime = v9x_ts(st->atime_sec, st->atime_nsec);
	struct timespec64 mtime = v9x_ts(st->mtime_sec, st->mtime_nsec);
	struct timespec64 ctime = v9x_ts(st->ctime_sec, st->ctime_nsec);

	spin_lock(&inode->i_lock);
	inode->i_mode = (inode->i_mode & S_IFMT) | (st->mode & 07777);
	i_uid_write(inode, st->uid);
	i_gid_write(inode, st->gid);
	set_nlink(inode, min_t(u64, st->nlink, UINT_MAX));
	i_size_write(inode, min_t(u64, st->size, MAX_LFS_FILESIZE));
	inode->i_blocks = st->blocks;
	v9x_inode_set_times(inode, &atime, &mtime, &ctime);
	V9X_I(inode)->qid.version = st->qid.version;
	spin_unlock(&inode->i_lock);
}

static int v9x_inode_test(struct inode *inode, void *data)
{
	const struct v9x_stat *st = data;

	return V9X_I(inode)->qid.path == st->qid.path &&
	       (inode->i_mode & S_IFMT) == (st->mode & S_IFMT);
}

static int v9x_inode_set(struct inode *inode, void *data)
{
	const struct v9x_stat *st = data;

	V9X_I(inode)->qid = st->qid;
	inode->i_ino = st->qid.path;
	inode->i_mode = st->mode & S_IFMT;
	return 0;
}

/**
 * v9x_iget - find or create the inode for a file
 * @sb: the superblock
 * @st: the file's attributes; qid.path and the type identify the inode
 *
 * Return: a referenced inode, or an ERR_PTR.
 */
struct inode *v9x_iget(struct super_block *sb, const struct v9x_stat *st)
{
	struct inode *inode;
	umode_t mode = st->mode;

	inode = iget5_locked(sb, (unsigned long)st->qid.path, v9x_inode_test,
			     v9x_inode_set, (void *)st);
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW)) {
		v9x_inode_update(inode, st);
		return inode;
	}

	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_op = &v9x_file_iops;
		inode->i_fop = &v9x_file_fops;
		inode->i_mapping->a_ops = &v9x_aops;
		break;
	case S_IFDIR:
		inode->i_op = &v9x_dir_iops;
		inode->i_fop = &v9x_dir_fops;
		break;
	case S_IFLNK:
		inode->i_op = &v9x_symlink_iops;
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		inode->i_op = &v9x_file_iops;
		init_special_inode(inode, mode & S_IFMT,
				   new_decode_dev((u32)st->rdev));
		break;
	default:
		pr_err_ratelimited("server sent invalid file mode 0%o\n",
				   mode);
		iget_failed(inode);
		return ERR_PTR(-EIO);
	}
	v9x_inode_update(inode, st);
	unlock_new_inode(inode);
	return inode;
}

static struct dentry *v9x_lookup(struct inode *dir, struct dentry *dentry,
				 unsigned int flags)
{
	struct v9x_fid *dfid = v9x_dentry_fid(dentry->d_parent);
	const char *name = dentry->d_name.name;
	struct inode *inode = NULL;
	struct v9x_fid *fid;
	struct v9x_stat st;
	int ret;

	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	ret = v9x_walk(dfid, 1, &name, &fid);
	if (ret == -ENOENT)
		return d_splice_alias(NULL, dentry);
	if (ret)
		return ERR_PTR(ret);
	ret = v9x_getattr(fid, V9X_GETATTR_BASIC, &st);
	if (ret)
		goto out_clunk;
	inode = v9x_iget(dir->i_sb, &st);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out_clunk;
	}
	/* The dentry owns the fid from here, even if an alias is used. */
	dentry->d_fsdata = fid;
	return d_splice_alias(inode, dentry);

out_clunk:
	v9x_clunk(fid);
	return ERR_PTR(ret);
}

static int v9x_vfs_getattr(V9X_IDMAP_T *idmap, const struct path *path,
			   struct kstat *stat, u32 request_mask,
			   unsigned int flags)
{
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_inode(dentry);
	struct v9x_stat st;
	int ret;

	if (!(flags & AT_STATX_DONT_SYNC)) {
		ret = v9x_getattr(v9x_dentry_fid(dentry), V9X_GETATTR_BASIC,
				  &st);
		if (ret)
			return ret;
		v9x_inode_update(inode, &st);
	}
	v9x_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

static const char *v9x_get_link(struct dentry *dentry, struct inode *inode,
				struct delayed_call *done)
{
	char *target;
	int ret;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	ret = v9x_readlink(v9x_dentry_fid(dentry), &target);
	if (ret)
		return ERR_PTR(ret);
	set_delayed_call(done, kfree_link, target);
	return target;
}

static int v9x_open(struct inode *inode, struct file *file)
{
	struct v9x_file *vf;
	u32 flags;
	int ret;

	vf = kzalloc(sizeof(*vf), GFP_KERNEL);
	if (!vf)
		return -ENOMEM;
	mutex_init(&vf->lock);
	ret = v9x_walk(v9x_dentry_fid(file_dentry(file)), 0, NULL, &vf->fid);
	if (ret)
		goto out_free;
	switch (file->f_flags & O_ACCMODE) {
	case O_WRONLY:
		flags = V9X_DOTL_WRONLY;
		break;
	case O_RDWR:
		flags = V9X_DOTL_RDWR;
		break;
	default:
		flags = V9X_DOTL_RDONLY;
		break;
	}
	ret = v9x_lopen(vf->fid, flags);
	if (ret)
		goto out_clunk;
	if (S_ISREG(inode->i_mode) && inode->i_mapping->nrpages)
		invalidate_inode_pages2(inode->i_mapping);
	file->private_data = vf;
	return 0;

out_clunk:
	v9x_clunk(vf->fid);
out_free:
	kfree(vf);
	return ret;
}

static int v9x_release(struct inode *inode, struct file *file)
{
	struct v9x_file *vf = file->private_data;

	v9x_clunk(vf->fid);
	kvfree(vf->dbuf);
	mutex_destroy(&vf->lock);
	kfree(vf);
	return 0;
}

static ssize_t v9x_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct v9x_file *vf = iocb->ki_filp->private_data;
	loff_t pos = iocb->ki_pos;
	ssize_t total = 0, n = 0;
	bool eof = false;

	if (pos < 0)
		return -EINVAL;
	while (iov_iter_count(to) && !eof) {
		n = v9x_read(vf->fid, pos, to, &eof);
		if (n <= 0)
			break;
		pos += n;
		total += n;
	}
	iocb->ki_pos = pos;
	return total ? total : n;
}

static int v9x_read_folio(struct file *file, struct folio *folio)
{
	struct v9x_file *vf = file ? file->private_data : NULL;
	size_t len = folio_size(folio);
	loff_t pos = folio_pos(folio);
	struct bio_vec bv = {
		.bv_page = &folio->page,
		.bv_len = len,
		.bv_offset = 0,
	};
	struct iov_iter iter;
	bool eof = false;
	ssize_t n = 0;

	if (!vf) {
		n = -EIO;
		goto out;
	}
	iov_iter_bvec(&iter, ITER_DEST, &bv, 1, len);
	while (iov_iter_count(&iter) && !eof) {
		n = v9x_read(vf->fid, pos, &iter, &eof);
		if (n <= 0)
			break;
		pos += n;
	}
	if (n < 0)
		goto out;
	/* Past end of file the folio reads as zeros. */
	if (iov_iter_count(&iter))
		iov_iter_zero(iov_iter_count(&iter), &iter);
	folio_mark_uptodate(folio);
	n = 0;
out:
	folio_unlock(folio);
	return n;
}

static unsigned char v9x_dtype(u8 type)
{
	return type <= DT_WHT ? type : DT_UNKNOWN;
}

static int v9x_iterate(struct file *file, struct dir_context *ctx)
{
	struct v9x_file *vf = file->private_data;
	struct v9x_dirent de;
	struct v9x_buf b;
	int ret = 0;

	if (mutex_lock_killable(&vf->lock))
		return -EINTR;
	for (;;) {
		if (!vf->dbuf || vf->dcookie != ctx->pos ||
		    vf->dpos >= vf->dlen) {
			void *buf;
			const u8 *data;
			u32 len;

			kvfree(vf->dbuf);
			vf->dbuf = NULL;
			ret = v9x_readdir(vf->fid, ctx->pos, V9X_READDIR_BUFSZ,
					  &buf, &data, &len);
			if (ret)
				break;
			if (!len) {
				kvfree(buf);
				break;
			}
			vf->dbuf = buf;
			vf->dents = data;
			vf->dlen = len;
			vf->dpos = 0;
			vf->dcookie = ctx->pos;
		}

		v9x_buf_init(&b, (void *)vf->dents, vf->dlen);
		b.pos = vf->dpos;
		while (b.pos < b.size) {
			ret = v9x_dec_dirent(&b, &de);
			if (ret) {
				pr_err_ratelimited("malformed directory entry from the server\n");
				ret = -EIO;
				goto out;
			}
			if (!dir_emit(ctx, de.name, de.namelen,
				      (ino_t)de.qid.path, v9x_dtype(de.type)))
				goto out;
			ctx->pos = (loff_t)de.offset;
			vf->dpos = b.pos;
			vf->dcookie = ctx->pos;
		}
	}
out:
	mutex_unlock(&vf->lock);
	return ret;
}

const struct inode_operations v9x_dir_iops = {
	.lookup = v9x_lookup,
	.getattr = v9x_vfs_getattr,
};

const struct inode_operations v9x_file_iops = {
	.getattr = v9x_vfs_getattr,
};

const struct inode_operations v9x_symlink_iops = {
	.get_link = v9x_get_link,
	.getattr = v9x_vfs_getattr,
};

const struct file_operations v9x_dir_fops = {
	.owner = THIS_MODULE,
	.open = v9x_open,
	.release = v9x_release,
	.read = generic_read_dir,
	.iterate_shared = v9x_iterate,
	.llseek = generic_file_llseek,
};

const struct file_operations v9x_file_fops = {
	.owner = THIS_MODULE,
	.open = v9x_open,
	.release = v9x_release,
	.read_iter = v9x_file_read_iter,
	.llseek = generic_file_llseek,
	.mmap = generic_file_readonly_mmap,
	.splice_read = v9x_splice_read,
};

const struct address_space_operations v9x_aops = {
	.read_folio = v9x_read_folio,
};
