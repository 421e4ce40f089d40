/* SPDX-License-Identifier: ISC */
/*
 * gen-store.c - fill a certdesk store with a large, realistic data set
 * for the search benchmarks: people with common first and last names
 * (namesakes get a numbered logon), in departments, and N requests
 * spread over five years, newest the most likely to be still open, with
 * the statuses, profiles and approver/collector fields a real desk has.
 *
 * The store must exist ('certdesk init'): its schema and indexes are the
 * store's own migrations.  People go through the store interface
 * (cd_store_sqlite_ops), so their name-search words are made by the
 * store itself.  Requests, the bulk, go through one prepared INSERT on
 * the same database in one transaction (the store prepares a statement
 * per call, which would make a million rows take a minute); the column
 * list is checked against the table first.  Deterministic for a seed.
 *
 * usage: gen-store -d DATADIR -n REQUESTS -P PROFILE,... [-p PEOPLE]
 *            [-s SEED] [-t NOW]
 * Prints "people N", "requests N" and "seconds S".
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "util.h"

#define MAX_PROFILES 16
#define YEARS 5

static const char *const first[] = {
	"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael",
	"Linda", "William", "Elizabeth", "David", "Barbara", "Richard",
	"Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
	"Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty",
	"Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley", "Steven",
	"Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
	"Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George",
	"Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason",
	"Laura", "Edward", "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen",
	"Jacob", "Amy", "Gary", "Angela", "Nicholas", "Shirley", "Eric",
	"Anna", "Jonathan", "Brenda", "Stephen", "Pamela", "Larry", "Emma",
	"Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha", "Ahmed",
	"Fatima", "Chen", "Wei", "Olga", "Pierre", "Aisha", "Lars", "Kenji",
	"Yuki", "Tomasz", "Ingrid", "Rafael", "Nora", "Elena", "Amara",
	"Jonas", "Leila", "Marek", "Sofia", "Oscar", "Hannah", "Ravi",
	"Beatriz", "Noah", "Zofia", "Felix", "Priya", "Mohammed", "Ana",
	"Sven", "Giulia", "Mateo", "Chloe", "Lukas", "Ines", "Hiroshi",
	"Maja", "Kwame", "Aylin"
};
static const char *const last[] = {
	"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller",
	"Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez",
	"Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
	"Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
	"Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen",
	"King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
	"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
	"Mitchell", "Carter", "Roberts", "Samson", "Khan", "Wei", "Petrova",
	"Dubois", "Okafor", "Nilsson", "Haddad", "Tanaka", "Littlejohn",
	"Nowak", "Berg", "Costa", "Murphy", "Adeyemi", "Sato", "Rossi",
	"Cohen", "Mensah", "Weber", "Farah", "Novak", "Silva", "Lindqvist",
	"Fischer", "Patel", "Santos", "Kowalska", "Schmidt", "Schneider",
	"Meyer", "Wagner", "Becker", "Hoffmann", "Schulz", "Koch", "Richter",
	"Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun",
	"Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann",
	"Bernard", "Moreau", "Laurent", "Simon", "Michel", "Lefebvre",
	"Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard",
	"Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
	"Muller", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo",
	"Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Mancini",
	"Yamamoto", "Suzuki", "Watanabe", "Ito", "Nakamura", "Kobayashi",
	"Kim", "Park", "Choi", "Singh", "Kumar", "Sharma", "Gupta", "Ali",
	"Hassan", "Ibrahim", "Jansen", "Visser"
};
static const char *const groups[] = {
	"Finance", "Engineering", "Human Resources", "Legal", "Sales",
	"Operations", "Marketing", "Procurement", "IT Services", "Research",
	"Customer Care", "Facilities"
};
static const char *const operators[] = {
	"Olivia.Operator", "Oscar.Desk", "Omar.Counter", "Ola.Helpdesk"
};
static const char *const approvers[] = {
	"Adam.Approver", "Ava.Security"
};

struct opts {
	const char *datadir;
	long nreq;
	long npeople;
	unsigned seed;
	int64_t now;
	char *profiles[MAX_PROFILES];
	int nprofiles;
};

static unsigned long long rng_state;

/* splitmix64: fast and deterministic */
static unsigned
rnd(unsigned n)
{
	unsigned long long z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned)(z % n);
}

/* Namesakes are common: a few hundred names cover most people. */
static void
make_person(long i, struct cd_person *p, int64_t now)
{
	unsigned f = rnd(CD_NELEM(first)), l = rnd(CD_NELEM(last));

	memset(p, 0, sizeof(*p));
	snprintf(p->full_name, sizeof(p->full_name), "%s %s", first[f],
	    last[l]);
	if (i < (long)(CD_NELEM(first) * CD_NELEM(last)) / 4)
		snprintf(p->logon, sizeof(p->logon), "%s.%s", first[f],
		    last[l]);
	else
		snprintf(p->logon, sizeof(p->logon), "%s.%s%ld", first[f],
		    last[l], i % 1000 + 1);
	snprintf(p->email, sizeof(p->email), "%s@example.com", p->logon);
	snprintf(p->upn, sizeof(p->upn), "%s@corp.example.com", p->logon);
	snprintf(p->employee_id, sizeof(p->employee_id), "E%07ld", 100000 + i);
	cd_strlcpy(p->group_name, groups[rnd(CD_NELEM(groups))],
	    sizeof(p->group_name));
	p->status = rnd(50) == 0 ? CD_PS_DISABLED : CD_PS_ACTIVE;
	p->created_at = now - (int64_t)YEARS * 365 * 86400 - rnd(86400 * 30);
}

/* Add people; a taken logon gets another number.  ids[] gets their ids. */
static int
add_people(struct cd_store *st, const struct opts *o, int64_t *ids,
    struct cd_err *err)
{
	struct cd_person p;
	long i, k = 0;
	int r;

	for (i = 0; k < o->npeople; i++) {
		make_person(i, &p, o->now);
		r = cd_store_sqlite_ops.person_add(st, &p, err);
		if (r == CD_E_EXISTS)
			continue;
		if (r != 0)
			return r;
		ids[k++] = p.id;
	}
	return 0;
}

/* Older requests are mostly finished; recent ones often still open. */
static int
pick_status(int64_t age)
{
	unsigned x = rnd(1000);

	if (age > 30 * 86400) {
		if (x < 780) return CD_RS_COMPLETED;
		if (x < 870) return CD_RS_CANCELLED;
		if (x < 950) return CD_RS_EXPIRED;
		if (x < 990) return CD_RS_REJECTED;
		return CD_RS_AWAIT_COLLECTION;
	}
	if (x < 450) return CD_RS_COMPLETED;
	if (x < 650) return CD_RS_AWAIT_COLLECTION;
	if (x < 780) return CD_RS_AWAIT_APPROVAL;
	if (x < 880) return CD_RS_AWAIT_VALIDATION;
	if (x < 940) return CD_RS_CANCELLED;
	if (x < 980) return CD_RS_REJECTED;
	if (x < 985) return CD_RS_BEING_COLLECTED;
	return CD_RS_EXPIRED;
}

static void
make_request(const struct opts *o, long i, int64_t person, struct cd_request *r)
{
	int64_t span = (int64_t)YEARS * 365 * 86400, t;
	const char *op = operators[rnd(CD_NELEM(operators))];
	const char *ap = approvers[rnd(CD_NELEM(approvers))];

	memset(r, 0, sizeof(*r));
	t = o->now - span + span * i / o->nreq + rnd(3600);
	r->type = CD_RT_SOFT_CERT;
	r->person_id = person;
	r->status = pick_status(o->now - t);
	cd_strlcpy(r->profile, o->profiles[rnd((unsigned)o->nprofiles)],
	    sizeof(r->profile));
	cd_strlcpy(r->created_by, op, sizeof(r->created_by));
	r->created_at = t;
	r->updated_at = t;
	if (r->status != CD_RS_AWAIT_APPROVAL && rnd(3) == 0) {
		cd_strlcpy(r->approved_by, ap, sizeof(r->approved_by));
		r->approved_at = r->updated_at = t + 3600;
	}
	if (r->status == CD_RS_COMPLETED) {
		cd_strlcpy(r->collected_by, op, sizeof(r->collected_by));
		r->collected_at = r->updated_at = t + 86400 + rnd(86400 * 7);
	} else if (r->status == CD_RS_CANCELLED ||
	    r->status == CD_RS_REJECTED) {
		cd_strlcpy(r->cancelled_by, r->status == CD_RS_REJECTED ? ap :
		    op, sizeof(r->cancelled_by));
		r->cancelled_at = r->updated_at = t + 3600 * (1 + rnd(72));
	}
}

/* The requests columns, in table order, as the schema has them. */
static const char req_cols[] = "id,type,status,person_id,device_id,"
    "profile,created_by,created_at,approved_by,approved_at,validated_by,"
    "validated_at,collected_by,collected_at,cancelled_by,cancelled_at,"
    "updated_at,note";

/* Refuse a schema whose requests table is not the one written here. */
static int
check_columns(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char have[1024] = "";
	size_t n = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA table_info(requests)", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW && n + 64 < sizeof(have))
		n += (size_t)snprintf(have + n, sizeof(have) - n, "%s%s",
		    n ? "," : "", (const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	/* later columns (attempt_id) keep their defaults */
	if (strncmp(have, req_cols, strlen(req_cols)) == 0 &&
	    (have[strlen(req_cols)] == '\0' || have[strlen(req_cols)] == ','))
		return 0;
	fprintf(stderr, "gen-store: the requests table has changed (%s)\n",
	    have);
	return -1;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static int
insert_request(sqlite3_stmt *st, const struct cd_request *r)
{
	sqlite3_reset(st);
	sqlite3_bind_int(st, 1, r->type);
	sqlite3_bind_int(st, 2, r->status);
	sqlite3_bind_int64(st, 3, r->person_id);
	sqlite3_bind_null(st, 4);
	bind_text(st, 5, r->profile);
	bind_text(st, 6, r->created_by);
	sqlite3_bind_int64(st, 7, r->created_at);
	bind_text(st, 8, r->approved_by);
	sqlite3_bind_int64(st, 9, r->approved_at);
	bind_text(st, 10, r->validated_by);
	sqlite3_bind_int64(st, 11, r->validated_at);
	bind_text(st, 12, r->collected_by);
	sqlite3_bind_int64(st, 13, r->collected_at);
	bind_text(st, 14, r->cancelled_by);
	sqlite3_bind_int64(st, 15, r->cancelled_at);
	sqlite3_bind_int64(st, 16, r->updated_at);
	bind_text(st, 17, r->note);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

/* Each person has a few requests; some people many. */
static int
add_requests(sqlite3 *db, const struct opts *o, const int64_t *ids)
{
	struct cd_request r;
	sqlite3_stmt *st = NULL;
	int64_t who;
	long i;
	int rc = -1;

	if (check_columns(db) != 0 || sqlite3_prepare_v2(db,
	    "INSERT INTO requests (type, status, person_id, device_id, "
	    "profile, created_by, created_at, approved_by, approved_at, "
	    "validated_by, validated_at, collected_by, collected_at, "
	    "cancelled_by, cancelled_at, updated_at, note) VALUES (?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1, &st, NULL) !=
	    SQLITE_OK)
		goto out;
	for (i = 0; i < o->nreq; i++) {
		who = rnd(10) == 0 ? ids[rnd(o->npeople < 200 ?
		    (unsigned)o->npeople : 200)] : ids[rnd((unsigned)o->npeople)];
		make_request(o, i, who, &r);
		if (insert_request(st, &r) != 0)
			goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "gen-store: %s\n", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc;
}

/* People through the store interface. */
static int
people(const struct opts *o, int64_t *ids)
{
	struct cd_store *st = NULL;
	struct cd_err err;
	int rc = -1;

	cd_err_clear(&err);
	if (cd_store_sqlite_ops.open(NULL, o->datadir, 0, &st, &err) != 0 ||
	    cd_store_sqlite_ops.begin(st, &err) != 0 ||
	    add_people(st, o, ids, &err) != 0 ||
	    cd_store_sqlite_ops.commit(st, &err) != 0)
		fprintf(stderr, "gen-store: %s\n", err.msg);
	else
		rc = 0;
	if (st != NULL)
		cd_store_sqlite_ops.close(st);
	return rc;
}

/* Requests in one transaction on the store's database file. */
static int
requests(const struct opts *o, const int64_t *ids)
{
	char path[4096];
	sqlite3 *db = NULL;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/certdesk.db", o->datadir);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK || sqlite3_exec(db, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -262144; "
	    "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "gen-store: %s: %s\n", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	if (add_requests(db, o, ids) != 0 ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	sqlite3_close(db);
	return rc;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	char *tok, *save = NULL;
	int ch;

	memset(o, 0, sizeof(*o));
	o->seed = 20261201;
	o->now = (int64_t)time(NULL);
	while ((ch = getopt(argc, argv, "d:n:p:P:s:t:")) != -1) {
		switch (ch) {
		case 'd': o->datadir = optarg; break;
		case 'n': o->nreq = atol(optarg); break;
		case 'p': o->npeople = atol(optarg); break;
		case 's': o->seed = (unsigned)atol(optarg); break;
		case 't': o->now = atoll(optarg); break;
		case 'P':
			for (tok = strtok_r(optarg, ",", &save); tok != NULL &&
			    o->nprofiles < MAX_PROFILES;
			    tok = strtok_r(NULL, ",", &save))
				o->profiles[o->nprofiles++] = tok;
			break;
		default: return -1;
		}
	}
	if (o->npeople == 0)
		o->npeople = o->nreq / 20 > 100 ? o->nreq / 20 : 100;
	return o->datadir && o->nreq > 0 && o->nprofiles > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct timespec t0, t1;
	int64_t *ids = NULL;
	int rc = 1;

	if (parse(argc, argv, &o) != 0) {
		fputs("usage: gen-store -d DATADIR -n REQUESTS -P PROFILE,... "
		    "[-p PEOPLE] [-s SEED] [-t NOW]\n", stderr);
		return 2;
	}
	rng_state = o.seed;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((ids = calloc((size_t)o.npeople, sizeof(*ids))) == NULL)
		goto out;
	if (people(&o, ids) != 0 || requests(&o, ids) != 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("people %ld\nrequests %ld\nseconds %.2f\n", o.npeople, o.nreq,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	free(ids);
	return rc;
}
