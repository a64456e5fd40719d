/*
 * Linux TUN/TAP devices (/dev/net/tun): the "tun:NAME" backend of the pkt
 * medium, and the attach step it shares with "tap:NAME" (tap.c).
 */
#ifndef IPIFC_TUN_H
#define IPIFC_TUN_H

#include "dev.h"

/*
 * Attach d->fd to the TUN (tap 0) or TAP (tap 1) device d->name, without
 * packet information (a TAP device with a virtio-net header and offloads,
 * tap.c), making the device if there is none (d->created
 * says so; a device we made is not persistent, so it goes when the
 * descriptor closes), and bring its Linux side up.  Non-blocking.
 * 0 or a negative errno (-EBUSY: another process holds it; -EINVAL: a
 * device of that name that is not a TUN/TAP device of this kind).
 */
int	ipifc_tun_attach(struct ipifc_dev *d, int tap);
/* Close d->fd; a device we made is removed. */
void	ipifc_tun_detach(struct ipifc_dev *d);

extern const struct ipifc_devops ipifc_tun_devops;

#endif
