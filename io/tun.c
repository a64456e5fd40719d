/*
 * TUN and TAP devices: one descriptor of /dev/net/tun attached to a named
 * device with TUNSETIFF.  IFF_NO_PI: every read or write is one whole
 * frame (TAP) or IP packet (TUN), with no header of packet information.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <net/if.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "netif.h"
#include "tun.h"

#define TUNDEV	"/dev/net/tun"

#define TAP_OFFLOAD	(TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN)
#if defined(TUN_F_USO4) && defined(TUN_F_USO6)
#define TAP_OFFLOAD_USO	(TUN_F_USO4 | TUN_F_USO6)	/* Linux 6.2 */
#else
#define TAP_OFFLOAD_USO	0
#endif

int
ipifc_tun_attach(struct ipifc_dev *d, int tap)
{
	struct ifreq ifr;
	int fd, rc;

	if (ipifc_netif_name_ok(d->name) < 0)
		return -EINVAL;
	/*
	 * Made here unless it exists now.  A device someone makes between
	 * the look and TUNSETIFF is taken for ours and removed at the end:
	 * names are the administrator's to keep apart.
	 */
	d->created = ipifc_netif_index(d->name) == -ENODEV;
	if ((fd = open(TUNDEV, O_RDWR | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, d->name, strlen(d->name));
	ifr.ifr_flags = (short)(tap ? IFF_TAP | IFF_VNET_HDR : IFF_TUN) |
	    IFF_NO_PI;
	if (ioctl(fd, TUNSETIFF, &ifr) == -1) {
		rc = -errno;
		close(fd);
		return rc;
	}
	/*
	 * TAP (tap.c): the Linux side may leave checksums and segmentation
	 * to us.  Without the offload (an older kernel), it does them itself.
	 */
	if (tap && ioctl(fd, TUNSETOFFLOAD, TAP_OFFLOAD | TAP_OFFLOAD_USO) ==
	    -1)
		(void)ioctl(fd, TUNSETOFFLOAD, TAP_OFFLOAD);
	d->fd = fd;
	if ((rc = ipifc_netif_up(d->name)) < 0) {
		ipifc_tun_detach(d);
		return rc;
	}
	return 0;
}

void
ipifc_tun_detach(struct ipifc_dev *d)
{
	if (d->fd < 0)
		return;
	/*
	 * Not persistent, a device goes with its last descriptor; clear the
	 * flag in case someone set it on the device we made.
	 */
	if (d->created)
		(void)ioctl(d->fd, TUNSETPERSIST, 0);
	close(d->fd);
	d->fd = -1;
}

static ssize_t
tun_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	ssize_t n;

	for (;;) {
		if ((n = read(d->fd, buf, len)) >= 0)
			return n;
		if (errno != EINTR)
			break;
	}
	return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

static int
tun_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	ssize_t n;

	for (;;) {
		if ((n = write(d->fd, frame, len)) >= 0)
			return (size_t)n == len ? 0 : -EIO;
		if (errno != EINTR)
			break;
	}
	return errno == EWOULDBLOCK ? -EAGAIN : -errno;
}

static int
tun_open(struct ipifc_dev *d)
{
	return ipifc_tun_attach(d, 0);
}

const struct ipifc_devops ipifc_tun_devops = {
	.prefix = "tun:",
	.ether = 0,
	.open = tun_open,
	.close = ipifc_tun_detach,
	.recv = tun_recv,
	.send = tun_send,
};
