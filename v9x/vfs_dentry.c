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
 *
 * Without an actimeo, the directories a path walk goes through on its way
 * to the last component are checked together: each one's Tgetattr is sent
 * and the walk goes on while it is in flight (struct v9x_check). Before the
 * walk's last component is used, the task waits for those answers
 * (v9x_checks_settle()); a directory gone, now another file or with other
 * owner or permission bits (which the walk's permission checks used) sends
 * the walk back to the VFS with -ESTALE, which walks again with
 * LOOKUP_REVAL, checking each directory before going on, as before. Each
 * check is still sent after the operation began, so what the host changed
 * before it is seen as before. The last component's own Tgetattr is sent
 * before those answers are waited for, and judged after them: a path
 * costs about one round trip however deep (n + 1 for n directories when
 * each was checked in turn). A walk also waits before it leaves the mount
 * (a symlink to follow, a mount point). The creates of
 * filename_create() (mkdir, mknod, symlink, link), whose callers walk
 * again only when the create itself fails with -ESTALE, wait at the create
 * (v9x_checks_settle_last()).
 */

#include <linux/completion.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/namei.h>
#include <linux/sched.h>
#include <linux/slab.h>

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

/*
 * A dentry's refreshing Tgetattr in flight (v9x_refresh_send()), for a
 * walk's last component sent before the checks of the directories on the
 * way are in (v9x_d_revalidate()).
 */
struct v9x_refresh {
	struct v9x_fid *fid;
	struct v9x_req *req;
	u64 seq;
};

/*
 * Send @dentry's Tgetattr. Return: 1 if sent; 0 if the dentry has no fid
 * to ask with (the name is gone); or a negative errno.
 */
static int v9x_refresh_send(struct dentry *dentry, struct v9x_refresh *r)
{
	int ret;

	r->seq = v9x_attr_seq(d_inode(dentry));
	r->fid = v9x_dentry_fid(dentry);
	if (IS_ERR(r->fid)) {
		ret = PTR_ERR(r->fid);
		return ret == -ENOENT ? 0 : ret;
	}
	r->req = v9x_client_getattr_send(r->fid, V9X_GETATTR_BASIC);
	if (IS_ERR(r->req)) {
		v9x_fid_put(r->fid);
		return PTR_ERR(r->req);
	}
	return 1;
}

/* Drop @r unanswered (the walk goes back to the VFS). */
static void v9x_refresh_drop(struct v9x_refresh *r)
{
	v9x_req_put(r->req);
	v9x_fid_put(r->fid);
}

/* Wait for @r's answer and judge it: as v9x_dentry_refresh(). */
static int v9x_refresh_finish(struct dentry *dentry, struct v9x_refresh *r)
{
	struct inode *inode = d_inode(dentry);
	struct v9x_stat st;
	int ret;

	ret = v9x_client_getattr_wait(r->fid->clnt, r->req, &st);
	v9x_fid_put(r->fid);
	if (ret == -ENOENT || ret == -ESTALE)
		return 0;
	if (ret)
		return ret;
	if (st.qid.path != V9X_I(inode)->qid.path ||
	    (st.mode & S_IFMT) != (inode->i_mode & S_IFMT))
		return 0;
	if (v9x_inode_update_since(inode, &st, r->seq))
		v9x_dentry_fresh(dentry);
	return 1;
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
	struct v9x_refresh r;
	int ret;

	ret = v9x_refresh_send(dentry, &r);
	if (ret <= 0)
		return ret;
	return v9x_refresh_finish(dentry, &r);
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
	struct v9x_stats *stats = &V9X_SB(inode->i_sb)->clnt->stats;
	atomic64_t *miss = NULL;

	spin_lock(&inode->i_lock);
	if (vi->attr_task != current)
		miss = &stats->reuse_task;
	else if (vi->attr_csw != current->nvcsw + current->nivcsw)
		miss = &stats->reuse_switch;
	else if (time_after(jiffies, vi->attr_fetched + 1))
		miss = &stats->reuse_tick;
	else if (vi->attr_replies !=
		 atomic64_read(&V9X_SB(inode->i_sb)->clnt->replies))
		miss = &stats->reuse_reply;
	spin_unlock(&inode->i_lock);
	/* Why not: the reuse is timing-bound, meta's notes show these. */
	if (miss)
		atomic64_inc(miss);
	return !miss;
}

/*
 * At most this many directory checks in flight per mount; past it a walk
 * checks each directory before going on.
 */
#define V9X_CHECKS_MAX		64
/**
 * struct v9x_check - a directory's Tgetattr, in flight while a walk goes on
 * @node: in v9x_sb_info.checks, under checks_lock
 * @task: the walking task (a reference: an exited task's checks are freed)
 * @inode: the directory (a reference)
 * @fid: the fid asked about (a reference, until the answer is in)
 * @req: the Tgetattr
 * @seq: v9x_attr_seq() before it was sent (v9x_inode_update_since())
 * @mode: the permission bits the walk's check used (S_IALLUGO part)
 * @uid: the owner it used
 * @gid: the group it used
 * @replies: the client's reply count when it was sent: an inode updated
 *	from a reply after that is not overwritten with this answer
 */
struct v9x_check {
	struct list_head node;
	struct task_struct *task;
	struct inode *inode;
	struct v9x_fid *fid;
	struct v9x_req *req;
	u64 seq;
	umode_t mode;
	u32 uid;
	u32 gid;
	u64 replies;
};

/*
 * Send the Tgetattr of a directory the walk goes through, and let the walk
 * go on. Return: 1 if sent; 0 if not (too many in flight, no memory, or a
 * check of this directory found it changed): the caller checks it now;
 * or the error of finding the user's fid for it.
 */
static int v9x_check_send(struct dentry *dentry)
{
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	struct inode *inode = d_inode(dentry);
	struct v9x_check *c;
	int ret = 0;

	if (test_and_clear_bit(V9X_I_RECHECK, &V9X_I(inode)->flags))
		return 0;
	if (atomic_inc_return(&sbi->nchecks) > V9X_CHECKS_MAX)
		goto out_dec;
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		goto out_dec;
	c->fid = v9x_dentry_fid(dentry);
	if (IS_ERR(c->fid)) {
		ret = PTR_ERR(c->fid);
		goto out_free;
	}
	c->seq = v9x_attr_seq(inode);
	c->mode = READ_ONCE(inode->i_mode);
	c->uid = i_uid_read(inode);
	c->gid = i_gid_read(inode);
	c->replies = atomic64_read(&sbi->clnt->replies);
	c->req = v9x_client_getattr_send(c->fid, V9X_GETATTR_BASIC);
	if (IS_ERR(c->req))
		goto out_put_fid;
	c->task = get_task_struct(current);
	c->inode = inode;
	ihold(inode);
	spin_lock(&sbi->checks_lock);
	list_add_tail(&c->node, &sbi->checks);
	spin_unlock(&sbi->checks_lock);
	atomic64_inc(&sbi->clnt->stats.path_checks);
	atomic64_inc(&sbi->clnt->stats.path_checks_held);
	return 1;

out_put_fid:
	v9x_fid_put(c->fid);
out_free:
	kfree(c);
out_dec:
	atomic_dec(&sbi->nchecks);
	return ret;
}

/* Free @c, taken off the list; an answer not waited for is dropped. */
static void v9x_check_free(struct v9x_sb_info *sbi, struct v9x_check *c)
{
	if (c->req)
		v9x_req_put(c->req);
	v9x_fid_put(c->fid);
	iput(c->inode);
	put_task_struct(c->task);
	kfree(c);
	atomic_dec(&sbi->nchecks);
	atomic64_dec(&sbi->clnt->stats.path_checks_held);
}

/*
 * Wait for @c's answer. Return: 0 if the directory is what the walk went
 * through, -ESTALE if not, or the request's error.
 */
static int v9x_check_wait(struct v9x_sb_info *sbi, struct v9x_check *c)
{
	struct inode *inode = c->inode;
	struct v9x_inode *vi = V9X_I(inode);
	struct v9x_stat st;
	bool newer;
	int ret;

	ret = v9x_client_getattr_wait(sbi->clnt, c->req, &st);
	c->req = NULL;
	if (ret && ret != -ENOENT && ret != -ESTALE)
		return ret;
	if (ret || st.qid.path != vi->qid.path ||
	    (st.mode & S_IFMT) != (c->mode & S_IFMT)) {
		/* A caller that does not walk again meets it checked next. */
		set_bit(V9X_I_RECHECK, &vi->flags);
		return -ESTALE;
	}
	/* Another task's answer, newer than this one, stays. */
	spin_lock(&inode->i_lock);
	newer = vi->attr_replies > c->replies;
	spin_unlock(&inode->i_lock);
	if (!newer)
		v9x_inode_update_since(inode, &st, c->seq);
	if ((st.mode & S_IALLUGO) == (c->mode & S_IALLUGO) &&
	    st.uid == c->uid && st.gid == c->gid)
		return 0;
	return -ESTALE;
}

/* Is @inode @dir or one of its ancestors (a directory: one alias)? */
static bool v9x_on_path(struct dentry *dir, struct inode *inode)
{
	struct dentry *alias = d_find_alias(inode);
	bool found = alias && is_subdir(dir, alias);

	dput(alias);
	return found;
}

/**
 * v9x_checks_settle - wait for the checks of the directories the current
 *	task's walk went through
 * @sb: the mount
 * @at: NULL to judge all of them; else only the checks of @at and its
 *	ancestors are judged, the others are dropped (a use of a file after
 *	its walk, and with fstat(2) or fsetxattr(2) after none, must not
 *	fail for a walk that went elsewhere)
 *
 * Called before a walk's last component is used (revalidated, looked up or
 * opened), by mkdir, mknod, symlink and link before they create, when a
 * step of a walk fails, before a permission check refuses, and after the
 * walk by stat, open, setattr, access,
 * chdir, the xattr calls and statfs (a path ending in "." or ".." ends
 * without a last component). Also frees the answered checks of tasks that
 * exited.
 *
 * Return: 0; -ESTALE when a directory is gone, another file, or has other
 * owner or permission bits than the walk used (the VFS then walks again
 * with LOOKUP_REVAL); or a request's error (-EINTR when killed).
 */
int v9x_checks_settle(struct super_block *sb, struct dentry *at)
{
	struct v9x_sb_info *sbi = V9X_SB(sb);
	struct v9x_check *c, *tmp;
	LIST_HEAD(taken);
	int ret = 0;

	if (!atomic_read(&sbi->nchecks))
		return 0;
	spin_lock(&sbi->checks_lock);
	list_for_each_entry_safe(c, tmp, &sbi->checks, node) {
		if (c->task == current ||
		    ((c->task->flags & PF_EXITING) &&
		     completion_done(&c->req->done)))
			list_move_tail(&c->node, &taken);
	}
	spin_unlock(&sbi->checks_lock);
	list_for_each_entry_safe(c, tmp, &taken, node) {
		list_del(&c->node);
		if (!ret && c->task == current &&
		    (!at || v9x_on_path(at, c->inode)))
			ret = v9x_check_wait(sbi, c);
		v9x_check_free(sbi, c);
	}
	if (ret == -ESTALE)
		atomic64_inc(&sbi->clnt->stats.path_retries);
	return ret;
}

/**
 * v9x_checks_exit - drop every check in flight
 * @sb: the mount, before its inodes are evicted
 */
void v9x_checks_exit(struct super_block *sb)
{
	struct v9x_sb_info *sbi = V9X_SB(sb);
	struct v9x_check *c, *tmp;
	LIST_HEAD(taken);

	spin_lock(&sbi->checks_lock);
	list_splice_init(&sbi->checks, &taken);
	spin_unlock(&sbi->checks_lock);
	list_for_each_entry_safe(c, tmp, &taken, node) {
		list_del(&c->node);
		v9x_check_free(sbi, c);
	}
}

/* The last lookup of filename_create() (mkdir, mknod, symlink, link, bind). */
static bool v9x_create_lookup(unsigned int flags)
{
	unsigned int create = LOOKUP_CREATE | LOOKUP_EXCL;

	/* (From 6.15 a rename's target has LOOKUP_CREATE too.) */
	return (flags & (create | LOOKUP_OPEN | LOOKUP_RENAME_TARGET)) ==
	       create;
}

/**
 * v9x_checks_settle_last - before a walk's last component is used
 * @dentry: that component (its parent is the directory the walk ended in)
 * @flags: the lookup's LOOKUP_* flags
 *
 * The last lookup of filename_create() (mkdir, mknod, symlink, link, and a
 * unix socket's bind) has LOOKUP_CREATE and LOOKUP_EXCL without
 * LOOKUP_OPEN, and an -ESTALE there fails the call: its callers walk
 * again (LOOKUP_REVAL) only when the create itself fails with -ESTALE. So
 * its checks are left in flight, and the create waits for them
 * (v9x_checks_settle() on the directory it is made in, in each create
 * operation; and in ->permission when the VFS's check of that directory
 * refuses). A create in a directory replaced on the host then walks again,
 * and the VFS judges it, its group, setgid bit and default ACL on the new
 * inode. Every other walk, and unlink, rmdir and rename, wait here.
 *
 * Return: as v9x_checks_settle().
 */
int v9x_checks_settle_last(struct dentry *dentry, unsigned int flags)
{
	if (v9x_create_lookup(flags))
		return 0;
	return v9x_checks_settle(dentry->d_sb, NULL);
}

/**
 * v9x_checks_will_settle - may v9x_checks_settle_last() wait for checks?
 * @dentry: the walk's last component
 * @flags: the lookup's LOOKUP_* flags
 *
 * Return: true when checks are in flight (the current task's or another's)
 * and this lookup waits for them: the last component's own request can
 * then be sent first.
 */
bool v9x_checks_will_settle(struct dentry *dentry, unsigned int flags)
{
	return atomic_read(&V9X_SB(dentry->d_sb)->nchecks) &&
	       !v9x_create_lookup(flags);
}

/**
 * v9x_checks_create_found - the last lookup of a create found its name
 * @dentry: that name
 * @flags: the lookup's LOOKUP_* flags
 *
 * For the last lookup of filename_create() (v9x_checks_settle_last()):
 * the call fails then (EEXIST) before any create operation waits for the
 * checks the walk left in flight. They are judged here instead of being
 * held until the task's next call; a directory found changed is checked
 * again by the next walk through it (V9X_I_RECHECK). The name was looked
 * up by path, so it exists where the host has it now.
 */
void v9x_checks_create_found(struct dentry *dentry, unsigned int flags)
{
	if (v9x_create_lookup(flags) &&
	    atomic_read(&V9X_SB(dentry->d_sb)->nchecks))
		v9x_checks_settle(dentry->d_sb, NULL);
}

/*
 * Before a walk's last component is used, or the walk leaves the mount:
 * the checks on the way.
 */
static int v9x_walk_settle(struct dentry *dentry, unsigned int flags)
{
	if (!atomic_read(&V9X_SB(dentry->d_sb)->nchecks))
		return 0;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	return v9x_checks_settle_last(dentry, flags);
}

/*
 * A step on the way after which the walk may go on outside this mount
 * (a symlink it follows, a mount point it crosses): no later step of the
 * walk would wait for its checks.
 */
static bool v9x_walk_leaves(struct dentry *dentry, struct inode *inode)
{
	return d_mountpoint(dentry) || (inode && !S_ISDIR(inode->i_mode));
}

/*
 * A cached name is good for actimeo (cache=none: 0); after that one
 * Tgetattr of its fid says whether the server still has the same file
 * there. An expired negative dentry is looked up again. A walk's last
 * component (no LOOKUP_PARENT) is used only once the checks of the
 * directories on the way are in.
 */
int v9x_d_revalidate(struct inode *dir, const struct qstr *name,
		     struct dentry *dentry, unsigned int flags)
{
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	struct inode *inode = d_inode(dentry);
	bool last = !(flags & LOOKUP_PARENT);
	int ret, err;

	/* LOOKUP_REVAL: a retry after ESTALE; trust nothing cached. */
	if (!(flags & LOOKUP_REVAL) && v9x_dentry_is_fresh(dentry))
		goto valid;
	/*
	 * Without an actimeo (cache=none, and readahead and mmap by default),
	 * a directory open in the guest (a walker's, a process's listing) is
	 * not asked about on every path through it, as when cache=none
	 * dropped unused dentries and only such in-use ones stayed: QEMU
	 * resolves a fid by its path at every request, so what is done
	 * through it still reaches what the host has there now.
	 */
	if (!(flags & LOOKUP_REVAL) && inode && S_ISDIR(inode->i_mode) &&
	    !sbi->actimeo && !list_empty(&V9X_I(inode)->open_files))
		goto valid;
	if (flags & LOOKUP_RCU)
		return -ECHILD;
	if (!inode)
		return 0;
	/*
	 * The last component: its own check is sent before the answers of the
	 * directories on the way are waited for, and judged after them (its
	 * answer is taken in last, so a stat can still reuse it: the task
	 * neither slept nor saw another reply after it). A path then costs
	 * one round trip, not one for its directories and one for its name.
	 */
	if (last) {
		struct v9x_refresh r;

		ret = v9x_refresh_send(dentry, &r);
		if (ret > 0 && v9x_checks_will_settle(dentry, flags))
			atomic64_inc(&sbi->clnt->stats.path_last_early);
		err = v9x_walk_settle(dentry, flags);
		if (err) {
			if (ret > 0)
				v9x_refresh_drop(&r);
			return err;
		}
		if (ret > 0)
			ret = v9x_refresh_finish(dentry, &r);
		if (ret == 1)
			v9x_checks_create_found(dentry, flags);
		return ret;
	}
	if (v9x_walk_leaves(dentry, inode)) {
		err = v9x_walk_settle(dentry, flags);
		if (err)
			return err;
	}
	/*
	 * A directory on the way: its answer is waited for at the end (not
	 * a mount point: the walk's end is in another filesystem).
	 */
	ret = 0;
	if (!(flags & LOOKUP_REVAL) && S_ISDIR(inode->i_mode) &&
	    !sbi->actimeo && !d_mountpoint(dentry))
		ret = v9x_check_send(dentry);
	if (ret > 0)
		return ret;
	if (!ret)
		ret = v9x_dentry_refresh(dentry);
	else if (ret == -ENOENT)
		ret = 0;
	/* A walk that fails here: its checks may say why (-ESTALE). */
	if (ret < 0 && atomic_read(&sbi->nchecks)) {
		err = v9x_checks_settle(dentry->d_sb, NULL);
		if (err)
			return err;
	}
	return ret;

valid:
	if (last || v9x_walk_leaves(dentry, inode)) {
		err = v9x_walk_settle(dentry, flags);
		if (err)
			return err;
	}
	if (last && inode)
		v9x_checks_create_found(dentry, flags);
	return 1;
}

const struct dentry_operations v9x_dentry_ops = {
	.d_revalidate = v9x_dop_revalidate,
	.d_iput = v9x_vfs_d_iput,
	.d_release = v9x_vfs_d_release,
};
