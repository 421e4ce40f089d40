#!/bin/sh
# SPDX-License-Identifier: ISC
# modes.sh - how certdesk picks its client mode (certdesk(1), CLIENT
# MODES), without a server: $CERTDESK_MODE first, then a socket (-S,
# $CERTDESK_SOCKET) means server, then the configuration's [client] mode,
# then server when there is no configuration file.  In server mode no
# store or CA setting is read (a data directory is never made, a broken
# configuration does not matter); init, ca init and store migrate are
# local administration and never go through a server.
. "${top_srcdir:-.}/tests/lib/common.sh"

NOSOCK=$T/nobody.sock

# server mode with nobody listening: the command says where it went
expect_server() {
	expect_rc 1 "$1: server mode (nobody listens)"
	expect_err "certdeskd at $2" "$1: names the socket"
}

write_conf
cd_ -S "$NOSOCK" request search
expect_server "-S" "$NOSOCK"
check "server mode made no data directory" test ! -e "$T/data"
CERTDESK_SOCKET=$NOSOCK cd_ person list
expect_server "CERTDESK_SOCKET" "$NOSOCK"
CERTDESK_SOCKET=$NOSOCK run "$CERTDESK" -c "$CONF" --socket "$T/other.sock" \
    audit
expect_server "--socket before CERTDESK_SOCKET" "$T/other.sock"
CERTDESK_MODE=server cd_ request search
expect_server "CERTDESK_MODE=server" "/run/certdesk/certdesk.sock"
check "still no data directory" test ! -e "$T/data"

# a configuration that could not open a store is not read at all
printf '[general]\ndatadir = %s/nowhere\n[store]\nbackend = nosuch\n' "$T" \
    >"$T/broken.conf"
run "$CERTDESK" -c "$T/broken.conf" -S "$NOSOCK" request show 1
expect_server "-S with a configuration that has no usable store" "$NOSOCK"
run "$CERTDESK" -c "$T/broken.conf" request show 1
expect_rc 5 "the same configuration without a socket is a configuration error"
CERTDESK_MODE=bogus cd_ request search
expect_rc 5 "an unknown CERTDESK_MODE is a configuration error"
expect_err "unknown client mode 'bogus'" "and says so"

# the local administration commands act on the data directory, even
# with a socket set: init makes the store as its owner
CERTDESK_SOCKET=$NOSOCK cd_ init --ca-name "modes test CA"
expect_rc 0 "init is local, whatever the mode"
check "init made the data directory" test -d "$T/data"
CERTDESK_SOCKET=$NOSOCK cd_ ca init
expect_rc 3 "ca init is local too (refused here: the CA exists)"
expect_err "CA" "ca init's refusal is about the CA, not a server"
CERTDESK_SOCKET=$NOSOCK cd_ store migrate --from "sqlite:$T/data" \
    --to "sqlite:$T/copy"
check "store migrate is local too (no certdeskd named)" \
    sh -c "! grep -q certdeskd '$ERR'"

# the configuration's [client] mode, and the explicit embedded mode
cd_ request search
expect_rc 0 "a configuration without [client]: embedded"
printf '\n[client]\nmode = server\n' >>"$CONF"
cd_ request search
expect_server "[client] mode = server" "/run/certdesk/certdesk.sock"
CERTDESK_MODE=embedded run "$CERTDESK" -c "$CONF" -S "$NOSOCK" request search
expect_rc 0 "CERTDESK_MODE=embedded comes before the configuration and -S"

# no configuration file at all: server mode, on the default socket
mkdir -p "$T/home"
HOME=$T/home run env -u XDG_CONFIG_HOME "$CERTDESK" --version
sys=$(sed -n 's/^configuration file: //p' "$OUT")
if [ -e "$sys" ]; then
	skip "no configuration file: server mode" "this machine has $sys"
	skip "no configuration file: the default socket" "this machine has $sys"
else
	HOME=$T/home run env -u XDG_CONFIG_HOME "$CERTDESK" request search
	if [ "$RC" -eq 1 ] &&
	    grep -q 'certdeskd at /run/certdesk/certdesk.sock' "$ERR"; then
		ok "no configuration file: server mode on the default socket"
	else
		not_ok "no configuration file: server mode on the default socket"
	fi
fi

# A client's own file needs [client] only: no store, CA or profile.
printf '[client]\nmode = server\nsocket = %s\n' "$NOSOCK" >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_server "a file with [client] alone" "$NOSOCK"
printf '[client]\nmode = server\n[server]\nsocket = %s\n' "$NOSOCK" \
    >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_server "[server] socket when [client] names none" "$NOSOCK"
printf '[client]\nmode = server\nsockett = /x\n' >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_rc 5 "a misspelt [client] key is a configuration error"
expect_err "client.conf:3" "the error names the file and the line"
printf '[client]\nmode = sever\n' >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_rc 5 "an unknown mode is a configuration error"
expect_err "client.conf:2" "the mode error names the file and the line"
# [print] is the client's too (it prints the transport document itself),
# checked like the rest; a file without it is still whole.
printf '[client]\nmode = server\nsocket = %s\n[print]\nbackend = cups\n%s\n' \
    "$NOSOCK" 'printer = office
cups_server = 127.0.0.1:9' >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_server "a file with [client] and [print]" "$NOSOCK"
printf '[client]\nmode = server\n[print]\nbackend = nosuch\n' >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_rc 5 "an unknown print backend is a configuration error"
expect_err "client.conf:4" "the print error names the file and the line"
printf '[client]\nmode = server\n[print]\nprinterr = office\n' >"$T/client.conf"
run "$CERTDESK" -c "$T/client.conf" request search
expect_rc 5 "a misspelt [print] key is a configuration error"
done_testing
