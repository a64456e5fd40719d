/*
 * AF_PACKET: a SOCK_RAW socket bound to one interface for every protocol
 * (ETH_P_ALL), with a promiscuous membership so that frames for the
 * stack's own MAC, which is not the interface's, come in.  The kernel
 * shows a packet socket the frames the host itself sends on the interface
 * too; those (PACKET_OUTGOING, our own among them) are skipped.
 *
 * Frames come as the interface hands them up: on a veth, the Linux peer's
 * UDP and TCP checksums may be left to offload (unfilled); ICMP is always
 * complete.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "netif.h"
#include "packet.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23	/* Linux 4.20 */
#endif

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
}

static ssize_t
packet_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct sockaddr_ll sll;
	socklen_t slen;
	ssize_t n;

	for (;;) {
		slen = sizeof(sll);
		n = recvfrom(d->fd, buf, len, MSG_TRUNC,
		    (struct sockaddr *)&sll, &slen);
		if (n >= 0)
			break;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if (slen >= offsetof(struct sockaddr_ll, sll_pkttype) + 1 &&
	    sll.sll_pkttype == PACKET_OUTGOING)
		return 0;
	if ((size_t)n > len)
		return 0;	/* cut: larger than any frame we take */
	return n;
}

/*
 * Sent to the bound interface with the frame's own EtherType as the
 * protocol, so the kernel (and its taps) see what the frame is.
 */
static int
packet_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	struct sockaddr_ll sll;
	ssize_t n;

	if (len < ETH_HLEN)
		return -EINVAL;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = d->ifindex;
	memcpy(&sll.sll_protocol, frame + 12, 2);
	sll.sll_halen = ETH_ALEN;
	memcpy(sll.sll_addr, frame, ETH_ALEN);
	for (;;) {
		n = sendto(d->fd, frame, len, 0, (struct sockaddr *)&sll,
		    sizeof(sll));
		if (n >= 0)
			return (size_t)n == len ? 0 : -EIO;
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
	.send = packet_send,
};
