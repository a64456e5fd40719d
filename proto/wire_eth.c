/*
 * Ethernet II framing (RFC 894, RFC 2464 3): destination, source, type.
 * Frames arrive without the FCS.  Padding to the 60-byte minimum stays in
 * the payload; the network layer cuts it by its own length field.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

/* IEEE 802.1Q 9.5: the TPIDs of a customer and of a service VLAN tag */
static int
istag(uint16_t type)
{
	return type == IPIFC_ETHERTYPE_VLAN || type == IPIFC_ETHERTYPE_SVLAN;
}

int
ipifc_eth_tagged(const uint8_t *buf, size_t len)
{
	return len >= IPIFC_ETH_HLEN && istag(ipifc_get16(buf + 12));
}

/* Checks first, then the fields straight into e: see ipifc_ip4_parse. */
int
ipifc_eth_parse(const uint8_t *buf, size_t len, struct ipifc_eth *e)
{
	uint16_t type;
	size_t hlen;

	if (len < IPIFC_ETH_HLEN)
		return -EMSGSIZE;
	type = ipifc_get16(buf + 12);
	hlen = IPIFC_ETH_HLEN;
	/*
	 * A priority-tagged frame (IEEE 802.1Q 9.6: a C-tag with VID 0)
	 * carries only a priority: it is untagged, as Linux takes it.
	 */
	if (type == IPIFC_ETHERTYPE_VLAN && len >= hlen + 4 &&
	    (ipifc_get16(buf + 14) & 0x0fff) == 0) {
		type = ipifc_get16(buf + 16);
		hlen += 4;
	}
	/* A tagged frame belongs to a VLAN interface we do not have. */
	if (istag(type) || type < IPIFC_ETHERTYPE_MIN)
		return -EPROTONOSUPPORT;
	memcpy(e->dst, buf, 6);
	memcpy(e->src, buf + 6, 6);
	e->type = type;
	e->payload = buf + hlen;
	e->plen = len - hlen;
	return 0;
}

int
ipifc_eth_build(uint8_t *buf, size_t cap, const uint8_t dst[6],
    const uint8_t src[6], uint16_t type)
{
	if (istag(type) || type < IPIFC_ETHERTYPE_MIN)
		return -EINVAL;
	if (cap < IPIFC_ETH_HLEN)
		return -ENOBUFS;
	memmove(buf, dst, 6);
	memmove(buf + 6, src, 6);
	ipifc_put16(buf + 12, type);
	return IPIFC_ETH_HLEN;
}
