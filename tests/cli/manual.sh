#!/bin/sh
# SPDX-License-Identifier: ISC
# manual.sh - the manual pages and the sample configuration agree with
# the program: mandoc -Tlint finds nothing; FILES name the configured
# system file (the one --version reports); certdesk(1)'s first example
# runs against the sample configuration; its 'mailed' description is
# whole; the per-user file follows XDG_CONFIG_HOME.
. "${top_srcdir:-.}/tests/lib/common.sh"

MAN1=$top_builddir/doc/certdesk.1
MAN5=$top_builddir/doc/certdesk.conf.5
MAN8=$top_builddir/doc/certdeskd.8
if command -v mandoc >/dev/null; then
	mandoc -Tlint -W warning "$MAN1" "$MAN5" "$MAN8" >"$OUT" 2>&1
	check "mandoc -Tlint finds nothing in the manual pages" test ! -s "$OUT"
	[ -s "$OUT" ] && sed 's/^/#   /' "$OUT" | head -5
else
	ok "# SKIP no mandoc"
fi
check "no @...@ left in the manual pages" sh -c "! grep -q '@[a-zA-Z_]*@' '$MAN1' '$MAN5'"

# which file: --version, with no per-user file
mkdir -p "$T/home" "$T/xdg/certdesk"
HOME=$T/home run env -u XDG_CONFIG_HOME "$CERTDESK" --version
sys=$(sed -n 's/^configuration file: //p' "$OUT")
check "--version names the configuration file" test -n "$sys"
check "certdesk(1) FILES names that system file" grep -qF -- "$sys" "$MAN1"
check "certdesk.conf(5) FILES names it too" grep -qF -- "$sys" "$MAN5"
mkdir -p "$T/home/.config/certdesk"
: >"$T/home/.config/certdesk/certdesk.conf"
HOME=$T/home run env -u XDG_CONFIG_HOME "$CERTDESK" --version
expect_out "^configuration file: $T/home/.config/certdesk/certdesk.conf\$" \
    "without XDG_CONFIG_HOME: ~/.config"
: >"$T/xdg/certdesk/certdesk.conf"
HOME=$T/home XDG_CONFIG_HOME=$T/xdg run "$CERTDESK" --version
expect_out "^configuration file: $T/xdg/certdesk/certdesk.conf\$" \
    "XDG_CONFIG_HOME is honoured"
HOME=$T/home XDG_CONFIG_HOME=$T/xdg run "$CERTDESK" -c "$T/other.conf" --version
expect_out "^configuration file: $T/other.conf\$" "-c comes first"

# the sample configuration, with a data directory of the test's own
sed -e "s|^datadir *=.*|datadir = $T/data|" \
    -e "s|^templatedir *=.*|templatedir = $top_srcdir/etc/templates|" \
    "$top_srcdir/etc/certdesk.conf" >"$CONF"
# the examples' first block, as the page shows it
sed -n '/^\.SH EXAMPLES/,/^\.SH/p' "$MAN1" |
    sed -n '/^\.nf/,/^\.fi/{/^\.nf/d;/^\.fi/q;p;}' |
    sed -e 's/\\-/-/g' >"$T/examples.sh"
check "the first example block was found" test -s "$T/examples.sh"
mkdir -p "$T/run/media/out"
printf 'Corr3ct-Horse(9)\n' >"$T/run/pw.txt"
sed -i -e "s|/media/out|$T/run/media/out|g" "$T/examples.sh"
cat >"$T/certdesk" <<SH
#!/bin/sh
exec "$CERTDESK" -c "$CONF" "\$@"
SH
chmod +x "$T/certdesk"
(cd "$T/run" && PATH="$T:$PATH" sh -e -x "$T/examples.sh") >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "certdesk(1)'s examples run against the sample configuration"
check "the example's package was written" \
    test -f "$T/run/media/out/Susan.Smith Signing.pfx"
check "and its transport document" grep -q '^%!PS' "$T/run/letter.ps"
check "the profiles the examples name exist in the sample" \
    sh -c "! grep -q 'profile user-pin\|profile generated' '$MAN1'"

# the sample's descriptions are whole (a ';' in a value starts a comment)
check "the 'mailed' description is quoted, not cut at ';'" \
    grep -q '^description = "Needs approval; the password is printed on a PIN mailer"$' \
    "$top_srcdir/etc/certdesk.conf"
cd_ request search
expect_rc 0 "the sample configuration loads"
done_testing
