/* SPDX-License-Identifier: ISC */
/*
 * model.c - names of roles, statuses, request types and states, for the
 * UI (long form) and the CLI (short form), and their parsers.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "certdesk/model.h"
#include "util.h"

static const char *const role_names[] = {
	"view", "request", "approve", "validate", "collect", "admin", "revoke"
};

static const char *const status_names[CD_RS__COUNT] = {
	"awaiting approval", "awaiting validation", "awaiting collection",
	"being collected", "completed", "rejected", "cancelled", "expired"
};

static const char *const status_short[CD_RS__COUNT] = {
	"awaiting-approval", "awaiting-validation", "awaiting-collection",
	"being-collected", "completed", "rejected", "cancelled", "expired"
};

static const char *const cert_status_names[] = {
	"pending-collection", "active", "revoked"
};

static const char *const attempt_names[] = {
	"in-progress", "completed", "cancelled", "failed", "aborted"
};

const char *
cd_role_name(enum cd_role r)
{
	size_t i;

	for (i = 0; i < CD_NELEM(role_names); i++)
		if ((unsigned)r == 1u << i)
			return role_names[i];
	return "?";
}

int
cd_role_parse(const char *list, unsigned *out)
{
	char buf[256], *tok, *save = NULL;
	unsigned roles = 0;
	size_t i;

	if (cd_strlcpy(buf, list, sizeof(buf)) >= sizeof(buf))
		return -1;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (cd_strieq(tok, "all")) {
			roles |= CD_ROLE_ALL;
			continue;
		}
		for (i = 0; i < CD_NELEM(role_names); i++)
			if (cd_strieq(tok, role_names[i]))
				break;
		if (i == CD_NELEM(role_names))
			return -1;
		roles |= 1u << i;
	}
	*out = roles;
	return 0;
}

void
cd_roles_format(unsigned roles, char *buf, size_t len)
{
	size_t i, used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < CD_NELEM(role_names); i++) {
		if ((roles & (1u << i)) == 0)
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0,
		    "%s%s", used ? "," : "", role_names[i]);
		if (used >= len)
			break;
	}
}

const char *
cd_status_name(int status)
{
	if (status < 0 || status >= CD_RS__COUNT)
		return "unknown";
	return status_names[status];
}

const char *
cd_status_short(int status)
{
	if (status < 0 || status >= CD_RS__COUNT)
		return "unknown";
	return status_short[status];
}

int
cd_status_parse(const char *s)
{
	int i;

	for (i = 0; i < CD_RS__COUNT; i++)
		if (cd_strieq(s, status_names[i]) ||
		    cd_strieq(s, status_short[i]))
			return i;
	return -1;
}

const char *
cd_request_type_name(int type)
{
	return type == CD_RT_SOFT_CERT ?
	    "Request a soft certificate for a user" : "unknown";
}

const char *
cd_request_type_short(int type)
{
	return type == CD_RT_SOFT_CERT ? "softcert" : "unknown";
}

int
cd_request_type_parse(const char *s)
{
	if (cd_strieq(s, "softcert") ||
	    cd_strieq(s, cd_request_type_name(CD_RT_SOFT_CERT)))
		return CD_RT_SOFT_CERT;
	return -1;
}

const char *
cd_cert_status_name(int status)
{
	if (status < 0 || status >= (int)CD_NELEM(cert_status_names))
		return "unknown";
	return cert_status_names[status];
}

const char *
cd_attempt_state_name(int state)
{
	if (state < 0 || state >= (int)CD_NELEM(attempt_names))
		return "unknown";
	return attempt_names[state];
}
