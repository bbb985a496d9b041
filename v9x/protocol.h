/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 9P2000.L wire format: message types, fixed sizes and the structures the
 * decoders fill in. Nothing here knows about virtio or the VFS.
 */
#ifndef V9X_PROTOCOL_H
#define V9X_PROTOCOL_H

#include <linux/types.h>

/* Message types (T = request, R = reply = T + 1). */
enum v9x_msg_type {
	V9X_TLERROR = 6,
	V9X_RLERROR,
	V9X_TSTATFS = 8,
	V9X_RSTATFS,
	V9X_TLOPEN = 12,
	V9X_RLOPEN,
	V9X_TLCREATE = 14,
	V9X_RLCREATE,
	V9X_TSYMLINK = 16,
	V9X_RSYMLINK,
	V9X_TMKNOD = 18,
	V9X_RMKNOD,
	V9X_TRENAME = 20,
	V9X_RRENAME,
	V9X_TREADLINK = 22,
	V9X_RREADLINK,
	V9X_TGETATTR = 24,
	V9X_RGETATTR,
	V9X_TSETATTR = 26,
	V9X_RSETATTR,
	V9X_TXATTRWALK = 30,
	V9X_RXATTRWALK,
	V9X_TXATTRCREATE = 32,
	V9X_RXATTRCREATE,
	V9X_TREADDIR = 40,
	V9X_RREADDIR,
	V9X_TFSYNC = 50,
	V9X_RFSYNC,
	V9X_TLOCK = 52,
	V9X_RLOCK,
	V9X_TGETLOCK = 54,
	V9X_RGETLOCK,
	V9X_TLINK = 70,
	V9X_RLINK,
	V9X_TMKDIR = 72,
	V9X_RMKDIR,
	V9X_TRENAMEAT = 74,
	V9X_RRENAMEAT,
	V9X_TUNLINKAT = 76,
	V9X_RUNLINKAT,
	V9X_TVERSION = 100,
	V9X_RVERSION,
	V9X_TAUTH = 102,
	V9X_RAUTH,
	V9X_TATTACH = 104,
	V9X_RATTACH,
	V9X_TERROR = 106,
	V9X_RERROR,
	V9X_TFLUSH = 108,
	V9X_RFLUSH,
	V9X_TWALK = 110,
	V9X_RWALK,
	V9X_TREAD = 116,
	V9X_RREAD,
	V9X_TWRITE = 118,
	V9X_RWRITE,
	V9X_TCLUNK = 120,
	V9X_RCLUNK,
};

#define V9X_NOTAG	((u16)~0)
#define V9X_NOFID	((u32)~0)
#define V9X_NONUNAME	((u32)~0)
#define V9X_MAXWELEM	16

/* size[4] type[1] tag[2] */
#define V9X_HDRSZ	7
/* The header of Rread/Rreaddir: size[4] type[1] tag[2] count[4]. */
#define V9X_IOHDRSZ	11
/* Rlerror: size[4] type[1] tag[2] ecode[4], the same size as V9X_IOHDRSZ. */
#define V9X_RLERROR_SZ	11
#define V9X_QIDSZ	13
/* Twrite: size[4] type[1] tag[2] fid[4] offset[8] count[4] */
#define V9X_TWRITE_HDRSZ 23

#define V9X_VERSION_L	"9P2000.L"

/* qid.type bits */
#define V9X_QTDIR	0x80
#define V9X_QTSYMLINK	0x02

/* Tgetattr request_mask bits (9P2000.L) */
#define V9X_GETATTR_BASIC	0x000007ffULL
#define V9X_GETATTR_ALL		0x00003fffULL

/* Tlopen/Tlcreate flags: 9P2000.L's own, Linux-valued on every arch. */
#define V9X_DOTL_RDONLY		00000000
#define V9X_DOTL_WRONLY		00000001
#define V9X_DOTL_RDWR		00000002
#define V9X_DOTL_DIRECTORY	00200000
#define V9X_DOTL_NOATIME	01000000

#define V9X_DOTL_CREATE		00000100
#define V9X_DOTL_EXCL		00000200
#define V9X_DOTL_NOCTTY		00000400
#define V9X_DOTL_TRUNC		00001000
#define V9X_DOTL_APPEND		00002000
#define V9X_DOTL_NONBLOCK	00004000
#define V9X_DOTL_DSYNC		00010000
#define V9X_DOTL_FASYNC		00020000
#define V9X_DOTL_DIRECT		00040000
#define V9X_DOTL_LARGEFILE	00100000
#define V9X_DOTL_NOFOLLOW	00400000
#define V9X_DOTL_CLOEXEC	02000000
#define V9X_DOTL_SYNC		04000000

/* Tsetattr valid bits */
#define V9X_ATTR_MODE		0x001
#define V9X_ATTR_UID		0x002
#define V9X_ATTR_GID		0x004
#define V9X_ATTR_SIZE		0x008
#define V9X_ATTR_ATIME		0x010
#define V9X_ATTR_MTIME		0x020
#define V9X_ATTR_CTIME		0x040
#define V9X_ATTR_ATIME_SET	0x080
#define V9X_ATTR_MTIME_SET	0x100

/* Tlock/Tgetlock types, Tlock flags and Rlock status */
#define V9X_LOCK_TYPE_RDLCK	0
#define V9X_LOCK_TYPE_WRLCK	1
#define V9X_LOCK_TYPE_UNLCK	2
#define V9X_LOCK_FLAGS_BLOCK	1
#define V9X_LOCK_FLAGS_RECLAIM	2
#define V9X_LOCK_SUCCESS	0
#define V9X_LOCK_BLOCKED	1
#define V9X_LOCK_ERROR		2
#define V9X_LOCK_GRACE		3

/* Tunlinkat flags */
#define V9X_DOTL_AT_REMOVEDIR	0x200

/**
 * struct v9x_qid - a server's unique identity of a file
 * @type: V9X_QT* bits
 * @version: changes when the file changes (server-defined)
 * @path: unique per file on the export; v9x uses it as the inode number
 */
struct v9x_qid {
	u8 type;
	u32 version;
	u64 path;
};

/**
 * struct v9x_stat - decoded Rgetattr
 * @valid: which fields the server filled
 * @qid: the file's qid
 * @mode: st_mode (type and permission bits)
 * @uid: owner
 * @gid: group
 * @nlink: link count
 * @rdev: device number of a special file
 * @size: size in bytes
 * @blksize: preferred I/O size
 * @blocks: 512-byte blocks allocated
 * @atime_sec: access time, seconds
 * @atime_nsec: access time, nanoseconds
 * @mtime_sec: modification time, seconds
 * @mtime_nsec: modification time, nanoseconds
 * @ctime_sec: change time, seconds
 * @ctime_nsec: change time, nanoseconds
 * @btime_sec: birth time, seconds
 * @btime_nsec: birth time, nanoseconds
 * @gen: inode generation
 * @data_version: data version
 */
struct v9x_stat {
	u64 valid;
	struct v9x_qid qid;
	u32 mode;
	u32 uid;
	u32 gid;
	u64 nlink;
	u64 rdev;
	u64 size;
	u64 blksize;
	u64 blocks;
	u64 atime_sec;
	u64 atime_nsec;
	u64 mtime_sec;
	u64 mtime_nsec;
	u64 ctime_sec;
	u64 ctime_nsec;
	u64 btime_sec;
	u64 btime_nsec;
	u64 gen;
	u64 data_version;
};

/* Fixed size of an Rgetattr body after the header. */
#define V9X_RGETATTR_BODYSZ (8 + V9X_QIDSZ + 4 + 4 + 4 + 8 * 15)

/**
 * struct v9x_statfs - decoded Rstatfs
 * @type: filesystem magic of the host filesystem
 * @bsize: block size
 * @blocks: total blocks
 * @bfree: free blocks
 * @bavail: blocks available to unprivileged users
 * @files: total inodes
 * @ffree: free inodes
 * @fsid: filesystem id
 * @namelen: maximum name length
 */
struct v9x_statfs {
	u32 type;
	u32 bsize;
	u64 blocks;
	u64 bfree;
	u64 bavail;
	u64 files;
	u64 ffree;
	u64 fsid;
	u32 namelen;
};

/**
 * struct v9x_dirent - one decoded Rreaddir entry
 * @qid: the entry's qid
 * @offset: the offset to pass to Treaddir to continue after this entry
 * @type: d_type as reported by the server
 * @name: the name, not NUL-terminated, pointing into the reply buffer
 * @namelen: length of @name
 */
struct v9x_dirent {
	struct v9x_qid qid;
	u64 offset;
	u8 type;
	const char *name;
	u16 namelen;
};

/**
 * struct v9x_iattr - what Tsetattr changes
 * @valid: V9X_ATTR_* bits
 * @mode: new permission bits
 * @uid: new owner
 * @gid: new group
 * @size: new size
 * @atime_sec: new access time, seconds (with V9X_ATTR_ATIME_SET)
 * @atime_nsec: new access time, nanoseconds
 * @mtime_sec: new modification time, seconds (with V9X_ATTR_MTIME_SET)
 * @mtime_nsec: new modification time, nanoseconds
 */
struct v9x_iattr {
	u32 valid;
	u32 mode;
	u32 uid;
	u32 gid;
	u64 size;
	u64 atime_sec;
	u64 atime_nsec;
	u64 mtime_sec;
	u64 mtime_nsec;
};

/**
 * struct v9x_flock - a byte-range lock on the wire
 * @type: V9X_LOCK_TYPE_*
 * @flags: V9X_LOCK_FLAGS_* (Tlock only)
 * @start: first byte
 * @length: bytes; 0 means to the end of the file
 * @proc_id: owner's process id
 * @client_id: owner's client name
 */
struct v9x_flock {
	u8 type;
	u32 flags;
	u64 start;
	u64 length;
	u32 proc_id;
	const char *client_id;
};

#endif /* V9X_PROTOCOL_H */
