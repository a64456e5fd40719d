/*
 * What the engine process proposed, per interface, and what became of
 * each proposal (the parent's answer): the state `slaacctl show
 * interface` prints.  Kept from the engine's actions alone, as the
 * engine (slaac/) is used unchanged and shows its state only so.
 * Bounded as the engine is: a proposal that does not fit is not shown
 * (counted in `unshown`).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "slaacd.h"

#define NADDR	IPIFC_SLAAC_MAXADDRS
#define NROUTE	(IPIFC_SLAAC_MAXROUTERS * 2 + IPIFC_SLAAC_MAXROUTES + \
		    IPIFC_SLAAC_MAXPREFIXES)
#define NDNS	(IPIFC_SLAAC_MAXDNS + IPIFC_SLAAC_MAXDNSSL)

struct prop {
	int	used;
	uint32_t seq;		/* the last proposal about it */
	int	err;		/* its answer; -1 none yet */
	int	gone;		/* configured, then gone from the kernel */
	int	lasterr;	/* the last refusal, while retried */
	int	tries;		/* retries made */
	uint64_t retry;		/* when the next is due; 0 none */
	struct ipifc_slaac_act a;
	uint64_t at;		/* when the lifetimes were given */
};

static struct sif {
	unsigned ifindex;
	struct prop addr[NADDR], route[NROUTE], dns[NDNS];
	uint64_t unshown;
	int	down;		/* not running: the kernel dropped them */
} sifs[SLAACD_MAXIFS];

static struct sif *
sif(const struct slaacd_opts *o, unsigned ifindex)
{
	int	 k = slaacd_managed(o, ifindex);

	if (k == -1)
		return NULL;
	sifs[k].ifindex = ifindex;
	return &sifs[k];
}

static int
same(const struct ipifc_slaac_act *x, const struct ipifc_slaac_act *y)
{
	switch (y->type) {
	case IPIFC_SLAAC_ADDR_ADD:
	case IPIFC_SLAAC_ADDR_UPDATE:
	case IPIFC_SLAAC_ADDR_REMOVE:
		return memcmp(&x->addr, &y->addr, sizeof(x->addr)) == 0;
	case IPIFC_SLAAC_ROUTE_ADD:
	case IPIFC_SLAAC_ROUTE_REMOVE:
		return memcmp(&x->addr, &y->addr, sizeof(x->addr)) == 0 &&
		    x->plen == y->plen && x->kind == y->kind &&
		    memcmp(&x->gw, &y->gw, sizeof(x->gw)) == 0 &&
		    memcmp(&x->src, &y->src, sizeof(x->src)) == 0 &&
		    x->srcplen == y->srcplen;
	case IPIFC_SLAAC_DNS_SERVER:
		return x->type == y->type &&
		    memcmp(&x->addr, &y->addr, sizeof(x->addr)) == 0;
	case IPIFC_SLAAC_DNS_DOMAIN:
		return x->type == y->type && strcmp(x->text, y->text) == 0;
	default:
		return 0;
	}
}

void
slaacd_show_act(const struct slaacd_opts *o, const struct ipifc_slaac_act *a,
    uint32_t seq, uint64_t now)
{
	struct sif *s;
	struct prop *t, *free_ = NULL;
	int	 n, i, gone;

	if ((s = sif(o, a->ifc)) == NULL)
		return;
	switch (a->type) {
	case IPIFC_SLAAC_ADDR_ADD:
	case IPIFC_SLAAC_ADDR_UPDATE:
	case IPIFC_SLAAC_ADDR_REMOVE:
		t = s->addr, n = NADDR;
		gone = a->type == IPIFC_SLAAC_ADDR_REMOVE;
		break;
	case IPIFC_SLAAC_ROUTE_ADD:
	case IPIFC_SLAAC_ROUTE_REMOVE:
		t = s->route, n = NROUTE;
		gone = a->type == IPIFC_SLAAC_ROUTE_REMOVE;
		break;
	case IPIFC_SLAAC_DNS_SERVER:
	case IPIFC_SLAAC_DNS_DOMAIN:
		t = s->dns, n = NDNS;
		gone = a->lifetime == 0;
		break;
	default:
		return;
	}
	for (i = 0; i < n; i++) {
		if (t[i].used && same(&t[i].a, a))
			break;
		if (!t[i].used && free_ == NULL)
			free_ = &t[i];
	}
	if (i < n) {
		if (gone) {
			t[i].used = 0;
			return;
		}
		free_ = &t[i];
	} else if (gone)
		return;
	if (free_ == NULL) {
		s->unshown++;
		return;
	}
	free_->used = 1;
	free_->seq = seq;
	free_->err = -1;
	free_->gone = 0;
	free_->lasterr = 0;
	free_->tries = 0;
	free_->retry = 0;
	free_->a = *a;
	free_->at = now;
}

static int
answer(struct prop *t, int n, uint32_t seq, int err, uint64_t now)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (t[i].used && t[i].seq == seq) {
			t[i].err = err;
			t[i].retry = 0;
			if (err == 0) {
				t[i].lasterr = 0;
				t[i].tries = 0;
			} else if (err != EOPNOTSUPP) {
				t[i].lasterr = err;
				if (t[i].tries < SLAACD_RETRIES)
					t[i].retry = now +
					    ((uint64_t)SLAACD_RETRY_MS <<
					    t[i].tries);
			}
			return 1;
		}
	return 0;
}

void
slaacd_show_result(uint32_t seq, int err, uint64_t now)
{
	int	 k;

	for (k = 0; k < SLAACD_MAXIFS; k++)
		if (answer(sifs[k].addr, NADDR, seq, err, now) ||
		    answer(sifs[k].route, NROUTE, seq, err, now) ||
		    answer(sifs[k].dns, NDNS, seq, err, now))
			return;
}

/* Every proposal shown, table by table. */
#define EACH_PROP(k, t, i, n)						\
	for (k = 0; k < SLAACD_MAXIFS; k++)				\
		for (int tab_ = 0; tab_ < 3; tab_++)			\
			for (t = tab_ == 0 ? sifs[k].addr : tab_ == 1 ?	\
			    sifs[k].route : sifs[k].dns, n = tab_ == 0 ? \
			    NADDR : tab_ == 1 ? NROUTE : NDNS, i = 0;	\
			    i < n; i++)

uint64_t
slaacd_show_next_retry(void)
{
	struct prop *t;
	uint64_t next = UINT64_MAX;
	int	 k, i, n;

	EACH_PROP(k, t, i, n)
		if (t[i].used && t[i].retry != 0 && t[i].retry < next)
			next = t[i].retry;
	return next;
}

/* What remains of lifetime lt given at `at`: 0 when it is over. */
static uint32_t
remains(uint32_t lt, uint64_t at, uint64_t now)
{
	uint64_t gone = (now - at) / 1000;

	if (lt == IPIFC_SLAAC_INFINITE)
		return lt;
	return gone >= lt ? 0 : lt - (uint32_t)gone;
}

/*
 * A proposal again, its lifetimes what remains of them: 1, or 0 when
 * one is over (the engine removes it itself).
 */
static int
again(const struct prop *t, uint64_t now, struct ipifc_slaac_act *a)
{
	*a = t->a;
	a->valid = remains(a->valid, t->at, now);
	a->preferred = remains(a->preferred, t->at, now);
	if (a->type == IPIFC_SLAAC_ADDR_ADD ||
	    a->type == IPIFC_SLAAC_ADDR_UPDATE)
		return a->valid != 0;
	a->lifetime = remains(a->lifetime, t->at, now);
	return a->lifetime != 0;
}

void
slaacd_show_retry(uint64_t now,
    uint32_t (*send)(const struct ipifc_slaac_act *))
{
	struct ipifc_slaac_act a;
	struct prop *t;
	int	 k, i, n;

	EACH_PROP(k, t, i, n) {
		if (!t[i].used || t[i].retry == 0 || t[i].retry > now)
			continue;
		t[i].retry = 0;
		if (!again(&t[i], now, &a))
			continue;
		t[i].tries++;
		t[i].err = -1;
		t[i].seq = send(&a);
	}
}

int
slaacd_show_gone(const struct slaacd_opts *o, unsigned ifindex,
    const struct ipifc_ip *addr)
{
	struct sif *s;
	int	 i;

	if ((s = sif(o, ifindex)) == NULL)
		return 0;
	for (i = 0; i < NADDR; i++)
		if (s->addr[i].used && s->addr[i].err == 0 &&
		    !s->addr[i].gone && memcmp(&s->addr[i].a.addr, addr,
		    sizeof(*addr)) == 0) {
			s->addr[i].gone = 1;
			return 1;
		}
	return 0;
}

void
slaacd_show_link(const struct slaacd_opts *o, unsigned ifindex, int up,
    uint64_t now, uint32_t (*send)(const struct ipifc_slaac_act *))
{
	struct ipifc_slaac_act a;
	struct prop *t;
	struct sif *s;
	int	 i, tab;

	if ((s = sif(o, ifindex)) == NULL || s->down == !up)
		return;
	s->down = !up;
	for (tab = 0; tab < 2; tab++)
		for (t = tab == 0 ? s->addr : s->route, i = 0;
		    i < (tab == 0 ? NADDR : NROUTE); i++) {
			if (!t[i].used)
				continue;
			if (!up) {
				if (t[i].err == 0)
					t[i].gone = 1;
				continue;
			}
			if (!t[i].gone)
				continue;
			if (!again(&t[i], now, &a))
				continue;
			t[i].gone = 0;
			t[i].tries = 0;
			t[i].retry = 0;
			t[i].lasterr = 0;
			t[i].err = -1;
			t[i].seq = send(&a);
		}
}

void
slaacd_show_forget(int k)
{
	memset(&sifs[k], 0, sizeof(sifs[k]));
}

/* A lifetime given at `at`, now: what remains, as text. */
static const char *
left(uint32_t lt, uint64_t at, uint64_t now, char *buf, size_t len)
{
	uint64_t gone = (now - at) / 1000;

	if (lt == IPIFC_SLAAC_INFINITE)
		return "infinite";
	snprintf(buf, len, "%llus", (unsigned long long)(gone >= lt ? 0 :
	    lt - gone));
	return buf;
}

static const char *
state(const struct prop *p)
{
	static char buf[64];

	if (p->gone)
		return "removed";
	if (p->err == -1 && p->lasterr == 0)
		return "proposed";
	if (p->err == 0)
		return "configured";
	snprintf(buf, sizeof(buf), "%s(%s)", p->err == -1 ? "retrying" :
	    p->retry != 0 ? "refused" : "failed",
	    strerror(p->err == -1 ? p->lasterr : p->err));
	for (char *c = buf; *c != '\0'; c++)
		if (*c == ' ')
			*c = '-';
	return buf;
}

/* A proposal's line, with its retries when there were some. */
static void
put(const struct prop *t, uint64_t now, char *l, size_t len,
    void (*line)(const char *))
{
	size_t	 n = strlen(l);

	if (t->tries > 0 || t->retry != 0)
		n += (size_t)snprintf(l + n, len - n, " tries %d/%d", t->tries,
		    SLAACD_RETRIES);
	if (t->retry != 0 && n < len)
		snprintf(l + n, len - n, " next %llus", (unsigned long long)
		    (t->retry > now ? (t->retry - now + 999) / 1000 : 0));
	line(l);
}

void
slaacd_show(const struct slaacd_opts *o, unsigned ifindex, uint64_t now,
    void (*line)(const char *))
{
	static const char *const how[] = { "eui64", "stable", "temporary" };
	static const char *const kind[] = { "default", "route", "onlink" };
	char	 l[512], a[IPIFC_IPSTRLEN], g[IPIFC_IPSTRLEN], v[16], p[16];
	const struct prop *t;
	int	 k, i;

	for (k = 0; k < SLAACD_MAXIFS; k++) {
		if (o->ifindex[k] == 0 ||
		    (ifindex != 0 && o->ifindex[k] != ifindex))
			continue;
		snprintf(l, sizeof(l), "%s: ifindex %u", o->ifname[k],
		    o->ifindex[k]);
		line(l);
		for (i = 0; i < NADDR; i++) {
			t = &sifs[k].addr[i];
			if (!t->used)
				continue;
			snprintf(l, sizeof(l), "\taddress %s/%d %s %s valid %s "
			    "preferred %s", ipifc_ip_fmt(&t->a.addr, a,
			    sizeof(a)), t->a.plen, how[t->a.how % 3], state(t),
			    left(t->a.valid, t->at, now, v, sizeof(v)),
			    left(t->a.preferred, t->at, now, p, sizeof(p)));
			put(t, now, l, sizeof(l), line);
		}
		for (i = 0; i < NROUTE; i++) {
			t = &sifs[k].route[i];
			if (!t->used)
				continue;
			/* the lifetime when proposed: the engine proposes
			 * a route again only when it changes */
			snprintf(l, sizeof(l), "\t%s %s/%d%s%s %s lifetime %s "
			    "pref %s", kind[t->a.kind % 3],
			    ipifc_ip_fmt(&t->a.addr, a, sizeof(a)), t->a.plen,
			    t->a.kind == IPIFC_SLAAC_RT_ONLINK ? "" : " via ",
			    t->a.kind == IPIFC_SLAAC_RT_ONLINK ? "" :
			    ipifc_ip_fmt(&t->a.gw, g, sizeof(g)), state(t),
			    left(t->a.lifetime, now, now, v, sizeof(v)),
			    t->a.prf > 0 ? "high" : t->a.prf < 0 ? "low" :
			    "medium");
			if (t->a.srcplen > 0)
				snprintf(l + strlen(l), sizeof(l) - strlen(l),
				    " from %s/%d", ipifc_ip_fmt(&t->a.src, a,
				    sizeof(a)), t->a.srcplen);
			put(t, now, l, sizeof(l), line);
		}
		for (i = 0; i < NDNS; i++) {
			t = &sifs[k].dns[i];
			if (!t->used)
				continue;
			snprintf(l, sizeof(l), "\t%s %s %s lifetime %s",
			    t->a.type == IPIFC_SLAAC_DNS_SERVER ? "nameserver" :
			    "search", t->a.type == IPIFC_SLAAC_DNS_SERVER ?
			    ipifc_ip_fmt(&t->a.addr, a, sizeof(a)) : t->a.text,
			    state(t), left(t->a.lifetime, t->at, now, v,
			    sizeof(v)));
			put(t, now, l, sizeof(l), line);
		}
		if (sifs[k].unshown > 0) {
			snprintf(l, sizeof(l), "\tunshown %llu",
			    (unsigned long long)sifs[k].unshown);
			line(l);
		}
	}
}
