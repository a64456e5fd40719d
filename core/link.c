/*
 * The link under an interface, the last steps before the backend: a frame
 * passes the shaper (core/shaper.c), then the backend takes it or, busy,
 * leaves it in a bounded FIFO until it says the link is writable again;
 * the backend also reports carrier, the running flag.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

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

void
ipifc_ifc_transmit(struct ipifc_ifc *ifc, const uint8_t *frame, size_t len)
{
	if (!ipifc_ifc_up(ifc)) {
		ifc->cnt.errout++;	/* a down interface sends nothing */
		return;
	}
	if (!ipifc_shaper_admit(ifc, len))
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

int
ipifc_link_shaped(struct ipifc_stack *s, int num)
{
	struct ipifc_ifc *ifc;

	return (ifc = ipifc_ifc_bynum(s, num)) != NULL && ifc->speed != 0;
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
