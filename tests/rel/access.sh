#!/bin/sh
# SPDX-License-Identifier: ISC
# access.sh - who may do what to a request, through the CLI: every
# request action (request new, approve, reject, validate, cancel,
# collect, print transport, certificate revoke), and person add, edit and
# import and reading the audit trail, by an operator of every role (each has
# 'view' plus the role named; "none" has no role at all) on their own
# request and on someone else's.  The expected outcome of each row is in
# the table below (0 allowed, 3 refused); each row is one TAP case: the
# exit code, and an audit record of the outcome ("refused" for
# refusals) naming the operator, the action and the request or person.
. "${top_srcdir:-.}/tests/lib/common.sh"
. "$top_srcdir/tests/rel/lib.sh"

setup_store
for r in none view request approve validate collect admin collectonly \
    revoke; do
	case $r in
	none) roles='' ;;
	view) roles=view ;;
	collectonly) roles=collect ;;
	*) roles=view,$r ;;
	esac
	cd_ person add --logon "Op.$r" --name "Op ${r}er" \
	    --roles "$roles"
	[ "$RC" -eq 0 ] || bail_out "cannot add Op.$r: $(head -n 1 "$ERR")"
done
mkdir "$T/out"

# action    role      own other
TABLE='
new         none      0   3
new         view      0   3
new         request   0   0
new         approve   0   3
new         validate  0   3
new         collect   0   3
new         admin     0   3
approve     none      3   3
approve     view      3   3
approve     request   3   3
approve     approve   3   0
approve     validate  3   3
approve     collect   3   3
approve     admin     3   3
reject      none      3   3
reject      view      3   3
reject      request   3   3
reject      approve   3   0
reject      validate  3   3
reject      collect   3   3
reject      admin     3   3
validate    none      3   3
validate    view      3   3
validate    request   3   3
validate    approve   3   3
validate    validate  3   0
validate    collect   3   3
validate    admin     3   3
cancel      none      0   3
cancel      view      0   3
cancel      request   0   0
cancel      approve   0   3
cancel      validate  0   3
cancel      collect   0   3
cancel      admin     0   0
collect     none      0   3
collect     view      0   3
collect     request   0   3
collect     approve   0   3
collect     validate  0   3
collect     collect   0   0
collect     admin     0   3
print       none      0   3
print       view      0   3
print       request   0   3
print       approve   0   3
print       validate  0   3
print       collect   0   0
print       collectonly 0 0
collect     collectonly 0 0
print       admin     0   3
personadd   none      3   3
personadd   view      3   3
personadd   request   3   3
personadd   admin     0   0
personedit  none      3   3
personedit  view      3   3
personedit  request   3   3
personedit  approve   3   3
personedit  admin     0   0
import      none      3   3
import      view      3   3
import      admin     0   0
audit       none      3   3
audit       view      3   3
audit       collect   3   3
revoke      none      3   3
revoke      view      3   3
revoke      request   3   3
revoke      approve   3   3
revoke      validate  3   3
revoke      collect   3   3
revoke      admin     3   3
revoke      revoke    0   0
'
# The roles each operator was given (as above).
op_roles() {
	case $1 in
	none) echo '' ;; view) echo view ;; collectonly) echo collect ;;
	*) echo "view,$1" ;;
	esac
}

# The request each action works on, made (and for print, collected) by
# root for PERSON; prints its id.
prepare() {
	case $1 in
	approve|reject) p=approved ;;
	validate) p=validated ;;
	*) p=user-pin ;;
	esac
	_id=$(new_req "$2" "$p")
	if [ "$1" = print ] || [ "$1" = revoke ]; then
		mkdir -p "$T/out/pre$_id"
		cd_ collect "$_id" --folder "$T/out/pre$_id" --password-file "$T/pw.$_id"
		[ "$RC" -eq 0 ] || echo "# preparing print: $(cat "$ERR")" >&2
	fi
	echo "$_id"
}

: >"$T/rows"
n=0
echo "$TABLE" | while read -r action role own other; do
	[ -n "$action" ] || continue
	op=Op.$role
	for whose in own other; do
		if [ "$whose" = own ]; then want=$own target=$op; else
			want=$other target=Susan.Smith; fi
		n=$((n + 1))
		obj=
		case $action in
		new)
			cd_as "$op" request new --person "$target" --profile user-pin
			audit_action=request.new
			if [ "$RC" -eq 0 ]; then obj="request $(cat "$OUT")"; else
				obj="person $target"; fi ;;
		collect)
			id=$(prepare "$action" "$target")
			mkdir "$T/out/$n"
			cd_as "$op" collect "$id" --folder "$T/out/$n" \
			    --password-file "$T/pw.$id"
			audit_action=collect.begin obj="request $id" ;;
		personadd)
			cd_as "$op" person add --logon "New.$n" --name "New $n" \
			    --roles all
			audit_action=person.add obj="person New.$n" ;;
		personedit)
			# refused: ask for every role; allowed: keep the roles
			r=all
			[ "$want" -eq 0 ] && { [ "$whose" = own ] &&
			    r=$(op_roles "$role") || r=view; }
			cd_as "$op" person edit "$target" --roles "$r"
			audit_action=person.edit obj="person $target" ;;
		import)
			printf 'logon,full_name\nImp.%s,Imp %s\n' "$n" "$n" \
			    >"$T/imp.$n.csv"
			cd_as "$op" person import "$T/imp.$n.csv"
			audit_action=person.import obj="person Imp.$n"
			[ "$want" -eq 0 ] || obj=people ;;
		audit)
			cd_as "$op" audit
			audit_action=audit.read obj="audit trail" ;;
		print)
			id=$(prepare "$action" "$target")
			cd_as "$op" print transport "$id" -o "$T/out/$n.ps"
			audit_action=print.transport obj="request $id" ;;
		revoke)
			id=$(prepare "$action" "$target")
			cd_ request show "$id" --json
			sn=$(grep -o '"serial":"[0-9a-f]*"' "$OUT" | head -n 1 |
			    cut -d'"' -f4)
			cd_as "$op" revoke "$sn" --reason keyCompromise
			audit_action=cert.revoke obj="request $id"
			[ "$RC" -eq 0 ] || obj="cert $sn" ;;
		*)
			id=$(prepare "$action" "$target")
			cd_as "$op" request "$action" "$id"
			audit_action=request.$action obj="request $id" ;;
		esac
		[ "$want" -eq 0 ] && outcome=ok || outcome=refused
		echo "$action|$role|$whose|$want|$RC|$op|$audit_action|$obj|$outcome|$(head -n 1 "$ERR")" >>"$T/rows"
	done
done

cd_ audit --json
cp "$OUT" "$T/audit.json"
while IFS='|' read -r action role whose want rc op audit_action obj outcome msg; do
	desc="$action by $role on $whose request: $( [ "$want" -eq 0 ] && echo allowed || echo refused)"
	rec="\"operator\":\"$op (as root)\",\"action\":\"$audit_action\",\"object\":\"$obj\",\"outcome\":\"$outcome\""
	if [ "$rc" -ne "$want" ]; then
		TAP_DIAG_FILES= not_ok "$desc (exit $rc, expected $want)"
		diag "  err: $msg"
	elif ! grep -qF -- "$rec" "$T/audit.json"; then
		TAP_DIAG_FILES= not_ok "$desc (no audit record {$rec})"
		diag "  err: $msg"
	else
		ok "$desc"
	fi
done <"$T/rows"
check "the table was run whole (148 rows)" test "$(wc -l <"$T/rows")" -eq 148
done_testing
