/*
 * A property test of the self table and the route table through the public
 * API: randomized sequences of address adds and removes and interface
 * up/down on three interfaces of one stack, checked after every step
 * against a plain model that scans a list of the addresses.
 *
 * The model mirrors the rules of DESIGN.md ("Addresses", "Routes that
 * addresses imply"):
 *  - an address re-added on its interface with the same mask and remote is
 *    updated in place; with another mask or remote it is replaced (and goes
 *    to the end of the interface's order); an address held by another
 *    interface is refused;
 *  - self entries: an IPv4 address that is not point-to-point makes its
 *    local (u), unless /31 or /32 its subnet broadcast and network (b),
 *    255.255.255.255 (b) and 224.0.0.1 (m); a point-to-point address only
 *    its local (u); an IPv6 address its local (u), ff02::1 and its
 *    solicited-node group (m); a type is the OR over all addresses;
 *    an IPv6 point-to-point address with proxy makes another interface
 *    whose connected prefix holds its peer join the peer's
 *    solicited-node group (m);
 *  - any-source routes ("shared keys"): the connected prefix (none for a
 *    /32 or /128 that is not point-to-point; the peer's /128 for one that
 *    is), the link multicast prefix (not point-to-point), and the /128 host
 *    route of each u or b self entry; one owner per key: the current owner
 *    while its interface is up, else the first candidate on an interface
 *    that is up (interface order, then order of addition), else the first;
 *  - source-specific routes: the connected and link multicast routes again,
 *    limited to the address as source;
 *  - a lookup takes the longest destination prefix, then the longest
 *    source prefix, skipping routes through an interface that is down.
 *
 * Checked after every step: ipforme() of every probe (pool addresses,
 * their networks and broadcasts, peers, groups, addresses never
 * configured) against the OR of the model's self entries; the any-source
 * route of every probe (found or not, prefix length, and the interface and
 * type of exactly the owner the handover rule gives, which is also one of
 * the interfaces that are up and have an address implying the key); the
 * route from each address to points in and near its prefix (the
 * source-specific route wins at equal destination length; a longer
 * any-source prefix, even through another interface, wins over it); the
 * whole of iproute (which routes went with an address that went, and
 * which were handed to whom).  At the end every address is removed and
 * ipselftab and iproute must be empty.  test_internal_owner_keys runs the
 * same with one internal invariant no file shows (the owners' key lists).
 *
 * On a failure the test prints the seed, the operation, the probe and the
 * whole scenario so far as `ipifc sim` lines, to replay it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "core.h"

#define NIFC		3
#define NSEEDS		5
#define NOPS		500
#define MAXADDR		64
#define MAXSELF		8
#define MAXIMP		(4 + MAXSELF)
#define MAXKEYS		1024
#define MAXCAND		16
#define MAXPROBES	512
#define MAXLOG		4096	/* lines of the scenario kept for a replay */

struct maddr {
	struct ipifc_ip local, remote, net;
	int	plen;		/* 16-byte bits */
	int	ptp, proxy, ifc;
	unsigned long seq;
};

struct key {
	struct ipifc_ip dst;
	int	plen;
	unsigned type;
};

/* A shared (any-source) route of the model and who owns it. */
struct shared {
	struct key k;
	unsigned long owner;	/* seq of the owning address */
	int	oifc;
	unsigned otype;
	int	nup;		/* candidates on an interface that is up */
	int	ncand;		/* their distinct (ifc, type) */
	int	candifc[MAXCAND];
	unsigned candtype[MAXCAND];
};

static struct {
	struct ipifc_stack *s;
	struct ipifc_client *c;
	uint64_t rng;
	unsigned seed;
	int	op;
	char	opdesc[320];
	struct maddr a[MAXADDR];	/* in order of addition (seq) */
	int	na;
	int	up[NIFC];
	unsigned long seq;
	struct shared sh[MAXKEYS];
	int	nsh;
	struct ipifc_ip probes[MAXPROBES];
	int	nprobes;
	char	*log[MAXLOG];
	int	nlog;
	int	internal;	/* check_internal_owner_keys too */
	/* how much the run exercised, to see that it means something */
	int	nok, nerr, nreplace, nupdate, maxaddr;
	long	nlookups, nfound, nsrcspec, nforme;
} m;

/* ---- helpers ---- */

static uint32_t
rnd(void)
{
	/* splitmix64 */
	uint64_t z = (m.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static int
pick(int n)
{
	return (int)(rnd() % (uint32_t)n);
}

static struct ipifc_ip
ip(const char *s)
{
	struct ipifc_ip a;

	if (ipifc_ip_parse(s, &a) != 0) {
		fprintf(stderr, "test bug: cannot parse %s\n", s);
		fail();
	}
	return a;
}

static const char *
fmt(const struct ipifc_ip *a)
{
	static char buf[8][IPIFC_IPSTRLEN];
	static int i;

	i = (i + 1) % 8;
	return ipifc_ip_fmt(a, buf[i], sizeof(buf[i]));
}

static int
isv4(const struct ipifc_ip *a)
{
	return ipifc_ip_isv4(a);
}

static void
dumplog(void)
{
	int i;

	fprintf(stderr, "---- scenario so far (ipifc sim) ----\n");
	for (i = 0; i < m.nlog; i++)
		fprintf(stderr, "%s\n", m.log[i]);
	fprintf(stderr, "---- end ----\n");
}

static void
failf(const char *fmtstr, ...) __attribute__((format(printf, 1, 2)));

static void
failf(const char *fmtstr, ...)
{
	va_list ap;

	dumplog();
	fprintf(stderr, "seed %u op %d (%s): ", m.seed, m.op, m.opdesc);
	va_start(ap, fmtstr);
	vfprintf(stderr, fmtstr, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fail();
}

static void
lograw(const char *line)
{
	if (m.nlog < MAXLOG)
		m.log[m.nlog++] = strdup(line);
}

static void
logline(const char *path, const char *text)
{
	char buf[300];

	snprintf(buf, sizeof(buf), "write %s %s", path, text);
	lograw(buf);
}

static void
freelog(void)
{
	while (m.nlog > 0)
		free(m.log[--m.nlog]);
}

/* Write a ctl line; return the error or NULL. */
static const char *
ctl(int ifc, const char *text)
{
	char path[32];

	snprintf(path, sizeof(path), "ipifc/%d/ctl", ifc);
	logline(path, text);
	return ipifc_write(m.s, m.c, path, text, NULL, 0);
}

/* ---- the model: self entries and implied routes of one address ---- */

static const struct ipifc_ip mc4 = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 224, 0, 0, 0 } };
static const struct ipifc_ip ff02 = { { 0xff, 0x02 } };

static int
addself(struct ipifc_ip *a, unsigned *t, int n, const struct ipifc_ip *x,
    unsigned type)
{
	int i;

	for (i = 0; i < n; i++) {
		if (ipifc_ip_eq(&a[i], x)) {
			t[i] |= type;
			return n;
		}
	}
	a[n] = *x;
	t[n] = type;
	return n + 1;
}

static int
self_of(const struct maddr *x, struct ipifc_ip *a, unsigned *t)
{
	struct ipifc_ip b;
	int n = 0;

	n = addself(a, t, n, &x->local, IPIFC_RT_UNI);
	if (x->ptp)
		return n;
	if (isv4(&x->local)) {
		if (x->plen < 127) {
			ipifc_ip_hostones(&b, &x->net, x->plen);
			n = addself(a, t, n, &b, IPIFC_RT_BCAST);
			n = addself(a, t, n, &x->net, IPIFC_RT_BCAST);
		}
		n = addself(a, t, n, &ipifc_ip_bcast4, IPIFC_RT_BCAST);
		n = addself(a, t, n, &ipifc_ip_allsys4, IPIFC_RT_MULTI);
	} else {
		n = addself(a, t, n, &ipifc_ip_allnodes, IPIFC_RT_MULTI);
		ipifc_ip_solicited(&b, &x->local);
		n = addself(a, t, n, &b, IPIFC_RT_MULTI);
	}
	return n;
}

static unsigned
fam(const struct maddr *x)
{
	return isv4(&x->local) ? IPIFC_RT_V4 : 0;
}

/* Connected and link multicast: the routes also added source-specific. */
static int
own_of(const struct maddr *x, struct key *k)
{
	int n = 0;

	if (x->ptp) {
		k[n].dst = x->remote;
		k[n].plen = 128;
		k[n].type = fam(x) | IPIFC_RT_IFC | IPIFC_RT_PTP |
		    (x->proxy ? IPIFC_RT_PROXY : 0);
		return 1;
	}
	if (x->plen != 128) {
		k[n].dst = x->net;
		k[n].plen = x->plen;
		k[n].type = fam(x) | IPIFC_RT_IFC;
		n++;
	}
	k[n].dst = isv4(&x->local) ? mc4 : ff02;
	k[n].plen = isv4(&x->local) ? 120 : 16;
	k[n].type = fam(x) | IPIFC_RT_MULTI;
	return n + 1;
}

/* Every any-source route the address implies. */
static int
implied_of(const struct maddr *x, struct key *k)
{
	struct ipifc_ip a[MAXSELF];
	unsigned t[MAXSELF], u;
	int i, n, ns;

	n = own_of(x, k);
	ns = self_of(x, a, t);
	for (i = 0; i < ns; i++) {
		u = t[i] & (IPIFC_RT_UNI | IPIFC_RT_BCAST);
		if (u == 0)
			continue;
		k[n].dst = a[i];
		k[n].plen = 128;
		k[n].type = fam(x) | u;
		n++;
	}
	return n;
}

static struct maddr *
find_local(const struct ipifc_ip *a)
{
	int i;

	for (i = 0; i < m.na; i++)
		if (ipifc_ip_eq(&m.a[i].local, a))
			return &m.a[i];
	return NULL;
}

static struct maddr *
find_seq(unsigned long seq)
{
	int i;

	for (i = 0; i < m.na; i++)
		if (m.a[i].seq == seq)
			return &m.a[i];
	return NULL;
}

static struct shared *
find_shared(struct shared *tab, int n, const struct ipifc_ip *dst, int plen)
{
	int i;

	for (i = 0; i < n; i++)
		if (tab[i].k.plen == plen && ipifc_ip_eq(&tab[i].k.dst, dst))
			return &tab[i];
	return NULL;
}

/*
 * Decide every shared key's owner after a change: the current owner while
 * it still implies the key (with the same type) and is up, else the first
 * candidate that is up, else the first candidate.
 */
static void
model_reconcile(void)
{
	static struct shared nt[MAXKEYS];
	struct key k[MAXIMP];
	struct shared *e, *old;
	struct maddr *x;
	int nn = 0, i, j, n, ifc, keep, c;

	/* candidates in interface order, then order of addition */
	for (ifc = 0; ifc < NIFC; ifc++) {
		for (i = 0; i < m.na; i++) {
			x = &m.a[i];
			if (x->ifc != ifc)
				continue;
			n = implied_of(x, k);
			for (j = 0; j < n; j++) {
				e = find_shared(nt, nn, &k[j].dst, k[j].plen);
				if (e == NULL) {
					if (nn >= MAXKEYS)
						failf("test bug: too many keys");
					e = &nt[nn++];
					memset(e, 0, sizeof(*e));
					e->k = k[j];
					/* the first candidate, for now */
					e->owner = x->seq;
					e->oifc = x->ifc;
					e->otype = k[j].type;
				}
				if (!m.up[x->ifc])
					continue;
				if (e->nup++ == 0) {
					/* the first candidate that is up */
					e->owner = x->seq;
					e->oifc = x->ifc;
					e->otype = k[j].type;
				}
				for (c = 0; c < e->ncand; c++)
					if (e->candifc[c] == x->ifc &&
					    e->candtype[c] == k[j].type)
						break;
				if (c == e->ncand) {
					if (e->ncand >= MAXCAND)
						failf("test bug: MAXCAND");
					e->candifc[e->ncand] = x->ifc;
					e->candtype[e->ncand] = k[j].type;
					e->ncand++;
				}
			}
		}
	}
	for (i = 0; i < nn; i++) {
		e = &nt[i];
		old = find_shared(m.sh, m.nsh, &e->k.dst, e->k.plen);
		if (old == NULL || old->owner == 0)
			continue;
		x = find_seq(old->owner);
		if (x == NULL || !m.up[x->ifc])
			continue;
		n = implied_of(x, k);
		keep = 0;
		for (j = 0; j < n; j++)
			if (k[j].plen == e->k.plen &&
			    ipifc_ip_eq(&k[j].dst, &e->k.dst) &&
			    k[j].type == old->otype)
				keep = 1;
		if (keep) {
			e->owner = x->seq;
			e->oifc = x->ifc;
			e->otype = old->otype;
		}
	}
	memcpy(m.sh, nt, nn * sizeof(nt[0]));
	m.nsh = nn;
}

/* Forget x's ownerships: its routes were taken away (replace, reroute). */
static void
model_disown(unsigned long seq)
{
	int i;

	for (i = 0; i < m.nsh; i++)
		if (m.sh[i].owner == seq)
			m.sh[i].owner = 0;
}

struct answer {
	int	found;
	int	plen, splen, ifc;
	unsigned type;
	const struct shared *sh;	/* any-source answer: its key */
};

/* The model's route to d from src (NULL: any source). */
static struct answer
model_lookup(const struct ipifc_ip *d, const struct ipifc_ip *src)
{
	struct answer ans;
	struct maddr *x;
	struct key k[MAXIMP];
	const struct shared *e;
	int i, n;

	memset(&ans, 0, sizeof(ans));
	for (i = 0; i < m.nsh; i++) {
		e = &m.sh[i];
		if (e->nup == 0 || !ipifc_ip_inprefix(d, &e->k.dst, e->k.plen))
			continue;
		if (ans.found && ans.plen >= e->k.plen)
			continue;
		ans.found = 1;
		ans.plen = e->k.plen;
		ans.splen = isv4(d) ? 96 : 0;
		ans.ifc = e->oifc;
		ans.type = e->otype;
		ans.sh = e;
	}
	if (src == NULL || (x = find_local(src)) == NULL || !m.up[x->ifc])
		return ans;
	n = own_of(x, k);
	for (i = 0; i < n; i++) {
		if (!ipifc_ip_inprefix(d, &k[i].dst, k[i].plen))
			continue;
		/* the same destination length: the longer source wins */
		if (ans.found && ans.plen > k[i].plen)
			continue;
		ans.found = 1;
		ans.plen = k[i].plen;
		ans.splen = 128;
		ans.ifc = x->ifc;
		ans.type = k[i].type;
		ans.sh = NULL;
	}
	return ans;
}

/* ---- the checks ---- */

/*
 * Proxy ND: an IPv6 point-to-point address with proxy makes every other
 * interface whose connected prefix holds its peer join the peer's
 * solicited-node group (m).
 */
static unsigned
proxy_self(const struct ipifc_ip *probe)
{
	const struct maddr *x, *o;
	struct ipifc_ip g;
	int i, j;

	for (i = 0; i < m.na; i++) {
		x = &m.a[i];
		if (!x->ptp || !x->proxy || isv4(&x->local))
			continue;
		ipifc_ip_solicited(&g, &x->remote);
		if (!ipifc_ip_eq(&g, probe))
			continue;
		for (j = 0; j < m.na; j++) {
			o = &m.a[j];
			if (!o->ptp && o->ifc != x->ifc &&
			    ipifc_ip_inprefix(&x->remote, &o->net, o->plen))
				return IPIFC_RT_MULTI;
		}
	}
	return 0;
}

static void
check_self(void)
{
	struct ipifc_ip a[MAXSELF];
	unsigned t[MAXSELF], want, got;
	int i, j, k, n;

	for (i = 0; i < m.nprobes; i++) {
		want = 0;
		for (j = 0; j < m.na; j++) {
			n = self_of(&m.a[j], a, t);
			for (k = 0; k < n; k++)
				if (ipifc_ip_eq(&a[k], &m.probes[i]))
					want |= t[k];
		}
		want |= proxy_self(&m.probes[i]);
		got = ipifc_ipforme(m.s, &m.probes[i]);
		m.nforme += got != 0;
		if (got != want) {
			lograw("read ipselftab");
			failf("ipforme(%s) = %#x, model %#x",
			    fmt(&m.probes[i]), got, want);
		}
	}
}

static void
check_route(const struct ipifc_ip *d, const struct ipifc_ip *src)
{
	struct ipifc_route_info ri;
	struct answer ans;
	char line[128];
	int rc, i, ok, logged;

	ans = model_lookup(d, src);
	rc = ipifc_route_lookup(m.s, d, src, &ri);
	m.nlookups++;
	m.nfound += ans.found;
	m.nsrcspec += ans.found && ans.splen == 128;
	if (rc != 0 && !ans.found)
		return;
	/* for the replay, should this fail */
	snprintf(line, sizeof(line), "route %s%s%s", fmt(d), src ? " " : "",
	    src ? fmt(src) : "");
	logged = m.nlog < MAXLOG;
	lograw(line);
	if (rc != 0)
		failf("route %s from %s: no route, model plen %d splen %d "
		    "ifc %d type %#x", fmt(d), src ? fmt(src) : "any",
		    ans.plen, ans.splen, ans.ifc, ans.type);
	if (!ans.found)
		failf("route %s from %s: got %s plen %d splen %d ifc %d, "
		    "model none", fmt(d), src ? fmt(src) : "any",
		    fmt(&ri.dst), ri.plen, ri.splen, ri.ifc);
	if (ri.plen != ans.plen || ri.splen != ans.splen)
		failf("route %s from %s: got %s plen %d splen %d, model "
		    "plen %d splen %d", fmt(d), src ? fmt(src) : "any",
		    fmt(&ri.dst), ri.plen, ri.splen, ans.plen, ans.splen);
	/* any interface that is up and has an address implying the key */
	if (ans.sh != NULL) {
		ok = 0;
		for (i = 0; i < ans.sh->ncand; i++)
			if (ans.sh->candifc[i] == ri.ifc &&
			    ans.sh->candtype[i] == ri.type)
				ok = 1;
		if (!ok)
			failf("route %s from %s: plen %d through ifc %d type "
			    "%#x: no address on an interface that is up "
			    "implies it", fmt(d), src ? fmt(src) : "any",
			    ri.plen, ri.ifc, ri.type);
	}
	/* and exactly the owner the handover rule gives */
	if (ri.ifc != ans.ifc || ri.type != ans.type)
		failf("route %s from %s: plen %d through ifc %d type %#x, "
		    "model (handover rule) ifc %d type %#x", fmt(d),
		    src ? fmt(src) : "any", ri.plen, ri.ifc, ri.type,
		    ans.ifc, ans.type);
	if (logged)
		free(m.log[--m.nlog]);
}

static void
check_routes(void)
{
	struct ipifc_ip d, other;
	struct maddr *x;
	int i, j;

	for (i = 0; i < m.nprobes; i++)
		check_route(&m.probes[i], NULL);
	/* source-specific: from each address, to points in and near its prefix */
	for (i = 0; i < m.na; i++) {
		x = &m.a[i];
		check_route(&x->local, &x->local);
		if (x->ptp)
			check_route(&x->remote, &x->local);
		if (x->plen < 128) {
			/* another host of its prefix */
			d = x->local;
			d.a[15] ^= 1;
			check_route(&d, &x->local);
			d = x->net;
			d.a[15] |= 0x0a;
			check_route(&d, &x->local);
		}
		check_route(isv4(&x->local) ? &ipifc_ip_allsys4 :
		    &ipifc_ip_allnodes, &x->local);
		/* a few probes of the same family */
		for (j = 0; j < 3; j++) {
			other = m.probes[pick(m.nprobes)];
			if (isv4(&other) == isv4(&x->local))
				check_route(&other, &x->local);
		}
	}
}

/* One line of iproute, as the model has it. */
static void
route_line(char *buf, size_t len, const struct ipifc_ip *dst, int plen,
    const struct ipifc_ip *src, int splen, unsigned type, int ifc)
{
	char pl[8], spl[8], t[16];

	ipifc_mask_fmt(dst, plen, pl, sizeof(pl));
	ipifc_mask_fmt(src, splen, spl, sizeof(spl));
	ipifc_type_fmt(type, t, sizeof(t));
	snprintf(buf, len, "%s %s %s %s - %s ifc %d", fmt(dst), pl, fmt(src),
	    spl, t, ifc);
}

static int
linecmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

#define MAXLINES	(MAXKEYS + 2 * MAXADDR)

/*
 * The whole of iproute against the model: every shared key through its
 * owner's interface and type (the routes that went with an address that
 * was removed, replaced or went down are gone or handed over), and the
 * source-specific routes of each address.  Who owns a route shows here
 * when its owner goes: what the owner took with it is missing, what it
 * failed to take stays.
 */
static void
check_iproute(void)
{
	static char want[MAXLINES][160];
	static char *wp[MAXLINES], *gp[MAXLINES];
	struct ipifc_ip any;
	struct key k[MAXIMP];
	const char *err = NULL;
	char *t, *p, *e;
	int nw = 0, ng = 0, i, j, n, bad;

	for (i = 0; i < m.nsh; i++) {
		any = isv4(&m.sh[i].k.dst) ? ipifc_ip_unspec4 :
		    ipifc_ip_unspec6;
		route_line(want[nw++], sizeof(want[0]), &m.sh[i].k.dst,
		    m.sh[i].k.plen, &any, isv4(&any) ? 96 : 0,
		    m.sh[i].otype, m.sh[i].oifc);
	}
	for (i = 0; i < m.na; i++) {
		n = own_of(&m.a[i], k);
		for (j = 0; j < n; j++) {
			if (nw >= MAXLINES)
				failf("test bug: MAXLINES");
			route_line(want[nw++], sizeof(want[0]), &k[j].dst,
			    k[j].plen, &m.a[i].local, 128, k[j].type,
			    m.a[i].ifc);
		}
	}
	for (i = 0; i < nw; i++)
		wp[i] = want[i];
	if ((t = ipifc_read(m.s, "iproute", &err)) == NULL)
		failf("read iproute: %s", err ? err : "?");
	for (p = t; *p != '\0'; p = e + 1) {
		if ((e = strchr(p, '\n')) == NULL || ng >= MAXLINES)
			failf("iproute: a line without its newline, or more "
			    "than %d lines", MAXLINES);
		*e = '\0';
		gp[ng++] = p;
	}
	qsort(wp, nw, sizeof(wp[0]), linecmp);
	qsort(gp, ng, sizeof(gp[0]), linecmp);
	bad = nw != ng;
	for (i = 0; !bad && i < nw; i++)
		bad = strcmp(wp[i], gp[i]) != 0;
	if (bad) {
		fprintf(stderr, "iproute (sorted):\n");
		for (i = 0; i < ng; i++)
			fprintf(stderr, "  %s\n", gp[i]);
		fprintf(stderr, "model:\n");
		for (i = 0; i < nw; i++)
			fprintf(stderr, "  %s\n", wp[i]);
		free(t);
		lograw("read iproute");
		failf("iproute: %d routes, the model %d, or they differ",
		    ng, nw);
	}
	free(t);
}

/*
 * INTERNAL INVARIANT (no file shows it): each owned route is listed once
 * in its owner's keys, and the owners list nothing else.  A key an owner
 * keeps after its route passed to another address changes nothing a user
 * sees (the owner's removal skips a route it no longer owns), but the
 * lists would grow with every handover: bounded memory is the behaviour
 * guarded here.  Which routes go with their owner is check_iproute's.
 */
struct ownwalk {
	int	n, bad;
};

static void
count_owned(void *arg, struct ipifc_route *r)
{
	struct ownwalk *w = arg;
	const struct ipifc_rtkey *k;
	int i, found = 0;

	if (r->owner == NULL)
		return;
	w->n++;
	for (i = 0; i < r->owner->nrtown; i++) {
		k = &r->owner->rtown[i];
		if (k->plen == r->plen && k->splen == r->splen &&
		    ipifc_ip_eq(&k->dst, &r->dst) &&
		    ipifc_ip_eq(&k->src, &r->src))
			found++;
	}
	if (found != 1)
		w->bad++;
}

static void
check_internal_owner_keys(void)
{
	struct ownwalk w = { 0, 0 };
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l;
	int listed = 0;

	ipifc_rtab_walk(m.s->rtab, count_owned, &w);
	IPIFC_FOREACH_IFC(ifc, m.s)
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			listed += l->nrtown;
	if (w.bad != 0 || listed != w.n)
		failf("owned routes: %d, %d not listed once with their "
		    "owner; owners list %d keys", w.n, w.bad, listed);
}

static void
check_all(void)
{
	check_self();
	check_routes();
	check_iproute();
	if (m.internal)
		check_internal_owner_keys();
}

/* ---- probes ---- */

static void
addprobe(const struct ipifc_ip *a)
{
	int i;

	for (i = 0; i < m.nprobes; i++)
		if (ipifc_ip_eq(&m.probes[i], a))
			return;
	if (m.nprobes < MAXPROBES)
		m.probes[m.nprobes++] = *a;
}

static void
addprobe_s(const char *s)
{
	struct ipifc_ip a = ip(s);

	addprobe(&a);
}

static const int v4plens[] = { 24, 16, 31, 32 };

static void
make_probes(void)
{
	static const char *extra[] = {
		"255.255.255.255", "224.0.0.1", "224.0.0.5", "224.0.1.1",
		"ff02::1", "ff02::2", "ff01::1", "ff05::1",
		"10.0.0.7", "10.0.3.1", "10.1.0.1", "192.0.2.1", "0.0.0.0",
		"10.0.9.9", "2001:db8::7", "2001:db8:0:1::1",
		"2001:db8:1:ffff::1", "2001:db8:3::1", "fd00::9",
		"fd00:0:0:1::1", "::1", "::", "2001:db8:9::9", "ff02::1:ff00:9",
	};
	struct ipifc_ip a, n, b;
	char buf[64];
	int i, j, k;

	m.nprobes = 0;
	for (i = 0; i < 3; i++)
		for (j = 0; j <= 9; j++) {
			snprintf(buf, sizeof(buf), "10.0.%d.%d", i,
			    j == 7 ? 255 : j);
			a = ip(buf);
			addprobe(&a);
			for (k = 0; k < 4; k++) {
				ipifc_ip_mask(&n, &a, 96 + v4plens[k]);
				ipifc_ip_hostones(&b, &n, 96 + v4plens[k]);
				addprobe(&n);
				addprobe(&b);
			}
		}
	for (j = 1; j <= 3; j++) {
		snprintf(buf, sizeof(buf), "10.0.9.%d", j);
		addprobe_s(buf);
	}
	for (i = 0; i < 3; i++)
		for (j = 1; j <= 6; j++) {
			snprintf(buf, sizeof(buf), "2001:db8:%d::%d", i, j);
			a = ip(buf);
			addprobe(&a);
			ipifc_ip_solicited(&b, &a);
			addprobe(&b);
		}
	for (j = 1; j <= 3; j++) {
		snprintf(buf, sizeof(buf), "fd00::%d", j);
		a = ip(buf);
		addprobe(&a);
		ipifc_ip_solicited(&b, &a);
		addprobe(&b);
		snprintf(buf, sizeof(buf), "2001:db8:9::%d", j);
		addprobe_s(buf);
	}
	for (i = 0; i < (int)(sizeof(extra) / sizeof(extra[0])); i++)
		addprobe_s(extra[i]);
}

/* ---- operations ---- */

static void
masktext(const struct ipifc_ip *a, int plen, char *buf, size_t len)
{
	uint32_t v;
	int bits;

	if (isv4(a) && pick(2) == 0) {
		bits = plen - 96;
		v = bits == 0 ? 0 : 0xffffffffu << (32 - bits);
		snprintf(buf, len, "%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff,
		    (v >> 8) & 0xff, v & 0xff);
	} else
		snprintf(buf, len, "/%d", isv4(a) ? plen - 96 : plen);
}

static void
expect_result(const char *err, int wanterr, const char *text)
{
	if (wanterr)
		m.nerr++;
	else
		m.nok++;
	if (err != NULL && !wanterr)
		failf("'%s' failed: %s; the model expected success", text,
		    err);
	if (err == NULL && wanterr)
		failf("'%s' succeeded; the model expected an error", text);
}

/*
 * Add a random address from the pool to a random interface.  The pool is
 * small so that the same address, prefix, broadcast or peer comes up
 * again and again: 10.0.{0,1,2}.{1..6} (now and then .0 or .255, which
 * are also network or broadcast addresses of others) with /24 /16 /31 /32
 * or point-to-point to 10.0.9.{1..3} (or to one of our own addresses);
 * 2001:db8:{0,1}::{1..6} with /64 /48 /128, fd00::{1..3}/64, and
 * point-to-point 2001:db8:2::{1..3} to 2001:db8:9::{1,2} (or to one of
 * ours).
 */
static void
op_add(void)
{
	static const int p6[] = { 64, 48, 128 };
	struct maddr r, *old;
	char lbuf[64], rbuf[64], mbuf[32], text[256];
	const char *err;
	int ifc = pick(NIFC), hasremote = 0, v4 = pick(5) < 3, sub, host;
	int mtu = 0, wanterr = 0, shorthand = 0;

	memset(&r, 0, sizeof(r));
	if (v4) {
		sub = pick(3);
		host = pick(16);
		host = host < 12 ? 1 + host / 2 : host == 12 ? 0 :
		    host == 13 ? 255 : 1 + pick(6);
		snprintf(lbuf, sizeof(lbuf), "10.0.%d.%d", sub, host);
		r.local = ip(lbuf);
		if (pick(10) < (sub == 2 ? 7 : 1)) {
			hasremote = 1;
			r.plen = 128;
			if (pick(10) == 0)	/* a peer that is one of ours */
				snprintf(rbuf, sizeof(rbuf), "10.0.2.%d",
				    1 + pick(6));
			else
				snprintf(rbuf, sizeof(rbuf), "10.0.9.%d",
				    1 + pick(3));
		} else {
			r.plen = 96 + v4plens[pick(4)];
			shorthand = pick(4) == 0;
			if (pick(8) == 0) {
				/* a remote: inside the prefix or not */
				hasremote = 1;
				shorthand = 0;
				switch (pick(3)) {
				case 0:
					snprintf(rbuf, sizeof(rbuf), "%s",
					    lbuf);
					break;
				case 1:
					snprintf(rbuf, sizeof(rbuf),
					    "10.0.%d.9", sub);
					break;
				default:
					snprintf(rbuf, sizeof(rbuf),
					    "10.0.9.1");
					break;
				}
			}
		}
	} else {
		switch (pick(6)) {
		case 0:
			snprintf(lbuf, sizeof(lbuf), "fd00::%d", 1 + pick(3));
			r.plen = 64;
			break;
		case 1:
			snprintf(lbuf, sizeof(lbuf), "2001:db8:2::%d",
			    1 + pick(3));
			if (pick(8) == 0)
				snprintf(rbuf, sizeof(rbuf), "2001:db8::%d",
				    1 + pick(6));
			else
				snprintf(rbuf, sizeof(rbuf), "2001:db8:9::%d",
				    1 + pick(2));
			hasremote = 1;
			r.plen = 128;
			break;
		default:
			snprintf(lbuf, sizeof(lbuf), "2001:db8:%d::%d",
			    pick(2), 1 + pick(6));
			r.plen = p6[pick(3)];
			shorthand = pick(4) == 0;
			break;
		}
		r.local = ip(lbuf);
	}
	if (hasremote) {
		r.remote = ip(rbuf);
		if (pick(3) == 0) {
			mtu = 1500;
			r.proxy = pick(2);
		}
	}
	/* an all-ones mask with a REMOTE (not itself): point-to-point */
	r.ptp = hasremote && r.plen == 128 &&
	    !ipifc_ip_eq(&r.remote, &r.local);
	r.ifc = ifc;
	ipifc_ip_mask(&r.net, &r.local, r.plen);
	if (hasremote && !r.ptp && !ipifc_ip_inprefix(&r.remote, &r.net,
	    r.plen))
		wanterr = 1;	/* a remote outside the prefix */
	if (!r.ptp)
		r.remote = r.net;
	masktext(&r.local, r.plen, mbuf, sizeof(mbuf));
	if (shorthand)
		snprintf(text, sizeof(text), "add %s/%d", lbuf,
		    isv4(&r.local) ? r.plen - 96 : r.plen);
	else if (!hasremote)
		snprintf(text, sizeof(text), "add %s %s", lbuf, mbuf);
	else if (mtu == 0)
		snprintf(text, sizeof(text), "add %s %s %s", lbuf, mbuf, rbuf);
	else
		snprintf(text, sizeof(text), "add %s %s %s %d%s", lbuf, mbuf,
		    rbuf, mtu, r.proxy ? " proxy" : "");
	snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s", ifc, text);

	old = find_local(&r.local);
	if (r.proxy && !r.ptp)
		wanterr = 1;
	else if (old != NULL && old->ifc != ifc)
		wanterr = 1;	/* another interface holds it */
	err = ctl(ifc, text);
	expect_result(err, wanterr, text);
	if (wanterr)
		return;
	if (old != NULL && old->plen == r.plen && old->ptp == r.ptp &&
	    (!r.ptp || ipifc_ip_eq(&old->remote, &r.remote))) {
		/* unchanged: an update; a new proxy flag reroutes */
		m.nupdate++;
		if (old->proxy != r.proxy) {
			old->proxy = r.proxy;
			model_disown(old->seq);
		}
		return;
	}
	if (old != NULL) {
		/*
		 * Replaced: the old address goes first (its routes handed
		 * over among the others), then the new one comes at the end
		 * of the order.
		 */
		m.nreplace++;
		model_disown(old->seq);
		memmove(old, old + 1, (m.na - (old - m.a) - 1) * sizeof(*old));
		m.na--;
		model_reconcile();
	}
	if (m.na >= MAXADDR)
		failf("test bug: too many addresses");
	r.seq = ++m.seq;
	m.a[m.na++] = r;
}

static void
remove_text(const struct maddr *x, char *text, size_t len)
{
	char mbuf[32];

	masktext(&x->local, x->plen, mbuf, sizeof(mbuf));
	if (x->ptp)
		snprintf(text, len, "remove %s %s %s", fmt(&x->local), mbuf,
		    fmt(&x->remote));
	else
		snprintf(text, len, "remove %s %s", fmt(&x->local), mbuf);
}

static void
op_remove(void)
{
	struct maddr *x, bad;
	char text[256], mbuf[32];
	const char *err;
	int i, ifc, kind = pick(20);

	if (m.na == 0 || kind == 0) {
		/* an address nobody holds (or not on that interface) */
		ifc = pick(NIFC);
		snprintf(text, sizeof(text), "remove 10.0.7.%d /24",
		    1 + pick(6));
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s", ifc,
		    text);
		expect_result(ctl(ifc, text), 1, text);
		return;
	}
	i = pick(m.na);
	x = &m.a[i];
	if (kind <= 2) {
		/* the wrong mask */
		static const int p4[] = { 120, 112, 127, 128 };
		static const int p6[] = { 64, 48, 128, 96 };

		bad = *x;
		do
			bad.plen = isv4(&x->local) ? p4[pick(4)] : p6[pick(4)];
		while (bad.plen == x->plen);
		masktext(&x->local, bad.plen, mbuf, sizeof(mbuf));
		snprintf(text, sizeof(text), "remove %s %s%s%s",
		    fmt(&x->local), mbuf, x->ptp ? " " : "",
		    x->ptp ? fmt(&x->remote) : "");
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s",
		    x->ifc, text);
		expect_result(ctl(x->ifc, text), 1, text);
		return;
	}
	if (kind <= 4) {
		/* the wrong interface */
		ifc = (x->ifc + 1 + pick(NIFC - 1)) % NIFC;
		remove_text(x, text, sizeof(text));
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s", ifc,
		    text);
		expect_result(ctl(ifc, text), 1, text);
		return;
	}
	if (kind == 5 && x->ptp) {
		/* point-to-point without its remote, or another remote */
		if (pick(2))
			snprintf(text, sizeof(text), "remove %s /%d",
			    fmt(&x->local), isv4(&x->local) ? 32 : 128);
		else
			snprintf(text, sizeof(text), "remove %s /%d %s",
			    fmt(&x->local), isv4(&x->local) ? 32 : 128,
			    isv4(&x->local) ? "10.0.8.8" : "2001:db8:8::8");
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s",
		    x->ifc, text);
		expect_result(ctl(x->ifc, text), 1, text);
		return;
	}
	if (kind == 6 && !x->ptp) {
		/* a remote, which must be inside the prefix */
		struct ipifc_ip rem = x->local;

		if (pick(2))
			rem.a[15] ^= 1;
		masktext(&x->local, x->plen, mbuf, sizeof(mbuf));
		snprintf(text, sizeof(text), "remove %s %s %s",
		    fmt(&x->local), mbuf, fmt(&rem));
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s",
		    x->ifc, text);
		if (!ipifc_ip_inprefix(&rem, &x->net, x->plen)) {
			expect_result(ctl(x->ifc, text), 1, text);
			return;
		}
		expect_result(ctl(x->ifc, text), 0, text);
	} else {
		remove_text(x, text, sizeof(text));
		snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s",
		    x->ifc, text);
		err = ctl(x->ifc, text);
		expect_result(err, 0, text);
	}
	memmove(x, x + 1, (m.na - i - 1) * sizeof(*x));
	m.na--;
}

static void
op_updown(void)
{
	int ifc = pick(NIFC), up = pick(2);
	const char *text = up ? "up" : "down";

	snprintf(m.opdesc, sizeof(m.opdesc), "ipifc/%d/ctl %s", ifc, text);
	expect_result(ctl(ifc, text), 0, text);
	m.up[ifc] = up;
}

/* ---- the test ---- */

static void
setup_stack(unsigned seed)
{
	struct ipifc_stack_config cfg;
	char reply[32], want[8];
	const char *err;
	static const char *devs[NIFC] = { "sim:a", "sim:b", "sim:c" };
	char text[64];
	int i;

	memset(&m, 0, sizeof(m));
	m.seed = seed;
	m.rng = seed;
	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	m.s = ipifc_stack_new(&cfg);
	assert_non_null(m.s);
	m.c = ipifc_client_new(m.s);
	assert_non_null(m.c);
	snprintf(m.opdesc, sizeof(m.opdesc), "setup");
	for (i = 0; i < NIFC; i++) {
		snprintf(text, sizeof(text), "bind ether %s", devs[i]);
		logline("ipifc/clone", text);
		reply[0] = '\0';
		err = ipifc_write(m.s, m.c, "ipifc/clone", text, reply,
		    sizeof(reply));
		if (err != NULL)
			failf("clone: %s", err);
		snprintf(want, sizeof(want), "%d", i);
		if (strncmp(reply, want, strlen(want)) != 0)
			failf("clone made interface '%s', want %s", reply,
			    want);
		m.up[i] = 1;
	}
	for (i = 0; i < NIFC; i++) {
		expect_result(ctl(i, "linklocal 0"), 0, "linklocal 0");
		expect_result(ctl(i, "dad 0"), 0, "dad 0");
	}
	make_probes();
}

static void
expect_empty(const char *path)
{
	const char *err = NULL;
	char *t = ipifc_read(m.s, path, &err);

	if (t == NULL)
		failf("read %s: %s", path, err ? err : "?");
	if (t[0] != '\0') {
		fprintf(stderr, "%s:\n%s", path, t);
		free(t);
		failf("%s is not empty after every address is gone", path);
	}
	free(t);
}

static void
run_seed(unsigned seed, int nops, int internal)
{
	int r, i;
	char text[256];

	setup_stack(seed);
	m.internal = internal;
	check_all();
	for (m.op = 1; m.op <= nops; m.op++) {
		r = pick(100);
		if (r < 55)
			op_add();
		else if (r < 85)
			op_remove();
		else
			op_updown();
		model_reconcile();
		check_all();
		if (m.na > m.maxaddr)
			m.maxaddr = m.na;
	}
	/* remove everything: the tables must be empty again */
	while (m.na > 0) {
		i = pick(m.na);
		remove_text(&m.a[i], text, sizeof(text));
		snprintf(m.opdesc, sizeof(m.opdesc), "final ipifc/%d/ctl %s",
		    m.a[i].ifc, text);
		expect_result(ctl(m.a[i].ifc, text), 0, text);
		memmove(&m.a[i], &m.a[i + 1], (m.na - i - 1) * sizeof(m.a[0]));
		m.na--;
		model_reconcile();
		check_all();
		m.op++;
	}
	snprintf(m.opdesc, sizeof(m.opdesc), "all removed");
	if (getenv("IPIFC_TEST_VERBOSE") != NULL)
		fprintf(stderr, "seed %u: %d writes ok, %d refused, %d "
		    "updates, %d replacements, at most %d addresses; %ld "
		    "lookups, %ld found, %ld source-specific; %ld self hits\n",
		    seed, m.nok, m.nerr, m.nupdate, m.nreplace, m.maxaddr,
		    m.nlookups, m.nfound, m.nsrcspec, m.nforme);
	expect_empty("ipselftab");
	expect_empty("iproute");
	freelog();
	ipifc_client_free(m.c);
	ipifc_stack_free(m.s);
}

static void
test_tables_match_scan(void **state)
{
	static const unsigned seeds[NSEEDS] = { 1, 2, 3, 0x5eed, 20240601 };
	const char *e;
	int i, nops = NOPS, more = 0;

	(void)state;
	/* a longer soak: IPIFC_TEST_SEEDS=N more seeds, IPIFC_TEST_OPS=N each */
	if ((e = getenv("IPIFC_TEST_OPS")) != NULL && atoi(e) > 0)
		nops = atoi(e) < MAXLOG - 128 ? atoi(e) : MAXLOG - 128;
	if ((e = getenv("IPIFC_TEST_SEEDS")) != NULL)
		more = atoi(e);
	for (i = 0; i < NSEEDS; i++)
		run_seed(seeds[i], nops, 0);
	for (i = 0; i < more; i++)
		run_seed(1000 + (unsigned)i, nops, 0);
}

/*
 * The same runs with the internal invariant of the owners' key lists
 * checked after every step as well (see check_internal_owner_keys).
 */
static void
test_internal_owner_keys(void **state)
{
	static const unsigned seeds[NSEEDS] = { 1, 2, 3, 0x5eed, 20240601 };
	int i;

	(void)state;
	for (i = 0; i < NSEEDS; i++)
		run_seed(seeds[i], NOPS, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_match_scan),
		cmocka_unit_test(test_internal_owner_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
