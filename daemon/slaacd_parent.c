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

static const struct slaacd_opts *opts;
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

/* Send one request, wait for its acknowledgement: 0 or -errno. */
static int
talk(struct nlmsghdr *n)
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
		    mnl_socket_get_portid(nl), NULL, NULL);
		if (r <= MNL_CB_STOP)
			break;
	}
	return r == -1 ? -errno : 0;
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
route_msg(const struct ipifc_slaac_act *a, int del)
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
	if (a->kind != IPIFC_SLAAC_RT_ONLINK)
		mnl_attr_put(n, RTA_GATEWAY, 16, a->gw.a);
	mnl_attr_put_u32(n, RTA_OIF, a->ifc);
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
	int	 r;

	if (a->type == IPIFC_SLAAC_ROUTE_REMOVE)
		return route_msg(a, 1);
	/* there already, with another preference: take it out first */
	if ((r = route_msg(a, 0)) == -EEXIST && (r = route_msg(a, 1)) == 0)
		r = route_msg(a, 0);
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
	for (i = 0; i < opts->nifs; i++)
		for (j = 0; j < dns[i].nserver; j++)
			fprintf(f, "nameserver %s\n", ipifc_ip_fmt(
			    &dns[i].server[j], ip, sizeof(ip)));
	for (i = 0; i < opts->nifs; i++)
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
	default:
		/* the router's neighbor entry, PREF64, captive portal */
		return -EOPNOTSUPP;
	}
}

int
slaacd_parent_init(const struct slaacd_opts *o)
{
	int	 i, j;

	opts = o;
	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == -1) {
		slaacd_log(LOG_ERR, "cannot open rtnetlink: %s",
		    strerror(errno));
		return -1;
	}
	nlseq = (unsigned)time(NULL);
	for (i = 0; i < o->nifs; i++)
		for (j = 0; j < 2; j++) {
			if (sysctl_rw(o->ifname[i], sysctls[j], saved[i][j],
			    sizeof(saved[i][j]), "0") == -1) {
				saved[i][j][0] = '\0';
				slaacd_log(LOG_ERR, "%s: cannot turn %s off: %s",
				    o->ifname[i], sysctls[j], strerror(errno));
				return -1;
			}
			slaacd_log(LOG_DEBUG, "%s: %s %s -> 0", o->ifname[i],
			    sysctls[j], saved[i][j]);
		}
	return dns_write() == 0 ? 0 : (slaacd_log(LOG_ERR, "%s: cannot "
	    "write", o->dnsfile), -1);
}

void
slaacd_parent_fini(void)
{
	int	 i, j;

	for (i = 0; opts != NULL && i < opts->nifs; i++)
		for (j = 0; j < 2; j++) {
			if (saved[i][j][0] == '\0')
				continue;
			if (sysctl_rw(opts->ifname[i], sysctls[j], NULL, 0,
			    saved[i][j]) == -1)
				slaacd_log(LOG_WARNING, "%s: cannot restore "
				    "%s: %s", opts->ifname[i], sysctls[j],
				    strerror(errno));
			else
				slaacd_log(LOG_DEBUG, "%s: %s restored to %s",
				    opts->ifname[i], sysctls[j], saved[i][j]);
		}
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
