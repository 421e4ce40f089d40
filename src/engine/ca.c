/*
 * ca.c - the CA backend registry and X.509 text helpers.
 */
#include "config.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include "ca.h"
#include "util.h"

const struct cd_ca_ops *const cd_ca_backends[] = {
	&cd_ca_local_ops,
	NULL
};

const struct cd_ca_ops *
cd_ca_find(const char *name)
{
	int i;

	if (name == NULL || *name == '\0')
		return cd_ca_backends[0];
	for (i = 0; cd_ca_backends[i] != NULL; i++)
		if (cd_strieq(cd_ca_backends[i]->name, name))
			return cd_ca_backends[i];
	return NULL;
}

void
cd_x509_serial_hex(const X509 *x, char *buf, size_t len)
{
	BIGNUM *bn;
	char *hex, *p;

	cd_strlcpy(buf, "", len);
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) ==
	    NULL)
		return;
	if ((hex = BN_bn2hex(bn)) != NULL) {
		for (p = hex; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'F')
				*p = (char)(*p - 'A' + 'a');
		cd_strlcpy(buf, hex, len);
		OPENSSL_free(hex);
	}
	BN_free(bn);
}

void
cd_x509_name_text(const X509_NAME *n, char *buf, size_t len)
{
	BIO *bio;
	char *data;
	long got;

	cd_strlcpy(buf, "", len);
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	if (X509_NAME_print_ex(bio, n, 0, XN_FLAG_RFC2253 &
	    ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		got = BIO_get_mem_data(bio, &data);
		if (got >= 0 && (size_t)got < len) {
			memcpy(buf, data, (size_t)got);
			buf[got] = '\0';
		} else if (got > 0) {
			memcpy(buf, data, len - 1);
			buf[len - 1] = '\0';
		}
	}
	BIO_free(bio);
}
