/* SPDX-License-Identifier: ISC */
/*
 * store-cols.c - the column tables of store-cols.h.
 */
#include "config.h"

#include "store-cols.h"
#include "util.h"

static const struct col person_cols[] = {
	COL(cd_person, id, "id", K_I64),
	COL(cd_person, logon, "logon", K_TEXT),
	COL(cd_person, full_name, "full_name", K_TEXT),
	COL(cd_person, email, "email", K_TEXT),
	COL(cd_person, employee_id, "employee_id", K_TEXT),
	COL(cd_person, group_name, "group_name", K_TEXT),
	COL(cd_person, upn, "upn", K_TEXT),
	COL(cd_person, status, "status", K_INT),
	COL(cd_person, roles, "roles", K_UINT),
	COL(cd_person, created_at, "created_at", K_I64)
};

static const struct col request_cols[] = {
	COL(cd_request, id, "id", K_I64),
	COL(cd_request, type, "type", K_INT),
	COL(cd_request, status, "status", K_INT),
	COL(cd_request, person_id, "person_id", K_REF),
	COL(cd_request, device_id, "device_id", K_REF),
	COL(cd_request, profile, "profile", K_TEXT),
	COL(cd_request, created_by, "created_by", K_TEXT),
	COL(cd_request, created_at, "created_at", K_I64),
	COL(cd_request, approved_by, "approved_by", K_TEXT),
	COL(cd_request, approved_at, "approved_at", K_I64),
	COL(cd_request, validated_by, "validated_by", K_TEXT),
	COL(cd_request, validated_at, "validated_at", K_I64),
	COL(cd_request, collected_by, "collected_by", K_TEXT),
	COL(cd_request, collected_at, "collected_at", K_I64),
	COL(cd_request, cancelled_by, "cancelled_by", K_TEXT),
	COL(cd_request, cancelled_at, "cancelled_at", K_I64),
	COL(cd_request, updated_at, "updated_at", K_I64),
	COL(cd_request, note, "note", K_TEXT)
};

static const struct col cert_cols[] = {
	COL(cd_cert, id, "id", K_I64),
	COL(cd_cert, serial, "serial", K_TEXT),
	COL(cd_cert, issuer, "issuer", K_TEXT),
	COL(cd_cert, subject, "subject", K_TEXT),
	COL(cd_cert, request_id, "request_id", K_REF),
	COL(cd_cert, person_id, "person_id", K_REF),
	COL(cd_cert, attempt_id, "attempt_id", K_REF),
	COL(cd_cert, device_id, "device_id", K_REF),
	COL(cd_cert, policy, "policy", K_TEXT),
	COL(cd_cert, status, "status", K_INT),
	COL(cd_cert, not_before, "not_before", K_I64),
	COL(cd_cert, not_after, "not_after", K_I64),
	COL(cd_cert, revoke_after, "revoke_after", K_I64),
	COL(cd_cert, revoke_reason, "revoke_reason", K_TEXT),
	COL(cd_cert, revoked_at, "revoked_at", K_I64),
	COL(cd_cert, location, "location", K_TEXT),
	COL(cd_cert, created_at, "created_at", K_I64)
};

static const struct col device_cols[] = {
	COL(cd_device, id, "id", K_I64),
	COL(cd_device, type, "type", K_TEXT),
	COL(cd_device, serial, "serial", K_TEXT),
	COL(cd_device, owner_id, "owner_id", K_REF),
	COL(cd_device, parent_id, "parent_id", K_REF),
	COL(cd_device, status, "status", K_TEXT),
	COL(cd_device, detail, "detail", K_TEXT),
	COL(cd_device, created_at, "created_at", K_I64)
};

static const struct col attempt_cols[] = {
	COL(cd_attempt, id, "id", K_I64),
	COL(cd_attempt, request_id, "request_id", K_REF),
	COL(cd_attempt, operator_, "operator", K_TEXT),
	COL(cd_attempt, pid, "pid", K_INT),
	COL(cd_attempt, host, "host", K_TEXT),
	COL(cd_attempt, started_at, "started_at", K_I64),
	COL(cd_attempt, heartbeat_at, "heartbeat_at", K_I64),
	COL(cd_attempt, ended_at, "ended_at", K_I64),
	COL(cd_attempt, state, "state", K_INT),
	COL(cd_attempt, detail, "detail", K_TEXT),
	COL(cd_attempt, instance_id, "instance_id", K_REF)
};

static const struct col journal_cols[] = {
	COL(cd_journal, id, "id", K_I64),
	COL(cd_journal, attempt_id, "attempt_id", K_REF),
	COL(cd_journal, host, "host", K_TEXT),
	COL(cd_journal, path, "path", K_TEXT),
	COL(cd_journal, sha256, "sha256", K_TEXT),
	COL(cd_journal, state, "state", K_INT),
	COL(cd_journal, at, "at", K_I64),
	COL(cd_journal, note, "note", K_TEXT),
	COL(cd_journal, kind, "kind", K_INT)
};

static const struct col audit_cols[] = {
	COL(cd_audit, id, "id", K_I64),
	COL(cd_audit, at, "at", K_I64),
	COL(cd_audit, operator_, "operator", K_TEXT),
	COL(cd_audit, action, "action", K_TEXT),
	COL(cd_audit, object, "object", K_TEXT),
	COL(cd_audit, outcome, "outcome", K_TEXT),
	COL(cd_audit, detail, "detail", K_TEXT)
};

#define TABLE(n, noun, c) { n, noun, c, (int)CD_NELEM(c) }
const struct table person_t = TABLE("people", "person", person_cols);
const struct table request_t = TABLE("requests", "request",
    request_cols);
const struct table cert_t = TABLE("certs", "certificate", cert_cols);
const struct table device_t = TABLE("devices", "device",
    device_cols);
const struct table attempt_t = TABLE("attempts",
    "collection attempt", attempt_cols);
const struct table audit_t = TABLE("audit", "audit record",
    audit_cols);
const struct table journal_t = TABLE("journal", "journal row",
    journal_cols);
