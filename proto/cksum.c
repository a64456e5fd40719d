/*
 * The Internet checksum, RFC 1071: the ones' complement of the ones'
 * complement sum of 16-bit words.  Words are read big-endian, so the
 * result is the field's value in host order on any machine.
 *
 * The sum is taken 64 bits at a time in the machine's own byte order
 * (RFC 1071 2 (B): the ones' complement sum does not depend on byte
 * order, and 2 (C): it may be taken on wider words, then folded), and
 * its fold to 32 bits is byte-swapped once at the end on a little-endian
 * machine.  Loads go through memcpy, so any alignment is fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

static int
little_endian(void)
{
	const uint16_t one = 1;
	uint8_t b;

	memcpy(&b, &one, 1);
	return b == 1;
}

static uint64_t
load64(const uint8_t *b)
{
	uint64_t w;

	memcpy(&w, b, 8);
	return w;
}

/* a + b in ones' complement on 64 bits: the carry out comes back in */
static uint64_t
add64(uint64_t a, uint64_t b)
{
	a += b;
	return a + (a < b);
}

/*
 * The sum of len bytes in the machine's order, folded to 32 bits: the
 * sum of big-endian words byte-swapped on a little-endian machine.
 */
static uint32_t
native_sum(const uint8_t *b, size_t len)
{
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t = 0, s;
	uint32_t w4;
	uint16_t w2;

	/* four sums side by side: each carry waits only on its own */
	while (len >= 32) {
		s0 = add64(s0, load64(b));
		s1 = add64(s1, load64(b + 8));
		s2 = add64(s2, load64(b + 16));
		s3 = add64(s3, load64(b + 24));
		b += 32;
		len -= 32;
	}
	s0 = add64(s0, s2);
	s1 = add64(s1, s3);
	while (len >= 8) {
		s0 = add64(s0, load64(b));
		b += 8;
		len -= 8;
	}
	/* the tail, still at even offsets: native words sum as wide ones */
	if (len & 4) {
		memcpy(&w4, b, 4);
		t += w4;
		b += 4;
	}
	if (len & 2) {
		memcpy(&w2, b, 2);
		t += w2;
		b += 2;
	}
	/* RFC 1071 4.1: an odd byte is padded with zero on the right */
	if (len & 1)
		t += little_endian() ? b[0] : (uint32_t)b[0] << 8;
	s = add64(add64(s0, s1), t);
	/* 64 bits to 32, the carry out added back (RFC 1071 2 (1)) */
	s += s >> 32 | s << 32;
	return (uint32_t)(s >> 32);
}

uint32_t
ipifc_cksum_add(uint32_t sum, const void *p, size_t len)
{
	uint32_t v = native_sum(p, len);

	/*
	 * Swapping the bytes of a 32-bit sum swaps those of its 16-bit
	 * fold (RFC 1071 2 (B)): one swap here, then the fold with sum.
	 */
	if (little_endian())
		v = __builtin_bswap32(v);
	return ipifc_cksum_fold16((uint64_t)v + sum);
}

int
ipifc_cksum_ok(const void *p, size_t len)
{
	/* right when it sums to -0, 0xffff, in either byte order */
	return ipifc_cksum_fold16(native_sum(p, len)) == 0xffff;
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
	return ipifc_cksum_fold16(s);
}

uint32_t
ipifc_cksum_pseudo6(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    uint32_t len, uint8_t nxt)
{
	uint64_t s;

	/* both addresses in one sum: four words, not two calls */
	s = add64(add64(load64(src->a), load64(src->a + 8)),
	    add64(load64(dst->a), load64(dst->a + 8)));
	s = ipifc_cksum_fold16(s);
	if (little_endian())
		s = (s >> 8 | s << 8) & 0xffff;
	s += len >> 16;
	s += len & 0xffff;
	s += nxt;
	return ipifc_cksum_fold16(s);
}
