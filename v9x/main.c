// SPDX-License-Identifier: GPL-2.0
/*
 * v9x module entry: brings up the layers bottom-up and tears them down in
 * reverse. The virtio driver goes last so no device is offered to a
 * half-initialised module, and goes first on exit so every request has been
 * completed before the workqueue that frees them is destroyed.
 */

#include <linux/module.h>

#include "internal.h"

static int __init v9x_init(void)
{
	int ret;

	ret = v9x_req_init();
	if (ret)
		return ret;
	v9x_debugfs_init();
	ret = v9x_fs_init();
	if (ret)
		goto out_debugfs;
	ret = v9x_virtio_init();
	if (ret)
		goto out_fs;
	return 0;

out_fs:
	v9x_fs_exit();
out_debugfs:
	v9x_debugfs_exit();
	v9x_req_exit();
	return ret;
}

static void __exit v9x_exit(void)
{
	v9x_virtio_exit();
	v9x_fs_exit();
	v9x_debugfs_exit();
	v9x_req_exit();
}

module_init(v9x_init);
module_exit(v9x_exit);

MODULE_DESCRIPTION("v9x: a standalone 9P2000.L client over virtio");
MODULE_AUTHOR("The v9x developers");
MODULE_LICENSE("GPL");
MODULE_ALIAS_FS("v9x");
