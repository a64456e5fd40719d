/*
 * Real links: the Linux devices behind an interface's DEV, for ipifcd.
 *
 *	tap:NAME	a TAP device (Ethernet frames), made if absent
 *	tun:NAME	a TUN device (raw IPv4/IPv6 packets), made if absent
 *	packet:IFNAME	an existing Linux interface, through an AF_PACKET
 *			socket (Ethernet frames)
 *	xdp:IFNAME	the same through an AF_XDP socket (xdp.c), or
 *			through AF_PACKET where AF_XDP cannot be had
 *
 * Each open device is one non-blocking descriptor to poll for reading;
 * frames are read and written whole.  Opening needs CAP_NET_ADMIN (TUN,
 * TAP, bringing a link up) or CAP_NET_RAW (AF_PACKET): in ipifcd only its
 * privileged parent opens, and the stack process adopts the descriptor.
 * The carrier of a packet: link is ipifc_netif_running of its name.
 *
 * None of them gives the stack a MAC: the Linux side of a TAP device and
 * the owner of an interface opened with packet: are other hosts on the
 * link, with their own addresses, so the stack keeps its own (or the one
 * `lladdr` sets).  packet: puts the interface in promiscuous mode for as
 * long as it is open so that frames for that MAC reach us.
 *
 * Only io/ and daemon/ include Linux headers.
 */
#ifndef IPIFC_DEV_H
#define IPIFC_DEV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define IPIFC_DEV_NAMELEN	16	/* IFNAMSIZ, including NUL */
#define IPIFC_DEV_MAXFRAME	(65535 + 14 + 4)	/* IP packet, ether, VLAN */

struct ipifc_dev;
struct ipifc_gso;
struct ipifc_xsk;
struct ipifc_pktq;
struct ipifc_gsocut;
struct virtio_net_hdr;

/* What a device dropped that the stack never saw (ipifc_dev_counters). */
struct ipifc_dev_counters {
	uint64_t kerneldrops;		/* frames the kernel dropped for us */
	uint64_t txdrops;		/* staged frames the kernel refused */
	uint64_t txbatches;		/* flushes that sent frames */
	uint64_t txframes;		/* frames they sent */
	uint64_t txmax;			/* the most frames one flush sent */
};

/* One kind of device: those of tap.c, tun.c, packet.c and xdp.c. */
struct ipifc_devops {
	const char *prefix;		/* "tap:" */
	int	ether;			/* Ethernet frames (1) or raw IP (0) */
	int	(*open)(struct ipifc_dev *d);
	void	(*close)(struct ipifc_dev *d);
	/* a frame's length, 0: nothing for us (skip it), or -errno */
	ssize_t	(*recv)(struct ipifc_dev *d, uint8_t *buf, size_t len);
	/* 1: recv has frames without reading fd (NULL: never) */
	int	(*pending)(const struct ipifc_dev *d);
	/* busy polling: ipifc_dev_poll (NULL: the device cannot be) */
	int	(*poll)(struct ipifc_dev *d);
	int	(*send)(struct ipifc_dev *d, const uint8_t *frame, size_t len);
	/* adopted descriptors to set up (NULL: nothing to do): 0 or -errno */
	int	(*adopt)(struct ipifc_dev *d);
	/* words of its own for the interface's status (NULL: none) */
	void	(*status)(const struct ipifc_dev *d, char *buf, size_t len);
	/* NULL: send sends at once; else it stages, and flush sends */
	int	(*flush)(struct ipifc_dev *d);
	void	(*counters)(struct ipifc_dev *d, struct ipifc_dev_counters *c);
	/* a superframe to send whole, now (NULL: the link cannot) */
	int	(*send_super)(struct ipifc_dev *d, const uint8_t *hdr,
		    size_t hlen, const uint8_t *rest, size_t restlen,
		    const struct virtio_net_hdr *vh);
};

struct ipifc_dev {
	const struct ipifc_devops *ops;
	char	name[IPIFC_DEV_NAMELEN];	/* the Linux interface */
	int	fd;
	int	ifindex;		/* packet: the bound interface */
	int	created;		/* tap/tun: we made the device */
	struct ipifc_gso *gso;		/* tap, packet: a superframe being cut */
	struct ipifc_gsocut *cut;	/* one sent cut (ipifc_dev_send_super) */
	int	fd2;			/* xdp: the UMEM's memfd, or -1 */
	struct ipifc_xsk *xsk;		/* xdp: the rings, once mapped */
	int	fellback;		/* xdp: -errno of AF_XDP, now packet */
	struct ipifc_pktq *pq;		/* packet: the batches (packet.c) */
};

/*
 * Open DEV ("tap:NAME" ...): 0 with *out set, or a negative errno
 * (-ENODEV for a prefix that is none of these).  The mediums check that
 * the kind fits them (ether: tap, packet, xdp; pkt: tun).
 */
int	ipifc_dev_open(const char *dev, struct ipifc_dev **out);
/*
 * The same device opened elsewhere (ipifcd's privileged parent): take fd
 * (and fd2, the second an xdp: device has, else -1), the ifindex and
 * created flag that open set there.  An xdp: device passed with one
 * descriptor is the AF_PACKET socket it fell back to.  0 or a negative
 * errno; fd and fd2 are the caller's to close on failure.
 */
int	ipifc_dev_adopt(const char *dev, int fd, int fd2, int ifindex,
	    int created, struct ipifc_dev **out);
/* Close; a TAP or TUN device we made goes away with it. */
void	ipifc_dev_close(struct ipifc_dev *d);
int	ipifc_dev_fd(const struct ipifc_dev *d);
/* xdp: the second descriptor (the UMEM's), else -1. */
int	ipifc_dev_fd2(const struct ipifc_dev *d);
/* What the device is now: "tap", "tun", "packet" or "xdp". */
const char *ipifc_dev_kind(const struct ipifc_dev *d);
/*
 * xdp: opened with AF_PACKET since AF_XDP could not be had: the negative
 * errno it failed with; else 0.
 */
int	ipifc_dev_fellback(const struct ipifc_dev *d);
/* The kind and the device's own counters, for the status line. */
void	ipifc_dev_status(const struct ipifc_dev *d, char *buf, size_t len);
int	ipifc_dev_ether(const struct ipifc_dev *d);
const char *ipifc_dev_name(const struct ipifc_dev *d);
int	ipifc_dev_created(const struct ipifc_dev *d);
/*
 * The Linux interface whose carrier is the link's (packet:), or 0: the
 * device is ours and has carrier while it is open (tap:, tun:).
 */
int	ipifc_dev_ifindex(const struct ipifc_dev *d);
/*
 * Read one frame into buf: its length; 0: a frame not for us (one we
 * sent, a truncated one), read again; -EAGAIN: nothing waiting; another
 * negative errno: the device failed.
 */
ssize_t	ipifc_dev_recv(struct ipifc_dev *d, uint8_t *buf, size_t len);
/*
 * 1: more frames wait in the device, read without the descriptor being
 * readable (the rest of a superframe being cut, or of the batch one
 * recvmmsg took, packet:); read again.
 */
int	ipifc_dev_pending(const struct ipifc_dev *d);
/*
 * Busy polling (ipifcd -b): 1 when recv would return a frame now, 0 when
 * none waits, as the memory the device shares with the kernel shows it
 * (a packet: receive ring's next slot, an xdp: rx ring), with no system
 * call; -1 when only the descriptor can tell (tap:, tun:, a packet:
 * socket without a ring or not read yet).
 */
int	ipifc_dev_poll(struct ipifc_dev *d);
/*
 * Send one frame: 0, -EAGAIN when the device is busy, or -errno.  On a
 * device that batches (ipifc_dev_batched), 0 means staged: the frame goes
 * with the others at the next ipifc_dev_flush, which the caller makes
 * before it waits for events again.
 */
int	ipifc_dev_send(struct ipifc_dev *d, const uint8_t *frame, size_t len);
int	ipifc_dev_batched(const struct ipifc_dev *d);
/*
 * Send what is staged: the number of frames sent (a frame the kernel
 * refuses is dropped and counted in txdrops), or -EAGAIN: the device is
 * busy, the rest stays staged and send says -EAGAIN until a flush gets
 * it all out.  0 on a device that does not batch.
 */
int	ipifc_dev_flush(struct ipifc_dev *d);
/*
 * Superframes (io/gso.c): a TCP or UDP superframe read from a link with
 * segmentation offload (tap:, packet:) goes to the stack as its first
 * frame; if the stack forwards that frame at once, the whole superframe
 * goes out in its place, with the forwarded frame's headers, and the
 * stack never sees the rest.
 *
 * 1: the frame recv just returned is the first of a superframe whose
 * other frames wait (ipifc_dev_pending).
 */
int	ipifc_dev_super(const struct ipifc_dev *d);
/*
 * o (olen bytes) is a frame the stack sends now, f1 (n1 bytes) the first
 * frame of d's superframe (ipifc_dev_super).  If o is f1 forwarded (the
 * same packet, but for the link header, the TTL or hop limit and IPv4
 * options), the superframe to send is o's headers, built into hdr (cap
 * bytes) with the superframe's lengths, then *rest (*restlen bytes, d's
 * until its next recv): the length of the headers, and in vh the
 * virtio-net header that asks the link to cut it as the sender asked.
 * Else 0.
 */
size_t	ipifc_dev_super_build(const struct ipifc_dev *d, const uint8_t *f1,
	    size_t n1, const uint8_t *o, size_t olen, uint8_t *hdr,
	    size_t cap, const uint8_t **rest, size_t *restlen,
	    struct virtio_net_hdr *vh);
/*
 * Send such a superframe: whole on a link that takes them (send_super),
 * else cut here and sent frame by frame.  The frames it stands for that
 * went (all for one sent whole; fewer than all when the link got busy
 * half way), or -EAGAIN (busy: nothing went) or another -errno.
 */
int	ipifc_dev_send_super(struct ipifc_dev *d, const uint8_t *hdr,
	    size_t hlen, const uint8_t *rest, size_t restlen,
	    const struct virtio_net_hdr *vh);
/* 1: the link takes superframes whole (else send_super cuts them). */
int	ipifc_dev_takes_super(const struct ipifc_dev *d);
/* n frames of d's superframe went out: recv hands out only the rest. */
void	ipifc_dev_super_sent(struct ipifc_dev *d, unsigned n);
/* The device's own drop counters (zero where it has none). */
void	ipifc_dev_counters(struct ipifc_dev *d, struct ipifc_dev_counters *c);

#endif
