/*
 * The self table (plan9's ipforme): every address the stack answers to,
 * with its type and a reference-counted link to each local address that
 * caused it.  What an interface holds by itself (a listener's group, a
 * proxied neighbor's solicited-node group) hangs on one link with no
 * address, which the count column does not count.  An entry goes when
 * its last link goes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static unsigned
hash(const struct ipifc_ip *a)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	int i;

	for (i = 0; i < 16; i++) {
		h ^= a->a[i];
		h *= 16777619u;
	}
	return h & (IPIFC_SELFHASH - 1);
}

struct ipifc_self *
ipifc_self_find(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	struct ipifc_self *p;

	for (p = s->selfhash[hash(a)]; p != NULL; p = p->next)
		if (ipifc_ip_eq(&p->a, a))
			return p;
	return NULL;
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

unsigned
ipifc_ipforme(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_self *p;

	if ((p = ipifc_self_find(s, a)) != NULL)
		return p->type & IPIFC_SELF_SHOWN;
	/* plan9: while the unspecified address is ours, accept anything */
	if (acceptall(s))
		return IPIFC_RT_UNI;
	return 0;
}

static void
self_unhash(struct ipifc_stack *s, struct ipifc_self *p)
{
	struct ipifc_self **pp;

	for (pp = &s->selfhash[hash(&p->a)]; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	free(p);
}

int
ipifc_self_onifc(const struct ipifc_stack *s, const struct ipifc_ip *a,
    const struct ipifc_ifc *ifc, unsigned type)
{
	const struct ipifc_self *p;
	const struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL)
		return 0;
	for (k = p->links; k != NULL; k = k->selfnext)
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

static void
self_retype_all(struct ipifc_self *p)
{
	const struct ipifc_selflink *k;

	p->type = 0;
	for (k = p->links; k != NULL; k = k->selfnext)
		p->type |= k->type;
}

void
ipifc_self_retype(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l, unsigned type)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL)
		return;
	for (k = p->links; k != NULL; k = k->selfnext)
		if (k->lifc == l)
			k->type = type;
	self_retype_all(p);
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
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return -ENOMEM;
		p->a = *a;
		h = hash(a);
		p->next = s->selfhash[h];
		s->selfhash[h] = p;
	}
	p->type |= type;
	for (k = p->links; k != NULL; k = k->selfnext) {
		if (k->lifc == l) {
			k->type |= type;
			k->ref++;
			return 0;
		}
	}
	if ((k = calloc(1, sizeof(*k))) == NULL) {
		if (p->links == NULL)
			self_unhash(s, p);
		return -ENOMEM;
	}
	k->self = p;
	k->lifc = l;
	k->type = type;
	k->ref = 1;
	k->selfnext = p->links;
	p->links = k;
	if (l != NULL) {
		k->lifcnext = l->self;
		l->self = k;
		p->nlinks++;
	}
	return 0;
}

static void
unlink_one(struct ipifc_stack *s, struct ipifc_selflink *k)
{
	struct ipifc_self *p = k->self;
	struct ipifc_selflink **kp;

	for (kp = &p->links; *kp != NULL; kp = &(*kp)->selfnext) {
		if (*kp == k) {
			*kp = k->selfnext;
			break;
		}
	}
	for (kp = k->lifc != NULL ? &k->lifc->self : NULL; kp != NULL &&
	    *kp != NULL; kp = &(*kp)->lifcnext) {
		if (*kp == k) {
			*kp = k->lifcnext;
			break;
		}
	}
	if (k->lifc != NULL)
		p->nlinks--;
	free(k);
	if (p->links == NULL) {
		self_unhash(s, p);
		return;
	}
	self_retype_all(p);
}

/* Drop one reference from l (NULL: the link of no address) to a. */
void
ipifc_self_remove(struct ipifc_stack *s, const struct ipifc_ip *a,
    struct ipifc_lifc *l)
{
	struct ipifc_self *p;
	struct ipifc_selflink *k;

	if ((p = ipifc_self_find(s, a)) == NULL)
		return;
	for (k = p->links; k != NULL; k = k->selfnext) {
		if (k->lifc == l) {
			if (--k->ref == 0)
				unlink_one(s, k);
			return;
		}
	}
}

void
ipifc_self_remove_all(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	while (l->self != NULL)
		unlink_one(s, l->self);
}
