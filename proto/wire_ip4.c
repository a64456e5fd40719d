/*
 * The IPv4 header, RFC 791 3.1.  Options are kept raw; the Router Alert
 * (RFC 2113) is looked for, because IGMP needs it, and Record Route and
 * Timestamp are parsed and built one at a time (proto/ip4opt.c updates
 * them).
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

/* ::ffff:0:0/96 and the four bytes at b (the header's own order). */
static inline void
mapped(struct ipifc_ip *a, const uint8_t *b)
{
	uint8_t t[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	/*
	 * Made whole, then stored in one go (two words): the lookups read
	 * it back a word at a time at once, which stores of 12 and 4 bytes
	 * could not hand on.
	 */
	memcpy(t + 12, b, 4);
	memcpy(a->a, t, 16);
}

/*
 * Every check first, reading buf alone; then the fields straight into h
 * (a copy through a local would write the struct twice on every packet),
 * so that h is untouched on an error.
 */
int
ipifc_ip4_parse(const uint8_t *buf, size_t len, struct ipifc_ip4 *h)
{
	int	 hlen;
	uint16_t totlen;

	if (len < IPIFC_IP4_HLEN)
		return -EMSGSIZE;
	if (buf[0] >> 4 != 4)
		return -EINVAL;
	hlen = (buf[0] & 0x0f) * 4;
	if (hlen < IPIFC_IP4_HLEN)
		return -EINVAL;
	totlen = ipifc_get16(buf + 2);
	if ((size_t)hlen > len)
		return -EMSGSIZE;
	if (totlen < hlen)
		return -EINVAL;
	/* what follows totlen is link padding */
	if (totlen > len)
		return -EMSGSIZE;
	if (!ipifc_cksum_ok(buf, (size_t)hlen))
		return -EBADMSG;
	h->hlen = hlen;
	h->totlen = totlen;
	h->tos = buf[1];
	h->id = ipifc_get16(buf + 4);
	h->frag = ipifc_get16(buf + 6);
	h->ttl = buf[8];
	h->proto = buf[9];
	mapped(&h->src, buf + 12);
	mapped(&h->dst, buf + 16);
	h->opts = buf + IPIFC_IP4_HLEN;
	h->optlen = (size_t)hlen - IPIFC_IP4_HLEN;
	h->payload = buf + hlen;
	h->plen = (size_t)totlen - (size_t)hlen;
	return 0;
}

int
ipifc_ip4_build(uint8_t *buf, size_t cap, const struct ipifc_ip4 *h)
{
	size_t	 hlen;

	if (h->optlen > IPIFC_IP4_MAXOPT || h->optlen % 4 != 0 ||
	    (h->optlen > 0 && h->opts == NULL) ||
	    !ipifc_ip_isv4(&h->src) || !ipifc_ip_isv4(&h->dst))
		return -EINVAL;
	hlen = IPIFC_IP4_HLEN + h->optlen;
	if (h->plen > 0xffff - hlen)
		return -EINVAL;
	if (cap < hlen)
		return -ENOBUFS;
	/* the options may sit in buf: move them before writing over it */
	if (h->optlen > 0)
		memmove(buf + IPIFC_IP4_HLEN, h->opts, h->optlen);
	buf[0] = (uint8_t)(4 << 4 | hlen / 4);
	buf[1] = h->tos;
	ipifc_put16(buf + 2, (uint16_t)(hlen + h->plen));
	ipifc_put16(buf + 4, h->id);
	ipifc_put16(buf + 6, h->frag);
	buf[8] = h->ttl;
	buf[9] = h->proto;
	ipifc_put16(buf + 10, 0);
	memcpy(buf + 12, h->src.a + 12, 4);
	memcpy(buf + 16, h->dst.a + 12, 4);
	ipifc_put16(buf + 10, ipifc_cksum_fold(ipifc_cksum_add(0, buf, hlen)));
	return (int)hlen;
}

int
ipifc_ip4_ra_build(uint8_t *buf, size_t cap)
{
	if (cap < IPIFC_IP4OPT_RALEN)
		return -ENOBUFS;
	/* RFC 2113 2.1: copied, class 0, number 20; value 0 */
	buf[0] = IPIFC_IP4OPT_RA;
	buf[1] = IPIFC_IP4OPT_RALEN;
	buf[2] = 0;
	buf[3] = 0;
	return IPIFC_IP4OPT_RALEN;
}

int
ipifc_ip4_has_ra(const uint8_t *opts, size_t optlen)
{
	size_t	 i = 0, olen;
	int	 found = 0;

	/* each turn consumes at least one byte */
	while (i < optlen) {
		if (opts[i] == IPIFC_IP4OPT_EOL)
			break;
		if (opts[i] == IPIFC_IP4OPT_NOP) {
			i++;
			continue;
		}
		if (optlen - i < 2)
			return -EMSGSIZE;
		olen = opts[i + 1];
		if (olen < 2)
			return -EINVAL;
		if (olen > optlen - i)
			return -EMSGSIZE;
		if (opts[i] == IPIFC_IP4OPT_RA && olen == IPIFC_IP4OPT_RALEN)
			found = 1;
		i += olen;
	}
	return found;
}

int
ipifc_ip4opt_next(const uint8_t *opts, size_t optlen, size_t *off,
    size_t *olen)
{
	size_t	 i = *off;

	if (i >= optlen || opts[i] == IPIFC_IP4OPT_EOL)
		return 0;
	if (opts[i] == IPIFC_IP4OPT_NOP) {
		*olen = 1;
		*off = i + 1;
		return IPIFC_IP4OPT_NOP;
	}
	if (optlen - i < 2 || opts[i + 1] < 2 || opts[i + 1] > optlen - i) {
		*off = i + 1;
		return -EINVAL;
	}
	*olen = opts[i + 1];
	*off = i + *olen;
	return opts[i];
}

/* Bytes per slot: an address, a timestamp, or both (TS flags 1 and 3). */
static size_t
rec_slot(const struct ipifc_ip4rec *r)
{
	if (r->type == IPIFC_IP4OPT_TS && r->flag == IPIFC_IP4OPT_TSONLY)
		return 4;
	return r->type == IPIFC_IP4OPT_TS ? 8 : 4;
}

/* Where slot 0 starts, counted from 1 as the pointer is. */
static size_t
rec_first(const struct ipifc_ip4rec *r)
{
	return r->type == IPIFC_IP4OPT_TS ? 5 : 4;
}

int
ipifc_ip4rec_parse(const uint8_t *opt, size_t len, struct ipifc_ip4rec *r)
{
	size_t	 slot, first, at;
	int	 i;

	memset(r, 0, sizeof(*r));
	if (len < 2)
		return -EMSGSIZE;
	if (opt[0] != IPIFC_IP4OPT_RR && opt[0] != IPIFC_IP4OPT_TS)
		return -ENOENT;
	r->type = opt[0];
	r->len = opt[1];
	if (r->len > len)
		return -EMSGSIZE;
	first = rec_first(r);
	r->bad = 1;
	if (r->len < first - 1 || r->len > IPIFC_IP4_MAXOPT)
		return -EINVAL;
	r->ptr = opt[2];
	if (r->type == IPIFC_IP4OPT_TS) {
		r->oflw = opt[3] >> 4;
		r->flag = opt[3] & 0x0f;
		r->bad = 3;
		if (r->flag != IPIFC_IP4OPT_TSONLY &&
		    r->flag != IPIFC_IP4OPT_TSADDR &&
		    r->flag != IPIFC_IP4OPT_TSPRESPEC)
			return -EINVAL;
	}
	slot = rec_slot(r);
	r->n = (int)((r->len - (first - 1)) / slot);
	/* the pointer is at a slot, or past the last (full) */
	r->bad = 2;
	if (r->ptr < first || (r->ptr - first) % slot != 0 ||
	    (r->ptr <= r->len && r->ptr + slot - 1 > r->len))
		return -EINVAL;
	r->bad = 0;
	for (i = 0; i < r->n; i++) {
		at = first - 1 + (size_t)i * slot;
		if (r->type == IPIFC_IP4OPT_RR) {
			ipifc_ip_v4(&r->addr[i], ipifc_get32(opt + at));
			continue;
		}
		if (slot == 8) {
			ipifc_ip_v4(&r->addr[i], ipifc_get32(opt + at));
			at += 4;
		}
		r->ts[i] = ipifc_get32(opt + at);
	}
	return 0;
}

int
ipifc_ip4rec_build(uint8_t *buf, size_t cap, const struct ipifc_ip4rec *r)
{
	size_t	 slot, first, at;
	int	 i;

	if ((r->type != IPIFC_IP4OPT_RR && r->type != IPIFC_IP4OPT_TS) ||
	    r->n < 0 || r->n > IPIFC_IP4OPT_MAXREC || r->oflw > 15 ||
	    r->flag > 15)
		return -EINVAL;
	first = rec_first(r);
	slot = rec_slot(r);
	if (r->len < first - 1 + (size_t)r->n * slot ||
	    r->len > IPIFC_IP4_MAXOPT)
		return -EINVAL;
	if (cap < r->len)
		return -ENOBUFS;
	memset(buf, 0, r->len);
	buf[0] = r->type;
	buf[1] = r->len;
	buf[2] = r->ptr;
	if (r->type == IPIFC_IP4OPT_TS)
		buf[3] = (uint8_t)(r->oflw << 4 | r->flag);
	for (i = 0; i < r->n; i++) {
		at = first - 1 + (size_t)i * slot;
		if (r->type == IPIFC_IP4OPT_RR || slot == 8) {
			if (!ipifc_ip_isv4(&r->addr[i]))
				return -EINVAL;
			memcpy(buf + at, r->addr[i].a + 12, 4);
			at += 4;
		}
		if (r->type == IPIFC_IP4OPT_TS)
			ipifc_put32(buf + at, r->ts[i]);
	}
	return r->len;
}
