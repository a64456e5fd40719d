/*
 * The scenario runner: `ipifc sim [FILE]`.
 *
 * Stacks live in this one process on a shared virtual clock that starts at
 * 0.  Each script line is echoed, then carried out on the selected stack
 * through the public API only, and its result printed, so the output reads
 * like the script with the answers interleaved.  Nothing here reads a real
 * clock or a real random source: the same script gives the same output.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "sim.h"

#define SIM_MAXHOSTS	64	/* stacks per scenario */
#define SIM_NAMELEN	32	/* host name, including NUL */
#define SIM_MAXLINE	4096	/* bytes per script line, without newline */
#define SIM_MAXARGS	16	/* words kept per line (write keeps the rest) */
#define SIM_DEFSEED	1

struct sim;

struct host {
	char		 name[SIM_NAMELEN];
	struct ipifc_stack *stack;
	struct ipifc_client *client;	/* does every write on this host */
	int		 monitor;	/* subscribed to the stack's events */
	struct sim	*sim;
};

struct sim {
	FILE		*out;
	struct host	 hosts[SIM_MAXHOSTS];	/* in creation order */
	int		 nhosts;
	struct host	*cur;
	uint64_t	 now;		/* the virtual clock, ms */
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

static struct host *
sim_host_find(struct sim *sim, const char *name)
{
	int i;

	for (i = 0; i < sim->nhosts; i++)
		if (strcmp(sim->hosts[i].name, name) == 0)
			return &sim->hosts[i];
	return NULL;
}

/* Make the next host; NULL with a message in why on failure. */
static struct host *
sim_host_new(struct sim *sim, const char *name, const char **why)
{
	struct ipifc_stack_config cfg;
	struct host *h;

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
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->sim = sim;
	sim->nhosts++;
	return h;
}

static void
sim_free(struct sim *sim)
{
	struct host *h;
	int i;

	/* No events after the script: stop monitoring before freeing. */
	for (i = 0; i < sim->nhosts; i++) {
		h = &sim->hosts[i];
		if (h->monitor)
			ipifc_unsubscribe(h->stack, sim_event, h);
		h->monitor = 0;
	}
	for (i = 0; i < sim->nhosts; i++) {
		h = &sim->hosts[i];
		ipifc_client_free(h->client);
		ipifc_stack_free(h->stack);
		h->client = NULL;
		h->stack = NULL;
	}
	sim->nhosts = 0;
	sim->cur = NULL;
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

/* A decimal number in 0..max; -1 if not. */
static int
sim_number(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	unsigned d;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		d = (unsigned)(*s - '0');
		if (v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s != '\0')
		return -1;
	*out = v;
	return 0;
}

/* The type letters of the iproute and ipselftab files. */
static char *
sim_typefmt(unsigned type, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		char	 c;
	} letters[] = {
		{ IPIFC_RT_IFC, 'i' },
		{ IPIFC_RT_UNI, 'u' },
		{ IPIFC_RT_BCAST, 'b' },
		{ IPIFC_RT_MULTI, 'm' },
		{ IPIFC_RT_PTP, 'p' },
		{ IPIFC_RT_PROXY, 'y' },
	};
	size_t i, n = 0;

	if (len == 0)
		return buf;
	if (n + 1 < len)
		buf[n++] = (type & IPIFC_RT_V4) ? '4' : '6';
	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if ((type & letters[i].bit) && n + 1 < len)
			buf[n++] = letters[i].c;
	buf[n] = '\0';
	return buf;
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

static void
cmd_advance(struct sim *sim, struct line *l)
{
	uint64_t d, target, min, dl, t;
	int i, stepped = 0;

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
	target = sim->now + d;

	/*
	 * Step every stack from deadline to deadline, so that what one
	 * stack does at time t is seen by the others at t.  A deadline that
	 * does not move once run is stepped past by 1 ms.
	 */
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
		if (stepped && t <= sim->now)
			t = sim->now + 1;
		if (t > target)
			break;
		sim->now = t;
		sim_advance_all(sim, t);
		stepped = 1;
	}
	sim->now = target;
	sim_advance_all(sim, target);
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
		if (sim_number(l->argv[2], INT32_MAX, &n) == -1) {
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
	    g, sim_typefmt(ri.type, type, sizeof(type)),
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
	if (sim_number(l->argv[1], UINT64_MAX, &n) == -1) {
		sim_error(sim, "bad seed: %s", l->argv[1]);
		return;
	}
	sim->rng = n;
}

static void
cmd_ping(struct sim *sim, struct line *l)
{
	fprintf(sim->out, "error: ping needs the packet path (not built yet)\n");
}

static void
cmd_capture(struct sim *sim, struct line *l)
{
	fprintf(sim->out,
	    "error: capture needs the packet path (not built yet)\n");
}

static const struct sim_cmd sim_cmds[] = {
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
