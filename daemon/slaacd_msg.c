/*
 * The framed messages between slaacd's processes: a header (type,
 * length, peer, pid; host byte order, the three are one binary) and
 * the payload.  The socketpairs are streams: a read may end inside a
 * message and a write may be partial.  Anything malformed is logged
 * and the caller drops the connection (a sibling is never trusted).
 */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#include "slaacd.h"

void
slaacd_conn_init(struct slaacd_conn *c, int fd, const char *name)
{
	c->fd = fd;
	c->name = name;
	c->len = 0;
}

int
slaacd_conn_read(struct slaacd_conn *c)
{
	ssize_t n;

	if (c->len == sizeof(c->buf))
		return 1;	/* full: the caller takes messages first */
	do
		n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EAGAIN ? 1 : -1;
	if (n == 0)
		return 0;
	c->len += (size_t)n;
	return 1;
}

int
slaacd_msg_valid(const struct slaacd_hdr *h)
{
	switch (h->type) {
	case SM_LOG:
		return h->len > sizeof(int32_t) && h->len <= 1024;
	case SM_IFINFO:
		return h->len == sizeof(struct sm_ifinfo);
	case SM_LLADDR:
		return h->len == sizeof(int32_t);
	case SM_RA:
		return h->len > sizeof(struct sm_ra) &&
		    h->len <= SLAACD_MSGMAX;
	case SM_DAD:
		return h->len == sizeof(struct sm_dad);
	case SM_SEND_RS:
		return h->len == sizeof(struct sm_rs);
	case SM_PROPOSAL:
		return h->len == sizeof(struct sm_proposal);
	case SM_RESULT:
		return h->len == sizeof(struct sm_result);
	case SM_CTL_SHOW:
	case SM_CTL_END:
		return h->len == 0;
	case SM_CTL_LINE:
		return h->len > 0 && h->len <= 512;
	case SM_CTL_LOG:
		return h->len == sizeof(int32_t);
	case SM_IFADD:
		return h->len == sizeof(struct sm_ifadd) && h->peer != 0;
	case SM_IFDEL:
		return h->len == 0 && h->peer != 0;
	case SM_SECRET:
		return h->len == SLAACD_SECRETLEN;
	case SM_ADDRGONE:
		return h->len == sizeof(struct ipifc_ip);
	}
	return 0;
}

int
slaacd_conn_get(struct slaacd_conn *c, struct slaacd_hdr *h,
    uint8_t *payload)
{
	size_t n;

	if (c->len < sizeof(*h))
		return 0;
	memcpy(h, c->buf, sizeof(*h));
	if (!slaacd_msg_valid(h)) {
		slaacd_log(LOG_ERR, "malformed message from %s: type %u "
		    "length %u", c->name, h->type, h->len);
		return -1;
	}
	n = sizeof(*h) + h->len;
	if (c->len < n)
		return 0;
	memcpy(payload, c->buf + sizeof(*h), h->len);
	memmove(c->buf, c->buf + n, c->len - n);
	c->len -= n;
	return 1;
}

int
slaacd_send(int fd, uint32_t type, uint32_t peer, const void *p, size_t len)
{
	static pid_t pid;
	struct slaacd_hdr h;
	uint8_t	 msg[sizeof(h) + SLAACD_MSGMAX];
	size_t	 off = 0, n;
	ssize_t	 w;

	if (len > SLAACD_MSGMAX)
		return -1;
	if (pid == 0)
		pid = getpid();
	h.type = type;
	h.len = (uint32_t)len;
	h.peer = peer;
	h.pid = (uint32_t)pid;
	memcpy(msg, &h, sizeof(h));
	if (len > 0)
		memcpy(msg + sizeof(h), p, len);
	n = sizeof(h) + len;
	while (off < n) {
		w = write(fd, msg + off, n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}
