/*
 * Wire formats: parsers and builders for every packet ipifc reads or
 * writes.  Each parser checks every length before it reads, fills a plain
 * struct and leaves it untouched when it fails; each has a builder, so
 * parse(build(x)) == x.  Nothing here allocates, does I/O or reads a
 * clock.  Pointers in the parsed structs point into the caller's buffer.
 *
 * Parsers return 0 or a negative errno:
 *	-EMSGSIZE		shorter than a length it states or needs
 *	-EINVAL			a field holds a value the RFC forbids
 *	-EBADMSG		wrong checksum
 *	-EPROTONOSUPPORT	well formed, but a kind we do not handle
 * The caller drops such a packet and counts the reason (STYLE 8).
 * Builders return the bytes written, -ENOBUFS when cap is too small, or
 * -EINVAL for an argument they cannot encode.
 */
#ifndef IPIFC_WIRE_H
#define IPIFC_WIRE_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ipifc.h"

/* Bounds on what one parsed message may carry; excess is counted. */
#define IPIFC_ND_MAXPREFIX	16	/* prefix information options */
#define IPIFC_ND_MAXRDNSS	8	/* recursive DNS servers */
#define IPIFC_ND_MAXROUTE	16	/* route information options */
#define IPIFC_ND_MAXDNSSL	8	/* DNS search domains */
#define IPIFC_ND_MAXPREF64	4	/* NAT64 prefixes */
#define IPIFC_MAXMREC		64	/* MLD/IGMP report group records */
#define IPIFC_IP6_MAXEXT	8	/* extension headers walked */

/* ---- byte order ---- */

static inline uint16_t
ipifc_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ipifc_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static inline void
ipifc_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
ipifc_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ---- Internet checksum, RFC 1071 (proto/cksum.c) ---- */

/*
 * RFC 1071 2 (1), end-around carry, 64 bits to 16: adding a word to
 * itself rotated by half its width leaves in the high half the sum of
 * both halves with the carry out added back in.  0 only for 0, so any
 * sum folds to the same value whichever way it is folded.
 */
static inline uint32_t
ipifc_cksum_fold16(uint64_t s)
{
	uint32_t x;

	s += s >> 32 | s << 32;
	x = (uint32_t)(s >> 32);
	x += x >> 16 | x << 16;
	return x >> 16;
}

/*
 * Add len bytes to a running sum of 16-bit big-endian words.  Every
 * chunk but the last must have an even length.  Start from 0 or from a
 * pseudo-header sum.
 */
uint32_t ipifc_cksum_add(uint32_t sum, const void *p, size_t len);
/*
 * Does a message of len bytes with its checksum field in it sum right
 * (RFC 1071 2 (B): the test does not depend on byte order)?
 */
int	ipifc_cksum_ok(const void *p, size_t len);

/*
 * Fold and complement: the value for the checksum field (put it with
 * ipifc_put16), or 0 when summing a message whose checksum is right.
 */
static inline uint16_t
ipifc_cksum_fold(uint32_t sum)
{
	return (uint16_t)~ipifc_cksum_fold16(sum);
}

/*
 * The checksum field hc updated (RFC 1624) for words whose sum (from
 * ipifc_cksum_add) was from and is now to.  RFC 1624 3, eqn. 3:
 * HC' = ~(~HC + ~m + m'), m and m' the sums of the old and the new
 * words.  (Eqn. 2, HC' = HC - ~m - m', can give -0, 0xffff, where a
 * sender computes 0.)
 */
static inline uint16_t
ipifc_cksum_update(uint16_t hc, uint32_t from, uint32_t to)
{
	uint64_t s;

	s = (uint64_t)(uint16_t)~hc + (uint16_t)~ipifc_cksum_fold16(from) +
	    to;
	return (uint16_t)~ipifc_cksum_fold16(s);
}

/* Pseudo-header sums: IPv4 (RFC 768, RFC 793 3.1), IPv6 (RFC 8200 8.1). */
uint32_t ipifc_cksum_pseudo4(const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, uint16_t len, uint8_t proto);
uint32_t ipifc_cksum_pseudo6(const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, uint32_t len, uint8_t nxt);

/* ---- Ethernet II (proto/wire_eth.c) ---- */

#define IPIFC_ETH_HLEN		14
#define IPIFC_ETH_ALEN		6
/* IEEE 802 numbers (IANA "ieee-802-numbers" registry) */
#define IPIFC_ETHERTYPE_IP4	0x0800
#define IPIFC_ETHERTYPE_ARP	0x0806
#define IPIFC_ETHERTYPE_VLAN	0x8100	/* IEEE 802.1Q C-tag */
#define IPIFC_ETHERTYPE_SVLAN	0x88a8	/* IEEE 802.1ad (802.1Q) S-tag */
#define IPIFC_ETHERTYPE_IP6	0x86dd	/* RFC 2464 3 */
#define IPIFC_ETHERTYPE_MIN	0x0600	/* below: an IEEE 802.3 length */

struct ipifc_eth {
	uint8_t	dst[6], src[6];
	uint16_t type;
	const uint8_t *payload;	/* link padding included */
	size_t	plen;
};

/* IEEE 802.1Q 9.5: the TPIDs of a customer and of a service VLAN tag */
static inline int
ipifc_eth_istag(uint16_t type)
{
	return type == IPIFC_ETHERTYPE_VLAN || type == IPIFC_ETHERTYPE_SVLAN;
}

/*
 * A VLAN-tagged or 802.3 length frame is -EPROTONOSUPPORT; a
 * priority-tagged one (VID 0) is taken as untagged.  Checks first, then
 * the fields straight into e: see ipifc_ip4_parse.
 */
static inline int
ipifc_eth_parse(const uint8_t *buf, size_t len, struct ipifc_eth *e)
{
	uint16_t type;
	size_t hlen;

	if (len < IPIFC_ETH_HLEN)
		return -EMSGSIZE;
	type = ipifc_get16(buf + 12);
	hlen = IPIFC_ETH_HLEN;
	/*
	 * A priority-tagged frame (IEEE 802.1Q 9.6: a C-tag with VID 0)
	 * carries only a priority: it is untagged, as Linux takes it.
	 */
	if (type == IPIFC_ETHERTYPE_VLAN && len >= hlen + 4 &&
	    (ipifc_get16(buf + 14) & 0x0fff) == 0) {
		type = ipifc_get16(buf + 16);
		hlen += 4;
	}
	/* A tagged frame belongs to a VLAN interface we do not have. */
	if (ipifc_eth_istag(type) || type < IPIFC_ETHERTYPE_MIN)
		return -EPROTONOSUPPORT;
	memcpy(e->dst, buf, 6);
	memcpy(e->src, buf + 6, 6);
	e->type = type;
	e->payload = buf + hlen;
	e->plen = len - hlen;
	return 0;
}

/* 1: the frame carries an 802.1Q or 802.1ad tag after its addresses. */
int	ipifc_eth_tagged(const uint8_t *buf, size_t len);

/* The 14-byte header; the payload follows at buf + 14. */
static inline int
ipifc_eth_build(uint8_t *buf, size_t cap, const uint8_t dst[6],
    const uint8_t src[6], uint16_t type)
{
	if (ipifc_eth_istag(type) || type < IPIFC_ETHERTYPE_MIN)
		return -EINVAL;
	if (cap < IPIFC_ETH_HLEN)
		return -ENOBUFS;
	memmove(buf, dst, 6);
	memmove(buf + 6, src, 6);
	ipifc_put16(buf + 12, type);
	return IPIFC_ETH_HLEN;
}

/* ---- ARP for Ethernet and IPv4, RFC 826 (proto/wire_arp.c) ---- */

#define IPIFC_ARP_LEN		28
#define IPIFC_ARP_REQUEST	1
#define IPIFC_ARP_REPLY		2

struct ipifc_arp {
	uint16_t op;
	uint8_t	sha[6];
	struct ipifc_ip spa;	/* v4-mapped */
	uint8_t	tha[6];
	struct ipifc_ip tpa;
};

int	ipifc_arp_parse(const uint8_t *buf, size_t len, struct ipifc_arp *a);
int	ipifc_arp_build(uint8_t *buf, size_t cap, const struct ipifc_arp *a);

/* ---- IPv4, RFC 791 (proto/wire_ip4.c) ---- */

#define IPIFC_IP4_HLEN		20
#define IPIFC_IP4_MAXOPT	40
#define IPIFC_IP4_RF		0x8000	/* reserved, RFC 791 3.1 */
#define IPIFC_IP4_DF		0x4000
#define IPIFC_IP4_MF		0x2000
#define IPIFC_IP4_OFFMASK	0x1fff	/* in 8-octet units */

/* IANA protocol numbers */
#define IPIFC_PROTO_HOPOPTS	0	/* RFC 8200 4.3 */
#define IPIFC_PROTO_ICMP	1
#define IPIFC_PROTO_IGMP	2
#define IPIFC_PROTO_TCP		6
#define IPIFC_PROTO_UDP		17
#define IPIFC_PROTO_ROUTING	43	/* RFC 8200 4.4 */
#define IPIFC_PROTO_FRAGMENT	44	/* RFC 8200 4.5 */
#define IPIFC_PROTO_ESP		50
#define IPIFC_PROTO_AH		51
#define IPIFC_PROTO_ICMP6	58
#define IPIFC_PROTO_NONE	59	/* RFC 8200 4.7 */
#define IPIFC_PROTO_DSTOPTS	60	/* RFC 8200 4.6 */

struct ipifc_ip4 {
	uint8_t	tos, ttl, proto;
	uint16_t id, frag;	/* frag: flags and offset as sent */
	uint16_t totlen;
	int	hlen;
	struct ipifc_ip src, dst;
	const uint8_t *opts;	/* raw, hlen - 20 bytes */
	size_t	optlen;
	const uint8_t *payload;	/* totlen - hlen bytes, link padding cut */
	size_t	plen;
};

int	ipifc_ip4_parse(const uint8_t *buf, size_t len, struct ipifc_ip4 *h);
/*
 * The header for a payload of h->plen bytes: 20 bytes plus h->optlen
 * bytes of options copied from h->opts (a multiple of 4, at most 40),
 * with its checksum.  hlen and totlen are computed, not read.
 */
int	ipifc_ip4_build(uint8_t *buf, size_t cap, const struct ipifc_ip4 *h);
static inline int
ipifc_ip4_df(const struct ipifc_ip4 *h)
{
	return (h->frag & IPIFC_IP4_DF) != 0;
}

static inline int
ipifc_ip4_mf(const struct ipifc_ip4 *h)
{
	return (h->frag & IPIFC_IP4_MF) != 0;
}

/* The fragment offset in bytes. */
static inline uint32_t
ipifc_ip4_fragoff(const struct ipifc_ip4 *h)
{
	return (uint32_t)(h->frag & IPIFC_IP4_OFFMASK) * 8;
}

/* A fragment: MF set or a nonzero offset. */
static inline int
ipifc_ip4_isfrag(const struct ipifc_ip4 *h)
{
	return (h->frag & (IPIFC_IP4_MF | IPIFC_IP4_OFFMASK)) != 0;
}

#define IPIFC_IP4OPT_EOL	0	/* RFC 791 3.1 */
#define IPIFC_IP4OPT_NOP	1
#define IPIFC_IP4OPT_RA		148	/* RFC 2113 2.1 */
#define IPIFC_IP4OPT_RALEN	4
/* The Router Alert option, value 0 (examine the packet), 4 bytes. */
int	ipifc_ip4_ra_build(uint8_t *buf, size_t cap);
/* 1 if the options carry a Router Alert, 0 if not, negative if malformed. */
int	ipifc_ip4_has_ra(const uint8_t *opts, size_t optlen);

/*
 * The option at *off of a list: its type, *olen its length (1 for a NOP),
 * *off moved past it; 0 at End of Option List or past the list; -EINVAL
 * for a bad length, *off then at that length byte.
 */
int	ipifc_ip4opt_next(const uint8_t *opts, size_t optlen, size_t *off,
	    size_t *olen);

#define IPIFC_IP4OPT_RR		7	/* Record Route, RFC 791 3.1 */
#define IPIFC_IP4OPT_TS		68	/* Internet Timestamp, RFC 791 3.1 */
#define IPIFC_IP4OPT_LSRR	131
#define IPIFC_IP4OPT_SSRR	137
#define IPIFC_IP4OPT_TSONLY	0	/* timestamp flags, RFC 791 3.1 */
#define IPIFC_IP4OPT_TSADDR	1
#define IPIFC_IP4OPT_TSPRESPEC	3
#define IPIFC_IP4OPT_MAXREC	9	/* slots: (40 - 3) / 4 */

/*
 * Record Route or Timestamp.  ptr is the option's pointer as on the wire
 * (counted from 1: the next free slot starts there, past len when full);
 * n is the number of slots len holds.  RR keeps addresses, TS timestamps
 * and, with flags 1 and 3, an address before each.
 */
struct ipifc_ip4rec {
	uint8_t	type, len, ptr;
	uint8_t	oflw, flag;		/* TS only */
	int	n;
	struct ipifc_ip addr[IPIFC_IP4OPT_MAXREC];
	uint32_t ts[IPIFC_IP4OPT_MAXREC];
	uint8_t	bad;		/* on -EINVAL: the faulty byte's offset */
};

/*
 * The RR or TS option at opt (len bytes left in the list): 0, -EMSGSIZE
 * when it runs past the list, -EINVAL for a length, pointer or flag RFC
 * 791 does not allow (r->bad says which byte), -ENOENT for another type.
 */
int	ipifc_ip4rec_parse(const uint8_t *opt, size_t len,
	    struct ipifc_ip4rec *r);
/* r as r->len bytes; the bytes past the last whole slot are 0. */
int	ipifc_ip4rec_build(uint8_t *buf, size_t cap,
	    const struct ipifc_ip4rec *r);

/* ---- IPv6, RFC 8200 (proto/wire_ip6.c) ---- */

#define IPIFC_IP6_HLEN		40
#define IPIFC_IP6_MINMTU	1280	/* RFC 8200 5 */

struct ipifc_ip6 {
	uint8_t	tclass, hlim, nxt;
	uint32_t flow;		/* 20 bits */
	uint16_t paylen;
	struct ipifc_ip src, dst;
	const uint8_t *payload;	/* paylen bytes, link padding cut */
	size_t	plen;
};

/*
 * A v4-mapped source or destination is -EINVAL: such addresses stand for
 * IPv4 nodes (RFC 4291 2.5.5.2), not for anything on an IPv6 wire, and
 * ipifc holds IPv4 addresses in that form, so the packet would pose as
 * IPv4.  A jumbogram (payload length 0 with a hop-by-hop option, RFC
 * 2675) is read as an empty payload.
 */
int	ipifc_ip6_parse(const uint8_t *buf, size_t len, struct ipifc_ip6 *h);
/* The 40-byte header for a payload of h->plen bytes (paylen not read). */
int	ipifc_ip6_build(uint8_t *buf, size_t cap, const struct ipifc_ip6 *h);

/* A fragment header, RFC 8200 4.5. */
struct ipifc_ip6frag {
	uint8_t	nxt;		/* the fragmented part's first header */
	uint16_t off;		/* in bytes */
	int	more;		/* the M flag */
	uint32_t ident;
	size_t	hdroff;		/* where the fragment header starts */
};

#define IPIFC_IP6_FRAGLEN	8	/* RFC 8200 4.5 */
/* A fragment header from f (nxt, off, more, ident): 8 bytes. */
int	ipifc_ip6frag_build(uint8_t *buf, size_t cap,
	    const struct ipifc_ip6frag *f);

/*
 * The one walk of the extension headers (hop-by-hop, routing, fragment,
 * destination options) of a payload whose first header is nxt: fn sees
 * each, its place n in the chain (0 first), its bytes h (all hlen of
 * them there) at off, and answers 0 to walk on or anything else to end
 * the walk with that answer.  0 with *final_nxt the first header that is
 * none of those (upper layer, unknown, No Next Header) at *offset;
 * -EMSGSIZE when a header is cut short, -ELOOP past IPIFC_IP6_MAXEXT.
 */
typedef int ipifc_ip6ext_fn(void *arg, int n, uint8_t type,
	    const uint8_t *h, size_t off, size_t hlen);
int	ipifc_ip6_walkext(uint8_t nxt, const uint8_t *p, size_t len,
	    ipifc_ip6ext_fn *fn, void *arg, uint8_t *final_nxt,
	    size_t *offset);
/*
 * Walk the extension headers of a payload whose first header is nxt.
 * Hop-by-hop (only first, RFC 8200 4.1), routing and destination options
 * headers are skipped.  Returns 0 with *final_nxt the upper-layer (or
 * unknown, or No Next Header) protocol starting at *offset; 1 when a
 * fragment header was met, with *final_nxt and *offset just after it and
 * *frag (may be NULL) filled; negative when a header is cut short, a
 * hop-by-hop header is not first, or there are more than
 * IPIFC_IP6_MAXEXT headers.  Options inside the headers are not judged.
 */
int	ipifc_ip6_skipext(uint8_t nxt, const uint8_t *p, size_t len,
	    uint8_t *final_nxt, size_t *offset, struct ipifc_ip6frag *frag);

#define IPIFC_IP6OPT_PAD1	0	/* RFC 8200 4.2 */
#define IPIFC_IP6OPT_PADN	1
#define IPIFC_IP6OPT_RA		5	/* RFC 2711 2.1 */
#define IPIFC_IP6OPT_RA_MLD	0	/* RFC 2711 2.1, value for MLD */
#define IPIFC_IP6_HBHRALEN	8
/* A hop-by-hop header holding only a Router Alert of value: 8 bytes. */
int	ipifc_ip6_hbh_ra_build(uint8_t *buf, size_t cap, uint8_t nxt,
	    uint16_t value);
/*
 * The Router Alert value in the hop-by-hop header at p, -ENOENT if it
 * carries none, or another negative errno if it is malformed.
 */
int	ipifc_ip6_hbh_ra(const uint8_t *p, size_t len);

/* ---- ICMPv4, RFC 792, and ICMPv6, RFC 4443 (proto/wire_icmp.c) ---- */

#define IPIFC_ICMP_HLEN		8

/* RFC 792 */
#define IPIFC_ICMP4_ECHOREPLY	0
#define IPIFC_ICMP4_UNREACH	3
#define IPIFC_ICMP4_ECHO	8
#define IPIFC_ICMP4_TIMEX	11
#define IPIFC_ICMP4_PARAMPROB	12
/* Destination unreachable codes, RFC 792 and RFC 1812 5.2.7.1 */
#define IPIFC_ICMP4_UNREACH_NET		0
#define IPIFC_ICMP4_UNREACH_HOST	1
#define IPIFC_ICMP4_UNREACH_PROTO	2
#define IPIFC_ICMP4_UNREACH_PORT	3
#define IPIFC_ICMP4_UNREACH_NEEDFRAG	4	/* with the MTU, RFC 1191 4 */
/* An error message fits 576 bytes with its IPv4 header, RFC 1812 4.3.2.3. */
#define IPIFC_ICMP4_ERRMAX	576

/* RFC 4443 2.1 */
#define IPIFC_ICMP6_UNREACH	1
#define IPIFC_ICMP6_TOOBIG	2
#define IPIFC_ICMP6_TIMEX	3
#define IPIFC_ICMP6_PARAMPROB	4
#define IPIFC_ICMP6_ECHO	128
#define IPIFC_ICMP6_ECHOREPLY	129
/* Destination unreachable codes, RFC 4443 3.1 */
#define IPIFC_ICMP6_UNREACH_NOROUTE	0
#define IPIFC_ICMP6_UNREACH_ADMIN	1
#define IPIFC_ICMP6_UNREACH_BEYOND	2
#define IPIFC_ICMP6_UNREACH_ADDR	3
#define IPIFC_ICMP6_UNREACH_PORT	4
/* Parameter problem codes, RFC 4443 3.4 */
#define IPIFC_ICMP6_PARAMPROB_HEADER	0
#define IPIFC_ICMP6_PARAMPROB_NXT	1
#define IPIFC_ICMP6_PARAMPROB_OPTION	2
#define IPIFC_ICMP6_PARAMPROB_CHAIN	3	/* RFC 7112 5 */
/* An error packet fits the minimum MTU, RFC 4443 2.4 (c). */
#define IPIFC_ICMP6_ERRMAX	IPIFC_IP6_MINMTU

/*
 * Echo and error messages of both versions.  param is the MTU (ICMPv4
 * unreachable: the 16 bits of RFC 1191 4; ICMPv6 packet too big), or the
 * pointer (parameter problem); 0 for the other types.  data is the echo
 * data or the quoted datagram.
 */
struct ipifc_icmp {
	uint8_t	type, code;
	uint16_t id, seq;	/* echo */
	uint32_t param;
	const uint8_t *data;
	size_t	dlen;
};

/* Other types are -EPROTONOSUPPORT. */
int	ipifc_icmp4_parse(const uint8_t *buf, size_t len, struct ipifc_icmp *m);
/*
 * The whole message, with its checksum.  An error message's quote is cut
 * so that the message with a 20-byte IPv4 header fits IPIFC_ICMP4_ERRMAX.
 * m->data may overlap buf (memmove).
 */
int	ipifc_icmp4_build(uint8_t *buf, size_t cap, const struct ipifc_icmp *m);
/*
 * Checksummed with the pseudo-header of src and dst.  ND and MLD types
 * are -EPROTONOSUPPORT here: see ipifc_nd_parse and ipifc_mld_*.
 */
int	ipifc_icmp6_parse(const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, const uint8_t *buf, size_t len,
	    struct ipifc_icmp *m);
/*
 * An error message's quote is cut to fit IPIFC_ICMP6_ERRMAX with a
 * 40-byte IPv6 header.
 */
int	ipifc_icmp6_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, const struct ipifc_icmp *m);
/*
 * The echo reply to a request whose checksum verified (req, len bytes of
 * ICMP or ICMPv6; buf may be req): the same bytes with type type and
 * code 0, the checksum updated (RFC 1624 3), not summed anew.  ICMPv6
 * names in from and to the pseudo-header address that changes, the
 * request's destination and the reply's source (the peer's address only
 * moves from source to destination, which the sum does not see);
 * ICMPv4 passes NULL.
 */
int	ipifc_icmp_echoreply(uint8_t *buf, size_t cap, const uint8_t *req,
	    size_t len, uint8_t type, const struct ipifc_ip *from,
	    const struct ipifc_ip *to);

/* ---- Neighbor Discovery, RFC 4861 (proto/wire_nd.c) ---- */

#define IPIFC_ND_RS		133	/* RFC 4861 4.1 */
#define IPIFC_ND_RA		134	/* 4.2 */
#define IPIFC_ND_NS		135	/* 4.3 */
#define IPIFC_ND_NA		136	/* 4.4 */
#define IPIFC_ND_REDIRECT	137	/* 4.5 */
#define IPIFC_ND_HOPLIMIT	255	/* 6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1 */

/* Router advertisement flags, 4.2 (and RFC 4191 2.2 preference bits) */
#define IPIFC_ND_RA_MANAGED	0x80
#define IPIFC_ND_RA_OTHER	0x40
#define IPIFC_ND_RA_PRFMASK	0x18	/* RFC 4191 2.2 */
#define IPIFC_ND_RA_PRFSHIFT	3
/* Neighbor advertisement flags, 4.4 (top bits of the first word) */
#define IPIFC_ND_NA_ROUTER	0x80
#define IPIFC_ND_NA_SOLICITED	0x40
#define IPIFC_ND_NA_OVERRIDE	0x20
/* Prefix information flags, 4.6.2 */
#define IPIFC_ND_PI_ONLINK	0x80
#define IPIFC_ND_PI_AUTO	0x40

/* Preference values, RFC 4191 2.1 (2 bits as sent) */
#define IPIFC_ND_PRF_MEDIUM	0
#define IPIFC_ND_PRF_HIGH	1
#define IPIFC_ND_PRF_RESERVED	2
#define IPIFC_ND_PRF_LOW	3

/*
 * The router preference of an RA's flags as -1 (low), 0, 1 (high); the
 * reserved value reads as medium (RFC 4191 2.2).
 */
static inline int
ipifc_nd_prf(uint8_t prf2)
{
	switch (prf2 & 3) {
	case IPIFC_ND_PRF_HIGH:
		return 1;
	case IPIFC_ND_PRF_LOW:
		return -1;
	default:
		return 0;
	}
}

/* Option types, 4.6; RFC 3971 5.3.2; RFC 4191 2.3; RFC 8106 5;
 * RFC 8910 2.3; RFC 8781 4 */
#define IPIFC_NDOPT_SLLA	1
#define IPIFC_NDOPT_TLLA	2
#define IPIFC_NDOPT_PREFIX	3
#define IPIFC_NDOPT_RHDR	4
#define IPIFC_NDOPT_MTU		5
#define IPIFC_NDOPT_NONCE	14
#define IPIFC_NDOPT_ROUTE	24
#define IPIFC_NDOPT_RDNSS	25
#define IPIFC_NDOPT_DNSSL	31
#define IPIFC_NDOPT_CAPTIVE	37
#define IPIFC_NDOPT_PREF64	38

/* Which single options a message carried (ipifc_nd.has). */
#define IPIFC_ND_HAS_SLLA	0x01
#define IPIFC_ND_HAS_TLLA	0x02
#define IPIFC_ND_HAS_MTU	0x04
#define IPIFC_ND_HAS_NONCE	0x08
#define IPIFC_ND_HAS_RHDR	0x10
#define IPIFC_ND_HAS_CAPTIVE	0x20

#define IPIFC_ND_NONCELEN	6	/* a one-unit nonce, RFC 3971 5.3.2 */
#define IPIFC_ND_DNSNAMEMAX	254	/* a name as text, its NUL included
					 * (RFC 1035 3.1: 255 octets) */

struct ipifc_nd_prefix {
	uint8_t	plen;
	uint8_t	flags;		/* IPIFC_ND_PI_*, as sent */
	uint32_t valid, preferred;	/* s */
	struct ipifc_ip prefix;	/* bits past plen cleared */
};

struct ipifc_nd_rdnss {
	uint32_t lifetime;	/* s */
	struct ipifc_ip addr;
};

/* RFC 4191 2.3 */
struct ipifc_nd_route {
	uint8_t	plen;
	uint8_t	prf;		/* IPIFC_ND_PRF_*, never RESERVED */
	uint32_t lifetime;	/* s */
	struct ipifc_ip prefix;	/* bits past plen cleared */
};

/* RFC 8106 5.2: one domain a struct */
struct ipifc_nd_dnssl {
	uint32_t lifetime;	/* s */
	char	name[IPIFC_ND_DNSNAMEMAX];	/* as "example.com" */
};

/* RFC 8781 4 */
struct ipifc_nd_pref64 {
	uint16_t lifetime;	/* s, a multiple of 8 up to 65528 */
	uint8_t	plen;		/* 96, 64, 56, 48, 40 or 32 */
	struct ipifc_ip prefix;	/* bits past plen cleared */
};

struct ipifc_nd {
	uint8_t	type;		/* IPIFC_ND_RS .. IPIFC_ND_REDIRECT */
	uint8_t	curhlim;	/* RA */
	uint8_t	flags;		/* RA: byte as sent; NA: R, S, O */
	uint16_t rtrlife;	/* RA, s */
	uint32_t reachable;	/* RA, ms */
	uint32_t retrans;	/* RA, ms */
	struct ipifc_ip target;	/* NS, NA, redirect */
	struct ipifc_ip dest;	/* redirect */
	unsigned has;		/* IPIFC_ND_HAS_* */
	uint8_t	slla[6], tlla[6];
	uint8_t	nonce[IPIFC_ND_NONCELEN];
	uint32_t mtu;
	const uint8_t *rhdr;	/* redirect: the redirected packet */
	size_t	rhdrlen;
	int	nprefix;
	struct ipifc_nd_prefix prefix[IPIFC_ND_MAXPREFIX];
	int	nrdnss;
	struct ipifc_nd_rdnss rdnss[IPIFC_ND_MAXRDNSS];
	int	nroute;
	struct ipifc_nd_route route[IPIFC_ND_MAXROUTE];
	int	ndnssl;
	struct ipifc_nd_dnssl dnssl[IPIFC_ND_MAXDNSSL];
	int	npref64;
	struct ipifc_nd_pref64 pref64[IPIFC_ND_MAXPREF64];
	const uint8_t *captive;	/* RFC 8910 2.3: the URI, padding cut */
	size_t	captivelen;
	int	ignored;	/* options over a bound, repeated, bad size */
	int	unknown;	/* options of unknown type, skipped (4.6) */
};

/*
 * Validate and parse the ICMPv6 message icmp/len carried by ip: hop limit
 * 255, code 0, checksum, minimum length, options of nonzero length inside
 * the message, and the rules of 6.1.1, 6.1.2, 7.1.1, 7.1.2 and 8.1.
 * Link-layer options must have Ethernet's size (RFC 2464 8).
 */
int	ipifc_nd_parse(const struct ipifc_ip6 *ip, const uint8_t *icmp,
	    size_t len, struct ipifc_nd *out);
/*
 * Build any of the five messages from m, with the options it holds (SLLA,
 * TLLA, MTU, nonce, the prefixes, RDNSS, routes, DNSSL, PREF64, captive
 * portal, redirected header, in that order), checksummed for src and dst.
 * A route's option has the fewest units its prefix length allows; each
 * search domain gets an option of its own.  Refuses what ipifc_nd_parse would
 * refuse from src and dst, such as an SLLA from ::.
 */
int	ipifc_nd_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, const struct ipifc_nd *m);

/* ---- MLDv1/v2 (RFC 2710, RFC 3810) and IGMPv1-3 (RFC 1112, RFC 2236,
 * RFC 3376) (proto/wire_mld.c, proto/wire_igmp.c) ---- */

#define IPIFC_MLD_QUERY		130	/* RFC 3810 5.1 */
#define IPIFC_MLD_REPORT1	131	/* RFC 2710 3 */
#define IPIFC_MLD_DONE		132
#define IPIFC_MLD_REPORT2	143	/* RFC 3810 5.2 */
#define IPIFC_IGMP_QUERY	0x11	/* RFC 3376 4.1 */
#define IPIFC_IGMP_REPORT1	0x12	/* RFC 1112 */
#define IPIFC_IGMP_REPORT2	0x16	/* RFC 2236 2.1 */
#define IPIFC_IGMP_LEAVE	0x17
#define IPIFC_IGMP_REPORT3	0x22	/* RFC 3376 4.2 */

/* Group record types, RFC 3810 5.2.12 and RFC 3376 4.2.12 */
#define IPIFC_MREC_IS_INCLUDE	1
#define IPIFC_MREC_IS_EXCLUDE	2
#define IPIFC_MREC_TO_INCLUDE	3
#define IPIFC_MREC_TO_EXCLUDE	4
#define IPIFC_MREC_ALLOW	5
#define IPIFC_MREC_BLOCK	6

/*
 * A query of either protocol.  Builders write mrc and qqic as given;
 * mrd and qqi are what the parsers decode from them.
 */
struct ipifc_mquery {
	int	version;	/* MLD 1, 2; IGMP 1, 2, 3 */
	uint16_t mrc;		/* Maximum Response Code as sent */
	uint32_t mrd;		/* maximum response delay decoded, ms */
	struct ipifc_ip group;	/* :: or 0.0.0.0 (v4-mapped): general */
	int	sflag;		/* v2/v3: suppress router-side processing */
	uint8_t	qrv;		/* v2/v3: querier's robustness variable */
	uint8_t	qqic;		/* v2/v3: querier's query interval code */
	uint32_t qqi;		/* decoded, s */
	uint16_t nsrc;
	const uint8_t *srcs;	/* nsrc addresses of 16 (MLD) or 4 bytes */
};

/* A group record of a report of either protocol. */
struct ipifc_mrec {
	uint8_t	type;		/* IPIFC_MREC_* */
	uint16_t nsrc;
	struct ipifc_ip group;	/* IGMP: v4-mapped */
	const uint8_t *srcs;	/* nsrc addresses of 16 or 4 bytes */
};

struct ipifc_mreport {
	int	nrec;
	struct ipifc_mrec rec[IPIFC_MAXMREC];
	int	ignored;	/* records over the bound, of unknown type or
				 * not for a multicast group */
};

/*
 * The records of an IGMPv3 or MLDv2 report (proto/wire_mrec.c), whose
 * group and source addresses are alen (4 or 16) bytes wide.  Read takes
 * a report whose type and checksum were checked; write makes one of type
 * with the checksum 0, its length, or -ENOBUFS if it does not fit cap.
 */
int	ipifc_mreport_read(const uint8_t *p, size_t len, size_t alen,
	    struct ipifc_mreport *r);
int	ipifc_mreport_write(uint8_t *buf, size_t cap, uint8_t type,
	    const struct ipifc_mrec *recs, int n, size_t alen);
/*
 * The end of an IGMPv3 or MLDv2 query of len bytes whose sources start
 * at srcoff (len is at least srcoff): S flag, QRV, QQIC and the sources
 * into q; -EMSGSIZE if the sources do not fit.
 */
int	ipifc_mquery_tail(const uint8_t *p, size_t len, size_t srcoff,
	    size_t alen, struct ipifc_mquery *q);

#define IPIFC_MLD_REPORT_LEN(n)	(8 + 20 * (size_t)(n))	/* no sources */
#define IPIFC_IGMP_REPORT_LEN(n) (8 + 8 * (size_t)(n))

/*
 * MLD messages carried by ip (for the checksum and the source checks):
 * a query of 24 bytes is MLDv1, of 28 or more MLDv2 (RFC 3810 8.1); the
 * source must be link-local (5.1.14), or :: for a report (5.2.13).
 * Whether the hop-by-hop header had a Router Alert is the caller's check.
 */
int	ipifc_mld_query_parse(const struct ipifc_ip6 *ip, const uint8_t *icmp,
	    size_t len, struct ipifc_mquery *q);
int	ipifc_mld_query_build(uint8_t *buf, size_t cap,
	    const struct ipifc_ip *src, const struct ipifc_ip *dst,
	    const struct ipifc_mquery *q);
int	ipifc_mld_report_parse(const struct ipifc_ip6 *ip, const uint8_t *icmp,
	    size_t len, struct ipifc_mreport *r);
/* An MLDv2 report of n records, -ENOBUFS if they do not all fit. */
int	ipifc_mld_report_build(uint8_t *buf, size_t cap,
	    const struct ipifc_ip *src, const struct ipifc_ip *dst,
	    const struct ipifc_mrec *recs, int n);
/* An MLDv1 report or done naming group (RFC 2710 3), checksummed. */
int	ipifc_mld1_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, uint8_t type,
	    const struct ipifc_ip *group);

/*
 * IGMP: a query of 8 bytes is v1 (code 0) or v2, of 12 or more v3 (RFC
 * 3376 7.1).  The IPv4 header's TTL 1 and Router Alert (RFC 3376 4) are
 * the caller's checks.  Reports are parsed as IGMPv3 only.
 */
int	ipifc_igmp_query_parse(const uint8_t *buf, size_t len,
	    struct ipifc_mquery *q);
int	ipifc_igmp_query_build(uint8_t *buf, size_t cap,
	    const struct ipifc_mquery *q);
int	ipifc_igmp_report_parse(const uint8_t *buf, size_t len,
	    struct ipifc_mreport *r);
int	ipifc_igmp_report_build(uint8_t *buf, size_t cap,
	    const struct ipifc_mrec *recs, int n);
/* An IGMPv1/v2 report or a v2 leave naming group (RFC 2236 2). */
int	ipifc_igmp12_build(uint8_t *buf, size_t cap, uint8_t type,
	    const struct ipifc_ip *group);

/*
 * The exponential codes, RFC 3810 5.1.3, 5.1.9; RFC 3376 4.1.1, 4.1.7.
 * Encoders round down and saturate at the largest code.
 */
uint32_t ipifc_mld_mrd(uint16_t mrc);	/* code -> ms */
uint16_t ipifc_mld_mrc(uint32_t ms);
uint32_t ipifc_igmp_mrt(uint8_t code);	/* code -> ms */
uint8_t	ipifc_igmp_mrc(uint32_t ms);
uint32_t ipifc_mqqi(uint8_t qqic);	/* code -> s */
uint8_t	ipifc_mqqic(uint32_t s);

#endif
