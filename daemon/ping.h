/*
 * The daemon's `ping` file: `write ping [-c N] [-s SIZE] [-i MS] ADDR`
 * sends N ICMP or ICMPv6 echo requests (default 3, at most
 * IPIFCD_MAXPING) from the stack, one every MS milliseconds (default
 * 1000, 10 to 10000), and answers, when the last reply came or a second
 * after the last request, with ping(8)'s lines: "PING ...", one line per
 * reply, and "N packets transmitted, N received, N% packet loss".
 * Several pings may run at once; each has its own identifier.
 */
#ifndef IPIFCD_PING_H
#define IPIFCD_PING_H

#include <stddef.h>

#include "ipifcd.h"

#define IPIFCD_MAXPING	100	/* requests per ping */
#define IPIFCD_MAXPINGS	16	/* pings running at once */

struct evbuffer;
struct ipifcd_ping;

/* Called once when the ping ends, with its whole answer. */
typedef void ipifcd_ping_done_fn(void *arg, struct evbuffer *answer);

/*
 * Start a ping of argv (the words after `ping`); NULL with *err a
 * one-line error if the arguments are wrong or too many pings run.
 */
struct ipifcd_ping *ipifcd_ping_start(struct ipifcd *d, int argc,
	    char **argv, ipifcd_ping_done_fn *done, void *arg,
	    const char **err);
/* Stop a ping whose asker went away: done is not called. */
void	ipifcd_ping_cancel(struct ipifcd_ping *p);

#endif
