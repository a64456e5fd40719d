/*
 * Multicast: the interface's group list, reference counted and mapped to
 * link-layer groups (the medium hears only the first join and the last
 * leave), and the per-listener memberships on top of it.
 */
#include <errno.h>
#include <string.h>

#include "core.h"

/* Groups kept free for what addresses join themselves. */
#define IMPLIED_RESERVE	(2 * IPIFC_MAXLIFC + 2)

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

static struct ipifc_group *
group_find(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	int i;

	for (i = 0; i < ifc->ngroups; i++)
		if (ipifc_ip_eq(&ifc->groups[i].ip, g))
			return &ifc->groups[i];
	return NULL;
}

static void
llgroup_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	uint8_t mac[6];
	int i;

	ipifc_ip_multimac(mac, g);
	for (i = 0; i < ifc->nllgroups; i++) {
		if (memcmp(ifc->llgroups[i].mac, mac, 6) == 0) {
			ifc->llgroups[i].refs++;
			return;
		}
	}
	/* never full: there are no more link-layer groups than IP groups */
	memcpy(ifc->llgroups[i].mac, mac, 6);
	ifc->llgroups[i].refs = 1;
	ifc->nllgroups++;
	ifc->m->addmulti(ifc, mac);
}

static void
llgroup_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	uint8_t mac[6];
	int i;

	ipifc_ip_multimac(mac, g);
	for (i = 0; i < ifc->nllgroups; i++) {
		if (memcmp(ifc->llgroups[i].mac, mac, 6) != 0)
			continue;
		if (--ifc->llgroups[i].refs == 0) {
			ifc->m->remmulti(ifc, mac);
			ifc->llgroups[i] = ifc->llgroups[--ifc->nllgroups];
		}
		return;
	}
}

int
ipifc_group_ref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	struct ipifc_group *p;

	if ((p = group_find(ifc, g)) != NULL) {
		p->refs++;
		return 0;
	}
	if (ifc->ngroups == IPIFC_MAXGROUPS)
		return -ENOSPC;
	p = &ifc->groups[ifc->ngroups++];
	p->ip = *g;
	p->refs = 1;
	llgroup_ref(ifc, g);
	announce_group(ifc, g, IPIFC_EV_GROUP_JOIN);
	if (ifc->stack->hooks != NULL && ifc->stack->hooks->joined != NULL)
		ifc->stack->hooks->joined(ifc, g);
	return 0;
}

void
ipifc_group_unref(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	struct ipifc_group *p;
	struct ipifc_ip ip;

	if ((p = group_find(ifc, g)) == NULL || --p->refs > 0)
		return;
	ip = p->ip;
	/* keep the list in order of joining, as the multi file shows it */
	memmove(p, p + 1, (size_t)(&ifc->groups[ifc->ngroups] - (p + 1)) *
	    sizeof(*p));
	ifc->ngroups--;
	if (ifc->stack->hooks != NULL && ifc->stack->hooks->left != NULL)
		ifc->stack->hooks->left(ifc, &ip);
	llgroup_unref(ifc, &ip);
	announce_group(ifc, &ip, IPIFC_EV_GROUP_LEAVE);
}

static struct ipifc_member *
member_find(struct ipifc_stack *s, struct ipifc_client *c,
    struct ipifc_ifc *ifc, const struct ipifc_ip *g, const struct ipifc_ip *a)
{
	int i;
	struct ipifc_member *m;

	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->client == c && m->ifc == ifc &&
		    ipifc_ip_eq(&m->group, g) &&
		    (a == NULL || ipifc_ip_eq(&m->ifcaddr, a)))
			return m;
	}
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
	struct ipifc_lifc *l = NULL;
	const char *err;

	if ((err = member_addr(ifc, g, ifcaddr, &l)) != NULL)
		return err;
	if ((m = member_find(s, c, ifc, g, &l->local)) != NULL) {
		m->refs++;
		return NULL;
	}
	if (s->nmembers == IPIFC_MAXMEMBERS)
		return ipifc_errf(s, "too many memberships");
	if (group_find(ifc, g) == NULL &&
	    ifc->ngroups >= IPIFC_MAXGROUPS - IMPLIED_RESERVE)
		return ipifc_errf(s, "too many groups on interface %d",
		    ifc->num);
	if (ipifc_self_add(s, g, IPIFC_RT_MULTI, l) < 0)
		return ipifc_errf(s, "out of memory");
	ipifc_group_ref(ifc, g);
	m = &s->members[s->nmembers++];
	m->client = c;
	m->ifc = ifc;
	m->lifc = l;
	m->ifcaddr = l->local;
	m->group = *g;
	m->refs = 1;
	return NULL;
}

static void
member_drop(struct ipifc_stack *s, int i)
{
	struct ipifc_member m = s->members[i];

	s->members[i] = s->members[--s->nmembers];
	ipifc_self_remove(s, &m.group, m.lifc);
	ipifc_group_unref(m.ifc, &m.group);
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
		member_drop(s, (int)(m - s->members));
	return NULL;
}

/* Hang m's self entry on l (NULL: on the interface alone). */
static void
member_move(struct ipifc_stack *s, struct ipifc_member *m,
    struct ipifc_lifc *l)
{
	if (ipifc_self_add(s, &m->group, IPIFC_RT_MULTI, l) < 0)
		return;		/* out of memory: it stays where it is */
	ipifc_self_remove(s, &m->group, m->lifc);
	m->lifc = l;
	if (l != NULL)
		m->ifcaddr = l->local;
}

/* l is going: its memberships move to another address of the family. */
void
ipifc_multi_lifc_gone(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_lifc *o;
	int i;

	for (i = 0; i < s->nmembers; i++) {
		if (s->members[i].lifc != l)
			continue;
		TAILQ_FOREACH(o, &l->ifc->lifcs, link)
			if (o != l && ipifc_lifc_isv4(o) == ipifc_lifc_isv4(l))
				break;
		member_move(s, &s->members[i], o);
	}
}

/* A new address takes the memberships of its family that have none. */
void
ipifc_multi_lifc_new(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_member *m;
	int i;

	for (i = 0; i < s->nmembers; i++) {
		m = &s->members[i];
		if (m->ifc == l->ifc && m->lifc == NULL &&
		    ipifc_ip_isv4(&m->group) == ipifc_lifc_isv4(l))
			member_move(s, m, l);
	}
}

void
ipifc_multi_ifc_gone(struct ipifc_stack *s, struct ipifc_ifc *ifc)
{
	int i;

	for (i = s->nmembers - 1; i >= 0; i--)
		if (s->members[i].ifc == ifc)
			member_drop(s, i);
}

void
ipifc_multi_client_gone(struct ipifc_stack *s, struct ipifc_client *c)
{
	int i;

	for (i = s->nmembers - 1; i >= 0; i--)
		if (s->members[i].client == c)
			member_drop(s, i);
}
