/*
 * What both IP versions share: raw input by version, and the library's
 * send and ping calls.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

void
ipifc_ip_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len)
{
	if (len < 1) {
		ifc->cnt.errin++;
		return;
	}
	/* a loopback interface hears only ourselves */
	int rx = (ifc->flags & IPIFC_F_LOOPBACK) ? IPIFC_RX_LOCAL :
	    IPIFC_RX_HOST;

	switch (pkt[0] >> 4) {
	case 4:
		ipifc_ip4_input(ifc, pkt, len, rx);
		break;
	case 6:
		ipifc_ip6_input(ifc, pkt, len, rx);
		break;
	default:
		ifc->cnt.errin++;
		break;
	}
}

int
ipifc_martian_loopback(const struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int rx)
{
	return rx != IPIFC_RX_LOCAL && (ifc->flags & IPIFC_F_LOOPBACK) == 0 &&
	    (ipifc_ip_isloopback(src) || ipifc_ip_isloopback(dst));
}

int
ipifc_send(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, const uint8_t *payload,
    size_t len)
{
	if (src != NULL && ipifc_ip_isv4(src) != ipifc_ip_isv4(dst))
		return -EINVAL;
	if (ipifc_ip_isv4(dst))
		return ipifc_ip4_output(s, src, dst, proto, ttl, payload, len,
		    NULL);
	return ipifc_ip6_output(s, src, dst, proto, ttl, payload, len, NULL);
}

static int
ping_in(struct ipifc_stack *s, const struct ipifc_ip *dst, uint16_t id,
    uint16_t seq, size_t datalen, const struct ipifc_pingopt *o,
    uint8_t *buf)
{
	struct ipifc_icmp m;
	struct ipifc_lifc *l;
	size_t i;
	int n, v4 = ipifc_ip_isv4(dst);

	/* the data where the message will hold it: the builders allow that */
	for (i = 0; i < datalen; i++)
		buf[IPIFC_ICMP_HLEN + i] = (uint8_t)i;	/* ping(8)'s pattern */
	memset(&m, 0, sizeof(m));
	m.type = v4 ? IPIFC_ICMP4_ECHO : IPIFC_ICMP6_ECHO;
	m.id = id;
	m.seq = seq;
	m.data = buf + IPIFC_ICMP_HLEN;
	m.dlen = datalen;
	if (v4) {
		if ((n = ipifc_icmp4_build(buf, IPIFC_MAXPKT, &m)) < 0)
			return n;
		return ipifc_ip4_output_opts(s, NULL, dst, IPIFC_PROTO_ICMP,
		    o->ttl, buf, (size_t)n, NULL, o->opts, o->optlen);
	}
	if (o->optlen > 0)
		return -EINVAL;		/* IPv4 options */
	/* ICMPv6 checksums cover the source: choose it first */
	if ((l = ipifc_srcsel(s, dst, NULL)) == NULL)
		return -EADDRNOTAVAIL;
	if ((n = ipifc_icmp6_build(buf, IPIFC_MAXPKT, &l->local, dst, &m)) < 0)
		return n;
	return ipifc_ip6_output(s, &l->local, dst, IPIFC_PROTO_ICMP6, o->ttl,
	    buf, (size_t)n, NULL);
}

int
ipifc_ping_opt(struct ipifc_stack *s, const struct ipifc_ip *dst,
    uint16_t id, uint16_t seq, size_t datalen, const struct ipifc_pingopt *o)
{
	uint8_t *buf;
	int rc;

	if (o->ttl < 0 || o->ttl > 255 || o->optlen > IPIFC_IP4_MAXOPT ||
	    o->optlen % 4 != 0 || (o->optlen > 0 && o->opts == NULL))
		return -EINVAL;
	/* the largest datagram: 65535 bytes with its IPv4 and ICMP headers */
	if (datalen > IPIFC_MAXPKT - IPIFC_IP4_HLEN - o->optlen -
	    IPIFC_ICMP_HLEN)
		return -EMSGSIZE;
	if ((buf = ipifc_scratch_get(s)) == NULL)
		return -ENOBUFS;
	rc = ping_in(s, dst, id, seq, datalen, o, buf);
	ipifc_scratch_put(s);
	return rc;
}

int
ipifc_ping(struct ipifc_stack *s, const struct ipifc_ip *dst, uint16_t id,
    uint16_t seq, size_t datalen)
{
	struct ipifc_pingopt o;

	memset(&o, 0, sizeof(o));
	return ipifc_ping_opt(s, dst, id, seq, datalen, &o);
}
