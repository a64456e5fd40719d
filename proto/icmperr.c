/*
 * The tail of an ICMP or ICMPv6 error, one for both families: once the
 * family's rules (RFC 1122 3.2.2, RFC 4443 2.4) let it go, and the rate
 * limit, the message quoting the packet at fault goes back to its source.
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

/*
 * RFC 1812 4.3.2.5: an ICMPv4 error goes with precedence 6, internetwork
 * control (RFC 2474's class selector 6).
 */
#define ICMP_ERRTOS	0xc0

void
ipifc_icmp_error_send(struct ipifc_stack *s, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, struct ipifc_ifc *oif, int type, int code,
    uint32_t param, const uint8_t *pkt, size_t dlen)
{
	struct ipifc_icmp m;
	uint8_t buf[IPIFC_ICMP6_ERRMAX];	/* the larger of the two */
	int n;

	memset(&m, 0, sizeof(m));
	m.type = (uint8_t)type;
	m.code = (uint8_t)code;
	m.param = param;
	m.data = pkt;
	m.dlen = dlen;
	if (ipifc_ip_isv4(dst)) {
		if ((n = ipifc_icmp4_build(buf, sizeof(buf), &m)) >= 0)
			ipifc_ip4_output_opts(s, src, dst, IPIFC_PROTO_ICMP, 0,
			    ICMP_ERRTOS, buf, (size_t)n, oif, NULL, 0);
	} else if ((n = ipifc_icmp6_build(buf, sizeof(buf), src, dst, &m)) >= 0)
		ipifc_ip6_output(s, src, dst, IPIFC_PROTO_ICMP6, 0, buf,
		    (size_t)n, oif);
}
