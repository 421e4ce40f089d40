#!/bin/sh
# SPDX-License-Identifier: ISC
# hardening.sh - the programs are built hardened unless configure was
# told --disable-hardening: hardening-check (devscripts) reads each
# binary, and where its heuristics cannot decide, the binary's own code
# is read instead.
. "${top_srcdir:-.}/tests/lib/common.sh"

command -v hardening-check >/dev/null || skip_all "hardening-check (devscripts) is not installed"
command -v objdump >/dev/null || skip_all "objdump (binutils) is not installed"
case " ${HARDEN_CFLAGS:-} " in
*" -fstack-protector-strong "*) ;;
*) skip_all "configured with --disable-hardening" ;;
esac

# item BINARY NAME: hardening-check's verdict on one item
item() { hardening-check "$1" 2>/dev/null | sed -n "s/^ $2: //p"; }

yes_item() {
	v=$(item "$1" "$2")
	case $v in yes*) ok "$3: $2 ($v)" ;;
	*) not_ok "$3: $2 is '$v'" ;; esac
}

# Unrolled stack-clash probes (sub rsp,0x1000 then or [rsp],0) that
# hardening-check's loop pattern does not recognise.
probes() {
	objdump -d -M intel "$1" | awk '
	/sub +rsp,0x1000$/ { s = 1; next }
	s && /or +QWORD PTR \[rsp\],0x0$/ { n++ }
	{ s = 0 }
	END { print n + 0 }'
}

# The ELF property note for IBT and SHSTK is set only when every linked
# object has it: Debian 12's C start files (crt1.o, crti.o) do not, so no
# program linked there can have it, whatever its own flags.  Then the
# item is proven on the code instead: every function of ours starts with
# endbr64.
cet_platform() {
	printf 'int main(void){return 0;}\n' > "$T/x.c"
	${CC:-cc} -fcf-protection -o "$T/x" "$T/x.c" 2>/dev/null &&
	    readelf -n "$T/x" | grep -q 'IBT, SHSTK'
}

for bin in "$top_builddir/certdesk" "$top_builddir/certdeskd"; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	yes_item "$bin" "Position Independent Executable" "$name"
	yes_item "$bin" "Stack protected" "$name"
	yes_item "$bin" "Read-only relocations" "$name"
	yes_item "$bin" "Immediate binding" "$name"
	case " ${HARDEN_CPPFLAGS:-} " in
	*FORTIFY*) yes_item "$bin" "Fortify Source functions" "$name" ;;
	*)	# --enable-asan leaves FORTIFY out (it hides what ASan sees)
		v=$(item "$bin" "Fortify Source functions")
		case $v in yes*) not_ok "$name: FORTIFY without the flag" ;;
		*) ok "$name: no FORTIFY in a sanitizer build, as configured" ;; esac ;;
	esac
	v=$(item "$bin" "Stack clash protection")
	n=$(probes "$bin")
	case $v in
	yes*) ok "$name: stack clash protection (hardening-check)" ;;
	*) [ "$n" -gt 0 ] && ok "$name: stack clash protection ($n probed frames)" ||
	    not_ok "$name: no stack clash probes found" ;;
	esac
	v=$(item "$bin" "Control flow integrity")
	case $v in
	yes*) ok "$name: control flow integrity (hardening-check)" ;;
	*)	if cet_platform; then
			not_ok "$name: no IBT/SHSTK property although this platform sets it"
		else
			# global functions (a static one whose address is never
			# taken needs no landing pad, and gcc leaves it out)
			nm --defined-only "$bin" | awk '$2 == "T" && $3 ~ /^cd_/ { print $3 }' >"$T/glob"
			objdump -d "$bin" | awk -v list="$T/glob" '
			BEGIN { while ((getline l < list) > 0) g["<" l ">:"] = 1 }
			/^[0-9a-f]+ <cd_[A-Za-z0-9_]*>:$/ { f = ($2 in g); if (f) n++; next }
			f { if ($0 ~ /endbr64/) e++; f = 0 }
			END { print n + 0, e + 0 }' > "$T/cet"
			read n e < "$T/cet"
			[ "$n" -gt 0 ] && [ "$n" = "$e" ] &&
			    ok "$name: all $n global cd_ functions start with endbr64 (-fcf-protection; the ELF note needs a CET-built C runtime)" ||
			    not_ok "$name: $e of $n global cd_ functions start with endbr64"
		fi ;;
	esac
done
[ "$tap_n" -gt 0 ] || not_ok "no program was checked"
done_testing
