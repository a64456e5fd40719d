/*
 * The rate limit on the ICMP and ICMPv6 errors the stack sends (RFC 1812
 * 4.3.2.8, RFC 4443 2.4 f).
 */
#include "proto.h"

/*
 * Token buckets: per destination (hashed into IPIFC_ICMPBUCKETS, so that
 * one flooding host does not silence the errors others need, such as
 * fragmentation needed; keyed, so that it cannot pick the bucket of a
 * host it would silence) ICMP_BURST errors then one per ICMP_INTERVAL
 * ms; and for the whole stack, per family, ICMP_GBURST then one per
 * ICMP_GINTERVAL ms.
 */
#define ICMP_BURST	10
#define ICMP_INTERVAL	100	/* ms */
#define ICMP_GBURST	100
#define ICMP_GINTERVAL	10	/* ms */

static int
take(struct ipifc_bucket *b, uint64_t now, uint64_t burst, uint64_t interval)
{
	uint64_t add;

	if (b->last == 0) {
		/* the first use: a full bucket */
		b->tokens = burst;
		b->last = now ? now : 1;
	}
	add = now > b->last ? (now - b->last) / interval : 0;
	if (add > 0) {
		b->tokens = b->tokens + add > burst ? burst : b->tokens + add;
		b->last += add * interval;
	}
	if (b->tokens == 0)
		return 0;
	b->tokens--;
	return 1;
}

int
ipifc_icmp_ratelimit(struct ipifc_stack *s, const struct ipifc_ip *dst)
{
	struct ipifc_proto *p = proto_of(s);
	uint32_t h = ipifc_ip_hash(s->hashkey, dst);
	int v4 = ipifc_ip_isv4(dst);

	if (!take(&p->icmpdst[h % IPIFC_ICMPBUCKETS], s->now, ICMP_BURST,
	    ICMP_INTERVAL) || !take(v4 ? &p->icmp4all : &p->icmp6all, s->now,
	    ICMP_GBURST, ICMP_GINTERVAL)) {
		p->drops_icmprate++;
		return 0;
	}
	return 1;
}
