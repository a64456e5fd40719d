/*
 * The control socket: a UNIX stream socket serving the stack's namespace
 * with the line protocol of tools/ipifc.c.  One request per connection:
 * "read PATH\n" or "write PATH TEXT\n"; the answer is "ok\n" and the body
 * (the file, or the write's reply such as a new interface's number), or
 * "error MESSAGE\n"; then the daemon closes the connection.
 *
 * Every request speaks as one client of the stack, the daemon's own
 * (d->self): a connection lasts one request, so memberships joined with
 * joinmulti and the route tag set with `tag` stay until they are undone
 * or the daemon exits, as `ip maddr add` does on Linux.
 * Besides the stack's files the daemon serves `ping` (ping.h).
 *
 * "monitor\n" makes the connection a monitor: the answer "ok\n" is
 * followed by the stack's events as they happen, one line each in the
 * words of ipifc_event_fmt, until the client closes.  A monitor has no
 * deadline and takes none of the IPIFCD_CTL_MAXCONN places, but there
 * are at most d->maxmonitors of them; one more is answered "error too
 * many monitors (max N)".  Each buffers at most IPIFCD_CTL_MONBUF bytes
 * its client has not taken: the events that do not fit are lost, and
 * once it has room again the client reads "lost N" (the number of them)
 * before the next event.
 */
#ifndef IPIFCD_CTLSOCK_H
#define IPIFCD_CTLSOCK_H

#include "ipifcd.h"

#define IPIFCD_CTL_MAXREQ	8192	/* bytes of a request, newline included */
#define IPIFCD_CTL_MAXCONN	64	/* connections at once; more are refused */
#define IPIFCD_CTL_TIMEOUT	10	/* s to send a request or take an answer */
#define IPIFCD_CTL_MONITORS	16	/* monitors at once, by default (-m) */
#define IPIFCD_CTL_MAXMONITORS	1024	/* the most -m takes */
#define IPIFCD_CTL_MONBUF	65536	/* bytes a monitor's client has not taken */

/*
 * Make the socket at path, mode 0600: its directory if missing (0755),
 * and a stale socket left by a daemon that died is replaced; a socket a
 * live daemon answers on is not.  Before daemon(3): errors reach the
 * terminal.  0 or -1 (logged).
 */
int	ipifcd_ctlsock_open(struct ipifcd *d, const char *path);
/* Serve it on d->base. 0 or -1. */
int	ipifcd_ctlsock_start(struct ipifcd *d);
/* Drop every connection, remove the socket (and a directory we made). */
void	ipifcd_ctlsock_close(struct ipifcd *d);

#endif
