/*
 * Segmentation of a superframe: one TCP or UDP datagram larger than the
 * link's MTU that a Linux sender hands over whole, leaving the cut to
 * offload (GSO), as a veth peer does.  What the sender would have put on
 * a wire is rebuilt here, frame by frame: the same Ethernet and IP
 * headers with their lengths (and the IPv4 identification, one more each
 * frame) set again, TCP's sequence number and flags, UDP's length, and
 * the checksums computed.
 */
#ifndef IPIFC_GSO_H
#define IPIFC_GSO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "dev.h"

enum {
	IPIFC_GSO_TCP = 1,	/* TCP over IPv4 or IPv6 */
	IPIFC_GSO_UDP,		/* UDP datagrams of mss bytes */
};

struct ipifc_gso {
	const uint8_t *sf;	/* the superframe: frame, or the caller's */
	size_t	len;		/* its length */
	size_t	l4, hlen;	/* where its TCP or UDP header starts, ends */
	size_t	mss;		/* payload bytes a frame */
	size_t	off;		/* the next frame's payload, from hlen */
	unsigned seg;		/* the next frame's number */
	int	kind;		/* IPIFC_GSO_*, 0: nothing left */
	uint8_t	vtype;		/* the virtio-net gso_type it came with */
	uint8_t	frame[IPIFC_DEV_MAXFRAME];	/* where one may be read */
};

/* A superframe a link without offload sends: cut into out, frame by frame. */
struct ipifc_gsocut {
	struct ipifc_gso g;
	uint8_t	out[IPIFC_DEV_MAXFRAME];
};

/*
 * Start on the superframe at frame (Ethernet, IPv4 or IPv6 with its
 * extension headers, then at l4 the TCP or UDP header), which is not
 * copied: it must stay as it is until the last frame is built (read it
 * into g->frame, or keep it where it is).  0, or -EINVAL for one whose
 * headers do not hold together.
 */
int	ipifc_gso_start(struct ipifc_gso *g, const uint8_t *frame,
	    size_t len, int kind, size_t mss, size_t l4);
/* Build the next frame into out (cap bytes): its length, or 0: done. */
size_t	ipifc_gso_next(struct ipifc_gso *g, uint8_t *out, size_t cap);

struct virtio_net_hdr;

/*
 * ipifc_gso_start for a superframe as its virtio-net header vh says
 * (TCP or UDP, its segment size and where its TCP or UDP header starts):
 * 0, or -EINVAL for a kind of superframe not cut here.
 */
int	ipifc_gso_vnet(struct ipifc_gso *g, const uint8_t *frame, size_t len,
	    const struct virtio_net_hdr *vh);

/* 1: d->gso holds frames of a superframe not handed out yet. */
int	ipifc_gso_pending(const struct ipifc_dev *d);
/* Skip to frame seg: frames before it went out another way. */
void	ipifc_gso_skip(struct ipifc_gso *g, unsigned seg);
/* The frames a superframe of len bytes makes. */
unsigned ipifc_gso_count(const struct ipifc_gso *g);

/*
 * A frame of n bytes at f as its virtio-net header vh describes it, into
 * buf (len bytes; f may be buf): a checksum the sender left to offload is
 * completed; a superframe is kept in d->gso (made the first time) and its
 * first frame returned, the rest by ipifc_gso_next; one that cannot be
 * cut goes up whole, and the stack refuses it as over the MTU (counted).
 * The frame's length, or 0 if it does not fit buf.
 */
ssize_t	ipifc_vnet_frame(struct ipifc_dev *d, uint8_t *buf, size_t len,
	    const uint8_t *f, size_t n, const struct virtio_net_hdr *vh);

/*
 * The three pieces of a superframe sent whole: its virtio-net header vh,
 * its new headers (hlen bytes at hdr), then the rest where it lies.
 */
void	ipifc_vnet_iov(struct iovec iov[3], const struct virtio_net_hdr *vh,
	    const uint8_t *hdr, size_t hlen, const uint8_t *rest,
	    size_t restlen);

#endif
