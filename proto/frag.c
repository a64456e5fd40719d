/*
 * IPv4 reassembly (RFC 791 3.2, RFC 815 holes kept as a bitmap of 8-byte
 * blocks): a bounded table of datagrams in progress, each with a deadline;
 * when the table is full the oldest gives way, counted, and one source
 * holds at most half the table (past that it evicts its own oldest), so a
 * single sender cannot flush everyone's datagrams.  A fragment that
 * overlaps one already held drops the whole datagram (RFC 5722 for IPv6,
 * Linux for IPv4 since CVE-2018-5391); a datagram over 65535 bytes is
 * dropped.  A whole datagram handed up keeps its slot until
 * ipifc_reasm_done, so input re-entered from a delivery cannot free it.
 */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

static struct ipifc_reasm *
reasm_find(struct ipifc_proto *p, const struct ipifc_ip4 *h)
{
	struct ipifc_reasm *r;
	int i;

	for (i = 0; i < IPIFC_MAXREASM; i++) {
		r = &p->reasm[i];
		if (r->used == 1 && r->id == h->id && r->proto == h->proto &&
		    ipifc_ip_eq(&r->src, &h->src) &&
		    ipifc_ip_eq(&r->dst, &h->dst))
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
reasm_new(struct ipifc_stack *s, const struct ipifc_ip4 *h, int ifc)
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
		if (ipifc_ip_eq(&q->src, &h->src)) {
			nmine++;
			if (mine == NULL || q->deadline < mine->deadline)
				mine = q;
		}
	}
	/* one source holds at most half the table: it evicts its own */
	if (nmine >= IPIFC_MAXREASM / 2) {
		p->drops_reasm++;
		reasm_drop(mine);
		r = mine;
	} else if (r == NULL) {
		p->drops_reasm++;
		if (oldest == NULL)
			return NULL;	/* every slot is handed out */
		reasm_drop(oldest);
		r = oldest;
	}
	if ((r->buf = malloc(IPIFC_IP4_HLEN + IPIFC_IP4_MAXOPT + 65536)) ==
	    NULL)
		return NULL;
	r->used = 1;
	r->src = h->src;
	r->dst = h->dst;
	r->id = h->id;
	r->proto = h->proto;
	r->ifc = ifc;
	r->deadline = s->now + IPIFC_REASM_TIMEOUT;
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

int
ipifc_reasm4(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
    const uint8_t *pkt, const uint8_t **whole, size_t *wlen)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_reasm *r;
	struct ipifc_ip4 hh;
	size_t off = ipifc_ip4_fragoff(h), end = off + h->plen, b;
	int n;

	/* every fragment but the last carries a multiple of 8 bytes */
	if (end > 65535 - IPIFC_IP4_HLEN ||
	    (ipifc_ip4_mf(h) && (h->plen % 8) != 0) || h->plen == 0) {
		proto_of(s)->drops_reasm++;
		return 0;
	}
	if ((r = reasm_find(proto_of(s), h)) == NULL &&
	    (r = reasm_new(s, h, ifc->num)) == NULL)
		return 0;
	if (!ipifc_ip4_mf(h)) {
		if (r->total != 0 && r->total != end) {
			proto_of(s)->drops_reasm++;
			reasm_drop(r);
			return 0;
		}
		r->total = end;
	}
	if (r->total != 0 && end > r->total) {
		proto_of(s)->drops_reasm++;
		reasm_drop(r);
		return 0;
	}
	for (b = off / 8; b < (end + 7) / 8; b++) {
		if (r->have[b / 8] & (1u << (b % 8))) {
			proto_of(s)->drops_reasm++;
			reasm_drop(r);		/* an overlap: trust none of it */
			return 0;
		}
	}
	if (off == 0) {
		/* the first fragment's header, options included, leads */
		memcpy(r->buf, pkt, (size_t)h->hlen);
		r->hlen = (size_t)h->hlen;
		r->gotfirst = 1;
	}
	memcpy(r->buf + IPIFC_IP4_HLEN + IPIFC_IP4_MAXOPT + off, h->payload,
	    h->plen);
	for (b = off / 8; b < (end + 7) / 8; b++)
		r->have[b / 8] |= (uint8_t)(1u << (b % 8));
	if (!complete(r))
		return 0;
	/* close the gap between the header and the data, then fix the header */
	memmove(r->buf + r->hlen, r->buf + IPIFC_IP4_HLEN + IPIFC_IP4_MAXOPT,
	    r->total);
	memset(&hh, 0, sizeof(hh));
	hh.tos = r->buf[1];
	hh.id = r->id;
	hh.ttl = r->buf[8];
	hh.proto = r->proto;
	hh.src = r->src;
	hh.dst = r->dst;
	hh.opts = r->buf + IPIFC_IP4_HLEN;
	hh.optlen = r->hlen - IPIFC_IP4_HLEN;
	hh.plen = r->total;
	/* the builder writes the header in place: options copied over themselves */
	if ((n = ipifc_ip4_build(r->buf, r->hlen + r->total, &hh)) < 0) {
		reasm_drop(r);
		return 0;
	}
	*whole = r->buf;
	*wlen = (size_t)n + r->total;
	r->used = 2;		/* handed out; freed by ipifc_reasm_done */
	return 1;
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

/* Quote fragment zero's header and first 8 bytes (RFC 792). */
static void
timeout_error(struct ipifc_ifc *ifc, const struct ipifc_reasm *r)
{
	uint8_t q[IPIFC_IP4_HLEN + IPIFC_IP4_MAXOPT + 8];
	size_t n = r->hlen + 8;

	memcpy(q, r->buf, r->hlen);
	memcpy(q + r->hlen, r->buf + IPIFC_IP4_HLEN + IPIFC_IP4_MAXOPT, 8);
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
		p->drops_reasm++;
		/* RFC 1122 3.3.2: time exceeded, if fragment zero came */
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
