/*
 * Segmentation of superframes (io/gso.c): a TCP over IPv4 superframe of
 * 3000 bytes and a UDP over IPv6 one of 2500, cut at 1000 bytes, come out
 * as the frames a wire would carry (lengths, identification, sequence
 * numbers, flags, checksums that verify, the payload in order); headers
 * that do not hold together are refused.  A superframe forwarded whole
 * (ipifc_dev_super_build) takes the forwarded first frame's headers and
 * its own lengths, and asks the link to cut it as the sender did; a
 * frame that is not that first frame forwarded builds nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <linux/virtio_net.h>

#include "gso.h"
#include "wire.h"
#include "util.h"

#define MSS	1000

static uint8_t sup[IPIFC_DEV_MAXFRAME];
static uint8_t out[IPIFC_DEV_MAXFRAME];
static struct ipifc_gso g;

static void
ether(uint8_t *f, uint16_t type)
{
	memset(f, 0x02, 12);
	ipifc_put16(f + 12, type);
}

static void
payload(uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + i / 251);
}

/* The transport checksum of a frame verifies (sums to 0). */
static int
l4_ok(const uint8_t *f, size_t l4, size_t len, int proto, int v4)
{
	uint32_t s;

	if (v4)
		s = ipifc_cksum_add(0, f + 14 + 12, 8);
	else
		s = ipifc_cksum_add(0, f + 14 + 8, 32);
	s += (uint32_t)proto + (uint32_t)(len - l4);
	return ipifc_cksum_fold(ipifc_cksum_add(s, f + l4, len - l4)) == 0;
}

static void
test_tcp4(void **state)
{
	uint8_t *ip = sup + 14, *th = sup + 34, want[3000];
	size_t n, len = 14 + 20 + 20 + 3000;
	int i;

	ether(sup, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ipifc_put16(ip + 2, (uint16_t)(len - 14));
	ipifc_put16(ip + 4, 0x1234);
	ip[6] = 0x40;			/* DF */
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x01\x00\x02\x0a\x02\x00\x02", 8);
	memset(th, 0, 20);
	ipifc_put16(th, 40000);
	ipifc_put16(th + 2, 5001);
	ipifc_put32(th + 4, 0xfffffc00);	/* wraps in the third frame */
	th[12] = 5 << 4;
	th[13] = 0x80 | 0x10 | 0x08 | 0x01;	/* CWR ACK PSH FIN */
	payload(sup + 54, 3000);
	memcpy(want, sup + 54, 3000);

	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, MSS,
	    34), 0);
	for (i = 0; i < 3; i++) {
		n = ipifc_gso_next(&g, out, sizeof(out));
		assert_int_equal(n, 54 + MSS);
		assert_int_equal(ipifc_get16(out + 16), 40 + MSS);
		assert_int_equal(ipifc_get16(out + 18), 0x1234 + i);
		assert_int_equal(ipifc_cksum_fold(ipifc_cksum_add(0, out + 14,
		    20)), 0);
		assert_int_equal(ipifc_get32(out + 34 + 4),
		    (uint32_t)(0xfffffc00u + (uint32_t)i * MSS));
		/* CWR on the first only, PSH and FIN on the last only */
		assert_int_equal(out[34 + 13], i == 0 ? 0x90 : i == 2 ? 0x19 :
		    0x10);
		assert_true(l4_ok(out, 34, n, 6, 1));
		assert_memory_equal(out + 54, want + i * MSS, MSS);
	}
	assert_int_equal(ipifc_gso_next(&g, out, sizeof(out)), 0);
}

static void
test_udp6(void **state)
{
	static const size_t sizes[3] = { MSS, MSS, 500 };
	uint8_t *ip = sup + 14, *uh = sup + 54, want[2500];
	size_t n, len = 14 + 40 + 8 + 2500;
	int i;

	ether(sup, 0x86dd);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ipifc_put16(ip + 4, (uint16_t)(len - 54));
	ip[6] = 17;
	ip[7] = 64;
	ip[8] = 0x20;
	ip[24] = 0x20;
	ip[23] = 2;
	ip[39] = 2;
	ipifc_put16(uh, 4000);
	ipifc_put16(uh + 2, 53);
	payload(sup + 62, 2500);
	memcpy(want, sup + 62, 2500);

	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_UDP, MSS,
	    54), 0);
	for (i = 0; i < 3; i++) {
		n = ipifc_gso_next(&g, out, sizeof(out));
		assert_int_equal(n, 62 + sizes[i]);
		assert_int_equal(ipifc_get16(out + 18), 8 + sizes[i]);
		assert_int_equal(ipifc_get16(out + 54 + 4), 8 + sizes[i]);
		assert_true(l4_ok(out, 54, n, 17, 0));
		assert_memory_equal(out + 62, want + i * MSS, sizes[i]);
	}
	assert_int_equal(ipifc_gso_next(&g, out, sizeof(out)), 0);
}

static void
test_refused(void **state)
{
	size_t len = 14 + 20 + 20 + 100;

	memset(sup, 0, len);
	ether(sup, 0x0800);
	sup[14] = 0x45;
	sup[34 + 12] = 4 << 4;		/* TCP data offset under 5 */
	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, MSS,
	    34), -EINVAL);
	assert_int_equal(ipifc_gso_next(&g, out, sizeof(out)), 0);
	sup[34 + 12] = 15 << 4;		/* past the frame with no payload */
	assert_int_equal(ipifc_gso_start(&g, sup, 14 + 20 + 40, IPIFC_GSO_TCP,
	    MSS, 34), -EINVAL);
	sup[34 + 12] = 5 << 4;
	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, MSS,
	    30), -EINVAL);		/* inside the IPv4 header */
	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, 0,
	    34), -EINVAL);
	ether(sup, 0x0806);
	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, MSS,
	    34), -EINVAL);
	ether(sup, 0x0800);
	assert_int_equal(ipifc_gso_start(&g, sup, len, IPIFC_GSO_TCP, MSS,
	    34), 0);
	/* one frame of 100 bytes: mss larger than the payload */
	assert_int_equal(ipifc_gso_next(&g, out, sizeof(out)), len);
	assert_int_equal(ipifc_gso_next(&g, out, sizeof(out)), 0);
}

static void
test_super(void **state)
{
	struct ipifc_dev d;
	struct virtio_net_hdr vin, vh;
	uint8_t *ip = sup + 14, *th = sup + 34, f1[2048], o[2048], hdr[128];
	const uint8_t *rest;
	size_t n1, restlen, len = 14 + 20 + 20 + 3000;

	memset(&d, 0, sizeof(d));
	d.gso = &g;
	ether(sup, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ipifc_put16(ip + 2, (uint16_t)(len - 14));
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, "\x0a\x01\x00\x02\x0a\x03\x00\x02", 8);
	memset(th, 0, 20);
	ipifc_put32(th + 4, 1000);
	th[12] = 5 << 4;
	th[13] = 0x10;
	ipifc_put16(th + 16, 0x5555);	/* the pseudo-header's sum, left */
	payload(sup + 54, 3000);
	memset(&vin, 0, sizeof(vin));
	vin.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vin.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	vin.gso_size = MSS;
	vin.hdr_len = 54;
	vin.csum_start = 34;
	vin.csum_offset = 16;
	assert_int_equal(ipifc_gso_vnet(&g, sup, len, &vin), 0);
	assert_int_equal(ipifc_dev_super(&d), 0);
	n1 = ipifc_gso_next(&g, f1, sizeof(f1));
	assert_int_equal(n1, 54 + MSS);
	assert_int_equal(ipifc_dev_super(&d), 1);
	/* forwarded: new MACs, TTL 63, the header checksum again */
	memcpy(o, f1, n1);
	memset(o, 0x04, 12);
	o[14 + 8] = 63;
	ipifc_put16(o + 14 + 10, 0);
	ipifc_put16(o + 14 + 10, ipifc_cksum_fold(ipifc_cksum_add(0,
	    o + 14, 20)));
	assert_int_equal(ipifc_dev_super_build(&d, f1, n1, o, n1, hdr,
	    sizeof(hdr), &rest, &restlen, &vh), 34);
	assert_memory_equal(hdr, o, 12);
	assert_int_equal(hdr[14 + 8], 63);
	assert_int_equal(ipifc_get16(hdr + 14 + 2), len - 14);
	assert_int_equal(ipifc_cksum_fold(ipifc_cksum_add(0, hdr + 14, 20)),
	    0);
	assert_ptr_equal(rest, sup + 34);
	assert_int_equal(restlen, len - 34);
	assert_int_equal(ipifc_get16(rest + 16), 0x5555);
	assert_int_equal(vh.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	assert_int_equal(vh.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	assert_int_equal(vh.gso_size, MSS);
	assert_int_equal(vh.hdr_len, 54);
	assert_int_equal(vh.csum_start, 34);
	assert_int_equal(vh.csum_offset, 16);
	/* not f1 forwarded: another payload, protocol, length or header */
	o[n1 - 1] ^= 1;
	assert_int_equal(ipifc_dev_super_build(&d, f1, n1, o, n1, hdr,
	    sizeof(hdr), &rest, &restlen, &vh), 0);
	o[n1 - 1] ^= 1;
	o[14 + 9] = 17;
	assert_int_equal(ipifc_dev_super_build(&d, f1, n1, o, n1, hdr,
	    sizeof(hdr), &rest, &restlen, &vh), 0);
	o[14 + 9] = 6;
	assert_int_equal(ipifc_dev_super_build(&d, f1, n1, o, n1 - 1, hdr,
	    sizeof(hdr), &rest, &restlen, &vh), 0);
	assert_int_equal(ipifc_dev_super_build(&d, f1, n1, o, n1, hdr, 20,
	    &rest, &restlen, &vh), 0);
	/* two frames went: the stack gets the third, from offset 2000 */
	ipifc_dev_super_sent(&d, 2);
	assert_int_equal(ipifc_gso_next(&g, f1, sizeof(f1)), 54 + MSS);
	assert_int_equal(ipifc_get32(f1 + 34 + 4), 1000 + 2 * MSS);
	assert_int_equal(ipifc_gso_next(&g, f1, sizeof(f1)), 0);
	/* all went: nothing is left */
	assert_int_equal(ipifc_gso_vnet(&g, sup, len, &vin), 0);
	(void)ipifc_gso_next(&g, f1, sizeof(f1));
	ipifc_dev_super_sent(&d, 3);
	assert_int_equal(ipifc_gso_pending(&d), 0);
}

/*
 * A checksum left to offload (VIRTIO_NET_HDR_F_NEEDS_CSUM) that comes
 * out 0: TCP's field holds 0, as a sender's sum gives it (RFC 1071; RFC
 * 1624 3: -0 is not what a sender computes, and tshark calls it bad);
 * UDP's holds all ones (RFC 768, RFC 8200 8.1: 0 would mean none).
 */
static void
finish_zero(int tcp)
{
	struct ipifc_dev d;
	struct virtio_net_hdr vh;
	uint8_t f[128], *ip = f + 14, *th = f + 34;
	size_t l4len = tcp ? 20 : 8 + 12, len = 34 + l4len;
	unsigned ck = tcp ? 16 : 6, w = tcp ? 14 : 8;
	uint32_t s;

	memset(&d, 0, sizeof(d));
	memset(f, 0, sizeof(f));
	ether(f, 0x0800);
	ip[0] = 0x45;
	ipifc_put16(ip + 2, (uint16_t)(len - 14));
	ip[8] = 64;
	ip[9] = tcp ? 6 : 17;
	memcpy(ip + 12, "\x0a\x02\x00\x02\x0a\x01\x00\x02", 8);
	ipifc_put16(ip + 10, ipifc_cksum_fold(ipifc_cksum_add(0, ip, 20)));
	ipifc_put16(th, 5001);
	ipifc_put16(th + 2, 40000);
	if (tcp) {
		th[12] = 5 << 4;
		th[13] = 0x10;
	} else
		ipifc_put16(th + 4, (uint16_t)l4len);
	/* the pseudo-header's sum in the field, as the sender leaves it */
	ipifc_put16(th + ck, (uint16_t)ipifc_cksum_fold16(ipifc_cksum_add(0,
	    ip + 12, 8) + (uint32_t)ip[9] + (uint32_t)l4len));
	/* a word (TCP's window, UDP's first payload word) that makes the
	 * whole sum 0xffff: the checksum is 0 */
	s = ipifc_cksum_add(0, th, l4len);
	ipifc_put16(th + w, (uint16_t)(0xffff - s));
	memset(&vh, 0, sizeof(vh));
	vh.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	vh.csum_start = 34;
	vh.csum_offset = (uint16_t)ck;
	assert_int_equal(ipifc_vnet_frame(&d, out, sizeof(out), f, len, &vh),
	    len);
	assert_int_equal(ipifc_get16(out + 34 + ck), tcp ? 0x0000 : 0xffff);
	assert_true(l4_ok(out, 34, len, tcp ? 6 : 17, 1));
}

static void
test_finish_zero(void **state)
{
	(void)state;
	finish_zero(1);
	finish_zero(0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4),
		cmocka_unit_test(test_udp6),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_super),
		cmocka_unit_test(test_finish_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
