/*
 * Simulated L2 segments: the `sim:SEGMENT` devices of the scenario
 * runner.  Every stack of one process that binds an interface to
 * sim:NAME is attached to the same segment NAME of one ipifc_simnet.
 *
 * A segment behaves as a hub: a frame sent by one interface is queued,
 * stamped with the sender's virtual time, and later handed, in FIFO
 * order, to every OTHER interface attached to the segment with
 * ipifc_input.  The segment does not filter: the receiving medium does
 * (ether drops frames for other MACs).  Nothing moves until the owner
 * calls ipifc_simnet_deliver, so an event loop decides when frames arrive.
 *
 * A segment carries one kind of frame, fixed by the first interface that
 * attaches: Ethernet frames from an ether interface (open is given a mac
 * buffer), raw IP packets from a pkt interface (open is given mac NULL).
 * The kind stays while an interface is attached or a capture is open; an
 * interface of the other kind is refused with -EMEDIUMTYPE.  A capture is
 * a pcap file of LINKTYPE_ETHERNET or LINKTYPE_RAW accordingly (one
 * started before any interface attached is reopened, still empty, when
 * the first one does).  It holds every frame the queue accepted, stamped
 * with the time it was sent, including those the storm guard drops later.
 */
#ifndef IPIFC_SIMSEG_H
#define IPIFC_SIMSEG_H

#include <stddef.h>
#include <stdint.h>

#include "ipifc.h"

#define IPIFC_SIMSEG_MAXSEGS	64	/* segments per net */
#define IPIFC_SIMSEG_NAMELEN	32	/* segment name, including NUL */
#define IPIFC_SIMSEG_MAXPORTS	64	/* interfaces attached to a segment */
#define IPIFC_SIMSEG_MAXIFC	4096	/* interface numbers per stack (the
					   stack's IPIFC_MAXIFC) */
#define IPIFC_SIMSEG_MAXQUEUE	1024	/* frames queued on a segment */
#define IPIFC_SIMSEG_MAXQBYTES	(4 << 20)	/* bytes queued on a segment */
#define IPIFC_SIMSEG_MAXFRAME	(65535 + 14)	/* largest IP packet + ether */
#define IPIFC_SIMSEG_STORM	10000	/* frames delivered per segment per
					   virtual ms; the rest are dropped */

struct ipifc_simnet;		/* the segments of one process */
struct ipifc_simhost;		/* one stack's attachment: the ops' arg */

/* Per-segment counters; every drop is counted in one of them. */
struct ipifc_simseg_stats {
	uint64_t sent;		/* frames accepted onto the queue */
	uint64_t delivered;	/* frames handed to the receivers */
	uint64_t drop_full;	/* queue full (frames or bytes) */
	uint64_t drop_storm;	/* over IPIFC_SIMSEG_STORM in one ms */
	uint64_t drop_big;	/* empty or over IPIFC_SIMSEG_MAXFRAME */
	int	queued;		/* frames waiting now */
	int	ports;		/* interfaces attached now */
	int	linktype;	/* IPIFC_PCAP_ETHERNET, _RAW, or 0: none yet */
	int	capturing;
};

struct ipifc_simnet *ipifc_simnet_new(void);
/*
 * Free every segment, queued frames and captures.  Returns 0 or the
 * first capture's close error (negative errno); every host must have
 * been freed first.
 */
int	ipifc_simnet_free(struct ipifc_simnet *n);

/*
 * The link operations of one stack on n: pass the result as the arg of
 * ipifc_set_link(s, &ipifc_simseg_ops, host).  NULL with errno on
 * failure.  Free after the stack (its interfaces detach then, if the
 * stack did not close them).
 */
struct ipifc_simhost *ipifc_simhost_new(struct ipifc_simnet *n,
	    struct ipifc_stack *s);
void	ipifc_simhost_free(struct ipifc_simhost *h);

/*
 * A host that is not a stack (a test's receiver, a frame injector): the
 * link operations work the same, frames for it go to input, and its
 * frames are stamped with clock(arg).
 */
typedef void ipifc_simhost_input_fn(void *arg, int ifc, const uint8_t *frame,
	    size_t len);
typedef uint64_t ipifc_simhost_clock_fn(void *arg);
struct ipifc_simhost *ipifc_simhost_new_fn(struct ipifc_simnet *n,
	    ipifc_simhost_input_fn *input, ipifc_simhost_clock_fn *clock,
	    void *arg);

/*
 * open accepts "sim:NAME" (-ENODEV otherwise, -ENAMETOOLONG, -ENOSPC
 * when the segments or the segment's ports are all taken, -EMEDIUMTYPE)
 * and leaves mac alone: the stack keeps its deterministic MAC.  send
 * copies the frame onto the queue: -ENOBUFS when the queue is full (a
 * hub has no back pressure: the frame is dropped), -EMSGSIZE when it is
 * empty or too big, -ENOTCONN when ifc is on no segment.  ctl knows
 * `capture FILE` and `capture off`, which capture the whole segment of
 * the interface (as ipifc_simnet_capture); other messages are unknown.
 */
extern const struct ipifc_link_ops ipifc_simseg_ops;

/*
 * Deliver every frame queued at or before now, oldest first, and the
 * frames those cause in turn, until no frame at or before now is left.
 * The storm guard bounds the work.  Returns the frames delivered.
 */
uint64_t ipifc_simnet_deliver(struct ipifc_simnet *n, uint64_t now);
/* The time of the oldest queued frame, UINT64_MAX if none. */
uint64_t ipifc_simnet_next(const struct ipifc_simnet *n);

/*
 * Write every frame sent on segment name ("NAME" or "sim:NAME", made if
 * new) from now on to path, replacing the capture it had; path NULL
 * stops.  0 or a negative errno; stopping returns the capture's first
 * write error.
 */
int	ipifc_simnet_capture(struct ipifc_simnet *n, const char *name,
	    const char *path);
/* 0, or -ENOENT if there is no segment name ("NAME" or "sim:NAME"). */
int	ipifc_simnet_stats(const struct ipifc_simnet *n, const char *name,
	    struct ipifc_simseg_stats *st);

#endif
