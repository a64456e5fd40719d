/*
 * tap_echo: libipifc embedded in a libevent loop, on a Linux TAP device.
 *
 *	tap_echo TAPNAME IPV4/LEN IPV6/LEN
 *
 * makes (or opens) the TAP device TAPNAME, binds an ether interface of
 * one stack to it, gives it the two addresses, and carries frames between
 * the device and the stack until SIGINT or SIGTERM.  The stack answers
 * ARP, neighbor discovery and pings on both families by itself; this
 * program moves frames, keeps the clock and prints the stack's events.
 * Linux holds the other end of the wire: give TAPNAME an address of the
 * same prefixes, bring it up, and ping.
 *
 * Against an installed libipifc (making a TAP device needs CAP_NET_ADMIN):
 *
 *	cc -o tap_echo tap_echo.c $(pkg-config --cflags --libs ipifc libevent_core)
 *	sudo ./tap_echo tap0 10.9.0.2/24 2001:db8:9::2/64 &
 *	sudo ip link set tap0 up
 *	sudo ip addr add 10.9.0.1/24 dev tap0
 *	ping 10.9.0.2
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE		/* clock_gettime, O_CLOEXEC under -std=c11 */
#endif

#include <sys/ioctl.h>
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include <event2/event.h>

#include <ipifc.h>

struct echo {
	struct ipifc_stack *stack;
	int		 ifc;		/* the interface bind made */
	int		 fd;		/* the TAP device */
	struct event	*rd;		/* the device has frames */
	struct event	*wr;		/* it takes frames again */
	struct event	*timer;		/* the stack's next deadline */
};

/* The library never reads a clock: the caller passes the time in, in ms. */
static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * Every timer of the stack (ARP and ND retransmissions, DAD, lifetimes)
 * comes down to one deadline: after anything that may have moved it, arm
 * the loop's one timer for it.
 */
static void
rearm(struct echo *e)
{
	uint64_t now = ipifc_now(e->stack), dl = ipifc_next_deadline(e->stack);
	struct timeval tv;

	if (dl == UINT64_MAX) {
		evtimer_del(e->timer);
		return;
	}
	dl = dl > now ? dl - now : 0;
	tv.tv_sec = (time_t)(dl / 1000);
	tv.tv_usec = (suseconds_t)(dl % 1000) * 1000;
	evtimer_add(e->timer, &tv);
}

static void
on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct echo *e = arg;

	ipifc_advance(e->stack, now_ms());
	rearm(e);
}

/* Frames from Linux: each into the stack, after the clock is run to now. */
static void
on_readable(evutil_socket_t fd, short what, void *arg)
{
	static uint8_t frame[65536];
	struct echo *e = arg;
	ssize_t n;
	int i;

	ipifc_advance(e->stack, now_ms());
	/* a bounded batch: then the loop serves its other events */
	for (i = 0; i < 64; i++) {
		if ((n = read(fd, frame, sizeof(frame))) <= 0)
			break;
		ipifc_input(e->stack, e->ifc, frame, (size_t)n);
	}
	rearm(e);
}

/* The device takes frames again: the stack's send queue drains. */
static void
on_writable(evutil_socket_t fd, short what, void *arg)
{
	struct echo *e = arg;

	ipifc_advance(e->stack, now_ms());
	ipifc_link_writable(e->stack, e->ifc);
	rearm(e);
}

/*
 * The stack sends a frame: to the device.  It may be called from inside
 * ipifc_input (an echo reply); writing to the device there is fine, as
 * it never feeds the frame back into the stack.  -EAGAIN keeps the frame
 * in the stack's queue until on_writable.
 */
static int
link_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct echo *e = arg;

	if (write(e->fd, frame, len) == (ssize_t)len)
		return 0;
	if (errno == EAGAIN) {
		event_add(e->wr, NULL);
		return -EAGAIN;
	}
	return -errno;
}

/* The device is open before the bind, so the stack need not open it. */
static const struct ipifc_link_ops tap_ops = { .send = link_send };

static void
show(void *arg, const struct ipifc_event *ev)
{
	char line[256];

	printf("%s\n", ipifc_event_fmt(ev, line, sizeof(line)));
	fflush(stdout);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	event_base_loopbreak(arg);
}

static int
tap_open(const char *name)
{
	struct ifreq ifr;
	int fd;

	if ((fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;	/* Ethernet frames, no header */
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
main(int argc, char *argv[])
{
	struct ipifc_stack_config cfg = { .id = 1 };
	struct event_base *base;
	struct event *sigint, *sigterm;
	struct echo e = { .fd = -1 };
	char dev[64], num[16], text[64];
	const char *err = NULL;
	int i, rc = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: tap_echo TAPNAME IPV4/LEN IPV6/LEN\n");
		return 2;
	}
	if ((e.fd = tap_open(argv[1])) == -1) {
		fprintf(stderr, "tap_echo: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	base = event_base_new();
	e.rd = event_new(base, e.fd, EV_READ | EV_PERSIST, on_readable, &e);
	e.wr = event_new(base, e.fd, EV_WRITE, on_writable, &e);
	e.timer = evtimer_new(base, on_timer, &e);
	sigint = evsignal_new(base, SIGINT, on_signal, base);
	sigterm = evsignal_new(base, SIGTERM, on_signal, base);

	/* The stack.  A secret hash key: strangers fill its tables. */
	cfg.now = now_ms();
	if (getrandom(cfg.hashseed, sizeof(cfg.hashseed), 0) == -1)
		fprintf(stderr, "tap_echo: getrandom: %s\n", strerror(errno));
	e.stack = ipifc_stack_new(&cfg);
	ipifc_subscribe(e.stack, show, NULL);
	ipifc_set_link(e.stack, &tap_ops, &e);

	/* The namespace's ctl text, as `ipifc write` would send it. */
	snprintf(dev, sizeof(dev), "bind ether tap:%s", argv[1]);
	if ((err = ipifc_write(e.stack, NULL, "ipifc/clone", dev, num,
	    sizeof(num))) != NULL)
		goto out;
	e.ifc = atoi(num);
	snprintf(dev, sizeof(dev), "ipifc/%d/ctl", e.ifc);
	for (i = 2; i < 4; i++) {
		snprintf(text, sizeof(text), "add %s", argv[i]);
		if ((err = ipifc_write(e.stack, NULL, dev, text, NULL, 0)) !=
		    NULL)
			goto out;
	}

	event_add(e.rd, NULL);
	evsignal_add(sigint, NULL);
	evsignal_add(sigterm, NULL);
	rearm(&e);
	event_base_dispatch(base);
	rc = 0;
out:
	if (err != NULL)
		fprintf(stderr, "tap_echo: %s\n", err);
	ipifc_stack_free(e.stack);	/* unbinds the interface */
	event_free(sigterm);
	event_free(sigint);
	event_free(e.timer);
	event_free(e.wr);
	event_free(e.rd);
	event_base_free(base);
	close(e.fd);
	return rc;
}
