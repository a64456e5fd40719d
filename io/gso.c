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
	if (len > sizeof(g->frame) || len < ETH_HLEN + IP6_HLEN || mss == 0)
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
	memcpy(g->frame, frame, len);
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
	memcpy(out, g->frame, g->hlen);
	memcpy(out + g->hlen, g->frame + g->hlen + g->off, n);
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
 * RFC 768: a UDP checksum that comes out 0 goes as all ones, which is the
 * same value to TCP.
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
	ipifc_put16(frame + start + off, c == 0 ? 0xffff : c);
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
		return 0;
	}
	if (!(vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return 0;
	if (d->gso == NULL && (d->gso = malloc(sizeof(*d->gso))) == NULL)
		return 0;
	if (ipifc_gso_start(d->gso, f, n, kind, vh->gso_size,
	    vh->csum_start) < 0)
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
