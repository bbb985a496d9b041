// SPDX-License-Identifier: GPL-2.0
/*
 * Dentry operations and the freshness of cached names and attributes.
 * Calls fid.c (a dentry's fids) and the client (Tgetattr to revalidate).
 *
 * cache=none keeps no unused dentry (always_delete_dentry). The caching
 * modes keep dentries and trust a name, and an inode's attributes, for
 * actimeo; then a dentry is revalidated with one Tgetattr of its fid (which
 * fails, or shows another qid, once the name is gone or reused).
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

const struct dentry_operations v9x_dentry_ops = {
	.d_delete = always_delete_dentry,
	.d_iput = v9x_vfs_d_iput,
	.d_release = v9x_vfs_d_release,
};

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
	if (inode)
		WRITE_ONCE(V9X_I(inode)->attr_expire, jiffies);
}

/**
 * v9x_attr_fresh - may @inode's cached attributes be used without asking?
 * @inode: the inode
 *
 * Return: true within actimeo of the last update, in a caching mode.
 */
bool v9x_attr_fresh(struct inode *inode)
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
int v9x_d_revalidate(struct inode *dir, const struct qstr *name,
		     struct dentry *dentry, unsigned int flags)
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
	ret = v9x_client_getattr(fid, V9X_GETATTR_BASIC, &st);
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
	.d_revalidate = v9x_dop_revalidate,
	.d_iput = v9x_vfs_d_iput,
	.d_release = v9x_vfs_d_release,
};
