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
 *   that header on, every send carries one too (all zero: nothing left
 *   to do).
 * - The kernel takes an 802.1Q or 802.1ad tag out of the frame before a
 *   packet socket sees it and keeps it aside (PACKET_AUXDATA).  recv puts
 *   it back where it was, so that the ether medium sees a tagged frame,
 *   which is not for an interface with no VLAN (proto/ether.c).
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>

#include <errno.h>
#include <stddef.h>
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

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5	/* Linux 6.2 */
#endif

#define VLAN_TAGLEN	4	/* IEEE 802.1Q 9.3: TPID, then TCI */

/* UDP (RFC 768) and TCP (RFC 9293 3.1): where the checksum field lies */
#define UDP_CKSUMOFF	6
#define TCP_CKSUMOFF	16

static int
packet_open(struct ipifc_dev *d)
{
	struct sockaddr_ll sll;
	struct packet_mreq mr;
	int fd, idx, rc, one = 1;

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
}

/*
 * Finish a checksum the sender left to offload: the ones' complement sum
 * from start to the end of the frame (the field at start + off holds the
 * pseudo-header's sum already), folded.  Only UDP's and TCP's fields are
 * the Internet checksum; another (SCTP's CRC32c) is left as it came.
 * RFC 768: a UDP checksum that comes out 0 goes as all ones, which is the
 * same value to TCP.
 */
static void
cksum_finish(uint8_t *frame, size_t len, const struct virtio_net_hdr *vh)
{
	size_t start = vh->csum_start, off = vh->csum_offset;
	uint16_t c;

	if (off != UDP_CKSUMOFF && off != TCP_CKSUMOFF)
		return;
	if (start < ETH_HLEN || start > len || len - start < off + 2)
		return;
	c = ipifc_cksum_fold(ipifc_cksum_add(0, frame + start, len - start));
	ipifc_put16(frame + start + off, c == 0 ? 0xffff : c);
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

/*
 * A superframe: keep it and return its first frame, or 0 if it cannot
 * be cut; it then goes up whole, and the stack refuses it as over the
 * MTU (counted) as it would any other.
 */
static ssize_t
gso_first(struct ipifc_dev *d, uint8_t *buf, size_t len, size_t n,
    const struct virtio_net_hdr *vh)
{
	int kind;

	switch (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		kind = IPIFC_GSO_TCP;
		break;
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		kind = IPIFC_GSO_UDP;
		break;
	default:
		return 0;
	}
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return 0;
	if (d->gso == NULL && (d->gso = malloc(sizeof(*d->gso))) == NULL)
		return 0;
	if (ipifc_gso_start(d->gso, buf, n, kind, vh->gso_size,
	    vh->csum_start) < 0)
		return 0;
	return (ssize_t)ipifc_gso_next(d->gso, buf, len);
}

static int
packet_pending(const struct ipifc_dev *d)
{
	return d->gso != NULL && d->gso->kind != 0;
}

static ssize_t
packet_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct sockaddr_ll sll;
	struct virtio_net_hdr vh;
	struct tpacket_auxdata aux;
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(sizeof(aux))];
	} cb;
	struct iovec iov[2];
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n, r;

	if (len < ETH_HLEN + VLAN_TAGLEN)
		return -EINVAL;
	if (packet_pending(d))
		return (ssize_t)ipifc_gso_next(d->gso, buf, len);
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	iov[1].iov_base = buf;
	iov[1].iov_len = len - VLAN_TAGLEN;	/* room for a tag put back */
	for (;;) {
		memset(&m, 0, sizeof(m));
		m.msg_name = &sll;
		m.msg_namelen = sizeof(sll);
		m.msg_iov = iov;
		m.msg_iovlen = 2;
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		n = recvmsg(d->fd, &m, MSG_TRUNC);
		if (n >= 0)
			break;
		/* a GSO kind the virtio-net header cannot say: it is gone */
		if (errno == EINVAL)
			return 0;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if (m.msg_namelen >= offsetof(struct sockaddr_ll, sll_pkttype) + 1 &&
	    sll.sll_pkttype == PACKET_OUTGOING)
		return 0;
	if ((size_t)n < sizeof(vh))
		return 0;
	n -= sizeof(vh);
	if ((size_t)n > iov[1].iov_len)
		return 0;	/* cut: larger than any frame we take */
	/* a tagged frame is only counted and dropped: it is left whole */
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_PACKET ||
		    c->cmsg_type != PACKET_AUXDATA ||
		    c->cmsg_len < CMSG_LEN(sizeof(aux)))
			continue;
		memcpy(&aux, CMSG_DATA(c), sizeof(aux));
		if ((aux.tp_status & TP_STATUS_VLAN_VALID) && n >= ETH_HLEN)
			return (ssize_t)vlan_restore(buf, (size_t)n, &aux);
	}
	if (vh.gso_type != VIRTIO_NET_HDR_GSO_NONE &&
	    (r = gso_first(d, buf, len, (size_t)n, &vh)) > 0)
		return r;
	if (vh.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		cksum_finish(buf, (size_t)n, &vh);
	return n;
}

/*
 * Sent to the bound interface with the frame's own EtherType as the
 * protocol, so the kernel (and its taps) see what the frame is; after a
 * virtio-net header of zeros: checksums done, no segmentation asked.
 */
static int
packet_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;
	struct virtio_net_hdr vh;
	struct iovec iov[2];
	struct msghdr m;
	ssize_t n;

	if (len < ETH_HLEN)
		return -EINVAL;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = d->ifindex;
	memcpy(&sll.sll_protocol, frame + 12, 2);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, frame, ETH_ALEN);
	memset(&vh, 0, sizeof(vh));
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	iov[1].iov_base = (void *)frame;
	iov[1].iov_len = len;
	memset(&m, 0, sizeof(m));
	m.msg_name = &sll;
	m.msg_namelen = sizeof(sll);
	m.msg_iov = iov;
	m.msg_iovlen = 2;
	for (;;) {
		n = sendmsg(d->fd, &m, 0);
		if (n >= 0)
			return (size_t)n == sizeof(vh) + len ? 0 : -EIO;
		if (errno != EINTR)
			break;
	}
	return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

const struct ipifc_devops ipifc_packet_devops = {
	.prefix = "packet:",
	.ether = 1,
	.open = packet_open,
	.close = packet_close,
	.recv = packet_recv,
	.pending = packet_pending,
	.send = packet_send,
};
