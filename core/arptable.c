/*
 * Neighbor tables, one per interface with a link layer: static and
 * published entries written to the `arp` file, and the proxy rule for
 * point-to-point peers (plan9 ipproxyifc).  An entry lives on the
 * interface whose connected prefix holds its address, and goes when that
 * prefix does (FreeBSD in_scrubprefix).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"


/* Join (1) or leave (0) the solicited-node group of a proxied ip on ifc. */
static int
proxy_group(struct ipifc_ifc *ifc, const struct ipifc_ip *ip, int join)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip g;

	ipifc_ip_solicited(&g, ip);	/* RFC 4861 7.2.1 */
	if (!join) {
		ipifc_self_remove(s, &g, NULL);
		ipifc_group_unref(ifc, &g);
		return 0;
	}
	if (ipifc_group_ref(ifc, &g) < 0)
		return -1;
	if (ipifc_self_add(s, &g, IPIFC_RT_MULTI, NULL) < 0) {
		ipifc_group_unref(ifc, &g);
		return -1;
	}
	return 0;
}

void
ipifc_nbr_unpublish(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	if (n->proxyjoined)
		proxy_group(ifc, &n->ip, 0);
	n->proxyjoined = 0;
}

static void
nbr_remove(struct ipifc_ifc *ifc, struct ipifc_nbr *n)
{
	ipifc_nbr_unpublish(ifc, n);
	ipifc_nbr_delete(ifc, n);
}

const struct ipifc_nbr *
ipifc_nbr_find(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	return ipifc_nbr_lookup(ifc, ip);
}

/* The non-ptp address of ifc with the longest prefix holding ip. */
static const struct ipifc_lifc *
connected(const struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	const struct ipifc_lifc *l, *best = NULL;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		if (l->ptp || !ipifc_ip_inprefix(ip, &l->net, l->plen))
			continue;
		if (best == NULL || l->plen > best->plen)
			best = l;
	}
	return best;
}

static const char *
nbr_add(struct ipifc_stack *s, int argc, char **argv)
{
	const struct ipifc_lifc *l;
	struct ipifc_ifc *ifc;
	struct ipifc_nbr *n;
	struct ipifc_ip ip;
	uint8_t mac[6];
	int pub = 0;

	if (argc < 3 || argc > 4)
		return ipifc_errf(s, "usage: add IP MAC [pub]");
	if (ipifc_ip_parse(argv[1], &ip) != 0 || ipifc_ip_ismulti(&ip) ||
	    ipifc_ip_isbcast(&ip) || ipifc_ip_isunspec(&ip) ||
	    (ipifc_ipforme(s, &ip) & (IPIFC_RT_BCAST | IPIFC_RT_MULTI)))
		return ipifc_errf(s, "bad neighbor address %s", argv[1]);
	if (ipifc_mac_parse(argv[2], mac) != 0)
		return ipifc_errf(s, "bad link-layer address %s", argv[2]);
	if (argc == 4) {
		if (strcmp(argv[3], "pub") != 0)
			return ipifc_errf(s, "bad flag %s", argv[3]);
		pub = 1;
	}
	/* a router's anycast address is ours too (RFC 4291 2.6.1) */
	if (ipifc_lifc_bylocal(s, &ip) != NULL ||
	    (ipifc_ipforme(s, &ip) & IPIFC_RT_ANY))
		return ipifc_errf(s, "%s is a local address", argv[1]);
	/* the interface whose network holds it most closely (BSD ifa_ifwithnet) */
	if ((l = ipifc_lifc_bynet(s, &ip)) == NULL)
		return ipifc_errf(s, "%s is not on a connected network",
		    argv[1]);
	ifc = l->ifc;
	if (ifc->m->hwlen == 0)
		return ipifc_errf(s, "interface %d has no link layer",
		    ifc->num);
	if ((n = ipifc_nbr_lookup(ifc, &ip)) != NULL) {
		ipifc_nbr_unpublish(ifc, n);	/* replaced */
		ipifc_nbr_release(ifc, n);
	} else if (ifc->nnbr >= IPIFC_MAXNBR) {
		ifc->drops_nbr++;
		return ipifc_errf(s, "neighbor table full on interface %d",
		    ifc->num);
	} else if ((n = ipifc_nbr_create(ifc, &ip)) == NULL)
		return ipifc_errf(s, "out of memory");
	memcpy(n->mac, mac, sizeof(n->mac));
	n->router = 0;
	n->probes = 0;
	n->uses = 0;
	ipifc_nbr_transition(ifc, n, IPIFC_NBR_STATIC, NULL);
	n->published = pub;
	if (pub && !ipifc_ip_isv4(&ip) && ifc->m->hwlen == 6)
		n->proxyjoined = proxy_group(ifc, &ip, 1) == 0;
	return NULL;
}

static const char *
nbr_del(struct ipifc_stack *s, int argc, char **argv)
{
	struct ipifc_ifc *ifc;
	struct ipifc_nbr *n;
	struct ipifc_ip ip;
	int found = 0;

	if (argc != 2)
		return ipifc_errf(s, "usage: del IP");
	if (ipifc_ip_parse(argv[1], &ip) != 0)
		return ipifc_errf(s, "bad neighbor address %s", argv[1]);
	if (ipifc_lifc_bylocal(s, &ip) != NULL)
		return ipifc_errf(s, "cannot delete local address %s",
		    argv[1]);
	IPIFC_FOREACH_IFC(ifc, s) {
		if ((n = ipifc_nbr_lookup(ifc, &ip)) != NULL) {
			nbr_remove(ifc, n);
			found = 1;
		}
	}
	if (!found)
		return ipifc_errf(s, "no neighbor entry for %s", argv[1]);
	return NULL;
}

const char *
ipifc_nbr_ctl(struct ipifc_stack *s, int argc, char **argv)
{
	struct ipifc_ifc *ifc;

	if (argc < 1)
		return ipifc_errf(s, "empty arp message");
	if (strcmp(argv[0], "add") == 0)
		return nbr_add(s, argc, argv);
	if (strcmp(argv[0], "del") == 0)
		return nbr_del(s, argc, argv);
	if (strcmp(argv[0], "flush") == 0) {
		if (argc != 1)
			return ipifc_errf(s, "usage: flush");
		IPIFC_FOREACH_IFC(ifc, s)
			ipifc_nbr_clear(ifc);
		return NULL;
	}
	return ipifc_errf(s, "unknown arp message %s", argv[0]);
}

void
ipifc_nbr_flush_prefix(struct ipifc_ifc *ifc, const struct ipifc_ip *prefix,
    int plen)
{
	struct ipifc_nbr *n, *next;

	for (n = TAILQ_FIRST(&ifc->nbrs); n != NULL; n = next) {
		next = TAILQ_NEXT(n, link);
		if (ipifc_ip_inprefix(&n->ip, prefix, plen))
			nbr_remove(ifc, n);
	}
}

/* A point-to-point peer reached through another interface, with proxy. */
static int
proxied_peer(struct ipifc_ifc *ifc, const struct ipifc_lifc *l)
{
	return l->ifc != ifc && l->ptp && l->proxy &&
	    connected(ifc, &l->remote) != NULL;
}

static int
ptp_proxy6(const struct ipifc_lifc *l)
{
	return l->ptp && l->proxy && !ipifc_lifc_isv4(l);
}

/* List l in handover order (interface, then addition), as the walk was. */
static void
proxy_list(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	struct ipifc_lifc *o;

	if (l->proxylisted)
		return;
	TAILQ_FOREACH_REVERSE(o, &s->proxyq, ipifc_lifcq, proxylink)
		if (o->ifc->num < l->ifc->num ||
		    (o->ifc->num == l->ifc->num && o->seq < l->seq))
			break;
	if (o == NULL)
		TAILQ_INSERT_HEAD(&s->proxyq, l, proxylink);
	else
		TAILQ_INSERT_AFTER(&s->proxyq, o, l, proxylink);
	l->proxylisted = 1;
}

static void
proxy_unlist(struct ipifc_stack *s, struct ipifc_lifc *l)
{
	if (!l->proxylisted)
		return;
	TAILQ_REMOVE(&s->proxyq, l, proxylink);
	l->proxylisted = 0;
}

/* Has interface j joined l's peer's group for it? */
static int
pj_has(const struct ipifc_lifc *l, int j)
{
	int i;

	for (i = 0; i < l->nproxyjoin; i++)
		if (l->proxyjoin[i] == j)
			return 1;
	return 0;
}

static int
pj_set(struct ipifc_lifc *l, int j)
{
	int *v, cap;

	if (l->nproxyjoin == l->capproxyjoin) {
		cap = l->capproxyjoin ? 2 * l->capproxyjoin : 4;
		if ((v = realloc(l->proxyjoin, (size_t)cap * sizeof(*v))) ==
		    NULL)
			return -ENOMEM;
		l->proxyjoin = v;
		l->capproxyjoin = cap;
	}
	l->proxyjoin[l->nproxyjoin++] = j;
	return 0;
}

static void
pj_clear(struct ipifc_lifc *l, int j)
{
	int i;

	for (i = 0; i < l->nproxyjoin; i++)
		if (l->proxyjoin[i] == j) {
			l->proxyjoin[i] = l->proxyjoin[--l->nproxyjoin];
			break;
		}
	if (l->nproxyjoin == 0) {
		free(l->proxyjoin);
		l->proxyjoin = NULL;
		l->capproxyjoin = 0;
	}
}

/*
 * Join or leave the peers' groups after changed came, changed or (NULL)
 * an address went.  Only ptp proxy addresses, and those with groups still
 * joined, are listed: the walk is over them, not over every address.
 */
void
ipifc_nbr_proxy_sync(struct ipifc_stack *s, struct ipifc_lifc *changed)
{
	struct ipifc_lifc *l, *next;
	struct ipifc_ifc *ifc;
	int j, want;

	if (changed != NULL && ptp_proxy6(changed))
		proxy_list(s, changed);
	for (l = TAILQ_FIRST(&s->proxyq); l != NULL; l = next) {
		next = TAILQ_NEXT(l, proxylink);
		for (j = 0; j < s->nslot; j++) {
			ifc = s->ifc[j];
			want = ifc != NULL && ifc->m->hwlen == 6 &&
			    ptp_proxy6(l) && proxied_peer(ifc, l);
			if (want == pj_has(l, j))
				continue;
			if (!want) {
				if (ifc != NULL)
					proxy_group(ifc, &l->remote, 0);
				pj_clear(l, j);
			} else if (proxy_group(ifc, &l->remote, 1) == 0 &&
			    pj_set(l, j) < 0)
				proxy_group(ifc, &l->remote, 0);
		}
		if (!ptp_proxy6(l) && l->nproxyjoin == 0)
			proxy_unlist(s, l);
	}
}

void
ipifc_nbr_proxy_drop(struct ipifc_lifc *l)
{
	struct ipifc_stack *s = l->ifc->stack;
	int i;

	for (i = 0; i < l->nproxyjoin; i++)
		if (s->ifc[l->proxyjoin[i]] != NULL)
			proxy_group(s->ifc[l->proxyjoin[i]], &l->remote, 0);
	free(l->proxyjoin);
	l->proxyjoin = NULL;
	l->nproxyjoin = l->capproxyjoin = 0;
	proxy_unlist(s, l);
}

/* The link-layer address we answer with for ip: a published entry's own. */
const uint8_t *
ipifc_nbr_answer_mac(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	const struct ipifc_nbr *n;

	if ((n = ipifc_nbr_find(ifc, ip)) != NULL && n->published)
		return n->mac;
	return ifc->mac;
}

int
ipifc_nbr_proxy(struct ipifc_ifc *ifc, const struct ipifc_ip *ip)
{
	const struct ipifc_nbr *n;
	struct ipifc_lifc *l;

	if ((n = ipifc_nbr_find(ifc, ip)) != NULL && n->published)
		return 1;
	/* a point-to-point peer (BSD ifa_ifwithdstaddr), proxied here */
	return (l = ipifc_lifc_bydst(ifc->stack, ip)) != NULL &&
	    proxied_peer(ifc, l);
}

/* The first address (in file order) that proxies peer on ifc: one line each. */
static const struct ipifc_lifc *
first_proxied(struct ipifc_stack *s, struct ipifc_ifc *ifc,
    const struct ipifc_ip *peer)
{
	const struct ipifc_ifc *other;
	const struct ipifc_lifc *l;

	IPIFC_FOREACH_IFC(other, s) {
		if (other == ifc)
			continue;
		TAILQ_FOREACH(l, &other->lifcs, link)
			if (proxied_peer(ifc, l) &&
			    ipifc_ip_eq(&l->remote, peer))
				return l;
	}
	return NULL;
}

static void
nbr_fmt_ifc(struct ipifc_stack *s, struct ipifc_ifc *ifc,
    struct ipifc_buf *b)
{
	const struct ipifc_nbr *n;
	struct ipifc_ifc *other;
	struct ipifc_lifc *l;
	char ip[IPIFC_IPSTRLEN], mac[IPIFC_MACSTRLEN];

	ipifc_mac_fmt(ifc->mac, mac, sizeof(mac));
	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		/* a duplicate address is another node's (RFC 4862 5.4.5) */
		if (ipifc_ip_ismulti(&l->local) ||
		    ipifc_ip_isunspec(&l->local) ||
		    l->state == IPIFC_ADDR_DUPLICATE)
			continue;
		ipifc_buf_printf(b, "%s %s static %d l\n",
		    ipifc_ip_fmt(&l->local, ip, sizeof(ip)), mac, ifc->num);
	}
	TAILQ_FOREACH(n, &ifc->nbrs, link) {
		ipifc_buf_printf(b, "%s ", ipifc_ip_fmt(&n->ip, ip,
		    sizeof(ip)));
		if (n->state == IPIFC_NBR_INCOMPLETE)
			strcpy(mac, "-");
		else
			ipifc_mac_fmt(n->mac, mac, sizeof(mac));
		ipifc_buf_printf(b, "%s %s %d %s\n", mac,
		    ipifc_nbr_statename(n->state), ifc->num,
		    n->published ? "p" : "-");
	}
	ipifc_mac_fmt(ifc->mac, mac, sizeof(mac));
	IPIFC_FOREACH_IFC(other, s) {
		if (other == ifc)
			continue;
		TAILQ_FOREACH(l, &other->lifcs, link) {
			if (!proxied_peer(ifc, l) ||
			    first_proxied(s, ifc, &l->remote) != l)
				continue;
			ipifc_buf_printf(b, "%s %s static %d p\n",
			    ipifc_ip_fmt(&l->remote, ip, sizeof(ip)), mac,
			    ifc->num);
		}
	}
}

void
ipifc_nbr_fmt(struct ipifc_stack *s, struct ipifc_buf *b)
{
	struct ipifc_ifc *ifc;

	IPIFC_FOREACH_IFC(ifc, s) {
		if (ifc->m->hwlen == 0)
			continue;
		nbr_fmt_ifc(s, ifc, b);
	}
}
