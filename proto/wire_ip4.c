/*
 * The IPv4 header, RFC 791 3.1.  Options are kept raw; only the Router
 * Alert (RFC 2113) is looked for, because IGMP needs it.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

int
ipifc_ip4_parse(const uint8_t *buf, size_t len, struct ipifc_ip4 *h)
{
	struct ipifc_ip4 t;

	if (len < IPIFC_IP4_HLEN)
		return -EMSGSIZE;
	if (buf[0] >> 4 != 4)
		return -EINVAL;
	t.hlen = (buf[0] & 0x0f) * 4;
	if (t.hlen < IPIFC_IP4_HLEN)
		return -EINVAL;
	t.totlen = ipifc_get16(buf + 2);
	if ((size_t)t.hlen > len)
		return -EMSGSIZE;
	if (t.totlen < t.hlen)
		return -EINVAL;
	/* what follows totlen is link padding */
	if (t.totlen > len)
		return -EMSGSIZE;
	if (ipifc_cksum_fold(ipifc_cksum_add(0, buf, (size_t)t.hlen)) != 0)
		return -EBADMSG;
	t.tos = buf[1];
	t.id = ipifc_get16(buf + 4);
	t.frag = ipifc_get16(buf + 6);
	t.ttl = buf[8];
	t.proto = buf[9];
	ipifc_ip_v4(&t.src, ipifc_get32(buf + 12));
	ipifc_ip_v4(&t.dst, ipifc_get32(buf + 16));
	t.opts = buf + IPIFC_IP4_HLEN;
	t.optlen = (size_t)t.hlen - IPIFC_IP4_HLEN;
	t.payload = buf + t.hlen;
	t.plen = (size_t)t.totlen - (size_t)t.hlen;
	*h = t;
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
ipifc_ip4_df(const struct ipifc_ip4 *h)
{
	return (h->frag & IPIFC_IP4_DF) != 0;
}

int
ipifc_ip4_mf(const struct ipifc_ip4 *h)
{
	return (h->frag & IPIFC_IP4_MF) != 0;
}

uint32_t
ipifc_ip4_fragoff(const struct ipifc_ip4 *h)
{
	return (uint32_t)(h->frag & IPIFC_IP4_OFFMASK) * 8;
}

int
ipifc_ip4_isfrag(const struct ipifc_ip4 *h)
{
	return (h->frag & (IPIFC_IP4_MF | IPIFC_IP4_OFFMASK)) != 0;
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
