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
#include <event2/event.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slaacd.h"
#include "wire.h"

#define RS_LEN	8	/* RFC 4861 4.1: type, code, checksum, reserved */

static struct slaacd_opts *opts;
static int parentfd, enginefd, icmpfd;
static int pktfd = -1;		/* AF_PACKET, protocol 0: sends only */
static struct mnl_socket *nl;
static struct slaacd_conn pconn, econn;

/*
 * The control socket (slaacctl): one client at a time, one command a
 * connection; a second client meanwhile is told to wait.
 */
#define CTL_LINEMAX	256
static int ctlfd = -1, clientfd = -1;
static char cline[CTL_LINEMAX];
static size_t clen;
static int cwaiting;		/* the engine is answering */
static struct event_base *base;
static struct event *clev;	/* clientfd readable, while not waiting */

/* What the frontend knows of each managed interface. */
static struct fif {
	int	seen;		/* a link message came */
	int	running;
	int	hasmac;
	uint8_t	mac[6];
	int	hasll;		/* usable link-local addresses, the first used */
	struct in6_addr ll[4];
} fifs[SLAACD_MAXIFS];

/* Drops, by reason. */
static struct {
	uint64_t notmanaged, hoplimit, size, short_, nopktinfo, nlbad;
	uint64_t toomany;	/* interfaces over SLAACD_MAXIFS */
} drops;

static void __attribute__((noreturn))
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

static void
nl_malformed(void)
{
	drops.nlbad++;
	slaacd_log(LOG_WARNING, "frontend: malformed netlink message "
	    "dropped (%llu)", (unsigned long long)drops.nlbad);
}

static void
tell_parent(uint32_t type, unsigned ifindex, const void *p, size_t len)
{
	if (slaacd_send(parentfd, type, ifindex, p, len) == -1)
		fatal("cannot write to the parent");
}

/*
 * Whether a link not managed yet is one to manage: named on the command
 * line, or with none named, Ethernet-like and not a bridge's or bond's
 * port (its master has the addresses).
 */
static int
wanted(const struct slaacd_nlev *ev)
{
	if (ev->name[0] == '\0' || !slaacd_wanted(opts, ev->name))
		return 0;
	return !opts->all || (ev->ether && !ev->port);
}

/* A new interface: the parent hears of it first, then the engine. */
static int
ifadd(const struct slaacd_nlev *ev)
{
	struct sm_ifadd ia;
	int	 k;

	if ((k = slaacd_if_add(opts, ev->ifindex, ev->name)) == -1) {
		drops.toomany++;
		slaacd_log(LOG_WARNING, "frontend: %s: too many interfaces, "
		    "not managed (%llu)", ev->name,
		    (unsigned long long)drops.toomany);
		return -1;
	}
	memset(&fifs[k], 0, sizeof(fifs[k]));
	memset(&ia, 0, sizeof(ia));
	snprintf(ia.name, sizeof(ia.name), "%s", ev->name);
	tell_parent(SM_IFADD, ev->ifindex, &ia, sizeof(ia));
	tell_engine(SM_IFADD, ev->ifindex, &ia, sizeof(ia));
	slaacd_log(LOG_INFO, "frontend: %s: managed (ifindex %u)", ev->name,
	    ev->ifindex);
	return k;
}

static void
ifdel(unsigned ifindex, int k)
{
	slaacd_log(LOG_INFO, "frontend: %s: interface removed, no longer "
	    "managed", opts->ifname[k]);
	tell_engine(SM_IFDEL, ifindex, NULL, 0);
	tell_parent(SM_IFDEL, ifindex, NULL, 0);
	memset(&fifs[k], 0, sizeof(fifs[k]));
	slaacd_if_del(opts, k);
}

static void
linkev(const struct slaacd_nlev *ev)
{
	struct sm_ifadd ia;
	int	 k;

	if ((k = slaacd_managed(opts, ev->ifindex)) == -1) {
		if (ev->gone || !wanted(ev) || (k = ifadd(ev)) == -1)
			return;
	} else if (ev->gone) {
		ifdel(ev->ifindex, k);
		return;
	} else if (ev->name[0] != '\0' &&
	    strcmp(ev->name, opts->ifname[k]) != 0) {
		slaacd_log(LOG_INFO, "frontend: %s: renamed %s",
		    opts->ifname[k], ev->name);
		(void)slaacd_if_add(opts, ev->ifindex, ev->name);
		memset(&ia, 0, sizeof(ia));
		snprintf(ia.name, sizeof(ia.name), "%s", ev->name);
		tell_parent(SM_IFADD, ev->ifindex, &ia, sizeof(ia));
		tell_engine(SM_IFADD, ev->ifindex, &ia, sizeof(ia));
	}
	if (fifs[k].seen && fifs[k].running == ev->running &&
	    fifs[k].hasmac == ev->hasmac &&
	    memcmp(fifs[k].mac, ev->mac, 6) == 0)
		return;
	if (fifs[k].seen && fifs[k].hasmac && ev->hasmac &&
	    memcmp(fifs[k].mac, ev->mac, 6) != 0)
		slaacd_log(LOG_INFO, "frontend: %s: new MAC "
		    "%02x:%02x:%02x:%02x:%02x:%02x", opts->ifname[k],
		    ev->mac[0], ev->mac[1], ev->mac[2], ev->mac[3], ev->mac[4],
		    ev->mac[5]);
	fifs[k].seen = 1;
	fifs[k].running = ev->running;
	fifs[k].hasmac = ev->hasmac;
	memcpy(fifs[k].mac, ev->mac, 6);
	slaacd_log(LOG_INFO, "frontend: %s: %s", opts->ifname[k],
	    ev->running ? "running" : "not running");
	link_changed(ev->ifindex, k);
}

/* A link-local address came, went or became usable. */
static void
ll_update(int k, const struct in6_addr *a, int usable, unsigned ifindex)
{
	struct fif *f = &fifs[k];
	int	 i, had = f->hasll > 0;

	for (i = 0; i < f->hasll; i++)
		if (memcmp(&f->ll[i], a, 16) == 0)
			break;
	if (usable && i == f->hasll && f->hasll < 4)
		f->ll[f->hasll++] = *a;
	else if (!usable && i < f->hasll) {
		memmove(&f->ll[i], &f->ll[i + 1],
		    (size_t)(f->hasll - i - 1) * sizeof(f->ll[0]));
		f->hasll--;
	}
	if (had != (f->hasll > 0))
		tell_engine(SM_LLADDR, ifindex, &(int32_t){ f->hasll > 0 },
		    sizeof(int32_t));
}

static void
addrev(const struct slaacd_nlev *ev)
{
	struct in6_addr a;
	struct sm_dad d;
	int	 k, usable;

	if ((k = slaacd_managed(opts, ev->ifindex)) == -1)
		return;
	memcpy(&a, ev->addr.a, 16);
	usable = !ev->gone &&
	    !(ev->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED));
	if (IN6_IS_ADDR_LINKLOCAL(&a)) {
		ll_update(k, &a, usable, ev->ifindex);
		return;
	}
	if (ev->gone) {
		/* removed by another, or by our parent: the engine knows */
		tell_engine(SM_ADDRGONE, ev->ifindex, &ev->addr,
		    sizeof(ev->addr));
		return;
	}
	if (!(usable || (ev->flags & IFA_F_DADFAILED)))
		return;
	memset(&d, 0, sizeof(d));
	d.addr = ev->addr;
	d.ok = usable;
	tell_engine(SM_DAD, ev->ifindex, &d, sizeof(d));
}

static int
nlmsg(const struct nlmsghdr *n, void *arg)
{
	struct slaacd_nlev ev;

	if (slaacd_nl_parse(n, &ev) == -1)
		nl_malformed();
	else if (ev.kind == SLAACD_NL_LINK)
		linkev(&ev);
	else if (ev.kind == SLAACD_NL_ADDR)
		addrev(&ev);
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
	if (slaacd_nl_batch_ok(buf, (size_t)n) != 0 ||
	    mnl_cb_run(buf, (size_t)n, 0, 0, nlmsg, NULL) == MNL_CB_ERROR)
		nl_malformed();	/* a partial one, or an error */
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
		if (slaacd_nl_batch_ok(buf, (size_t)r) != 0) {
			nl_malformed();
			r = MNL_CB_STOP;
			break;
		}
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

/*
 * An RS from :: (RFC 4861 4.1: no address is assigned yet, the
 * link-local one is tentative), without the SLLA option.  Linux picks a
 * source for a raw ICMPv6 socket, IPV6_PKTINFO's :: or not, and with no
 * usable address refuses (EADDRNOTAVAIL); so the whole IPv6 packet
 * goes out on a packet socket that receives nothing (protocol 0).
 */
static int
rs_unspec(unsigned ifindex)
{
	/* RFC 2464 7: ff02::2 on Ethernet */
	static const uint8_t allrouters[6] = { 0x33, 0x33, 0, 0, 0, 2 };
	uint8_t	 pkt[IPIFC_IP6_HLEN + 64];
	struct ipifc_nd m;
	struct ipifc_ip6 h;
	struct sockaddr_ll sll;
	int	 n;

	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_RS;
	memset(&h, 0, sizeof(h));
	h.hlim = 255;		/* RFC 4861 4.1 */
	h.nxt = IPPROTO_ICMPV6;
	h.src = ipifc_ip_unspec6;
	(void)inet_pton(AF_INET6, "ff02::2", h.dst.a);
	if ((n = ipifc_nd_build(pkt + IPIFC_IP6_HLEN, sizeof(pkt) -
	    IPIFC_IP6_HLEN, &h.src, &h.dst, &m)) < 0)
		return -1;
	h.plen = (size_t)n;
	if (ipifc_ip6_build(pkt, IPIFC_IP6_HLEN, &h) < 0)
		return -1;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IPV6);
	sll.sll_ifindex = (int)ifindex;
	sll.sll_halen = sizeof(allrouters);
	memcpy(sll.sll_addr, allrouters, sizeof(allrouters));
	return sendto(pktfd, pkt, IPIFC_IP6_HLEN + (size_t)n, 0,
	    (struct sockaddr *)&sll, sizeof(sll)) == -1 ? -1 : 0;
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

	if (rs->unspec || !fifs[k].hasll) {
		if (rs_unspec(ifindex) == -1)
			slaacd_log(LOG_WARNING, "frontend: %s: cannot send an "
			    "RS from ::: %s", opts->ifname[k], strerror(errno));
		else
			slaacd_log(LOG_DEBUG, "frontend: %s: RS sent from ::",
			    opts->ifname[k]);
		return;
	}
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = ND_ROUTER_SOLICIT;
	memset(&pi, 0, sizeof(pi));
	pi.ipi6_ifindex = ifindex;
	pi.ipi6_addr = fifs[k].ll[0];
	if (rs->slla) {
		pkt[8] = ND_OPT_SOURCE_LINKADDR;
		pkt[9] = 1;	/* units of 8 bytes */
		memcpy(pkt + 10, rs->mac, 6);
		len += 8;
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

static void client_put(const char *);

/* The frontend's drop counters, at the end of `show interface`. */
static void
ctl_drops(void)
{
	char	 l[256];

	snprintf(l, sizeof(l), "frontend drops: notmanaged %llu hoplimit "
	    "%llu toolong %llu tooshort %llu nopktinfo %llu netlink %llu "
	    "toomany %llu",
	    (unsigned long long)drops.notmanaged,
	    (unsigned long long)drops.hoplimit,
	    (unsigned long long)drops.size,
	    (unsigned long long)drops.short_,
	    (unsigned long long)drops.nopktinfo,
	    (unsigned long long)drops.nlbad,
	    (unsigned long long)drops.toomany);
	client_put(l);
}

static int
ctl_open(const char *path)
{
	struct sockaddr_un sun;
	mode_t	 old;
	int	 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    0)) == -1)
		return -1;
	(void)unlink(path);
	old = umask(0117);	/* root and the group only */
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 4) == -1) {
		umask(old);
		close(fd);
		return -1;
	}
	umask(old);
	return fd;
}

static void
client_put(const char *l)
{
	size_t	 n = strlen(l), off = 0;
	ssize_t	 w;
	char	 buf[600];

	/* a client that does not read loses its answer, nothing more */
	snprintf(buf, sizeof(buf), "%s\n", l);
	n = strlen(buf);
	while (off < n && clientfd != -1) {
		w = send(clientfd, buf + off, n - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
}

static void
client_done(void)
{
	if (clev != NULL)
		event_free(clev);
	clev = NULL;
	if (clientfd != -1)
		close(clientfd);
	clientfd = -1;
	clen = 0;
	cwaiting = 0;
}

static void client_read(void);

static void
on_client(evutil_socket_t fd, short what, void *arg)
{
	client_read();
}

static void
client_accept(void)
{
	int	 fd;

	if ((fd = accept4(ctlfd, NULL, NULL, SOCK_CLOEXEC)) == -1)
		return;
	if (clientfd != -1) {
		(void)send(fd, "busy\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
		close(fd);
		return;
	}
	clientfd = fd;
	clen = 0;
	if ((clev = event_new(base, fd, EV_READ | EV_PERSIST, on_client,
	    NULL)) == NULL || event_add(clev, NULL) == -1) {
		slaacd_log(LOG_WARNING, "frontend: no event for a client");
		client_done();
	}
}

static int
ifname_index(const char *name)
{
	int	 k;

	for (k = 0; k < SLAACD_MAXIFS; k++)
		if (opts->ifindex[k] != 0 && strcmp(opts->ifname[k], name) == 0)
			return k;
	return -1;
}

static void
command(char *l)
{
	char	*w[4], *save = NULL, msg[128];
	int	 n = 0, k = -1;
	int32_t	 v;
	struct sm_rs rs;

	for (w[n] = strtok_r(l, " \t", &save); w[n] != NULL && n < 3;
	    w[++n] = strtok_r(NULL, " \t", &save))
		;
	if (n >= 3 && strcmp(w[0], "show") == 0 &&
	    strcmp(w[1], "interface") == 0 && (k = ifname_index(w[2])) == -1) {
		snprintf(msg, sizeof(msg), "error: %s: not managed", w[2]);
		client_put(msg);
	} else if (n >= 2 && n <= 3 && strcmp(w[0], "show") == 0 &&
	    strcmp(w[1], "interface") == 0) {
		cwaiting = 1;
		(void)event_del(clev);	/* what it sends waits */
		tell_engine(SM_CTL_SHOW, k == -1 ? 0 : opts->ifindex[k],
		    NULL, 0);
		return;
	} else if (n == 3 && strcmp(w[0], "send") == 0 &&
	    strcmp(w[1], "solicitation") == 0) {
		if ((k = ifname_index(w[2])) == -1) {
			snprintf(msg, sizeof(msg), "error: %s: not managed",
			    w[2]);
			client_put(msg);
		} else {
			memset(&rs, 0, sizeof(rs));
			rs.unspec = !fifs[k].hasll;
			rs.slla = fifs[k].hasmac;
			memcpy(rs.mac, fifs[k].mac, sizeof(rs.mac));
			rs_out(opts->ifindex[k], &rs);
			client_put("ok");
		}
	} else if (n == 2 && strcmp(w[0], "log") == 0 &&
	    (strcmp(w[1], "verbose") == 0 || strcmp(w[1], "brief") == 0)) {
		v = strcmp(w[1], "verbose") == 0;
		slaacd_verbose = v;
		tell_engine(SM_CTL_LOG, 0, &v, sizeof(v));
		if (slaacd_send(parentfd, SM_CTL_LOG, 0, &v, sizeof(v)) == -1)
			fatal("cannot write to the parent");
		client_put("ok");
	} else
		client_put("error: commands: show interface [NAME], "
		    "send solicitation NAME, log verbose|brief");
	client_done();
}

static void
client_read(void)
{
	ssize_t	 n;
	char	*eol;

	if (cwaiting)
		return;
	n = recv(clientfd, cline + clen, sizeof(cline) - 1 - clen,
	    MSG_DONTWAIT);
	if (n <= 0) {
		if (n == 0 || errno != EAGAIN)
			client_done();
		return;
	}
	clen += (size_t)n;
	cline[clen] = '\0';
	if ((eol = strchr(cline, '\n')) != NULL) {
		*eol = '\0';
		command(cline);
	} else if (clen == sizeof(cline) - 1) {
		client_put("error: line too long");
		client_done();
	}
}

/*
 * The sibling's end closed: the parent shutting down (its end closes
 * too, at once), or the sibling died, which ends the daemon.
 */
static void
parent_gone_or(const char *what)
{
	struct pollfd pfd = { .fd = parentfd, .events = POLLIN };
	char	 c;

	if (poll(&pfd, 1, 2000) == 1 && read(parentfd, &c, 1) == 0)
		_exit(0);
	fatal(what);
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
		{
			/* at shutdown the parent's end closes next */
			parent_gone_or("the engine closed its end");
		}
	}
	if (n == -1)
		fatal("cannot read a socketpair");
	while ((n = slaacd_conn_get(c, &h, p)) == 1) {
		if (c == &econn && h.type == SM_CTL_LINE) {
			p[h.len < sizeof(p) ? h.len : sizeof(p) - 1] = '\0';
			if (memchr(p, '\0', h.len) != NULL || !cwaiting)
				fatal("a stray or malformed answer");
			client_put((char *)p);
			continue;
		}
		if (c == &econn && h.type == SM_CTL_END) {
			if (!cwaiting)
				fatal("a stray answer");
			ctl_drops();
			client_done();
			continue;
		}
		if (c != &econn || h.type != SM_SEND_RS ||
		    slaacd_managed(opts, h.peer) == -1)
			fatal("a message not for the frontend");
		memcpy(&rs, p, sizeof(rs));
		rs_out(h.peer, &rs);
	}
	if (n == -1)
		fatal("malformed message, connection dropped");
}

static void
on_conn(evutil_socket_t fd, short what, void *arg)
{
	conn(arg);
}

static void
on_icmp(evutil_socket_t fd, short what, void *arg)
{
	ra_in();
}

static void
on_nl(evutil_socket_t fd, short what, void *arg)
{
	nlread();
}

static void
on_accept(evutil_socket_t fd, short what, void *arg)
{
	client_accept();
}

void
slaacd_frontend_main(struct slaacd_opts *o, int pfd, int efd)
{
	struct mnl_socket *dumper;
	struct event *pev, *eev, *iev, *nev, *cev;

	opts = o;
	parentfd = pfd;
	enginefd = efd;
	slaacd_log_child(parentfd);
	slaacd_conn_init(&pconn, parentfd, "parent");
	slaacd_conn_init(&econn, enginefd, "engine");
	if ((icmpfd = icmp_open()) == -1)
		fatal("cannot open the raw ICMPv6 socket");
	if ((pktfd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		fatal("cannot open the packet socket");
	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(nl, RTMGRP_LINK | RTMGRP_IPV6_IFADDR,
	    MNL_SOCKET_AUTOPID) == -1)
		fatal("cannot open the rtnetlink listener");
	if ((dumper = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC)) == NULL ||
	    mnl_socket_bind(dumper, 0, MNL_SOCKET_AUTOPID) == -1)
		fatal("cannot open an rtnetlink socket");
	if ((ctlfd = ctl_open(o->sock)) == -1)
		fatal("cannot open the control socket");
	if ((base = slaacd_event_base()) == NULL ||
	    (pev = event_new(base, parentfd, EV_READ | EV_PERSIST, on_conn,
	    &pconn)) == NULL ||
	    (eev = event_new(base, enginefd, EV_READ | EV_PERSIST, on_conn,
	    &econn)) == NULL ||
	    (iev = event_new(base, icmpfd, EV_READ | EV_PERSIST, on_icmp,
	    NULL)) == NULL ||
	    (nev = event_new(base, mnl_socket_get_fd(nl), EV_READ |
	    EV_PERSIST, on_nl, NULL)) == NULL ||
	    (cev = event_new(base, ctlfd, EV_READ | EV_PERSIST, on_accept,
	    NULL)) == NULL)
		fatal("cannot make the event loop");
	if (slaacd_drop_privileges(o) == -1)
		fatal("cannot drop privileges");
	if (dump(dumper, RTM_GETLINK) == -1 || dump(dumper, RTM_GETADDR) == -1)
		fatal("cannot read the links and addresses");
	mnl_socket_close(dumper);
	slaacd_log(LOG_DEBUG, "frontend: running");
	if (event_add(pev, NULL) == -1 || event_add(eev, NULL) == -1 ||
	    event_add(iev, NULL) == -1 || event_add(nev, NULL) == -1 ||
	    event_add(cev, NULL) == -1)
		fatal("cannot add the events");
	(void)event_base_dispatch(base);
	fatal("the event loop ended");
}
