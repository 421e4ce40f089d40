/* SPDX-License-Identifier: ISC */
/*
 * t-mountinfo.c - mount table parsing (escapes, bind mounts, read-only,
 * optional fields) against $top_srcdir/tests/data/mountinfo, and the
 * "empty drive" rule on a temporary folder.
 *
 * "t-mountinfo --probe DEVNODE DIR" is a helper for tests/usb-loop.sh: it
 * looks DEVNODE's device number up in the real /proc/self/mountinfo and
 * prints what it found about the mount at DIR (key=value lines).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"
#include "fixture.h"

static char fixture[PATH_MAX];

static void
test_parse_line(void)
{
	struct cd_mount m;

	is_int(cd_mountinfo_parse_line("91 27 8:17 / /media/op/MY\\040STICK "
	    "rw,nosuid shared:41 master:2 - vfat /dev/sdb1 rw,fmask=0022\n",
	    &m), 0, "a line with optional fields parses");
	is_int(m.major, 8, "major");
	is_int(m.minor, 17, "minor");
	is_str(m.root, "/", "root");
	is_str(m.mountpoint, "/media/op/MY STICK", "\\040 is a space");
	is_str(m.fstype, "vfat", "fstype after the separator");
	is_str(m.source, "/dev/sdb1", "source");
	is_int(m.readonly, 0, "rw mount");

	is_int(cd_mountinfo_parse_line("5 1 7:0 / /a\\011b\\012c\\134d ro - "
	    "ext4 /dev/loop0 rw", &m), 0, "a line without optional fields "
	    "parses");
	is_str(m.mountpoint, "/a\tb\nc\\d", "\\011 \\012 \\134 decoded");
	is_int(m.readonly, 1, "ro in the per-mount options");

	is_int(cd_mountinfo_parse_line("5 1 7:0 / /x rw - ext4 /dev/loop0 "
	    "ro,errors=remount-ro", &m), 0, "super options parse");
	is_int(m.readonly, 1, "ro in the super options");
	cd_mountinfo_parse_line("5 1 7:0 / /x rw,rom - ext4 /dev/loop0 "
	    "rw,errors=remount-ro", &m);
	is_int(m.readonly, 0, "errors=remount-ro and rom are not ro");
	cd_mountinfo_parse_line("5 1 7:0 / /x\\\\y\\12 rw - ext4 s rw", &m);
	is_str(m.mountpoint, "/x\\\\y\\12", "a backslash without three octal "
	    "digits stays");

	is_int(cd_mountinfo_parse_line("5 1 7:0 / /x rw ext4 /dev/loop0 rw",
	    &m), CD_E_INVAL, "a line without the separator is refused");
	is_int(cd_mountinfo_parse_line("5 1 seven / /x rw - ext4 s rw", &m),
	    CD_E_INVAL, "a bad device number is refused");
	is_int(cd_mountinfo_parse_line("", &m), CD_E_INVAL,
	    "an empty line is refused");
}

static void
test_find(void)
{
	struct cd_mount m;
	struct cd_err err;

	is_int(cd_mountinfo_find(fixture, 8, 17, &m, &err), 1,
	    "8:17 found past its bind mount and a malformed line");
	is_str(m.mountpoint, "/media/op/MY STICK", "the root mount, not "
	    "the bind mount of /photos");
	is_str(m.root, "/", "its root is /");
	is_int(m.readonly, 0, "8:17 is read-write");

	is_int(cd_mountinfo_find(fixture, 8, 33, &m, &err), 1, "8:33 found");
	is_str(m.mountpoint, "/media/op/tab\tnew\nback\\slash",
	    "tab, newline and backslash decoded");
	is_int(m.readonly, 1, "8:33 is read-only (per mount)");

	is_int(cd_mountinfo_find(fixture, 8, 49, &m, &err), 1, "8:49 found");
	is_int(m.readonly, 1, "8:49 is read-only (super block)");
	is_int(cd_mountinfo_find(fixture, 8, 65, &m, &err), 1, "8:65 found");
	is_int(m.readonly, 0, "8:65 is read-write");
	is_int(cd_mountinfo_find(fixture, 259, 3, &m, &err), 1,
	    "a large major number (259:3) found");
	is_str(m.fstype, "exfat", "its fstype");

	is_int(cd_mountinfo_find(fixture, 8, 97, &m, &err), 0,
	    "a device only bind-mounted counts as not mounted");
	is_int(cd_mountinfo_find(fixture, 8, 81, &m, &err), 0,
	    "an unknown device is not mounted");
	is_int(cd_mountinfo_find("/nonexistent/mountinfo", 8, 17, &m, &err),
	    CD_E_IO, "a missing mount table is an I/O error");
	like(err.msg, "/nonexistent/mountinfo", "the message names the file");
	ok(cd_mountinfo_find(NULL, 0, 0, &m, &err) >= 0,
	    "the real mount table can be read");
}

static int
touch(const char *dir, const char *name, int isdir)
{
	char p[PATH_MAX];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (isdir)
		return mkdir(p, 0700);
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	return close(fd);
}

static void
rm_entry(const char *dir, const char *name, int isdir)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((isdir ? rmdir(p) : unlink(p)) != 0)
		diag("cannot remove %s: %s", p, strerror(errno));
}

static int
count(const char *dir, int nignore, const char (*ignore)[64])
{
	struct cd_err err;
	int n = -1, r;

	if ((r = cd_dir_count_entries(dir, nignore, ignore, &n, &err)) != 0)
		return r;
	return n;
}

static void
test_empty(const char *dir)
{
	static const char txt[][64] = { "*.txt" };
	char p[PATH_MAX];
	struct cd_err err;
	int n;

	is_int(count(dir, 0, NULL), 0, "a new folder is empty");
	touch(dir, "lost+found", 1);
	touch(dir, "System Volume Information", 1);
	touch(dir, "$RECYCLE.BIN", 1);
	touch(dir, ".Trashes", 1);
	touch(dir, ".Spotlight-V100", 1);
	touch(dir, ".fseventsd", 1);
	touch(dir, ".Trash-1000", 1);
	is_int(count(dir, 0, NULL), 0, "only ignored entries: still empty "
	    "(.Trash-1000 matches .Trash-*)");
	is_int(count(dir, cd_nignore_default, cd_ignore_default), 0,
	    "the same with the default list passed explicitly");
	is_int(count(dir, 0, txt), 7, "an empty ignore list ignores nothing");
	touch(dir, ".hidden", 0);
	is_int(count(dir, 0, NULL), 1, "a dotfile not in the list counts");
	rm_entry(dir, ".hidden", 0);
	touch(dir, "letter.txt", 0);
	is_int(count(dir, 0, NULL), 1, "a normal file counts");
	is_int(count(dir, 1, txt), 7, "a caller's list replaces the "
	    "defaults");
	rm_entry(dir, "letter.txt", 0);
	touch(dir, "SYSTEM VOLUME INFORMATION2", 1);
	is_int(count(dir, 0, NULL), 1, "only whole names match");
	rm_entry(dir, "SYSTEM VOLUME INFORMATION2", 1);
	rm_entry(dir, "lost+found", 1);
	touch(dir, "LOST+FOUND", 1);
	is_int(count(dir, 0, NULL), 0, "matching ignores case (FAT)");
	snprintf(p, sizeof(p), "%.512s/nonexistent", dir);
	is_int(cd_dir_count_entries(p, 0, NULL, &n, &err), CD_E_IO,
	    "a missing folder is an I/O error");
	like(err.msg, "nonexistent", "the message names the folder");
}

/* --probe DEVNODE DIR: for tests/usb-loop.sh. */
static int
probe(const char *devnode, const char *dir)
{
	struct cd_mount m;
	struct cd_err err;
	struct stat st;
	int n, r;

	if (stat(devnode, &st) != 0 || !S_ISBLK(st.st_mode)) {
		fprintf(stderr, "%s: not a block device\n", devnode);
		return 2;
	}
	r = cd_mountinfo_find(NULL, major(st.st_rdev), minor(st.st_rdev), &m,
	    &err);
	if (r < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	printf("devnum=%u:%u\nfound=%d\n", major(st.st_rdev),
	    minor(st.st_rdev), r);
	if (r == 0)
		return 1;
	printf("mountpoint=%s\nsame=%d\nfstype=%s\nreadonly=%d\n",
	    m.mountpoint, strcmp(m.mountpoint, dir) == 0, m.fstype,
	    m.readonly);
	if (cd_dir_count_entries(m.mountpoint, 0, NULL, &n, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	printf("entries=%d\n", n);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *src = getenv("top_srcdir");
	struct fx fx;

	if (argc == 4 && strcmp(argv[1], "--probe") == 0)
		return probe(argv[2], argv[3]);
	snprintf(fixture, sizeof(fixture), "%s/tests/data/mountinfo/desktop",
	    src ? src : ".");
	test_parse_line();
	test_find();
	fx_init(&fx, "t-mountinfo");
	test_empty(fx.dir);
	fx_cleanup(&fx);
	return done_testing();
}
