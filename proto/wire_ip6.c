/*
 * The IPv6 header (RFC 8200 3), the walk over extension headers (4), and
 * the hop-by-hop Router Alert that MLD needs (RFC 2711).
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

static const uint8_t v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static int
ismapped(const uint8_t *a)
{
	return memcmp(a, v4mapped, sizeof(v4mapped)) == 0;
}

/* Checks first, then the fields straight into h: see ipifc_ip4_parse. */
int
ipifc_ip6_parse(const uint8_t *buf, size_t len, struct ipifc_ip6 *h)
{
	uint32_t w;
	uint16_t paylen;

	if (len < IPIFC_IP6_HLEN)
		return -EMSGSIZE;
	w = ipifc_get32(buf);
	if (w >> 28 != 6)
		return -EINVAL;
	paylen = ipifc_get16(buf + 4);
	/* what follows the payload is link padding */
	if (paylen > len - IPIFC_IP6_HLEN)
		return -EMSGSIZE;
	if (ismapped(buf + 8) || ismapped(buf + 24))
		return -EINVAL;
	h->tclass = (uint8_t)(w >> 20);
	h->flow = w & 0xfffff;
	h->paylen = paylen;
	h->nxt = buf[6];
	h->hlim = buf[7];
	memcpy(h->src.a, buf + 8, 16);
	memcpy(h->dst.a, buf + 24, 16);
	h->payload = buf + IPIFC_IP6_HLEN;
	h->plen = paylen;
	return 0;
}

int
ipifc_ip6_build(uint8_t *buf, size_t cap, const struct ipifc_ip6 *h)
{
	if (h->plen > 0xffff || h->flow > 0xfffff ||
	    ismapped(h->src.a) || ismapped(h->dst.a))
		return -EINVAL;
	if (cap < IPIFC_IP6_HLEN)
		return -ENOBUFS;
	ipifc_put32(buf, (uint32_t)6 << 28 | (uint32_t)h->tclass << 20 |
	    h->flow);
	ipifc_put16(buf + 4, (uint16_t)h->plen);
	buf[6] = h->nxt;
	buf[7] = h->hlim;
	memcpy(buf + 8, h->src.a, 16);
	memcpy(buf + 24, h->dst.a, 16);
	return IPIFC_IP6_HLEN;
}

static int
isext(uint8_t nxt)
{
	return nxt == IPIFC_PROTO_HOPOPTS || nxt == IPIFC_PROTO_ROUTING ||
	    nxt == IPIFC_PROTO_DSTOPTS || nxt == IPIFC_PROTO_FRAGMENT;
}

int
ipifc_ip6_walkext(uint8_t nxt, const uint8_t *p, size_t len,
    ipifc_ip6ext_fn *fn, void *arg, uint8_t *final_nxt, size_t *offset)
{
	size_t	 off = 0, hl;
	int	 n, rc;

	for (n = 0; isext(nxt); n++) {
		if (n == IPIFC_IP6_MAXEXT)
			return -ELOOP;
		/* RFC 8200 4.3, 4.4, 4.6: length in 8-octet units past the
		 * first eight; 4.5: a fragment header is 8 */
		if (len - off < 2)
			return -EMSGSIZE;
		hl = nxt == IPIFC_PROTO_FRAGMENT ? 8 :
		    ((size_t)p[off + 1] + 1) * 8;
		if (hl > len - off)
			return -EMSGSIZE;
		if ((rc = fn(arg, n, nxt, p + off, off, hl)) != 0)
			return rc;
		nxt = p[off];
		off += hl;
	}
	*final_nxt = nxt;
	*offset = off;
	return 0;
}

/* skipext's walk: hop-by-hop first only, and a stop at a fragment. */
static int
skip_one(void *arg, int n, uint8_t type, const uint8_t *h, size_t off,
    size_t hlen)
{
	struct ipifc_ip6frag *f = arg;
	uint16_t v;

	(void)hlen;
	/* RFC 8200 4.1: only right after the IPv6 header */
	if (type == IPIFC_PROTO_HOPOPTS && n > 0)
		return -EINVAL;
	if (type != IPIFC_PROTO_FRAGMENT)
		return 0;
	/* RFC 8200 4.5 */
	v = ipifc_get16(h + 2);
	f->nxt = h[0];
	f->off = v & 0xfff8;
	f->more = v & 1;
	f->ident = ipifc_get32(h + 4);
	f->hdroff = off;
	return 1;
}

int
ipifc_ip6_skipext(uint8_t nxt, const uint8_t *p, size_t len,
    uint8_t *final_nxt, size_t *offset, struct ipifc_ip6frag *frag)
{
	struct ipifc_ip6frag f;
	int	 rc;

	rc = ipifc_ip6_walkext(nxt, p, len, skip_one, &f, final_nxt, offset);
	if (rc == 1) {
		if (frag != NULL)
			*frag = f;
		*final_nxt = f.nxt;
		*offset = f.hdroff + IPIFC_IP6_FRAGLEN;
	}
	return rc;
}

int
ipifc_ip6frag_build(uint8_t *buf, size_t cap, const struct ipifc_ip6frag *f)
{
	if (cap < IPIFC_IP6_FRAGLEN)
		return -ENOBUFS;
	if ((f->off & 7) != 0)
		return -EINVAL;
	buf[0] = f->nxt;
	buf[1] = 0;			/* reserved */
	ipifc_put16(buf + 2, (uint16_t)(f->off | (f->more ? 1 : 0)));
	ipifc_put32(buf + 4, f->ident);
	return IPIFC_IP6_FRAGLEN;
}

int
ipifc_ip6_hbh_ra_build(uint8_t *buf, size_t cap, uint8_t nxt,
    uint16_t value)
{
	if (cap < IPIFC_IP6_HBHRALEN)
		return -ENOBUFS;
	buf[0] = nxt;
	buf[1] = 0;			/* 8 bytes in all */
	buf[2] = IPIFC_IP6OPT_RA;	/* RFC 2711 2.1 */
	buf[3] = 2;
	ipifc_put16(buf + 4, value);
	buf[6] = IPIFC_IP6OPT_PADN;	/* RFC 8200 4.2: pad to 8 */
	buf[7] = 0;
	return IPIFC_IP6_HBHRALEN;
}

int
ipifc_ip6_hbh_ra(const uint8_t *p, size_t len)
{
	size_t	 hl, i, olen;
	int	 value = -ENOENT;

	if (len < 2)
		return -EMSGSIZE;
	hl = ((size_t)p[1] + 1) * 8;
	if (hl > len)
		return -EMSGSIZE;
	/* each turn consumes at least one byte */
	for (i = 2; i < hl; i += olen) {
		if (p[i] == IPIFC_IP6OPT_PAD1) {
			olen = 1;
			continue;
		}
		if (hl - i < 2)
			return -EMSGSIZE;
		olen = 2 + (size_t)p[i + 1];
		if (olen > hl - i)
			return -EMSGSIZE;
		if (p[i] == IPIFC_IP6OPT_RA) {
			/* RFC 2711 2.1: the length is 2 */
			if (olen != 4)
				return -EINVAL;
			if (value == -ENOENT)
				value = ipifc_get16(p + i + 2);
		}
	}
	return value;
}
