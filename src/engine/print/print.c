/* SPDX-License-Identifier: ISC */
/*
 * print.c - the table of printing backends.
 */
#include "config.h"

#include <string.h>

#include "print.h"
#include "util.h"

const struct cd_print_ops *const cd_print_backends[] = {
	&cd_print_cups,
	&cd_print_file,
	NULL
};

const struct cd_print_ops *
cd_print_find(const char *name)
{
	int i;

	if (name == NULL || *name == '\0')
		return cd_print_backends[0];
	for (i = 0; cd_print_backends[i] != NULL; i++)
		if (cd_strieq(cd_print_backends[i]->name, name))
			return cd_print_backends[i];
	return NULL;
}
