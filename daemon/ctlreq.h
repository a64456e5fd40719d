/*
 * The control socket's request parser (ctlsock.h has the protocol), pure:
 * bytes in, a request out, no sockets, so that fuzz/fuzz_ctlreq.c
 * drives it alone.
 */
#ifndef IPIFCD_CTLREQ_H
#define IPIFCD_CTLREQ_H

#include <stddef.h>

enum ipifcd_ctlreq_kind {
	IPIFCD_CTLREQ_MORE,	/* no whole line yet: wait for the rest */
	IPIFCD_CTLREQ_READ,	/* read PATH */
	IPIFCD_CTLREQ_WRITE,	/* write PATH TEXT */
	IPIFCD_CTLREQ_MONITOR,	/* monitor: the stack's events, streamed */
	IPIFCD_CTLREQ_ERROR,	/* answer err and close */
};

struct ipifcd_ctlreq {
	char	*path;		/* in the caller's buffer */
	char	*text;		/* write only */
	const char *err;	/* ERROR only */
};

/*
 * Parse the bytes received so far, buf[0..len), of which at most max
 * (newline included) may make the request.  On READ and WRITE the line
 * is cut in place in buf (its newline, and a carriage return before it,
 * become NULs) and r points into it.  MONITOR has neither path nor text.
 */
enum ipifcd_ctlreq_kind ipifcd_ctlreq_parse(char *buf, size_t len,
	    size_t max, struct ipifcd_ctlreq *r);

/*
 * Copy s into dst (size dstlen > 0, always NUL-terminated) with every
 * byte that is not printable ASCII, and the backslash, written as \xHH
 * or \\, so that what a client sent cannot forge or garble an answer
 * line.  A copy that does not fit is cut at an escape's boundary.
 */
void	ipifcd_ctl_escape(char *dst, size_t dstlen, const char *s);

#endif
