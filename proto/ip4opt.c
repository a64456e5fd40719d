/*
 * The IPv4 options a host and a router act on (RFC 791 3.1, RFC 1122
 * 3.2.1.8, RFC 1812 5.2.4): the list is checked on input, and Record
 * Route and Timestamp get an address and a time where the datagram is
 * received, sent or forwarded.  Source routes are refused (RFC 1812
 * 5.2.4.1 lets a router; Linux does by default: they steer past filters).
 *
 * Timestamps: the library has no wall clock, only the monotonic ms it is
 * given, so it sends that (modulo 2^31) with the high-order bit set,
 * which RFC 791 reserves for a time that is not ms since midnight UT.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

#define TS_NONSTANDARD	0x80000000u	/* RFC 791 3.1, Timestamp */

int
ipifc_ip4opt_check(const struct ipifc_ip4 *h, uint8_t *ptr)
{
	struct ipifc_ip4rec r;
	size_t off = 0, at, olen;
	int type, rr = 0, ts = 0;

	for (;;) {
		at = off;
		if ((type = ipifc_ip4opt_next(h->opts, h->optlen, &off,
		    &olen)) == 0)
			return 0;
		if (type < 0) {
			/* the length octet, or the type when the list ends */
			*ptr = (uint8_t)(IPIFC_IP4_HLEN +
			    (off < h->optlen ? off : at));
			return 1;
		}
		if (type == IPIFC_IP4OPT_LSRR || type == IPIFC_IP4OPT_SSRR)
			return -1;
		if (type != IPIFC_IP4OPT_RR && type != IPIFC_IP4OPT_TS)
			continue;
		/* each "appears at most once in a datagram" (RFC 791 3.1) */
		if ((type == IPIFC_IP4OPT_RR ? rr++ : ts++) > 0) {
			*ptr = (uint8_t)(IPIFC_IP4_HLEN + at);
			return 1;
		}
		if (ipifc_ip4rec_parse(h->opts + at, olen, &r) < 0) {
			*ptr = (uint8_t)(IPIFC_IP4_HLEN + at + r.bad);
			return 1;
		}
		/*
		 * A full Timestamp is counted by every module it passes,
		 * router or receiver: past 15 the datagram is in error.
		 */
		if (type == IPIFC_IP4OPT_TS && r.ptr > r.len && r.oflw == 15) {
			*ptr = (uint8_t)(IPIFC_IP4_HLEN + at + 3);
			return 1;
		}
	}
}

/* Is the prespecified address one of ours (RFC 791, TS flag 3)? */
static int
prespec_mine(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	return (ipifc_ipforme(s, a) & IPIFC_RT_UNI) != 0;
}

/* One RR or TS option, r parsed from it: 0, or 1 when oflw overflows. */
static int
record(struct ipifc_stack *s, struct ipifc_ip4rec *r,
    const struct ipifc_ip *addr)
{
	int i;

	if (r->ptr > r->len) {
		/* full: RR passes unchanged, TS counts (RFC 791) */
		if (r->type == IPIFC_IP4OPT_RR)
			return 0;
		if (r->oflw == 15)
			return 1;
		r->oflw++;
		return 0;
	}
	i = (r->ptr - (r->type == IPIFC_IP4OPT_TS ? 5 : 4)) /
	    (r->type == IPIFC_IP4OPT_TS && r->flag != 0 ? 8 : 4);
	if (r->type == IPIFC_IP4OPT_RR) {
		r->addr[i] = *addr;
		r->ptr += 4;
		return 0;
	}
	switch (r->flag) {
	case IPIFC_IP4OPT_TSADDR:
		r->addr[i] = *addr;
		break;
	case IPIFC_IP4OPT_TSPRESPEC:
		if (!prespec_mine(s, &r->addr[i]))
			return 0;	/* another node's turn */
		break;
	}
	r->ts[i] = (uint32_t)(s->now & 0x7fffffff) | TS_NONSTANDARD;
	r->ptr += r->flag != 0 ? 8 : 4;
	return 0;
}

int
ipifc_ip4opt_record(struct ipifc_stack *s, uint8_t *opts, size_t optlen,
    const struct ipifc_ip *addr, uint8_t *ptr)
{
	struct ipifc_ip4rec r;
	size_t off = 0, at, olen;
	int type;

	while ((type = ipifc_ip4opt_next(opts, optlen, &off, &olen)) > 0) {
		at = off - olen;
		if (type != IPIFC_IP4OPT_RR && type != IPIFC_IP4OPT_TS)
			continue;
		if (ipifc_ip4rec_parse(opts + at, olen, &r) < 0)
			continue;	/* checked on input: ours are sound */
		if (record(s, &r, addr)) {
			*ptr = (uint8_t)(IPIFC_IP4_HLEN + at + 3);
			return 1;
		}
		(void)ipifc_ip4rec_build(opts + at, olen, &r);
	}
	return 0;
}

size_t
ipifc_ip4opt_echo(const uint8_t *opts, size_t optlen, uint8_t *out)
{
	size_t off = 0, olen, n = 0;
	int type;

	while ((type = ipifc_ip4opt_next(opts, optlen, &off, &olen)) > 0) {
		if (type != IPIFC_IP4OPT_RR && type != IPIFC_IP4OPT_TS)
			continue;
		memcpy(out + n, opts + off - olen, olen);
		n += olen;
	}
	while (n % 4 != 0)
		out[n++] = IPIFC_IP4OPT_EOL;
	return n;
}
