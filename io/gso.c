/*
 * Segmentation of a superframe (gso.h).  The Linux sender cut nothing:
 * each frame gets mss bytes of the payload, the last what remains.
 */
#include <sys/types.h>
#include <linux/virtio_net.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gso.h"
#include "wire.h"

#define ETH_HLEN	14
#define ETHERTYPE_IP4	0x0800
#define ETHERTYPE_IP6	0x86dd
#define IP6_HLEN	40	/* RFC 8200 3 */
#define TCP_MINHLEN	20	/* RFC 9293 3.1 */
#define UDP_HLEN	8	/* RFC 768 */
#define IPPROTO_TCP_	6
#define IPPROTO_UDP_	17

/* UDP (RFC 768) and TCP (RFC 9293 3.1): where the checksum field lies */
#define UDP_CKSUMOFF	6
#define TCP_CKSUMOFF	16

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5	/* Linux 6.2 */
#endif

/* RFC 9293 3.1 and RFC 3168 6.1: the flags byte of the TCP header */
#define TCP_FLAGS	13
#define TH_FIN		0x01
#define TH_PSH		0x08
#define TH_CWR		0x80

int
ipifc_gso_start(struct ipifc_gso *g, const uint8_t *frame, size_t len,
    int kind, size_t mss, size_t l4)
{
	const uint8_t *ip = frame + ETH_HLEN;
	size_t hlen;

	g->kind = 0;
	if (len > IPIFC_DEV_MAXFRAME || len < ETH_HLEN + IP6_HLEN || mss == 0)
		return -EINVAL;
	switch (ipifc_get16(frame + 12)) {
	case ETHERTYPE_IP4:
		if ((ip[0] >> 4) != 4 ||
		    l4 < ETH_HLEN + (size_t)(ip[0] & 0xf) * 4 ||
		    (ip[0] & 0xf) < 5)
			return -EINVAL;
		break;
	case ETHERTYPE_IP6:
		if ((ip[0] >> 4) != 6 || l4 < ETH_HLEN + IP6_HLEN)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (kind == IPIFC_GSO_TCP) {
		if (l4 + TCP_MINHLEN > len ||
		    (frame[l4 + 12] >> 4) * 4 < TCP_MINHLEN)
			return -EINVAL;
		hlen = l4 + (size_t)(frame[l4 + 12] >> 4) * 4;
	} else if (kind == IPIFC_GSO_UDP)
		hlen = l4 + UDP_HLEN;
	else
		return -EINVAL;
	if (hlen >= len)
		return -EINVAL;
	g->sf = frame;
	g->len = len;
	g->l4 = l4;
	g->hlen = hlen;
	g->mss = mss;
	g->off = 0;
	g->seg = 0;
	g->kind = kind;
	return 0;
}

size_t
ipifc_gso_next(struct ipifc_gso *g, uint8_t *out, size_t cap)
{
	size_t plen = g->len - g->hlen, n, l4len;
	uint8_t *ip = out + ETH_HLEN, *th = out + g->l4, *ck;
	uint32_t sum;
	uint16_t c;
	int last, tcp = g->kind == IPIFC_GSO_TCP;

	if (g->kind == 0)
		return 0;
	n = plen - g->off < g->mss ? plen - g->off : g->mss;
	if (g->hlen + n > cap) {
		g->kind = 0;
		return 0;
	}
	last = g->off + n == plen;
	memcpy(out, g->sf, g->hlen);
	memcpy(out + g->hlen, g->sf + g->hlen + g->off, n);
	l4len = g->hlen - g->l4 + n;
	if ((ip[0] >> 4) == 4) {
		/* RFC 791 3.1: total length, identification, checksum */
		ipifc_put16(ip + 2, (uint16_t)(g->hlen - ETH_HLEN + n));
		ipifc_put16(ip + 4, (uint16_t)(ipifc_get16(ip + 4) + g->seg));
		ipifc_put16(ip + 10, 0);
		ipifc_put16(ip + 10, ipifc_cksum_fold(ipifc_cksum_add(0, ip,
		    (size_t)(ip[0] & 0xf) * 4)));
		sum = ipifc_cksum_add(0, ip + 12, 8);
	} else {
		/* RFC 8200 3: the payload length counts extension headers */
		ipifc_put16(ip + 4, (uint16_t)(g->hlen - ETH_HLEN - IP6_HLEN +
		    n));
		sum = ipifc_cksum_add(0, ip + 8, 32);
	}
	if (tcp) {
		ipifc_put32(th + 4, ipifc_get32(th + 4) + (uint32_t)g->off);
		/* FIN and PSH end the whole; CWR answers once, first */
		if (!last)
			th[TCP_FLAGS] &= (uint8_t)~(TH_FIN | TH_PSH);
		if (g->seg > 0)
			th[TCP_FLAGS] &= (uint8_t)~TH_CWR;
		ck = th + 16;
	} else {
		ipifc_put16(th + 4, (uint16_t)l4len);
		ck = th + 6;
	}
	/* the pseudo-header (RFC 9293 3.1, RFC 768, RFC 8200 8.1) */
	ipifc_put16(ck, 0);
	sum += tcp ? IPPROTO_TCP_ : IPPROTO_UDP_;
	sum += (uint32_t)l4len;
	c = ipifc_cksum_fold(ipifc_cksum_add(sum, th, l4len));
	/* RFC 768: a UDP sum of 0 goes as all ones */
	ipifc_put16(ck, c == 0 && !tcp ? 0xffff : c);
	g->off += n;
	g->seg++;
	if (last)
		g->kind = 0;
	return g->hlen + n;
}

/*
 * Finish a checksum the sender left to offload: the ones' complement sum
 * from start to the end of the frame (the field at start + off holds the
 * pseudo-header's sum already), folded.  Only UDP's and TCP's fields are
 * the Internet checksum; another (SCTP's CRC32c) is left as it came.
 * RFC 768: a UDP checksum that comes out 0 goes as all ones.  TCP's goes
 * as 0, what a sender's sum gives (RFC 1624 3: -0, all ones, verifies
 * but is not what a sender computes, and tshark calls it bad).
 */
static void
cksum_finish(uint8_t *frame, size_t len, const struct virtio_net_hdr *vh)
{
	size_t start = vh->csum_start, off = vh->csum_offset;
	uint16_t c;

	if (off != UDP_CKSUMOFF && off != TCP_CKSUMOFF)
		return;
	if (start < ETH_HLEN || start > len || len - start < off + 2)
		return;
	c = ipifc_cksum_fold(ipifc_cksum_add(0, frame + start, len - start));
	ipifc_put16(frame + start + off, c == 0 && off == UDP_CKSUMOFF ?
	    0xffff : c);
}

int
ipifc_gso_vnet(struct ipifc_gso *g, const uint8_t *frame, size_t len,
    const struct virtio_net_hdr *vh)
{
	int kind;

	switch (vh->gso_type & ~VIRTIO_NET_HDR_GSO_ECN) {
	case VIRTIO_NET_HDR_GSO_TCPV4:
	case VIRTIO_NET_HDR_GSO_TCPV6:
		kind = IPIFC_GSO_TCP;
		break;
	case VIRTIO_NET_HDR_GSO_UDP_L4:
		kind = IPIFC_GSO_UDP;
		break;
	default:
		g->kind = 0;
		return -EINVAL;
	}
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
		g->kind = 0;
		return -EINVAL;
	}
	if (ipifc_gso_start(g, frame, len, kind, vh->gso_size,
	    vh->csum_start) < 0)
		return -EINVAL;
	g->vtype = vh->gso_type;
	return 0;
}

/*
 * A superframe: keep it and return its first frame, or 0 if it cannot
 * be cut; it then goes up whole, and the stack refuses it as over the
 * MTU (counted) as it would any other.
 */
static ssize_t
vnet_gso_first(struct ipifc_dev *d, uint8_t *buf, size_t len, const uint8_t *f,
    size_t n, const struct virtio_net_hdr *vh)
{
	if (d->gso == NULL && (d->gso = malloc(sizeof(*d->gso))) == NULL)
		return 0;
	if (ipifc_gso_vnet(d->gso, f, n, vh) < 0)
		return 0;
	return (ssize_t)ipifc_gso_next(d->gso, buf, len);
}

ssize_t
ipifc_vnet_frame(struct ipifc_dev *d, uint8_t *buf, size_t len,
    const uint8_t *f, size_t n, const struct virtio_net_hdr *vh)
{
	ssize_t r;

	if (n > len)
		return 0;
	if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE &&
	    (r = vnet_gso_first(d, buf, len, f, n, vh)) > 0)
		return r;
	if (f != buf)
		memcpy(buf, f, n);
	if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		cksum_finish(buf, n, vh);
	return (ssize_t)n;
}

int
ipifc_gso_pending(const struct ipifc_dev *d)
{
	return d->gso != NULL && d->gso->kind != 0;
}

void
ipifc_gso_skip(struct ipifc_gso *g, unsigned seg)
{
	size_t plen = g->len - g->hlen;

	if (g->kind == 0 || seg <= g->seg)
		return;
	if ((size_t)seg * g->mss >= plen) {
		g->kind = 0;
		return;
	}
	g->off = (size_t)seg * g->mss;
	g->seg = seg;
}

unsigned
ipifc_gso_count(const struct ipifc_gso *g)
{
	size_t plen = g->len - g->hlen;

	return (unsigned)((plen + g->mss - 1) / g->mss);
}

int
ipifc_dev_super(const struct ipifc_dev *d)
{
	return d->gso != NULL && d->gso->kind != 0 && d->gso->seg == 1;
}

/*
 * The forwarded frame o carries f1's IP packet: the same IP header but for
 * what a router changes (IPv4 TTL, checksum and options; IPv6 hop limit),
 * the same header length, and the same bytes after it.
 */
static int
same_packet(const uint8_t *f1, const uint8_t *o, size_t n, size_t l4)
{
	const uint8_t *a = f1 + ETH_HLEN, *b = o + ETH_HLEN;

	if (memcmp(f1 + 12, o + 12, 2) != 0)
		return 0;
	if ((a[0] >> 4) == 4) {
		/* RFC 791 3.1: version to fragment offset, protocol, addresses */
		if (a[0] != b[0] || memcmp(a + 1, b + 1, 7) != 0 ||
		    a[9] != b[9] || memcmp(a + 12, b + 12, 8) != 0)
			return 0;
	} else if (memcmp(a, b, 7) != 0 || memcmp(a + 8, b + 8, l4 -
	    ETH_HLEN - 8) != 0)
		return 0;	/* RFC 8200 3: all but the hop limit */
	return memcmp(f1 + l4, o + l4, n - l4) == 0;
}

size_t
ipifc_dev_super_build(const struct ipifc_dev *d, const uint8_t *f1,
    size_t n1, const uint8_t *o, size_t olen, uint8_t *hdr, size_t cap,
    const uint8_t **rest, size_t *restlen, struct virtio_net_hdr *vh)
{
	const struct ipifc_gso *g = d->gso;
	uint8_t *ip = hdr + ETH_HLEN;

	if (!ipifc_dev_super(d) || n1 != olen || n1 != g->hlen + g->mss ||
	    g->l4 > cap || !same_packet(f1, o, n1, g->l4))
		return 0;
	/* o's headers (addresses, TTL, options), then the rest as it came */
	memcpy(hdr, o, g->l4);
	*rest = g->sf + g->l4;
	*restlen = g->len - g->l4;
	if ((ip[0] >> 4) == 4) {
		ipifc_put16(ip + 2, (uint16_t)(g->len - ETH_HLEN));
		ipifc_put16(ip + 10, 0);
		ipifc_put16(ip + 10, ipifc_cksum_fold(ipifc_cksum_add(0, ip,
		    (size_t)(ip[0] & 0xf) * 4)));
	} else
		ipifc_put16(ip + 4, (uint16_t)(g->len - ETH_HLEN - IP6_HLEN));
	/*
	 * The TCP or UDP checksum field still holds the sum of the
	 * pseudo-header the sender left for offload: the addresses did not
	 * change, so each frame's sum is finished from it further on.
	 */
	memset(vh, 0, sizeof(*vh));
	vh->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	vh->gso_type = g->vtype;
	vh->hdr_len = (uint16_t)g->hlen;
	vh->gso_size = (uint16_t)g->mss;
	vh->csum_start = (uint16_t)g->l4;
	vh->csum_offset = g->kind == IPIFC_GSO_TCP ? TCP_CKSUMOFF :
	    UDP_CKSUMOFF;
	return g->l4;
}

void
ipifc_dev_super_sent(struct ipifc_dev *d, unsigned n)
{
	if (d->gso != NULL)
		ipifc_gso_skip(d->gso, n);
}

void
ipifc_vnet_iov(struct iovec iov[3], const struct virtio_net_hdr *vh,
    const uint8_t *hdr, size_t hlen, const uint8_t *rest, size_t restlen)
{
	iov[0].iov_base = (void *)vh;
	iov[0].iov_len = sizeof(*vh);
	iov[1].iov_base = (void *)hdr;
	iov[1].iov_len = hlen;
	iov[2].iov_base = (void *)rest;
	iov[2].iov_len = restlen;
}
