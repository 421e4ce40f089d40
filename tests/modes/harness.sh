#!/bin/sh
# SPDX-License-Identifier: ISC
# harness.sh - the server mode of the shell suites (tests/lib/mode.sh):
# certdeskd starts at the first client call on the test's data directory,
# clients reach it through cd_ and cd_as (as uid 0, --as keeps its
# meaning), it is restarted when $CONF changes, stopped for local
# administration, given an environment by mode_restart, and stopped
# when the script's shell ends, even by SIGKILL.
CERTDESK_TEST_MODE=server
. "${top_srcdir:-.}/tests/lib/common.sh"

pid_now() { cat "$MODE_DIR/pid" 2>/dev/null; }
gone() {
	i=0
	while mode_alive "$1" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	! mode_alive "$1"
}

check "mode_is server" mode_is server
check "not embedded" sh -c '! [ "$1" = embedded ]' - "$CERTDESK_TEST_MODE"
setup_store
p1=$(pid_now)
check "setup_store's first client call started certdeskd" mode_alive "${p1:-0}"
check "on a private socket in \$T" test -S "$T/srv/sock"
like "$(mode_client_env)" "^CERTDESK_MODE=server CERTDESK_SOCKET=$T/srv/sock\$" \
    "mode_client_env names the mode and the socket"

# the API's client: collect goes over the socket
PW='Corr3ct-Horse(9)'
printf '%s\n' "$PW" >"$T/pw"
mkdir "$T/out"
cd_ request new --person Susan.Smith --profile user-pin
id=$(cat "$OUT")
cd_ collect "$id" --folder "$T/out" --password-fd 3 --json 3<"$T/pw"
expect_rc 0 "cd_ collect through certdeskd"
expect_out '"status":"completed"' "completed"
is "$(pid_now)" "$p1" "the same certdeskd served both calls"

# a client sent to a socket nobody serves fails: cd_ really uses it
mode_stop
check "mode_stop stops certdeskd" gone "$p1"
cd_ request new --person Susan.Smith --profile user-pin
id2=$(cat "$OUT")
run env CERTDESK_MODE=server CERTDESK_SOCKET="$T/srv/none" "$CERTDESK" \
    -c "$CONF" collect "$id2" --folder "$T/out" --password-fd 3 3<"$T/pw"
isnt "$RC" 0 "a server-mode client with no server fails"
p2=$(pid_now)
check "cd_ restarted certdeskd after mode_stop" mode_alive "${p2:-0}"

# cd_as: root acts as another operator, as in the embedded mode
cd_as Vic.Viewer collect "$id2" --folder "$T/out" --password-fd 3 3<"$T/pw"
expect_rc 3 "cd_as: the viewer may not collect (refused as Vic.Viewer)"
cd_as Olivia.Operator collect "$id2" --folder "$T/out" --password-fd 3 \
    --overwrite 3<"$T/pw"
expect_rc 0 "cd_as: the operator may"

# a rewritten configuration reaches the server
sed -i 's/^sha1_pfx = no/sha1_pfx = yes/' "$CONF"
cd_ person list
p3=$(pid_now)
isnt "$p3" "$p2" "a changed \$CONF restarts certdeskd"
check "the old one has ended" gone "$p2"
cd_ person list
is "$(pid_now)" "$p3" "an unchanged one does not"
CERTDESK_CLOCK_OFFSET=5; export CERTDESK_CLOCK_OFFSET
cd_ person list
isnt "$(pid_now)" "$p3" "a changed test clock restarts it too"
unset CERTDESK_CLOCK_OFFSET
cd_env CERTDESK_CLOCK_OFFSET=7 person list
expect_rc 0 "cd_env: a client call under a test clock"
check "certdeskd was restarted with that clock" \
    grep -q 'CERTDESK_CLOCK_OFFSET=7' "/proc/$(pid_now)/environ"
is "${CERTDESK_CLOCK_OFFSET-unset}" unset "the script's clock is as it was"
cd_env CERTDESK_FAULT=none-such person list
expect_rc 0 "cd_env: another variable goes to the client"
check "and not to certdeskd" \
    sh -c '! grep -q CERTDESK_FAULT "/proc/$1/environ"' - "$(pid_now)"

# local administration runs on a stopped server
p4=$(pid_now)
cd_ init
check "cd_ init stopped certdeskd first" gone "$p4"
is "$(pid_now)" "" "and none runs until the next client call"

# an environment for certdeskd: a fault kills the server, and the next
# call starts a fresh one
mode_restart CERTDESK_FAULT=after-issue
p5=$(pid_now)
check "mode_restart started certdeskd" mode_alive "${p5:-0}"
check "with the variable in its environment" \
    grep -q 'CERTDESK_FAULT=after-issue' "/proc/$p5/environ"
mode_restart
check "mode_restart with nothing clears it" \
    sh -c '! grep -q CERTDESK_FAULT "/proc/$1/environ"' - "$(pid_now)"

# a bad configuration: the server cannot start, the client says so and
# the harness does not wait again for the same configuration
cp "$CONF" "$T/conf.good"
echo '[nonsense' >>"$CONF"
cd_ person list
is "$(pid_now)" "" "a configuration certdeskd refuses: no server"
check "the failure is remembered" test -s "$T/srv/failed"
cp "$T/conf.good" "$CONF"
cd_ person list
check "a good configuration again: certdeskd is back" \
    mode_alive "$(pid_now)"

# a script killed with SIGKILL leaves no certdeskd behind
cat >"$T/killed.sh" <<'EOF'
CERTDESK_TEST_MODE=server
. "$top_srcdir/tests/lib/common.sh"
setup_store >/dev/null
cat "$MODE_DIR/pid" >"$1"
kill -KILL $$
EOF
TMPDIR=$T sh "$T/killed.sh" "$T/killed.pid" >/dev/null 2>&1
kp=$(cat "$T/killed.pid" 2>/dev/null)
check "the killed script had a certdeskd" test -n "$kp"
check "which stops once its shell is gone" gone "${kp:-0}"

done_testing
