// SPDX-License-Identifier: GPL-2.0
/*
 * Dentry operations and the freshness of cached names and attributes.
 * Calls fid.c (a dentry's fids) and the client (Tgetattr to revalidate).
 *
 * Every mode keeps dentries (and their fids) while unused. The caching
 * modes trust a name, and an inode's attributes, for actimeo; after that,
 * and with cache=none at every use, a dentry is revalidated with one
 * Tgetattr of its fid (which fails, or shows another qid, once the name is
 * gone or reused). That one request replaces the Twalk + Tgetattr + Tclunk
 * a dentry dropped after each use would cost again each time.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/namei.h>

#include "compat.h"
#include "internal.h"

static void v9x_vfs_d_release(struct dentry *dentry)
{
	v9x_dentry_put_fids(dentry);
}

/*
 * A dentry turning negative (its file unlinked, but the dentry kept) lets
 * go of the fids that named the file: a file created later under the same
 * name gets fids of its own.
 */
static void v9x_vfs_d_iput(struct dentry *dentry, struct inode *inode)
{
	v9x_vfs_d_release(dentry);
	iput(inode);
}

/**
 * v9x_dentry_fresh - trust a name (or its absence) for actimeo from now
 * @dentry: the dentry just looked up or revalidated
 */
void v9x_dentry_fresh(struct dentry *dentry)
{
	dentry->d_time = jiffies + V9X_SB(dentry->d_sb)->actimeo;
}

/**
 * v9x_attr_stale - make @inode's cached attributes stale
 * @inode: the inode, or NULL
 *
 * The next stat asks the server.
 */
void v9x_attr_stale(struct inode *inode)
{
	u64 seq;

	if (!inode)
		return;
	seq = atomic64_inc_return(&V9X_SB(inode->i_sb)->stale_seq);
	WRITE_ONCE(V9X_I(inode)->attr_expire, jiffies);
	spin_lock(&inode->i_lock);
	V9X_I(inode)->attr_task = NULL;
	V9X_I(inode)->stale_seq = seq;
	spin_unlock(&inode->i_lock);
}

/**
 * v9x_attr_seq - where the mount's own attribute changes stand
 * @inode: any inode of the mount
 *
 * Taken before a Tgetattr whose answer refreshes cached attributes, for
 * v9x_inode_update_since(): an answer may have been produced before a
 * change the guest made while it was in flight (a chmod, an unlink), and
 * must not then put the old attributes back and trust them for actimeo.
 *
 * Return: the sequence number.
 */
u64 v9x_attr_seq(struct inode *inode)
{
	return atomic64_read(&V9X_SB(inode->i_sb)->stale_seq);
}

/**
 * v9x_attr_fresh - may @inode's cached attributes be used without asking?
 * @inode: the inode
 *
 * Return: true within actimeo of the last update, in a caching mode.
 */
bool v9x_attr_fresh(struct inode *inode)
{
	if (!V9X_SB(inode->i_sb)->actimeo)
		return false;
	return time_before(jiffies, READ_ONCE(V9X_I(inode)->attr_expire));
}

/**
 * v9x_dentry_is_fresh - is @dentry's name still trusted without asking?
 * @dentry: the dentry
 *
 * Return: true within actimeo of its last lookup or revalidation.
 */
bool v9x_dentry_is_fresh(struct dentry *dentry)
{
	return V9X_SB(dentry->d_sb)->actimeo &&
	       time_before(jiffies, READ_ONCE(dentry->d_time));
}

/**
 * v9x_dentry_refresh - ask the server whether a positive dentry still holds
 * @dentry: the dentry, held by the caller
 *
 * One Tgetattr of its fid: the same file (qid and type) refreshes the
 * inode's attributes and the name's lifetime (neither, when the guest
 * changed the attributes while it was in flight).
 *
 * Return: 1 if it holds, 0 if the name is gone or now another file, or a
 * negative errno.
 */
int v9x_dentry_refresh(struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	u64 seq = v9x_attr_seq(inode);
	struct v9x_fid *fid;
	struct v9x_stat st;
	int ret;

	fid = v9x_dentry_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid) == -ENOENT ? 0 : PTR_ERR(fid);
	ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
	v9x_fid_put(fid);
	if (ret == -ENOENT || ret == -ESTALE)
		return 0;
	if (ret)
		return ret;
	if (st.qid.path != V9X_I(inode)->qid.path ||
	    (st.mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return 0;
	if (v9x_inode_update_since(inode, &st, seq))
		v9x_dentry_fresh(dentry);
	return 1;
}

/**
 * v9x_attr_just_fetched - were @inode's attributes fetched in this very
 *	operation?
 * @inode: the inode
 *
 * A stat looks its name up (Twalk + Tgetattr, or a revalidating Tgetattr)
 * and then asks for the attributes: with cache=none that would be a second
 * Tgetattr right behind the first. The first one's answer is used when the
 * current task fetched it, has not been switched out since, no clock tick
 * has passed, and the session has received no other reply since: nothing
 * the task did in between (it did not sleep) can have been seen by the
 * host, and no other task can have learnt through v9x of a host change
 * newer than that answer.
 *
 * Return: true when the cached attributes are that fresh.
 */
bool v9x_attr_just_fetched(struct inode *inode)
{
	struct v9x_inode *vi = V9X_I(inode);
	bool ret;

	spin_lock(&inode->i_lock);
	ret = vi->attr_task == current &&
	      vi->attr_csw == current->nvcsw + current->nivcsw &&
	      time_before_eq(jiffies, vi->attr_fetched + 1) &&
	      vi->attr_replies ==
			atomic64_read(&V9X_SB(inode->i_sb)->clnt->replies);
	spin_unlock(&inode->i_lock);
	return ret;
}

/*
 * A cached name is good for actimeo (cache=none: 0); after that one
 * Tgetattr of its fid says whether the server still has the same file
 * there. An expired negative dentry is looked up again.
 */
int v9x_d_revalidate(struct inode *dir, const struct qstr *name,
		     struct dentry *dentry, unsigned int flags)
{
	struct inode *inode = d_inode(dentry);

	/* LOOKUP_REVAL: a retry after ESTALE; trust nothing cached. */
	if (!(flags & LOOKUP_REVAL) && v9x_dentry_is_fresh(dentry))
		return 1;
	/*
	 * Without an actimeo (cache=none, and readahead and mmap by default),
	 * a directory open in the guest (a walker's, a process's listing) is
	 * not asked about on every path through it, as when cache=none
	 * dropped unused dentries and only such in-use ones stayed: QEMU
	 * resolves a fid by its path at every request, so what is done
	 * through it still reaches what the host has there now.
	 */
	if (!(flags & LOOKUP_REVAL) && inode && S_ISDIR(inode->i_mode) &&
	    !V9X_SB(dentry->d_sb)->actimeo &&
	    !list_empty(&V9X_I(inode)->open_files))
		return 1;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	if (!inode)
		return 0;
	return v9x_dentry_refresh(dentry);
}

const struct dentry_operations v9x_dentry_ops = {
	.d_revalidate = v9x_dop_revalidate,
	.d_iput = v9x_vfs_d_iput,
	.d_release = v9x_vfs_d_release,
};
