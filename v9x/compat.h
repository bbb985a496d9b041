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
#include <linux/posix_acl.h>
#ifdef V9X_HAVE_FILELOCK_H
#include <linux/filelock.h>
#endif
#include <linux/uio.h>

#ifdef V9X_PROBE_FAILED
#error "v9x/probe.sh found no kernel headers: is KDIR a configured kernel tree?"
#endif

#include "internal.h"

/* v6.6: timestamps moved behind inode_set_[am]time(); 6.1 has the fields. */
static inline void v9x_inode_set_times(struct inode *inode,
				       const struct timespec64 *atime,
				       const struct timespec64 *mtime,
				       const struct timespec64 *ctime)
{
#ifdef V9X_HAVE_INODE_SET_TIME
	inode_set_atime_to_ts(inode, *atime);
	inode_set_mtime_to_ts(inode, *mtime);
	inode_set_ctime_to_ts(inode, *ctime);
#else
	inode->i_atime = *atime;
	inode->i_mtime = *mtime;
	inode->i_ctime = *ctime;
#endif
}

/* v6.3: struct user_namespace * became struct mnt_idmap * in inode ops. */
#ifdef V9X_HAVE_MNT_IDMAP
#define V9X_IDMAP_T struct mnt_idmap
#else
#define V9X_IDMAP_T struct user_namespace
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

/* v6.12: ->write_begin() and ->write_end() take a folio, not a page. */
#ifdef V9X_HAVE_WRITE_BEGIN_FOLIO
#define V9X_WB_T struct folio
static inline struct folio *v9x_wb_folio(struct folio *folio)
{
	return folio;
}

static inline struct folio *v9x_wb_arg(struct folio *folio)
{
	return folio;
}
#else
#define V9X_WB_T struct page
static inline struct folio *v9x_wb_folio(struct page *page)
{
	return page_folio(page);
}

static inline struct page *v9x_wb_arg(struct folio *folio)
{
	return &folio->page;
}
#endif

/* v6.3: write_cache_pages() hands its callback a folio, not a page. */
#ifdef V9X_HAVE_WRITEPAGE_FOLIO
#define V9X_WP_T struct folio
static inline struct folio *v9x_wp_folio(struct folio *folio)
{
	return folio;
}
#else
#define V9X_WP_T struct page
static inline struct folio *v9x_wp_folio(struct page *page)
{
	return page_folio(page);
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

#endif /* V9X_COMPAT_H */
