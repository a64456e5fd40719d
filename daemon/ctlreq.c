/*
 * The control socket's request parser and the escaping of error lines
 * (ctlreq.h).
 */
#include <stdio.h>
#include <string.h>

#include "ctlreq.h"

#define MALFORMED	"malformed request: want read PATH, write PATH TEXT or monitor"

enum ipifcd_ctlreq_kind
ipifcd_ctlreq_parse(char *buf, size_t len, size_t max, struct ipifcd_ctlreq *r)
{
	char	*eol, *verb, *path, *text;
	size_t	 n;

	memset(r, 0, sizeof(*r));
	n = len < max ? len : max;
	if ((eol = memchr(buf, '\n', n)) == NULL) {
		if (len >= max) {
			r->err = "request too long";
			return IPIFCD_CTLREQ_ERROR;
		}
		return IPIFCD_CTLREQ_MORE;
	}
	*eol = '\0';
	/* a client that ends its line as a network text protocol does */
	if (eol > buf && eol[-1] == '\r')
		*--eol = '\0';
	if (strlen(buf) != (size_t)(eol - buf)) {	/* a NUL before the end */
		r->err = "malformed request: NUL byte";
		return IPIFCD_CTLREQ_ERROR;
	}
	verb = buf;
	if (strcmp(verb, "monitor") == 0)
		return IPIFCD_CTLREQ_MONITOR;
	if ((path = strchr(buf, ' ')) == NULL) {
		r->err = MALFORMED;
		return IPIFCD_CTLREQ_ERROR;
	}
	*path++ = '\0';
	if ((text = strchr(path, ' ')) != NULL)
		*text++ = '\0';
	if (*path == '\0') {
		r->err = "malformed request: no path";
		return IPIFCD_CTLREQ_ERROR;
	}
	r->path = path;
	r->text = text;
	if (strcmp(verb, "read") == 0 && text == NULL)
		return IPIFCD_CTLREQ_READ;
	if (strcmp(verb, "write") == 0 && text != NULL)
		return IPIFCD_CTLREQ_WRITE;
	r->path = r->text = NULL;
	r->err = MALFORMED;
	return IPIFCD_CTLREQ_ERROR;
}

void
ipifcd_ctl_escape(char *dst, size_t dstlen, const char *s)
{
	const unsigned char *p;
	char	 e[5];
	size_t	 o = 0, n;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\')
			n = (size_t)snprintf(e, sizeof(e), "\\\\");
		else if (*p < 0x20 || *p > 0x7e)
			n = (size_t)snprintf(e, sizeof(e), "\\x%02x", *p);
		else {
			e[0] = (char)*p;
			n = 1;
		}
		if (o + n >= dstlen)
			break;
		memcpy(dst + o, e, n);
		o += n;
	}
	dst[o] = '\0';
}
