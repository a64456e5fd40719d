/*
 * Deadline indexes: a binary min-heap of the things a timer pass looks
 * at, by their next deadline, each holding its place so that filing it
 * again or removing it is O(log N), and the due list of a pass: the
 * nodes due, sorted into the order of the walk the pass replaces.  A
 * wakeup costs what is due, not every thing that has a timer.
 *
 * The stack keeps two.  Addresses (s->daddr): each address's next
 * deadline (the earliest of its valid lifetime's end, its preferred
 * lifetime's end while preferred, its next DAD step while tentative, its
 * next ACD step while it probes or announces on an up interface); every
 * address is in it (UINT64_MAX: nothing pending), and ipifc_lifc_refile
 * is called wherever one of those inputs changes.  Neighbors (s->dnbr,
 * core/nud.c): each entry's state deadline.  The protocols keep theirs
 * (proto/: an interface's group reports, its router advertisements).
 * A pass may also take what was marked for it, whatever its deadline:
 * something it watches changed, which the walk it replaces would have
 * noticed at its next round.
 */
#include <stdlib.h>

#include "core.h"

static void
put(struct ipifc_dindex *x, unsigned i, struct ipifc_dnode *d)
{
	x->heap[i] = d;
	d->pos = i + 1;
}

static void
sift_up(struct ipifc_dindex *x, unsigned i)
{
	struct ipifc_dnode *d = x->heap[i];
	unsigned p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (x->heap[p]->key <= d->key)
			break;
		put(x, i, x->heap[p]);
		i = p;
	}
	put(x, i, d);
}

static void
sift_down(struct ipifc_dindex *x, unsigned i)
{
	struct ipifc_dnode *d = x->heap[i];
	unsigned c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= x->n)
			break;
		if (c + 1 < x->n && x->heap[c + 1]->key < x->heap[c]->key)
			c++;
		if (d->key <= x->heap[c]->key)
			break;
		put(x, i, x->heap[c]);
		i = c;
	}
	put(x, i, d);
}

int
ipifc_dindex_reserve(struct ipifc_dindex *x)
{
	struct ipifc_dnode **p;
	unsigned cap;

	if (x->n < x->cap)
		return 0;
	cap = x->cap ? 2 * x->cap : 64;
	if ((p = realloc(x->heap, cap * sizeof(*p))) == NULL)
		return -1;
	x->heap = p;
	if ((p = realloc(x->due, cap * sizeof(*p))) == NULL)
		return -1;
	x->due = p;
	x->cap = cap;
	return 0;
}

void
ipifc_dindex_file(struct ipifc_dindex *x, struct ipifc_dnode *d, uint64_t key)
{
	uint64_t old = d->key;
	unsigned i;

	d->key = key;
	if (d->pos == 0) {
		/* room was made by ipifc_dindex_reserve before d was */
		i = x->n++;
		x->heap[i] = d;
		sift_up(x, i);
	} else if (key < old)
		sift_up(x, d->pos - 1);
	else if (key > old)
		sift_down(x, d->pos - 1);
}

static void
unmark(struct ipifc_dnode *d)
{
	if (d->mprev == NULL)
		return;
	if ((*d->mprev = d->mnext) != NULL)
		d->mnext->mprev = d->mprev;
	d->mnext = NULL;
	d->mprev = NULL;
}

void
ipifc_dindex_mark(struct ipifc_dindex *x, struct ipifc_dnode *d)
{
	if (d->mprev != NULL || d->pos == 0)
		return;
	if ((d->mnext = x->marked) != NULL)
		d->mnext->mprev = &d->mnext;
	x->marked = d;
	d->mprev = &x->marked;
}

void
ipifc_dindex_unfile(struct ipifc_dindex *x, struct ipifc_dnode *d)
{
	struct ipifc_dnode *last;
	unsigned i;

	unmark(d);
	if (d->due != 0 && d->due <= x->ndue && x->due[d->due - 1] == d)
		x->due[d->due - 1] = NULL;	/* a pass holds it */
	d->due = 0;
	if (d->pos == 0)
		return;
	i = d->pos - 1;
	d->pos = 0;
	last = x->heap[--x->n];
	if (last == d)
		return;
	put(x, i, last);
	if (i > 0 && x->heap[(i - 1) / 2]->key > last->key)
		sift_up(x, i);
	else
		sift_down(x, i);
}

/* The heap's nodes due at now under i: a node above now has none. */
static void
collect(struct ipifc_dindex *x, unsigned i, uint64_t now)
{
	if (i >= x->n || x->heap[i]->key > now)
		return;
	x->due[x->ndue++] = x->heap[i];
	collect(x, 2 * i + 1, now);
	collect(x, 2 * i + 2, now);
}

int
ipifc_dindex_due(struct ipifc_dindex *x, uint64_t now,
    int (*order)(const void *, const void *))
{
	struct ipifc_dnode *d;
	unsigned i;

	x->ndue = 0;
	collect(x, 0, now);
	/* the marked that are not due already; marks made from here on are
	 * for the next pass */
	while ((d = x->marked) != NULL) {
		unmark(d);
		if (d->key > now)
			x->due[x->ndue++] = d;
	}
	if (x->ndue > 1)
		qsort(x->due, x->ndue, sizeof(*x->due), order);
	for (i = 0; i < x->ndue; i++)
		x->due[i]->due = i + 1;
	return (int)x->ndue;
}

void
ipifc_dindex_done(struct ipifc_dindex *x)
{
	unsigned i;

	for (i = 0; i < x->ndue; i++)
		if (x->due[i] != NULL)
			x->due[i]->due = 0;
	x->ndue = 0;
}

void
ipifc_dindex_free(struct ipifc_dindex *x)
{
	free(x->heap);
	free(x->due);
	x->heap = x->due = NULL;
	x->marked = NULL;
	x->n = x->cap = x->ndue = 0;
}

/* ---- the addresses' index ---- */

static uint64_t
key_of(const struct ipifc_lifc *l)
{
	uint64_t d = ipifc_lifc_deadline(l);

	if (l->state == IPIFC_ADDR_TENTATIVE && l->dad_deadline < d)
		d = l->dad_deadline;
	if (l->acd > 0 && ipifc_ifc_up(l->ifc) && l->acd_deadline < d)
		d = l->acd_deadline;
	return d;
}

/* Room for one more address in the index and in the due list. */
int
ipifc_deadline_reserve(struct ipifc_stack *s)
{
	return ipifc_dindex_reserve(&s->daddr);
}

/* Those above that watch addresses (proto/rtadv.c) hear of l. */
static void
tell(struct ipifc_lifc *l)
{
	const struct ipifc_hooks *h = l->ifc->stack->hooks;

	if (h != NULL && h->addr != NULL)
		h->addr(l);
}

void
ipifc_lifc_refile(struct ipifc_lifc *l)
{
	ipifc_dindex_file(&l->ifc->stack->daddr, &l->dl, key_of(l));
	tell(l);
}

void
ipifc_lifc_unfile(struct ipifc_lifc *l)
{
	ipifc_dindex_unfile(&l->ifc->stack->daddr, &l->dl);
	tell(l);
}

/* The order of the walks these passes replace: interface, then address. */
static int
cmp_walk(const void *x, const void *y)
{
	const struct ipifc_lifc *a = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)x, struct ipifc_lifc, dl);
	const struct ipifc_lifc *b = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)y, struct ipifc_lifc, dl);

	if (a->ifc->num != b->ifc->num)
		return a->ifc->num < b->ifc->num ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int
ipifc_deadline_due(struct ipifc_stack *s)
{
	return ipifc_dindex_due(&s->daddr, s->now, cmp_walk);
}

struct ipifc_lifc *
ipifc_deadline_lifc(const struct ipifc_stack *s, int i)
{
	struct ipifc_dnode *d = s->daddr.due[i];

	return d == NULL ? NULL : IPIFC_DNODE_OWNER(d, struct ipifc_lifc, dl);
}
