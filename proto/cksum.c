/*
 * The Internet checksum, RFC 1071: the ones' complement of the ones'
 * complement sum of 16-bit words.  Words are read big-endian, so the
 * result is the field's value in host order on any machine.
 */
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* RFC 1071 2 (1): end-around carry */
static uint32_t
fold(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint32_t
ipifc_cksum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t s = sum;

	while (len >= 8) {
		s += (uint32_t)b[0] << 8 | b[1];
		s += (uint32_t)b[2] << 8 | b[3];
		s += (uint32_t)b[4] << 8 | b[5];
		s += (uint32_t)b[6] << 8 | b[7];
		b += 8;
		len -= 8;
	}
	while (len >= 2) {
		s += (uint32_t)b[0] << 8 | b[1];
		b += 2;
		len -= 2;
	}
	/* RFC 1071 4.1: an odd byte is padded with zero on the right */
	if (len > 0)
		s += (uint32_t)b[0] << 8;
	return fold(s);
}

uint16_t
ipifc_cksum_fold(uint32_t sum)
{
	return (uint16_t)~fold(sum);
}

uint32_t
ipifc_cksum_pseudo4(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    uint16_t len, uint8_t proto)
{
	uint64_t s;

	s = ipifc_cksum_add(0, src->a + 12, 4);
	s += ipifc_cksum_add(0, dst->a + 12, 4);
	s += proto;
	s += len;
	return fold(s);
}

uint32_t
ipifc_cksum_pseudo6(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    uint32_t len, uint8_t nxt)
{
	uint64_t s;

	s = ipifc_cksum_add(0, src->a, 16);
	s += ipifc_cksum_add(0, dst->a, 16);
	s += len >> 16;
	s += len & 0xffff;
	s += nxt;
	return fold(s);
}
