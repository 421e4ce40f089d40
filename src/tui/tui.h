/* SPDX-License-Identifier: ISC */
/*
 * tui.h - the operator's full-screen interface (ncurses).  The only public
 * entry point; everything else in src/tui is private to it (tui-int.h).
 */
#ifndef CD_TUI_H
#define CD_TUI_H

struct cd_api;
struct cd_err;
/*
 * Run the operator UI on the terminal until the operator quits, reaching
 * the engine only through a (embedded or server).  Returns 0 or a CD_E_*
 * code with err filled (a failed whoami before the terminal is taken);
 * always restores the terminal.
 */
int tui_main(struct cd_api *a, struct cd_err *err);

#endif
