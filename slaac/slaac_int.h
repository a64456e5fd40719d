/*
 * The SLAAC engine's own structures, shared by the files of slaac/ and by
 * nothing else.  Deadlines are absolute ms; NEVER is "no deadline".
 */
#ifndef IPIFC_SLAAC_INT_H
#define IPIFC_SLAAC_INT_H

#include "core.h"		/* the deadline index */
#include "slaac.h"
#include "wire.h"

#define NEVER	UINT64_MAX

/* RFC 4861 10 host constants, RFC 7559 2 */
#define MAX_RTR_SOLICITATION_DELAY	1000	/* ms */
#define RTR_SOLICITATION_INTERVAL	4000	/* ms */
#define MAX_RTR_SOLICITATIONS		3
#define MAX_RTR_SOLICITATION_INTERVAL	3600000	/* ms, RFC 7559 2 */
#define RETRANS_TIMER			1000	/* ms, RFC 4861 10 */
/* RFC 4862 5.5.3 (e) */
#define TWO_HOURS			7200000	/* ms */
/* RFC 8981 3.8 */
#define TEMP_VALID_LIFETIME		172800	/* s, 2 days */
#define TEMP_PREFERRED_LIFETIME		86400	/* s, 1 day */

/* The interface identifier length for SLAAC, RFC 4291 2.5.1 */
#define IID_PLEN			64

/* Interface states: the RS schedule. */
enum ifc_state { IFC_DOWN, IFC_DELAY, IFC_SOLICIT, IFC_IDLE };
/* Router states. */
enum rtr_state { RTR_FREE, RTR_DEFAULT };
/* Prefix states. */
enum pfx_state { PFX_FREE, PFX_VALID };
/* Address proposal states. */
enum addr_state { ADDR_FREE, ADDR_TENTATIVE, ADDR_OPTIMISTIC,
	ADDR_PREFERRED, ADDR_DEPRECATED, ADDR_DUPLICATE };

struct slaac_router {
	enum rtr_state state;
	struct ipifc_ip addr;
	int	prf;		/* -1, 0, 1 */
	int	slla;		/* its link-layer address came in an RA */
	uint64_t deadline;	/* the default route's end */
};

struct slaac_prefix {
	enum pfx_state state;
	struct ipifc_ip prefix;
	int	plen;
	int	onlink;		/* an on-link route is installed */
	uint64_t onlink_end;	/* RFC 4861 6.3.4 */
	int	autonomous;	/* addresses were formed from it */
	int	temporary;	/* RFC 8981 addresses from it (per prefix) */
	uint32_t advby;		/* routers that advertise it (bits) */
	uint32_t srcrt;		/* RFC 8028 routes installed (bits) */
	uint64_t deadline;	/* the earliest of onlink_end and NEVER */
};

struct slaac_addr {
	enum addr_state state;
	int	pfx;		/* index of its prefix */
	int	how;		/* IPIFC_SLAAC_EUI64 ... */
	struct ipifc_ip addr;
	uint64_t valid_end, pref_end;
	uint64_t created;	/* RFC 8981: lifetimes count from here */
	uint64_t regen;		/* RFC 8981 3.4: make the next one; NEVER */
	uint32_t desync;	/* RFC 8981 3.8 DESYNC_FACTOR, s */
	int	dadcount;	/* RFC 7217 DAD_Counter; temporary: tries */
	int	regenerated;	/* a successor exists */
	uint64_t deadline;
};

struct slaac_route {
	int	used;
	struct ipifc_ip prefix, gw;
	int	plen, prf;
	uint64_t end;
};

struct slaac_dns {
	int	used;
	struct ipifc_ip addr;
	uint64_t end;
};

struct slaac_domain {
	int	used;
	char	name[IPIFC_ND_DNSNAMEMAX];
	uint64_t end;
};

struct slaac_pref64 {
	int	used;
	struct ipifc_ip prefix;
	int	plen;
	uint64_t end;
};

struct slaac_ifc {
	int	used;
	unsigned id;
	int	slot;		/* in e->ifc */
	/* e->dx: its earliest deadline (RS, routers, prefixes, addresses,
	 * routes, DNS), filed again after every event that reaches it */
	struct ipifc_dnode dl;
	struct ipifc_slaac_config c;
	enum ifc_state state;
	uint64_t deadline;	/* the next RS */
	int	nrs;		/* RSs sent since link up */
	uint64_t rt;		/* RFC 7559: the current interval, ms */
	int	up, llusable, hasmac;
	uint8_t	mac[6];
	uint32_t mtu, reachable, retrans;
	uint8_t	hoplimit;
	char	captive[IPIFC_SLAAC_URIMAX];
	struct slaac_router rtr[IPIFC_SLAAC_MAXROUTERS];
	struct slaac_prefix pfx[IPIFC_SLAAC_MAXPREFIXES];
	struct slaac_addr addr[IPIFC_SLAAC_MAXADDRS];
	struct slaac_route route[IPIFC_SLAAC_MAXROUTES];
	struct slaac_dns dns[IPIFC_SLAAC_MAXDNS];
	struct slaac_domain dom[IPIFC_SLAAC_MAXDNSSL];
	struct slaac_pref64 p64[IPIFC_SLAAC_MAXPREF64];
	int	nuser;
	struct ipifc_ip user[IPIFC_SLAAC_MAXUSER];
	int	nnotemp;
	struct {
		struct ipifc_ip prefix;
		int	plen;
	} notemp[IPIFC_SLAAC_MAXNOTEMP];
};

struct ipifc_slaac {
	uint32_t (*random)(void *);
	void	*rarg;
	void	(*log)(void *, const char *);
	void	*larg;
	struct ipifc_slaac_stats st;
	struct slaac_ifc *ifc[IPIFC_SLAAC_MAXIFC];
	struct ipifc_dindex dx;	/* the interfaces by earliest deadline */
	struct ipifc_slaac_act q[IPIFC_SLAAC_ACTQ];
	int	qhead, qlen;
	struct ipifc_slaac_act lost;	/* written when q is full */
	struct ipifc_nd nd;	/* the RA being applied: too big for a stack */
};

/* engine.c */
struct ipifc_slaac_act *ipifc_slaac_push(struct ipifc_slaac *e,
	    struct slaac_ifc *ifc, enum ipifc_slaac_act_type type);
void	ipifc_slaac_logf(struct ipifc_slaac *e, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Remaining seconds from now to end, rounded up; INFINITE for NEVER. */
uint32_t ipifc_slaac_remain(uint64_t end, uint64_t now);
/* now + s seconds; NEVER for an infinite lifetime. */
uint64_t ipifc_slaac_end(uint64_t now, uint32_t s);
/* A random value in [0, n). */
uint64_t ipifc_slaac_rand(struct ipifc_slaac *e, uint64_t n);
uint64_t ipifc_slaac_min(uint64_t a, uint64_t b);
/* The earliest deadline by a walk of every interface's timers, which the
 * index answers without (for the tests). */
uint64_t ipifc_slaac_walk_deadline(const struct ipifc_slaac *e);

/* router.c */
void	ipifc_slaac_router_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    const struct ipifc_ip *src, const struct ipifc_nd *ra,
	    uint64_t now);
void	ipifc_slaac_router_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    uint64_t now);
void	ipifc_slaac_router_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    uint64_t now);
int	ipifc_slaac_router_find(struct slaac_ifc *ifc,
	    const struct ipifc_ip *a);
/* RFC 8028: add or remove the source-limited default routes to match. */
void	ipifc_slaac_srcroutes(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now);
uint64_t ipifc_slaac_router_deadline(const struct slaac_ifc *ifc);

/* prefix.c */
void	ipifc_slaac_prefix_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    int rtr, const struct ipifc_nd_prefix *pi, uint64_t now);
void	ipifc_slaac_prefix_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    uint64_t now);
void	ipifc_slaac_prefix_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    uint64_t now);
int	ipifc_slaac_prefix_dad(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    const struct ipifc_ip *addr, int ok, uint64_t now);
void	ipifc_slaac_prefix_newmac(struct ipifc_slaac *e,
	    struct slaac_ifc *ifc, uint64_t now);
int	ipifc_slaac_prefix_hasaddr(const struct slaac_ifc *ifc, int pfx);
int	ipifc_slaac_prefix_user(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    const struct ipifc_ip *addr, int present, uint64_t now);
int	ipifc_slaac_prefix_temp(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    const struct ipifc_ip *prefix, int plen, int on, uint64_t now);
uint64_t ipifc_slaac_prefix_deadline(const struct slaac_ifc *ifc);

/* iid.c: fill the low 64 bits of addr (its prefix already there). */
int	ipifc_slaac_iid_eui64(struct ipifc_ip *addr, const uint8_t mac[6]);
void	ipifc_slaac_iid_stable(struct ipifc_ip *addr, int plen,
	    const struct ipifc_slaac_config *c, int dadcount);
void	ipifc_slaac_iid_random(struct ipifc_slaac *e, struct ipifc_ip *addr);

/* dns.c: RDNSS, DNSSL, PREF64, captive portal */
void	ipifc_slaac_dns_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    const struct ipifc_nd *ra, uint64_t now);
void	ipifc_slaac_dns_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
	    uint64_t now);
void	ipifc_slaac_dns_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc);
uint64_t ipifc_slaac_dns_deadline(const struct slaac_ifc *ifc);

#endif
