#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build-time probes of the target kernel's API, run by Kbuild:
#   sh v9x/probe.sh SRCTREE
# prints the -DV9X_HAVE_* flags for v9x/compat.h, one per kernel interface
# that differs between the kernels v9x supports.
#
# Each probe looks for the declaration itself in the target's headers (not
# the version number), so a distribution kernel with a backport gets the
# right shim. A probe of a changed signature knows every variant v9x has a
# shim for, as whole declarations (the header is read with its lines joined,
# so a declaration split over lines still matches): the newest one defines
# V9X_HAVE_NAME, an older one defines nothing (or its own V9X_HAVE_), and a
# header that has none of them prints "V9X_UNKNOWN:NAME", which Kbuild turns
# into a build error naming the interface. A changed argument list therefore
# selects the other variant or stops the build, never compiles the wrong one.
# When the headers cannot be found it prints -DV9X_PROBE_FAILED, which
# compat.h turns into a build error.

inc=$1/include/linux

if [ ! -r "$inc/fs.h" ]; then
	echo "-DV9X_PROBE_FAILED"
	exit 0
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/v9x-probe.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# flat FILE: FILE's text on one line, runs of blanks squeezed to one space
# and no space after "(" or before ")", cached in $tmp.
flat() {
	f=$tmp/$(echo "$1" | tr / _)
	if [ ! -e "$f" ]; then
		if [ -r "$inc/$1" ]; then
			tr -s ' \t\n' '   ' <"$inc/$1" | sed 's/( /(/g; s/ )/)/g' >"$f"
		else
			: >"$f"
		fi
	fi
	echo "$f"
}

# has FILE ERE: FILE (flattened) matches.
has() {
	grep -Eq "$2" "$(flat "$1")"
}

# probe NAME FILE ERE: -DV9X_HAVE_NAME if FILE has a match (a new function
# whose older absence is handled by the shim).
probe() {
	has "$2" "$3" && printf ' -DV9X_HAVE_%s' "$1"
}

# variant NAME FILE NEW-ERE OLD-ERE: -DV9X_HAVE_NAME when FILE has NEW-ERE,
# nothing when it has OLD-ERE, V9X_UNKNOWN:NAME when it has neither.
variant() {
	if has "$2" "$3"; then
		printf ' -DV9X_HAVE_%s' "$1"
	elif ! has "$2" "$4"; then
		printf ' V9X_UNKNOWN:%s' "$1"
	fi
}

# Argument lists, as the headers spell them (names optional).
idmap='struct (mnt_idmap|user_namespace) \*'
arg='[a-z_]*'

{
	# v6.3: <linux/filelock.h> split out of <linux/fs.h>.
	[ -r "$inc/filelock.h" ] && printf ' -DV9X_HAVE_FILELOCK_H'
	# v6.3: inode operations take a struct mnt_idmap.
	variant MNT_IDMAP fs.h '\(\*permission\) ?\(struct mnt_idmap \*' \
		'\(\*permission\) ?\(struct user_namespace \*'
	# v6.6: ctime behind inode_set_ctime_to_ts() (6.1 stable has it too);
	# v6.7: atime and mtime behind inode_set_[am]time_to_ts().
	variant INODE_SET_CTIME fs.h 'inode_set_ctime_to_ts\(' 'struct timespec64 i_ctime;'
	variant INODE_SET_TIME fs.h 'inode_set_mtime_to_ts\(' 'struct timespec64 i_mtime;'
	# v6.6: generic_fillattr() takes the request mask.
	variant FILLATTR_MASK fs.h "void generic_fillattr\($idmap$arg, ?u32" \
		"void generic_fillattr\($idmap$arg, ?struct inode \*"
	# v6.5: copy_splice_read() replaced generic_file_splice_read().
	variant COPY_SPLICE_READ fs.h 'ssize_t copy_splice_read\(' 'generic_file_splice_read\('
	# v6.3: iov_iter_extract_pages() (pins user pages, FOLL_PIN).
	variant ITER_EXTRACT_PAGES uio.h 'iov_iter_extract_pages\(' 'iov_iter_get_pages_alloc2\('
	# v6.9: common file_lock fields in struct file_lock_core.
	if [ -r "$inc/filelock.h" ]; then
		variant FILE_LOCK_CORE filelock.h 'struct file_lock_core \{' \
			'unsigned (char|int) fl_type;'
	fi
	# v6.12: ->write_begin()/->write_end() take a folio; v6.17: a kiocb,
	# not the file.
	wb='\(\*write_begin\)\((const struct kiocb|struct file) \*, ?struct address_space \*mapping, ?loff_t pos, ?unsigned (int )?len, ?'
	variant WRITE_BEGIN_FOLIO fs.h "${wb}struct folio \*\*foliop, ?void \*\*fsdata\);" \
		"${wb}struct page \*\*pagep, ?void \*\*fsdata\);"
	variant WRITE_BEGIN_KIOCB fs.h '\(\*write_begin\)\(const struct kiocb \*,' \
		'\(\*write_begin\)\(struct file \*,'
	# v6.17: write_begin_get_folio() (grab_cache_page_write_begin() went in 6.15).
	probe WRITE_BEGIN_GET_FOLIO pagemap.h 'struct folio \*write_begin_get_folio\(const struct kiocb \*'
	# v6.10: writeback_iter(); write_cache_pages() went away in 6.18.
	variant WRITEBACK_ITER writeback.h \
		'struct folio \*writeback_iter\(struct address_space \*mapping, ?struct writeback_control \*wbc, ?struct folio \*folio, ?int \*error\);' \
		'int write_cache_pages\('
	# v6.3: write_cache_pages() callbacks take a folio (only before 6.10).
	probe WRITEPAGE_FOLIO writeback.h 'typedef int \(\*writepage_t\)\(struct folio'
	# v6.14: ->d_revalidate() is given the parent and the name.
	variant D_REVALIDATE_NAME dcache.h \
		'int \(\*d_revalidate\)\(struct inode \*, ?const struct qstr \*, ?struct dentry \*, ?unsigned int\);' \
		'int \(\*d_revalidate\)\(struct dentry \*, ?unsigned int\);'
	# v6.15: ->mkdir() returns a dentry.
	variant MKDIR_DENTRY fs.h \
		"struct dentry \*\(\*mkdir\) ?\(struct mnt_idmap \*, ?struct inode \*, ?struct dentry \*, ?umode_t\);" \
		"int \(\*mkdir\) ?\($idmap, ?struct inode \*, ?struct dentry \*, ?umode_t\);"
	# v7.0: ->create() lost its "bool excl".
	variant CREATE_NO_EXCL fs.h \
		'int \(\*create\) ?\(struct mnt_idmap \*, ?struct inode \*, ?struct dentry \*, ?umode_t\);' \
		"int \(\*create\) ?\($idmap, ?struct inode \*, ?struct dentry \*, ?umode_t, ?bool\);"
	# v6.17: set_default_d_op() replaced writes to sb->s_d_op.
	# (the old way is a field of struct super_block, in fs.h).
	if has dcache.h 'void set_default_d_op\(struct super_block \*'; then
		printf ' -DV9X_HAVE_SET_DEFAULT_D_OP'
	elif ! has fs.h 'const struct dentry_operations \*s_d_op;'; then
		printf ' V9X_UNKNOWN:SET_DEFAULT_D_OP'
	fi
	# v7.x (in 7.3, not in 6.12): d_alloc_parallel() lost its wait queue.
	variant D_ALLOC_PARALLEL_NOWQ dcache.h \
		'struct dentry \* ?d_alloc_parallel\(struct dentry \*, ?const struct qstr \*\);' \
		'struct dentry \* ?d_alloc_parallel\(struct dentry \*, ?const struct qstr \*, ?wait_queue_head_t \*\);'
	# v6.18: generic_drop_inode() renamed inode_generic_drop().
	variant INODE_GENERIC_DROP fs.h 'int inode_generic_drop\(struct inode \*' \
		'int generic_drop_inode\(struct inode \*'
	# v6.19: i_state behind inode_state_read_once() (struct inode_state_flags).
	variant INODE_STATE_READ fs.h 'inode_state_read_once\(struct inode \*' \
		'(unsigned long|u32) i_state;'
	# v6.2: ->get_acl(inode, type, rcu) renamed ->get_inode_acl().
	probe GET_INODE_ACL fs.h '\(\*get_inode_acl\)\(struct inode \*, ?int, ?bool\)'
	# v6.2: ->set_acl() takes the dentry, not the inode.
	variant SET_ACL_DENTRY fs.h "\(\*set_acl\)\($idmap, ?struct dentry \*," \
		"\(\*set_acl\)\($idmap, ?struct inode \*,"
	# v7.0: posix_acl_to_xattr() allocates the buffer.
	variant ACL_TO_XATTR_ALLOC posix_acl_xattr.h \
		'void \*posix_acl_to_xattr\(struct user_namespace \*user_ns, ?const struct posix_acl \*acl, ?size_t \*sizep, ?gfp_t gfp\);' \
		'int posix_acl_to_xattr\(struct user_namespace \*user_ns, ?const struct posix_acl \*acl, ?void \*buffer, ?size_t size\);'
	# v6.2: posix_acl_chmod() takes the dentry, not the inode.
	variant ACL_CHMOD_DENTRY posix_acl.h "int posix_acl_chmod\($idmap, ?struct dentry \*," \
		"int posix_acl_chmod\($idmap, ?struct inode \*,"
	echo
}
