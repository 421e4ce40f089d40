/* SPDX-License-Identifier: ISC */
/*
 * dl-udev.h - libudev, for the USB drive detection of AutoSave
 * (deliver/usb.c), loaded on first use (see dl.h).  Include after the
 * library's headers; call cd_dl_udev() before the first call into the
 * library.
 */
#ifndef CD_DL_UDEV_H
#define CD_DL_UDEV_H

#include <libudev.h>

#include "dl.h"

/* libudev.so.1 */
#define CD_UDEV_SYMS(X) \
	X(udev_device_get_action) \
	X(udev_device_get_devnode) \
	X(udev_device_get_devnum) \
	X(udev_device_get_devtype) \
	X(udev_device_get_parent_with_subsystem_devtype) \
	X(udev_device_get_property_value) \
	X(udev_device_get_subsystem) \
	X(udev_device_get_syspath) \
	X(udev_device_new_from_syspath) \
	X(udev_device_unref) \
	X(udev_enumerate_add_match_subsystem) \
	X(udev_enumerate_get_list_entry) \
	X(udev_enumerate_new) \
	X(udev_enumerate_scan_devices) \
	X(udev_enumerate_unref) \
	X(udev_list_entry_get_name) \
	X(udev_list_entry_get_next) \
	X(udev_monitor_enable_receiving) \
	X(udev_monitor_filter_add_match_subsystem_devtype) \
	X(udev_monitor_get_fd) \
	X(udev_monitor_new_from_netlink) \
	X(udev_monitor_receive_device) \
	X(udev_monitor_unref) \
	X(udev_new) \
	X(udev_unref)

CD_UDEV_SYMS(CD_DL_EXTERN)

/* Load the library; CD_E_USB naming it when it cannot be. */
int cd_dl_udev(struct cd_err *err);

#ifndef CD_DL_NO_REDIRECT
#define udev_device_get_action sym_udev_device_get_action
#define udev_device_get_devnode sym_udev_device_get_devnode
#define udev_device_get_devnum sym_udev_device_get_devnum
#define udev_device_get_devtype sym_udev_device_get_devtype
#define udev_device_get_parent_with_subsystem_devtype \
	sym_udev_device_get_parent_with_subsystem_devtype
#define udev_device_get_property_value sym_udev_device_get_property_value
#define udev_device_get_subsystem sym_udev_device_get_subsystem
#define udev_device_get_syspath sym_udev_device_get_syspath
#define udev_device_new_from_syspath sym_udev_device_new_from_syspath
#define udev_device_unref sym_udev_device_unref
#define udev_enumerate_add_match_subsystem \
	sym_udev_enumerate_add_match_subsystem
#define udev_enumerate_get_list_entry sym_udev_enumerate_get_list_entry
#define udev_enumerate_new sym_udev_enumerate_new
#define udev_enumerate_scan_devices sym_udev_enumerate_scan_devices
#define udev_enumerate_unref sym_udev_enumerate_unref
#define udev_list_entry_get_name sym_udev_list_entry_get_name
#define udev_list_entry_get_next sym_udev_list_entry_get_next
#define udev_monitor_enable_receiving sym_udev_monitor_enable_receiving
#define udev_monitor_filter_add_match_subsystem_devtype \
	sym_udev_monitor_filter_add_match_subsystem_devtype
#define udev_monitor_get_fd sym_udev_monitor_get_fd
#define udev_monitor_new_from_netlink sym_udev_monitor_new_from_netlink
#define udev_monitor_receive_device sym_udev_monitor_receive_device
#define udev_monitor_unref sym_udev_monitor_unref
#define udev_new sym_udev_new
#define udev_unref sym_udev_unref
#endif

#endif
