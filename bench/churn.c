/*
 * Benchmark: address churn.  N addresses added, then removed, on one
 * interface through the ctl language, against the Linux kernel fed the
 * same adds and removes with `ip -batch`, in the same run.
 *
 *   build/bench_churn [-r ROUNDS] [-l LINUXMAX] [-i IFCS] [-w] [N ...]
 *
 * -i spreads the N addresses over IFCS interfaces, N / IFCS to each in
 * prefixes of its own (Linux is then skipped: its side is one veth end).
 *
 * -w measures timer wakeups instead: with N of a kind that is not due,
 * one IPv6 address with a valid lifetime of 1 s is added and the clock
 * advanced to each next deadline until it is gone; a wakeup is one
 * ipifc_next_deadline and one ipifc_advance.  It prints the CPU time of
 * a wakeup, the median of WAKEUPS such runs, for each kind: N IPv4
 * addresses on the interface (no ARP, so nothing of theirs is due); N
 * static neighbor entries, NBRS to an interface; N groups (the
 * solicited-node groups of N IPv6 addresses, GROUPS to an interface),
 * once their reports went out.
 *
 * N defaults to 1000 10000 20000 100000; each N runs for IPv4 and IPv6.
 * Built only with -Dbench=true.  The Linux side needs root and iproute2:
 * it makes a network namespace with a veth pair (no `dummy` device here),
 * runs `ip -n NS -batch FILE` once for the adds and once for the removes
 * on one veth end, and deletes the namespace; without root it is skipped.
 * Linux takes minutes at 100k, so it runs only up to LINUXMAX addresses
 * (default 20000); above, its column says "-".
 *
 * Addresses: IPv4 10.A.B.H/24 and IPv6 2001:db8:0:P::H/64, 254 to a
 * prefix (H 1..254), so addresses share their prefix routes as they do
 * on a real router; removed in the order they were added (each removal
 * of a prefix's first address hands the prefix over to the next one).
 * DAD is off on both sides (ipifc `dad 0`, Linux `nodad`).  ipifc runs
 * on an `ether` interface whose frames go nowhere: IPv6 addresses join
 * and leave their solicited-node groups and send their MLD reports.
 *
 * The time is CPU time (user and system) for all adds plus all removes:
 * ipifc's of this process, Linux's of the two `ip` processes (their
 * start included; the kernel's work is done in their system calls).  CPU
 * time, not wall-clock, so that the machine's other load weighs less.
 * The ctl lines are formatted before ipifc's clock starts, as Linux's
 * batch files are written before its.
 * Rounds alternate between the two; each figure is the median.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ipifc.h"
#include "util.h"

#define MAXN	16

static int rounds = 3;
static long linuxmax = 20000;
static long nifcs = 1;
static char ns[64];
static int havens;

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
tv_s(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

/* Host h of prefix p of a family, as text without the prefix length. */
static void
addr_ph(char *buf, size_t len, int v6, long p, long h)
{
	if (v6)
		snprintf(buf, len, "2001:db8:0:%lx::%lx", p, h);
	else
		snprintf(buf, len, "10.%ld.%ld.%ld", p >> 8, p & 255, h);
}

/* Address i on one interface: 254 to a prefix. */
static void
addr(char *buf, size_t len, int v6, long i)
{
	addr_ph(buf, len, v6, i / 254, 1 + i % 254);
}

/* Addresses a run puts on each interface: n / nifcs, rounded up. */
static long
per_ifc(long n)
{
	return (n + nifcs - 1) / nifcs;
}

/*
 * Address i of n: with several interfaces (-i), per_ifc(n) consecutive
 * ones on each, in prefixes of that interface's own (one interface: as
 * addr).
 */
static void
addr_n(char *buf, size_t len, int v6, long i, long n)
{
	long per = per_ifc(n), k = i % per;

	addr_ph(buf, len, v6, i / per * ((per + 253) / 254) + k / 254,
	    1 + k % 254);
}

/* ---- ipifc ---- */

static int
link_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	(void)arg;
	(void)ifc;
	(void)dev;
	(void)mac;
	return 0;
}

static void
link_close(void *arg, int ifc)
{
	(void)arg;
	(void)ifc;
}

static int
link_send(void *arg, int ifc, const uint8_t *buf, size_t len)
{
	(void)arg;
	(void)ifc;
	(void)buf;
	(void)len;
	return 0;
}

static const struct ipifc_link_ops ops = {
	.open = link_open, .close = link_close, .send = link_send,
};

static void
w_as(struct ipifc_stack *s, struct ipifc_client *c, const char *path,
    const char *text)
{
	const char *err;

	if ((err = ipifc_write(s, c, path, text, NULL, 0)) != NULL) {
		fprintf(stderr, "bench_churn: %s: %s: %s\n", path, text, err);
		exit(1);
	}
}

static void
w(struct ipifc_stack *s, const char *path, const char *text)
{
	w_as(s, NULL, path, text);
}

/* A stack with nifc ether interfaces, no DAD: what each run starts from. */
static struct ipifc_stack *
churn_stack_n(long nifc)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;
	char path[32], line[64];
	long k;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	if ((s = ipifc_stack_new(&cfg)) == NULL)
		exit(1);
	ipifc_set_link(s, &ops, NULL);
	for (k = 0; k < nifc; k++) {
		snprintf(line, sizeof(line), "bind ether sim:churn%ld", k);
		w(s, "ipifc/clone", k == 0 ? "bind ether sim:churn" : line);
		snprintf(path, sizeof(path), "ipifc/%ld/ctl", k);
		w(s, path, "dad 0");
	}
	return s;
}

static struct ipifc_stack *
churn_stack(void)
{
	return churn_stack_n(1);
}

static const char *const files[] = { "iproute", "ipselftab", "ipifc/0/multi" };
#define NFILES	(int)(sizeof(files) / sizeof(files[0]))

/*
 * The ctl lines of n adds then n removes, made before the clock starts:
 * the time is the stack's, not the formatting's (as Linux's batch files).
 */
struct churn_line {
	char	path[32];
	char	text[80];
};

static struct churn_line *
churn_lines(int v6, long n)
{
	struct churn_line *v;
	char a[48];
	long i;

	if ((v = calloc((size_t)(2 * n), sizeof(*v))) == NULL)
		exit(1);
	for (i = 0; i < n; i++) {
		addr_n(a, sizeof(a), v6, i, n);
		snprintf(v[i].path, sizeof(v[i].path), "ipifc/%ld/ctl",
		    i / per_ifc(n));
		snprintf(v[i].text, sizeof(v[i].text), "add %s /%d", a,
		    v6 ? 64 : 24);
		memcpy(v[n + i].path, v[i].path, sizeof(v[i].path));
		snprintf(v[n + i].text, sizeof(v[i].text), "remove %s /%d", a,
		    v6 ? 64 : 24);
	}
	return v;
}

/* Seconds for n adds then n removes; the tables are checked as they were. */
static double
ipifc_run(int v6, long n)
{
	struct ipifc_stack *s;
	struct churn_line *lines;
	char *before[NFILES], *after;
	const char *err;
	double t0, t;
	long i;
	int f;

	s = churn_stack_n(nifcs);
	lines = churn_lines(v6, n);
	for (f = 0; f < NFILES; f++)
		before[f] = ipifc_read(s, files[f], &err);
	t0 = cpu_s();
	for (i = 0; i < 2 * n; i++)
		w(s, lines[i].path, lines[i].text);
	t = cpu_s() - t0;
	free(lines);
	for (f = 0; f < NFILES; f++) {
		after = ipifc_read(s, files[f], &err);
		if (before[f] == NULL || after == NULL ||
		    strcmp(before[f], after) != 0) {
			fprintf(stderr, "bench_churn: %s not as it was after "
			    "the removes\n", files[f]);
			exit(1);
		}
		free(before[f]);
		free(after);
	}
	ipifc_stack_free(s);
	return t;
}

#define WAKEUPS	101
#define NBRS	1000	/* neighbor entries an interface (IPIFC_MAXNBR 1024) */
#define GROUPS	100	/* IPv6 addresses, so groups, an interface */

enum { W_ADDRS, W_NBRS, W_GROUPS, W_KINDS };

/* Interface k with no DAD, no ARP, and (v4) 10.k.0.1/16, k < 256. */
static void
wakeup_ifc(struct ipifc_stack *s, long k, int v4)
{
	char path[32], line[64];

	snprintf(line, sizeof(line), "bind ether sim:churn%ld", k);
	w(s, "ipifc/clone", line);
	snprintf(path, sizeof(path), "ipifc/%ld/ctl", k);
	w(s, path, "dad 0");
	w(s, path, "noarp 1");
	snprintf(line, sizeof(line), "add 10.%ld.0.1 /16", k);
	if (v4)
		w(s, path, line);
}

/*
 * N of one kind, none of them due: IPv4 addresses on interface 0;
 * static neighbor entries, NBRS to an interface; or IPv6 addresses,
 * GROUPS to an interface, each joining its solicited-node group (once
 * their reports went out).
 */
static void
wakeup_fill(struct ipifc_stack *s, int kind, long n)
{
	char a[64], path[32], line[96];
	uint64_t d;
	long i, k;

	if ((kind == W_NBRS && n > 255L * NBRS) ||
	    (kind == W_GROUPS && n > 4000L * GROUPS)) {
		fprintf(stderr, "bench_churn: -w: too many interfaces\n");
		exit(1);
	}
	switch (kind) {
	case W_ADDRS:
		for (i = 0; i < n; i++) {
			addr(a, sizeof(a), 0, i);
			snprintf(line, sizeof(line), "add %s /24", a);
			w(s, "ipifc/0/ctl", line);
		}
		break;
	case W_NBRS:
		for (i = 0; i < n; i++) {
			k = 1 + i / NBRS;
			if (i % NBRS == 0)
				wakeup_ifc(s, k, 1);
			snprintf(line, sizeof(line), "add 10.%ld.%ld.%ld "
			    "02:00:00:%02lx:%02lx:%02lx", k,
			    1 + (i % NBRS) / 250, 2 + (i % NBRS) % 250,
			    (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff);
			w(s, "arp", line);
		}
		break;
	case W_GROUPS:
		for (i = 0; i < n; i++) {
			k = 1 + i / GROUPS;
			if (i % GROUPS == 0)
				wakeup_ifc(s, k, 0);
			snprintf(path, sizeof(path), "ipifc/%ld/ctl", k);
			snprintf(line, sizeof(line), "add 2001:db8:%lx::%lx /64",
			    k, 1 + i % GROUPS);
			w(s, path, line);
		}
		break;
	}
	/* the new interfaces' DAD, reports and repeats go first */
	while ((d = ipifc_next_deadline(s)) != UINT64_MAX)
		ipifc_advance(s, d);
}

/* CPU seconds of one wakeup with n of a kind, as -w says. */
static double
wakeup_run(int kind, long n)
{
	struct ipifc_stack *s;
	double t[WAKEUPS], t0;
	uint64_t d;
	int r, k;

	s = churn_stack();
	w(s, "ipifc/0/ctl", "noarp 1");
	wakeup_fill(s, kind, n);
	for (r = 0; r < WAKEUPS; r++) {
		w(s, "ipifc/0/ctl", "add6 2001:db8:ffff:: 64 1 1 1 1");
		t0 = cpu_s();
		for (k = 0; k < 4 && (d = ipifc_next_deadline(s)) !=
		    UINT64_MAX; k++)
			ipifc_advance(s, d);
		t[r] = (cpu_s() - t0) / (k > 0 ? k : 1);
		if (k == 4) {
			fprintf(stderr, "bench_churn: the address stays\n");
			exit(1);
		}
	}
	ipifc_stack_free(s);
	return median(t, WAKEUPS);
}

/* ---- Linux ---- */

/* Run argv; *cpu (if not NULL) gets its user and system seconds. */
static int
run_cpu(char *const argv[], double *cpu)
{
	struct rusage ru;
	pid_t pid;
	int st;

	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	if (cpu != NULL)
		*cpu = tv_s(&ru.ru_utime) + tv_s(&ru.ru_stime);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int
run(char *const argv[])
{
	return run_cpu(argv, NULL);
}

static void
ns_del(void)
{
	char *del[] = { "ip", "netns", "del", ns, NULL };

	if (havens)
		(void)run(del);
	havens = 0;
}

static void
on_signal(int sig)
{
	(void)sig;
	ns_del();
	_exit(1);
}

static int
ns_make(void)
{
	char *add[] = { "ip", "netns", "add", ns, NULL };
	char *veth[] = { "ip", "-n", ns, "link", "add", "c0", "type", "veth",
	    "peer", "name", "c1", NULL };
	char *up0[] = { "ip", "-n", ns, "link", "set", "c0", "up", NULL };
	char *up1[] = { "ip", "-n", ns, "link", "set", "c1", "up", NULL };
	/* the subnet's other addresses stay when its first goes, as ipifc's */
	char *promote[] = { "ip", "netns", "exec", ns, "sysctl", "-qw",
	    "net.ipv4.conf.default.promote_secondaries=1", NULL };

	if (geteuid() != 0)
		return -1;
	snprintf(ns, sizeof(ns), "ipifc-churn-%ld", (long)getpid());
	if (run(add) < 0)
		return -1;
	havens = 1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (run(promote) < 0 || run(veth) < 0 || run(up0) < 0 ||
	    run(up1) < 0) {
		ns_del();
		return -1;
	}
	return 0;
}

static int
batch_file(const char *path, const char *verb, int v6, long n)
{
	char a[64];
	FILE *f;
	long i;

	if ((f = fopen(path, "w")) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		addr(a, sizeof(a), v6, i);
		fprintf(f, "address %s %s/%d dev c0%s\n", verb, a,
		    v6 ? 64 : 24, v6 && verb[0] == 'a' ? " nodad" : "");
	}
	return fclose(f);
}

/* Seconds for the two `ip -batch` runs, or -1. */
static double
linux_run(int v6, long n)
{
	char addf[64], delf[64];
	char *ipadd[] = { "ip", "-n", ns, "-batch", addf, NULL };
	char *ipdel[] = { "ip", "-n", ns, "-batch", delf, NULL };
	char *flush[] = { "ip", "-n", ns, "address", "flush", "dev", "c0",
	    NULL };
	double ta, td, t = -1;
	int fa, fd;

	/* named after this process: bench/run.sh removes a killed run's */
	snprintf(addf, sizeof(addf), "/tmp/ipifc-churn-%ld-add-XXXXXX",
	    (long)getpid());
	snprintf(delf, sizeof(delf), "/tmp/ipifc-churn-%ld-del-XXXXXX",
	    (long)getpid());
	if ((fa = mkstemp(addf)) < 0)
		return -1;
	if ((fd = mkstemp(delf)) < 0) {
		close(fa);
		unlink(addf);
		return -1;
	}
	close(fa);
	close(fd);
	if (batch_file(addf, "add", v6, n) == 0 &&
	    batch_file(delf, "del", v6, n) == 0) {
		if (run_cpu(ipadd, &ta) == 0 && run_cpu(ipdel, &td) == 0)
			t = ta + td;
	}
	unlink(addf);
	unlink(delf);
	(void)run(flush);	/* what a failed run left */
	return t;
}

/* ---- the table ---- */

int
main(int argc, char *argv[])
{
	long sizes[MAXN] = { 1000, 10000, 20000, 100000 };
	double ti[32], tl[32], mi, ml;
	int nsizes = 4, c, k, v6, r, linux_ok, wakeups = 0;

	while ((c = getopt(argc, argv, "r:l:i:w")) != -1) {
		switch (c) {
		case 'i':
			nifcs = atol(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'l':
			linuxmax = atol(optarg);
			break;
		case 'w':
			wakeups = 1;
			break;
		default:
			fprintf(stderr, "usage: bench_churn [-r ROUNDS] "
			    "[-l LINUXMAX] [-i IFCS] [-w] [N ...]\n");
			return 2;
		}
	}
	if (rounds < 1 || rounds > 32)
		rounds = 3;
	if (nifcs < 1 || nifcs > 4000)
		nifcs = 1;
	if (nifcs > 1)
		linuxmax = 0;	/* Linux's side is one veth end */
	if (optind < argc) {
		for (nsizes = 0; optind < argc && nsizes < MAXN; optind++)
			sizes[nsizes++] = atol(argv[optind]);
	}
	if (wakeups) {
		printf("%8s %12s %12s %12s\n", "N", "addrs_us", "nbrs_us",
		    "groups_us");
		for (k = 0; k < nsizes; k++) {
			printf("%8ld", sizes[k]);
			for (v6 = 0; v6 < W_KINDS; v6++)
				printf(" %12.2f", wakeup_run(v6, sizes[k]) *
				    1e6);
			printf("\n");
			fflush(stdout);
		}
		return 0;
	}
	linux_ok = ns_make() == 0;
	if (!linux_ok)
		fprintf(stderr, "bench_churn: no namespace (root and iproute2 "
		    "needed): Linux skipped\n");
	printf("%-6s %8s %12s %12s %10s %12s\n", "family", "N", "ipifc_s",
	    "linux_s", "ratio", "ipifc_ns/op");
	for (k = 0; k < nsizes; k++) {
		for (v6 = 0; v6 <= 1; v6++) {
			for (r = 0; r < rounds; r++) {
				ti[r] = ipifc_run(v6, sizes[k]);
				tl[r] = linux_ok && sizes[k] <= linuxmax ?
				    linux_run(v6, sizes[k]) : -1;
			}
			mi = median(ti, rounds);
			ml = median(tl, rounds);
			printf("%-6s %8ld %12.4f ", v6 ? "IPv6" : "IPv4",
			    sizes[k], mi);
			if (ml > 0)
				printf("%12.3f %9.1fx", ml, ml / mi);
			else
				printf("%12s %10s", "-", "-");
			printf(" %12.0f\n", mi * 1e9 / (2.0 * sizes[k]));
			fflush(stdout);
		}
	}
	ns_del();
	return 0;
}
