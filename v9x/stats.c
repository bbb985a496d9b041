// SPDX-License-Identifier: GPL-2.0
/*
 * Per-mount statistics in debugfs: /sys/kernel/debug/v9x/<tag>/stats, one
 * "key value" pair per line. Reads only counters; touches no 9P state.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "internal.h"

static struct dentry *v9x_debugfs_root;

static int v9x_stats_show(struct seq_file *m, void *unused)
{
	struct v9x_client *clnt = m->private;
	struct v9x_stats *s = &clnt->stats;
	unsigned int t;

	seq_printf(m, "msize %u\n", clnt->msize);
	seq_printf(m, "requests %lld\n", atomic64_read(&s->requests));
	seq_printf(m, "inflight %lld\n", atomic64_read(&s->inflight));
	seq_printf(m, "inflight_max %lld\n", atomic64_read(&s->inflight_max));
	seq_printf(m, "errors %lld\n", atomic64_read(&s->errors));
	seq_printf(m, "proto_errors %lld\n", atomic64_read(&s->proto_errors));
	seq_printf(m, "flushes %lld\n", atomic64_read(&s->flushes));
	seq_printf(m, "zc_reads %lld\n", atomic64_read(&s->zc_reads));
	seq_printf(m, "zc_read_bytes %lld\n", atomic64_read(&s->zc_read_bytes));
	seq_printf(m, "copy_reads %lld\n", atomic64_read(&s->copy_reads));
	seq_printf(m, "copy_read_bytes %lld\n",
		   atomic64_read(&s->copy_read_bytes));
	seq_printf(m, "zc_writes %lld\n", atomic64_read(&s->zc_writes));
	seq_printf(m, "zc_write_bytes %lld\n",
		   atomic64_read(&s->zc_write_bytes));
	seq_printf(m, "copy_writes %lld\n", atomic64_read(&s->copy_writes));
	seq_printf(m, "copy_write_bytes %lld\n",
		   atomic64_read(&s->copy_write_bytes));
	seq_printf(m, "prefetches %lld\n", atomic64_read(&s->prefetches));
	seq_printf(m, "prefetch_hits %lld\n", atomic64_read(&s->prefetch_hits));
	seq_printf(m, "prefetch_lists %lld\n", atomic64_read(&s->prefetch_lists));
	seq_printf(m, "prefetch_batches %lld\n",
		   atomic64_read(&s->prefetch_batches));
	seq_printf(m, "prefetch_walked %lld\n",
		   atomic64_read(&s->prefetch_walked));
	seq_printf(m, "path_checks %lld\n", atomic64_read(&s->path_checks));
	seq_printf(m, "path_checks_held %lld\n",
		   atomic64_read(&s->path_checks_held));
	seq_printf(m, "path_retries %lld\n", atomic64_read(&s->path_retries));
	seq_printf(m, "path_last_early %lld\n",
		   atomic64_read(&s->path_last_early));
	seq_printf(m, "reuse_task %lld\n", atomic64_read(&s->reuse_task));
	seq_printf(m, "reuse_switch %lld\n", atomic64_read(&s->reuse_switch));
	seq_printf(m, "reuse_tick %lld\n", atomic64_read(&s->reuse_tick));
	seq_printf(m, "reuse_reply %lld\n", atomic64_read(&s->reuse_reply));
	for (t = 0; t < ARRAY_SIZE(s->by_type); t++) {
		long long n = atomic64_read(&s->by_type[t]);

		if (n)
			seq_printf(m, "req_%s %lld\n", v9x_type_name(t), n);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(v9x_stats);

/**
 * v9x_stats_register - publish a client's counters
 * @clnt: the client; must outlive the files (unregister first)
 * @name: directory name (the mount tag, unique while claimed)
 */
void v9x_stats_register(struct v9x_client *clnt, const char *name)
{
	if (IS_ERR_OR_NULL(v9x_debugfs_root))
		return;
	clnt->debugfs = debugfs_create_dir(name, v9x_debugfs_root);
	debugfs_create_file("stats", 0444, clnt->debugfs, clnt,
			    &v9x_stats_fops);
}

/**
 * v9x_stats_unregister - remove a client's files
 * @clnt: the client
 */
void v9x_stats_unregister(struct v9x_client *clnt)
{
	debugfs_remove_recursive(clnt->debugfs);
	clnt->debugfs = NULL;
}

/**
 * v9x_debugfs_init - create /sys/kernel/debug/v9x (absent debugfs is fine)
 *
 * Return: 0.
 */
int v9x_debugfs_init(void)
{
	v9x_debugfs_root = debugfs_create_dir("v9x", NULL);
	return 0;
}

/**
 * v9x_debugfs_exit - remove /sys/kernel/debug/v9x
 */
void v9x_debugfs_exit(void)
{
	debugfs_remove_recursive(v9x_debugfs_root);
}
