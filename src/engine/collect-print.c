/*
 * collect-print.c - documents of a collection.  The PostScript renderer
 * and CUPS printing are not part of this build yet, so a PIN mailer
 * cannot be printed: collections with a generated password are refused at
 * commit (and rolled back), because nobody could learn the password.
 */
#include "config.h"

#include "collect-int.h"

int
cd_coll_pin_mailer(struct cd_collect *c, struct cd_err *err)
{
	return cd_err_set(err, CD_E_PRINT, "PIN mailers cannot be printed by "
	    "this version of certdesk");
}

int
cd_print_transport(struct cd_engine *e, int64_t request_id,
    const char *printer, const char *outfile, char *job, size_t joblen,
    struct cd_err *err)
{
	return cd_err_set(err, CD_E_PRINT, "transport documents cannot be "
	    "printed by this version of certdesk");
}
