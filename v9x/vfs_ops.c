// SPDX-License-Identifier: GPL-2.0
/*
 * Inode, dentry, file and address-space operations of v9x.
 *
 * Fid ownership: a positive dentry owns the fids that name its file (a
 * list in d_fsdata, clunked in d_iput/d_release): one per user that used the
 * dentry, each walked from that user's own Tattach, so that the server acts
 * as that user (owner of new files, its own permission checks); with
 * access=any, one fid of the mount's single session. A dentry gets its fid
 * when first used if it has none (a file created through open).
 * Every open file owns a fid cloned from its opener's dentry fid and opened
 * with Tlopen (private_data, clunked at release). Operations take a
 * reference on the fid they use (v9x_dentry_fid()), so it cannot go away
 * under them.
 *
 * Coherence (cache=none): dentries are not kept once unused, every stat asks
 * the server, and read()/write() go to the server every time. Only mmap
 * reads go through the page cache, which is dropped at each open and over
 * the range of each write.
 *
 * Caching modes (see enum v9x_cache) keep dentries and inodes, and trust
 * them for actimeo seconds: then a dentry is revalidated with one Tgetattr
 * of its fid (which fails, or shows another qid, once the name is gone or
 * reused). The page cache is revalidated at open (close-to-open): if the
 * server's mtime or size differ from when it was last checked, the cached
 * pages are written back and dropped. Dirty pages go to the server through
 * the inode's writeback fid (v9x_inode.wb_fid), batched into runs of up to
 * V9X_IO_DEPTH messages, at writeback, fsync and close.
 *
 * Open-unlink: an open file stays on its inode's open_files list; once its
 * last name is gone, stat and truncate use an open fid, which still reaches
 * the file on the server.
 */

#include <linux/bvec.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/xattr.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/uio.h>
#include <linux/utsname.h>
#include <linux/writeback.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>

#include "compat.h"
#include "internal.h"

/**
 * struct v9x_file - per open file state
 * @fid: the opened fid
 * @node: entry in the inode's open_files, under v9x_inode.open_lock
 * @lock: protects the readdir cache below (iterate_shared may run
 *	concurrently on one file)
 * @dbuf: the last Treaddir reply buffer, or NULL
 * @dents: the entries inside @dbuf
 * @dlen: bytes of entries
 * @dpos: offset in @dents of the next entry not yet emitted
 * @dcookie: the directory position (ctx->pos) that @dpos corresponds to
 * @buffered: write(2) goes through the page cache (cache=loose), and the
 *	file counts in v9x_inode.writers
 * @wrote: a buffered write happened (close then refreshes the page cache's
 *	validation stamp)
 * @fid_read: @fid was opened for reading (an O_WRONLY open is upgraded
 *	with cache=loose, so that partial folios can be read in)
 */
struct v9x_file {
	struct v9x_fid *fid;
	bool buffered;
	bool wrote;
	bool fid_read;
	struct list_head node;
	struct mutex lock;	/* see above */
	void *dbuf;
	const u8 *dents;
	u32 dlen;
	u32 dpos;
	loff_t dcookie;
};

/* A dentry's fids: d_fsdata is the head of a list, protected by d_lock. */
static struct hlist_head *v9x_dfids(struct dentry *dentry)
{
	return (struct hlist_head *)&dentry->d_fsdata;
}

/* A reference to @dentry's fid for @uid (any fid if @any), or NULL. */
static struct v9x_fid *v9x_dentry_find_fid(struct dentry *dentry, kuid_t uid,
					   bool any)
{
	struct v9x_fid *fid, *found = NULL;

	spin_lock(&dentry->d_lock);
	hlist_for_each_entry(fid, v9x_dfids(dentry), dnode) {
		if (any || uid_eq(fid->uid, uid)) {
			found = v9x_fid_get(fid);
			break;
		}
	}
	spin_unlock(&dentry->d_lock);
	return found;
}

/* @dentry takes over the caller's reference to @fid. */
void v9x_dentry_add_fid(struct dentry *dentry, struct v9x_fid *fid)
{
	spin_lock(&dentry->d_lock);
	hlist_add_head(&fid->dnode, v9x_dfids(dentry));
	spin_unlock(&dentry->d_lock);
}

/*
 * Give @dentry a fid for @uid (any user's with @any: access=any has one
 * session), walked from the nearest ancestor that has one, or from a new
 * Tattach as @uid at the root. One name per step, each step cached on its
 * dentry, so that a user's first access deep in the tree costs one Twalk
 * per level once; a file created through an open gets its name's fid this
 * way on first use too. A rename racing with the walk makes it fail with
 * ENOENT or name the new place, as a path lookup racing with rename would.
 */
static int v9x_user_fid_step(struct dentry *dentry, kuid_t uid, bool any)
{
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	struct dentry *d = dget(dentry), *parent;
	struct v9x_fid *pfid = NULL, *fid;
	struct name_snapshot name;
	const char *wname;
	int ret;

	/* Find the highest dentry on the way up without a fid for @uid. */
	while (!IS_ROOT(d)) {
		parent = dget_parent(d);
		pfid = v9x_dentry_find_fid(parent, uid, any);
		if (pfid) {
			dput(parent);
			break;
		}
		dput(d);
		d = parent;
	}
	if (!pfid && WARN_ON_ONCE(any)) {
		/* The root always holds the shared session's fid. */
		ret = -EIO;
	} else if (!pfid) {
		/* @d is the root and @uid has no session yet. */
		ret = v9x_attach(sbi->clnt, sbi->opts.uname, sbi->opts.aname,
				 from_kuid(&init_user_ns, uid), &fid);
	} else {
		take_dentry_name_snapshot(&name, d);
		wname = name.name.name;
		ret = v9x_walk(pfid, 1, &wname, &fid);
		release_dentry_name_snapshot(&name);
		v9x_fid_put(pfid);
	}
	if (!ret) {
		/* Another task of @uid may have been quicker: keep one. */
		pfid = v9x_dentry_find_fid(d, uid, any);
		if (pfid) {
			v9x_fid_put(fid);
			v9x_fid_put(pfid);
		} else {
			v9x_dentry_add_fid(d, fid);
		}
	}
	dput(d);
	return ret;
}

/**
 * v9x_dentry_fid - the fid to act on @dentry's file as the current user
 * @dentry: a positive dentry, held by the caller
 *
 * Return: a reference the caller puts, or an ERR_PTR.
 */
struct v9x_fid *v9x_dentry_fid(struct dentry *dentry)
{
	bool user = V9X_SB(dentry->d_sb)->opts.access != V9X_ACCESS_ANY;
	kuid_t uid = current_fsuid();
	struct v9x_fid *fid;
	int ret;

	for (;;) {
		fid = v9x_dentry_find_fid(dentry, uid, !user);
		if (fid)
			return fid;
		ret = v9x_user_fid_step(dentry, uid, !user);
		if (ret)
			return ERR_PTR(ret);
	}
}

/* A new fid for @dentry's file (a clone of the current user's), to open. */
static int v9x_dentry_clone(struct dentry *dentry, struct v9x_fid **fidp)
{
	struct v9x_fid *dfid = v9x_dentry_fid(dentry);
	int ret;

	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_walk(dfid, 0, NULL, fidp);
	v9x_fid_put(dfid);
	return ret;
}

/* Put the fids a dentry owns. */
static void v9x_d_release(struct dentry *dentry)
{
	struct hlist_node *tmp;
	struct v9x_fid *fid;
	HLIST_HEAD(fids);

	spin_lock(&dentry->d_lock);
	hlist_move_list(v9x_dfids(dentry), &fids);
	spin_unlock(&dentry->d_lock);
	hlist_for_each_entry_safe(fid, tmp, &fids, dnode) {
		hlist_del(&fid->dnode);
		v9x_fid_put(fid);
	}
}

/*
 * A dentry turning negative (its file unlinked, but the dentry kept) lets
 * go of the fids that named the file: a file created later under the same
 * name gets fids of its own.
 */
static void v9x_d_iput(struct dentry *dentry, struct inode *inode)
{
	v9x_d_release(dentry);
	iput(inode);
}

const struct dentry_operations v9x_dentry_ops = {
	.d_delete = always_delete_dentry,
	.d_iput = v9x_d_iput,
	.d_release = v9x_d_release,
};

/* Trust a name (or its absence) for actimeo from now. */
static void v9x_dentry_fresh(struct dentry *dentry)
{
	dentry->d_time = jiffies + V9X_SB(dentry->d_sb)->actimeo;
}

/* Make @inode's cached attributes stale: the next stat asks the server. */
static void v9x_attr_stale(struct inode *inode)
{
	if (inode)
		WRITE_ONCE(V9X_I(inode)->attr_expire, jiffies);
}

static bool v9x_attr_fresh(struct inode *inode)
{
	if (v9x_cache_mode(inode) == V9X_CACHE_NONE ||
	    !V9X_SB(inode->i_sb)->actimeo)
		return false;
	return time_before(jiffies, READ_ONCE(V9X_I(inode)->attr_expire));
}

/*
 * A cached name is good for actimeo; after that one Tgetattr of its fid
 * says whether the server still has the same file there. An expired
 * negative dentry is looked up again.
 */
static int v9x_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	struct inode *inode;
	struct v9x_fid *fid;
	struct v9x_stat st;
	int ret;

	/* LOOKUP_REVAL: a retry after ESTALE; trust nothing cached. */
	if (sbi->actimeo && !(flags & LOOKUP_REVAL) &&
	    time_before(jiffies, READ_ONCE(dentry->d_time)))
		return 1;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	inode = d_inode(dentry);
	if (!inode)
		return 0;
	fid = v9x_dentry_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid) == -ENOENT ? 0 : PTR_ERR(fid);
	ret = v9x_getattr(fid, V9X_GETATTR_BASIC, &st);
	v9x_fid_put(fid);
	if (ret == -ENOENT || ret == -ESTALE)
		return 0;
	if (ret)
		return ret;
	if (st.qid.path != V9X_I(inode)->qid.path ||
	    (st.mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return 0;
	v9x_inode_update(inode, &st);
	v9x_dentry_fresh(dentry);
	return 1;
}

const struct dentry_operations v9x_cached_dentry_ops = {
	.d_revalidate = v9x_d_revalidate,
	.d_iput = v9x_d_iput,
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
	struct v9x_inode *vi = V9X_I(inode);

	spin_lock(&inode->i_lock);
	/* A mode change on the host may bring back bits a write must strip. */
	if ((inode->i_mode ^ st->mode) & 07777)
		inode->i_flags &= ~S_NOSEC;
	inode->i_mode = (inode->i_mode & S_IFMT) | (st->mode & 07777);
	i_uid_write(inode, st->uid);
	i_gid_write(inode, st->gid);
	set_nlink(inode, min_t(u64, st->nlink, UINT_MAX));
	/* Data the server has not seen yet: the guest's size is the right one. */
	if (!atomic_read(&vi->writers) &&
	    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY) &&
	    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK))
		i_size_write(inode, min_t(u64, st->size, MAX_LFS_FILESIZE));
	inode->i_blocks = st->blocks;
	v9x_inode_set_times(inode, &atime, &mtime, &ctime);
	vi->qid.version = st->qid.version;
	vi->attr_expire = jiffies + V9X_SB(inode->i_sb)->actimeo;
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
	const char *name = dentry->d_name.name;
	struct inode *inode = NULL;
	struct v9x_fid *dfid, *fid;
	struct v9x_stat st;
	int ret;

	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return ERR_CAST(dfid);
	ret = v9x_walk(dfid, 1, &name, &fid);
	v9x_fid_put(dfid);
	v9x_dentry_fresh(dentry);
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
	v9x_dentry_add_fid(dentry, fid);
	return d_splice_alias(inode, dentry);

out_clunk:
	v9x_fid_put(fid);
	return ERR_PTR(ret);
}

/* Borrow an open fid of @inode (for a file whose names are gone), or NULL. */
static struct v9x_fid *v9x_inode_open_fid(struct inode *inode)
{
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_file *vf;
	struct v9x_fid *fid = NULL;

	spin_lock(&vi->open_lock);
	vf = list_first_entry_or_null(&vi->open_files, struct v9x_file, node);
	if (vf)
		fid = v9x_fid_get(vf->fid);
	spin_unlock(&vi->open_lock);
	return fid;
}

/*
 * The fid to act on a dentry's file: its own, or, when the dentry was
 * unlinked while open, an open fid of the inode. Returns a reference or an
 * ERR_PTR.
 */
static struct v9x_fid *v9x_attr_fid(struct dentry *dentry)
{
	struct v9x_fid *fid = NULL;

	if (d_unhashed(dentry) && !IS_ROOT(dentry) && d_really_is_positive(dentry))
		fid = v9x_inode_open_fid(d_inode(dentry));
	return fid ? fid : v9x_dentry_fid(dentry);
}

static int v9x_vfs_getattr(V9X_IDMAP_T *idmap, const struct path *path,
			   struct kstat *stat, u32 request_mask,
			   unsigned int flags)
{
	struct dentry *dentry = path->dentry;
	struct inode *inode = d_inode(dentry);
	struct v9x_fid *fid;
	struct v9x_stat st;
	int ret;

	if (!(flags & AT_STATX_DONT_SYNC) &&
	    ((flags & AT_STATX_FORCE_SYNC) || !v9x_attr_fresh(inode))) {
		fid = v9x_attr_fid(dentry);
		if (IS_ERR(fid))
			return PTR_ERR(fid);
		ret = v9x_getattr(fid, V9X_GETATTR_BASIC, &st);
		v9x_fid_put(fid);
		/*
		 * A server that resolves even open fids by path cannot stat a
		 * file whose last name is gone; what we know is still right.
		 */
		if (!ret)
			v9x_inode_update(inode, &st);
		else if (ret != -ENOENT || !d_unhashed(dentry) || inode->i_nlink)
			return ret;
	}
	v9x_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

static int v9x_vfs_setattr(V9X_IDMAP_T *idmap, struct dentry *dentry,
			   struct iattr *ia)
{
	struct inode *inode = d_inode(dentry);
	struct v9x_iattr p = { 0 };
	struct v9x_fid *fid;
	int ret;

	ret = setattr_prepare(idmap, dentry, ia);
	if (ret)
		return ret;

	if (ia->ia_valid & ATTR_MODE) {
		p.valid |= V9X_ATTR_MODE;
		p.mode = ia->ia_mode;
	}
	if (ia->ia_valid & ATTR_UID) {
		p.valid |= V9X_ATTR_UID;
		p.uid = from_kuid(&init_user_ns, ia->ia_uid);
	}
	if (ia->ia_valid & ATTR_GID) {
		p.valid |= V9X_ATTR_GID;
		p.gid = from_kgid(&init_user_ns, ia->ia_gid);
	}
	if (ia->ia_valid & ATTR_SIZE) {
		p.valid |= V9X_ATTR_SIZE;
		p.size = ia->ia_size;
	}
	if (ia->ia_valid & ATTR_ATIME) {
		p.valid |= V9X_ATTR_ATIME;
		if (ia->ia_valid & ATTR_ATIME_SET) {
			p.valid |= V9X_ATTR_ATIME_SET;
			p.atime_sec = ia->ia_atime.tv_sec;
			p.atime_nsec = ia->ia_atime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_MTIME) {
		p.valid |= V9X_ATTR_MTIME;
		if (ia->ia_valid & ATTR_MTIME_SET) {
			p.valid |= V9X_ATTR_MTIME_SET;
			p.mtime_sec = ia->ia_mtime.tv_sec;
			p.mtime_nsec = ia->ia_mtime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_CTIME)
		p.valid |= V9X_ATTR_CTIME;

	/* Dirty pages must not land beyond the new size after it is set. */
	if ((ia->ia_valid & ATTR_SIZE) && S_ISREG(inode->i_mode) &&
	    v9x_cache_mode(inode) != V9X_CACHE_NONE) {
		ret = filemap_write_and_wait(inode->i_mapping);
		if (ret)
			return ret;
	}

	if ((ia->ia_valid & ATTR_FILE) && ia->ia_file &&
	    ia->ia_file->private_data) {
		struct v9x_file *vf = ia->ia_file->private_data;

		fid = v9x_fid_get(vf->fid);
	} else {
		fid = v9x_attr_fid(dentry);
		if (IS_ERR(fid))
			return PTR_ERR(fid);
	}
	ret = v9x_setattr(fid, &p);
	v9x_fid_put(fid);
	if (ret)
		return ret;

	if ((ia->ia_valid & ATTR_SIZE) && ia->ia_size != i_size_read(inode))
		truncate_setsize(inode, ia->ia_size);
	setattr_copy(idmap, inode, ia);
	v9x_attr_stale(inode);
	return 0;
}

static int v9x_permission(V9X_IDMAP_T *idmap, struct inode *inode, int mask)
{
	const struct v9x_mount_opts *opts = &V9X_SB(inode->i_sb)->opts;

	switch (opts->access) {
	case V9X_ACCESS_ANY:
	case V9X_ACCESS_USER:
		/* Even root may not execute a file without an x bit. */
		if ((mask & MAY_EXEC) && !S_ISDIR(inode->i_mode) &&
		    !(inode->i_mode & 0111))
			return -EACCES;
		return 0;
	case V9X_ACCESS_SINGLE:
		if (!uid_eq(current_fsuid(), opts->access_uid))
			return -EACCES;
		fallthrough;
	case V9X_ACCESS_CLIENT:
	default:
		return generic_permission(idmap, inode, mask);
	}
}

static const char *v9x_get_link(struct dentry *dentry, struct inode *inode,
				struct delayed_call *done)
{
	struct v9x_fid *fid;
	char *target;
	int ret;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	fid = v9x_dentry_fid(dentry);
	if (IS_ERR(fid))
		return ERR_CAST(fid);
	ret = v9x_readlink(fid, &target);
	v9x_fid_put(fid);
	if (ret)
		return ERR_PTR(ret);
	set_delayed_call(done, kfree_link, target);
	return target;
}

/* Open flags as 9P2000.L carries them. The client handles O_TRUNC (setattr)
 * and O_DIRECT (it never caches) itself, so the server does not see them.
 */
static u32 v9x_dotl_flags(unsigned int flags)
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

static struct v9x_file *v9x_file_alloc(struct v9x_fid *fid)
{
	struct v9x_file *vf = kzalloc(sizeof(*vf), GFP_KERNEL);

	if (!vf)
		return NULL;
	mutex_init(&vf->lock);
	INIT_LIST_HEAD(&vf->node);
	vf->fid = fid;
	return vf;
}

/* Make @vf the file's state and list it on the inode. */
static void v9x_file_attach(struct inode *inode, struct file *file,
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
	ret = v9x_lopen(fid, V9X_DOTL_RDWR);
	if (ret == -EACCES || ret == -EPERM) {
		readable = false;
		ret = v9x_lopen(fid, V9X_DOTL_WRONLY);
	}
	if (!ret)
		v9x_wb_fid_set(inode, fid, readable);
	v9x_fid_put(fid);
	return ret;
}

/* A reference on the inode's writeback fid, or NULL. */
static struct v9x_fid *v9x_wb_fid_get(struct inode *inode, bool need_read)
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
 * Close-to-open: if the server's mtime or size moved since the page cache
 * was last checked, write back what is dirty and drop the rest.
 */
static void v9x_revalidate_pages(struct inode *inode, struct v9x_fid *fid)
{
	struct v9x_inode *vi = V9X_I(inode);
	struct timespec64 mtime;
	struct v9x_stat st;
	int ret;

	ret = v9x_getattr(fid, V9X_GETATTR_BASIC, &st);
	inode_lock(inode);
	if (!ret) {
		v9x_inode_update(inode, &st);
		mtime = v9x_ts(st.mtime_sec, st.mtime_nsec);
		if (timespec64_equal(&mtime, &vi->cache_mtime) &&
		    st.size == vi->cache_size)
			goto out;
	}
	if (inode->i_mapping->nrpages) {
		filemap_write_and_wait(inode->i_mapping);
		invalidate_inode_pages2(inode->i_mapping);
	}
	if (!ret) {
		vi->cache_mtime = mtime;
		vi->cache_size = st.size;
	} else {
		vi->cache_size = -1;
	}
out:
	inode_unlock(inode);
}

/*
 * A regular file opened in a caching mode: a writer makes sure the inode
 * has a writeback fid, and the page cache is revalidated. A file this open
 * created has no pages to check, and its own fid, opened for writing
 * without O_APPEND, can be the writeback fid.
 */
static int v9x_cache_open(struct inode *inode, struct file *file,
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

/*
 * With cache=loose a write-only open of a regular file asks the server for
 * read access too: buffered writes of part of a folio read the rest in.
 */
static bool v9x_upgrade_wronly(struct inode *inode, unsigned int flags)
{
	return v9x_cache_mode(inode) == V9X_CACHE_LOOSE &&
	       (flags & O_ACCMODE) == O_WRONLY;
}

static u32 v9x_dotl_rdwr(u32 dotl)
{
	return (dotl & ~V9X_DOTL_WRONLY) | V9X_DOTL_RDWR;
}

static int v9x_open(struct inode *inode, struct file *file)
{
	u32 dotl = v9x_dotl_flags(file->f_flags);
	bool fid_read = file->f_mode & FMODE_READ;
	struct v9x_fid *fid;
	struct v9x_file *vf;
	int ret;

	ret = v9x_dentry_clone(file_dentry(file), &fid);
	if (ret)
		return ret;
	ret = -EACCES;	/* unless upgraded: open as asked, below */
	if (S_ISREG(inode->i_mode) && v9x_upgrade_wronly(inode, file->f_flags)) {
		ret = v9x_lopen(fid, v9x_dotl_rdwr(dotl));
		fid_read = !ret;
	}
	if (ret == -EACCES || ret == -EPERM)
		ret = v9x_lopen(fid, dotl);
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

static int v9x_release(struct inode *inode, struct file *file)
{
	struct v9x_file *vf = file->private_data;
	struct v9x_inode *vi = V9X_I(inode);

	spin_lock(&vi->open_lock);
	list_del(&vf->node);
	spin_unlock(&vi->open_lock);
	if (vf->buffered)
		atomic_dec(&vi->writers);
	v9x_fid_put(vf->fid);
	kvfree(vf->dbuf);
	mutex_destroy(&vf->lock);
	kfree(vf);
	return 0;
}

/* Group for a new file: the directory's if it is setgid, else the caller's. */
static u32 v9x_new_gid(struct inode *dir)
{
	if (dir->i_mode & S_ISGID)
		return from_kgid(&init_user_ns, dir->i_gid);
	return from_kgid(&init_user_ns, current_fsgid());
}

/*
 * After the server created @dentry's name: walk to it, fetch its attributes
 * and make @dentry positive, owning the new fid.
 */
static int v9x_instantiate(struct inode *dir, struct dentry *dentry)
{
	const char *name = dentry->d_name.name;
	struct v9x_fid *dfid, *fid;
	struct v9x_stat st;
	struct inode *inode;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_walk(dfid, 1, &name, &fid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_getattr(fid, V9X_GETATTR_BASIC, &st);
	if (ret)
		goto out_put;
	inode = v9x_iget(dir->i_sb, &st);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out_put;
	}
	v9x_dentry_add_fid(dentry, fid);
	v9x_dentry_fresh(dentry);
	d_instantiate(dentry, inode);
	v9x_attr_stale(dir);
	return 0;

out_put:
	v9x_fid_put(fid);
	return ret;
}

/*
 * After Tlcreate turned @ofid into the new file, open: its attributes come
 * from @ofid, and the name gets a fid of its own only when first used
 * (v9x_dentry_fid()), which saves a Twalk and a Tclunk per created file.
 */
static int v9x_instantiate_open(struct inode *dir, struct dentry *dentry,
				struct v9x_fid *ofid)
{
	struct v9x_stat st;
	struct inode *inode;
	int ret;

	ret = v9x_getattr(ofid, V9X_GETATTR_BASIC, &st);
	if (ret)
		return ret;
	inode = v9x_iget(dir->i_sb, &st);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	/*
	 * A file just created has no security.capability and, unless the
	 * server gave it one, no set-id bit: nothing a write must strip, so
	 * the first write need not ask the server for the xattr.
	 */
	spin_lock(&inode->i_lock);
	if (S_ISREG(inode->i_mode) && !(inode->i_mode & (S_ISUID | S_ISGID)))
		inode->i_flags |= S_NOSEC;
	spin_unlock(&inode->i_lock);
	v9x_dentry_fresh(dentry);
	/* An exclusive create may skip the lookup: the name is still in it. */
	if (d_in_lookup(dentry))
		d_add(dentry, inode);
	else
		d_instantiate(dentry, inode);
	v9x_attr_stale(dir);
	return 0;
}

static int v9x_finish_open_fn(struct inode *inode, struct file *file)
{
	/* private_data was set by v9x_atomic_open(). */
	file->f_mode |= FMODE_CAN_ODIRECT;
	return 0;
}

/*
 * An exclusive create that skipped the lookup failed with @err: POSIX puts
 * EEXIST before other errors (a read-only export refuses with EROFS even
 * for a name that exists), so ask whether the name exists after all.
 */
static int v9x_excl_error(struct inode *dir, struct dentry *dentry, int err)
{
	struct dentry *res = v9x_lookup(dir, dentry, 0);
	bool exists;

	if (IS_ERR(res))
		return err;
	exists = d_really_is_positive(res ? res : dentry);
	dput(res);
	return exists ? -EEXIST : err;
}

static int v9x_atomic_open(struct inode *dir, struct dentry *dentry,
			   struct file *file, unsigned int flags, umode_t mode)
{
	struct dentry *res = NULL;
	struct v9x_fid *ofid;
	struct v9x_file *vf;
	bool fid_read;
	int ret;

	/*
	 * O_CREAT|O_EXCL on a name the dcache does not know: no Twalk first,
	 * Tlcreate's EEXIST answers what the lookup would have. The VFS took
	 * O_CREAT out if the caller may not create here.
	 */
	if (d_in_lookup(dentry) &&
	    (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		if (dentry->d_name.len > NAME_MAX)
			return -ENAMETOOLONG;
		goto create;
	}
	if (d_in_lookup(dentry)) {
		res = v9x_lookup(dir, dentry, 0);
		if (IS_ERR(res))
			return PTR_ERR(res);
		if (res)
			dentry = res;
	}
	if (!(flags & O_CREAT) || d_really_is_positive(dentry))
		return finish_no_open(file, res);

create:
	ret = v9x_dentry_clone(dentry->d_parent, &ofid);
	if (ret)
		goto out_dput;
	fid_read = (flags & O_ACCMODE) != O_WRONLY;
	ret = -EACCES;	/* unless upgraded: create as asked, below */
	if (v9x_upgrade_wronly(dir, flags)) {
		ret = v9x_lcreate(ofid, dentry->d_name.name,
				  v9x_dotl_rdwr(v9x_dotl_flags(flags)),
				  mode & S_IALLUGO, v9x_new_gid(dir));
		fid_read = !ret;
	}
	if (ret == -EACCES || ret == -EPERM)
		ret = v9x_lcreate(ofid, dentry->d_name.name,
				  v9x_dotl_flags(flags), mode & S_IALLUGO,
				  v9x_new_gid(dir));
	if (ret && ret != -EEXIST && d_in_lookup(dentry)) {
		v9x_fid_put(ofid);
		return v9x_excl_error(dir, dentry, ret);
	}
	if (ret)
		goto out_put_ofid;
	ret = v9x_instantiate_open(dir, dentry, ofid);
	if (ret)
		goto out_put_ofid;

	vf = v9x_file_alloc(ofid);
	if (!vf) {
		ret = -ENOMEM;
		goto out_put_ofid;
	}
	vf->fid_read = fid_read;
	file->f_mode |= FMODE_CREATED;
	file->private_data = vf;
	ret = finish_open(file, dentry, v9x_finish_open_fn);
	if (ret) {
		file->private_data = NULL;
		kfree(vf);
		goto out_put_ofid;
	}
	/* From here fput() releases the file (and its fid) on failure. */
	v9x_file_attach(d_inode(dentry), file, vf);
	ret = v9x_cache_open(d_inode(dentry), file, vf);
	if (ret) {
		dput(res);
		return ret;
	}
	dput(res);
	return 0;

out_put_ofid:
	v9x_fid_put(ofid);
out_dput:
	dput(res);
	return ret;
}

static int v9x_create(V9X_IDMAP_T *idmap, struct inode *dir,
		      struct dentry *dentry, umode_t mode, bool excl)
{
	struct v9x_fid *ofid;
	int ret;

	ret = v9x_dentry_clone(dentry->d_parent, &ofid);
	if (ret)
		return ret;
	ret = v9x_lcreate(ofid, dentry->d_name.name,
			  V9X_DOTL_RDONLY | (excl ? V9X_DOTL_EXCL : 0),
			  mode & S_IALLUGO, v9x_new_gid(dir));
	if (!ret)
		ret = v9x_instantiate_open(dir, dentry, ofid);
	v9x_fid_put(ofid);
	return ret;
}

static int v9x_mkdir_op(V9X_IDMAP_T *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode)
{
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_mkdir(dfid, dentry->d_name.name, mode & S_IALLUGO,
			v9x_new_gid(dir), &qid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_instantiate(dir, dentry);
	return ret;
}

static int v9x_symlink_op(V9X_IDMAP_T *idmap, struct inode *dir,
			  struct dentry *dentry, const char *target)
{
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_symlink(dfid, dentry->d_name.name, target, v9x_new_gid(dir),
			  &qid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_instantiate(dir, dentry);
	return ret;
}

static int v9x_mknod_op(V9X_IDMAP_T *idmap, struct inode *dir,
			struct dentry *dentry, umode_t mode, dev_t rdev)
{
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_mknod(dfid, dentry->d_name.name, mode, MAJOR(rdev),
			MINOR(rdev), v9x_new_gid(dir), &qid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_instantiate(dir, dentry);
	return ret;
}

static int v9x_link_op(struct dentry *old, struct inode *dir,
		       struct dentry *dentry)
{
	struct inode *inode = d_inode(old);
	struct v9x_fid *dfid, *ofid, *fid;
	struct v9x_stat st;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ofid = v9x_dentry_fid(old);
	if (IS_ERR(ofid)) {
		ret = PTR_ERR(ofid);
		goto out_put;
	}
	ret = v9x_link(dfid, ofid, dentry->d_name.name);
	v9x_fid_put(ofid);
	if (ret)
		goto out_put;
	/* The new name needs a fid of its own. */
	ret = v9x_walk(dfid, 1, (const char *const *)&dentry->d_name.name,
		       &fid);
	if (ret)
		goto out_put;
	if (!v9x_getattr(fid, V9X_GETATTR_BASIC, &st))
		v9x_inode_update(inode, &st);
	else
		inc_nlink(inode);
	ihold(inode);
	v9x_dentry_add_fid(dentry, fid);
	v9x_dentry_fresh(dentry);
	d_instantiate(dentry, inode);
	v9x_attr_stale(dir);
out_put:
	v9x_fid_put(dfid);
	return ret;
}

/*
 * A name of @inode (all of a directory's) is gone on the server. Another
 * task may have fetched the new link count already (v9x_inode_update(),
 * also under i_lock), even zero when the last two names went at once:
 * never drop below zero. The count is a guess until the next Tgetattr;
 * the callers mark the attributes stale.
 */
static void v9x_drop_nlink(struct inode *inode, bool all)
{
	spin_lock(&inode->i_lock);
	if (all)
		clear_nlink(inode);
	else if (inode->i_nlink)
		drop_nlink(inode);
	spin_unlock(&inode->i_lock);
}

static int v9x_remove(struct inode *dir, struct dentry *dentry, u32 flags)
{
	struct inode *inode = d_inode(dentry);
	struct v9x_fid *dfid;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_unlinkat(dfid, dentry->d_name.name, flags);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	v9x_drop_nlink(inode, flags & V9X_DOTL_AT_REMOVEDIR);
	v9x_attr_stale(inode);
	v9x_attr_stale(dir);
	return 0;
}

static int v9x_unlink(struct inode *dir, struct dentry *dentry)
{
	return v9x_remove(dir, dentry, 0);
}

static int v9x_rmdir(struct inode *dir, struct dentry *dentry)
{
	return v9x_remove(dir, dentry, V9X_DOTL_AT_REMOVEDIR);
}

static int v9x_rename(V9X_IDMAP_T *idmap, struct inode *old_dir,
		      struct dentry *old_dentry, struct inode *new_dir,
		      struct dentry *new_dentry, unsigned int flags)
{
	struct inode *target = d_inode(new_dentry);
	struct v9x_fid *ofid, *nfid;
	int ret;

	/* RENAME_NOREPLACE: the VFS already refused an existing target. */
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	ofid = v9x_dentry_fid(old_dentry->d_parent);
	if (IS_ERR(ofid))
		return PTR_ERR(ofid);
	nfid = v9x_dentry_fid(new_dentry->d_parent);
	if (IS_ERR(nfid)) {
		v9x_fid_put(ofid);
		return PTR_ERR(nfid);
	}
	ret = v9x_renameat(ofid, old_dentry->d_name.name, nfid,
			   new_dentry->d_name.name);
	v9x_fid_put(nfid);
	v9x_fid_put(ofid);
	if (ret)
		return ret;
	if (target)
		v9x_drop_nlink(target, S_ISDIR(target->i_mode));
	v9x_attr_stale(target);
	v9x_attr_stale(d_inode(old_dentry));
	v9x_attr_stale(old_dir);
	v9x_attr_stale(new_dir);
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
		n = v9x_read(vf->fid, pos, to, &eof);
		if (n <= 0)
			break;
		pos += n;
		total += n;
	}
	iocb->ki_pos = pos;
	return total ? total : n;
}

static ssize_t v9x_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	enum v9x_cache mode = v9x_cache_mode(file_inode(iocb->ki_filp));

	if (!(iocb->ki_flags & IOCB_DIRECT) &&
	    (mode == V9X_CACHE_READAHEAD || mode == V9X_CACHE_LOOSE))
		return generic_file_read_iter(iocb, to);
	return v9x_direct_read(iocb, to);
}

/*
 * The fid page-cache I/O of @inode uses: the file's own, else (no file, or
 * a write-only one filling a folio) the writeback fid. A reference or NULL.
 */
static struct v9x_fid *v9x_io_fid(struct inode *inode, struct file *file)
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

/*
 * Read @nr folios that follow one another from @pos, zero-copy into their
 * pages (as up to V9X_IO_DEPTH Treads at once), zero what lies past the end
 * of the file, and mark uptodate every folio that was read whole. Folios
 * stay locked; the caller unlocks them.
 *
 * Return: 0 or the read's error (the folios it did not reach are then not
 * uptodate).
 */
static int v9x_fill_folios(struct v9x_fid *fid, loff_t pos,
			   struct folio **folios, struct bio_vec *bv,
			   unsigned int nr)
{
	size_t len = 0, done = 0;
	struct iov_iter iter;
	bool eof = false;
	unsigned int i;
	ssize_t n = 0;

	for (i = 0; i < nr; i++) {
		bv[i].bv_page = &folios[i]->page;
		bv[i].bv_len = folio_size(folios[i]);
		bv[i].bv_offset = 0;
		len += bv[i].bv_len;
	}
	iov_iter_bvec(&iter, ITER_DEST, bv, nr, len);
	while (iov_iter_count(&iter) && !eof) {
		n = v9x_read(fid, pos + done, &iter, &eof);
		if (n <= 0) {
			eof = !n;
			break;
		}
		done += n;
	}
	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];
		size_t off = folio_pos(folio) - pos, size = folio_size(folio);

		if (off + size > done) {
			/* Past the end of the file the folio reads as zeros. */
			if (!eof || n < 0)
				break;
			folio_zero_range(folio, done > off ? done - off : 0,
					 done > off ? off + size - done : size);
		}
		folio_mark_uptodate(folio);
	}
	return n < 0 ? n : 0;
}

static int v9x_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	struct v9x_fid *fid = v9x_io_fid(inode, file);
	struct bio_vec bv;
	int ret = -EIO;

	if (fid) {
		ret = v9x_fill_folios(fid, folio_pos(folio), &folio, &bv, 1);
		v9x_fid_put(fid);
		if (!ret && !folio_test_uptodate(folio))
			ret = -EIO;
	}
	folio_unlock(folio);
	return ret;
}

/*
 * Readahead: the whole window as one run of folios, which v9x_read() sends
 * as up to V9X_IO_DEPTH large Treads in flight together. Folios not read
 * (an error, no memory for the vectors) are left to ->read_folio().
 */
static void v9x_readahead(struct readahead_control *ractl)
{
	struct inode *inode = ractl->mapping->host;
	unsigned int nr = readahead_count(ractl), i = 0;
	loff_t pos = readahead_pos(ractl);
	struct folio **folios, *folio;
	struct v9x_fid *fid;
	struct bio_vec *bv;

	if (!nr)
		return;
	fid = v9x_io_fid(inode, ractl->file);
	if (!fid)
		return;
	folios = kvmalloc_array(nr, sizeof(*folios), GFP_KERNEL);
	bv = kvmalloc_array(nr, sizeof(*bv), GFP_KERNEL);
	if (!folios || !bv)
		goto out;
	while (i < nr && (folio = readahead_folio(ractl)))
		folios[i++] = folio;
	v9x_fill_folios(fid, pos, folios, bv, i);
	while (i--)
		folio_unlock(folios[i]);
out:
	kvfree(bv);
	kvfree(folios);
	v9x_fid_put(fid);
}

/*
 * cache=loose buffered writes. A folio the write does not cover whole is
 * read first, unless it lies wholly past the end of the file (zeros).
 */
static int v9x_write_begin(struct file *file, struct address_space *mapping,
			   loff_t pos, unsigned int len, V9X_WB_T **pagep,
			   void **fsdata)
{
	struct inode *inode = mapping->host;
	struct folio *folio;
	struct v9x_fid *fid;
	struct page *page;
	struct bio_vec bv;
	int ret;

	page = grab_cache_page_write_begin(mapping, pos >> PAGE_SHIFT);
	if (!page)
		return -ENOMEM;
	folio = page_folio(page);
	if (folio_test_uptodate(folio) ||
	    (!offset_in_folio(folio, pos) && len >= folio_size(folio)))
		goto out;
	if (folio_pos(folio) >= i_size_read(inode)) {
		folio_zero_range(folio, 0, folio_size(folio));
		folio_mark_uptodate(folio);
		goto out;
	}
	fid = v9x_io_fid(inode, file);
	ret = -EBADF;
	if (fid) {
		ret = v9x_fill_folios(fid, folio_pos(folio), &folio, &bv, 1);
		v9x_fid_put(fid);
	}
	if (!ret && !folio_test_uptodate(folio))
		ret = -EIO;
	if (ret) {
		folio_unlock(folio);
		folio_put(folio);
		return ret;
	}
out:
	*pagep = v9x_wb_arg(folio);
	return 0;
}

static int v9x_write_end(struct file *file, struct address_space *mapping,
			 loff_t pos, unsigned int len, unsigned int copied,
			 V9X_WB_T *page, void *fsdata)
{
	struct folio *folio = v9x_wb_folio(page);
	struct inode *inode = mapping->host;
	struct v9x_file *vf = file->private_data;

	/* A whole-folio write that was not read first must be whole. */
	if (!folio_test_uptodate(folio)) {
		if (copied < len) {
			copied = 0;
			goto out;
		}
		folio_mark_uptodate(folio);
	}
	if (!copied)
		goto out;
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	folio_mark_dirty(folio);
	vf->wrote = true;
out:
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

/**
 * struct v9x_wb - a run of dirty folios being gathered for one v9x_write()
 * @inode: the file
 * @fid: the writeback fid
 * @wbc: the writeback control (to redirty on a retryable error)
 * @folios: the run, locked and under writeback
 * @bv: their data
 * @nr: folios in the run
 * @max: capacity of @folios and @bv
 * @pos: file offset of the run
 * @len: bytes in the run (the last folio clipped at the end of the file)
 * @limit: at most this many bytes per run
 */
struct v9x_wb {
	struct inode *inode;
	struct v9x_fid *fid;
	struct writeback_control *wbc;
	struct folio **folios;
	struct bio_vec *bv;
	unsigned int nr;
	unsigned int max;
	loff_t pos;
	size_t len;
	size_t limit;
};

/*
 * Send the run. On an error the caller could not help (killed, out of
 * memory), the folios are dirtied again for a later try; any other error is
 * recorded on the mapping for fsync and close to report.
 */
static int v9x_wb_send(struct v9x_wb *wb)
{
	struct iov_iter iter;
	size_t done = 0;
	unsigned int i;
	ssize_t n = 0;

	if (!wb->nr)
		return 0;
	iov_iter_bvec(&iter, ITER_SOURCE, wb->bv, wb->nr, wb->len);
	while (iov_iter_count(&iter)) {
		n = v9x_write(wb->fid, wb->pos + done, &iter);
		if (n <= 0) {
			if (!n)
				n = -EIO;
			break;
		}
		done += n;
	}
	for (i = 0; i < wb->nr; i++) {
		struct folio *folio = wb->folios[i];

		if (n < 0 && folio_pos(folio) + folio_size(folio) >
			     wb->pos + done) {
			if (n == -EINTR || n == -ENOMEM || n == -EAGAIN)
				folio_redirty_for_writepage(wb->wbc, folio);
			else
				mapping_set_error(folio->mapping, n);
		}
		folio_end_writeback(folio);
		folio_unlock(folio);
	}
	wb->nr = 0;
	wb->len = 0;
	return n < 0 ? n : 0;
}

/*
 * write_cache_pages() callback: add a locked folio, cleared for I/O, to the
 * run, sending the run first when the folio does not extend it. The folio
 * stays locked until its data is on the server.
 */
static int v9x_wb_add(V9X_WP_T *page, struct writeback_control *wbc,
		      void *data)
{
	struct folio *folio = v9x_wp_folio(page);
	loff_t isize = i_size_read(folio->mapping->host);
	loff_t pos = folio_pos(folio);
	struct v9x_wb *wb = data;
	size_t len;
	int ret = 0;

	/* Wholly past the end of the file (a racing truncate): nothing to send. */
	if (pos >= isize) {
		folio_unlock(folio);
		return 0;
	}
	len = min_t(loff_t, folio_size(folio), isize - pos);
	if (wb->nr && (wb->pos + wb->len != pos || wb->nr == wb->max ||
		       wb->len + len > wb->limit))
		ret = v9x_wb_send(wb);
	folio_start_writeback(folio);
	if (!wb->nr)
		wb->pos = pos;
	wb->folios[wb->nr] = folio;
	wb->bv[wb->nr].bv_page = &folio->page;
	wb->bv[wb->nr].bv_len = len;
	wb->bv[wb->nr].bv_offset = 0;
	wb->nr++;
	wb->len += len;
	return ret;
}

static int v9x_writepages(struct address_space *mapping,
			  struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct folio *one_folio;
	struct bio_vec one_bv;
	struct v9x_wb wb = {
		.inode = inode,
		.wbc = wbc,
		.folios = &one_folio,
		.bv = &one_bv,
		.max = 1,
	};
	unsigned int max, nofs;
	int ret, ret2;

	wb.fid = v9x_wb_fid_get(inode, false);
	if (!wb.fid) {
		pr_warn_ratelimited("%s: inode %lu has dirty pages but no writable fid\n",
				    inode->i_sb->s_id, inode->i_ino);
		return -EIO;
	}
	/* Reclaim must not recurse into the filesystem while folios are locked. */
	nofs = memalloc_nofs_save();
	wb.limit = v9x_write_batch(wb.fid);
	max = DIV_ROUND_UP(wb.limit, PAGE_SIZE);
	/* Without memory for a long run, write a folio at a time. */
	wb.folios = kvmalloc_array(max, sizeof(*wb.folios), GFP_NOFS);
	wb.bv = kvmalloc_array(max, sizeof(*wb.bv), GFP_NOFS);
	if (wb.folios && wb.bv) {
		wb.max = max;
	} else {
		kvfree(wb.folios);
		kvfree(wb.bv);
		wb.folios = &one_folio;
		wb.bv = &one_bv;
	}
	ret = write_cache_pages(mapping, wbc, v9x_wb_add, &wb);
	ret2 = v9x_wb_send(&wb);
	if (wb.max > 1) {
		kvfree(wb.folios);
		kvfree(wb.bv);
	}
	memalloc_nofs_restore(nofs);
	v9x_fid_put(wb.fid);
	return ret ? ret : ret2;
}

/**
 * v9x_evict_inode - write back what is left and let go of the inode
 * @inode: the inode; its writeback fid is clunked last
 */
void v9x_evict_inode(struct inode *inode)
{
	struct v9x_inode *vi = V9X_I(inode);

	/* Pages dirtied through a mapping after the last close. */
	if (inode->i_nlink && vi->wb_fid)
		filemap_write_and_wait(&inode->i_data);
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (vi->wb_fid) {
		v9x_fid_put(vi->wb_fid);
		vi->wb_fid = NULL;
	}
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
			n = v9x_getattr(vf->fid, V9X_GETATTR_BASIC, &st);
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
		n = v9x_write(vf->fid, pos, from);
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

static ssize_t v9x_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
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
static int v9x_flush_op(struct file *file, fl_owner_t id)
{
	struct inode *inode = file_inode(file);
	struct v9x_file *vf = file->private_data;
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_stat st;
	int ret;

	if (!(file->f_mode & FMODE_WRITE) ||
	    v9x_cache_mode(inode) == V9X_CACHE_NONE)
		return 0;
	ret = filemap_write_and_wait(inode->i_mapping);
	if (ret || !vf->wrote)
		return ret;
	vf->wrote = false;
	if (v9x_getattr(vf->fid, V9X_GETATTR_BASIC, &st))
		return 0;
	inode_lock(inode);
	v9x_inode_update(inode, &st);
	vi->cache_mtime = v9x_ts(st.mtime_sec, st.mtime_nsec);
	vi->cache_size = st.size;
	inode_unlock(inode);
	return 0;
}

/*
 * Shared writable mappings need dirty-page writeback, which the caching
 * modes have; cache=none maps read-only.
 */
static int v9x_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct inode *inode = file_inode(file);

	if (v9x_cache_mode(inode) != V9X_CACHE_NONE)
		return generic_file_mmap(file, vma);
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_MAYWRITE)) {
		pr_info_ratelimited("%s: shared writable mmap needs cache=mmap, readahead or loose\n",
				    inode->i_sb->s_id);
		return -EINVAL;
	}
	return generic_file_readonly_mmap(file, vma);
}

static int v9x_fsync_op(struct file *file, loff_t start, loff_t end,
			int datasync)
{
	struct v9x_file *vf = file->private_data;
	int ret;

	ret = file_write_and_wait_range(file, start, end);
	if (ret)
		return ret;
	return v9x_fsync(vf->fid, datasync);
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
		ret = v9x_lock(vf->fid, &p, &status);
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

static int v9x_lock_op(struct file *file, int cmd, struct file_lock *fl)
{
	struct v9x_file *vf = file->private_data;
	struct v9x_flock p;
	unsigned char type;
	int ret;

	if (!v9x_fl_is_posix(fl))
		return -ENOLCK;

	if (IS_GETLK(cmd)) {
		posix_test_lock(file, fl);
		if (v9x_fl_type(fl) != F_UNLCK)
			return 0;
		/* No conflict in the guest: ask the server. */
		p = (struct v9x_flock) {
			.type = V9X_LOCK_TYPE_WRLCK,
			.start = fl->fl_start,
			.length = fl->fl_end == OFFSET_MAX ? 0 :
				  fl->fl_end - fl->fl_start + 1,
			.proc_id = v9x_fl_pid(fl),
			.client_id = init_utsname()->nodename,
		};
		ret = v9x_getlock(vf->fid, &p);
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

	type = v9x_fl_type(fl);
	ret = locks_lock_file_wait(file, fl);
	if (ret)
		return ret;
	ret = v9x_lock_server(file, fl, cmd);
	if (ret && type != F_UNLCK) {
		/* The server refused: give the local lock back. */
		v9x_fl_set_type(fl, F_UNLCK);
		locks_lock_file_wait(file, fl);
		v9x_fl_set_type(fl, type);
	}
	return ret;
}

/* flock(2) locks are the guest's own: 9P has no whole-file lock semantics. */
static int v9x_flock_op(struct file *file, int cmd, struct file_lock *fl)
{
	return locks_lock_file_wait(file, fl);
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
 * when dir_emit() wants no more, -EIO for a malformed entry.
 */
static int v9x_emit_cached(struct v9x_file *vf, struct dir_context *ctx)
{
	struct v9x_dirent de;
	struct v9x_buf b;

	v9x_buf_init(&b, (void *)vf->dents, vf->dlen);
	b.pos = vf->dpos;
	while (b.pos < b.size) {
		if (v9x_dec_dirent(&b, &de)) {
			pr_err_ratelimited("malformed directory entry from the server\n");
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

static int v9x_iterate(struct file *file, struct dir_context *ctx)
{
	struct v9x_file *vf = file->private_data;
	int ret = 0;

	if (mutex_lock_killable(&vf->lock))
		return -EINTR;
	for (;;) {
		/* The cache serves only the position it was left at. */
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
		ret = v9x_emit_cached(vf, ctx);
		if (ret <= 0)
			break;
		ret = 0;
	}
	mutex_unlock(&vf->lock);
	return ret;
}

static int v9x_xattr_get_op(const struct xattr_handler *handler,
			    struct dentry *dentry, struct inode *inode,
			    const char *name, void *buffer, size_t size)
{
	const char *full = xattr_full_name(handler, name);
	struct v9x_fid *fid = v9x_attr_fid(dentry);
	ssize_t ret;

	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_xattr_get(fid, full, buffer, size);
	v9x_fid_put(fid);
	/* Servers answer a missing attribute in several ways. */
	if (ret == -EOPNOTSUPP || ret == -ENOENT)
		ret = -ENODATA;
	return ret;
}

static int v9x_xattr_set_op(const struct xattr_handler *handler,
			    V9X_IDMAP_T *idmap, struct dentry *dentry,
			    struct inode *inode, const char *name,
			    const void *value, size_t size, int flags)
{
	const char *full = xattr_full_name(handler, name);
	struct v9x_fid *fid = v9x_attr_fid(dentry);
	int ret;

	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_xattr_set(fid, full, value, size, flags);
	v9x_fid_put(fid);
	return ret;
}

static const struct xattr_handler v9x_xattr_user = {
	.prefix = XATTR_USER_PREFIX,
	.get = v9x_xattr_get_op,
	.set = v9x_xattr_set_op,
};

static const struct xattr_handler v9x_xattr_trusted = {
	.prefix = XATTR_TRUSTED_PREFIX,
	.get = v9x_xattr_get_op,
	.set = v9x_xattr_set_op,
};

static const struct xattr_handler v9x_xattr_security = {
	.prefix = XATTR_SECURITY_PREFIX,
	.get = v9x_xattr_get_op,
	.set = v9x_xattr_set_op,
};

const struct xattr_handler *v9x_xattr_handlers[] = {
	&v9x_xattr_user,
	&v9x_xattr_trusted,
	&v9x_xattr_security,
	NULL,
};

static ssize_t v9x_listxattr(struct dentry *dentry, char *buffer, size_t size)
{
	struct v9x_fid *fid = v9x_attr_fid(dentry);
	ssize_t ret;

	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_xattr_get(fid, "", buffer, size);
	v9x_fid_put(fid);
	if (ret == -EOPNOTSUPP)
		ret = 0;
	return ret;
}

const struct inode_operations v9x_dir_iops = {
	.permission = v9x_permission,
	.lookup = v9x_lookup,
	.atomic_open = v9x_atomic_open,
	.create = v9x_create,
	.mkdir = v9x_mkdir_op,
	.rmdir = v9x_rmdir,
	.unlink = v9x_unlink,
	.rename = v9x_rename,
	.symlink = v9x_symlink_op,
	.link = v9x_link_op,
	.mknod = v9x_mknod_op,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_listxattr,
};

const struct inode_operations v9x_file_iops = {
	.permission = v9x_permission,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_listxattr,
};

const struct inode_operations v9x_symlink_iops = {
	.permission = v9x_permission,
	.get_link = v9x_get_link,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_listxattr,
};

const struct file_operations v9x_dir_fops = {
	.owner = THIS_MODULE,
	.open = v9x_open,
	.release = v9x_release,
	.read = generic_read_dir,
	.iterate_shared = v9x_iterate,
	.llseek = generic_file_llseek,
	.fsync = v9x_fsync_op,
};

const struct file_operations v9x_file_fops = {
	.owner = THIS_MODULE,
	.open = v9x_open,
	.release = v9x_release,
	.read_iter = v9x_file_read_iter,
	.write_iter = v9x_file_write_iter,
	.llseek = generic_file_llseek,
	.mmap = v9x_file_mmap,
	.flush = v9x_flush_op,
	.splice_read = v9x_splice_read,
	.splice_write = iter_file_splice_write,
	.fsync = v9x_fsync_op,
	.lock = v9x_lock_op,
	.flock = v9x_flock_op,
};

const struct address_space_operations v9x_aops = {
	.read_folio = v9x_read_folio,
	.readahead = v9x_readahead,
	.writepages = v9x_writepages,
	.dirty_folio = filemap_dirty_folio,
	.write_begin = v9x_write_begin,
	.write_end = v9x_write_end,
};

#if IS_ENABLED(CONFIG_KUNIT)
#include "vfs_test.c"
#endif
