/*
 * The protocols over the core: mediums, ARP, IPv4, IPv6, ICMP, ND, MLD.
 * Internal to the library.
 */
#ifndef IPIFC_PROTO_H
#define IPIFC_PROTO_H

#include <errno.h>

#include "core.h"

#define IPIFC_MAXPKT	65535	/* the largest IP packet */
#define IPIFC_ETHHDR	14

#define IPIFC_MAXREASM	8	/* datagrams being reassembled at once,
				 * both families */
#define IPIFC_REASM_TIMEOUT	30000	/* ms, IPv4: RFC 1122 3.3.2 leaves
					 * 60-120 s; Linux and BSD use 30 */
#define IPIFC_REASM6_TIMEOUT	60000	/* ms, IPv6: RFC 8200 4.5 */
#define IPIFC_REASM_HDRMAX	256	/* the first fragment's header kept:
					 * IPv4's (60 at most), or IPv6's
					 * unfragmentable part; longer is
					 * dropped */

struct ipifc_reasm {
	int	used;			/* 1 in progress, 2 handed out */
	int	v6;
	struct ipifc_ip src, dst;
	uint32_t id;			/* IPv4 16 bits, IPv6 32 */
	uint8_t	proto;			/* IPv4: part of the key */
	uint64_t deadline;
	int	ifc;
	size_t	total;			/* known when the last fragment came */
	size_t	maxend;			/* the end of the data held */
	size_t	hlen;			/* the first fragment's header */
	uint8_t	nxt;			/* IPv6: the fragment header's */
	size_t	nxtfield;		/* IPv6: where hlen names it */
	size_t	firstlen;		/* the first fragment's data */
	uint8_t	*buf;			/* HDRMAX + 65536 */
	uint8_t	have[8192 / 8];		/* one bit per 8-byte block */
	int	gotfirst;
};

#define IPIFC_MAXPMTU	64	/* path MTU cache entries; full: the oldest
				 * goes */
#define IPIFC_PMTU_AGE	600000	/* ms an entry lives after a decrease,
				 * RFC 8201 5.3 (at least 5 min, 10
				 * recommended) */

struct ipifc_pmtu {
	struct ipifc_ip dst;
	size_t	mtu;
	uint64_t expires;		/* ms; 0 or past: a free entry */
};

#define IPIFC_MPENDING	16	/* state changes awaiting their repeat */
#define IPIFC_ICMPBUCKETS	64	/* per-destination ICMP error buckets */
#define IPIFC_SCRATCH	16	/* packet buffers in use at once (nesting) */
#define IPIFC_NDLATER	16	/* anycast NAs waiting; when full one goes now */
#define IPIFC_MAX_ANYCAST_DELAY	1000	/* ms, RFC 4861 10 MAX_ANYCAST_DELAY_TIME */

/* A solicited NA for an anycast target, sent after a random delay. */
struct ipifc_ndlater {
	int	ifc;
	uint32_t gen;			/* the interface's, when queued */
	struct ipifc_ip target, dst;
	uint64_t due;			/* ms */
};

struct ipifc_bucket {
	uint64_t tokens;
	uint64_t last;			/* ms */
};

/* State-change reports sent once, to be sent again (RFC 3810 6.1). */
struct ipifc_mpending {
	struct ipifc_ip group[IPIFC_MPENDING];
	uint8_t	type[IPIFC_MPENDING];
	int	n;
	uint64_t due;			/* ms, 0: nothing pending */
};

#define IPIFC_MQUERIED	8	/* answers to group queries pending */
#define IPIFC_MQSRC	8	/* sources recorded for one of them */

/*
 * A pending answer to a Group-Specific or Group-and-Source-Specific Query
 * (RFC 3376 5.2, RFC 3810 6.2): the group timer and the queried sources
 * (nsrc of 4 or 16 bytes each; none: the whole group is asked about).
 */
struct ipifc_mqueried {
	struct ipifc_ip group;
	uint64_t due;			/* ms */
	int	nsrc;
	uint8_t	srcs[IPIFC_MQSRC * 16];
};

struct ipifc_mqueries {
	struct ipifc_mqueried q[IPIFC_MQUERIED];
	int	n;
};

/* Router mode on one interface (proto/rtadv.c). */
struct ipifc_rtadv {
	int	active;			/* advertising: joined all-routers */
	int	ninit;			/* initial RAs sent, RFC 4861 6.2.4 */
	uint64_t sent;			/* RAs sent while active */
	uint64_t next;			/* ms, the next multicast RA */
	uint64_t last;			/* ms, the last one (if sent) */
	struct ipifc_ip src;		/* the link-local address it came from */
	/* the address that links all-routers in the self table, by seq */
	struct ipifc_ip hear;
	uint64_t hearseq;		/* 0: none */
};

/* The protocols' state of one interface (ifc->pstate), made on attach. */
struct ipifc_pifc {
	uint64_t mld_due;		/* ms: answer a query then */
	uint64_t igmp_due;
	struct ipifc_mpending mpend;
	struct ipifc_mqueries mqueried;
	/* ms: an older querier was heard; speak its version until then */
	uint64_t mld1_until;
	uint64_t igmp1_until, igmp2_until;
	struct ipifc_rtadv rtadv;
	struct ipifc_ifc *ifc;
	/* the interface in the indexes of the report and RA passes, by
	 * the earliest of its timers there */
	struct ipifc_dnode mdl, rdl;
};

static inline struct ipifc_pifc *
pifc_of(const struct ipifc_ifc *ifc)
{
	return ifc->pstate;
}

/* Per-stack protocol state (s->proto). */
/* The last route output looked up, and under which s->rtgen. */
struct ipifc_rtcache {
	uint64_t gen;			/* 0: none */
	struct ipifc_ip dst, src;
	int	anysrc;			/* looked up for no source */
	struct ipifc_route *r;		/* may be NULL: no route */
};

struct ipifc_proto {
	uint16_t ip4id;			/* RFC 6864: the next IPv4 ID */
	struct ipifc_rtcache rt4, rt6;	/* proto/ip.c ipifc_out_route */
	struct ipifc_bucket icmpdst[IPIFC_ICMPBUCKETS];	/* error rate limits */
	struct ipifc_bucket icmp4all, icmp6all;
	int	loopdepth;		/* loopback recursion */
	uint8_t	*scratch[IPIFC_SCRATCH];	/* IPIFC_MAXPKT each, made on use */
	int	nscratch;		/* in use, a stack */
	struct ipifc_reasm reasm[IPIFC_MAXREASM];
	struct ipifc_pmtu pmtu[IPIFC_MAXPMTU];
	uint64_t pmtu_last;		/* ms: the latest entry's expiry */
	struct ipifc_ndlater ndlater[IPIFC_NDLATER];	/* by due time */
	int	nndlater;
	/* interfaces by their next report (mreport.c) and RA (rtadv.c) */
	struct ipifc_dindex dmreport, drtadv;
	/* drops by reason, shown in the ipstats file */
	uint64_t drops_noforward, drops_icmprate, drops_icmp;
	uint64_t drops_reasm, drops_frag6, drops_tentative, drops_nd;
	uint64_t drops_hdr, drops_martian, drops_scratch;
	uint64_t drops_mquery;		/* RFC 3810 5.1.14, RFC 3376 9.1 */
	uint64_t drops_rtadv;		/* RAs not built, all-routers not joined */
	uint64_t drops_rainconsistent;	/* RFC 4861 6.2.7 */
	uint64_t drops_vlan;
};

/* IPv4 output: route, source, fragmentation.  0 or a negative errno. */
int	ipifc_ip4_output(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int proto, int ttl,
	    const uint8_t *payload, size_t len, struct ipifc_ifc *oif);
/*
 * The same with a TOS octet and IPv4 options (a multiple of 4 bytes; RR,
 * TS recorded).
 */
int	ipifc_ip4_output_opts(struct ipifc_stack *s,
	    const struct ipifc_ip *src, const struct ipifc_ip *dst, int proto,
	    int ttl, int tos, const uint8_t *payload, size_t len,
	    struct ipifc_ifc *oif, const uint8_t *opts, size_t optlen);
int	ipifc_ip6_output(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int nxt, int hlim,
	    const uint8_t *payload, size_t len, struct ipifc_ifc *oif);
/*
 * Output from a scratch buffer pkt whose payload (len bytes) is in place
 * already, after room for the header (IPv4: IPIFC_IP4_HLEN + optlen;
 * IPv6: IPIFC_IP6_HLEN): the header goes in front, the payload is not
 * copied.  Default TTL or hop limit.
 */
int	ipifc_ip4_output_buf(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int proto, int tos, uint8_t *pkt,
	    size_t len, const uint8_t *opts, size_t optlen);
int	ipifc_ip6_output_buf(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int nxt, uint8_t *pkt, size_t len,
	    struct ipifc_ifc *oif);
/*
 * Send from src to dst a reply made in a scratch buffer pkt from a copy
 * of its request req (len bytes, a verified IPv4 header without options,
 * from dst to src): the addresses swap, TTL, ID and TOS are the reply's
 * own and the fragment field clears, and the header checksum is updated
 * for those words (RFC 1624 3), not summed anew.
 */
int	ipifc_ip4_output_reply(struct ipifc_stack *s,
	    const struct ipifc_ip *src, const struct ipifc_ip *dst,
	    const uint8_t *req, uint8_t *pkt, size_t len, int tos);
/* IPv6 straight onto a link (ND, MLD): no route, nexthop dst. */
int	ipifc_ip6_send_on(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int nxt, int hlim,
	    const uint8_t *payload, size_t len);
/*
 * Hand a datagram to the library's user (proto/deliver.c): 0, or
 * negative if unwanted.
 */
int	ipifc_deliver(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int proto, int ttl,
	    const uint8_t *payload, size_t len);
/* The same with the IPv4 options the datagram came with. */
int	ipifc_deliver_opts(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int proto, int ttl,
	    const uint8_t *payload, size_t len, const uint8_t *opts,
	    size_t optlen);

/*
 * Forwarding (proto/forward.c): what a family tells the one forwarding
 * path of both.
 */
struct ipifc_fwdfam {
	/* may a packet from src to dst cross a router at all? */
	int	(*canforward)(const struct ipifc_ip *src,
		    const struct ipifc_ip *dst);
	/* an ICMP error about pkt, as ipifc_icmp4_error */
	void	(*error)(struct ipifc_ifc *in, const uint8_t *pkt, size_t len,
		    int type, int code, uint32_t param);
	int	timex;			/* time exceeded: the ICMP type */
	int	unreach, noroute;	/* no route: the ICMP type and code */
	int	toobig;			/* over the MTU: the ICMP type, or 0 if
					 * send decides */
	unsigned local;			/* route types not forwarded */
	size_t	hlimoff;		/* the TTL or hop limit octet */
	/* copy (pkt's, its hop limit one less) out by out to nexthop */
	void	(*send)(struct ipifc_ifc *in, struct ipifc_ifc *out,
		    const void *hdr, const uint8_t *pkt, uint8_t *copy,
		    size_t len, const struct ipifc_ip *nexthop);
};
/*
 * Forward pkt (len bytes, come in by in, not for us) whose parsed header
 * hdr says src, dst and the TTL or hop limit hlim.
 */
void	ipifc_forward(struct ipifc_ifc *in, const struct ipifc_fwdfam *fam,
	    const void *hdr, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int hlim, const uint8_t *pkt,
	    size_t len);

/* ICMP (proto/icmp4.c, proto/icmp6.c). */
struct ipifc_ip4;
struct ipifc_ip6;
struct ipifc_ip6frag;
/* ipifc_deliver with the IPv4 header's options. */
int	ipifc_deliver4(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h);
/* May an error go to dst now (proto/icmprate.c)?  Counts what may not. */
int	ipifc_icmp_ratelimit(struct ipifc_stack *s, const struct ipifc_ip *dst);
/*
 * The message of an error that may go (proto/icmperr.c): type, code and
 * param, quoting dlen bytes of pkt, from src (NULL: output chooses) to
 * dst, of either family, out by oif (NULL: the route's).
 */
void	ipifc_icmp_error_send(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, struct ipifc_ifc *oif, int type,
	    int code, uint32_t param, const uint8_t *pkt, size_t dlen);
void	ipifc_icmp4_input(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
	    const uint8_t *pkt, size_t len, unsigned type);
void	ipifc_icmp4_error(struct ipifc_ifc *ifc, const uint8_t *pkt,
	    size_t len, int type, int code, uint32_t param);
void	ipifc_icmp6_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const uint8_t *icmp, size_t len, unsigned type, int fragmented);
void	ipifc_icmp6_error(struct ipifc_ifc *ifc, const uint8_t *pkt,
	    size_t len, int type, int code, uint32_t param);

/* IPv4 options (proto/ip4opt.c). */
/*
 * 0 if the options of h may pass; 1 if malformed, or a full Timestamp's
 * overflow count is 15 already (RFC 791), *ptr the octet at fault for
 * parameter problem (RFC 1122 3.2.2.5); -1 for a source route.
 */
int	ipifc_ip4opt_check(const struct ipifc_ip4 *h, uint8_t *ptr);
/*
 * Put addr (and the time) into the Record Route and Timestamp options
 * of opts, in place: 0, or 1 with *ptr when a Timestamp's overflow count
 * would overflow (RFC 791: parameter problem).  Checked options only.
 */
int	ipifc_ip4opt_record(struct ipifc_stack *s, uint8_t *opts,
	    size_t optlen, const struct ipifc_ip *addr, uint8_t *ptr);
/* The RR and TS options of a list, padded to 4 (RFC 1122 3.2.2.6). */
size_t	ipifc_ip4opt_echo(const uint8_t *opts, size_t optlen, uint8_t *out);

/*
 * Reassembly (proto/frag.c): 1 and *whole when complete, else 0; IPv6
 * gives also the length of the whole's unfragmentable part (*hlen).
 */
int	ipifc_reasm4(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h,
	    const uint8_t *pkt, const uint8_t **whole, size_t *wlen);
int	ipifc_reasm6(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const struct ipifc_ip6frag *fh, const uint8_t *pkt, size_t len,
	    const uint8_t **whole, size_t *wlen, size_t *hlen);
void	ipifc_reasm_done(struct ipifc_stack *s, const uint8_t *whole);
void	ipifc_reasm_timers(struct ipifc_stack *s);
uint64_t ipifc_reasm_deadline(const struct ipifc_stack *s);
void	ipifc_reasm_free(struct ipifc_stack *s);

/* The path MTU cache (proto/pmtu.c). */
struct ipifc_icmp;
/* The MTU towards dst: ifmtu, or lower if a Packet Too Big said so. */
size_t	ipifc_pmtu_get(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    size_t ifmtu);
/* A Packet Too Big received on ifc: 0, or negative if it is not valid. */
int	ipifc_pmtu_toobig(struct ipifc_ifc *ifc, const struct ipifc_icmp *m);
void	ipifc_pmtu_fmt(struct ipifc_stack *s, struct ipifc_buf *b);

/* Group membership reports (proto/mreport.c). */
void	ipifc_igmp_input(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h);
void	ipifc_mld_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const uint8_t *icmp, size_t len);
void	ipifc_mreport_joined(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
void	ipifc_mreport_left(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
void	ipifc_mreport_timers(struct ipifc_stack *s);
uint64_t ipifc_mreport_deadline(const struct ipifc_stack *s);
/* ifc may be going down: the next pass looks at it (what waits goes). */
void	ipifc_mreport_down(struct ipifc_ifc *ifc);
/* ifc's timers changed: file its earliest again. */
void	ipifc_mreport_refile(struct ipifc_ifc *ifc);

/* ND (proto/nd.c). */
void	ipifc_nd_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const uint8_t *icmp, size_t len);
void	ipifc_nd_dadprobe(struct ipifc_lifc *l);
void	ipifc_nd_timers(struct ipifc_stack *s);
uint64_t ipifc_nd_deadline(const struct ipifc_stack *s);

/* Router advertisements sent (proto/rtadv.c). */
struct ipifc_nd;
void	ipifc_rtadv_set(struct ipifc_ifc *ifc, int on);
void	ipifc_rtadv_rs(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const struct ipifc_nd *m);
void	ipifc_rtadv_timers(struct ipifc_stack *s);
void	ipifc_rtadv_ra(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
	    const struct ipifc_nd *m);
uint64_t ipifc_rtadv_deadline(const struct ipifc_stack *s);
/* An address of l's interface changed: the next pass looks again. */
void	ipifc_rtadv_addr(struct ipifc_lifc *l);
void	ipifc_rtadv_refile(struct ipifc_ifc *ifc);

static inline struct ipifc_proto *
proto_of(struct ipifc_stack *s)
{
	return s->proto;
}

/*
 * The route output takes to dst from src (NULL: any source; fallback:
 * then for any source if none is from src), as ipifc_rtab_lookup gives
 * it; the answer for the last (dst, src) of the family is kept while the
 * table and the interfaces' up state stay as they were (s->rtgen), so a
 * stream of replies to one peer looks up once.  The test of the kept
 * answer is inline; the lookup (proto/ip.c) keeps its answer in c.
 */
struct ipifc_route *ipifc_out_route_lookup(struct ipifc_stack *s,
	    struct ipifc_rtcache *c, const struct ipifc_ip *dst,
	    const struct ipifc_ip *src, int fallback);

static inline struct ipifc_route *
ipifc_out_route(struct ipifc_stack *s, const struct ipifc_ip *dst,
    const struct ipifc_ip *src, int fallback)
{
	struct ipifc_proto *p = proto_of(s);
	struct ipifc_rtcache *c = ipifc_ip_isv4(dst) ? &p->rt4 : &p->rt6;

	if (c->gen == s->rtgen && ipifc_ip_same(&c->dst, dst) &&
	    c->anysrc == (src == NULL) &&
	    (src == NULL || ipifc_ip_same(&c->src, src)))
		return c->r;
	return ipifc_out_route_lookup(s, c, dst, src, fallback);
}

/*
 * A packet buffer of IPIFC_MAXPKT bytes off the C stack (the packet path
 * nests: an echo to ourselves goes out, in, and out again); NULL when
 * IPIFC_SCRATCH are in use, counted.  Given back in the reverse order.
 * Inline: every echo and reply takes one.
 */
uint8_t	*ipifc_scratch_make(struct ipifc_stack *s);

static inline uint8_t *
ipifc_scratch_get(struct ipifc_stack *s)
{
	struct ipifc_proto *p = proto_of(s);

	/* made on first use, kept until the stack goes */
	if (p->nscratch < IPIFC_SCRATCH && p->scratch[p->nscratch] != NULL)
		return p->scratch[p->nscratch++];
	return ipifc_scratch_make(s);
}

static inline void
ipifc_scratch_put(struct ipifc_stack *s)
{
	proto_of(s)->nscratch--;
}

/*
 * Every scratch buffer has IPIFC_SCRATCHHEAD bytes before it for a link
 * header.  When pkt is the start of a buffer in use, the n (at most
 * IPIFC_SCRATCHHEAD) bytes before it, where the medium may write its
 * header and send the frame without copying the packet; else NULL.
 */
#define IPIFC_SCRATCHHEAD	16	/* an Ethernet header, 8-byte aligned */

static inline uint8_t *
ipifc_scratch_head(struct ipifc_stack *s, const uint8_t *pkt, size_t n)
{
	struct ipifc_proto *p = proto_of(s);
	int i;

	if (n > IPIFC_SCRATCHHEAD)
		return NULL;
	/* the innermost first: the packet going out was made last */
	for (i = p->nscratch - 1; i >= 0; i--)
		if (p->scratch[i] == pkt)
			return p->scratch[i] - n;
	return NULL;
}

/* Mediums. */
extern const struct ipifc_medium ipifc_ether_medium;
extern const struct ipifc_medium ipifc_loopback_medium;
extern const struct ipifc_medium ipifc_pkt_medium;
/* Attach the backend named by dev through the link operations, if any. */
const char *ipifc_link_open(struct ipifc_ifc *ifc, const char *dev);
void	ipifc_link_close(struct ipifc_ifc *ifc);
void	ipifc_medium_nomulti(struct ipifc_ifc *ifc, const uint8_t *mac);

/* Ethernet output of a payload of the given type to dst. */
void	ipifc_ether_send(struct ipifc_ifc *ifc, const uint8_t *dst,
	    uint16_t type, const uint8_t *payload, size_t len);
/* Carry out what the neighbor state machine decided, in order; the list
 * is empty after. */
void	ipifc_ether_nbrdo(struct ipifc_nbr_acts *todo);
/* ipifc_nbr_learn, and what it decided carried out. */
void	ipifc_ether_learn(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
	    const uint8_t *mac, enum ipifc_nbr_state state, int create);
/* The timers of DAD and the neighbors, and what they decided sent. */
void	ipifc_ether_timers(struct ipifc_stack *s);

/* ARP (proto/arp.c). */
void	ipifc_arp_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len);
/* Who has ip?  Asked from src, to mac (a probe) or (NULL) to all. */
void	ipifc_arp_request(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
	    const struct ipifc_ip *ip, const uint8_t *mac);
/* RFC 5227 2.1.1, 2.3: a probe for l's address; an announcement of it. */
void	ipifc_arp_probe(struct ipifc_lifc *l);
void	ipifc_arp_announce(struct ipifc_lifc *l);

/* ND (proto/nd.c). */
/* The same for ND: to ip itself (a probe, mac known) or its group. */
void	ipifc_nd_solicit(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
	    const struct ipifc_ip *ip, const uint8_t *mac);

/* How a frame reached IP input. */
enum {
	IPIFC_RX_HOST,		/* to our link-layer address, or no link layer */
	IPIFC_RX_GROUP,		/* to a link-layer broadcast or group */
	IPIFC_RX_OTHER,		/* to another host: only promisc hears it */
	IPIFC_RX_LOCAL,		/* from ourselves, never on a wire */
};

/* IP input, after the link layer: the packet starts at the IP header. */
void	ipifc_ip4_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
	    int rx);
void	ipifc_ip6_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
	    int rx);
/* RFC 1122 3.2.1.3 (g), RFC 4291 2.5.3: loopback never crosses a wire. */
static inline int
ipifc_martian_loopback(const struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int rx)
{
	return rx != IPIFC_RX_LOCAL && (ifc->flags & IPIFC_F_LOOPBACK) == 0 &&
	    (ipifc_ip_isloopback(src) || ipifc_ip_isloopback(dst));
}
/* Raw IP input of a link without link layer: the version decides. */
void	ipifc_ip_input(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len);

#endif
