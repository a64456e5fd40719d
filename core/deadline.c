/*
 * The deadline index of addresses: each address's next deadline (the
 * earliest of its valid lifetime's end, its preferred lifetime's end
 * while preferred, its next DAD step while tentative, its next ACD step
 * while it probes or announces on an up interface), in a binary min-heap
 * per stack.  Every address is in it (UINT64_MAX: nothing pending), and
 * holds its position, so that re-filing or removing one is O(log N).
 * ipifc_lifc_refile is called wherever one of those inputs changes; the
 * timer passes take only the addresses due (ipifc_deadline_due), so a
 * wakeup costs what is due, not every address.
 */
#include <stdlib.h>

#include "core.h"

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

static void
put(struct ipifc_stack *s, unsigned i, struct ipifc_lifc *l)
{
	s->dheap[i] = l;
	l->dpos = i + 1;
}

static void
sift_up(struct ipifc_stack *s, unsigned i)
{
	struct ipifc_lifc *l = s->dheap[i];
	unsigned p;

	while (i > 0) {
		p = (i - 1) / 2;
		if (s->dheap[p]->dkey <= l->dkey)
			break;
		put(s, i, s->dheap[p]);
		i = p;
	}
	put(s, i, l);
}

static void
sift_down(struct ipifc_stack *s, unsigned i)
{
	struct ipifc_lifc *l = s->dheap[i];
	unsigned c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= s->ndheap)
			break;
		if (c + 1 < s->ndheap && s->dheap[c + 1]->dkey < s->dheap[c]->dkey)
			c++;
		if (l->dkey <= s->dheap[c]->dkey)
			break;
		put(s, i, s->dheap[c]);
		i = c;
	}
	put(s, i, l);
}

/* Room for one more address in the index and in the due list. */
int
ipifc_deadline_reserve(struct ipifc_stack *s)
{
	struct ipifc_lifc **p;
	unsigned cap;

	if (s->ndheap < s->capdheap)
		return 0;
	cap = s->capdheap ? 2 * s->capdheap : 64;
	if ((p = realloc(s->dheap, cap * sizeof(*p))) == NULL)
		return -1;
	s->dheap = p;
	if ((p = realloc(s->ddue, cap * sizeof(*p))) == NULL)
		return -1;
	s->ddue = p;
	s->capdheap = cap;
	return 0;
}

void
ipifc_lifc_refile(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;
	uint64_t old = l->dkey;
	unsigned i;

	l->dkey = key_of(l);
	if (l->dpos == 0) {
		/* room was made by ipifc_deadline_reserve before l was */
		i = s->ndheap++;
		s->dheap[i] = l;
		sift_up(s, i);
	} else if (l->dkey < old)
		sift_up(s, l->dpos - 1);
	else if (l->dkey > old)
		sift_down(s, l->dpos - 1);
}

void
ipifc_lifc_unfile(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;
	struct ipifc_lifc *last;
	unsigned i;

	if (l->ddue != 0 && l->ddue <= s->nddue && s->ddue[l->ddue - 1] == l)
		s->ddue[l->ddue - 1] = NULL;	/* a pass holds it */
	l->ddue = 0;
	if (l->dpos == 0)
		return;
	i = l->dpos - 1;
	l->dpos = 0;
	last = s->dheap[--s->ndheap];
	if (last == l)
		return;
	put(s, i, last);
	if (i > 0 && s->dheap[(i - 1) / 2]->dkey > last->dkey)
		sift_up(s, i);
	else
		sift_down(s, i);
}

uint64_t
ipifc_deadline_next(const struct ipifc_stack *s)
{
	return s->ndheap > 0 ? s->dheap[0]->dkey : UINT64_MAX;
}

/* The heap's entries due at now under i: a node above now has none. */
static void
collect(struct ipifc_stack *s, unsigned i)
{
	if (i >= s->ndheap || s->dheap[i]->dkey > s->now)
		return;
	s->ddue[s->nddue++] = s->dheap[i];
	collect(s, 2 * i + 1);
	collect(s, 2 * i + 2);
}

/* The order of the walks these passes replace: interface, then address. */
static int
cmp_walk(const void *x, const void *y)
{
	const struct ipifc_lifc *a = *(struct ipifc_lifc *const *)x;
	const struct ipifc_lifc *b = *(struct ipifc_lifc *const *)y;

	if (a->ifc->num != b->ifc->num)
		return a->ifc->num < b->ifc->num ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int
ipifc_deadline_due(struct ipifc_stack *s)
{
	unsigned i;

	s->nddue = 0;
	collect(s, 0);
	if (s->nddue > 1)
		qsort(s->ddue, s->nddue, sizeof(*s->ddue), cmp_walk);
	for (i = 0; i < s->nddue; i++)
		s->ddue[i]->ddue = i + 1;
	return (int)s->nddue;
}

void
ipifc_deadline_done(struct ipifc_stack *s)
{
	s->nddue = 0;
}

void
ipifc_deadline_free(struct ipifc_stack *s)
{
	free(s->dheap);
	free(s->ddue);
	s->dheap = s->ddue = NULL;
	s->ndheap = s->capdheap = s->nddue = 0;
}
