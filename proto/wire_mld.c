/*
 * Multicast Listener Discovery: the query of MLDv1 (RFC 2710 3) and
 * MLDv2 (RFC 3810 5.1), and the MLDv2 report (RFC 3810 5.2).  Both ride
 * in ICMPv6 with the pseudo-header checksum.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

#define QUERY1_LEN	24	/* RFC 2710 3 */
#define QUERY2_LEN	28	/* RFC 3810 5.1 */

static int
islinklocal6(const struct ipifc_ip *a)
{
	return a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80;
}

/* RFC 3810 5.1.3 */
uint32_t
ipifc_mld_mrd(uint16_t mrc)
{
	if (mrc < 0x8000)
		return mrc;
	return (uint32_t)((mrc & 0x0fff) | 0x1000) << (((mrc >> 12) & 7) + 3);
}

uint16_t
ipifc_mld_mrc(uint32_t ms)
{
	uint32_t mant;
	unsigned exp;

	if (ms < 0x8000)
		return (uint16_t)ms;
	for (exp = 0; exp < 8; exp++) {
		mant = ms >> (exp + 3);
		if (mant < 0x2000)
			return (uint16_t)(0x8000 | exp << 12 | (mant & 0x0fff));
	}
	return 0xffff;
}

/* RFC 3810 5.1.9, the same as RFC 3376 4.1.7 */
uint32_t
ipifc_mqqi(uint8_t qqic)
{
	if (qqic < 0x80)
		return qqic;
	return (uint32_t)((qqic & 0x0f) | 0x10) << (((qqic >> 4) & 7) + 3);
}

uint8_t
ipifc_mqqic(uint32_t s)
{
	uint32_t mant;
	unsigned exp;

	if (s < 0x80)
		return (uint8_t)s;
	for (exp = 0; exp < 8; exp++) {
		mant = s >> (exp + 3);
		if (mant < 0x20)
			return (uint8_t)(0x80 | exp << 4 | (mant & 0x0f));
	}
	return 0xff;
}

static int
cksum_ok(const struct ipifc_ip6 *ip, const uint8_t *p, size_t len)
{
	uint32_t sum;

	sum = ipifc_cksum_pseudo6(&ip->src, &ip->dst, (uint32_t)len,
	    IPIFC_PROTO_ICMP6);
	return ipifc_cksum_fold(ipifc_cksum_add(sum, p, len)) == 0;
}

static void
set_cksum(uint8_t *p, size_t len, const struct ipifc_ip *src,
    const struct ipifc_ip *dst)
{
	uint32_t sum;

	ipifc_put16(p + 2, 0);
	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	ipifc_put16(p + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, p, len)));
}

int
ipifc_mld_query_parse(const struct ipifc_ip6 *ip, const uint8_t *p,
    size_t len, struct ipifc_mquery *q)
{
	struct ipifc_mquery t;

	if (len < 4)
		return -EMSGSIZE;
	if (p[0] != IPIFC_MLD_QUERY)
		return -EPROTONOSUPPORT;
	if (len < QUERY1_LEN)
		return -EMSGSIZE;
	/* RFC 3810 8.1: 25 to 27 bytes is neither version */
	if (len > QUERY1_LEN && len < QUERY2_LEN)
		return -EINVAL;
	/* RFC 3810 5.1.14 */
	if (!islinklocal6(&ip->src))
		return -EINVAL;
	if (!cksum_ok(ip, p, len))
		return -EBADMSG;
	memset(&t, 0, sizeof(t));
	t.mrc = ipifc_get16(p + 4);
	memcpy(t.group.a, p + 8, 16);
	/* RFC 3810 5.1.5: zero for a general query, else a group */
	if (t.group.a[0] != 0xff && !ipifc_ip_eq(&t.group, &ipifc_ip_unspec6))
		return -EINVAL;
	if (len == QUERY1_LEN) {
		/* RFC 2710 3.4: in milliseconds */
		t.version = 1;
		t.mrd = t.mrc;
	} else {
		t.version = 2;
		t.mrd = ipifc_mld_mrd(t.mrc);
		if (ipifc_mquery_tail(p, len, QUERY2_LEN, 16, &t) < 0)
			return -EMSGSIZE;
	}
	*q = t;
	return 0;
}

int
ipifc_mld_query_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const struct ipifc_mquery *q)
{
	size_t	 len;

	if (q->version != 1 && q->version != 2)
		return -EINVAL;
	if (!islinklocal6(src) || (q->group.a[0] != 0xff &&
	    !ipifc_ip_eq(&q->group, &ipifc_ip_unspec6)))
		return -EINVAL;
	if (q->version == 1)
		len = QUERY1_LEN;
	else {
		if (q->qrv > 7 || (q->nsrc > 0 && q->srcs == NULL))
			return -EINVAL;
		len = QUERY2_LEN + 16 * (size_t)q->nsrc;
	}
	if (len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOBUFS;
	if (q->version == 2 && q->nsrc > 0)
		memmove(buf + QUERY2_LEN, q->srcs, 16 * (size_t)q->nsrc);
	buf[0] = IPIFC_MLD_QUERY;
	buf[1] = 0;
	ipifc_put16(buf + 4, q->mrc);
	ipifc_put16(buf + 6, 0);
	memcpy(buf + 8, q->group.a, 16);
	if (q->version == 2) {
		buf[24] = (uint8_t)((q->sflag ? 0x08 : 0) | q->qrv);
		buf[25] = q->qqic;
		ipifc_put16(buf + 26, q->nsrc);
	}
	set_cksum(buf, len, src, dst);
	return (int)len;
}

int
ipifc_mld_report_parse(const struct ipifc_ip6 *ip, const uint8_t *p,
    size_t len, struct ipifc_mreport *r)
{
	if (len < 8)
		return -EMSGSIZE;
	if (p[0] != IPIFC_MLD_REPORT2)
		return -EPROTONOSUPPORT;
	/* RFC 3810 5.2.13: link-local, or :: before one is ready */
	if (!islinklocal6(&ip->src) &&
	    !ipifc_ip_eq(&ip->src, &ipifc_ip_unspec6))
		return -EINVAL;
	if (!cksum_ok(ip, p, len))
		return -EBADMSG;
	return ipifc_mreport_read(p, len, 16, r);
}

int
ipifc_mld_report_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const struct ipifc_mrec *recs, int n)
{
	int	 len;

	if (!islinklocal6(src) && !ipifc_ip_eq(src, &ipifc_ip_unspec6))
		return -EINVAL;
	if ((len = ipifc_mreport_write(buf, cap, IPIFC_MLD_REPORT2, recs, n,
	    16)) < 0)
		return len;
	set_cksum(buf, (size_t)len, src, dst);
	return len;
}

/* An MLDv1 report or done (RFC 2710 3): 24 bytes naming one group. */
int
ipifc_mld1_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, uint8_t type, const struct ipifc_ip *group)
{
	if ((type != IPIFC_MLD_REPORT1 && type != IPIFC_MLD_DONE) ||
	    !ipifc_ip_ismulti(group) || ipifc_ip_isv4(group))
		return -EINVAL;
	if (cap < 24)
		return -ENOBUFS;
	memset(buf, 0, 24);
	buf[0] = type;
	memcpy(buf + 8, group->a, 16);
	set_cksum(buf, 24, src, dst);
	return 24;
}
