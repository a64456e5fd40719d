/*
 * The stack on the real clock (STYLE 2).  The stack never reads a clock:
 * every callback of the event loop first runs it to now, and after every
 * input batch and every control request ipifcd_kick arms the one timer
 * for ipifc_next_deadline.
 */
#include <sys/random.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "ipifcd.h"

#define RANDPOOL	64	/* words drawn from the kernel at a time */

/* CLOCK_BOOTTIME: lifetimes keep running through a suspend. */
uint64_t
ipifcd_clock(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) == -1)
		(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* DAD nonces, RFC 7217 secrets, jitter: the kernel's random numbers. */
static uint32_t
kernel_random(void *arg)
{
	static uint32_t pool[RANDPOOL];
	static size_t left;
	static uint32_t x = 2463534242u;
	ssize_t n;

	if (left == 0) {
		do
			n = getrandom(pool, sizeof(pool), 0);
		while (n == -1 && errno == EINTR);
		if (n == (ssize_t)sizeof(pool))
			left = RANDPOOL;
	}
	if (left > 0)
		return pool[--left];
	/* never: getrandom on Linux >= 3.17 does not fail after boot */
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	ipifcd_kick(arg);
}

static void
on_event(void *arg, const struct ipifc_event *ev)
{
	char buf[512];

	if (ipifc_event_fmt(ev, buf, sizeof(buf)) != NULL)
		ipifcd_log(LOG_DEBUG, "%s", buf);
}

int
ipifcd_loop_init(struct ipifcd *d, uint32_t id)
{
	struct ipifc_stack_config cfg;
	uint32_t w;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = id;
	cfg.now = ipifcd_clock();
	cfg.random = kernel_random;
	/* the tables' hash key: secret, so strangers cannot aim at a bucket */
	for (i = 0; i < sizeof(cfg.hashseed); i += sizeof(w)) {
		w = kernel_random(NULL);
		memcpy(cfg.hashseed + i, &w, sizeof(w));
	}
	if ((d->stack = ipifc_stack_new(&cfg)) == NULL) {
		ipifcd_log(LOG_ERR, "cannot make the stack");
		return -1;
	}
	if ((d->self = ipifc_client_new(d->stack)) == NULL ||
	    (d->timer = event_new(d->base, -1, 0, on_timer, d)) == NULL) {
		ipifcd_log(LOG_ERR, "out of memory");
		return -1;
	}
	if (ipifc_subscribe(d->stack, on_event, d) < 0)
		ipifcd_log(LOG_WARNING, "cannot log the stack's events");
	return 0;
}

void
ipifcd_loop_free(struct ipifcd *d)
{
	if (d->timer != NULL)
		event_free(d->timer);
	d->timer = NULL;
	ipifc_client_free(d->self);
	d->self = NULL;
	ipifc_stack_free(d->stack);
	d->stack = NULL;
}

void
ipifcd_advance(struct ipifcd *d)
{
	/* the stack ignores a clock that goes back */
	ipifc_advance(d->stack, ipifcd_clock());
}

void
ipifcd_kick(struct ipifcd *d)
{
	struct timeval tv;
	uint64_t now, dl, wait;

	ipifcd_advance(d);
	now = ipifc_now(d->stack);
	if ((dl = ipifc_next_deadline(d->stack)) == UINT64_MAX) {
		event_del(d->timer);
		return;
	}
	wait = dl > now ? dl - now : 0;
	tv.tv_sec = (time_t)(wait / 1000);
	tv.tv_usec = (suseconds_t)(wait % 1000) * 1000;
	event_add(d->timer, &tv);
}
