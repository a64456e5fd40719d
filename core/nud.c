/*
 * Neighbor unreachability detection: the neighbor state machine of RFC
 * 4861 7.3, used for ARP as well (as Linux does).  One transition
 * function writes the state and its deadline; the medium sends the
 * solicitations (m->solicit) and the packets that waited.
 */
#include <limits.h>
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

static unsigned
bucket(const struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	return ipifc_ip_hash(ifc->stack->hashkey, ip) & (ifc->nbrhsize - 1);
}

struct ipifc_nbr *
ipifc_nbr_lookup(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	struct ipifc_nbr *n;

	/* a stream to one neighbor skips the keyed hash */
	if ((n = ifc->nbrlast) != NULL && ipifc_ip_same(&n->ip, ip))
		return n;
	if (ifc->nbrhash == NULL)
		return NULL;
	for (n = ifc->nbrhash[bucket(ifc, ip)]; n != NULL; n = n->hnext)
		if (ipifc_ip_same(&n->ip, ip))
			return ifc->nbrlast = n;
	return NULL;
}

/* Keep at most one entry per bucket on average: double when over. */
static int
rehash(struct ipifc_ifc *ifc)
{
	struct ipifc_nbr **h, *n;
	unsigned size = ifc->nbrhsize ? ifc->nbrhsize * 2 : 16, b;

	if ((h = calloc(size, sizeof(*h))) == NULL)
		return -1;
	free(ifc->nbrhash);
	ifc->nbrhash = h;
	ifc->nbrhsize = size;
	TAILQ_FOREACH(n, &ifc->nbrs, link) {
		b = bucket(ifc, &n->ip);
		n->hnext = h[b];
		h[b] = n;
	}
	return 0;
}

static void
unstranger(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	if (n->stranger)
		TAILQ_REMOVE(&ifc->strangers, n, slink);
	n->stranger = 0;
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
	struct ipifc_nbr *n;

	TAILQ_FOREACH(n, &ifc->nbrs, link)
		ipifc_nbr_release(ifc, n);
}

/* Unlink and free an entry (its waiting packets are dropped and counted). */
void
ipifc_nbr_delete(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	struct ipifc_nbr **pp;

	ipifc_nbr_release(ifc, n);
	for (pp = &ifc->nbrhash[bucket(ifc, &n->ip)]; *pp != n;
	    pp = &(*pp)->hnext)
		;
	*pp = n->hnext;
	if (ifc->nbrlast == n)
		ifc->nbrlast = NULL;
	unstranger(ifc, n);
	TAILQ_REMOVE(&ifc->nbrs, n, link);
	ifc->nnbr--;
	free(n);
}

void
ipifc_nbr_clear(struct ipifc_ifc *ifc)
{
	struct ipifc_nbr *n;

	while ((n = TAILQ_FIRST(&ifc->nbrs)) != NULL) {
		ipifc_nbr_unpublish(ifc, n);
		ipifc_nbr_delete(ifc, n);
	}
	free(ifc->nbrhash);
	ifc->nbrhash = NULL;
	ifc->nbrhsize = 0;
}

/*
 * A new entry.  When the table is full (RFC 4861 7.3.3 leaves the policy
 * open) the oldest entry a stranger's message made and nothing used goes
 * first, so that a flood of solicitations from made-up sources (RFC 6583)
 * costs one step per message and never pushes out a neighbor in use; then
 * the least recently used stale entry, then the oldest incomplete one.
 * Static, published and busy entries never go: with no victim the request
 * fails and is counted.
 */
struct ipifc_nbr *
ipifc_nbr_create(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	struct ipifc_nbr *n, *victim = NULL;
	unsigned b;

	if (ifc->nnbr >= IPIFC_MAXNBR) {
		victim = TAILQ_FIRST(&ifc->strangers);
		if (victim == NULL)
			TAILQ_FOREACH(n, &ifc->nbrs, link)
				if (n->state == IPIFC_NBR_STALE &&
				    (victim == NULL || n->used < victim->used))
					victim = n;
		if (victim == NULL)
			TAILQ_FOREACH(n, &ifc->nbrs, link)
				if (n->state == IPIFC_NBR_INCOMPLETE) {
					victim = n;	/* the oldest */
					break;
				}
		if (victim == NULL) {
			ifc->drops_nbr++;
			return NULL;
		}
		ipifc_nbr_delete(ifc, victim);
	}
	if ((unsigned)ifc->nnbr >= ifc->nbrhsize && rehash(ifc) < 0 &&
	    ifc->nbrhash == NULL) {
		ifc->drops_nbr++;
		return NULL;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL) {
		ifc->drops_nbr++;
		return NULL;
	}
	n->ip = *ip;
	n->state = IPIFC_NBR_INCOMPLETE;
	n->deadline = UINT64_MAX;
	n->used = ifc->stack->now;
	b = bucket(ifc, ip);
	n->hnext = ifc->nbrhash[b];
	ifc->nbrhash[b] = n;
	TAILQ_INSERT_TAIL(&ifc->nbrs, n, link);
	ifc->nnbr++;
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
	if (state == IPIFC_NBR_REACHABLE || state == IPIFC_NBR_STATIC)
		unstranger(ifc, n);	/* confirmed, or the operator's */
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
	/* an entry an NS made carries the NA that answers it first (RFC
	 * 4861 7.2.4): only traffic after that puts it in use */
	if (n->uses < UINT_MAX)
		n->uses++;
	if (n->stranger && n->uses > (ipifc_ip_isv4(ip) ? 0u : 1u))
		unstranger(ifc, n);
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
		n->stranger = 1;
		TAILQ_INSERT_TAIL(&ifc->strangers, n, slink);
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
	ipifc_nbr_delete(ifc, n);
	for (i = 0; i < nq; i++) {
		ifc->drops_nbrq++;
		if (s->hooks != NULL && s->hooks->unreachable != NULL)
			s->hooks->unreachable(ifc, q[i]->data, q[i]->len);
		free(q[i]);
	}
}

/* 1: the entry is gone (and what its loss set off may have changed others) */
static int
nbr_timer(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	switch (n->state) {
	case IPIFC_NBR_INCOMPLETE:
		if (n->probes >= IPIFC_MAX_MULTICAST_SOLICIT) {
			unreachable(ifc, n);
			return 1;
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
			return 1;
		}
		n->probes++;
		n->deadline = ifc->stack->now + ifc->retrans;
		ifc->m->solicit(ifc, &n->ip, n->mac);
		break;
	default:
		n->deadline = UINT64_MAX;
		break;
	}
	return 0;
}

void
ipifc_nbr_timers(struct ipifc_stack *s)
{
	struct ipifc_ifc *ifc;
	struct ipifc_nbr *n, *prev;

	IPIFC_FOREACH_IFC(ifc, s) {
		/* newest first; after a deletion start again (what was done
		 * is no longer due) */
		for (n = TAILQ_LAST(&ifc->nbrs, ipifc_nbrq); n != NULL; n = prev) {
			prev = TAILQ_PREV(n, ipifc_nbrq, link);
			if (s->now >= n->deadline && nbr_timer(ifc, n))
				prev = TAILQ_LAST(&ifc->nbrs, ipifc_nbrq);
		}
	}
}

uint64_t
ipifc_nbr_deadline(const struct ipifc_stack *s)
{
	const struct ipifc_ifc *ifc;
	const struct ipifc_nbr *n;
	uint64_t min = UINT64_MAX;

	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(n, &ifc->nbrs, link)
			if (n->deadline < min)
				min = n->deadline;
	}
	return min;
}
