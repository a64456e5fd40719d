/*
 * The stack's link operations on real devices (io/dev.h): a read event
 * per open device, drained up to a bound per wakeup into ipifc_input; a
 * write event, armed only after a send found the device busy, that tells
 * the stack ipifc_link_writable; and `capture FILE` / `capture off`, a
 * pcap of every frame sent and received on the interface; the device's
 * kind and counters at the end of the interface's status line.  Devices,
 * carrier and capture files come from the privileged parent (priv.c),
 * which also releases an xdp: device once it is closed here.
 *
 * Batches (issue 10): a wakeup reads at most LINK_BATCH frames of one
 * device, then yields to the others (the event stays ready).  On a device
 * that stages what it sends (packet:), what the stack sent during all the
 * callbacks of one pass of the event loop goes out together: the first
 * frame staged on a link puts it on the dirty list and makes the flush
 * event active, which libevent runs after the callbacks already active.
 * The counters are appended to ipifc/N/status (link_status).
 *
 * Superframes (issue 10): while the first frame of a superframe is in
 * the stack, a send of that frame forwarded sends the whole superframe
 * instead (link_super), and the stack never gets the rest.
 *
 * Busy polling (busypoll.c) asks ipifcd_links_poll to look at every
 * open link's ring, and makes the read event of one with frames active.
 */
#include <sys/queue.h>
#include <linux/virtio_net.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "dev.h"
#include "ipifcd.h"
#include "pcap.h"

#define LINK_BATCH	64	/* frames read per wakeup of one device */
#define LINK_MAXFAIL	16	/* wakeups in a row that only fail: stop */
/* a superframe's headers (Ethernet, IP and extension headers) at most */
#define LINK_SUPERHDR	1024

struct link {
	struct ipifcd	*d;
	int		 ifc;
	struct ipifc_dev *dev;
	struct event	*rd, *wr;
	struct event	*chk;		/* the carrier, once bound */
	struct ipifc_pcap *cap;
	int		 lasterr;	/* the last read error logged */
	int		 fails;		/* wakeups in a row that only failed */
	int		 dirty;		/* on the dirty list */
	TAILQ_ENTRY(link) dirtyq;
	TAILQ_ENTRY(link) openq;	/* on the list of open links */
	/* read wakeups that got frames, the frames, the most in one, and
	 * wakeups that stopped at LINK_BATCH */
	uint64_t	 rxbatches, rxframes, rxmax, rxyields;
	/* superframes read; sent whole; sent cut here (ipifc_dev_super) */
	uint64_t	 rxsuper, txsuper, txcut;
	struct ipifc_dev_counters tx;	/* a device that does not batch */
};

struct ipifcd_links {
	struct link	*l[IPIFCD_MAXIFC];
	TAILQ_HEAD(, link) dirty;	/* links with frames staged */
	TAILQ_HEAD(, link) open;	/* every link, for busy polling */
	struct event	*flush;
	uint8_t		 buf[IPIFC_DEV_MAXFRAME];
	/* in the stack now: the first frame of rx's superframe, in buf */
	struct link	*rx;
	size_t		 rxlen;
	uint8_t		 superhdr[LINK_SUPERHDR];	/* one going out */
	char		 err[256];	/* the last ctl error */
};

/* Captures carry wall-clock time: a reader lines them up with others. */
static uint64_t
wallclock_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static struct link *
link_get(struct ipifcd *d, int ifc)
{
	if (ifc < 0 || ifc >= IPIFCD_MAXIFC)
		return NULL;
	return d->links->l[ifc];
}

static void
link_readerr(struct link *k, int err)
{
	if (err != k->lasterr)
		ipifcd_log(LOG_WARNING, "interface %d: reading %s: %s",
		    k->ifc, ipifc_dev_name(k->dev), strerror(-err));
	k->lasterr = err;
	if (++k->fails == LINK_MAXFAIL) {
		/* a device gone under us would wake us for ever */
		ipifcd_log(LOG_ERR, "interface %d: %s keeps failing; no "
		    "longer read (unbind it)", k->ifc,
		    ipifc_dev_name(k->dev));
		event_del(k->rd);
		ipifc_carrier(k->d->stack, k->ifc, 0);
	}
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct link *k = arg;
	struct ipifcd *d = k->d;
	struct ipifcd_links *ls = d->links;
	int i, ifc = k->ifc, got = 0;
	unsigned frames = 0;
	ssize_t n;

	ipifcd_advance(d);
	for (i = 0; i < LINK_BATCH; i++) {
		n = ipifc_dev_recv(k->dev, ls->buf, sizeof(ls->buf));
		if (n == -EAGAIN)
			break;
		if (n < 0) {
			link_readerr(k, (int)n);
			break;
		}
		got = 1;
		if (n == 0)
			continue;
		frames++;
		if (k->cap != NULL)
			ipifc_pcap_write(k->cap, wallclock_ms(), ls->buf,
			    (size_t)n);
		if (ipifc_dev_super(k->dev)) {
			k->rxsuper++;
			/* a capture shows every frame the stack sees */
			if (k->cap == NULL) {
				ls->rx = k;
				ls->rxlen = (size_t)n;
			}
		}
		ipifc_input(d->stack, ifc, ls->buf, (size_t)n);
		ls->rx = NULL;
		/* input never unbinds, but be sure the link is still ours */
		if (ls->l[ifc] != k)
			break;
	}
	if (got && ls->l[ifc] == k) {
		k->fails = 0;
		k->lasterr = 0;
		if (frames > 0) {
			k->rxbatches++;
			k->rxframes += frames;
			if (frames > k->rxmax)
				k->rxmax = frames;
		}
		if (i == LINK_BATCH)
			k->rxyields++;
		d->rxframes += frames;
		/* the rest of a superframe is not on the descriptor */
		if (ipifc_dev_pending(k->dev))
			event_active(k->rd, EV_READ, 0);
	}
	ipifcd_kick(d);
}

/* Send what is staged; busy: try again when the device is writable. */
static void
link_flush(struct link *k)
{
	if (ipifc_dev_flush(k->dev) == -EAGAIN)
		event_add(k->wr, NULL);
}

static void
link_undirty(struct link *k)
{
	if (!k->dirty)
		return;
	TAILQ_REMOVE(&k->d->links->dirty, k, dirtyq);
	k->dirty = 0;
}

/*
 * After the callbacks of one pass: every link's staged frames go out.
 * A frame the send itself brought (a Linux peer on a veth answers inside
 * our send: an echo reply, a TCP ACK, already in the link's ring) is read
 * at once, rather than after another wait for events;
 * the loop goes back to its descriptors and timers every
 * IPIFCD_MAXCALLBACKS callbacks (ipifcd.c), so this cannot starve them.
 */
static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	struct ipifcd *d = arg;
	struct link *k;

	while ((k = TAILQ_FIRST(&d->links->dirty)) != NULL) {
		link_undirty(k);
		link_flush(k);
		if (event_pending(k->rd, EV_READ, NULL) &&
		    ipifc_dev_pending(k->dev))
			event_active(k->rd, EV_READ, 0);
	}
}

static void
on_write(evutil_socket_t fd, short what, void *arg)
{
	struct link *k = arg;

	ipifcd_advance(k->d);
	/* what stayed staged first, then the stack's queue */
	if (ipifc_dev_flush(k->dev) == -EAGAIN) {
		event_add(k->wr, NULL);
		return;
	}
	ipifc_link_writable(k->d->stack, k->ifc);
	ipifcd_kick(k->d);
}

static void
link_carrier(struct link *k)
{
	int c = 1;

	/* a TAP or TUN device is ours: carrier while open */
	if (ipifc_dev_ifindex(k->dev) > 0)
		c = ipifcd_priv_carrier(ipifc_dev_name(k->dev));
	ipifc_carrier(k->d->stack, k->ifc, c != 0);
}

/*
 * Open runs before the interface is in the stack's table: its carrier
 * is set just after the bind, from the loop.
 */
static void
on_bound(evutil_socket_t fd, short what, void *arg)
{
	struct link *k = arg;

	ipifcd_advance(k->d);
	link_carrier(k);
	ipifcd_kick(k->d);
}

/*
 * Every open link whose device shares its receive ring with us and has
 * a frame there gets its read event made active: memory reads only.
 * The number of such links; a link no longer read (link_readerr) or
 * whose event is active already is left alone.
 */
int
ipifcd_links_poll(struct ipifcd *d)
{
	struct link *k;
	int n = 0;

	TAILQ_FOREACH(k, &d->links->open, openq) {
		if (ipifc_dev_poll(k->dev) != 1 ||
		    !event_pending(k->rd, EV_READ, NULL))
			continue;
		event_active(k->rd, EV_READ, 0);
		n++;
	}
	return n;
}

void
ipifcd_links_carrier(struct ipifcd *d, int ifindex, int up)
{
	struct link *k;
	int i;

	for (i = 0; i < IPIFCD_MAXIFC; i++) {
		if ((k = d->links->l[i]) == NULL)
			continue;
		if (ifindex == -1)
			link_carrier(k);
		else if (ipifc_dev_ifindex(k->dev) == ifindex)
			ipifc_carrier(d->stack, k->ifc, up);
	}
}

static void
link_free(struct link *k)
{
	char xdp[IPIFC_DEV_NAMELEN] = "";
	int rc;

	if (k->dev != NULL) {
		/* what the stack sent before the unbind still goes */
		link_undirty(k);
		(void)ipifc_dev_flush(k->dev);
	}
	if (k->rd != NULL)
		event_free(k->rd);
	if (k->wr != NULL)
		event_free(k->wr);
	if (k->chk != NULL)
		event_free(k->chk);
	if (k->cap != NULL && (rc = ipifc_pcap_close(k->cap)) < 0)
		ipifcd_log(LOG_WARNING, "interface %d: capture: %s", k->ifc,
		    strerror(-rc));
	if (k->dev != NULL) {
		if (ipifc_dev_created(k->dev))
			ipifcd_log(LOG_INFO, "interface %d: removing %s",
			    k->ifc, ipifc_dev_name(k->dev));
		if (strcmp(ipifc_dev_kind(k->dev), "xdp") == 0)
			snprintf(xdp, sizeof(xdp), "%s",
			    ipifc_dev_name(k->dev));
		ipifc_dev_close(k->dev);
		/* the parent takes the program off, once nothing maps */
		if (xdp[0] != '\0' && (rc = ipifcd_priv_xdpdone(xdp)) < 0)
			ipifcd_log(LOG_WARNING, "interface %d: releasing %s: "
			    "%s", k->ifc, xdp, strerror(-rc));
	}
	free(k);
}

/*
 * The stack's MAC stays: the Linux side of the device is another host
 * (dev.h), so mac is not filled.
 */
static int
link_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	struct ipifcd *d = arg;
	struct link *k;
	int rc;

	if (ifc < 0 || ifc >= IPIFCD_MAXIFC)
		return -ENOSPC;
	if (d->links->l[ifc] != NULL)
		return -EBUSY;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return -ENOMEM;
	k->d = d;
	k->ifc = ifc;
	if ((rc = ipifcd_priv_open(dev, &k->dev)) < 0) {
		free(k);
		ipifcd_log(LOG_WARNING, "interface %d: cannot open %s: %s",
		    ifc, dev, strerror(-rc));
		return rc;
	}
	k->rd = event_new(d->base, ipifc_dev_fd(k->dev), EV_READ | EV_PERSIST,
	    on_read, k);
	k->wr = event_new(d->base, ipifc_dev_fd(k->dev), EV_WRITE, on_write,
	    k);
	k->chk = evtimer_new(d->base, on_bound, k);
	if (k->rd == NULL || k->wr == NULL || k->chk == NULL ||
	    event_add(k->rd, NULL) == -1) {
		link_free(k);
		return -ENOMEM;
	}
	d->links->l[ifc] = k;
	TAILQ_INSERT_TAIL(&d->links->open, k, openq);
	event_active(k->chk, EV_TIMEOUT, 1);
	ipifcd_log(LOG_INFO, "interface %d: %s %s (%s)", ifc,
	    ipifc_dev_created(k->dev) ? "made" : "opened", dev,
	    ipifc_dev_kind(k->dev));
	return 0;
}

static void
link_close(void *arg, int ifc)
{
	struct ipifcd *d = arg;
	struct link *k;

	if ((k = link_get(d, ifc)) == NULL)
		return;
	d->links->l[ifc] = NULL;
	TAILQ_REMOVE(&d->links->open, k, openq);
	link_free(k);
}

/*
 * The stack forwards the first frame of a superframe just read (ls->rx):
 * the whole superframe goes in its place, and the stack gets only what
 * is left of it, if anything (issue 10: one pass through the stack for up
 * to 64 KiB).  1: sent; 0: frame is another, or the link refused the
 * superframe, so frame goes as usual and the stack gets the rest;
 * -EAGAIN: the link is busy.
 */
static int
link_super(struct link *k, const uint8_t *frame, size_t len)
{
	struct ipifcd_links *ls = k->d->links;
	struct ipifc_dev *in = ls->rx->dev;
	struct virtio_net_hdr vh;
	const uint8_t *rest;
	size_t n, restlen;
	int sent;

	if ((n = ipifc_dev_super_build(in, ls->buf, ls->rxlen, frame, len,
	    ls->superhdr, sizeof(ls->superhdr), &rest, &restlen, &vh)) == 0)
		return 0;
	sent = ipifc_dev_send_super(k->dev, ls->superhdr, n, rest, restlen,
	    &vh);
	if (sent == -EAGAIN)
		return sent;
	ls->rx = NULL;
	if (sent <= 0)
		return 0;
	ipifc_dev_super_sent(in, (unsigned)sent);
	if (ipifc_dev_takes_super(k->dev))
		k->txsuper++;
	else
		k->txcut++;
	return 1;
}

static int
link_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct ipifcd *d = arg;
	struct link *k;
	int rc;

	if ((k = link_get(d, ifc)) == NULL)
		return -ENOTCONN;
	/* a capture shows every frame the stack sends; a shaper weighs it */
	if (d->links->rx == NULL || k->cap != NULL ||
	    ipifc_link_shaped(d->stack, ifc) ||
	    (rc = link_super(k, frame, len)) == 0)
		rc = ipifc_dev_send(k->dev, frame, len);
	else if (rc > 0)
		rc = 0;
	if (rc == -EAGAIN) {
		/* the stack keeps the frame; tell it when to try again */
		event_add(k->wr, NULL);
		return rc;
	}
	if (rc < 0)
		return rc;
	if (!ipifc_dev_batched(k->dev)) {
		k->tx.txbatches++;
		k->tx.txframes++;
		k->tx.txmax = 1;
	} else if (!k->dirty) {
		k->dirty = 1;
		TAILQ_INSERT_TAIL(&d->links->dirty, k, dirtyq);
		event_active(d->links->flush, EV_TIMEOUT, 1);
	}
	if (k->cap != NULL)
		ipifc_pcap_write(k->cap, wallclock_ms(), frame, len);
	return 0;
}

/*
 * The device's kind and own counters (ipifc_dev_status), then the link's
 * batch and drop counters, for the status file.
 */
static size_t
link_status(void *arg, int ifc, char *buf, size_t len)
{
	struct ipifc_dev_counters c;
	struct link *k;
	size_t used;
	int n;

	if ((k = link_get(arg, ifc)) == NULL)
		return 0;
	/* what a timer staged just now goes first: pktout is txframes */
	if (k->dirty) {
		link_undirty(k);
		link_flush(k);
	}
	if (ipifc_dev_batched(k->dev))
		ipifc_dev_counters(k->dev, &c);
	else
		c = k->tx;
	ipifc_dev_status(k->dev, buf, len);
	used = strlen(buf);
	n = snprintf(buf + used, len - used, " rxbatches %llu rxframes "
	    "%llu rxmax %llu rxyields %llu txbatches %llu txframes %llu txmax %llu "
	    "txdrops %llu kerneldrops %llu rxsuper %llu txsuper %llu txcut %llu",
	    (unsigned long long)k->rxbatches,
	    (unsigned long long)k->rxframes, (unsigned long long)k->rxmax,
	    (unsigned long long)k->rxyields,
	    (unsigned long long)c.txbatches, (unsigned long long)c.txframes,
	    (unsigned long long)c.txmax, (unsigned long long)c.txdrops,
	    (unsigned long long)c.kerneldrops,
	    (unsigned long long)k->rxsuper, (unsigned long long)k->txsuper,
	    (unsigned long long)k->txcut);
	return n > 0 && (size_t)n < len - used ? used + (size_t)n : 0;
}

static const char *
link_ctl(void *arg, int ifc, int argc, char **argv)
{
	struct ipifcd *d = arg;
	struct ipifcd_links *ls = d->links;
	struct ipifc_pcap *p;
	struct link *k;
	int rc, fd;

	if (argc < 1 || strcmp(argv[0], "capture") != 0) {
		snprintf(ls->err, sizeof(ls->err),
		    "unknown ctl message %.64s", argc >= 1 ? argv[0] : "");
		return ls->err;
	}
	if (argc != 2)
		return "usage: capture FILE|off";
	if ((k = link_get(d, ifc)) == NULL) {
		snprintf(ls->err, sizeof(ls->err),
		    "capture: interface %d has no device", ifc);
		return ls->err;
	}
	if (strcmp(argv[1], "off") == 0)
		p = NULL;
	else if ((fd = ipifcd_priv_capture(argv[1])) < 0) {
		snprintf(ls->err, sizeof(ls->err), "capture %.128s: %s",
		    argv[1], fd == -EACCES ? "not a file name in the capture "
		    "directory" : strerror(-fd));
		return ls->err;
	} else if ((p = ipifc_pcap_fdopen(fd, ipifc_dev_ether(k->dev) ?
	    IPIFC_PCAP_ETHERNET : IPIFC_PCAP_RAW)) == NULL) {
		snprintf(ls->err, sizeof(ls->err), "capture %.128s: %s",
		    argv[1], strerror(errno));
		return ls->err;
	}
	rc = k->cap != NULL ? ipifc_pcap_close(k->cap) : 0;
	k->cap = p;
	if (rc < 0) {
		snprintf(ls->err, sizeof(ls->err),
		    "capture: the previous file: %s", strerror(-rc));
		return ls->err;
	}
	return NULL;
}

static const struct ipifc_link_ops link_ops = {
	.open = link_open,
	.close = link_close,
	.send = link_send,
	.ctl = link_ctl,
	.status = link_status,
};

int
ipifcd_links_init(struct ipifcd *d)
{
	if ((d->links = calloc(1, sizeof(*d->links))) == NULL)
		return -1;
	TAILQ_INIT(&d->links->dirty);
	TAILQ_INIT(&d->links->open);
	if ((d->links->flush = event_new(d->base, -1, 0, on_flush, d)) ==
	    NULL) {
		free(d->links);
		d->links = NULL;
		return -1;
	}
	ipifc_set_link(d->stack, &link_ops, d);
	return 0;
}

/* After the stack has unbound every interface: nothing is left. */
void
ipifcd_links_free(struct ipifcd *d)
{
	int i;

	if (d->links == NULL)
		return;
	for (i = 0; i < IPIFCD_MAXIFC; i++)
		if (d->links->l[i] != NULL)
			link_close(d, i);
	if (d->stack != NULL)
		ipifc_set_link(d->stack, NULL, NULL);
	event_free(d->links->flush);
	free(d->links);
	d->links = NULL;
}
