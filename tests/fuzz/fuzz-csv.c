/* SPDX-License-Identifier: ISC */
/*
 * fuzz-csv.c - fuzz the CSV import of people (person.c), all or nothing.
 *
 * Once per process: a configuration, a fresh SQLite store and CA in a
 * private temporary folder (cd_init, as the invoking user, who becomes
 * the administrator), and a pristine copy of the database.  Per input:
 * the input is the CSV file; the import must either add every person it
 * reports (and report no bad row), or fail and leave the store exactly as
 * it was.  After an import that added people the pristine database is put
 * back, so every input meets a fresh store.  A broken promise is an
 * abort().
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certdesk/engine.h"
#include "util.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[256], conf[300], csv[300], db[300], pristine[300];
static struct cd_engine *eng;
static int64_t base;		/* people in the pristine store */

static int
copy_file(const char *from, const char *to)
{
	unsigned char *data = NULL;
	size_t len;
	struct cd_err err;
	int r;

	if (cd_read_file(from, 256 << 20, &data, &len, &err) != 0)
		return -1;
	r = fuzz_write_file(to, data, len);
	free(data);
	return r;
}

static int
open_engine(void)
{
	struct cd_open_opts o;
	struct cd_err err;

	memset(&o, 0, sizeof(o));
	o.conf_path = conf;
	o.no_sweep = 1;
	if (cd_engine_open(&o, &eng, &err) != 0) {
		fprintf(stderr, "fuzz-csv: open: %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void
cleanup(void)
{
	char cmd[400];

	cd_engine_close(eng);
	eng = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-csv: cannot remove %s\n", dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char text[] = "[general]\ndatadir = data\n"
	    "[security]\npfx_iterations = 1000\n"
	    "[policy.sig]\nkey = ec-p256\nkey_usage = digitalSignature\n"
	    "storage = FileStore\n[profile.p]\npolicies = sig\n";
	const char *tmp = getenv("TMPDIR");
	struct cd_init_opts io;
	struct cd_err err;

	snprintf(dir, sizeof(dir), "%s/fuzz-csv.XXXXXX", tmp ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(conf, sizeof(conf), "%s/certdesk.conf", dir);
	snprintf(csv, sizeof(csv), "%s/people.csv", dir);
	snprintf(db, sizeof(db), "%s/data/certdesk.db", dir);
	snprintf(pristine, sizeof(pristine), "%s/pristine.db", dir);
	if (fuzz_write_file(conf, text, sizeof(text) - 1) != 0)
		abort();
	memset(&io, 0, sizeof(io));
	io.conf_path = conf;
	if (cd_init(&io, &err) != 0) {
		fprintf(stderr, "fuzz-csv: init: %s\n", err.msg);
		abort();
	}
	if (copy_file(db, pristine) != 0 || open_engine() != 0)
		abort();
	atexit(cleanup);
	return 0;
}

static int
count_one(const struct cd_person *p, void *arg)
{
	(*(int64_t *)arg)++;
	return 0;
}

static int64_t
count_people(void)
{
	struct cd_person_filter f;
	struct cd_err err;
	int64_t n = 0;

	memset(&f, 0, sizeof(f));
	if (cd_person_list(eng, &f, count_one, &n, &err) != 0)
		abort();
	return n;
}

/* Put the pristine database back under a reopened engine. */
static void
reset_store(void)
{
	char side[320];

	cd_engine_close(eng);
	eng = NULL;
	snprintf(side, sizeof(side), "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", db);
	unlink(side);
	if (copy_file(pristine, db) != 0 || open_engine() != 0)
		abort();
	if (count_people() != base)
		abort();		/* the store did not come back fresh */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cd_import_result res;
	struct cd_err err;
	int64_t before, after;
	int r;

	if (eng == NULL || fuzz_write_file(csv, data, size) != 0)
		return 0;
	before = count_people();
	if (base == 0)
		base = before;		/* the first input meets the pristine store */
	if (before != base)
		abort();
	r = cd_person_import_csv(eng, csv, &res, &err);
	after = count_people();
	if (r == 0) {
		if (res.bad_rows != 0 || after - before != res.added)
			abort();	/* some rows, or not what it said */
	} else if (after != before || res.added != 0) {
		abort();		/* a failed import left people behind */
	}
	if (memchr(res.report, '\0', sizeof(res.report)) == NULL)
		abort();
	if (after != before)
		reset_store();
	return 0;
}
