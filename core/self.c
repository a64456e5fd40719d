/*
 * The self table (plan9's ipforme): every address the stack answers to,
 * with its type and a reference-counted link to each local address that
 * caused it.  What an interface holds by itself (a listener's group, a
 * proxied neighbor's solicited-node group) hangs on one link with no
 * address, which the count column does not count.  An entry goes when
 * its last link goes.
 *
 * Every step is O(1): the hash keeps about one entry per bucket (it
 * doubles and halves), links come off both lists without a walk, and an
 * entry's type is the set of bits some link holds, counted per bit.
 *
 * The hash is keyed (SipHash, core/ipaddr.c), so strangers cannot aim
 * at a bucket; that costs more than the probe itself.  A small table of
 * counts by a cheap unkeyed index of the address answers most misses (a
 * packet's source, someone else's address) without it: a zero count is
 * no entry.  A stranger who aims at a nonzero count only gets the keyed
 * probe every lookup used to make.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static unsigned
bucket(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	return ipifc_ip_hash(s->hashkey, a) & (s->selfhsize - 1);
}

static inline unsigned
filterslot(const struct ipifc_ip *a)
{
	uint64_t w, w1;

	memcpy(&w, a->a, 8);
	memcpy(&w1, a->a + 8, 8);
	w ^= w1;
	w ^= w >> 32;		/* every byte into the bits the product keeps */
	w *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(w >> 54) & (IPIFC_SELFFILTER - 1);
}

struct ipifc_self *
ipifc_self_find(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	struct ipifc_self *p;

	/* a stream to one address of ours skips the keyed hash */
	if ((p = s->selflast) != NULL && ipifc_ip_same(&p->a, a))
		return p;
	if (s->selfcount[filterslot(a)] == 0)
		return NULL;	/* also while the table is empty */
	for (p = s->selfhash[bucket(s, a)]; p != NULL; p = p->next)
		if (ipifc_ip_same(&p->a, a)) {
			/* a hint, not state: the stack itself is never const */
			((struct ipifc_stack *)s)->selflast = p;
			return p;
		}
	return NULL;
}

void
ipifc_self_foreach(struct ipifc_stack *s,
    void (*f)(struct ipifc_self *, void *), void *arg)
{
	struct ipifc_self *p, *next;
	unsigned i;

	for (i = 0; i < s->selfhsize; i++)
		for (p = s->selfhash[i]; p != NULL; p = next) {
			next = p->next;
			f(p, arg);
		}
}

static int
rehash(struct ipifc_stack *s, unsigned size)
{
	struct ipifc_self **h, *p, *next;
	unsigned i, oldsize = s->selfhsize, b;

	if ((h = calloc(size, sizeof(*h))) == NULL)
		return -ENOMEM;
	for (i = 0; i < oldsize; i++)
		for (p = s->selfhash[i]; p != NULL; p = next) {
			next = p->next;
			b = ipifc_ip_hash(s->hashkey, &p->a) & (size - 1);
			p->next = h[b];
			h[b] = p;
		}
	free(s->selfhash);
	s->selfhash = h;
	s->selfhsize = size;
	return 0;
}

/* Is 0.0.0.0 or :: configured as a local address (not a broadcast)? */
static int
acceptall(const struct ipifc_stack *s)
{
	const struct ipifc_self *p;

	return ((p = ipifc_self_find(s, &ipifc_ip_unspec4)) != NULL &&
	    (p->type & IPIFC_RT_UNI)) ||
	    ((p = ipifc_self_find(s, &ipifc_ip_unspec6)) != NULL &&
	    (p->type & IPIFC_RT_UNI));
}

/* p's type changed (or p went): keep the answer to a miss at hand. */
static void
changed(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	if (ipifc_ip_isunspec(a))
		s->selfall = acceptall(s);
}

unsigned
ipifc_ipforme(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_self *p;

	if ((p = ipifc_self_find(s, a)) != NULL)
		return p->type & IPIFC_SELF_SHOWN;
	/* plan9: while the unspecified address is ours, accept anything */
	return s->selfall ? IPIFC_RT_UNI : 0;
}

static void
self_unhash(struct ipifc_stack *s, struct ipifc_self *p)
{
	struct ipifc_self **pp;
	struct ipifc_ip a = p->a;

	for (pp = &s->selfhash[bucket(s, &p->a)]; *pp != p;
	    pp = &(*pp)->next)
		;
	*pp = p->next;
	s->selfcount[filterslot(&p->a)]--;
	if (s->selflast == p)
		s->selflast = NULL;
	free(p);
	s->nself--;
	if (s->nself == 0) {
		free(s->selfhash);
		s->selfhash = NULL;
		s->selfhsize = 0;
	} else if (s->selfhsize > IPIFC_SELFHASH &&
	    s->nself < s->selfhsize / 4)
		(void)rehash(s, s->selfhsize / 2);	/* else stays as it is */
	changed(s, &a);
}

/* Count the bits of a link's type in and out of its entry's. */
static void
settype(struct ipifc_self *p, struct ipifc_selflink *k, unsigned type)
{
	unsigned i, diff = (k->type ^ type) & 0xffffu;

	for (i = 0; diff != 0; i++, diff >>= 1) {
		if ((diff & 1) == 0)
			continue;
		if (type & (1u << i)) {
			if (p->nbit[i]++ == 0)
				p->type |= 1u << i;
		} else if (--p->nbit[i] == 0)
			p->type &= ~(1u << i);
	}
	k->type = type & 0xffffu;
}

/* l's link to p (l NULL: the link of no address), or NULL. */
static struct ipifc_selflink *
link_of(const struct ipifc_self *p, const struct ipifc_lifc *l)
{
	struct ipifc_selflink *k;

	if (l == NULL)
		return p->nolink;
	for (k = l->self; k != NULL; k = k->lifcnext)
		if (k->self == p)
			return k;
	return NULL;
}

int
ipifc_self_onifc(const struct ipifc_stack *s, const struct ipifc_ip *a,
    const struct ipifc_ifc *ifc, unsigned type)
{
	const struct ipifc_self *p;
	const struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL || (p->type & type) == 0)
		return 0;
	LIST_FOREACH(k, &p->links, selflink)
		if (k->lifc != NULL && k->lifc->ifc == ifc && (k->type & type))
			return 1;
	return 0;
}

int
ipifc_self_tentative(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_self *p;

	return (p = ipifc_self_find(s, a)) != NULL &&
	    (p->type & IPIFC_SELF_TENTATIVE);
}

void
ipifc_self_retype(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l, unsigned type)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL ||
	    (k = link_of(p, l)) == NULL)
		return;
	settype(p, k, type);
	changed(s, a);
	if (l != NULL)
		ipifc_prefix_dirty(l);
}

/* Link a to l (NULL: to the interface alone) with type, or one more reference. */
int
ipifc_self_add(struct ipifc_stack *s, const struct ipifc_ip *a,
    unsigned type, struct ipifc_lifc *l)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;
	unsigned h;

	if ((p = ipifc_self_find(s, a)) == NULL) {
		if (s->nself >= s->selfhsize && rehash(s, s->selfhsize ?
		    s->selfhsize * 2 : IPIFC_SELFHASH) < 0 &&
		    s->selfhash == NULL)
			return -ENOMEM;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return -ENOMEM;
		p->a = *a;
		LIST_INIT(&p->links);
		h = bucket(s, a);
		p->next = s->selfhash[h];
		s->selfhash[h] = p;
		s->selfcount[filterslot(a)]++;
		s->nself++;
	}
	if ((k = link_of(p, l)) != NULL) {
		settype(p, k, k->type | type);
		k->ref++;
		changed(s, a);
		if (l != NULL)
			ipifc_prefix_dirty(l);
		return 0;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		if (LIST_EMPTY(&p->links))
			self_unhash(s, p);
		return -ENOMEM;
	}
	k->self = p;
	k->lifc = l;
	k->ref = 1;
	settype(p, k, type);
	LIST_INSERT_HEAD(&p->links, k, selflink);
	if (l != NULL) {
		k->lifcnext = l->self;
		if (l->self != NULL)
			l->self->lifcprev = &k->lifcnext;
		k->lifcprev = &l->self;
		l->self = k;
		p->nlinks++;
		ipifc_prefix_dirty(l);
	} else
		p->nolink = k;
	changed(s, a);
	return 0;
}

static void
unlink_one(struct ipifc_stack *s, struct ipifc_selflink *k)
{
	struct ipifc_self *p = k->self;

	LIST_REMOVE(k, selflink);
	if (k->lifc != NULL) {
		ipifc_prefix_dirty(k->lifc);
		*k->lifcprev = k->lifcnext;
		if (k->lifcnext != NULL)
			k->lifcnext->lifcprev = k->lifcprev;
		p->nlinks--;
	} else
		p->nolink = NULL;
	settype(p, k, 0);
	free(k);
	if (LIST_EMPTY(&p->links)) {
		self_unhash(s, p);
		return;
	}
	changed(s, &p->a);
}

/* Drop one reference from l (NULL: the link of no address) to a. */
void
ipifc_self_remove(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL ||
	    (k = link_of(p, l)) == NULL)
		return;
	if (--k->ref == 0)
		unlink_one(s, k);
}

void
ipifc_self_remove_all(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	while (l->self != NULL)
		unlink_one(s, l->self);
}
