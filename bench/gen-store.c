/*
 * gen-store.c - fill a certdesk store with a large, realistic data set
 * for the search benchmarks: people with common first and last names
 * (namesakes get a numbered logon), in departments, and N requests
 * spread over five years, newest the most likely to be still open, with
 * the statuses, profiles and approver/collector fields a real desk has.
 *
 * It writes through the store interface (cd_store_sqlite_ops), so the
 * schema, its indexes and the name-search words are the store's own; the
 * store must exist ('certdesk init').  Everything goes in one
 * transaction.  Deterministic for a given seed.
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

/* Each person has a few requests; some people many. */
static int
add_requests(struct cd_store *st, const struct opts *o, const int64_t *ids,
    struct cd_err *err)
{
	struct cd_request r;
	long i;
	int64_t who;
	int rc;

	for (i = 0; i < o->nreq; i++) {
		who = rnd(10) == 0 ? ids[rnd(o->npeople < 200 ?
		    (unsigned)o->npeople : 200)] : ids[rnd((unsigned)o->npeople)];
		make_request(o, i, who, &r);
		if ((rc = cd_store_sqlite_ops.request_add(st, &r, err)) != 0)
			return rc;
	}
	return 0;
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
	struct cd_store *st = NULL;
	struct cd_err err;
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
	cd_err_clear(&err);
	if ((ids = calloc((size_t)o.npeople, sizeof(*ids))) == NULL)
		goto out;
	if (cd_store_sqlite_ops.open(o.datadir, 0, &st, &err) != 0 ||
	    cd_store_sqlite_ops.begin(st, &err) != 0)
		goto fail;
	if (add_people(st, &o, ids, &err) != 0 ||
	    add_requests(st, &o, ids, &err) != 0 ||
	    cd_store_sqlite_ops.commit(st, &err) != 0)
		goto fail;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("people %ld\nrequests %ld\nseconds %.2f\n", o.npeople, o.nreq,
	    (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
	goto out;
fail:
	fprintf(stderr, "gen-store: %s\n", err.msg);
out:
	if (st != NULL)
		cd_store_sqlite_ops.close(st);
	free(ids);
	return rc;
}
