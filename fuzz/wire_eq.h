/*
 * Field-by-field equality of parsed wire structs, for the round trips of
 * tests/unit/test_wire.c and fuzz/fuzz_wire.c.  Pointers are compared by
 * what they point to.  The counters of skipped input (ignored, unknown)
 * are left out: a rebuilt message carries nothing to skip.
 */
#ifndef IPIFC_WIRE_EQ_H
#define IPIFC_WIRE_EQ_H

#include <string.h>

#include "wire.h"

static inline int
wire_bytes_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static inline int
wire_eq_eth(const struct ipifc_eth *a, const struct ipifc_eth *b)
{
	return memcmp(a->dst, b->dst, 6) == 0 &&
	    memcmp(a->src, b->src, 6) == 0 && a->type == b->type &&
	    wire_bytes_eq(a->payload, a->plen, b->payload, b->plen);
}

static inline int
wire_eq_arp(const struct ipifc_arp *a, const struct ipifc_arp *b)
{
	return a->op == b->op && memcmp(a->sha, b->sha, 6) == 0 &&
	    memcmp(a->tha, b->tha, 6) == 0 && ipifc_ip_eq(&a->spa, &b->spa) &&
	    ipifc_ip_eq(&a->tpa, &b->tpa);
}

static inline int
wire_eq_ip4(const struct ipifc_ip4 *a, const struct ipifc_ip4 *b)
{
	return a->tos == b->tos && a->ttl == b->ttl && a->proto == b->proto &&
	    a->id == b->id && a->frag == b->frag && a->totlen == b->totlen &&
	    a->hlen == b->hlen && ipifc_ip_eq(&a->src, &b->src) &&
	    ipifc_ip_eq(&a->dst, &b->dst) &&
	    wire_bytes_eq(a->opts, a->optlen, b->opts, b->optlen) &&
	    wire_bytes_eq(a->payload, a->plen, b->payload, b->plen);
}

static inline int
wire_eq_ip4rec(const struct ipifc_ip4rec *a, const struct ipifc_ip4rec *b)
{
	int i;

	if (a->type != b->type || a->len != b->len || a->ptr != b->ptr ||
	    a->oflw != b->oflw || a->flag != b->flag || a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (!ipifc_ip_eq(&a->addr[i], &b->addr[i]) ||
		    a->ts[i] != b->ts[i])
			return 0;
	return 1;
}

static inline int
wire_eq_ip6(const struct ipifc_ip6 *a, const struct ipifc_ip6 *b)
{
	return a->tclass == b->tclass && a->hlim == b->hlim &&
	    a->nxt == b->nxt && a->flow == b->flow && a->paylen == b->paylen &&
	    ipifc_ip_eq(&a->src, &b->src) && ipifc_ip_eq(&a->dst, &b->dst) &&
	    wire_bytes_eq(a->payload, a->plen, b->payload, b->plen);
}

static inline int
wire_eq_icmp(const struct ipifc_icmp *a, const struct ipifc_icmp *b)
{
	return a->type == b->type && a->code == b->code && a->id == b->id &&
	    a->seq == b->seq && a->param == b->param &&
	    wire_bytes_eq(a->data, a->dlen, b->data, b->dlen);
}

static inline int
wire_eq_nd(const struct ipifc_nd *a, const struct ipifc_nd *b)
{
	int	 i;

	if (a->type != b->type || a->curhlim != b->curhlim ||
	    a->flags != b->flags || a->rtrlife != b->rtrlife ||
	    a->reachable != b->reachable || a->retrans != b->retrans ||
	    !ipifc_ip_eq(&a->target, &b->target) ||
	    !ipifc_ip_eq(&a->dest, &b->dest) || a->has != b->has ||
	    a->nprefix != b->nprefix || a->nrdnss != b->nrdnss ||
	    a->nroute != b->nroute || a->ndnssl != b->ndnssl ||
	    a->npref64 != b->npref64)
		return 0;
	if ((a->has & IPIFC_ND_HAS_CAPTIVE) &&
	    !wire_bytes_eq(a->captive, a->captivelen, b->captive,
	    b->captivelen))
		return 0;
	if ((a->has & IPIFC_ND_HAS_SLLA) && memcmp(a->slla, b->slla, 6) != 0)
		return 0;
	if ((a->has & IPIFC_ND_HAS_TLLA) && memcmp(a->tlla, b->tlla, 6) != 0)
		return 0;
	if ((a->has & IPIFC_ND_HAS_NONCE) &&
	    memcmp(a->nonce, b->nonce, sizeof(a->nonce)) != 0)
		return 0;
	if ((a->has & IPIFC_ND_HAS_MTU) && a->mtu != b->mtu)
		return 0;
	if ((a->has & IPIFC_ND_HAS_RHDR) &&
	    !wire_bytes_eq(a->rhdr, a->rhdrlen, b->rhdr, b->rhdrlen))
		return 0;
	for (i = 0; i < a->nprefix; i++)
		if (a->prefix[i].plen != b->prefix[i].plen ||
		    a->prefix[i].flags != b->prefix[i].flags ||
		    a->prefix[i].valid != b->prefix[i].valid ||
		    a->prefix[i].preferred != b->prefix[i].preferred ||
		    !ipifc_ip_eq(&a->prefix[i].prefix, &b->prefix[i].prefix))
			return 0;
	for (i = 0; i < a->nrdnss; i++)
		if (a->rdnss[i].lifetime != b->rdnss[i].lifetime ||
		    !ipifc_ip_eq(&a->rdnss[i].addr, &b->rdnss[i].addr))
			return 0;
	for (i = 0; i < a->nroute; i++)
		if (a->route[i].plen != b->route[i].plen ||
		    a->route[i].prf != b->route[i].prf ||
		    a->route[i].lifetime != b->route[i].lifetime ||
		    !ipifc_ip_eq(&a->route[i].prefix, &b->route[i].prefix))
			return 0;
	for (i = 0; i < a->ndnssl; i++)
		if (a->dnssl[i].lifetime != b->dnssl[i].lifetime ||
		    strcmp(a->dnssl[i].name, b->dnssl[i].name) != 0)
			return 0;
	for (i = 0; i < a->npref64; i++)
		if (a->pref64[i].lifetime != b->pref64[i].lifetime ||
		    a->pref64[i].plen != b->pref64[i].plen ||
		    !ipifc_ip_eq(&a->pref64[i].prefix, &b->pref64[i].prefix))
			return 0;
	return 1;
}

/* asz: the size of a source address, 16 for MLD, 4 for IGMP */
static inline int
wire_eq_mquery(const struct ipifc_mquery *a, const struct ipifc_mquery *b,
    size_t asz)
{
	return a->version == b->version && a->mrc == b->mrc &&
	    a->mrd == b->mrd && ipifc_ip_eq(&a->group, &b->group) &&
	    a->sflag == b->sflag && a->qrv == b->qrv && a->qqic == b->qqic &&
	    a->qqi == b->qqi &&
	    wire_bytes_eq(a->srcs, a->nsrc * asz, b->srcs, b->nsrc * asz);
}

static inline int
wire_eq_mreport(const struct ipifc_mreport *a, const struct ipifc_mreport *b,
    size_t asz)
{
	int	 i;

	if (a->nrec != b->nrec)
		return 0;
	for (i = 0; i < a->nrec; i++)
		if (a->rec[i].type != b->rec[i].type ||
		    !ipifc_ip_eq(&a->rec[i].group, &b->rec[i].group) ||
		    !wire_bytes_eq(a->rec[i].srcs, a->rec[i].nsrc * asz,
		    b->rec[i].srcs, b->rec[i].nsrc * asz))
			return 0;
	return 1;
}

#endif
