// SPDX-License-Identifier: GPL-2.0
/*
 * Tread and Twrite: the data path. User memory and page-cache folios go
 * zero-copy (their pages in the scatter-gather list), kernel buffers and
 * small transfers through the request's own buffer; a large read is split
 * into up to V9X_IO_DEPTH requests in flight together, a write goes out one
 * message at a time.
 * Calls the request engine (req.c) and proto.c.
 */

#include <linux/bvec.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uio.h>

#include "compat.h"
#include "internal.h"

/* Bytes one Tread/Twrite of @fid may carry, given the message limit @max. */
static size_t v9x_io_limit(struct v9x_fid *fid, size_t max)
{
	return fid->iounit ? min_t(size_t, max, fid->iounit) : max;
}

/*
 * Bytes per Tread for a zero-copy read of @total bytes: no more than one
 * message (@max) carries, and small enough that a large read is spread over
 * V9X_IO_DEPTH requests in flight together, down to V9X_IO_SPLIT_MIN each.
 */
static size_t v9x_io_chunk(size_t max, size_t total)
{
	size_t chunk = round_up(DIV_ROUND_UP(total, V9X_IO_DEPTH), PAGE_SIZE);

	return min(max_t(size_t, chunk, V9X_IO_SPLIT_MIN), max);
}

/*
 * Take the pages under the next part of a bvec iterator (page-cache folios,
 * one bio_vec per folio): as many as follow one another page to page, so
 * that one request carries a run of folios. Each page gets a reference: a
 * request abandoned by a killed caller keeps its pages until the device has
 * returned them.
 */
static ssize_t v9x_extract_bvec(struct iov_iter *iter, size_t maxsize,
				unsigned int maxpages, struct v9x_zc *zc)
{
	const struct bio_vec *bv = iter->bvec;
	unsigned long nsegs = iter->nr_segs;
	size_t skip = iter->iov_offset, total = 0, first = 0;
	bool joinable = true;
	struct page **pages;
	unsigned int n = 0, i;

	maxsize = min(maxsize, iov_iter_count(iter));
	maxpages = min_t(size_t, maxpages,
			 DIV_ROUND_UP(maxsize, PAGE_SIZE) + 1);
	/* The caller (readahead, write-back) may hold the folios locked. */
	pages = kvmalloc_array(maxpages, sizeof(*pages), GFP_NOFS);
	if (!pages)
		return -ENOMEM;
	for (; nsegs && joinable && total < maxsize; bv++, nsegs--, skip = 0) {
		size_t off = bv->bv_offset + skip;
		size_t left = min(bv->bv_len - skip, maxsize - total);

		while (left && n < maxpages) {
			size_t poff = offset_in_page(off);
			size_t len = min(left, PAGE_SIZE - poff);

			/* After the first page, each must start a page. */
			if (n && poff) {
				joinable = false;
				break;
			}
			if (!n)
				first = poff;
			pages[n++] = bv->bv_page + (off >> PAGE_SHIFT);
			total += len;
			off += len;
			left -= len;
			/* A page that does not run to its end ends the run. */
			if (poff + len < PAGE_SIZE) {
				joinable = false;
				break;
			}
		}
		if (n == maxpages)
			break;
	}
	if (!total) {
		kvfree(pages);
		return -EFAULT;
	}
	for (i = 0; i < n; i++)
		get_page(pages[i]);
	zc->pages = pages;
	zc->npages = n;
	zc->offset = first;
	zc->len = total;
	zc->mode = V9X_PAGES_REF;
	zc->user = false;
	iov_iter_advance(iter, total);
	return total;
}

/*
 * Build a zero-copy Tread (@write false: the host writes straight into the
 * pinned pages) or Twrite (it reads from them) for up to @count bytes of
 * @iter at @offset. @iter is advanced by *@gotp.
 */
static struct v9x_req *v9x_zc_prep(struct v9x_fid *fid, u64 offset,
				   struct iov_iter *iter, size_t count,
				   bool write, size_t *gotp)
{
	struct v9x_client *clnt = fid->clnt;
	unsigned int maxpages = v9x_chan_max_zc_pages(clnt->chan);
	struct v9x_req *req;
	ssize_t got;

	/* One page of slack for a buffer that does not start page-aligned. */
	count = min_t(size_t, count, (size_t)(maxpages - 1) << PAGE_SHIFT);
	if (write)
		req = V9X_NEW_REQ(clnt, V9X_RSZ_SMALL, v9x_enc_twrite,
				  fid->fid, offset, 0);
	else
		req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ, v9x_enc_tread, fid->fid,
				  offset, 0);
	if (IS_ERR(req))
		return req;
	/* Page-cache folios: a killed caller must not give them back early. */
	req->hold = iov_iter_is_bvec(iter);
	if (req->hold)
		got = v9x_extract_bvec(iter, count, maxpages,
				       write ? &req->zc_out : &req->zc_in);
	else
		got = v9x_extract_pages(iter, count, maxpages,
					write ? &req->zc_out : &req->zc_in);
	if (got <= 0) {
		v9x_req_put(req);
		return ERR_PTR(got ? got : -EFAULT);
	}
	/* Now that the size is known, patch it into the message. */
	req->tc.pos = 0;
	if (write) {
		v9x_enc_twrite(&req->tc, req->tag, fid->fid, offset, got);
		v9x_enc_end_data(&req->tc, got);
	} else {
		v9x_enc_tread(&req->tc, req->tag, fid->fid, offset, got);
		v9x_enc_end(&req->tc);
		req->zc_in.dirty = true;
	}
	*gotp = got;
	return req;
}

/* Wait for a zero-copy request of @got bytes: bytes moved, or an error. */
static ssize_t v9x_zc_finish(struct v9x_client *clnt, struct v9x_req *req,
			     size_t got, bool write)
{
	struct v9x_hdr hdr;
	struct v9x_buf b;
	u32 n;
	int ret;

	ret = v9x_req_wait(clnt, req, &hdr);
	if (ret)
		return ret;
	if (write) {
		ret = v9x_dec_body(&b, req->rc, &hdr);
		if (!ret)
			ret = v9x_dec_rwrite(&b, got, &n);
	} else {
		ret = v9x_dec_rread_zc(&hdr, req->rc, got, &n);
	}
	ret = v9x_req_body_error(clnt, req, ret);
	if (ret)
		return ret;
	if (write) {
		atomic64_inc(&clnt->stats.zc_writes);
		atomic64_add(n, &clnt->stats.zc_write_bytes);
	} else {
		atomic64_inc(&clnt->stats.zc_reads);
		atomic64_add(n, &clnt->stats.zc_read_bytes);
	}
	return n;
}

/*
 * Move @iter's data zero-copy in up to @depth (at most V9X_IO_DEPTH)
 * requests of at most @chunk bytes each, all in flight at once: the server works on them in
 * parallel while the next ones are pinned and queued. Replies are consumed
 * in order; the first error or short count ends the transfer there (@eof
 * for a short read), and the later requests are still waited for, so that
 * no reply lands in the caller's pages after the call returns. A killed
 * caller flushes what is left; with page-cache folios it waits for the
 * device to return them first (v9x_req_abandon()).
 *
 * Return: bytes moved (@iter advanced by as many), or a negative error.
 */
static ssize_t v9x_zc_io(struct v9x_fid *fid, u64 offset,
			 struct iov_iter *iter, size_t chunk,
			 unsigned int depth, bool write, bool *eof)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *reqs[V9X_IO_DEPTH];
	size_t gots[V9X_IO_DEPTH], queued = 0;
	ssize_t total = 0, ret = 0, n;
	unsigned int i, nr = 0;
	bool stop = false;

	depth = min(depth, V9X_IO_DEPTH);
	while (nr < depth && iov_iter_count(iter)) {
		struct v9x_req *req;
		size_t got;

		req = v9x_zc_prep(fid, offset + queued, iter,
				  min(chunk, iov_iter_count(iter)), write, &got);
		if (IS_ERR(req)) {
			ret = PTR_ERR(req);
			break;
		}
		ret = v9x_req_send_killable(clnt, req);
		if (ret) {
			iov_iter_revert(iter, got);
			v9x_req_put(req);
			break;
		}
		reqs[nr] = req;
		gots[nr++] = got;
		queued += got;
	}
	/* A failure to queue more than the first is not the caller's error. */
	if (!nr)
		return ret;
	if (ret != -EINTR)
		ret = 0;
	for (i = 0; i < nr; i++) {
		if (ret == -EINTR) {
			v9x_req_abandon(clnt, reqs[i]);
		} else if (stop) {
			if (wait_for_completion_killable(&reqs[i]->done)) {
				v9x_req_abandon(clnt, reqs[i]);
				ret = -EINTR;
			}
		} else {
			n = v9x_zc_finish(clnt, reqs[i], gots[i], write);
			if (n < 0) {
				ret = n;
				stop = true;
			} else {
				total += n;
				if (n < gots[i]) {
					stop = true;
					*eof = !write;
				}
			}
		}
		v9x_req_put(reqs[i]);
	}
	iov_iter_revert(iter, queued - total);
	return total ? total : ret;
}

/*
 * Zero-copy hands the iterator's pages to the device, so the request must be
 * able to keep them until the device returns them, even after its caller was
 * killed and went away: user pages are pinned, bvec pages (page cache,
 * splice) get a reference. A kvec's memory (an xattr value, exec's
 * kernel_read() buffer) is its caller's, freed once the call returns, so the
 * device could still write a late reply into it: kernel buffers are copied.
 */
static bool v9x_zc_iter(const struct iov_iter *iter)
{
	return user_backed_iter(iter) || iov_iter_is_bvec(iter);
}

/*
 * Bytes of data one copied Tread may ask for: its reply buffer (kvmalloc'ed,
 * so possibly vmalloc'ed, one descriptor per page) stays within
 * v9x_buf_max(), not msize: a kernel_read() of a whole module file must not
 * need a 4 MiB buffer the ring or the DMA mapping cannot take.
 */
static size_t v9x_copy_read_max(struct v9x_client *clnt)
{
	return v9x_buf_max(clnt) - V9X_IOHDRSZ;
}

/*
 * Bytes of data one copied Twrite may carry. They follow the header in one
 * kmalloc'ed buffer (no vmalloc fallback), allocated with GFP_NOFS: keep it
 * at an order the page allocator does not give up on, and within
 * v9x_buf_max() for the DMA limit.
 */
static size_t v9x_copy_write_max(struct v9x_client *clnt)
{
	return min_t(size_t, v9x_buf_max(clnt),
		     PAGE_SIZE << PAGE_ALLOC_COSTLY_ORDER) - V9X_TWRITE_HDRSZ;
}

/*
 * Read into a kernel buffer and copy out: for small reads and kernel
 * buffers. @count is at most v9x_copy_read_max().
 */
static ssize_t v9x_read_copy(struct v9x_fid *fid, u64 offset,
			     struct iov_iter *to, size_t count)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	const u8 *data;
	struct v9x_buf b;
	u32 n;
	int ret;

	req = V9X_NEW_REQ(clnt, V9X_IOHDRSZ + count, v9x_enc_tread, fid->fid,
			  offset, count);
	if (IS_ERR(req))
		return PTR_ERR(req);
	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rread(&b, count, &n, &data));
	if (!ret) {
		atomic64_inc(&clnt->stats.copy_reads);
		atomic64_add(n, &clnt->stats.copy_read_bytes);
		if (copy_to_iter(data, n, to) != n)
			ret = -EFAULT;
	}
	v9x_req_put(req);
	/* Not "ret ? ret : n": with n a u32 that turns -EPROTO positive. */
	if (ret)
		return ret;
	return n;
}

/**
 * v9x_client_read - Treads at @offset into @to
 * @fid: an open fid
 * @offset: file offset
 * @to: destination; advanced by the bytes read
 * @eof: set when the server returned less than was asked (end of file)
 *
 * Reads of V9X_ZC_MIN bytes or more into user memory or pages go zero-copy,
 * as up to V9X_IO_DEPTH Treads in flight together (v9x_zc_io()); smaller
 * ones, kernel buffers (v9x_zc_iter()) and iterators whose pages cannot be
 * taken are one copied Tread of at most v9x_copy_read_max() bytes.
 *
 * Either may read less than @to holds without @eof: callers loop until
 * @eof, an error or a full @to.
 *
 * Return: bytes read (0 at end of file) or a negative error.
 */
ssize_t v9x_client_read(struct v9x_fid *fid, u64 offset, struct iov_iter *to,
			bool *eof)
{
	size_t before = iov_iter_count(to);
	size_t max = v9x_io_limit(fid, v9x_io_max(fid->clnt));
	size_t count = min(before, max);
	ssize_t ret = -EFAULT;

	*eof = false;
	if (!count)
		return 0;
	if (count >= V9X_ZC_MIN && v9x_zc_iter(to)) {
		ret = v9x_zc_io(fid, offset, to, v9x_io_chunk(max, before),
				V9X_IO_DEPTH, false, eof);
		if (ret != -EFAULT || iov_iter_count(to) != before)
			return ret;
	}
	/* A short count here is not the end of the file: callers loop. */
	count = min(count, v9x_copy_read_max(fid->clnt));
	ret = v9x_read_copy(fid, offset, to, count);
	*eof = ret >= 0 && (size_t)ret < count;
	return ret;
}

/*
 * Copy the data into the request: for small writes and kernel buffers.
 * @count is at most v9x_copy_write_max().
 */
static ssize_t v9x_write_copy(struct v9x_fid *fid, u64 offset,
			      struct iov_iter *from, size_t count)
{
	struct v9x_client *clnt = fid->clnt;
	struct v9x_req *req;
	struct v9x_buf b;
	size_t copied;
	u32 n;
	int ret;

	/* The data follows the header in the request buffer. */
	req = v9x_req_alloc(clnt, V9X_TWRITE_HDRSZ + count, V9X_RSZ_SMALL);
	if (IS_ERR(req))
		return PTR_ERR(req);
	/*
	 * Copied page-cache data is writeback's: a killed writeback must not
	 * let the next one of the range go out before this Twrite is done.
	 */
	req->hold = iov_iter_is_bvec(from);
	copied = copy_from_iter(req->tc.data + V9X_TWRITE_HDRSZ, count, from);
	if (!copied) {
		v9x_req_put(req);
		return -EFAULT;
	}
	v9x_enc_twrite(&req->tc, req->tag, fid->fid, offset, copied);
	v9x_enc_end_data(&req->tc, copied);
	req->tc.pos += copied;
	req->type = V9X_TWRITE;
	req->wire_tag = req->tag;

	ret = v9x_req_rpc_body(clnt, req, &b);
	if (!ret)
		ret = v9x_req_body_error(clnt, req,
					 v9x_dec_rwrite(&b, copied, &n));
	if (ret) {
		iov_iter_revert(from, copied);
		v9x_req_put(req);
		return ret;
	}
	if (n < copied)
		iov_iter_revert(from, copied - n);
	atomic64_inc(&clnt->stats.copy_writes);
	atomic64_add(n, &clnt->stats.copy_write_bytes);
	v9x_req_put(req);
	return n;
}

/**
 * v9x_client_write - Twrites at @offset from @from
 * @fid: an open fid
 * @offset: file offset
 * @from: source; advanced by the bytes the server took
 *
 * Writes of V9X_ZC_MIN bytes or more from user memory or pages are sent
 * zero-copy, as one Twrite of up to a message; smaller ones and kernel
 * buffers (v9x_zc_iter()) are one Twrite of at most v9x_copy_write_max()
 * bytes with the data copied into it. Either may take less than @from
 * holds: callers loop, so a large write goes out one message at a time.
 *
 * Twrites are not split to run in parallel as Treads are: the server's
 * pwritev calls on one file run one after the other anyway, and a
 * 256 MiB write at bs=4M took about twice as long as 1 MiB pieces four at
 * a time as whole messages one at a time (performance.rst). One at a time also
 * keeps an O_APPEND fid's data in order (the server appends each Twrite
 * wherever its file ends when it runs it, ignoring @offset), and a short
 * or failed Twrite leaves nothing after it applied.
 *
 * Return: bytes written or a negative error.
 */
ssize_t v9x_client_write(struct v9x_fid *fid, u64 offset, struct iov_iter *from)
{
	size_t before = iov_iter_count(from);
	size_t max = v9x_io_limit(fid, fid->clnt->msize - V9X_TWRITE_HDRSZ);
	size_t count = min(before, max);
	bool eof;
	ssize_t ret;

	if (!count)
		return 0;
	if (count >= V9X_ZC_MIN && v9x_zc_iter(from)) {
		ret = v9x_zc_io(fid, offset, from, max, 1, true, &eof);
		if (ret != -EFAULT || iov_iter_count(from) != before)
			return ret;
	}
	return v9x_write_copy(fid, offset, from,
			      min(count, v9x_copy_write_max(fid->clnt)));
}

/**
 * v9x_client_write_batch - bytes writeback gathers into one run
 * @fid: an open fid
 *
 * Return: V9X_IO_DEPTH messages' worth; v9x_client_write() sends a run one
 * message at a time.
 */
size_t v9x_client_write_batch(struct v9x_fid *fid)
{
	return V9X_IO_DEPTH *
	       v9x_io_limit(fid, fid->clnt->msize - V9X_TWRITE_HDRSZ);
}
