/*
 * The control socket (ctlsock.h).  A connection reads one line, bounded
 * by IPIFCD_CTL_MAXREQ; a longer line or a malformed one is answered
 * "error ..." and closed; a client that goes away before its line is
 * complete, or is too slow, is dropped.  No client can hold up another:
 * everything is non-blocking, and connections are bounded in number and
 * time.  The time is a deadline, not an idle timeout: IPIFCD_CTL_TIMEOUT
 * from accept to send the whole request, as long again to take the
 * answer (a ping's own run does not count), however steadily the client
 * trickles.  When every place is taken, a new client takes the place of
 * the oldest one still sending its request (which is told "error busy"),
 * so that clients that never finish cannot lock the others out.
 *
 * A monitor (ctlsock.h) leaves that list for its own, bounded apart, and
 * its deadline and timeouts go: it lasts until its client closes.  The
 * stack's events reach it through one subscription for all monitors,
 * each line formatted once.
 */
#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "ctlreq.h"
#include "ctlsock.h"
#include "ping.h"

struct conn {
	TAILQ_ENTRY(conn) link;
	struct ipifcd	*d;
	struct bufferevent *bev;
	struct event	*deadline;
	int		 asked;		/* its request is in: not evicted */
	struct ipifcd_ping *ping;	/* its answer, still running */
	int		 monitor;	/* on the list of monitors */
	uint64_t	 lost;		/* events its full buffer lost */
};

TAILQ_HEAD(connlist, conn);

struct ipifcd_ctlsock {
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		 dir[PATH_MAX];	/* made by us: removed at the end */
	int		 fd;
	struct evconnlistener *lev;
	struct connlist	 conns;
	int		 nconns;
	struct connlist	 mons;		/* monitors */
	int		 nmons;
	int		 subscribed;	/* mon_event */
};

static void
conn_free(struct conn *c)
{
	struct ipifcd_ctlsock *cs = c->d->ctl;

	if (c->monitor) {
		TAILQ_REMOVE(&cs->mons, c, link);
		cs->nmons--;
	} else {
		TAILQ_REMOVE(&cs->conns, c, link);
		cs->nconns--;
	}
	ipifcd_ping_cancel(c->ping);
	if (c->deadline != NULL)
		event_free(c->deadline);
	bufferevent_free(c->bev);
	free(c);
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	conn_free(arg);
}

/* IPIFCD_CTL_TIMEOUT from now, whatever the client does meanwhile. */
static void
conn_deadline(struct conn *c)
{
	struct timeval tv = { IPIFCD_CTL_TIMEOUT, 0 };

	evtimer_add(c->deadline, &tv);
}

static void
on_written(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_free(c);
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	/* end of file before a whole line, an error, a timeout: drop */
	conn_free(arg);
}

/*
 * Queue the answer; the connection closes once it is sent.  An error
 * may quote the client's words: escaped, it stays one line of text.
 */
static void
conn_answer(struct conn *c, const char *err, struct evbuffer *body)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	char esc[1024];

	c->asked = 1;
	conn_deadline(c);
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, on_written, on_event, c);
	if (err != NULL) {
		ipifcd_ctl_escape(esc, sizeof(esc), err);
		evbuffer_add_printf(out, "error %s\n", esc);
	} else {
		evbuffer_add(out, "ok\n", 3);
		if (body != NULL)
			evbuffer_add_buffer(out, body);
	}
	bufferevent_enable(c->bev, EV_WRITE);
}

static void
ping_done(void *arg, struct evbuffer *answer)
{
	struct conn *c = arg;

	c->ping = NULL;
	conn_answer(c, NULL, answer);
}

static int
tokenize(char *s, char **argv, int max)
{
	int n = 0;

	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (*s == '\0')
			return n;
		if (n == max)
			return -1;
		argv[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
	}
}

static void
do_write_ping(struct conn *c, char *text)
{
	char *argv[16];
	const char *err = NULL;
	int argc;

	if ((argc = tokenize(text, argv, 16)) < 0) {
		conn_answer(c, "ping: too many words", NULL);
		return;
	}
	c->asked = 1;
	evtimer_del(c->deadline);	/* the ping is bounded: its answer */
	bufferevent_disable(c->bev, EV_READ);
	bufferevent_setcb(c->bev, NULL, NULL, on_event, c);
	if ((c->ping = ipifcd_ping_start(c->d, argc, argv, ping_done, c,
	    &err)) == NULL)
		conn_answer(c, err, NULL);
}

/* Whatever a monitor's client sends after its line: dropped. */
static void
mon_read(struct bufferevent *bev, void *arg)
{
	struct evbuffer *in = bufferevent_get_input(bev);

	evbuffer_drain(in, evbuffer_get_length(in));
}

/*
 * Queue line (len bytes, 0: none) for monitor c, after "lost N" if
 * events were lost: once losing, until half its buffer is free, so
 * that a client that falls behind gets one "lost N" per time it does.
 */
static void
mon_put(struct conn *c, const char *line, size_t len)
{
	struct evbuffer *out = bufferevent_get_output(c->bev);
	size_t have = evbuffer_get_length(out);
	char lost[32];
	int n = 0;

	if (c->lost > 0) {
		if (have > IPIFCD_CTL_MONBUF / 2)
			goto lose;
		n = snprintf(lost, sizeof(lost), "lost %" PRIu64 "\n",
		    c->lost);
	}
	if (have + (size_t)n + len > IPIFCD_CTL_MONBUF)
		goto lose;
	if (n > 0) {
		if (evbuffer_add(out, lost, (size_t)n) == -1)
			goto lose;
		c->lost = 0;
	}
	if (len > 0 && evbuffer_add(out, line, len) == -1)
		goto lose;
	return;
lose:
	if (len > 0)
		c->lost++;
}

static void
mon_event(void *arg, const struct ipifc_event *ev)
{
	struct ipifcd_ctlsock *cs = arg;
	struct conn *c;
	char line[512];
	size_t len;

	if (TAILQ_EMPTY(&cs->mons))
		return;
	ipifc_event_fmt(ev, line, sizeof(line) - 1);
	len = strlen(line);
	line[len++] = '\n';
	TAILQ_FOREACH(c, &cs->mons, link)
		mon_put(c, line, len);
}

/* Everything taken: what was lost is told at once, not at the next event. */
static void
mon_written(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;

	if (c->lost > 0)
		mon_put(c, NULL, 0);
}

/* The request "monitor": c becomes one, if there is room. */
static void
conn_monitor(struct conn *c)
{
	struct ipifcd_ctlsock *cs = c->d->ctl;
	struct evbuffer *in = bufferevent_get_input(c->bev);
	char err[64];

	if (cs->nmons >= c->d->maxmonitors) {
		snprintf(err, sizeof(err), "too many monitors (max %d)",
		    c->d->maxmonitors);
		conn_answer(c, err, NULL);
		return;
	}
	TAILQ_REMOVE(&cs->conns, c, link);
	cs->nconns--;
	TAILQ_INSERT_TAIL(&cs->mons, c, link);
	cs->nmons++;
	c->monitor = 1;
	c->asked = 1;
	evtimer_del(c->deadline);
	bufferevent_set_timeouts(c->bev, NULL, NULL);
	evbuffer_drain(in, evbuffer_get_length(in));
	/* reading on: the client's end of file frees it at once */
	bufferevent_setcb(c->bev, mon_read, mon_written, on_event, c);
	mon_put(c, "ok\n", 3);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
}

/* A parsed request (ctlreq.h), READ or WRITE. */
static void
conn_request(struct conn *c, enum ipifcd_ctlreq_kind kind, char *path,
    char *text)
{
	struct ipifcd *d = c->d;
	struct evbuffer *body;
	char reply[256], *file;
	const char *err;

	ipifcd_advance(d);
	if (kind == IPIFCD_CTLREQ_READ) {
		if (strcmp(path, "busypoll") == 0) {
			/* the daemon's own, as ping is (busypoll.c) */
			if (asprintf(&file, "busypoll %u spins %llu hits %llu\n",
			    d->busypoll, (unsigned long long)d->spins,
			    (unsigned long long)d->hits) == -1)
				file = NULL;
			err = "out of memory";
		} else
			file = ipifc_read(d->stack, path, &err);
		if (file == NULL) {
			conn_answer(c, err != NULL ? err : "cannot read",
			    NULL);
			return;
		}
		if ((body = evbuffer_new()) == NULL) {
			free(file);
			conn_answer(c, "out of memory", NULL);
			return;
		}
		evbuffer_add(body, file, strlen(file));
		free(file);
		conn_answer(c, NULL, body);
		evbuffer_free(body);
	} else {
		if (strcmp(path, "ping") == 0) {
			do_write_ping(c, text);
			ipifcd_kick(d);
			return;
		}
		reply[0] = '\0';
		if (strcmp(path, "busypoll") == 0)
			err = ipifcd_busypoll_set(d, text);
		else
			err = ipifc_write(d->stack, d->self, path, text, reply,
			    sizeof(reply));
		if (err != NULL)
			conn_answer(c, err, NULL);
		else if ((body = evbuffer_new()) == NULL)
			conn_answer(c, "out of memory", NULL);
		else {
			if (reply[0] != '\0')
				evbuffer_add_printf(body, "%s\n", reply);
			conn_answer(c, NULL, body);
			evbuffer_free(body);
		}
	}
	ipifcd_kick(d);
}

static void
on_read(struct bufferevent *bev, void *arg)
{
	struct conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct ipifcd_ctlreq r;
	enum ipifcd_ctlreq_kind k;
	size_t len = evbuffer_get_length(in);
	char *buf;

	if (len > IPIFCD_CTL_MAXREQ)
		len = IPIFCD_CTL_MAXREQ;
	/* a line only once it is whole; searched in a copy of our own */
	if (evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF).pos < 0 &&
	    len < IPIFCD_CTL_MAXREQ)
		return;		/* wait for the rest */
	if ((buf = malloc(len + 1)) == NULL) {
		conn_answer(c, "out of memory", NULL);
		return;
	}
	evbuffer_copyout(in, buf, len);
	buf[len] = '\0';
	k = ipifcd_ctlreq_parse(buf, len, IPIFCD_CTL_MAXREQ, &r);
	if (k == IPIFCD_CTLREQ_ERROR)
		conn_answer(c, r.err, NULL);
	else if (k == IPIFCD_CTLREQ_MONITOR)
		conn_monitor(c);
	else if (k != IPIFCD_CTLREQ_MORE)
		conn_request(c, k, r.path, r.text);
	free(buf);
}

/*
 * Only root may talk to us, whatever the file mode: not the stack
 * process's own unprivileged user (priv.c).
 */
static int
peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		return 0;
	return cr.uid == 0;
}

/* The connection to give up for a new one: the oldest still asking. */
static struct conn *
oldest_asking(struct ipifcd_ctlsock *cs)
{
	struct conn *c;

	TAILQ_FOREACH(c, &cs->conns, link)
		if (!c->asked)
			return c;
	return NULL;
}

static void
on_accept(struct evconnlistener *lev, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct ipifcd *d = arg;
	struct ipifcd_ctlsock *cs = d->ctl;
	struct timeval tv = { IPIFCD_CTL_TIMEOUT, 0 };
	struct conn *c;
	int ok = peer_ok(fd);

	if (ok && cs->nconns >= IPIFCD_CTL_MAXCONN &&
	    (c = oldest_asking(cs)) != NULL) {
		/* best effort, as below */
		(void)send(bufferevent_getfd(c->bev), "error busy\n", 11,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		conn_free(c);
	}
	if (!ok || cs->nconns >= IPIFCD_CTL_MAXCONN) {
		/* best effort: a refused client may not be listening */
		(void)send(fd, "error busy or not allowed\n", 26,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		evutil_closesocket(fd);
		return;
	}
	c->d = d;
	if ((c->deadline = evtimer_new(d->base, on_deadline, c)) == NULL) {
		evutil_closesocket(fd);
		free(c);
		return;
	}
	if ((c->bev = bufferevent_socket_new(d->base, fd,
	    BEV_OPT_CLOSE_ON_FREE)) == NULL) {
		event_free(c->deadline);
		evutil_closesocket(fd);
		free(c);
		return;
	}
	TAILQ_INSERT_TAIL(&cs->conns, c, link);
	cs->nconns++;
	bufferevent_setwatermark(c->bev, EV_READ, 0, IPIFCD_CTL_MAXREQ);
	bufferevent_set_timeouts(c->bev, &tv, &tv);
	conn_deadline(c);
	bufferevent_setcb(c->bev, on_read, NULL, on_event, c);
	bufferevent_enable(c->bev, EV_READ);
}

static void
on_accept_error(struct evconnlistener *lev, void *arg)
{
	/* EMFILE and the like: logged; the listener keeps going */
	ipifcd_log(LOG_WARNING, "control socket: accept: %s",
	    strerror(errno));
}

/* mkdir -p; remember the last directory made, to remove at the end. */
static int
mkdirs(struct ipifcd_ctlsock *cs, const char *dir)
{
	char buf[PATH_MAX], *p;
	struct stat st;

	if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (stat(buf, &st) == 0)
		return S_ISDIR(st.st_mode) ? 0 : (errno = ENOTDIR, -1);
	for (p = buf + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) == -1 && errno != EEXIST)
		return -1;
	snprintf(cs->dir, sizeof(cs->dir), "%s", buf);
	return 0;
}

/* A socket at path: 1 if a daemon answers, 0 if stale (removed), -1. */
static int
stale(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		errno = EEXIST;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0)
		return 1;
	if (errno != ECONNREFUSED)
		return -1;
	return unlink(path) == -1 ? -1 : 0;
}

int
ipifcd_ctlsock_open(struct ipifcd *d, const char *path)
{
	struct ipifcd_ctlsock *cs;
	struct sockaddr_un sun;
	char dir[PATH_MAX];
	mode_t old;
	int fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path)) {
		ipifcd_log(LOG_ERR, "bad control socket path %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		return -1;
	d->ctl = cs;
	cs->fd = -1;
	TAILQ_INIT(&cs->conns);
	TAILQ_INIT(&cs->mons);
	memcpy(cs->path, path, strlen(path) + 1);

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdirs(cs, dirname(dir)) == -1) {
		ipifcd_log(LOG_ERR, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((rc = stale(path, &sun)) != 0) {
		if (rc > 0)
			ipifcd_log(LOG_ERR, "%s: another ipifcd is running",
			    path);
		else
			ipifcd_log(LOG_ERR, "%s: %s", path, strerror(errno));
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1) {
		ipifcd_log(LOG_ERR, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(077);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc == -1 || chmod(path, 0600) == -1 ||
	    listen(fd, IPIFCD_CTL_MAXCONN) == -1) {
		ipifcd_log(LOG_ERR, "%s: %s", path, strerror(errno));
		close(fd);
		if (rc == 0)
			unlink(path);
		return -1;
	}
	cs->fd = fd;
	return 0;
}

int
ipifcd_ctlsock_start(struct ipifcd *d)
{
	struct ipifcd_ctlsock *cs = d->ctl;

	cs->lev = evconnlistener_new(d->base, on_accept, d,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, cs->fd);
	if (cs->lev == NULL) {
		ipifcd_log(LOG_ERR, "control socket: cannot listen");
		return -1;
	}
	evconnlistener_set_error_cb(cs->lev, on_accept_error);
	if (ipifc_subscribe(d->stack, mon_event, cs) < 0) {
		ipifcd_log(LOG_ERR, "control socket: cannot take events");
		return -1;
	}
	cs->subscribed = 1;
	return 0;
}

void
ipifcd_ctlsock_close(struct ipifcd *d)
{
	struct ipifcd_ctlsock *cs = d->ctl;
	struct conn *c;

	if (cs == NULL)
		return;
	while ((c = TAILQ_FIRST(&cs->conns)) != NULL)
		conn_free(c);
	while ((c = TAILQ_FIRST(&cs->mons)) != NULL)
		conn_free(c);
	if (cs->subscribed)
		ipifc_unsubscribe(d->stack, mon_event, cs);
	if (cs->lev != NULL)
		evconnlistener_free(cs->lev);
	else if (cs->fd >= 0)
		close(cs->fd);
	/* the socket's path is the privileged parent's to remove */
	if (cs->fd >= 0 && !d->stackproc && unlink(cs->path) == -1)
		ipifcd_log(LOG_WARNING, "%s: %s", cs->path, strerror(errno));
	if (cs->dir[0] != '\0' && !d->stackproc)
		(void)rmdir(cs->dir);	/* only if empty */
	free(cs);
	d->ctl = NULL;
}
