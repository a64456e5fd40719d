/*
 * Output shaping and the send queue: the last steps before the backend.
 *
 * The seed's token bucket: the load drains at speed/8000 bytes per ms;
 * after more than a second idle it starts again from 0; a packet is
 * dropped (and counted) when the load before it already exceeds the burst,
 * max(delay * speed / 8000, MTU).  Then the backend takes the frame, or,
 * busy, leaves it in a bounded FIFO until it is writable again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/*
 * The load is kept in bytes * 8000 (bit-milliseconds), so that what
 * drains in a millisecond, speed/8000 bytes, loses no fraction.
 */
static int
shaper_admit(struct ipifc_ifc *ifc, size_t len)
{
	uint64_t now = ifc->stack->now, idle, drained;

	if (ifc->speed == 0)
		return 1;
	idle = now - ifc->lastsend;
	if (idle > 1000)
		ifc->load = 0;
	else {
		drained = idle * ifc->speed;
		ifc->load = ifc->load > drained ? ifc->load - drained : 0;
	}
	ifc->lastsend = now;
	if (ifc->load > ipifc_ifc_burst(ifc) * 8000) {
		ifc->drops_shaper++;
		return 0;
	}
	ifc->load += (uint64_t)len * 8000;
	return 1;
}

static void
sendq_put(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	struct ipifc_pkt *p;

	if (ifc->nsendq == IPIFC_SENDQ ||
	    (p = malloc(sizeof(*p) + len)) == NULL) {
		ifc->drops_sendq++;
		return;
	}
	p->len = len;
	memcpy(p->data, frame, len);
	ifc->sendq[(ifc->sendqhead + ifc->nsendq) % IPIFC_SENDQ] = p;
	ifc->nsendq++;
}

/* 1: gone (sent or failed), 0: the backend is busy. */
static int
backend_send(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	struct ipifc_stack *s = ifc->stack;
	int rc;

	if (s->link.send == NULL) {
		ifc->cnt.errout++;
		return 1;
	}
	rc = s->link.send(s->linkarg, ifc->num, frame, len);
	if (rc == -EAGAIN)
		return 0;
	if (rc < 0)
		ifc->cnt.errout++;
	else
		ifc->cnt.pktout++;
	return 1;
}

/* A new speed starts from an empty bucket, as plan9's ipifc does. */
void
ipifc_shaper_speed(struct ipifc_ifc *ifc, uint64_t speed)
{
	ifc->speed = speed;
	ifc->load = 0;
	ifc->lastsend = ifc->stack->now;
}

void
ipifc_ifc_transmit(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	if (!ipifc_ifc_up(ifc)) {
		ifc->cnt.errout++;	/* a down interface sends nothing */
		return;
	}
	if (!shaper_admit(ifc, len))
		return;
	if (ifc->nsendq > 0 || !backend_send(ifc, frame, len))
		sendq_put(ifc, frame, len);	/* keep the order */
}

void
ipifc_ifc_dropsendq(struct ipifc_ifc *ifc)
{
	while (ifc->nsendq > 0) {
		free(ifc->sendq[ifc->sendqhead]);
		ifc->sendqhead = (ifc->sendqhead + 1) % IPIFC_SENDQ;
		ifc->nsendq--;
		ifc->drops_sendq++;
	}
	ifc->sendqhead = 0;
}

void
ipifc_link_writable(struct ipifc_stack *s, int num)
{
	struct ipifc_ifc *ifc;
	struct ipifc_pkt *p;

	if ((ifc = ipifc_ifc_bynum(s, num)) == NULL)
		return;
	while (ifc->nsendq > 0) {
		p = ifc->sendq[ifc->sendqhead];
		if (!backend_send(ifc, p->data, p->len))
			return;
		free(p);
		ifc->sendqhead = (ifc->sendqhead + 1) % IPIFC_SENDQ;
		ifc->nsendq--;
	}
}

void
ipifc_carrier(struct ipifc_stack *s, int num, int up)
{
	struct ipifc_ifc *ifc;
	unsigned old;

	if ((ifc = ipifc_ifc_bynum(s, num)) == NULL)
		return;
	old = ifc->flags;
	if (up)
		ifc->flags |= IPIFC_F_RUNNING;
	else
		ifc->flags &= ~IPIFC_F_RUNNING;
	if (ifc->flags != old)
		ipifc_ifc_flags_event(ifc);
}
