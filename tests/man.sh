#!/usr/bin/env bash
# The man pages (man/*.[1-9]).
#
#	man.sh lint MANDIR
#		`mandoc -T lint -W warning` reports nothing on any page.
#	man.sh options MANDIR PROGRAM...
#		The options each PROGRAM's --help lists are exactly those its
#		page (MANDIR/PROGRAM.[18]) documents with `.It Fl`, so that
#		neither can gain one the other lacks.
#
# SKIP (77) without mandoc (Debian package mandoc, in scripts/deps.sh).
set -u
mode=$1 mandir=$2
shift 2
fail=0

case $mode in
lint)
	command -v mandoc >/dev/null 2>&1 ||
	    { echo "SKIP: no mandoc (scripts/deps.sh installs it)"; exit 77; }
	n=0
	for page in "$mandir"/*.[1-9]; do
		[ -f "$page" ] || continue
		n=$((n + 1))
		out=$(mandoc -T lint -W warning "$page" 2>&1)
		if [ -n "$out" ]; then
			printf 'FAIL: %s\n%s\n' "$page" "$out" >&2
			fail=1
		fi
	done
	if [ $n -eq 0 ]; then
		echo "FAIL: no page in $mandir" >&2
		fail=1
	fi
	;;
options)
	# Options in a usage text: -x, a bundle -dev (d, e, v), --help.
	help_opts()
	{
		grep -oE '(^|[[ |])--?[A-Za-z][A-Za-z]*' |
		    sed -E 's/^[[ |]//' | while read -r o; do
			case $o in
			--*)	echo "${o#-}" ;;
			*)	o=${o#-}
				while [ -n "$o" ]; do
					echo "${o%"${o#?}"}"
					o=${o#?}
				done ;;
			esac
		done | sort -u
	}
	# `.It Fl x ...` lines: the options the page describes one by one.
	page_opts()
	{
		sed -nE 's/^\.It Fl ([^ ]+).*/\1/p' "$1" | sort -u
	}
	for prog in "$@"; do
		name=$(basename "$prog")
		page=$(ls "$mandir/$name".[18] 2>/dev/null | head -n 1)
		if [ -z "$page" ]; then
			echo "FAIL: no page for $name in $mandir" >&2
			fail=1
			continue
		fi
		if ! usage=$("$prog" --help 2>&1); then
			echo "FAIL: $name --help exits nonzero" >&2
			fail=1
			continue
		fi
		h=$(printf '%s\n' "$usage" | help_opts)
		p=$(page_opts "$page")
		if [ -z "$h" ] || [ "$h" != "$p" ]; then
			echo "FAIL: $name: --help and $(basename "$page") differ" >&2
			diff <(printf '%s\n' "$h") <(printf '%s\n' "$p") |
			    sed -n 's/^< /  only in --help: -/p; s/^> \(.\)/  only in the page: -\1/p' >&2
			fail=1
		fi
	done
	;;
*)
	echo "usage: man.sh lint|options MANDIR [PROGRAM...]" >&2
	exit 2
	;;
esac

[ $fail -eq 0 ] && echo ok
exit $fail
