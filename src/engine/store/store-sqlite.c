/* SPDX-License-Identifier: ISC */
/*
 * store-sqlite.c - the SQLite store backend: one database file,
 * DATADIR/certdesk.db, in WAL mode, shared by every certdesk process.
 *
 * Records are mapped to tables through column tables (struct col), so a
 * struct field and its column are named once and every field round-trips
 * the same way on insert, update and read.  Every value reaches SQL as a
 * bound parameter; only constant table and column names are pasted into
 * statement text.  Reference columns (person, request, device ids) hold
 * NULL for 0 so that foreign keys can be enforced.
 *
 * The schema is versioned with PRAGMA user_version and moved forward by
 * the migrations[] steps, each applied once, in order, in one
 * transaction.  A store newer than this code is refused.
 *
 * Environment: CERTDESK_BUSY_TIMEOUT_MS overrides how long an operation
 * waits for another process's write lock (default 10000 ms); the tests
 * use it to make lock conflicts quick.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "store.h"
#include "util.h"
#include "store-cols.h"

#define DB_NAME "certdesk.db"
#define BUSY_TIMEOUT_MS 10000
#define LOCKED_TEXT "the store is locked by another certdesk process"

/*
 * Prepared statements are kept, by their SQL text, for the connection's
 * life: a collection runs the same few dozen statements every time, and
 * preparing them again was about 7% of the engine's time.  A kept
 * statement in use (a query still stepping when the same SQL runs again)
 * is not shared: the second one is prepared apart and finalized.
 */
#define STMT_CACHE 64

struct kept_stmt {
	char *sql;
	sqlite3_stmt *st;
	int busy;
};

struct cd_store {
	sqlite3 *db;
	char path[PATH_MAX];
	int64_t instance_id;		/* instance_register */
	int busy_ms;			/* give up waiting for a lock */
	struct timespec busy_since;
	int nkept;
	struct kept_stmt kept[STMT_CACHE];
};

/* ------------------------------------------------------------ schema */

static const char *const migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE people ("
	" id INTEGER PRIMARY KEY,"
	" logon TEXT NOT NULL UNIQUE,"
	" full_name TEXT NOT NULL DEFAULT '',"
	" email TEXT NOT NULL DEFAULT '',"
	" employee_id TEXT NOT NULL DEFAULT '',"
	" group_name TEXT NOT NULL DEFAULT '',"
	" upn TEXT NOT NULL DEFAULT '',"
	" status INTEGER NOT NULL DEFAULT 0,"
	" roles INTEGER NOT NULL DEFAULT 0,"
	" created_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX people_name ON people(full_name, logon);"
	/* lower-cased words of the full name and logon, for name search */
	"CREATE TABLE person_words ("
	" word TEXT NOT NULL,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" PRIMARY KEY (word, person_id)) WITHOUT ROWID;"
	"CREATE INDEX person_words_person ON person_words(person_id);"
	"CREATE TABLE devices ("
	" id INTEGER PRIMARY KEY,"
	" type TEXT NOT NULL DEFAULT '',"
	" serial TEXT NOT NULL DEFAULT '',"
	" owner_id INTEGER REFERENCES people(id),"
	" parent_id INTEGER REFERENCES devices(id),"
	" status TEXT NOT NULL DEFAULT '',"
	" detail TEXT NOT NULL DEFAULT '',"
	" created_at INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX devices_owner ON devices(owner_id);"
	"CREATE INDEX devices_serial ON devices(serial);"
	"CREATE TABLE requests ("
	" id INTEGER PRIMARY KEY,"
	" type INTEGER NOT NULL DEFAULT 0,"
	" status INTEGER NOT NULL DEFAULT 0,"
	" person_id INTEGER NOT NULL REFERENCES people(id),"
	" device_id INTEGER REFERENCES devices(id),"
	" profile TEXT NOT NULL DEFAULT '',"
	" created_by TEXT NOT NULL DEFAULT '',"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" approved_by TEXT NOT NULL DEFAULT '',"
	" approved_at INTEGER NOT NULL DEFAULT 0,"
	" validated_by TEXT NOT NULL DEFAULT '',"
	" validated_at INTEGER NOT NULL DEFAULT 0,"
	" collected_by TEXT NOT NULL DEFAULT '',"
	" collected_at INTEGER NOT NULL DEFAULT 0,"
	" cancelled_by TEXT NOT NULL DEFAULT '',"
	" cancelled_at INTEGER NOT NULL DEFAULT 0,"
	" updated_at INTEGER NOT NULL DEFAULT 0,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX requests_created ON requests(created_at, id);"
	"CREATE INDEX requests_status ON requests(status, type, created_at);"
	/* for a status without a type: rows come out newest first, no sort */
	"CREATE INDEX requests_status_created ON requests(status, created_at);"
	"CREATE INDEX requests_person ON requests(person_id, created_at);"
	"CREATE INDEX requests_device ON requests(device_id);"
	"CREATE INDEX requests_profile ON requests(profile, created_at);"
	"CREATE TABLE attempts ("
	" id INTEGER PRIMARY KEY,"
	" request_id INTEGER NOT NULL REFERENCES requests(id),"
	" operator TEXT NOT NULL DEFAULT '',"
	" pid INTEGER NOT NULL DEFAULT 0,"
	" host TEXT NOT NULL DEFAULT '',"
	" started_at INTEGER NOT NULL DEFAULT 0,"
	" heartbeat_at INTEGER NOT NULL DEFAULT 0,"
	" ended_at INTEGER NOT NULL DEFAULT 0,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX attempts_request ON attempts(request_id, state);"
	"CREATE INDEX attempts_state ON attempts(state, heartbeat_at);"
	/* the UNIQUE index on (serial, issuer) also serves serial lookups */
	"CREATE TABLE certs ("
	" id INTEGER PRIMARY KEY,"
	" serial TEXT NOT NULL,"
	" issuer TEXT NOT NULL DEFAULT '',"
	" subject TEXT NOT NULL DEFAULT '',"
	" request_id INTEGER REFERENCES requests(id),"
	" person_id INTEGER REFERENCES people(id),"
	" attempt_id INTEGER REFERENCES attempts(id),"
	" device_id INTEGER REFERENCES devices(id),"
	" policy TEXT NOT NULL DEFAULT '',"
	" status INTEGER NOT NULL DEFAULT 0,"
	" not_before INTEGER NOT NULL DEFAULT 0,"
	" not_after INTEGER NOT NULL DEFAULT 0,"
	" revoke_after INTEGER NOT NULL DEFAULT 0,"
	" revoke_reason TEXT NOT NULL DEFAULT '',"
	" revoked_at INTEGER NOT NULL DEFAULT 0,"
	" location TEXT NOT NULL DEFAULT '',"
	" created_at INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE (serial, issuer));"
	"CREATE INDEX certs_request ON certs(request_id);"
	"CREATE INDEX certs_status ON certs(status, revoke_after);"
	"CREATE INDEX certs_attempt ON certs(attempt_id);"
	"CREATE INDEX certs_person ON certs(person_id);"
	"CREATE INDEX certs_device ON certs(device_id);"
	"CREATE TABLE audit ("
	" id INTEGER PRIMARY KEY,"
	" at INTEGER NOT NULL,"
	" operator TEXT NOT NULL DEFAULT '',"
	" action TEXT NOT NULL DEFAULT '',"
	" object TEXT NOT NULL DEFAULT '',"
	" outcome TEXT NOT NULL DEFAULT '',"
	" detail TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX audit_at ON audit(at);"
	"CREATE INDEX audit_object ON audit(object);"
	/* the audit trail is append-only, whoever writes to the file */
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN"
	" SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
	/*
	 * 2: name searches find request ids from indexes alone: a status
	 * with the matching people, or the person of each request walked.
	 */
	"CREATE INDEX requests_person_status ON requests(person_id, status,"
	" created_at);"
	"DROP INDEX requests_status_created;"
	"CREATE INDEX requests_status_created ON requests(status, created_at,"
	" person_id);"
	"DROP INDEX requests_created;"
	"CREATE INDEX requests_created ON requests(created_at, id, person_id);",
	/*
	 * 3: the atomic claim and the journal as rows.  A request records
	 * the attempt that holds it (claim, commit and release are
	 * compare-and-set on it); the files an attempt writes are rows, not
	 * text in the attempt's detail.  A request being collected gets its
	 * in-progress attempt as holder, and that attempt's journal text
	 * ("F<TAB>sha256<TAB>path" lines) becomes rows.
	 */
	"ALTER TABLE requests ADD COLUMN attempt_id INTEGER;"
	"UPDATE requests SET attempt_id = (SELECT max(a.id) FROM attempts a"
	" WHERE a.request_id = requests.id AND a.state = 0)"
	" WHERE status = 3;"
	"CREATE TABLE journal ("
	" id INTEGER PRIMARY KEY,"
	" attempt_id INTEGER NOT NULL REFERENCES attempts(id),"
	" host TEXT NOT NULL DEFAULT '',"
	" path TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0,"
	" at INTEGER NOT NULL DEFAULT 0,"
	" note TEXT NOT NULL DEFAULT '');"
	"CREATE INDEX journal_attempt ON journal(attempt_id, state);"
	"CREATE INDEX journal_state ON journal(state, attempt_id);"
	"INSERT INTO journal (attempt_id, host, at, sha256, path)"
	" WITH RECURSIVE split(aid, host, at, line, rest) AS ("
	"  SELECT id, host, heartbeat_at, '', detail || char(10) FROM attempts"
	"  WHERE state = 0 AND detail LIKE 'F' || char(9) || '%'"
	"  UNION ALL SELECT aid, host, at,"
	"  substr(rest, 1, instr(rest, char(10)) - 1),"
	"  substr(rest, instr(rest, char(10)) + 1) FROM split WHERE rest <> '')"
	" SELECT aid, host, at, substr(line, 3, 64), substr(line, 68)"
	" FROM split WHERE line LIKE 'F' || char(9) || '%';"
	"UPDATE attempts SET detail = '' WHERE state = 0;",
	/*
	 * 4: server instances (rows with a heartbeat); an attempt records
	 * the instance that holds it.
	 */
	"CREATE TABLE instances ("
	" id INTEGER PRIMARY KEY,"
	" host TEXT NOT NULL DEFAULT '',"
	" pid INTEGER NOT NULL DEFAULT 0,"
	" started_at INTEGER NOT NULL DEFAULT 0,"
	" heartbeat_at INTEGER NOT NULL DEFAULT 0);"
	"ALTER TABLE attempts ADD COLUMN instance_id INTEGER;"
	"CREATE INDEX attempts_instance ON attempts(instance_id);",
	/*
	 * 5: journal rows of print jobs (kind 1) beside files (kind 0): a
	 * PIN mailer's job is recorded before its document is sent, and a
	 * commit keeps only files, so a job stays pending until purged.
	 */
	"ALTER TABLE journal ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;"
};
#define SCHEMA_VERSION ((int)CD_NELEM(migrations))

static void
col_bind(sqlite3_stmt *st, int i, const struct col *c, const void *rec)
{
	const char *p = (const char *)rec + c->off;
	int64_t v;

	switch (c->kind) {
	case K_TEXT:
		sqlite3_bind_text(st, i, p, (int)strnlen(p, c->size),
		    SQLITE_TRANSIENT);
		break;
	case K_INT:
		sqlite3_bind_int(st, i, *(const int *)(const void *)p);
		break;
	case K_UINT:
		sqlite3_bind_int64(st, i, *(const unsigned *)(const void *)p);
		break;
	case K_I64:
	case K_REF:
		v = *(const int64_t *)(const void *)p;
		if (c->kind == K_REF && v == 0)
			sqlite3_bind_null(st, i);
		else
			sqlite3_bind_int64(st, i, v);
		break;
	}
}

static void
col_read(sqlite3_stmt *st, int i, const struct col *c, void *rec)
{
	char *p = (char *)rec + c->off;
	const unsigned char *t;

	switch (c->kind) {
	case K_TEXT:
		t = sqlite3_column_text(st, i);
		cd_strlcpy(p, t != NULL ? (const char *)t : "", c->size);
		break;
	case K_INT:
		*(int *)(void *)p = sqlite3_column_int(st, i);
		break;
	case K_UINT:
		*(unsigned *)(void *)p = (unsigned)sqlite3_column_int64(st, i);
		break;
	case K_I64:
	case K_REF:
		*(int64_t *)(void *)p = sqlite3_column_int64(st, i);
		break;
	}
}

/* Read t's columns from result columns first.. into rec. */
static void
row_read(sqlite3_stmt *st, int first, const struct table *t, void *rec)
{
	int i;

	for (i = 0; i < t->ncols; i++)
		col_read(st, first + i, &t->cols[i], rec);
}

static int64_t
rec_id(const struct table *t, const void *rec)
{
	return *(const int64_t *)(const void *)((const char *)rec +
	    t->cols[0].off);
}

static void
rec_set_id(const struct table *t, void *rec, int64_t id)
{
	*(int64_t *)(void *)((char *)rec + t->cols[0].off) = id;
}

/* ------------------------------------------------------------ errors */

/* Turn the connection's last error into a CD_E_* code and message. */
static int
sq_fail(struct cd_store *s, struct cd_err *err, const char *what)
{
	int ext = sqlite3_extended_errcode(s->db);

	switch (ext & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return cd_err_set(err, CD_E_BUSY, "%s (while %s); try again",
		    LOCKED_TEXT, what);
	case SQLITE_NOMEM:
		return cd_err_set(err, CD_E_NOMEM, "out of memory while %s",
		    what);
	}
	switch (ext) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return cd_err_set(err, CD_E_EXISTS, "%s: the record already "
		    "exists", what);
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_NOTNULL:
		return cd_err_set(err, CD_E_NOTFOUND, "%s: it refers to a "
		    "person, request, device or attempt that does not exist",
		    what);
	}
	return cd_err_set(err, CD_E_STORE, "store %s: %s while %s", s->path,
	    sqlite3_errmsg(s->db), what);
}

static int
sq_prepare(struct cd_store *s, const char *sql, sqlite3_stmt **st,
    const char *what, struct cd_err *err)
{
	struct kept_stmt *k;
	int i;

	for (i = 0; i < s->nkept; i++) {
		k = &s->kept[i];
		if (!k->busy && strcmp(k->sql, sql) == 0) {
			k->busy = 1;
			*st = k->st;
			return 0;
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK) {
		*st = NULL;
		return sq_fail(s, err, what);
	}
	if (s->nkept == STMT_CACHE)
		return 0;
	k = &s->kept[s->nkept];
	if ((k->sql = strdup(sql)) != NULL) {
		k->st = *st;
		k->busy = 1;
		s->nkept++;
	}
	return 0;
}

/* Done with st: a kept statement is reset for its next use. */
static void
sq_release(struct cd_store *s, sqlite3_stmt *st)
{
	int i;

	if (st == NULL)
		return;
	for (i = 0; i < s->nkept; i++) {
		if (s->kept[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			s->kept[i].busy = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

static void
sq_forget_all(struct cd_store *s)
{
	while (s->nkept > 0) {
		s->nkept--;
		sqlite3_finalize(s->kept[s->nkept].st);
		free(s->kept[s->nkept].sql);
	}
}

/* One statement (kept), or a script of several (sqlite3_exec). */
static int
sq_exec(struct cd_store *s, const char *sql, const char *what,
    struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if (strchr(sql, ';') != NULL) {
		if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
			return sq_fail(s, err, what);
		return 0;
	}
	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	r = sqlite3_step(st);
	while (r == SQLITE_ROW)		/* a PRAGMA that answers */
		r = sqlite3_step(st);
	r = r == SQLITE_DONE ? 0 : sq_fail(s, err, what);
	sq_release(s, st);
	return r;
}

/* Step a statement that returns no rows. */
static int
sq_done(struct cd_store *s, sqlite3_stmt *st, const char *what,
    struct cd_err *err)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		return sq_fail(s, err, what);
	return 0;
}

/* A statement's single integer result. */
static int
sq_int64(struct cd_store *s, const char *sql, int64_t *out,
    const char *what, struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	if (sqlite3_step(st) != SQLITE_ROW)
		r = sq_fail(s, err, what);
	else
		*out = sqlite3_column_int64(st, 0);
	sq_release(s, st);
	return r;
}

/* ------------------------------------------------------------ writes */

/*
 * A write of several statements is atomic on its own: it runs in its
 * own transaction, or in a savepoint inside the caller's transaction.
 */
static int
wbegin(struct cd_store *s, int *nested, struct cd_err *err)
{
	*nested = !sqlite3_get_autocommit(s->db);
	return sq_exec(s, *nested ? "SAVEPOINT cd_write" : "BEGIN IMMEDIATE",
	    "starting a write", err);
}

static int
wend(struct cd_store *s, int nested, int r, struct cd_err *err)
{
	if (r == 0 && (r = sq_exec(s, nested ? "RELEASE cd_write" : "COMMIT",
	    "committing a write", err)) == 0)
		return 0;
	if (nested) {
		sqlite3_exec(s->db, "ROLLBACK TO cd_write", NULL, NULL, NULL);
		sqlite3_exec(s->db, "RELEASE cd_write", NULL, NULL, NULL);
	} else if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/* Insert rec (all columns but the id) and set its id. */
static int
rec_insert(struct cd_store *s, const struct table *t, void *rec,
    const char *what, struct cd_err *err)
{
	char sql[2048], vals[256];
	sqlite3_stmt *st = NULL;
	size_t n, m;
	int i, r;

	n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s (", t->name);
	m = 0;
	for (i = 1; i < t->ncols; i++) {
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s",
		    i > 1 ? ", " : "", t->cols[i].name);
		m += (size_t)snprintf(vals + m, sizeof(vals) - m, "%s?",
		    i > 1 ? ", " : "");
	}
	snprintf(sql + n, sizeof(sql) - n, ") VALUES (%s)", vals);
	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	for (i = 1; i < t->ncols; i++)
		col_bind(st, i, &t->cols[i], rec);
	if ((r = sq_done(s, st, what, err)) == 0)
		rec_set_id(t, rec, sqlite3_last_insert_rowid(s->db));
	sq_release(s, st);
	return r;
}

/*
 * Overwrite every column of the row with rec's id, where the constant
 * condition cond (NULL = none) holds; CD_E_NOTFOUND when no row changed.
 */
static int
rec_update_if(struct cd_store *s, const struct table *t, const void *rec,
    const char *cond, const char *what, struct cd_err *err)
{
	char sql[2048];
	sqlite3_stmt *st = NULL;
	int64_t id = rec_id(t, rec);
	size_t n;
	int i, r;

	n = (size_t)snprintf(sql, sizeof(sql), "UPDATE %s SET ", t->name);
	for (i = 1; i < t->ncols; i++)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s%s = ?",
		    i > 1 ? ", " : "", t->cols[i].name);
	snprintf(sql + n, sizeof(sql) - n, " WHERE id = ?%s%s",
	    cond ? " AND " : "", cond ? cond : "");
	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	for (i = 1; i < t->ncols; i++)
		col_bind(st, i, &t->cols[i], rec);
	sqlite3_bind_int64(st, t->ncols, id);
	if ((r = sq_done(s, st, what, err)) == 0 &&
	    sqlite3_changes(s->db) == 0)
		r = cd_err_set(err, CD_E_NOTFOUND, "no %s with id %lld",
		    t->noun, (long long)id);
	sq_release(s, st);
	return r;
}

static int
rec_update(struct cd_store *s, const struct table *t, const void *rec,
    const char *what, struct cd_err *err)
{
	return rec_update_if(s, t, rec, NULL, what, err);
}

/* ------------------------------------------------------------ queries */

enum qval_kind { V_I64, V_TEXT, V_ABOVE_ALL };

#define QB_SQLMAX 16384
#define QB_VALMAX 320

/* A SELECT built from constant fragments, with its bound values. */
struct qb {
	char sql[QB_SQLMAX];
	size_t len;
	int overflow;
	struct {
		enum qval_kind kind;
		int64_t i;
		const char *t;
	} v[QB_VALMAX];
	int nv;
	char arena[4 * CD_FIELD_MAX];	/* search words and their bounds */
	size_t alen;
};

static void
qb_add(struct qb *q, const char *frag)
{
	size_t n = strlen(frag);

	if (q->len + n >= sizeof(q->sql)) {
		q->overflow = 1;
		return;
	}
	memcpy(q->sql + q->len, frag, n + 1);
	q->len += n;
}

/* Append "alias.c1, alias.c2, ..." for every column of t. */
static void
qb_cols(struct qb *q, const struct table *t, const char *alias)
{
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			qb_add(q, ", ");
		qb_add(q, alias);
		qb_add(q, ".");
		qb_add(q, t->cols[i].name);
	}
}

static void
qb_val(struct qb *q, const char *frag, enum qval_kind kind, int64_t i,
    const char *t)
{
	if (q->nv >= QB_VALMAX) {
		q->overflow = 1;
		return;
	}
	qb_add(q, frag);
	q->v[q->nv].kind = kind;
	q->v[q->nv].i = i;
	q->v[q->nv].t = t;
	q->nv++;
}

static void
qb_i64(struct qb *q, const char *frag, int64_t v)
{
	qb_val(q, frag, V_I64, v, NULL);
}

static void
qb_text(struct qb *q, const char *frag, const char *t)
{
	qb_val(q, frag, V_TEXT, 0, t);
}

/* Copy n bytes of s into the arena; NULL when full. */
static char *
qb_keep(struct qb *q, const char *s, size_t n)
{
	char *p;

	if (q->alen + n + 1 > sizeof(q->arena)) {
		q->overflow = 1;
		return NULL;
	}
	p = q->arena + q->alen;
	memcpy(p, s, n);
	p[n] = '\0';
	q->alen += n + 1;
	return p;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static void
ascii_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/*
 * One search word as a range of person_words.word: word >= lo AND
 * word < hi, where hi is lo with its last byte below 0xff incremented
 * (byte order is the BINARY collation's).  A word of only 0xff bytes has
 * no such bound; a BLOB sorts after every TEXT value, so it serves.
 */
static void
qb_word(struct qb *q, const char *w, size_t n, int first)
{
	char *lo, *hi;

	if ((lo = qb_keep(q, w, n)) == NULL || (hi = qb_keep(q, w, n)) == NULL)
		return;
	ascii_lower(lo);
	ascii_lower(hi);
	while (n > 0 && (unsigned char)hi[n - 1] == 0xff)
		hi[--n] = '\0';
	if (!first)
		qb_add(q, " INTERSECT");
	qb_text(q, " SELECT person_id FROM person_words WHERE word >= ?", lo);
	if (n == 0)
		qb_val(q, " AND word < ?", V_ABOVE_ALL, 0, NULL);
	else {
		hi[n - 1] = (char)((unsigned char)hi[n - 1] + 1);
		qb_text(q, " AND word < ?", hi);
	}
}

/* "AND idcol IN (people whose words start with every word of name)" */
static void
qb_name(struct qb *q, const char *name, const char *idcol)
{
	const char *p = name, *w;
	int first = 1;

	for (;;) {
		while (is_blank((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		for (w = p; *p != '\0' && !is_blank((unsigned char)*p); p++)
			;
		if (first) {
			qb_add(q, " AND ");
			qb_add(q, idcol);
			qb_add(q, " IN (");
		}
		qb_word(q, w, (size_t)(p - w), first);
		first = 0;
	}
	if (!first)
		qb_add(q, ")");
}

/* " LIMIT ? OFFSET ?" when either is set. */
static void
qb_limit(struct qb *q, int limit, int offset)
{
	if (limit <= 0 && offset <= 0)
		return;
	qb_i64(q, " LIMIT ?", limit > 0 ? limit : -1);
	qb_i64(q, " OFFSET ?", offset > 0 ? offset : 0);
}

static int
qb_prepare(struct cd_store *s, struct qb *q, sqlite3_stmt **st,
    const char *what, struct cd_err *err)
{
	int i, r;

	if (q->overflow)
		return cd_err_set(err, CD_E_INVAL, "the search is too long "
		    "(while %s)", what);
	if ((r = sq_prepare(s, q->sql, st, what, err)) != 0)
		return r;
	for (i = 0; i < q->nv; i++) {
		switch (q->v[i].kind) {
		case V_I64:
			sqlite3_bind_int64(*st, i + 1, q->v[i].i);
			break;
		case V_TEXT:
			sqlite3_bind_text(*st, i + 1, q->v[i].t, -1,
			    SQLITE_STATIC);
			break;
		case V_ABOVE_ALL:
			sqlite3_bind_zeroblob(*st, i + 1, 0);
			break;
		}
	}
	return 0;
}

static struct qb *
qb_new(const char *head, struct cd_err *err)
{
	struct qb *q;

	if ((q = calloc(1, sizeof(*q))) == NULL) {
		cd_err_set(err, CD_E_NOMEM, "out of memory");
		return NULL;
	}
	qb_add(q, head);
	return q;
}

/* The callback of a list call, whatever the record type. */
struct lister {
	union {
		cd_person_cb person;
		cd_request_cb request;
		cd_cert_cb cert;
		cd_device_cb device;
		cd_attempt_cb attempt;
		cd_audit_cb audit;
		cd_journal_cb journal;
	} cb;
	void *arg;
};

static int
row_person(sqlite3_stmt *st, struct lister *l)
{
	struct cd_person p;

	memset(&p, 0, sizeof(p));
	row_read(st, 0, &person_t, &p);
	return l->cb.person(&p, l->arg);
}

/* Request columns, then the person's logon and full name, the holder. */
static void
request_read(sqlite3_stmt *st, struct cd_request *r)
{
	const unsigned char *t;

	memset(r, 0, sizeof(*r));
	row_read(st, 0, &request_t, r);
	if ((t = sqlite3_column_text(st, request_t.ncols)) != NULL)
		cd_strlcpy(r->person_logon, (const char *)t,
		    sizeof(r->person_logon));
	if ((t = sqlite3_column_text(st, request_t.ncols + 1)) != NULL)
		cd_strlcpy(r->person_name, (const char *)t,
		    sizeof(r->person_name));
	r->attempt_id = sqlite3_column_int64(st, request_t.ncols + 2);
}

static int
row_request(sqlite3_stmt *st, struct lister *l)
{
	struct cd_request r;

	request_read(st, &r);
	return l->cb.request(&r, l->arg);
}

static int
row_cert(sqlite3_stmt *st, struct lister *l)
{
	struct cd_cert c;

	memset(&c, 0, sizeof(c));
	row_read(st, 0, &cert_t, &c);
	return l->cb.cert(&c, l->arg);
}

static int
row_device(sqlite3_stmt *st, struct lister *l)
{
	struct cd_device d;

	memset(&d, 0, sizeof(d));
	row_read(st, 0, &device_t, &d);
	return l->cb.device(&d, l->arg);
}

static int
row_attempt(sqlite3_stmt *st, struct lister *l)
{
	struct cd_attempt a;

	memset(&a, 0, sizeof(a));
	row_read(st, 0, &attempt_t, &a);
	return l->cb.attempt(&a, l->arg);
}

static int
row_audit(sqlite3_stmt *st, struct lister *l)
{
	struct cd_audit a;

	memset(&a, 0, sizeof(a));
	row_read(st, 0, &audit_t, &a);
	return l->cb.audit(&a, l->arg);
}

/*
 * Run the query, handing each row to the callback; a non-zero callback
 * result stops the list and is returned.  Frees q.
 */
static int
run_list(struct cd_store *s, struct qb *q, struct lister *l,
    int (*row)(sqlite3_stmt *, struct lister *), const char *what,
    struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc, r;

	if ((r = qb_prepare(s, q, &st, what, err)) != 0)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((r = row(st, l)) != 0)
			goto out;
	if (rc != SQLITE_DONE)
		r = sq_fail(s, err, what);
out:
	sq_release(s, st);
	free(q);
	return r;
}

/* Select t's row with id into rec. */
static int
rec_get(struct cd_store *s, const struct table *t, int64_t id, void *rec,
    struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	struct qb *q;
	char what[64];
	int r, rc;

	snprintf(what, sizeof(what), "reading a %s", t->noun);
	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, t, "t");
	qb_add(q, " FROM ");
	qb_add(q, t->name);
	qb_i64(q, " t WHERE t.id = ?", id);
	if ((r = qb_prepare(s, q, &st, what, err)) != 0)
		goto out;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row_read(st, 0, t, rec);
	else if (rc == SQLITE_DONE)
		r = cd_err_set(err, CD_E_NOTFOUND, "no %s with id %lld",
		    t->noun, (long long)id);
	else
		r = sq_fail(s, err, what);
out:
	sq_release(s, st);
	free(q);
	return r;
}

/* ------------------------------------------------------------ open */

/* Create the database file 0600 whatever the umask. */
static int
create_file(const char *path, struct cd_err *err)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd == -1) {
		if (errno == EEXIST)
			return 0;
		return cd_err_set(err, CD_E_STORE, "cannot create the store "
		    "%s: %s", path, strerror(errno));
	}
	if (fchmod(fd, 0600) == -1) {
		cd_err_set(err, CD_E_STORE, "cannot set the mode of %s: %s",
		    path, strerror(errno));
		close(fd);
		unlink(path);
		return CD_E_STORE;
	}
	close(fd);
	return 0;
}

/*
 * Waiting for a lock another process or connection holds.  SQLite's own
 * handler sleeps 1, 2, 5, 10, 15, 20, 25 ms and more between tries: a
 * writer that found the lock taken for the tenth of a millisecond of
 * another's commit lost whole milliseconds (two workers of a bulk run on
 * one store).  This one sleeps 0.1 ms at first, 1 ms after 2 ms of
 * waiting, 5 ms after 40, and gives up after the busy timeout.
 */
static int
on_busy(void *arg, int n)
{
	struct cd_store *s = arg;
	struct timespec now, d = { 0, 0 };
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (n == 0)
		s->busy_since = now;
	ms = (long)(now.tv_sec - s->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - s->busy_since.tv_nsec) / 1000000;
	if (ms >= s->busy_ms)
		return 0;
	d.tv_nsec = n < 20 ? 100000 : n < 60 ? 1000000 : 5000000;
	nanosleep(&d, NULL);
	return 1;
}

static int
busy_timeout_ms(void)
{
	const char *v = getenv("CERTDESK_BUSY_TIMEOUT_MS");
	char *end;
	long ms;

	if (v == NULL || *v == '\0')
		return BUSY_TIMEOUT_MS;
	errno = 0;
	ms = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || ms < 0 || ms > INT_MAX)
		return BUSY_TIMEOUT_MS;
	return (int)ms;
}

/* Bring the schema up to SCHEMA_VERSION; refuse a newer one. */
static int
migrate(struct cd_store *s, struct cd_err *err)
{
	int64_t v;
	char sql[64];
	int r, i;

	if ((r = sq_int64(s, "PRAGMA user_version", &v, "reading the "
	    "schema version", err)) != 0)
		return r;
	if (v == SCHEMA_VERSION)
		return 0;
	if (v > SCHEMA_VERSION)
		goto newer;
	if ((r = sq_exec(s, "BEGIN IMMEDIATE", "upgrading the store", err)))
		return r;
	/* another process may have upgraded it meanwhile */
	if ((r = sq_int64(s, "PRAGMA user_version", &v, "reading the "
	    "schema version", err)) != 0)
		goto fail;
	if (v > SCHEMA_VERSION) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		goto newer;
	}
	for (i = (int)v; i < SCHEMA_VERSION; i++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", i + 1);
		if ((r = sq_exec(s, migrations[i], "upgrading the store",
		    err)) != 0 ||
		    (r = sq_exec(s, sql, "upgrading the store", err)) != 0)
			goto fail;
	}
	if ((r = sq_exec(s, "COMMIT", "upgrading the store", err)) == 0)
		return 0;
fail:
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
newer:
	return cd_err_set(err, CD_E_STORE, "the store %s has schema version "
	    "%lld, newer than this certdesk understands (%d): use a newer "
	    "certdesk", s->path, (long long)v, SCHEMA_VERSION);
}

/*
 * WAL lets readers run beside the one writer.  synchronous=FULL syncs
 * the WAL at every commit: an issued certificate and its audit record
 * must survive a power cut.  The last process to close the store
 * checkpoints it (two syncs), so that certdesk.db alone holds everything
 * while no certdesk runs (a copy of it is a backup).
 */
static int
configure(struct cd_store *s, struct cd_err *err)
{
	int r;

	sqlite3_extended_result_codes(s->db, 1);
	s->busy_ms = busy_timeout_ms();
	sqlite3_busy_handler(s->db, on_busy, s);
	if ((r = sq_exec(s, "PRAGMA journal_mode = WAL", "setting up the "
	    "store", err)) != 0 ||
	    (r = sq_exec(s, "PRAGMA foreign_keys = ON", "setting up the "
	    "store", err)) != 0 ||
	    (r = sq_exec(s, "PRAGMA synchronous = FULL", "setting up the "
	    "store", err)) != 0)
		return r;
	return 0;
}

static void
sqlite_close(struct cd_store *s)
{
	if (s == NULL)
		return;
	if (s->db != NULL) {
		sq_forget_all(s);
		if (!sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(s->db);
	}
	free(s);
}

static int
sqlite_open(const void *cfg, const char *datadir, int create,
    struct cd_store **out, struct cd_err *err)
{
	struct cd_store *s;
	struct stat sb;
	int r, rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return cd_err_set(err, CD_E_NOMEM, "out of memory");
	if ((r = cd_path_join(s->path, sizeof(s->path), datadir, DB_NAME,
	    err)) != 0)
		goto out;
	if (stat(s->path, &sb) == -1) {
		if (errno != ENOENT) {
			r = cd_err_set(err, CD_E_STORE, "cannot use the store "
			    "%s: %s", s->path, strerror(errno));
			goto out;
		}
		if (!create) {
			r = cd_err_set(err, CD_E_NOTFOUND, "no store in %s: "
			    "run 'certdesk init'", datadir);
			goto out;
		}
		if ((r = create_file(s->path, err)) != 0)
			goto out;
	}
	rc = sqlite3_open_v2(s->path, &s->db, SQLITE_OPEN_READWRITE, NULL);
	if (rc != SQLITE_OK) {
		r = cd_err_set(err, CD_E_STORE, "cannot open the store %s: %s",
		    s->path, s->db != NULL ? sqlite3_errmsg(s->db) :
		    sqlite3_errstr(rc));
		goto out;
	}
	if ((r = configure(s, err)) != 0 || (r = migrate(s, err)) != 0)
		goto out;
	*out = s;
	s = NULL;
out:
	sqlite_close(s);
	return r;
}

static int
sqlite_schema_version(struct cd_store *s, int *out, struct cd_err *err)
{
	int64_t v = 0;
	int r;

	r = sq_int64(s, "PRAGMA user_version", &v, "reading the schema "
	    "version", err);
	*out = (int)v;
	return r;
}

/* ------------------------------------------------------------ transactions */

static int
sqlite_begin(struct cd_store *s, struct cd_err *err)
{
	if (!sqlite3_get_autocommit(s->db))
		return cd_err_set(err, CD_E_INTERNAL, "a store transaction "
		    "is already open");
	return sq_exec(s, "BEGIN IMMEDIATE", "starting a transaction", err);
}

static int
sqlite_commit(struct cd_store *s, struct cd_err *err)
{
	int r;

	if (sqlite3_get_autocommit(s->db))
		return cd_err_set(err, CD_E_STORE, "no store transaction is "
		    "open: it was rolled back after an earlier error");
	if ((r = sq_exec(s, "COMMIT", "committing", err)) != 0 &&
	    !sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return r;
}

/*
 * In WAL mode with synchronous=NORMAL a commit appends to the WAL without
 * syncing it; the next FULL commit syncs the WAL file and with it every
 * frame before, and checkpoints still sync before the WAL is reused.
 */
static int
sqlite_lazy(struct cd_store *s, int on, struct cd_err *err)
{
	if (!sqlite3_get_autocommit(s->db))
		return cd_err_set(err, CD_E_INTERNAL, "durability is set "
		    "between transactions");
	return sq_exec(s, on ? "PRAGMA synchronous = NORMAL" :
	    "PRAGMA synchronous = FULL", "setting the durability", err);
}

static int
sqlite_rollback(struct cd_store *s)
{
	if (sqlite3_get_autocommit(s->db))
		return 0;
	if (sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL) != SQLITE_OK)
		return CD_E_STORE;
	return 0;
}

/* ------------------------------------------------------------ people */

struct words {
	struct cd_store *s;
	sqlite3_stmt *st;
	int64_t id;
	int r;
	struct cd_err *err;
};

static void
word_put(struct words *w, const char *word, size_t n)
{
	char buf[CD_FIELD_MAX];

	if (w->r != 0 || n == 0)
		return;
	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, word, n);
	buf[n] = '\0';
	ascii_lower(buf);
	sqlite3_reset(w->st);
	sqlite3_bind_text(w->st, 1, buf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(w->st, 2, w->id);
	w->r = sq_done(w->s, w->st, "indexing a person's name", w->err);
}

/* Put each word of text (split at blanks and at the bytes in seps). */
static void
words_split(struct words *w, const char *text, const char *seps)
{
	const char *p = text, *start;

	for (;;) {
		while (*p != '\0' && (is_blank((unsigned char)*p) ||
		    strchr(seps, *p) != NULL))
			p++;
		if (*p == '\0')
			return;
		for (start = p; *p != '\0' && !is_blank((unsigned char)*p) &&
		    strchr(seps, *p) == NULL; p++)
			;
		word_put(w, start, (size_t)(p - start));
	}
}

/*
 * Replace the person's search words: the words of the full name, the
 * parts of the logon name split at . _ - @, and the whole logon name.
 */
static int
words_store(struct cd_store *s, const struct cd_person *p,
    struct cd_err *err)
{
	struct words w = { s, NULL, p->id, 0, err };
	sqlite3_stmt *del = NULL;
	const char *what = "indexing a person's name";

	if ((w.r = sq_prepare(s, "DELETE FROM person_words WHERE "
	    "person_id = ?", &del, what, err)) != 0)
		goto out;
	sqlite3_bind_int64(del, 1, p->id);
	if ((w.r = sq_done(s, del, what, err)) != 0 ||
	    (w.r = sq_prepare(s, "INSERT OR IGNORE INTO person_words "
	    "(word, person_id) VALUES (?, ?)", &w.st, what, err)) != 0)
		goto out;
	words_split(&w, p->full_name, "");
	words_split(&w, p->logon, "._-@");
	words_split(&w, p->logon, "");
out:
	sq_release(s, del);
	sq_release(s, w.st);
	return w.r;
}

static int
person_exists(struct cd_err *err, int r, const char *logon)
{
	if (r == CD_E_EXISTS)
		cd_err_set(err, r, "a person with logon name %s already "
		    "exists", logon);
	return r;
}

static int
sqlite_person_add(struct cd_store *s, struct cd_person *p,
    struct cd_err *err)
{
	int nested, r;

	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	if ((r = rec_insert(s, &person_t, p, "adding a person", err)) == 0)
		r = words_store(s, p, err);
	r = wend(s, nested, r, err);
	if (r != 0)
		p->id = 0;
	return person_exists(err, r, p->logon);
}

static int
sqlite_person_update(struct cd_store *s, const struct cd_person *p,
    struct cd_err *err)
{
	int nested, r;

	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	if ((r = rec_update(s, &person_t, p, "updating a person", err)) == 0)
		r = words_store(s, p, err);
	r = wend(s, nested, r, err);
	return person_exists(err, r, p->logon);
}

static int
sqlite_person_get(struct cd_store *s, int64_t id, const char *logon,
    struct cd_person *out, struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	struct qb *q;
	int r, rc;

	if (id != 0 || logon == NULL) {
		memset(out, 0, sizeof(*out));
		return rec_get(s, &person_t, id, out, err);
	}
	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &person_t, "t");
	qb_text(q, " FROM people t WHERE t.logon = ?", logon);
	if ((r = qb_prepare(s, q, &st, "reading a person", err)) != 0)
		goto out;
	memset(out, 0, sizeof(*out));
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		row_read(st, 0, &person_t, out);
	else if (rc == SQLITE_DONE)
		r = cd_err_set(err, CD_E_NOTFOUND, "no person with logon name "
		    "%s", logon);
	else
		r = sq_fail(s, err, "reading a person");
out:
	sq_release(s, st);
	free(q);
	return r;
}

static int
sqlite_person_list(struct cd_store *s, const struct cd_person_filter *f,
    cd_person_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .person = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &person_t, "t");
	qb_add(q, " FROM people t WHERE 1 = 1");
	if (f != NULL) {
		qb_name(q, f->name, "t.id");
		qb_add(q, " ORDER BY t.full_name, t.logon, t.id");
		qb_limit(q, f->limit, f->offset);
	} else
		qb_add(q, " ORDER BY t.full_name, t.logon, t.id");
	return run_list(s, q, &l, row_person, "listing people", err);
}

static int
sqlite_person_count(struct cd_store *s, int64_t *out, struct cd_err *err)
{
	return sq_int64(s, "SELECT count(*) FROM people", out,
	    "counting people", err);
}

/* ------------------------------------------------------------ requests */

static int sqlite_request_get(struct cd_store *s, int64_t id,
    struct cd_request *out, struct cd_err *err);

static int
sqlite_request_add(struct cd_store *s, struct cd_request *r,
    struct cd_err *err)
{
	return rec_insert(s, &request_t, r, "adding a request", err);
}

/* Not into or out of a collection: claim, commit and release do that. */
static int
sqlite_request_update(struct cd_store *s, const struct cd_request *r,
    struct cd_err *err)
{
	struct cd_request cur;
	int rc;

	if (r->status == CD_RS_BEING_COLLECTED)
		return cd_err_set(err, CD_E_STATE, "request %lld can only be "
		    "put in collection by a claim", (long long)r->id);
	rc = rec_update_if(s, &request_t, r, "status <> 3", "updating a "
	    "request", err);
	if (rc == CD_E_NOTFOUND && sqlite_request_get(s, r->id, &cur,
	    NULL) == 0)
		return cd_err_set(err, CD_E_STATE, "request %lld is being "
		    "collected", (long long)r->id);
	return rc;
}

static struct qb *
request_query(struct cd_err *err)
{
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return NULL;
	qb_cols(q, &request_t, "r");
	qb_add(q, ", p.logon, p.full_name, r.attempt_id FROM requests r"
	    " LEFT JOIN people p ON p.id = r.person_id WHERE 1 = 1");
	return q;
}

static int
sqlite_request_get(struct cd_store *s, int64_t id, struct cd_request *out,
    struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	struct qb *q;
	int r, rc;

	if ((q = request_query(err)) == NULL)
		return CD_E_NOMEM;
	qb_i64(q, " AND r.id = ?", id);
	if ((r = qb_prepare(s, q, &st, "reading a request", err)) != 0)
		goto out;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		request_read(st, out);
	else if (rc == SQLITE_DONE)
		r = cd_err_set(err, CD_E_NOTFOUND, "no request with id %lld",
		    (long long)id);
	else
		r = sq_fail(s, err, "reading a request");
out:
	sq_release(s, st);
	free(q);
	return r;
}

/* The first row's integer columns of a one-row query; 0 or an error. */
static int
query_ints(struct cd_store *s, struct qb *q, int64_t *v, int n,
    struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	int i, r;

	if ((r = qb_prepare(s, q, &st, "planning a search", err)) != 0)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW) {
		r = sq_fail(s, err, "planning a search");
		goto out;
	}
	for (i = 0; i < n; i++)
		v[i] = sqlite3_column_int64(st, i);
out:
	sq_release(s, st);
	free(q);
	return r;
}

/*
 * Is a name search with a limit better served by walking the requests
 * newest first, checking each one's person against the matching people,
 * than by reading every request of every matching person and sorting?
 * With m matching people out of P, and N requests, reading costs about
 * m * N / P rows and the walk about limit * P / m: the walk wins when
 * m^2 * N > limit * P^2.  P and N are taken from the largest ids (cheap,
 * and close, since rows are not deleted); m is counted, up to a bound.
 * Returns 1 walk, 0 read, < 0 an error.
 */
static int
name_walk_better(struct cd_store *s, const char *name, int limit,
    struct cd_err *err)
{
	struct qb *q;
	int64_t v[3];
	double m, p, n;
	int r;

	if (limit <= 0)
		return 0;
	if ((q = qb_new("SELECT (SELECT max(id) FROM people),"
	    " (SELECT max(id) FROM requests),"
	    " (SELECT count(*) FROM (SELECT t.id FROM people t WHERE 1 = 1",
	    err)) == NULL)
		return CD_E_NOMEM;
	qb_name(q, name, "t.id");
	qb_add(q, " LIMIT 100000))");
	if ((r = query_ints(s, q, v, 3, err)) != 0)
		return r;
	p = (double)v[0], n = (double)v[1], m = (double)v[2];
	return m * m * n > (double)limit * p * p;
}

static int
has_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (!is_blank((unsigned char)*s))
			return 1;
	return 0;
}

/* The filters of a request search, on requests r. */
static void
request_where(struct qb *q, const struct cd_request_filter *f)
{
	if (f->id != 0)
		qb_i64(q, " AND r.id = ?", f->id);
	if (f->status >= 0)
		qb_i64(q, " AND r.status = ?", f->status);
	if (f->type >= 0)
		qb_i64(q, " AND r.type = ?", f->type);
	if (f->profile[0] != '\0')
		qb_text(q, " AND r.profile = ?", f->profile);
	if (f->person_id != 0)
		qb_i64(q, " AND r.person_id = ?", f->person_id);
	if (f->device_id != 0)
		qb_i64(q, " AND r.device_id = ?", f->device_id);
	if (f->created_from != 0)
		qb_i64(q, " AND r.created_at >= ?", f->created_from);
	if (f->created_to != 0)
		qb_i64(q, " AND r.created_at < ?", f->created_to);
}

/* A request search's order: newest first unless f asks otherwise. */
static const char *
request_order(const struct cd_request_filter *f)
{
	return f->oldest_first ? " ORDER BY r.created_at, r.id" :
	    " ORDER BY r.created_at DESC, r.id DESC";
}

/*
 * A search by name picks its plan (name_walk_better) and finds the ids
 * first, from indexes alone where it can, then reads those rows: either
 * the matching people's requests (requests_person_status with a status,
 * requests_person without), or a walk newest first through the status or
 * date index checking each request's person (the unary + keeps SQLite off
 * the person indexes for the walk).
 */
static void
request_name_ids(struct qb *q, const struct cd_request_filter *f, int walk)
{
	qb_add(q, " AND r.id IN (SELECT r.id FROM requests r");
	if (!walk)
		qb_add(q, f->status >= 0 ? " INDEXED BY requests_person_status" :
		    " INDEXED BY requests_person");
	qb_add(q, " WHERE 1 = 1");
	request_where(q, f);
	qb_name(q, f->name, walk ? "+r.person_id" : "r.person_id");
	qb_add(q, request_order(f));
	qb_limit(q, f->limit, f->offset);
	qb_add(q, ")");
}

static int
sqlite_request_search(struct cd_store *s, const struct cd_request_filter *f,
    cd_request_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .request = cb }, arg };
	struct qb *q;
	int walk;

	if (!has_word(f->name) || f->id != 0 || f->person_id != 0 ||
	    f->device_id != 0) {
		if ((q = request_query(err)) == NULL)
			return CD_E_NOMEM;
		request_where(q, f);
		qb_name(q, f->name, "r.person_id");
		qb_add(q, request_order(f));
		qb_limit(q, f->limit, f->offset);
		return run_list(s, q, &l, row_request, "searching requests",
		    err);
	}
	if ((walk = name_walk_better(s, f->name, f->limit +
	    (f->offset > 0 ? f->offset : 0), err)) < 0)
		return walk;
	if ((q = request_query(err)) == NULL)
		return CD_E_NOMEM;
	request_name_ids(q, f, walk);
	qb_add(q, request_order(f));
	return run_list(s, q, &l, row_request, "searching requests", err);
}

/* ------------------------------------------------------------ certificates */

static int
cert_exists(struct cd_err *err, int r, const struct cd_cert *c)
{
	if (r == CD_E_EXISTS)
		cd_err_set(err, r, "a certificate with serial %s from %s "
		    "already exists", c->serial, c->issuer);
	return r;
}

static int
sqlite_cert_add(struct cd_store *s, struct cd_cert *c, struct cd_err *err)
{
	return cert_exists(err, rec_insert(s, &cert_t, c,
	    "adding a certificate", err), c);
}

static int
sqlite_cert_update(struct cd_store *s, const struct cd_cert *c,
    struct cd_err *err)
{
	return cert_exists(err, rec_update(s, &cert_t, c,
	    "updating a certificate", err), c);
}

static int
sqlite_cert_list(struct cd_store *s, const struct cd_cert_filter *f,
    cd_cert_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .cert = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &cert_t, "c");
	qb_add(q, " FROM certs c WHERE 1 = 1");
	if (f->request_id != 0)
		qb_i64(q, " AND c.request_id = ?", f->request_id);
	if (f->person_id != 0)
		qb_i64(q, " AND c.person_id = ?", f->person_id);
	if (f->device_id != 0)
		qb_i64(q, " AND c.device_id = ?", f->device_id);
	if (f->attempt_id != 0)
		qb_i64(q, " AND c.attempt_id = ?", f->attempt_id);
	if (f->status >= 0)
		qb_i64(q, " AND c.status = ?", f->status);
	if (f->revoke_due_by != 0)
		qb_i64(q, " AND c.revoke_after > 0 AND c.revoke_after <= ?",
		    f->revoke_due_by);
	if (f->serial[0] != '\0')
		qb_text(q, " AND c.serial = ?", f->serial);
	qb_add(q, " ORDER BY c.id");
	return run_list(s, q, &l, row_cert, "listing certificates", err);
}

/* ------------------------------------------------------------ devices */

static int
sqlite_device_add(struct cd_store *s, struct cd_device *d,
    struct cd_err *err)
{
	return rec_insert(s, &device_t, d, "adding a device", err);
}

static int
sqlite_device_update(struct cd_store *s, const struct cd_device *d,
    struct cd_err *err)
{
	return rec_update(s, &device_t, d, "updating a device", err);
}

static int
sqlite_device_get(struct cd_store *s, int64_t id, struct cd_device *out,
    struct cd_err *err)
{
	memset(out, 0, sizeof(*out));
	return rec_get(s, &device_t, id, out, err);
}

static int
sqlite_device_list(struct cd_store *s, const struct cd_device_filter *f,
    cd_device_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .device = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &device_t, "d");
	qb_add(q, " FROM devices d WHERE 1 = 1");
	if (f->owner_id != 0)
		qb_i64(q, " AND d.owner_id = ?", f->owner_id);
	if (f->type[0] != '\0')
		qb_text(q, " AND d.type = ?", f->type);
	if (f->serial[0] != '\0')
		qb_text(q, " AND d.serial = ?", f->serial);
	qb_add(q, " ORDER BY d.id");
	qb_limit(q, f->limit, 0);
	return run_list(s, q, &l, row_device, "listing devices", err);
}

/* ------------------------------------------------------------ attempts */

/* Run a one-statement write with int64 parameters; *changed = rows. */
static int
sq_write(struct cd_store *s, const char *sql, const int64_t *v, int nv,
    int *changed, const char *what, struct cd_err *err)
{
	sqlite3_stmt *st = NULL;
	int i, r;

	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	for (i = 0; i < nv; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	if ((r = sq_done(s, st, what, err)) == 0 && changed != NULL)
		*changed = sqlite3_changes(s->db);
	sq_release(s, st);
	return r;
}

/* Why request id could not be claimed: it is gone, held or not ready. */
static int
claim_refused(struct cd_store *s, int64_t id, struct cd_err *err)
{
	struct cd_request r;
	struct cd_attempt a;
	int rc;

	if ((rc = sqlite_request_get(s, id, &r, err)) != 0)
		return rc;
	memset(&a, 0, sizeof(a));
	return cd_store_claim_refusal(&r, r.attempt_id != 0 &&
	    rec_get(s, &attempt_t, r.attempt_id, &a, NULL) == 0 ? &a : NULL,
	    err);
}

static int
sqlite_claim(struct cd_store *s, struct cd_attempt *a, struct cd_err *err)
{
	int64_t v[3];
	int nested, changed = 0, r;

	a->state = CD_AS_IN_PROGRESS;
	if (a->instance_id == 0)
		a->instance_id = s->instance_id;
	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	if ((r = rec_insert(s, &attempt_t, a, "claiming a request", err)))
		goto out;
	v[0] = a->id, v[1] = a->started_at, v[2] = a->request_id;
	if ((r = sq_write(s, "UPDATE requests SET status = 3, attempt_id = ?,"
	    " updated_at = ? WHERE id = ? AND status = 2", v, 3, &changed,
	    "claiming a request", err)) == 0 && changed != 1)
		r = claim_refused(s, a->request_id, err);
out:
	if ((r = wend(s, nested, r, err)) != 0)
		a->id = 0;
	return r;
}

static int
lost(struct cd_err *err, int64_t attempt_id)
{
	return cd_err_set(err, CD_E_LOST, "collection attempt %lld no longer "
	    "holds its request: it was stopped (aborted by the sweep after "
	    "no activity, or cancelled)", (long long)attempt_id);
}

static int
heartbeat_steps(struct cd_store *s, int64_t attempt_id, int64_t now,
    struct cd_err *err)
{
	int64_t v[3] = { now, attempt_id, now };
	int changed = 0, r;

	if ((r = sq_write(s, "UPDATE attempts SET heartbeat_at = ?"
	    " WHERE id = ? AND state = 0 AND EXISTS (SELECT 1 FROM requests q"
	    " WHERE q.id = attempts.request_id AND q.status = 3"
	    " AND q.attempt_id = attempts.id)", v, 2, &changed,
	    "recording a heartbeat", err)) != 0)
		return r;
	if (changed != 1)
		return lost(err, attempt_id);
	v[1] = now, v[2] = attempt_id;
	return sq_write(s, "UPDATE instances SET heartbeat_at = ? WHERE"
	    " heartbeat_at < ? AND id = (SELECT instance_id FROM attempts"
	    " WHERE id = ?)", v, 3, NULL, "recording a heartbeat", err);
}

static int
sqlite_attempt_heartbeat(struct cd_store *s, int64_t attempt_id,
    int64_t now, struct cd_err *err)
{
	int nested, r;

	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	r = heartbeat_steps(s, attempt_id, now, err);
	return wend(s, nested, r, err);
}

static int
commit_steps(struct cd_store *s, int64_t id, const struct cd_commit_info *ci,
    struct cd_err *err)
{
	const char *what = "committing a collection";
	sqlite3_stmt *st = NULL;
	int64_t v[3] = { ci->at, id, id };
	int changed = 0, r;

	if ((r = sq_write(s, "UPDATE attempts SET state = 1, ended_at = ?"
	    " WHERE id = ? AND state = 0 AND EXISTS (SELECT 1 FROM requests q"
	    " WHERE q.id = attempts.request_id AND q.status = 3"
	    " AND q.attempt_id = ?)", v, 3, &changed, what, err)) != 0)
		return r;
	if (changed != 1)
		return lost(err, id);
	if ((r = sq_prepare(s, "UPDATE requests SET status = 4, device_id = ?,"
	    " collected_by = ?, collected_at = ?, updated_at = ?"
	    " WHERE attempt_id = ? AND status = 3", &st, what, err)) != 0)
		return r;
	if (ci->device_id != 0)
		sqlite3_bind_int64(st, 1, ci->device_id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_text(st, 2, ci->collected_by, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ci->at);
	sqlite3_bind_int64(st, 4, ci->at);
	sqlite3_bind_int64(st, 5, id);
	if ((r = sq_done(s, st, what, err)) == 0 && sqlite3_changes(s->db) != 1)
		r = lost(err, id);
	sq_release(s, st);
	if (r != 0)
		return r;
	v[0] = id;
	return sq_write(s, "UPDATE journal SET state = 2 WHERE attempt_id = ?"
	    " AND state = 0 AND kind = 0", v, 1, NULL, what, err);
}

static int
sqlite_attempt_commit(struct cd_store *s, int64_t attempt_id,
    const struct cd_commit_info *ci, struct cd_err *err)
{
	int nested, r;

	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	r = commit_steps(s, attempt_id, ci, err);
	return wend(s, nested, r, err);
}

static int
release_steps(struct cd_store *s, int64_t id, int state, int64_t now,
    int64_t stale_before, struct cd_err *err)
{
	const char *what = "ending a collection attempt";
	int64_t v[4] = { state, now, id, stale_before };
	int changed = 0, r;

	if ((r = sq_write(s, stale_before != 0 ?
	    "UPDATE attempts SET state = ?, ended_at = ? WHERE id = ?"
	    " AND state = 0 AND heartbeat_at < ?" :
	    "UPDATE attempts SET state = ?, ended_at = ? WHERE id = ?"
	    " AND state = 0", v, stale_before != 0 ? 4 : 3, &changed, what,
	    err)) != 0)
		return r;
	if (changed != 1)
		return lost(err, id);
	v[0] = now, v[1] = id;
	return sq_write(s, "UPDATE requests SET status = 2, attempt_id = NULL,"
	    " updated_at = ? WHERE attempt_id = ? AND status = 3", v, 2, NULL,
	    what, err);
}

static int
sqlite_attempt_release(struct cd_store *s, int64_t attempt_id, int state,
    int64_t now, int64_t stale_before, struct cd_err *err)
{
	int nested, r;

	if (state == CD_AS_IN_PROGRESS || state == CD_AS_COMPLETED)
		return cd_err_set(err, CD_E_INTERNAL, "an attempt is released "
		    "as cancelled, failed or aborted");
	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	r = release_steps(s, attempt_id, state, now, stale_before, err);
	return wend(s, nested, r, err);
}

static int
sqlite_attempt_get(struct cd_store *s, int64_t id, struct cd_attempt *out,
    struct cd_err *err)
{
	memset(out, 0, sizeof(*out));
	return rec_get(s, &attempt_t, id, out, err);
}

static int
sqlite_attempt_list(struct cd_store *s, const struct cd_attempt_filter *f,
    cd_attempt_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .attempt = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &attempt_t, "a");
	qb_add(q, " FROM attempts a WHERE 1 = 1");
	if (f->request_id != 0)
		qb_i64(q, " AND a.request_id = ?", f->request_id);
	if (f->state >= 0)
		qb_i64(q, " AND a.state = ?", f->state);
	if (f->heartbeat_before != 0)
		qb_i64(q, " AND a.heartbeat_at < ?", f->heartbeat_before);
	qb_add(q, " ORDER BY a.id");
	return run_list(s, q, &l, row_attempt, "listing collection attempts",
	    err);
}

/* ------------------------------------------------------------ journal */

static int
sqlite_journal_add(struct cd_store *s, struct cd_journal *j,
    struct cd_err *err)
{
	int64_t v[1] = { j->attempt_id };
	int nested, changed = 0, r;

	j->state = CD_JS_PENDING;
	if ((r = wbegin(s, &nested, err)) != 0)
		return r;
	if ((r = sq_write(s, "UPDATE attempts SET state = 0 WHERE id = ?"
	    " AND state = 0", v, 1, &changed, "journalling a file", err)) == 0)
		r = changed == 1 ? rec_insert(s, &journal_t, j,
		    "journalling a file", err) : lost(err, j->attempt_id);
	return wend(s, nested, r, err);
}

static int
row_journal(sqlite3_stmt *st, struct lister *l)
{
	struct cd_journal j;

	memset(&j, 0, sizeof(j));
	row_read(st, 0, &journal_t, &j);
	return l->cb.journal(&j, l->arg);
}

static int
sqlite_journal_list(struct cd_store *s, int64_t attempt_id, int state,
    cd_journal_cb cb, void *arg, struct cd_err *err)
{
	struct lister l = { { .journal = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &journal_t, "j");
	qb_add(q, " FROM journal j WHERE 1 = 1");
	if (attempt_id != 0)
		qb_i64(q, " AND j.attempt_id = ?", attempt_id);
	if (state >= 0)
		qb_i64(q, " AND j.state = ?", state);
	qb_add(q, " ORDER BY j.id");
	return run_list(s, q, &l, row_journal, "reading the file journal",
	    err);
}

static int
sqlite_journal_mark(struct cd_store *s, int64_t id, int state,
    const char *note, struct cd_err *err)
{
	const char *what = "updating the file journal";
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = sq_prepare(s, "UPDATE journal SET state = ?, note = ?"
	    " WHERE id = ?", &st, what, err)) != 0)
		return r;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_text(st, 2, note ? note : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if ((r = sq_done(s, st, what, err)) == 0 && sqlite3_changes(s->db) == 0)
		r = cd_err_set(err, CD_E_NOTFOUND, "no journal row %lld",
		    (long long)id);
	sq_release(s, st);
	return r;
}

/* ------------------------------------------------------------ audit */

static int
sqlite_audit_add(struct cd_store *s, struct cd_audit *a, struct cd_err *err)
{
	return rec_insert(s, &audit_t, a, "adding to the audit trail", err);
}

static int
sqlite_audit_list(struct cd_store *s, int64_t since, cd_audit_cb cb,
    void *arg, struct cd_err *err)
{
	struct lister l = { { .audit = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &audit_t, "a");
	qb_i64(q, " FROM audit a WHERE a.at >= ? ORDER BY a.at, a.id", since);
	return run_list(s, q, &l, row_audit, "reading the audit trail", err);
}

static int
sqlite_audit_object(struct cd_store *s, const char *object, cd_audit_cb cb,
    void *arg, struct cd_err *err)
{
	struct lister l = { { .audit = cb }, arg };
	struct qb *q;

	if ((q = qb_new("SELECT ", err)) == NULL)
		return CD_E_NOMEM;
	qb_cols(q, &audit_t, "a");
	qb_text(q, " FROM audit a WHERE a.object = ? ORDER BY a.id", object);
	return run_list(s, q, &l, row_audit, "reading the audit trail", err);
}

/* ------------------------------------------------------------ instances */

static int
sqlite_instance_register(struct cd_store *s, const char *host, int pid,
    int64_t now, int64_t *id, struct cd_err *err)
{
	const char *what = "registering a server instance";
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = sq_prepare(s, "INSERT INTO instances (host, pid, started_at,"
	    " heartbeat_at) VALUES (?, ?, ?, ?)", &st, what, err)) != 0)
		return r;
	sqlite3_bind_text(st, 1, host ? host : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, pid);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, now);
	if ((r = sq_done(s, st, what, err)) == 0)
		s->instance_id = sqlite3_last_insert_rowid(s->db);
	sq_release(s, st);
	if (id != NULL)
		*id = r == 0 ? s->instance_id : 0;
	return r;
}

static int
sqlite_instance_heartbeat(struct cd_store *s, int64_t now,
    struct cd_err *err)
{
	int64_t v[2] = { now, s->instance_id };
	int changed = 0, r;

	if ((r = sq_write(s, "UPDATE instances SET heartbeat_at = ?"
	    " WHERE id = ?", v, 2, &changed, "recording a server heartbeat",
	    err)) != 0)
		return r;
	if (changed != 1)
		return cd_err_set(err, CD_E_NOTFOUND, "no server instance "
		    "%lld", (long long)s->instance_id);
	return 0;
}

/* A server's other handle: the same instance row. */
static int
sqlite_instance_attach(struct cd_store *s, int64_t id, struct cd_err *err)
{
	const char *what = "reading a server instance";
	sqlite3_stmt *st = NULL;
	int r;

	if ((r = sq_prepare(s, "SELECT id FROM instances WHERE id = ?", &st,
	    what, err)) != 0)
		return r;
	sqlite3_bind_int64(st, 1, id);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		s->instance_id = id;
		break;
	case SQLITE_DONE:
		r = cd_err_set(err, CD_E_NOTFOUND, "no server instance %lld",
		    (long long)id);
		break;
	default:
		r = sq_fail(s, err, what);
	}
	sq_release(s, st);
	return r;
}

/* ------------------------------------------------------------ moving */

static int
sqlite_is_empty(struct cd_store *s, int *empty, struct cd_err *err)
{
	int64_t n = 0;
	int r;

	r = sq_int64(s, "SELECT (SELECT count(*) FROM people) +"
	    " (SELECT count(*) FROM requests) + (SELECT count(*) FROM audit) +"
	    " (SELECT count(*) FROM devices) + (SELECT count(*) FROM certs) +"
	    " (SELECT count(*) FROM attempts)", &n,
	    "checking the store is empty", err);
	*empty = n == 0;
	return r;
}

static int
sqlite_rows_list(struct cd_store *s, const struct cd_store_table *t,
    cd_row_cb cb, void *arg, struct cd_err *err)
{
	const char *vals[CD_STORE_COLS_MAX];
	sqlite3_stmt *st = NULL;
	char sql[1024], what[64];
	int j, rc, r;

	snprintf(sql, sizeof(sql), "SELECT %s FROM %s ORDER BY %s", t->cols,
	    t->name, t->order);
	snprintf(what, sizeof(what), "reading table %s", t->name);
	if ((r = sq_prepare(s, sql, &st, what, err)) != 0)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (j = 0; j < t->ncols && j < CD_STORE_COLS_MAX; j++)
			vals[j] = (const char *)sqlite3_column_text(st, j);
		if ((r = cb(vals, t->ncols, arg)) != 0)
			goto out;
	}
	if (rc != SQLITE_DONE)
		r = sq_fail(s, err, what);
out:
	sq_release(s, st);
	return r;
}

const struct cd_store_ops cd_store_sqlite_ops = {
	.name = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.lazy = sqlite_lazy,
	.person_add = sqlite_person_add,
	.person_update = sqlite_person_update,
	.person_get = sqlite_person_get,
	.person_list = sqlite_person_list,
	.person_count = sqlite_person_count,
	.request_add = sqlite_request_add,
	.request_update = sqlite_request_update,
	.request_get = sqlite_request_get,
	.request_search = sqlite_request_search,
	.cert_add = sqlite_cert_add,
	.cert_update = sqlite_cert_update,
	.cert_list = sqlite_cert_list,
	.device_add = sqlite_device_add,
	.device_update = sqlite_device_update,
	.device_get = sqlite_device_get,
	.device_list = sqlite_device_list,
	.claim = sqlite_claim,
	.attempt_heartbeat = sqlite_attempt_heartbeat,
	.attempt_commit = sqlite_attempt_commit,
	.attempt_release = sqlite_attempt_release,
	.attempt_get = sqlite_attempt_get,
	.attempt_list = sqlite_attempt_list,
	.instance_register = sqlite_instance_register,
	.instance_heartbeat = sqlite_instance_heartbeat,
	.instance_attach = sqlite_instance_attach,
	.journal_add = sqlite_journal_add,
	.journal_list = sqlite_journal_list,
	.journal_mark = sqlite_journal_mark,
	.audit_add = sqlite_audit_add,
	.audit_list = sqlite_audit_list,
	.audit_object = sqlite_audit_object,
	.is_empty = sqlite_is_empty,
	.rows_list = sqlite_rows_list
};
