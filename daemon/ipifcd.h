/*
 * ipifcd: one ipifc stack on the real clock, its interfaces on Linux
 * devices, its namespace served on a UNIX control socket.  The pieces:
 *
 *	ipifcd.c	options, start, signals, the orderly exit
 *	loop.c		the stack on the clock: advance, one timer
 *	links.c		the link operations: devices, read/write events, capture
 *	ctlsock.c	the control socket: one request per connection
 *	carrier.c	link notifications: the running flag follows the carrier
 *	ping.c		the daemon's `ping` file: echo requests from the stack
 *	priv.c		dropping the privileges the daemon does not need
 *	log.c		stderr (-d) or syslog
 */
#ifndef IPIFCD_H
#define IPIFCD_H

#include <stdarg.h>
#include <stdint.h>
#include <syslog.h>

#include "ipifc.h"

#define IPIFCD_MAXIFC	64	/* interface numbers 0..63 (the stack's) */

struct event_base;
struct event;
struct ipifcd_links;
struct ipifcd_ctlsock;
struct ipifcd_pings;
struct ipifcd_carrier;

struct ipifcd {
	struct event_base *base;
	struct ipifc_stack *stack;
	struct ipifc_client *self;	/* the daemon's own writes */
	struct event	*timer;		/* the stack's next deadline */
	struct ipifcd_links *links;
	struct ipifcd_ctlsock *ctl;
	struct ipifcd_pings *pings;
	struct ipifcd_carrier *carrier;	/* NULL: no notifications */
};

/* log.c */
void	ipifcd_log_init(int foreground);
void	ipifcd_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* loop.c: time is CLOCK_BOOTTIME in ms (STYLE 2). */
uint64_t ipifcd_clock(void);
/* Make the stack and the timer; 0 or -1 (logged). id: see ipifcd.c. */
int	ipifcd_loop_init(struct ipifcd *d, uint32_t id);
void	ipifcd_loop_free(struct ipifcd *d);
/* Run the stack's clock to now. */
void	ipifcd_advance(struct ipifcd *d);
/* Run it to now and arm the timer for the next deadline. */
void	ipifcd_kick(struct ipifcd *d);

/* links.c */
int	ipifcd_links_init(struct ipifcd *d);
void	ipifcd_links_free(struct ipifcd *d);
/*
 * The Linux interface ifindex has carrier (up) or not: the interfaces
 * bound to it follow.  ifindex -1: ask every device again.
 */
void	ipifcd_links_carrier(struct ipifcd *d, int ifindex, int up);

/* carrier.c */
int	ipifcd_carrier_init(struct ipifcd *d);
void	ipifcd_carrier_free(struct ipifcd *d);

/* ping.c */
int	ipifcd_pings_init(struct ipifcd *d);
void	ipifcd_pings_free(struct ipifcd *d);

/* priv.c */
int	ipifcd_priv_drop(void);

/* secret.c: the RFC 7217 key in path, made once if missing: 0 read, 1
 * made, -1 with a one-line reason in err. */
#define IPIFCD_SECRET	"/var/lib/ipifc/secret"
#define IPIFCD_SECRETLEN 32
int	ipifcd_secret_load(const char *path, uint8_t *key, size_t len,
	    char *err, size_t errlen);

#endif
