/*
 * Echo requests from the stack (ping.h).  Replies come through the
 * stack's deliver hook: ICMP type 0 (RFC 792) or ICMPv6 type 129 (RFC
 * 4443 4.2), matched to a running ping by identifier and to a request
 * already sent by sequence number; so do the ICMP errors that quote a
 * request (ipifc_ping_error), printed as ping(8) does.
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
	struct ipifc_ip	 dst;
	int		 v4;
	uint16_t	 id;
	int		 count, size, interval;
	int		 nsent, received, dups, errors;
	uint64_t	 sent[IPIFCD_MAXPING + 1];	/* by seq, ms */
	uint8_t		 got[IPIFCD_MAXPING + 1];
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
	char buf[IPIFC_IPSTRLEN];

	ipifc_ip_fmt(&p->dst, buf, sizeof(buf));
	evbuffer_add_printf(p->out, "--- %s ping statistics ---\n", buf);
	evbuffer_add_printf(p->out, "%d packets transmitted, %d received",
	    p->nsent, p->received);
	if (p->dups > 0)
		evbuffer_add_printf(p->out, ", +%d duplicates", p->dups);
	if (p->errors > 0)
		evbuffer_add_printf(p->out, ", +%d errors", p->errors);
	evbuffer_add_printf(p->out, ", %g%% packet loss\n",
	    100.0 * (p->nsent - p->received) / p->nsent);
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

	if (p->nsent == p->count) {
		ping_finish(p);
		return;
	}
	ipifcd_advance(d);
	seq = ++p->nsent;
	p->sent[seq] = ipifc_now(d->stack);
	rc = ipifc_ping(d->stack, &p->dst, p->id, (uint16_t)seq,
	    (size_t)p->size);
	if (rc < 0) {
		evbuffer_add_printf(p->out, "error: ping: %s\n",
		    strerror(-rc));
		p->errors++;
	}
	if (p->nsent < p->count)
		ping_arm(p, p->interval);
	else
		ping_arm(p, p->received == p->count ? 0 : PING_WAIT);
	ipifcd_kick(d);
}

static void
on_echo(void *arg, const struct ipifc_datagram *dg)
{
	struct ipifcd *d = arg;
	struct ipifcd_ping *p;
	char from[IPIFC_IPSTRLEN];
	unsigned id, seq;
	int v4;

	if (dg->len < 8 || dg->payload[1] != 0)
		return;
	if (dg->proto == 1 && dg->payload[0] == 0)
		v4 = 1;
	else if (dg->proto == 58 && dg->payload[0] == 129)
		v4 = 0;
	else
		return;
	id = (unsigned)dg->payload[4] << 8 | dg->payload[5];
	seq = (unsigned)dg->payload[6] << 8 | dg->payload[7];
	TAILQ_FOREACH(p, &d->pings->running, link)
		if (p->id == id && p->v4 == v4)
			break;
	if (p == NULL || seq < 1 || seq > (unsigned)p->nsent)
		return;
	if (p->got[seq]++ == 0)
		p->received++;
	else
		p->dups++;
	evbuffer_add_printf(p->out, "%zu bytes from %s: icmp_seq=%u ttl=%d "
	    "time=%llu ms%s\n", dg->len,
	    ipifc_ip_fmt(&dg->src, from, sizeof(from)), seq, dg->ttl,
	    (unsigned long long)(ipifc_now(d->stack) - p->sent[seq]),
	    p->got[seq] > 1 ? " (DUP!)" : "");
	/* all answered: no need to wait out the last second */
	if (p->nsent == p->count && p->received == p->count)
		ping_arm(p, 0);
}

/* An ICMP error about one of a running ping's requests: "From ..." */
static int
on_error(struct ipifcd *d, const struct ipifc_datagram *dg)
{
	struct ipifcd_ping *p;
	char from[IPIFC_IPSTRLEN], words[96];
	uint16_t id, seq;

	if (ipifc_ping_error(dg, &id, &seq, words, sizeof(words)) != 0)
		return -1;
	TAILQ_FOREACH(p, &d->pings->running, link)
		if (p->id == id && p->v4 == (dg->proto == 1))
			break;
	if (p == NULL || seq < 1 || seq > p->nsent)
		return 0;
	p->errors++;
	evbuffer_add_printf(p->out, "From %s icmp_seq=%u %s\n",
	    ipifc_ip_fmt(&dg->src, from, sizeof(from)), (unsigned)seq, words);
	return 0;
}

/* Only ICMP is wanted here: other protocols find nobody listening. */
static int
on_datagram(void *arg, const struct ipifc_datagram *dg)
{
	if (dg->proto != 1 && dg->proto != 58)
		return -EPROTONOSUPPORT;
	if (on_error(arg, dg) != 0)
		on_echo(arg, dg);
	return 0;
}

static int
number(const char *s, long min, long max, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < min || n > max)
		return -1;
	*v = (int)n;
	return 0;
}

struct ipifcd_ping *
ipifcd_ping_start(struct ipifcd *d, int argc, char **argv,
    ipifcd_ping_done_fn *done, void *arg, const char **err)
{
	struct ipifcd_pings *ps = d->pings;
	struct ipifcd_ping *p;
	char buf[IPIFC_IPSTRLEN];
	struct ipifc_ip dst;
	int i, count = PING_DEFCOUNT, size = PING_DEFSIZE,
	    interval = PING_DEFINT, bad = 0;

	static const char usage[] =
	    "usage: ping [-c COUNT] [-s SIZE] [-i MS] ADDR";

	for (i = 0; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "-c") == 0)
			bad = number(argv[i + 1], 1, IPIFCD_MAXPING, &count);
		else if (strcmp(argv[i], "-s") == 0)
			bad = number(argv[i + 1], 0, 65507, &size);
		else if (strcmp(argv[i], "-i") == 0)
			bad = number(argv[i + 1], 10, 10000, &interval);
		else
			bad = -1;
		if (bad) {
			snprintf(ps->err, sizeof(ps->err), "ping: bad option "
			    "%.16s %.16s (-c 1..%d, -s 0..65507, -i 10..10000)",
			    argv[i], argv[i + 1], IPIFCD_MAXPING);
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
	p->dst = dst;
	p->v4 = ipifc_ip_isv4(&dst);
	p->id = ps->nextid++;
	p->count = count;
	p->size = size;
	p->interval = interval;
	p->done = done;
	p->arg = arg;
	TAILQ_INSERT_TAIL(&ps->running, p, link);
	ps->n++;
	evbuffer_add_printf(p->out, "PING %s %d data bytes\n",
	    ipifc_ip_fmt(&dst, buf, sizeof(buf)), size);
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
