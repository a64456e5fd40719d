/*
 * The scenario runner: `ipifc sim [FILE]`.
 *
 * Stacks live in this one process on a shared virtual clock that starts at
 * 0.  Each script line is echoed, then carried out on the selected stack
 * through the public API only, and its result printed, so the output reads
 * like the script with the answers interleaved.  Nothing here reads a real
 * clock or a real random source: the same script gives the same output.
 *
 * Every stack's links are sim segments (io/simseg.c): an interface bound
 * to sim:NAME on two hosts puts them on one Ethernet.  Frames move at the
 * virtual time they are sent: after every command, and at every step of
 * `advance`, the runner hands out what is queued (and what that causes)
 * before the clock moves on.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "pcap.h"
#include "simseg.h"
#include "simquery.h"
#include "simra.h"
#include "sim.h"

#define SIM_MAXHOSTS	64	/* stacks per scenario */
#define SIM_NAMELEN	32	/* host name, including NUL */
#define SIM_MAXLINE	4096	/* bytes per script line, without newline */
#define SIM_MAXARGS	128	/* words kept per line (write keeps the rest) */
#define SIM_DEFSEED	1
#define SIM_MAXSAME	16	/* timer rounds in one ms (see sim_run_until) */
#define SIM_MAXPING	IPIFC_PINGMAX	/* requests per ping command */
#define SIM_PINGSIZE	56	/* ping's default data bytes */
#define SIM_PINGID	0x5300	/* ICMP id: this plus the host's index */
#define SIM_IP4OPTS	40	/* the most IPv4 options, RFC 791 3.1 */

struct sim;

struct host {
	char		 name[SIM_NAMELEN];
	struct ipifc_stack *stack;
	struct ipifc_client *client;	/* does every write on this host */
	struct ipifc_simhost *link;	/* its interfaces on the segments */
	uint16_t	 pingid;
	int		 monitor;	/* subscribed to the stack's events */
	struct sim	*sim;
};

/* The ping command running now (one at a time: commands are in order). */
struct ping {
	struct host	*host;		/* NULL: none */
	struct ipifc_pingrun run;
};

struct sim {
	FILE		*out;
	struct host	 hosts[SIM_MAXHOSTS];	/* in creation order */
	int		 nhosts;
	struct host	*cur;
	uint64_t	 now;		/* the virtual clock, ms */
	struct ipifc_simnet *net;	/* the sim segments */
	struct ping	 ping;
	struct simq	*queriers[SIMQ_MAX];	/* by segment, made on use */
	int		 nqueriers;
	struct simra	*routers[SIMRA_MAX];	/* by segment and address */
	int		 nrouters;
	uint64_t	 rng;		/* splitmix64 state */
	unsigned long	 lineno;
	int		 failed;	/* some line was not understood */
};

/* One script line split into words; rest[i] is the line from word i on. */
struct line {
	int		 argc;		/* every word, even those not kept */
	char		*argv[SIM_MAXARGS];
	const char	*rest[SIM_MAXARGS];
};

struct sim_cmd {
	const char	*name;
	void		(*fn)(struct sim *, struct line *);
};

static void	sim_error(struct sim *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));

static void
sim_error(struct sim *sim, const char *fmt, ...)
{
	va_list ap;

	fprintf(sim->out, "error: line %lu: ", sim->lineno);
	va_start(ap, fmt);
	vfprintf(sim->out, fmt, ap);
	va_end(ap);
	fputc('\n', sim->out);
	sim->failed = 1;
}

/* splitmix64: small, fast, and any seed (0 included) is a good one. */
static uint32_t
sim_random(void *arg)
{
	struct sim *sim = arg;
	uint64_t z;

	sim->rng += 0x9e3779b97f4a7c15ULL;
	z = sim->rng;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (uint32_t)(z >> 32);
}

static void
sim_event(void *arg, const struct ipifc_event *ev)
{
	struct host *h = arg;
	char buf[512];

	if (ipifc_event_fmt(ev, buf, sizeof(buf)) == NULL)
		snprintf(buf, sizeof(buf), "?");
	fprintf(h->sim->out, "event %s: %s\n", h->name, buf);
}

/*
 * The Record Route and Timestamp options of a reply (RFC 791 3.1), each
 * on a line: "RR: ADDR ...", "TS: [ADDR] TIME ...".  A time with the
 * high-order bit set is not ms since midnight UT: it is printed without
 * that bit and the line says "(non-standard)".
 */
static void
sim_print_opts(struct sim *sim, const uint8_t *o, size_t n)
{
	char a[IPIFC_IPSTRLEN];
	struct ipifc_ip ip;
	const uint8_t *p;
	size_t i = 0, olen, at, slot, first, k, used;
	uint32_t t;
	int type, ns;

	while (i < n && o[i] != 0) {
		type = o[i];
		if (type == 1) {
			i++;
			continue;
		}
		if (n - i < 3 || o[i + 1] < 3 || o[i + 1] > n - i)
			return;
		olen = o[i + 1];
		at = i;
		i += olen;
		if (type != 7 && !(type == 68 && olen >= 4))
			continue;
		first = type == 7 ? 4 : 5;
		slot = type == 7 || (o[at + 3] & 0x0f) == 0 ? 4 : 8;
		used = o[at + 2] < first ? 0 : (o[at + 2] - first) / slot;
		if (used > (olen - first + 1) / slot)
			used = (olen - first + 1) / slot;
		fprintf(sim->out, "%s:", type == 7 ? "RR" : "TS");
		ns = 0;
		for (k = 0; k < used; k++) {
			p = o + at + first - 1 + k * slot;
			if (type == 7 || slot == 8) {
				ipifc_ip_v4(&ip, (uint32_t)p[0] << 24 |
				    (uint32_t)p[1] << 16 |
				    (uint32_t)p[2] << 8 | p[3]);
				fprintf(sim->out, " %s",
				    ipifc_ip_fmt(&ip, a, sizeof(a)));
				p += 4;
			}
			if (type == 68) {
				t = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
				    (uint32_t)p[2] << 8 | p[3];
				ns |= (t & 0x80000000u) != 0;
				fprintf(sim->out, " %u", t & 0x7fffffffu);
			}
		}
		if (type == 68 && o[at + 3] >> 4 != 0)
			fprintf(sim->out, " overflow %u", o[at + 3] >> 4);
		fprintf(sim->out, "%s\n", ns ? " (non-standard)" : "");
	}
}

/*
 * Datagrams for a host: only echo replies to the ping it is running are
 * wanted, and the errors that quote its requests (proto/ping.c): their
 * lines, and the options of replies.
 */
static void
sim_echo(void *arg, const struct ipifc_datagram *d)
{
	struct host *h = arg;
	struct sim *sim = h->sim;
	struct ping *pg = &sim->ping;
	char line[IPIFC_PINGLINE];
	int rc;

	if (pg->host != h)
		return;
	rc = ipifc_pingrun_match(&pg->run, d, sim->now, line, sizeof(line));
	if (rc != 0)
		fputs(line, sim->out);
	if (rc == IPIFC_PING_REPLY && d->optlen > 0)
		sim_print_opts(sim, d->opts, d->optlen);
}

/* Only ICMP is wanted here: other protocols find nobody listening. */
static int
sim_datagram(void *arg, const struct ipifc_datagram *d)
{
	if (d->proto != 1 && d->proto != 58)
		return -EPROTONOSUPPORT;
	sim_echo(arg, d);
	return 0;
}

static struct host *
sim_host_find(struct sim *sim, const char *name)
{
	int i;

	for (i = 0; i < sim->nhosts; i++)
		if (strcmp(sim->hosts[i].name, name) == 0)
			return &sim->hosts[i];
	return NULL;
}

/*
 * The RFC 7217 secret of a new host: from the seeded source, on a stream
 * of its own, so that the draws of existing scenarios stay as they were.
 */
static void
sim_secret(struct sim *sim, uint8_t secret[16])
{
	uint64_t z, st = sim->rng ^ (0x5ec7e75ec7e7ULL * (uint64_t)(sim->nhosts + 1));
	int i;

	for (i = 0; i < 16; i += 8) {
		st += 0x9e3779b97f4a7c15ULL;
		z = st;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		z ^= z >> 31;
		memcpy(secret + i, &z, 8);
	}
}

/* Make the next host; NULL with a message in why on failure. */
static struct host *
sim_host_new(struct sim *sim, const char *name, const char **why)
{
	struct ipifc_stack_config cfg;
	struct host *h;
	uint8_t secret[16];

	if (sim->nhosts == SIM_MAXHOSTS) {
		*why = "too many hosts";
		return NULL;
	}
	h = &sim->hosts[sim->nhosts];
	memset(h, 0, sizeof(*h));
	memset(&cfg, 0, sizeof(cfg));
	cfg.id = (uint32_t)sim->nhosts + 1;
	cfg.now = sim->now;
	cfg.random = sim_random;
	cfg.random_arg = sim;
	/* a fixed hash key: the same table layout, the same output, every run */
	memcpy(cfg.hashseed, "ipifc sim tables", sizeof(cfg.hashseed));
	if ((h->stack = ipifc_stack_new(&cfg)) == NULL) {
		*why = "cannot create the stack";
		return NULL;
	}
	if ((h->client = ipifc_client_new(h->stack)) == NULL) {
		ipifc_stack_free(h->stack);
		h->stack = NULL;
		*why = "cannot create the stack's client";
		return NULL;
	}
	if ((h->link = ipifc_simhost_new(sim->net, h->stack)) == NULL) {
		ipifc_client_free(h->client);
		ipifc_stack_free(h->stack);
		h->client = NULL;
		h->stack = NULL;
		*why = "cannot attach the stack to the sim segments";
		return NULL;
	}
	ipifc_set_link(h->stack, &ipifc_simseg_ops, h->link);
	ipifc_set_deliver(h->stack, sim_datagram, h);
	sim_secret(sim, secret);
	if (ipifc_slaac_attach(h->stack, secret, sizeof(secret)) < 0) {
		ipifc_simhost_free(h->link);
		ipifc_client_free(h->client);
		ipifc_stack_free(h->stack);
		h->client = NULL;
		h->stack = NULL;
		*why = "cannot attach host mode";
		return NULL;
	}
	h->pingid = (uint16_t)(SIM_PINGID + sim->nhosts);
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->sim = sim;
	sim->nhosts++;
	return h;
}

static void
sim_free(struct sim *sim)
{
	struct host *h;
	int i, rc;

	/* No events after the script: stop monitoring before freeing. */
	for (i = 0; i < sim->nhosts; i++) {
		h = &sim->hosts[i];
		if (h->monitor)
			ipifc_unsubscribe(h->stack, sim_event, h);
		h->monitor = 0;
	}
	/* The stacks close their links; then the segments can go. */
	for (i = 0; i < sim->nhosts; i++) {
		h = &sim->hosts[i];
		ipifc_client_free(h->client);
		ipifc_stack_free(h->stack);
		ipifc_simhost_free(h->link);
		h->client = NULL;
		h->stack = NULL;
		h->link = NULL;
	}
	sim->nhosts = 0;
	sim->cur = NULL;
	for (i = 0; i < sim->nqueriers; i++)
		simq_free(sim->queriers[i]);
	sim->nqueriers = 0;
	for (i = 0; i < sim->nrouters; i++)
		simra_free(sim->routers[i]);
	sim->nrouters = 0;
	if ((rc = ipifc_simnet_free(sim->net)) != 0)
		fprintf(sim->out, "error: capture: %s\n", strerror(-rc));
	sim->net = NULL;
}

/* "500ms", "3s", "2m", "1h" in ms; -1 if malformed or too large. */
static int
sim_duration(const char *s, uint64_t *ms)
{
	uint64_t v = 0, mult;
	unsigned d;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (strcmp(s, "ms") == 0)
		mult = 1;
	else if (strcmp(s, "s") == 0)
		mult = 1000;
	else if (strcmp(s, "m") == 0)
		mult = 60 * 1000;
	else if (strcmp(s, "h") == 0)
		mult = 60 * 60 * 1000;
	else
		return -1;
	if (v > UINT64_MAX / mult)
		return -1;
	*ms = v * mult;
	return 0;
}

static void
cmd_host(struct sim *sim, struct line *l)
{
	struct host *h;
	const char *why;

	if (l->argc != 2) {
		sim_error(sim, "usage: host NAME");
		return;
	}
	if ((h = sim_host_find(sim, l->argv[1])) != NULL) {
		sim->cur = h;
		return;
	}
	if (strlen(l->argv[1]) >= SIM_NAMELEN) {
		sim_error(sim, "host name too long (max %d bytes): %s",
		    SIM_NAMELEN - 1, l->argv[1]);
		return;
	}
	if (sim->nhosts == SIM_MAXHOSTS) {
		sim_error(sim, "too many hosts (max %d)", SIM_MAXHOSTS);
		return;
	}
	if ((h = sim_host_new(sim, l->argv[1], &why)) == NULL) {
		sim_error(sim, "host %s: %s", l->argv[1], why);
		return;
	}
	sim->cur = h;
}

static void
cmd_write(struct sim *sim, struct line *l)
{
	struct host *h = sim->cur;
	const char *err;
	char reply[256];

	if (l->argc < 3) {
		sim_error(sim, "usage: write PATH TEXT");
		return;
	}
	reply[0] = '\0';
	err = ipifc_write(h->stack, h->client, l->argv[1], l->rest[2],
	    reply, sizeof(reply));
	if (err != NULL)
		fprintf(sim->out, "error: %s\n", err);
}

static void
cmd_read(struct sim *sim, struct line *l)
{
	const char *err = NULL;
	char *text;
	size_t len;

	if (l->argc != 2) {
		sim_error(sim, "usage: read PATH");
		return;
	}
	if ((text = ipifc_read(sim->cur->stack, l->argv[1], &err)) == NULL) {
		fprintf(sim->out, "error: %s\n",
		    err != NULL ? err : "cannot read");
		return;
	}
	len = strlen(text);
	fputs(text, sim->out);
	/* Keep the output line-structured even if the file's last is bare. */
	if (len > 0 && text[len - 1] != '\n')
		fputc('\n', sim->out);
	free(text);
}

static void
sim_advance_all(struct sim *sim, uint64_t now)
{
	int i;

	for (i = 0; i < sim->nhosts; i++)
		ipifc_advance(sim->hosts[i].stack, now);
}

/*
 * Hand out the frames queued on the segments, and those they cause, at
 * the current time.  The segments' storm guard bounds the work.
 */
static void
sim_flush(struct sim *sim)
{
	ipifc_simnet_deliver(sim->net, sim->now);
}

/*
 * Run the clock to target: step every stack from deadline to deadline,
 * so that what one stack does at time t is seen by the others at t, and
 * deliver the frames sent at each step before the next.  Timers that
 * frames arm for the current ms run in it; a deadline that does not move
 * once run is stepped past by 1 ms after SIM_MAXSAME rounds.
 */
static void
sim_run_until(struct sim *sim, uint64_t target)
{
	uint64_t min, dl, t;
	int i, same = 0;

	sim_flush(sim);
	for (;;) {
		min = UINT64_MAX;
		for (i = 0; i < sim->nhosts; i++) {
			dl = ipifc_next_deadline(sim->hosts[i].stack);
			if (dl < min)
				min = dl;
		}
		if (min > target)
			break;
		t = min < sim->now ? sim->now : min;
		if (t > sim->now)
			same = 0;
		else if (++same > SIM_MAXSAME) {
			t = sim->now + 1;
			same = 0;
		}
		if (t > target)
			break;
		sim->now = t;
		sim_advance_all(sim, t);
		sim_flush(sim);
	}
	sim->now = target;
	sim_advance_all(sim, target);
	sim_flush(sim);
}

static void
cmd_advance(struct sim *sim, struct line *l)
{
	uint64_t d;

	if (l->argc != 2) {
		sim_error(sim, "usage: advance DURATION");
		return;
	}
	if (sim_duration(l->argv[1], &d) == -1) {
		sim_error(sim, "bad duration: %s (want a number and ms, s, "
		    "m or h)", l->argv[1]);
		return;
	}
	/* UINT64_MAX means "no deadline"; the clock never reaches it. */
	if (d >= UINT64_MAX - sim->now) {
		sim_error(sim, "duration too long: %s", l->argv[1]);
		return;
	}
	sim_run_until(sim, sim->now + d);
}

static int
sim_ip(struct sim *sim, const char *s, struct ipifc_ip *ip)
{
	if (ipifc_ip_parse(s, ip) != 0) {
		sim_error(sim, "bad address: %s", s);
		return -1;
	}
	return 0;
}

static void
cmd_source(struct sim *sim, struct line *l)
{
	struct ipifc_ip dst, src;
	uint64_t n;
	int ifc = -1, ifcout = -1;
	char buf[IPIFC_IPSTRLEN];

	if (l->argc != 2 && l->argc != 3) {
		sim_error(sim, "usage: source DEST [IFC]");
		return;
	}
	if (sim_ip(sim, l->argv[1], &dst) == -1)
		return;
	if (l->argc == 3) {
		if (ipifc_decimal(l->argv[2], INT32_MAX, &n) == -1) {
			sim_error(sim, "bad interface: %s", l->argv[2]);
			return;
		}
		ifc = (int)n;
	}
	if (ipifc_source(sim->cur->stack, &dst, ifc, &src, &ifcout) != 0) {
		fprintf(sim->out, "error: no source for %s\n", l->argv[1]);
		return;
	}
	fprintf(sim->out, "%s ifc %d\n", ipifc_ip_fmt(&src, buf, sizeof(buf)),
	    ifcout);
}

static void
cmd_route(struct sim *sim, struct line *l)
{
	struct ipifc_route_info ri;
	struct ipifc_ip dst, src;
	char d[IPIFC_IPSTRLEN], s[IPIFC_IPSTRLEN], g[IPIFC_IPSTRLEN];
	char dm[16], sm[16], type[16], ifc[16];

	if (l->argc != 2 && l->argc != 3) {
		sim_error(sim, "usage: route DEST [SRC]");
		return;
	}
	if (sim_ip(sim, l->argv[1], &dst) == -1)
		return;
	if (l->argc == 3 && sim_ip(sim, l->argv[2], &src) == -1)
		return;
	memset(&ri, 0, sizeof(ri));
	if (ipifc_route_lookup(sim->cur->stack, &dst,
	    l->argc == 3 ? &src : NULL, &ri) != 0) {
		fprintf(sim->out, "error: no route to %s\n", l->argv[1]);
		return;
	}
	ri.tag[sizeof(ri.tag) - 1] = '\0';
	if (ipifc_ip_isunspec(&ri.gate))
		snprintf(g, sizeof(g), "-");
	else
		ipifc_ip_fmt(&ri.gate, g, sizeof(g));
	if (ri.ifc < 0)
		snprintf(ifc, sizeof(ifc), "-");
	else
		snprintf(ifc, sizeof(ifc), "%d", ri.ifc);
	fprintf(sim->out, "%s %s %s %s %s %s %s %s\n",
	    ipifc_ip_fmt(&ri.dst, d, sizeof(d)),
	    ipifc_mask_fmt(&ri.dst, ri.plen, dm, sizeof(dm)),
	    ipifc_ip_fmt(&ri.src, s, sizeof(s)),
	    ipifc_mask_fmt(&ri.src, ri.splen, sm, sizeof(sm)),
	    g, ipifc_type_fmt(ri.type, type, sizeof(type)),
	    ri.tag[0] != '\0' ? ri.tag : "-", ifc);
}

static void
cmd_monitor(struct sim *sim, struct line *l)
{
	struct host *h = sim->cur;
	int on, rc;

	if (l->argc != 2 || (strcmp(l->argv[1], "on") != 0 &&
	    strcmp(l->argv[1], "off") != 0)) {
		sim_error(sim, "usage: monitor on|off");
		return;
	}
	on = strcmp(l->argv[1], "on") == 0;
	if (on == h->monitor)
		return;
	if (on) {
		if ((rc = ipifc_subscribe(h->stack, sim_event, h)) != 0) {
			fprintf(sim->out, "error: monitor: %s\n",
			    strerror(rc < 0 ? -rc : rc));
			return;
		}
	} else
		ipifc_unsubscribe(h->stack, sim_event, h);
	h->monitor = on;
}

static void
cmd_seed(struct sim *sim, struct line *l)
{
	uint64_t n;

	if (l->argc != 2) {
		sim_error(sim, "usage: seed N");
		return;
	}
	if (ipifc_decimal(l->argv[1], UINT64_MAX, &n) == -1) {
		sim_error(sim, "bad seed: %s", l->argv[1]);
		return;
	}
	sim->rng = n;
}

#define SIM_PINGUSAGE	"usage: ping [-c N] [-s SIZE] [-t TTL] [-W SECS] " \
			"[-R | -T tsonly|tsandaddr|tsprespec ADDR...] ADDR"

/*
 * The IPv4 option of -R or -T (RFC 791 3.1), as iputils ping sends it:
 * -R a NOP then Record Route with 9 slots; -T tsonly Timestamp with 9
 * timestamps, tsandaddr with 4 address and timestamp pairs, tsprespec
 * with the addresses given (1 to 4).  The length, or -1 if not understood.
 */
static int
sim_ping_ipopt(struct sim *sim, struct line *l, int *i, uint8_t *o)
{
	struct ipifc_ip a;
	const char *k;
	int n, j;

	memset(o, 0, SIM_IP4OPTS);
	if (strcmp(l->argv[*i], "-R") == 0) {
		o[0] = 1;			/* NOP */
		o[1] = 7;			/* Record Route */
		o[2] = SIM_IP4OPTS - 1;
		o[3] = 4;
		*i += 1;
		return SIM_IP4OPTS;
	}
	k = l->argv[*i + 1];
	o[0] = 68;				/* Timestamp */
	o[2] = 5;
	if (strcmp(k, "tsonly") == 0) {
		o[1] = SIM_IP4OPTS;
		o[3] = 0;
		*i += 2;
		return SIM_IP4OPTS;
	}
	if (strcmp(k, "tsandaddr") == 0) {
		o[1] = 4 + 4 * 8;
		o[3] = 1;
		*i += 2;
		return SIM_IP4OPTS;
	}
	if (strcmp(k, "tsprespec") != 0)
		return -1;
	/* every word but the last (the destination) is an address */
	n = l->argc - 1 - (*i + 2);
	if (n < 1 || n > 4)
		return -1;
	for (j = 0; j < n; j++) {
		if (sim_ip(sim, l->argv[*i + 2 + j], &a) == -1 ||
		    !ipifc_ip_isv4(&a))
			return -1;
		memcpy(o + 4 + 8 * j, a.a + 12, 4);
	}
	o[1] = (uint8_t)(4 + 8 * n);
	o[3] = 3;
	*i += 2 + n;
	return SIM_IP4OPTS;
}

/*
 * ping [-c N] [-s SIZE] [-t TTL] [-W SECS] [-R | -T ...] ADDR: a request
 * a virtual second, then SECS (default 1) of wait for the last reply; the
 * words of ping(8), with a "From ADDR icmp_seq=N WHAT" line for each ICMP
 * error about a request and the options of replies.  A request the stack
 * refuses (no route, no source) prints "error: ping: REASON" and counts
 * as transmitted and lost, so the summary tells the failure.
 */
static void
cmd_ping(struct sim *sim, struct line *l)
{
	struct host *h = sim->cur;
	struct ping *pg = &sim->ping;
	struct ipifc_pingopt po;
	struct ipifc_ip dst;
	int count = 3, size = SIM_PINGSIZE, wait = 1;
	struct ipifc_pingflag flags[] = {
		{ 'c', 1, SIM_MAXPING, &count },
		{ 's', 0, 65535, &size },
		{ 't', 1, 255, &po.ttl },
		{ 'W', 1, 600, &wait },
	};
	uint8_t ipopt[SIM_IP4OPTS];
	char line[2 * IPIFC_PINGLINE], ranges[64];
	int i, rc, seq;

	memset(&po, 0, sizeof(po));
	if (l->argc > SIM_MAXARGS) {
		sim_error(sim, SIM_PINGUSAGE);
		return;
	}
	for (i = 1; i + 1 < l->argc && l->argv[i][0] == '-';) {
		if (strcmp(l->argv[i], "-R") == 0 ||
		    (strcmp(l->argv[i], "-T") == 0 && i + 2 < l->argc)) {
			if (po.optlen > 0 ||
			    (rc = sim_ping_ipopt(sim, l, &i, ipopt)) < 0) {
				sim_error(sim, SIM_PINGUSAGE);
				return;
			}
			po.opts = ipopt;
			po.optlen = (size_t)rc;
			continue;
		}
		if (i + 2 >= l->argc || ipifc_pingflag_set(flags, 4,
		    l->argv[i], l->argv[i + 1]) != 0) {
			ipifc_pingflag_fmt(flags, 4, ranges, sizeof(ranges));
			sim_error(sim, "bad ping option: %s %s (want %s, -R or "
			    "-T)", l->argv[i], l->argv[i + 1], ranges);
			return;
		}
		i += 2;
	}
	if (i + 1 != l->argc) {
		sim_error(sim, SIM_PINGUSAGE);
		return;
	}
	if (sim_ip(sim, l->argv[i], &dst) == -1)
		return;

	pg->host = h;
	ipifc_pingrun_begin(&pg->run, &dst, h->pingid, count, size, line,
	    sizeof(line));
	fputs(line, sim->out);
	for (seq = 1; seq <= pg->run.count; seq++) {
		if (seq > 1)
			sim_run_until(sim, sim->now + 1000);
		rc = ipifc_ping_opt(h->stack, &dst, h->pingid,
		    (uint16_t)ipifc_pingrun_next(&pg->run, sim->now),
		    (size_t)size, &po);
		if (rc != 0)
			fprintf(sim->out, "error: ping: %s\n",
			    strerror(rc < 0 ? -rc : rc));
		sim_flush(sim);
	}
	sim_run_until(sim, sim->now + (uint64_t)wait * 1000);
	ipifc_pingrun_end(&pg->run, line, sizeof(line));
	fputs(line, sim->out);
	pg->host = NULL;
}

/*
 * capture SEGMENT FILE|off: every frame sent on the segment from now on
 * goes to the pcap file FILE (relative to the current directory).
 */
static void
cmd_capture(struct sim *sim, struct line *l)
{
	const char *path;
	int rc;

	if (l->argc != 3) {
		sim_error(sim, "usage: capture SEGMENT FILE|off");
		return;
	}
	path = strcmp(l->argv[2], "off") == 0 ? NULL : l->argv[2];
	if ((rc = ipifc_simnet_capture(sim->net, l->argv[1], path)) != 0)
		fprintf(sim->out, "error: capture %s: %s\n", l->argv[1],
		    strerror(-rc));
}

/* segment NAME: the segment's counters. */
static void
cmd_segment(struct sim *sim, struct line *l)
{
	struct ipifc_simseg_stats st;
	const char *kind;

	if (l->argc != 2) {
		sim_error(sim, "usage: segment NAME");
		return;
	}
	if (ipifc_simnet_stats(sim->net, l->argv[1], &st) != 0) {
		fprintf(sim->out, "error: no segment %s\n", l->argv[1]);
		return;
	}
	switch (st.linktype) {
	case 0:
		kind = "-";
		break;
	case IPIFC_PCAP_RAW:
		kind = "raw";
		break;
	default:
		kind = "ether";
		break;
	}
	fprintf(sim->out, "ports %d kind %s capture %s sent %llu "
	    "delivered %llu queued %d dropfull %llu dropstorm %llu "
	    "dropbig %llu\n", st.ports, kind, st.capturing ? "on" : "off",
	    (unsigned long long)st.sent, (unsigned long long)st.delivered,
	    st.queued, (unsigned long long)st.drop_full,
	    (unsigned long long)st.drop_storm,
	    (unsigned long long)st.drop_big);
}

/*
 * query SEGMENT VERSION GROUP [SOURCE...] [from ADDR] [to ADDR] [hlim N]
 * [mrd MS] [nora]: a querier on SEGMENT (made by its first query) sends
 * the query, and from then on prints a `heard` line for every IGMP or MLD
 * report it hears there.
 */
/* The querier on segment seg, made on first use; NULL after an error. */
static struct simq *
sim_querier(struct sim *sim, const char *cmd, const char *seg)
{
	struct simq *q;
	const char *why;
	int i;

	for (i = 0; i < sim->nqueriers; i++)
		if (strcmp(simq_segment(sim->queriers[i]), seg) == 0)
			return sim->queriers[i];
	if (sim->nqueriers == SIMQ_MAX) {
		sim_error(sim, "at most %d queriers", SIMQ_MAX);
		return NULL;
	}
	if ((q = simq_new(sim->net, seg, sim->out, &sim->now, &why)) ==
	    NULL) {
		fprintf(sim->out, "error: %s %s: %s\n", cmd, seg, why);
		return NULL;
	}
	sim->queriers[sim->nqueriers++] = q;
	return q;
}

static void
cmd_query(struct sim *sim, struct line *l)
{
	struct simq *q;
	const char *why;

	if (l->argc < 4 || l->argc > SIM_MAXARGS) {
		sim_error(sim, "usage: query SEGMENT igmp1|igmp2|igmp3|mld1|"
		    "mld2 GROUP [SOURCE...] [from ADDR] [to ADDR] [hlim N] "
		    "[mrd MS] [nora]");
		return;
	}
	if ((q = sim_querier(sim, "query", l->argv[1])) == NULL)
		return;
	if ((why = simq_send(q, l->argc - 2, l->argv + 2)) != NULL)
		sim_error(sim, "%s", why);
}

/*
 * ra SEGMENT [from ADDR] WORDS...: a router on SEGMENT with link-local
 * address ADDR (fe80::1 unless told; made by its first RA) sends an RA
 * (tools/simra.c lists the words), and from then on prints a `heard` line
 * for every RS it hears there.
 */
static void
cmd_ra(struct sim *sim, struct line *l)
{
	struct simra *r = NULL;
	const char *why, *from = "fe80::1";
	struct ipifc_ip a, b;
	int i;

	if (l->argc < 2) {
		sim_error(sim, "usage: ra SEGMENT [from ADDR] [lifetime S] "
		    "[prf P] [prefix P/LEN VALID PREFERRED [FLAGS]] "
		    "[rdnss ADDR LIFE] [dnssl NAME LIFE] [route P/LEN LIFE "
		    "[PRF]] [pref64 P/LEN LIFE] [captive URI] [mtu N] "
		    "[curhlim N] [reachable MS] [retrans MS] [noslla] "
		    "[bad KIND]");
		return;
	}
	if (l->argc > SIM_MAXARGS) {
		sim_error(sim, "ra: at most %d words", SIM_MAXARGS);
		return;
	}
	for (i = 2; i + 1 < l->argc; i++)
		if (strcmp(l->argv[i], "from") == 0)
			from = l->argv[i + 1];
	for (i = 0; i < sim->nrouters; i++)
		if (strcmp(simra_segment(sim->routers[i]), l->argv[1]) == 0 &&
		    ipifc_ip_parse(from, &a) == 0 &&
		    ipifc_ip_parse(simra_from(sim->routers[i]), &b) == 0 &&
		    ipifc_ip_eq(&a, &b))
			r = sim->routers[i];
	if (r == NULL) {
		if (sim->nrouters == SIMRA_MAX) {
			sim_error(sim, "at most %d routers", SIMRA_MAX);
			return;
		}
		if ((r = simra_new(sim->net, l->argv[1], from, sim->out,
		    &sim->now, &why)) == NULL) {
			fprintf(sim->out, "error: ra %s: %s\n", l->argv[1],
			    why);
			return;
		}
		sim->routers[sim->nrouters++] = r;
	}
	if ((why = simra_send(r, l->argc - 2, l->argv + 2)) != NULL)
		sim_error(sim, "%s", why);
}

/*
 * listen SEGMENT: the querier of SEGMENT (made now if need be) prints
 * what it hears there without sending anything.
 */
static void
cmd_listen(struct sim *sim, struct line *l)
{
	if (l->argc != 2) {
		sim_error(sim, "usage: listen SEGMENT");
		return;
	}
	sim_querier(sim, "listen", l->argv[1]);
}

/* solicit SEGMENT [from ADDR]: the querier sends a router solicitation. */
static void
cmd_solicit(struct sim *sim, struct line *l)
{
	struct simq *q;
	const char *why;

	if (l->argc != 2 && l->argc != 4) {
		sim_error(sim, "usage: solicit SEGMENT [from ADDR]");
		return;
	}
	if ((q = sim_querier(sim, "solicit", l->argv[1])) == NULL)
		return;
	if ((why = simq_solicit(q, l->argc - 2, l->argv + 2)) != NULL)
		sim_error(sim, "%s", why);
}

/*
 * inject IFC HEX...: the frame in hex (spaces allowed between bytes) is
 * received on interface IFC of the selected host, as from its link: what
 * no ping can make, such as a duplicate or overlapping fragment.
 */
static void
cmd_inject(struct sim *sim, struct line *l)
{
	uint8_t frame[SIM_MAXLINE / 2];
	const char *p;
	size_t n = 0;
	char *end;
	long ifc;
	int hi;

	if (l->argc < 3) {
		sim_error(sim, "usage: inject IFC HEX...");
		return;
	}
	ifc = strtol(l->argv[1], &end, 10);
	if (*end != '\0' || ifc < 0 || ifc > 0xffff) {
		sim_error(sim, "inject: bad interface %s", l->argv[1]);
		return;
	}
	for (p = l->rest[2]; *p != '\0'; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (!isxdigit((unsigned char)p[0]) ||
		    !isxdigit((unsigned char)p[1]) || n == sizeof(frame)) {
			sim_error(sim, "inject: bad hex at \"%.8s\"", p);
			return;
		}
		hi = isdigit((unsigned char)*p) ? *p - '0' :
		    tolower((unsigned char)*p) - 'a' + 10;
		p++;
		frame[n++] = (uint8_t)(hi << 4 | (isdigit((unsigned char)*p) ?
		    *p - '0' : tolower((unsigned char)*p) - 'a' + 10));
	}
	ipifc_input(sim->cur->stack, (int)ifc, frame, n);
	sim_flush(sim);
}

static const struct sim_cmd sim_cmds[] = {
	{ "inject", cmd_inject },
	{ "host", cmd_host },
	{ "write", cmd_write },
	{ "read", cmd_read },
	{ "advance", cmd_advance },
	{ "source", cmd_source },
	{ "route", cmd_route },
	{ "monitor", cmd_monitor },
	{ "seed", cmd_seed },
	{ "ping", cmd_ping },
	{ "capture", cmd_capture },
	{ "segment", cmd_segment },
	{ "query", cmd_query },
	{ "listen", cmd_listen },
	{ "solicit", cmd_solicit },
	{ "ra", cmd_ra },
};

/* Split work into words; rest[i] points at word i within line. */
static void
sim_split(char *work, const char *line, struct line *l)
{
	char *p = work;

	l->argc = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (l->argc < SIM_MAXARGS) {
			l->argv[l->argc] = p;
			l->rest[l->argc] = line + (p - work);
		}
		l->argc++;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* Carry out one line (already trimmed); -1 if the run must stop. */
static int
sim_line(struct sim *sim, const char *line)
{
	char work[SIM_MAXLINE + 1];
	struct line l;
	const char *p, *why;
	size_t i;

	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0') {
		fputc('\n', sim->out);
		return 0;
	}
	if (*p == '#') {
		fprintf(sim->out, "%s\n", line);
		return 0;
	}
	fprintf(sim->out, "> %s\n", line);

	snprintf(work, sizeof(work), "%s", line);
	sim_split(work, line, &l);

	/* h0 comes after any leading seed, so the seed reaches it too. */
	if (sim->nhosts == 0 && strcmp(l.argv[0], "seed") != 0) {
		if ((sim->cur = sim_host_new(sim, "h0", &why)) == NULL) {
			fprintf(stderr, "ipifc: sim: h0: %s\n", why);
			return -1;
		}
	}

	for (i = 0; i < sizeof(sim_cmds) / sizeof(sim_cmds[0]); i++) {
		if (strcmp(l.argv[0], sim_cmds[i].name) == 0) {
			sim_cmds[i].fn(sim, &l);
			sim_flush(sim);
			return 0;
		}
	}
	sim_error(sim, "unknown command: %s", l.argv[0]);
	return 0;
}

int
sim_run(FILE *in, FILE *out)
{
	struct sim *sim;
	char buf[SIM_MAXLINE + 2];	/* the line, its newline, NUL */
	size_t len;
	int c, rc = 0;

	if ((sim = calloc(1, sizeof(*sim))) == NULL) {
		fprintf(stderr, "ipifc: sim: %s\n", strerror(errno));
		return 1;
	}
	sim->out = out;
	sim->rng = SIM_DEFSEED;
	if ((sim->net = ipifc_simnet_new()) == NULL) {
		fprintf(stderr, "ipifc: sim: %s\n", strerror(errno));
		free(sim);
		return 1;
	}

	while (fgets(buf, sizeof(buf), in) != NULL) {
		sim->lineno++;
		len = strlen(buf);
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		else if (len > SIM_MAXLINE) {
			while ((c = getc(in)) != EOF && c != '\n')
				;
			sim_error(sim, "line too long (max %d bytes)",
			    SIM_MAXLINE);
			continue;
		}
		while (len > 0 && isspace((unsigned char)buf[len - 1]))
			buf[--len] = '\0';
		if (sim_line(sim, buf) == -1) {
			rc = 1;
			break;
		}
	}
	if (ferror(in)) {
		fprintf(stderr, "ipifc: sim: read error\n");
		rc = 1;
	}
	sim_free(sim);
	if (fflush(out) == EOF || ferror(out)) {
		fprintf(stderr, "ipifc: sim: write error\n");
		rc = 1;
	}
	if (sim->failed)
		rc = 1;
	free(sim);
	return rc;
}

int
sim_main(const char *path)
{
	FILE *in;
	int rc;

	if (path == NULL || strcmp(path, "-") == 0)
		return sim_run(stdin, stdout);
	if ((in = fopen(path, "r")) == NULL) {
		fprintf(stderr, "ipifc: %s: %s\n", path, strerror(errno));
		return 1;
	}
	rc = sim_run(in, stdout);
	fclose(in);
	return rc;
}
