/*
 * AF_PACKET: a SOCK_RAW socket bound to one interface for every protocol
 * (ETH_P_ALL), with a promiscuous membership so that frames for the
 * stack's own MAC, which is not the interface's, come in.  The kernel
 * shows a packet socket the frames the host itself sends on the interface
 * too; those (PACKET_OUTGOING, our own among them) are skipped.
 *
 * Frames come as the interface hands them up, and two things of the
 * sender's stay with the kernel; the socket asks for both:
 *
 * - On a veth, the Linux peer leaves UDP and TCP checksums to offload
 *   (unfilled: the field holds the pseudo-header's sum), and hands over
 *   TCP (and UDP_SEGMENT) data in superframes up to 64 KiB that the wire
 *   would have cut into frames (GSO).  A virtio-net header
 *   (PACKET_VNET_HDR) before each frame says so, where the checksum
 *   starts and what size the frames are; recv completes the checksum, or
 *   cuts the superframe (gso.c) and returns its frames one by one.  With
 *   that header on, every send carries one too: all zero (nothing left
 *   to do), but for a superframe forwarded whole
 *   (ipifc_dev_send_super), which the kernel cuts, or the veth's peer
 *   takes whole.
 * - The kernel takes an 802.1Q or 802.1ad tag out of the frame before a
 *   packet socket sees it and keeps it aside (PACKET_AUXDATA).  recv puts
 *   it back where it was, so that the ether medium sees a tagged frame,
 *   which is not for an interface with no VLAN (proto/ether.c).
 *
 * Frames move in batches (issue 10).  recv reads a PACKET_MMAP receive
 * ring (TPACKET_V2): the kernel writes each frame, with its virtio-net
 * header, its tag and its address, into the next slot of memory the
 * socket and the stack process share, and recv takes the slots in turn
 * with no system call at all.  A slot holds a frame of an interface's
 * usual MTU; a larger one (a superframe, a jumbo frame) the kernel
 * queues whole on the socket as well (PACKET_COPY_THRESH) and marks the
 * slot TP_STATUS_COPY, and recv reads it from there with one recvmmsg.
 * open sets the ring up (the privileged parent in ipifcd: setsockopt)
 * and the first recv or send maps it (the stack process: mmap); a socket
 * without one (an older kernel, a ring refused) is read as before, up to
 * PACKET_RXBATCH frames with one recvmmsg handed out one by one.
 * TPACKET_V2 rather than V3: a V3 ring wakes its reader only when a
 * block is retired, full or after its timeout (a timer tick or more),
 * which would add milliseconds to every round trip through a lightly
 * loaded router; a V2 ring wakes per frame.  send stages frames (a copy)
 * that flush sends together with one sendmmsg.  The kernel's own drops
 * (PACKET_STATISTICS tp_drops: the ring or the receive buffer was full)
 * are counted, and so is a frame cut to its slot that the receive
 * buffer had no room to queue whole.
 */
#include <sys/types.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gso.h"
#include "netif.h"
#include "packet.h"
#include "wire.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23	/* Linux 4.20 */
#endif

#define VLAN_TAGLEN	4	/* IEEE 802.1Q 9.3: TPID, then TCI */

#define PACKET_RXBATCH	32	/* frames one recvmmsg takes */
#define PACKET_RXSLOT	IPIFC_DEV_MAXFRAME	/* a superframe fits */
#define PACKET_TXBATCH	32	/* frames one sendmmsg sends */
#define PACKET_TXBYTES	(2 * 65536)	/* staged bytes: any frame fits */
/*
 * The socket's receive buffer: with a ring, it holds only the frames too
 * long for a slot, superframes of up to 64 KiB (an skb of some 66 KiB
 * each), about sixty, so that a Linux sender's TCP burst waits while the
 * daemon serves another link instead of being dropped (kerneldrops: with
 * 1 MiB, some 600 superframes in 5 s of iperf3 TCP, and none with 4).
 * Without a ring, about five thousand small frames (some 768 bytes an
 * skb).  The default is 208 KiB.
 */
#define PACKET_RCVBUF	(4 << 20)
/*
 * The receive ring: 1024 slots of 2 KiB (about as many frames as the
 * receive buffer holds), 32 to a 64 KiB block.  A slot takes the
 * kernel's header (TPACKET2_HDRLEN), the virtio-net header and a frame
 * of up to some 1970 bytes: an MTU of 1500 with room to spare.
 */
#define PACKET_RINGSLOT	2048
#define PACKET_RINGBLK	65536
#define PACKET_RINGSLOTS 1024
#define PACKET_RINGBYTES ((size_t)PACKET_RINGSLOT * PACKET_RINGSLOTS)

/*
 * One device's batches: made at its first recv or send, at most
 * PACKET_RXBATCH frames received and PACKET_TXBATCH staged at once.
 */
struct ipifc_pktq {
	/* received by one recvmmsg: rn frames, the next to hand out */
	struct mmsghdr	rmsg[PACKET_RXBATCH];
	struct iovec	riov[PACKET_RXBATCH][2];
	struct virtio_net_hdr rvh[PACKET_RXBATCH];
	struct sockaddr_ll rsll[PACKET_RXBATCH];
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} rcb[PACKET_RXBATCH];
	uint8_t		*rbuf;		/* PACKET_RXBATCH slots */
	unsigned	 rn, rnext;
	bool		 drained;	/* rn < PACKET_RXBATCH: none was left */
	/* the receive ring, mapped (NULL: none, read by recvmmsg) */
	uint8_t		*ring;
	unsigned	 rhead;		/* the next slot to take */
	/* staged: tn frames in tbuf, the first tnext of them sent */
	struct mmsghdr	tmsg[PACKET_TXBATCH];
	struct iovec	tiov[PACKET_TXBATCH][2];
	struct sockaddr_ll tsll[PACKET_TXBATCH];
	struct virtio_net_hdr tvh;	/* all zero: nothing left to do */
	unsigned	 tn, tnext;
	size_t		 tused;
	bool		 blocked;	/* a flush found the socket full */
	struct ipifc_dev_counters cnt;	/* kerneldrops: tp_drops, summed */
	uint8_t		 tbuf[PACKET_TXBYTES];
};

/*
 * The receive ring, after the virtio-net header (the kernel refuses that
 * option once a ring is there).  Refused, the socket is read without one.
 */
static void
ring_setup(int fd)
{
	struct tpacket_req req;
	int v = TPACKET_V2, one = 1;

	memset(&req, 0, sizeof(req));
	req.tp_block_size = PACKET_RINGBLK;
	req.tp_block_nr = PACKET_RINGBYTES / PACKET_RINGBLK;
	req.tp_frame_size = PACKET_RINGSLOT;
	req.tp_frame_nr = PACKET_RINGSLOTS;
	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_COPY_THRESH, &one,
	    sizeof(one)) == -1)
		return;
	(void)setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req));
}

static int
packet_open(struct ipifc_dev *d)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int fd, idx, rc, one = 1, rcvbuf = PACKET_RCVBUF;

	if ((idx = ipifc_netif_index(d->name)) < 0)
		return idx;
	/* protocol 0: nothing is queued before bind names the interface */
	if ((fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -errno;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) == -1)
		goto fail;
	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = idx;
	mr.mr_type = PACKET_MR_PROMISC;
	if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)) == -1)
		goto fail;
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one,
	    sizeof(one)) == -1)
		goto fail;
	/* a saving only: recv checks the packet type anyway */
	(void)setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	/* more than net.core.rmem_max needs CAP_NET_ADMIN: kept if refused */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	ring_setup(fd);
	d->fd = fd;
	d->ifindex = idx;
	d->created = 0;
	/* an interface given to the stack is of no use down */
	if ((rc = ipifc_netif_up(d->name)) < 0) {
		close(fd);
		d->fd = -1;
		return rc;
	}
	return 0;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

static void
packet_close(struct ipifc_dev *d)
{
	/* the membership, and so promiscuous mode, ends with the socket */
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->gso);
	d->gso = NULL;
	if (d->pq != NULL) {
		free(d->pq->rbuf);
		if (d->pq->ring != NULL)
			(void)munmap(d->pq->ring, PACKET_RINGBYTES);
	}
	free(d->pq);
	d->pq = NULL;
}

/*
 * The batches and the ring's mapping, once: no allocation per frame
 * after this.  A socket with no ring refuses the mapping (EINVAL); one
 * whose ring cannot be mapped is of no use (its frames go to the ring).
 */
static int
pktq_get(struct ipifc_dev *d)
{
	struct ipifc_pktq *q;
	void *r;
	int rc;

	if (d->pq != NULL)
		return 0;
	if ((q = calloc(1, sizeof(*q))) == NULL ||
	    (q->rbuf = malloc((size_t)PACKET_RXBATCH * PACKET_RXSLOT)) ==
	    NULL) {
		free(q);
		return -ENOMEM;
	}
	r = mmap(NULL, PACKET_RINGBYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
	    d->fd, 0);
	if (r == MAP_FAILED && errno != EINVAL) {
		rc = -errno;
		free(q->rbuf);
		free(q);
		return rc;
	}
	q->ring = r == MAP_FAILED ? NULL : r;
	d->pq = q;
	return 0;
}

/* Put back the tag the kernel took out, after the source address. */
static size_t
vlan_restore(uint8_t *frame, size_t len, const struct tpacket_auxdata *aux)
{
	uint16_t tpid = ETH_P_8021Q;

	if (aux->tp_status & TP_STATUS_VLAN_TPID_VALID)
		tpid = aux->tp_vlan_tpid;
	memmove(frame + 2 * ETH_ALEN + VLAN_TAGLEN, frame + 2 * ETH_ALEN,
	    len - 2 * ETH_ALEN);
	ipifc_put16(frame + 2 * ETH_ALEN, tpid);
	ipifc_put16(frame + 2 * ETH_ALEN + 2, aux->tp_vlan_tci);
	return len + VLAN_TAGLEN;
}

static struct tpacket2_hdr *
ring_slot(const struct ipifc_pktq *q)
{
	return (struct tpacket2_hdr *)(void *)(q->ring +
	    (size_t)q->rhead * PACKET_RINGSLOT);
}

/* The slot the kernel has filled and not given back yet, or 0. */
static uint32_t
ring_status(const struct ipifc_pktq *q)
{
	uint32_t st = __atomic_load_n(&ring_slot(q)->tp_status,
	    __ATOMIC_ACQUIRE);

	return (st & TP_STATUS_USER) ? st : 0;
}

static int
packet_pending(const struct ipifc_dev *d)
{
	const struct ipifc_pktq *q = d->pq;

	return ipifc_gso_pending(d) || (q != NULL &&
	    (q->rnext < q->rn || (q->ring != NULL && ring_status(q) != 0)));
}

/* Only a ring can be looked at without a system call. */
static int
packet_poll(struct ipifc_dev *d)
{
	if (d->pq == NULL || d->pq->ring == NULL)
		return -1;
	return packet_pending(d);
}

/* One recvmmsg: the frames waiting, up to max, or -errno. */
static int
rx_fill(struct ipifc_dev *d, unsigned max)
{
	struct ipifc_pktq *q = d->pq;
	struct mmsghdr *mm;
	unsigned i;
	int n;

	for (i = 0; i < max; i++) {
		mm = &q->rmsg[i];
		q->riov[i][0].iov_base = &q->rvh[i];
		q->riov[i][0].iov_len = sizeof(q->rvh[i]);
		q->riov[i][1].iov_base = q->rbuf + (size_t)i * PACKET_RXSLOT;
		q->riov[i][1].iov_len = PACKET_RXSLOT;
		memset(&mm->msg_hdr, 0, sizeof(mm->msg_hdr));
		mm->msg_hdr.msg_name = &q->rsll[i];
		mm->msg_hdr.msg_namelen = sizeof(q->rsll[i]);
		mm->msg_hdr.msg_iov = q->riov[i];
		mm->msg_hdr.msg_iovlen = 2;
		mm->msg_hdr.msg_control = q->rcb[i].b;
		mm->msg_hdr.msg_controllen = sizeof(q->rcb[i].b);
		mm->msg_len = 0;
	}
	q->rn = q->rnext = 0;
	for (;;) {
		n = recvmmsg(d->fd, q->rmsg, max, MSG_TRUNC, NULL);
		if (n >= 0)
			break;
		/* a GSO kind the virtio-net header cannot say: it is gone */
		if (errno == EINVAL)
			return 0;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	q->rn = (unsigned)n;
	q->drained = (unsigned)n < max;
	return n;
}

/*
 * Frame i of the batch into buf: its length, or 0 for one not for us.
 * The copy puts back a VLAN tag the kernel took out, or completes what
 * the virtio-net header says the sender left (ipifc_vnet_frame).
 */
static ssize_t
rx_take(struct ipifc_dev *d, unsigned i, uint8_t *buf, size_t len)
{
	struct ipifc_pktq *q = d->pq;
	struct msghdr *m = &q->rmsg[i].msg_hdr;
	const struct virtio_net_hdr *vh = &q->rvh[i];
	const uint8_t *f = q->riov[i][1].iov_base;
	struct tpacket_auxdata aux;
	struct cmsghdr *c;
	size_t n = q->rmsg[i].msg_len;

	if (m->msg_namelen >= offsetof(struct sockaddr_ll, sll_pkttype) + 1 &&
	    q->rsll[i].sll_pkttype == PACKET_OUTGOING)
		return 0;
	if (n < sizeof(*vh))
		return 0;
	n -= sizeof(*vh);
	if (n > PACKET_RXSLOT || n > len - VLAN_TAGLEN)
		return 0;	/* cut: larger than any frame we take */
	/* a tagged frame is only counted and dropped: it is left whole */
	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if ((aux.tp_status & TP_STATUS_VLAN_VALID) && n >= ETH_HLEN) {
			memcpy(buf, f, n);
			return (ssize_t)vlan_restore(buf, n, &aux);
		}
	}
	return ipifc_vnet_frame(d, buf, len, f, n, vh);
}

/*
 * The next slot of the ring, given back to the kernel once copied out:
 * its frame's length into buf, 0 for one not for us, -EAGAIN when the
 * kernel has filled none.  A slot marked TP_STATUS_COPY holds the start
 * of a frame that did not fit; the whole is the next on the socket.
 */
/*
 * A frame from a ring slot, as ipifc_vnet_frame takes it.  The slot goes
 * back to the kernel as soon as ring_take returns, while a superframe's
 * later frames are cut from where it lies: the kernel could be writing
 * the slot by then (once its ring has come round).  So a superframe is
 * kept in the cutter's own buffer first, as tap.c reads into it.
 */
static ssize_t
ring_vnet(struct ipifc_dev *d, uint8_t *buf, size_t len, const uint8_t *f,
    size_t n, const struct virtio_net_hdr *vh)
{
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {	/* n <= a slot */
		if (d->gso == NULL)
			d->gso = malloc(sizeof(*d->gso));
		if (d->gso != NULL) {
			memcpy(d->gso->frame, f, n);
			f = d->gso->frame;
		}
	}
	return ipifc_vnet_frame(d, buf, len, f, n, vh);
}

static ssize_t
ring_take(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct ipifc_pktq *q = d->pq;
	struct tpacket2_hdr *h = ring_slot(q);
	const struct sockaddr_ll *sll;
	struct virtio_net_hdr vh;
	struct tpacket_auxdata aux;
	uint32_t st = ring_status(q);
	ssize_t r = 0;
	size_t n;
	int rc;

	if (st == 0)
		return -EAGAIN;
	sll = (const struct sockaddr_ll *)(const void *)((const uint8_t *)h +
	    TPACKET_ALIGN(sizeof(*h)));
	n = h->tp_snaplen;
	if (st & TP_STATUS_COPY) {
		if ((rc = rx_fill(d, 1)) == 1)
			r = rx_take(d, 0, buf, len);
		else if (rc <= 0)
			q->cnt.kerneldrops++;	/* not queued after all */
		q->rn = q->rnext = 0;
		q->drained = false;
	} else if (n < h->tp_len) {
		q->cnt.kerneldrops++;	/* cut, and no room to queue it whole */
	} else if (sll->sll_pkttype != PACKET_OUTGOING &&
	    h->tp_mac >= TPACKET_ALIGN(sizeof(*h)) + sizeof(*sll) + sizeof(vh) &&
	    h->tp_mac <= PACKET_RINGSLOT &&
	    n <= (size_t)PACKET_RINGSLOT - h->tp_mac && n + VLAN_TAGLEN <= len) {
		const uint8_t *f = (const uint8_t *)h + h->tp_mac;

		memcpy(&vh, f - sizeof(vh), sizeof(vh));
		if ((st & TP_STATUS_VLAN_VALID) && n >= ETH_HLEN) {
			memset(&aux, 0, sizeof(aux));
			aux.tp_status = st;
			aux.tp_vlan_tci = h->tp_vlan_tci;
			aux.tp_vlan_tpid = h->tp_vlan_tpid;
			memcpy(buf, f, n);
			r = (ssize_t)vlan_restore(buf, n, &aux);
		} else
			r = ring_vnet(d, buf, len, f, n, &vh);
	}
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	q->rhead = (q->rhead + 1) % PACKET_RINGSLOTS;
	return r;
}

static ssize_t
packet_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct ipifc_pktq *q;
	int rc;

	if (len < ETH_HLEN + VLAN_TAGLEN)
		return -EINVAL;
	if (ipifc_gso_pending(d))
		return (ssize_t)ipifc_gso_next(d->gso, buf, len);
	if ((rc = pktq_get(d)) < 0)
		return rc;
	q = d->pq;
	if (q->ring != NULL)
		return ring_take(d, buf, len);
	if (q->rnext >= q->rn && q->drained) {
		/*
		 * The last recvmmsg found the socket empty before it filled
		 * the batch: say so without asking again.  A frame come since
		 * keeps the descriptor readable (level-triggered).
		 */
		q->drained = false;
		return -EAGAIN;
	}
	if (q->rnext >= q->rn && (rc = rx_fill(d, PACKET_RXBATCH)) <= 0)
		return rc;
	return rx_take(d, q->rnext++, buf, len);
}

static void
tx_count(struct ipifc_pktq *q, unsigned sent)
{
	if (sent == 0)
		return;
	q->cnt.txbatches++;
	q->cnt.txframes += sent;
	if (sent > q->cnt.txmax)
		q->cnt.txmax = sent;
}

/* The frames staged and not sent yet go with one sendmmsg, or a few. */
static int
packet_flush(struct ipifc_dev *d)
{
	struct ipifc_pktq *q = d->pq;
	unsigned sent = 0;
	int n;

	if (q == NULL)
		return 0;
	while (q->tnext < q->tn) {
		n = sendmmsg(d->fd, q->tmsg + q->tnext, q->tn - q->tnext, 0);
		if (n > 0) {
			q->tnext += (unsigned)n;
			sent += (unsigned)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EWOULDBLOCK) {
			/* the rest waits for the socket to take frames */
			tx_count(q, sent);
			q->blocked = true;
			return -EAGAIN;
		}
		/* the first frame left is refused (the link is down ...) */
		q->cnt.txdrops++;
		q->tnext++;
	}
	tx_count(q, sent);
	q->tn = q->tnext = 0;
	q->tused = 0;
	q->blocked = false;
	return (int)sent;
}

/*
 * Staged for flush: sent to the bound interface with the frame's own
 * EtherType as the protocol, so the kernel (and its taps) see what the
 * frame is; after a virtio-net header of zeros: checksums done, no
 * segmentation asked.
 */
static int
packet_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	struct ipifc_pktq *q;
	struct sockaddr_ll *sll;
	struct msghdr *m;
	uint8_t *p;
	int rc;

	if (len < ETH_HLEN || len > PACKET_TXBYTES)
		return -EINVAL;
	if ((rc = pktq_get(d)) < 0)
		return rc;
	q = d->pq;
	if (q->blocked)
		return -EAGAIN;
	if ((q->tn == PACKET_TXBATCH || q->tused + len > PACKET_TXBYTES) &&
	    packet_flush(d) == -EAGAIN)
		return -EAGAIN;
	p = q->tbuf + q->tused;
	memcpy(p, frame, len);
	q->tused += len;
	sll = &q->tsll[q->tn];
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = d->ifindex;
	memcpy(&sll->sll_protocol, frame + 12, 2);
	sll->sll_halen = ETH_ALEN;
	memcpy(sll->sll_addr, frame, ETH_ALEN);
	q->tiov[q->tn][0].iov_base = &q->tvh;
	q->tiov[q->tn][0].iov_len = sizeof(q->tvh);
	q->tiov[q->tn][1].iov_base = p;
	q->tiov[q->tn][1].iov_len = len;
	m = &q->tmsg[q->tn].msg_hdr;
	memset(m, 0, sizeof(*m));
	m->msg_name = sll;
	m->msg_namelen = sizeof(*sll);
	m->msg_iov = q->tiov[q->tn];
	m->msg_iovlen = 2;
	q->tn++;
	return 0;
}

/*
 * A veth (and any device with GSO) takes a superframe whole: sent at
 * once, after what is staged, rather than copied to be staged.
 */
static int
packet_send_super(struct ipifc_dev *d, const uint8_t *hdr, size_t hlen,
    const uint8_t *rest, size_t restlen, const struct virtio_net_hdr *vh)
{
	struct sockaddr_ll sll;
	struct iovec iov[3];
	struct msghdr m;
	int rc;

	if (hlen < ETH_HLEN)
		return -EINVAL;
	if ((rc = pktq_get(d)) < 0)
		return rc;
	if (d->pq->tn > 0 && (rc = packet_flush(d)) < 0)
		return rc;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = d->ifindex;
	memcpy(&sll.sll_protocol, hdr + 12, 2);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, hdr, ETH_ALEN);
	ipifc_vnet_iov(iov, vh, hdr, hlen, rest, restlen);
	memset(&m, 0, sizeof(m));
	m.msg_name = &sll;
	m.msg_namelen = sizeof(sll);
	m.msg_iov = iov;
	m.msg_iovlen = 3;
	while (sendmsg(d->fd, &m, 0) == -1) {
		if (errno == EINTR)
			continue;
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	tx_count(d->pq, 1);
	return 0;
}

/* The kernel's drops are read (and reset there) on demand. */
static void
packet_counters(struct ipifc_dev *d, struct ipifc_dev_counters *c)
{
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);

	if (d->pq == NULL && pktq_get(d) < 0)
		return;
	if (getsockopt(d->fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl) == 0)
		d->pq->cnt.kerneldrops += st.tp_drops;
	*c = d->pq->cnt;
}

/* The receive ring's slots, once mapped (0: none, or not yet used). */
static void
packet_status(const struct ipifc_dev *d, char *buf, size_t len)
{
	snprintf(buf, len, " rxring %u",
	    d->pq != NULL && d->pq->ring != NULL ? PACKET_RINGSLOTS : 0);
}

const struct ipifc_devops ipifc_packet_devops = {
	.prefix = "packet:",
	.ether = 1,
	.open = packet_open,
	.close = packet_close,
	.recv = packet_recv,
	.pending = packet_pending,
	.poll = packet_poll,
	.send = packet_send,
	.flush = packet_flush,
	.counters = packet_counters,
	.send_super = packet_send_super,
	.status = packet_status,
};
