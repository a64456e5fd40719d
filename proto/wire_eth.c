/*
 * Ethernet II framing (RFC 894, RFC 2464 3): destination, source, type.
 * Frames arrive without the FCS.  Padding to the 60-byte minimum stays in
 * the payload; the network layer cuts it by its own length field.
 * The parser and the builder are inline in wire.h: every frame goes
 * through both.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

int
ipifc_eth_tagged(const uint8_t *buf, size_t len)
{
	return len >= IPIFC_ETH_HLEN && ipifc_eth_istag(ipifc_get16(buf + 12));
}
