// SPDX-License-Identifier: GPL-2.0
/*
 * The address space: read_folio, readahead, write_begin/end and writepages,
 * which batches dirty folios into runs of up to V9X_IO_DEPTH messages,
 * sent one zero-copy Twrite at a time through the inode's writeback fid
 * (v9x_inode.wb_fid).
 * Calls the client and vfs_file.c (which fid page-cache I/O uses).
 */

#include <linux/bvec.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include <linux/writeback.h>

#include "compat.h"
#include "internal.h"

/*
 * Read @nr folios that follow one another from @pos, zero-copy into their
 * pages (as up to V9X_IO_DEPTH Treads at once), zero what lies past the end
 * of the file, and mark uptodate every folio that was read whole. Folios
 * stay locked; the caller unlocks them.
 *
 * Return: 0 or the read's error (the folios it did not reach are then not
 * uptodate).
 */
static int v9x_fill_folios(struct v9x_fid *fid, loff_t pos,
			   struct folio **folios, struct bio_vec *bv,
			   unsigned int nr)
{
	size_t len = 0, done = 0;
	struct iov_iter iter;
	bool eof = false;
	unsigned int i;
	ssize_t n = 0;

	for (i = 0; i < nr; i++) {
		bv[i].bv_page = &folios[i]->page;
		bv[i].bv_len = folio_size(folios[i]);
		bv[i].bv_offset = 0;
		len += bv[i].bv_len;
	}
	iov_iter_bvec(&iter, ITER_DEST, bv, nr, len);
	while (iov_iter_count(&iter) && !eof) {
		n = v9x_client_read(fid, pos + done, &iter, &eof);
		if (n <= 0) {
			eof = !n;
			break;
		}
		done += n;
	}
	for (i = 0; i < nr; i++) {
		struct folio *folio = folios[i];
		size_t off = folio_pos(folio) - pos, size = folio_size(folio);

		if (off + size > done) {
			/* Past the end of the file the folio reads as zeros. */
			if (!eof || n < 0)
				break;
			folio_zero_range(folio, done > off ? done - off : 0,
					 done > off ? off + size - done : size);
		}
		folio_mark_uptodate(folio);
	}
	return n < 0 ? n : 0;
}

static int v9x_vfs_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	struct v9x_fid *fid = v9x_io_fid(inode, file);
	struct bio_vec bv;
	int ret = -EIO;

	if (fid) {
		ret = v9x_fill_folios(fid, folio_pos(folio), &folio, &bv, 1);
		v9x_fid_put(fid);
		if (!ret && !folio_test_uptodate(folio))
			ret = -EIO;
	}
	folio_unlock(folio);
	return ret;
}

/*
 * Readahead: the whole window as one run of folios, which v9x_client_read() sends
 * as up to V9X_IO_DEPTH large Treads in flight together. Folios not read
 * (an error, no memory for the vectors) are left to ->read_folio().
 */
static void v9x_vfs_readahead(struct readahead_control *ractl)
{
	struct inode *inode = ractl->mapping->host;
	unsigned int nr = readahead_count(ractl), i = 0;
	loff_t pos = readahead_pos(ractl);
	struct folio **folios, *folio;
	struct v9x_fid *fid;
	struct bio_vec *bv;

	if (!nr)
		return;
	fid = v9x_io_fid(inode, ractl->file);
	if (!fid)
		return;
	/* The readahead folios are locked: reclaim must not enter the fs. */
	folios = kvmalloc_array(nr, sizeof(*folios), GFP_NOFS);
	bv = kvmalloc_array(nr, sizeof(*bv), GFP_NOFS);
	if (!folios || !bv)
		goto out;
	while (i < nr && (folio = readahead_folio(ractl)))
		folios[i++] = folio;
	v9x_fill_folios(fid, pos, folios, bv, i);
	while (i--)
		folio_unlock(folios[i]);
out:
	kvfree(bv);
	kvfree(folios);
	v9x_fid_put(fid);
}

/*
 * cache=loose buffered writes. A folio the write does not cover whole is
 * read first, unless it lies wholly past the end of the file (zeros).
 */
int v9x_write_begin(const struct kiocb *iocb, struct address_space *mapping,
		    loff_t pos, unsigned int len, struct folio **foliop,
		    void **fsdata)
{
	struct inode *inode = mapping->host;
	struct folio *folio;
	struct v9x_fid *fid;
	struct bio_vec bv;
	int ret;

	folio = v9x_write_begin_folio(iocb, mapping, pos >> PAGE_SHIFT, len);
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	if (folio_test_uptodate(folio) ||
	    (!offset_in_folio(folio, pos) && len >= folio_size(folio)))
		goto out;
	if (folio_pos(folio) >= i_size_read(inode)) {
		folio_zero_range(folio, 0, folio_size(folio));
		folio_mark_uptodate(folio);
		goto out;
	}
	fid = v9x_io_fid(inode, iocb->ki_filp);
	ret = -EBADF;
	if (fid) {
		ret = v9x_fill_folios(fid, folio_pos(folio), &folio, &bv, 1);
		v9x_fid_put(fid);
	}
	if (!ret && !folio_test_uptodate(folio))
		ret = -EIO;
	if (ret) {
		folio_unlock(folio);
		folio_put(folio);
		return ret;
	}
out:
	*foliop = folio;
	return 0;
}

int v9x_write_end(const struct kiocb *iocb, struct address_space *mapping,
		  loff_t pos, unsigned int len, unsigned int copied,
		  struct folio *folio, void *fsdata)
{
	struct v9x_file *vf = iocb->ki_filp->private_data;
	struct inode *inode = mapping->host;

	/* A whole-folio write that was not read first must be whole. */
	if (!folio_test_uptodate(folio)) {
		if (copied < len) {
			copied = 0;
			goto out;
		}
		folio_mark_uptodate(folio);
	}
	if (!copied)
		goto out;
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	folio_mark_dirty(folio);
	vf->wrote = true;
out:
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

/**
 * struct v9x_wb - a run of dirty folios, sent by v9x_client_write() calls
 * @inode: the file
 * @fid: the writeback fid
 * @wbc: the writeback control (to redirty on a retryable error)
 * @folios: the run, locked and under writeback
 * @bv: their data
 * @nr: folios in the run
 * @max: capacity of @folios and @bv
 * @pos: file offset of the run
 * @len: bytes in the run (the last folio clipped at the end of the file)
 * @limit: at most this many bytes per run
 */
struct v9x_wb {
	struct inode *inode;
	struct v9x_fid *fid;
	struct writeback_control *wbc;
	struct folio **folios;
	struct bio_vec *bv;
	unsigned int nr;
	unsigned int max;
	loff_t pos;
	size_t len;
	size_t limit;
};

/*
 * Send the run. On an error the caller could not help (killed, out of
 * memory), the folios are dirtied again for a later try; any other error is
 * recorded on the mapping for fsync and close to report.
 */
static int v9x_wb_send(struct v9x_wb *wb)
{
	struct iov_iter iter;
	size_t done = 0;
	unsigned int i;
	ssize_t n = 0;

	if (!wb->nr)
		return 0;
	iov_iter_bvec(&iter, ITER_SOURCE, wb->bv, wb->nr, wb->len);
	while (iov_iter_count(&iter)) {
		n = v9x_client_write(wb->fid, wb->pos + done, &iter);
		if (n <= 0) {
			if (!n)
				n = -EIO;
			break;
		}
		done += n;
	}
	for (i = 0; i < wb->nr; i++) {
		struct folio *folio = wb->folios[i];

		if (n < 0 && folio_pos(folio) + folio_size(folio) >
			     wb->pos + done) {
			if (n == -EINTR || n == -ENOMEM || n == -EAGAIN)
				folio_redirty_for_writepage(wb->wbc, folio);
			else
				mapping_set_error(folio->mapping, n);
		}
		folio_end_writeback(folio);
		folio_unlock(folio);
	}
	wb->nr = 0;
	wb->len = 0;
	return n < 0 ? n : 0;
}

/*
 * v9x_writeback() step: add a locked folio, cleared for I/O, to the run,
 * sending the run first when the folio does not extend it. The folio stays
 * locked until its data is on the server.
 */
static int v9x_wb_add(struct folio *folio, struct writeback_control *wbc,
		      void *data)
{
	loff_t isize = i_size_read(folio->mapping->host);
	loff_t pos = folio_pos(folio);
	struct v9x_wb *wb = data;
	size_t len;
	int ret = 0;

	/* Wholly past the end of the file (a racing truncate): nothing to send. */
	if (pos >= isize) {
		folio_unlock(folio);
		return 0;
	}
	len = min_t(loff_t, folio_size(folio), isize - pos);
	if (wb->nr && (wb->pos + wb->len != pos || wb->nr == wb->max ||
		       wb->len + len > wb->limit))
		ret = v9x_wb_send(wb);
	folio_start_writeback(folio);
	if (!wb->nr)
		wb->pos = pos;
	wb->folios[wb->nr] = folio;
	wb->bv[wb->nr].bv_page = &folio->page;
	wb->bv[wb->nr].bv_len = len;
	wb->bv[wb->nr].bv_offset = 0;
	wb->nr++;
	wb->len += len;
	return ret;
}

/*
 * v9x_writeback() step for a file without a name or a writeback fid: the
 * folio, already clean for I/O, is left as it is, unwritten.
 */
static int v9x_wb_drop(struct folio *folio, struct writeback_control *wbc,
		       void *data)
{
	folio_unlock(folio);
	return 0;
}

/*
 * Every folio is dirtied through a file opened for writing (write(2) in
 * cache=loose, a shared writable mapping in any caching mode: cache=none
 * allows neither), and that open gave the inode its writeback fid
 * (v9x_cache_open()), which the inode keeps until it is evicted; eviction
 * writes a linked inode back first. So a linked file's dirty folios always
 * have a fid, and the warning below means that rule was broken.
 */
static int v9x_vfs_writepages(struct address_space *mapping,
			      struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct folio *one_folio;
	struct bio_vec one_bv;
	struct v9x_wb wb = {
		.inode = inode,
		.wbc = wbc,
		.folios = &one_folio,
		.bv = &one_bv,
		.max = 1,
	};
	unsigned int max, nofs;
	int ret, ret2;

	/*
	 * Inode writeback calls this for every dirty inode, also one whose
	 * only dirt is a timestamp (a read's atime: I_DIRTY_SYNC), such as a
	 * file only ever read, or any file with cache=none, which never
	 * dirties a folio. There is nothing to send, and no fid is needed.
	 */
	if (!mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		return 0;
	wb.fid = v9x_wb_fid_get(inode, false);
	if (!wb.fid) {
		/* No name reaches the data any more: nobody can read it back. */
		if (!inode->i_nlink)
			return v9x_writeback(mapping, wbc, v9x_wb_drop, NULL);
		v9x_sb_warn(inode->i_sb, "inode %llu has dirty pages but no writable fid\n",
			    (u64)inode->i_ino);
		return -EIO;
	}
	/* Reclaim must not recurse into the filesystem while folios are locked. */
	nofs = memalloc_nofs_save();
	wb.limit = v9x_client_write_batch(wb.fid);
	max = DIV_ROUND_UP(wb.limit, PAGE_SIZE);
	/* Without memory for a long run, write a folio at a time. */
	wb.folios = kvmalloc_array(max, sizeof(*wb.folios), GFP_NOFS);
	wb.bv = kvmalloc_array(max, sizeof(*wb.bv), GFP_NOFS);
	if (wb.folios && wb.bv) {
		wb.max = max;
	} else {
		kvfree(wb.folios);
		kvfree(wb.bv);
		wb.folios = &one_folio;
		wb.bv = &one_bv;
	}
	ret = v9x_writeback(mapping, wbc, v9x_wb_add, &wb);
	ret2 = v9x_wb_send(&wb);
	if (wb.max > 1) {
		kvfree(wb.folios);
		kvfree(wb.bv);
	}
	memalloc_nofs_restore(nofs);
	v9x_fid_put(wb.fid);
	return ret ? ret : ret2;
}

const struct address_space_operations v9x_aops = {
	.read_folio = v9x_vfs_read_folio,
	.readahead = v9x_vfs_readahead,
	.writepages = v9x_vfs_writepages,
	.dirty_folio = filemap_dirty_folio,
	.write_begin = v9x_aop_write_begin,
	.write_end = v9x_aop_write_end,
	/*
	 * Compaction may move a folio v9x is not using: one under I/O is
	 * locked (reads, and writeback until the server has the data), and
	 * zero-copy user pages are pinned, and migration takes neither. v9x
	 * keeps nothing in folio->private, so the generic helper fits.
	 */
	.migrate_folio = filemap_migrate_folio,
};
