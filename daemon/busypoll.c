/*
 * ipifcd's event loop, and busy polling (issue 10 item 5).
 *
 * Without busy polling (d->busypoll 0, the default) the loop is
 * libevent's: it sleeps in epoll_wait until a descriptor or the timer
 * wakes it, so every packet that comes to a quiet daemon pays a process
 * wakeup.  With busypoll USEC, after a pass of the loop that read frames
 * the daemon does not sleep at once: for up to USEC after the last frame
 * it looks at the links' receive rings (a packet: ring's next slot, an
 * xdp: rx ring: memory the kernel writes, read with no system call,
 * ipifcd_links_poll).  A ring with a frame gets its link's read event
 * made active and one pass of the loop that does not block
 * (epoll_wait with no timeout) runs it, with whatever else is ready: the
 * control socket, the timer, a tap: or tun: link, whose frames only a
 * system call can see.  When the window ends with nothing come, the
 * loop sleeps in epoll_wait again, so an idle daemon takes no CPU.
 *
 * Off by default, as Linux's net.core.busy_poll is: a daemon that spins
 * takes a core from everything else, which on a machine of two cores is
 * half of it, and the peers it forwards for (a sender, a receiver) are
 * what it takes it from.  The spin is bounded anyway: it starts only
 * after frames were read (not after a control request or a timer), and
 * a pass every IPIFCD_POLLPASS µs serves the control socket and the
 * timers while it lasts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "ipifcd.h"

#define IPIFCD_POLLPASS	1000	/* µs of spinning between two passes */

static uint64_t
now_us(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

/* One pass that does not block: 0, 1 when a callback broke the loop,
 * -1 when libevent failed. */
static int
pass(struct ipifcd *d)
{
	if (event_base_loop(d->base, EVLOOP_ONCE | EVLOOP_NONBLOCK) == -1)
		return -1;
	return event_base_got_break(d->base) ? 1 : 0;
}

/* Look at the rings until d->busypoll µs pass with no frame read. */
static int
spin(struct ipifcd *d)
{
	uint64_t last, lastpass, t, frames;
	int n, rc;

	d->spins++;
	last = lastpass = now_us();
	for (;;) {
		if ((n = ipifcd_links_poll(d)) > 0) {
			d->hits += (unsigned)n;
			frames = d->rxframes;
			if ((rc = pass(d)) != 0)
				return rc;
			t = lastpass = now_us();
			if (d->rxframes != frames)
				last = t;
			continue;
		}
		t = now_us();
		if (t - last >= d->busypoll)
			return 0;
		if (t - lastpass >= IPIFCD_POLLPASS) {
			frames = d->rxframes;
			if ((rc = pass(d)) != 0)
				return rc;
			lastpass = t;
			/* a tap: or tun: link's frames count as much */
			if (d->rxframes != frames)
				last = t;
		}
		cpu_relax();
	}
}

int
ipifcd_run(struct ipifcd *d)
{
	uint64_t frames;
	int rc;

	for (;;) {
		frames = d->rxframes;
		if (event_base_loop(d->base, EVLOOP_ONCE) == -1)
			return -1;
		if (event_base_got_break(d->base))
			return 0;
		if (d->busypoll == 0 || d->rxframes == frames)
			continue;
		if ((rc = spin(d)) != 0)
			return rc == 1 ? 0 : -1;
	}
}

const char *
ipifcd_busypoll_set(struct ipifcd *d, const char *text)
{
	static char err[96];
	char *end;
	long l;

	errno = 0;
	l = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || l < 0 ||
	    l > IPIFCD_BUSYPOLL_MAX) {
		snprintf(err, sizeof(err), "busypoll: want 0 to %d "
		    "(microseconds)", IPIFCD_BUSYPOLL_MAX);
		return err;
	}
	if (d->busypoll != (unsigned)l) {
		if (l == 0)
			ipifcd_log(LOG_INFO, "busy polling off");
		else
			ipifcd_log(LOG_INFO, "busy polling: %ld us after "
			    "the last frame", l);
	}
	d->busypoll = (unsigned)l;
	return NULL;
}
