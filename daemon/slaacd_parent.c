/*
 * slaacd's privileged parent: the only process that changes the
 * kernel.  It turns the kernel's own autoconfiguration off on each
 * managed interface (accept_ra, autoconf; put back at exit), carries out
 * the engine's proposals over rtnetlink (libmnl) and answers each with
 * the kernel's verdict, and writes the DNS file (resolv.conf format,
 * temp file and rename).
 */
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/icmpv6.h>
#include <linux/if_addr.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slaacd.h"

#define RT_METRIC_ONLINK	256	/* as the kernel's own prefix routes */
#define RT_METRIC_ROUTER	1024	/* as the kernel's own RA routes */

static struct slaacd_opts *opts;
static struct mnl_socket *nl;
static unsigned nlseq;

static const char *const sysctls[] = { "accept_ra", "autoconf" };
static char saved[SLAACD_MAXIFS][2][16];	/* "" if not read */

/* The DNS the engine proposed, per managed interface. */
static struct {
	struct ipifc_ip server[IPIFC_SLAAC_MAXDNS];
	int	nserver;
	char	domain[IPIFC_SLAAC_MAXDNSSL][IPIFC_SLAAC_URIMAX];
	int	ndomain;
} dns[SLAACD_MAXIFS];

static int
sysctl_path(char *buf, size_t len, const char *ifname, const char *name)
{
	return snprintf(buf, len, "/proc/sys/net/ipv6/conf/%s/%s", ifname,
	    name) >= (int)len ? -1 : 0;
}

static int
sysctl_rw(const char *ifname, const char *name, char *old, size_t oldlen,
    const char *val)
{
	char	 path[256];
	FILE	*f;
	int	 r = 0;

	if (sysctl_path(path, sizeof(path), ifname, name) == -1)
		return -1;
	if (old != NULL) {
		if ((f = fopen(path, "r")) == NULL)
			return -1;
		if (fgets(old, (int)oldlen, f) == NULL)
			r = -1;
		fclose(f);
		old[strcspn(old, "\n")] = '\0';
		if (r == -1)
			return -1;
	}
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	if (fprintf(f, "%s\n", val) < 0)
		r = -1;
	if (fclose(f) != 0)
		r = -1;
	return r;
}

/*
 * Send one request, wait for its acknowledgement: 0 or -errno.  cb (may
 * be NULL) gets each answer that is not the acknowledgement.
 */
static int
talk_cb(struct nlmsghdr *n, mnl_cb_t cb, void *data)
{
	uint8_t	 buf[SLAACD_NLBUF];
	ssize_t	 r;

	n->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	n->nlmsg_seq = ++nlseq;
	if (mnl_socket_sendto(nl, n, n->nlmsg_len) == -1)
		return -errno;
	while ((r = mnl_socket_recvfrom(nl, buf, sizeof(buf))) > 0) {
		if (slaacd_nl_batch_ok(buf, (size_t)r) != 0)
			return -EBADMSG;
		r = mnl_cb_run(buf, (size_t)r, n->nlmsg_seq,
		    mnl_socket_get_portid(nl), cb, data);
		if (r <= MNL_CB_STOP)
			break;
	}
	return r == -1 ? -errno : 0;
}

static int
talk(struct nlmsghdr *n)
{
	return talk_cb(n, NULL, NULL);
}

/*
 * Nexthop objects, one per router on an interface.  The kernel's own
 * default routes of two routers are two routes (RTF_ADDRCONF routes are
 * no ECMP siblings), between which it chooses by RFC 4861 6.3.6 and
 * RFC 4191 preference; two routes through gateways added over netlink
 * become one multipath route instead.  A route through a nexthop
 * object is no ECMP sibling either, so each router's route stays a
 * route of its own.  An id is kept across restarts where it can be:
 * the first tried comes from the interface and the router, and one
 * that exists through the same router is taken over.  (The kernel
 * refuses nexthop objects on source-specific routes: RFC 8028 routes
 * keep their gateway.)
 */
#define NH_MAX		(SLAACD_MAXIFS * IPIFC_SLAAC_MAXROUTERS)
#define NH_PROBES	16	/* ids tried past the first */
static struct nh {
	unsigned ifindex;
	struct ipifc_ip gw;
	uint32_t id;
} nhs[NH_MAX];

/* The routes through them, to know when one is used no more. */
#define NH_ROUTES	(SLAACD_MAXIFS * (IPIFC_SLAAC_MAXROUTERS + \
			    IPIFC_SLAAC_MAXROUTES))
static struct nhroute {
	int	used;
	int	nh;		/* slot in nhs */
	struct ipifc_ip dst;
	int	plen;
} nhroutes[NH_ROUTES];

struct nh_seen {
	unsigned ifindex;
	struct ipifc_ip gw;
	int	found;
};

static int
nh_attr(const struct nlattr *a, void *data)
{
	struct nh_seen *w = data;

	if (mnl_attr_get_type(a) == NHA_OIF &&
	    mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		w->ifindex = mnl_attr_get_u32(a);
	else if (mnl_attr_get_type(a) == NHA_GATEWAY &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY, 16) == 0)
		memcpy(w->gw.a, mnl_attr_get_payload(a), 16);
	return MNL_CB_OK;
}

static int
nh_answer(const struct nlmsghdr *n, void *data)
{
	struct nh_seen *w = data;

	if (n->nlmsg_type != RTM_NEWNEXTHOP ||
	    mnl_nlmsg_get_payload_len(n) < sizeof(struct nhmsg))
		return MNL_CB_OK;
	w->found = 1;
	(void)mnl_attr_parse(n, sizeof(struct nhmsg), nh_attr, w);
	return MNL_CB_OK;
}

/* RTM_NEWNEXTHOP (flags: NLM_F_EXCL or NLM_F_REPLACE) or GETNEXTHOP. */
static int
nh_msg(int type, uint16_t flags, uint32_t id, unsigned ifindex,
    const struct ipifc_ip *gw, struct nh_seen *w)
{
	uint8_t	 buf[512];
	struct nlmsghdr *n;
	struct nhmsg *nhm;

	n = mnl_nlmsg_put_header(buf);
	n->nlmsg_type = (uint16_t)type;
	n->nlmsg_flags = flags;
	nhm = mnl_nlmsg_put_extra_header(n, sizeof(*nhm));
	nhm->nh_family = type == RTM_NEWNEXTHOP ? AF_INET6 : AF_UNSPEC;
	nhm->nh_protocol = type == RTM_NEWNEXTHOP ? RTPROT_RA : 0;
	mnl_attr_put_u32(n, NHA_ID, id);
	if (type == RTM_NEWNEXTHOP) {
		mnl_attr_put_u32(n, NHA_OIF, ifindex);
		mnl_attr_put(n, NHA_GATEWAY, 16, gw->a);
	}
	return talk_cb(n, w != NULL ? nh_answer : NULL, w);
}

static uint32_t
nh_first(unsigned ifindex, const struct ipifc_ip *gw)
{
	uint32_t h = 2166136261u ^ ifindex;	/* FNV-1a */
	int	 i;

	for (i = 0; i < 16; i++)
		h = (h ^ gw->a[i]) * 16777619u;
	return (h & 0x3fffffff) | 0x40000000;	/* never 0 */
}

/* The nexthop object for a router, made if need be: its slot, or -errno. */
static int
nh_get(unsigned ifindex, const struct ipifc_ip *gw)
{
	struct nh_seen w;
	uint32_t id;
	int	 i, k = -1, r;

	for (i = 0; i < NH_MAX; i++) {
		if (nhs[i].id != 0 && nhs[i].ifindex == ifindex &&
		    memcmp(&nhs[i].gw, gw, sizeof(*gw)) == 0) {
			/* still there (a link going down takes it away) */
			r = nh_msg(RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_REPLACE,
			    nhs[i].id, ifindex, gw, NULL);
			return r == 0 ? i : r;
		}
		if (nhs[i].id == 0 && k == -1)
			k = i;
	}
	if (k == -1)
		return -ENOSPC;
	id = nh_first(ifindex, gw);
	for (i = 0; i <= NH_PROBES; i++, id = id == 0x7fffffff ? 0x40000000 :
	    id + 1) {
		r = nh_msg(RTM_NEWNEXTHOP, NLM_F_CREATE | NLM_F_EXCL, id,
		    ifindex, gw, NULL);
		if (r == -EEXIST) {
			/* a previous slaacd's through the same router */
			memset(&w, 0, sizeof(w));
			if (nh_msg(RTM_GETNEXTHOP, 0, id, 0, NULL, &w) != 0 ||
			    !w.found || w.ifindex != ifindex ||
			    memcmp(&w.gw, gw, sizeof(*gw)) != 0)
				continue;
			r = 0;
		}
		if (r != 0)
			return r;
		nhs[k].ifindex = ifindex;
		nhs[k].gw = *gw;
		nhs[k].id = id;
		return k;
	}
	return -EEXIST;
}

static struct nhroute *
nhroute(int k, const struct ipifc_slaac_act *a)
{
	int	 i;

	for (i = 0; i < NH_ROUTES; i++)
		if (nhroutes[i].used && nhroutes[i].nh == k &&
		    nhroutes[i].plen == a->plen &&
		    memcmp(&nhroutes[i].dst, &a->addr, sizeof(a->addr)) == 0)
			return &nhroutes[i];
	return NULL;
}

/* A route through slot k is there: 0, or -ENOSPC. */
static int
nh_hold(int k, const struct ipifc_slaac_act *a)
{
	int	 i;

	if (nhroute(k, a) != NULL)
		return 0;
	for (i = 0; i < NH_ROUTES; i++)
		if (!nhroutes[i].used) {
			nhroutes[i].used = 1;
			nhroutes[i].nh = k;
			nhroutes[i].dst = a->addr;
			nhroutes[i].plen = a->plen;
			return 0;
		}
	return -ENOSPC;
}

/* A route through slot k went (a: NULL, none): the last takes it along. */
static void
nh_put(int k, const struct ipifc_slaac_act *a)
{
	uint8_t	 buf[256];
	struct nlmsghdr *n;
	struct nhmsg *nhm;
	struct nhroute *rt;
	int	 i;

	if (a != NULL && (rt = nhroute(k, a)) != NULL)
		rt->used = 0;
	for (i = 0; i < NH_ROUTES; i++)
		if (nhroutes[i].used && nhroutes[i].nh == k)
			return;
	n = mnl_nlmsg_put_header(buf);
	n->nlmsg_type = RTM_DELNEXTHOP;
	nhm = mnl_nlmsg_put_extra_header(n, sizeof(*nhm));
	nhm->nh_family = AF_UNSPEC;
	mnl_attr_put_u32(n, NHA_ID, nhs[k].id);
	(void)talk(n);
	memset(&nhs[k], 0, sizeof(nhs[k]));
}

/* An interface went: the kernel took its nexthop objects along. */
static void
nh_gone(unsigned ifindex)
{
	int	 i;

	for (i = 0; i < NH_ROUTES; i++)
		if (nhroutes[i].used && nhs[nhroutes[i].nh].ifindex == ifindex)
			nhroutes[i].used = 0;
	for (i = 0; i < NH_MAX; i++)
		if (nhs[i].ifindex == ifindex)
			memset(&nhs[i], 0, sizeof(nhs[i]));
}

static int
nh_find(unsigned ifindex, const struct ipifc_ip *gw)
{
	int	 i;

	for (i = 0; i < NH_MAX; i++)
		if (nhs[i].id != 0 && nhs[i].ifindex == ifindex &&
		    memcmp(&nhs[i].gw, gw, sizeof(*gw)) == 0)
			return i;
	return -1;
}

static int
addr_act(const struct ipifc_slaac_act *a)
{
	uint8_t	 buf[SLAACD_NLBUF];
	struct nlmsghdr *n;
	struct ifaddrmsg *ifa;
	struct ifa_cacheinfo ci;
	uint32_t flags = IFA_F_NOPREFIXROUTE;

	n = mnl_nlmsg_put_header(buf);
	if (a->type == IPIFC_SLAAC_ADDR_REMOVE)
		n->nlmsg_type = RTM_DELADDR;
	else {
		n->nlmsg_type = RTM_NEWADDR;
		n->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	}
	ifa = mnl_nlmsg_put_extra_header(n, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = (uint8_t)a->plen;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = a->ifc;
	mnl_attr_put(n, IFA_ADDRESS, 16, a->addr.a);
	if (a->type != IPIFC_SLAAC_ADDR_REMOVE) {
		if (a->type == IPIFC_SLAAC_ADDR_ADD && a->optimistic)
			flags |= IFA_F_OPTIMISTIC;
		mnl_attr_put_u32(n, IFA_FLAGS, flags);
		memset(&ci, 0, sizeof(ci));
		/* INFINITY_LIFE_TIME is the engine's infinite too */
		ci.ifa_valid = a->valid;
		ci.ifa_prefered = a->preferred;
		mnl_attr_put(n, IFA_CACHEINFO, sizeof(ci), &ci);
	}
	return talk(n);
}

/*
 * A route request.  No RTA_EXPIRES: the engine proposes a route again
 * only when it changes, not at each RA that renews it, and removes it
 * itself when its lifetime ends.
 */
static int
route_msg(const struct ipifc_slaac_act *a, int del, uint32_t nhid)
{
	uint8_t	 buf[SLAACD_NLBUF];
	struct nlmsghdr *n;
	struct rtmsg *rt;

	n = mnl_nlmsg_put_header(buf);
	if (del)
		n->nlmsg_type = RTM_DELROUTE;
	else {
		/*
		 * Not NLM_F_REPLACE: it replaces the first route of the same
		 * destination and metric, another router's default route.
		 */
		n->nlmsg_type = RTM_NEWROUTE;
		n->nlmsg_flags = NLM_F_CREATE;
	}
	rt = mnl_nlmsg_put_extra_header(n, sizeof(*rt));
	rt->rtm_family = AF_INET6;
	rt->rtm_dst_len = (uint8_t)a->plen;
	rt->rtm_src_len = (uint8_t)a->srcplen;
	rt->rtm_table = RT_TABLE_MAIN;
	rt->rtm_protocol = RTPROT_RA;
	rt->rtm_scope = RT_SCOPE_UNIVERSE;
	rt->rtm_type = RTN_UNICAST;
	if (a->plen > 0)
		mnl_attr_put(n, RTA_DST, 16, a->addr.a);
	if (a->srcplen > 0)
		mnl_attr_put(n, RTA_SRC, 16, a->src.a);
	if (nhid != 0)
		mnl_attr_put_u32(n, RTA_NH_ID, nhid);
	else {
		if (a->kind != IPIFC_SLAAC_RT_ONLINK)
			mnl_attr_put(n, RTA_GATEWAY, 16, a->gw.a);
		mnl_attr_put_u32(n, RTA_OIF, a->ifc);
	}
	mnl_attr_put_u32(n, RTA_PRIORITY, a->kind == IPIFC_SLAAC_RT_ONLINK ?
	    RT_METRIC_ONLINK : RT_METRIC_ROUTER);
	if (!del)
		/* RFC 4191 2.1: the preference's two-bit encoding */
		mnl_attr_put_u8(n, RTA_PREF, a->prf > 0 ?
		    ICMPV6_ROUTER_PREF_HIGH : a->prf < 0 ?
		    ICMPV6_ROUTER_PREF_LOW : ICMPV6_ROUTER_PREF_MEDIUM);
	return talk(n);
}

static int
route_act(const struct ipifc_slaac_act *a)
{
	uint32_t id = 0;
	int	 r, k = -1;

	if (a->kind != IPIFC_SLAAC_RT_ONLINK && a->srcplen == 0) {
		k = a->type == IPIFC_SLAAC_ROUTE_REMOVE ?
		    nh_find(a->ifc, &a->gw) : nh_get(a->ifc, &a->gw);
		if (k < 0 && a->type != IPIFC_SLAAC_ROUTE_REMOVE)
			return k;
		id = k >= 0 ? nhs[k].id : 0;
	}
	if (a->type == IPIFC_SLAAC_ROUTE_REMOVE) {
		r = route_msg(a, 1, id);
		if (k >= 0)
			nh_put(k, a);	/* gone, by us or before */
		return r;
	}
	/* there already, with another preference: take it out first */
	if ((r = route_msg(a, 0, id)) == -EEXIST &&
	    (r = route_msg(a, 1, id)) == 0)
		r = route_msg(a, 0, id);
	if (k >= 0 && (r != 0 || (r = nh_hold(k, a)) != 0))
		nh_put(k, a);
	return r;
}

/* Write the DNS file: every interface's servers and domains. */
static int
dns_write(void)
{
	char	 tmp[4096], ip[IPIFC_IPSTRLEN];
	FILE	*f;
	int	 i, j, r = 0, any = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", opts->dnsfile) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	fprintf(f, "# written by slaacd\n");
	for (i = 0; i < SLAACD_MAXIFS; i++)
		for (j = 0; j < dns[i].nserver; j++)
			fprintf(f, "nameserver %s\n", ipifc_ip_fmt(
			    &dns[i].server[j], ip, sizeof(ip)));
	for (i = 0; i < SLAACD_MAXIFS; i++)
		for (j = 0; j < dns[i].ndomain; j++) {
			fprintf(f, any ? " %s" : "search %s",
			    dns[i].domain[j]);
			any = 1;
		}
	if (any)
		fputc('\n', f);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, opts->dnsfile) == -1)
		r = -errno;
	if (r != 0)
		unlink(tmp);
	return r;
}

static int
dns_act(const struct ipifc_slaac_act *a, int k)
{
	int	 i, n;

	if (a->type == IPIFC_SLAAC_DNS_SERVER) {
		n = dns[k].nserver;
		for (i = 0; i < n; i++)
			if (memcmp(&dns[k].server[i], &a->addr,
			    sizeof(a->addr)) == 0)
				break;
		if (a->lifetime == 0 && i < n)
			dns[k].server[i] = dns[k].server[--dns[k].nserver];
		else if (a->lifetime != 0 && i == n) {
			if (n == IPIFC_SLAAC_MAXDNS)
				return -ENOSPC;
			dns[k].server[dns[k].nserver++] = a->addr;
		} else
			return 0;
	} else {
		n = dns[k].ndomain;
		for (i = 0; i < n; i++)
			if (strcmp(dns[k].domain[i], a->text) == 0)
				break;
		if (a->lifetime == 0 && i < n)
			memcpy(dns[k].domain[i], dns[k].domain[--dns[k].ndomain],
			    IPIFC_SLAAC_URIMAX);
		else if (a->lifetime != 0 && i == n) {
			if (n == IPIFC_SLAAC_MAXDNSSL)
				return -ENOSPC;
			memcpy(dns[k].domain[dns[k].ndomain++], a->text,
			    IPIFC_SLAAC_URIMAX);
		} else
			return 0;
	}
	return dns_write();
}

/* A domain goes into a text file: only what a name may hold. */
static int
domain_ok(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') &&
		    s[i] != '-' && s[i] != '.' && s[i] != '_')
			return 0;
	return i > 0;
}

/*
 * An RA's parameter (RFC 4861 6.3.4) into the kernel's sysctl, as the
 * kernel's own RA code would set it; the kernel refuses what is out of
 * its range (an MTU over the link's).
 */
static int
param(int k, const char *dir, const char *name, uint32_t v)
{
	char	 path[256], val[16];
	FILE	*f;
	int	 r = 0;

	if (snprintf(path, sizeof(path), "/proc/sys/net/ipv6/%s/%s/%s", dir,
	    opts->ifname[k], name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	snprintf(val, sizeof(val), "%u", v);
	if ((f = fopen(path, "w")) == NULL)
		return -errno;
	if (fprintf(f, "%s\n", val) < 0)
		r = -EIO;
	if (fclose(f) != 0)
		r = -errno;
	return r;
}

int
slaacd_parent_apply(const struct ipifc_slaac_act *a)
{
	int	 k;

	if ((k = slaacd_managed(opts, a->ifc)) == -1)
		return -EINVAL;
	switch (a->type) {
	case IPIFC_SLAAC_ADDR_ADD:
	case IPIFC_SLAAC_ADDR_UPDATE:
	case IPIFC_SLAAC_ADDR_REMOVE:
		if (a->plen < 0 || a->plen > 128)
			return -EINVAL;
		return addr_act(a);
	case IPIFC_SLAAC_ROUTE_ADD:
	case IPIFC_SLAAC_ROUTE_REMOVE:
		if (a->plen < 0 || a->plen > 128 || a->srcplen < 0 ||
		    a->srcplen > 128)
			return -EINVAL;
		return route_act(a);
	case IPIFC_SLAAC_DNS_SERVER:
		return dns_act(a, k);
	case IPIFC_SLAAC_DNS_DOMAIN:
		if (memchr(a->text, '\0', sizeof(a->text)) == NULL ||
		    !domain_ok(a->text))
			return -EINVAL;
		return dns_act(a, k);
	case IPIFC_SLAAC_SET_MTU:
		return param(k, "conf", "mtu", a->value);
	case IPIFC_SLAAC_SET_HOPLIMIT:
		return param(k, "conf", "hop_limit", a->value);
	case IPIFC_SLAAC_SET_REACHABLE:
		return param(k, "neigh", "base_reachable_time_ms", a->value);
	case IPIFC_SLAAC_SET_RETRANS:
		return param(k, "neigh", "retrans_time_ms", a->value);
	case IPIFC_SLAAC_SEND_RS:
		return -EINVAL;
	case IPIFC_SLAAC_NBR_STALE:
		/*
		 * Done already: the kernel's own RA input makes the
		 * router's entry STALE with the SLLA (RFC 4861 6.3.4)
		 * whatever accept_ra says.
		 */
		return 0;
	default:
		/* PREF64, captive portal: nothing in the kernel takes them */
		return -EOPNOTSUPP;
	}
}

/* Turn the kernel's own autoconfiguration off on slot k, keep the old. */
static void
sysctls_off(int k)
{
	int	 j;

	for (j = 0; j < 2; j++) {
		if (sysctl_rw(opts->ifname[k], sysctls[j], saved[k][j],
		    sizeof(saved[k][j]), "0") == -1) {
			saved[k][j][0] = '\0';
			slaacd_log(LOG_WARNING, "%s: cannot turn %s off: %s",
			    opts->ifname[k], sysctls[j], strerror(errno));
			continue;
		}
		slaacd_log(LOG_DEBUG, "%s: %s %s -> 0", opts->ifname[k],
		    sysctls[j], saved[k][j]);
	}
}

static void
sysctls_restore(int k)
{
	int	 j;

	for (j = 0; j < 2; j++) {
		if (saved[k][j][0] == '\0')
			continue;
		if (sysctl_rw(opts->ifname[k], sysctls[j], NULL, 0,
		    saved[k][j]) == -1)
			slaacd_log(LOG_WARNING, "%s: cannot restore %s: %s",
			    opts->ifname[k], sysctls[j], strerror(errno));
		else
			slaacd_log(LOG_DEBUG, "%s: %s restored to %s",
			    opts->ifname[k], sysctls[j], saved[k][j]);
		saved[k][j][0] = '\0';
	}
}

void
slaacd_parent_ifchange(unsigned ifindex, const char *name)
{
	int	 k = slaacd_managed(opts, ifindex);

	if (name == NULL) {
		/* gone with the interface: its sysctls, its DNS */
		if (k == -1)
			return;
		memset(saved[k], 0, sizeof(saved[k]));
		memset(&dns[k], 0, sizeof(dns[k]));
		nh_gone(ifindex);
		slaacd_if_del(opts, k);
		if (dns_write() != 0)
			slaacd_log(LOG_WARNING, "%s: cannot write",
			    opts->dnsfile);
		return;
	}
	if (k != -1) {
		/* renamed: the sysctls' paths follow */
		(void)slaacd_if_add(opts, ifindex, name);
		return;
	}
	if ((k = slaacd_if_add(opts, ifindex, name)) == -1) {
		slaacd_log(LOG_WARNING, "%s: too many interfaces", name);
		return;
	}
	sysctls_off(k);
}

int
slaacd_parent_init(struct slaacd_opts *o)
{
	opts = o;
	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		slaacd_log(LOG_ERR, "cannot open rtnetlink: %s",
		    strerror(errno));
		return -1;
	}
	nlseq = (unsigned)time(NULL);
	return dns_write() == 0 ? 0 : (slaacd_log(LOG_ERR, "%s: cannot "
	    "write", o->dnsfile), -1);
}

void
slaacd_parent_fini(void)
{
	int	 k;

	for (k = 0; opts != NULL && k < SLAACD_MAXIFS; k++)
		if (opts->ifindex[k] != 0)
			sysctls_restore(k);
	/* what slaacd learned goes with it: no stale servers stay */
	if (opts != NULL) {
		memset(dns, 0, sizeof(dns));
		if (dns_write() != 0)
			slaacd_log(LOG_WARNING, "%s: cannot empty it",
			    opts->dnsfile);
	}
	if (nl != NULL)
		mnl_socket_close(nl);
	nl = NULL;
}
