/* SPDX-License-Identifier: ISC */
/*
 * t-usb.c - USB drive detection against a umockdev testbed: which block
 * devices count, hotplug while waiting, removal, emptiness, read-only,
 * full, a mount point that appears later, mounting and ejecting through
 * a fake udisksctl, cancelling a wait.
 *
 * Run under umockdev-wrapper (tests/t-usb.sh); the mount table is a file
 * of ours passed in cd_usb_opts.mountinfo, pointing at real temporary
 * folders.
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

#include <umockdev.h>

#include "mountinfo.h"
#include "usb.h"
#include "util.h"
#include "fixture.h"

static UMockdevTestbed *tb;
static struct fx fx;
static const char *dir = fx.dir;	/* everything lives here */
static char mi[512];			/* the fake mount table */
static char mtab[4096];			/* its current content */
static char bindir[512], emptybin[512], log_path[512];

/* ------------------------------------------------------------ helpers */

static void
write_file(const char *path, const char *text, mode_t mode)
{
	char tmp[600];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		diag("cannot write %s: %s", tmp, strerror(errno));
		return;
	}
	fputs(text, f);
	fclose(f);
	chmod(tmp, mode);
	if (rename(tmp, path) != 0)
		diag("cannot rename %s: %s", tmp, strerror(errno));
}

/* Mount table: add "maj:min at dir/name" (ro or rw) and rewrite. */
static void
mount_fake(unsigned maj, unsigned min, const char *name, const char *opts)
{
	size_t len = strlen(mtab);

	snprintf(mtab + len, sizeof(mtab) - len, "%u 1 %u:%u / %s/%s %s "
	    "shared:%u - ext4 /dev/fake %s\n", 100 + min, maj, min, dir, name,
	    opts, min, opts);
	write_file(mi, mtab, 0644);
}

static void
reset_mtab(void)
{
	snprintf(mtab, sizeof(mtab), "1 0 8:1 / / rw,relatime shared:1 - "
	    "ext4 /dev/sda1 rw\n");
	write_file(mi, mtab, 0644);
}

static void
make_dir(const char *name)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (mkdir(p, 0700) != 0 && errno != EEXIST)
		diag("cannot create %s: %s", p, strerror(errno));
}

/*
 * Add a block device: devtype "disk" or "partition", major:minor, and
 * extra properties as a NULL-terminated list of name, value pairs.
 */
static char *
add_block(const char *name, const char *parent, const char *devtype,
    unsigned maj, unsigned min, const char *const *props)
{
	char dev[32], smaj[16], smin[16], node[64];
	const char *attrs[8], *p[40];
	char *sys;
	int a = 0, n = 0;

	snprintf(dev, sizeof(dev), "%u:%u", maj, min);
	snprintf(smaj, sizeof(smaj), "%u", maj);
	snprintf(smin, sizeof(smin), "%u", min);
	snprintf(node, sizeof(node), "/dev/%s", name);
	attrs[a++] = "dev";
	attrs[a++] = dev;
	if (strcmp(devtype, "partition") == 0) {
		attrs[a++] = "partition";
		attrs[a++] = "1";
	}
	attrs[a] = NULL;
	p[n++] = "DEVTYPE";
	p[n++] = devtype;
	p[n++] = "DEVNAME";
	p[n++] = node;
	p[n++] = "MAJOR";
	p[n++] = smaj;
	p[n++] = "MINOR";
	p[n++] = smin;
	while (props != NULL && *props != NULL && n < 38)
		p[n++] = *props++;
	p[n] = NULL;
	sys = umockdev_testbed_add_devicev(tb, "block", name, parent,
	    (gchar **)attrs, (gchar **)p);
	if (sys == NULL)
		diag("cannot add %s", name);
	return sys;
}

static void
remove_block(char *sys)
{
	umockdev_testbed_uevent(tb, sys, "remove");
	umockdev_testbed_remove_device(tb, sys);
	g_free(sys);
}

static const struct cd_usb_drive *
find(struct cd_usb_watch *w, const char *devnode)
{
	const struct cd_usb_drive *list;
	int i, n = cd_usb_drives(w, &list);

	for (i = 0; i < n; i++)
		if (strcmp(list[i].devnode, devnode) == 0)
			return &list[i];
	return NULL;
}

static int
count(struct cd_usb_watch *w)
{
	const struct cd_usb_drive *list;

	return cd_usb_drives(w, &list);
}

static struct cd_usb_watch *
open_watch(int mount, unsigned long long min_free)
{
	struct cd_usb_opts o;
	struct cd_usb_watch *w = NULL;
	struct cd_err err;

	memset(&o, 0, sizeof(o));
	o.mountinfo = mi;
	o.mount = mount;
	o.poll_seconds = 3;
	o.min_free = min_free;
	if (cd_usb_open(&o, &w, &err) != 0)
		diag("cd_usb_open: %s", err.msg);
	return w;
}

/* Process events until the drive is no longer "mounting..."; bounded by
 * udisksctl's own time limit in usb.c. */
static void
settle_mount(struct cd_usb_watch *w, const char *devnode)
{
	const struct cd_usb_drive *d;
	struct pollfd fds[8];
	struct cd_err err;
	int n, t;

	while ((d = find(w, devnode)) != NULL &&
	    d->state == CD_USB_MOUNTING) {
		n = cd_usb_pollfds(w, fds, 8, &t);
		poll(fds, (nfds_t)n, t);
		if (cd_usb_process(w, &err) < 0) {
			diag("cd_usb_process: %s", err.msg);
			return;
		}
	}
}

static const char *const usb_disk[] = {
	"ID_BUS", "usb", "ID_VENDOR", "SanDisk", "ID_VENDOR_ENC",
	"SanDisk\\x20", "ID_MODEL", "Cruzer_Blade", "ID_MODEL_ENC",
	"Cruzer\\x20Blade\\x20\\x20\\x20", "ID_SERIAL",
	"SanDisk_Cruzer_Blade_4C530001", "ID_SERIAL_SHORT", "4C530001",
	"ID_PART_TABLE_TYPE", "dos", NULL
};

/* ------------------------------------------------------------ tests */

struct waitlog {
	int calls;
	int cancel_at;		/* cancel on this call (0: never) */
	char **added;		/* cb adds the stick on its first call */
	char *disk;
};

static int
on_change(void *arg, const struct cd_usb_drive *list, int n)
{
	static const char *const part[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "vfat", "ID_FS_USAGE",
		"filesystem", "ID_FS_LABEL", "MY_STICK", "ID_FS_LABEL_ENC",
		"MY\\x20STICK", "ID_FS_UUID", "1234-ABCD", NULL
	};
	struct waitlog *wl = arg;

	wl->calls++;
	if (wl->added != NULL && wl->calls == 1) {
		wl->disk = add_block("sdb", NULL, "disk", 8, 16, usb_disk);
		*wl->added = add_block("sdb1", wl->disk, "partition", 8, 17,
		    part);
	}
	return wl->cancel_at != 0 && wl->calls >= wl->cancel_at;
}

static void
test_hotplug(void)
{
	static const char *const ata_disk[] = {
		"ID_BUS", "ata", "ID_PART_TABLE_TYPE", "gpt", NULL
	};
	static const char *const ata_part[] = {
		"ID_BUS", "ata", "ID_FS_TYPE", "ext4", NULL
	};
	static const char *const superfloppy[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "vfat", "ID_SERIAL_SHORT",
		"SF01", NULL
	};
	static const char *const bare_part[] = {
		"ID_FS_TYPE", "exfat", NULL
	};
	static const char *const swap_part[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "swap", "ID_FS_USAGE", "other",
		NULL
	};
	struct waitlog wl;
	struct cd_usb_watch *w;
	const struct cd_usb_drive *d = NULL;
	struct cd_err err;
	struct pollfd fds[8];
	char *sdb1 = NULL, *sda, *sda1, *sdc, *sdd, *sdd1, *sdd2;
	int n, t, r;

	reset_mtab();
	make_dir("stick");
	mount_fake(8, 17, "stick", "rw,relatime");
	sda = add_block("sda", NULL, "disk", 8, 0, ata_disk);
	sda1 = add_block("sda1", sda, "partition", 8, 1, ata_part);
	if (!ok((w = open_watch(0, 0)) != NULL, "watcher opens"))
		return;
	is_int(count(w), 0, "an ATA disk and partition present at start are "
	    "ignored");
	n = cd_usb_pollfds(w, fds, 8, &t);
	is_int(n, 3, "three descriptors to poll (udev, mount table, "
	    "inotify)");
	is_int(t, -1, "no drive: nothing to re-check on a timer");

	memset(&wl, 0, sizeof(wl));
	wl.added = &sdb1;
	r = cd_usb_wait(w, 20000, on_change, &wl, &d, &err);
	is_int(r, 0, "a USB stick inserted while waiting is found");
	if (r != 0)
		diag("%s", err.msg);
	ok(wl.calls >= 2, "the callback saw the change (%d calls)",
	    wl.calls);
	ok(d != NULL, "the ready drive is returned");
	if (d == NULL)
		return;
	is_int(count(w), 1, "the partitioned disk itself is not a drive");
	is_str(d->devnode, "/dev/sdb1", "device node");
	is_int(d->major * 1000 + d->minor, 8017, "device number 8:17");
	is_str(d->vendor, "SanDisk", "vendor, inherited from the disk");
	is_str(d->model, "Cruzer Blade", "model decoded from ID_MODEL_ENC");
	is_str(d->serial, "4C530001", "serial from ID_SERIAL_SHORT");
	is_str(d->label, "MY STICK", "label decoded from ID_FS_LABEL_ENC");
	is_str(d->uuid, "1234-ABCD", "filesystem UUID");
	is_str(d->fstype, "vfat", "filesystem type");
	ok(strstr(d->mountpoint, "/stick") != NULL, "mount point %s",
	    d->mountpoint);
	is_str(d->reason, "ready", "reason \"ready\"");
	is_int(d->entries, 0, "no entries");
	ok(cd_usb_ready(w) == d, "cd_usb_ready returns it");
	ok(cd_usb_still_present(w, d), "still present");
	cd_usb_pollfds(w, fds, 8, &t);
	is_int(t, 3000, "with drives, re-check every poll_seconds");

	umockdev_testbed_uevent(tb, sdb1, "change");
	cd_usb_process(w, &err);
	is_int(count(w), 1, "a change event does not duplicate the drive");

	/* An ATA partition added later, a USB superfloppy, a partition that
	 * inherits ID_BUS from its disk, a swap partition. */
	add_block("sda2", sda, "partition", 8, 2, ata_part);
	sdc = add_block("sdc", NULL, "disk", 8, 32, superfloppy);
	sdd = add_block("sdd", NULL, "disk", 8, 48, usb_disk);
	sdd1 = add_block("sdd1", sdd, "partition", 8, 49, bare_part);
	sdd2 = add_block("sdd2", sdd, "partition", 8, 50, swap_part);
	is_int(cd_usb_process(w, &err), 1, "the new devices are a change");
	ok(find(w, "/dev/sda2") == NULL, "an ATA partition is ignored");
	ok((d = find(w, "/dev/sdc")) != NULL, "a USB disk with a filesystem "
	    "and no partition table is a drive");
	if (d != NULL) {
		is_int(d->state, CD_USB_NOT_MOUNTED, "it is not mounted");
		is_str(d->reason, "inserted, not mounted", "reason");
		is_str(d->serial, "SF01", "its serial");
		is_int(d->entries, -1, "entries unknown");
	}
	ok(find(w, "/dev/sdd1") != NULL, "a partition of a USB disk without "
	    "its own ID_BUS is a drive");
	ok(find(w, "/dev/sdd2") == NULL, "a swap partition is not");
	ok(find(w, "/dev/sdd") == NULL, "a partitioned disk is not");
	is_int(count(w), 3, "three drives");

	remove_block(sdc);
	is_int(cd_usb_process(w, &err), 1, "removal is a change");
	ok(find(w, "/dev/sdc") == NULL, "the removed disk is gone");
	remove_block(sdb1);
	cd_usb_process(w, &err);
	ok(find(w, "/dev/sdb1") == NULL, "the removed stick is gone");
	is_int(count(w), 1, "one drive left");
	is_int(cd_usb_process(w, &err), 0, "nothing new: no change");
	remove_block(sdd2);
	remove_block(sdd1);
	remove_block(sdd);
	remove_block(sda1);
	remove_block(sda);
	cd_usb_process(w, &err);
	is_int(count(w), 0, "all gone");
	remove_block(wl.disk);
	cd_usb_close(w);
}

static void
test_not_empty(void)
{
	static const char *const part[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "ext4", NULL
	};
	struct cd_usb_watch *w;
	const struct cd_usb_drive *d;
	struct pollfd fds[8];
	struct cd_err err;
	char file[600], *sde, *sde1;
	int n, t;

	reset_mtab();
	make_dir("full-stick");
	make_dir("full-stick/lost+found");
	snprintf(file, sizeof(file), "%s/full-stick/report.pdf", dir);
	write_file(file, "x", 0600);
	mount_fake(8, 65, "full-stick", "rw,relatime");
	sde = add_block("sde", NULL, "disk", 8, 64, usb_disk);
	sde1 = add_block("sde1", sde, "partition", 8, 65, part);
	if (!ok((w = open_watch(0, 0)) != NULL, "watcher opens"))
		return;
	d = find(w, "/dev/sde1");
	ok(d != NULL, "a drive present at start is enumerated");
	if (d == NULL)
		goto out;
	is_int(d->state, CD_USB_NOT_EMPTY, "a drive with a file is not "
	    "empty");
	is_str(d->reason, "not empty: 1 entries", "reason counts entries "
	    "(lost+found ignored)");
	is_int(d->entries, 1, "one entry");
	ok(cd_usb_ready(w) == NULL, "no drive is ready");
	is_int(cd_usb_wait(w, 0, NULL, NULL, &d, &err), CD_E_TIMEOUT,
	    "waiting 0 ms times out");
	like(err.msg, "not empty: 1 entries", "the timeout says why");

	unlink(file);
	n = cd_usb_pollfds(w, fds, 8, &t);
	poll(fds, (nfds_t)n, 0);
	/* Order: udev monitor, mount table, inotify. */
	ok(n >= 3 && (fds[2].revents & POLLIN), "deleting the file wakes the "
	    "inotify watch");
	is_int(cd_usb_process(w, &err), 1, "processing reports a change");
	d = find(w, "/dev/sde1");
	is_int(d ? d->state : -1, CD_USB_READY, "the drive is now ready");
	write_file(file, "x", 0600);
	cd_usb_process(w, &err);
	d = find(w, "/dev/sde1");
	is_int(d ? d->state : -1, CD_USB_NOT_EMPTY, "a new file makes it "
	    "not empty again");
	unlink(file);
	cd_usb_process(w, &err);
out:
	remove_block(sde1);
	remove_block(sde);
	cd_usb_close(w);
}

static void
test_mount_later_ro_full(void)
{
	static const char *const part[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "ext4", NULL
	};
	struct cd_usb_watch *w, *wfull;
	const struct cd_usb_drive *d;
	struct cd_err err;
	char *sdf, *sdf1, *sdg, *sdg1;

	reset_mtab();
	make_dir("later");
	make_dir("ro");
	sdf = add_block("sdf", NULL, "disk", 8, 80, usb_disk);
	sdf1 = add_block("sdf1", sdf, "partition", 8, 81, part);
	if (!ok((w = open_watch(0, 0)) != NULL, "watcher opens"))
		return;
	d = find(w, "/dev/sdf1");
	is_int(d ? d->state : -1, CD_USB_NOT_MOUNTED, "not mounted yet");
	mount_fake(8, 81, "later", "rw,relatime");
	is_int(cd_usb_process(w, &err), 1, "the mount table is re-read on "
	    "processing");
	d = find(w, "/dev/sdf1");
	is_int(d ? d->state : -1, CD_USB_READY, "mounted later: ready");
	ok(d != NULL && strstr(d->mountpoint, "/later") != NULL,
	    "its mount point");
	ok(cd_usb_still_present(w, d), "still present while mounted");
	reset_mtab();
	ok(!cd_usb_still_present(w, d), "not present once unmounted");
	cd_usb_process(w, &err);
	d = find(w, "/dev/sdf1");
	is_int(d ? d->state : -1, CD_USB_NOT_MOUNTED, "unmounted again");
	is_str(d ? d->mountpoint : NULL, "", "no mount point");

	sdg = add_block("sdg", NULL, "disk", 8, 96, usb_disk);
	sdg1 = add_block("sdg1", sdg, "partition", 8, 97, part);
	mount_fake(8, 97, "ro", "ro,relatime");
	cd_usb_process(w, &err);
	d = find(w, "/dev/sdg1");
	is_int(d ? d->state : -1, CD_USB_READ_ONLY, "a read-only mount");
	is_str(d ? d->reason : NULL, "read-only", "reason \"read-only\"");

	mount_fake(8, 81, "later", "rw,relatime");
	if (ok((wfull = open_watch(0, 1ULL << 62)) != NULL, "watcher with "
	    "a huge free space minimum")) {
		d = find(wfull, "/dev/sdf1");
		is_int(d ? d->state : -1, CD_USB_FULL, "too little space: "
		    "full");
		like(d ? d->reason : NULL, "full: ", "reason \"full: N KiB "
		    "free\"");
		cd_usb_close(wfull);
	}
	d = find(w, "/dev/sdf1");
	remove_block(sdf1);
	ok(!cd_usb_still_present(w, d), "not present once removed");
	remove_block(sdf);
	remove_block(sdg1);
	remove_block(sdg);
	cd_usb_close(w);
}

static void
test_cancel(void)
{
	struct cd_usb_watch *w;
	const struct cd_usb_drive *d;
	struct waitlog wl;
	struct cd_err err;

	reset_mtab();
	if (!ok((w = open_watch(0, 0)) != NULL, "watcher opens"))
		return;
	memset(&wl, 0, sizeof(wl));
	wl.cancel_at = 1;
	is_int(cd_usb_wait(w, -1, on_change, &wl, &d, &err), CD_E_CANCELLED,
	    "a callback returning non-zero cancels an endless wait");
	like(err.msg, "cancelled", "the message says so");
	ok(d == NULL, "no drive returned");
	is_int(cd_usb_wait(w, 0, NULL, NULL, &d, &err), CD_E_TIMEOUT,
	    "no drive: times out");
	like(err.msg, "no USB drive was inserted", "the message says no "
	    "drive was inserted");
	cd_usb_close(w);
}

static void
write_udisksctl(void)
{
	char script[2048], path[600];

	snprintf(script, sizeof(script),
	    "#!/bin/sh\n"
	    "echo \"$*\" >> '%s'\n"
	    "case \"$1 $4\" in\n"
	    "'mount /dev/sdh1')\n"
	    "\techo '300 1 8:113 / %s/automount rw,nosuid - ext4 "
	    "/dev/sdh1 rw' >> '%s'\n"
	    "\techo 'Mounted /dev/sdh1 at %s/automount'; exit 0;;\n"
	    "'mount /dev/sdi1')\n"
	    "\techo 'Error mounting /dev/sdi1: GDBus.Error:org.freedesktop."
	    "UDisks2.Error.NotAuthorizedCanObtain: Not authorized to perform "
	    "operation' >&2; exit 1;;\n"
	    "'power-off /dev/sdj1')\n"
	    "\techo 'Error powering off drive: busy' >&2; exit 1;;\n"
	    "esac\n"
	    "exit 0\n", log_path, dir, mi, dir);
	snprintf(path, sizeof(path), "%s/udisksctl", bindir);
	write_file(path, script, 0755);
}

static void
test_mount_and_eject(void)
{
	static const char *const part[] = {
		"ID_BUS", "usb", "ID_FS_TYPE", "ext4", NULL
	};
	struct cd_usb_watch *w;
	const struct cd_usb_drive *d;
	struct cd_usb_drive copy;
	struct cd_err err;
	unsigned char *log = NULL;
	size_t len;
	char *sdh, *sdh1, *sdi1, *sdj1, *oldpath;
	char path[1200];

	reset_mtab();
	make_dir("automount");
	write_udisksctl();
	oldpath = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	snprintf(path, sizeof(path), "%s:%s", bindir, oldpath);
	setenv("PATH", path, 1);
	sdh = add_block("sdh", NULL, "disk", 8, 112, usb_disk);
	sdh1 = add_block("sdh1", sdh, "partition", 8, 113, part);
	sdi1 = add_block("sdi1", sdh, "partition", 8, 114, part);
	if (!ok((w = open_watch(1, 0)) != NULL, "watcher with mount = yes"))
		goto out;
	d = find(w, "/dev/sdh1");
	is_int(d ? d->state : -1, CD_USB_MOUNTING, "an unmounted drive is "
	    "being mounted");
	is_str(d ? d->reason : NULL, "mounting...", "reason \"mounting...\"");
	d = find(w, "/dev/sdi1");
	is_int(d ? d->state : -1, CD_USB_MOUNTING, "a second one waits its "
	    "turn");
	settle_mount(w, "/dev/sdh1");
	settle_mount(w, "/dev/sdi1");
	d = find(w, "/dev/sdh1");
	is_int(d ? d->state : -1, CD_USB_READY, "mounted by udisksctl: "
	    "ready");
	d = find(w, "/dev/sdi1");
	is_int(d ? d->state : -1, CD_USB_NOT_MOUNTED, "a failed mount: not "
	    "mounted");
	is_str(d ? d->reason : NULL, "mount failed: Error mounting "
	    "/dev/sdi1: Not authorized to perform operation", "reason "
	    "without the D-Bus error name");
	cd_usb_process(w, &err);
	d = find(w, "/dev/sdi1");
	is_int(d ? d->state : -1, CD_USB_NOT_MOUNTED, "a failed mount is "
	    "not retried");
	cd_read_file(log_path, 4096, &log, &len, &err);
	like((char *)log, "mount --no-user-interaction -b /dev/sdh1\n",
	    "udisksctl mount arguments");
	free(log);
	log = NULL;

	d = find(w, "/dev/sdh1");
	if (d != NULL) {
		is_int(cd_usb_finish(w, d, 0, &err), 0, "finish: sync");
		is_int(cd_usb_finish(w, d, 1, &err), 0, "finish: eject");
		cd_read_file(log_path, 4096, &log, &len, &err);
		like((char *)log, "unmount --no-user-interaction -b "
		    "/dev/sdh1\npower-off --no-user-interaction -b /dev/sdh1\n",
		    "eject unmounts and powers off");
		free(log);
	}
	memset(&copy, 0, sizeof(copy));
	if (d != NULL)
		copy = *d;
	cd_strlcpy(copy.devnode, "/dev/sdj1", sizeof(copy.devnode));
	is_int(cd_usb_finish(w, &copy, 1, &err), CD_E_USB,
	    "a failed power-off is an error");
	like(err.msg, "safe to remove", "which says the drive is unmounted");
	like(err.msg, "Error powering off drive: busy", "and why");
	cd_usb_close(w);

	setenv("PATH", emptybin, 1);
	sdj1 = add_block("sdj1", sdh, "partition", 8, 115, part);
	if (ok((w = open_watch(1, 0)) != NULL, "watcher without "
	    "udisksctl")) {
		d = find(w, "/dev/sdj1");
		is_int(d ? d->state : -1, CD_USB_NOT_MOUNTED, "cannot mount");
		is_str(d ? d->reason : NULL, "mount failed: udisksctl not "
		    "found", "reason says udisksctl is missing");
		is_int(cd_usb_finish(w, &copy, 1, &err), CD_E_USB,
		    "eject without udisksctl fails");
		like(err.msg, "udisksctl not found", "and says why");
		cd_usb_close(w);
	}
	remove_block(sdj1);
out:
	setenv("PATH", oldpath, 1);
	free(oldpath);
	remove_block(sdi1);
	remove_block(sdh1);
	remove_block(sdh);
}

int
main(void)
{
	tb = umockdev_testbed_new();
	if (!umockdev_in_mock_environment()) {
		g_object_unref(tb);
		skip_all("not running under umockdev-wrapper");
	}
	fx_init(&fx, "t-usb");
	snprintf(mi, sizeof(mi), "%s/mountinfo", dir);
	snprintf(bindir, sizeof(bindir), "%s/bin", dir);
	snprintf(emptybin, sizeof(emptybin), "%s/nobin", dir);
	snprintf(log_path, sizeof(log_path), "%s/udisksctl.log", dir);
	make_dir("bin");
	make_dir("nobin");
	test_hotplug();
	test_not_empty();
	test_mount_later_ro_full();
	test_cancel();
	test_mount_and_eject();
	g_object_unref(tb);
	fx_cleanup(&fx);
	return done_testing();
}
