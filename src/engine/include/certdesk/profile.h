/* SPDX-License-Identifier: ISC */
/*
 * profile.h - credential profiles and certificate policies as the
 * configuration defines them: what a front-end shows of a profile (name,
 * description, password mode, approval steps) and of its policies (key
 * type, storage method).  Public: front-ends get them from engine.h's
 * accessors and from collect.h; the configuration itself (conf.h) is the
 * engine's.
 */
#ifndef CD_PROFILE_H
#define CD_PROFILE_H

#define CD_NAME_MAX 64
#define CD_TEXT_MAX 256
#define CD_PATH_MAX 1024
#define CD_MAX_POLICIES_PER_PROFILE 8

enum cd_key_type {
	CD_KEY_RSA2048 = 0,
	CD_KEY_RSA3072,
	CD_KEY_RSA4096,
	CD_KEY_EC_P256,
	CD_KEY_EC_P384
};

enum cd_storage {
	CD_STORE_FILESTORE = 0,	/* a folder the operator picks */
	CD_STORE_AUTOSAVE,	/* the first empty USB drive */
	CD_STORE_SYSTEMSTORE	/* the user's NSS database */
};

/* X.509 keyUsage bits, as in RFC 5280 order. */
enum cd_key_usage {
	CD_KU_DIGITAL_SIGNATURE = 1 << 0,
	CD_KU_NON_REPUDIATION = 1 << 1,
	CD_KU_KEY_ENCIPHERMENT = 1 << 2,
	CD_KU_DATA_ENCIPHERMENT = 1 << 3,
	CD_KU_KEY_AGREEMENT = 1 << 4
};

/* Extended key usages. */
enum cd_ext_key_usage {
	CD_EKU_CLIENT_AUTH = 1 << 0,
	CD_EKU_EMAIL_PROTECTION = 1 << 1,
	CD_EKU_CODE_SIGNING = 1 << 2,
	CD_EKU_SMARTCARD_LOGON = 1 << 3,
	CD_EKU_DOCUMENT_SIGNING = 1 << 4,
	CD_EKU_SERVER_AUTH = 1 << 5
};

/* Character classes of a password policy. */
enum cd_char_class {
	CD_CC_LOWER = 1 << 0,
	CD_CC_UPPER = 1 << 1,
	CD_CC_DIGIT = 1 << 2,
	CD_CC_SYMBOL = 1 << 3
};

struct cd_pwpolicy {
	int min_len;
	int max_len;
	unsigned required;	/* CD_CC_* bits that must each appear */
};

struct cd_policy {
	char id[CD_NAME_MAX];		/* section suffix: [policy.ID] */
	char name[CD_NAME_MAX];		/* friendly name, used in file names */
	enum cd_key_type key_type;
	int validity_days;
	unsigned key_usage;		/* CD_KU_* */
	unsigned ext_key_usage;		/* CD_EKU_* */
	/* Subject, e.g. "CN=[[People.FullName]],O=Example" */
	char subject[CD_TEXT_MAX];
	/* subjectAltName, e.g. "email:[[People.Email]],upn:[[People.Upn]]" */
	char san[CD_TEXT_MAX];
	enum cd_storage storage;
	char policy_oid[CD_NAME_MAX];	/* certificatePolicies OID, or "" */
	int allow_any_eku;		/* serverAuth, codeSigning, ... allowed */
	int allow_dns_san;		/* dns: subjectAltNames allowed */
};

struct cd_profile {
	char id[CD_NAME_MAX];		/* section suffix: [profile.ID] */
	char name[CD_NAME_MAX];		/* display name */
	char description[CD_TEXT_MAX];
	int user_pin;			/* 1: the operator types the password */
	struct cd_pwpolicy pw;
	int need_approval;
	int need_validation;
	int npolicies;
	const struct cd_policy *policies[CD_MAX_POLICIES_PER_PROFILE];
	/*
	 * Absolute, "" if none.  A server-mode client's copy holds a
	 * marker that is not a path ("certdeskd:transport"): the server
	 * renders the document; test it for "" only.
	 */
	char transport_template[CD_PATH_MAX];
	char pin_mailer_template[CD_PATH_MAX];	/* absolute, "" if none */
};

const char *cd_key_type_name(enum cd_key_type t);	/* "RSA-2048", "EC P-256" */
const char *cd_storage_name(enum cd_storage s);		/* "FileStore", ... */

#endif
