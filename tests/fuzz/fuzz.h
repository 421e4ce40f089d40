/* SPDX-License-Identifier: ISC */
/*
 * fuzz.h - what the fuzz harnesses share: writing an input to a file
 * (plain stdio: no fsync, since it runs once per input).
 */
#ifndef CD_FUZZ_H
#define CD_FUZZ_H

#include <stdio.h>

static inline int
fuzz_write_file(const char *path, const void *p, size_t len)
{
	FILE *f;
	int r = 0;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	if (fwrite(p, 1, len, f) != len)
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

#endif
