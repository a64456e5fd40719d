/*
 * The path MTU cache (RFC 8201): per destination, the MTU a Packet Too
 * Big message taught us, lower than the outgoing interface's.  Bounded
 * (IPIFC_MAXPMTU; when full the entry closest to expiry, the oldest, gives
 * way).  An entry is only ever lowered; it goes 10 minutes after its last
 * decrease (RFC 8201 5.3), so a path that grew is found again.  IPv4
 * needs none: ipifc never sets DF on what it sends.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

static struct ipifc_pmtu *
pmtu_find(struct ipifc_stack *s, const struct ipifc_ip *dst)
{
	struct ipifc_proto *p = proto_of(s);
	int i;

	if (p->pmtu_last <= s->now)
		return NULL;	/* none lives: the common case, no scan */
	for (i = 0; i < IPIFC_MAXPMTU; i++)
		if (p->pmtu[i].expires > s->now &&
		    ipifc_ip_eq(&p->pmtu[i].dst, dst))
			return &p->pmtu[i];
	return NULL;
}

size_t
ipifc_pmtu_get(struct ipifc_stack *s, const struct ipifc_ip *dst,
    size_t ifmtu)
{
	struct ipifc_pmtu *e;

	if ((e = pmtu_find(s, dst)) != NULL && e->mtu < ifmtu)
		return e->mtu;
	return ifmtu;
}

/* Lower the path MTU to dst (already checked against the minimum). */
static void
pmtu_lower(struct ipifc_stack *s, const struct ipifc_ip *dst, size_t mtu,
    size_t ifmtu)
{
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_pmtu *e, *q;
	int i;

	if ((e = pmtu_find(s, dst)) == NULL) {
		if (mtu >= ifmtu)
			return;		/* nothing to learn */
		for (i = 0; i < IPIFC_MAXPMTU; i++) {
			q = &p->pmtu[i];
			if (e == NULL || q->expires < e->expires)
				e = q;	/* free or expired first: 0 or past */
		}
		e->dst = *dst;
		e->mtu = ifmtu;
	}
	if (mtu >= e->mtu)
		return;		/* RFC 8201 4: never raised by a message */
	e->mtu = mtu;
	e->expires = s->now + IPIFC_PMTU_AGE;
	p->pmtu_last = e->expires;
}

int
ipifc_pmtu_toobig(struct ipifc_ifc *ifc, const struct ipifc_icmp *m)
{
	struct ipifc_stack *s = ifc->stack;
	const struct ipifc_nexthop *nh;
	struct ipifc_ip src, dst;
	size_t ifmtu = (size_t)ifc->mtu;

	/* the quote: the start of a packet we sent, from one of ours */
	if (m->dlen < IPIFC_IP6_HLEN || (m->data[0] >> 4) != 6)
		return -EINVAL;
	memcpy(src.a, m->data + 8, 16);
	memcpy(dst.a, m->data + 24, 16);
	if (ipifc_ip_isv4(&src) || ipifc_ip_isv4(&dst) ||
	    ipifc_lifc_bylocal(s, &src) == NULL)
		return -EINVAL;
	/* RFC 8201 4, RFC 8200 5: never below the IPv6 minimum */
	if (m->param < IPIFC_IP6_MINMTU)
		return -EINVAL;
	if ((nh = ipifc_rtab_nexthop(s->rtab, &dst, &src)) != NULL &&
	    nh->ifc != NULL)
		ifmtu = (size_t)nh->ifc->mtu;
	pmtu_lower(s, &dst, m->param, ifmtu);
	return 0;
}

void
ipifc_pmtu_fmt(struct ipifc_stack *s, struct ipifc_buf *b)
{
	const struct ipifc_proto *p = s->proto;
	const struct ipifc_pmtu *e;
	char a[IPIFC_IPSTRLEN];
	int i;

	for (i = 0; i < IPIFC_MAXPMTU; i++) {
		e = &p->pmtu[i];
		if (e->expires <= s->now)
			continue;
		ipifc_buf_printf(b, "%s %zu %llu\n", ipifc_ip_fmt(&e->dst, a,
		    sizeof(a)), e->mtu,
		    (unsigned long long)((e->expires - s->now + 999) / 1000));
	}
}
