/*
 * slaacd's frontend: the raw ICMPv6 socket (only RAs pass its filter;
 * what it sends goes with hop limit 255) and an rtnetlink listener for
 * link and address events, both opened while still root; then chroot
 * and the unprivileged user before a single byte from outside is read.
 * An RA reaches the engine only from a managed interface, with hop
 * limit 255 (RFC 4861 6.1.2) and a size that fits; every other one is
 * dropped and counted.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slaacd.h"

#define RS_LEN	8	/* RFC 4861 4.1: type, code, checksum, reserved */

static const struct slaacd_opts *opts;
static int parentfd, enginefd, icmpfd;
static struct mnl_socket *nl;
static struct slaacd_conn pconn, econn;

/* What the frontend knows of each managed interface. */
static struct fif {
	int	seen;		/* a link message came */
	int	running;
	int	hasmac;
	uint8_t	mac[6];
	int	hasll;		/* a usable link-local address */
	struct in6_addr ll;
} fifs[SLAACD_MAXIFS];

/* Drops, by reason. */
static struct {
	uint64_t notmanaged, hoplimit, size, short_, nopktinfo, nlbad;
} drops;

static void
fatal(const char *what)
{
	slaacd_log(LOG_ERR, "frontend: %s; exiting", what);
	_exit(1);
}

static void
tell_engine(uint32_t type, unsigned ifindex, const void *p, size_t len)
{
	if (slaacd_send(enginefd, type, ifindex, p, len) == -1)
		fatal("cannot write to the engine");
}

static void
link_changed(unsigned ifindex, int k)
{
	struct sm_ifinfo ii;

	memset(&ii, 0, sizeof(ii));
	ii.running = fifs[k].running;
	ii.hasmac = fifs[k].hasmac;
	memcpy(ii.mac, fifs[k].mac, sizeof(ii.mac));
	snprintf(ii.name, sizeof(ii.name), "%s", opts->ifname[k]);
	tell_engine(SM_IFINFO, ifindex, &ii, sizeof(ii));
}

static int
link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int	 t = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK;
	if (t == IFLA_ADDRESS && mnl_attr_validate(a, MNL_TYPE_BINARY) < 0)
		return MNL_CB_ERROR;
	tb[t] = a;
	return MNL_CB_OK;
}

static void
linkmsg(const struct nlmsghdr *n)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(n);
	int	 k, running, hasmac = 0;
	uint8_t	 mac[6] = { 0 };

	if ((k = slaacd_managed(opts, (unsigned)ifi->ifi_index)) == -1)
		return;
	if (n->nlmsg_type == RTM_DELLINK) {
		/* not followed yet: the interface is gone */
		slaacd_log(LOG_WARNING, "frontend: %s: interface removed",
		    opts->ifname[k]);
		fifs[k].running = 0;
		link_changed((unsigned)ifi->ifi_index, k);
		return;
	}
	if (mnl_attr_parse(n, sizeof(*ifi), link_attr, tb) != MNL_CB_OK) {
		drops.nlbad++;
		slaacd_log(LOG_WARNING, "frontend: malformed link message "
		    "dropped (%llu)", (unsigned long long)drops.nlbad);
		return;
	}
	running = (ifi->ifi_flags & IFF_UP) && (ifi->ifi_flags & IFF_RUNNING);
	if (tb[IFLA_ADDRESS] != NULL &&
	    mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		hasmac = 1;
		memcpy(mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
	}
	if (fifs[k].seen && fifs[k].running == running &&
	    fifs[k].hasmac == hasmac && memcmp(fifs[k].mac, mac, 6) == 0)
		return;
	fifs[k].seen = 1;
	fifs[k].running = running;
	fifs[k].hasmac = hasmac;
	memcpy(fifs[k].mac, mac, 6);
	slaacd_log(LOG_INFO, "frontend: %s: %s", opts->ifname[k],
	    running ? "running" : "not running");
	link_changed((unsigned)ifi->ifi_index, k);
}

static int
addr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int	 t = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((t == IFA_ADDRESS || t == IFA_LOCAL) &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY, 16) < 0)
		return MNL_CB_ERROR;
	if (t == IFA_FLAGS && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	tb[t] = a;
	return MNL_CB_OK;
}

static void
addrmsg(const struct nlmsghdr *n)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(n);
	struct in6_addr a;
	struct sm_dad d;
	uint32_t flags;
	int	 k, gone, usable;

	if (ifa->ifa_family != AF_INET6 ||
	    (k = slaacd_managed(opts, ifa->ifa_index)) == -1)
		return;
	if (mnl_attr_parse(n, sizeof(*ifa), addr_attr, tb) != MNL_CB_OK ||
	    tb[IFA_ADDRESS] == NULL) {
		drops.nlbad++;
		slaacd_log(LOG_WARNING, "frontend: malformed address message "
		    "dropped (%llu)", (unsigned long long)drops.nlbad);
		return;
	}
	memcpy(&a, mnl_attr_get_payload(tb[IFA_ADDRESS]), 16);
	flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) :
	    ifa->ifa_flags;
	gone = n->nlmsg_type == RTM_DELADDR;
	usable = !gone && !(flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	if (IN6_IS_ADDR_LINKLOCAL(&a)) {
		if (usable && !fifs[k].hasll) {
			fifs[k].hasll = 1;
			fifs[k].ll = a;
		} else if (!usable && fifs[k].hasll &&
		    memcmp(&fifs[k].ll, &a, 16) == 0)
			fifs[k].hasll = 0;
		else
			return;
		tell_engine(SM_LLADDR, ifa->ifa_index, &(int32_t){
		    fifs[k].hasll }, sizeof(int32_t));
		return;
	}
	if (gone || !(usable || (flags & IFA_F_DADFAILED)))
		return;
	memset(&d, 0, sizeof(d));
	memcpy(d.addr.a, &a, 16);
	d.ok = usable;
	tell_engine(SM_DAD, ifa->ifa_index, &d, sizeof(d));
}

static int
nlmsg(const struct nlmsghdr *n, void *arg)
{
	switch (n->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (mnl_nlmsg_get_payload_len(n) < sizeof(struct ifinfomsg))
			break;
		linkmsg(n);
		return MNL_CB_OK;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (mnl_nlmsg_get_payload_len(n) < sizeof(struct ifaddrmsg))
			break;
		addrmsg(n);
		return MNL_CB_OK;
	default:
		return MNL_CB_OK;
	}
	drops.nlbad++;
	slaacd_log(LOG_WARNING, "frontend: short netlink message dropped "
	    "(%llu)", (unsigned long long)drops.nlbad);
	return MNL_CB_OK;
}

/* Read one batch from the listener; a partial one is counted. */
static void
nlread(void)
{
	static uint8_t buf[SLAACD_NLBUF];
	ssize_t	 n;

	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n == -1) {
		if (errno == ENOBUFS)
			slaacd_log(LOG_WARNING, "frontend: netlink events "
			    "lost (ENOBUFS)");
		return;
	}
	if (mnl_cb_run(buf, (size_t)n, 0, 0, nlmsg, NULL) == MNL_CB_ERROR) {
		drops.nlbad++;
		slaacd_log(LOG_WARNING, "frontend: partial netlink message "
		    "dropped (%llu)", (unsigned long long)drops.nlbad);
	}
}

/* Ask for every link and address; the answers come as events do. */
static int
dump(struct mnl_socket *s, int type)
{
	static uint8_t buf[SLAACD_NLBUF];
	struct nlmsghdr *n;
	struct rtgenmsg *g;
	ssize_t	 r;
	unsigned seqno = (unsigned)time(NULL) + (unsigned)type;

	n = mnl_nlmsg_put_header(buf);
	n->nlmsg_type = type;
	n->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	n->nlmsg_seq = seqno;
	g = mnl_nlmsg_put_extra_header(n, sizeof(*g));
	g->rtgen_family = type == RTM_GETADDR ? AF_INET6 : AF_UNSPEC;
	if (mnl_socket_sendto(s, n, n->nlmsg_len) == -1)
		return -1;
	while ((r = mnl_socket_recvfrom(s, buf, sizeof(buf))) > 0) {
		r = mnl_cb_run(buf, (size_t)r, seqno, mnl_socket_get_portid(s),
		    nlmsg, NULL);
		if (r <= MNL_CB_STOP)
			break;
	}
	return r == -1 ? -1 : 0;
}

static void
ra_in(void)
{
	uint8_t	 buf[sizeof(struct sm_ra) + SLAACD_MSGMAX];
	uint8_t	 cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
		    CMSG_SPACE(sizeof(int))];
	struct sockaddr_in6 from;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *cm;
	struct in6_pktinfo *pi = NULL;
	struct sm_ra ra;
	int	 hlim = -1;
	ssize_t	 n;

	iov.iov_base = buf + sizeof(ra);
	iov.iov_len = SLAACD_MSGMAX - sizeof(ra);
	memset(&m, 0, sizeof(m));
	m.msg_name = &from;
	m.msg_namelen = sizeof(from);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	n = recvmsg(icmpfd, &m, MSG_DONTWAIT);
	if (n == -1)
		return;
	for (cm = CMSG_FIRSTHDR(&m); cm != NULL; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_PKTINFO &&
		    cm->cmsg_len == CMSG_LEN(sizeof(*pi)))
			pi = (struct in6_pktinfo *)CMSG_DATA(cm);
		if (cm->cmsg_type == IPV6_HOPLIMIT &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&hlim, CMSG_DATA(cm), sizeof(int));
	}
	if (pi == NULL || hlim == -1) {
		drops.nopktinfo++;
		slaacd_log(LOG_DEBUG, "frontend: RA without pktinfo or hop "
		    "limit dropped (%llu)",
		    (unsigned long long)drops.nopktinfo);
		return;
	}
	if (slaacd_managed(opts, pi->ipi6_ifindex) == -1) {
		drops.notmanaged++;
		slaacd_log(LOG_DEBUG, "frontend: RA on ifindex %u, not "
		    "managed, dropped (%llu)", pi->ipi6_ifindex,
		    (unsigned long long)drops.notmanaged);
		return;
	}
	if (hlim != 255) {
		drops.hoplimit++;
		slaacd_log(LOG_INFO, "frontend: RA with hop limit %d dropped "
		    "(%llu)", hlim, (unsigned long long)drops.hoplimit);
		return;
	}
	if (m.msg_flags & MSG_TRUNC) {
		drops.size++;
		slaacd_log(LOG_INFO, "frontend: RA too long dropped (%llu)",
		    (unsigned long long)drops.size);
		return;
	}
	if (n < 16) {	/* RFC 4861 4.2: the RA's fixed part */
		drops.short_++;
		slaacd_log(LOG_INFO, "frontend: RA too short dropped (%llu)",
		    (unsigned long long)drops.short_);
		return;
	}
	memset(&ra, 0, sizeof(ra));
	memcpy(ra.src.a, &from.sin6_addr, 16);
	memcpy(ra.dst.a, &pi->ipi6_addr, 16);
	ra.hlim = hlim;
	memcpy(buf, &ra, sizeof(ra));
	tell_engine(SM_RA, pi->ipi6_ifindex, buf, sizeof(ra) + (size_t)n);
}

static void
rs_out(unsigned ifindex, const struct sm_rs *rs)
{
	uint8_t	 pkt[RS_LEN + 8];
	uint8_t	 cbuf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct sockaddr_in6 to;
	struct in6_pktinfo pi;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *cm;
	size_t	 len = RS_LEN;
	int	 k = slaacd_managed(opts, ifindex);

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ND_ROUTER_SOLICIT;
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = ifindex;
	/* RFC 4861 4.1: from :: never with the SLLA option */
	if (!rs->unspec && fifs[k].hasll) {
		pi.ipi6_addr = fifs[k].ll;
		if (rs->slla) {
			pkt[8] = ND_OPT_SOURCE_LINKADDR;
			pkt[9] = 1;	/* units of 8 bytes */
			memcpy(pkt + 10, rs->mac, 6);
			len += 8;
		}
	}
	memset(&to, 0, sizeof(to));
	to.sin6_family = AF_INET6;
	inet_pton(AF_INET6, "ff02::2", &to.sin6_addr);
	to.sin6_scope_id = ifindex;
	iov.iov_base = pkt;
	iov.iov_len = len;
	memset(&m, 0, sizeof(m));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cbuf;
	m.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = IPPROTO_IPV6;
	cm->cmsg_type = IPV6_PKTINFO;
	cm->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
	if (sendmsg(icmpfd, &m, 0) == -1)
		slaacd_log(LOG_WARNING, "frontend: %s: cannot send an RS: %s",
		    opts->ifname[k], strerror(errno));
	else
		slaacd_log(LOG_DEBUG, "frontend: %s: RS sent", opts->ifname[k]);
}

static int
icmp_open(void)
{
	struct icmp6_filter f;
	int	 fd, on = 1, hops = 255;

	if ((fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6))
	    == -1)
		return -1;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &f);
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on,
	    sizeof(on)) == -1 ||
	    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
	    sizeof(hops)) == -1 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops,
	    sizeof(hops)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
conn(struct slaacd_conn *c)
{
	static uint8_t p[SLAACD_MSGMAX];
	struct slaacd_hdr h;
	struct sm_rs rs;
	int	 n;

	n = slaacd_conn_read(c);
	if (n == 0) {
		if (c == &pconn)
			_exit(0);	/* the parent is shutting down */
		fatal("the engine closed its end");
	}
	if (n == -1)
		fatal("cannot read a socketpair");
	while ((n = slaacd_conn_get(c, &h, p)) == 1) {
		if (c != &econn || h.type != SM_SEND_RS ||
		    slaacd_managed(opts, h.peer) == -1)
			fatal("a message not for the frontend");
		memcpy(&rs, p, sizeof(rs));
		rs_out(h.peer, &rs);
	}
	if (n == -1)
		fatal("malformed message, connection dropped");
}

void
slaacd_frontend_main(const struct slaacd_opts *o, int pfd, int efd)
{
	struct mnl_socket *dumper;
	struct pollfd pfds[4];

	opts = o;
	parentfd = pfd;
	enginefd = efd;
	slaacd_log_child(parentfd);
	slaacd_conn_init(&pconn, parentfd, "parent");
	slaacd_conn_init(&econn, enginefd, "engine");
	if ((icmpfd = icmp_open()) == -1)
		fatal("cannot open the raw ICMPv6 socket");
	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl, RTMGRP_LINK | RTMGRP_IPV6_IFADDR,
	    MNL_SOCKET_AUTOPID) == -1)
		fatal("cannot open the rtnetlink listener");
	if ((dumper = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(dumper, 0, MNL_SOCKET_AUTOPID) == -1)
		fatal("cannot open an rtnetlink socket");
	if (slaacd_drop_privileges(o) == -1)
		fatal("cannot drop privileges");
	if (dump(dumper, RTM_GETLINK) == -1 || dump(dumper, RTM_GETADDR) == -1)
		fatal("cannot read the links and addresses");
	mnl_socket_close(dumper);
	slaacd_log(LOG_DEBUG, "frontend: running");
	for (;;) {
		pfds[0].fd = parentfd;
		pfds[1].fd = enginefd;
		pfds[2].fd = icmpfd;
		pfds[3].fd = mnl_socket_get_fd(nl);
		pfds[0].events = pfds[1].events = pfds[2].events =
		    pfds[3].events = POLLIN;
		if (poll(pfds, 4, -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll failed");
		}
		if (pfds[0].revents)
			conn(&pconn);
		if (pfds[1].revents)
			conn(&econn);
		if (pfds[2].revents)
			ra_in();
		if (pfds[3].revents)
			nlread();
	}
}
