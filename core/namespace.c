/*
 * The namespace: plan9-style text files over the stack.  Writing a line to
 * a ctl file changes state; reading a file shows it.  Files: ipifc,
 * ipifc/clone, ipifc/N/{ctl,status,local,multi}, ipselftab, iproute, arp,
 * ippolicy, and from the protocols ipstats (drop counters) and ippmtu (the
 * path MTU cache: destination, MTU, seconds left).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAXLINE	1024
#define MAXARGS	32

static struct ipifc_ifc *
path_ifc(struct ipifc_stack *s, const char *path, const char **rest)
{
	char *end;
	long n;

	if (strncmp(path, "ipifc/", 6) != 0)
		return NULL;
	path += 6;
	if (*path < '0' || *path > '9')
		return NULL;
	n = strtol(path, &end, 10);
	if (*end != '/' || n >= s->nslot)
		return NULL;
	*rest = end + 1;
	return ipifc_ifc_bynum(s, (int)n);
}

static const char *
write_clone(struct ipifc_stack *s, int argc, char **argv, char *reply,
    size_t replylen)
{
	const char *err;
	int num;

	if (argc != 3 || strcmp(argv[0], "bind") != 0)
		return "usage: bind MEDIUM DEV";
	if ((err = ipifc_ifc_bind(s, argv[1], argv[2], &num)) != NULL)
		return err;
	if (reply != NULL)
		snprintf(reply, replylen, "%d", num);
	return NULL;
}

const char *
ipifc_write(struct ipifc_stack *s, struct ipifc_client *c, const char *path,
    const char *text, char *reply, size_t replylen)
{
	char line[MAXLINE], *argv[MAXARGS];
	struct ipifc_ifc *ifc;
	const char *rest;
	int argc;

	if (reply != NULL && replylen > 0)
		reply[0] = '\0';
	if (strlen(text) >= sizeof(line))
		return "message too long";
	strcpy(line, text);
	if ((argc = ipifc_tokenize(line, argv, MAXARGS)) < 0)
		return "too many words";
	if (argc == 0)
		return "empty message";
	if (strcmp(path, "ipifc/clone") == 0)
		return write_clone(s, argc, argv, reply, replylen);
	if (strcmp(path, "iproute") == 0)
		return ipifc_route_ctl(s, c, argc, argv);
	if (strcmp(path, "arp") == 0)
		return ipifc_nbr_ctl(s, argc, argv);
	if (strcmp(path, "ippolicy") == 0)
		return ipifc_policy_ctl(s, argc, argv);
	if ((ifc = path_ifc(s, path, &rest)) != NULL &&
	    strcmp(rest, "ctl") == 0)
		return ipifc_ifc_ctl(ifc, c, argc, argv);
	if (strncmp(path, "ipifc/", 6) == 0 && path[6] >= '0' &&
	    path[6] <= '9' && ifc == NULL)
		return ipifc_errf(s, "no interface %d", atoi(path + 6));
	return ipifc_errf(s, "%.100s: not a writable file", path);
}

static void
fmt_ifcs(struct ipifc_stack *s, struct ipifc_buf *b)
{
	struct ipifc_ifc *ifc;
	char f[96];

	IPIFC_FOREACH_IFC(ifc, s) {
		ipifc_buf_printf(b, "%d %s %s %s %d\n", ifc->num, ifc->dev,
		    ifc->m->name, ipifc_flags_fmt(ifc->flags, f, sizeof(f)),
		    ifc->mtu);
	}
}

static const char *statenames[] = {
	[IPIFC_ADDR_TENTATIVE] = "tentative",
	[IPIFC_ADDR_PREFERRED] = "preferred",
	[IPIFC_ADDR_DEPRECATED] = "deprecated",
	[IPIFC_ADDR_DUPLICATE] = "duplicate",
};

static void
fmt_lifetime(char *buf, size_t len, uint32_t lt)
{
	if (lt == IPIFC_INFINITE)
		snprintf(buf, len, "infinite");
	else
		snprintf(buf, len, "%u", lt);
}

static void
fmt_status(struct ipifc_ifc *ifc, struct ipifc_buf *b)
{
	struct ipifc_lifc *l;
	const struct ipifc_ra6 *ra = &ifc->ra6;
	char f[96], mac[IPIFC_MACSTRLEN], a[IPIFC_IPSTRLEN], r[IPIFC_IPSTRLEN];
	char m[8], pl[16], vl[16], fl[8], lk[256];
	char dns[IPIFC_RA6_MAXRDNSS * IPIFC_IPSTRLEN];
	int n;

	if (ifc->m->hwlen == 6)
		ipifc_mac_fmt(ifc->mac, mac, sizeof(mac));
	else
		strcpy(mac, "-");
	dns[0] = '\0';
	for (n = 0; n < ra->nrdnss; n++) {
		if (n > 0)
			strcat(dns, ",");
		ipifc_ip_fmt(&ra->rdnss[n], a, sizeof(a));
		strcat(dns, a);
	}
	if (n == 0)
		strcpy(dns, "none");
	fmt_lifetime(vl, sizeof(vl), ra->dnslt);
	ipifc_buf_printf(b, "device %s medium %s mtu %d mintu %d maxtu %d "
	    "lladdr %s flags %s pktin %llu pktout %llu errin %llu "
	    "errout %llu shaperdrops %llu sendqdrops %llu nbrqdrops %llu "
	    "nbrdrops %llu speed %llu delay %d "
	    "burst %llu dad %d reflect %d "
	    "reassemble %d iprouting %d promisc %d allmulti %d gen %u "
	    "sendra %d recvra %d mflag %d oflag %d maxraint %u minraint %u "
	    "linkmtu %u reachtime %u rxmitra %u ttl %d routerlt %u "
	    "rdnss %s dnssl %s dnslt %s",
	    ifc->dev, ifc->m->name, ifc->mtu, ifc->mintu, ifc->maxtu, mac,
	    ipifc_flags_fmt(ifc->flags, f, sizeof(f)),
	    (unsigned long long)ifc->cnt.pktin,
	    (unsigned long long)ifc->cnt.pktout,
	    (unsigned long long)ifc->cnt.errin,
	    (unsigned long long)ifc->cnt.errout,
	    (unsigned long long)ifc->drops_shaper,
	    (unsigned long long)ifc->drops_sendq,
	    (unsigned long long)ifc->drops_nbrq,
	    (unsigned long long)ifc->drops_nbr,
	    (unsigned long long)ifc->speed, ifc->delay,
	    (unsigned long long)ipifc_shaper_burst(ifc), ifc->dad, ifc->reflect,
	    ifc->reassemble, ifc->stack->iprouting, ifc->promisc,
	    ifc->allmulti, ifc->gen, ra->sendra, ra->recvra, ra->mflag,
	    ra->oflag, ra->maxraint, ra->minraint, ra->linkmtu, ra->reachtime,
	    ra->rxmitra, ra->ttl, ra->routerlt, dns,
	    ra->dnssl[0] != '\0' ? ra->dnssl : "none", vl);
	/* the backend's counters (ipifcd: batches, the kernel's drops) */
	if (ifc->stack->link.status != NULL && ifc->stack->link.status(
	    ifc->stack->linkarg, ifc->num, lk, sizeof(lk)) > 0)
		ipifc_buf_printf(b, " %s", lk);
	ipifc_buf_printf(b, "\n");
	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		n = 0;
		if (l->ptp)
			fl[n++] = 'p';
		if (l->proxy)
			fl[n++] = 'y';
		if (l->onlink && !ipifc_lifc_isv4(l))
			fl[n++] = 'o';
		if (l->autonomous)
			fl[n++] = 'a';
		if (l->temporary)
			fl[n++] = 't';
		if (l->formed != 0)
			fl[n++] = (char)l->formed;	/* SLAAC: e or s */
		if (l->conflict)
			fl[n++] = 'c';	/* RFC 5227: someone else uses it */
		if (n == 0)
			fl[n++] = '-';
		fl[n] = '\0';
		fmt_lifetime(pl, sizeof(pl), ipifc_lifc_left(l, l->preflt));
		fmt_lifetime(vl, sizeof(vl), ipifc_lifc_left(l, l->validlt));
		ipifc_buf_printf(b, "%s %s %s %s %s %s %s\n",
		    ipifc_ip_fmt(&l->local, a, sizeof(a)),
		    ipifc_mask_fmt(&l->local, l->plen, m, sizeof(m)),
		    ipifc_ip_fmt(&l->remote, r, sizeof(r)), pl, vl,
		    l->state == IPIFC_ADDR_TENTATIVE && l->optimistic ?
		    "optimistic" : statenames[l->state], fl);
	}
}

static void
fmt_local(struct ipifc_ifc *ifc, struct ipifc_buf *b)
{
	struct ipifc_lifc *l;
	struct ipifc_selflink *k;
	struct ipifc_ip *v = NULL, *nv;
	char a[IPIFC_IPSTRLEN];
	int i, j, n, cap = 0;

	TAILQ_FOREACH(l, &ifc->lifcs, link) {
		ipifc_buf_printf(b, "%s ->", ipifc_ip_fmt(&l->local, a,
		    sizeof(a)));
		/* sorted, so the file does not depend on the order of links */
		n = 0;
		for (k = l->self; k != NULL; k = k->lifcnext) {
			if (n == cap) {
				if ((nv = realloc(v, (size_t)(cap ? 2 * cap :
				    16) * sizeof(*v))) == NULL)
					break;	/* no memory: fewer shown */
				v = nv;
				cap = cap ? 2 * cap : 16;
			}
			if ((k->type & IPIFC_SELF_SHOWN) == 0)
				continue;	/* tentative: not ours */
			for (i = n; i > 0 && ipifc_ip_cmp(&v[i - 1],
			    &k->self->a) > 0; i--)
				v[i] = v[i - 1];
			v[i] = k->self->a;
			n++;
		}
		for (j = 0; j < n; j++)
			ipifc_buf_printf(b, " %s", ipifc_ip_fmt(&v[j], a,
			    sizeof(a)));
		ipifc_buf_printf(b, "\n");
	}
	free(v);
}

static void
fmt_multi(struct ipifc_ifc *ifc, struct ipifc_buf *b)
{
	char a[IPIFC_IPSTRLEN], mac[IPIFC_MACSTRLEN];
	const struct ipifc_group *g;
	uint8_t ll[6];

	TAILQ_FOREACH(g, &ifc->groups, link) {
		ipifc_ip_multimac(ll, &g->ip);
		ipifc_buf_printf(b, "%s %d %s %d\n",
		    ipifc_ip_fmt(&g->ip, a, sizeof(a)), g->refs,
		    ipifc_mac_fmt(ll, mac, sizeof(mac)),
		    ipifc_llgroup_refs(ifc, ll));
	}
}

static int
selfcmp(const void *x, const void *y)
{
	const struct ipifc_self *const *a = x, *const *b = y;

	return ipifc_ip_cmp(&(*a)->a, &(*b)->a);
}

struct selfvec {
	struct ipifc_self **v;
	size_t	n;
};

static void
count_shown(struct ipifc_self *p, void *arg)
{
	struct selfvec *sv = arg;

	sv->n += (p->type & IPIFC_SELF_SHOWN) != 0;
}

static void
take_shown(struct ipifc_self *p, void *arg)
{
	struct selfvec *sv = arg;

	if (p->type & IPIFC_SELF_SHOWN)
		sv->v[sv->n++] = p;
}

static void
fmt_selftab(struct ipifc_stack *s, struct ipifc_buf *b)
{
	struct selfvec sv = { NULL, 0 };
	char a[IPIFC_IPSTRLEN], t[16];
	size_t i;

	ipifc_self_foreach(s, count_shown, &sv);
	if (sv.n == 0)
		return;
	if ((sv.v = calloc(sv.n, sizeof(*sv.v))) == NULL) {
		b->oom = 1;
		return;
	}
	sv.n = 0;
	ipifc_self_foreach(s, take_shown, &sv);
	qsort(sv.v, sv.n, sizeof(*sv.v), selfcmp);
	for (i = 0; i < sv.n; i++)
		ipifc_buf_printf(b, "%s %d %s\n", ipifc_ip_fmt(&sv.v[i]->a, a,
		    sizeof(a)), sv.v[i]->nlinks, ipifc_type_fmt(sv.v[i]->type |
		    (ipifc_ip_isv4(&sv.v[i]->a) ? IPIFC_RT_V4 : 0), t,
		    sizeof(t)));
	free(sv.v);
}

char *
ipifc_read(struct ipifc_stack *s, const char *path, const char **err)
{
	struct ipifc_buf b;
	struct ipifc_ifc *ifc;
	const char *rest;

	memset(&b, 0, sizeof(b));
	*err = NULL;
	if (strcmp(path, "ipifc") == 0)
		fmt_ifcs(s, &b);
	else if (strcmp(path, "ipselftab") == 0)
		fmt_selftab(s, &b);
	else if (strcmp(path, "iproute") == 0)
		ipifc_route_fmt(s, &b);
	else if (strcmp(path, "arp") == 0)
		ipifc_nbr_fmt(s, &b);
	else if (strcmp(path, "ippolicy") == 0)
		ipifc_policy_fmt(s, &b);
	else if (strcmp(path, "ipstats") == 0 && s->hooks != NULL &&
	    s->hooks->stats != NULL)
		s->hooks->stats(s, &b);
	else if (strcmp(path, "ippmtu") == 0 && s->hooks != NULL &&
	    s->hooks->pmtu != NULL)
		s->hooks->pmtu(s, &b);
	else if ((ifc = path_ifc(s, path, &rest)) != NULL) {
		if (strcmp(rest, "status") == 0)
			fmt_status(ifc, &b);
		else if (strcmp(rest, "local") == 0)
			fmt_local(ifc, &b);
		else if (strcmp(rest, "multi") == 0)
			fmt_multi(ifc, &b);
		else if (strcmp(rest, "ctl") == 0)
			ipifc_buf_printf(&b, "%d\n", ifc->num);
		else if (s->ext == NULL || s->ext->read == NULL ||
		    s->ext->read(s->extarg, ifc, rest, &b) < 0) {
			*err = ipifc_errf(s, "%.100s: no such file", path);
			return NULL;
		}
	} else {
		*err = ipifc_errf(s, "%.100s: no such file", path);
		return NULL;
	}
	if (b.oom) {
		free(b.p);
		*err = "out of memory";
		return NULL;
	}
	if (b.p == NULL && (b.p = calloc(1, 1)) == NULL)
		*err = "out of memory";
	return b.p;
}
