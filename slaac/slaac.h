/*
 * The SLAAC engine: IPv6 stateless address autoconfiguration for a host
 * (RFC 4861 6.3, RFC 4862, RFC 7217, RFC 8981, RFC 4191, RFC 8028, RFC
 * 8106, RFC 8781, RFC 8910, RFC 7559), sans-IO.
 *
 * Events go in as function calls, each with the time: `now`, milliseconds
 * of a monotonic clock.  What the engine wants done comes out as data, a
 * bounded queue of actions the caller drains with ipifc_slaac_action()
 * and carries out (send an RS, add an address, add a route, ...).  The
 * engine does no I/O, reads no clock and no file; randomness comes from
 * the caller's function.  ipifc_slaac_next_deadline() says when
 * ipifc_slaac_tick() must be called next.
 *
 * The engine only ever removes what it added itself: addresses it
 * proposed, routes it learned.  A full table never evicts existing state
 * for a new router, prefix, route or server: the newcomer is dropped and
 * counted (ipifc_slaac_stats).
 */
#ifndef IPIFC_SLAAC_H
#define IPIFC_SLAAC_H

#include <stddef.h>
#include <stdint.h>

#include "ipifc.h"

/* ---- bounds (tunables) ---- */

#define IPIFC_SLAAC_MAXIFC	32	/* interfaces registered */
#define IPIFC_SLAAC_MAXROUTERS	8	/* per interface; at most 32 */
#define IPIFC_SLAAC_MAXPREFIXES	16	/* per interface */
#define IPIFC_SLAAC_MAXADDRS	32	/* address proposals per interface */
#define IPIFC_SLAAC_MAXROUTES	16	/* RFC 4191 routes per interface */
#define IPIFC_SLAAC_MAXDNS	8	/* RDNSS servers per interface */
#define IPIFC_SLAAC_MAXDNSSL	8	/* search domains per interface */
#define IPIFC_SLAAC_MAXPREF64	4	/* NAT64 prefixes per interface */
#define IPIFC_SLAAC_URIMAX	256	/* captive portal URI and its NUL */
#define IPIFC_SLAAC_ACTQ	256	/* actions waiting to be drained */
#define IPIFC_SLAAC_SECRETMAX	32	/* RFC 7217 secret key, bytes */
#define IPIFC_SLAAC_IDGEN_RETRIES 3	/* RFC 7217 6, RFC 8981 3.8 */
#define IPIFC_SLAAC_MAXUSER	64	/* operator's addresses per interface */
#define IPIFC_SLAAC_MAXNOTEMP	16	/* prefixes without temporary ones */

/* ---- configuration of an interface ---- */

#define IPIFC_SLAAC_IID_STABLE	0	/* RFC 7217, the default */
#define IPIFC_SLAAC_IID_EUI64	1	/* RFC 4291 appendix A */

struct ipifc_slaac_config {
	int	iid;		/* IPIFC_SLAAC_IID_* */
	int	temporary;	/* RFC 8981 addresses beside the stable ones */
	int	twohour;	/* RFC 4862 5.5.3 (e) two-hour rule */
	int	optimistic;	/* RFC 4429: addresses usable during DAD */
	int	form_addrs;	/* 0: learn routes and options only */
	uint32_t temp_valid;	/* s, RFC 8981 3.8 TEMP_VALID_LIFETIME */
	uint32_t temp_preferred;	/* s, TEMP_PREFERRED_LIFETIME */
	uint32_t dad_transmits;	/* for REGEN_ADVANCE (RFC 8981 3.8) */
	uint32_t maxmtu;	/* the link's largest MTU; 0: no limit */
	uint8_t	secret[IPIFC_SLAAC_SECRETMAX];	/* RFC 7217 secret_key */
	size_t	secretlen;
	char	net_iface[16];	/* RFC 7217 Net_Iface: a stable name */
	/* RFC 7217 Network_ID (optional, such as a Wi-Fi SSID) */
	uint8_t	network_id[IPIFC_SLAAC_SECRETMAX];
	size_t	network_idlen;
};

/* The defaults: stable identifiers, no temporary addresses, the two-hour
 * rule, no optimistic DAD, addresses formed. */
void	ipifc_slaac_config_default(struct ipifc_slaac_config *c);

/* ---- actions ---- */

enum ipifc_slaac_act_type {
	IPIFC_SLAAC_SEND_RS = 1,
	IPIFC_SLAAC_ADDR_ADD,
	IPIFC_SLAAC_ADDR_UPDATE,
	IPIFC_SLAAC_ADDR_REMOVE,
	IPIFC_SLAAC_ROUTE_ADD,		/* also: preference changed */
	IPIFC_SLAAC_ROUTE_REMOVE,
	IPIFC_SLAAC_SET_MTU,
	IPIFC_SLAAC_SET_REACHABLE,
	IPIFC_SLAAC_SET_RETRANS,
	IPIFC_SLAAC_SET_HOPLIMIT,
	IPIFC_SLAAC_DNS_SERVER,		/* lifetime 0: remove */
	IPIFC_SLAAC_DNS_DOMAIN,		/* lifetime 0: remove */
	IPIFC_SLAAC_PREF64,		/* lifetime 0: remove */
	IPIFC_SLAAC_CAPTIVE,		/* text "": none any more */
	IPIFC_SLAAC_NBR_STALE,		/* a router's link-layer address */
};

/* How an address was formed. */
#define IPIFC_SLAAC_EUI64	0
#define IPIFC_SLAAC_STABLE	1
#define IPIFC_SLAAC_TEMPORARY	2

/* Kinds of route. */
#define IPIFC_SLAAC_RT_DEFAULT	0	/* ::/0 via a router, RFC 4861 6.3.4 */
#define IPIFC_SLAAC_RT_MORESPEC	1	/* via a router, RFC 4191 */
#define IPIFC_SLAAC_RT_ONLINK	2	/* an on-link prefix, no gateway */

#define IPIFC_SLAAC_INFINITE	0xffffffffu	/* a lifetime */

struct ipifc_slaac_act {
	enum ipifc_slaac_act_type type;
	unsigned ifc;		/* the id given to ipifc_slaac_ifc_add */
	/*
	 * ADDR_*: the address (plen: its prefix's length); ROUTE_*: the
	 * destination prefix; DNS_SERVER: the server; PREF64: the prefix;
	 * NBR_STALE: the router.
	 */
	struct ipifc_ip addr;
	int	plen;
	/* ADDR_*: remaining s (or IPIFC_SLAAC_INFINITE); 0 preferred:
	 * deprecated.  ROUTE_ADD, DNS_*, PREF64: lifetime, s. */
	uint32_t valid, preferred, lifetime;
	int	how;		/* ADDR_*: IPIFC_SLAAC_EUI64 ... */
	int	optimistic;	/* ADDR_ADD: usable during DAD (RFC 4429) */
	int	kind;		/* ROUTE_*: IPIFC_SLAAC_RT_* */
	int	prf;		/* ROUTE_*: -1 low, 0 medium, 1 high */
	struct ipifc_ip gw;	/* ROUTE_*: the router (not for ONLINK) */
	/* ROUTE_*: traffic from src/srcplen only (RFC 8028 3); 0: any */
	struct ipifc_ip src;
	int	srcplen;
	/* SET_*: MTU (1280 to the config's maxmtu, RFC 4861 6.3.4), ms,
	 * hop limit */
	uint32_t value;
	int	unspec;		/* SEND_RS: from :: (then never an SLLA) */
	int	slla;		/* SEND_RS: with an SLLA option holding mac */
	uint8_t	mac[6];		/* SEND_RS: the SLLA; NBR_STALE */
	char	text[IPIFC_SLAAC_URIMAX];	/* DNS_DOMAIN, CAPTIVE */
};

/* ---- counters: what was dropped, and why ---- */

struct ipifc_slaac_stats {
	uint64_t ra_bad;		/* ipifc_nd_parse refused it */
	uint64_t ra_notra;		/* a valid ND message, not an RA */
	uint64_t ra_unknownifc;		/* for no registered interface */
	uint64_t opts_ignored;		/* options the parser skipped */
	uint64_t routers_full;
	uint64_t prefixes_full;
	uint64_t addrs_full;
	uint64_t routes_full;
	uint64_t dns_full;
	uint64_t dnssl_full;
	uint64_t pref64_full;
	uint64_t uri_long;		/* captive portal URI over URIMAX */
	uint64_t prefix_badlen;		/* autonomous, length not 128 - 64 */
	uint64_t prefix_ignored;	/* RFC 4862 5.5.3 (a) to (c) */
	uint64_t iid_reserved;		/* RFC 5453, formed again */
	uint64_t dad_failed;
	uint64_t dad_giveup;		/* retries over IDGEN_RETRIES */
	uint64_t mtu_bad;		/* under 1280, over the link's max */
	uint64_t actq_full;		/* actions lost: drain faster */
};

/* ---- the engine ---- */

struct ipifc_slaac;

/*
 * random: the caller's source of 32 random bits.  log (may be NULL):
 * one line per state transition, "ifc ID: OLD -> NEW" for the
 * interface's, "ifc ID router|prefix|addr NAME: OLD -> NEW" for the
 * others, with the states' names.
 */
struct ipifc_slaac *ipifc_slaac_new(uint32_t (*random)(void *), void *rarg,
	    void (*log)(void *, const char *), void *larg);
void	ipifc_slaac_free(struct ipifc_slaac *e);

/* 0, -EEXIST, -ENOSPC (IPIFC_SLAAC_MAXIFC), -ENOMEM or -EINVAL. */
int	ipifc_slaac_ifc_add(struct ipifc_slaac *e, unsigned id,
	    const struct ipifc_slaac_config *c);
/* Removes the interface, and everything it learned (actions). */
int	ipifc_slaac_ifc_remove(struct ipifc_slaac *e, unsigned id,
	    uint64_t now);

/*
 * The link is up or down; mac (NULL: none) its link-layer address.  Up
 * starts soliciting routers (RFC 4861 6.3.7); a changed mac replaces the
 * EUI-64 addresses.
 */
int	ipifc_slaac_link(struct ipifc_slaac *e, unsigned id, int up,
	    const uint8_t *mac, uint64_t now);
/* Whether a link-local address is usable as an RS source (RFC 4861 4.1). */
int	ipifc_slaac_linklocal(struct ipifc_slaac *e, unsigned id, int usable,
	    uint64_t now);
/*
 * An ICMPv6 message received on interface id, with its IPv6 source,
 * destination (for the checksum) and hop limit.  Validated by
 * ipifc_nd_parse; anything else than a valid RA is counted and dropped.
 */
int	ipifc_slaac_ra(struct ipifc_slaac *e, unsigned id,
	    const struct ipifc_ip *src, const struct ipifc_ip *dst,
	    uint8_t hlim, const uint8_t *bytes, size_t len, uint64_t now);
/*
 * An address the operator configured on interface id (present), or
 * removed.  The engine never proposes it, and a proposal that it equals
 * is forgotten without a removal: from then on it is the operator's.
 * 0, -ENOENT, or -ENOSPC (IPIFC_SLAAC_MAXUSER).
 */
int	ipifc_slaac_user_addr(struct ipifc_slaac *e, unsigned id,
	    const struct ipifc_ip *addr, int present, uint64_t now);
/*
 * Temporary addresses (RFC 8981) from prefix/plen on interface id, when
 * the interface has them: on (the default) or off.  Off removes the
 * prefix's temporary addresses; on makes one at the next RA.
 * 0, -ENOENT, -EINVAL, or -ENOSPC (IPIFC_SLAAC_MAXNOTEMP).
 */
int	ipifc_slaac_prefix_temporary(struct ipifc_slaac *e, unsigned id,
	    const struct ipifc_ip *prefix, int plen, int on, uint64_t now);
/* DAD for an address the engine added is done: ok, or a duplicate. */
int	ipifc_slaac_dad(struct ipifc_slaac *e, unsigned id,
	    const struct ipifc_ip *addr, int ok, uint64_t now);
/* The clock moved: run every timer due at now. */
void	ipifc_slaac_tick(struct ipifc_slaac *e, uint64_t now);
/* The next time tick must run; UINT64_MAX when nothing waits. */
uint64_t ipifc_slaac_next_deadline(const struct ipifc_slaac *e);
/* Take the oldest action: 1, or 0 when none waits. */
int	ipifc_slaac_action(struct ipifc_slaac *e, struct ipifc_slaac_act *a);
const struct ipifc_slaac_stats *ipifc_slaac_stats(const struct ipifc_slaac *e);

/* ---- pieces, exported for their tests ---- */

/* SHA-256, FIPS 180-4 (slaac/sha256.c) */
struct ipifc_slaac_sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes so far */
	uint8_t	buf[64];
	size_t	nbuf;
};
void	ipifc_slaac_sha256_init(struct ipifc_slaac_sha256 *s);
void	ipifc_slaac_sha256_update(struct ipifc_slaac_sha256 *s, const void *p,
	    size_t n);
void	ipifc_slaac_sha256_final(struct ipifc_slaac_sha256 *s,
	    uint8_t out[32]);

/* RFC 5453 reserved interface identifiers, for 64 bits (slaac/iid.c) */
int	ipifc_slaac_iid_reserved(const uint8_t iid[8]);

#endif
