/*
 * ipifcd: one ipifc stack on the real clock, its interfaces on Linux
 * devices, its namespace served on a UNIX control socket.  The pieces:
 *
 *	ipifcd.c	options, start, signals, the orderly exit
 *	clock.c		the stack on the clock: advance, one timer
 *	linkops.c	the link operations: devices, read/write events, capture
 *	busypoll.c	the event loop, and busy polling of the links' rings
 *	ctlsock.c	the control socket: one request per connection,
 *			or a monitor of the stack's events
 *	carrier.c	link notifications: the running flag follows the carrier
 *	ping.c		the daemon's `ping` file: echo requests from the stack
 *	priv.c		the privileged parent and the stack process's requests
 *	log.c		stderr (-d) or syslog
 */
#ifndef IPIFCD_H
#define IPIFCD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>
#include <sys/types.h>

#include "ipifc.h"

#define IPIFCD_MAXIFC	4096	/* interface numbers (the stack's IPIFC_MAXIFC) */

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
	int		 stackproc;	/* 1: the unprivileged stack process */
	int		 maxmonitors;	/* ctlsock.h, -m */
	unsigned	 busypoll;	/* busypoll.c: µs, 0 off (-b) */
	uint64_t	 spins, hits;	/* windows polled; rings found full */
	uint64_t	 rxframes;	/* frames read, every link */
};

/* log.c */
void	ipifcd_log_init(int foreground);
void	ipifcd_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* clock.c: time is CLOCK_BOOTTIME in ms (STYLE 2). */
uint64_t ipifcd_clock(void);
/* Make the stack and the timer; 0 or -1 (logged). id: see ipifcd.c. */
int	ipifcd_loop_init(struct ipifcd *d, uint32_t id);
void	ipifcd_loop_free(struct ipifcd *d);
/* Run the stack's clock to now. */
void	ipifcd_advance(struct ipifcd *d);
/* Run it to now and arm the timer for the next deadline. */
void	ipifcd_kick(struct ipifcd *d);

/* linkops.c */
int	ipifcd_links_init(struct ipifcd *d);
void	ipifcd_links_free(struct ipifcd *d);
/*
 * The Linux interface ifindex has carrier (up) or not: the interfaces
 * bound to it follow.  ifindex -1: ask every device again.
 */
void	ipifcd_links_carrier(struct ipifcd *d, int ifindex, int up);
/* Make the read event of each link with frames in its ring active,
 * looking at memory only: how many. */
int	ipifcd_links_poll(struct ipifcd *d);

/*
 * busypoll.c: run d's loop until a callback breaks it: 0, or -1 if
 * libevent failed.  After a pass that read frames, with d->busypoll
 * set, the loop looks at the links' rings for up to that many µs
 * before it sleeps again.
 */
#define IPIFCD_BUSYPOLL_MAX	10000	/* µs */
int	ipifcd_run(struct ipifcd *d);
/* "USEC" for d->busypoll: NULL, or a one-line error (nothing changes). */
const char *ipifcd_busypoll_set(struct ipifcd *d, const char *text);

/* carrier.c */
int	ipifcd_carrier_init(struct ipifcd *d);
void	ipifcd_carrier_free(struct ipifcd *d);

/* ping.c */
int	ipifcd_pings_init(struct ipifcd *d);
void	ipifcd_pings_free(struct ipifcd *d);

/*
 * priv.c: the privileged parent and the stack process (see there).  The
 * stack process's root is IPIFCD_EMPTY; -u USER (default IPIFCD_USER,
 * else IPIFCD_USER_FALLBACK with a warning); -c DIR, the captures.
 */
#define IPIFCD_STATEDIR	"/var/lib/ipifc"
#define IPIFCD_EMPTY	IPIFCD_STATEDIR "/empty"
#define IPIFCD_CAPDIR	IPIFCD_STATEDIR "/capture"
#define IPIFCD_USER	"_ipifc"
#define IPIFCD_USER_FALLBACK "nobody"
#define IPIFCD_PRIV_MAXARG 1024		/* bytes of a request's argument */

enum {
	IPIFCD_PRIV_OPEN = 1,		/* DEV: its descriptor */
	IPIFCD_PRIV_CARRIER,		/* IFNAME: 1 carrier, 0 none */
	IPIFCD_PRIV_CAPTURE,		/* FILE: a new file's descriptor */
	IPIFCD_PRIV_XDPDONE,		/* IFNAME: release its xdp: open */
};
#define IPIFCD_PRIV_LAST IPIFCD_PRIV_XDPDONE

struct ipifcd_priv_req {
	int	type;
	char	arg[IPIFCD_PRIV_MAXARG + 1];
};

struct ipifc_dev;

/* As root, before the fork: the user, the capture directory (made if
 * missing, not through a link), the empty root.  0 or -1 (logged). */
int	ipifcd_priv_setup(const char *user, const char *capdir);
/* Fork: 0 in the stack process, 1 in the parent, -1 (logged). */
int	ipifcd_priv_fork(void);
/* The parent: drop to its capabilities, serve the stack process until it
 * ends; its exit status (1 if killed or a message was malformed). */
int	ipifcd_priv_parent(void);
/* The parent's loop on fd for the process child (the unit test's); it
 * closes fd. */
int	ipifcd_priv_serve(int fd, pid_t child);
/* The stack process, set up: chroot, the user, no_new_privs, seccomp. */
int	ipifcd_priv_drop(void);
/* The stack process: watch the socket to the parent between requests;
 * the parent gone or a message nobody asked for (logged) breaks the
 * loop of base.  0 or -1.  ipifcd_priv_lost: 1 once that happened. */
int	ipifcd_priv_watch(struct event_base *base);
void	ipifcd_priv_unwatch(void);
int	ipifcd_priv_lost(void);
/* Requests of the stack process: a negative errno on failure. */
int	ipifcd_priv_open(const char *dev, struct ipifc_dev **out);
int	ipifcd_priv_carrier(const char *ifname);
int	ipifcd_priv_capture(const char *file);	/* a descriptor */
/* An xdp: device of IFNAME closed here: the parent releases its side. */
int	ipifcd_priv_xdpdone(const char *ifname);
/* One request as the parent reads it: 0, or -1 with *why. */
int	ipifcd_priv_parse(const uint8_t *buf, size_t len,
	    struct ipifcd_priv_req *req, const char **why);
/* Its argument, as both sides check it: 0, or -1 with *why. */
int	ipifcd_priv_check(int type, const char *arg, const char **why);

/* secret.c: the RFC 7217 key in path, made once if missing: 0 read, 1
 * made, -1 with a one-line reason in err. */
#define IPIFCD_SECRET	"/var/lib/ipifc/secret"
#define IPIFCD_SECRETLEN 32
int	ipifcd_secret_load(const char *path, uint8_t *key, size_t len,
	    char *err, size_t errlen);

/* conf.c: -f FILE, read whole (NULL: logged), then applied: 0, or -1
 * with "FILE:LINE: message" logged. */
char	*ipifcd_conf_read(const char *file);
int	ipifcd_conf_apply(struct ipifcd *d, const char *file, char *text);

/* ready.c: $NOTIFY_SOCKET, and without -d the detach whose first
 * process exits once the stack process calls ipifcd_ready (0) or dies
 * (1).  The privileged parent closes its copies. */
int	ipifcd_ready_init(int background);
void	ipifcd_ready_close(void);
void	ipifcd_ready(void);

#endif
