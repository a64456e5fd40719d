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
 */
#ifndef IPIFCD_CTLSOCK_H
#define IPIFCD_CTLSOCK_H

#include "ipifcd.h"

#define IPIFCD_CTL_MAXREQ	8192	/* bytes of a request, newline included */
#define IPIFCD_CTL_MAXCONN	64	/* connections at once; more are refused */
#define IPIFCD_CTL_TIMEOUT	10	/* s to send a request or take an answer */

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
