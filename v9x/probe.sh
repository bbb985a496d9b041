#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build-time probes of the target kernel's API, run by Kbuild:
#   sh v9x/probe.sh SRCTREE
# prints the -DV9X_HAVE_* flags for v9x/compat.h, one per kernel interface
# that differs between the kernels v9x supports. Each probe looks for the
# declaration itself in the target's headers (not its version number), so a
# distribution kernel with a backport gets the right shim. When the headers
# cannot be found it prints -DV9X_PROBE_FAILED, which compat.h turns into a
# build error.

inc=$1/include/linux

if [ ! -r "$inc/fs.h" ]; then
	echo "-DV9X_PROBE_FAILED"
	exit 0
fi

# probe NAME FILE EXTENDED-REGEX: -DV9X_HAVE_NAME if FILE has a match.
probe() {
	if [ -r "$inc/$2" ] && grep -Eq "$3" "$inc/$2"; then
		printf ' -DV9X_HAVE_%s' "$1"
	fi
}

{
	# v6.3: <linux/filelock.h> split out of <linux/fs.h>.
	[ -r "$inc/filelock.h" ] && printf ' -DV9X_HAVE_FILELOCK_H'
	# v6.3: inode operations take a struct mnt_idmap.
	probe MNT_IDMAP fs.h '\(\*permission\) *\(struct mnt_idmap'
	# v6.6: timestamps behind inode_set_[amc]time_to_ts().
	probe INODE_SET_TIME fs.h 'inode_set_mtime_to_ts\('
	# v6.6: generic_fillattr() takes the request mask.
	probe FILLATTR_MASK fs.h 'void generic_fillattr\([^,]*, *u32'
	# v6.5: copy_splice_read() replaced generic_file_splice_read().
	probe COPY_SPLICE_READ fs.h 'ssize_t copy_splice_read\('
	# v6.3: iov_iter_extract_pages() (pins user pages, FOLL_PIN).
	probe ITER_EXTRACT_PAGES uio.h 'iov_iter_extract_pages\('
	# v6.9: common file_lock fields in struct file_lock_core.
	probe FILE_LOCK_CORE filelock.h 'struct file_lock_core \{'
	# v6.12: ->write_begin()/->write_end() take a folio.
	probe WRITE_BEGIN_FOLIO fs.h 'struct folio \*\*foliop'
	# v6.3: write_cache_pages() callbacks take a folio.
	probe WRITEPAGE_FOLIO writeback.h 'typedef int \(\*writepage_t\)\(struct folio'
	# v6.2: ->get_acl(inode, type, rcu) renamed ->get_inode_acl().
	probe GET_INODE_ACL fs.h '\(\*get_inode_acl\)\(struct inode \*, int, bool\)'
	# v6.2: ->set_acl() takes the dentry, not the inode.
	probe SET_ACL_DENTRY fs.h '\(\*set_acl\)\(struct (mnt_idmap|user_namespace) \*, struct dentry \*,'
	# v6.2: posix_acl_chmod() takes the dentry, not the inode.
	probe ACL_CHMOD_DENTRY posix_acl.h 'int posix_acl_chmod\(struct (mnt_idmap|user_namespace) \*, struct dentry \*,'
	echo
}
