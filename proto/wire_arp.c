/*
 * ARP, RFC 826, for Ethernet (hardware type 1) and IPv4 only.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

#define HRD_ETHER	1	/* RFC 826; IANA ARP hardware types */

int
ipifc_arp_parse(const uint8_t *buf, size_t len, struct ipifc_arp *a)
{
	struct ipifc_arp t;

	if (len < IPIFC_ARP_LEN)
		return -EMSGSIZE;
	if (ipifc_get16(buf) != HRD_ETHER ||
	    ipifc_get16(buf + 2) != IPIFC_ETHERTYPE_IP4 ||
	    buf[4] != IPIFC_ETH_ALEN || buf[5] != 4)
		return -EINVAL;
	t.op = ipifc_get16(buf + 6);
	if (t.op != IPIFC_ARP_REQUEST && t.op != IPIFC_ARP_REPLY)
		return -EINVAL;
	memcpy(t.sha, buf + 8, 6);
	ipifc_ip_v4(&t.spa, ipifc_get32(buf + 14));
	memcpy(t.tha, buf + 18, 6);
	ipifc_ip_v4(&t.tpa, ipifc_get32(buf + 24));
	*a = t;
	return 0;
}

int
ipifc_arp_build(uint8_t *buf, size_t cap, const struct ipifc_arp *a)
{
	if ((a->op != IPIFC_ARP_REQUEST && a->op != IPIFC_ARP_REPLY) ||
	    !ipifc_ip_isv4(&a->spa) || !ipifc_ip_isv4(&a->tpa))
		return -EINVAL;
	if (cap < IPIFC_ARP_LEN)
		return -ENOBUFS;
	ipifc_put16(buf, HRD_ETHER);
	ipifc_put16(buf + 2, IPIFC_ETHERTYPE_IP4);
	buf[4] = IPIFC_ETH_ALEN;
	buf[5] = 4;
	ipifc_put16(buf + 6, a->op);
	memcpy(buf + 8, a->sha, 6);
	memcpy(buf + 14, a->spa.a + 12, 4);
	memcpy(buf + 18, a->tha, 6);
	memcpy(buf + 24, a->tpa.a + 12, 4);
	return IPIFC_ARP_LEN;
}
