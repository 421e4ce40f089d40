/* SPDX-License-Identifier: ISC */
/*
 * usb.c - find the USB drive AutoSave can write to.
 *
 * A udev monitor (enabled before enumerating, so nothing is missed) keeps
 * the list of USB mass-storage filesystems: partitions of a USB disk and
 * whole USB disks formatted without a partition table.  For each one the
 * mount table says where it is mounted (mounting it through udisksctl on
 * request), and the root folder, mount flags and free space say whether
 * it is ready.  inotify on the mount points, POLLPRI on the mount table
 * and a poll interval as a fallback notice when that changes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <libudev.h>

#include "dl-udev.h"
#include "mountinfo.h"
#include "usb.h"
#include "util.h"

#define UDISKSCTL "udisksctl"
#define MOUNT_TIMEOUT_MS 30000
#define EJECT_TIMEOUT_MS 120000
#define REAP_RETRY_MS 100
#define DEFAULT_POLL_S 2
#define DEFAULT_MIN_FREE (64ULL * 1024)
#define INOTIFY_MASK (IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | \
	IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

enum mount_try {
	MT_NONE,	/* not tried since the drive appeared */
	MT_RUNNING,	/* udisksctl is running for it */
	MT_DONE		/* tried once: do not fight the operator */
};

struct drive_priv {
	int wd;			/* inotify watch on the mount point */
	int mount_try;		/* enum mount_try */
	char mount_err[128];	/* why mounting failed, "" if it did not */
};

/* A udisksctl process: output collected, time-limited. */
struct child {
	pid_t pid;		/* 0: none */
	int fd;			/* its stdout+stderr; -1 after EOF */
	char out[512];
	size_t len;
	int64_t deadline;	/* monotonic ms */
	int status;		/* wait status once reaped */
	unsigned major, minor;	/* the drive being mounted */
};

struct cd_usb_watch {
	struct udev *udev;
	struct udev_monitor *mon;
	int monfd;
	int mifd;		/* the mount table, for POLLPRI */
	int infd;		/* inotify */
	char *mountinfo;	/* NULL = /proc/self/mountinfo */
	int mount;
	int poll_ms;
	int nignore;
	char (*ignore)[64];	/* NULL = the built-in list */
	unsigned long long min_free;
	struct cd_usb_drive *drives;
	struct drive_priv *priv;
	int n, cap;
	struct child ch;
};

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------ processes */

/* Look name up in $PATH; 0 and the full path in out, or -1. */
static int
find_prog(const char *name, char *out, size_t outlen)
{
	const char *path = getenv("PATH"), *p, *end;
	int n;

	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *end ? end + 1 : end) {
		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		n = snprintf(out, outlen, "%.*s/%s", (int)(end - p),
		    end == p ? "." : p, name);
		if (n > 0 && (size_t)n < outlen && access(out, X_OK) == 0)
			return 0;
	}
	return -1;
}

/*
 * Start argv[0] (a full path) with stdin from /dev/null and stdout and
 * stderr into a pipe; no shell, default signal handling.  Returns 0 or an
 * errno value.
 */
static int
child_start(struct child *c, char *const argv[], int timeout_ms)
{
	static const int sigs[] = { SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	int pfd[2], e;
	size_t i;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) == -1)
		return errno;
	sigemptyset(&none);
	sigemptyset(&dfl);
	for (i = 0; i < CD_NELEM(sigs); i++)
		sigaddset(&dfl, sigs[i]);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if ((e = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
	    O_RDONLY, 0)) == 0 &&
	    (e = posix_spawn_file_actions_adddup2(&fa, pfd[1], 1)) == 0 &&
	    (e = posix_spawn_file_actions_adddup2(&fa, pfd[1], 2)) == 0 &&
	    (e = posix_spawnattr_setsigmask(&at, &none)) == 0 &&
	    (e = posix_spawnattr_setsigdefault(&at, &dfl)) == 0 &&
	    (e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF)) == 0)
		e = posix_spawn(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(pfd[1]);
	if (e != 0) {
		close(pfd[0]);
		return e;
	}
	fcntl(pfd[0], F_SETFL, fcntl(pfd[0], F_GETFL) | O_NONBLOCK);
	memset(c->out, 0, sizeof(c->out));
	c->pid = pid;
	c->fd = pfd[0];
	c->len = 0;
	c->status = -1;
	c->deadline = now_ms() + timeout_ms;
	return 0;
}

/* Read what the child wrote; at end of file close the pipe. */
static void
child_read(struct child *c)
{
	char buf[1024];
	ssize_t n;
	size_t room;

	while (c->fd != -1) {
		n = read(c->fd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(c->fd);
			c->fd = -1;
			return;
		}
		room = sizeof(c->out) - 1 - c->len;
		if ((size_t)n < room)
			room = (size_t)n;
		memcpy(c->out + c->len, buf, room);
		c->len += room;
	}
}

/*
 * Advance the child: read its output and reap it once it has closed it;
 * past the deadline kill it.  Returns 1 when it has ended (status set,
 * -1 when killed), 0 while it runs.
 */
static int
child_step(struct child *c)
{
	pid_t r;

	child_read(c);
	if (c->fd == -1) {
		while ((r = waitpid(c->pid, &c->status, WNOHANG)) == -1 &&
		    errno == EINTR)
			;
		if (r == c->pid || r == -1) {
			if (r == -1)
				c->status = -1;
			c->pid = 0;
			return 1;
		}
	}
	if (now_ms() < c->deadline)
		return 0;
	kill(c->pid, SIGKILL);
	while (waitpid(c->pid, NULL, 0) == -1 && errno == EINTR)
		;
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
	c->pid = 0;
	c->status = -1;
	return 1;
}

/* How long until child_step should be called again; -1 no child. */
static int
child_timeout(const struct child *c)
{
	int64_t left;

	if (c->pid == 0)
		return -1;
	left = c->deadline - now_ms();
	if (left < 0)
		left = 0;
	if (c->fd == -1 && left > REAP_RETRY_MS)
		left = REAP_RETRY_MS;
	return (int)left;
}

/*
 * The interesting part of udisksctl's output: the first non-empty line,
 * without the D-Bus error name ("GDBus.Error:org....: ").
 */
static void
child_summary(const struct child *c, char *out, size_t outlen)
{
	const char *p = c->out, *g, *colon;
	size_t n;

	while (*p == '\n' || *p == ' ')
		p++;
	n = strcspn(p, "\n");
	if (n == 0) {
		if (c->status == -1)
			snprintf(out, outlen, "udisksctl did not finish in "
			    "time");
		else if (WIFEXITED(c->status))
			snprintf(out, outlen, "udisksctl exited with status "
			    "%d", WEXITSTATUS(c->status));
		else
			snprintf(out, outlen, "udisksctl was killed");
		return;
	}
	g = strstr(p, "GDBus.Error:");
	if (g != NULL && g < p + n && (colon = strstr(g, ": ")) != NULL &&
	    colon < p + n) {
		snprintf(out, outlen, "%.*s%.*s", (int)(g - p), p,
		    (int)(p + n - colon - 2), colon + 2);
		return;
	}
	snprintf(out, outlen, "%.*s", (int)n, p);
}

static int
child_ok(const struct child *c)
{
	return c->status != -1 && WIFEXITED(c->status) &&
	    WEXITSTATUS(c->status) == 0;
}

/* Run "udisksctl VERB --no-user-interaction -b DEV" and wait for it. */
static int
udisks_run(const char *verb, const char *devnode, struct cd_err *err)
{
	char prog[1024], why[256], *argv[6];
	struct child c;
	struct pollfd pfd;
	int e, t;

	if (find_prog(UDISKSCTL, prog, sizeof(prog)) != 0)
		return cd_err_set(err, CD_E_USB, "cannot %s %s: udisksctl not "
		    "found", verb, devnode);
	argv[0] = prog;
	argv[1] = (char *)verb;
	argv[2] = (char *)"--no-user-interaction";
	argv[3] = (char *)"-b";
	argv[4] = (char *)devnode;
	argv[5] = NULL;
	memset(&c, 0, sizeof(c));
	if ((e = child_start(&c, argv, EJECT_TIMEOUT_MS)) != 0)
		return cd_err_set(err, CD_E_USB, "cannot start udisksctl: %s",
		    strerror(e));
	while (!child_step(&c)) {
		pfd.fd = c.fd;
		pfd.events = POLLIN;
		t = child_timeout(&c);
		poll(&pfd, c.fd == -1 ? 0 : 1, t);
	}
	if (child_ok(&c))
		return 0;
	child_summary(&c, why, sizeof(why));
	return cd_err_set(err, CD_E_USB, "cannot %s %s: %s", verb, devnode,
	    why);
}

/* ------------------------------------------------------------ udev */

static const char *
prop_own(struct udev_device *d, const char *name)
{
	const char *v = udev_device_get_property_value(d, name);

	return v != NULL && *v != '\0' ? v : NULL;
}

/* A property of the device, else of the disk it is a partition of. */
static const char *
prop_inherited(struct udev_device *d, const char *name)
{
	struct udev_device *disk;
	const char *v;

	if ((v = prop_own(d, name)) != NULL)
		return v;
	disk = udev_device_get_parent_with_subsystem_devtype(d, "block",
	    "disk");
	return disk != NULL ? prop_own(disk, name) : NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Copy the udev-encoded value enc ("My\x20Stick", spaces kept) if
 * present, else plain ("My_Stick"); control characters become '?'.
 */
static void
copy_enc(char *out, size_t outlen, const char *enc, const char *plain)
{
	size_t o = 0;
	int hi, lo;
	char c;

	if (enc == NULL) {
		cd_strlcpy(out, plain != NULL ? plain : "", outlen);
		return;
	}
	while (*enc != '\0' && o + 1 < outlen) {
		c = *enc++;
		if (c == '\\' && enc[0] == 'x' && (hi = hexval(enc[1])) >= 0 &&
		    (lo = hexval(enc[2])) >= 0) {
			c = (char)(hi << 4 | lo);
			enc += 3;
		}
		out[o++] = (unsigned char)c < 0x20 || c == 0x7f ? '?' : c;
	}
	out[o] = '\0';
	cd_trim(out);
	if (out[0] == '\0' && plain != NULL)
		cd_strlcpy(out, plain, outlen);
}

/*
 * A USB mass-storage filesystem: a partition with a filesystem on a USB
 * disk, or a USB disk with a filesystem and no partition table.
 */
static int
is_candidate(struct udev_device *d)
{
	const char *bus = prop_inherited(d, "ID_BUS");
	const char *fs = prop_own(d, "ID_FS_TYPE");
	const char *usage = prop_own(d, "ID_FS_USAGE");
	const char *type = udev_device_get_devtype(d);
	const char *sub = udev_device_get_subsystem(d);

	if (sub == NULL || strcmp(sub, "block") != 0 || type == NULL)
		return 0;
	if (bus == NULL || strcmp(bus, "usb") != 0 || fs == NULL)
		return 0;
	if (usage != NULL && strcmp(usage, "filesystem") != 0)
		return 0;
	if (strcmp(type, "partition") == 0)
		return 1;
	return strcmp(type, "disk") == 0 &&
	    prop_own(d, "ID_PART_TABLE_TYPE") == NULL;
}

static void
fill_identity(struct cd_usb_drive *dr, struct udev_device *d)
{
	dev_t dn = udev_device_get_devnum(d);
	const char *s;

	cd_strlcpy(dr->syspath, (s = udev_device_get_syspath(d)) ? s : "",
	    sizeof(dr->syspath));
	cd_strlcpy(dr->devnode, (s = udev_device_get_devnode(d)) ? s : "",
	    sizeof(dr->devnode));
	if (dn != 0) {
		dr->major = major(dn);
		dr->minor = minor(dn);
	}
	copy_enc(dr->vendor, sizeof(dr->vendor),
	    prop_inherited(d, "ID_VENDOR_ENC"), prop_inherited(d, "ID_VENDOR"));
	copy_enc(dr->model, sizeof(dr->model),
	    prop_inherited(d, "ID_MODEL_ENC"), prop_inherited(d, "ID_MODEL"));
	if ((s = prop_inherited(d, "ID_SERIAL_SHORT")) == NULL)
		s = prop_inherited(d, "ID_SERIAL");
	cd_strlcpy(dr->serial, s ? s : "", sizeof(dr->serial));
	copy_enc(dr->label, sizeof(dr->label), prop_own(d, "ID_FS_LABEL_ENC"),
	    prop_own(d, "ID_FS_LABEL"));
	cd_strlcpy(dr->uuid, (s = prop_own(d, "ID_FS_UUID")) ? s : "",
	    sizeof(dr->uuid));
	cd_strlcpy(dr->fstype, (s = prop_own(d, "ID_FS_TYPE")) ? s : "",
	    sizeof(dr->fstype));
}

static int
find_drive(struct cd_usb_watch *w, dev_t dn, const char *syspath)
{
	int i;

	for (i = 0; i < w->n; i++) {
		if (dn != 0 && makedev(w->drives[i].major,
		    w->drives[i].minor) == dn)
			return i;
		if (syspath != NULL && strcmp(w->drives[i].syspath,
		    syspath) == 0)
			return i;
	}
	return -1;
}

static void
unwatch(struct cd_usb_watch *w, struct drive_priv *p)
{
	if (p->wd >= 0)
		inotify_rm_watch(w->infd, p->wd);
	p->wd = -1;
}

static void
drop_drive(struct cd_usb_watch *w, int i)
{
	unwatch(w, &w->priv[i]);
	memmove(&w->drives[i], &w->drives[i + 1],
	    (size_t)(w->n - i - 1) * sizeof(w->drives[0]));
	memmove(&w->priv[i], &w->priv[i + 1],
	    (size_t)(w->n - i - 1) * sizeof(w->priv[0]));
	w->n--;
}

static int
add_drive(struct cd_usb_watch *w, struct udev_device *d)
{
	struct cd_usb_drive *nd;
	struct drive_priv *np;
	int cap;

	if (w->n == w->cap) {
		cap = w->cap ? w->cap * 2 : 4;
		if ((nd = reallocarray(w->drives, (size_t)cap,
		    sizeof(*nd))) == NULL)
			return CD_E_NOMEM;
		w->drives = nd;
		if ((np = reallocarray(w->priv, (size_t)cap,
		    sizeof(*np))) == NULL)
			return CD_E_NOMEM;
		w->priv = np;
		w->cap = cap;
	}
	nd = &w->drives[w->n];
	np = &w->priv[w->n];
	memset(nd, 0, sizeof(*nd));
	memset(np, 0, sizeof(*np));
	np->wd = -1;
	nd->entries = -1;
	nd->state = CD_USB_NOT_MOUNTED;
	cd_strlcpy(nd->reason, "inserted, not mounted", sizeof(nd->reason));
	fill_identity(nd, d);
	w->n++;
	return 1;
}

/* Apply one udev event (or an enumerated device as "add"). */
static int
on_device(struct cd_usb_watch *w, struct udev_device *d, const char *action)
{
	struct cd_usb_drive old;
	int i;

	i = find_drive(w, udev_device_get_devnum(d),
	    udev_device_get_syspath(d));
	if (strcmp(action, "remove") == 0 || !is_candidate(d)) {
		if (i < 0)
			return 0;
		drop_drive(w, i);
		return 1;
	}
	if (i < 0)
		return add_drive(w, d);
	old = w->drives[i];
	fill_identity(&w->drives[i], d);
	if (strcmp(old.uuid, w->drives[i].uuid) != 0) {
		/* Reformatted: a new filesystem deserves a mount attempt. */
		w->priv[i].mount_try = MT_NONE;
		w->priv[i].mount_err[0] = '\0';
	}
	return memcmp(&old, &w->drives[i], sizeof(old)) != 0;
}

static int
drain_monitor(struct cd_usb_watch *w, struct cd_err *err)
{
	struct udev_device *d;
	const char *action;
	int changed = 0, r;

	while ((d = udev_monitor_receive_device(w->mon)) != NULL) {
		action = udev_device_get_action(d);
		r = on_device(w, d, action != NULL ? action : "add");
		udev_device_unref(d);
		if (r < 0)
			return cd_err_set(err, r, NULL);
		changed |= r;
	}
	return changed;
}

static int
enumerate(struct cd_usb_watch *w, struct cd_err *err)
{
	struct udev_enumerate *e;
	struct udev_list_entry *le;
	struct udev_device *d;
	int r = 0;

	if ((e = udev_enumerate_new(w->udev)) == NULL ||
	    udev_enumerate_add_match_subsystem(e, "block") < 0 ||
	    udev_enumerate_scan_devices(e) < 0) {
		r = cd_err_set(err, CD_E_USB, "cannot list the block devices: "
		    "%s", strerror(errno));
		goto out;
	}
	udev_list_entry_foreach(le, udev_enumerate_get_list_entry(e)) {
		d = udev_device_new_from_syspath(w->udev,
		    udev_list_entry_get_name(le));
		if (d == NULL)
			continue;
		r = on_device(w, d, "add");
		udev_device_unref(d);
		if (r < 0) {
			cd_err_set(err, r, NULL);
			goto out;
		}
	}
	r = 0;
out:
	if (e != NULL)
		udev_enumerate_unref(e);
	return r;
}

/* ------------------------------------------------------------ state */

static void
drain_inotify(struct cd_usb_watch *w)
{
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	const struct inotify_event *ev;
	ssize_t n;
	char *p;
	int i;

	while ((n = read(w->infd, buf, sizeof(buf))) > 0) {
		for (p = buf; p < buf + n; p += sizeof(*ev) + ev->len) {
			ev = (const struct inotify_event *)(void *)p;
			if (!(ev->mask & IN_IGNORED))
				continue;
			/* Unmounted or gone: the watch no longer exists. */
			for (i = 0; i < w->n; i++)
				if (w->priv[i].wd == ev->wd)
					w->priv[i].wd = -1;
		}
	}
}

/* Collect the result of a finished udisksctl mount. */
static void
mount_finished(struct cd_usb_watch *w)
{
	char why[sizeof(w->priv[0].mount_err) - sizeof("mount failed: ") + 1];
	int i;

	i = find_drive(w, makedev(w->ch.major, w->ch.minor), NULL);
	if (i < 0 || w->priv[i].mount_try != MT_RUNNING)
		return;
	w->priv[i].mount_try = MT_DONE;
	if (child_ok(&w->ch))
		return;
	child_summary(&w->ch, why, sizeof(why));
	snprintf(w->priv[i].mount_err, sizeof(w->priv[i].mount_err),
	    "mount failed: %s", why);
}

static void
start_mount(struct cd_usb_watch *w, int i)
{
	struct cd_usb_drive *d = &w->drives[i];
	struct drive_priv *p = &w->priv[i];
	char prog[1024], *argv[6];
	int e;

	p->mount_try = MT_DONE;
	if (find_prog(UDISKSCTL, prog, sizeof(prog)) != 0) {
		cd_strlcpy(p->mount_err, "mount failed: udisksctl not found",
		    sizeof(p->mount_err));
		return;
	}
	if (d->devnode[0] == '\0') {
		cd_strlcpy(p->mount_err, "mount failed: no device node",
		    sizeof(p->mount_err));
		return;
	}
	argv[0] = prog;
	argv[1] = (char *)"mount";
	argv[2] = (char *)"--no-user-interaction";
	argv[3] = (char *)"-b";
	argv[4] = d->devnode;
	argv[5] = NULL;
	if ((e = child_start(&w->ch, argv, MOUNT_TIMEOUT_MS)) != 0) {
		snprintf(p->mount_err, sizeof(p->mount_err), "mount failed: "
		    "cannot start udisksctl: %s", strerror(e));
		return;
	}
	w->ch.major = d->major;
	w->ch.minor = d->minor;
	p->mount_try = MT_RUNNING;
}

static void
set_state(struct cd_usb_drive *d, int state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
set_state(struct cd_usb_drive *d, int state, const char *fmt, ...)
{
	va_list ap;

	d->state = state;
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

static void
eval_unmounted(struct cd_usb_watch *w, int i)
{
	struct cd_usb_drive *d = &w->drives[i];
	struct drive_priv *p = &w->priv[i];

	d->mountpoint[0] = '\0';
	d->entries = -1;
	unwatch(w, p);
	if (w->mount && p->mount_try == MT_NONE && w->ch.pid == 0)
		start_mount(w, i);
	if (p->mount_try == MT_RUNNING ||
	    (w->mount && p->mount_try == MT_NONE))
		set_state(d, CD_USB_MOUNTING, "mounting...");
	else if (p->mount_err[0] != '\0')
		set_state(d, CD_USB_NOT_MOUNTED, "%s", p->mount_err);
	else
		set_state(d, CD_USB_NOT_MOUNTED, "inserted, not mounted");
}

static void
eval_mounted(struct cd_usb_watch *w, int i, const struct cd_mount *m)
{
	struct cd_usb_drive *d = &w->drives[i];
	struct drive_priv *p = &w->priv[i];
	unsigned long long avail;
	struct statvfs sv;
	int n;

	if (p->wd < 0 || strcmp(d->mountpoint, m->mountpoint) != 0) {
		unwatch(w, p);
		p->wd = inotify_add_watch(w->infd, m->mountpoint,
		    INOTIFY_MASK);
	}
	cd_strlcpy(d->mountpoint, m->mountpoint, sizeof(d->mountpoint));
	d->entries = -1;
	if (cd_dir_count_entries(d->mountpoint, w->nignore,
	    (const char (*)[64])w->ignore, &n, NULL) == 0)
		d->entries = n;
	if (m->readonly)
		set_state(d, CD_USB_READ_ONLY, "read-only");
	else if (access(d->mountpoint, W_OK | X_OK) != 0)
		set_state(d, CD_USB_READ_ONLY, "not writable: %s",
		    strerror(errno));
	else if (d->entries < 0)
		set_state(d, CD_USB_READ_ONLY, "cannot list its files");
	else if (d->entries > 0)
		set_state(d, CD_USB_NOT_EMPTY, "not empty: %d entries",
		    d->entries);
	else if (statvfs(d->mountpoint, &sv) != 0)
		set_state(d, CD_USB_FULL, "free space unknown: %s",
		    strerror(errno));
	else if ((avail = (unsigned long long)sv.f_bavail * sv.f_frsize) <
	    w->min_free)
		set_state(d, CD_USB_FULL, "full: %llu KiB free",
		    avail / 1024);
	else
		set_state(d, CD_USB_READY, "ready");
}

/* Re-evaluate drive i; 1 if anything about it changed, < 0 on error. */
static int
evaluate(struct cd_usb_watch *w, int i, struct cd_err *err)
{
	struct cd_usb_drive old = w->drives[i];
	struct cd_mount m;
	int r;

	r = cd_mountinfo_find(w->mountinfo, w->drives[i].major,
	    w->drives[i].minor, &m, err);
	if (r < 0)
		return r;
	if (r == 0)
		eval_unmounted(w, i);
	else
		eval_mounted(w, i, &m);
	return memcmp(&old, &w->drives[i], sizeof(old)) != 0;
}

/* ------------------------------------------------------------ API */

static int
watch_open(struct cd_usb_watch *w, const struct cd_usb_opts *o,
    struct cd_err *err)
{
	const char *mi = o->mountinfo ? o->mountinfo : CD_MOUNTINFO_DEFAULT;

	if (o->mountinfo != NULL && (w->mountinfo = strdup(o->mountinfo)) ==
	    NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	if (o->ignore != NULL) {
		w->nignore = o->nignore > 0 ? o->nignore : 0;
		if ((w->ignore = calloc((size_t)w->nignore + 1,
		    sizeof(*w->ignore))) == NULL)
			return cd_err_set(err, CD_E_NOMEM, NULL);
		memcpy(w->ignore, o->ignore, (size_t)w->nignore *
		    sizeof(*w->ignore));
	}
	if ((w->mifd = open(mi, O_RDONLY | O_CLOEXEC)) == -1)
		return cd_err_set(err, CD_E_USB, "cannot read the mount table "
		    "%s: %s", mi, strerror(errno));
	if ((w->infd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1)
		return cd_err_set(err, CD_E_USB, "cannot watch folders: %s",
		    strerror(errno));
	if ((w->udev = udev_new()) == NULL)
		return cd_err_set(err, CD_E_USB, "cannot use udev: %s",
		    strerror(errno));
	if ((w->mon = udev_monitor_new_from_netlink(w->udev, "udev")) ==
	    NULL ||
	    udev_monitor_filter_add_match_subsystem_devtype(w->mon, "block",
	    NULL) < 0 || udev_monitor_enable_receiving(w->mon) < 0)
		return cd_err_set(err, CD_E_USB, "cannot watch udev for USB "
		    "drives: %s", strerror(errno));
	w->monfd = udev_monitor_get_fd(w->mon);
	return enumerate(w, err);
}

int
cd_usb_open(const struct cd_usb_opts *o, struct cd_usb_watch **out,
    struct cd_err *err)
{
	struct cd_usb_watch *w;
	int r;

	*out = NULL;
	if ((r = cd_dl_udev(err)) != 0)
		return r;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, NULL);
	w->monfd = w->mifd = w->infd = w->ch.fd = -1;
	w->mount = o->mount;
	w->poll_ms = (o->poll_seconds > 0 ? o->poll_seconds :
	    DEFAULT_POLL_S) * 1000;
	w->min_free = o->min_free > 0 ? o->min_free : DEFAULT_MIN_FREE;
	if ((r = watch_open(w, o, err)) != 0 ||
	    (r = cd_usb_process(w, err)) < 0) {
		cd_usb_close(w);
		return r;
	}
	*out = w;
	return 0;
}

int
cd_usb_pollfds(struct cd_usb_watch *w, struct pollfd *fds, int max,
    int *timeout_ms)
{
	int n = 0, t = -1, ct;

	if (n < max && w->monfd >= 0)
		fds[n++] = (struct pollfd){ .fd = w->monfd, .events = POLLIN };
	if (n < max && w->mifd >= 0)
		fds[n++] = (struct pollfd){ .fd = w->mifd, .events = POLLPRI };
	if (n < max && w->infd >= 0)
		fds[n++] = (struct pollfd){ .fd = w->infd, .events = POLLIN };
	if (n < max && w->ch.pid != 0 && w->ch.fd >= 0)
		fds[n++] = (struct pollfd){ .fd = w->ch.fd, .events = POLLIN };
	/* The mount table of a file (tests) and some changes (free space,
	 * a file system without inotify) give no event: poll as well. */
	if (w->n > 0)
		t = w->poll_ms;
	if ((ct = child_timeout(&w->ch)) >= 0 && (t < 0 || ct < t))
		t = ct;
	if (timeout_ms != NULL)
		*timeout_ms = t;
	return n;
}

int
cd_usb_process(struct cd_usb_watch *w, struct cd_err *err)
{
	int changed, r, i;

	if ((changed = drain_monitor(w, err)) < 0)
		return changed;
	drain_inotify(w);
	if (w->ch.pid != 0 && child_step(&w->ch))
		mount_finished(w);
	for (i = 0; i < w->n; i++) {
		if ((r = evaluate(w, i, err)) < 0)
			return r;
		changed |= r;
	}
	return changed;
}

int
cd_usb_drives(struct cd_usb_watch *w, const struct cd_usb_drive **list)
{
	*list = w->drives;
	return w->n;
}

const struct cd_usb_drive *
cd_usb_ready(struct cd_usb_watch *w)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (w->drives[i].state == CD_USB_READY)
			return &w->drives[i];
	return NULL;
}

/* "SanDisk Cruzer (label)" for messages. */
static void
drive_name(const struct cd_usb_drive *d, char *out, size_t len)
{
	const char *what = d->label[0] ? d->label : d->devnode;

	snprintf(out, len, "%s%s%s", d->vendor, d->vendor[0] ? " " : "",
	    d->model[0] ? d->model : what);
	if (d->model[0] && d->label[0])
		snprintf(out + strlen(out), len - strlen(out), " \"%s\"",
		    d->label);
}

static int
wait_timeout(struct cd_usb_watch *w, int timeout_ms, struct cd_err *err)
{
	char name[256];

	if (w->n == 0)
		return cd_err_set(err, CD_E_TIMEOUT, "no USB drive was "
		    "inserted within %d seconds", (timeout_ms + 999) / 1000);
	drive_name(&w->drives[0], name, sizeof(name));
	return cd_err_set(err, CD_E_TIMEOUT, "no USB drive was ready within "
	    "%d seconds (%s: %s)", (timeout_ms + 999) / 1000, name,
	    w->drives[0].reason);
}

int
cd_usb_wait(struct cd_usb_watch *w, int timeout_ms, cd_usb_change_fn cb,
    void *arg, const struct cd_usb_drive **out, struct cd_err *err)
{
	struct pollfd fds[8];
	int64_t end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms, left;
	const struct cd_usb_drive *d;
	int n, t, r, notify = 1;

	if (out != NULL)
		*out = NULL;
	if ((r = cd_usb_process(w, err)) < 0)
		return r;
	for (;;) {
		if (notify && cb != NULL && cb(arg, w->drives, w->n) != 0)
			return cd_err_set(err, CD_E_CANCELLED, "waiting for "
			    "a USB drive was cancelled");
		if ((d = cd_usb_ready(w)) != NULL) {
			if (out != NULL)
				*out = d;
			return 0;
		}
		left = end < 0 ? -1 : end - now_ms();
		if (end >= 0 && left <= 0)
			return wait_timeout(w, timeout_ms, err);
		n = cd_usb_pollfds(w, fds, (int)CD_NELEM(fds), &t);
		if (left >= 0 && (t < 0 || left < t))
			t = (int)left;
		if (poll(fds, (nfds_t)n, t) == -1) {
			if (errno != EINTR)
				return cd_err_set(err, CD_E_USB, "cannot wait "
				    "for USB drives: %s", strerror(errno));
			/* Let the caller look at its signal flag. */
			notify = 1;
			continue;
		}
		if ((r = cd_usb_process(w, err)) < 0)
			return r;
		notify = r > 0;
	}
}

int
cd_usb_still_present(struct cd_usb_watch *w, const struct cd_usb_drive *d)
{
	struct udev_device *u;
	struct cd_mount m;
	dev_t dn;

	if (d == NULL || d->mountpoint[0] == '\0')
		return 0;
	if ((u = udev_device_new_from_syspath(w->udev, d->syspath)) == NULL)
		return 0;
	dn = udev_device_get_devnum(u);
	udev_device_unref(u);
	if (dn != 0 && dn != makedev(d->major, d->minor))
		return 0;
	if (cd_mountinfo_find(w->mountinfo, d->major, d->minor, &m,
	    NULL) != 1)
		return 0;
	return strcmp(m.mountpoint, d->mountpoint) == 0;
}

int
cd_usb_finish(struct cd_usb_watch *w, const struct cd_usb_drive *d,
    int eject, struct cd_err *err)
{
	char name[256];
	int fd, r;

	drive_name(d, name, sizeof(name));
	if (d->mountpoint[0] == '\0')
		return cd_err_set(err, CD_E_USB, "the USB drive %s is not "
		    "mounted", name);
	if ((fd = open(d->mountpoint, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return cd_err_set(err, CD_E_USB, "cannot open the USB drive %s "
		    "at %s: %s", name, d->mountpoint, strerror(errno));
	r = syncfs(fd);
	close(fd);
	if (r == -1)
		return cd_err_set(err, CD_E_USB, "cannot flush the USB drive "
		    "%s: %s", name, strerror(errno));
	if (!eject)
		return 0;
	if ((r = udisks_run("unmount", d->devnode, err)) != 0)
		return cd_err_context(err, r, "the files are saved and "
		    "flushed, but the USB drive %s was not ejected", name);
	if ((r = udisks_run("power-off", d->devnode, err)) != 0)
		return cd_err_context(err, r, "the USB drive %s is unmounted "
		    "and safe to remove, but was not powered off", name);
	return 0;
}

void
cd_usb_close(struct cd_usb_watch *w)
{
	if (w == NULL)
		return;
	if (w->ch.pid != 0) {
		kill(w->ch.pid, SIGKILL);
		while (waitpid(w->ch.pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	if (w->ch.fd >= 0)
		close(w->ch.fd);
	if (w->mon != NULL)
		udev_monitor_unref(w->mon);
	if (w->udev != NULL)
		udev_unref(w->udev);
	if (w->infd >= 0)
		close(w->infd);
	if (w->mifd >= 0)
		close(w->mifd);
	free(w->drives);
	free(w->priv);
	free(w->ignore);
	free(w->mountinfo);
	free(w);
}
