#!/bin/sh
# SPDX-License-Identifier: ISC
# audit.sh - every refusal and every change of people reaches the audit
# trail: refused person add/edit/import (a role-less operator asking for
# every role included), a refused read of the audit trail, unknown and
# disabled operators, --as by someone who is not root; person.add and
# person.import record the roles granted, person.edit the roles before
# and after.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store || { echo "1..0 # SKIP setup failed"; exit 1; }
cd_ person add --logon No.Roles --name "No Roles" --roles ''
# audit_has PATTERN DESC: the audit trail (JSON) has a record matching
audit_has() {
	run "$CERTDESK" -c "$CONF" audit --json
	if grep -qE -- "$1" "$OUT"; then ok "$2"; else not_ok "$2 (no /$1/)"; fi
}

cd_as No.Roles person edit Vic.Viewer --roles all
expect_rc 3 "a role-less operator cannot give anyone every role"
audit_has '"operator":"No.Roles \(as root\)","action":"person.edit","object":"person Vic.Viewer","outcome":"refused","detail":"[^"]*admin[^"]*asked: --roles all"' \
    "the refusal is audited with what was asked"
cd_ person show Vic.Viewer --json
expect_out '"roles":"view"' "and nothing changed"
cd_as Vic.Viewer person add --logon Mal.Lory --name "Mal Lory" --roles all
expect_rc 3 "a viewer cannot add people"
audit_has '"operator":"Vic.Viewer \(as root\)","action":"person.add","object":"person Mal.Lory","outcome":"refused","detail":"[^"]*asked: roles: [^"]*admin' \
    "refused person add is audited with the roles asked for"
printf 'logon,full_name,roles\nImp.One,Imp One,admin\n' >"$T/imp.csv"
cd_as Vic.Viewer person import "$T/imp.csv"
expect_rc 3 "a viewer cannot import people"
audit_has '"operator":"Vic.Viewer \(as root\)","action":"person.import","object":"people","outcome":"refused"' \
    "refused import is audited"
cd_as Vic.Viewer audit
expect_rc 3 "a viewer cannot read the audit trail"
audit_has '"operator":"Vic.Viewer \(as root\)","action":"audit.read","object":"audit trail","outcome":"refused"' \
    "the refused read is audited"

cd_as Nobody.Here request search
expect_rc 3 "an unknown operator is refused"
audit_has '"operator":"root","action":"operator.identify","object":"operator Nobody.Here","outcome":"refused","detail":"[^"]*not a certdesk operator' \
    "and audited under the Unix login"
cd_ person edit John.Samson --status disabled
cd_as John.Samson request search
expect_rc 3 "a disabled operator is refused"
audit_has '"action":"operator.identify","object":"operator John.Samson","outcome":"refused","detail":"[^"]*disabled' \
    "and audited"

cd_ person add --logon Gus.Grant --name "Gus Grant" --roles view,request
audit_has '"action":"person.add","object":"person Gus.Grant","outcome":"ok","detail":"Gus Grant; roles granted: view,request"' \
    "person.add records the roles granted"
cd_ person edit Gus.Grant --roles view,approve
audit_has '"action":"person.edit","object":"person Gus.Grant","outcome":"ok","detail":"roles: view,request -> view,approve"' \
    "person.edit records the roles before and after"
cd_ person edit Gus.Grant --status disabled
audit_has '"object":"person Gus.Grant","outcome":"ok","detail":"roles: view,approve -> view,approve; status: active -> disabled"' \
    "and a change of status"
cd_ person import "$T/imp.csv"
expect_rc 0 "an administrator imports"
audit_has '"action":"person.import","object":"person Imp.One","outcome":"ok","detail":"Imp One; roles granted: admin; active"' \
    "person.import records the roles granted to each person"
cd_ person add --logon "Bad Logon" --name X
audit_has '"action":"person.add","object":"person Bad Logon","outcome":"failed"' \
    "a person add that fails is audited too"

# --as by someone who is not root, in a store of their own
NB=65534
if [ "$(id -u)" -ne 0 ] || ! getent passwd "$NB" >/dev/null ||
    ! command -v setpriv >/dev/null; then
	ok "# SKIP --as by a non-root user needs root, setpriv and uid $NB"
	ok "# SKIP --as by a non-root user needs root, setpriv and uid $NB"
else
	chmod 711 "$T"
	U=$T/u
	mkdir "$U"
	chown "$NB" "$U"
	sed "s|^datadir = .*|datadir = $U/data|" "$CONF" >"$U/certdesk.conf"
	chmod 644 "$U/certdesk.conf"
	nlogin=$(getent passwd "$NB" | cut -d: -f1)
	cdu() { run setpriv --reuid="$NB" --regid="$NB" --clear-groups \
	    env HOME="$U" "$CERTDESK" -c "$U/certdesk.conf" "$@"; }
	cdu init
	cdu person add --logon Susan.Smith --name "Susan Smith" --roles all
	cdu --as Susan.Smith request search
	expect_rc 3 "--as by a user who is not root is refused"
	cdu audit --json
	if grep -qE "\"operator\":\"$nlogin\",\"action\":\"operator.identify\",\"object\":\"operator Susan.Smith\",\"outcome\":\"refused\",\"detail\":\"only root" "$OUT"
	then ok "and audited"; else not_ok "and audited"; fi
fi
done_testing
