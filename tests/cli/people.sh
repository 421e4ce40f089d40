#!/bin/sh
# SPDX-License-Identifier: ISC
# people.sh - person add/edit/list/show and all-or-nothing CSV import.
. "${top_srcdir:-.}/tests/lib/common.sh"

setup_store
cd_ person show Susan.Smith --json
expect_out '"full_name":"Susan Smith"' "person add and show"
cd_ person add --logon Susan.Smith --name "Other Susan"
expect_rc 3 "duplicate logon refused"
expect_err "already exists" "duplicate named"
cd_ person add --logon "bad name" --name X
expect_rc 2 "invalid logon refused"
cd_ person edit Susan.Smith --group Legal --roles view,request
expect_rc 0 "person edit"
cd_ person show Susan.Smith
expect_out 'Group: +Legal' "edit changed the group"
cd_ person list --name "sam john"
expect_out 'John.Samson' "name words match word starts"
cd_ person list --name "sm su"
expect_out 'Susan.Smith' "any word order"
cd_as Vic.Viewer person add --logon X.Y --name "X Y"
expect_rc 3 "a viewer cannot add people"
expect_err "admin" "the refusal names the role"

cat >"$T/good.csv" <<'CSV'
logon,full_name,email,group,roles
Ann.Lee,Ann Lee,ann@example.com,Sales,view
"Bob.Ray","Ray, Bob ""Bobby""",bob@example.com,Sales,
CSV
cd_ person import "$T/good.csv"
expect_rc 0 "CSV import"
expect_out '2 people imported' "both rows imported"
cd_ person show Bob.Ray --json
expect_out '"full_name":"Ray, Bob \\"Bobby\\""' "quoted fields with commas and quotes"

printf 'logon,full_name,email\nCid.Ok,Cid Ok,cid@example.com\n,No Logon,x@example.com\nDee.Bad,Dee Bad,not-an-address\nAnn.Lee,Ann Again,a@example.com\n' >"$T/bad.csv"
cd_ person import "$T/bad.csv"
expect_rc 2 "bad CSV refused"
expect_err '^line 3: ' "bad row reported with its line number"
expect_err '^line 4: .*@' "bad e-mail reported"
expect_err "^line 5: logon name 'Ann.Lee' already exists" "existing logon reported"
expect_err 'nothing imported' "the summary says nothing was imported"
cd_ person show Cid.Ok
expect_rc 6 "the good row of a bad file was not imported"
printf 'logon,name\nx,y\n' >"$T/hdr.csv"
cd_ person import "$T/hdr.csv"
expect_err "line 1: unknown column 'name'" "unknown column named"
printf 'logon,full_name\nEve.Ctl,Eve \001Ctl\n' >"$T/ctl.csv"
cd_ person import "$T/ctl.csv"
expect_err 'line 2: .*control' "control characters refused"
# terminal escapes and broken UTF-8 never reach screens, files or papers
cd_ person add --logon Esc.Seq --name "$(printf 'Evil\033[2JName')" --roles view
expect_rc 2 "an escape sequence in a name is refused"
expect_err "control characters" "... saying why"
cd_ person add --logon Bad.Utf --name "$(printf 'Bad \377\376 Name')" --roles view
expect_rc 2 "bytes that are not UTF-8 are refused"
cd_ person edit Susan.Smith --email "$(printf 'a\tb@example.com')"
expect_rc 2 "a tab in the e-mail is refused"
cd_ person add --logon Eve.Leve --name "$(printf '\303\211ve L\303\251v\303\252que')" --roles view
expect_rc 0 "accented letters (UTF-8) are accepted"
cd_ person show Eve.Leve
expect_out "$(printf '\303\211ve L\303\251v\303\252que')" "and kept as they are"
# CSV as Excel writes it: a UTF-8 byte order mark first
printf '\357\273\277logon,full_name\r\nBom.Row,Bom Row\r\n' >"$T/bom.csv"
cd_ person import "$T/bom.csv"
expect_rc 0 "a CSV file starting with a byte order mark is imported"
cd_ person show Bom.Row --json
expect_out '"logon":"Bom.Row"' "and its first column is read as logon"
# person add and import grant the same roles by default (view)
cd_ person add --logon Def.Add --name "Def Add"
cd_ person show Def.Add --json
expect_out '"roles":"view"' "person add grants view by default"
printf 'logon,full_name,roles\nDef.Imp,Def Imp,\nNo.Imp,No Imp,none\n' >"$T/def.csv"
cd_ person import "$T/def.csv"
cd_ person show Def.Imp --json
expect_out '"roles":"view"' "so does import, when the roles are not given"
cd_ person show No.Imp --json
expect_out '"roles":""' "'none' grants no role"
cd_ person add --logon No.Add --name "No Add" --roles none
cd_ person show No.Add --json
expect_out '"roles":""' "also with person add"
done_testing
