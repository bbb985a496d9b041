// SPDX-License-Identifier: GPL-2.0
/*
 * acl: set, get or remove a POSIX ACL through its system.posix_acl_* xattr,
 * in the kernel's binary format (include/uapi/linux/posix_acl_xattr.h), for
 * guests that have busybox and no setfacl/getfacl.
 *
 *   acl set FILE access|default ENTRY...   ENTRY: TAG:ID:PERM, in order
 *   acl get FILE access|default            prints the entries on one line
 *   acl rm FILE access|default
 *
 * TAG is u, g, m or o; ID is empty for the owner, owning group, mask and
 * other entries; PERM is one octal digit (4 r, 2 w, 1 x). Example:
 * "u::6 u:1000:4 g::4 m::4 o::0". Errors print strerror(errno), exit 1.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

#define ACL_XATTR_VERSION	2
#define ACL_UNDEFINED_ID	((uint32_t)-1)
#define MAX_ENTRIES		64

struct acl_entry {
	uint16_t tag;
	uint16_t perm;
	uint32_t id;
};

static const struct {
	char c;
	uint16_t obj, named;	/* the tag without an id, with one (0: none) */
} tags[] = {
	{ 'u', 0x01, 0x02 },	/* ACL_USER_OBJ, ACL_USER */
	{ 'g', 0x04, 0x08 },	/* ACL_GROUP_OBJ, ACL_GROUP */
	{ 'm', 0x10, 0 },	/* ACL_MASK */
	{ 'o', 0x20, 0 },	/* ACL_OTHER */
};

static int fail(const char *what)
{
	printf("%s: %s\n", what, strerror(errno));
	return 1;
}

/* The little-endian u16/u32 of the xattr format, whatever the host order. */
static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

static uint32_t get32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int parse(const char *s, struct acl_entry *e)
{
	char c, *end;
	const char *id;
	unsigned int i;

	c = s[0];
	if (s[1] != ':')
		return -1;
	id = s + 2;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (tags[i].c == c)
			break;
	if (i == sizeof(tags) / sizeof(tags[0]))
		return -1;
	if (*id == ':') {
		e->tag = tags[i].obj;
		e->id = ACL_UNDEFINED_ID;
		end = (char *)id;
	} else {
		if (!tags[i].named)
			return -1;
		e->tag = tags[i].named;
		e->id = strtoul(id, &end, 10);
		if (end == id || *end != ':')
			return -1;
	}
	e->perm = strtoul(end + 1, &end, 8);
	return *end || e->perm > 7 ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned char buf[4 + 8 * MAX_ENTRIES];
	const char *name;
	struct acl_entry e;
	ssize_t len;
	int i, n;

	if (argc < 4 || (strcmp(argv[3], "access") && strcmp(argv[3], "default"))) {
		fprintf(stderr, "usage: acl set|get|rm FILE access|default [ENTRY...]\n");
		return 2;
	}
	name = strcmp(argv[3], "access") ? "system.posix_acl_default" :
					   "system.posix_acl_access";
	if (!strcmp(argv[1], "set")) {
		n = argc - 4;
		if (n > MAX_ENTRIES)
			return 2;
		put32(buf, ACL_XATTR_VERSION);
		for (i = 0; i < n; i++) {
			if (parse(argv[4 + i], &e)) {
				fprintf(stderr, "bad entry '%s'\n", argv[4 + i]);
				return 2;
			}
			put16(buf + 4 + 8 * i, e.tag);
			put16(buf + 6 + 8 * i, e.perm);
			put32(buf + 8 + 8 * i, e.id);
		}
		if (setxattr(argv[2], name, buf, 4 + 8 * n, 0))
			return fail("setxattr");
		return 0;
	}
	if (!strcmp(argv[1], "rm"))
		return removexattr(argv[2], name) ? fail("removexattr") : 0;
	if (strcmp(argv[1], "get"))
		return 2;
	len = getxattr(argv[2], name, buf, sizeof(buf));
	if (len < 0)
		return fail("getxattr");
	if (len < 4 || (len - 4) % 8 || get32(buf) != ACL_XATTR_VERSION) {
		printf("malformed ACL of %zd bytes\n", len);
		return 1;
	}
	for (i = 0; i < (len - 4) / 8; i++) {
		const unsigned char *p = buf + 4 + 8 * i;
		uint16_t tag = p[0] | p[1] << 8, perm = p[2] | p[3] << 8;
		unsigned int t;

		for (t = 0; t < sizeof(tags) / sizeof(tags[0]); t++)
			if (tags[t].obj == tag || tags[t].named == tag)
				break;
		if (t == sizeof(tags) / sizeof(tags[0])) {
			printf("%s?%u", i ? " " : "", tag);
			continue;
		}
		if (tags[t].named == tag)
			printf("%s%c:%u:%o", i ? " " : "", tags[t].c, get32(p + 4), perm);
		else
			printf("%s%c::%o", i ? " " : "", tags[t].c, perm);
	}
	printf("\n");
	return 0;
}
