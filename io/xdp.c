/*
 * AF_XDP: frames of one queue (0) of a Linux interface go to a socket in
 * the stack process's memory instead of the kernel's network stack, and
 * frames sent are taken from there, by rings shared with the kernel.
 *
 * Opening is the privileged side's (ipifcd's parent: CAP_NET_RAW,
 * CAP_NET_ADMIN, CAP_BPF and CAP_IPC_LOCK), and it keeps what it opened
 * until ipifc_xdp_release:
 *
 * - The UMEM, the memory the frames live in, is a memfd mapped shared.
 *   The kernel pins the pages of the process that registers it
 *   (XDP_UMEM_REG), the socket cannot be bound without it, and the map
 *   of the program takes only a bound socket; so the parent registers
 *   it, binds and fills the map, then passes the memfd on with the
 *   socket.  The stack process maps the same pages and the four rings
 *   and needs no system call beyond mmap, getsockopt, recvfrom and
 *   sendto (the kicks).
 * - The socket is libxdp's (xsk_umem__create, xsk_socket__create), with
 *   libxdp's own program loading held back: it would load a dispatcher
 *   that needs CAP_SYS_ADMIN and a bpffs.  The parent loads libxdp's
 *   default program instead (xsk_def_xdp_prog.o: each frame of the
 *   queue to the socket in its map, any other on to the kernel) with
 *   libbpf and attaches it alone, never over a program already there.
 * - Modes, best first: native XDP with zero-copy, native with copy,
 *   generic (skb) with copy.  A veth gets native mode, copy.
 * - A packet socket bound to no protocol holds the interface
 *   promiscuous, as packet: does, so that frames for the stack's MAC
 *   reach the queue; it hears nothing itself.
 *
 * Where any of that fails (no XDP on the interface, bpf refused, another
 * program there, built without libxdp), open takes AF_PACKET on the same
 * interface (packet.c) and says why in fellback.
 *
 * The stack process copies each frame out of the UMEM and back in: no
 * allocation per frame.  Receive drains the rx ring by batches and gives
 * the frames back to the fill ring a batch at a time; send takes a free
 * frame (completions are reaped first), fills a tx descriptor and kicks.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netif.h"
#include "packet.h"
#include "xdp.h"

#ifdef IPIFC_HAVE_XDP

#include <sys/queue.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_xdp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#define XDP_FRAMESIZE	2048	/* a UMEM frame; received: up to 1792 */
#define XDP_NRX		512	/* frames to receive into: fill, rx rings */
#define XDP_NTX		512	/* frames to send from: tx, completion */
#define XDP_NFRAMES	(XDP_NRX + XDP_NTX)
#define XDP_UMEMSIZE	((size_t)XDP_NFRAMES * XDP_FRAMESIZE)
#define XDP_BATCH	64	/* rx descriptors taken at a time */
#define XDP_KICKMAX	32	/* frames a kick sends in copy mode (Linux */
				/* net/xdp/xsk.c TX_BATCH_SIZE) */
#define XDP_BUSYTRIES	20	/* binds, 10 ms apart, while a socket of */
				/* the queue just closed is being freed */
#define XDP_PROGFILE	"xsk_def_xdp_prog.o"
#define XDP_PROGNAME	"xsk_def_prog"

enum { RING_RX, RING_TX, RING_FILL, RING_COMP, NRINGS };

/* The stack process's side: the rings and the UMEM, mapped. */
struct ipifc_xsk {
	struct xsk_ring_cons rx, comp;
	struct xsk_ring_prod fill, tx;
	void		*map[NRINGS];
	size_t		 maplen[NRINGS];
	uint8_t		*umem;
	uint64_t	 freetx[XDP_NTX];	/* frames free to send from */
	uint32_t	 nfreetx;
	uint32_t	 rxidx, rxleft;		/* the rx batch being read */
	uint32_t	 rxdone;		/* its descriptors read */
	uint64_t	 recycle[XDP_BATCH];	/* their frames */
	uint32_t	 nrecycle;
	int		 zerocopy;
	uint64_t	 txtoobig;		/* frames over XDP_FRAMESIZE */
	uint32_t	 txstaged;		/* in the tx ring, not kicked */
	struct ipifc_dev_counters cnt;		/* tx batches */
};

/* The privileged side: one interface it attached to. */
struct attach {
	LIST_ENTRY(attach) link;
	char		 name[IPIFC_DEV_NAMELEN];
	int		 ifindex;
	int		 memfd, promfd, progfd;
	void		*area;			/* the UMEM, here */
	struct xsk_umem	*umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;		/* libxdp's; unused here */
	struct xsk_ring_cons comp, rx;
	struct xdp_program *prog;
	uint32_t	 mode;			/* XDP_FLAGS_*_MODE attached */
	int		 zerocopy;
};

static LIST_HEAD(, attach) attached = LIST_HEAD_INITIALIZER(attached);

/* libbpf and libxdp would print to stderr: failures come back as -errno */
static int
quiet_bpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int
quiet_xdp(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void
attach_free(struct attach *a)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = a->progfd);

	/* only ours: a program someone put there since stays */
	if (a->mode != 0)
		(void)bpf_xdp_detach(a->ifindex, a->mode | XDP_FLAGS_REPLACE,
		    &opts);
	if (a->xsk != NULL)
		xsk_socket__delete(a->xsk);
	if (a->umem != NULL)
		(void)xsk_umem__delete(a->umem);
	if (a->prog != NULL)
		xdp_program__close(a->prog);
	if (a->area != MAP_FAILED)
		(void)munmap(a->area, XDP_UMEMSIZE);
	if (a->memfd >= 0)
		close(a->memfd);
	if (a->promfd >= 0)
		close(a->promfd);
	free(a);
}

/*
 * libxdp's default program and its map of sockets.  Its one global
 * counts the sockets in the map; 0 would pass every frame on.
 */
static int
prog_load(struct attach *a, int *mapfd)
{
	struct bpf_object *o;
	struct bpf_program *p;
	struct bpf_map *m;
	uint32_t one = 1;
	long err;
	int rc;

	a->prog = xdp_program__find_file(XDP_PROGFILE, "xdp", NULL);
	if ((err = libxdp_get_error(a->prog)) != 0) {
		a->prog = NULL;
		return err < 0 ? (int)err : -ENOENT;
	}
	o = xdp_program__bpf_obj(a->prog);
	bpf_object__for_each_map(m, o) {
		if (bpf_map__type(m) == BPF_MAP_TYPE_ARRAY &&
		    bpf_map__value_size(m) == sizeof(one) &&
		    (rc = bpf_map__set_initial_value(m, &one,
		    sizeof(one))) < 0)
			return rc;
	}
	if ((rc = bpf_object__load(o)) < 0)
		return rc;
	if ((p = bpf_object__find_program_by_name(o, XDP_PROGNAME)) == NULL)
		return -ENOENT;
	a->progfd = bpf_program__fd(p);
	*mapfd = bpf_object__find_map_fd_by_name(o, "xsks_map");
	if (a->progfd < 0 || *mapfd < 0)
		return -ENOENT;
	return 0;
}

/* The UMEM registered on a new socket, bound to queue 0 with flags. */
static int
sock_make(struct attach *a, uint16_t flags)
{
	struct xsk_umem_config uc;
	struct xsk_socket_config sc;
	int i, rc = -EBUSY;

	memset(&uc, 0, sizeof(uc));
	uc.fill_size = XDP_NRX;
	uc.comp_size = XDP_NTX;
	uc.frame_size = XDP_FRAMESIZE;
	memset(&sc, 0, sizeof(sc));
	sc.rx_size = XDP_NRX;
	sc.tx_size = XDP_NTX;
	sc.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD;
	sc.bind_flags = flags | XDP_USE_NEED_WAKEUP;
	for (i = 0; i < XDP_BUSYTRIES && rc == -EBUSY; i++) {
		if (i > 0)
			(void)usleep(10000);
		if ((rc = xsk_umem__create(&a->umem, a->area, XDP_UMEMSIZE,
		    &a->fill, &a->comp, &uc)) < 0) {
			a->umem = NULL;
			return rc;
		}
		rc = xsk_socket__create(&a->xsk, a->name, 0, a->umem, &a->rx,
		    &a->tx, &sc);
		if (rc == 0)
			return 0;
		a->xsk = NULL;
		(void)xsk_umem__delete(a->umem);
		a->umem = NULL;
	}
	return rc;
}

/* Hold the interface promiscuous (a membership ends with the socket). */
static int
promisc_hold(int ifindex)
{
	struct packet_mreq mr;
	int fd, rc;

	/* protocol 0: nothing is ever queued on it */
	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = ifindex;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)) == -1) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return fd;
}

/* Attach in mode unless a program is there: 0, 1 (try another), -errno. */
static int
prog_attach(struct attach *a, uint32_t mode)
{
	int rc;

	rc = bpf_xdp_attach(a->ifindex, a->progfd,
	    mode | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
	if (rc == 0) {
		a->mode = mode;
		return 0;
	}
	/* someone's program (in either mode): it stays, we go */
	if (rc == -EBUSY || rc == -EEXIST)
		return rc;
	return 1;
}

static int
xsk_attach(struct ipifc_dev *d)
{
	static const struct {
		uint32_t	mode;
		uint16_t	bind;
	} tries[] = {
		{ XDP_FLAGS_DRV_MODE, XDP_ZEROCOPY },
		{ XDP_FLAGS_DRV_MODE, XDP_COPY },
		{ XDP_FLAGS_SKB_MODE, XDP_COPY },
	};
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts);
	struct attach *a;
	size_t i;
	int rc, mapfd = -1;

	libbpf_set_print(quiet_bpf);
	libxdp_set_print(quiet_xdp);
	LIST_FOREACH(a, &attached, link)
		if (strcmp(a->name, d->name) == 0)
			return -EBUSY;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return -ENOMEM;
	memcpy(a->name, d->name, strlen(d->name) + 1);
	a->memfd = a->promfd = a->progfd = -1;
	a->area = MAP_FAILED;
	if ((rc = ipifc_netif_index(d->name)) < 0)
		goto fail;
	a->ifindex = rc;
	if ((a->memfd = memfd_create("ipifc-umem", MFD_CLOEXEC)) == -1 ||
	    ftruncate(a->memfd, (off_t)XDP_UMEMSIZE) == -1 ||
	    (a->area = mmap(NULL, XDP_UMEMSIZE, PROT_READ | PROT_WRITE,
	    MAP_SHARED, a->memfd, 0)) == MAP_FAILED) {
		rc = -errno;
		goto fail;
	}
	if ((rc = prog_load(a, &mapfd)) < 0)
		goto fail;
	rc = -EOPNOTSUPP;
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (a->mode != tries[i].mode) {
			if (a->mode != 0) {
				opts.old_prog_fd = a->progfd;
				(void)bpf_xdp_detach(a->ifindex, a->mode |
				    XDP_FLAGS_REPLACE, &opts);
				a->mode = 0;
			}
			if ((rc = prog_attach(a, tries[i].mode)) < 0)
				goto fail;
			if (rc > 0) {
				rc = -EOPNOTSUPP;
				continue;
			}
		}
		if ((rc = sock_make(a, tries[i].bind)) == 0) {
			a->zerocopy = tries[i].bind == XDP_ZEROCOPY;
			break;
		}
	}
	if (rc < 0)
		goto fail;
	if ((rc = xsk_socket__update_xskmap(a->xsk, mapfd)) < 0)
		goto fail;
	if ((a->promfd = promisc_hold(a->ifindex)) < 0) {
		rc = a->promfd;
		a->promfd = -1;
		goto fail;
	}
	/* an interface given to the stack is of no use down */
	if ((rc = ipifc_netif_up(d->name)) < 0)
		goto fail;
	/* the device's own, closed once passed on; a holds the originals */
	if ((d->fd = fcntl(xsk_socket__fd(a->xsk), F_DUPFD_CLOEXEC, 0)) == -1 ||
	    (d->fd2 = fcntl(a->memfd, F_DUPFD_CLOEXEC, 0)) == -1) {
		rc = -errno;
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		goto fail;
	}
	d->ifindex = a->ifindex;
	d->created = 0;
	LIST_INSERT_HEAD(&attached, a, link);
	return 0;
fail:
	attach_free(a);
	return rc;
}

int
ipifc_xdp_release(const char *ifname)
{
	struct attach *a;

	LIST_FOREACH(a, &attached, link) {
		if (strcmp(a->name, ifname) == 0) {
			LIST_REMOVE(a, link);
			attach_free(a);
			return 0;
		}
	}
	return -ENOENT;
}

void
ipifc_xdp_release_all(void)
{
	struct attach *a;

	while ((a = LIST_FIRST(&attached)) != NULL) {
		LIST_REMOVE(a, link);
		attach_free(a);
	}
}

const char *
ipifc_xdp_mode(const char *ifname)
{
	struct attach *a;

	LIST_FOREACH(a, &attached, link)
		if (strcmp(a->name, ifname) == 0)
			return a->mode == XDP_FLAGS_SKB_MODE ?
			    (a->zerocopy ? "generic, zero-copy" :
			    "generic, copy") : (a->zerocopy ?
			    "native, zero-copy" : "native, copy");
	return NULL;
}

/* --- the stack process ----------------------------------------------- */

static void
xsk_unmap(struct ipifc_dev *d)
{
	struct ipifc_xsk *x = d->xsk;
	int i;

	if (x == NULL)
		return;
	for (i = 0; i < NRINGS; i++)
		if (x->map[i] != MAP_FAILED)
			(void)munmap(x->map[i], x->maplen[i]);
	if (x->umem != MAP_FAILED)
		(void)munmap(x->umem, XDP_UMEMSIZE);
	free(x);
	d->xsk = NULL;
}

/* One ring of the socket mapped; its producer, consumer, flags, array. */
static int
ring_map(struct ipifc_dev *d, int which, off_t pgoff,
    const struct xdp_ring_offset *o, size_t entsize, uint32_t n,
    uint8_t **base)
{
	struct ipifc_xsk *x = d->xsk;
	size_t len = o->desc + n * entsize;
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED |
	    MAP_POPULATE, d->fd, pgoff);
	if (p == MAP_FAILED)
		return -errno;
	x->map[which] = p;
	x->maplen[which] = len;
	*base = p;
	return 0;
}

/*
 * Set a ring as libxdp sets its own (xsk.h's inline functions then work
 * on it): a producer's cached consumer runs a ring's size ahead.
 */
#define RING_SET(r, base, o, n, prod) do {				\
	(r)->mask = (n) - 1;						\
	(r)->size = (n);						\
	(r)->producer = (void *)((base) + (o)->producer);		\
	(r)->consumer = (void *)((base) + (o)->consumer);		\
	(r)->flags = (void *)((base) + (o)->flags);			\
	(r)->ring = (base) + (o)->desc;					\
	(r)->cached_prod = *(r)->producer;				\
	(r)->cached_cons = *(r)->consumer + ((prod) ? (n) : 0);		\
} while (0)

static int
xdp_adopt(struct ipifc_dev *d)
{
	struct xdp_mmap_offsets off;
	struct xdp_options opt;
	struct ipifc_xsk *x;
	struct stat st;
	socklen_t n = sizeof(off);
	uint8_t *b = NULL;
	uint32_t i, idx;
	int rc;

	if (getsockopt(d->fd, SOL_XDP, XDP_MMAP_OFFSETS, &off, &n) == -1)
		return -errno;
	if (n != sizeof(off))
		return -EPROTO;		/* a kernel without ring flags */
	if (fstat(d->fd2, &st) == -1)
		return -errno;
	if ((size_t)st.st_size != XDP_UMEMSIZE)
		return -EPROTO;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -ENOMEM;
	for (i = 0; i < NRINGS; i++)
		x->map[i] = MAP_FAILED;
	d->xsk = x;
	x->umem = mmap(NULL, XDP_UMEMSIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    d->fd2, 0);
	if (x->umem == MAP_FAILED) {
		rc = -errno;
		goto fail;
	}
	if ((rc = ring_map(d, RING_RX, XDP_PGOFF_RX_RING, &off.rx,
	    sizeof(struct xdp_desc), XDP_NRX, &b)) < 0)
		goto fail;
	RING_SET(&x->rx, b, &off.rx, XDP_NRX, 0);
	if ((rc = ring_map(d, RING_TX, XDP_PGOFF_TX_RING, &off.tx,
	    sizeof(struct xdp_desc), XDP_NTX, &b)) < 0)
		goto fail;
	RING_SET(&x->tx, b, &off.tx, XDP_NTX, 1);
	if ((rc = ring_map(d, RING_FILL, XDP_UMEM_PGOFF_FILL_RING, &off.fr,
	    sizeof(uint64_t), XDP_NRX, &b)) < 0)
		goto fail;
	RING_SET(&x->fill, b, &off.fr, XDP_NRX, 1);
	if ((rc = ring_map(d, RING_COMP, XDP_UMEM_PGOFF_COMPLETION_RING,
	    &off.cr, sizeof(uint64_t), XDP_NTX, &b)) < 0)
		goto fail;
	RING_SET(&x->comp, b, &off.cr, XDP_NTX, 0);
	n = sizeof(opt);
	x->zerocopy = getsockopt(d->fd, SOL_XDP, XDP_OPTIONS, &opt, &n) == 0 &&
	    (opt.flags & XDP_OPTIONS_ZEROCOPY) != 0;
	/* the first frames to receive into, the others to send from */
	if (xsk_ring_prod__reserve(&x->fill, XDP_NRX, &idx) != XDP_NRX) {
		rc = -EPROTO;
		goto fail;
	}
	for (i = 0; i < XDP_NRX; i++)
		*xsk_ring_prod__fill_addr(&x->fill, idx + i) =
		    (uint64_t)i * XDP_FRAMESIZE;
	xsk_ring_prod__submit(&x->fill, XDP_NRX);
	for (i = 0; i < XDP_NTX; i++)
		x->freetx[i] = (uint64_t)(XDP_NRX + i) * XDP_FRAMESIZE;
	x->nfreetx = XDP_NTX;
	return 0;
fail:
	xsk_unmap(d);
	return rc;
}

static void
xdp_close(struct ipifc_dev *d)
{
	xsk_unmap(d);
	if (d->fd >= 0)
		close(d->fd);
	if (d->fd2 >= 0)
		close(d->fd2);
	d->fd = d->fd2 = -1;
}

/* The frames of the batch just read go back to the fill ring. */
static void
rx_recycle(struct ipifc_xsk *x)
{
	uint32_t i, idx;

	xsk_ring_cons__release(&x->rx, x->rxdone);
	/* never short: the ring has a place for every receive frame */
	if (x->nrecycle > 0 &&
	    xsk_ring_prod__reserve(&x->fill, x->nrecycle, &idx) ==
	    x->nrecycle) {
		for (i = 0; i < x->nrecycle; i++)
			*xsk_ring_prod__fill_addr(&x->fill, idx + i) =
			    x->recycle[i];
		xsk_ring_prod__submit(&x->fill, x->nrecycle);
	}
	x->nrecycle = 0;
	x->rxdone = 0;
}

static ssize_t
xdp_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct ipifc_xsk *x = d->xsk;
	const struct xdp_desc *desc;
	uint64_t addr;
	uint32_t n;

	if (x->rxleft == 0) {
		n = xsk_ring_cons__peek(&x->rx, XDP_BATCH, &x->rxidx);
		if (n == 0) {
			/* the kernel waits for word that frames are free */
			if (xsk_ring_prod__needs_wakeup(&x->fill))
				(void)recvfrom(d->fd, NULL, 0, MSG_DONTWAIT,
				    NULL, NULL);
			return -EAGAIN;
		}
		x->rxleft = n;
	}
	desc = xsk_ring_cons__rx_desc(&x->rx, x->rxidx++);
	x->rxleft--;
	x->rxdone++;
	addr = desc->addr;
	n = desc->len;
	if (addr < XDP_NRX * (uint64_t)XDP_FRAMESIZE)
		x->recycle[x->nrecycle++] = addr - addr % XDP_FRAMESIZE;
	if (addr >= XDP_UMEMSIZE || n > XDP_UMEMSIZE - addr || n > len)
		n = 0;		/* never from the kernel: skipped */
	else
		memcpy(buf, x->umem + addr, n);
	if (x->rxleft == 0)
		rx_recycle(x);
	return n;
}

static int
xdp_pending(const struct ipifc_dev *d)
{
	return d->xsk->rxleft > 0;
}

/* The rx ring's producer, read without taking anything. */
static int
xdp_poll(struct ipifc_dev *d)
{
	struct ipifc_xsk *x = d->xsk;

	return x->rxleft > 0 || xsk_cons_nb_avail(&x->rx, 1) > 0;
}

/* Frames the kernel has sent are free again. */
static void
tx_reap(struct ipifc_xsk *x)
{
	uint64_t addr;
	uint32_t i, n, idx;

	n = xsk_ring_cons__peek(&x->comp, XDP_NTX, &idx);
	for (i = 0; i < n; i++) {
		addr = *xsk_ring_cons__comp_addr(&x->comp, idx + i);
		if (x->nfreetx < XDP_NTX && addr >= XDP_NRX *
		    (uint64_t)XDP_FRAMESIZE && addr < XDP_UMEMSIZE)
			x->freetx[x->nfreetx++] = addr - addr % XDP_FRAMESIZE;
	}
	if (n > 0)
		xsk_ring_cons__release(&x->comp, n);
}

/* In copy mode the kernel sends only when told: what it leaves (busy,
 * link down) stays in the ring for the next kick. */
static void
tx_kick(struct ipifc_dev *d)
{
	if (xsk_ring_prod__needs_wakeup(&d->xsk->tx))
		(void)sendto(d->fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
}

/*
 * Kick once per burst (issue 10): send puts frames in the tx ring and
 * flush, once per pass of the daemon's loop, tells the kernel (in copy
 * mode, once per XDP_KICKMAX frames).
 */
static int
xdp_flush(struct ipifc_dev *d)
{
	struct ipifc_xsk *x = d->xsk;
	uint32_t n = x->txstaged, i;

	if (n == 0)
		return 0;
	/* a kick in copy mode sends XDP_KICKMAX: as many as the ring needs */
	for (i = 0; i <= n / XDP_KICKMAX; i++) {
		tx_kick(d);
		if (xsk_prod_nb_free(&x->tx, XDP_NTX) == XDP_NTX)
			break;
	}
	x->txstaged = 0;
	x->cnt.txbatches++;
	x->cnt.txframes += n;
	if (n > x->cnt.txmax)
		x->cnt.txmax = n;
	return (int)n;
}

static int
xdp_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	struct ipifc_xsk *x = d->xsk;
	struct xdp_desc *desc;
	uint64_t addr;
	uint32_t idx;

	if (len > XDP_FRAMESIZE) {
		x->txtoobig++;
		return -EMSGSIZE;
	}
	tx_reap(x);
	if (x->nfreetx == 0 || xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1) {
		/* what is in the ring goes, and frees frames */
		if (xdp_flush(d) == 0)
			tx_kick(d);
		return -EAGAIN;
	}
	addr = x->freetx[--x->nfreetx];
	memcpy(x->umem + addr, frame, len);
	desc = xsk_ring_prod__tx_desc(&x->tx, idx);
	desc->addr = addr;
	desc->len = (uint32_t)len;
	desc->options = 0;
	xsk_ring_prod__submit(&x->tx, 1);
	x->txstaged++;
	return 0;
}

static void
xdp_counters(struct ipifc_dev *d, struct ipifc_dev_counters *c)
{
	*c = d->xsk->cnt;
}

/*
 * The kernel's drops (XDP_STATISTICS): frames too long for a UMEM frame
 * and others (rxdrops), the rx ring full (rxfull), no free frame in the
 * fill ring (fillempty), tx descriptors it refused (txinvalid); ours:
 * frames too long to send (txtoobig).
 */
static void
xdp_status(const struct ipifc_dev *d, char *buf, size_t len)
{
	struct xdp_statistics st;
	socklen_t n = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (getsockopt(d->fd, SOL_XDP, XDP_STATISTICS, &st, &n) == -1)
		memset(&st, 0, sizeof(st));
	snprintf(buf, len, " %s rxdrops %llu rxfull %llu fillempty %llu "
	    "txinvalid %llu txtoobig %llu",
	    d->xsk->zerocopy ? "zerocopy" : "copy",
	    (unsigned long long)st.rx_dropped,
	    (unsigned long long)st.rx_ring_full,
	    (unsigned long long)st.rx_fill_ring_empty_descs,
	    (unsigned long long)st.tx_invalid_descs,
	    (unsigned long long)d->xsk->txtoobig);
}

#else	/* !IPIFC_HAVE_XDP: built without libxdp, always AF_PACKET */

static int
xsk_attach(struct ipifc_dev *d)
{
	return -EOPNOTSUPP;
}

int
ipifc_xdp_release(const char *ifname)
{
	return -ENOENT;
}

void
ipifc_xdp_release_all(void)
{
}

const char *
ipifc_xdp_mode(const char *ifname)
{
	return NULL;
}

#endif

static int
xdp_open(struct ipifc_dev *d)
{
	int rc;

	/* no such interface: nothing to fall back to either */
	if ((rc = ipifc_netif_index(d->name)) < 0)
		return rc;
	if ((rc = xsk_attach(d)) == 0)
		return 0;
	d->fellback = rc;
	d->ops = &ipifc_packet_devops;
	return d->ops->open(d);
}

/* An xdp: device is AF_PACKET's from its open on, without libxdp. */
const struct ipifc_devops ipifc_xdp_devops = {
	.prefix = "xdp:",
	.ether = 1,
	.open = xdp_open,
#ifdef IPIFC_HAVE_XDP
	.close = xdp_close,
	.recv = xdp_recv,
	.pending = xdp_pending,
	.poll = xdp_poll,
	.send = xdp_send,
	.adopt = xdp_adopt,
	.status = xdp_status,
	.flush = xdp_flush,
	.counters = xdp_counters,
#endif
};
