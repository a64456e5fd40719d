/*
 * The IPv4 address rules (FreeBSD netinet/in.c): the classful default
 * mask, and the broadcast addresses an address answers.
 */
#include "core.h"

#define V4BITS	96		/* 16-byte bits before the IPv4 address */

/* RFC 791 3.2 classes A, B, C: the default mask, as plan9 and 4.2BSD give it. */
int
ipifc_ip_classplen(const struct ipifc_ip *ip)
{
	if (!ipifc_ip_isv4(ip))
		return -1;
	if ((ip->a[12] & 0x80) == 0)
		return V4BITS + 8;
	if ((ip->a[12] & 0xc0) == 0x80)
		return V4BITS + 16;
	if ((ip->a[12] & 0xe0) == 0xc0)
		return V4BITS + 24;
	return -1;
}

/*
 * The broadcast addresses l answers, into b (room for 3): only where the
 * link has them (BSD IFF_BROADCAST), never on a point-to-point address;
 * the subnet's all-ones and (BSD 4.2) all-zeros hosts, and
 * 255.255.255.255.
 */
int
ipifc_ip4_bcasts(const struct ipifc_lifc *l, struct ipifc_ip *b)
{
	int n = 0;

	if (!ipifc_lifc_isv4(l) || l->ptp || ipifc_ip_isunspec(&l->local) ||
	    !(l->ifc->flags & IPIFC_F_BROADCAST))
		return 0;
	/* RFC 3021: a /31 has no subnet broadcast nor host-0 */
	if (l->plen < 127) {
		ipifc_ip_hostones(&b[n++], &l->net, l->plen);
		b[n++] = l->net;
	}
	b[n++] = ipifc_ip_bcast4;
	return n;
}
