// SPDX-License-Identifier: GPL-2.0
/*
 * Readdir-driven attribute prefetch. 9P2000.L has no READDIRPLUS, so after
 * a Treaddir the entries' lookups (Twalk + Tgetattr) are sent ahead of the
 * stats that usually follow, many in flight at once on the mount's
 * prefetch workqueue (QEMU's 9p server runs them on its worker threads).
 * A stat of such an entry then finds its dentry and fresh attributes and
 * costs no round trip. Called from vfs_dir.c (a listing), vfs_ops.c (a
 * stat that used what was fetched, a lookup in the directory) and
 * vfs_dentry.c.
 *
 * In every mode. Without an actimeo (cache=none, and readahead and mmap by
 * default) a name is checked at each use, so its attributes would be asked
 * for again anyway: prefetch only walks the name, and keeps the new fid
 * (struct v9x_pf_walked) for the lookup that follows, which sends one
 * Tgetattr of it (v9x_prefetch_walked_take()). The stat then costs one
 * round trip instead of a Twalk and a Tgetattr one after the other, and
 * sees what the host has at that moment: QEMU resolves a fid by its path
 * at every request, as for any kept dentry. A mount keeps at most
 * V9X_PF_WALKED such names, the oldest going first; a directory's are
 * dropped when it is listed again from its start, and a name's when it is
 * removed or renamed here (QEMU moves a renamed name's fids with it). A
 * listing from the start after one whose walked names no lookup took
 * walks nothing ahead and keeps no copy until a lookup in the directory
 * (v9x_pf_dir.idle): listing a directory again and again costs its
 * Treaddirs only.
 * Names already in the dcache are left alone (their use checks them).
 * Each listed directory keeps a
 * copy of its last Treaddir reply (struct v9x_pf_dir) and a cursor in it.
 * Entries are queued from the cursor on as long as
 * - fewer than opts.prefetch (the window) of the directory's entries were
 *   fetched ahead and not yet used by a stat (v9x_inode.pf_unused), and
 * - the mount has fewer than V9X_PF_QUEUED names queued,
 * in work items of up to V9X_PF_BATCH names, each queued once there is
 * room for all of it. A listing queues the first ones; each stat that uses
 * a prefetched entry, and each lookup in the directory, moves the cursor
 * on. So a walk that stats what it lists stays up to a window ahead of
 * itself, while a plain `ls` of a huge directory costs one window of
 * lookups per listing and nothing more. The copies are bounded by
 * V9X_PF_BYTES for the module.
 *
 * Lookups ask for a listing too. A program that stats names it already
 * knows (`git status` lstats every file of its index; `make` stats its
 * sources) lists nothing, and each of its lookups costs a Twalk and a
 * Tgetattr, one after the other. When V9X_PF_MISSES names of a directory
 * that nobody listed within actimeo (at least a second: v9x_pf_interval())
 * were looked up (found, not fetched ahead), the mount lists it in the
 * background (Twalk, Tlopen, one Treaddir of up to V9X_READDIR_BUFSZ
 * bytes, Tclunk) and fetches ahead from that listing as from the user's
 * own, within the same window: so the names the program asks for next are
 * mostly answered before it asks. At most once per directory per that
 * interval, and never for the lookups prefetch makes.
 * Nothing waits for room: the listing, the stat and the lookup only ever
 * try the directory's lock, and queue what fits.
 *
 * A work item sends the Twalks of its names one after the other without
 * waiting, then each name's Tgetattr as its Twalk is answered, and makes
 * each dentry as its Tgetattr is answered: one kworker, and a few of its
 * sleeps, per batch instead of per name. It runs with the lister's
 * credentials, under the directory's i_rwsem taken shared (a trylock: it
 * gives up rather than wait behind a rename), and d_alloc_parallel(): a
 * stat racing with it waits for its answer instead of sending its own.
 * A batch holds several names in lookup at once, taken in one order for
 * every batch (hash, then name: v9x_pf_cmp()), so batches with names in
 * common wait for each other, never in a cycle (a user's lookup holds one
 * name). Its requests are the client's background requests
 * (v9x_client.bg_work): an unmount stops them without waiting for the
 * server.
 */

#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stringhash.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "internal.h"

/*
 * Names a mount may have queued, and work items that run at once: without
 * an actimeo a walker waits for its own check of each name it stats, which
 * QEMU's server answers after the prefetch requests sent before it, and a
 * batch or two ahead of the walker is all it can use.
 */
#define V9X_PF_QUEUED	256
#define V9X_PF_ACTIVE	32
#define V9X_PF_ACTIVE_CHECKED	4
/* Names a work item looks up together. */
#define V9X_PF_BATCH	16
/* Bytes of listing copies the module keeps for prefetch, all mounts. */
#define V9X_PF_BYTES	(8L << 20)
/* Lookups of names in a directory nobody listed that make the mount list it. */
#define V9X_PF_MISSES	4
/* Names walked ahead (without an actimeo) a mount keeps, each with a fid. */
#define V9X_PF_WALKED	8192

static atomic_long_t v9x_pf_bytes = ATOMIC_LONG_INIT(0);

/**
 * struct v9x_pf_dir - a directory's listing, for prefetch
 * @lock: protects the fields below
 * @buf: a copy of the last Treaddir reply's entries, or NULL
 * @len: its length
 * @pos: offset in @buf of the next entry not yet queued
 * @cred: the lister's credentials (a reference), or NULL
 * @listed: jiffies of the last listing (the user's or the mount's own)
 * @misses: names looked up since then that were not fetched ahead (atomic,
 *	not under @lock)
 * @walked: its names walked ahead (struct v9x_pf_walked.dnode), under
 *	v9x_sb_info.pf_walked_lock, not @lock
 * @taken: a lookup took one of @walked since the listing began (atomic)
 * @idle: without an actimeo, the listing before this one walked names
 *	ahead and no lookup took any: this one walks nothing ahead and keeps
 *	no copy until a lookup in the directory (v9x_prefetch_kick()), so
 *	listing a directory again and again (`watch ls`) does not walk the
 *	same names each time (READ_ONCE/WRITE_ONCE, not under @lock: a hint)
 */
struct v9x_pf_dir {
	struct mutex lock;	/* see above */
	void *buf;
	u32 len;
	u32 pos;
	const struct cred *cred;
	unsigned long listed;
	atomic_t misses;
	struct list_head walked;
	atomic_t taken;
	bool idle;
};

/**
 * struct v9x_pf_walked - a name prefetch walked, kept for its lookup
 * @dnode: in its directory's v9x_pf_dir.walked
 * @lru: in v9x_sb_info.pf_walked
 * @dir: the directory (no reference: its eviction drops its names first)
 * @fid: the name's new fid, walked with the lister's credentials
 * @hash: full_name_hash() of the name, unsalted
 * @len: the name's length
 * @name: the name (not NUL-terminated)
 */
struct v9x_pf_walked {
	struct list_head dnode;
	struct list_head lru;
	struct inode *dir;
	struct v9x_fid *fid;
	u32 hash;
	u32 len;
	char name[];
};

/*
 * A work item: look up @n entries of @parent, or with @n 0 list @parent
 * (lookups asked for it).
 */
struct v9x_pf_item {
	struct work_struct work;
	struct dentry *parent;		/* a reference */
	const struct cred *cred;	/* a reference */
	unsigned long since;		/* a listing: v9x_pf_dir.listed then */
	unsigned int n;
	char names[];			/* @n NUL-terminated names */
};

/* The listing is done with: its copy, and the lister's credentials. */
static void v9x_pf_buf_free(struct v9x_pf_dir *pf)
{
	if (pf->cred) {
		put_cred(pf->cred);
		pf->cred = NULL;
	}
	if (!pf->buf)
		return;
	kvfree(pf->buf);
	atomic_long_sub(pf->len, &v9x_pf_bytes);
	pf->buf = NULL;
	pf->len = 0;
	pf->pos = 0;
}

/* The entry was not fetched after all: give its window slot back. */
static void v9x_pf_unused_put(struct inode *dir)
{
	atomic_dec_if_positive(&V9X_I(dir)->pf_unused);
}

/*
 * Take @w off its lists onto @free, to be freed by v9x_pf_walked_free()
 * once the lock is dropped; with @slot, give its window slot back first:
 * once @w has left its directory's list, that directory may be evicted
 * (v9x_prefetch_evict() sees the list empty without taking the lock).
 */
static void v9x_pf_walked_unlink(struct v9x_sb_info *sbi,
				 struct v9x_pf_walked *w, struct list_head *free,
				 bool slot)
{
	lockdep_assert_held(&sbi->pf_walked_lock);
	if (slot)
		v9x_pf_unused_put(w->dir);
	list_del(&w->dnode);
	list_move_tail(&w->lru, free);
	sbi->pf_nwalked--;
}

/* Put the fids of the names on @free (may sleep) and free them. */
static void v9x_pf_walked_free(struct list_head *free)
{
	struct v9x_pf_walked *w, *tmp;

	list_for_each_entry_safe(w, tmp, free, lru) {
		v9x_fid_put(w->fid);
		kfree(w);
	}
}

/* Is @w the name of @len bytes at @name, whose unsalted hash is @hash? */
static bool v9x_pf_walked_is(const struct v9x_pf_walked *w, const char *name,
			     u32 len, u32 hash)
{
	return w->hash == hash && w->len == len && !memcmp(w->name, name, len);
}

/*
 * The first name of @pf's walked ones that is @len bytes at @name with
 * @hash, and whose fid is @uid's (anyone's if @uid is NULL), or NULL.
 */
static struct v9x_pf_walked *v9x_pf_walked_find(struct v9x_sb_info *sbi,
						struct v9x_pf_dir *pf,
						const char *name, u32 len,
						u32 hash, const kuid_t *uid)
{
	struct v9x_pf_walked *w;

	lockdep_assert_held(&sbi->pf_walked_lock);
	list_for_each_entry(w, &pf->walked, dnode) {
		if (v9x_pf_walked_is(w, name, len, hash) &&
		    (!uid || uid_eq(w->fid->uid, *uid)))
			return w;
	}
	return NULL;
}

/*
 * Keep @fid, a batch's walk of @q in @dir (listed: it has its v9x_pf_dir),
 * for the lookup of that name. It replaces the same name walked earlier by
 * the same user; the mount's oldest name goes when it keeps V9X_PF_WALKED.
 * Takes over the caller's reference to @fid.
 * Return: whether it was kept (else @fid was put).
 */
static bool v9x_pf_walked_add(struct inode *dir, const struct qstr *q,
			      struct v9x_fid *fid)
{
	struct v9x_sb_info *sbi = V9X_SB(dir->i_sb);
	struct v9x_pf_dir *pf = READ_ONCE(V9X_I(dir)->pf);
	struct v9x_pf_walked *w, *old;
	LIST_HEAD(free);

	w = pf ? kmalloc(struct_size(w, name, q->len), GFP_KERNEL) : NULL;
	if (!w) {
		v9x_fid_put(fid);
		return false;
	}
	w->dir = dir;
	w->fid = fid;
	w->hash = full_name_hash(NULL, q->name, q->len);
	w->len = q->len;
	memcpy(w->name, q->name, q->len);
	spin_lock(&sbi->pf_walked_lock);
	old = v9x_pf_walked_find(sbi, pf, w->name, w->len, w->hash, &fid->uid);
	if (old)
		v9x_pf_walked_unlink(sbi, old, &free, true);
	if (sbi->pf_nwalked >= V9X_PF_WALKED) {
		old = list_first_entry(&sbi->pf_walked, struct v9x_pf_walked,
				       lru);
		v9x_pf_walked_unlink(sbi, old, &free, true);
	}
	list_add_tail(&w->dnode, &pf->walked);
	list_add_tail(&w->lru, &sbi->pf_walked);
	sbi->pf_nwalked++;
	spin_unlock(&sbi->pf_walked_lock);
	v9x_pf_walked_free(&free);
	return true;
}

/*
 * Drop the names of @dir walked ahead, or with @name only those (of any
 * user); with @slot, give their window slots back.
 */
static void v9x_pf_walked_drop(struct inode *dir, const struct qstr *name,
			       bool slot)
{
	struct v9x_sb_info *sbi = V9X_SB(dir->i_sb);
	struct v9x_pf_dir *pf = READ_ONCE(V9X_I(dir)->pf);
	struct v9x_pf_walked *w, *tmp;
	u32 hash = 0;
	LIST_HEAD(free);

	if (!pf || list_empty_careful(&pf->walked))
		return;
	if (name)
		hash = full_name_hash(NULL, name->name, name->len);
	spin_lock(&sbi->pf_walked_lock);
	list_for_each_entry_safe(w, tmp, &pf->walked, dnode) {
		if (!name ||
		    v9x_pf_walked_is(w, name->name, name->len, hash))
			v9x_pf_walked_unlink(sbi, w, &free, slot);
	}
	spin_unlock(&sbi->pf_walked_lock);
	v9x_pf_walked_free(&free);
}

/**
 * v9x_prefetch_walked_take - the fid prefetch walked to a name, if any
 * @dentry: the name, in lookup (its parent's i_rwsem is held)
 *
 * Without an actimeo prefetch only walks a listing's names (see the top of
 * this file): the lookup of such a name takes its fid, the current user's
 * (anyone's with access=any), and sends only a Tgetattr of it.
 *
 * Return: a fid the caller owns, or NULL.
 */
struct v9x_fid *v9x_prefetch_walked_take(struct dentry *dentry)
{
	struct inode *dir = d_inode(dentry->d_parent);
	struct v9x_sb_info *sbi = V9X_SB(dentry->d_sb);
	struct v9x_pf_dir *pf = READ_ONCE(V9X_I(dir)->pf);
	const struct qstr *q = &dentry->d_name;
	kuid_t uid = current_fsuid();
	struct v9x_pf_walked *w;
	struct v9x_fid *fid;
	LIST_HEAD(used);

	if (!pf || list_empty_careful(&pf->walked))
		return NULL;
	spin_lock(&sbi->pf_walked_lock);
	w = v9x_pf_walked_find(sbi, pf, q->name, q->len,
			       full_name_hash(NULL, q->name, q->len),
			       sbi->opts.access == V9X_ACCESS_ANY ? NULL : &uid);
	/* Used: its window slot goes back (the lookup moves the window on). */
	if (w) {
		v9x_pf_walked_unlink(sbi, w, &used, true);
		atomic_set(&pf->taken, 1);
	}
	spin_unlock(&sbi->pf_walked_lock);
	if (!w)
		return NULL;
	fid = w->fid;
	kfree(w);
	atomic64_inc(&sbi->clnt->stats.prefetch_walked);
	return fid;
}

/**
 * v9x_prefetch_forget - a name of @dir was removed or renamed here
 * @dir: the directory (its i_rwsem is held)
 * @name: the name
 *
 * Its fid walked ahead, if any, is dropped: QEMU moves the fids of a name
 * renamed through it to the new name, so the fid may name another file now.
 */
void v9x_prefetch_forget(struct inode *dir, const struct qstr *name)
{
	v9x_pf_walked_drop(dir, name, true);
}

/* A lookup (or revalidation) sent ahead: debugfs "prefetches". */
static void v9x_pf_count(struct inode *dir)
{
	atomic64_inc(&V9X_SB(dir->i_sb)->clnt->stats.prefetches);
}

/*
 * Is @d, a name in the dcache, nothing for prefetch to ask about? Without
 * an actimeo its use checks it anyway; with one, it is negative, or its
 * name and attributes are still fresh.
 */
static bool v9x_pf_settled(struct dentry *d)
{
	return !V9X_SB(d->d_sb)->actimeo || d_really_is_negative(d) ||
	       (v9x_dentry_is_fresh(d) && v9x_attr_fresh(d_inode(d)));
}

/*
 * Revalidate a name of @parent that a batch found in the dcache, unless
 * it is settled (v9x_pf_settled(); one that left the dcache since is not
 * looked up again). Returns whether attributes were fetched.
 */
static bool v9x_pf_one(struct dentry *parent, struct qstr *q)
{
	struct dentry *d;
	bool fetched = false;

	if (!V9X_SB(parent->d_sb)->actimeo)
		return false;
	d = d_lookup(parent, q);
	if (!d)
		return false;
	if (!v9x_pf_settled(d)) {
		v9x_pf_count(d_inode(parent));
		fetched = v9x_dentry_refresh(d) == 1;
	}
	if (fetched)
		set_bit(V9X_I_PREFETCHED, &V9X_I(d_inode(d))->flags);
	dput(d);
	return fetched;
}

/*
 * One name of a batch: its dentry in lookup (with the wait queue of that
 * lookup), new fid and request.
 */
struct v9x_pf_ent {
	struct v9x_parallel_wq wq;
	struct dentry *d;
	struct v9x_fid *fid;
	struct v9x_req *req;
	int err;
};

/*
 * Make @e's dentry, in lookup, what its answers say, as v9x_lookup() does,
 * and end its lookup. Return: whether attributes were fetched.
 */
static bool v9x_pf_finish(struct inode *dir, struct v9x_pf_ent *e)
{
	struct dentry *d = e->d, *res;
	struct inode *inode;
	struct v9x_stat st;
	bool fetched;
	int ret = e->err;

	if (e->req) {
		ret = v9x_client_getattr_wait(V9X_SB(dir->i_sb)->clnt, e->req,
					      &st);
		e->req = NULL;
		inode = ret ? ERR_PTR(ret) : v9x_iget(dir->i_sb, &st);
		if (IS_ERR(inode)) {
			ret = PTR_ERR(inode);
			v9x_fid_put(e->fid);
			res = ERR_PTR(ret);
		} else {
			/* The dentry owns the fid, even if an alias is used. */
			v9x_dentry_add_fid(d, e->fid);
			res = d_splice_alias(inode, d);
		}
	} else if (ret == -ENOENT) {
		res = d_splice_alias(NULL, d);
	} else {
		res = ERR_PTR(ret);
	}
	d_lookup_done(d);
	if (IS_ERR(res)) {
		dput(d);
		return false;
	}
	if (res) {
		dput(d);
		d = res;
	}
	fetched = !ret && d_really_is_positive(d);
	if (fetched)
		set_bit(V9X_I_PREFETCHED, &V9X_I(d_inode(d))->flags);
	dput(d);
	return fetched;
}

/* A name of a batch, with its hash: the order batches take names in. */
struct v9x_pf_name {
	const char *name;
	u32 len;
	u32 hash;
};

/* The order of a batch's names (sort()): hash, then length, then bytes. */
static int v9x_pf_cmp(const void *pa, const void *pb)
{
	const struct v9x_pf_name *a = pa, *b = pb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->name, b->name, a->len);
}

/*
 * Look up the @n names at @names (NUL-terminated, one after the other) of
 * @parent together: every Twalk is sent before the first answer is waited
 * for, each Tgetattr as its Twalk is answered. Names already in the dcache
 * are revalidated after, one by one (v9x_pf_one()).
 * Return: how many had their attributes fetched.
 */
static unsigned int v9x_pf_batch(struct dentry *parent, const char *names,
				 unsigned int n)
{
	struct inode *dir = d_inode(parent);
	struct v9x_client *clnt = V9X_SB(dir->i_sb)->clnt;
	struct v9x_pf_name v[V9X_PF_BATCH];
	unsigned int i, k = 0, nknown = 0, fetched = 0;
	struct v9x_pf_ent *e;
	struct v9x_fid *dfid;
	const char *name;

	if (WARN_ON_ONCE(n > V9X_PF_BATCH))
		return 0;
	for (i = 0, name = names; i < n; i++, name += v[i - 1].len + 1) {
		v[i].name = name;
		v[i].len = strlen(name);
		v[i].hash = full_name_hash(parent, name, v[i].len);
	}
	sort(v, n, sizeof(*v), v9x_pf_cmp, NULL);
	/* Not on the stack: a wait queue head is large with lockdep. */
	e = kmalloc_array(n, sizeof(*e), GFP_KERNEL);
	if (!e)
		return 0;
	if (!down_read_trylock(&dir->i_rwsem))
		goto out_free;
	/* Removed since it was listed: nothing to look up in it. */
	if (IS_DEADDIR(dir))
		goto out_up;
	dfid = v9x_dentry_fid(parent);
	if (IS_ERR(dfid))
		goto out_up;
	for (i = 0; i < n; i++) {
		struct qstr q = QSTR_INIT(v[i].name, v[i].len);
		struct dentry *d;

		q.hash = v[i].hash;
		d = d_lookup(parent, &q);
		if (d) {
			/* Revalidated after, one by one: moved to the front. */
			v[nknown++] = v[i];
			dput(d);
			continue;
		}
		v9x_parallel_wq_init(&e[k].wq);
		d = v9x_d_alloc_parallel_in(parent, &q, &e[k].wq);
		if (IS_ERR(d))
			continue;
		/* Looked up by someone else meanwhile. */
		if (!d_in_lookup(d)) {
			dput(d);
			continue;
		}
		v9x_pf_count(dir);
		e[k].d = d;
		e[k].err = 0;
		e[k].req = v9x_client_walk_send(dfid, d->d_name.name,
						&e[k].fid);
		if (IS_ERR(e[k].req)) {
			e[k].err = PTR_ERR(e[k].req);
			e[k].req = NULL;
		}
		k++;
	}
	for (i = 0; i < k; i++) {
		if (!e[i].req)
			continue;
		e[i].err = v9x_client_walk_wait(clnt, e[i].req, e[i].fid);
		e[i].req = NULL;
		v9x_dentry_fresh(e[i].d);
		if (e[i].err)
			continue;
		if (!V9X_SB(dir->i_sb)->actimeo) {
			/*
			 * Its lookup sends the Tgetattr: the fid is kept for
			 * it, and the dentry left out of the dcache. A lookup
			 * waiting for this one looks again, and finds it.
			 */
			fetched += v9x_pf_walked_add(dir, &e[i].d->d_name,
						     e[i].fid);
			d_lookup_done(e[i].d);
			dput(e[i].d);
			e[i].d = NULL;
			continue;
		}
		e[i].req = v9x_client_getattr_send(e[i].fid, V9X_GETATTR_BASIC);
		if (IS_ERR(e[i].req)) {
			e[i].err = PTR_ERR(e[i].req);
			e[i].req = NULL;
			v9x_fid_put(e[i].fid);
		}
	}
	for (i = 0; i < k; i++) {
		if (e[i].d)
			fetched += v9x_pf_finish(dir, &e[i]);
	}
	v9x_fid_put(dfid);
out_up:
	up_read(&dir->i_rwsem);
out_free:
	kfree(e);
	for (i = 0; i < nknown; i++) {
		struct qstr q = QSTR_INIT(v[i].name, v[i].len);

		q.hash = v[i].hash;
		fetched += v9x_pf_one(parent, &q);
	}
	return fetched;
}

static void v9x_pf_list(struct dentry *parent, const struct cred *cred,
			unsigned long since);

static void v9x_pf_work(struct work_struct *work)
{
	struct v9x_pf_item *it = container_of(work, struct v9x_pf_item, work);
	struct v9x_sb_info *sbi = V9X_SB(it->parent->d_sb);
	struct inode *dir = d_inode(it->parent);
	const struct cred *old;
	unsigned int fetched = 0;

	old = override_creds(it->cred);
	if (!it->n) {
		if (!READ_ONCE(sbi->clnt->bg_stop))
			v9x_pf_list(it->parent, it->cred, it->since);
	} else {
		if (!READ_ONCE(sbi->clnt->bg_stop))
			fetched = v9x_pf_batch(it->parent, it->names, it->n);
		/* The names not fetched give their window slots back. */
		for (; fetched < it->n; fetched++)
			v9x_pf_unused_put(dir);
	}
	revert_creds(old);
	put_cred(it->cred);
	/* The mount outlives its work: kill_sb destroys the workqueue first. */
	atomic_sub(max(it->n, 1U), &sbi->pf_queued);
	dput(it->parent);
	kfree(it);
}

/* A name from the server that cannot be an entry ('/', NUL, ".", ".."). */
static bool v9x_pf_bad_name(const char *name, unsigned int len)
{
	return !len || len > NAME_MAX || memchr(name, '/', len) ||
	       memchr(name, '\0', len) ||
	       (name[0] == '.' && (len == 1 || (len == 2 && name[1] == '.')));
}

/* A work item with room for @size bytes of names, or NULL. */
static struct v9x_pf_item *v9x_pf_item_new(unsigned int size)
{
	struct v9x_pf_item *it;

	return kmalloc(struct_size(it, names, size), GFP_KERNEL);
}

/*
 * Queue @it: the lookups of the @n names in it->names (each NUL-terminated),
 * or with @n 0 a listing claimed at @since.
 */
static void v9x_pf_queue(struct dentry *parent, const struct cred *cred,
			 struct v9x_pf_item *it, unsigned int n,
			 unsigned long since)
{
	struct v9x_sb_info *sbi = V9X_SB(parent->d_sb);

	INIT_WORK(&it->work, v9x_pf_work);
	it->parent = dget(parent);
	it->cred = get_cred(cred);
	it->since = since;
	it->n = n;
	atomic_add(max(n, 1U), &sbi->pf_queued);
	if (n) {
		atomic_add(n, &V9X_I(d_inode(parent))->pf_unused);
		atomic64_inc(&sbi->clnt->stats.prefetch_batches);
	} else {
		atomic64_inc(&sbi->clnt->stats.prefetch_lists);
	}
	queue_work(sbi->pf_wq, &it->work);
}

/*
 * Is @name of @parent nothing for a batch to do: in the dcache and settled
 * (v9x_pf_settled(), so v9x_pf_batch() and v9x_pf_one() would leave it as
 * it is)? Skipping it when a batch is filled, rather than in the batch,
 * spares a listing of a known tree its work items.
 */
static bool v9x_pf_known(struct dentry *parent, const char *name, u32 len)
{
	struct qstr q = QSTR_INIT(name, len);
	struct dentry *d;
	bool known;

	q.hash = full_name_hash(parent, name, len);
	d = d_lookup(parent, &q);
	if (!d)
		return false;
	known = v9x_pf_settled(d);
	dput(d);
	return known;
}

/*
 * The names of @parent's entries in @pf's listing from the cursor on that
 * are not known (v9x_pf_known()), at most @max. With @names NULL they are
 * only counted, and *@size is set to the bytes they need; else they are
 * copied into @names, which has room for *@size bytes, and *@size is set
 * to the bytes used: the dcache may have changed since they were counted,
 * so a name that does not fit ends the batch, left for the next one.
 * Malformed entries end the listing (the listing itself reports them).
 * Sets *@end to the offset after the last entry taken or passed over.
 * Return: how many.
 */
static unsigned int v9x_pf_names(struct dentry *parent, struct v9x_pf_dir *pf,
				 unsigned int max, char *names,
				 unsigned int *size, u32 *end)
{
	unsigned int n = 0, len = 0, room = names ? *size : UINT_MAX;
	struct v9x_dirent de;
	struct v9x_buf b;
	u32 start;

	v9x_buf_init(&b, pf->buf, pf->len);
	b.pos = pf->pos;
	while (n < max && b.pos < b.size) {
		start = b.pos;
		if (v9x_dec_dirent(&b, &de)) {
			b.pos = b.size;
			break;
		}
		if (v9x_pf_bad_name(de.name, de.namelen) ||
		    v9x_pf_known(parent, de.name, de.namelen))
			continue;
		if (de.namelen + 1 > room - len) {
			b.pos = start;
			break;
		}
		if (names) {
			memcpy(names + len, de.name, de.namelen);
			names[len + de.namelen] = '\0';
		}
		len += de.namelen + 1;
		n++;
	}
	*size = len;
	*end = b.pos;
	return n;
}

/*
 * Queue entries from the cursor on, a batch at a time, as far as the
 * bounds allow: a batch waits until it has room for all its names.
 */
static void v9x_pf_more(struct dentry *parent, struct v9x_pf_dir *pf)
{
	struct inode *dir = d_inode(parent);
	struct v9x_sb_info *sbi = V9X_SB(dir->i_sb);
	int batch = min_t(int, V9X_PF_BATCH, sbi->opts.prefetch);
	struct v9x_pf_item *it;
	unsigned int n, size;
	int room;
	u32 end;

	lockdep_assert_held(&pf->lock);
	if (!pf->buf || READ_ONCE(pf->idle) || READ_ONCE(sbi->clnt->bg_stop))
		return;
	while (pf->pos < pf->len) {
		room = min_t(int, (int)sbi->opts.prefetch -
				  atomic_read(&V9X_I(dir)->pf_unused),
			     V9X_PF_QUEUED - atomic_read(&sbi->pf_queued));
		if (room < batch)
			return;
		n = v9x_pf_names(parent, pf, batch, NULL, &size, &end);
		if (n) {
			it = v9x_pf_item_new(size);
			if (!it)
				return;
			n = v9x_pf_names(parent, pf, n, it->names, &size, &end);
			if (n)
				v9x_pf_queue(parent, pf->cred, it, n, 0);
			else
				kfree(it);
		}
		pf->pos = end;
	}
	v9x_pf_buf_free(pf);
}

/**
 * v9x_prefetch_enabled - does a listing of @dir fetch its entries ahead?
 * @dir: the directory
 *
 * Return: true with prefetch=N > 0.
 */
bool v9x_prefetch_enabled(struct inode *dir)
{
	return !!V9X_SB(dir->i_sb)->pf_wq;
}

static struct v9x_pf_dir *v9x_pf_dir_get(struct inode *dir)
{
	struct v9x_inode *vi = V9X_I(dir);
	struct v9x_pf_dir *pf = READ_ONCE(vi->pf), *old;

	if (pf)
		return pf;
	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
	if (!pf)
		return NULL;
	mutex_init(&pf->lock);
	INIT_LIST_HEAD(&pf->walked);
	old = cmpxchg(&vi->pf, NULL, pf);
	if (old) {
		kfree(pf);
		return old;
	}
	return pf;
}

static void v9x_pf_install(struct dentry *parent, const struct cred *cred,
			   const u8 *dents, u32 len, bool start, bool own,
			   unsigned long since);

/**
 * v9x_prefetch_listing - a listing of a directory got a Treaddir reply
 * @file: the directory (the caller holds its i_rwsem shared)
 * @dents: the reply's entries
 * @len: their length
 * @start: the reply is the first of a listing from the directory's start:
 *	what an earlier listing fetched and nobody used is forgotten
 *
 * Keeps a copy of the entries and queues what the bounds allow.
 */
void v9x_prefetch_listing(struct file *file, const u8 *dents, u32 len,
			  bool start)
{
	v9x_pf_install(file->f_path.dentry, file->f_cred, dents, len, start,
		       false, 0);
}

/*
 * A listing's entries, from the user's getdents or (@own) the mount's own,
 * claimed at @since: that one gives way to a user's listing in progress or
 * any listing made since.
 */
static void v9x_pf_install(struct dentry *parent, const struct cred *cred,
			   const u8 *dents, u32 len, bool start, bool own,
			   unsigned long since)
{
	struct inode *dir = d_inode(parent);
	struct v9x_pf_dir *pf = v9x_pf_dir_get(dir);
	bool walked = false, taken = false;
	void *copy = NULL;

	if (!pf)
		return;
	if (len && atomic_long_add_return(len, &v9x_pf_bytes) <= V9X_PF_BYTES)
		copy = kvmalloc(len, GFP_KERNEL);
	if (len && !copy)
		atomic_long_sub(len, &v9x_pf_bytes);
	if (copy)
		memcpy(copy, dents, len);
	/*
	 * A listing from the start walks its names again (see @idle: not if
	 * no lookup took the ones the listing before it walked).
	 */
	if (start && !own) {
		walked = !list_empty_careful(&pf->walked);
		taken = atomic_xchg(&pf->taken, 0);
		v9x_pf_walked_drop(dir, NULL, true);
	}
	mutex_lock(&pf->lock);
	if (own && (pf->buf || time_after(READ_ONCE(pf->listed), since)))
		goto drop;
	/* Idle while listings walk names ahead that no lookup takes. */
	if (walked)
		WRITE_ONCE(pf->idle, !taken);
	/*
	 * An idle listing keeps no copy (a directory listed again and again
	 * would hold one each) and does not count as one: the lookups that
	 * may follow it have the mount list the directory itself
	 * (V9X_PF_MISSES), from its start, and prefetch resumes from there.
	 */
	if (!own && READ_ONCE(pf->idle)) {
		v9x_pf_buf_free(pf);
		goto drop;
	}
	WRITE_ONCE(pf->listed, jiffies);
	atomic_set(&pf->misses, 0);
	if (!copy) {
		mutex_unlock(&pf->lock);
		return;
	}
	if (start)
		atomic_set(&V9X_I(dir)->pf_unused, 0);
	v9x_pf_buf_free(pf);
	pf->buf = copy;
	pf->len = len;
	pf->pos = 0;
	pf->cred = get_cred(cred);
	v9x_pf_more(parent, pf);
	mutex_unlock(&pf->lock);
	return;

drop:
	/* The copy is not kept. */
	mutex_unlock(&pf->lock);
	if (copy) {
		kvfree(copy);
		atomic_long_sub(len, &v9x_pf_bytes);
	}
}

/*
 * The mount's own listing of @parent, as @cred (the work runs with them):
 * the first Treaddir reply of a fid opened for it.
 */
static void v9x_pf_list(struct dentry *parent, const struct cred *cred,
			unsigned long since)
{
	struct inode *dir = d_inode(parent);
	struct v9x_fid *fid;
	const u8 *data;
	void *buf;
	u32 len;

	if (IS_DEADDIR(dir) || v9x_dentry_clone(parent, &fid))
		return;
	if (!v9x_client_lopen(fid, V9X_DOTL_RDONLY | V9X_DOTL_DIRECTORY) &&
	    !v9x_client_readdir(fid, 0, V9X_READDIR_BUFSZ - V9X_IOHDRSZ,
			       &buf, &data, &len)) {
		v9x_pf_install(parent, cred, data, len, true, true, since);
		kvfree(buf);
	}
	v9x_fid_put(fid);
}

/* A directory is listed for lookups at most once in this long. */
static unsigned long v9x_pf_interval(struct v9x_sb_info *sbi)
{
	return max_t(unsigned long, sbi->actimeo, HZ);
}

/**
 * v9x_prefetch_looked_up - a lookup found a name of @parent
 * @parent: the directory's dentry (its i_rwsem is held by the caller)
 *
 * From the V9X_PF_MISSES-th such name since the directory was last
 * listed, not being fetched ahead from a listing, and once nobody listed it
 * within v9x_pf_interval(), a lookup queues the mount's own listing of it (one
 * lookup claims it; a full queue leaves it to the next one). Lookups that
 * prefetch makes do not count.
 */
void v9x_prefetch_looked_up(struct dentry *parent)
{
	struct inode *dir = d_inode(parent);
	struct v9x_sb_info *sbi = V9X_SB(dir->i_sb);
	struct work_struct *work = current_work();
	unsigned long listed, now = jiffies;
	struct v9x_pf_item *it;
	struct v9x_pf_dir *pf;

	if (!sbi->pf_wq || (work && work->func == v9x_pf_work))
		return;
	pf = v9x_pf_dir_get(dir);
	if (!pf || READ_ONCE(pf->buf) ||
	    atomic_inc_return(&pf->misses) < V9X_PF_MISSES)
		return;
	listed = READ_ONCE(pf->listed);
	if (listed && time_before(now, listed + v9x_pf_interval(sbi)))
		return;
	if (atomic_read(&sbi->pf_queued) >= V9X_PF_QUEUED)
		return;
	/* Not again within that interval, whatever the listing's fate. */
	if (cmpxchg(&pf->listed, listed, now) != listed)
		return;
	atomic_set(&pf->misses, 0);
	it = v9x_pf_item_new(0);
	if (it)
		v9x_pf_queue(parent, current_cred(), it, 0, now);
}

/**
 * v9x_prefetch_kick - move a directory's prefetch on, if it has more
 * @parent: the directory's dentry, held by the caller
 *
 * Context: may sleep (allocation); never waits for a lock.
 */
void v9x_prefetch_kick(struct dentry *parent)
{
	struct inode *dir = d_inode(parent);
	struct v9x_pf_dir *pf;

	if (!dir || !v9x_prefetch_enabled(dir))
		return;
	pf = READ_ONCE(V9X_I(dir)->pf);
	if (!pf)
		return;
	/* A lookup here: the listing's names are used after all. */
	if (READ_ONCE(pf->idle))
		WRITE_ONCE(pf->idle, false);
	if (!READ_ONCE(pf->buf) || !mutex_trylock(&pf->lock))
		return;
	v9x_pf_more(parent, pf);
	mutex_unlock(&pf->lock);
}

/**
 * v9x_prefetch_used - a stat used an entry that was fetched ahead
 * @dentry: the dentry stat'ed
 * @hit: the attributes fetched ahead were still fresh (no Tgetattr)
 *
 * Moves its directory's window on (once per fetch).
 */
void v9x_prefetch_used(struct dentry *dentry, bool hit)
{
	struct inode *inode = d_inode(dentry);
	struct dentry *parent;

	if (!test_and_clear_bit(V9X_I_PREFETCHED, &V9X_I(inode)->flags))
		return;
	if (hit)
		atomic64_inc(&V9X_SB(inode->i_sb)->clnt->stats.prefetch_hits);
	parent = dget_parent(dentry);
	if (parent != dentry) {
		v9x_pf_unused_put(d_inode(parent));
		v9x_prefetch_kick(parent);
	}
	dput(parent);
}

/**
 * v9x_prefetch_evict - free a directory inode's prefetch state
 * @inode: the inode being evicted (no work item holds it: each holds a
 *	dentry of it)
 */
void v9x_prefetch_evict(struct inode *inode)
{
	struct v9x_pf_dir *pf = V9X_I(inode)->pf;

	if (!pf)
		return;
	v9x_pf_walked_drop(inode, NULL, false);
	v9x_pf_buf_free(pf);
	mutex_destroy(&pf->lock);
	kfree(pf);
	V9X_I(inode)->pf = NULL;
}

/**
 * v9x_prefetch_init - the mount's prefetch workqueue, when it prefetches
 * @sb: the superblock being filled
 *
 * Return: 0 or -ENOMEM.
 */
int v9x_prefetch_init(struct super_block *sb)
{
	struct v9x_sb_info *sbi = V9X_SB(sb);

	atomic_set(&sbi->pf_queued, 0);
	if (!sbi->opts.prefetch)
		return 0;
	sbi->pf_wq = alloc_workqueue("v9x-pf-%s", WQ_UNBOUND,
				     sbi->actimeo ? V9X_PF_ACTIVE :
						    V9X_PF_ACTIVE_CHECKED,
				     sbi->tag);
	if (!sbi->pf_wq)
		return -ENOMEM;
	sbi->clnt->bg_work = v9x_pf_work;
	return 0;
}

/**
 * v9x_prefetch_exit - wait for the mount's prefetch work, and free it
 * @sb: the superblock, before its dentries are evicted
 */
void v9x_prefetch_exit(struct super_block *sb)
{
	struct v9x_sb_info *sbi = V9X_SB(sb);
	struct v9x_pf_walked *w, *tmp;
	LIST_HEAD(free);

	if (sbi->pf_wq) {
		/* Queued work ends at once; requests in flight are flushed. */
		WRITE_ONCE(sbi->clnt->bg_stop, true);
		destroy_workqueue(sbi->pf_wq);
		sbi->pf_wq = NULL;
	}
	/* The names walked ahead, while the session can still clunk. */
	spin_lock(&sbi->pf_walked_lock);
	list_for_each_entry_safe(w, tmp, &sbi->pf_walked, lru)
		v9x_pf_walked_unlink(sbi, w, &free, false);
	spin_unlock(&sbi->pf_walked_lock);
	v9x_pf_walked_free(&free);
}
