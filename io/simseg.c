/*
 * Simulated L2 segments (see simseg.h).  Each segment keeps a bounded
 * ring of frames, each a private copy stamped with the sender's virtual
 * time and a net-wide sequence number; delivery takes the oldest frame
 * of the whole net first, so the order across segments is fixed too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "pcap.h"
#include "simseg.h"

#ifndef EMEDIUMTYPE
#define EMEDIUMTYPE	EINVAL
#endif

struct frame {
	uint64_t time;			/* ms, when it was sent */
	uint64_t seq;			/* net-wide send order */
	uint64_t from;			/* id of the sending port */
	size_t	len;
	uint8_t	data[];
};

struct port {
	struct ipifc_simhost *host;	/* NULL: slot free */
	int	ifc;
	uint64_t id;			/* unique in the net */
};

struct seg {
	char	name[IPIFC_SIMSEG_NAMELEN];
	int	linktype;		/* 0 while nothing fixes it */
	struct port ports[IPIFC_SIMSEG_MAXPORTS];	/* lowest free first */
	int	nports;
	struct frame *q[IPIFC_SIMSEG_MAXQUEUE];	/* ring */
	int	qhead, qlen;
	size_t	qbytes;
	uint64_t storm_ms;		/* the ms storm_n counts in */
	uint64_t storm_n;
	struct ipifc_pcap *cap;
	char	*cappath;		/* cap's file, to reopen it (below) */
	int	caperr;			/* a capture lost at reopen, -errno */
	struct ipifc_simseg_stats st;
};

struct ipifc_simnet {
	struct seg *segs[IPIFC_SIMSEG_MAXSEGS];	/* in creation order */
	int	nsegs;
	uint64_t seq;
	uint64_t portid;
};

/* Where each interface of one stack is attached. */
struct attach {
	struct seg *seg;		/* NULL: not attached */
	int	slot;
};

struct ipifc_simhost {
	struct ipifc_simnet *net;
	ipifc_simhost_input_fn *input;
	ipifc_simhost_clock_fn *clock;
	void	*arg;			/* of input and clock */
	struct attach *at;		/* by interface number, grows */
	int	nat;
	char	err[256];		/* the last ctl error */
};

/* The kind of frame is free again once nothing depends on it. */
static void
seg_release_kind(struct seg *g)
{
	if (g->nports == 0 && g->cap == NULL)
		g->linktype = 0;
}

/*
 * Start (path) or stop (NULL) the capture of g.  Stopping returns the
 * capture's first error.  A capture started before any interface fixed
 * the kind of frame is opened as Ethernet; seg_fix_kind reopens it raw if
 * the first interface is pkt.
 */
static int
seg_capture(struct seg *g, const char *path)
{
	struct ipifc_pcap *p = NULL;
	char *dup = NULL;
	int rc = 0, kind;

	if (path != NULL) {
		kind = g->linktype != 0 ? g->linktype : IPIFC_PCAP_ETHERNET;
		if ((dup = strdup(path)) == NULL)
			return -ENOMEM;
		if ((p = ipifc_pcap_open(path, kind)) == NULL) {
			rc = errno != 0 ? -errno : -EIO;
			free(dup);
			return rc;
		}
	}
	if (g->cap != NULL)
		rc = ipifc_pcap_close(g->cap);
	if (rc == 0)
		rc = g->caperr;
	free(g->cappath);
	g->cap = p;
	g->cappath = dup;
	g->caperr = 0;
	seg_release_kind(g);
	return p != NULL ? 0 : rc;
}

/* The first interface fixes the kind of frame, and of the capture. */
static void
seg_fix_kind(struct seg *g, int kind)
{
	int rc;

	if (g->linktype != 0)
		return;
	g->linktype = kind;
	if (g->cap == NULL || ipifc_pcap_linktype(g->cap) == kind)
		return;
	/* Nothing was sent yet: the file holds only its header. */
	ipifc_pcap_close(g->cap);
	if ((g->cap = ipifc_pcap_open(g->cappath, kind)) == NULL) {
		rc = errno != 0 ? -errno : -EIO;
		free(g->cappath);
		g->cappath = NULL;
		g->caperr = rc;
	}
}

struct ipifc_simnet *
ipifc_simnet_new(void)
{
	return calloc(1, sizeof(struct ipifc_simnet));
}

static void
seg_drain(struct seg *g)
{
	while (g->qlen > 0) {
		free(g->q[g->qhead]);
		g->q[g->qhead] = NULL;
		g->qhead = (g->qhead + 1) % IPIFC_SIMSEG_MAXQUEUE;
		g->qlen--;
	}
	g->qbytes = 0;
}

int
ipifc_simnet_free(struct ipifc_simnet *n)
{
	struct seg *g;
	int i, rc, err = 0;

	if (n == NULL)
		return 0;
	for (i = 0; i < n->nsegs; i++) {
		g = n->segs[i];
		seg_drain(g);
		if ((rc = seg_capture(g, NULL)) != 0 && err == 0)
			err = rc;
		free(g);
	}
	free(n);
	return err;
}

/* "sim:NAME" or "NAME" -> NAME; NULL if empty. */
static const char *
seg_name(const char *name)
{
	if (strncmp(name, "sim:", 4) == 0)
		name += 4;
	return *name != '\0' ? name : NULL;
}

static struct seg *
seg_find(const struct ipifc_simnet *n, const char *name)
{
	int i;

	for (i = 0; i < n->nsegs; i++)
		if (strcmp(n->segs[i]->name, name) == 0)
			return n->segs[i];
	return NULL;
}

/* Find or make segment name; NULL with *err a negative errno. */
static struct seg *
seg_get(struct ipifc_simnet *n, const char *name, int *err)
{
	struct seg *g;

	if ((g = seg_find(n, name)) != NULL)
		return g;
	if (strlen(name) >= IPIFC_SIMSEG_NAMELEN) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (n->nsegs == IPIFC_SIMSEG_MAXSEGS) {
		*err = -ENOSPC;
		return NULL;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL) {
		*err = -ENOMEM;
		return NULL;
	}
	memcpy(g->name, name, strlen(name) + 1);
	n->segs[n->nsegs++] = g;
	return g;
}

struct ipifc_simhost *
ipifc_simhost_new_fn(struct ipifc_simnet *n, ipifc_simhost_input_fn *input,
    ipifc_simhost_clock_fn *clock, void *arg)
{
	struct ipifc_simhost *h;

	if (n == NULL || input == NULL || clock == NULL) {
		errno = EINVAL;
		return NULL;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->net = n;
	h->input = input;
	h->clock = clock;
	h->arg = arg;
	return h;
}

static void
stack_input(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	ipifc_input(arg, ifc, frame, len);
}

static uint64_t
stack_clock(void *arg)
{
	return ipifc_now(arg);
}

struct ipifc_simhost *
ipifc_simhost_new(struct ipifc_simnet *n, struct ipifc_stack *s)
{
	if (s == NULL) {
		errno = EINVAL;
		return NULL;
	}
	return ipifc_simhost_new_fn(n, stack_input, stack_clock, s);
}

static void
host_detach(struct ipifc_simhost *h, int ifc)
{
	struct attach *a = &h->at[ifc];
	struct seg *g = a->seg;

	if (g == NULL)
		return;
	memset(&g->ports[a->slot], 0, sizeof(g->ports[a->slot]));
	g->nports--;
	seg_release_kind(g);
	a->seg = NULL;
}

void
ipifc_simhost_free(struct ipifc_simhost *h)
{
	int i;

	if (h == NULL)
		return;
	for (i = 0; i < h->nat; i++)
		host_detach(h, i);
	free(h->at);
	free(h);
}

/* Room for interface number ifc. */
static int
grow_at(struct ipifc_simhost *h, int ifc)
{
	struct attach *v;
	int n;

	for (n = h->nat ? h->nat : 8; n <= ifc; n *= 2)
		;
	if ((v = realloc(h->at, (size_t)n * sizeof(*v))) == NULL)
		return -ENOMEM;
	memset(&v[h->nat], 0, (size_t)(n - h->nat) * sizeof(*v));
	h->at = v;
	h->nat = n;
	return 0;
}

static int
simseg_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	struct ipifc_simhost *h = arg;
	const char *name;
	struct seg *g;
	int i, kind, err = 0;

	if (strncmp(dev, "sim:", 4) != 0 || (name = seg_name(dev)) == NULL)
		return -ENODEV;
	if (ifc < 0 || ifc >= IPIFC_SIMSEG_MAXIFC)
		return -ENOSPC;
	if (ifc >= h->nat && grow_at(h, ifc) < 0)
		return -ENOMEM;
	if (h->at[ifc].seg != NULL)
		return -EBUSY;
	if ((g = seg_get(h->net, name, &err)) == NULL)
		return err;
	kind = mac != NULL ? IPIFC_PCAP_ETHERNET : IPIFC_PCAP_RAW;
	if (g->linktype != 0 && g->linktype != kind)
		return -EMEDIUMTYPE;
	for (i = 0; i < IPIFC_SIMSEG_MAXPORTS; i++)
		if (g->ports[i].host == NULL)
			break;
	if (i == IPIFC_SIMSEG_MAXPORTS)
		return -ENOSPC;
	g->ports[i].host = h;
	g->ports[i].ifc = ifc;
	g->ports[i].id = ++h->net->portid;
	g->nports++;
	seg_fix_kind(g, kind);
	h->at[ifc].seg = g;
	h->at[ifc].slot = i;
	return 0;
}

static void
simseg_close(void *arg, int ifc)
{
	struct ipifc_simhost *h = arg;

	if (ifc >= 0 && ifc < h->nat)
		host_detach(h, ifc);
}

/*
 * A full queue drops (a hub has no back pressure): -ENOBUFS, so the
 * sender counts it in errout too.
 */
static int
simseg_send(void *arg, int ifc, const uint8_t *buf, size_t len)
{
	struct ipifc_simhost *h = arg;
	struct frame *f;
	struct seg *g;

	if (ifc < 0 || ifc >= h->nat || (g = h->at[ifc].seg) == NULL)
		return -ENOTCONN;
	if (len == 0 || len > IPIFC_SIMSEG_MAXFRAME) {
		g->st.drop_big++;
		return -EMSGSIZE;
	}
	if (g->qlen == IPIFC_SIMSEG_MAXQUEUE ||
	    len > IPIFC_SIMSEG_MAXQBYTES - g->qbytes ||
	    (f = malloc(sizeof(*f) + len)) == NULL) {
		g->st.drop_full++;
		return -ENOBUFS;
	}
	f->time = h->clock(h->arg);
	f->seq = h->net->seq++;
	f->from = g->ports[h->at[ifc].slot].id;
	f->len = len;
	memcpy(f->data, buf, len);
	g->q[(g->qhead + g->qlen) % IPIFC_SIMSEG_MAXQUEUE] = f;
	g->qlen++;
	g->qbytes += len;
	g->st.sent++;
	if (g->cap != NULL)
		ipifc_pcap_write(g->cap, f->time, f->data, f->len);
	return 0;
}

int
ipifc_simnet_capture(struct ipifc_simnet *n, const char *name,
    const char *path)
{
	struct seg *g;
	int err = 0;

	if ((name = seg_name(name)) == NULL)
		return -EINVAL;
	if (path == NULL) {
		if ((g = seg_find(n, name)) == NULL)
			return 0;
		return seg_capture(g, NULL);
	}
	if ((g = seg_get(n, name, &err)) == NULL)
		return err;
	return seg_capture(g, path);
}

static const char *
simseg_ctl(void *arg, int ifc, int argc, char **argv)
{
	struct ipifc_simhost *h = arg;
	struct seg *g;
	int rc;

	if (argc < 1 || strcmp(argv[0], "capture") != 0) {
		snprintf(h->err, sizeof(h->err), "unknown ctl message %s",
		    argc >= 1 ? argv[0] : "");
		return h->err;
	}
	if (argc != 2) {
		snprintf(h->err, sizeof(h->err),
		    "usage: capture FILE|off");
		return h->err;
	}
	if (ifc < 0 || ifc >= h->nat || (g = h->at[ifc].seg) == NULL) {
		snprintf(h->err, sizeof(h->err),
		    "capture: interface %d is on no sim segment", ifc);
		return h->err;
	}
	if (strcmp(argv[1], "off") == 0) {
		if ((rc = seg_capture(g, NULL)) != 0) {
			snprintf(h->err, sizeof(h->err),
			    "capture: sim:%s: %s", g->name, strerror(-rc));
			return h->err;
		}
		return NULL;
	}
	if ((rc = seg_capture(g, argv[1])) != 0) {
		snprintf(h->err, sizeof(h->err), "capture %s: %s", argv[1],
		    strerror(-rc));
		return h->err;
	}
	return NULL;
}

const struct ipifc_link_ops ipifc_simseg_ops = {
	.open = simseg_open,
	.close = simseg_close,
	.send = simseg_send,
	.ctl = simseg_ctl,
};

/* The segment whose head frame is the oldest at or before now. */
static struct seg *
net_oldest(const struct ipifc_simnet *n, uint64_t now)
{
	struct seg *g, *best = NULL;
	const struct frame *f, *bf = NULL;
	int i;

	for (i = 0; i < n->nsegs; i++) {
		g = n->segs[i];
		if (g->qlen == 0)
			continue;
		f = g->q[g->qhead];
		if (f->time > now)
			continue;
		if (bf == NULL || f->time < bf->time ||
		    (f->time == bf->time && f->seq < bf->seq)) {
			best = g;
			bf = f;
		}
	}
	return best;
}

uint64_t
ipifc_simnet_deliver(struct ipifc_simnet *n, uint64_t now)
{
	struct seg *g;
	struct frame *f;
	struct port *p;
	uint64_t done = 0;
	int i;

	/*
	 * Each frame leaves the ring before it is handed out, so receivers
	 * may send (and fill the ring) while it is delivered.  The storm
	 * guard ends the loop: a segment delivers at most
	 * IPIFC_SIMSEG_STORM frames per virtual ms, and a dropped frame
	 * causes nothing.
	 */
	while ((g = net_oldest(n, now)) != NULL) {
		f = g->q[g->qhead];
		g->q[g->qhead] = NULL;
		g->qhead = (g->qhead + 1) % IPIFC_SIMSEG_MAXQUEUE;
		g->qlen--;
		g->qbytes -= f->len;
		if (g->storm_ms != f->time) {
			g->storm_ms = f->time;
			g->storm_n = 0;
		}
		if (g->storm_n >= IPIFC_SIMSEG_STORM) {
			g->st.drop_storm++;
			free(f);
			continue;
		}
		g->storm_n++;
		for (i = 0; i < IPIFC_SIMSEG_MAXPORTS; i++) {
			p = &g->ports[i];
			if (p->host == NULL || p->id == f->from)
				continue;
			p->host->input(p->host->arg, p->ifc, f->data, f->len);
		}
		g->st.delivered++;
		done++;
		free(f);
	}
	return done;
}

uint64_t
ipifc_simnet_next(const struct ipifc_simnet *n)
{
	const struct seg *g = net_oldest(n, UINT64_MAX);

	return g != NULL ? g->q[g->qhead]->time : UINT64_MAX;
}

int
ipifc_simnet_stats(const struct ipifc_simnet *n, const char *name,
    struct ipifc_simseg_stats *st)
{
	const struct seg *g;

	if ((name = seg_name(name)) == NULL || (g = seg_find(n, name)) == NULL)
		return -ENOENT;
	*st = g->st;
	st->queued = g->qlen;
	st->ports = g->nports;
	st->linktype = g->linktype;
	st->capturing = g->cap != NULL;
	return 0;
}
