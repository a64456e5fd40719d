/*
 * Multicast: the interface's group list, reference counted and mapped to
 * link-layer groups (the medium hears only the first join and the last
 * leave), and the per-listener memberships on top of it.
 *
 * Groups are kept in order of joining (the multi file) and hashed by
 * address, link-layer groups hashed by MAC, so that an address joining its
 * solicited-node group does not scan the groups of every other address.
 * Both tables grow and shrink with use.  The groups addresses join are
 * bounded by the addresses; those listeners join by s->maxgroups.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

static void
announce_group(struct ipifc_ifc *ifc, const struct ipifc_ip *g,
    enum ipifc_event_type t)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.ifc = ifc->num;
	ev.addr = *g;
	ev.plen = 128;
	ipifc_announce(ifc->stack, &ev);
}

static unsigned
ghash(const struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	return ipifc_ip_hash(ifc->stack->hashkey, g) & (ifc->ghsize - 1);
}

static unsigned
llhash(const struct ipifc_ifc *ifc, const uint8_t *mac)
{
	uint64_t w = 0;

	memcpy(&w, mac, 6);
	w *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(w >> 32) & (ifc->llhsize - 1);
}

struct ipifc_group *
ipifc_group_find(const struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	struct ipifc_group *p;

	if (ifc->ghash == NULL)
		return NULL;
	for (p = ifc->ghash[ghash(ifc, g)]; p != NULL; p = p->hnext)
		if (ipifc_ip_eq(&p->ip, g))
			return p;
	return NULL;
}

static struct ipifc_llgroup *
llgroup_find(const struct ipifc_ifc *ifc, const uint8_t *mac)
{
	struct ipifc_llgroup *p;

	if (ifc->llhash == NULL)
		return NULL;
	for (p = ifc->llhash[llhash(ifc, mac)]; p != NULL; p = p->hnext)
		if (memcmp(p->mac, mac, 6) == 0)
			return p;
	return NULL;
}

int
ipifc_llgroup_has(const struct ipifc_ifc *ifc, const uint8_t *mac)
{
	return llgroup_find(ifc, mac) != NULL;
}

int
ipifc_llgroup_refs(const struct ipifc_ifc *ifc, const uint8_t *mac)
{
	const struct ipifc_llgroup *p = llgroup_find(ifc, mac);

	return p != NULL ? p->refs : 0;
}

/* Rehash the groups into size buckets (a power of 2); 0 size frees. */
static int
g_rehash(struct ipifc_ifc *ifc, unsigned size)
{
	struct ipifc_group **h = NULL, *p;

	if (size > 0 && (h = calloc(size, sizeof(*h))) == NULL)
		return -ENOMEM;
	free(ifc->ghash);
	ifc->ghash = h;
	ifc->ghsize = size;
	if (h != NULL)
		TAILQ_FOREACH(p, &ifc->groups, link) {
			p->hnext = h[ghash(ifc, &p->ip)];
			h[ghash(ifc, &p->ip)] = p;
		}
	return 0;
}

static int
ll_rehash(struct ipifc_ifc *ifc, unsigned size)
{
	struct ipifc_llgroup **h = NULL, *p, *next;
	unsigned i, oldsize = ifc->llhsize;

	if (size > 0 && (h = calloc(size, sizeof(*h))) == NULL)
		return -ENOMEM;
	ifc->llhsize = size;
	for (i = 0; i < oldsize; i++)
		for (p = ifc->llhash[i]; p != NULL; p = next) {
			next = p->hnext;
			p->hnext = h[llhash(ifc, p->mac)];
			h[llhash(ifc, p->mac)] = p;
		}
	free(ifc->llhash);
	ifc->llhash = h;
	return 0;
}

/* Grow a table at one entry a bucket; give up only when it has none. */
static int
grow(unsigned n, unsigned size)
{
	return n >= size;
}

/* Shrink below one entry in four buckets (never under 16 while used). */
static unsigned
shrunk(unsigned n, unsigned size)
{
	if (n == 0)
		return 0;
	if (size > 16 && n < size / 4)
		return size / 2;
	return size;
}

static int
llgroup_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	struct ipifc_llgroup *p;
	uint8_t mac[6];
	unsigned b;

	ipifc_ip_multimac(mac, g);
	if ((p = llgroup_find(ifc, mac)) != NULL) {
		p->refs++;
		return 0;
	}
	if (grow((unsigned)ifc->nllgroups, ifc->llhsize) &&
	    ll_rehash(ifc, ifc->llhsize ? 2 * ifc->llhsize : 16) < 0 &&
	    ifc->llhash == NULL)
		return -ENOMEM;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -ENOMEM;
	memcpy(p->mac, mac, 6);
	p->refs = 1;
	b = llhash(ifc, mac);
	p->hnext = ifc->llhash[b];
	ifc->llhash[b] = p;
	ifc->nllgroups++;
	ifc->m->addmulti(ifc, mac);
	return 0;
}

static void
llgroup_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	struct ipifc_llgroup *p, **pp;
	uint8_t mac[6];

	ipifc_ip_multimac(mac, g);
	if ((p = llgroup_find(ifc, mac)) == NULL || --p->refs > 0)
		return;
	ifc->m->remmulti(ifc, mac);
	for (pp = &ifc->llhash[llhash(ifc, mac)]; *pp != p; pp = &(*pp)->hnext)
		;
	*pp = p->hnext;
	free(p);
	ifc->nllgroups--;
	if (shrunk((unsigned)ifc->nllgroups, ifc->llhsize) != ifc->llhsize)
		(void)ll_rehash(ifc, shrunk((unsigned)ifc->nllgroups,
		    ifc->llhsize));
}

/* A reference to g on ifc; listener: a membership's (s->maxgroups). */
static int
group_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int listener)
{
	struct ipifc_group *p;
	unsigned b;

	if ((p = ipifc_group_find(ifc, g)) != NULL) {
		p->refs++;
		if (listener && p->lrefs++ == 0)
			ifc->nlgroups++;
		return 0;
	}
	if (grow((unsigned)ifc->ngroups, ifc->ghsize) &&
	    g_rehash(ifc, ifc->ghsize ? 2 * ifc->ghsize : 16) < 0 &&
	    ifc->ghash == NULL)
		return -ENOMEM;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -ENOMEM;
	if (llgroup_ref(ifc, g) < 0) {
		free(p);
		return -ENOMEM;
	}
	p->ip = *g;
	p->refs = 1;
	if (listener) {
		p->lrefs = 1;
		ifc->nlgroups++;
	}
	b = ghash(ifc, g);
	p->hnext = ifc->ghash[b];
	ifc->ghash[b] = p;
	/* in order of joining, as the multi file shows them */
	TAILQ_INSERT_TAIL(&ifc->groups, p, link);
	ifc->ngroups++;
	announce_group(ifc, g, IPIFC_EV_GROUP_JOIN);
	if (ifc->stack->hooks != NULL && ifc->stack->hooks->joined != NULL)
		ifc->stack->hooks->joined(ifc, g);
	return 0;
}

static void
group_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int listener)
{
	struct ipifc_group *p, **pp;
	struct ipifc_ip ip;

	if ((p = ipifc_group_find(ifc, g)) == NULL)
		return;
	if (listener && p->lrefs > 0 && --p->lrefs == 0)
		ifc->nlgroups--;
	if (--p->refs > 0)
		return;
	ip = p->ip;
	for (pp = &ifc->ghash[ghash(ifc, &ip)]; *pp != p; pp = &(*pp)->hnext)
		;
	*pp = p->hnext;
	TAILQ_REMOVE(&ifc->groups, p, link);
	free(p);
	ifc->ngroups--;
	if (shrunk((unsigned)ifc->ngroups, ifc->ghsize) != ifc->ghsize)
		(void)g_rehash(ifc, shrunk((unsigned)ifc->ngroups,
		    ifc->ghsize));
	if (ifc->stack->hooks != NULL && ifc->stack->hooks->left != NULL)
		ifc->stack->hooks->left(ifc, &ip);
	llgroup_unref(ifc, &ip);
	announce_group(ifc, &ip, IPIFC_EV_GROUP_LEAVE);
}

int
ipifc_group_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	return group_ref(ifc, g, 0);
}

void
ipifc_group_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	group_unref(ifc, g, 0);
}

/*
 * Memberships: a table by client, interface and group (join and leave
 * find theirs), and one by where each hangs, its interface and address
 * (an address coming or going finds the memberships it concerns).  Both
 * have mhsize buckets, grown and shrunk with nmembers as the groups'.
 */
static unsigned
ptrmix(const void *p)
{
	uint64_t w = (uint64_t)(uintptr_t)p;

	w *= 0x9e3779b97f4a7c15ull;
	return (unsigned)(w >> 32);
}

static unsigned
mhash(const struct ipifc_stack *s, const struct ipifc_client *c,
    const struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	return (ipifc_ip_hash(s->hashkey, g) ^ ptrmix(c) ^
	    ptrmix((const char *)ifc + 1)) & (s->mhsize - 1);
}

static unsigned
mahash(const struct ipifc_stack *s, const struct ipifc_ifc *ifc,
    const struct ipifc_lifc *l)
{
	return (ptrmix(ifc) ^ (ptrmix(l) >> 1)) & (s->mhsize - 1);
}

static void
m_hang(struct ipifc_stack *s, struct ipifc_member *m)
{
	unsigned b = mahash(s, m->ifc, m->lifc);

	m->anext = s->mahash[b];
	s->mahash[b] = m;
}

static void
m_unhang(struct ipifc_stack *s, struct ipifc_member *m)
{
	struct ipifc_member **pp;

	for (pp = &s->mahash[mahash(s, m->ifc, m->lifc)]; *pp != m;
	    pp = &(*pp)->anext)
		;
	*pp = m->anext;
}

/* Rehash every membership into size buckets (a power of 2); 0 frees. */
static int
m_rehash(struct ipifc_stack *s, unsigned size)
{
	struct ipifc_member **h = NULL, **a = NULL, **oh = s->mhash, *m, *next;
	unsigned i, b, oldsize = s->mhsize;

	if (size > 0 && ((h = calloc(size, sizeof(*h))) == NULL ||
	    (a = calloc(size, sizeof(*a))) == NULL)) {
		free(h);
		return -ENOMEM;
	}
	s->mhsize = size;
	free(s->mahash);
	s->mahash = a;
	s->mhash = h;
	for (i = 0; i < oldsize; i++)
		for (m = oh[i]; m != NULL; m = next) {
			next = m->hnext;
			b = mhash(s, m->client, m->ifc, &m->group);
			m->hnext = h[b];
			h[b] = m;
			m_hang(s, m);
		}
	free(oh);
	return 0;
}

/* The tables after a membership went, or one was not made: they shrink,
 * and go with the last (the stack frees none it still has). */
static void
m_shrink(struct ipifc_stack *s)
{
	if (shrunk((unsigned)s->nmembers, s->mhsize) != s->mhsize)
		(void)m_rehash(s, shrunk((unsigned)s->nmembers, s->mhsize));
}

static struct ipifc_member *
member_find(struct ipifc_stack *s, struct ipifc_client *c,
    struct ipifc_ifc *ifc, const struct ipifc_ip *g, const struct ipifc_ip *a)
{
	struct ipifc_member *m;

	if (s->mhash == NULL)
		return NULL;
	for (m = s->mhash[mhash(s, c, ifc, g)]; m != NULL; m = m->hnext)
		if (m->client == c && m->ifc == ifc &&
		    ipifc_ip_eq(&m->group, g) &&
		    (a == NULL || ipifc_ip_eq(&m->ifcaddr, a)))
			return m;
	return NULL;
}

/*
 * The interface address a membership hangs on: given, or the first of g's
 * family.  The membership belongs to the interface and the client, and
 * outlives the address (lladdr, linklocal 0, remove): see lifc_gone.
 */
static const char *
member_addr(struct ipifc_ifc *ifc, const struct ipifc_ip *g,
    const struct ipifc_ip *ifcaddr, struct ipifc_lifc **out)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l = NULL;
	char a[IPIFC_IPSTRLEN];

	ipifc_ip_fmt(g, a, sizeof(a));
	if (!ipifc_ip_ismulti(g))
		return ipifc_errf(s, "bad group %s", a);
	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (ifcaddr != NULL ? ipifc_ip_eq(&l->local, ifcaddr) :
		    ipifc_lifc_isv4(l) == ipifc_ip_isv4(g))
			break;
	}
	if (l == NULL && ifcaddr != NULL)
		return ipifc_errf(s, "%s is not an address of interface %d",
		    ipifc_ip_fmt(ifcaddr, a, sizeof(a)), ifc->num);
	if (l == NULL)
		return ipifc_errf(s, "interface %d has no address for %s",
		    ifc->num, a);
	if (ipifc_lifc_isv4(l) != ipifc_ip_isv4(g))
		return ipifc_errf(s, "group %s and address of other families",
		    a);
	*out = l;
	return NULL;
}

const char *
ipifc_multi_join(struct ipifc_ifc *ifc, struct ipifc_client *c,
    const struct ipifc_ip *g, const struct ipifc_ip *ifcaddr)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_member *m;
	struct ipifc_group *p;
	struct ipifc_lifc *l = NULL;
	const char *err;
	unsigned b;

	if ((err = member_addr(ifc, g, ifcaddr, &l)) != NULL)
		return err;
	if ((m = member_find(s, c, ifc, g, &l->local)) != NULL) {
		m->refs++;
		return NULL;
	}
	if (s->nmembers >= s->maxmembers)
		return ipifc_errf(s, "too many memberships");
	p = ipifc_group_find(ifc, g);
	if ((p == NULL || p->lrefs == 0) && ifc->nlgroups >= s->maxgroups)
		return ipifc_errf(s, "too many groups on interface %d",
		    ifc->num);
	if (grow((unsigned)s->nmembers, s->mhsize) &&
	    m_rehash(s, s->mhsize ? 2 * s->mhsize : 16) < 0 &&
	    s->mhash == NULL)
		return ipifc_errf(s, "out of memory");
	if ((m = calloc(1, sizeof(*m))) == NULL)
		goto nomem;
	if (ipifc_self_add(s, g, IPIFC_RT_MULTI, l) < 0)
		goto nomem;
	if (group_ref(ifc, g, 1) < 0) {
		ipifc_self_remove(s, g, l);
		goto nomem;
	}
	m->client = c;
	m->ifc = ifc;
	m->lifc = l;
	m->ifcaddr = l->local;
	m->group = *g;
	m->refs = 1;
	b = mhash(s, c, ifc, g);
	m->hnext = s->mhash[b];
	s->mhash[b] = m;
	m_hang(s, m);
	LIST_INSERT_HEAD(&ifc->members, m, ilink);
	LIST_INSERT_HEAD(&c->members, m, clink);
	s->nmembers++;
	return NULL;
nomem:
	free(m);
	m_shrink(s);
	return ipifc_errf(s, "out of memory");
}

static void
member_drop(struct ipifc_stack *s, struct ipifc_member *m)
{
	struct ipifc_member **pp;

	for (pp = &s->mhash[mhash(s, m->client, m->ifc, &m->group)];
	    *pp != m; pp = &(*pp)->hnext)
		;
	*pp = m->hnext;
	m_unhang(s, m);
	LIST_REMOVE(m, ilink);
	LIST_REMOVE(m, clink);
	s->nmembers--;
	ipifc_self_remove(s, &m->group, m->lifc);
	group_unref(m->ifc, &m->group, 1);
	free(m);
	m_shrink(s);
}

const char *
ipifc_multi_leave(struct ipifc_ifc *ifc, struct ipifc_client *c,
    const struct ipifc_ip *g, const struct ipifc_ip *ifcaddr)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_member *m;
	char a[IPIFC_IPSTRLEN];

	ipifc_ip_fmt(g, a, sizeof(a));
	if (!ipifc_ip_ismulti(g))
		return ipifc_errf(s, "bad group %s", a);
	if ((m = member_find(s, c, ifc, g, ifcaddr)) == NULL)
		return ipifc_errf(s, "not a member of %s on interface %d", a,
		    ifc->num);
	if (--m->refs == 0)
		member_drop(s, m);
	return NULL;
}

/*
 * The memberships of ifc hanging on l (NULL: on the interface alone) and,
 * for none, of l's family, taken off their chain onto a list of their own
 * (anext), so that moving them cannot meet them again.
 */
static struct ipifc_member *
m_take(struct ipifc_stack *s, struct ipifc_ifc *ifc, struct ipifc_lifc *l,
    int v4)
{
	struct ipifc_member **pp, *m, *taken = NULL;

	if (s->mahash == NULL)
		return NULL;
	for (pp = &s->mahash[mahash(s, ifc, l)]; (m = *pp) != NULL;) {
		if (m->ifc != ifc || m->lifc != l ||
		    (l == NULL && ipifc_ip_isv4(&m->group) != v4)) {
			pp = &m->anext;
			continue;
		}
		*pp = m->anext;
		m->anext = taken;
		taken = m;
	}
	return taken;
}

/*
 * Move the taken memberships off an address that goes to l and hang them
 * again.  Each lands whatever memory there is: left on the address they
 * would hang on freed memory.
 */
static void
m_move_taken(struct ipifc_stack *s, struct ipifc_member *m,
    struct ipifc_lifc *l)
{
	struct ipifc_member *next;

	for (; m != NULL; m = next) {
		next = m->anext;
		(void)ipifc_self_move(s, &m->group, IPIFC_RT_MULTI, m->lifc, l,
		    1);
		m->lifc = l;
		if (l != NULL)
			m->ifcaddr = l->local;
		m_hang(s, m);
	}
}

/* l is going: its memberships move to another address of the family. */
void
ipifc_multi_lifc_gone(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_member *taken;
	struct ipifc_lifc *o;

	if ((taken = m_take(s, l->ifc, l, ipifc_lifc_isv4(l))) == NULL)
		return;
	TAILQ_FOREACH(o, &l->ifc->lifcs, link)
		if (o != l && ipifc_lifc_isv4(o) == ipifc_lifc_isv4(l))
			break;
	m_move_taken(s, taken, o);
}

/*
 * A new address takes the memberships of its family that have none: all
 * of them, or, when memory runs out, none (-ENOMEM): those it took go
 * back to the interface alone, as off an address that goes.
 */
int
ipifc_multi_lifc_new(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_member *m, *next, *moved = NULL;
	int error = 0;

	for (m = m_take(s, l->ifc, NULL, ipifc_lifc_isv4(l)); m != NULL;
	    m = next) {
		next = m->anext;
		if (error == 0 && ipifc_self_move(s, &m->group,
		    IPIFC_RT_MULTI, NULL, l, 0) < 0)
			error = -ENOMEM;
		if (error == 0) {
			m->anext = moved;
			moved = m;
		} else
			m_hang(s, m);
	}
	for (m = moved; m != NULL; m = next) {
		next = m->anext;
		if (error == 0) {
			m->lifc = l;
			m->ifcaddr = l->local;
		} else
			(void)ipifc_self_move(s, &m->group, IPIFC_RT_MULTI, l,
			    NULL, 1);
		m_hang(s, m);
	}
	return error;
}

/* Newest first, as they were dropped from the end of the table. */
void
ipifc_multi_ifc_gone(struct ipifc_stack *s, struct ipifc_ifc *ifc)
{
	struct ipifc_member *m;

	while ((m = LIST_FIRST(&ifc->members)) != NULL)
		member_drop(s, m);
}

void
ipifc_multi_client_gone(struct ipifc_stack *s, struct ipifc_client *c)
{
	struct ipifc_member *m;

	while ((m = LIST_FIRST(&c->members)) != NULL)
		member_drop(s, m);
}
