/*
 * Source address selection: RFC 6724 for IPv6 with its policy table, and
 * for IPv4 plan9's rule (the address on the route's interface closest to
 * the gateway).  Only usable addresses on up interfaces are offered.
 */
#include <errno.h>
#include <string.h>

#include "core.h"

#define POLICY_MAXVAL	1000000

/* RFC 6724 2.1 */
static const struct {
	const char *prefix;
	int	plen, precedence, label;
} defpolicy[] = {
	{ "::1", 128, 50, 0 },
	{ "::", 0, 40, 1 },
	{ "::ffff:0:0", 96, 35, 4 },
	{ "2002::", 16, 30, 2 },
	{ "2001::", 32, 5, 5 },
	{ "fc00::", 7, 3, 13 },
	{ "::", 96, 1, 3 },
	{ "fec0::", 10, 1, 11 },
	{ "3ffe::", 16, 1, 12 },
};

void
ipifc_policy_default(struct ipifc_stack *s)
{
	struct ipifc_policy *p;
	size_t i;

	s->npolicy = 0;
	for (i = 0; i < sizeof(defpolicy) / sizeof(defpolicy[0]); i++) {
		p = &s->policy[s->npolicy++];
		memset(p, 0, sizeof(*p));
		ipifc_ip_parse(defpolicy[i].prefix, &p->prefix);
		p->plen = defpolicy[i].plen;
		p->precedence = defpolicy[i].precedence;
		p->label = defpolicy[i].label;
	}
}

/*
 * The longest matching row, or NULL.  With no row matching (an emptied
 * table) every address has label 0 and precedence 0, so rule 6 never
 * decides.
 */
static const struct ipifc_policy *
policy_lookup(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_policy *p, *best = NULL;
	int i;

	for (i = 0; i < s->npolicy; i++) {
		p = &s->policy[i];
		if (ipifc_ip_inprefix(a, &p->prefix, p->plen) &&
		    (best == NULL || p->plen > best->plen))
			best = p;
	}
	return best;
}

static int
policy_label(const struct ipifc_stack *s, const struct ipifc_ip *a)
{
	const struct ipifc_policy *p;

	p = policy_lookup(s, a);
	return p != NULL ? p->label : 0;
}

/* A decimal number 0..max without sign; -1 if not. */
static int
parse_num(const char *str, int max)
{
	long v = 0;

	if (*str == '\0')
		return -1;
	for (; *str != '\0'; str++) {
		if (*str < '0' || *str > '9')
			return -1;
		v = v * 10 + (*str - '0');
		if (v > max)
			return -1;
	}
	return (int)v;
}

/*
 * PREFIX MASK: the mask counts bits of the family the prefix is written
 * in, so "10.0.0.0 /8" and "::ffff:10.0.0.0 /104" name the same row.
 */
static const char *
policy_parse(struct ipifc_stack *s, char *pfx, char *mask,
    struct ipifc_ip *prefix, int *plen)
{
	if (ipifc_ip_parse(pfx, prefix) != 0)
		return ipifc_errf(s, "bad prefix %s", pfx);
	if (ipifc_mask_parse(mask, strchr(pfx, ':') == NULL, plen) != 0)
		return ipifc_errf(s, "bad mask %s", mask);
	ipifc_ip_mask(prefix, prefix, *plen);
	return NULL;
}

static int
policy_find(const struct ipifc_stack *s, const struct ipifc_ip *prefix,
    int plen)
{
	int i;

	for (i = 0; i < s->npolicy; i++)
		if (s->policy[i].plen == plen &&
		    ipifc_ip_eq(&s->policy[i].prefix, prefix))
			return i;
	return -1;
}

const char *
ipifc_policy_ctl(struct ipifc_stack *s, int argc, char **argv)
{
	struct ipifc_policy *p;
	struct ipifc_ip prefix;
	const char *err;
	int i, plen, prec, label;

	if (argc < 1)
		return ipifc_errf(s, "empty ippolicy message");
	if (strcmp(argv[0], "add") == 0) {
		if (argc != 5)
			return ipifc_errf(s,
			    "usage: add PREFIX MASK PREC LABEL");
		if ((err = policy_parse(s, argv[1], argv[2], &prefix,
		    &plen)) != NULL)
			return err;
		if ((prec = parse_num(argv[3], POLICY_MAXVAL)) < 0)
			return ipifc_errf(s, "bad precedence %s", argv[3]);
		if ((label = parse_num(argv[4], POLICY_MAXVAL)) < 0)
			return ipifc_errf(s, "bad label %s", argv[4]);
		if ((i = policy_find(s, &prefix, plen)) < 0) {
			if (s->npolicy >= IPIFC_MAXPOLICY)
				return ipifc_errf(s, "policy table full");
			i = s->npolicy++;
		}
		p = &s->policy[i];
		p->prefix = prefix;
		p->plen = plen;
		p->precedence = prec;
		p->label = label;
		return NULL;
	}
	if (strcmp(argv[0], "remove") == 0) {
		if (argc != 3)
			return ipifc_errf(s, "usage: remove PREFIX MASK");
		if ((err = policy_parse(s, argv[1], argv[2], &prefix,
		    &plen)) != NULL)
			return err;
		if ((i = policy_find(s, &prefix, plen)) < 0)
			return ipifc_errf(s, "no policy for %s %s", argv[1],
			    argv[2]);
		memmove(&s->policy[i], &s->policy[i + 1],
		    (size_t)(s->npolicy - i - 1) * sizeof(s->policy[0]));
		s->npolicy--;
		return NULL;
	}
	if (strcmp(argv[0], "flush") == 0 || strcmp(argv[0], "default") == 0) {
		if (argc != 1)
			return ipifc_errf(s, "usage: %s", argv[0]);
		if (argv[0][0] == 'f')
			s->npolicy = 0;
		else
			ipifc_policy_default(s);
		return NULL;
	}
	return ipifc_errf(s, "unknown ippolicy message %s", argv[0]);
}

/* Longer prefixes first, so the file reads in the order rows match. */
static int
policy_before(const struct ipifc_policy *a, const struct ipifc_policy *b)
{
	if (a->plen != b->plen)
		return a->plen > b->plen;
	return ipifc_ip_cmp(&a->prefix, &b->prefix) < 0;
}

void
ipifc_policy_fmt(struct ipifc_stack *s, struct ipifc_buf *b)
{
	const struct ipifc_policy *order[IPIFC_MAXPOLICY], *p;
	char ip[IPIFC_IPSTRLEN];
	int i, j;

	for (i = 0; i < s->npolicy; i++) {
		p = &s->policy[i];
		for (j = i; j > 0 && policy_before(p, order[j - 1]); j--)
			order[j] = order[j - 1];
		order[j] = p;
	}
	for (i = 0; i < s->npolicy; i++) {
		p = order[i];
		ipifc_ip_fmt(&p->prefix, ip, sizeof(ip));
		/* Lengths are IPv6 bits here, so keep the mapped form. */
		ipifc_buf_printf(b, "%s%s /%d %d %d\n",
		    ipifc_ip_isv4(&p->prefix) ? "::ffff:" : "", ip, p->plen,
		    p->precedence, p->label);
	}
}

/* RFC 6724 2.2: the common prefix, counted no further than SA's prefix. */
static int
matchlen(const struct ipifc_lifc *l, const struct ipifc_ip *dst)
{
	int n;

	n = ipifc_ip_cpl(&l->local, dst);
	return n < l->plen ? n : l->plen;
}

/*
 * RFC 6724 5: > 0 if a is the better source for dst, < 0 if b is, 0 on
 * a tie.  Rule 4 (home addresses) does not apply: there is no Mobile IPv6.
 */
/* Rule 3's deprecated addresses, and optimistic ones (RFC 4429 2.1). */
static int
avoid(const struct ipifc_lifc *l)
{
	return l->state == IPIFC_ADDR_DEPRECATED ||
	    (l->state == IPIFC_ADDR_TENTATIVE && l->optimistic);
}

static int
rfc6724_cmp(const struct ipifc_stack *s, const struct ipifc_lifc *a,
    const struct ipifc_lifc *b, const struct ipifc_ip *dst,
    const struct ipifc_ifc *outif, int dlabel)
{
	int sa, sb, sd, la, lb, ma, mb;

	/* Rule 1: prefer same address. */
	if (ipifc_ip_eq(&a->local, dst) != ipifc_ip_eq(&b->local, dst))
		return ipifc_ip_eq(&a->local, dst) ? 1 : -1;

	/* Rule 2: prefer appropriate scope. */
	sa = ipifc_ip_scope(&a->local);
	sb = ipifc_ip_scope(&b->local);
	sd = ipifc_ip_scope(dst);
	if (sa < sb)
		return sa < sd ? -1 : 1;
	if (sb < sa)
		return sb < sd ? 1 : -1;

	/* Rule 3: avoid deprecated addresses. */
	/* RFC 4429 2.1: an optimistic address counts as deprecated */
	if (avoid(a) != avoid(b))
		return avoid(a) ? -1 : 1;

	/* Rule 5: prefer outgoing interface. */
	if (outif != NULL && (a->ifc == outif) != (b->ifc == outif))
		return a->ifc == outif ? 1 : -1;

	/* Rule 6: prefer matching label. */
	la = policy_label(s, &a->local) == dlabel;
	lb = policy_label(s, &b->local) == dlabel;
	if (la != lb)
		return la ? 1 : -1;

	/* Rule 7: prefer temporary addresses, or public ones if so told. */
	if (!a->temporary != !b->temporary) {
		if (s->prefer_temporary)
			return a->temporary ? 1 : -1;
		return a->temporary ? -1 : 1;
	}

	/* Rule 8: use longest matching prefix. */
	ma = matchlen(a, dst);
	mb = matchlen(b, dst);
	if (ma != mb)
		return ma > mb ? 1 : -1;
	return 0;
}

static int
v6candidate(const struct ipifc_lifc *l)
{
	return !ipifc_lifc_isv4(l) && ipifc_lifc_usable(l) &&
	    !ipifc_ip_isunspec(&l->local) && !ipifc_ip_ismulti(&l->local);
}

static struct ipifc_lifc *
srcsel6(struct ipifc_stack *s, const struct ipifc_ip *dst,
    struct ipifc_ifc *oif)
{
	const struct ipifc_nexthop *rt;
	struct ipifc_ifc *ifc, *outif, *only;
	struct ipifc_lifc *l, *best = NULL;
	int dlabel;

	rt = ipifc_rtab_nexthop(s->rtab, dst, NULL);
	outif = oif != NULL ? oif : rt != NULL ? rt->ifc : NULL;
	dlabel = policy_label(s, dst);

	/* RFC 6724 4: a link-scope destination needs a source of that link. */
	only = NULL;
	if (ipifc_ip_scope(dst) <= IPIFC_SCOPE_LINK)
		only = outif;

	IPIFC_FOREACH_IFC(ifc, s) {
		if (!ipifc_ifc_up(ifc))
			continue;
		if (only != NULL && ifc != only)
			continue;
		TAILQ_FOREACH(l, &ifc->lifcs, link) {
			if (!v6candidate(l))
				continue;
			if (ipifc_rtab_nexthop(s->rtab, dst, &l->local) == NULL)
				continue;
			if (best == NULL ||
			    rfc6724_cmp(s, l, best, dst, outif, dlabel) > 0)
				best = l;
		}
	}
	if (best != NULL || outif == NULL || !ipifc_ifc_up(outif))
		return best;

	/* No route from any address: the best on the outgoing interface. */
	TAILQ_FOREACH(l, &outif->lifcs, link) {
		if (!v6candidate(l))
			continue;
		if (best == NULL ||
		    rfc6724_cmp(s, l, best, dst, outif, dlabel) > 0)
			best = l;
	}
	return best;
}

static int
v4candidate(const struct ipifc_lifc *l)
{
	return ipifc_lifc_isv4(l) && ipifc_lifc_usable(l) &&
	    !ipifc_ip_isunspec(&l->local);
}

/*
 * The address of ifc nearest to target: a point-to-point address whose
 * peer is the target, else the longest common prefix with the peer (ptp)
 * or the address itself.
 */
static struct ipifc_lifc *
nearest4(struct ipifc_ifc *ifc, const struct ipifc_ip *target)
{
	struct ipifc_lifc *l, *best = NULL;
	int n, bestn = -1;

	if (!ipifc_ifc_up(ifc))
		return NULL;
	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (!v4candidate(l))
			continue;
		if (l->ptp && ipifc_ip_eq(&l->remote, target))
			return l;
		n = ipifc_ip_cpl(l->ptp ? &l->remote : &l->local, target);
		if (n > bestn) {
			best = l;
			bestn = n;
		}
	}
	return best;
}

static struct ipifc_lifc *
srcsel4(struct ipifc_stack *s, const struct ipifc_ip *dst,
    struct ipifc_ifc *oif)
{
	const struct ipifc_nexthop *rt;
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l;
	const struct ipifc_ip *target = dst;

	rt = ipifc_rtab_nexthop(s->rtab, dst, NULL);
	if (rt != NULL && rt->ifc != NULL && !ipifc_ip_isunspec(&rt->gate))
		target = &rt->gate;
	if (oif != NULL) {
		if (rt == NULL || rt->ifc != oif)
			target = dst;
		return nearest4(oif, target);
	}
	if (rt != NULL && rt->ifc != NULL &&
	    (l = nearest4(rt->ifc, target)) != NULL)
		return l;
	IPIFC_FOREACH_IFC(ifc, s) {
		if (!ipifc_ifc_up(ifc))
			continue;
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			if (v4candidate(l))
				return l;
	}
	return NULL;
}

struct ipifc_lifc *
ipifc_srcsel(struct ipifc_stack *s, const struct ipifc_ip *dst,
    struct ipifc_ifc *oif)
{
	if (oif != NULL && !ipifc_ifc_up(oif))
		return NULL;
	if (ipifc_ip_isv4(dst))
		return srcsel4(s, dst, oif);
	return srcsel6(s, dst, oif);
}

int
ipifc_source(struct ipifc_stack *s, const struct ipifc_ip *dst, int ifc,
    struct ipifc_ip *src, int *ifcout)
{
	struct ipifc_ifc *oif = NULL;
	struct ipifc_lifc *l;

	if (ifc != -1 && (ifc < 0 || ifc >= s->nslot ||
	    (oif = ipifc_ifc_bynum(s, ifc)) == NULL))
		return -ENOENT;
	if ((l = ipifc_srcsel(s, dst, oif)) == NULL)
		return -ENOENT;
	if (src != NULL)
		*src = l->local;
	if (ifcout != NULL)
		*ifcout = l->ifc->num;
	return 0;
}
