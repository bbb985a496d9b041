// SPDX-License-Identifier: GPL-2.0
/*
 * Open files: open-flag translation, struct v9x_file, the inode's writeback
 * fid, open-time (close-to-open) revalidation, direct read and write, close,
 * mmap, fsync, locks, and v9x_file_fops. Calls the client and fid.c.
 *
 * Coherence (cache=none): read()/write() go to the server every time. Only
 * mmap reads go through the page cache, which is dropped at each open and
 * over the range of each write. In a caching mode the page cache is
 * revalidated at open: if the server's mtime or size differ from when it
 * was last checked, the cached pages are written back and dropped.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/utsname.h>
#include <linux/writeback.h>

#include "compat.h"
#include "internal.h"

/**
 * v9x_dotl_flags - open flags as 9P2000.L carries them
 * @flags: the open(2) flags
 *
 * The client handles O_TRUNC (setattr) and O_DIRECT (it never caches)
 * itself, so the server does not see them.
 *
 * Return: the Tlopen/Tlcreate flags.
 */
u32 v9x_dotl_flags(unsigned int flags)
{
	static const struct {
		unsigned int open;
		u32 dotl;
	} map[] = {
		{ O_EXCL, V9X_DOTL_EXCL },
		{ O_NOCTTY, V9X_DOTL_NOCTTY },
		{ O_APPEND, V9X_DOTL_APPEND },
		{ O_NONBLOCK, V9X_DOTL_NONBLOCK },
		{ O_DSYNC, V9X_DOTL_DSYNC },
		{ O_LARGEFILE, V9X_DOTL_LARGEFILE },
		{ O_DIRECTORY, V9X_DOTL_DIRECTORY },
		{ O_NOFOLLOW, V9X_DOTL_NOFOLLOW },
		{ O_NOATIME, V9X_DOTL_NOATIME },
		{ __O_SYNC, V9X_DOTL_SYNC },
	};
	u32 dotl;
	int i;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		dotl = V9X_DOTL_WRONLY;
		break;
	case O_RDWR:
		dotl = V9X_DOTL_RDWR;
		break;
	default:
		dotl = V9X_DOTL_RDONLY;
		break;
	}
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (flags & map[i].open)
			dotl |= map[i].dotl;
	return dotl;
}

/**
 * v9x_file_alloc - allocate an open file's state
 * @fid: the opened fid; the file state takes over the caller's reference
 *
 * Return: the new state, or NULL.
 */
struct v9x_file *v9x_file_alloc(struct v9x_fid *fid)
{
	struct v9x_file *vf = kzalloc(sizeof(*vf), GFP_KERNEL);

	if (!vf)
		return NULL;
	mutex_init(&vf->lock);
	INIT_LIST_HEAD(&vf->node);
	vf->fid = fid;
	return vf;
}

/**
 * v9x_file_attach - make @vf the file's state and list it on the inode
 * @inode: the opened inode
 * @file: the file being opened
 * @vf: its state from v9x_file_alloc()
 */
void v9x_file_attach(struct inode *inode, struct file *file,
		     struct v9x_file *vf)
{
	struct v9x_inode *vi = V9X_I(inode);

	file->private_data = vf;
	file->f_mode |= FMODE_CAN_ODIRECT;
	spin_lock(&vi->open_lock);
	list_add_tail(&vf->node, &vi->open_files);
	spin_unlock(&vi->open_lock);
}

/*
 * The inode's writeback fid: opened read-write if the server lets this
 * user, else write-only, and without O_APPEND, so that dirty pages go back
 * where they belong whoever dirtied them.
 */
static void v9x_wb_fid_set(struct inode *inode, struct v9x_fid *fid,
			   bool readable)
{
	struct v9x_inode *vi = V9X_I(inode);

	spin_lock(&vi->open_lock);
	if (!vi->wb_fid) {
		vi->wb_fid = v9x_fid_get(fid);
		vi->wb_readable = readable;
	}
	spin_unlock(&vi->open_lock);
}

static int v9x_wb_fid_ensure(struct inode *inode, struct dentry *dentry)
{
	struct v9x_fid *fid;
	bool readable = true;
	int ret;

	if (READ_ONCE(V9X_I(inode)->wb_fid))
		return 0;
	ret = v9x_dentry_clone(dentry, &fid);
	if (ret)
		return ret;
	ret = v9x_client_lopen(fid, V9X_DOTL_RDWR);
	if (ret == -EACCES || ret == -EPERM) {
		readable = false;
		ret = v9x_client_lopen(fid, V9X_DOTL_WRONLY);
	}
	if (!ret)
		v9x_wb_fid_set(inode, fid, readable);
	v9x_fid_put(fid);
	return ret;
}

/**
 * v9x_wb_fid_get - a reference on the inode's writeback fid
 * @inode: the inode
 * @need_read: only a writeback fid opened read-write will do
 *
 * Return: the reference, or NULL.
 */
struct v9x_fid *v9x_wb_fid_get(struct inode *inode, bool need_read)
{
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_fid *fid = NULL;

	spin_lock(&vi->open_lock);
	if (vi->wb_fid && (!need_read || vi->wb_readable))
		fid = v9x_fid_get(vi->wb_fid);
	spin_unlock(&vi->open_lock);
	return fid;
}

/*
 * Record what the server said (@st, or nothing: NULL) as the page cache's
 * validation stamp. The caller holds the inode lock, which serializes the
 * stamp's readers and writers.
 */
static void v9x_cache_stamp(struct inode *inode, const struct v9x_stat *st)
{
	struct v9x_inode *vi = V9X_I(inode);

	lockdep_assert_held(&inode->i_rwsem);
	if (st) {
		vi->cache_mtime = v9x_ts(st->mtime_sec, st->mtime_nsec);
		vi->cache_size = st->size;
		vi->cache_version = st->qid.version;
	} else {
		vi->cache_size = -1;
	}
}

/*
 * Close-to-open: if the server's mtime, size or qid.version moved since the
 * page cache was last checked, write back what is dirty and drop the rest.
 * A qid.version of 0 is the server saying the file cannot be cached (9P):
 * its pages are never kept from one open to the next. QEMU derives the
 * version from the mtime's seconds and the size, so the nanosecond mtime
 * is the finer check there; a server that counts changes in it is caught
 * by the version even when mtime and size come back the same.
 */
static void v9x_revalidate_pages(struct inode *inode, struct v9x_fid *fid)
{
	struct v9x_inode *vi = V9X_I(inode);
	struct timespec64 mtime;
	struct v9x_stat st;
	int ret;

	ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
	inode_lock(inode);
	if (!ret) {
		v9x_inode_update(inode, &st);
		mtime = v9x_ts(st.mtime_sec, st.mtime_nsec);
		if (timespec64_equal(&mtime, &vi->cache_mtime) &&
		    st.size == vi->cache_size && st.qid.version &&
		    st.qid.version == vi->cache_version)
			goto out;
	}
	if (inode->i_mapping->nrpages) {
		filemap_write_and_wait(inode->i_mapping);
		invalidate_inode_pages2(inode->i_mapping);
	}
	v9x_cache_stamp(inode, ret ? NULL : &st);
out:
	inode_unlock(inode);
}

/**
 * v9x_cache_open - the caching modes' part of opening a regular file
 * @inode: the opened inode
 * @file: the file
 * @vf: its state
 *
 * A writer makes sure the inode has a writeback fid, and the page cache is
 * revalidated. A file this open created has no pages to check, and its own
 * fid, opened for writing without O_APPEND, can be the writeback fid.
 *
 * Return: 0 or a negative errno.
 */
int v9x_cache_open(struct inode *inode, struct file *file,
		   struct v9x_file *vf)
{
	enum v9x_cache mode = v9x_cache_mode(inode);
	bool created = file->f_mode & FMODE_CREATED;
	int ret;

	if (mode == V9X_CACHE_NONE || !S_ISREG(inode->i_mode))
		return 0;
	if (file->f_mode & FMODE_WRITE) {
		if (created && !(file->f_flags & O_APPEND))
			v9x_wb_fid_set(inode, vf->fid, vf->fid_read);
		ret = v9x_wb_fid_ensure(inode, file_dentry(file));
		if (ret)
			return ret;
		if (mode == V9X_CACHE_LOOSE &&
		    (vf->fid_read || V9X_I(inode)->wb_readable)) {
			vf->buffered = true;
			atomic_inc(&V9X_I(inode)->writers);
		}
	}
	if (!created)
		v9x_revalidate_pages(inode, vf->fid);
	return 0;
}

/**
 * v9x_upgrade_wronly - should a write-only open ask for read access too?
 * @inode: the directory or file being opened
 * @flags: the open(2) flags
 *
 * With cache=loose a write-only open of a regular file asks the server for
 * read access too: buffered writes of part of a folio read the rest in.
 *
 * Return: true to try a read-write open first.
 */
bool v9x_upgrade_wronly(struct inode *inode, unsigned int flags)
{
	return v9x_cache_mode(inode) == V9X_CACHE_LOOSE &&
	       (flags & O_ACCMODE) == O_WRONLY;
}

/**
 * v9x_dotl_rdwr - the same 9P2000.L open flags, read-write
 * @dotl: flags from v9x_dotl_flags()
 *
 * Return: @dotl with the access mode replaced by read-write.
 */
u32 v9x_dotl_rdwr(u32 dotl)
{
	return (dotl & ~V9X_DOTL_WRONLY) | V9X_DOTL_RDWR;
}

/**
 * v9x_vfs_open - ->open() of files and directories
 * @inode: the inode
 * @file: the file
 *
 * Clones the opener's fid of the dentry and opens it with Tlopen; a
 * directory may instead take the opened fid its last close kept.
 *
 * Return: 0 or a negative errno.
 */
int v9x_vfs_open(struct inode *inode, struct file *file)
{
	u32 dotl = v9x_dotl_flags(file->f_flags);
	bool fid_read = file->f_mode & FMODE_READ;
	struct v9x_fid *fid;
	struct v9x_file *vf;
	int ret;

	/* A path ending in "." or "..": the directories on its way. */
	ret = v9x_checks_settle(inode->i_sb, file->f_path.dentry);
	if (ret)
		return ret;
	if (S_ISDIR(inode->i_mode)) {
		fid = v9x_dir_fid_take(inode, file_dentry(file));
		if (fid)
			goto have_fid;
	}
	ret = v9x_dentry_clone(file_dentry(file), &fid);
	if (ret)
		return ret;
	ret = -EACCES;	/* unless upgraded: open as asked, below */
	if (S_ISREG(inode->i_mode) && v9x_upgrade_wronly(inode, file->f_flags)) {
		ret = v9x_client_lopen(fid, v9x_dotl_rdwr(dotl));
		fid_read = !ret;
	}
	if (ret == -EACCES || ret == -EPERM)
		ret = v9x_client_lopen(fid, dotl);
	if (ret)
		goto out_put;
	/*
	 * A cached name the server has since given to another file: the VFS
	 * retries the open with LOOKUP_REVAL, which looks the name up again.
	 */
	if (v9x_cache_mode(inode) != V9X_CACHE_NONE &&
	    fid->qid.path != V9X_I(inode)->qid.path) {
		ret = -ESTALE;
		goto out_put;
	}
have_fid:
	vf = v9x_file_alloc(fid);
	if (!vf) {
		ret = -ENOMEM;
		goto out_put;
	}
	vf->fid_read = fid_read;
	if (v9x_cache_mode(inode) != V9X_CACHE_NONE) {
		ret = v9x_cache_open(inode, file, vf);
		if (ret)
			goto out_free;
	} else if (S_ISREG(inode->i_mode) && inode->i_mapping->nrpages) {
		invalidate_inode_pages2(inode->i_mapping);
	}
	v9x_file_attach(inode, file, vf);
	return 0;

out_free:
	kfree(vf);
out_put:
	v9x_fid_put(fid);
	return ret;
}

/**
 * v9x_vfs_release - ->release() of files and directories
 * @inode: the inode
 * @file: the file; its fid is put
 *
 * Return: 0.
 */
int v9x_vfs_release(struct inode *inode, struct file *file)
{
	struct v9x_file *vf = file->private_data;
	struct v9x_inode *vi = V9X_I(inode);

	spin_lock(&vi->open_lock);
	list_del(&vf->node);
	spin_unlock(&vi->open_lock);
	if (vf->buffered)
		atomic_dec(&vi->writers);
	if (!S_ISDIR(inode->i_mode) ||
	    !v9x_dir_fid_keep(inode, vf->fid, file_dentry(file)))
		v9x_fid_put(vf->fid);
	kvfree(vf->dbuf);
	mutex_destroy(&vf->lock);
	kfree(vf);
	return 0;
}

/* Read straight from the server into the caller's buffer. */
static ssize_t v9x_direct_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct v9x_file *vf = file->private_data;
	loff_t pos = iocb->ki_pos;
	ssize_t total = 0, n = 0;
	bool eof = false;

	if (pos < 0)
		return -EINVAL;
	/* Dirty cached pages the read covers must reach the server first. */
	if (file->f_mapping->nrpages && iov_iter_count(to)) {
		n = filemap_write_and_wait_range(file->f_mapping, pos,
						 pos + iov_iter_count(to) - 1);
		if (n)
			return n;
	}
	while (iov_iter_count(to) && !eof) {
		n = v9x_client_read(vf->fid, pos, to, &eof);
		if (n <= 0)
			break;
		pos += n;
		total += n;
	}
	iocb->ki_pos = pos;
	return total ? total : n;
}

static ssize_t v9x_vfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	enum v9x_cache mode = v9x_cache_mode(file_inode(iocb->ki_filp));

	if (!(iocb->ki_flags & IOCB_DIRECT) &&
	    (mode == V9X_CACHE_READAHEAD || mode == V9X_CACHE_LOOSE))
		return generic_file_read_iter(iocb, to);
	return v9x_direct_read(iocb, to);
}

/**
 * v9x_io_fid - the fid page-cache I/O of @inode uses
 * @inode: the inode
 * @file: the file the I/O is for, or NULL
 *
 * The file's own fid, else (no file, or a write-only one filling a folio)
 * the writeback fid, else any open fid.
 *
 * Return: a reference, or NULL.
 */
struct v9x_fid *v9x_io_fid(struct inode *inode, struct file *file)
{
	struct v9x_fid *fid;

	if (file && file->private_data &&
	    ((struct v9x_file *)file->private_data)->fid_read)
		return v9x_fid_get(((struct v9x_file *)file->private_data)->fid);
	fid = v9x_wb_fid_get(inode, true);
	if (!fid)
		fid = v9x_inode_open_fid(inode);
	return fid;
}

/* Write straight to the server from the caller's buffer. */
static ssize_t v9x_direct_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	struct v9x_file *vf = file->private_data;
	ssize_t total = 0, n = 0;
	struct v9x_stat st;
	loff_t pos, start;

	inode_lock(inode);
	if (iocb->ki_flags & IOCB_APPEND) {
		/* Append where the server's file ends now, not where it did. */
		n = filemap_write_and_wait(inode->i_mapping);
		if (!n)
			n = v9x_client_getattr(vf->fid, V9X_GETATTR_BASIC, &st);
		if (n)
			goto out_unlock;
		v9x_inode_update(inode, &st);
	}
	n = generic_write_checks(iocb, from);
	if (n <= 0)
		goto out_unlock;
	n = file_remove_privs(file);
	if (n)
		goto out_unlock;

	start = iocb->ki_pos;
	pos = start;
	/* Dirty cached pages under the write must not land on top of it. */
	if (inode->i_mapping->nrpages) {
		n = filemap_write_and_wait_range(inode->i_mapping, start,
						 start + iov_iter_count(from) - 1);
		if (n)
			goto out_unlock;
	}
	while (iov_iter_count(from)) {
		n = v9x_client_write(vf->fid, pos, from);
		if (n <= 0)
			break;
		pos += n;
		total += n;
	}
	if (total) {
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
		/* Cached readers must not see the old bytes. */
		if (inode->i_mapping->nrpages)
			invalidate_inode_pages2_range(inode->i_mapping,
						      start >> PAGE_SHIFT,
						      (pos - 1) >> PAGE_SHIFT);
		iocb->ki_pos = pos;
		v9x_attr_stale(inode);
	}
out_unlock:
	inode_unlock(inode);
	if (total)
		return generic_write_sync(iocb, total);
	return n;
}

static ssize_t v9x_vfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct v9x_file *vf = iocb->ki_filp->private_data;

	if (vf->buffered && !(iocb->ki_flags & IOCB_DIRECT))
		return generic_file_write_iter(iocb, from);
	return v9x_direct_write(iocb, from);
}

/*
 * Close: in a caching mode a writer's dirty pages go to the server now, and
 * their errors are the close's. A buffered writer then takes the server's
 * new mtime and size as the page cache's validation stamp, so that the
 * next open keeps the pages.
 */
static int v9x_vfs_flush(struct file *file, fl_owner_t id)
{
	struct inode *inode = file_inode(file);
	struct v9x_file *vf = file->private_data;
	struct v9x_stat st;
	int ret;

	if (!(file->f_mode & FMODE_WRITE) ||
	    v9x_cache_mode(inode) == V9X_CACHE_NONE)
		return 0;
	ret = filemap_write_and_wait(inode->i_mapping);
	if (ret || !vf->wrote)
		return ret;
	vf->wrote = false;
	if (v9x_client_getattr(vf->fid, V9X_GETATTR_BASIC, &st))
		return 0;
	inode_lock(inode);
	v9x_inode_update(inode, &st);
	v9x_cache_stamp(inode, &st);
	inode_unlock(inode);
	return 0;
}

/*
 * Shared writable mappings need dirty-page writeback, which the caching
 * modes have; cache=none maps read-only.
 */
static int v9x_vfs_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(file);

	if (v9x_cache_mode(inode) != V9X_CACHE_NONE)
		return generic_file_mmap(file, vma);
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE)) {
		v9x_sb_info(inode->i_sb, "shared writable mmap needs cache=mmap, readahead or loose\n");
		return -EINVAL;
	}
	return generic_file_readonly_mmap(file, vma);
}

/**
 * v9x_vfs_fsync - ->fsync() of files and directories
 * @file: the file
 * @start: first byte to write back
 * @end: last byte to write back
 * @datasync: only the data (Tfsync's datasync)
 *
 * Return: 0 or a negative errno.
 */
int v9x_vfs_fsync(struct file *file, loff_t start, loff_t end,
		  int datasync)
{
	struct v9x_file *vf = file->private_data;
	int ret;

	ret = file_write_and_wait_range(file, start, end);
	if (ret)
		return ret;
	return v9x_client_fsync(vf->fid, datasync);
}

/*
 * POSIX locks: the guest's own lock table decides conflicts between guest
 * processes (waits there are interruptible); the server is told too, so
 * that a server which enforces locks sees them. A server reply of BLOCKED is
 * retried until granted or the caller is killed.
 */
/*
 * The lock owner's client id is the guest's host name. init_utsname(), not
 * utsname(): a task unlocking from do_exit() has no namespaces any more.
 */
static int v9x_lock_server(struct file *file, struct file_lock *fl, int cmd)
{
	struct v9x_file *vf = file->private_data;
	struct v9x_flock p = {
		.start = fl->fl_start,
		.length = fl->fl_end == OFFSET_MAX ? 0 :
			  fl->fl_end - fl->fl_start + 1,
		.proc_id = v9x_fl_pid(fl),
		.client_id = init_utsname()->nodename,
	};
	u8 status;
	int ret;

	switch (v9x_fl_type(fl)) {
	case F_RDLCK:
		p.type = V9X_LOCK_TYPE_RDLCK;
		break;
	case F_WRLCK:
		p.type = V9X_LOCK_TYPE_WRLCK;
		break;
	default:
		p.type = V9X_LOCK_TYPE_UNLCK;
		break;
	}
	if (IS_SETLKW(cmd))
		p.flags = V9X_LOCK_FLAGS_BLOCK;
	for (;;) {
		ret = v9x_client_lock(vf->fid, &p, &status);
		if (ret)
			return ret;
		if (status == V9X_LOCK_SUCCESS)
			return 0;
		if (status != V9X_LOCK_BLOCKED || !IS_SETLKW(cmd))
			return status == V9X_LOCK_BLOCKED ? -EAGAIN : -ENOLCK;
		if (schedule_timeout_killable(HZ / 10) && fatal_signal_pending(current))
			return -EINTR;
	}
}

/* The most pieces of its own locks a caller may have in one lock's range. */
#define V9X_LOCK_SNAP_MAX	16

/* One piece of the caller's own locks within a range, as it was. */
struct v9x_lock_snap {
	loff_t start;
	loff_t end;
	unsigned char type;
};

/*
 * Record the caller's own POSIX locks within @fl's range before changing
 * them, so that a change the server refuses can be undone exactly (a
 * refused upgrade keeps the read lock). One owner's locks never overlap
 * and the context keeps them sorted by start.
 *
 * Return: the number of pieces, or -ENOLCK when there are too many.
 */
static int v9x_lock_snapshot(struct file *file, const struct file_lock *fl,
			     struct v9x_lock_snap *snap)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(file));
	struct file_lock *cur;
	int n = 0;

	if (!ctx)
		return 0;
	spin_lock(&ctx->flc_lock);
	v9x_for_each_posix_lock(cur, ctx) {
		if (v9x_fl_owner(cur) != v9x_fl_owner(fl) ||
		    cur->fl_end < fl->fl_start || cur->fl_start > fl->fl_end)
			continue;
		if (n == V9X_LOCK_SNAP_MAX) {
			n = -ENOLCK;
			break;
		}
		snap[n].start = max(cur->fl_start, fl->fl_start);
		snap[n].end = min(cur->fl_end, fl->fl_end);
		snap[n++].type = v9x_fl_type(cur);
	}
	spin_unlock(&ctx->flc_lock);
	return n;
}

/* Set [@start, @end] of the caller's locks to @type (F_UNLCK: none). */
static void v9x_lock_set_range(struct file *file, struct file_lock *fl,
			       loff_t start, loff_t end, unsigned char type)
{
	fl->fl_start = start;
	fl->fl_end = end;
	v9x_fl_set_type(fl, type);
	locks_lock_file_wait(file, fl);
}

/*
 * Put the caller's locks within @fl's range back as @snap recorded them.
 * The caller holds the new lock over the whole range, so nobody else holds
 * any part of it: turning pieces back into read locks and unlocking the
 * gaps never waits.
 */
static void v9x_lock_restore(struct file *file, struct file_lock *fl,
			     const struct v9x_lock_snap *snap, int n)
{
	loff_t start = fl->fl_start, end = fl->fl_end, pos = start;
	unsigned char type = v9x_fl_type(fl);
	int i;

	for (i = 0; i < n; i++) {
		if (snap[i].start > pos)
			v9x_lock_set_range(file, fl, pos, snap[i].start - 1,
					   F_UNLCK);
		v9x_lock_set_range(file, fl, snap[i].start, snap[i].end,
				   snap[i].type);
		if (snap[i].end == OFFSET_MAX)
			break;
		pos = snap[i].end + 1;
	}
	if ((!n || snap[n - 1].end != OFFSET_MAX) && pos <= end)
		v9x_lock_set_range(file, fl, pos, end, F_UNLCK);
	fl->fl_start = start;
	fl->fl_end = end;
	v9x_fl_set_type(fl, type);
}

static int v9x_vfs_lock(struct file *file, int cmd, struct file_lock *fl)
{
	struct v9x_lock_snap snap[V9X_LOCK_SNAP_MAX];
	struct v9x_file *vf = file->private_data;
	struct v9x_flock p;
	unsigned char type;
	int ret, n = 0;

	if (!v9x_fl_is_posix(fl))
		return -ENOLCK;

	type = v9x_fl_type(fl);
	if (IS_GETLK(cmd)) {
		posix_test_lock(file, fl);
		if (v9x_fl_type(fl) != F_UNLCK)
			return 0;
		/* No conflict in the guest: ask the server, for the type asked. */
		p = (struct v9x_flock) {
			.type = type == F_RDLCK ? V9X_LOCK_TYPE_RDLCK :
						  V9X_LOCK_TYPE_WRLCK,
			.start = fl->fl_start,
			.length = fl->fl_end == OFFSET_MAX ? 0 :
				  fl->fl_end - fl->fl_start + 1,
			.proc_id = v9x_fl_pid(fl),
			.client_id = init_utsname()->nodename,
		};
		ret = v9x_client_getlock(vf->fid, &p);
		if (ret)
			return ret;
		if (p.type != V9X_LOCK_TYPE_UNLCK) {
			v9x_fl_set_type(fl, p.type == V9X_LOCK_TYPE_RDLCK ?
					F_RDLCK : F_WRLCK);
			fl->fl_start = p.start;
			fl->fl_end = p.length ? p.start + p.length - 1 :
						OFFSET_MAX;
			v9x_fl_set_pid(fl, p.proc_id);
		}
		return 0;
	}

	if (type != F_UNLCK) {
		n = v9x_lock_snapshot(file, fl, snap);
		if (n < 0)
			return n;
	}
	ret = locks_lock_file_wait(file, fl);
	if (ret)
		return ret;
	ret = v9x_lock_server(file, fl, cmd);
	if (ret && type != F_UNLCK) {
		/*
		 * The server refused: the caller's locks over the range go
		 * back to what they were, which the server still has, not to
		 * none. (The snapshot is from before an F_SETLKW wait: another
		 * thread of the same owner changing its locks in the range
		 * meanwhile would be undone as well.)
		 */
		v9x_lock_restore(file, fl, snap, n);
	}
	return ret;
}

/* flock(2) locks are the guest's own: 9P has no whole-file lock semantics. */
static int v9x_vfs_flock(struct file *file, int cmd, struct file_lock *fl)
{
	return locks_lock_file_wait(file, fl);
}

const struct file_operations v9x_file_fops = {
	.owner = THIS_MODULE,
	.open = v9x_vfs_open,
	.release = v9x_vfs_release,
	.read_iter = v9x_vfs_read_iter,
	.write_iter = v9x_vfs_write_iter,
	.llseek = generic_file_llseek,
	.mmap = v9x_vfs_mmap,
	.flush = v9x_vfs_flush,
	.splice_read = v9x_splice_read,
	.splice_write = iter_file_splice_write,
	.fsync = v9x_vfs_fsync,
	.lock = v9x_vfs_lock,
	.flock = v9x_vfs_flock,
};
