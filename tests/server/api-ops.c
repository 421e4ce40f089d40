/* SPDX-License-Identifier: ISC */
/*
 * api-ops.c - one client API call from the command line, for the server
 * tests (tests/server/ops.sh, journal.sh): the same call through either
 * implementation, its result printed in a fixed form so that the two
 * modes' outputs can be compared line by line.
 *
 *   api-ops MODE CONF|- SOCKET|- CALL [ARGS]
 *     source | profiles | print-destination | pending
 *     may-change ACTION LOGON ASKED | bulk PROFILE LIMIT JOBS FOLDER
 *     sweep
 *
 * API_OPS_AS=LOGON acts as that operator (root only); API_OPS_NO_SWEEP
 * opens without the start's sweep.
 * Exit 0 with the result, or 1 with "error CODE: message" on stdout.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"

static int
fail(const struct cd_err *err)
{
	printf("error %d: %s\n", err->code, err->msg);
	return 1;
}

static int
print_cert(const struct cd_cert *c, void *arg)
{
	(void)arg;
	printf("cert %s request %lld\n", c->serial, (long long)c->request_id);
	return 0;
}

static void
profiles(struct cd_api *a)
{
	const struct cd_profile *p;
	int i, k, n = cd_api_nprofiles(a);

	printf("%d profiles\n", n);
	for (i = 0; i < n; i++) {
		p = cd_api_profile_at(a, i);
		printf("profile %s user_pin=%d approval=%d validation=%d "
		    "pw=%d-%d name=%s:", p->id, p->user_pin, p->need_approval,
		    p->need_validation, p->pw.min_len, p->pw.max_len, p->name);
		for (k = 0; k < p->npolicies; k++)
			printf(" %s/%s/%d", p->policies[k]->id,
			    cd_storage_name(p->policies[k]->storage),
			    p->policies[k]->validity_days);
		printf("\n");
	}
	if (cd_api_profile_at(a, n) != NULL || cd_api_profile_at(a, -1))
		printf("profile_at out of range is not NULL\n");
}

static int
call(struct cd_api *a, int argc, char **argv)
{
	struct cd_sweep_result res;
	struct cd_err err;
	char buf[256];
	int64_t *ids = NULL;
	int n = 0, i;

	memset(&err, 0, sizeof(err));
	if (strcmp(argv[0], "source") == 0)
		printf("%s\n", cd_api_source(a));
	else if (strcmp(argv[0], "profiles") == 0)
		profiles(a);
	else if (strcmp(argv[0], "print-destination") == 0) {
		cd_api_print_destination(a, buf, sizeof(buf));
		printf("%s\n", buf);
	} else if (strcmp(argv[0], "pending") == 0) {
		if (cd_api_pending_revocations(a, print_cert, NULL, &n,
		    &err) != 0)
			return fail(&err);
		printf("%d pending\n", n);
	} else if (strcmp(argv[0], "may-change") == 0 && argc == 4) {
		if (cd_api_person_may_change(a, argv[1], argv[2], argv[3],
		    &err) != 0)
			return fail(&err);
		printf("may\n");
	} else if (strcmp(argv[0], "bulk") == 0 && argc == 5) {
		if (cd_api_bulk_start(a, argv[1], atoi(argv[2]),
		    atoi(argv[3]), argv[4], &ids, &n, &err) != 0)
			return fail(&err);
		printf("%d ready:", n);
		for (i = 0; i < n; i++)
			printf(" %lld", (long long)ids[i]);
		printf("\n");
		free(ids);
	} else if (strcmp(argv[0], "sweep") == 0) {
		if (cd_api_sweep(a, &res, &err) != 0)
			return fail(&err);
		printf("aborted %d revoked %d waiting %d files_removed %d "
		    "files_failed %d\n", res.aborted, res.revoked, res.waiting,
		    res.files_removed, res.files_failed);
	} else {
		fprintf(stderr, "api-ops: unknown call or arguments: %s\n",
		    argv[0]);
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cd_api_opts o;
	struct cd_api *a;
	struct cd_err err;
	int r;

	if (argc < 5) {
		fprintf(stderr, "usage: api-ops MODE CONF|- SOCKET|- CALL "
		    "[ARGS]\n");
		return 2;
	}
	memset(&o, 0, sizeof(o));
	o.mode = argv[1];
	o.conf_path = strcmp(argv[2], "-") != 0 ? argv[2] : NULL;
	o.socket = strcmp(argv[3], "-") != 0 ? argv[3] : NULL;
	o.no_sweep = getenv("API_OPS_NO_SWEEP") != NULL;
	o.as_logon = getenv("API_OPS_AS");
	if (cd_api_open(&o, &a, &err) != 0)
		return fail(&err);
	r = call(a, argc - 4, argv + 4);
	cd_api_close(a);
	return r;
}
