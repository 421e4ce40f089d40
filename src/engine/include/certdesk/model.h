/* SPDX-License-Identifier: ISC */
/*
 * model.h - the records certdesk keeps: people, devices, requests,
 * certificates, collection attempts and the audit trail.
 *
 * Plain fixed-size structs so front-ends and backends can pass them by
 * value without ownership rules.  Times are Unix seconds (int64_t), 0 = unset.
 */
#ifndef CD_MODEL_H
#define CD_MODEL_H

#include <stdint.h>

#define CD_LOGON_MAX 128
#define CD_FIELD_MAX 256
#define CD_SERIAL_MAX 80
#define CD_DETAIL_MAX 4096

enum cd_role {
	CD_ROLE_VIEW = 1 << 0,		/* view and search */
	CD_ROLE_REQUEST = 1 << 1,	/* make requests for others */
	CD_ROLE_APPROVE = 1 << 2,
	CD_ROLE_VALIDATE = 1 << 3,
	CD_ROLE_COLLECT = 1 << 4,	/* collect for others */
	CD_ROLE_ADMIN = 1 << 5,		/* people, config-level actions */
	CD_ROLE_REVOKE = 1 << 6		/* revoke and release certificates */
};
#define CD_ROLE_ALL 0x7f

enum cd_person_status { CD_PS_ACTIVE = 0, CD_PS_DISABLED };

struct cd_person {
	int64_t id;
	char logon[CD_LOGON_MAX];
	char full_name[CD_FIELD_MAX];
	char email[CD_FIELD_MAX];
	char employee_id[64];
	char group_name[CD_FIELD_MAX];	/* group / OU */
	char upn[CD_FIELD_MAX];		/* userPrincipalName, "" if none */
	int status;			/* enum cd_person_status */
	unsigned roles;			/* CD_ROLE_* */
	int64_t created_at;
};

enum cd_request_type {
	CD_RT_SOFT_CERT = 0	/* "Request a soft certificate for a user" */
};

enum cd_request_status {
	CD_RS_AWAIT_APPROVAL = 0,
	CD_RS_AWAIT_VALIDATION,
	CD_RS_AWAIT_COLLECTION,
	CD_RS_BEING_COLLECTED,
	CD_RS_COMPLETED,
	CD_RS_REJECTED,
	CD_RS_CANCELLED,
	CD_RS_EXPIRED,
	CD_RS__COUNT
};

struct cd_request {
	int64_t id;
	int type;			/* enum cd_request_type */
	int status;			/* enum cd_request_status */
	int64_t person_id;
	int64_t device_id;		/* the package, once collected; 0 */
	char profile[64];		/* credential profile id */
	char created_by[CD_LOGON_MAX];
	int64_t created_at;
	char approved_by[CD_LOGON_MAX];
	int64_t approved_at;
	char validated_by[CD_LOGON_MAX];
	int64_t validated_at;
	char collected_by[CD_LOGON_MAX];
	int64_t collected_at;
	char cancelled_by[CD_LOGON_MAX];	/* also who rejected */
	int64_t cancelled_at;
	int64_t updated_at;
	char note[CD_FIELD_MAX];
	/* Filled by get/search; ignored on write. */
	char person_logon[CD_LOGON_MAX];
	char person_name[CD_FIELD_MAX];
	/*
	 * The collection attempt that holds the request (being collected)
	 * or completed it; 0 otherwise.  Only the store's claim, commit and
	 * release operations change it (store.h).
	 */
	int64_t attempt_id;
};

enum cd_cert_status {
	CD_CS_PENDING = 0,	/* issued, not yet fully collected */
	CD_CS_ACTIVE,		/* collected */
	CD_CS_REVOKED
};

struct cd_cert {
	int64_t id;
	char serial[CD_SERIAL_MAX];	/* lower-case hex, no separators */
	char issuer[CD_FIELD_MAX];
	char subject[CD_FIELD_MAX];
	int64_t request_id;
	int64_t person_id;
	int64_t attempt_id;
	int64_t device_id;		/* package device once collected */
	char policy[64];		/* certificate policy id */
	int status;			/* enum cd_cert_status */
	int64_t not_before;
	int64_t not_after;
	int64_t revoke_after;		/* sweep revokes at/after this; 0 = no */
	char revoke_reason[32];		/* "cessationOfOperation", ... */
	int64_t revoked_at;
	char location[CD_DETAIL_MAX];	/* where it was delivered */
	int64_t created_at;
};

struct cd_device {
	int64_t id;
	char type[32];			/* "Soft Certificate", "USB Drive" */
	char serial[CD_FIELD_MAX];
	int64_t owner_id;		/* person */
	int64_t parent_id;		/* e.g. package on a USB drive; 0 */
	char status[16];		/* "active", "cancelled" */
	char detail[CD_DETAIL_MAX];
	int64_t created_at;
};

enum cd_attempt_state {
	CD_AS_IN_PROGRESS = 0,
	CD_AS_COMPLETED,
	CD_AS_CANCELLED,
	CD_AS_FAILED,
	CD_AS_ABORTED		/* process died; aborted by the sweep */
};

struct cd_attempt {
	int64_t id;
	int64_t request_id;
	char operator_[CD_LOGON_MAX];
	int pid;
	char host[64];
	int64_t started_at;
	int64_t heartbeat_at;
	int64_t ended_at;
	int state;			/* enum cd_attempt_state */
	char detail[CD_DETAIL_MAX];	/* a note; files are journal rows */
	int64_t instance_id;		/* the server instance holding it */
};

#define CD_JPATH_MAX 4096

enum cd_journal_state {
	CD_JS_PENDING = 0,	/* written, or about to be: undo on rollback */
	CD_JS_REMOVED,		/* removed, or found gone or replaced */
	CD_JS_KEPT		/* the attempt completed: the file stays */
};

/* What a journal row records. */
enum cd_journal_kind {
	CD_JK_FILE = 0,		/* a file written on host */
	CD_JK_PRINT		/* a print job that may hold a secret */
};

/*
 * One file a collection attempt writes, recorded before the write so a
 * cancel or the sweep can remove exactly it: an absolute, resolved path
 * on host, and the SHA-256 of the content (a file that no longer hashes
 * to it is someone else's and is left alone).  A print job (kind
 * CD_JK_PRINT, sha256 "") is recorded before its document is sent, so
 * that it can be purged from the print scheduler: its path is
 * "BACKEND<TAB>JOB", JOB as the backend's submit names it to be purged
 * (cups: "SERVER<TAB>QUEUE<TAB>JOBID").  A commit keeps only files: a
 * print job row stays pending until the job is purged.
 */
struct cd_journal {
	int64_t id;
	int64_t attempt_id;
	char host[64];
	char path[CD_JPATH_MAX];
	char sha256[65];		/* lower-case hex */
	int state;			/* enum cd_journal_state */
	int64_t at;			/* recorded */
	char note[CD_FIELD_MAX];	/* why the last removal failed */
	int kind;			/* enum cd_journal_kind */
};

struct cd_audit {
	int64_t id;
	int64_t at;
	char operator_[CD_LOGON_MAX];
	char action[64];		/* "request.approve", "collect.file", ... */
	char object[128];		/* "request 12", "cert 0af3..." */
	char outcome[16];		/* "ok", "refused", "failed" */
	char detail[CD_DETAIL_MAX];	/* never a secret */
};

const char *cd_role_name(enum cd_role r);		/* "approve" */
int cd_role_parse(const char *list, unsigned *out);	/* "view,approve" */
void cd_roles_format(unsigned roles, char *buf, size_t len);

const char *cd_status_name(int status);			/* "awaiting collection" */
const char *cd_status_short(int status);		/* "awaiting-collection" */
int cd_status_parse(const char *s);			/* either form; -1 */

const char *cd_request_type_name(int type);	/* full name, for the UI */
const char *cd_request_type_short(int type);	/* "softcert", for the CLI */
int cd_request_type_parse(const char *s);	/* either form; -1 */

const char *cd_cert_status_name(int status);	/* "pending-collection" */
const char *cd_attempt_state_name(int state);

#endif
