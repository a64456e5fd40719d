/*
 * The Internet checksum, RFC 1071: the ones' complement of the ones'
 * complement sum of 16-bit words.  Words are read big-endian, so the
 * result is the field's value in host order on any machine.
 *
 * The sum is taken 64 bits at a time in the machine's own byte order
 * (RFC 1071 2 (B): the ones' complement sum does not depend on byte
 * order, and 2 (C): it may be taken on wider words, then folded), and
 * its 16-bit fold is byte-swapped once at the end on a little-endian
 * machine.  Loads go through memcpy, so any alignment is fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

/* RFC 1071 2 (1): end-around carry, from 64 bits to 16 in four steps */
static inline uint32_t
fold(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);	/* < 2^33 */
	s = (s & 0xffffffff) + (s >> 32);	/* < 2^32 */
	s = (s & 0xffff) + (s >> 16);		/* < 2^17 */
	s = (s & 0xffff) + (s >> 16);		/* < 2^16 + 1 ... */
	return (uint32_t)((s & 0xffff) + (s >> 16));	/* ... < 2^16 */
}

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

uint32_t
ipifc_cksum_add(uint32_t sum, const void *p, size_t len)
{
	const uint8_t *b = p;
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, t = 0, s;
	uint32_t w4, v;
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
	v = fold(s);
	if (little_endian())
		v = (v >> 8 | v << 8) & 0xffff;
	return fold((uint64_t)v + sum);
}

uint16_t
ipifc_cksum_fold(uint32_t sum)
{
	return (uint16_t)~fold(sum);
}

/*
 * RFC 1624 3, eqn. 3: HC' = ~(~HC + ~m + m'), m and m' the sums of the
 * old and the new words.  (Eqn. 2, HC' = HC - ~m - m', can give -0,
 * 0xffff, where a sender computes 0.)
 */
uint16_t
ipifc_cksum_update(uint16_t hc, uint32_t from, uint32_t to)
{
	uint64_t s;

	s = (uint64_t)(uint16_t)~hc + (uint16_t)~fold(from) + fold(to);
	return (uint16_t)~fold(s);
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

	/* both addresses in one sum: four words, not two calls */
	s = add64(add64(load64(src->a), load64(src->a + 8)),
	    add64(load64(dst->a), load64(dst->a + 8)));
	s = fold(s);
	if (little_endian())
		s = (s >> 8 | s << 8) & 0xffff;
	s += len >> 16;
	s += len & 0xffff;
	s += nxt;
	return fold(s);
}
