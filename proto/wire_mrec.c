/*
 * The version 3 report of IGMP (RFC 3376 4.2) and the version 2 report
 * of MLD (RFC 3810 5.2) have one layout but for the width of an address
 * (alen: 4 or 16): type, reserved, checksum, reserved, the number of
 * records, then each record's type, aux data length, number of sources,
 * group, sources and aux data.  The checksum is the protocol's to set.
 * Their queries (RFC 3376 4.1, RFC 3810 5.1) end alike too.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

#define HDR_LEN		8		/* RFC 3376 4.2, RFC 3810 5.2 */
#define REC_LEN(alen)	(4 + (alen))	/* a record without sources */

/* A group record's group: 224.0.0.0/4 (RFC 5771) or ff00::/8. */
static int
isgroup(const uint8_t *a, size_t alen)
{
	return alen == 4 ? (a[0] >> 4) == 0xe : a[0] == 0xff;
}

int
ipifc_mreport_read(const uint8_t *p, size_t len, size_t alen,
    struct ipifc_mreport *r)
{
	struct ipifc_mreport t;
	struct ipifc_mrec *rec;
	size_t	 off, rlen;
	unsigned i, n, nsrc;

	if (len < HDR_LEN)
		return -EMSGSIZE;
	memset(&t, 0, sizeof(t));
	n = ipifc_get16(p + 6);
	off = HDR_LEN;
	/* each record takes at least REC_LEN bytes, so the walk ends */
	for (i = 0; i < n; i++) {
		if (len - off < REC_LEN(alen))
			return -EMSGSIZE;
		nsrc = ipifc_get16(p + off + 2);
		/* RFC 3376 4.2.6, RFC 3810 5.2.6: aux data in 32-bit words */
		rlen = REC_LEN(alen) + alen * nsrc + 4 * (size_t)p[off + 1];
		if (rlen > len - off)
			return -EMSGSIZE;
		/* RFC 3376 4.2.12, RFC 3810 5.2.12: unknown types ignored */
		if (p[off] < IPIFC_MREC_IS_INCLUDE ||
		    p[off] > IPIFC_MREC_BLOCK || !isgroup(p + off + 4, alen) ||
		    t.nrec == IPIFC_MAXMREC)
			t.ignored++;
		else {
			rec = &t.rec[t.nrec++];
			rec->type = p[off];
			rec->nsrc = (uint16_t)nsrc;
			if (alen == 4)
				ipifc_ip_v4(&rec->group, ipifc_get32(p + off + 4));
			else
				memcpy(rec->group.a, p + off + 4, 16);
			rec->srcs = p + off + REC_LEN(alen);
		}
		off += rlen;
	}
	*r = t;
	return 0;
}

int
ipifc_mreport_write(uint8_t *buf, size_t cap, uint8_t type,
    const struct ipifc_mrec *recs, int n, size_t alen)
{
	const uint8_t *g;
	size_t	 len, off;
	int	 i;

	if (n < 0 || n > 0xffff)
		return -EINVAL;
	len = HDR_LEN;
	for (i = 0; i < n; i++) {
		g = recs[i].group.a + 16 - alen;
		if (recs[i].type < IPIFC_MREC_IS_INCLUDE ||
		    recs[i].type > IPIFC_MREC_BLOCK ||
		    (alen == 4 && !ipifc_ip_isv4(&recs[i].group)) ||
		    !isgroup(g, alen) ||
		    (recs[i].nsrc > 0 && recs[i].srcs == NULL))
			return -EINVAL;
		len += REC_LEN(alen) + alen * recs[i].nsrc;
	}
	if (len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOBUFS;
	buf[0] = type;
	buf[1] = 0;
	ipifc_put16(buf + 2, 0);
	ipifc_put16(buf + 4, 0);
	ipifc_put16(buf + 6, (uint16_t)n);
	for (i = 0, off = HDR_LEN; i < n; i++) {
		buf[off] = recs[i].type;
		buf[off + 1] = 0;
		ipifc_put16(buf + off + 2, recs[i].nsrc);
		memcpy(buf + off + 4, recs[i].group.a + 16 - alen, alen);
		if (recs[i].nsrc > 0)
			memcpy(buf + off + REC_LEN(alen), recs[i].srcs,
			    alen * recs[i].nsrc);
		off += REC_LEN(alen) + alen * recs[i].nsrc;
	}
	return (int)len;
}

int
ipifc_mquery_tail(const uint8_t *p, size_t len, size_t srcoff, size_t alen,
    struct ipifc_mquery *q)
{
	const uint8_t *t = p + srcoff - 4;

	q->sflag = (t[0] >> 3) & 1;
	q->qrv = t[0] & 7;
	q->qqic = t[1];
	q->qqi = ipifc_mqqi(q->qqic);
	q->nsrc = ipifc_get16(t + 2);
	if ((size_t)q->nsrc * alen > len - srcoff)
		return -EMSGSIZE;
	q->srcs = p + srcoff;
	return 0;
}
