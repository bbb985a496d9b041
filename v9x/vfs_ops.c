// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace: inodes (iget, update from Rgetattr, evict), lookup,
 * getattr/setattr, permission, get_link, atomic_open and the create, link,
 * unlink and rename family, and the inode_operations tables (the ACL ops
 * in them are acl.c's).
 * Calls the client, fid.c, vfs_dentry.c and vfs_file.c (an open's file state).
 *
 * Open-unlink: an open file stays on its inode's open_files list; once its
 * last name is gone, stat and truncate use an open fid, which still reaches
 * the file on the server.
 *
 * About 900 lines: the inode_operations are one table, and each namespace
 * operation needs its instantiate/error path, and the checks of what the
 * server says it created, next to it.
 */

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/writeback.h>

#include "compat.h"
#include "internal.h"

/**
 * v9x_ts - a timespec64 from the wire
 * @sec: seconds
 * @nsec: nanoseconds; out of range means 0
 *
 * Return: the time.
 */
struct timespec64 v9x_ts(u64 sec, u64 nsec)
{
	struct timespec64 ts = {
		.tv_sec = (time64_t)sec,
		.tv_nsec = nsec < NSEC_PER_SEC ? (long)nsec : 0,
	};

	return ts;
}

/**
 * v9x_inode_update_since - refresh an inode from an Rgetattr, unless the
 *	guest changed its attributes after the Tgetattr was sent
 * @inode: the inode
 * @st: what the server said; the file type bits are never changed
 * @seq: v9x_attr_seq() taken before the Tgetattr was sent
 *
 * Context: may sleep (it drops cached folios when the size moved); the
 * caller holds no folio lock of @inode.
 *
 * Return: true if the inode was updated; false if the answer may predate a
 * change of the guest's (the attributes stay stale: the next use asks).
 */
bool v9x_inode_update_since(struct inode *inode, const struct v9x_stat *st,
			    u64 seq)
{
	struct timespec64 atime = v9x_ts(st->atime_sec, st->atime_nsec);
	struct timespec64 mtime = v9x_ts(st->mtime_sec, st->mtime_nsec);
	struct timespec64 ctime = v9x_ts(st->ctime_sec, st->ctime_nsec);
	struct v9x_inode *vi = V9X_I(inode);
	loff_t old_size = -1, new_size = 0;

	spin_lock(&inode->i_lock);
	if (vi->stale_seq > seq) {
		spin_unlock(&inode->i_lock);
		return false;
	}
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
	    !mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK)) {
		old_size = i_size_read(inode);
		new_size = min_t(u64, st->size, MAX_LFS_FILESIZE);
		i_size_write(inode, new_size);
	}
	inode->i_blocks = st->blocks;
	v9x_inode_set_times(inode, &atime, &mtime, &ctime);
	vi->qid.version = st->qid.version;
	/* Version 0: the server says the file cannot be cached. */
	WRITE_ONCE(vi->attr_expire, jiffies +
		   (st->qid.version ? V9X_SB(inode->i_sb)->actimeo : 0));
	vi->attr_fetched = jiffies;
	vi->attr_task = current;
	vi->attr_csw = current->nvcsw + current->nivcsw;
	vi->attr_replies = atomic64_read(&V9X_SB(inode->i_sb)->clnt->replies);
	spin_unlock(&inode->i_lock);
	/*
	 * The server's size moved under cached folios: the folio that held
	 * the old end of file was zero-filled past it (v9x_fill_folios), and
	 * anything cached beyond the smaller of the two sizes is not the
	 * server's data. Drop them, so that a reader with the file open
	 * (tail -f) reads what the host appended, not zeros. Nothing there is
	 * dirty (checked above); a folio dirtied since is kept (-EBUSY).
	 */
	if (old_size >= 0 && old_size != new_size && S_ISREG(inode->i_mode) &&
	    inode->i_mapping->nrpages)
		invalidate_inode_pages2_range(inode->i_mapping,
					      min(old_size, new_size) >> PAGE_SHIFT,
					      -1);
	/* The ACLs are as fresh as the attributes: ask again when used. */
	v9x_acl_forget(inode);
	return true;
}

/**
 * v9x_inode_update - refresh an inode from an Rgetattr
 * @inode: the inode
 * @st: what the server said, after any change of the guest's to the file
 *	(the answer to a request sent after it)
 *
 * Context: as v9x_inode_update_since().
 */
void v9x_inode_update(struct inode *inode, const struct v9x_stat *st)
{
	v9x_inode_update_since(inode, st, U64_MAX);
}

/*
 * A directory removed through this mount (S_DEAD, set by the VFS after
 * rmdir or a rename over it) is never the file a qid now names: the host's
 * filesystem may give its inode number to the next directory created, while
 * a task still holds a dentry of the dead one, and mkdir would find that
 * alias and fail with EPROTO (seen: concurrent mkdir/rmdir of one name).
 */
static int v9x_inode_test(struct inode *inode, void *data)
{
	const struct v9x_stat *st = data;

	if (IS_DEADDIR(inode))
		return 0;
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
	if (!v9x_inode_is_new(inode)) {
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
		v9x_sb_err(sb, "server sent invalid file mode 0%o\n", mode);
		iget_failed(inode);
		return ERR_PTR(-EIO);
	}
	v9x_inode_update(inode, st);
	unlock_new_inode(inode);
	return inode;
}

/*
 * A lookup's name found, with @fid (the caller's reference, taken over)
 * and its attributes @st: its inode, spliced to @dentry.
 */
static struct dentry *v9x_lookup_found(struct inode *dir,
				       struct dentry *dentry,
				       struct v9x_fid *fid,
				       const struct v9x_stat *st)
{
	struct inode *inode;

	inode = v9x_iget(dir->i_sb, st);
	if (IS_ERR(inode)) {
		v9x_fid_put(fid);
		return ERR_CAST(inode);
	}
	/* The dentry owns the fid from here, even if an alias is used. */
	v9x_dentry_add_fid(dentry, fid);
	return d_splice_alias(inode, dentry);
}

/*
 * What v9x_lookup() does after its Twalk: @ret is its result, @fid the
 * name's new fid when it succeeded.
 */
static struct dentry *v9x_lookup_walked(struct inode *dir,
					struct dentry *dentry, int ret,
					struct v9x_fid *fid)
{
	struct v9x_stat st;

	v9x_dentry_fresh(dentry);
	/* A walk going through its listing: keep the prefetch ahead of it. */
	v9x_prefetch_kick(dentry->d_parent);
	if (ret == -ENOENT)
		return d_splice_alias(NULL, dentry);
	if (ret)
		return ERR_PTR(ret);
	ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
	if (ret) {
		v9x_fid_put(fid);
		return ERR_PTR(ret);
	}
	/* Names looked up one by one may ask for the directory's listing. */
	v9x_prefetch_looked_up(dentry->d_parent);
	return v9x_lookup_found(dir, dentry, fid, &st);
}

/*
 * A name prefetch walked ahead (without an actimeo: prefetch.c keeps each
 * such fid for the name's lookup): one Tgetattr of @fid, whose answer the
 * stat after it reuses, instead of a Twalk and a Tgetattr one after the
 * other. With @last it is sent before the checks of the directories the
 * walk went through are waited for (v9x_lookup_last()). The server resolves
 * the fid by its path now, so a name the host removed or renamed since the
 * walk fails here: *@again is then set, and the caller walks it as usual.
 * Takes over the caller's reference to @fid.
 *
 * Return: as v9x_lookup(), unless *@again.
 */
static struct dentry *v9x_lookup_prewalked(struct inode *dir,
					   struct dentry *dentry,
					   unsigned int flags, bool last,
					   struct v9x_fid *fid, bool *again)
{
	struct v9x_client *clnt = V9X_SB(dir->i_sb)->clnt;
	struct v9x_stat st;
	struct v9x_req *req;
	int ret, cret = 0;

	req = v9x_client_getattr_send(fid, V9X_GETATTR_BASIC);
	if (last) {
		if (!IS_ERR(req) && v9x_checks_will_settle(dentry, flags))
			atomic64_inc(&clnt->stats.path_last_early);
		cret = v9x_checks_settle_last(dentry, flags);
	}
	ret = IS_ERR(req) ? PTR_ERR(req) :
			    v9x_client_getattr_wait(clnt, req, &st);
	if (cret || ret) {
		v9x_fid_put(fid);
		if (cret)
			return ERR_PTR(cret);
		*again = true;
		return NULL;
	}
	v9x_dentry_fresh(dentry);
	v9x_prefetch_kick(dentry->d_parent);
	return v9x_lookup_found(dir, dentry, fid, &st);
}

/*
 * A name prefetch walked ahead: if its fid is there, look it up through it
 * (v9x_lookup_prewalked()). Return: true with *@res set when that answered,
 * false when the name is to be walked as usual.
 */
static bool v9x_lookup_by_prewalked(struct inode *dir, struct dentry *dentry,
				    unsigned int flags, bool last,
				    struct dentry **res)
{
	struct v9x_fid *fid;
	bool again = false;

	if (dentry->d_name.len > NAME_MAX)
		return false;
	fid = v9x_prefetch_walked_take(dentry);
	if (!fid)
		return false;
	*res = v9x_lookup_prewalked(dir, dentry, flags, last, fid, &again);
	return !again;
}

/**
 * v9x_lookup - ->lookup: one Twalk of the name and one Tgetattr
 * @dir: the directory
 * @dentry: the name, in lookup; the caller holds @dir's i_rwsem (at least
 *	shared)
 * @flags: LOOKUP_* (unused)
 *
 * prefetch.c's batches do what it does, for many names at once.
 *
 * Return: NULL, an alias to use instead, or an ERR_PTR.
 */
static struct dentry *v9x_lookup(struct inode *dir, struct dentry *dentry,
				 unsigned int flags)
{
	const char *name = dentry->d_name.name;
	struct v9x_fid *dfid, *fid = NULL;
	struct dentry *res;
	int ret;

	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	if (v9x_lookup_by_prewalked(dir, dentry, flags, false, &res))
		return res;
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return ERR_CAST(dfid);
	ret = v9x_client_walk(dfid, 1, &name, &fid);
	v9x_fid_put(dfid);
	return v9x_lookup_walked(dir, dentry, ret, fid);
}

/*
 * A walk's last component found only now: its Twalk is sent before the
 * checks of the directories the walk went through (vfs_dentry.c) are
 * waited for, and its answer taken after them, then its Tgetattr, whose
 * answer the stat after it reuses. (A create's lookup does not wait for
 * them: the create does.) A failing check comes before the name's own
 * error.
 */
static struct dentry *v9x_lookup_last(struct inode *dir,
				      struct dentry *dentry,
				      unsigned int flags)
{
	struct v9x_client *clnt = V9X_SB(dir->i_sb)->clnt;
	const char *name = dentry->d_name.name;
	struct v9x_fid *dfid, *fid = NULL;
	struct dentry *res;
	struct v9x_req *req;
	int ret, wret;

	if (v9x_lookup_by_prewalked(dir, dentry, flags, true, &res))
		return res;
	if (dentry->d_name.len > NAME_MAX)
		dfid = ERR_PTR(-ENAMETOOLONG);
	else
		dfid = v9x_dentry_fid(dentry->d_parent);
	/* The directory's fid is kept until the answer. */
	req = IS_ERR(dfid) ? ERR_CAST(dfid) :
			     v9x_client_walk_send(dfid, name, &fid);
	if (!IS_ERR(req) && v9x_checks_will_settle(dentry, flags))
		atomic64_inc(&clnt->stats.path_last_early);
	ret = v9x_checks_settle_last(dentry, flags);
	if (IS_ERR(dfid))
		return ERR_PTR(ret ? ret : PTR_ERR(dfid));
	wret = IS_ERR(req) ? PTR_ERR(req) :
			     v9x_client_walk_wait(clnt, req, fid);
	v9x_fid_put(dfid);
	if (ret) {
		if (!wret)
			v9x_fid_put(fid);
		return ERR_PTR(ret);
	}
	return v9x_lookup_walked(dir, dentry, wret, fid);
}

/*
 * ->lookup(): a last component found only now waits first for the checks
 * of the directories the walk went through (vfs_dentry.c) before it uses
 * its own Twalk's answer (v9x_lookup_last()); a step on the way that ends
 * the walk (missing, an error, not a directory) waits after.
 */
static struct dentry *v9x_vfs_lookup(struct inode *dir, struct dentry *dentry,
				     unsigned int flags)
{
	struct dentry *res;
	int ret;

	if (!(flags & LOOKUP_PARENT)) {
		res = v9x_lookup_last(dir, dentry, flags);
		/* A create's name found, or an error: the call ends here. */
		if (IS_ERR(res) || d_really_is_positive(res ? res : dentry))
			v9x_checks_create_found(dentry, flags);
		return res;
	}
	res = v9x_lookup(dir, dentry, flags);
	if (!IS_ERR(res) && d_is_dir(res ? res : dentry))
		return res;
	ret = v9x_checks_settle(dir->i_sb, NULL);
	if (!ret)
		return res;
	if (!IS_ERR(res))
		dput(res);
	return ERR_PTR(ret);
}

/**
 * v9x_inode_open_fid - borrow an open fid of @inode
 * @inode: the inode (e.g. a file whose names are gone)
 *
 * Return: a reference, or NULL.
 */
struct v9x_fid *v9x_inode_open_fid(struct inode *inode)
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

/**
 * v9x_attr_fid - the fid to act on a dentry's file
 * @dentry: the dentry
 *
 * Its own, or, when the dentry was unlinked while open, an open fid of the
 * inode.
 *
 * Return: a reference or an ERR_PTR.
 */
struct v9x_fid *v9x_attr_fid(struct dentry *dentry)
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
	u64 seq;
	int ret;

	/* A path ending in "." or "..": the directories on its way. */
	if (!(flags & AT_STATX_DONT_SYNC)) {
		ret = v9x_checks_settle(inode->i_sb, dentry);
		if (ret)
			return ret;
	}
	if (!(flags & AT_STATX_DONT_SYNC) &&
	    ((flags & AT_STATX_FORCE_SYNC) ||
	     (!v9x_attr_fresh(inode) && !v9x_attr_just_fetched(inode)))) {
		fid = v9x_attr_fid(dentry);
		if (IS_ERR(fid))
			return PTR_ERR(fid);
		seq = v9x_attr_seq(inode);
		ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
		v9x_fid_put(fid);
		/*
		 * A server that resolves even open fids by path cannot stat a
		 * file whose last name is gone; what we know is still right.
		 * An answer that may predate a change the guest made meanwhile
		 * is not applied: the guest's attributes are newer.
		 */
		if (!ret)
			v9x_inode_update_since(inode, &st, seq);
		else if (ret != -ENOENT || !d_unhashed(dentry) || inode->i_nlink)
			return ret;
		/* An entry a listing fetched ahead, but too long ago. */
		v9x_prefetch_used(dentry, false);
	} else {
		/* Attributes a listing fetched ahead (prefetch.c) were used. */
		v9x_prefetch_used(dentry, true);
	}
	v9x_fillattr(idmap, request_mask, inode, stat);
	return 0;
}

static int v9x_vfs_setattr(V9X_IDMAP_T *idmap, struct dentry *dentry,
			   struct iattr *ia)
{
	struct inode *inode = d_inode(dentry);
	loff_t old_size = i_size_read(inode);
	struct v9x_iattr p = { 0 };
	struct v9x_fid *fid;
	bool shrink;
	int ret;

	/* A path ending in "." or "..": the directories on its way. */
	ret = v9x_checks_settle(inode->i_sb, dentry);
	if (ret)
		return ret;
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
	/*
	 * A shrink cuts the page cache before the server's file: a page
	 * dirtied (through a mapping) between the two would otherwise be
	 * written back past the new end and extend the file again. A store
	 * past the new end faults (SIGBUS) from here on, as on a local file.
	 */
	shrink = (ia->ia_valid & ATTR_SIZE) && ia->ia_size < old_size;
	if (shrink)
		truncate_setsize(inode, ia->ia_size);

	if ((ia->ia_valid & ATTR_FILE) && ia->ia_file &&
	    ia->ia_file->private_data) {
		struct v9x_file *vf = ia->ia_file->private_data;

		fid = v9x_fid_get(vf->fid);
	} else {
		fid = v9x_attr_fid(dentry);
		if (IS_ERR(fid)) {
			ret = PTR_ERR(fid);
			goto out_unshrink;
		}
	}
	ret = v9x_client_setattr(fid, &p);
	v9x_fid_put(fid);
	if (ret)
		goto out_unshrink;

	if ((ia->ia_valid & ATTR_SIZE) && ia->ia_size != i_size_read(inode))
		truncate_setsize(inode, ia->ia_size);
	setattr_copy(idmap, inode, ia);
	v9x_attr_stale(inode);
	/*
	 * chmod moves the access ACL's mask (or group) entry along. A
	 * symbolic link has no ACL: its mode is already set, not EOPNOTSUPP.
	 */
	if ((ia->ia_valid & ATTR_MODE) && !S_ISLNK(inode->i_mode))
		return v9x_posix_acl_chmod(idmap, dentry, inode->i_mode);
	return 0;

out_unshrink:
	/*
	 * The server kept its size: so does the guest, and what the cut
	 * dropped or zeroed (written back above) is read again.
	 */
	if (shrink) {
		i_size_write(inode, old_size);
		invalidate_inode_pages2(inode->i_mapping);
	}
	return ret;
}

/*
 * The guest checks every access against the mode, owner and (with
 * posixacl) ACL the server reports, in every access mode, as the in-kernel
 * client does. The server cannot be left to decide: QEMU's local backend
 * runs as root on the host and opens whatever a fid names, whichever user
 * the fid was attached as; with access=any every user shares one session;
 * and a cached dentry (any caching mode) is reached without a Twalk, so
 * search permission on the directories above it is never asked of the
 * server at all. access=N adds that only uid N may use the mount.
 */
static int v9x_vfs_permission(V9X_IDMAP_T *idmap, struct inode *inode, int mask)
{
	const struct v9x_mount_opts *opts = &V9X_SB(inode->i_sb)->opts;
	int ret, err;

	if (opts->access == V9X_ACCESS_SINGLE &&
	    !uid_eq(current_fsuid(), opts->access_uid))
		return -EACCES;
	ret = generic_permission(idmap, inode, mask);
	/*
	 * Refused on bits a directory check in flight may change: wait for
	 * it, and walk again (-ESTALE) if it did. In a walk, for every
	 * directory on it; after one (the VFS's check of the directory a
	 * mkdir, mknod, symlink or link is made in: their walk left its
	 * checks in flight), for those on this directory's path.
	 */
	if (ret == -EACCES && atomic_read(&V9X_SB(inode->i_sb)->nchecks)) {
		struct dentry *alias = NULL;

		if (mask & MAY_NOT_BLOCK)
			return -ECHILD;
		if (!current->nameidata)
			alias = d_find_alias(inode);
		if (current->nameidata || alias)
			err = v9x_checks_settle(inode->i_sb, alias);
		else
			err = 0;
		dput(alias);
		if (err)
			return err;
	}
	/*
	 * access(2), chdir(2), chroot(2): after their walk, which may have
	 * ended in "." or ".." and so used no last component, the
	 * directories on its way (they walk again on -ESTALE).
	 */
	if ((mask & (MAY_ACCESS | MAY_CHDIR)) &&
	    atomic_read(&V9X_SB(inode->i_sb)->nchecks)) {
		struct dentry *alias;

		if (mask & MAY_NOT_BLOCK)
			return -ECHILD;
		alias = d_find_alias(inode);
		err = v9x_checks_settle(inode->i_sb, alias);
		dput(alias);
		if (err)
			return err;
	}
	return ret;
}

static const char *v9x_vfs_get_link(struct dentry *dentry, struct inode *inode,
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
	ret = v9x_client_readlink(fid, &target);
	v9x_fid_put(fid);
	if (ret)
		return ERR_PTR(ret);
	set_delayed_call(done, kfree_link, target);
	return target;
}

/*
 * Before mkdir, mknod, symlink or link create in @dentry's parent: the
 * checks their walk left in flight (v9x_checks_settle_last()). -ESTALE
 * makes the VFS walk again.
 */
static int v9x_create_settle(struct dentry *dentry)
{
	return v9x_checks_settle(dentry->d_sb, dentry->d_parent);
}

/* Group for a new file: the directory's if it is setgid, else the caller's. */
static u32 v9x_new_gid(struct inode *dir)
{
	if (dir->i_mode & S_ISGID)
		return from_kgid(&init_user_ns, dir->i_gid);
	return from_kgid(&init_user_ns, current_fsgid());
}

/*
 * The inode for a name the server just created must be of the type asked
 * for, and a directory must be a new one. A server that answers mkdir with
 * the qid of a directory already known (an ancestor, say) would give that
 * directory a second alias, which breaks lock_rename() and is_subdir();
 * one that answers with a file puts a file where the VFS expects a
 * directory. Both are refused: -EPROTO, the server's name stays as it is.
 *
 * One honest server case also lands here: in a caching mode, a directory
 * removed on the host whose stale dentry the guest still holds, when the
 * host's filesystem gives its inode number to the new directory. mkdir then
 * fails with EPROTO until the stale dentry is revalidated away.
 */
static int v9x_check_created(struct inode *dir, struct dentry *dentry,
			     struct inode *inode, umode_t type)
{
	struct dentry *alias;

	if ((inode->i_mode & S_IFMT) != type) {
		v9x_sb_err(dir->i_sb, "created %pd is of type 0%o, not 0%o\n",
			   dentry, inode->i_mode & S_IFMT, type);
		return -EPROTO;
	}
	if (!S_ISDIR(type))
		return 0;
	alias = d_find_any_alias(inode);
	if (!alias)
		return 0;
	v9x_sb_err(dir->i_sb, "new directory %pd has the qid of %pd (0x%llx)\n",
		   dentry, alias, (unsigned long long)V9X_I(inode)->qid.path);
	dput(alias);
	return -EPROTO;
}

/*
 * After the server created @dentry's name (of file type @type): walk to it,
 * fetch its attributes and make @dentry positive, owning the new fid.
 */
static int v9x_instantiate(struct inode *dir, struct dentry *dentry,
			   umode_t type)
{
	const char *name = dentry->d_name.name;
	struct v9x_fid *dfid, *fid;
	struct v9x_stat st;
	struct inode *inode;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_client_walk(dfid, 1, &name, &fid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
	if (ret)
		goto out_put;
	inode = v9x_iget(dir->i_sb, &st);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out_put;
	}
	ret = v9x_check_created(dir, dentry, inode, type);
	if (ret) {
		iput(inode);
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

	ret = v9x_client_getattr(ofid, V9X_GETATTR_BASIC, &st);
	if (ret)
		return ret;
	inode = v9x_iget(dir->i_sb, &st);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	ret = v9x_check_created(dir, dentry, inode, S_IFREG);
	if (ret) {
		iput(inode);
		return ret;
	}
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

static int v9x_vfs_finish_open(struct inode *inode, struct file *file)
{
	/* private_data was set by v9x_vfs_atomic_open(). */
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

static int v9x_vfs_atomic_open(struct inode *dir, struct dentry *dentry,
			       struct file *file, unsigned int flags, umode_t mode)
{
	struct posix_acl *dacl = NULL, *acl = NULL;
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
		/* The directories the walk went through (vfs_dentry.c). */
		ret = v9x_checks_settle(dir->i_sb, NULL);
		if (ret) {
			if (!IS_ERR(res))
				dput(res);
			return ret;
		}
		if (IS_ERR(res))
			return PTR_ERR(res);
		if (res)
			dentry = res;
	}
	if (!(flags & O_CREAT) || d_really_is_positive(dentry))
		return finish_no_open(file, res);

create:
	ret = v9x_acl_prepare(dir, &mode, &dacl, &acl);
	if (ret)
		goto out_dput;
	ret = v9x_dentry_clone(dentry->d_parent, &ofid);
	if (ret)
		goto out_acl;
	/* Nothing is created before the walk's directories are checked. */
	ret = v9x_checks_settle(dir->i_sb, NULL);
	if (ret)
		goto out_put_ofid;
	fid_read = (flags & O_ACCMODE) != O_WRONLY;
	/*
	 * Always O_EXCL on the wire: the file is reported FMODE_CREATED,
	 * which skips O_TRUNC and the open's permission check, so it must be
	 * new. Without O_EXCL, a name the server has after all (a negative
	 * dentry gone stale, or a file made since the lookup) is opened as it
	 * is, through a new lookup (below).
	 */
	ret = -EACCES;	/* unless upgraded: create as asked, below */
	if (v9x_upgrade_wronly(dir, flags)) {
		ret = v9x_client_lcreate(ofid, dentry->d_name.name,
					 v9x_dotl_rdwr(v9x_dotl_flags(flags | O_EXCL)),
					 mode & S_IALLUGO, v9x_new_gid(dir));
		fid_read = !ret;
	}
	if (ret == -EACCES || ret == -EPERM)
		ret = v9x_client_lcreate(ofid, dentry->d_name.name,
					 v9x_dotl_flags(flags | O_EXCL),
					 mode & S_IALLUGO, v9x_new_gid(dir));
	if (ret == -EEXIST && !(flags & O_EXCL)) {
		/* The VFS looks the name up again (LOOKUP_REVAL) and opens it. */
		ret = -EOPENSTALE;
		goto out_put_ofid;
	}
	if (ret && ret != -EEXIST && d_in_lookup(dentry)) {
		v9x_fid_put(ofid);
		v9x_acl_release(dacl, acl);
		return v9x_excl_error(dir, dentry, ret);
	}
	if (ret)
		goto out_put_ofid;
	ret = v9x_instantiate_open(dir, dentry, ofid);
	if (!ret)
		ret = v9x_acl_init(dentry, dacl, acl);
	if (ret)
		goto out_put_ofid;
	v9x_acl_release(dacl, acl);
	dacl = NULL;
	acl = NULL;

	vf = v9x_file_alloc(ofid);
	if (!vf) {
		ret = -ENOMEM;
		goto out_put_ofid;
	}
	vf->fid_read = fid_read;
	file->f_mode |= FMODE_CREATED;
	file->private_data = vf;
	ret = finish_open(file, dentry, v9x_vfs_finish_open);
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
out_acl:
	v9x_acl_release(dacl, acl);
out_dput:
	dput(res);
	return ret;
}

/* Only mknod(2) of a regular file comes here (->atomic_open serves open): exclusive. */
int v9x_create(V9X_IDMAP_T *idmap, struct inode *dir, struct dentry *dentry,
	       umode_t mode)
{
	struct posix_acl *dacl, *acl;
	struct v9x_fid *ofid;
	int ret;

	ret = v9x_create_settle(dentry);
	if (ret)
		return ret;
	ret = v9x_acl_prepare(dir, &mode, &dacl, &acl);
	if (ret)
		return ret;
	ret = v9x_dentry_clone(dentry->d_parent, &ofid);
	if (ret)
		goto out_acl;
	ret = v9x_client_lcreate(ofid, dentry->d_name.name,
				 V9X_DOTL_RDONLY | V9X_DOTL_EXCL,
				 mode & S_IALLUGO, v9x_new_gid(dir));
	if (!ret)
		ret = v9x_instantiate_open(dir, dentry, ofid);
	if (!ret)
		ret = v9x_acl_init(dentry, dacl, acl);
	v9x_fid_put(ofid);
out_acl:
	v9x_acl_release(dacl, acl);
	return ret;
}

/* Return: NULL (@dentry is instantiated) or an ERR_PTR. */
struct dentry *v9x_mkdir(V9X_IDMAP_T *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode)
{
	struct posix_acl *dacl, *acl;
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	ret = v9x_create_settle(dentry);
	if (ret)
		return ERR_PTR(ret);
	/* The VFS passes no type bits; posix_acl_create() needs them. */
	mode |= S_IFDIR;
	ret = v9x_acl_prepare(dir, &mode, &dacl, &acl);
	if (ret)
		return ERR_PTR(ret);
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid)) {
		ret = PTR_ERR(dfid);
		goto out_acl;
	}
	ret = v9x_client_mkdir(dfid, dentry->d_name.name, mode & S_IALLUGO,
			       v9x_new_gid(dir), &qid);
	v9x_fid_put(dfid);
	if (!ret)
		ret = v9x_instantiate(dir, dentry, S_IFDIR);
	if (!ret)
		ret = v9x_acl_init(dentry, dacl, acl);
out_acl:
	v9x_acl_release(dacl, acl);
	return ret ? ERR_PTR(ret) : NULL;
}

static int v9x_vfs_symlink(V9X_IDMAP_T *idmap, struct inode *dir,
			   struct dentry *dentry, const char *target)
{
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	ret = v9x_create_settle(dentry);
	if (ret)
		return ret;
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_client_symlink(dfid, dentry->d_name.name, target, v9x_new_gid(dir),
				 &qid);
	v9x_fid_put(dfid);
	if (ret)
		return ret;
	ret = v9x_instantiate(dir, dentry, S_IFLNK);
	return ret;
}

static int v9x_vfs_mknod(V9X_IDMAP_T *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode, dev_t rdev)
{
	struct posix_acl *dacl, *acl;
	struct v9x_fid *dfid;
	struct v9x_qid qid;
	int ret;

	ret = v9x_create_settle(dentry);
	if (ret)
		return ret;
	ret = v9x_acl_prepare(dir, &mode, &dacl, &acl);
	if (ret)
		return ret;
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid)) {
		ret = PTR_ERR(dfid);
		goto out_acl;
	}
	ret = v9x_client_mknod(dfid, dentry->d_name.name, mode, MAJOR(rdev),
			       MINOR(rdev), v9x_new_gid(dir), &qid);
	v9x_fid_put(dfid);
	if (!ret)
		ret = v9x_instantiate(dir, dentry, mode & S_IFMT);
	if (!ret)
		ret = v9x_acl_init(dentry, dacl, acl);
out_acl:
	v9x_acl_release(dacl, acl);
	return ret;
}

static int v9x_vfs_link(struct dentry *old, struct inode *dir,
			struct dentry *dentry)
{
	struct inode *inode = d_inode(old);
	struct v9x_fid *dfid, *ofid, *fid;
	struct v9x_stat st;
	int ret;

	ret = v9x_create_settle(dentry);
	if (ret)
		return ret;
	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ofid = v9x_dentry_fid(old);
	if (IS_ERR(ofid)) {
		ret = PTR_ERR(ofid);
		goto out_put;
	}
	ret = v9x_client_link(dfid, ofid, dentry->d_name.name);
	v9x_fid_put(ofid);
	if (ret)
		goto out_put;
	/* The new name needs a fid of its own. */
	ret = v9x_client_walk(dfid, 1, (const char *const *)&dentry->d_name.name,
			      &fid);
	if (ret)
		goto out_put;
	if (!v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st))
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

static int v9x_remove_name(struct inode *dir, struct dentry *dentry, u32 flags)
{
	struct inode *inode = d_inode(dentry);
	struct v9x_fid *dfid;
	int ret;

	dfid = v9x_dentry_fid(dentry->d_parent);
	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_client_unlinkat(dfid, dentry->d_name.name, flags);
	v9x_fid_put(dfid);
	v9x_prefetch_forget(dir, &dentry->d_name);
	if (ret)
		return ret;
	v9x_drop_nlink(inode, flags & V9X_DOTL_AT_REMOVEDIR);
	v9x_attr_stale(inode);
	v9x_attr_stale(dir);
	return 0;
}

static int v9x_vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	return v9x_remove_name(dir, dentry, 0);
}

static int v9x_vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	return v9x_remove_name(dir, dentry, V9X_DOTL_AT_REMOVEDIR);
}

/*
 * RENAME_NOREPLACE: the VFS refused a target it knows, but a cached
 * negative dentry may be out of date (another client or the host created
 * the name since). 9P2000.L has no no-replace rename, so ask the server
 * first with a Twalk of the name. Another client creating the name between
 * this walk and the Trenameat is still replaced: that window is one round
 * trip, documented in v9x.rst. A name that does exist makes the dentry
 * stale, so the next lookup asks the server.
 */
static int v9x_rename_target_absent(struct v9x_fid *dfid,
				    struct dentry *dentry)
{
	const char *name = dentry->d_name.name;
	struct v9x_fid *fid;
	int ret;

	ret = v9x_client_walk(dfid, 1, &name, &fid);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	v9x_fid_put(fid);
	d_drop(dentry);
	return -EEXIST;
}

static int v9x_vfs_rename(V9X_IDMAP_T *idmap, struct inode *old_dir,
			  struct dentry *old_dentry, struct inode *new_dir,
			  struct dentry *new_dentry, unsigned int flags)
{
	struct inode *target = d_inode(new_dentry);
	struct v9x_fid *ofid, *nfid;
	int ret;

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
	ret = 0;
	if ((flags & RENAME_NOREPLACE) && !target)
		ret = v9x_rename_target_absent(nfid, new_dentry);
	if (!ret)
		ret = v9x_client_renameat(ofid, old_dentry->d_name.name, nfid,
					  new_dentry->d_name.name);
	v9x_fid_put(nfid);
	v9x_fid_put(ofid);
	/* Fids walked ahead to either name may name another file now. */
	v9x_prefetch_forget(old_dir, &old_dentry->d_name);
	v9x_prefetch_forget(new_dir, &new_dentry->d_name);
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

/**
 * v9x_vfs_evict_inode - write back what is left and let go of the inode
 * @inode: the inode; its writeback fid is clunked last
 */
void v9x_vfs_evict_inode(struct inode *inode)
{
	struct v9x_inode *vi = V9X_I(inode);

	/* Pages dirtied through a mapping after the last close. */
	if (inode->i_nlink && vi->wb_fid)
		filemap_write_and_wait(&inode->i_data);
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	v9x_prefetch_evict(inode);
	v9x_dir_fid_drop(inode);
	if (vi->wb_fid) {
		v9x_fid_put(vi->wb_fid);
		vi->wb_fid = NULL;
	}
}

const struct inode_operations v9x_dir_iops = {
	.permission = v9x_vfs_permission,
	.lookup = v9x_vfs_lookup,
	.atomic_open = v9x_vfs_atomic_open,
	.create = v9x_iop_create,
	.mkdir = v9x_iop_mkdir,
	.rmdir = v9x_vfs_rmdir,
	.unlink = v9x_vfs_unlink,
	.rename = v9x_vfs_rename,
	.symlink = v9x_vfs_symlink,
	.link = v9x_vfs_link,
	.mknod = v9x_vfs_mknod,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_vfs_listxattr,
	V9X_IOP_GET_ACL,
	.set_acl = v9x_iop_set_acl,
};

const struct inode_operations v9x_file_iops = {
	.permission = v9x_vfs_permission,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_vfs_listxattr,
	V9X_IOP_GET_ACL,
	.set_acl = v9x_iop_set_acl,
};

const struct inode_operations v9x_symlink_iops = {
	.permission = v9x_vfs_permission,
	.get_link = v9x_vfs_get_link,
	.getattr = v9x_vfs_getattr,
	.setattr = v9x_vfs_setattr,
	.listxattr = v9x_vfs_listxattr,
};
