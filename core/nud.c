/*
 * Neighbor unreachability detection: the neighbor state machine of RFC
 * 4861 7.3, used for ARP as well (as Linux does).  One transition
 * function writes the state and its deadline; the medium sends the
 * solicitations (m->solicit) and the packets that waited.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"

static const char *statenames[] = {
	[IPIFC_NBR_INCOMPLETE] = "incomplete",
	[IPIFC_NBR_REACHABLE] = "reachable",
	[IPIFC_NBR_STALE] = "stale",
	[IPIFC_NBR_DELAY] = "delay",
	[IPIFC_NBR_PROBE] = "probe",
	[IPIFC_NBR_STATIC] = "static",
};

const char *
ipifc_nbr_statename(enum ipifc_nbr_state st)
{
	return statenames[st];
}

struct ipifc_nbr *
ipifc_nbr_lookup(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	int i;

	for (i = 0; i < ifc->nnbr; i++)
		if (ipifc_ip_eq(&ifc->nbrs[i].ip, ip))
			return &ifc->nbrs[i];
	return NULL;
}

void
ipifc_nbr_release(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	int i;

	for (i = 0; i < n->nqueue; i++)
		free(n->queue[i]);
	ifc->drops_nbrq += (uint64_t)n->nqueue;
	n->nqueue = 0;
	n->qbytes = 0;
}

void
ipifc_nbr_dropqueues(struct ipifc_ifc *ifc)
{
	int i;

	for (i = 0; i < ifc->nnbr; i++)
		ipifc_nbr_release(ifc, &ifc->nbrs[i]);
}

void
ipifc_nbr_clear(struct ipifc_ifc *ifc)
{
	int i;

	for (i = 0; i < ifc->nnbr; i++) {
		ipifc_nbr_unpublish(ifc, &ifc->nbrs[i]);
		ipifc_nbr_release(ifc, &ifc->nbrs[i]);
	}
	ifc->nnbr = 0;
}

static void
nbr_delete(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	int i = (int)(n - ifc->nbrs);

	ipifc_nbr_release(ifc, n);
	memmove(n, n + 1, (size_t)(ifc->nnbr - i - 1) * sizeof(*n));
	ifc->nnbr--;
}

/*
 * A new dynamic entry.  When the table is full the least recently used
 * stale entry gives way (RFC 4861 7.3.3 leaves the policy open), else the
 * oldest incomplete one, so that a scan of a connected prefix (RFC 6583)
 * cannot push out every neighbor that answers; with neither the request
 * fails and is counted.
 */
struct ipifc_nbr *
ipifc_nbr_create(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	struct ipifc_nbr *n, *victim = NULL;
	int i;

	if (ifc->nnbr == IPIFC_MAXNBR) {
		for (i = 0; i < ifc->nnbr; i++) {
			n = &ifc->nbrs[i];
			if (n->state == IPIFC_NBR_STALE &&
			    (victim == NULL || n->used < victim->used))
				victim = n;
		}
		for (i = 0; victim == NULL && i < ifc->nnbr; i++)
			if (ifc->nbrs[i].state == IPIFC_NBR_INCOMPLETE)
				victim = &ifc->nbrs[i];	/* the oldest */
		if (victim == NULL) {
			ifc->drops_nbr++;
			return NULL;
		}
		nbr_delete(ifc, victim);
	}
	n = &ifc->nbrs[ifc->nnbr++];
	memset(n, 0, sizeof(*n));
	n->ip = *ip;
	n->state = IPIFC_NBR_INCOMPLETE;
	n->deadline = UINT64_MAX;
	n->used = ifc->stack->now;
	return n;
}

/* RFC 4861 6.3.2: ReachableTime is random in 0.5 .. 1.5 * BaseReachableTime. */
static uint64_t
reachable_time(struct ipifc_ifc *ifc)
{
	uint32_t base = ifc->reachable;

	return base / 2 + ipifc_random(ifc->stack) % (base + 1);
}

/* Send what waited for this neighbor, in order. */
static void
flush_queue(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	struct ipifc_pkt *q[IPIFC_NBR_QLEN];
	struct ipifc_ip ip = n->ip;
	int i, nq = n->nqueue;

	memcpy(q, n->queue, sizeof(q));
	n->nqueue = 0;
	n->qbytes = 0;
	for (i = 0; i < nq; i++) {
		ifc->m->bwrite(ifc, q[i]->data, q[i]->len, &ip);
		free(q[i]);
	}
}

void
ipifc_nbr_transition(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
    enum ipifc_nbr_state state)
{
	uint64_t now = ifc->stack->now;

	n->state = state;
	n->probes = 0;
	switch (state) {
	case IPIFC_NBR_INCOMPLETE:
	case IPIFC_NBR_PROBE:
		n->deadline = now + ifc->retrans;
		break;
	case IPIFC_NBR_REACHABLE:
		n->deadline = now + reachable_time(ifc);
		break;
	case IPIFC_NBR_DELAY:
		n->deadline = now + IPIFC_DELAY_FIRST_PROBE;
		break;
	case IPIFC_NBR_STALE:
	case IPIFC_NBR_STATIC:
		n->deadline = UINT64_MAX;
		break;
	}
	if (state != IPIFC_NBR_INCOMPLETE && n->nqueue > 0)
		flush_queue(ifc, n);
}

static void
enqueue(struct ipifc_ifc *ifc, struct ipifc_nbr *n, const uint8_t *pkt,
    size_t len)
{
	struct ipifc_pkt *p;

	if (len > IPIFC_NBR_QBYTES) {
		ifc->drops_nbrq++;
		return;
	}
	while (n->nqueue == IPIFC_NBR_QLEN ||
	    n->qbytes + len > IPIFC_NBR_QBYTES) {
		/* the oldest goes, as RFC 4861 7.2.2 suggests */
		n->qbytes -= n->queue[0]->len;
		free(n->queue[0]);
		memmove(&n->queue[0], &n->queue[1],
		    (size_t)(n->nqueue - 1) * sizeof(n->queue[0]));
		n->nqueue--;
		ifc->drops_nbrq++;
	}
	if ((p = malloc(sizeof(*p) + len)) == NULL) {
		ifc->drops_nbrq++;
		return;
	}
	p->len = len;
	memcpy(p->data, pkt, len);
	n->queue[n->nqueue++] = p;
	n->qbytes += len;
}

int
ipifc_nbr_resolve(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *pkt, size_t len, uint8_t mac[6])
{
	struct ipifc_nbr *n;

	if ((n = ipifc_nbr_lookup(ifc, ip)) == NULL) {
		if ((n = ipifc_nbr_create(ifc, ip)) == NULL) {
			ifc->drops_nbrq++;
			return 0;
		}
		enqueue(ifc, n, pkt, len);
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_INCOMPLETE);
		n->probes = 1;
		ifc->m->solicit(ifc, ip, NULL);
		return 0;
	}
	n->used = ifc->stack->now;
	switch (n->state) {
	case IPIFC_NBR_INCOMPLETE:
		enqueue(ifc, n, pkt, len);
		return 0;
	case IPIFC_NBR_STALE:
		/* RFC 4861 7.3.3: the first use of a stale entry */
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_DELAY);
		break;
	default:
		break;
	}
	memcpy(mac, n->mac, 6);
	return 1;
}

/*
 * What a solicitation, advertisement or ARP message taught us.  A new mac
 * moves the entry to state (RFC 4861 7.2.3, 7.2.5); the same mac moves it
 * only when state is reachable (a confirmation).  create: make the entry
 * if there is none.
 */
void
ipifc_nbr_learn(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *mac, enum ipifc_nbr_state state, int create)
{
	struct ipifc_nbr *n;
	int changed;

	if ((n = ipifc_nbr_lookup(ifc, ip)) == NULL) {
		if (!create || (n = ipifc_nbr_create(ifc, ip)) == NULL)
			return;
		memcpy(n->mac, mac, 6);
		ipifc_nbr_transition(ifc, n, state);
		return;
	}
	if (n->state == IPIFC_NBR_STATIC)
		return;
	changed = memcmp(n->mac, mac, 6) != 0;
	if (n->state == IPIFC_NBR_INCOMPLETE || changed ||
	    state == IPIFC_NBR_REACHABLE) {
		memcpy(n->mac, mac, 6);
		ipifc_nbr_transition(ifc, n, state);
	}
}

/* Resolution failed: what waited is unreachable (RFC 4861 7.2.2). */
static void
unreachable(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_pkt *q[IPIFC_NBR_QLEN];
	int i, nq = n->nqueue;

	memcpy(q, n->queue, sizeof(q));
	n->nqueue = 0;
	n->qbytes = 0;
	nbr_delete(ifc, n);
	for (i = 0; i < nq; i++) {
		ifc->drops_nbrq++;
		if (s->hooks != NULL && s->hooks->unreachable != NULL)
			s->hooks->unreachable(ifc, q[i]->data, q[i]->len);
		free(q[i]);
	}
}

static void
nbr_timer(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	switch (n->state) {
	case IPIFC_NBR_INCOMPLETE:
		if (n->probes >= IPIFC_MAX_MULTICAST_SOLICIT) {
			unreachable(ifc, n);
			return;
		}
		n->probes++;
		n->deadline = ifc->stack->now + ifc->retrans;
		ifc->m->solicit(ifc, &n->ip, NULL);
		break;
	case IPIFC_NBR_REACHABLE:
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_STALE);
		break;
	case IPIFC_NBR_DELAY:
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_PROBE);
		n->probes = 1;
		ifc->m->solicit(ifc, &n->ip, n->mac);
		break;
	case IPIFC_NBR_PROBE:
		if (n->probes >= IPIFC_MAX_UNICAST_SOLICIT) {
			unreachable(ifc, n);
			return;
		}
		n->probes++;
		n->deadline = ifc->stack->now + ifc->retrans;
		ifc->m->solicit(ifc, &n->ip, n->mac);
		break;
	default:
		n->deadline = UINT64_MAX;
		break;
	}
}

void
ipifc_nbr_timers(struct ipifc_stack *s)
{
	struct ipifc_ifc *ifc;
	int i, j;

	for (i = 0; i < IPIFC_MAXIFC; i++) {
		if ((ifc = s->ifc[i]) == NULL)
			continue;
		/* backwards: a timer may delete its entry */
		for (j = ifc->nnbr - 1; j >= 0; j--) {
			if (j < ifc->nnbr && s->now >= ifc->nbrs[j].deadline)
				nbr_timer(ifc, &ifc->nbrs[j]);
		}
	}
}

uint64_t
ipifc_nbr_deadline(const struct ipifc_stack *s)
{
	const struct ipifc_ifc *ifc;
	uint64_t min = UINT64_MAX;
	int i, j;

	for (i = 0; i < IPIFC_MAXIFC; i++) {
		if ((ifc = s->ifc[i]) == NULL)
			continue;
		for (j = 0; j < ifc->nnbr; j++)
			if (ifc->nbrs[j].deadline < min)
				min = ifc->nbrs[j].deadline;
	}
	return min;
}
