/*
 * TAP devices: TUN/TAP attach with IFF_TAP (tun.c).  Writing to a TAP
 * device never blocks (the kernel takes the frame or drops it), so send
 * only fails, with -EIO while the Linux side is down.
 *
 * Each frame read or written comes after a virtio-net header
 * (IFF_VNET_HDR), and the device offers the Linux side checksum and
 * segmentation offload (TUNSETOFFLOAD, in tun.c): a Linux host's TCP (and
 * UDP sent with UDP_SEGMENT) comes in superframes of up to 64 KiB, one
 * read each instead of one a frame, cut here (ipifc_vnet_frame, gso.c)
 * into the frames a wire would carry, as on packet: links.  Every frame
 * sent carries a header of zeros (nothing left to do), but a superframe
 * forwarded whole (ipifc_dev_send_super), whose header asks the Linux
 * side to take it as the sender's stack would have.
 */
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/virtio_net.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gso.h"
#include "tap.h"
#include "tun.h"

static int
tap_open(struct ipifc_dev *d)
{
	return ipifc_tun_attach(d, 1);
}

static void
tap_close(struct ipifc_dev *d)
{
	ipifc_tun_detach(d);
	free(d->gso);
	d->gso = NULL;
}

/*
 * A frame is read into d->gso's buffer, where a superframe stays while
 * its frames are handed out (and may go out whole: ipifc_dev_super), and
 * copied to buf.
 */
static ssize_t
tap_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	struct virtio_net_hdr vh;
	struct iovec iov[2];
	ssize_t n;

	if (ipifc_gso_pending(d))
		return (ssize_t)ipifc_gso_next(d->gso, buf, len);
	if (d->gso == NULL && (d->gso = calloc(1, sizeof(*d->gso))) == NULL)
		return -ENOMEM;
	iov[0].iov_base = &vh;
	iov[0].iov_len = sizeof(vh);
	iov[1].iov_base = d->gso->frame;
	iov[1].iov_len = sizeof(d->gso->frame);
	for (;;) {
		if ((n = readv(d->fd, iov, 2)) >= 0)
			break;
		/* a GSO kind the virtio-net header cannot say: it is gone */
		if (errno == EINVAL)
			return 0;
		if (errno != EINTR)
			return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	}
	if ((size_t)n < sizeof(vh))
		return 0;
	return ipifc_vnet_frame(d, buf, len, d->gso->frame,
	    (size_t)n - sizeof(vh), &vh);
}

/* One frame after its virtio-net header. */
static int
tap_write(struct ipifc_dev *d, const uint8_t *frame, size_t len,
    const struct virtio_net_hdr *vh)
{
	struct iovec iov[2];
	ssize_t n;

	iov[0].iov_base = (void *)vh;
	iov[0].iov_len = sizeof(*vh);
	iov[1].iov_base = (void *)frame;
	iov[1].iov_len = len;
	for (;;) {
		if ((n = writev(d->fd, iov, 2)) >= 0)
			return (size_t)n == sizeof(*vh) + len ? 0 : -EIO;
		if (errno != EINTR)
			break;
	}
	return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

static int
tap_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	static const struct virtio_net_hdr zero;

	return tap_write(d, frame, len, &zero);
}

/* The Linux side takes a superframe whole, as from a virtio-net guest. */
static int
tap_send_super(struct ipifc_dev *d, const uint8_t *hdr, size_t hlen,
    const uint8_t *rest, size_t restlen, const struct virtio_net_hdr *vh)
{
	struct iovec iov[3];
	ssize_t n;

	ipifc_vnet_iov(iov, vh, hdr, hlen, rest, restlen);
	for (;;) {
		if ((n = writev(d->fd, iov, 3)) >= 0)
			return (size_t)n == sizeof(*vh) + hlen + restlen ? 0 :
			    -EIO;
		if (errno != EINTR)
			break;
	}
	return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

const struct ipifc_devops ipifc_tap_devops = {
	.prefix = "tap:",
	.ether = 1,
	.open = tap_open,
	.close = tap_close,
	.recv = tap_recv,
	.pending = ipifc_gso_pending,
	.send = tap_send,
	.send_super = tap_send_super,
};
