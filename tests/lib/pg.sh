# SPDX-License-Identifier: ISC
# pg.sh - a private PostgreSQL server for store tests (source it).
#
#	. "$top_srcdir/tests/lib/pg.sh"
#	pg_available || skip_all "$PG_WHY"
#	pg_start "$dir" || bail_out "private postgresql: $PG_WHY"
#	pg_createdb NAME	 an empty database; its DSN in $PG_DSN_NAME...
#	pg_dsn NAME		 prints "host=... port=... user=... dbname=NAME"
#	pg_psql NAME -c SQL	 psql on it (superuser certdesk)
#	pg_restart		 stop (fast) and start again, same data
#	pg_stop
#
# The server listens on a Unix socket in DIR only (listen_addresses is
# empty: nothing on the network), on a port picked from $$, with fsync
# off.  initdb refuses root, so as root the cluster belongs to the
# postgres user (runuser); as anyone else, to that user.  The superuser
# role is "certdesk" with trust authentication on the socket.  Needs the
# postgresql package (server binaries under /usr/lib/postgresql/N/bin).
# pg_stop is also run by the EXIT trap pg_start installs.

PG_BIN=
PG_DIR=
PG_PORT=
PG_WHY=

pg_available() {
	PG_WHY=
	if ! grep -q '^#define HAVE_LIBPQ 1' "${top_builddir:-$top_srcdir}/config.h" \
	    2>/dev/null; then
		PG_WHY="certdesk was built without libpq (--without-postgresql)"
		return 1
	fi
	for _d in /usr/lib/postgresql/*/bin; do
		[ -x "$_d/initdb" ] && [ -x "$_d/pg_ctl" ] && PG_BIN=$_d
	done
	if [ -z "$PG_BIN" ]; then
		PG_WHY="PostgreSQL server not installed (package postgresql)"
		return 1
	fi
	if ! command -v psql >/dev/null 2>&1; then
		PG_WHY="psql not installed (package postgresql-client)"
		return 1
	fi
	if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
		PG_WHY="running as root without a postgres user to run initdb"
		return 1
	fi
	return 0
}

# Run a server binary as the cluster's owner.
_pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {
	PG_DIR=$1/pg
	PG_PORT=$((50000 + $$ % 10000))
	mkdir -p "$PG_DIR" || { PG_WHY="mkdir $PG_DIR"; return 1; }
	[ "$(id -u)" -eq 0 ] && chown postgres "$PG_DIR" && chmod 755 "$1"
	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U certdesk \
	    --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1; then
		PG_WHY="initdb failed: $(tail -3 "$PG_DIR/initdb.log")"
		return 1
	fi
	_pg_as mkdir -p "$PG_DIR/sock"
	trap 'pg_stop; rm -rf "$T"' EXIT
	_pg_start_server
}

_pg_start_server() {
	if ! _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/pg.log" -w \
	    -o "-k $PG_DIR/sock -p $PG_PORT -c listen_addresses= -c fsync=off" \
	    start >/dev/null 2>&1; then
		PG_WHY="pg_ctl start failed: $(tail -3 "$PG_DIR/pg.log")"
		return 1
	fi
	return 0
}

pg_stop() {
	[ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ] &&
	    _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop \
	    >/dev/null 2>&1
	return 0
}

pg_restart() {
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop \
	    >/dev/null 2>&1
	_pg_start_server
}

pg_dsn() {
	printf 'host=%s port=%s user=certdesk dbname=%s' "$PG_DIR/sock" \
	    "$PG_PORT" "$1"
}

pg_psql() {
	_db=$1; shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR/sock" -p "$PG_PORT" \
	    -U certdesk -d "$_db" "$@"
}

pg_createdb() {
	pg_psql postgres -c "CREATE DATABASE \"$1\""
}
