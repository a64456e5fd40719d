/*
 * Neighbor unreachability detection: the neighbor state machine of RFC
 * 4861 7.3, used for ARP as well (as Linux does).  One transition
 * function writes the state and its deadline.  Resolution, learning and
 * the timers return what to do (send what waited, solicit, report
 * unreachable) and the medium does it after the call returns.
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
	ipifc_dindex_unfile(&ifc->stack->dnbr, &n->dl);
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
	if (ipifc_dindex_reserve(&ifc->stack->dnbr) < 0 ||
	    (n = calloc(1, sizeof(*n))) == NULL) {
		ifc->drops_nbr++;
		return NULL;
	}
	n->ifc = ifc;
	n->seq = ++ifc->stack->nbrseq;
	n->ip = *ip;
	n->state = IPIFC_NBR_INCOMPLETE;
	n->dl.key = UINT64_MAX;
	ipifc_dindex_file(&ifc->stack->dnbr, &n->dl, UINT64_MAX);
	n->used = ifc->stack->now;
	b = bucket(ifc, ip);
	n->hnext = ifc->nbrhash[b];
	ifc->nbrhash[b] = n;
	TAILQ_INSERT_TAIL(&ifc->nbrs, n, link);
	ifc->nnbr++;
	return n;
}

/* n's next step is due at d (UINT64_MAX: none). */
static void
set_deadline(struct ipifc_nbr *n, uint64_t d)
{
	ipifc_dindex_file(&n->ifc->stack->dnbr, &n->dl, d);
}

/*
 * RetransTimer and BaseReachableTime are ND's, which an RA sets (RFC 4861
 * 6.3.4); ARP keeps the defaults (RFC 1122 2.3.2.1 leaves them to us), so
 * that an RA does not slow or speed IPv4's resolution, as Linux keeps
 * them apart.
 */
static uint32_t
retrans(const struct ipifc_ifc *ifc, const struct ipifc_nbr *n)
{
	return ipifc_ip_isv4(&n->ip) ? IPIFC_RETRANS_TIMER : ifc->retrans;
}

/* RFC 4861 6.3.2: ReachableTime is random in 0.5 .. 1.5 * BaseReachableTime. */
static uint64_t
reachable_time(struct ipifc_ifc *ifc, const struct ipifc_nbr *n)
{
	uint64_t base = ipifc_ip_isv4(&n->ip) ? IPIFC_REACHABLE_TIME :
	    ifc->reachable;

	/* 64 bits: an RA may set 0xffffffff, and base + 1 must not wrap */
	return base / 2 + ipifc_random(ifc->stack) % (base + 1);
}

/*
 * The address of ifc to ask about ip from.  IPv4: one whose prefix holds
 * ip, else the first.  IPv6: link-local first (RFC 4861 7.2.2), never a
 * tentative or optimistic one (RFC 4429 3.3: no SLLA from it).
 */
const struct ipifc_lifc *
ipifc_nbr_source(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	const struct ipifc_lifc *l, *first = NULL;
	int v4 = ipifc_ip_isv4(ip);

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (ipifc_lifc_isv4(l) != v4)
			continue;
		if (v4) {
			if (!l->ptp && ipifc_ip_inprefix(ip, &l->net, l->plen))
				return l;
		} else if (!ipifc_lifc_usable(l) ||
		    l->state == IPIFC_ADDR_TENTATIVE)
			continue;
		else if (ipifc_ip_islinklocal(&l->local))
			return l;
		if (first == NULL)
			first = l;
	}
	return first;
}

/* Ask who has n's address: to all, or (unicast) to its mac; 0: no source. */
static int
fill_ask(struct ipifc_ifc *ifc, const struct ipifc_nbr *n, int unicast,
    struct ipifc_nbr_act *a)
{
	const struct ipifc_lifc *l;

	if ((l = ipifc_nbr_source(ifc, &n->ip)) == NULL)
		return 0;
	memset(a, 0, sizeof(*a));
	a->what = IPIFC_NBRDO_SOLICIT;
	a->ifc = ifc;
	a->ip = n->ip;
	a->src = l->local;
	a->unicast = unicast;
	if (unicast)
		memcpy(a->mac, n->mac, 6);
	return 1;
}

static void
ask_later(struct ipifc_ifc *ifc, const struct ipifc_nbr *n, int unicast,
    struct ipifc_nbr_acts *todo)
{
	if (fill_ask(ifc, n, unicast, &todo->a[todo->n]))
		todo->n++;
}

/* A packet goes out through n: it is in use (RFC 4861 7.3.3). */
static void
use(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	n->used = ifc->stack->now;
	/* an entry an NS made carries the NA that answers it first (RFC
	 * 4861 7.2.4): only traffic after that puts it in use */
	if (n->uses < UINT_MAX)
		n->uses++;
	if (n->stranger && n->uses > (ipifc_ip_isv4(&n->ip) ? 0u : 1u))
		unstranger(ifc, n);
	/* the first use of a stale entry */
	if (n->state == IPIFC_NBR_STALE)
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_DELAY, NULL);
}

/*
 * What waited for this neighbor goes to it, in order, each packet a use
 * of the entry.  The list has room for a whole queue when it starts
 * empty; were it full, the rest would be dropped and counted.
 */
static void
flush_queue(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
    struct ipifc_nbr_acts *todo)
{
	struct ipifc_pkt *q[IPIFC_NBR_QLEN];
	struct ipifc_nbr_act *a;
	int i, nq = n->nqueue;

	memcpy(q, n->queue, sizeof(q));
	n->nqueue = 0;
	n->qbytes = 0;
	for (i = 0; i < nq; i++) {
		if (todo == NULL || todo->n == IPIFC_NBR_NACT) {
			ifc->drops_nbrq++;
			free(q[i]);
			continue;
		}
		use(ifc, n);
		a = &todo->a[todo->n++];
		memset(a, 0, sizeof(*a));
		a->what = IPIFC_NBRDO_SEND;
		a->ifc = ifc;
		a->ip = n->ip;
		memcpy(a->mac, n->mac, 6);
		a->pkt = q[i];
	}
}

void
ipifc_nbr_transition(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
    enum ipifc_nbr_state state, struct ipifc_nbr_acts *todo)
{
	uint64_t now = ifc->stack->now;

	n->state = state;
	n->probes = 0;
	if (state == IPIFC_NBR_REACHABLE || state == IPIFC_NBR_STATIC)
		unstranger(ifc, n);	/* confirmed, or the operator's */
	switch (state) {
	case IPIFC_NBR_INCOMPLETE:
	case IPIFC_NBR_PROBE:
		set_deadline(n, now + retrans(ifc, n));
		break;
	case IPIFC_NBR_REACHABLE:
		set_deadline(n, now + reachable_time(ifc, n));
		break;
	case IPIFC_NBR_DELAY:
		set_deadline(n, now + IPIFC_DELAY_FIRST_PROBE);
		break;
	case IPIFC_NBR_STALE:
	case IPIFC_NBR_STATIC:
		set_deadline(n, UINT64_MAX);
		break;
	}
	if (state != IPIFC_NBR_INCOMPLETE && n->nqueue > 0)
		flush_queue(ifc, n, todo);
}

/* 0, or -1 when the packet could not wait (dropped, counted). */
static int
enqueue(struct ipifc_ifc *ifc, struct ipifc_nbr *n, const uint8_t *pkt,
    size_t len)
{
	struct ipifc_pkt *p;

	if (len > IPIFC_NBR_QBYTES) {
		ifc->drops_nbrq++;
		return -1;
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
		return -1;
	}
	p->len = len;
	memcpy(p->data, pkt, len);
	n->queue[n->nqueue++] = p;
	n->qbytes += len;
	return 0;
}

/*
 * Found: mac is filled in.  A new entry waits with the packet and asks
 * (RFC 4861 7.2.2): *ask is the solicitation to send.  An incomplete one
 * takes the packet into its queue.
 */
enum ipifc_nbr_answer
ipifc_nbr_resolve(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *pkt, size_t len, uint8_t mac[6], struct ipifc_nbr_act *ask)
{
	struct ipifc_nbr *n;

	if ((n = ipifc_nbr_lookup(ifc, ip)) == NULL) {
		if ((n = ipifc_nbr_create(ifc, ip)) == NULL) {
			ifc->drops_nbrq++;
			return IPIFC_NBR_DROPPED;
		}
		enqueue(ifc, n, pkt, len);
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_INCOMPLETE, NULL);
		n->probes = 1;
		return fill_ask(ifc, n, 0, ask) ? IPIFC_NBR_SOLICIT :
		    IPIFC_NBR_QUEUED;
	}
	use(ifc, n);
	if (n->state == IPIFC_NBR_INCOMPLETE)
		return enqueue(ifc, n, pkt, len) == 0 ? IPIFC_NBR_QUEUED :
		    IPIFC_NBR_DROPPED;
	memcpy(mac, n->mac, 6);
	return IPIFC_NBR_FOUND;
}

/*
 * What a solicitation, advertisement or ARP message taught us.  A new mac
 * moves the entry to state (RFC 4861 7.2.3, 7.2.5); the same mac moves it
 * only when state is reachable (a confirmation).  create: make the entry
 * if there is none.
 */
void
ipifc_nbr_learn(struct ipifc_ifc *ifc, const struct ipifc_ip *ip,
    const uint8_t *mac, enum ipifc_nbr_state state, int create,
    struct ipifc_nbr_acts *todo)
{
	struct ipifc_nbr *n;
	int changed;

	if ((n = ipifc_nbr_lookup(ifc, ip)) == NULL) {
		if (!create || (n = ipifc_nbr_create(ifc, ip)) == NULL)
			return;
		memcpy(n->mac, mac, 6);
		n->stranger = 1;
		TAILQ_INSERT_TAIL(&ifc->strangers, n, slink);
		ipifc_nbr_transition(ifc, n, state, todo);
		return;
	}
	if (n->state == IPIFC_NBR_STATIC)
		return;
	changed = memcmp(n->mac, mac, 6) != 0;
	if (n->state == IPIFC_NBR_INCOMPLETE || changed ||
	    state == IPIFC_NBR_REACHABLE) {
		memcpy(n->mac, mac, 6);
		ipifc_nbr_transition(ifc, n, state, todo);
	}
}

/*
 * RFC 4861 7.2.5: an advertisement for target, with its link-layer
 * address tlla (NULL: none) and flags.  Unsolicited news of a stranger,
 * or of an entry the operator set, is ignored.
 */
void
ipifc_nbr_advert(struct ipifc_ifc *ifc, const struct ipifc_ip *target,
    const uint8_t *tlla, int router, int solicited, int override,
    struct ipifc_nbr_acts *todo)
{
	struct ipifc_nbr *n;
	int same;

	if ((n = ipifc_nbr_lookup(ifc, target)) == NULL ||
	    n->state == IPIFC_NBR_STATIC)
		return;
	if (n->state == IPIFC_NBR_INCOMPLETE) {
		if (tlla == NULL)
			return;
		n->router = router;
		memcpy(n->mac, tlla, 6);
		ipifc_nbr_transition(ifc, n, solicited ? IPIFC_NBR_REACHABLE :
		    IPIFC_NBR_STALE, todo);
		return;
	}
	same = tlla == NULL || memcmp(n->mac, tlla, 6) == 0;
	if (!override && !same) {
		if (n->state == IPIFC_NBR_REACHABLE)
			ipifc_nbr_transition(ifc, n, IPIFC_NBR_STALE, todo);
		return;
	}
	/* the advertisement is taken: its IsRouter flag too */
	n->router = router;
	if (tlla != NULL)
		memcpy(n->mac, tlla, 6);
	if (solicited)
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_REACHABLE, todo);
	else if (!same)
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_STALE, todo);
}

/*
 * Resolution failed: the entry goes, and what waited is reported
 * unreachable (RFC 4861 7.2.2); the list has room for the whole queue.
 */
static void
unreachable(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
    struct ipifc_nbr_acts *todo)
{
	struct ipifc_nbr_act *a;
	int i;

	for (i = 0; i < n->nqueue; i++) {
		ifc->drops_nbrq++;
		a = &todo->a[todo->n++];
		memset(a, 0, sizeof(*a));
		a->what = IPIFC_NBRDO_UNREACH;
		a->ifc = ifc;
		a->ip = n->ip;
		a->pkt = n->queue[i];
	}
	n->nqueue = 0;
	n->qbytes = 0;
	ipifc_nbr_delete(ifc, n);
}

/* 1: the entry is gone */
static int
nbr_timer(struct ipifc_ifc *ifc, struct ipifc_nbr *n,
    struct ipifc_nbr_acts *todo)
{
	switch (n->state) {
	case IPIFC_NBR_INCOMPLETE:
		if (n->probes >= IPIFC_MAX_MULTICAST_SOLICIT) {
			unreachable(ifc, n, todo);
			return 1;
		}
		n->probes++;
		set_deadline(n, ifc->stack->now + retrans(ifc, n));
		ask_later(ifc, n, 0, todo);
		break;
	case IPIFC_NBR_REACHABLE:
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_STALE, todo);
		break;
	case IPIFC_NBR_DELAY:
		ipifc_nbr_transition(ifc, n, IPIFC_NBR_PROBE, todo);
		n->probes = 1;
		ask_later(ifc, n, 1, todo);
		break;
	case IPIFC_NBR_PROBE:
		if (n->probes >= IPIFC_MAX_UNICAST_SOLICIT) {
			unreachable(ifc, n, todo);
			return 1;
		}
		n->probes++;
		set_deadline(n, ifc->stack->now + retrans(ifc, n));
		ask_later(ifc, n, 1, todo);
		break;
	default:
		set_deadline(n, UINT64_MAX);
		break;
	}
	return 0;
}

/* Is there room in todo for whatever n's step adds? */
static int
room(const struct ipifc_nbr_acts *todo, const struct ipifc_nbr *n)
{
	return IPIFC_NBR_NACT - todo->n >= (n->nqueue > 1 ? n->nqueue : 1);
}

/* The order of the walk the pass replaces: interface, then newest first. */
static int
cmp_walk(const void *x, const void *y)
{
	const struct ipifc_nbr *a = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)x, struct ipifc_nbr, dl);
	const struct ipifc_nbr *b = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)y, struct ipifc_nbr, dl);

	if (a->ifc->num != b->ifc->num)
		return a->ifc->num < b->ifc->num ? -1 : 1;
	return (a->seq < b->seq) - (a->seq > b->seq);
}

/*
 * The entries due (s->dnbr), by interface and newest first within one.
 * A step taken is no longer due, so when called again after a stop the
 * pass takes what is still due on that interface and after it.
 */
int
ipifc_nbr_timers(struct ipifc_stack *s, struct ipifc_nbr_acts *todo)
{
	struct ipifc_dnode *d;
	struct ipifc_nbr *n;
	int i, k, stop = 0;

	k = ipifc_dindex_due(&s->dnbr, s->now, cmp_walk);
	for (i = 0; i < k && !stop; i++) {
		if ((d = s->dnbr.due[i]) == NULL)
			continue;
		n = IPIFC_DNODE_OWNER(d, struct ipifc_nbr, dl);
		if (n->ifc->num < todo->slot || s->now < n->dl.key)
			continue;
		todo->slot = n->ifc->num;
		stop = !room(todo, n) || nbr_timer(n->ifc, n, todo);
	}
	ipifc_dindex_done(&s->dnbr);
	if (!stop)
		todo->slot = s->nslot;
	return stop;
}

uint64_t
ipifc_nbr_deadline(const struct ipifc_stack *s)
{
	return ipifc_dindex_next(&s->dnbr);
}
