// SPDX-License-Identifier: GPL-2.0
/*
 * The v9x filesystem type: mount options (new mount API), superblock setup
 * and teardown, statfs and /proc/mounts. The mount's source is the virtio
 * mount tag. Inode, dentry and file operations live in vfs_ops.c.
 */

#include <linux/backing-dev.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/string.h>

#include "compat.h"
#include "internal.h"

#define V9X_DEFAULT_UNAME	"nobody"

static struct kmem_cache *v9x_inode_cachep;

enum {
	Opt_tag,
	Opt_uname,
	Opt_aname,
	Opt_msize,
	Opt_version,
	Opt_trans,
	Opt_access,
	Opt_dfltuid,
	Opt_cache,
	Opt_actimeo,
	Opt_posixacl,
	Opt_prefetch,
};

static const struct fs_parameter_spec v9x_param_specs[] = {
	fsparam_string("tag", Opt_tag),
	fsparam_string("uname", Opt_uname),
	fsparam_string("aname", Opt_aname),
	fsparam_u32("msize", Opt_msize),
	fsparam_string("version", Opt_version),
	fsparam_string("trans", Opt_trans),
	fsparam_string("access", Opt_access),
	fsparam_u32("dfltuid", Opt_dfltuid),
	fsparam_string("cache", Opt_cache),
	fsparam_u32("actimeo", Opt_actimeo),
	fsparam_flag("posixacl", Opt_posixacl),
	fsparam_u32("prefetch", Opt_prefetch),
	{}
};

static int v9x_parse_access(struct fs_context *fc, struct v9x_mount_opts *opts,
			    const char *val)
{
	u32 uid;

	if (!strcmp(val, "client")) {
		opts->access = V9X_ACCESS_CLIENT;
	} else if (!strcmp(val, "any")) {
		opts->access = V9X_ACCESS_ANY;
	} else if (!strcmp(val, "user")) {
		opts->access = V9X_ACCESS_USER;
	} else if (!kstrtou32(val, 10, &uid)) {
		opts->access_uid = make_kuid(current_user_ns(), uid);
		if (!uid_valid(opts->access_uid))
			return invalfc(fc, "access=%s: no such uid", val);
		opts->access = V9X_ACCESS_SINGLE;
	} else {
		return invalfc(fc, "access '%s' invalid: user, client, any or a uid",
			       val);
	}
	return 0;
}

static const char *const v9x_cache_names[] = {
	[V9X_CACHE_NONE] = "none",
	[V9X_CACHE_READAHEAD] = "readahead",
	[V9X_CACHE_MMAP] = "mmap",
	[V9X_CACHE_LOOSE] = "loose",
};

static int v9x_parse_cache(struct fs_context *fc, struct v9x_mount_opts *opts,
			   const char *val)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(v9x_cache_names); i++) {
		if (!strcmp(val, v9x_cache_names[i])) {
			opts->cache = i;
			return 0;
		}
	}
	return invalfc(fc, "cache '%s' invalid: none, readahead, mmap or loose",
		       val);
}

static int v9x_vfs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct v9x_mount_opts *opts = fc->fs_private;
	struct fs_parse_result result;
	int opt;

	opt = fs_parse(fc, v9x_param_specs, param, &result);
	if (opt < 0)
		return opt;

	switch (opt) {
	case Opt_tag:
		/* mount(8) passes "none" as the source when tag= carries it. */
		if (fc->source && strcmp(fc->source, "none"))
			return invalfc(fc, "tag given twice (source and tag=)");
		kfree(fc->source);
		fc->source = param->string;
		param->string = NULL;
		break;
	case Opt_uname:
		kfree(opts->uname);
		opts->uname = param->string;
		param->string = NULL;
		opts->uname_set = true;
		break;
	case Opt_aname:
		kfree(opts->aname);
		opts->aname = param->string;
		param->string = NULL;
		break;
	case Opt_msize:
		if (result.uint_32 < V9X_MIN_MSIZE ||
		    result.uint_32 > V9X_MAX_MSIZE)
			return invalfc(fc, "msize %u out of range [%u, %u]",
				       result.uint_32, V9X_MIN_MSIZE,
				       V9X_MAX_MSIZE);
		opts->msize = result.uint_32;
		break;
	case Opt_version:
		if (strcasecmp(param->string, V9X_VERSION_L))
			return invalfc(fc, "version '%s' not supported, only %s",
				       param->string, V9X_VERSION_L);
		break;
	case Opt_trans:
		if (strcmp(param->string, "virtio"))
			return invalfc(fc, "trans '%s' not supported, only virtio",
				       param->string);
		break;
	case Opt_access:
		return v9x_parse_access(fc, opts, param->string);
	case Opt_dfltuid:
		if (result.uint_32 == V9X_NONUNAME)
			return invalfc(fc, "dfltuid %u is reserved", result.uint_32);
		opts->dfltuid = result.uint_32;
		opts->dfltuid_set = true;
		break;
	case Opt_cache:
		return v9x_parse_cache(fc, opts, param->string);
	case Opt_actimeo:
		if (result.uint_32 > V9X_MAX_ACTIMEO)
			return invalfc(fc, "actimeo %u out of range [0, %u]",
				       result.uint_32, V9X_MAX_ACTIMEO);
		opts->actimeo = result.uint_32;
		opts->actimeo_set = true;
		break;
	case Opt_posixacl:
		if (!IS_ENABLED(CONFIG_FS_POSIX_ACL))
			return invalfc(fc, "posixacl: no POSIX ACLs in this kernel");
		opts->posixacl = true;
		break;
	case Opt_prefetch:
		if (result.uint_32 > V9X_PREFETCH_MAX)
			return invalfc(fc, "prefetch %u out of range [0, %u]",
				       result.uint_32, V9X_PREFETCH_MAX);
		opts->prefetch = result.uint_32;
		break;
	}
	return 0;
}

static int v9x_vfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct v9x_fid *fid;
	struct v9x_statfs st;
	int ret;

	/* A path ending in "." or "..": the directories on its way. */
	ret = v9x_checks_settle(dentry->d_sb, dentry);
	if (ret)
		return ret;
	fid = v9x_dentry_fid(dentry->d_sb->s_root);
	if (IS_ERR(fid))
		return PTR_ERR(fid);
	ret = v9x_client_statfs(fid, &st);
	v9x_fid_put(fid);
	if (ret)
		return ret;
	buf->f_type = V9X_MAGIC;
	buf->f_bsize = st.bsize;
	buf->f_blocks = st.blocks;
	buf->f_bfree = st.bfree;
	buf->f_bavail = st.bavail;
	buf->f_files = st.files;
	buf->f_ffree = st.ffree;
	buf->f_fsid = u64_to_fsid(st.fsid);
	buf->f_namelen = st.namelen;
	return 0;
}

static int v9x_vfs_show_options(struct seq_file *m, struct dentry *root)
{
	struct v9x_sb_info *sbi = V9X_SB(root->d_sb);

	if (sbi->opts.uname_set)
		seq_show_option(m, "uname", sbi->opts.uname);
	if (sbi->opts.aname[0])
		seq_show_option(m, "aname", sbi->opts.aname);
	if (sbi->opts.access == V9X_ACCESS_ANY)
		seq_puts(m, ",access=any");
	else if (sbi->opts.access == V9X_ACCESS_USER)
		seq_puts(m, ",access=user");
	else if (sbi->opts.access == V9X_ACCESS_SINGLE)
		seq_printf(m, ",access=%u",
			   from_kuid_munged(&init_user_ns, sbi->opts.access_uid));
	if (sbi->opts.dfltuid_set)
		seq_printf(m, ",dfltuid=%u", sbi->opts.dfltuid);
	seq_printf(m, ",msize=%u", sbi->clnt->msize);
	/* Spelled as v9fs prints it. */
	seq_puts(m, ",version=9p2000.L");
	if (sbi->opts.cache != V9X_CACHE_NONE)
		seq_printf(m, ",cache=%s", v9x_cache_names[sbi->opts.cache]);
	if (sbi->opts.actimeo)
		seq_printf(m, ",actimeo=%u", sbi->opts.actimeo);
	if (sbi->opts.posixacl)
		seq_puts(m, ",posixacl");
	if (sbi->pf_wq)
		seq_printf(m, ",prefetch=%u", sbi->opts.prefetch);
	seq_puts(m, ",trans=virtio");
	return 0;
}

static struct inode *v9x_vfs_alloc_inode(struct super_block *sb)
{
	struct v9x_inode *vi;

	vi = alloc_inode_sb(sb, v9x_inode_cachep, GFP_KERNEL);
	if (!vi)
		return NULL;
	/*
	 * The cache has a constructor, so its objects come back as the last
	 * inode left them, maybe another mount's: every field of ours starts
	 * at zero (a stale_seq or attr_replies from a mount that counted
	 * further would refuse or misjudge this mount's answers), then the
	 * ones that do not start at zero.
	 */
	memset(vi, 0, offsetof(struct v9x_inode, vfs_inode));
	spin_lock_init(&vi->open_lock);
	INIT_LIST_HEAD(&vi->open_files);
	vi->attr_expire = jiffies;
	vi->attr_fetched = jiffies;
	vi->cache_size = -1;
	return &vi->vfs_inode;
}

static void v9x_vfs_free_inode(struct inode *inode)
{
	kmem_cache_free(v9x_inode_cachep, V9X_I(inode));
}

/* Without a cache, an unused inode is dropped at once; else it is kept. */
static int v9x_vfs_drop_inode(struct inode *inode)
{
	if (v9x_cache_mode(inode) == V9X_CACHE_NONE)
		return 1;
	return v9x_inode_generic_drop(inode);
}

static const struct super_operations v9x_super_ops = {
	.alloc_inode = v9x_vfs_alloc_inode,
	.free_inode = v9x_vfs_free_inode,
	.statfs = v9x_vfs_statfs,
	.show_options = v9x_vfs_show_options,
	.drop_inode = v9x_vfs_drop_inode,
	.evict_inode = v9x_vfs_evict_inode,
};

static int v9x_fill_super(struct super_block *sb, struct fs_context *fc)
{
	struct v9x_sb_info *sbi = sb->s_fs_info;
	struct v9x_mount_opts *opts = &sbi->opts;
	struct v9x_client *clnt;
	struct v9x_fid *root;
	struct v9x_stat st;
	struct inode *inode;
	int ret;

	clnt = v9x_client_create(sbi->tag, opts->msize, opts->uname,
				 opts->aname,
				 opts->dfltuid_set ? opts->dfltuid :
				 from_kuid(&init_user_ns, current_fsuid()),
				 &root);
	if (IS_ERR(clnt)) {
		ret = PTR_ERR(clnt);
		if (ret == -ENOENT)
			errorfc(fc, "no virtio-9p device with mount tag '%s'",
				sbi->tag);
		else if (ret == -EBUSY)
			errorfc(fc, "mount tag '%s' is already mounted",
				sbi->tag);
		else
			errorfc(fc, "cannot attach to '%s': error %d",
				sbi->tag, ret);
		return ret;
	}
	sbi->clnt = clnt;

	sb->s_magic = V9X_MAGIC;
	sb->s_op = &v9x_super_ops;
	v9x_set_default_d_op(sb, &v9x_dentry_ops);
	sb->s_maxbytes = MAX_LFS_FILESIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_time_gran = 1;
	sb->s_xattr = v9x_xattr_handlers;
	/*
	 * Let the VFS remember that a file has nothing to strip on write (no
	 * setuid bit, no security.capability), instead of asking the server
	 * for the capability xattr before every write.
	 */
	sb->s_flags |= SB_NOSEC;
	/*
	 * POSIX ACLs in the system.posix_acl_* xattrs, checked in the guest
	 * (acl.c). Without the option those names are refused, never kept
	 * as plain xattrs the guest would not enforce.
	 */
	if (opts->posixacl)
		sb->s_flags |= SB_POSIXACL;
	strscpy(sb->s_id, sbi->tag, sizeof(sb->s_id));

	ret = super_setup_bdi(sb);
	if (ret)
		goto out_clunk;
	ret = v9x_prefetch_init(sb);
	if (ret)
		goto out_clunk;
	/*
	 * Readahead windows of up to V9X_IO_DEPTH messages, which go out as
	 * that many Treads in flight together.
	 */
	if (opts->cache == V9X_CACHE_READAHEAD || opts->cache == V9X_CACHE_LOOSE)
		sb->s_bdi->ra_pages = min_t(u64, (u64)V9X_IO_DEPTH * clnt->msize,
					    16U << 20) >> PAGE_SHIFT;
	else
		sb->s_bdi->ra_pages = 0;
	sb->s_bdi->io_pages = sb->s_bdi->ra_pages;

	ret = v9x_client_getattr(root, V9X_GETATTR_BASIC, &st);
	if (ret)
		goto out_clunk;
	if (!S_ISDIR(st.mode)) {
		errorfc(fc, "the export's root is not a directory");
		ret = -ENOTDIR;
		goto out_clunk;
	}
	inode = v9x_iget(sb, &st);
	if (IS_ERR(inode)) {
		ret = PTR_ERR(inode);
		goto out_clunk;
	}
	sb->s_root = d_make_root(inode);
	if (!sb->s_root) {
		ret = -ENOMEM;
		goto out_clunk;
	}
	/* From here the root dentry owns the attach fid. */
	v9x_dentry_add_fid(sb->s_root, root);
	v9x_stats_register(clnt, sbi->tag);
	return 0;

out_clunk:
	v9x_client_clunk(root);
	return ret;
}

static int v9x_vfs_get_tree(struct fs_context *fc)
{
	struct v9x_mount_opts *opts = fc->fs_private;
	struct v9x_sb_info *sbi;

	if (!fc->source || !*fc->source)
		return invalfc(fc, "no mount tag given (mount -t v9x TAG DIR)");

	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sbi)
		return -ENOMEM;
	sbi->tag = kstrdup(fc->source, GFP_KERNEL);
	if (!sbi->tag) {
		kfree(sbi);
		return -ENOMEM;
	}
	spin_lock_init(&sbi->checks_lock);
	INIT_LIST_HEAD(&sbi->checks);
	spin_lock_init(&sbi->pf_walked_lock);
	INIT_LIST_HEAD(&sbi->pf_walked);
	if (!opts->actimeo_set && opts->cache == V9X_CACHE_LOOSE)
		opts->actimeo = V9X_LOOSE_ACTIMEO;
	/*
	 * cache=none checks every use of a name and every stat whatever
	 * actimeo says (it is still shown): the mount trusts nothing for any
	 * time, which every freshness test and prefetch read from here.
	 */
	if (opts->cache != V9X_CACHE_NONE)
		sbi->actimeo = (unsigned long)opts->actimeo * HZ;
	/* The superblock takes over the options. */
	sbi->opts = *opts;
	memset(opts, 0, sizeof(*opts));
	fc->s_fs_info = sbi;
	return get_tree_nodev(fc, v9x_fill_super);
}

static void v9x_free_opts(struct v9x_mount_opts *opts)
{
	kfree(opts->uname);
	kfree(opts->aname);
}

static void v9x_free_sbi(struct v9x_sb_info *sbi)
{
	if (!sbi)
		return;
	v9x_free_opts(&sbi->opts);
	kfree(sbi->tag);
	kfree(sbi);
}

static void v9x_vfs_free_fc(struct fs_context *fc)
{
	struct v9x_mount_opts *opts = fc->fs_private;

	if (opts) {
		v9x_free_opts(opts);
		kfree(opts);
	}
	/* Set only when get_tree failed before a superblock took it. */
	v9x_free_sbi(fc->s_fs_info);
}

static const struct fs_context_operations v9x_context_ops = {
	.parse_param = v9x_vfs_parse_param,
	.get_tree = v9x_vfs_get_tree,
	.free = v9x_vfs_free_fc,
};

static int v9x_vfs_init_fs_context(struct fs_context *fc)
{
	struct v9x_mount_opts *opts;

	opts = kzalloc(sizeof(*opts), GFP_KERNEL);
	if (!opts)
		return -ENOMEM;
	opts->uname = kstrdup(V9X_DEFAULT_UNAME, GFP_KERNEL);
	opts->aname = kstrdup("", GFP_KERNEL);
	if (!opts->uname || !opts->aname) {
		v9x_free_opts(opts);
		kfree(opts);
		return -ENOMEM;
	}
	opts->msize = V9X_DEFAULT_MSIZE;
	opts->prefetch = V9X_PREFETCH_DEFAULT;
	fc->fs_private = opts;
	fc->ops = &v9x_context_ops;
	return 0;
}

static void v9x_vfs_kill_sb(struct super_block *sb)
{
	struct v9x_sb_info *sbi = sb->s_fs_info;

	/* Prefetch work holds dentries: let it finish first. */
	v9x_prefetch_exit(sb);
	/* Path checks hold inodes and fids. */
	v9x_checks_exit(sb);
	/* Evicts inodes and dentries; d_release clunks their fids. */
	kill_anon_super(sb);
	if (sbi->clnt) {
		/* So that the device can be mounted again at once. */
		v9x_client_drain(sbi->clnt);
		v9x_stats_unregister(sbi->clnt);
		v9x_client_put(sbi->clnt);
	}
	v9x_free_sbi(sbi);
}

static struct file_system_type v9x_fs_type = {
	.owner = THIS_MODULE,
	.name = "v9x",
	.init_fs_context = v9x_vfs_init_fs_context,
	.parameters = v9x_param_specs,
	.kill_sb = v9x_vfs_kill_sb,
};

static void v9x_inode_init_once(void *obj)
{
	struct v9x_inode *vi = obj;

	inode_init_once(&vi->vfs_inode);
}

/**
 * v9x_fs_init - create the inode cache and register the filesystem type
 *
 * Return: 0 or a negative error.
 */
int v9x_fs_init(void)
{
	int ret;

	v9x_inode_cachep = kmem_cache_create("v9x_inode_cache",
					     sizeof(struct v9x_inode), 0,
					     SLAB_RECLAIM_ACCOUNT |
					     SLAB_ACCOUNT,
					     v9x_inode_init_once);
	if (!v9x_inode_cachep)
		return -ENOMEM;
	ret = register_filesystem(&v9x_fs_type);
	if (ret)
		kmem_cache_destroy(v9x_inode_cachep);
	return ret;
}

/**
 * v9x_fs_exit - unregister the filesystem type and free the inode cache
 */
void v9x_fs_exit(void)
{
	unregister_filesystem(&v9x_fs_type);
	/* Inodes are freed after an RCU grace period. */
	rcu_barrier();
	kmem_cache_destroy(v9x_inode_cachep);
}

#if IS_ENABLED(CONFIG_KUNIT)
#include "super_test.c"
#endif
