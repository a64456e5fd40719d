/*
 * Echo requests from the stack (ping.h), each ping an ipifc_pingrun of
 * the library (proto/ping.c), which matches what the stack's deliver hook
 * gets to the running pings and writes ping(8)'s lines.
 */
#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "ping.h"

#define PING_DEFCOUNT	3
#define PING_DEFSIZE	56	/* ping(8)'s data bytes */
#define PING_DEFINT	1000	/* ms between requests */
#define PING_WAIT	1000	/* ms for the last reply */

struct ipifcd_ping {
	TAILQ_ENTRY(ipifcd_ping) link;
	struct ipifcd	*d;
	struct ipifc_pingrun run;
	int		 size, interval;
	struct event	*tick;
	struct evbuffer	*out;
	ipifcd_ping_done_fn *done;
	void		*arg;
};

TAILQ_HEAD(pinglist, ipifcd_ping);

struct ipifcd_pings {
	struct pinglist	 running;
	int		 n;
	uint16_t	 nextid;
	char		 err[256];
};

static void
ping_free(struct ipifcd_ping *p)
{
	TAILQ_REMOVE(&p->d->pings->running, p, link);
	p->d->pings->n--;
	if (p->tick != NULL)
		event_free(p->tick);
	if (p->out != NULL)
		evbuffer_free(p->out);
	free(p);
}

static void
ping_finish(struct ipifcd_ping *p)
{
	char buf[2 * IPIFC_PINGLINE];

	ipifc_pingrun_end(&p->run, buf, sizeof(buf));
	evbuffer_add(p->out, buf, strlen(buf));
	p->done(p->arg, p->out);
	ping_free(p);
}

static void
ping_arm(struct ipifcd_ping *p, int ms)
{
	struct timeval tv;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	event_add(p->tick, &tv);
}

/* Send the next request, or, all sent, end the wait. */
static void
on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct ipifcd_ping *p = arg;
	struct ipifcd *d = p->d;
	int rc, seq;

	if (p->run.nsent == p->run.count) {
		ping_finish(p);
		return;
	}
	ipifcd_advance(d);
	seq = ipifc_pingrun_next(&p->run, ipifc_now(d->stack));
	rc = ipifc_ping(d->stack, &p->run.dst, p->run.id, (uint16_t)seq,
	    (size_t)p->size);
	if (rc < 0) {
		evbuffer_add_printf(p->out, "error: ping: %s\n",
		    strerror(-rc));
		p->run.errors++;
	}
	if (p->run.nsent < p->run.count)
		ping_arm(p, p->interval);
	else
		ping_arm(p, p->run.received == p->run.count ? 0 : PING_WAIT);
	ipifcd_kick(d);
}

/*
 * Only ICMP is wanted here: other protocols find nobody listening.  An
 * echo reply or an error goes to the running ping it is about.
 */
static int
on_datagram(void *arg, const struct ipifc_datagram *dg)
{
	struct ipifcd *d = arg;
	struct ipifcd_ping *p;
	char line[IPIFC_PINGLINE];
	int rc;

	if (dg->proto != 1 && dg->proto != 58)
		return -EPROTONOSUPPORT;
	TAILQ_FOREACH(p, &d->pings->running, link) {
		rc = ipifc_pingrun_match(&p->run, dg, ipifc_now(d->stack),
		    line, sizeof(line));
		if (rc == 0)
			continue;
		evbuffer_add(p->out, line, strlen(line));
		/* all answered: no need to wait out the last second */
		if (rc == IPIFC_PING_REPLY && p->run.nsent == p->run.count &&
		    p->run.received == p->run.count)
			ping_arm(p, 0);
		break;
	}
	return 0;
}

struct ipifcd_ping *
ipifcd_ping_start(struct ipifcd *d, int argc, char **argv,
    ipifcd_ping_done_fn *done, void *arg, const char **err)
{
	struct ipifcd_pings *ps = d->pings;
	struct ipifcd_ping *p;
	char line[IPIFC_PINGLINE], ranges[64];
	struct ipifc_ip dst;
	int i, count = PING_DEFCOUNT, size = PING_DEFSIZE,
	    interval = PING_DEFINT;
	struct ipifc_pingflag flags[] = {
		{ 'c', 1, IPIFCD_MAXPING, &count },
		{ 's', 0, 65507, &size },
		{ 'i', 10, 10000, &interval },
	};

	static const char usage[] =
	    "usage: ping [-c COUNT] [-s SIZE] [-i MS] ADDR";

	for (i = 0; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (ipifc_pingflag_set(flags, 3, argv[i], argv[i + 1]) != 0) {
			ipifc_pingflag_fmt(flags, 3, ranges, sizeof(ranges));
			snprintf(ps->err, sizeof(ps->err), "ping: bad option "
			    "%.16s %.16s (%s)", argv[i], argv[i + 1], ranges);
			*err = ps->err;
			return NULL;
		}
	}
	if (i + 1 != argc) {
		*err = usage;
		return NULL;
	}
	if (ipifc_ip_parse(argv[i], &dst) < 0) {
		snprintf(ps->err, sizeof(ps->err), "ping: bad address %.64s",
		    argv[i]);
		*err = ps->err;
		return NULL;
	}
	if (ps->n >= IPIFCD_MAXPINGS) {
		*err = "ping: too many pings running";
		return NULL;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->out = evbuffer_new()) == NULL ||
	    (p->tick = event_new(d->base, -1, 0, on_tick, p)) == NULL) {
		if (p != NULL && p->out != NULL)
			evbuffer_free(p->out);
		free(p);
		*err = "ping: out of memory";
		return NULL;
	}
	p->d = d;
	ipifc_pingrun_begin(&p->run, &dst, ps->nextid++, count, size, line,
	    sizeof(line));
	p->size = size;
	p->interval = interval;
	p->done = done;
	p->arg = arg;
	TAILQ_INSERT_TAIL(&ps->running, p, link);
	ps->n++;
	evbuffer_add(p->out, line, strlen(line));
	ping_arm(p, 0);
	return p;
}

void
ipifcd_ping_cancel(struct ipifcd_ping *p)
{
	if (p != NULL)
		ping_free(p);
}

int
ipifcd_pings_init(struct ipifcd *d)
{
	uint32_t r;

	if ((d->pings = calloc(1, sizeof(*d->pings))) == NULL)
		return -1;
	TAILQ_INIT(&d->pings->running);
	/* identifiers unlike another daemon's on the same link */
	r = (uint32_t)ipifcd_clock() ^ (uint32_t)getpid() << 8;
	d->pings->nextid = (uint16_t)(r ^ r >> 16);
	ipifc_set_deliver(d->stack, on_datagram, d);
	return 0;
}

void
ipifcd_pings_free(struct ipifcd *d)
{
	struct ipifcd_ping *p;

	if (d->pings == NULL)
		return;
	while ((p = TAILQ_FIRST(&d->pings->running)) != NULL)
		ping_free(p);
	if (d->stack != NULL)
		ipifc_set_deliver(d->stack, NULL, NULL);
	free(d->pings);
	d->pings = NULL;
}
