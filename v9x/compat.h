/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, and only those. Each helper is written against
 * the newest API; each older variant says which version changed what. The
 * choice is made by build-time probes of the target's headers (v9x/probe.sh,
 * run by Kbuild, defines V9X_HAVE_*), not by version numbers.
 */
#ifndef V9X_COMPAT_H
#define V9X_COMPAT_H

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <linux/slab.h>
#ifdef V9X_HAVE_FILELOCK_H
#include <linux/filelock.h>
#endif
#include <linux/uio.h>
#include <linux/writeback.h>

#ifdef V9X_PROBE_FAILED
#error "v9x/probe.sh found no kernel headers: is KDIR a configured kernel tree?"
#endif

#include "internal.h"

/*
 * v6.6: i_ctime became private, behind inode_set_ctime_to_ts(); v6.7: i_atime
 * and i_mtime followed, behind inode_set_[am]time_to_ts(). Two probes, one
 * per rename, so that 6.6 LTS (accessor for ctime, fields for the others)
 * takes the middle branch. No 6.6 headers are at hand here: that branch is
 * checked by its probe (INODE_SET_CTIME without INODE_SET_TIME) matching
 * 6.6's fs.h as v6.6 spells it, and by Debian's 6.1, whose stable updates
 * backported inode_set_ctime_to_ts() beside the old fields and so builds
 * the ctime accessor with the atime/mtime fields, as 6.6 does.
 */
static inline void v9x_inode_set_times(struct inode *inode,
				       const struct timespec64 *atime,
				       const struct timespec64 *mtime,
				       const struct timespec64 *ctime)
{
#ifdef V9X_HAVE_INODE_SET_TIME
	inode_set_atime_to_ts(inode, *atime);
	inode_set_mtime_to_ts(inode, *mtime);
#else
	inode->i_atime = *atime;
	inode->i_mtime = *mtime;
#endif
#ifdef V9X_HAVE_INODE_SET_CTIME
	inode_set_ctime_to_ts(inode, *ctime);
#else
	inode->i_ctime = *ctime;
#endif
}

/* v6.19: i_state is read through inode_state_read_once(). */
static inline bool v9x_inode_is_new(struct inode *inode)
{
#ifdef V9X_HAVE_INODE_STATE_READ
	return inode_state_read_once(inode) & I_NEW;
#else
	return READ_ONCE(inode->i_state) & I_NEW;
#endif
}

/* v6.18: generic_drop_inode() was renamed inode_generic_drop(). */
static inline int v9x_inode_generic_drop(struct inode *inode)
{
#ifdef V9X_HAVE_INODE_GENERIC_DROP
	return inode_generic_drop(inode);
#else
	return generic_drop_inode(inode);
#endif
}

/* v6.17: sb->s_d_op is set with set_default_d_op(). */
static inline void v9x_set_default_d_op(struct super_block *sb,
					const struct dentry_operations *ops)
{
#ifdef V9X_HAVE_SET_DEFAULT_D_OP
	set_default_d_op(sb, ops);
#else
	sb->s_d_op = ops;
#endif
}

/* v6.3: struct user_namespace * became struct mnt_idmap * in inode ops. */
#ifdef V9X_HAVE_MNT_IDMAP
#define V9X_IDMAP_T struct mnt_idmap
#define V9X_NOP_IDMAP (&nop_mnt_idmap)
#else
#define V9X_IDMAP_T struct user_namespace
#define V9X_NOP_IDMAP (&init_user_ns)
#endif

/* v6.6: generic_fillattr() gained the request mask. */
static inline void v9x_fillattr(V9X_IDMAP_T *idmap, u32 request_mask,
				struct inode *inode, struct kstat *stat)
{
#ifdef V9X_HAVE_FILLATTR_MASK
	generic_fillattr(idmap, request_mask, inode, stat);
#else
	generic_fillattr(idmap, inode, stat);
#endif
}

/* v6.5: generic_file_splice_read() went away; copy_splice_read() suits direct I/O. */
#ifdef V9X_HAVE_COPY_SPLICE_READ
#define v9x_splice_read copy_splice_read
#else
#define v9x_splice_read generic_file_splice_read
#endif

/**
 * v9x_extract_pages - take the pages under the next part of an iterator
 * @iter: source; advanced past the bytes taken
 * @maxsize: at most this many bytes
 * @maxpages: at most this many pages
 * @zc: filled with the page vector, offset, length and release mode
 *
 * v6.3: iov_iter_extract_pages() pins user pages (FOLL_PIN) and takes no
 * reference on kernel pages; 6.1 has only iov_iter_get_pages_alloc2(), which
 * takes page references.
 *
 * Return: bytes taken (> 0), or a negative error.
 */
static inline ssize_t v9x_extract_pages(struct iov_iter *iter, size_t maxsize,
					unsigned int maxpages,
					struct v9x_zc *zc)
{
	struct page **pages = NULL;
	size_t offset;
	ssize_t n;

	zc->user = user_backed_iter(iter);
#ifdef V9X_HAVE_ITER_EXTRACT_PAGES
	zc->mode = iov_iter_extract_will_pin(iter) ? V9X_PAGES_PINNED :
						     V9X_PAGES_NONE;
	n = iov_iter_extract_pages(iter, &pages, maxsize, maxpages, 0, &offset);
#else
	zc->mode = V9X_PAGES_REF;
	maxsize = min_t(size_t, maxsize, (size_t)maxpages * PAGE_SIZE);
	n = iov_iter_get_pages_alloc2(iter, &pages, maxsize, &offset);
#endif
	if (n <= 0) {
		kvfree(pages);
		return n ? n : -EFAULT;
	}
	zc->pages = pages;
	zc->offset = offset;
	zc->len = n;
	zc->npages = DIV_ROUND_UP(offset + n, PAGE_SIZE);
	return n;
}

/* v6.9: the common file_lock fields moved into fl->c (struct file_lock_core). */
#ifdef V9X_HAVE_FILE_LOCK_CORE
static inline unsigned char v9x_fl_type(const struct file_lock *fl)
{
	return fl->c.flc_type;
}

static inline void v9x_fl_set_type(struct file_lock *fl, unsigned char type)
{
	fl->c.flc_type = type;
}

static inline unsigned int v9x_fl_pid(const struct file_lock *fl)
{
	return fl->c.flc_pid;
}

static inline void v9x_fl_set_pid(struct file_lock *fl, unsigned int pid)
{
	fl->c.flc_pid = pid;
}

static inline bool v9x_fl_is_posix(const struct file_lock *fl)
{
	return fl->c.flc_flags & FL_POSIX;
}

static inline fl_owner_t v9x_fl_owner(const struct file_lock *fl)
{
	return fl->c.flc_owner;
}

/* Each POSIX lock of an inode's lock context; the caller holds flc_lock. */
#define v9x_for_each_posix_lock(fl, ctx) \
	list_for_each_entry(fl, &(ctx)->flc_posix, c.flc_list)
#else
static inline unsigned char v9x_fl_type(const struct file_lock *fl)
{
	return fl->fl_type;
}

static inline void v9x_fl_set_type(struct file_lock *fl, unsigned char type)
{
	fl->fl_type = type;
}

static inline unsigned int v9x_fl_pid(const struct file_lock *fl)
{
	return fl->fl_pid;
}

static inline void v9x_fl_set_pid(struct file_lock *fl, unsigned int pid)
{
	fl->fl_pid = pid;
}

static inline bool v9x_fl_is_posix(const struct file_lock *fl)
{
	return fl->fl_flags & FL_POSIX;
}

static inline fl_owner_t v9x_fl_owner(const struct file_lock *fl)
{
	return fl->fl_owner;
}

#define v9x_for_each_posix_lock(fl, ctx) \
	list_for_each_entry(fl, &(ctx)->flc_posix, fl_list)
#endif

/*
 * Buffered writes (vfs_addr.c), written against v6.17: ->write_begin() and
 * ->write_end() take the kiocb and a folio.
 */
int v9x_write_begin(const struct kiocb *iocb, struct address_space *mapping,
		    loff_t pos, unsigned int len, struct folio **foliop,
		    void **fsdata);
int v9x_write_end(const struct kiocb *iocb, struct address_space *mapping,
		  loff_t pos, unsigned int len, unsigned int copied,
		  struct folio *folio, void *fsdata);

#ifdef V9X_HAVE_WRITE_BEGIN_KIOCB
#define v9x_aop_write_begin v9x_write_begin
#define v9x_aop_write_end v9x_write_end
#else
/*
 * v6.17: the ops took the struct file, not a kiocb; v9x only needs
 * iocb->ki_filp. v6.12: they took a folio, not a page (V9X_WB_T).
 */
#ifdef V9X_HAVE_WRITE_BEGIN_FOLIO
#define V9X_WB_T struct folio
#define v9x_wb_from_folio(folio) (folio)
#define v9x_wb_to_folio(arg) (arg)
#else
#define V9X_WB_T struct page
#define v9x_wb_from_folio(folio) (&(folio)->page)
#define v9x_wb_to_folio(arg) page_folio(arg)
#endif

static inline int v9x_aop_write_begin(struct file *file,
				      struct address_space *mapping,
				      loff_t pos, unsigned int len,
				      V9X_WB_T **pagep, void **fsdata)
{
	struct kiocb iocb = { .ki_filp = file };
	struct folio *folio;
	int ret;

	ret = v9x_write_begin(&iocb, mapping, pos, len, &folio, fsdata);
	if (!ret)
		*pagep = v9x_wb_from_folio(folio);
	return ret;
}

static inline int v9x_aop_write_end(struct file *file,
				    struct address_space *mapping, loff_t pos,
				    unsigned int len, unsigned int copied,
				    V9X_WB_T *page, void *fsdata)
{
	struct kiocb iocb = { .ki_filp = file };

	return v9x_write_end(&iocb, mapping, pos, len, copied,
			     v9x_wb_to_folio(page), fsdata);
}
#endif

/*
 * The locked page-cache folio for a write at @index. v6.17:
 * write_begin_get_folio(); before, the same flags to __filemap_get_folio(),
 * which until v6.3 returned NULL, not an ERR_PTR, on failure (and
 * grab_cache_page_write_begin(), which v6.15 removed, wrapped it).
 */
static inline struct folio *v9x_write_begin_folio(const struct kiocb *iocb,
						  struct address_space *mapping,
						  pgoff_t index, size_t len)
{
#ifdef V9X_HAVE_WRITE_BEGIN_GET_FOLIO
	return write_begin_get_folio(iocb, mapping, index, len);
#else
	struct folio *folio;

	folio = __filemap_get_folio(mapping, index,
				    FGP_LOCK | FGP_WRITE | FGP_CREAT | FGP_STABLE,
				    mapping_gfp_mask(mapping));
	return folio ? folio : ERR_PTR(-ENOMEM);
#endif
}

/* A writeback step: one locked folio, cleared for I/O (see v9x_writeback()). */
typedef int (*v9x_writeback_fn)(struct folio *folio,
				struct writeback_control *wbc, void *data);

#ifdef V9X_HAVE_WRITEBACK_ITER
/**
 * v9x_writeback - hand each dirty folio that @wbc selects to @fn
 * @mapping: the file's pages
 * @wbc: what to write back
 * @fn: called with each folio locked and cleared for I/O
 * @data: passed to @fn
 *
 * v6.10: writeback_iter() gives out the folios one by one; write_cache_pages()
 * (removed in v6.18) called back for each. An error stops a WB_SYNC_NONE
 * pass; a WB_SYNC_ALL one goes on and returns the first error.
 *
 * Return: 0 or the first error of @fn.
 */
static inline int v9x_writeback(struct address_space *mapping,
				struct writeback_control *wbc,
				v9x_writeback_fn fn, void *data)
{
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		error = fn(folio, wbc, data);
	return error;
}
#else
/* v6.3: write_cache_pages() hands its callback a folio, not a page. */
#ifdef V9X_HAVE_WRITEPAGE_FOLIO
#define V9X_WP_T struct folio
#define v9x_wp_folio(arg) (arg)
#else
#define V9X_WP_T struct page
#define v9x_wp_folio(arg) page_folio(arg)
#endif

struct v9x_writeback_call {
	v9x_writeback_fn fn;
	void *data;
};

static inline int v9x_writeback_one(V9X_WP_T *page,
				    struct writeback_control *wbc, void *data)
{
	struct v9x_writeback_call *call = data;

	return call->fn(v9x_wp_folio(page), wbc, call->data);
}

static inline int v9x_writeback(struct address_space *mapping,
				struct writeback_control *wbc,
				v9x_writeback_fn fn, void *data)
{
	struct v9x_writeback_call call = { .fn = fn, .data = data };

	return write_cache_pages(mapping, wbc, v9x_writeback_one, &call);
}
#endif

/* vfs_dentry.c, written against v6.14: ->d_revalidate() gets the parent and name. */
int v9x_d_revalidate(struct inode *dir, const struct qstr *name,
		     struct dentry *dentry, unsigned int flags);
#ifdef V9X_HAVE_D_REVALIDATE_NAME
#define v9x_dop_revalidate v9x_d_revalidate
#else
/* v6.14: only the dentry and flags were given; v9x uses neither extra. */
static inline int v9x_dop_revalidate(struct dentry *dentry, unsigned int flags)
{
	return v9x_d_revalidate(NULL, NULL, dentry, flags);
}
#endif

/* vfs_ops.c, written against v6.15 (->mkdir() returns a dentry) and v7.0. */
struct dentry *v9x_mkdir(V9X_IDMAP_T *idmap, struct inode *dir,
			 struct dentry *dentry, umode_t mode);
int v9x_create(V9X_IDMAP_T *idmap, struct inode *dir, struct dentry *dentry,
	       umode_t mode);
#ifdef V9X_HAVE_MKDIR_DENTRY
#define v9x_iop_mkdir v9x_mkdir
#else
/* v6.15: ->mkdir() returned an error code; v9x_mkdir() never gives another dentry. */
static inline int v9x_iop_mkdir(V9X_IDMAP_T *idmap, struct inode *dir,
				struct dentry *dentry, umode_t mode)
{
	return PTR_ERR_OR_ZERO(v9x_mkdir(idmap, dir, dentry, mode));
}
#endif
#ifdef V9X_HAVE_CREATE_NO_EXCL
#define v9x_iop_create v9x_create
#else
/*
 * v7.0: ->create() had a "bool excl". With ->atomic_open() it is only called
 * by mknod(2), always exclusive, so v9x_create() always creates exclusively.
 */
static inline int v9x_iop_create(V9X_IDMAP_T *idmap, struct inode *dir,
				 struct dentry *dentry, umode_t mode, bool excl)
{
	return v9x_create(idmap, dir, dentry, mode);
}
#endif

/* acl.c: the ACL ops whose arguments differ between kernels. */
struct posix_acl *v9x_get_acl(V9X_IDMAP_T *idmap, struct dentry *dentry,
			      int type);
int v9x_set_acl(V9X_IDMAP_T *idmap, struct dentry *dentry,
		struct posix_acl *acl, int type);

/*
 * v6.2: ->get_acl(inode, type, rcu) became ->get_inode_acl(); a new
 * ->get_acl(idmap, dentry, type) serves getxattr. Before, the ACL xattrs
 * went through the posix_acl_*_xattr_handler in s_xattr, which call
 * ->get_acl and ->set_acl; since, the VFS routes them to the ops itself.
 */
#ifndef CONFIG_FS_POSIX_ACL
/* No ACLs in this kernel (acl.c is not built): no ACL ops. */
#define V9X_IOP_GET_ACL .get_acl = NULL
#define v9x_iop_set_acl NULL
#else
#ifdef V9X_HAVE_GET_INODE_ACL
#define V9X_IOP_GET_ACL \
	.get_inode_acl = v9x_get_inode_acl, \
	.get_acl = v9x_get_acl
#else
#define V9X_IOP_GET_ACL \
	.get_acl = v9x_get_inode_acl
#define V9X_ACL_XATTR_HANDLERS
#endif

/* v6.2: ->set_acl() takes the dentry; 6.1 gives the inode, find an alias. */
#ifdef V9X_HAVE_SET_ACL_DENTRY
#define v9x_iop_set_acl v9x_set_acl
#else
static inline int v9x_iop_set_acl(V9X_IDMAP_T *idmap, struct inode *inode,
				  struct posix_acl *acl, int type)
{
	struct dentry *dentry = d_find_alias(inode);
	int ret;

	if (!dentry)
		return -ESTALE;
	ret = v9x_set_acl(idmap, dentry, acl, type);
	dput(dentry);
	return ret;
}
#endif
#endif /* CONFIG_FS_POSIX_ACL */

/* v6.2: posix_acl_chmod() takes the dentry, not the inode. */
static inline int v9x_posix_acl_chmod(V9X_IDMAP_T *idmap,
				      struct dentry *dentry, umode_t mode)
{
#ifdef V9X_HAVE_ACL_CHMOD_DENTRY
	return posix_acl_chmod(idmap, dentry, mode);
#else
	return posix_acl_chmod(idmap, d_inode(dentry), mode);
#endif
}

/**
 * v9x_acl_to_xattr - an ACL in its xattr form, in a new buffer
 * @acl: the ACL
 * @sizep: set to the buffer's length
 *
 * v7.0: posix_acl_to_xattr() allocates the buffer (NULL when it cannot);
 * before, the caller sized and allocated it.
 *
 * Return: the buffer (kfree() it), or an ERR_PTR.
 */
static inline void *v9x_acl_to_xattr(const struct posix_acl *acl,
				     size_t *sizep)
{
	void *buf;
#ifdef V9X_HAVE_ACL_TO_XATTR_ALLOC
	buf = posix_acl_to_xattr(&init_user_ns, acl, sizep, GFP_KERNEL);
	return buf ? buf : ERR_PTR(-ENOMEM);
#else
	size_t size = posix_acl_xattr_size(acl->a_count);
	int ret;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	ret = posix_acl_to_xattr(&init_user_ns, acl, buf, size);
	if (ret < 0) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	*sizep = size;
	return buf;
#endif
}

/*
 * v7.x (in 7.3, not in 6.12): d_alloc_parallel() waits on a table of wait
 * queues of its own; before, the caller passed one, alive until
 * d_lookup_done(). A caller with several lookups in progress at once needs
 * one for each, as the tasks waiting for one leave their entries on it
 * when woken (v9x_parallel_wq_init() it before each d_alloc_parallel()).
 */
#ifdef V9X_HAVE_D_ALLOC_PARALLEL_NOWQ
struct v9x_parallel_wq { };

#define v9x_parallel_wq_init(w) do { } while (0)
#define v9x_d_alloc_parallel_in(parent, name, w) d_alloc_parallel(parent, name)
#else
struct v9x_parallel_wq {
	wait_queue_head_t head;
};

#define v9x_parallel_wq_init(w) init_waitqueue_head(&(w)->head)
#define v9x_d_alloc_parallel_in(parent, name, w) \
	d_alloc_parallel(parent, name, &(w)->head)
#endif

#endif /* V9X_COMPAT_H */
