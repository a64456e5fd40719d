/*
 * Reassembly of both families (RFC 791 3.2 and RFC 815 for IPv4, RFC 8200
 * 4.5 for IPv6; holes kept as a bitmap of 8-byte blocks): one bounded
 * table of datagrams in progress, each with a deadline; when the table is
 * full the oldest gives way, counted, and one source holds at most half
 * the table (past that it evicts its own oldest), so a single sender
 * cannot flush everyone's datagrams.  A fragment that partly overlaps
 * data already held drops the whole datagram (RFC 5722 for IPv6, Linux
 * for IPv4 since CVE-2018-5391); one that only repeats data already held,
 * byte for byte (an exact duplicate from the network, RFC 8200 4.5), is
 * dropped alone.  A datagram over 65535 bytes is dropped.  A whole
 * datagram handed up keeps its slot until ipifc_reasm_done, so input
 * re-entered from a delivery cannot free it.  Drops count in `reassembly` (IPv4) or `frag6`
 * (IPv6).
 */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

/* One fragment of either family, as the shared machinery sees it. */
struct fragin {
	int	v6;
	struct ipifc_ip src, dst;
	uint32_t id;
	uint8_t	proto;		/* IPv4: part of the key; IPv6: 0 */
	size_t	off, len;	/* of the data, in bytes */
	int	more;
	const uint8_t *hdr;	/* IPv4 header; IPv6 unfragmentable part */
	size_t	hlen;
	const uint8_t *data;
	uint8_t	nxt;		/* IPv6: the fragment header's Next Header */
	size_t	nxtfield;	/* IPv6: the field in hdr that names it */
};

static void
count(struct ipifc_stack *s, int v6)
{
	if (v6)
		proto_of(s)->drops_frag6++;
	else
		proto_of(s)->drops_reasm++;
}

static struct ipifc_reasm *
reasm_find(struct ipifc_proto *p, const struct fragin *f)
{
	struct ipifc_reasm *r;
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++) {
		r = &p->reasm[i];
		if (r->used == 1 && r->v6 == f->v6 && r->id == f->id &&
		    r->proto == f->proto && ipifc_ip_eq(&r->src, &f->src) &&
		    ipifc_ip_eq(&r->dst, &f->dst))
			return r;
	}
	return NULL;
}

static void
reasm_drop(struct ipifc_reasm *r)
{
	free(r->buf);
	memset(r, 0, sizeof(*r));
}

static struct ipifc_reasm *
reasm_new(struct ipifc_stack *s, const struct fragin *f, int ifc)
{
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_reasm *r = NULL, *oldest = NULL, *mine = NULL, *q;
	int i, nmine = 0;

	for (i = 0; i < IPIFC_MAXREASM; i++) {
		q = &p->reasm[i];
		if (!q->used) {
			if (r == NULL)
				r = q;
			continue;
		}
		if (q->used != 1)
			continue;
		if (oldest == NULL || q->deadline < oldest->deadline)
			oldest = q;
		if (ipifc_ip_eq(&q->src, &f->src)) {
			nmine++;
			if (mine == NULL || q->deadline < mine->deadline)
				mine = q;
		}
	}
	/* one source holds at most half the table: it evicts its own */
	if (nmine >= IPIFC_MAXREASM / 2) {
		count(s, mine->v6);
		reasm_drop(mine);
		r = mine;
	} else if (r == NULL) {
		if (oldest == NULL) {
			count(s, f->v6);
			return NULL;	/* every slot is handed out */
		}
		count(s, oldest->v6);
		reasm_drop(oldest);
		r = oldest;
	}
	if ((r->buf = malloc(IPIFC_REASM_HDRMAX + 65536)) == NULL) {
		count(s, f->v6);
		return NULL;
	}
	r->used = 1;
	r->v6 = f->v6;
	r->src = f->src;
	r->dst = f->dst;
	r->id = f->id;
	r->proto = f->proto;
	r->ifc = ifc;
	r->deadline = s->now +
	    (f->v6 ? IPIFC_REASM6_TIMEOUT : IPIFC_REASM_TIMEOUT);
	return r;
}

static int
complete(const struct ipifc_reasm *r)
{
	size_t b;

	if (r->total == 0 || !r->gotfirst)
		return 0;
	for (b = 0; b < (r->total + 7) / 8; b++)
		if ((r->have[b / 8] & (1u << (b % 8))) == 0)
			return 0;
	return 1;
}

/* Blocks [first, last) already held: 0 none, 1 all, -1 some. */
static int
held(const struct ipifc_reasm *r, size_t first, size_t last)
{
	size_t b, n = 0;

	for (b = first; b < last; b++)
		if (r->have[b / 8] & (1u << (b % 8)))
			n++;
	return n == 0 ? 0 : n == last - first ? 1 : -1;
}

/* The header of the whole datagram, in place; its length or -1. */
static int
finish(struct ipifc_reasm *r)
{
	struct ipifc_ip4 hh;

	/* RFC 8200 4.5: each fragment was checked with its own
	 * unfragmentable part; the first one's, which leads, may be longer */
	if (r->v6 && r->hlen - IPIFC_IP6_HLEN + r->total > 65535)
		return -1;
	/* close the gap between the header and the data */
	memmove(r->buf + r->hlen, r->buf + IPIFC_REASM_HDRMAX, r->total);
	if (r->v6) {
		/* RFC 8200 4.5: the unfragmentable part, now naming the
		 * fragmentable part's first header, with the new length */
		r->buf[r->nxtfield] = r->nxt;
		ipifc_put16(r->buf + 4,
		    (uint16_t)(r->hlen - IPIFC_IP6_HLEN + r->total));
		return (int)r->hlen;
	}
	memset(&hh, 0, sizeof(hh));
	hh.tos = r->buf[1];
	hh.id = (uint16_t)r->id;
	hh.ttl = r->buf[8];
	hh.proto = r->proto;
	hh.src = r->src;
	hh.dst = r->dst;
	hh.opts = r->buf + IPIFC_IP4_HLEN;
	hh.optlen = r->hlen - IPIFC_IP4_HLEN;
	hh.plen = r->total;
	/* the builder writes the header in place: options copied over themselves */
	return ipifc_ip4_build(r->buf, r->hlen + r->total, &hh);
}

/*
 * Both families: 1 and *whole when the datagram is complete, else 0;
 * *hlen, if asked, the length of its header (IPv6: the unfragmentable
 * part).
 */
static int
reasm_add(struct ipifc_ifc *ifc, const struct fragin *f,
    const uint8_t **whole, size_t *wlen, size_t *hlen)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_reasm *r;
	size_t end = f->off + f->len;
	int n;

	if ((r = reasm_find(proto_of(s), f)) == NULL &&
	    (r = reasm_new(s, f, ifc->num)) == NULL)
		return 0;
	if (!f->more) {
		/* two ends, or data past the end: which end is true? */
		if ((r->total != 0 && r->total != end) || end < r->maxend) {
			count(s, r->v6);
			reasm_drop(r);
			return 0;
		}
		r->total = end;
	}
	if (r->total != 0 && end > r->total) {
		count(s, r->v6);
		reasm_drop(r);
		return 0;
	}
	switch (held(r, f->off / 8, (end + 7) / 8)) {
	case 1:
		count(s, r->v6);
		/* RFC 8200 4.5: only an exact duplicate goes alone; other
		 * bytes over held ones are an overlap (RFC 5722) */
		if (memcmp(r->buf + IPIFC_REASM_HDRMAX + f->off, f->data,
		    f->len) == 0)
			return 0;
		reasm_drop(r);
		return 0;
	case -1:
		count(s, r->v6);
		reasm_drop(r);		/* an overlap: trust none of it */
		return 0;
	}
	if (f->off == 0) {
		/* the first fragment's header (options, unfragmentable
		 * part) leads; IPv6 keeps it as it came, for a timeout's
		 * quote */
		memcpy(r->buf, f->hdr, f->hlen);
		r->hlen = f->hlen;
		r->nxt = f->nxt;
		r->nxtfield = f->nxtfield;
		r->firstlen = f->len;
		r->gotfirst = 1;
	}
	memcpy(r->buf + IPIFC_REASM_HDRMAX + f->off, f->data, f->len);
	if (end > r->maxend)
		r->maxend = end;
	for (n = (int)(f->off / 8); (size_t)n < (end + 7) / 8; n++)
		r->have[n / 8] |= (uint8_t)(1u << (n % 8));
	if (!complete(r))
		return 0;
	if ((n = finish(r)) < 0) {
		count(s, r->v6);
		reasm_drop(r);
		return 0;
	}
	*whole = r->buf;
	*wlen = (size_t)n + r->total;
	if (hlen != NULL)
		*hlen = (size_t)n;
	r->used = 2;		/* handed out; freed by ipifc_reasm_done */
	return 1;
}

int
ipifc_reasm4(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
    const uint8_t *pkt, const uint8_t **whole, size_t *wlen)
{
	struct fragin f;

	memset(&f, 0, sizeof(f));
	f.src = h->src;
	f.dst = h->dst;
	f.id = h->id;
	f.proto = h->proto;
	f.off = ipifc_ip4_fragoff(h);
	f.len = h->plen;
	f.more = ipifc_ip4_mf(h);
	f.hdr = pkt;
	f.hlen = (size_t)h->hlen;
	f.data = h->payload;
	/* every fragment but the last carries a multiple of 8 bytes */
	if (f.off + f.len > 65535 - IPIFC_IP4_HLEN ||
	    (f.more && (f.len % 8) != 0) || f.len == 0) {
		proto_of(ifc->stack)->drops_reasm++;
		return 0;
	}
	return reasm_add(ifc, &f, whole, wlen, NULL);
}

int
ipifc_reasm6(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const struct ipifc_ip6frag *fh, const uint8_t *pkt, size_t len,
    const uint8_t **whole, size_t *wlen, size_t *hlen)
{
	struct fragin f;
	size_t at = IPIFC_IP6_HLEN;

	memset(&f, 0, sizeof(f));
	f.v6 = 1;
	f.src = h->src;
	f.dst = h->dst;
	f.id = fh->ident;
	f.off = fh->off;
	f.len = h->plen - fh->hdroff - 8;
	f.more = fh->more;
	f.hdr = pkt;
	f.hlen = IPIFC_IP6_HLEN + fh->hdroff;
	f.data = h->payload + fh->hdroff + 8;
	f.nxt = fh->nxt;
	/* the Next Header field naming the fragment header: the IPv6
	 * header's, or that of the extension header before it (each one
	 * before it has the length byte of RFC 8200 4.3, 4.4, 4.6) */
	f.nxtfield = 6;
	while (at < f.hlen) {
		f.nxtfield = at;
		at += ((size_t)pkt[at + 1] + 1) * 8;
	}
	if (f.len == 0 || f.hlen > IPIFC_REASM_HDRMAX) {
		proto_of(ifc->stack)->drops_frag6++;
		return 0;
	}
	/* RFC 8200 4.5: a fragment not the last whose length is not a
	 * multiple of 8 points at the Payload Length field ... */
	if (f.more && (f.len % 8) != 0) {
		proto_of(ifc->stack)->drops_frag6++;
		ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
		    IPIFC_ICMP6_PARAMPROB_HEADER, 4);
		return 0;
	}
	/* ... and one that would make the payload over 65535 bytes at the
	 * Fragment Offset field */
	if (f.hlen - IPIFC_IP6_HLEN + f.off + f.len > 65535) {
		proto_of(ifc->stack)->drops_frag6++;
		ipifc_icmp6_error(ifc, pkt, len, IPIFC_ICMP6_PARAMPROB,
		    IPIFC_ICMP6_PARAMPROB_HEADER,
		    (uint32_t)(f.hlen + 2));
		return 0;
	}
	return reasm_add(ifc, &f, whole, wlen, hlen);
}

void
ipifc_reasm_done(struct ipifc_stack *s, const uint8_t *whole)
{
	struct ipifc_proto *p = proto_of(s);
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++)
		if (p->reasm[i].used == 2 && p->reasm[i].buf == whole)
			reasm_drop(&p->reasm[i]);
}

/*
 * Time exceeded, fragment reassembly (RFC 792 code 1, RFC 4443 3.3 code
 * 1), quoting the first fragment: its header and first 8 bytes (RFC 792),
 * or as much of it as the error holds (RFC 4443 2.4 (c)).
 */
static void
timeout_error(struct ipifc_ifc *ifc, const struct ipifc_reasm *r)
{
	uint8_t q[IPIFC_ICMP6_ERRMAX];
	struct ipifc_ip6frag fh;
	size_t n, dlen;

	if (r->v6) {
		/* the unfragmentable part still names the fragment header */
		memcpy(q, r->buf, r->hlen);
		memset(&fh, 0, sizeof(fh));
		fh.nxt = r->nxt;
		fh.more = 1;
		fh.ident = r->id;
		if (ipifc_ip6frag_build(q + r->hlen, sizeof(q) - r->hlen,
		    &fh) < 0)
			return;
		n = r->hlen + IPIFC_IP6_FRAGLEN;
		dlen = r->firstlen < sizeof(q) - n ? r->firstlen :
		    sizeof(q) - n;
		memcpy(q + n, r->buf + IPIFC_REASM_HDRMAX, dlen);
		n += dlen;
		ipifc_put16(q + 4, (uint16_t)(n - IPIFC_IP6_HLEN));
		ipifc_icmp6_error(ifc, q, n, IPIFC_ICMP6_TIMEX, 1, 0);
		return;
	}
	n = r->hlen + 8;
	memcpy(q, r->buf, r->hlen);
	memcpy(q + r->hlen, r->buf + IPIFC_REASM_HDRMAX, 8);
	/* a header that says what the quote holds, so it parses */
	ipifc_put16(q + 2, (uint16_t)n);
	ipifc_put16(q + 10, 0);
	ipifc_put16(q + 10, ipifc_cksum_fold(ipifc_cksum_add(0, q, r->hlen)));
	ipifc_icmp4_error(ifc, q, n, IPIFC_ICMP4_TIMEX, 1, 0);
}

void
ipifc_reasm_timers(struct ipifc_stack *s)
{
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_reasm *r;
	struct ipifc_ifc *ifc;
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++) {
		r = &p->reasm[i];
		if (r->used != 1 || s->now < r->deadline)
			continue;
		count(s, r->v6);
		/* RFC 1122 3.3.2, RFC 8200 4.5: time exceeded, if the first
		 * fragment came */
		if (r->gotfirst && (ifc = ipifc_ifc_bynum(s, r->ifc)) != NULL)
			timeout_error(ifc, r);
		reasm_drop(r);
	}
}

uint64_t
ipifc_reasm_deadline(const struct ipifc_stack *s)
{
	const struct ipifc_proto *p = s->proto;
	uint64_t min = UINT64_MAX;
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++)
		if (p->reasm[i].used == 1 && p->reasm[i].deadline < min)
			min = p->reasm[i].deadline;
	return min;
}

void
ipifc_reasm_free(struct ipifc_stack *s)
{
	struct ipifc_proto *p = proto_of(s);
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++)
		reasm_drop(&p->reasm[i]);
}
