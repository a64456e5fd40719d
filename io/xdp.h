/*
 * The "xdp:IFNAME" backend: an existing Linux interface through an AF_XDP
 * socket on its queue 0, or through AF_PACKET (packet.c) when AF_XDP
 * cannot be had there.  See xdp.c.
 */
#ifndef IPIFC_XDP_H
#define IPIFC_XDP_H

#include "dev.h"

extern const struct ipifc_devops ipifc_xdp_devops;

/*
 * In the process that opened xdp:IFNAME (ipifcd's privileged parent),
 * after every descriptor of it elsewhere is closed: take the program off
 * the interface and free the socket and its UMEM.  0, or -ENOENT if no
 * open of ours holds IFNAME.
 */
int	ipifc_xdp_release(const char *ifname);
/* The same for every interface still held (the parent's exit). */
void	ipifc_xdp_release_all(void);
/* How IFNAME is attached ("native, copy" ...), or NULL if it is not. */
const char *ipifc_xdp_mode(const char *ifname);

#endif
