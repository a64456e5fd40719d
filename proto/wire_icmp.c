/*
 * ICMP echo and error messages: ICMPv4 (RFC 792) and ICMPv6 (RFC 4443).
 * Both share the 8-byte layout type, code, checksum, four bytes of
 * rest; they differ in numbers, in where the pointer and the MTU sit,
 * and in the pseudo-header that ICMPv6 sums (RFC 4443 2.3).
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

/* The longest quote in an error message: RFC 1812 4.3.2.3, RFC 4443 2.4 (c) */
#define QUOTE4	(IPIFC_ICMP4_ERRMAX - IPIFC_IP4_HLEN - IPIFC_ICMP_HLEN)
#define QUOTE6	(IPIFC_ICMP6_ERRMAX - IPIFC_IP6_HLEN - IPIFC_ICMP_HLEN)

static size_t
min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* The fields into m, once a parser has found the message good. */
static void
decode_common(const uint8_t *buf, size_t len, struct ipifc_icmp *m,
    uint32_t param, uint16_t id, uint16_t seq)
{
	memset(m, 0, sizeof(*m));
	m->type = buf[0];
	m->code = buf[1];
	m->data = buf + IPIFC_ICMP_HLEN;
	m->dlen = len - IPIFC_ICMP_HLEN;
	m->param = param;
	m->id = id;
	m->seq = seq;
}

int
ipifc_icmp4_parse(const uint8_t *buf, size_t len, struct ipifc_icmp *m)
{
	uint32_t rest, param = 0;
	uint16_t id = 0, seq = 0;

	if (len < IPIFC_ICMP_HLEN)
		return -EMSGSIZE;
	if (!ipifc_cksum_ok(buf, len))
		return -EBADMSG;
	rest = ipifc_get32(buf + 4);
	switch (buf[0]) {
	case IPIFC_ICMP4_ECHO:
	case IPIFC_ICMP4_ECHOREPLY:
		id = (uint16_t)(rest >> 16);
		seq = (uint16_t)rest;
		break;
	case IPIFC_ICMP4_UNREACH:
		/* RFC 1191 4: next-hop MTU in the low 16 bits */
		param = rest & 0xffff;
		break;
	case IPIFC_ICMP4_TIMEX:
		break;
	case IPIFC_ICMP4_PARAMPROB:
		/* RFC 792: the pointer is the first byte */
		param = rest >> 24;
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	decode_common(buf, len, m, param, id, seq);
	return 0;
}

/*
 * The common tail of both builders: the quote (which may overlap buf),
 * the header, and the checksum over sum (a pseudo-header's, or 0).
 */
static int
finish(uint8_t *buf, size_t cap, const struct ipifc_icmp *m, size_t dlen,
    uint32_t rest, uint32_t sum)
{
	size_t len = IPIFC_ICMP_HLEN + dlen;

	if (dlen > 0 && m->data == NULL)
		return -EINVAL;
	if (cap < len)
		return -ENOBUFS;
	if (dlen > 0)
		memmove(buf + IPIFC_ICMP_HLEN, m->data, dlen);
	buf[0] = m->type;
	buf[1] = m->code;
	ipifc_put16(buf + 2, 0);
	ipifc_put32(buf + 4, rest);
	ipifc_put16(buf + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, buf, len)));
	return (int)len;
}

int
ipifc_icmp4_build(uint8_t *buf, size_t cap, const struct ipifc_icmp *m)
{
	uint32_t rest = 0;
	size_t	 dlen = m->dlen;

	switch (m->type) {
	case IPIFC_ICMP4_ECHO:
	case IPIFC_ICMP4_ECHOREPLY:
		rest = (uint32_t)m->id << 16 | m->seq;
		/* the reply must fit an IPv4 datagram */
		if (dlen > 0xffff - IPIFC_IP4_HLEN - IPIFC_ICMP_HLEN)
			return -EINVAL;
		break;
	case IPIFC_ICMP4_UNREACH:
		if (m->param > 0xffff)
			return -EINVAL;
		rest = m->param;
		dlen = min(dlen, QUOTE4);
		break;
	case IPIFC_ICMP4_TIMEX:
		dlen = min(dlen, QUOTE4);
		break;
	case IPIFC_ICMP4_PARAMPROB:
		if (m->param > 0xff)
			return -EINVAL;
		rest = m->param << 24;
		dlen = min(dlen, QUOTE4);
		break;
	default:
		return -EINVAL;
	}
	return finish(buf, cap, m, dlen, rest, 0);
}

int
ipifc_icmp6_parse(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    const uint8_t *buf, size_t len, struct ipifc_icmp *m)
{
	uint32_t sum, rest, param = 0;
	uint16_t id = 0, seq = 0;

	if (len < IPIFC_ICMP_HLEN)
		return -EMSGSIZE;
	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	if (ipifc_cksum_fold(ipifc_cksum_add(sum, buf, len)) != 0)
		return -EBADMSG;
	rest = ipifc_get32(buf + 4);
	switch (buf[0]) {
	case IPIFC_ICMP6_ECHO:
	case IPIFC_ICMP6_ECHOREPLY:
		id = (uint16_t)(rest >> 16);
		seq = (uint16_t)rest;
		break;
	case IPIFC_ICMP6_TOOBIG:	/* RFC 4443 3.2: the MTU */
	case IPIFC_ICMP6_PARAMPROB:	/* RFC 4443 3.4: the pointer */
		param = rest;
		break;
	case IPIFC_ICMP6_UNREACH:
	case IPIFC_ICMP6_TIMEX:
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	decode_common(buf, len, m, param, id, seq);
	return 0;
}

int
ipifc_icmp6_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const struct ipifc_icmp *m)
{
	uint32_t rest = 0, sum;
	size_t	 dlen = m->dlen, len;

	switch (m->type) {
	case IPIFC_ICMP6_ECHO:
	case IPIFC_ICMP6_ECHOREPLY:
		rest = (uint32_t)m->id << 16 | m->seq;
		if (dlen > 0xffff - IPIFC_ICMP_HLEN)
			return -EINVAL;
		break;
	case IPIFC_ICMP6_TOOBIG:
	case IPIFC_ICMP6_PARAMPROB:
		rest = m->param;
		/* FALLTHROUGH */
	case IPIFC_ICMP6_UNREACH:
	case IPIFC_ICMP6_TIMEX:
		dlen = min(dlen, QUOTE6);
		break;
	default:
		return -EINVAL;
	}
	len = IPIFC_ICMP_HLEN + dlen;
	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	return finish(buf, cap, m, dlen, rest, sum);
}

int
ipifc_icmp_echoreply(uint8_t *buf, size_t cap, const uint8_t *req,
    size_t len, uint8_t type, const struct ipifc_ip *from,
    const struct ipifc_ip *to)
{
	uint32_t was, now;
	uint16_t hc;

	if (len < IPIFC_ICMP_HLEN)
		return -EMSGSIZE;
	if (cap < len || len > 0xffff)
		return -ENOBUFS;
	/*
	 * The type and code word, and the pseudo-header's changed address
	 * (none when the reply is from the address the request was to: the
	 * two addresses only swap, and the sum does not see the order).
	 */
	was = (uint32_t)req[0] << 8 | req[1];
	now = (uint32_t)type << 8;
	if (from != NULL && to != NULL && !ipifc_ip_eq(from, to)) {
		was = ipifc_cksum_add(was, from->a, 16);
		now = ipifc_cksum_add(now, to->a, 16);
	}
	hc = ipifc_get16(req + 2);
	if (buf != req)		/* else made in place */
		memmove(buf, req, len);
	buf[0] = type;
	buf[1] = 0;
	ipifc_put16(buf + 2, ipifc_cksum_update(hc, was, now));
	return (int)len;
}
