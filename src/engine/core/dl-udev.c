/* SPDX-License-Identifier: ISC */
/*
 * dl-udev.c - the loader of libudev (see dl.h).
 */
#include "config.h"

#define CD_DL_NO_REDIRECT
#include "dl-udev.h"

CD_UDEV_SYMS(CD_DL_DEFINE)

static const struct cd_dl_sym udev_syms[] = { CD_UDEV_SYMS(CD_DL_ENTRY) };

static const struct cd_dl_lib udev_libs[] = {
	{ "libudev.so.1", udev_syms, sizeof(udev_syms) / sizeof(udev_syms[0]) },
};

static struct cd_dl_state udev_state;

int
cd_dl_udev(struct cd_err *err)
{
	return cd_dl_load(&udev_state, udev_libs,
	    sizeof(udev_libs) / sizeof(udev_libs[0]),
	    "the USB drive detection (AutoSave)", CD_E_USB, err);
}
