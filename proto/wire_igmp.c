/*
 * IGMP: the query of versions 1 to 3 (RFC 1112 appendix I, RFC 2236 2,
 * RFC 3376 4.1) and the IGMPv3 report (RFC 3376 4.2).  The checksum
 * covers the IGMP message alone.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

#define QUERY12_LEN	8	/* RFC 2236 2 */
#define QUERY3_LEN	12	/* RFC 3376 4.1 */
#define V1_MRT		10000	/* ms, RFC 2236 4: a v1 query means 10 s */

static int
ismulti4(uint32_t a)
{
	return (a >> 28) == 0xe;	/* 224.0.0.0/4, RFC 5771 */
}

/* RFC 3376 4.1.1: in tenths of a second */
uint32_t
ipifc_igmp_mrt(uint8_t code)
{
	uint32_t t;

	if (code < 0x80)
		t = code;
	else
		t = (uint32_t)((code & 0x0f) | 0x10) << (((code >> 4) & 7) + 3);
	return t * 100;
}

uint8_t
ipifc_igmp_mrc(uint32_t ms)
{
	/* the same code as the QQIC, in tenths */
	return ipifc_mqqic(ms / 100);
}

int
ipifc_igmp_query_parse(const uint8_t *buf, size_t len,
    struct ipifc_mquery *q)
{
	struct ipifc_mquery t;
	uint32_t g;

	if (len < 4)
		return -EMSGSIZE;
	if (buf[0] != IPIFC_IGMP_QUERY)
		return -EPROTONOSUPPORT;
	if (len < QUERY12_LEN)
		return -EMSGSIZE;
	/* RFC 3376 7.1: 9 to 11 bytes is no version */
	if (len > QUERY12_LEN && len < QUERY3_LEN)
		return -EINVAL;
	if (!ipifc_cksum_ok(buf, len))
		return -EBADMSG;
	memset(&t, 0, sizeof(t));
	t.mrc = buf[1];
	g = ipifc_get32(buf + 4);
	/* RFC 3376 4.1.3: zero for a general query, else a group */
	if (g != 0 && !ismulti4(g))
		return -EINVAL;
	ipifc_ip_v4(&t.group, g);
	if (len == QUERY12_LEN) {
		/* RFC 3376 7.1 */
		t.version = t.mrc == 0 ? 1 : 2;
		t.mrd = t.mrc == 0 ? V1_MRT : t.mrc * 100u;
	} else {
		t.version = 3;
		t.mrd = ipifc_igmp_mrt(buf[1]);
		if (ipifc_mquery_tail(buf, len, QUERY3_LEN, 4, &t) < 0)
			return -EMSGSIZE;
	}
	*q = t;
	return 0;
}

int
ipifc_igmp_query_build(uint8_t *buf, size_t cap, const struct ipifc_mquery *q)
{
	size_t	 len;
	uint32_t g;

	if (q->version < 1 || q->version > 3 || !ipifc_ip_isv4(&q->group))
		return -EINVAL;
	g = ipifc_ip_v4val(&q->group);
	if (g != 0 && !ismulti4(g))
		return -EINVAL;
	/* the code says which of v1 and v2 it is */
	if (q->mrc > 0xff || (q->version == 1 && q->mrc != 0) ||
	    (q->version == 2 && q->mrc == 0))
		return -EINVAL;
	if (q->version < 3)
		len = QUERY12_LEN;
	else {
		if (q->qrv > 7 || (q->nsrc > 0 && q->srcs == NULL))
			return -EINVAL;
		len = QUERY3_LEN + 4 * (size_t)q->nsrc;
	}
	if (cap < len)
		return -ENOBUFS;
	if (q->version == 3 && q->nsrc > 0)
		memmove(buf + QUERY3_LEN, q->srcs, 4 * (size_t)q->nsrc);
	buf[0] = IPIFC_IGMP_QUERY;
	buf[1] = (uint8_t)q->mrc;
	ipifc_put16(buf + 2, 0);
	ipifc_put32(buf + 4, g);
	if (q->version == 3) {
		buf[8] = (uint8_t)((q->sflag ? 0x08 : 0) | q->qrv);
		buf[9] = q->qqic;
		ipifc_put16(buf + 10, q->nsrc);
	}
	ipifc_put16(buf + 2, ipifc_cksum_fold(ipifc_cksum_add(0, buf, len)));
	return (int)len;
}

int
ipifc_igmp_report_parse(const uint8_t *buf, size_t len,
    struct ipifc_mreport *r)
{
	if (len < 8)
		return -EMSGSIZE;
	if (buf[0] != IPIFC_IGMP_REPORT3)
		return -EPROTONOSUPPORT;
	if (!ipifc_cksum_ok(buf, len))
		return -EBADMSG;
	return ipifc_mreport_read(buf, len, 4, r);
}

int
ipifc_igmp_report_build(uint8_t *buf, size_t cap,
    const struct ipifc_mrec *recs, int n)
{
	int	 len;

	if ((len = ipifc_mreport_write(buf, cap, IPIFC_IGMP_REPORT3, recs, n,
	    4)) < 0)
		return len;
	ipifc_put16(buf + 2, ipifc_cksum_fold(ipifc_cksum_add(0, buf,
	    (size_t)len)));
	return len;
}

/*
 * An IGMPv1 or v2 report, or a v2 leave (RFC 1112 appendix I, RFC 2236 2):
 * 8 bytes naming one group.
 */
int
ipifc_igmp12_build(uint8_t *buf, size_t cap, uint8_t type,
    const struct ipifc_ip *group)
{
	if ((type != IPIFC_IGMP_REPORT1 && type != IPIFC_IGMP_REPORT2 &&
	    type != IPIFC_IGMP_LEAVE) || !ipifc_ip_isv4(group) ||
	    !ismulti4(ipifc_ip_v4val(group)))
		return -EINVAL;
	if (cap < 8)
		return -ENOBUFS;
	memset(buf, 0, 8);
	buf[0] = type;
	memcpy(buf + 4, &group->a[12], 4);
	ipifc_put16(buf + 2, ipifc_cksum_fold(ipifc_cksum_add(0, buf, 8)));
	return 8;
}
