// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX ACLs (the posixacl mount option): kept on the server in the
 * system.posix_acl_access and system.posix_acl_default xattrs, in the
 * kernel's posix_acl_xattr format, and checked in the guest by
 * generic_permission() (v9x_vfs_permission()). Holds ->get_inode_acl,
 * ->get_acl and ->set_acl, the default ACL a new file inherits, and the
 * forgetting of cached ACLs when the server's attributes are refreshed.
 * Calls the client (xattrs, Tsetattr) and fid.c; the kernel-version
 * differences of the ACL callbacks are in compat.h.
 *
 * Caching: the VFS keeps what ->get_inode_acl/->get_acl return in the
 * inode (i_acl, i_default_acl). v9x_inode_update() forgets it each time
 * attributes come from the server, so a host-side change is seen as soon
 * as the attributes are: at once with cache=none (every lookup asks), after
 * actimeo in the caching modes.
 */

#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <linux/slab.h>
#include <linux/xattr.h>

#include "compat.h"
#include "internal.h"

/* A first guess at an ACL's xattr size: room for 30 entries. */
#define V9X_ACL_GUESS	posix_acl_xattr_size(30)

/* The xattr of ACL @type (posix_acl_xattr_name() is 6.2+ only). */
static const char *v9x_acl_name(int type)
{
	return type == ACL_TYPE_ACCESS ? XATTR_NAME_POSIX_ACL_ACCESS :
					 XATTR_NAME_POSIX_ACL_DEFAULT;
}

/* Read ACL @type of the file @fid names: NULL when it has none. */
static struct posix_acl *v9x_acl_fetch(struct v9x_fid *fid, int type)
{
	const char *name = v9x_acl_name(type);
	struct posix_acl *acl;
	size_t size = V9X_ACL_GUESS;
	ssize_t len;
	void *buf;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	len = v9x_client_xattr_get(fid, name, buf, size);
	if (len == -ERANGE) {
		/* Bigger than the guess: ask its size (bounded by XATTR_SIZE_MAX). */
		kfree(buf);
		len = v9x_client_xattr_get(fid, name, NULL, 0);
		if (len <= 0)
			return len ? ERR_PTR(len) : NULL;
		size = len;
		buf = kvmalloc(size, GFP_KERNEL);
		if (!buf)
			return ERR_PTR(-ENOMEM);
		len = v9x_client_xattr_get(fid, name, buf, size);
	}
	if (len == -ENODATA || len == -ENOENT || len == -EOPNOTSUPP || !len) {
		acl = NULL;
	} else if (len < 0) {
		acl = ERR_PTR(len);
	} else {
		/* The value comes from the server: decode and validate it. */
		acl = posix_acl_from_xattr(&init_user_ns, buf, len);
		if (!IS_ERR_OR_NULL(acl) && posix_acl_valid(&init_user_ns, acl)) {
			posix_acl_release(acl);
			acl = ERR_PTR(-EIO);
		} else if (IS_ERR(acl)) {
			acl = ERR_PTR(-EIO);
		}
	}
	kvfree(buf);
	return acl;
}

/* The fid to reach @inode's file without a dentry: an alias's, or an open one. */
static struct v9x_fid *v9x_acl_inode_fid(struct inode *inode)
{
	struct dentry *alias = d_find_alias(inode);
	struct v9x_fid *fid;

	if (alias) {
		fid = v9x_attr_fid(alias);
		dput(alias);
		return fid;
	}
	fid = v9x_inode_open_fid(inode);
	return fid ? fid : ERR_PTR(-ESTALE);
}

/* v9x_acl_fetch() through @fid (a reference, or an ERR_PTR), then put it. */
static struct posix_acl *v9x_acl_fetch_put(struct v9x_fid *fid, int type)
{
	struct posix_acl *acl;

	if (IS_ERR(fid))
		return ERR_CAST(fid);
	acl = v9x_acl_fetch(fid, type);
	v9x_fid_put(fid);
	return acl;
}

/**
 * v9x_get_inode_acl - ->get_inode_acl() (->get_acl() before 6.2)
 * @inode: the inode
 * @type: ACL_TYPE_ACCESS or ACL_TYPE_DEFAULT
 * @rcu: called in RCU walk: cannot ask the server
 *
 * Called by the VFS when the inode has no cached ACL of @type, e.g. in a
 * permission check; the VFS caches the result.
 *
 * Return: the ACL (a reference), NULL for none, or an ERR_PTR.
 */
struct posix_acl *v9x_get_inode_acl(struct inode *inode, int type, bool rcu)
{
	if (rcu)
		return ERR_PTR(-ECHILD);
	if (!IS_POSIXACL(inode))
		return NULL;
	return v9x_acl_fetch_put(v9x_acl_inode_fid(inode), type);
}

/**
 * v9x_get_acl - ->get_acl() with a dentry (getxattr of an ACL, 6.2+)
 * @idmap: the mount's idmapping (unused: v9x has no idmapped mounts)
 * @dentry: the file
 * @type: ACL_TYPE_ACCESS or ACL_TYPE_DEFAULT
 *
 * Return: the ACL (a reference), NULL for none, or an ERR_PTR.
 */
struct posix_acl *v9x_get_acl(V9X_IDMAP_T *idmap, struct dentry *dentry,
			      int type)
{
	if (!IS_POSIXACL(d_inode(dentry)))
		return NULL;
	return v9x_acl_fetch_put(v9x_attr_fid(dentry), type);
}

/* Write (or, for a NULL @acl, remove) ACL @type of the file @fid names. */
static int v9x_acl_store(struct v9x_fid *fid, int type,
			 const struct posix_acl *acl)
{
	const char *name = v9x_acl_name(type);
	size_t size;
	void *buf;
	int ret;

	if (!acl) {
		ret = v9x_client_xattr_set(fid, name, NULL, 0, 0);
		/* Removing an ACL the file does not have is no error. */
		return ret == -ENODATA || ret == -ENOENT ? 0 : ret;
	}
	buf = v9x_acl_to_xattr(acl, &size);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = v9x_client_xattr_set(fid, name, buf, size, 0);
	kfree(buf);
	return ret;
}

/**
 * v9x_set_acl - ->set_acl(): setxattr of an ACL, and chmod's mask update
 * @idmap: the mount's idmapping
 * @dentry: the file
 * @acl: the new ACL, or NULL to remove it
 * @type: ACL_TYPE_ACCESS or ACL_TYPE_DEFAULT
 *
 * An access ACL also sets the file's mode (posix_acl_update_mode(): the
 * owner, group-or-mask and other entries; setgid dropped as chmod would),
 * with a Tsetattr first, and is not stored at all when the mode says all
 * it says. Context: the VFS holds the inode lock.
 *
 * Return: 0 or a negative errno.
 */
int v9x_set_acl(V9X_IDMAP_T *idmap, struct dentry *dentry,
		struct posix_acl *acl, int type)
{
	struct inode *inode = d_inode(dentry);
	struct posix_acl *stored = acl;
	struct v9x_fid *fid;
	umode_t mode = inode->i_mode;
	int ret;

	/* Without posixacl the names are not plain xattrs either: refused. */
	if (!IS_POSIXACL(inode) || S_ISLNK(inode->i_mode))
		return -EOPNOTSUPP;
	/* A path ending in "." or "..": the directories on its way. */
	ret = v9x_checks_settle(dentry->d_sb, dentry);
	if (ret)
		return ret;
	if (!inode_owner_or_capable(idmap, inode))
		return -EPERM;
	if (type == ACL_TYPE_DEFAULT && !S_ISDIR(inode->i_mode))
		return acl ? -EACCES : 0;
	if (type == ACL_TYPE_ACCESS && acl) {
		ret = posix_acl_update_mode(idmap, inode, &mode, &stored);
		if (ret)
			return ret;
	}
	fid = v9x_attr_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid);
	if (mode != inode->i_mode) {
		struct v9x_iattr p = { .valid = V9X_ATTR_MODE | V9X_ATTR_CTIME,
				       .mode = mode };

		ret = v9x_client_setattr(fid, &p);
		if (ret)
			goto out_put;
		spin_lock(&inode->i_lock);
		inode->i_mode = mode;
		spin_unlock(&inode->i_lock);
		v9x_attr_stale(inode);
	}
	ret = v9x_acl_store(fid, type, stored);
	if (!ret)
		set_cached_acl(inode, type, stored);
	else
		forget_cached_acl(inode, type);
out_put:
	v9x_fid_put(fid);
	return ret;
}

/**
 * v9x_acl_prepare - the ACLs a new file inherits from its directory
 * @dir: the directory it is created in
 * @mode: the mode asked for; the umask or the default ACL is applied to it
 * @dacl: set to the new directory's default ACL, or NULL
 * @acl: set to the new file's access ACL, or NULL
 *
 * With posixacl the VFS leaves the umask to the filesystem: it applies
 * only when @dir has no default ACL (posix_acl_create()). Without
 * posixacl the VFS has already applied it. Release the ACLs with
 * v9x_acl_release() once v9x_acl_init() has stored them.
 *
 * Return: 0 or a negative errno.
 */
int v9x_acl_prepare(struct inode *dir, umode_t *mode, struct posix_acl **dacl,
		    struct posix_acl **acl)
{
	*dacl = NULL;
	*acl = NULL;
	if (!IS_POSIXACL(dir))
		return 0;
	return posix_acl_create(dir, mode, dacl, acl);
}

/**
 * v9x_acl_init - store the inherited ACLs of a file just created
 * @dentry: its dentry, positive
 * @dacl: its default ACL (a directory's), or NULL
 * @acl: its access ACL, or NULL
 *
 * The file already has the mode posix_acl_create() computed; the ACLs are
 * set on the server and cached. The VFS's own filesystems cannot fail
 * here once the file exists either; an error is returned to the creator,
 * the file stays (with a mode no wider than the ACL allowed).
 *
 * Return: 0 or a negative errno.
 */
int v9x_acl_init(struct dentry *dentry, struct posix_acl *dacl,
		 struct posix_acl *acl)
{
	struct inode *inode = d_inode(dentry);
	struct v9x_fid *fid;
	int ret = 0;

	if (!IS_POSIXACL(inode))
		return 0;
	if (dacl || acl) {
		fid = v9x_dentry_fid(dentry);
		if (IS_ERR(fid))
			return PTR_ERR(fid);
		if (dacl)
			ret = v9x_acl_store(fid, ACL_TYPE_DEFAULT, dacl);
		if (!ret && acl)
			ret = v9x_acl_store(fid, ACL_TYPE_ACCESS, acl);
		v9x_fid_put(fid);
	}
	if (ret) {
		forget_all_cached_acls(inode);
		return ret;
	}
	set_cached_acl(inode, ACL_TYPE_DEFAULT, dacl);
	set_cached_acl(inode, ACL_TYPE_ACCESS, acl);
	return 0;
}

/**
 * v9x_acl_release - drop the references v9x_acl_prepare() gave
 * @dacl: default ACL or NULL
 * @acl: access ACL or NULL
 */
void v9x_acl_release(struct posix_acl *dacl, struct posix_acl *acl)
{
	posix_acl_release(dacl);
	posix_acl_release(acl);
}

/**
 * v9x_acl_forget - attributes came from the server: so may new ACLs
 * @inode: the inode
 */
void v9x_acl_forget(struct inode *inode)
{
	if (IS_POSIXACL(inode))
		forget_all_cached_acls(inode);
}
