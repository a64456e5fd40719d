/*
 * Internal structures of the core.  Not installed.
 */
#ifndef IPIFC_CORE_H
#define IPIFC_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/queue.h>

#include "ipifc.h"
#include "tunables.h"

struct ipifc_lifc;
struct ipifc_self;

/* ---- text buffers (core/buf.c) ---- */

struct ipifc_buf {
	char	*p;
	size_t	len, cap;
	int	oom;
};

void	ipifc_buf_printf(struct ipifc_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Split a line into at most max words in place; the count, -1 if more. */
int	ipifc_tokenize(char *line, char **argv, int max);

/* ---- addresses (core/ipaddr.c) ---- */

/* ipifc_ip_eq, inline, for the lookups every packet makes */
static inline int
ipifc_ip_same(const struct ipifc_ip *a, const struct ipifc_ip *b)
{
	return memcmp(a->a, b->a, 16) == 0;
}

/*
 * The tests every packet makes, inline: calls into core/ipaddr.c for
 * each cost more than the tests (one to ten of them a packet).  The
 * names stay those of ipifc.h, whose functions core/ipaddr.c still
 * exports, built from these.
 */
static inline int
ipifc_ip_isv4_inline(const struct ipifc_ip *ip)
{
	return memcmp(ip->a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0;
}

static inline uint32_t
ipifc_ip_v4val_inline(const struct ipifc_ip *ip)
{
	return (uint32_t)ip->a[12] << 24 | (uint32_t)ip->a[13] << 16 |
	    (uint32_t)ip->a[14] << 8 | ip->a[15];
}

/* RFC 4291 2.7, RFC 1112 4 */
static inline int
ipifc_ip_ismulti_inline(const struct ipifc_ip *ip)
{
	if (ipifc_ip_isv4_inline(ip))
		return (ip->a[12] & 0xf0) == 0xe0;
	return ip->a[0] == 0xff;
}

static inline int
ipifc_ip_isbcast_inline(const struct ipifc_ip *ip)
{
	return ipifc_ip_same(ip, &ipifc_ip_bcast4);
}

/* RFC 4291 2.5.3, RFC 1122 3.2.1.3 */
static inline int
ipifc_ip_isloopback_inline(const struct ipifc_ip *ip)
{
	if (ipifc_ip_isv4_inline(ip))
		return ip->a[12] == 127;
	return ipifc_ip_same(ip, &ipifc_ip_loopback6);
}

static inline int
ipifc_ip_isunspec_inline(const struct ipifc_ip *ip)
{
	return ipifc_ip_same(ip, &ipifc_ip_unspec6) ||
	    ipifc_ip_same(ip, &ipifc_ip_unspec4);
}

#define ipifc_ip_isv4(ip)	ipifc_ip_isv4_inline(ip)
#define ipifc_ip_v4val(ip)	ipifc_ip_v4val_inline(ip)
#define ipifc_ip_ismulti(ip)	ipifc_ip_ismulti_inline(ip)
#define ipifc_ip_isbcast(ip)	ipifc_ip_isbcast_inline(ip)
#define ipifc_ip_isloopback(ip)	ipifc_ip_isloopback_inline(ip)
#define ipifc_ip_isunspec(ip)	ipifc_ip_isunspec_inline(ip)

/*
 * SipHash-1-3 (Aumasson and Bernstein, 2012; one compression round and
 * three of finalization, as Python and Rust hash their tables) of the 16
 * bytes of the address under a secret key: a stranger who picks the
 * addresses cannot aim them at one bucket of a table keyed by them.  A
 * plain multiplicative hash (what this was) is cheaper, but its buckets
 * are a fixed function of the address anyone can compute.  The input is
 * always 16 bytes, so the general algorithm's block loop and tail are
 * written out: two message words, then the length block.  Inline: every
 * packet's table lookups make it, and a call cost a fifth of a lookup.
 */
static inline uint64_t
ipifc_rotl(uint64_t x, int b)
{
	return x << b | x >> (64 - b);
}

#define IPIFC_SIPROUND(v0, v1, v2, v3) do {				\
	v0 += v1; v1 = ipifc_rotl(v1, 13); v1 ^= v0;			\
	v0 = ipifc_rotl(v0, 32);					\
	v2 += v3; v3 = ipifc_rotl(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = ipifc_rotl(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = ipifc_rotl(v1, 17); v1 ^= v2;			\
	v2 = ipifc_rotl(v2, 32);					\
} while (0)

/* SipHash reads its words little-endian. */
static inline uint64_t
ipifc_le64(const uint8_t *b)
{
	uint64_t w;

	memcpy(&w, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* SipHash of the words m[0..n-1], the last holding the length. */
static inline uint64_t
ipifc_siphash(const uint64_t key[2], const uint64_t *m, int n, int c, int d)
{
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ull;
	uint64_t v1 = key[1] ^ 0x646f72616e646f6dull;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ull;
	uint64_t v3 = key[1] ^ 0x7465646279746573ull;
	int i, r;

	for (i = 0; i < n; i++) {
		v3 ^= m[i];
		for (r = 0; r < c; r++)
			IPIFC_SIPROUND(v0, v1, v2, v3);
		v0 ^= m[i];
	}
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		IPIFC_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static inline uint64_t
ipifc_siphash16(const uint64_t key[2], const uint8_t in[16], int c, int d)
{
	uint64_t m[3];

	m[0] = ipifc_le64(in);
	m[1] = ipifc_le64(in + 8);
	m[2] = (uint64_t)16 << 56;	/* the length, with no bytes left over */
	return ipifc_siphash(key, m, 3, c, d);
}

static inline uint32_t
ipifc_ip_hash(const uint64_t key[2], const struct ipifc_ip *a)
{
	return (uint32_t)ipifc_siphash16(key, a->a, 1, 3);
}

void	ipifc_hashkey_set(uint64_t key[2], const uint8_t seed[16]);
uint64_t ipifc_siphash24_16(const uint64_t key[2], const uint8_t in[16]);

/* ---- mediums (proto/ether.c, proto/loopback.c, proto/rawip.c) ---- */

/* plan9's Medium: what a kind of link does; the core never knows which. */
struct ipifc_medium {
	const char *name;
	int	hwlen;		/* link-layer address length, 0: none */
	int	mintu, maxtu, deftu;
	unsigned flags;		/* default interface flags */
	/* Check DEV's syntax and attach; NULL or a one-line error. */
	const char *(*bind)(struct ipifc_ifc *ifc, const char *dev);
	void	(*unbind)(struct ipifc_ifc *ifc);
	/* Send an IP packet (header included) to nexthop on this link. */
	void	(*bwrite)(struct ipifc_ifc *ifc, const uint8_t *pkt, size_t len,
		    const struct ipifc_ip *nexthop);
	/* A frame the backend received. */
	void	(*bread)(struct ipifc_ifc *ifc, const uint8_t *frame,
		    size_t len);
	/* The link-layer group list changed: first join, last leave. */
	void	(*addmulti)(struct ipifc_ifc *ifc, const uint8_t *mac);
	void	(*remmulti)(struct ipifc_ifc *ifc, const uint8_t *mac);
	/*
	 * plan9's areg: an address is new, or starts again (up, lladdr),
	 * on the link: the medium starts IPv4 conflict detection (RFC 5227)
	 * or sends the DAD probe due at once (RFC 4862 5.4.2) that
	 * core/dad.c decides; may be NULL.
	 */
	void	(*areg)(struct ipifc_ifc *ifc, struct ipifc_lifc *l);
};

/* What the core asks of the protocols above it (proto/proto.c sets them). */
struct ipifc_hooks {
	void	(*joined)(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
	void	(*left)(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
	/*
	 * Router mode (sendra) may have changed: on is 1 while the interface
	 * should advertise; called before the interface goes down or away.
	 */
	void	(*rtadv)(struct ipifc_ifc *ifc, int on);
	/* The timers: DAD's and the neighbors' first (core/dad.c and
	 * core/nud.c decide, the medium sends), then the protocols'. */
	void	(*timers)(struct ipifc_stack *s);
	uint64_t (*deadline)(const struct ipifc_stack *s);
	/* An address came, took a new state, lifetime or deadline, or goes
	 * (core/deadline.c files it). */
	void	(*addr)(struct ipifc_lifc *l);
	void	(*free)(struct ipifc_stack *s);
	/* An interface is made (0, or -ENOMEM refuses it), and goes. */
	int	(*attach)(struct ipifc_ifc *ifc);
	void	(*detach)(struct ipifc_ifc *ifc);
	/* The protocols' counters, for the ipstats file. */
	void	(*stats)(struct ipifc_stack *s, struct ipifc_buf *b);
	/* The path MTU cache, for the ippmtu file. */
	void	(*pmtu)(struct ipifc_stack *s, struct ipifc_buf *b);
};

/* ---- interfaces (core/ifc.c) ---- */

enum {
	IPIFC_F_UP = 1 << 0,
	IPIFC_F_RUNNING = 1 << 1,
	IPIFC_F_BROADCAST = 1 << 2,
	IPIFC_F_MULTICAST = 1 << 3,
	IPIFC_F_PTP = 1 << 4,
	IPIFC_F_LOOPBACK = 1 << 5,
	IPIFC_F_PROMISC = 1 << 6,
	IPIFC_F_ALLMULTI = 1 << 7,
	IPIFC_F_NOARP = 1 << 8,
};

/* The `ra6` keys (RFC 4861 6.2.1, the Adv... variables). */
struct ipifc_ra6 {
	int	sendra, recvra;
	int	mflag, oflag;
	uint32_t maxraint, minraint;	/* ms */
	uint32_t linkmtu;
	uint32_t reachtime, rxmitra;	/* ms */
	int	ttl;
	uint32_t routerlt;		/* s */
	/* RFC 8106 5.1: RDNSS servers sent in router mode, and lifetime */
	struct ipifc_ip rdnss[IPIFC_RA6_MAXRDNSS];
	int	nrdnss;
	/* RFC 8106 5.2: DNSSL domains joined by commas, "" for none */
	char	dnssl[IPIFC_RA6_DNSSLLEN];
	uint32_t dnslt;			/* s, RDNSS and DNSSL */
};

struct ipifc_counters {
	uint64_t pktin, pktout, errin, errout;
};

TAILQ_HEAD(ipifc_lifcq, ipifc_lifc);
LIST_HEAD(ipifc_memberl, ipifc_member);

/* An IP multicast group on an interface, and its link-layer group. */
struct ipifc_group {
	TAILQ_ENTRY(ipifc_group) link;	/* ifc->groups, in order of joining */
	struct ipifc_group *hnext;	/* ifc->ghash chain */
	struct ipifc_ip ip;
	int	refs;
	int	lrefs;			/* of them, listeners' memberships */
};

TAILQ_HEAD(ipifc_groupq, ipifc_group);

struct ipifc_llgroup {
	struct ipifc_llgroup *hnext;	/* ifc->llhash chain */
	uint8_t	mac[6];
	int	refs;
};

/*
 * A place in a deadline index (core/deadline.c), inside what it times:
 * a binary min-heap of nodes by key, and the due list of a timer pass
 * (room for all of them), sorted into the order of the walk the pass
 * replaces.
 */
struct ipifc_dnode {
	uint64_t key;			/* ms, the deadline filed; UINT64_MAX: none */
	unsigned pos;			/* place in the heap + 1, 0: not filed */
	unsigned due;			/* place in a pass's due list + 1, 0: none */
	/* on the index's list for the next pass (ipifc_dindex_mark) */
	struct ipifc_dnode *mnext, **mprev;
};

struct ipifc_dindex {
	struct ipifc_dnode **heap, **due;
	unsigned n, cap, ndue;
	struct ipifc_dnode *marked;	/* the next pass takes these too */
};

/* What holds the node d, its member m. */
#define IPIFC_DNODE_OWNER(d, type, m)					\
	((type *)(void *)((char *)(d) - offsetof(type, m)))

/* A neighbor (ARP/ND) entry. */
enum ipifc_nbr_state {
	IPIFC_NBR_INCOMPLETE,
	IPIFC_NBR_REACHABLE,
	IPIFC_NBR_STALE,
	IPIFC_NBR_DELAY,
	IPIFC_NBR_PROBE,
	IPIFC_NBR_STATIC,
};

struct ipifc_pkt {
	size_t	len;
	uint8_t	data[];
};

struct ipifc_nbr {
	struct ipifc_nbr *hnext;		/* ifc->nbrhash chain */
	TAILQ_ENTRY(ipifc_nbr) link;		/* ifc->nbrs, in order of making */
	TAILQ_ENTRY(ipifc_nbr) slink;		/* ifc->strangers, while on it */
	int	stranger;		/* made by a stranger's message, never used */
	unsigned uses;			/* packets sent through it (saturates) */
	struct ipifc_ip ip;
	uint8_t	mac[6];
	enum ipifc_nbr_state state;
	int	published;
	int	proxyjoined;		/* published IPv6: its group is joined */
	int	router;			/* ND: the IsRouter flag */
	int	probes;			/* solicitations sent in this state */
	struct ipifc_ifc *ifc;
	uint64_t seq;			/* order of making in the stack */
	struct ipifc_dnode dl;		/* s->dnbr: its deadline (key), ms */
	uint64_t used;			/* ms, last use (eviction) */
	struct ipifc_pkt *queue[IPIFC_NBR_QLEN];	/* waiting for resolution */
	int	nqueue;
	size_t	qbytes;
};

TAILQ_HEAD(ipifc_nbrq, ipifc_nbr);

struct ipifc_ifc {
	struct ipifc_stack *stack;
	int	num;
	uint32_t gen;			/* changes on unbind (plan9 ifcid) */
	char	dev[IPIFC_DEVLEN];
	const struct ipifc_medium *m;
	void	*mctx;			/* the medium's state */
	unsigned flags;
	int	promisc, allmulti;	/* reference counts */
	int	nroutes;		/* stored routes through it */
	int	mintu, maxtu, mtu;
	uint8_t	mac[6];
	struct ipifc_counters cnt;
	uint64_t speed;			/* bits/s, 0: no shaping */
	int	delay;			/* ms */
	int	reflect, reassemble;
	int	dad;			/* DupAddrDetectTransmits */
	int	dadfresh;		/* no DAD probe sent since bind or up */
	int	nolinklocal;
	struct ipifc_ra6 ra6;
	struct ipifc_lifcq lifcs;
	int	nlifc;
	int	nlifc6;			/* of them, IPv6 */
	struct ipifc_groupq groups;	/* in order of joining */
	struct ipifc_group **ghash;	/* by address; NULL while empty */
	unsigned ghsize;		/* buckets, a power of 2 */
	int	ngroups;
	int	nlgroups;		/* groups listeners joined */
	struct ipifc_memberl members;	/* listeners' memberships here */
	struct ipifc_llgroup **llhash;	/* by MAC; NULL while empty */
	unsigned llhsize;
	int	nllgroups;
	void	*pstate;		/* the protocols' state of the interface */
	struct ipifc_nbrq nbrs;		/* in order of making (the arp file) */
	struct ipifc_nbrq strangers;	/* the first to go when full */
	struct ipifc_nbr **nbrhash;	/* by address; NULL while empty */
	unsigned nbrhsize;		/* buckets, a power of 2 */
	struct ipifc_nbr *nbrlast;	/* the last found: asked again next */
	int	nnbr;
	uint64_t drops_nbr;		/* neighbor table full */
	uint64_t drops_nbrq;		/* waiting queue full or unresolved */
	uint64_t drops_shaper;		/* over the burst */
	uint64_t drops_sendq;		/* send queue full */
	uint64_t load;			/* shaper: bytes * 8000 in the bucket */
	uint64_t lastsend;		/* shaper: ms */
	struct ipifc_pkt *sendq[IPIFC_SENDQ];	/* the backend was busy */
	int	sendqhead, nsendq;
	uint32_t reachable;		/* ms, RFC 4861 6.3.2 ReachableTime */
	uint32_t retrans;		/* ms, RetransTimer */
	int	hoplimit;		/* CurHopLimit */
	void	*linkstate;		/* the medium's own */
};

/* Is ifc up?  NULL (no interface: loopback, a local route) counts as up. */
static inline int
ipifc_ifc_up(const struct ipifc_ifc *ifc)
{
	return ifc == NULL || (ifc->flags & IPIFC_F_UP) != 0;
}

/* Tell the router side whether ifc advertises now (sendra and up). */
void	ipifc_ifc_rtadv(struct ipifc_ifc *ifc, int on);
void	ipifc_ifc_dropsendq(struct ipifc_ifc *ifc);
/*
 * Hand a frame to the backend through the shaper and the send queue
 * (core/link.c); counts pktout, drops and errors.
 */
void	ipifc_ifc_transmit(struct ipifc_ifc *ifc, const uint8_t *frame,
	    size_t len);
/* Set the shaper's speed (bits/s, 0: none); the load restarts at 0. */
void	ipifc_shaper_speed(struct ipifc_ifc *ifc, uint64_t speed);
/* 1: the shaper lets a frame of len bytes pass now; 0: dropped, counted. */
int	ipifc_shaper_admit(struct ipifc_ifc *ifc, size_t len);
/* The shaper's burst in bytes: max(delay*speed/8000, MTU). */
uint64_t ipifc_shaper_burst(const struct ipifc_ifc *ifc);
const char *ipifc_ifc_bind(struct ipifc_stack *s, const char *medium,
	    const char *dev, int *num);
void	ipifc_ifc_unbind(struct ipifc_ifc *ifc);
const char *ipifc_ifc_setup(struct ipifc_ifc *ifc, int up);
/* Announce ifc's flags (core/event.c). */
void	ipifc_ifc_flags_event(struct ipifc_ifc *ifc);
/* Flag names joined by ',' ("-" if none). */
char	*ipifc_flags_fmt(unsigned flags, char *buf, size_t len);
/* Lookups, as BSD if.c offers them. */
struct ipifc_ifc *ipifc_ifc_byname(struct ipifc_stack *s, const char *dev);
struct ipifc_lifc *ipifc_lifc_bylocal(struct ipifc_stack *s,
	    const struct ipifc_ip *a);
struct ipifc_lifc *ipifc_lifc_onifc(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
struct ipifc_lifc *ipifc_lifc_bydst(struct ipifc_stack *s,
	    const struct ipifc_ip *remote);
struct ipifc_lifc *ipifc_lifc_bynet(struct ipifc_stack *s,
	    const struct ipifc_ip *a);

/* ---- logical addresses (core/lifc.c) ---- */

enum ipifc_lifc_state {
	IPIFC_ADDR_TENTATIVE,
	IPIFC_ADDR_PREFERRED,
	IPIFC_ADDR_DEPRECATED,
	IPIFC_ADDR_DUPLICATE,
};

struct ipifc_selflink;

/*
 * At most: the connected and link multicast routes, and the host routes of
 * the unicast, broadcast and anycast self entries an address links (its
 * own, the subnet's two broadcasts and 255.255.255.255, or the subnet-router
 * anycast); memberships link multicast entries, which imply none.
 */
#define IPIFC_MAXIMPLIED	8

/* core/prefix.c: l's candidacy for one shared route key (in l, no malloc) */
struct ipifc_pcand {
	TAILQ_ENTRY(ipifc_pcand) link;	/* key->cands, by (interface, seq) */
	struct ipifc_pkey *key;		/* NULL: the slot is free */
	struct ipifc_lifc *l;
	unsigned type;
};

struct ipifc_lifc {
	TAILQ_ENTRY(ipifc_lifc) link;
	struct ipifc_ifc *ifc;
	struct ipifc_ip local;
	int	plen;			/* 16-byte bits */
	struct ipifc_ip net;		/* local & mask */
	struct ipifc_ip remote;		/* the peer (ptp) or net */
	int	ptp, proxy;
	int	onlink, autonomous, temporary;
	int	formed;			/* SLAAC: 'e' EUI-64, 's' stable; 0 */
	int	optimistic;		/* RFC 4429: usable while tentative */
	enum ipifc_lifc_state state;
	uint64_t origin;		/* ms, when lifetimes were last set */
	uint32_t validlt, preflt;	/* s, IPIFC_INFINITE */
	/* duplicate address detection's (core/dad.c) */
	uint64_t dad_deadline;		/* ms, while tentative: next probe */
	int	dad_sent;		/* DAD solicitations sent */
	uint8_t	dad_nonce[6];		/* RFC 7527: our probes carry it */
	int	conflict;		/* IPv4: RFC 5227 conflict seen */
	uint64_t defended;		/* ms, RFC 5227 2.4 last defence */
	int	acd;			/* IPv4: RFC 5227 probes/announcements left */
	uint64_t acd_deadline;		/* ms, the next one */
	struct ipifc_selflink *self;	/* self entries this address links */
	int	*proxyjoin;		/* ptp proxy: interfaces (by number)
					   that joined the peer's group */
	int	nproxyjoin, capproxyjoin;
	uint64_t seq;			/* order of addition (ties in handover) */
	struct ipifc_lifc *newnext;	/* on the stack's lifcnew while added */
	/* core/prefix.c: the keys l is a candidate for, while l is live */
	struct ipifc_pcand cands[IPIFC_MAXIMPLIED];
	int	ncands;			/* slots in use */
	int	plive, pdirty;		/* live; its implied set may have changed */
	TAILQ_ENTRY(ipifc_lifc) dirtylink;
	TAILQ_ENTRY(ipifc_lifc) proxylink;	/* on the stack's proxyq */
	int	proxylisted;
	/* core/route.c: the keys of the routes l owns */
	struct ipifc_rtkey *rtown;
	int	nrtown, caprtown;
	/* core/deadline.c: l's next deadline, in s->daddr */
	struct ipifc_dnode dl;
};

struct ipifc_addreq {
	struct ipifc_ip local;
	int	plen;
	struct ipifc_ip remote;
	int	hasremote;
	int	mtu;			/* 0: leave the interface's MTU */
	int	proxy;
	int	onlink, autonomous;
	uint32_t validlt, preflt;
	int	notentative;		/* link-local formed with dad 0 etc. */
	int	temporary;		/* RFC 8981 */
	int	formed;			/* SLAAC: 'e' EUI-64, 's' stable; 0 */
	int	optimistic;		/* RFC 4429 (made tentative only) */
};

const char *ipifc_lifc_add(struct ipifc_ifc *ifc, const struct ipifc_addreq *r);
const char *ipifc_lifc_check(struct ipifc_ifc *ifc,
	    const struct ipifc_addreq *r);
const char *ipifc_lifc_remove(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *local, int plen,
	    const struct ipifc_ip *remote, int hasremote);
void	ipifc_lifc_del(struct ipifc_lifc *l);
/* Address usable as a source (not tentative, unless optimistic, or
 * duplicate). */
int	ipifc_lifc_usable(const struct ipifc_lifc *l);
static inline int
ipifc_lifc_isv4(const struct ipifc_lifc *l)
{
	return ipifc_ip_isv4(&l->local);
}

/* The lifetimes of the addresses due (RFC 4862 5.5.4). */
void	ipifc_lifc_timers(struct ipifc_stack *s);
/* l's next lifetime deadline: valid end, or preferred end if sooner. */
uint64_t ipifc_lifc_deadline(const struct ipifc_lifc *l);
/* The one writer of l->state. */
void	ipifc_lifc_transition(struct ipifc_lifc *l, enum ipifc_lifc_state st);
/* When a lifetime set at l->origin ends (ms), UINT64_MAX if infinite. */
uint64_t ipifc_lifc_expiry(const struct ipifc_lifc *l, uint32_t lt);
/* iprouting on or off: the router's groups and anycast addresses. */
int	ipifc_lifc_iprouting(struct ipifc_stack *s, int on);
/* Form or remove the link-local address (RFC 4862 5.3). */
void	ipifc_lifc_linklocal(struct ipifc_ifc *ifc);
void	ipifc_lifc_unlinklocal(struct ipifc_ifc *ifc);
/* Seconds left of a lifetime at now, IPIFC_INFINITE stays. */
uint32_t ipifc_lifc_left(const struct ipifc_lifc *l, uint32_t lt);

/* ---- the IPv4 address rules (core/ip4addr.c) ---- */
/* The broadcast addresses l answers, into b (room for 3); how many. */
int	ipifc_ip4_bcasts(const struct ipifc_lifc *l, struct ipifc_ip *b);

/* ---- duplicate address detection (core/dad.c) ---- */

/* Does address a (point-to-point or not) of ifc run DAD (RFC 4862 5.4)? */
int	ipifc_dad_wanted(const struct ipifc_ifc *ifc, const struct ipifc_ip *a,
	    int ptp);
/* l took a new state: its DAD deadline (ipifc_lifc_transition asks). */
void	ipifc_dad_state(struct ipifc_lifc *l);
/* Make l tentative and start DAD (its first probe: ipifc_dad_now). */
void	ipifc_dad_start(struct ipifc_lifc *l);
/*
 * Up or down, for address l of its interface: 1 when l runs DAD again
 * (it is tentative; up: after ifc->dadfresh is set).
 */
int	ipifc_dad_restart(struct ipifc_lifc *l);
/*
 * 1 when a DAD probe for tentative l is due now: its nonce is chosen and
 * it counts as sent; the caller sends it.
 */
int	ipifc_dad_now(struct ipifc_lifc *l);
/* Start RFC 5227 probes and announcements for an IPv4 address. */
void	ipifc_acd_start(struct ipifc_lifc *l);
/* No more probes or announcements for l (ARP turned off, a conflict). */
void	ipifc_acd_stop(struct ipifc_lifc *l);

/*
 * What the timers of DAD and ACD decided, for the medium to send after
 * the call returns: a DAD solicitation for l, its nonce set (RFC 4862
 * 5.4.2); an ARP probe (RFC 5227 2.1.1); an announcement (2.3).
 */
enum ipifc_dad_what {
	IPIFC_DADDO_NS,
	IPIFC_DADDO_ARPPROBE,
	IPIFC_DADDO_ANNOUNCE,
};

struct ipifc_dad_act {
	enum ipifc_dad_what what;
	struct ipifc_lifc *l;
};

#define IPIFC_DAD_NACT	16

/* A bounded list, and where the timers' walk goes on. */
struct ipifc_dad_acts {
	struct ipifc_dad_act a[IPIFC_DAD_NACT];
	int	n;
	int	slot;			/* the interface walked next */
	uint64_t seq;			/* its first address not yet walked */
};

static inline void
ipifc_dad_acts_init(struct ipifc_dad_acts *t)
{
	t->n = 0;
	t->slot = 0;
	t->seq = 0;
}

/* What a received NS means: go on, drop it, or defend the target. */
enum ipifc_dad_verdict {
	IPIFC_DAD_PASS,
	IPIFC_DAD_DROP,
	IPIFC_DAD_DEFEND,
};
enum ipifc_dad_verdict ipifc_dad_ns(struct ipifc_lifc *l, int fromunspec,
	    const uint8_t *nonce, int anycast);
int	ipifc_dad_na(struct ipifc_lifc *l);
/*
 * An ARP packet: 1 when it conflicts with one of our IPv4 addresses and
 * goes no further; *defend then names the address to announce now
 * (RFC 5227 2.4 (b)), or NULL.
 */
int	ipifc_acd_input(struct ipifc_ifc *ifc, const struct ipifc_ip *spa,
	    const struct ipifc_ip *tpa, const uint8_t *sha,
	    struct ipifc_lifc **defend);
/*
 * The due steps of DAD and ACD, their messages appended to todo (start it
 * with ipifc_dad_acts_init).  1: the walk stopped, because the list is
 * full or because an address completes DAD next (what that sets off must
 * follow the messages decided before it): send them, then call again
 * with the same list.  0: done.
 */
int	ipifc_dad_timers(struct ipifc_stack *s, struct ipifc_dad_acts *todo);
/* ---- deadline indexes (core/deadline.c) ---- */

/* Room for one more node in x and in its due list; 0, or -1. */
int	ipifc_dindex_reserve(struct ipifc_dindex *x);
/* File d under key: new (room reserved), sooner or later. */
void	ipifc_dindex_file(struct ipifc_dindex *x, struct ipifc_dnode *d,
	    uint64_t key);
/* d goes: out of the index, and out of the due list of a pass (NULL). */
void	ipifc_dindex_unfile(struct ipifc_dindex *x, struct ipifc_dnode *d);
/*
 * The next pass takes the filed node d whatever its key: what it watches
 * may have changed (the walk it replaces looked at everything each
 * pass).  The earliest deadline does not count it.
 */
void	ipifc_dindex_mark(struct ipifc_dindex *x, struct ipifc_dnode *d);
/* The earliest deadline filed, UINT64_MAX if none. */
static inline uint64_t
ipifc_dindex_next(const struct ipifc_dindex *x)
{
	return x->n > 0 ? x->heap[0]->key : UINT64_MAX;
}
/*
 * The nodes due at now and those marked, sorted by order (the walk a
 * pass replaces):
 * x->due[0..n-1], n returned.  Read them from x->due as the pass goes
 * (a node filed meanwhile may move the list); one unfiled leaves NULL.
 * ipifc_dindex_done ends the pass.
 */
int	ipifc_dindex_due(struct ipifc_dindex *x, uint64_t now,
	    int (*order)(const void *, const void *));
void	ipifc_dindex_done(struct ipifc_dindex *x);
void	ipifc_dindex_free(struct ipifc_dindex *x);

/* The addresses' index, s->daddr. */

/* Room for one more address; 0, or -1 when out of memory. */
int	ipifc_deadline_reserve(struct ipifc_stack *s);
/*
 * l (on its interface) took a new lifetime, state, DAD or ACD deadline,
 * or its interface went up or down: file its next deadline again.
 */
void	ipifc_lifc_refile(struct ipifc_lifc *l);
/* l goes: out of the index, and out of the due list of a pass. */
void	ipifc_lifc_unfile(struct ipifc_lifc *l);
/*
 * The addresses whose deadline is at or before now, in the order of a
 * walk of every interface's list: ipifc_deadline_lifc(s, 0..n-1), n
 * returned, NULL for one removed since; ipifc_dindex_done(&s->daddr)
 * ends the pass.
 */
int	ipifc_deadline_due(struct ipifc_stack *s);
struct ipifc_lifc *ipifc_deadline_lifc(const struct ipifc_stack *s, int i);

/* ---- routes that addresses share (core/prefix.c) ---- */

/* An any-source route an address implies and may own. */
struct ipifc_implied {
	struct ipifc_ip dst;
	int	plen;
	unsigned type;
};


/* The shared routes l implies; returns the count. */
int	ipifc_lifc_implied(const struct ipifc_lifc *l,
	    struct ipifc_implied *out, int max);
/* Give the any-source route dst/plen to the right owner, or remove it. */
void	ipifc_prefix_reconcile(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    int plen);
/* The same for r[0..n), keys l implies (found among l's candidacies). */
void	ipifc_prefix_reconcile_of(struct ipifc_lifc *l,
	    const struct ipifc_implied *r, int n);
/* l goes: no more a candidate; then reconcile r[0..n), what it implied. */
void	ipifc_prefix_forget_of(struct ipifc_lifc *l,
	    const struct ipifc_implied *r, int n);
/* Reconcile every shared route the addresses of ifc imply (up/down). */
void	ipifc_prefix_reconcile_ifc(struct ipifc_ifc *ifc);
/* Add the routes limited to l as source (connected, link multicast);
 * from then on l is a candidate for the shared routes it implies. */
void	ipifc_prefix_add_own(struct ipifc_lifc *l);
/* l's implied set may have changed (its self links, its flags). */
void	ipifc_prefix_dirty(struct ipifc_lifc *l);
/* Count the addresses (not point-to-point) of each prefix of an interface. */
int	ipifc_prefix_netref(struct ipifc_ifc *ifc, const struct ipifc_ip *net,
	    int plen);
void	ipifc_prefix_netunref(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *net, int plen);
int	ipifc_prefix_netcount(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *net, int plen);
void	ipifc_prefix_free(struct ipifc_stack *s);

/* ---- the self table (core/self.c) ---- */

LIST_HEAD(ipifc_selflinks, ipifc_selflink);

struct ipifc_self {
	struct ipifc_ip a;
	unsigned type;			/* IPIFC_RT_UNI, _BCAST, _MULTI, _ANY */
	struct ipifc_selflinks links;	/* one per linked address */
	struct ipifc_selflink *nolink;	/* the one of no address, if any */
	int	nlinks;			/* links of an address */
	uint32_t nbit[16];		/* links with each bit of type */
};

struct ipifc_selflink {
	LIST_ENTRY(ipifc_selflink) selflink;	/* in self->links */
	struct ipifc_selflink *lifcnext;	/* in lifc->self */
	struct ipifc_selflink **lifcprev;	/* what points at it there */
	struct ipifc_self *self;
	struct ipifc_lifc *lifc;
	unsigned type;			/* what this address makes it */
	int	ref;
};

/*
 * The self type of a tentative or duplicate address: not ours (RFC 4862
 * 5.4, 5.4.5), so no unicast answer and no route, but what arrives for it
 * is dropped, not forwarded.  The files do not show it.
 */
#define IPIFC_SELF_TENTATIVE	(1u << 15)
#define IPIFC_SELF_SHOWN	(IPIFC_RT_UNI | IPIFC_RT_BCAST | IPIFC_RT_MULTI | \
				    IPIFC_RT_ANY)

/* Does an address of ifc link a with type (our anycast on that link)? */
int	ipifc_self_onifc(const struct ipifc_stack *s, const struct ipifc_ip *a,
	    const struct ipifc_ifc *ifc, unsigned type);

/* Is a the address of a tentative or duplicate address? */
int	ipifc_self_tentative(const struct ipifc_stack *s,
	    const struct ipifc_ip *a);
/* Give l's link to a the type (the address became usable or not). */
void	ipifc_self_retype(struct ipifc_stack *s, const struct ipifc_ip *a,
	    struct ipifc_lifc *l, unsigned type);
int	ipifc_self_add(struct ipifc_stack *s, const struct ipifc_ip *a,
	    unsigned type, struct ipifc_lifc *l);
void	ipifc_self_remove(struct ipifc_stack *s, const struct ipifc_ip *a,
	    struct ipifc_lifc *l);
void	ipifc_self_remove_all(struct ipifc_stack *s, struct ipifc_lifc *l);
/* Move one reference to a from from to l (either NULL: the interface
 * alone); 0, or -ENOMEM, never when from is going (see self.c). */
int	ipifc_self_move(struct ipifc_stack *s, const struct ipifc_ip *a,
	    unsigned type, struct ipifc_lifc *from, struct ipifc_lifc *l,
	    int going);
struct ipifc_self *ipifc_self_find(const struct ipifc_stack *s,
	    const struct ipifc_ip *a);
/*
 * Is a in the table?  Its entry's type (tentative included) in *type,
 * read from the table's slot, not from the entry.
 */
int	ipifc_self_lookup(const struct ipifc_stack *s,
	    const struct ipifc_ip *a, unsigned *type);
/* The same, 0 for no entry. */
unsigned ipifc_self_type(const struct ipifc_stack *s,
	    const struct ipifc_ip *a);
/* Call f on every entry; f changes nothing in the table. */
void	ipifc_self_foreach(struct ipifc_stack *s,
	    void (*f)(struct ipifc_self *, void *), void *arg);
void	ipifc_self_free(struct ipifc_stack *s);
/*
 * For tests: a's slot in its family's table (-1: none), and whether the
 * tables' slots, filters and entries agree (1) or not (0).
 */
long	ipifc_self_slot(const struct ipifc_stack *s, const struct ipifc_ip *a);
int	ipifc_self_consistent(const struct ipifc_stack *s);
/* For tests: the entries a family's table holds before it grows. */
unsigned ipifc_self_full(const struct ipifc_stack *s, int v6);

/* ---- routes (the table: core/lpm.c; operations: core/route.c) ---- */

/* A route's key in the table. */
struct ipifc_rtkey {
	struct ipifc_ip dst, src;
	int	plen, splen;
};
int	ipifc_rtkey_cmp(const struct ipifc_rtkey *a, const struct ipifc_rtkey *b);

/* What a lookup reads first (ifc, type, gate) comes first: one cache line. */
struct ipifc_route {
	struct ipifc_ifc *ifc;		/* NULL: none */
	unsigned type;			/* IPIFC_RT_* */
	int	plen, splen;		/* 16-byte bits */
	struct ipifc_ip gate, dst, src;
	struct ipifc_lifc *owner;	/* the address that implied it (tag ifc) */
	char	tag[IPIFC_TAGLEN];
};

/*
 * A next hop: what forwarding needs of a route.  Routes with the same
 * interface, gateway and type share one; id numbers them densely from 1
 * within their table, as long as a route goes through them.
 */
struct ipifc_nexthop {
	struct ipifc_ifc *ifc;		/* NULL: none */
	unsigned type;			/* the routes' IPIFC_RT_* */
	uint32_t id;
	struct ipifc_ip gate;		/* unspecified: on link */
};

struct ipifc_rtab;

struct ipifc_rtab *ipifc_rtab_new(void);
void	ipifc_rtab_free(struct ipifc_rtab *t);
/* Add; -EEXIST if (dst,plen,src,splen) exists, -ENOSPC when full. */
int	ipifc_rtab_add(struct ipifc_rtab *t, const struct ipifc_route *r);
/* Exact key; NULL if absent. */
struct ipifc_route *ipifc_rtab_get(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, int plen,
	    const struct ipifc_ip *src, int splen);
int	ipifc_rtab_del(struct ipifc_rtab *t, const struct ipifc_ip *dst,
	    int plen, const struct ipifc_ip *src, int splen);
/*
 * Longest match on dst, then on src among routes of that dst length; a
 * NULL src matches only any-source routes (splen 0).  Routes whose
 * interface is down are skipped.
 */
struct ipifc_route *ipifc_rtab_lookup(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, const struct ipifc_ip *src);
/* Visit every route in display order (dst, plen, src, splen); the
 * callback may not modify the table. */
void	ipifc_rtab_walk(struct ipifc_rtab *t,
	    void (*fn)(void *arg, struct ipifc_route *r), void *arg);
int	ipifc_rtab_count(const struct ipifc_rtab *t);
/* The bound on routes (IPIFC_MAXROUTES by default). */
void	ipifc_rtab_setmax(struct ipifc_rtab *t, int max);
/* Bytes the table holds; *fib gets those of the lookup trie alone. */
size_t	ipifc_rtab_memory(const struct ipifc_rtab *t, size_t *fib);
/* As lookup, with only routes through an interface with a type in need
 * (0: any), and a NULL src ignoring the source. */
struct ipifc_route *ipifc_rtab_match(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, const struct ipifc_ip *src,
	    unsigned need);
/* Any-source lookups of n destinations at once (out[i] NULL: none). */
void	ipifc_rtab_lookup_burst(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, int n, struct ipifc_route **out);
/*
 * The next hop of the route ipifc_rtab_lookup gives (NULL: none), most
 * often without reading the route; valid until the table changes.
 */
const struct ipifc_nexthop *ipifc_rtab_nexthop(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, const struct ipifc_ip *src);
/* Any-source next hops of n destinations at once (out[i] NULL: none). */
void	ipifc_rtab_nexthop_burst(struct ipifc_rtab *t,
	    const struct ipifc_ip *dst, int n,
	    const struct ipifc_nexthop **out);
/* The routes match accepts (NULL: all) in display order, in an array to
 * free; NULL: no memory. */
struct ipifc_route **ipifc_rtab_select(struct ipifc_rtab *t,
	    int (*match)(const struct ipifc_route *, const void *),
	    const void *arg, int *n);

/* Stack-level route operations that announce events (core/route.c too). */
int	ipifc_route_add(struct ipifc_stack *s, const struct ipifc_route *r);
int	ipifc_route_del(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    int plen, const struct ipifc_ip *src, int splen);
/* Remove r, a route as stored in the table, and announce it. */
void	ipifc_route_delete(struct ipifc_stack *s, struct ipifc_route *r);
void	ipifc_route_del_ifc(struct ipifc_stack *s, struct ipifc_ifc *ifc);
void	ipifc_route_del_owner(struct ipifc_stack *s, struct ipifc_lifc *l);
/* Hand the stored route r to owner l; -ENOMEM leaves it as it was. */
int	ipifc_route_setowner(struct ipifc_route *r, struct ipifc_lifc *l);
const char *ipifc_route_ctl(struct ipifc_stack *s, struct ipifc_client *c,
	    int argc, char **argv);
void	ipifc_route_fmt(struct ipifc_stack *s, struct ipifc_buf *b);

/* ---- multicast (core/multi.c) ---- */

/* Interface group list, reference counted; tells the medium on 0<->1. */
struct ipifc_group *ipifc_group_find(const struct ipifc_ifc *ifc,
	    const struct ipifc_ip *g);
/* Has ifc joined the link-layer group mac, and how many IP groups map to it? */
int	ipifc_llgroup_has(const struct ipifc_ifc *ifc, const uint8_t *mac);
int	ipifc_llgroup_refs(const struct ipifc_ifc *ifc, const uint8_t *mac);
int	ipifc_group_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
void	ipifc_group_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g);
const char *ipifc_multi_join(struct ipifc_ifc *ifc, struct ipifc_client *c,
	    const struct ipifc_ip *g, const struct ipifc_ip *ifcaddr);
const char *ipifc_multi_leave(struct ipifc_ifc *ifc, struct ipifc_client *c,
	    const struct ipifc_ip *g, const struct ipifc_ip *ifcaddr);
/* The address a membership hangs on goes: it moves, or hangs on the interface. */
void	ipifc_multi_lifc_gone(struct ipifc_stack *s, struct ipifc_lifc *l);
/* A new address takes the memberships of its family that hang on none:
 * all, or none and -ENOMEM. */
int	ipifc_multi_lifc_new(struct ipifc_stack *s, struct ipifc_lifc *l);
/* Drop every membership on the interface (it is going away). */
void	ipifc_multi_ifc_gone(struct ipifc_stack *s, struct ipifc_ifc *ifc);
void	ipifc_multi_client_gone(struct ipifc_stack *s, struct ipifc_client *c);

/*
 * A listener's membership: the interface's and the client's, no address's.
 * Found by client, interface and group in s->mhash, by where it hangs
 * (interface and address) in s->mahash; listed newest first on its
 * interface and its client.
 */
struct ipifc_member {
	struct ipifc_member *hnext;	/* s->mhash chain */
	struct ipifc_member *anext;	/* s->mahash chain */
	LIST_ENTRY(ipifc_member) ilink;	/* ifc->members */
	LIST_ENTRY(ipifc_member) clink;	/* client->members */
	struct ipifc_client *client;
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *lifc;	/* its self entry's link, NULL: none */
	struct ipifc_ip ifcaddr;	/* that address (leavemulti names it) */
	struct ipifc_ip group;
	int	refs;
};

/* ---- neighbors (core/arptable.c) ---- */

const char *ipifc_nbr_ctl(struct ipifc_stack *s, int argc, char **argv);
void	ipifc_nbr_flush_prefix(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *prefix, int plen);
void	ipifc_nbr_fmt(struct ipifc_stack *s, struct ipifc_buf *b);
/* Do we answer ARP/ND for ip on ifc as a proxy (a ptp peer with proxy)? */
int	ipifc_nbr_proxy(struct ipifc_ifc *ifc, const struct ipifc_ip *ip);
/*
 * Proxy ND (plan9's proxy registration): the interface that answers for a
 * proxied IPv6 address joins its solicited-node group while it does.
 * sync follows the point-to-point proxies after an address change; drop
 * leaves what l joined; unpublish what a published entry joined.
 */
void	ipifc_nbr_proxy_sync(struct ipifc_stack *s, struct ipifc_lifc *changed);
void	ipifc_nbr_proxy_drop(struct ipifc_lifc *l);
void	ipifc_nbr_unpublish(struct ipifc_ifc *ifc, struct ipifc_nbr *n);
const uint8_t *ipifc_nbr_answer_mac(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
const struct ipifc_nbr *ipifc_nbr_find(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
/*
 * The neighbor state machine (RFC 4861 7.3, used for ARP too) decides;
 * the medium carries out what it decided after the call returns
 * (smoltcp's neighbor::Answer).  An action's packet is the caller's to
 * free once carried out.
 */
enum ipifc_nbr_what {
	IPIFC_NBRDO_SEND,	/* pkt waited for ip: send it to mac */
	IPIFC_NBRDO_SOLICIT,	/* ask who has ip, from src: to mac if
				 * unicast (a probe), else to all */
	IPIFC_NBRDO_UNREACH,	/* pkt waited for ip in vain (RFC 4861
				 * 7.2.2): report it; counted dropped */
};

struct ipifc_nbr_act {
	enum ipifc_nbr_what what;
	struct ipifc_ifc *ifc;
	struct ipifc_ip ip;		/* the neighbor */
	struct ipifc_ip src;		/* SOLICIT */
	uint8_t	mac[6];			/* SEND; SOLICIT if unicast */
	int	unicast;		/* SOLICIT */
	struct ipifc_pkt *pkt;		/* SEND, UNREACH; else NULL */
};

/*
 * A bounded list with room for one neighbor's whole queue: learning
 * starts it empty and so never fills it; the timers stop before a step
 * that might not fit and say so (nothing is lost: the entry is still due).
 */
#define IPIFC_NBR_NACT	IPIFC_NBR_QLEN

struct ipifc_nbr_acts {
	struct ipifc_nbr_act a[IPIFC_NBR_NACT];
	int	n;
	int	slot;			/* timers: the interface walked next */
};

static inline void
ipifc_nbr_acts_init(struct ipifc_nbr_acts *t)
{
	t->n = 0;
	t->slot = 0;
}

/* Resolution's answer for one packet. */
enum ipifc_nbr_answer {
	IPIFC_NBR_FOUND,	/* mac filled in: send it now */
	IPIFC_NBR_SOLICIT,	/* it waits (or was dropped, counted): send
				 * the solicitation filled in */
	IPIFC_NBR_QUEUED,	/* it waits for an answer asked for before */
	IPIFC_NBR_DROPPED,	/* no room for it or its entry: counted */
};

struct ipifc_nbr *ipifc_nbr_lookup(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
struct ipifc_nbr *ipifc_nbr_create(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
/* The one writer of n->state; leaving incomplete, the packets that
 * waited go into todo (NULL: the caller knows there are none). */
void	ipifc_nbr_transition(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
	    enum ipifc_nbr_state state, struct ipifc_nbr_acts *todo);
/* Output wants ip's link-layer address for the packet pkt. */
enum ipifc_nbr_answer ipifc_nbr_resolve(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip, const uint8_t *pkt, size_t len,
	    uint8_t mac[6], struct ipifc_nbr_act *ask);
/* Learned mac for ip; state: the new state if the entry changes. */
void	ipifc_nbr_learn(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
	    const uint8_t *mac, enum ipifc_nbr_state state, int create,
	    struct ipifc_nbr_acts *todo);
/* A neighbor advertisement for target (RFC 4861 7.2.5); tlla may be NULL. */
void	ipifc_nbr_advert(struct ipifc_ifc *ifc, const struct ipifc_ip *target,
	    const uint8_t *tlla, int router, int solicited, int override,
	    struct ipifc_nbr_acts *todo);
/*
 * The due entries' steps, appended to todo (start it with
 * ipifc_nbr_acts_init).  1: the walk stopped, because the next step might
 * not fit or because an entry went (its packets' reports may change the
 * table): carry out the list, then call again with it.  0: done.
 */
int	ipifc_nbr_timers(struct ipifc_stack *s, struct ipifc_nbr_acts *todo);
uint64_t ipifc_nbr_deadline(const struct ipifc_stack *s);
/* The address of ifc that asks about ip, NULL: none (RFC 4861 7.2.2). */
const struct ipifc_lifc *ipifc_nbr_source(struct ipifc_ifc *ifc,
	    const struct ipifc_ip *ip);
void	ipifc_nbr_clear(struct ipifc_ifc *ifc);
/* Free what an entry holds (its waiting packets). */
void	ipifc_nbr_release(struct ipifc_ifc *ifc, struct ipifc_nbr *n);
/* Drop every packet waiting for resolution (down). */
void	ipifc_nbr_dropqueues(struct ipifc_ifc *ifc);
void	ipifc_nbr_delete(struct ipifc_ifc *ifc, struct ipifc_nbr *n);
const char *ipifc_nbr_statename(enum ipifc_nbr_state st);

/* ---- source selection (core/srcsel.c) ---- */

struct ipifc_policy {
	struct ipifc_ip prefix;
	int	plen;
	int	precedence, label;
};

void	ipifc_policy_default(struct ipifc_stack *s);
const char *ipifc_policy_ctl(struct ipifc_stack *s, int argc, char **argv);
void	ipifc_policy_fmt(struct ipifc_stack *s, struct ipifc_buf *b);
struct ipifc_lifc *ipifc_srcsel(struct ipifc_stack *s,
	    const struct ipifc_ip *dst, struct ipifc_ifc *oif);

/* ---- an extension above the protocols (core/stack.c) ---- */

/*
 * What a layer above the stack (such as slaac/host.c) hangs on it.  The
 * core and the protocols call it without knowing what it is; a stack
 * without one works as before.  Every member may be NULL.
 */
struct ipifc_ext {
	/* A router advertisement that passed RFC 4861 6.1.2 on ifc. */
	void	(*ra)(void *arg, struct ipifc_ifc *ifc,
		    const struct ipifc_ip *src, const struct ipifc_ip *dst,
		    uint8_t hlim, const uint8_t *icmp, size_t len);
	/* An interface ctl message the core does not know: NULL when
	 * done, ipifc_ext_notmine, or a one-line error. */
	const char *(*ctl)(void *arg, struct ipifc_ifc *ifc, int argc,
		    char **argv);
	/* An ra6 key the core does not know: checked (apply 0), then
	 * set (apply 1) once every key passed.  NULL or an error. */
	const char *(*ra6)(void *arg, struct ipifc_ifc *ifc, const char *key,
		    const char *val, int apply);
	/* May replace the interface identifier (the low 64 bits) of the
	 * link-local address a, which holds the EUI-64 one. */
	void	(*linklocal)(void *arg, const struct ipifc_ifc *ifc,
		    struct ipifc_ip *a);
	/* ra6 recvra changed. */
	void	(*recvra)(void *arg, struct ipifc_ifc *ifc, int on);
	/* The file ipifc/N/NAME: 0 when written into b, else -ENOENT. */
	int	(*read)(void *arg, struct ipifc_ifc *ifc, const char *name,
		    struct ipifc_buf *b);
	void	(*timers)(void *arg, uint64_t now);
	uint64_t (*deadline)(void *arg);
	void	(*free)(void *arg);
};

extern const char ipifc_ext_notmine[];
/* Hang x on s (one at most): 0 or -EBUSY. */
int	ipifc_ext_set(struct ipifc_stack *s, const struct ipifc_ext *x,
	    void *arg);

/* ---- the stack (core/stack.c) ---- */

struct ipifc_sub {
	ipifc_event_fn *fn;
	void	*arg;
};

struct ipifc_client {
	struct ipifc_stack *stack;
	LIST_ENTRY(ipifc_client) link;
	struct ipifc_memberl members;	/* its memberships */
	char	tag[IPIFC_TAGLEN];
};

/*
 * One family's table of the self table (core/self.c): buckets of one
 * cache line, each holding its keys (IPv4 10 of 4 bytes, IPv6 3 of 16)
 * and their types side by side, so a hit reads one line; the entries in
 * an array beside them, by slot (bucket times keys a bucket, plus the
 * key's place in it), read only by what changes the table.
 */
#define IPIFC_SELF4_KEYS	10
#define IPIFC_SELF6_KEYS	3

struct ipifc_selfbkt4 {
	uint32_t key[IPIFC_SELF4_KEYS];	/* ipifc_ip_v4val, 0: free */
	uint16_t type[IPIFC_SELF4_KEYS];
	uint16_t over;		/* keys of this home stored further on */
	uint16_t pad;
};

struct ipifc_selfbkt6 {
	uint8_t	key[IPIFC_SELF6_KEYS][16];	/* all zero: free */
	uint16_t type[IPIFC_SELF6_KEYS];
	uint16_t over;
	uint8_t	pad[8];
};

struct ipifc_selftab {
	/* what a lookup reads: the first 64 bytes */
	void	*bkt;			/* the buckets, NULL while empty */
	uint64_t *filter;		/* after the buckets, in their memory */
	unsigned fmask;			/* the filter's words, less one */
	unsigned nb;			/* buckets */
	uint64_t mk[5];			/* the keyed hash's key (core/self.c) */
	/* what changes read */
	struct ipifc_self **ent;	/* each slot's entry, NULL: free */
	size_t	maplen;			/* the buckets' mapping, 0: from malloc */
	unsigned size;			/* slots: nb times the keys a bucket */
	unsigned stale;			/* removals the filter still shows */
	unsigned n;			/* entries */
	int	v6;			/* the IPv6 table */
	long	zslot;			/* 0.0.0.0's or ::'s slot, -1: none */
	/*
	 * To 128 bytes: at 112 the echo bench's IPv4 64-byte echoes were
	 * a tenth slower (at 120, 128 and 136 not), so some field after
	 * the tables seems to sit badly then; which one was not found.
	 */
	uint64_t pad[3];
};

struct ipifc_stack {
	const struct ipifc_medium *const *mediums;	/* NULL-terminated */
	const struct ipifc_hooks *hooks;
	void	*proto;			/* the protocols' own state */
	struct ipifc_link_ops link;
	void	*linkarg;
	ipifc_deliver_fn *deliver;
	void	*deliverarg;
	uint32_t id;
	uint64_t now;
	uint32_t (*random)(void *arg);
	void	*random_arg;
	uint32_t rngstate;
	uint64_t hashkey[2];		/* ipifc_ip_hash's, from the config */
	/*
	 * Moves on with every route added or removed and every interface
	 * up or down: what a route lookup answers cannot change without
	 * it, so a kept answer made under the same value is still the one.
	 */
	uint64_t rtgen;
	/* interfaces by number, NULL: free; the slots grow as numbers are
	 * used, and keep each number's generation */
	struct ipifc_ifc **ifc;
	uint32_t *slotgen;
	int	nslot;
	int	nifc;			/* interfaces bound */
	int	maxifc, maxlifc, maxgroups;	/* the bounds (tunables.h) */
	/* core/self.c: a table per family, and the last address found */
	struct ipifc_selftab self4, self6;
	struct ipifc_ip selflast;
	unsigned selflasttype;
	int	selflastok;		/* 0: selflast is no answer */
	unsigned nself;			/* entries */
	int	selfall;		/* 0.0.0.0 or :: is a unicast self */
	struct ipifc_rtab *rtab;
	/* core/multi.c: memberships by key and by where they hang; both
	 * tables grow and shrink with nmembers, NULL while it is 0 */
	struct ipifc_member **mhash, **mahash;
	unsigned mhsize;
	int	nmembers, maxmembers;
	struct ipifc_policy policy[IPIFC_MAXPOLICY];
	int	npolicy;
	int	iprouting;
	int	prefer_temporary;	/* RFC 6724 rule 7 */
	struct ipifc_sub subs[IPIFC_MAXSUBS];
	int	nsubs;
	uint64_t lifcseq;
	/* core/lifc.c: addresses on their interface, no self link yet */
	struct ipifc_lifc *lifcnew;
	/* core/deadline.c: addresses, and neighbors (core/nud.c), by next
	 * deadline */
	struct ipifc_dindex daddr, dnbr;
	uint64_t nbrseq;		/* neighbor entries made */
	struct ipifc_pkslot *pkhash;	/* core/prefix.c: candidates by key */
	unsigned pkhsize, npkey;
	struct ipifc_pnet **pnhash;	/* and addresses by interface prefix */
	unsigned pnhsize, npnet;
	struct ipifc_lifcq pdirty;	/* addresses to sync before a reconcile */
	/* core/arptable.c: ptp proxy addresses, and those with groups to leave */
	struct ipifc_lifcq proxyq;
	uint64_t drops_route;		/* implied routes the full table refused */
	const struct ipifc_ext *ext;	/* NULL: none */
	void	*extarg;
	LIST_HEAD(, ipifc_client) clients;
	char	err[256];		/* the last error message */
};

/* A random number from the stack's source (the config's, or xorshift32). */
static inline uint32_t
ipifc_random(struct ipifc_stack *s)
{
	return s->random(s->random_arg);
}

/* Interface num, NULL if none. */
static inline struct ipifc_ifc *
ipifc_ifc_bynum(const struct ipifc_stack *s, int num)
{
	if (num < 0 || num >= s->nslot)
		return NULL;
	return s->ifc[num];
}

/*
 * The bound interface at the first slot from *slot on, and *slot past it;
 * NULL after the last.  Through IPIFC_FOREACH_IFC, the one walk over all
 * interfaces.
 */
static inline struct ipifc_ifc *
ipifc_ifc_next(const struct ipifc_stack *s, int *slot)
{
	while (*slot < s->nslot)
		if (s->ifc[(*slot)++] != NULL)
			return s->ifc[*slot - 1];
	return NULL;
}

/*
 * For each bound interface of s, by number: the body sees it in ifc.  The
 * walk holds a slot number, not ifc, so the body may unbind ifc; break
 * and continue work as in any loop.
 */
#define IPIFC_FOREACH_IFC(ifc, s)					\
	for (int ifc##_slot = 0;					\
	    ((ifc) = ipifc_ifc_next((s), &ifc##_slot)) != NULL;)

struct ipifc_stack *ipifc_core_new(const struct ipifc_stack_config *cfg,
	    const struct ipifc_medium *const *mediums,
	    const struct ipifc_hooks *hooks);
/* Events to the subscribers (core/event.c). */
void	ipifc_announce(struct ipifc_stack *s, const struct ipifc_event *ev);
void	ipifc_announce_addr(struct ipifc_lifc *l, enum ipifc_event_type t);
void	ipifc_announce_ifc(struct ipifc_ifc *ifc, enum ipifc_event_type t);
/* printf into s->err and return it, for ctl errors naming an argument
 * (core/buf.c). */
const char *ipifc_errf(struct ipifc_stack *s, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* ---- the ctl language (core/ctl.c) and files (core/namespace.c) ---- */

const char *ipifc_ifc_ctl(struct ipifc_ifc *ifc, struct ipifc_client *c,
	    int argc, char **argv);
/* Parse "1"/"0" or bare (1); "on"/"off" too.  -1 on error. */
int	ipifc_parse_bool(int argc, char **argv, int i);

#endif
