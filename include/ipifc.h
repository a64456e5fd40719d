/*
 * ipifc: a userspace IP interface layer.
 *
 * The public C API.  Every address is 16 bytes; IPv4 addresses are held
 * v4-mapped (::ffff:a.b.c.d).  Prefix lengths inside the library count bits
 * of the 16-byte form (a v4 /24 is 120); the text forms count bits of the
 * address's own family.  Time is passed in, in milliseconds of a monotonic
 * clock; the library never reads a clock and does no I/O.
 */
#ifndef IPIFC_H
#define IPIFC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- addresses (core/ipaddr.c) ---- */

struct ipifc_ip {
	uint8_t	a[16];
};

#define IPIFC_IPSTRLEN	46	/* longest RFC 5952 text plus NUL */
#define IPIFC_MACSTRLEN	18

/* Multicast scopes, RFC 4291 2.7 (also used for unicast, RFC 6724 3.1). */
enum {
	IPIFC_SCOPE_IFACE = 0x1,
	IPIFC_SCOPE_LINK = 0x2,
	IPIFC_SCOPE_ADMIN = 0x4,
	IPIFC_SCOPE_SITE = 0x5,
	IPIFC_SCOPE_ORG = 0x8,
	IPIFC_SCOPE_GLOBAL = 0xe,
};

extern const struct ipifc_ip ipifc_ip_unspec6;	/* :: */
extern const struct ipifc_ip ipifc_ip_unspec4;	/* 0.0.0.0 */
extern const struct ipifc_ip ipifc_ip_bcast4;	/* 255.255.255.255 */
extern const struct ipifc_ip ipifc_ip_allsys4;	/* 224.0.0.1 */
extern const struct ipifc_ip ipifc_ip_allnodes;	/* ff02::1 */
extern const struct ipifc_ip ipifc_ip_allnodes_node;	/* ff01::1 */
extern const struct ipifc_ip ipifc_ip_allrouters;	/* ff02::2 */
extern const struct ipifc_ip ipifc_ip_loopback6;	/* ::1 */

/* Parse dotted quad (held v4-mapped) or IPv6 text. 0 or -EINVAL. */
int	ipifc_ip_parse(const char *s, struct ipifc_ip *ip);
/* Dotted quad for v4-mapped, RFC 5952 otherwise; returns buf. */
char	*ipifc_ip_fmt(const struct ipifc_ip *ip, char *buf, size_t len);
/*
 * Parse a mask for an address of family v4 (1) or v6 (0): "/LEN" in the
 * family's own bits, or a dotted (v4) / colon (v6) contiguous mask.
 * Stores the length in 16-byte bits (v4 /24 -> 120). 0 or -EINVAL.
 */
int	ipifc_mask_parse(const char *s, int v4, int *plen);
/* "/LEN" in the address's own family. */
char	*ipifc_mask_fmt(const struct ipifc_ip *ip, int plen, char *buf,
	    size_t len);
void	ipifc_ip_v4(struct ipifc_ip *ip, uint32_t hostorder);
uint32_t ipifc_ip_v4val(const struct ipifc_ip *ip);
int	ipifc_ip_isv4(const struct ipifc_ip *ip);	/* v4-mapped */
int	ipifc_ip_eq(const struct ipifc_ip *a, const struct ipifc_ip *b);
int	ipifc_ip_cmp(const struct ipifc_ip *a, const struct ipifc_ip *b);
/* Keep the first plen bits (16-byte bits), zero the rest. */
void	ipifc_ip_mask(struct ipifc_ip *out, const struct ipifc_ip *in,
	    int plen);
/* Set the bits after plen to one (the all-ones host part). */
void	ipifc_ip_hostones(struct ipifc_ip *out, const struct ipifc_ip *in,
	    int plen);
/* Common prefix length in 16-byte bits (0..128). */
int	ipifc_ip_cpl(const struct ipifc_ip *a, const struct ipifc_ip *b);
/* Is a inside prefix/plen? */
int	ipifc_ip_inprefix(const struct ipifc_ip *a,
	    const struct ipifc_ip *prefix, int plen);
int	ipifc_ip_isunspec(const struct ipifc_ip *ip);	/* :: or 0.0.0.0 */
int	ipifc_ip_isloopback(const struct ipifc_ip *ip);	/* ::1 or 127/8 */
int	ipifc_ip_islinklocal(const struct ipifc_ip *ip);	/* fe80::/10, 169.254/16 */
int	ipifc_ip_ismulti(const struct ipifc_ip *ip);	/* ff00::/8, 224/4 */
int	ipifc_ip_isbcast(const struct ipifc_ip *ip);	/* 255.255.255.255 */
int	ipifc_ip_isula(const struct ipifc_ip *ip);	/* fc00::/7 */
/* Scope per RFC 6724 3.1 (multicast: its scope field). */
int	ipifc_ip_scope(const struct ipifc_ip *ip);
/* Classful default prefix length (16-byte bits) for a v4 address; -1 for class D/E. */
int	ipifc_ip_classplen(const struct ipifc_ip *ip);
/* Solicited-node: ff02::1:ff00:0/104 + the low 24 bits, RFC 4291 2.7.1. */
void	ipifc_ip_solicited(struct ipifc_ip *out, const struct ipifc_ip *ip);
/* Modified EUI-64 interface identifier, RFC 4291 appendix A. */
void	ipifc_eui64(uint8_t iid[8], const uint8_t mac[6]);
/* Link-layer group of an IP group: 01:00:5e (RFC 1112 6.4), 33:33 (RFC 2464 7). */
void	ipifc_ip_multimac(uint8_t mac[6], const struct ipifc_ip *group);
int	ipifc_mac_parse(const char *s, uint8_t mac[6]);
char	*ipifc_mac_fmt(const uint8_t mac[6], char *buf, size_t len);

/* ---- the stack ---- */

struct ipifc_stack;
struct ipifc_ifc;
struct ipifc_client;

/* Events, announced like the BSD routing socket. */
enum ipifc_event_type {
	IPIFC_EV_IFC_ATTACH,
	IPIFC_EV_IFC_DETACH,
	IPIFC_EV_IFC_UP,
	IPIFC_EV_IFC_DOWN,
	IPIFC_EV_IFC_FLAGS,
	IPIFC_EV_IFC_MTU,
	IPIFC_EV_IFC_LLADDR,
	IPIFC_EV_ADDR_NEW,
	IPIFC_EV_ADDR_DEL,
	IPIFC_EV_ADDR_READY,		/* tentative -> preferred */
	IPIFC_EV_ADDR_DEPRECATED,
	IPIFC_EV_ADDR_DUPLICATE,
	IPIFC_EV_ADDR_CONFLICT,		/* IPv4: RFC 5227 conflict */
	IPIFC_EV_GROUP_JOIN,
	IPIFC_EV_GROUP_LEAVE,
	IPIFC_EV_ROUTE_ADD,
	IPIFC_EV_ROUTE_DEL,
	/* host mode learned or forgot something the ra file shows: tag says
	 * what (dns, domain, pref64, captive, params), addr which */
	IPIFC_EV_RA,
};

struct ipifc_event {
	enum ipifc_event_type type;
	int	ifc;			/* interface number, -1 if none */
	struct ipifc_ip addr;		/* address, group or route destination */
	int	plen;			/* 16-byte bits */
	struct ipifc_ip src;		/* route source */
	int	splen;
	struct ipifc_ip gate;		/* route gateway (unspec: direct) */
	unsigned flags;			/* interface flags or route type */
	int	mtu;
	uint8_t	mac[6];			/* interface link-layer address */
	char	tag[16];		/* route tag */
};

typedef void ipifc_event_fn(void *arg, const struct ipifc_event *ev);

/* Route and self-table type letters: family, then i u b m p y. */
char	*ipifc_type_fmt(unsigned type, char *buf, size_t len);

/* Format an event as one line (no newline). */
char	*ipifc_event_fmt(const struct ipifc_event *ev, char *buf, size_t len);

struct ipifc_stack_config {
	uint32_t id;		/* distinguishes stacks: deterministic MACs */
	uint64_t now;		/* the clock at creation, ms */
	/* random source; NULL: a fixed xorshift seeded by id */
	uint32_t (*random)(void *arg);
	void	*random_arg;
	/*
	 * The secret key of the hashes of tables that strangers' addresses
	 * fill (self, neighbors, ICMP rate limits): draw it from a strong
	 * random source (getrandom) for a stack that meets a network; a
	 * fixed one gives the same table layout every run.
	 */
	uint8_t	 hashseed[16];
	/* bounds; 0: the defaults (IPIFC_MAXIFC, IPIFC_MAXLIFC,
	 * IPIFC_MAXGROUPS, IPIFC_MAXMEMBERS) */
	int	maxifc;		/* interfaces */
	int	maxlifc;	/* addresses per interface */
	int	maxgroups;	/* groups listeners join per interface */
	int	maxmembers;	/* listener memberships per stack */
};

struct ipifc_stack *ipifc_stack_new(const struct ipifc_stack_config *cfg);
void	ipifc_stack_free(struct ipifc_stack *s);
/* Run the clock forward to now (ms): lifetimes, DAD timers. */
void	ipifc_advance(struct ipifc_stack *s, uint64_t now);
/* The earliest pending deadline, or UINT64_MAX if none. */
uint64_t ipifc_next_deadline(const struct ipifc_stack *s);
uint64_t ipifc_now(const struct ipifc_stack *s);

int	ipifc_subscribe(struct ipifc_stack *s, ipifc_event_fn *fn, void *arg);
void	ipifc_unsubscribe(struct ipifc_stack *s, ipifc_event_fn *fn,
	    void *arg);

/*
 * Clients: the listeners that own multicast memberships and the route tag
 * of routes they add.  Freeing a client leaves its groups.
 */
struct ipifc_client *ipifc_client_new(struct ipifc_stack *s);
void	ipifc_client_free(struct ipifc_client *c);

/*
 * The namespace.  ipifc_write applies one ctl line to PATH; it returns
 * NULL on success or a one-line error (valid until the next call on the
 * stack).  reply (may be NULL) receives a short answer, such as the number
 * of the interface a write to ipifc/clone made.  ipifc_read returns the
 * file's text in a malloc'd string (free it), or NULL with *err set.
 */
const char *ipifc_write(struct ipifc_stack *s, struct ipifc_client *c,
	    const char *path, const char *text, char *reply, size_t replylen);
char	*ipifc_read(struct ipifc_stack *s, const char *path, const char **err);

/* ---- links: the caller moves the frames (DESIGN "Mediums") ---- */

/*
 * The backend behind an interface's DEV ("sim:SEG", "tap:NAME",
 * "packet:IFNAME", "tun:NAME").  open may fill mac (six bytes, ether) with
 * the device's address (mac is NULL on a medium without a link layer);
 * it returns 0 or a negative errno, and then the bind fails with that
 * error.  send transmits one frame: an Ethernet frame
 * on ether, a raw IP packet on pkt; it returns 0, or -EAGAIN when the
 * backend is busy: the stack keeps the frame in a bounded queue and sends
 * it when told ipifc_link_writable.  Any other error counts in errout.
 * Without link operations interfaces bind without a backend and frames
 * are dropped (counted in errout).
 */
struct ipifc_link_ops {
	int	(*open)(void *arg, int ifc, const char *dev, uint8_t mac[6]);
	void	(*close)(void *arg, int ifc);
	int	(*send)(void *arg, int ifc, const uint8_t *frame, size_t len);
	/*
	 * An interface ctl message the stack does not know (such as
	 * `capture FILE`): NULL if handled, else a one-line error.  May be
	 * NULL: then the message is unknown.
	 */
	const char *(*ctl)(void *arg, int ifc, int argc, char **argv);
	/*
	 * The backend's own counters, as KEY VALUE pairs that end the first
	 * line of ipifc/N/status: their length in buf (NUL-terminated), 0
	 * for none.  May be NULL.
	 */
	size_t	(*status)(void *arg, int ifc, char *buf, size_t len);
};

void	ipifc_set_link(struct ipifc_stack *s, const struct ipifc_link_ops *ops,
	    void *arg);
/* A frame received on interface ifc, at the stack's current time. */
void	ipifc_input(struct ipifc_stack *s, int ifc, const uint8_t *frame,
	    size_t len);
/* The backend can take frames again: the send queue drains. */
void	ipifc_link_writable(struct ipifc_stack *s, int ifc);
/* The backend's carrier: sets or clears the running flag. */
void	ipifc_carrier(struct ipifc_stack *s, int ifc, int up);
/*
 * 1: interface ifc has a shaper (speed), which weighs each frame sent:
 * its backend must send no more than the frame it is given (ipifcd's
 * superframes, which stand for many, go only where this is 0).
 */
int	ipifc_link_shaped(struct ipifc_stack *s, int ifc);

/*
 * Datagrams for the library's user: every packet addressed to us whose
 * protocol the stack does not consume itself (ICMP echo replies, UDP, TCP
 * ...).  payload is the IP payload; proto the IP protocol number.
 */
struct ipifc_datagram {
	struct ipifc_ip src, dst;
	int	proto;
	int	ttl;			/* TTL or hop limit as received */
	int	ifc;
	const uint8_t *payload;
	size_t	len;
	const uint8_t *opts;		/* IPv4 options as received, or NULL */
	size_t	optlen;
};

/*
 * Return 0 when the datagram was taken, or a negative errno when nobody
 * listens to its protocol: the stack then answers with ICMP protocol
 * unreachable (RFC 1122 3.2.2.1) or parameter problem (RFC 8200 4).
 */
typedef int ipifc_deliver_fn(void *arg, const struct ipifc_datagram *d);
void	ipifc_set_deliver(struct ipifc_stack *s, ipifc_deliver_fn *fn,
	    void *arg);
/*
 * Send payload as protocol proto to dst; src NULL: chosen by source
 * selection.  ttl 0: the default.  0 or a negative errno.
 */
int	ipifc_send(struct ipifc_stack *s, const struct ipifc_ip *src,
	    const struct ipifc_ip *dst, int proto, int ttl,
	    const uint8_t *payload, size_t len);
/* An ICMP or ICMPv6 echo request (RFC 792, RFC 4443 4.1). */
int	ipifc_ping(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    uint16_t id, uint16_t seq, size_t datalen);
/* What an echo request may carry beyond the defaults. */
struct ipifc_pingopt {
	int	ttl;			/* TTL or hop limit; 0: the default */
	/* IPv4 options (RFC 791 3.1), a multiple of 4 bytes, at most 40;
	 * the stack records its address in Record Route and Timestamp */
	const uint8_t *opts;
	size_t	optlen;
};
int	ipifc_ping_opt(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    uint16_t id, uint16_t seq, size_t datalen,
	    const struct ipifc_pingopt *o);
/*
 * Is d an ICMP or ICMPv6 error (ICMP types 3, 11, 12; ICMPv6 1 to 4) that
 * quotes an echo request?  0 with the request's id and seq, and in words
 * what ping(8) prints of the error ("Time to live exceeded"); -1 if not.
 */
int	ipifc_ping_error(const struct ipifc_datagram *d, uint16_t *id,
	    uint16_t *seq, char *words, size_t len);

/*
 * A ping(8) run (proto/ping.c): what a program that pings through a
 * stack keeps and prints.  Begin writes the "PING ..." line; next gives
 * the sequence number of the request to send now (-1: all sent); match
 * takes what the deliver hook got at now and says whether it was an echo
 * reply to one of the run's requests or an ICMP error quoting one, with
 * ping(8)'s line for it; end writes the statistics lines.
 */
#define IPIFC_PINGMAX	1000	/* requests per run */
#define IPIFC_PINGLINE	256	/* the longest line, with its newline */
struct ipifc_pingrun {
	struct ipifc_ip	dst;
	uint16_t	id;		/* the requests' identifier */
	int		count;		/* requests to send */
	int		nsent, received, dups, errors;
	uint64_t	sent[IPIFC_PINGMAX + 1];	/* by seq: when, ms */
	uint8_t		got[IPIFC_PINGMAX + 1];		/* by seq: replies */
};
enum { IPIFC_PING_REPLY = 1, IPIFC_PING_ERROR = 2 };
void	ipifc_pingrun_begin(struct ipifc_pingrun *p, const struct ipifc_ip *dst,
	    uint16_t id, int count, int size, char *line, size_t len);
int	ipifc_pingrun_next(struct ipifc_pingrun *p, uint64_t now);
int	ipifc_pingrun_match(struct ipifc_pingrun *p,
	    const struct ipifc_datagram *d, uint64_t now, char *line,
	    size_t len);
void	ipifc_pingrun_end(const struct ipifc_pingrun *p, char *buf,
	    size_t len);
/* A decimal of digits alone (no sign, no space), at most max: 0, or -1. */
int	ipifc_decimal(const char *s, uint64_t max, uint64_t *out);
/*
 * The options of a ping command line that take a number: -FLAG N with N
 * a decimal in min..max.  Set stores val in the option opt names: 0, or
 * -1 if opt is none of f or val is out of range; fmt writes the ranges
 * ("-c 1..100, -s 0..65507") for an error message.
 */
struct ipifc_pingflag {
	char		flag;
	unsigned	min, max;
	int		*val;
};
int	ipifc_pingflag_set(const struct ipifc_pingflag *f, int n,
	    const char *opt, const char *val);
void	ipifc_pingflag_fmt(const struct ipifc_pingflag *f, int n, char *buf,
	    size_t len);

/*
 * Host mode (slaac/host.c): the SLAAC engine on the stack, so that
 * `ra6 recvra 1` forms addresses and learns routes from router
 * advertisements.  secret: the RFC 7217 secret key, 1 to 32 bytes; the
 * caller keeps it (the library reads no file).  0, -EINVAL, -ENOMEM, or
 * -EBUSY when something is attached already.
 */
int	ipifc_slaac_attach(struct ipifc_stack *s, const uint8_t *secret,
	    size_t len);

/* ---- lookups (answers for callers and the scenario runner) ---- */

/* Self-table entry types and route types share these letters. */
enum {
	IPIFC_RT_V4 = 1 << 0,	/* '4' (else '6') */
	IPIFC_RT_IFC = 1 << 1,	/* 'i' connected (interface) route */
	IPIFC_RT_UNI = 1 << 2,	/* 'u' unicast self */
	IPIFC_RT_BCAST = 1 << 3,	/* 'b' broadcast */
	IPIFC_RT_MULTI = 1 << 4,	/* 'm' multicast */
	IPIFC_RT_PTP = 1 << 5,	/* 'p' point-to-point */
	IPIFC_RT_PROXY = 1 << 6,	/* 'y' proxy */
	IPIFC_RT_ANY = 1 << 7,	/* 'a' anycast self (RFC 4291 2.6) */
};

/* The type of a self-table entry (IPIFC_RT_UNI, _BCAST, _MULTI, _ANY), 0 if not mine. */
unsigned ipifc_ipforme(const struct ipifc_stack *s, const struct ipifc_ip *a);

struct ipifc_route_info {
	struct ipifc_ip dst, src, gate;
	int	plen, splen;
	unsigned type;
	int	ifc;
	char	tag[16];
};

/* Longest match on dst then src (src NULL: any source). 0 or -ENOENT. */
int	ipifc_route_lookup(struct ipifc_stack *s, const struct ipifc_ip *dst,
	    const struct ipifc_ip *src, struct ipifc_route_info *out);

/*
 * Source address for dst (RFC 6724 for IPv6), optionally restricted to the
 * outgoing interface ifc (-1: any).  0 with *src and *ifcout set, or
 * -ENOENT.
 */
int	ipifc_source(struct ipifc_stack *s, const struct ipifc_ip *dst, int ifc,
	    struct ipifc_ip *src, int *ifcout);

#ifdef __cplusplus
}
#endif
#endif
