/*
 * Interface identifiers for SLAAC: modified EUI-64 (RFC 4291 appendix A),
 * stable opaque identifiers (RFC 7217 5), random ones for temporary
 * addresses (RFC 8981 3.3.1), and the reserved ones none of them may be
 * (RFC 5453 3).  Each fills the low 64 bits of an address whose prefix
 * is already in place.
 */
#include <string.h>

#include "slaac_int.h"

int
ipifc_slaac_iid_reserved(const uint8_t iid[8])
{
	/* RFC 5453 3: subnet-router anycast (RFC 4291 2.6.1) */
	static const uint8_t zero[8];
	/* 0200:5EFF:FE00:0000 to 0200:5EFF:FEFF:FFFF (RFC 5453 3,
	 * proxy mobile IPv6 and the range around it) */
	static const uint8_t ianaeth[5] = { 0x02, 0x00, 0x5e, 0xff, 0xfe };
	/* FDFF:FFFF:FFFF:FF80 to FDFF:FFFF:FFFF:FFFF (RFC 2526) */
	static const uint8_t anycast[7] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};

	if (memcmp(iid, zero, 8) == 0)
		return 1;
	if (memcmp(iid, ianaeth, 5) == 0)
		return 1;
	return memcmp(iid, anycast, 7) == 0 && iid[7] >= 0x80;
}

int
ipifc_slaac_iid_eui64(struct ipifc_ip *addr, const uint8_t mac[6])
{
	ipifc_eui64(addr->a + 8, mac);
	return ipifc_slaac_iid_reserved(addr->a + 8) ? -1 : 0;
}

/*
 * RFC 7217 5: RID = F(Prefix, Net_Iface, Network_ID, DAD_Counter,
 * secret_key), F being SHA-256 over the fields one after the other (the
 * prefix as its plen bits in whole bytes, Net_Iface as its text,
 * Network_ID as given, possibly empty, the counter as one byte); the
 * identifier is the first 64 bits.
 */
void
ipifc_slaac_iid_stable(struct ipifc_ip *addr, int plen,
    const struct ipifc_slaac_config *c, int dadcount)
{
	struct ipifc_slaac_sha256 s;
	uint8_t	 h[32], ctr = (uint8_t)dadcount;

	ipifc_slaac_sha256_init(&s);
	ipifc_slaac_sha256_update(&s, addr->a, (size_t)(plen + 7) / 8);
	ipifc_slaac_sha256_update(&s, c->net_iface, strlen(c->net_iface));
	ipifc_slaac_sha256_update(&s, c->network_id, c->network_idlen);
	ipifc_slaac_sha256_update(&s, &ctr, 1);
	ipifc_slaac_sha256_update(&s, c->secret, c->secretlen);
	ipifc_slaac_sha256_final(&s, h);
	memcpy(addr->a + 8, h, 8);
}

/* RFC 8981 3.3.1: 64 random bits (the caller checks them) */
void
ipifc_slaac_iid_random(struct ipifc_slaac *e, struct ipifc_ip *addr)
{
	uint32_t r;
	int	 i;

	for (i = 0; i < 2; i++) {
		r = e->random(e->rarg);
		addr->a[8 + 4 * i] = (uint8_t)(r >> 24);
		addr->a[9 + 4 * i] = (uint8_t)(r >> 16);
		addr->a[10 + 4 * i] = (uint8_t)(r >> 8);
		addr->a[11 + 4 * i] = (uint8_t)r;
	}
}
