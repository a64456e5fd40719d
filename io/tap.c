/*
 * TAP devices: TUN/TAP attach with IFF_TAP (tun.c).  Writing to a TAP
 * device never blocks (the kernel takes the frame or drops it), so send
 * only fails, with -EIO while the Linux side is down.
 */
#include "tap.h"
#include "tun.h"

static int
tap_open(struct ipifc_dev *d)
{
	return ipifc_tun_attach(d, 1);
}

const struct ipifc_devops ipifc_tap_devops = {
	.prefix = "tap:",
	.ether = 1,
	.open = tap_open,
	.close = ipifc_tun_detach,
	.recv = ipifc_tun_recv,
	.send = ipifc_tun_send,
};
