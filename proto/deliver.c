/*
 * Delivery to the library's user (ipifc_set_deliver): a datagram of
 * either family, for a protocol the stack does not take itself, goes up
 * through the deliver hook.
 */
#include <string.h>

#include "proto.h"

int
ipifc_deliver_opts(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, const uint8_t *payload,
    size_t len, const uint8_t *opts, size_t optlen)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_datagram d;

	if (s->deliver == NULL)
		return -EPROTONOSUPPORT;
	memset(&d, 0, sizeof(d));
	d.src = *src;
	d.dst = *dst;
	d.proto = proto;
	d.ttl = ttl;
	d.ifc = ifc->num;
	d.payload = payload;
	d.len = len;
	d.opts = opts;
	d.optlen = optlen;
	return s->deliver(s->deliverarg, &d);
}

int
ipifc_deliver(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int proto, int ttl, const uint8_t *payload,
    size_t len)
{
	return ipifc_deliver_opts(ifc, src, dst, proto, ttl, payload, len,
	    NULL, 0);
}
