/* SPDX-License-Identifier: GPL-2.0 */
/*
 * In-memory state of v9x: channels (transport), requests and fids (client),
 * superblock and inode data (VFS), and the calls between those layers.
 *
 * Layering: the VFS files (super.c, fid.c, vfs_*.c, xattr.c) call the
 * client (client.c, client_io.c, req.c); the client calls the transport
 * (trans_virtio.c) through v9x_chan_*(); the transport calls back only
 * v9x_req_complete(). proto.c is called by the client alone and calls
 * nobody. Documentation/design.rst has a map of the files.
 */
#ifndef V9X_INTERNAL_H
#define V9X_INTERNAL_H

#include <linux/cache.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "proto.h"

#define V9X_DEFAULT_MSIZE	(4U << 20)
#define V9X_MIN_MSIZE		4096U
#define V9X_MAX_MSIZE		(64U << 20)
/* Reads smaller than this are copied through a kernel buffer. */
#define V9X_ZC_MIN		1024U
/*
 * A read of more than one message's worth goes out as up to this many
 * zero-copy Treads at once; one of up to a message is split into that many
 * pieces of at least V9X_IO_SPLIT_MIN bytes. Writes are not split
 * (v9x_client_write()).
 */
#define V9X_IO_DEPTH		4U
#define V9X_IO_SPLIT_MIN	(512U << 10)
/*
 * QEMU accepts at most 1024 descriptors in one chain (an indirect table
 * counts as one chain): the request header, the reply header and the data
 * pages must fit, with slack for a misaligned buffer.
 */
#define V9X_MAX_CHAIN		1024U
#define V9X_MAX_ZC_PAGES	(V9X_MAX_CHAIN - 4)
/*
 * The largest kernel buffer one request's message or reply takes, header
 * included, whatever msize is: a copied Tread or Twrite (a kernel caller's
 * buffer, which cannot go zero-copy) or a Treaddir moves at most this much
 * and the caller loops. Kept small so that the buffer is a cheap
 * allocation and, when kvmalloc() falls back to vmalloc (one descriptor per
 * page), far below V9X_MAX_CHAIN; the device's DMA limit may lower it
 * (v9x_buf_max()).
 */
#define V9X_COPY_MAX		(128U << 10)
/*
 * Treaddir reply buffers, header included (vfs_dir.c): V9X_READDIR_BUFSZ
 * after a reply that filled more than half of its buffer, else
 * V9X_READDIR_MIN (the end of most listings is a reply with nothing in
 * it). Powers of two: Debian's kernels clear every allocation
 * (init_on_alloc), and one byte more than 64 KiB would be a 128 KiB one to
 * clear for a reply that is usually a few hundred bytes.
 */
#define V9X_READDIR_MIN		(8U << 10)
#define V9X_READDIR_BUFSZ	(64U << 10)
#define V9X_MAGIC		0x76397831	/* "v9x1" */
/* Requests whose two buffers fit in this many bytes get them inline. */
#define V9X_REQ_INLINE_MAX	1024U

struct v9x_chan;
struct v9x_client;
struct v9x_fid;

/**
 * enum v9x_page_mode - how zero-copy pages were obtained, so they are
 * released the same way
 * @V9X_PAGES_NONE: no reference held (kernel-owned pages, e.g. a bvec)
 * @V9X_PAGES_PINNED: FOLL_PIN pins; release with unpin_user_page*()
 * @V9X_PAGES_REF: page references; release with put_page()
 */
enum v9x_page_mode {
	V9X_PAGES_NONE,
	V9X_PAGES_PINNED,
	V9X_PAGES_REF,
};

/**
 * struct v9x_zc - pages the device reads from or writes into directly
 * @pages: the page vector (kvfree'd with the request when @owned)
 * @npages: entries in @pages
 * @offset: offset of the data in the first page
 * @len: bytes of data
 * @mode: how to release the pages
 * @dirty: the device wrote into them, mark them dirty on release
 * @user: the pages belong to a user mapping (dirtying is meaningful)
 */
struct v9x_zc {
	struct page **pages;
	unsigned int npages;
	size_t offset;
	size_t len;
	enum v9x_page_mode mode;
	bool dirty;
	bool user;
};

/**
 * struct v9x_req - one 9P request and its reply
 * @ref: references: the submitter's, one while the device owns the buffers,
 *	and one held by a pending Tflush of this request
 * @clnt: owning client (a counted reference)
 * @tag: the request's tag, reserved in the channel until the request is
 *	freed, so it is never reused while the device or a flush may still
 *	refer to it
 * @wire_tag: the tag on the wire: @tag, or V9X_NOTAG for Tversion
 * @type: T-message type (for statistics and checks)
 * @done: completed by the transport when the device returns the buffers
 * @status: 0 once the reply arrived, or the transport's negative error;
 *	written before @done completes
 * @rlen: the device's used length (untrusted; clamp before use)
 * @submit_ns: when it was handed to the transport (for the latency trace)
 * @tc: the request bytes; @tc.pos is the message length
 * @rc: reply buffer, owned by the request (kmalloc or kvmalloc)
 * @rc_cap: capacity of @rc
 * @zc_in: optional pages that receive reply data after @rc
 * @zc_out: optional pages whose contents are sent after @tc
 * @flushed: for a Tflush, the request it cancels (holds a reference)
 * @free_fid: fid number to release when this request is freed (a Tclunk's)
 * @work: deferred free (from IRQ context) or deferred Tflush submission
 * @held: entry in a list of requests the transport completes later, off
 *	the ring: replies held back by fault_mode 7 (fault.c's list, under
 *	its lock), or requests the callback or remove() took back (a local
 *	list, completed once the channel lock is dropped)
 * @inline_bufs: @tc.data and @rc live in @inline_buf (not freed apart)
 * @hold: the request carries page-cache folios (or, copied, their data for
 *	writeback): a caller killed while waiting stays until the device has
 *	returned the buffers (v9x_req_abandon())
 * @inline_buf: small request and reply buffers, allocated with the request
 */
struct v9x_req {
	refcount_t ref;
	struct v9x_client *clnt;
	u16 tag;
	u16 wire_tag;
	u8 type;
	struct completion done;
	int status;
	u32 rlen;
	u64 submit_ns;
	struct v9x_buf tc;
	u8 *rc;
	size_t rc_cap;
	struct v9x_zc zc_in;
	struct v9x_zc zc_out;
	struct v9x_req *flushed;
	u32 free_fid;
	struct work_struct work;
	struct list_head held;
	bool inline_bufs;
	bool hold;
	u8 inline_buf[] __aligned(L1_CACHE_BYTES);
};

/**
 * struct v9x_stats - per-mount counters, shown in debugfs
 * @requests: requests sent
 * @errors: requests that ended in an error (Rlerror, transport, protocol)
 * @proto_errors: malformed replies
 * @flushes: Tflush requests sent
 * @inflight: requests handed to the device and not yet returned
 * @inflight_max: the highest @inflight seen
 * @zc_reads: Treads whose data went straight into pinned pages
 * @zc_read_bytes: bytes read that way
 * @copy_reads: Treads copied through a kernel buffer
 * @copy_read_bytes: bytes read that way
 * @zc_writes: Twrites whose data went straight from pinned pages
 * @zc_write_bytes: bytes written that way
 * @copy_writes: Twrites copied into the request buffer
 * @copy_write_bytes: bytes written that way
 * @prefetches: directory entries whose lookup a listing sent ahead
 *	(prefetch.c)
 * @prefetch_hits: stats that found such an entry's attributes fresh
 * @prefetch_lists: listings the mount made itself because lookups in a
 *	directory nobody listed asked for one (prefetch.c)
 * @prefetch_batches: work items of names to look up ahead that listings
 *	queued (names already known and fresh are not queued)
 * @prefetch_walked: lookups (without an actimeo) that took the fid of a
 *	name prefetch walked ahead, and sent only its Tgetattr
 * @path_checks: directories a path walk went through while their Tgetattr
 *	was still in flight (vfs_dentry.c, v9x_check)
 * @path_checks_held: such checks not yet waited for (a gauge): each holds
 *	its directory's inode and fid until its walk's task judges it
 * @path_retries: walks that such an answer sent back to the VFS (-ESTALE):
 *	a directory was gone, another file, or had other permissions
 * @path_last_early: walks whose last component's Tgetattr was sent while
 *	such checks were in flight, before their answers were waited for
 * @reuse_task: stats that could not reuse the attributes of their own
 *	lookup (v9x_attr_just_fetched()) because another task, or none,
 *	fetched them last
 * @reuse_switch: ... because the task was switched out since
 * @reuse_tick: ... because more than one clock tick passed
 * @reuse_reply: ... because another reply came in since
 * @by_type: requests sent, indexed by T-message type
 */
struct v9x_stats {
	atomic64_t requests;
	atomic64_t errors;
	atomic64_t proto_errors;
	atomic64_t flushes;
	atomic64_t inflight;
	atomic64_t inflight_max;
	atomic64_t zc_reads;
	atomic64_t zc_read_bytes;
	atomic64_t copy_reads;
	atomic64_t copy_read_bytes;
	atomic64_t zc_writes;
	atomic64_t zc_write_bytes;
	atomic64_t copy_writes;
	atomic64_t copy_write_bytes;
	atomic64_t prefetches;
	atomic64_t prefetch_hits;
	atomic64_t prefetch_lists;
	atomic64_t prefetch_batches;
	atomic64_t prefetch_walked;
	atomic64_t path_checks;
	atomic64_t path_checks_held;
	atomic64_t path_retries;
	atomic64_t path_last_early;
	atomic64_t reuse_task;
	atomic64_t reuse_switch;
	atomic64_t reuse_tick;
	atomic64_t reuse_reply;
	atomic64_t by_type[128];
};

/**
 * struct v9x_client - one 9P session on a channel, owned by one mount
 * @ref: the mount's reference plus one per live request; a request's put
 *	wakes v9x_client_drain()
 * @chan: the channel, claimed for this session until v9x_client_put()'s
 *	last reference goes
 * @msize: negotiated maximum message size (immutable after version)
 * @stats: counters
 * @debugfs: this session's debugfs directory
 * @tag: the mount tag, for log lines (truncated like a superblock's s_id);
 *	immutable after v9x_client_create()
 * @replies: replies received (v9x_req_complete()), a sequence number
 * @bg_work: the work function of the mount's background requests
 *	(prefetch), or NULL; set before any such work is queued
 * @bg_stop: set when the mount stops its background work: a request of
 *	@bg_work stops waiting and is flushed (nobody may kill a kworker)
 */
struct v9x_client {
	struct kref ref;
	struct v9x_chan *chan;
	u32 msize;
	char tag[32];
	struct v9x_stats stats;
	struct dentry *debugfs;
	atomic64_t replies;
	work_func_t bg_work;
	bool bg_stop;
};

/**
 * struct v9x_fid - a client-side handle on a server fid
 * @ref: references; the last v9x_fid_put() clunks the fid
 * @fid: the number on the wire
 * @clnt: the client it belongs to
 * @qid: the qid the server returned for it
 * @iounit: the server's I/O unit from Rlopen (0: none given)
 * @uid: the user the server acts as for this fid: the Tattach n_uname of
 *	the attach fid it was walked from
 * @dnode: entry in its dentry's fid list (protected by that dentry's d_lock)
 *
 * A fid has one owning reference: a dentry (its d_fsdata list), an open file
 * (private_data) or the caller that created it. Others may borrow it with
 * v9x_fid_get() (an open file's fid used for fstat after unlink).
 */
struct v9x_fid {
	refcount_t ref;
	u32 fid;
	struct v9x_client *clnt;
	struct v9x_qid qid;
	u32 iounit;
	kuid_t uid;
	struct hlist_node dnode;
};

/**
 * enum v9x_access - which session a user's requests go on
 * @V9X_ACCESS_CLIENT: a session per user (default)
 * @V9X_ACCESS_ANY: one session shared by every user
 * @V9X_ACCESS_SINGLE: only one uid may use the mount; a session per user
 * @V9X_ACCESS_USER: a session per user
 *
 * Except with ANY, every user gets a session (Tattach as its uid) of its
 * own, so the server acts as that user. In every mode the guest also checks
 * permissions against the mode and owner the server reports
 * (generic_permission()); the server may refuse more. CLIENT and USER
 * behave alike: both names are kept for fstab lines written for v9fs.
 */
enum v9x_access {
	V9X_ACCESS_CLIENT,
	V9X_ACCESS_ANY,
	V9X_ACCESS_SINGLE,
	V9X_ACCESS_USER,
};

/**
 * enum v9x_cache - what the guest keeps in its page and dentry caches
 * @V9X_CACHE_NONE: nothing: read/write go to the server, stat asks it,
 *	names are looked up afresh; mmap is read-only (default)
 * @V9X_CACHE_READAHEAD: read(2) through the page cache with large
 *	readahead, revalidated at open; write(2) straight to the server
 * @V9X_CACHE_MMAP: read/write as NONE, plus shared writable mmap
 * @V9X_CACHE_LOOSE: reads and writes through the page cache, written back
 *	in message-sized Twrites and at close; attributes and names cached
 *	for actimeo seconds
 *
 * Every mode but NONE keeps dentries, revalidated when older than actimeo,
 * and allows shared writable mmap.
 */
enum v9x_cache {
	V9X_CACHE_NONE,
	V9X_CACHE_READAHEAD,
	V9X_CACHE_MMAP,
	V9X_CACHE_LOOSE,
};

/* Default attribute/dentry cache lifetime (seconds) with cache=loose. */
#define V9X_LOOSE_ACTIMEO	3U
#define V9X_MAX_ACTIMEO		3600U
/* Default and largest prefetch window (entries) of a directory listing. */
#define V9X_PREFETCH_DEFAULT	256U
#define V9X_PREFETCH_MAX	4096U

/**
 * struct v9x_mount_opts - parsed mount options
 * @uname: user name for Tattach
 * @aname: tree to attach
 * @msize: requested msize
 * @uname_set: @uname was given (shown in /proc/mounts)
 * @access: permission model
 * @access_uid: the one uid allowed with V9X_ACCESS_SINGLE
 * @dfltuid: Tattach n_uname
 * @dfltuid_set: @dfltuid was given (else the mounter's fsuid is used)
 * @cache: cache mode
 * @actimeo: seconds a cached attribute or name is trusted
 * @actimeo_set: @actimeo was given (else the cache mode's default)
 * @posixacl: POSIX ACLs are on (SB_POSIXACL; acl.c)
 * @prefetch: entries of a listing whose lookup may be sent ahead and not
 *	yet used (prefetch.c); 0: none
 */
struct v9x_mount_opts {
	char *uname;
	char *aname;
	u32 msize;
	bool uname_set;
	enum v9x_access access;
	kuid_t access_uid;
	u32 dfltuid;
	bool dfltuid_set;
	enum v9x_cache cache;
	u32 actimeo;
	bool actimeo_set;
	bool posixacl;
	u32 prefetch;
};

/**
 * struct v9x_sb_info - per-superblock state
 * @clnt: the session
 * @opts: the options the mount was made with
 * @tag: the mount tag (the mount's source)
 * @actimeo: @opts.actimeo in jiffies
 * @pf_wq: the prefetch work (prefetch.c), or NULL when the mount does not
 *	prefetch
 * @pf_queued: names (and listings) prefetch work queued and not yet done
 * @pf_walked_lock: protects @pf_walked, @pf_nwalked and every directory's
 *	list of names walked ahead (prefetch.c, struct v9x_pf_walked)
 * @pf_walked: those names, oldest first
 * @pf_nwalked: how many
 * @stale_seq: counts the guest's own changes to attributes
 *	(v9x_attr_stale()); see v9x_inode.stale_seq
 * @dir_fids: directory fids kept open for the next open (v9x_inode.dir_fid)
 * @checks_lock: protects @checks
 * @checks: Tgetattrs in flight of directories path walks went through
 *	(struct v9x_check.node, vfs_dentry.c)
 * @nchecks: entries on @checks (read without the lock: a hint)
 */
struct v9x_sb_info {
	struct v9x_client *clnt;
	struct v9x_mount_opts opts;
	char *tag;
	unsigned long actimeo;
	struct workqueue_struct *pf_wq;
	atomic_t pf_queued;
	spinlock_t pf_walked_lock;	/* protects pf_walked, pf_nwalked */
	struct list_head pf_walked;
	unsigned int pf_nwalked;
	atomic64_t stale_seq;
	atomic_t dir_fids;
	spinlock_t checks_lock;	/* protects checks */
	struct list_head checks;
	atomic_t nchecks;
};

/**
 * struct v9x_inode - v9x's inode
 * @qid: the server's identity for this inode; @qid.path is i_ino
 * @open_lock: protects @open_files, @wb_fid and @dir_fid
 * @open_files: the inode's open files (struct v9x_file.node), whose fids
 *	still reach the file after its last name is gone
 * @wb_fid: in a caching mode, a fid opened for writing (without O_APPEND)
 *	that writeback sends dirty pages with; a reference held until the
 *	inode is evicted, taken from the first writable open
 * @wb_readable: @wb_fid was opened read-write (it can fill a folio a
 *	write-only file writes into)
 * @writers: files open for writing through the page cache (cache=loose);
 *	while any is, the guest's i_size wins over the server's
 * @attr_expire: jiffies until which the cached attributes are trusted
 *	(when actimeo is set); read and written without a lock (READ_ONCE/
 *	WRITE_ONCE): a racing update costs or saves one Tgetattr, nothing more
 * @cache_mtime: the server's mtime when the page cache was last validated
 *	(under the inode lock: v9x_cache_stamp())
 * @cache_size: the server's size then
 * @cache_version: the server's qid.version then
 * @attr_task: the task whose request last fetched the attributes, and
 * @attr_csw: its context-switch count right after (v9x_attr_just_fetched())
 * @attr_fetched: and when (jiffies); these three under i_lock
 * @attr_replies: the client's reply count (v9x_client.replies) when the
 *	attributes were last updated, under i_lock: v9x_attr_just_fetched()
 *	reuses them only while no other reply has arrived since
 * @stale_seq: the mount's v9x_sb_info.stale_seq when the guest last made
 *	the attributes stale (v9x_attr_stale()), under i_lock: a Tgetattr
 *	sent before that may predate the guest's change and is not applied
 * @flags: V9X_I_* bits (atomic bitops)
 * @pf_unused: a directory's entries fetched ahead by the current listing
 *	and not yet used by a stat (prefetch.c)
 * @pf: a directory's last listing, kept for prefetch (prefetch.c), or NULL;
 *	set once (cmpxchg), freed at eviction
 * @dir_fid: a directory's opened fid that its last close kept for the next
 *	open (vfs_dir.c), or NULL; under @open_lock
 * @dir_fid_at: the name @dir_fid was opened through: its dentry, parent and
 *	name hash, compared only (never dereferenced); under @open_lock
 * @vfs_inode: the VFS inode; stays last (v9x_vfs_alloc_inode() zeroes
 *	every field before it)
 */
struct v9x_pf_dir;

/* Where a dentry is: compared only, never dereferenced (vfs_dir.c). */
struct v9x_dir_name {
	const struct dentry *dentry;
	const struct dentry *parent;
	u32 hash;
};

struct v9x_inode {
	struct v9x_qid qid;
	spinlock_t open_lock;	/* protects open_files, wb_fid and dir_fid */
	struct list_head open_files;
	struct v9x_fid *wb_fid;
	bool wb_readable;
	atomic_t writers;
	unsigned long attr_expire;
	struct timespec64 cache_mtime;
	loff_t cache_size;
	u32 cache_version;
	struct task_struct *attr_task;
	unsigned long attr_csw;
	unsigned long attr_fetched;
	u64 attr_replies;
	u64 stale_seq;
	unsigned long flags;
	atomic_t pf_unused;
	struct v9x_pf_dir *pf;
	struct v9x_fid *dir_fid;
	struct v9x_dir_name dir_fid_at;
	struct inode vfs_inode;
};

/* v9x_inode.flags: the attributes were fetched ahead by a listing. */
#define V9X_I_PREFETCHED	0
/*
 * v9x_inode.flags: a directory check in flight found the name gone or
 * another file: its next revalidation waits for its own Tgetattr.
 */
#define V9X_I_RECHECK		1

/**
 * struct v9x_file - per open file state
 * @fid: the opened fid
 * @node: entry in the inode's open_files, under v9x_inode.open_lock
 * @lock: protects the readdir cache below (iterate_shared may run
 *	concurrently on one file)
 * @dbuf: the last Treaddir reply buffer, or NULL
 * @dents: the entries inside @dbuf
 * @dlen: bytes of entries
 * @dpos: offset in @dents of the next entry not yet emitted
 * @dcookie: the directory position (ctx->pos) that @dpos corresponds to
 * @deof: a position where a Treaddir returned no entries (the end), valid
 *	when @deof_valid: the next getdents there returns the end without
 *	asking; any other (and a listing from the start) asks again
 * @dsize: the next Treaddir's reply buffer size (0: not yet known)
 * @buffered: write(2) goes through the page cache (cache=loose), and the
 *	file counts in v9x_inode.writers
 * @wrote: a buffered write happened (close then refreshes the page cache's
 *	validation stamp)
 * @fid_read: @fid was opened for reading (an O_WRONLY open is upgraded
 *	with cache=loose, so that partial folios can be read in)
 */
struct v9x_file {
	struct v9x_fid *fid;
	bool buffered;
	bool wrote;
	bool fid_read;
	struct list_head node;
	struct mutex lock;	/* see above */
	void *dbuf;
	const u8 *dents;
	u32 dlen;
	u32 dpos;
	loff_t dcookie;
	loff_t deof;
	bool deof_valid;
	u32 dsize;
};

static inline struct v9x_inode *V9X_I(struct inode *inode)
{
	return container_of(inode, struct v9x_inode, vfs_inode);
}

static inline struct v9x_sb_info *V9X_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

/*
 * Log lines name their mount: "v9x: TAG: ...", the client's tag or the
 * superblock's s_id (the tag too). The device or a user can trigger any of
 * them again and again, so all are rate-limited.
 */
#define v9x_clnt_err(clnt, fmt, ...) \
	pr_err_ratelimited("%s: " fmt, (clnt)->tag, ##__VA_ARGS__)
#define v9x_sb_err(sb, fmt, ...) \
	pr_err_ratelimited("%s: " fmt, (sb)->s_id, ##__VA_ARGS__)
#define v9x_sb_warn(sb, fmt, ...) \
	pr_warn_ratelimited("%s: " fmt, (sb)->s_id, ##__VA_ARGS__)
#define v9x_sb_info(sb, fmt, ...) \
	pr_info_ratelimited("%s: " fmt, (sb)->s_id, ##__VA_ARGS__)

static inline enum v9x_cache v9x_cache_mode(struct inode *inode)
{
	return V9X_SB(inode->i_sb)->opts.cache;
}

/* trans_virtio.c, chan.c (the transport interface is in trans.h) */
int v9x_virtio_init(void);
void v9x_virtio_exit(void);
struct v9x_chan *v9x_chan_claim(const char *tag);
void v9x_chan_release(struct v9x_chan *chan);
int v9x_chan_submit(struct v9x_chan *chan, struct v9x_req *req,
		    bool killable);
unsigned int v9x_chan_max_zc_pages(struct v9x_chan *chan);
size_t v9x_chan_max_buf(struct v9x_chan *chan);
int v9x_chan_alloc_tag(struct v9x_chan *chan);
void v9x_chan_free_tag(struct v9x_chan *chan, u16 tag);
int v9x_chan_alloc_fid(struct v9x_chan *chan, u32 *fid);
void v9x_chan_free_fid(struct v9x_chan *chan, u32 fid);

/* trans_fake.c: the KUnit transport, in the testing build only */
#if IS_ENABLED(CONFIG_KUNIT) && defined(V9X_TESTING)
struct v9x_chan *v9x_chan_test_alloc(void);
void v9x_chan_test_free(struct v9x_chan *chan);
void v9x_chan_test_set_fake(struct v9x_chan *chan,
			    int (*fake)(struct v9x_chan *, struct v9x_req *));
#endif

/* req.c */
/*
 * Reply buffer sizes (header included). A reply that does not fit makes QEMU
 * declare the device broken, so every size covers the largest valid reply:
 * SMALL covers Rversion (with a short version string), Rattach, Rlopen,
 * Rstatfs (67 bytes), Rclunk, Rflush and Rlerror.
 */
#define V9X_RSZ_SMALL	128
#define V9X_RSZ_GETATTR	(V9X_HDRSZ + V9X_RGETATTR_BODYSZ)
#define V9X_RSZ_WALK	(V9X_HDRSZ + 2 + V9X_MAXWELEM * V9X_QIDSZ)
#define V9X_RSZ_READLINK (V9X_HDRSZ + 2 + PATH_MAX)
#define V9X_RSZ_GETLOCK	(V9X_HDRSZ + 1 + 8 + 8 + 4 + 2 + 0xffff)
/*
 * The largest of those fixed sizes, and more than any request message but a
 * copied Twrite (which v9x_buf_max() bounds): a channel that cannot map a
 * buffer this large in one piece cannot carry every message.
 */
#define V9X_RSZ_FIXED_MAX V9X_RSZ_GETLOCK

/* Size of a message, found by running its encoder in counting mode. */
#define V9X_MSG_SIZE(enc, ...) ({				\
	struct v9x_buf __b;					\
	v9x_buf_init_count(&__b);				\
	enc(&__b, 0, ##__VA_ARGS__);				\
	v9x_enc_end(&__b);					\
})

/* Encode into a fresh request; the encoder must match the size used. */
#define V9X_NEW_REQ(clnt, rsize, enc, ...) ({			\
	struct v9x_req *__r;					\
	int __sz = V9X_MSG_SIZE(enc, ##__VA_ARGS__);		\
	__r = __sz < 0 ? ERR_PTR(__sz) :			\
		v9x_req_alloc(clnt, __sz, rsize);		\
	if (!IS_ERR(__r)) {					\
		enc(&__r->tc, __r->tag, ##__VA_ARGS__);		\
		v9x_enc_end(&__r->tc);				\
		__r->type = __r->tc.data[4];			\
		__r->wire_tag = __r->tag;			\
	}							\
	__r;							\
})

int v9x_req_init(void);
void v9x_req_exit(void);
struct v9x_req *v9x_req_alloc(struct v9x_client *clnt, size_t tsize,
			      size_t rsize);
void v9x_req_put(struct v9x_req *req);
void v9x_req_complete(struct v9x_req *req, u32 len, int status);
void v9x_req_abandon(struct v9x_client *clnt, struct v9x_req *req);
int v9x_req_send(struct v9x_client *clnt, struct v9x_req *req,
		 bool killable);
int v9x_req_send_killable(struct v9x_client *clnt, struct v9x_req *req);
void v9x_req_flush_async(struct v9x_client *clnt, struct v9x_req *req);
int v9x_req_wait(struct v9x_client *clnt, struct v9x_req *req,
		 struct v9x_hdr *hdr);
int v9x_req_rpc(struct v9x_client *clnt, struct v9x_req *req,
		struct v9x_hdr *hdr);
int v9x_req_wait_body(struct v9x_client *clnt, struct v9x_req *req,
		      struct v9x_buf *b);
int v9x_req_rpc_body(struct v9x_client *clnt, struct v9x_req *req,
		     struct v9x_buf *b);
int v9x_req_body_error(struct v9x_client *clnt, struct v9x_req *req,
		       int ret);
int v9x_req_rpc_empty(struct v9x_client *clnt, struct v9x_req *req);
int v9x_req_rpc_qid(struct v9x_client *clnt, struct v9x_req *req,
		    struct v9x_qid *qid);

/*
 * Bytes one kernel buffer of a request may take on @clnt, header included:
 * V9X_COPY_MAX, or less when msize or the device's DMA segment limit
 * (v9x_chan_max_buf()) is smaller. At least V9X_MIN_MSIZE.
 */
static inline size_t v9x_buf_max(struct v9x_client *clnt)
{
	return min3((size_t)V9X_COPY_MAX, (size_t)clnt->msize,
		    v9x_chan_max_buf(clnt->chan));
}

/* Bytes of data one zero-copy Tread/Twrite may carry on @clnt. */
static inline u32 v9x_io_max(struct v9x_client *clnt)
{
	return clnt->msize - V9X_IOHDRSZ;
}

/* client.c */
struct v9x_client *v9x_client_create(const char *tag, u32 msize,
				     const char *uname, const char *aname,
				     u32 n_uname, struct v9x_fid **rootp);
void v9x_client_put(struct v9x_client *clnt);
void v9x_client_put_req(struct v9x_client *clnt);
void v9x_client_drain(struct v9x_client *clnt);
int v9x_client_attach(struct v9x_client *clnt, const char *uname, const char *aname,
		      u32 n_uname, struct v9x_fid **fidp);
int v9x_client_walk(struct v9x_fid *fid, unsigned int nwname,
		    const char *const *wnames, struct v9x_fid **newfidp);
int v9x_client_getattr(struct v9x_fid *fid, u64 mask, struct v9x_stat *st);
struct v9x_req *v9x_client_walk_send(struct v9x_fid *fid, const char *name,
				     struct v9x_fid **newfidp);
int v9x_client_walk_wait(struct v9x_client *clnt, struct v9x_req *req,
			 struct v9x_fid *newfid);
struct v9x_req *v9x_client_getattr_send(struct v9x_fid *fid, u64 mask);
int v9x_client_getattr_wait(struct v9x_client *clnt, struct v9x_req *req,
			    struct v9x_stat *st);
int v9x_client_lopen(struct v9x_fid *fid, u32 flags);
int v9x_client_readdir(struct v9x_fid *fid, u64 offset, u32 count, void **bufp,
		       const u8 **datap, u32 *lenp);
int v9x_client_readlink(struct v9x_fid *fid, char **target);
int v9x_client_statfs(struct v9x_fid *fid, struct v9x_statfs *st);
void v9x_client_clunk(struct v9x_fid *fid);
int v9x_client_clunk_sync(struct v9x_fid *fid);
int v9x_client_lcreate(struct v9x_fid *fid, const char *name, u32 flags, u32 mode,
		       u32 gid);
int v9x_client_mkdir(struct v9x_fid *dfid, const char *name, u32 mode, u32 gid,
		     struct v9x_qid *qid);
int v9x_client_symlink(struct v9x_fid *dfid, const char *name, const char *target,
		       u32 gid, struct v9x_qid *qid);
int v9x_client_mknod(struct v9x_fid *dfid, const char *name, u32 mode, u32 major,
		     u32 minor, u32 gid, struct v9x_qid *qid);
int v9x_client_link(struct v9x_fid *dfid, struct v9x_fid *fid, const char *name);
int v9x_client_unlinkat(struct v9x_fid *dfid, const char *name, u32 flags);
int v9x_client_renameat(struct v9x_fid *olddfid, const char *oldname,
			struct v9x_fid *newdfid, const char *newname);
int v9x_client_setattr(struct v9x_fid *fid, const struct v9x_iattr *ia);
int v9x_client_fsync(struct v9x_fid *fid, int datasync);
ssize_t v9x_client_xattr_get(struct v9x_fid *fid, const char *name, void *buf,
			     size_t size);
int v9x_client_xattr_set(struct v9x_fid *fid, const char *name, const void *value,
			 size_t size, int flags);
int v9x_client_lock(struct v9x_fid *fid, const struct v9x_flock *fl, u8 *status);
int v9x_client_getlock(struct v9x_fid *fid, struct v9x_flock *fl);

/* client_io.c */
ssize_t v9x_client_read(struct v9x_fid *fid, u64 offset, struct iov_iter *to,
			bool *eof);
ssize_t v9x_client_write(struct v9x_fid *fid, u64 offset, struct iov_iter *from);
size_t v9x_client_write_batch(struct v9x_fid *fid);

static inline struct v9x_fid *v9x_fid_get(struct v9x_fid *fid)
{
	refcount_inc(&fid->ref);
	return fid;
}

/* Drop a reference; the last one clunks the fid (without waiting). */
static inline void v9x_fid_put(struct v9x_fid *fid)
{
	if (refcount_dec_and_test(&fid->ref))
		v9x_client_clunk(fid);
}

/* stats.c */
const char *v9x_type_name(u8 type);
int v9x_debugfs_init(void);
void v9x_debugfs_exit(void);
void v9x_stats_register(struct v9x_client *clnt, const char *name);
void v9x_stats_unregister(struct v9x_client *clnt);

/* super.c */
int v9x_fs_init(void);
void v9x_fs_exit(void);

/* fid.c */
struct v9x_fid *v9x_dentry_fid(struct dentry *dentry);
void v9x_dentry_add_fid(struct dentry *dentry, struct v9x_fid *fid);
int v9x_dentry_clone(struct dentry *dentry, struct v9x_fid **fidp);
void v9x_dentry_put_fids(struct dentry *dentry);

/* vfs_dentry.c */
extern const struct dentry_operations v9x_dentry_ops;
void v9x_dentry_fresh(struct dentry *dentry);
void v9x_attr_stale(struct inode *inode);
u64 v9x_attr_seq(struct inode *inode);
bool v9x_attr_fresh(struct inode *inode);
bool v9x_attr_just_fetched(struct inode *inode);
bool v9x_dentry_is_fresh(struct dentry *dentry);
int v9x_dentry_refresh(struct dentry *dentry);
int v9x_checks_settle(struct super_block *sb, struct dentry *at);
int v9x_checks_settle_last(struct dentry *dentry, unsigned int flags);
bool v9x_checks_will_settle(struct dentry *dentry, unsigned int flags);
void v9x_checks_create_found(struct dentry *dentry, unsigned int flags);
void v9x_checks_exit(struct super_block *sb);

/* prefetch.c */
bool v9x_prefetch_enabled(struct inode *dir);
void v9x_prefetch_listing(struct file *file, const u8 *dents, u32 len,
			  bool start);
void v9x_prefetch_kick(struct dentry *parent);
void v9x_prefetch_looked_up(struct dentry *parent);
void v9x_prefetch_used(struct dentry *dentry, bool hit);
struct v9x_fid *v9x_prefetch_walked_take(struct dentry *dentry);
void v9x_prefetch_forget(struct inode *dir, const struct qstr *name);
void v9x_prefetch_evict(struct inode *inode);
int v9x_prefetch_init(struct super_block *sb);
void v9x_prefetch_exit(struct super_block *sb);

/* vfs_ops.c */
extern const struct inode_operations v9x_dir_iops;
extern const struct inode_operations v9x_file_iops;
extern const struct inode_operations v9x_symlink_iops;
struct inode *v9x_iget(struct super_block *sb, const struct v9x_stat *st);
void v9x_inode_update(struct inode *inode, const struct v9x_stat *st);
bool v9x_inode_update_since(struct inode *inode, const struct v9x_stat *st,
			    u64 seq);
struct timespec64 v9x_ts(u64 sec, u64 nsec);
struct v9x_fid *v9x_inode_open_fid(struct inode *inode);
struct v9x_fid *v9x_attr_fid(struct dentry *dentry);
void v9x_vfs_evict_inode(struct inode *inode);

/* vfs_file.c */
extern const struct file_operations v9x_file_fops;
u32 v9x_dotl_flags(unsigned int flags);
u32 v9x_dotl_rdwr(u32 dotl);
bool v9x_upgrade_wronly(struct inode *inode, unsigned int flags);
struct v9x_file *v9x_file_alloc(struct v9x_fid *fid);
void v9x_file_attach(struct inode *inode, struct file *file,
		     struct v9x_file *vf);
int v9x_cache_open(struct inode *inode, struct file *file,
		   struct v9x_file *vf);
struct v9x_fid *v9x_wb_fid_get(struct inode *inode, bool need_read);
struct v9x_fid *v9x_io_fid(struct inode *inode, struct file *file);
int v9x_vfs_open(struct inode *inode, struct file *file);
int v9x_vfs_release(struct inode *inode, struct file *file);
int v9x_vfs_fsync(struct file *file, loff_t start, loff_t end, int datasync);

/* vfs_addr.c */
extern const struct address_space_operations v9x_aops;

/* vfs_dir.c */
extern const struct file_operations v9x_dir_fops;
struct v9x_fid *v9x_dir_fid_take(struct inode *inode, struct dentry *dentry);
bool v9x_dir_fid_keep(struct inode *inode, struct v9x_fid *fid,
		      struct dentry *dentry);
void v9x_dir_fid_drop(struct inode *inode);

/* acl.c (built with CONFIG_FS_POSIX_ACL; without it, posixacl is refused) */
struct posix_acl;
#ifdef CONFIG_FS_POSIX_ACL
struct posix_acl *v9x_get_inode_acl(struct inode *inode, int type, bool rcu);
int v9x_acl_prepare(struct inode *dir, umode_t *mode, struct posix_acl **dacl,
		    struct posix_acl **acl);
int v9x_acl_init(struct dentry *dentry, struct posix_acl *dacl,
		 struct posix_acl *acl);
void v9x_acl_release(struct posix_acl *dacl, struct posix_acl *acl);
void v9x_acl_forget(struct inode *inode);
#else
static inline int v9x_acl_prepare(struct inode *dir, umode_t *mode,
				  struct posix_acl **dacl,
				  struct posix_acl **acl)
{
	*dacl = NULL;
	*acl = NULL;
	return 0;
}

static inline int v9x_acl_init(struct dentry *dentry, struct posix_acl *dacl,
			       struct posix_acl *acl)
{
	return 0;
}

static inline void v9x_acl_release(struct posix_acl *dacl,
				   struct posix_acl *acl)
{
}

static inline void v9x_acl_forget(struct inode *inode)
{
}
#endif

/* xattr.c */
extern const struct xattr_handler *v9x_xattr_handlers[];
ssize_t v9x_vfs_listxattr(struct dentry *dentry, char *buffer, size_t size);

#endif /* V9X_INTERNAL_H */
