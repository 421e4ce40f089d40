/*
 * journal.h - the list of files a collection attempt is about to write,
 * kept in the attempt's record before each write so that a cancel, or the
 * sweep after a crash, can remove exactly those files and nothing else.
 *
 * Format: one line per file, "F<TAB>sha256-hex<TAB>path".  A file is only
 * removed while its contents still hash to the recorded value, so a later
 * package written under the same name is never touched.
 */
#ifndef CD_JOURNAL_H
#define CD_JOURNAL_H

#include <stddef.h>

#include "error.h"

/* Append a file to the journal text buf (NUL-terminated, size len). */
int cd_journal_add(char *buf, size_t len, const char *path,
    const unsigned char *data, size_t dlen, struct cd_err *err);

/*
 * Remove every journalled file whose contents match, and any temporary
 * ".NAME.PID.XXXXXX" left beside it by this process or a dead one (a
 * live writer's temporary of the same name is left alone).  Returns the
 * number of package files removed.
 */
int cd_journal_remove_files(const char *buf);

#endif
