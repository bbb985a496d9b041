// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes: the user., trusted. and security. handlers and
 * listxattr, over Txattrwalk/Txattrcreate. Calls the client and fid.c.
 * The system.posix_acl_* names are acl.c's (through the kernel's ACL
 * handlers before 6.2, through the VFS since).
 */

#include <linux/fs.h>
#include <linux/posix_acl_xattr.h>
#include <linux/xattr.h>

#include "compat.h"
#include "internal.h"

/*
 * A path ending in "." or "..": the directories on its way, once its walk
 * is over. Not during a walk (an LSM reading a label as a lookup
 * instantiates an inode): the walk's own settles judge its checks.
 */
static int v9x_xattr_settle(struct dentry *dentry)
{
	if (current->nameidata)
		return 0;
	return v9x_checks_settle(dentry->d_sb, dentry);
}

static int v9x_vfs_xattr_get(const struct xattr_handler *handler,
			     struct dentry *dentry, struct inode *inode,
			     const char *name, void *buffer, size_t size)
{
	const char *full = xattr_full_name(handler, name);
	struct v9x_fid *fid;
	ssize_t ret;

	ret = v9x_xattr_settle(dentry);
	if (ret)
		return ret;
	fid = v9x_attr_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_client_xattr_get(fid, full, buffer, size);
	v9x_fid_put(fid);
	/* Servers answer a missing attribute in several ways. */
	if (ret == -EOPNOTSUPP || ret == -ENOENT)
		ret = -ENODATA;
	return ret;
}

static int v9x_vfs_xattr_set(const struct xattr_handler *handler,
			     V9X_IDMAP_T *idmap, struct dentry *dentry,
			     struct inode *inode, const char *name,
			     const void *value, size_t size, int flags)
{
	const char *full = xattr_full_name(handler, name);
	struct v9x_fid *fid;
	int ret;

	ret = v9x_xattr_settle(dentry);
	if (ret)
		return ret;
	fid = v9x_attr_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_client_xattr_set(fid, full, value, size, flags);
	v9x_fid_put(fid);
	return ret;
}

static const struct xattr_handler v9x_xattr_user = {
	.prefix = XATTR_USER_PREFIX,
	.get = v9x_vfs_xattr_get,
	.set = v9x_vfs_xattr_set,
};

static const struct xattr_handler v9x_xattr_trusted = {
	.prefix = XATTR_TRUSTED_PREFIX,
	.get = v9x_vfs_xattr_get,
	.set = v9x_vfs_xattr_set,
};

static const struct xattr_handler v9x_xattr_security = {
	.prefix = XATTR_SECURITY_PREFIX,
	.get = v9x_vfs_xattr_get,
	.set = v9x_vfs_xattr_set,
};

const struct xattr_handler *v9x_xattr_handlers[] = {
	&v9x_xattr_user,
	&v9x_xattr_trusted,
	&v9x_xattr_security,
#ifdef V9X_ACL_XATTR_HANDLERS
	/* Before 6.2 the ACL xattrs reach ->get_acl/->set_acl through these. */
	&posix_acl_access_xattr_handler,
	&posix_acl_default_xattr_handler,
#endif
	NULL,
};

/**
 * v9x_vfs_listxattr - ->listxattr()
 * @dentry: the file
 * @buffer: where the names go, or NULL to ask the size
 * @size: bytes in @buffer
 *
 * Return: the list's length or a negative errno.
 */
ssize_t v9x_vfs_listxattr(struct dentry *dentry, char *buffer, size_t size)
{
	struct v9x_fid *fid;
	ssize_t ret;

	ret = v9x_xattr_settle(dentry);
	if (ret)
		return ret;
	fid = v9x_attr_fid(dentry);
	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_client_xattr_get(fid, "", buffer, size);
	v9x_fid_put(fid);
	if (ret == -EOPNOTSUPP)
		ret = 0;
	return ret;
}
