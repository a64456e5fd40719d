#!/usr/bin/env bash
# Every benchmark in one command, and one table of the results against
# the targets of issue 10.
#
#   sudo bash bench/run.sh [BUILD]       (BUILD: default build/)
#   bash bench/run.sh --summary DIR      (the table of a run's DIR again)
#
# Builds nothing.  BUILD holds ipifcd, ipifc and bench_slaac_ra, and
# bench_lpm, bench_echo and bench_churn when it was set up with
# -Dbench=true (a release build: -Dbuildtype=release); a benchmark whose
# program is missing is not run, and its rows say so.  One after the
# other (each alternates ipifc and its peer itself): bench_slaac_ra,
# bench_echo, bench_lpm, bench_churn, bench/ra_usable.sh, then
# bench/forward.sh.  Each one's whole output (stdout and stderr) goes to
# DIR/NAME.out, with its exit status, seconds and load average in
# DIR/runinfo, and the date, machine and tree in DIR/machine; DIR is OUT from the environment, else
# BUILD/bench-runs/YYYYmmdd-HHMMSS.  Every benchmark runs under a
# timeout.
#
# QUICK=1 runs smaller sizes and fewer rounds (a few minutes): the table
# then says at what sizes.  The full run takes about 20 minutes on a
# 2-core machine, most of it Linux's 20k-address churn.
#
# The table: benchmark, case, unit, ipifc's figure, the peer and its
# figure measured in the same run, the ratio ipifc/peer, the target
# (on the ratio, or on ipifc's figure where there is no peer) and
# whether it is met.  Rows whose target is "-" are for information.

set -u

HERE=$(cd "$(dirname "$0")" && pwd)

# ---- the summary: parse each NAME.out into rows

# rows_NAME FILE: lines of "case unit ipifc peer peerfig target [ratio]"
# (no spaces inside a field; "-" for none).  target: rOPV (on the ratio
# ipifc/peer) or fOPV (on ipifc's figure), OP one of >= <= < ==; "-" for
# none.  ratio: the one the program printed, from its unrounded figures;
# without it, the ratio of the two figures.
# Every row the benchmark should give is printed, with "-" figures if
# its output lacks them, so a change of format shows as missing figures.

rows_lpm()
{
	awk '
	function num(x) { return x ~ /^[0-9.]+$/ }
	/^IPv[46]: [0-9]+ prefixes/ { f = substr($1, 1, 4); n[f] = $2; next }
	# "uniform nh ..." (next-hop lookups) and "uniform rt ..." (route
	# lookups); an older bench_lpm printed "uniform ..." alone.
	f != "" && ($1 == "uniform" || $1 == "inside") &&
	    ($2 == "nh" || $2 == "rt") {
		c = $1; k = $2; $1 = ""; $2 = ""; $0 = $0
		if (k == "rt") { if (NF >= 9) { rt[f, c] = 1
			v[f, c, "rone"] = $1; v[f, c, "rburst"] = $2
			v[f, c, "rr1"] = $7; v[f, c, "rrb"] = $9 }
			next }
		$0 = c " " $0
	}
	f != "" && ($1 == "uniform" || $1 == "inside") && NF >= 7 &&
	    num($2) && num($3) && num($4) && num($5) {
		v[f, $1, "one"] = $2; v[f, $1, "burst"] = $3
		v[f, $1, "lpm"] = $4; v[f, $1, "bulk"] = $5
		v[f, $1, "r1"] = $8; v[f, $1, "rb"] = $10
		next
	}
	f != "" && ($1 == "insert" || $1 == "delete") && NF >= 4 &&
	    num($2) && num($3) && num($4) {
		v[f, $1, "ipifc"] = $2; v[f, $1, "r"] = $NF
		if ($3 + 0 >= $4 + 0) {
			v[f, $1, "best"] = $3; v[f, $1, "who"] = "lpm"
		} else {
			v[f, $1, "best"] = $4; v[f, $1, "who"] = "fib"
		}
		next
	}
	f != "" && $1 == "(MB)" && NF >= 4 && num($2) && num($4) {
		v[f, "mem", "trie"] = $2; v[f, "mem", "lpm"] = $4
		v[f, "mem", "r"] = $(NF - 1)
		next
	}
	f != "" && /^lookups.* checked against/ && $(NF - 1) ~ /^[0-9]+$/ {
		v[f, "differ"] = $(NF - 1)
		next
	}
	function g(k) { return k in v ? v[k] : "-" }
	END {
		for (i = 1; i <= 2; i++) {
			f = i == 1 ? "IPv4" : "IPv6"
			s = i == 1 ? "" : "6"
			t = i == 1 ? "1.0" : "1.5"
			at = f in n ? "@" n[f] : ""
			for (j = 1; j <= 2; j++) {
				c = j == 1 ? "uniform" : "inside"
				print f "_lookup_" c at, "M/s", g(f SUBSEP c SUBSEP "one"),
				    "rte_lpm" s, g(f SUBSEP c SUBSEP "lpm"), "r>=" t,
				    g(f SUBSEP c SUBSEP "r1")
				print f "_burst_" c at, "M/s", g(f SUBSEP c SUBSEP "burst"),
				    "rte_lpm" s "_bulk", g(f SUBSEP c SUBSEP "bulk"), "r>=" t,
				    g(f SUBSEP c SUBSEP "rb")
				if (!((f, c) in rt))
					continue
				print f "_rt_" c at, "M/s", g(f SUBSEP c SUBSEP "rone"),
				    "rte_lpm" s, g(f SUBSEP c SUBSEP "lpm"), "-",
				    g(f SUBSEP c SUBSEP "rr1")
				print f "_rtburst_" c at, "M/s",
				    g(f SUBSEP c SUBSEP "rburst"), "rte_lpm" s "_bulk",
				    g(f SUBSEP c SUBSEP "bulk"), "-",
				    g(f SUBSEP c SUBSEP "rrb")
			}
			print f "_memory" at, "MB", g(f SUBSEP "mem" SUBSEP "trie"),
			    "rte_lpm" s, g(f SUBSEP "mem" SUBSEP "lpm"), "r<=0.25",
			    g(f SUBSEP "mem" SUBSEP "r")
			for (j = 1; j <= 2; j++) {
				c = j == 1 ? "insert" : "delete"
				w = "best_DPDK"
				if ((f, c, "who") in v)
					w = "rte_" v[f, c, "who"] s
				print f "_" c at, "M/s", g(f SUBSEP c SUBSEP "ipifc"),
				    w, g(f SUBSEP c SUBSEP "best"), "r>=1.0",
				    g(f SUBSEP c SUBSEP "r")
			}
			print f "_lookups_differ", "lookups", g(f SUBSEP "differ"),
			    "-", "-", "f==0"
		}
	}' "$1"
}

rows_echo()
{
	awk '
	function num(x) { return x ~ /^[0-9.]+$/ }
	($1 == "IPv4" || $1 == "IPv6") && $3 == "bytes" && NF >= 8 &&
	    num($4) && num($5) {
		e[$1, $2] = $4; l[$1, $2] = $5; er[$1, $2] = $6
		if (!("ia" in m) || $7 + 0 > m["ia"]) m["ia"] = $7 + 0
		if (!("la" in m) || $8 + 0 > m["la"]) m["la"] = $8 + 0
		next
	}
	$1 ~ /^[0-9]+$/ && ($2 == "IPv4" || $2 == "IPv6") &&
	    ($3 == "hit" || $3 == "miss") && num($4) {
		ns[$1, $2, $3] = $4; nr[$1, $2, $3] = $7
		if ($1 + 0 < lo || lo == "") lo = $1 + 0
		if ($1 + 0 > hi) hi = $1 + 0
		next
	}
	END {
		for (i = 1; i <= 4; i++) {
			f = i <= 2 ? "IPv4" : "IPv6"
			z = i % 2 ? "64" : "1400"
			print f "_" z "bytes", "echo/s",
			    (f, z) in e ? e[f, z] : "-", "lwIP",
			    (f, z) in l ? l[f, z] : "-", "r>=2.0",
			    (f, z) in er ? er[f, z] : "-"
		}
		print "allocs_per_echo", "allocs", "ia" in m ? m["ia"] : "-",
		    "lwIP", "la" in m ? m["la"] : "-", "f==0"
		for (i = 1; i <= 4; i++) {
			f = i <= 2 ? "IPv4" : "IPv6"
			k = i % 2 ? "hit" : "miss"
			a = (hi, f, k) in ns ? ns[hi, f, k] : "-"
			b = (lo, f, k) in ns ? ns[lo, f, k] : "-"
			print "mine_" f "_" k "@" (hi ? hi : "-"), "ns", a,
			    "ipifc@" (lo != "" ? lo : "-"), b, "r<=2.0",
			    (hi, f, k) in nr ? nr[hi, f, k] : "-"
		}
	}' "$1"
}

# Churn: rates of adds and removes (2N operations) so that the ratio
# reads as the issue's target does (>= 100x Linux).
rows_churn()
{
	awk '
	function num(x) { return x ~ /^[0-9.]+$/ }
	($1 == "IPv4" || $1 == "IPv6") && $2 ~ /^[0-9]+$/ && num($3) {
		s[$1, $2] = $3
		if (num($NF)) op[$1, $2] = $NF
		if (num($4)) ls[$1, $2] = $4
		if (num($4)) lr[$1, $2] = $5
		if ($2 + 0 < lo || lo == "") lo = $2 + 0
		if ($2 + 0 > hi) hi = $2 + 0
		if (num($4) && ($2 + 0 <= 20000) && $2 + 0 > lx[$1])
			lx[$1] = $2 + 0
		next
	}
	END {
		print "IPv4_time@" (hi ? hi : "-"), "s",
		    ("IPv4", hi) in s ? s["IPv4", hi] : "-", "-", "-", "f<1"
		for (i = 1; i <= 2; i++) {
			f = i == 1 ? "IPv4" : "IPv6"
			print f "_ns/op@" (hi ? hi : "-"), "ns/op",
			    (f, hi) in op ? op[f, hi] : "-",
			    "ipifc@" (lo != "" ? lo : "-"),
			    (f, lo) in op ? op[f, lo] : "-", "r<=2.0"
		}
		for (i = 1; i <= 2; i++) {
			f = i == 1 ? "IPv4" : "IPv6"
			x = f in lx ? lx[f] : 0
			if (x) {
				a = sprintf("%.0f", 2 * x / s[f, x])
				b = sprintf("%.0f", 2 * x / ls[f, x])
				r = lr[f, x]
			} else
				a = b = r = "-"
			print f "_vs_Linux@" (x ? x : "-"), "op/s", a,
			    "Linux", b, "r>=100", r
		}
	}' "$1"
}

rows_forward()
{
	awk '
	NF == 5 && $1 ~ /^(udp64|udp1400|tcp|ping)$/ &&
	    $3 ~ /^[0-9.]+$/ && $4 ~ /^[0-9.]+$/ {
		v[$1, $2] = $3 " " $4 " " $5
		next
	}
	function row(w, u, t) {
		if ((w, u) in v) {
			split(v[w, u], x, " ")
			print w, u, x[1], "Linux", x[2], t, x[3]
		} else
			print w, u, "-", "Linux", "-", t
	}
	END {
		row("udp64", "pps", "r>=1.0")
		row("udp64", "link_pps", "r>=1.0")
		row("udp1400", "pps", "r>=1.0")
		row("udp1400", "link_pps", "r>=1.0")
		row("tcp", "Mbit/s", "r>=1.0")
		row("ping", "pps", "r>=1.0")
		row("ping", "avg_ms", "r<=1.0")
	}' "$1"
}

# The median of each column over the rounds (rounds with "-" left out).
rows_ra_usable()
{
	awk '
	function med(a, n,    i, j, t) {
		if (n == 0) return "-"
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
				t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
			}
		return a[int((n + 1) / 2)]
	}
	$1 == "round" && $2 == "ipifc" { on = 1; next }
	on && NF == 3 && $1 ~ /^[0-9]+$/ {
		if ($2 ~ /^[0-9.]+$/) a[++na] = $2 + 0
		if ($3 ~ /^[0-9.]+$/) b[++nb] = $3 + 0
	}
	END {
		print "median_of_" na "_rounds", "ms", med(a, na),
		    "Linux", med(b, nb), "-"
	}' "$1"
}

rows_slaac_ra()
{
	awk '
	/^engine \(parse \+ apply\)/ && $NF ~ /^[0-9.]+$/ { e = $NF }
	/^ipifc_nd_parse alone/ && $NF ~ /^[0-9.]+$/ { p = $NF }
	END {
		print "engine", "RA/s", e == "" ? "-" : e,
		    "nd_parse_alone", p == "" ? "-" : p, "-"
	}' "$1"
}

BENCHES="slaac_ra echo lpm churn ra_usable forward"

# summary DIR: the table of the run in DIR.
summary()
{
	local d=$1 b

	[ -f "$d/machine" ] && cat "$d/machine"
	for b in $BENCHES; do
		if [ -f "$d/$b.out" ] && grep -q '^not run:' "$d/$b.out"; then
			echo "$b (this run's) $(head -n 1 "$d/$b.out")"
		elif [ -f "$d/$b.out" ]; then
			"rows_$b" "$d/$b.out" | sed "s/^/$b /"
		fi
	done | awk '
	# ok(X, OP, V): X OP V
	function ok(x, op, v) {
		if (op == ">=") return x + 0 >= v + 0
		if (op == "<=") return x + 0 <= v + 0
		if (op == "<") return x + 0 < v + 0
		if (op == "==") return x + 0 == v + 0
		return 0
	}
	BEGIN {
		printf "%-10s %-28s %-8s %10s %-14s %10s %8s %9s %s\n",
		    "benchmark", "case", "unit", "ipifc", "peer", "peer_fig",
		    "ratio", "target", "met"
	}
	$2 == "(this" {
		printf "%-10s %s\n", $1, substr($0, index($0, "not run:"))
		next
	}
	{
		b = $1; c = $2; u = $3; i = $4; p = $5; pf = $6; t = $7
		# the ratio the program printed (it has the unrounded
		# figures), else the ratio of the figures
		r = "-"
		sub(/x$/, "", $8)
		if ($8 ~ /^[0-9.]+$/)
			r = sprintf("%.2f", $8)
		else if (i != "-" && pf != "-" && pf + 0 != 0)
			r = sprintf("%.2f", i / pf)
		if (t == "-") {
			tt = "-"; m = "info"
		} else {
			on = substr(t, 1, 1); rest = substr(t, 2)
			match(rest, /^[<>=]+/)
			op = substr(rest, 1, RLENGTH); v = substr(rest, RLENGTH + 1)
			tt = on == "r" ? op v "x" : op v
			x = on == "r" ? r : i
			if (x == "-")
				m = "no figure"
			else
				m = ok(x, op, v) ? "met" : "NOT met"
		}
		printf "%-10s %-28s %-8s %10s %-14s %10s %8s %9s %s\n",
		    b, c, u, i, p, pf, r, tt, m
	}'
	if [ -f "$d/runinfo" ]; then
		echo
		echo "benchmark  exit  seconds  load average (1 min) before, after"
		awk '{ printf "%-10s %4s %8s  %s, %s\n", $1, $2, $3, $4, $5 }' \
		    "$d/runinfo"
	fi
}

if [ "${1:-}" = "--summary" ]; then
	[ -d "${2:-}" ] || { echo "usage: bench/run.sh --summary DIR" >&2; exit 2; }
	summary "$2"
	exit 0
fi

# ---- the run

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/run.sh: must run as root (sudo bash bench/run.sh BUILD)" >&2
	exit 1
fi
BUILD=${1:-build}
[ -x "$BUILD/ipifcd" ] || {
	echo "bench/run.sh: no $BUILD/ipifcd (build first: meson setup $BUILD -Dbench=true -Dbuildtype=release && ninja -C $BUILD)" >&2
	exit 1
}
QUICK=${QUICK:-0}
OUT=${OUT:-$BUILD/bench-runs/$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$OUT" || exit 1
: >"$OUT/runinfo"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), tree $(git -C "$HERE" describe --always --dirty 2>/dev/null || echo '?'), $([ "$QUICK" = 1 ] && echo QUICK=1 || echo 'full run')" >"$OUT/machine"

if [ "$QUICK" = 1 ]; then
	SLAAC_ARGS=200000
	ECHO_ARGS=20000
	LPM_ARGS="200000 50000"
	CHURN_ARGS="-r 1 -l 5000 1000 5000 100000"
	FWD_ENV="DURATION=3 ROUNDS=1 COUNT=3000"
	RA_ENV="ROUNDS=1"
else
	SLAAC_ARGS=2000000
	ECHO_ARGS=200000
	LPM_ARGS="1000000 200000"
	CHURN_ARGS="-r 1 -l 20000 1000 20000 100000"
	FWD_ENV="DURATION=5 ROUNDS=3 COUNT=10000"
	RA_ENV="ROUNDS=3"
fi

# The namespaces a benchmark names after its process: bench_churn's
# ipifc-churn-PID, forward.sh's ipbPID..., ra_usable.sh's iprPID...
# (their links live inside them), and bench_churn's files of ip -batch
# lines, /tmp/ipifc-churn-PID-add-XXXXXX and -del-.  A run killed where it could not clean
# up (the timeout's KILL, 10 s after its TERM) leaves them; leftovers
# NAME BEFORE removes those made since BEFORE (the list of namespaces
# then) whose process is gone, after ending what still runs in them.
ns_list()
{
	ip netns list 2>/dev/null | awk '{ print $1 }'
}

# alive PID: a process that still runs (not a zombie waiting to be
# reaped, as a killed benchmark may be for a moment).
alive()
{
	local st

	st=$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

leftovers()
{
	local name=$1 before=$2 ns pid p

	for ns in $(ns_list); do
		case " $before " in *" $ns "*) continue ;; esac
		case $ns in
		ipifc-churn-[0-9]*) pid=${ns#ipifc-churn-} ;;
		ipb[0-9]*|ipr[0-9]*) pid=${ns#ip?}; pid=${pid%%[!0-9]*} ;;
		*) continue ;;
		esac
		case $pid in ''|*[!0-9]*) continue ;; esac
		alive "$pid" && continue	# its benchmark still runs
		for p in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		if ip netns del "$ns" 2>/dev/null; then
			echo "$name: removed namespace $ns, left by the killed run"
			echo "left namespace $ns: removed" >>"$OUT/$name.out"
		fi
	done
	for p in /tmp/ipifc-bench-[0-9]* /tmp/ipifc-bench-ra-[0-9]*; do
		[ -d "$p" ] || continue
		pid=${p##*-}
		case $pid in ''|*[!0-9]*) continue ;; esac
		alive "$pid" || rm -rf "$p"
	done
	# bench_churn's ip -batch files: /tmp/ipifc-churn-PID-add-XXXXXX
	for p in /tmp/ipifc-churn-[0-9]*-add-* /tmp/ipifc-churn-[0-9]*-del-*; do
		[ -f "$p" ] || continue
		pid=${p#/tmp/ipifc-churn-}
		pid=${pid%%-*}
		case $pid in ''|*[!0-9]*) continue ;; esac
		alive "$pid" && continue
		rm -f "$p" && echo "$name: removed $p, left by the killed run"
	done
}

# one NAME LIMIT CMD...: CMD's output in OUT/NAME.out, under a timeout
# of LIMIT seconds (TIMEOUT from the environment overrides it); a line
# of OUT/runinfo; then what a killed run left is removed.  ONLY (names
# separated by blanks) runs only those.
one()
{
	local name=$1 limit=${TIMEOUT:-$2} l0 t0 rc before

	shift 2
	if [ -n "${ONLY:-}" ]; then
		case " $ONLY " in
		*" $name "*) ;;
		*)	echo "not run: not in ONLY" >"$OUT/$name.out"
			echo "$name -  -  -  -" >>"$OUT/runinfo"
			return ;;
		esac
	fi
	if [ ! -x "$1" ] && [ "$1" != env ]; then
		echo "not run: no $1 (meson setup -Dbench=true)" >"$OUT/$name.out"
		echo "$name -  -  -  -" >>"$OUT/runinfo"
		echo "$name: not run (no $1)"
		return
	fi
	echo "$name: $* ($(date -u +%H:%M:%S))"
	l0=$(cut -d' ' -f1 /proc/loadavg)
	t0=$(date +%s)
	before=$(ns_list)
	timeout -k 10 "$limit" "$@" >"$OUT/$name.out" 2>&1
	rc=$?
	echo "$name $rc $(($(date +%s) - t0)) $l0 $(cut -d' ' -f1 /proc/loadavg)" \
	    >>"$OUT/runinfo"
	[ "$rc" -eq 0 ] || echo "$name: exit $rc (see $OUT/$name.out)"
	leftovers "$name" "$before"
}

echo "bench/run.sh: $([ "$QUICK" = 1 ] && echo QUICK || echo full) run of $BUILD into $OUT"
# shellcheck disable=SC2086 # the argument lists are words
{
	one slaac_ra 300 "$BUILD/bench_slaac_ra" $SLAAC_ARGS
	one echo 900 "$BUILD/bench_echo" $ECHO_ARGS
	one lpm 1200 "$BUILD/bench_lpm" $LPM_ARGS
	one churn 1800 "$BUILD/bench_churn" $CHURN_ARGS
	one ra_usable 600 env $RA_ENV bash "$HERE/ra_usable.sh" "$BUILD"
	one forward 900 env $FWD_ENV bash "$HERE/forward.sh" "$BUILD"
}

echo
summary "$OUT"
echo
echo "whole outputs: $OUT"
