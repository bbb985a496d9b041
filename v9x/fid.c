// SPDX-License-Identifier: GPL-2.0
/*
 * The fids a dentry owns (fs/9p's fid.c): find, add, walk for a user, clone.
 * Calls the client (Tattach, Twalk) and nothing of the VFS layer but V9X_SB().
 *
 * Fid ownership: a positive dentry owns the fids that name its file (a
 * list in d_fsdata, put in d_iput/d_release through v9x_dentry_put_fids()):
 * one per user that used the dentry, each walked from that user's own
 * Tattach, so that the server acts as that user (owner of new files, its own
 * permission checks); with access=any, one fid of the mount's single
 * session. A dentry gets its fid when first used if it has none (a file
 * created through open). Every open file owns a fid cloned from its
 * opener's dentry fid and opened with Tlopen (private_data, clunked at
 * release). Operations take a reference on the fid they use
 * (v9x_dentry_fid()), so it cannot go away under them.
 */

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "internal.h"

/* A dentry's fids: d_fsdata is the head of a list, protected by d_lock. */
static struct hlist_head *v9x_dfids(struct dentry *dentry)
{
	lockdep_assert_held(&dentry->d_lock);
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
 * Give @dentry, or an ancestor on the way to it, a fid for @uid (any
 * user's with @any: access=any has one session): walked from the nearest
 * ancestor that has one, with one Twalk of all the names in between (at most
 * V9X_MAXWELEM; a deeper path takes more steps), or from a new Tattach as
 * @uid at the root. A user's first access deep in a tree that others have
 * looked up so costs one Tattach and one Twalk, not one Twalk per level.
 * Only the last name's dentry gets the fid: a directory in between that the
 * user uses later is walked to in one request from the nearest fid then, and
 * most never are (the server keeps a fid until its Tclunk). A file created
 * through an open gets its name's fid this way on first use too. A rename
 * racing with the walk makes it fail with ENOENT or name the new place, as
 * a path lookup racing with rename would.
 *
 * A walk of several names that stops part way is retried with the first
 * name alone, so that an error (EACCES, ENOENT) is the server's answer for
 * the level where it happened.
 *
 * Return: 0 when a fid was added (to @dentry or an ancestor: the caller
 * looks again), or a negative errno.
 */
static int v9x_user_fid_step(struct dentry *dentry, kuid_t uid, bool any)
{
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	const char *wnames[V9X_MAXWELEM];
	struct dentry *way[V9X_MAXWELEM];	/* a ring, nearest the fid last */
	struct v9x_fid *pfid, *fid;
	struct name_snapshot *names;
	struct dentry *d, *parent;
	unsigned int n, i, k, seq;
	bool retry;
	int ret;

	names = kmalloc_array(V9X_MAXWELEM, sizeof(*names), GFP_KERNEL);
	if (!names)
		return -ENOMEM;
again:
	/*
	 * Go up until a dentry's parent has a fid for @uid, keeping the
	 * V9X_MAXWELEM dentries nearest that parent. The fid and the names
	 * are taken together, under rename_lock's sequence count: a rename
	 * in between would walk the old directory for the new name, another
	 * file, and cache its fid on the dentry.
	 */
	seq = read_seqbegin(&rename_lock);
	retry = false;
	pfid = NULL;
	n = 0;
	d = dget(dentry);
	while (!IS_ROOT(d)) {
		if (n >= V9X_MAXWELEM)
			dput(way[n % V9X_MAXWELEM]);
		way[n++ % V9X_MAXWELEM] = d;
		parent = dget_parent(d);
		pfid = v9x_dentry_find_fid(parent, uid, any);
		d = parent;
		if (pfid)
			break;
	}
	k = min(n, V9X_MAXWELEM);
	/* way[(n - 1 - i) % MAX] is the i-th name below the fid's dentry. */
	for (i = 0; i < k; i++) {
		take_dentry_name_snapshot(&names[i],
					  way[(n - 1 - i) % V9X_MAXWELEM]);
		wnames[i] = names[i].name.name;
	}
	if (pfid && read_seqretry(&rename_lock, seq)) {
		/* A dentry on the way moved or was renamed: look again. */
		retry = true;
		ret = 0;
		goto out_put;
	}
	if (!pfid && WARN_ON_ONCE(any)) {
		/* The root always holds the shared session's fid. */
		ret = -EIO;
		goto out_put;
	}
	if (!pfid) {
		/* @d is the root and @uid has no session yet. */
		ret = v9x_client_attach(sbi->clnt, sbi->opts.uname,
					sbi->opts.aname,
					from_kuid(&init_user_ns, uid), &fid);
	} else {
		ret = v9x_client_walk(pfid, k, wnames, &fid);
		/* The fid names the deepest dentry kept. */
		dput(d);
		d = dget(way[(n - k) % V9X_MAXWELEM]);
		/*
		 * A walk that stopped part way tells neither where nor why
		 * (-ENOENT): walk the first name alone, which fails with the
		 * server's own error, or succeeds and the caller goes on from
		 * there. Only a failure costs this.
		 */
		if (ret == -ENOENT && k > 1) {
			ret = v9x_client_walk(pfid, 1, wnames, &fid);
			dput(d);
			d = dget(way[(n - 1) % V9X_MAXWELEM]);
		}
	}
	if (!ret) {
		/* Another task of @uid may have been quicker: keep one. */
		struct v9x_fid *had = v9x_dentry_find_fid(d, uid, any);

		if (had) {
			v9x_fid_put(fid);
			v9x_fid_put(had);
		} else {
			v9x_dentry_add_fid(d, fid);
		}
	}
out_put:
	for (i = 0; i < k; i++) {
		release_dentry_name_snapshot(&names[i]);
		dput(way[(n - 1 - i) % V9X_MAXWELEM]);
	}
	if (pfid)
		v9x_fid_put(pfid);
	dput(d);
	if (retry)
		goto again;
	kfree(names);
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

/**
 * v9x_dentry_clone - a new fid for @dentry's file, to open
 * @dentry: a positive dentry, held by the caller
 * @fidp: where the clone (a reference the caller owns) goes
 *
 * A clone (Twalk of no names) of the current user's fid of @dentry.
 *
 * Return: 0 or a negative errno.
 */
int v9x_dentry_clone(struct dentry *dentry, struct v9x_fid **fidp)
{
	struct v9x_fid *dfid = v9x_dentry_fid(dentry);
	int ret;

	if (IS_ERR(dfid))
		return PTR_ERR(dfid);
	ret = v9x_client_walk(dfid, 0, NULL, fidp);
	v9x_fid_put(dfid);
	return ret;
}

/**
 * v9x_dentry_put_fids - put every fid @dentry owns
 * @dentry: a dentry being released or turning negative
 */
void v9x_dentry_put_fids(struct dentry *dentry)
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
