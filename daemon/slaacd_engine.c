/*
 * slaacd's engine process: the SLAAC engine (slaac/, unchanged) with no
 * privileges, chrooted, confined by seccomp to reading and writing its
 * two socketpairs (the Linux counterpart of pledge("stdio")).  What the
 * frontend saw comes in; proposals go to the parent, RSs to the
 * frontend.  The parent's answer to each proposal is logged: nothing is
 * assumed to have worked.
 */
#include <errno.h>
#include <event2/event.h>
#include <poll.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slaacd.h"

static int parentfd, frontfd;
static uint32_t seq;
static struct slaacd_conn pconn, fconn;
static struct slaacd_opts *opts;
static struct ipifc_slaac *eng;
static struct event_base *base;
static struct event *tev;		/* the engine's next deadline */
static uint8_t secret[SLAACD_SECRETLEN];	/* RFC 7217 */

static const char *const actname[] = {
	[IPIFC_SLAAC_SEND_RS] = "send-rs",
	[IPIFC_SLAAC_ADDR_ADD] = "addr-add",
	[IPIFC_SLAAC_ADDR_UPDATE] = "addr-update",
	[IPIFC_SLAAC_ADDR_REMOVE] = "addr-remove",
	[IPIFC_SLAAC_ROUTE_ADD] = "route-add",
	[IPIFC_SLAAC_ROUTE_REMOVE] = "route-remove",
	[IPIFC_SLAAC_SET_MTU] = "set-mtu",
	[IPIFC_SLAAC_SET_REACHABLE] = "set-reachable",
	[IPIFC_SLAAC_SET_RETRANS] = "set-retrans",
	[IPIFC_SLAAC_SET_HOPLIMIT] = "set-hoplimit",
	[IPIFC_SLAAC_DNS_SERVER] = "dns-server",
	[IPIFC_SLAAC_DNS_DOMAIN] = "dns-domain",
	[IPIFC_SLAAC_PREF64] = "pref64",
	[IPIFC_SLAAC_CAPTIVE] = "captive",
	[IPIFC_SLAAC_NBR_STALE] = "nbr-stale",
};

/* The proposals sent and not yet answered, to log the answer. */
#define NPENDING 64
static struct {
	uint32_t seq;
	int	type;
	unsigned ifc;
	struct ipifc_ip addr;
	int	plen;
} pending[NPENDING];

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t
rnd(void *arg)
{
	uint32_t r;

	while (getrandom(&r, sizeof(r), 0) != sizeof(r))
		;
	return r;
}

static void
englog(void *arg, const char *line)
{
	slaacd_log(LOG_INFO, "engine: %s", line);
}

/*
 * Straight to exit_group(2): no atexit handlers and no sanitizer's exit
 * hook (LeakSanitizer's check clones and ptraces), which the seccomp
 * filter would kill.
 */
static void __attribute__((noreturn))
engine_exit(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

static void __attribute__((noreturn))
fatal(const char *what)
{
	slaacd_log(LOG_ERR, "engine: %s; exiting", what);
	engine_exit(1);
}

/* A proposal to the parent: its sequence number. */
static uint32_t
propose(const struct ipifc_slaac_act *a)
{
	char	 ip[IPIFC_IPSTRLEN];
	struct sm_proposal p;
	int	 i;

	memset(&p, 0, sizeof(p));
	p.seq = ++seq;
	p.act = *a;
	ipifc_ip_fmt(&a->addr, ip, sizeof(ip));
	slaacd_log(LOG_DEBUG, "engine: proposal %u: %s ifindex %u %s/%d",
	    p.seq, actname[a->type], a->ifc, ip, a->plen);
	for (i = 0; i < NPENDING; i++)
		if (pending[i].seq == 0)
			break;
	if (i < NPENDING) {
		pending[i].seq = p.seq;
		pending[i].type = a->type;
		pending[i].ifc = a->ifc;
		pending[i].addr = a->addr;
		pending[i].plen = a->plen;
	}
	if (slaacd_send(parentfd, SM_PROPOSAL, a->ifc, &p, sizeof(p)) == -1)
		fatal("cannot write to the parent");
	return p.seq;
}

static void
act(const struct ipifc_slaac_act *a)
{
	struct sm_rs rs;

	if (a->type == IPIFC_SLAAC_SEND_RS) {
		memset(&rs, 0, sizeof(rs));
		rs.unspec = a->unspec;
		rs.slla = a->slla;
		memcpy(rs.mac, a->mac, sizeof(rs.mac));
		if (slaacd_send(frontfd, SM_SEND_RS, a->ifc, &rs,
		    sizeof(rs)) == -1)
			fatal("cannot write to the frontend");
		return;
	}
	/* shown first: the answer finds it by the number propose gives */
	slaacd_show_act(opts, a, seq + 1, now_ms());
	(void)propose(a);
}

static void
drain(struct ipifc_slaac *e)
{
	struct ipifc_slaac_act a;

	while (ipifc_slaac_action(e, &a))
		act(&a);
}

/*
 * A new interface: registered with the engine, which hears of its link
 * next.  A gone one: the engine forgets it; its removals are not
 * proposed, the kernel took its addresses and routes with it.
 */
static void
ifadd(struct ipifc_slaac *e, unsigned ifindex, const struct sm_ifadd *ia)
{
	struct ipifc_slaac_config c;
	int	 k;

	if ((k = slaacd_managed(opts, ifindex)) != -1) {
		(void)slaacd_if_add(opts, ifindex, ia->name);	/* renamed */
		return;
	}
	if ((k = slaacd_if_add(opts, ifindex, ia->name)) == -1)
		fatal("the frontend added too many interfaces");
	ipifc_slaac_config_default(&c);
	c.iid = opts->eui64 ? IPIFC_SLAAC_IID_EUI64 : IPIFC_SLAAC_IID_STABLE;
	c.temporary = opts->temporary[k];
	/* RFC 7217 Net_Iface: the name it had when it came */
	snprintf(c.net_iface, sizeof(c.net_iface), "%s", opts->ifname[k]);
	memcpy(c.secret, secret, sizeof(secret));
	c.secretlen = sizeof(secret);
	if (ipifc_slaac_ifc_add(e, ifindex, &c) != 0)
		fatal("cannot register an interface");
	slaacd_log(LOG_INFO, "engine: %s: managed (ifindex %u)", ia->name,
	    ifindex);
}

static void
ifdel(struct ipifc_slaac *e, unsigned ifindex, int k, uint64_t now)
{
	struct ipifc_slaac_act a;

	drain(e);
	(void)ipifc_slaac_ifc_remove(e, ifindex, now);
	while (ipifc_slaac_action(e, &a))
		if (a.ifc != ifindex)
			act(&a);
	slaacd_show_forget(k);
	slaacd_if_del(opts, k);
}

static void
result(const struct sm_result *r)
{
	char	 ip[IPIFC_IPSTRLEN];
	int	 i;

	slaacd_show_result(r->seq, r->err, now_ms());
	for (i = 0; i < NPENDING; i++)
		if (pending[i].seq == r->seq && r->seq != 0)
			break;
	if (i == NPENDING) {
		slaacd_log(LOG_DEBUG, "engine: proposal %u: %s", r->seq,
		    r->err ? strerror(r->err) : "done");
		return;
	}
	ipifc_ip_fmt(&pending[i].addr, ip, sizeof(ip));
	slaacd_log(r->err && r->err != EOPNOTSUPP ? LOG_WARNING : LOG_DEBUG,
	    "engine: proposal %u: %s ifindex %u %s/%d: %s", r->seq,
	    actname[pending[i].type], pending[i].ifc, ip, pending[i].plen,
	    r->err ? strerror(r->err) : "done");
	pending[i].seq = 0;
}

static void
showline(const char *l)
{
	if (slaacd_send(frontfd, SM_CTL_LINE, 0, l, strlen(l)) == -1)
		fatal("cannot write to the frontend");
}

static void
show(unsigned ifindex, uint64_t now)
{
	slaacd_show(opts, ifindex, now, showline);
	if (slaacd_send(frontfd, SM_CTL_END, 0, NULL, 0) == -1)
		fatal("cannot write to the frontend");
}

static int
ifslot(unsigned ifindex)
{
	return slaacd_managed(opts, ifindex);
}

static void
frontmsg(struct ipifc_slaac *e, const struct slaacd_hdr *h,
    const uint8_t *p, uint64_t now)
{
	char	 ip[IPIFC_IPSTRLEN];
	struct sm_ifadd ia;
	struct sm_ifinfo ii;
	struct sm_ra ra;
	struct sm_dad d;
	int32_t	 usable;
	int	 k;

	if (h->type == SM_CTL_SHOW && h->peer == 0) {
		show(0, now);
		return;
	}
	if (h->type == SM_CTL_LOG) {
		memcpy(&usable, p, sizeof(usable));
		slaacd_verbose = usable != 0;
		return;
	}
	if (h->type == SM_IFADD) {
		memcpy(&ia, p, sizeof(ia));
		ia.name[sizeof(ia.name) - 1] = '\0';
		ifadd(e, h->peer, &ia);
		return;
	}
	if ((k = ifslot(h->peer)) == -1)
		fatal("the frontend named an interface not managed");
	switch (h->type) {
	case SM_CTL_SHOW:
		show(h->peer, now);
		break;
	case SM_IFINFO:
		memcpy(&ii, p, sizeof(ii));
		(void)ipifc_slaac_link(e, h->peer, ii.running,
		    ii.hasmac ? ii.mac : NULL, now);
		/* up again: the engine solicits (RFC 4861 6.3.7) */
		slaacd_show_link(opts, h->peer, ii.running, now, propose);
		break;
	case SM_IFDEL:
		ifdel(e, h->peer, k, now);
		break;
	case SM_ADDRGONE:
		memcpy(&d.addr, p, sizeof(d.addr));
		if (slaacd_show_gone(opts, h->peer, &d.addr))
			/*
			 * The engine keeps it in its list: the next RA
			 * with its prefix renews it by RFC 4862 5.5.3 (e),
			 * and the renewal puts it back in the kernel.  A
			 * link going down drops it too, often before the
			 * link's own message: then the link coming up puts
			 * it back at once (slaacd_show_link).
			 */
			slaacd_log(LOG_NOTICE, "engine: %s: address %s "
			    "gone from the kernel; back at the next RA or "
			    "when the link comes up",
			    opts->ifname[k], ipifc_ip_fmt(&d.addr, ip,
			    sizeof(ip)));
		break;
	case SM_LLADDR:
		memcpy(&usable, p, sizeof(usable));
		(void)ipifc_slaac_linklocal(e, h->peer, usable, now);
		break;
	case SM_RA:
		memcpy(&ra, p, sizeof(ra));
		if (ra.hlim >= 0 && ra.hlim <= 255)
			(void)ipifc_slaac_ra(e, h->peer, &ra.src, &ra.dst,
			    (uint8_t)ra.hlim, p + sizeof(ra),
			    h->len - sizeof(ra), now);
		break;
	case SM_DAD:
		memcpy(&d, p, sizeof(d));
		(void)ipifc_slaac_dad(e, h->peer, &d.addr, d.ok, now);
		break;
	default:
		fatal("the frontend sent a message not for the engine");
	}
}

/* Only read and write on the socketpairs (and stderr), and exit. */
static int
confine(void)
{
	static const int plain[] = {
		SCMP_SYS(exit), SCMP_SYS(exit_group), SCMP_SYS(poll),
		SCMP_SYS(ppoll), SCMP_SYS(clock_gettime), SCMP_SYS(getrandom),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(brk), SCMP_SYS(mmap),
		SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise),
		SCMP_SYS(futex), SCMP_SYS(sched_yield), SCMP_SYS(getpid),
	};
	const int fds[] = { parentfd, frontfd, 2 };
	scmp_filter_ctx ctx;
	size_t	 i;
	int	 r = 0;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -1;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]) && r == 0; i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain[i], 0);
	for (i = 0; i < sizeof(fds) / sizeof(fds[0]) && r == 0; i++) {
		r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
		    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fds[i]));
		if (r == 0)
			r = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
			    SCMP_SYS(write), 1,
			    SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fds[i]));
	}
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r;
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
		engine_exit(0);
	fatal(what);
}

static void
conn(struct ipifc_slaac *e, struct slaacd_conn *c, uint64_t now)
{
	static uint8_t p[SLAACD_MSGMAX];
	struct slaacd_hdr h;
	struct sm_result r;
	int	 n;

	n = slaacd_conn_read(c);
	if (n == 0) {
		/* the parent closes its end at shutdown */
		if (c == &pconn)
			engine_exit(0);
		{
			/* at shutdown the parent's end closes next */
			parent_gone_or("the frontend closed its end");
		}
	}
	if (n == -1)
		fatal("cannot read a socketpair");
	while ((n = slaacd_conn_get(c, &h, p)) == 1) {
		if (c == &pconn) {
			if (h.type != SM_RESULT)
				fatal("the parent sent a message not for "
				    "the engine");
			memcpy(&r, p, sizeof(r));
			result(&r);
		} else
			frontmsg(e, &h, p, now);
		drain(e);
	}
	if (n == -1)
		fatal("malformed message, connection dropped");
}

/* The parent's first message: the secret. */
static void
secret_in(void)
{
	static uint8_t p[SLAACD_MSGMAX];
	struct slaacd_hdr h;
	int	 n;

	while ((n = slaacd_conn_get(&pconn, &h, p)) == 0)
		if (slaacd_conn_read(&pconn) != 1)
			engine_exit(0);	/* the parent ended before */
	if (n == -1 || h.type != SM_SECRET)
		fatal("the parent's first message is not the secret");
	memcpy(secret, p, sizeof(secret));
	memset(p, 0, sizeof(secret));
}

/* After every event: run the timers due, arm the next one. */
static void
rearm(void)
{
	uint64_t now = now_ms(), dl, ms;
	struct timeval tv;

	ipifc_slaac_tick(eng, now);
	drain(eng);
	slaacd_show_retry(now, propose);
	dl = ipifc_slaac_next_deadline(eng);
	if (slaacd_show_next_retry() < dl)
		dl = slaacd_show_next_retry();
	if (dl == UINT64_MAX) {
		evtimer_del(tev);
		return;
	}
	ms = dl <= now ? 0 : dl - now > 60000 ? 60000 : dl - now;
	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	if (evtimer_add(tev, &tv) == -1)
		fatal("cannot arm the timer");
}

static void
on_conn(evutil_socket_t fd, short what, void *arg)
{
	conn(eng, arg, now_ms());
	rearm();
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	rearm();
}

void
slaacd_engine_main(struct slaacd_opts *o, int pfd, int ffd)
{
	struct event *pev, *fev;

	opts = o;
	parentfd = pfd;
	frontfd = ffd;
	slaacd_log_child(parentfd);
	slaacd_conn_init(&pconn, parentfd, "parent");
	slaacd_conn_init(&fconn, frontfd, "frontend");
	if ((eng = ipifc_slaac_new(rnd, NULL, englog, NULL)) == NULL)
		fatal("out of memory");
	/* the loop's memory and its poll(2) backend before the filter */
	if ((base = slaacd_event_base()) == NULL ||
	    (pev = event_new(base, parentfd, EV_READ | EV_PERSIST, on_conn,
	    &pconn)) == NULL ||
	    (fev = event_new(base, frontfd, EV_READ | EV_PERSIST, on_conn,
	    &fconn)) == NULL ||
	    (tev = evtimer_new(base, on_timer, NULL)) == NULL)
		fatal("cannot make the event loop");
	(void)now_ms();		/* the vDSO is mapped before the filter */
	if (slaacd_drop_privileges(o) == -1)
		fatal("cannot drop privileges");
	if (confine() != 0)
		fatal("cannot load the seccomp filter");
	secret_in();
	slaacd_log(LOG_DEBUG, "engine: running");
#ifdef SLAACD_TESTHOOK
	/* the tests' build: a call the filter forbids must kill us */
	slaacd_log(LOG_INFO, "engine: test hook: calling socket(2)");
	(void)socket(AF_INET6, SOCK_DGRAM, 0);
	slaacd_log(LOG_ERR, "engine: test hook: socket(2) returned");
#endif
	if (event_add(pev, NULL) == -1 || event_add(fev, NULL) == -1)
		fatal("cannot add the events");
	rearm();
	(void)event_base_dispatch(base);
	fatal("the event loop ended");
}
