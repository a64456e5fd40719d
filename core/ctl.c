/*
 * The interface ctl language: one line, words separated by blanks, the
 * verb first.  Every message checks all its arguments before it changes
 * anything; an error is one line that names the argument at fault.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

int
ipifc_parse_bool(int argc, char **argv, int i)
{
	if (i >= argc)
		return 1;	/* a bare flag means 1 */
	if (strcmp(argv[i], "1") == 0 || strcmp(argv[i], "on") == 0)
		return 1;
	if (strcmp(argv[i], "0") == 0 || strcmp(argv[i], "off") == 0)
		return 0;
	return -1;
}

/* A decimal number in [min, max]; 0 or -EINVAL. */
static int
parse_num(const char *s, long long min, long long max, long long *v)
{
	char *end;
	long long n;

	if (*s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return -EINVAL;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return -EINVAL;
	*v = n;
	return 0;
}

static int
parse_lifetime(const char *s, uint32_t *lt)
{
	long long v;

	if (strcmp(s, "infinite") == 0) {
		*lt = IPIFC_INFINITE;
		return 0;
	}
	if (parse_num(s, 0, IPIFC_INFINITE, &v) < 0)
		return -EINVAL;
	*lt = (uint32_t)v;
	return 0;
}

/* "IP", "IP/LEN" or "IP MASK": fills local and plen; returns words used. */
static const char *
parse_addr_mask(struct ipifc_stack *s, int argc, char **argv, int i,
    int needmask, struct ipifc_ip *a, int *plen, int *used)
{
	char buf[64], *slash;
	int v4;

	if (i >= argc)
		return ipifc_errf(s, "missing address");
	if (strlen(argv[i]) >= sizeof(buf))
		return ipifc_errf(s, "bad address %.40s...", argv[i]);
	strcpy(buf, argv[i]);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash = '\0';
	if (ipifc_ip_parse(buf, a) < 0)
		return ipifc_errf(s, "bad address %s", buf);
	v4 = ipifc_ip_isv4(a);
	if (slash != NULL) {
		*slash = '/';
		if (ipifc_mask_parse(slash, v4, plen) < 0)
			return ipifc_errf(s, "bad mask %s", slash);
		*used = 1;
		return NULL;
	}
	if (i + 1 < argc) {
		if (ipifc_mask_parse(argv[i + 1], v4, plen) < 0)
			return ipifc_errf(s, "bad mask %s", argv[i + 1]);
		*used = 2;
		return NULL;
	}
	if (needmask)
		return ipifc_errf(s, "missing mask for %s", buf);
	*used = 1;
	if (v4) {
		/* the classful default, as plan9 and 4.2BSD give it */
		if ((*plen = ipifc_ip_classplen(a)) < 0)
			return ipifc_errf(s, "no default mask for %s", buf);
	} else
		*plen = ipifc_ip_eq(a, &ipifc_ip_loopback6) ? 128 : 64;
	return NULL;
}

/* add IP MASK [REMOTE [MTU [proxy]]] or add IP/LEN [REMOTE [MTU [proxy]]] */
static const char *
parse_add(struct ipifc_ifc *ifc, int argc, char **argv,
    struct ipifc_addreq *r)
{
	struct ipifc_stack *s = ifc->stack;
	const char *err;
	long long v;
	int i, used = 0;

	memset(r, 0, sizeof(*r));
	r->onlink = 1;
	r->autonomous = 0;
	r->validlt = r->preflt = IPIFC_INFINITE;
	if ((err = parse_addr_mask(s, argc, argv, 1, 0, &r->local, &r->plen,
	    &used)) != NULL)
		return err;
	i = 1 + used;
	if (i < argc) {
		if (ipifc_ip_parse(argv[i], &r->remote) < 0)
			return ipifc_errf(s, "bad remote %s", argv[i]);
		r->hasremote = 1;
		i++;
	}
	if (i < argc) {
		if (parse_num(argv[i], 0, INT_MAX, &v) < 0)
			return ipifc_errf(s, "bad mtu %s", argv[i]);
		r->mtu = (int)v;
		i++;
	}
	if (i < argc) {
		if (strcmp(argv[i], "proxy") != 0)
			return ipifc_errf(s, "bad flag %s: want proxy",
			    argv[i]);
		r->proxy = 1;
		i++;
	}
	if (i < argc)
		return ipifc_errf(s, "too many arguments");
	return NULL;
}

static const char *
ctl_add(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_addreq r;
	const char *err;

	if ((err = parse_add(ifc, argc, argv, &r)) != NULL)
		return err;
	return ipifc_lifc_add(ifc, &r);
}

static const char *
ctl_remove(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip a, remote;
	const char *err;
	int plen, used = 0, hasremote = 0;

	if ((err = parse_addr_mask(s, argc, argv, 1, 1, &a, &plen, &used)) !=
	    NULL)
		return err;
	if (1 + used < argc) {
		if (ipifc_ip_parse(argv[1 + used], &remote) < 0)
			return ipifc_errf(s, "bad remote %s", argv[1 + used]);
		hasremote = 1;
	}
	if (2 + used < argc)
		return ipifc_errf(s, "too many arguments");
	return ipifc_lifc_remove(ifc, &a, plen, &remote, hasremote);
}

/* connect: remove every address, then add (plan9). */
static const char *
ctl_connect(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_addreq r;
	struct ipifc_lifc *l;
	const char *err;

	if ((err = parse_add(ifc, argc, argv, &r)) != NULL)
		return err;
	/* everything is checked before anything is removed */
	if ((err = ipifc_lifc_check(ifc, &r)) != NULL)
		return err;
	while ((l = TAILQ_FIRST(&ifc->lifcs)) != NULL)
		ipifc_lifc_del(l);
	return ipifc_lifc_add(ifc, &r);
}

/* add6 PREFIX PLEN [ONLINK AUTO VALIDLT PREFLT] (plan9, RFC 4862 5.5.3) */
static const char *
ctl_add6(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_addreq r;
	struct ipifc_ip prefix;
	const char *p;
	long long v;
	int onlink, autonomous;

	if (argc != 3 && argc != 7)
		return "usage: add6 PREFIX PLEN [ONLINK AUTO VALIDLT PREFLT]";
	memset(&r, 0, sizeof(r));
	if (ipifc_ip_parse(argv[1], &prefix) < 0 || ipifc_ip_isv4(&prefix))
		return ipifc_errf(s, "bad prefix %s", argv[1]);
	p = argv[2][0] == '/' ? argv[2] + 1 : argv[2];
	if (parse_num(p, 0, 64, &v) < 0)
		return ipifc_errf(s, "bad prefix length %s: want 0 to 64",
		    argv[2]);
	r.plen = (int)v;
	if (ipifc_ip_islinklocal(&prefix) || ipifc_ip_ismulti(&prefix))
		return ipifc_errf(s, "bad prefix %s (link-local or multicast)",
		    argv[1]);
	if (ifc->m->hwlen == 0)
		return ipifc_errf(s, "add6 needs a medium with a link-layer "
		    "address");
	r.onlink = r.autonomous = 1;
	r.validlt = r.preflt = IPIFC_INFINITE;
	if (argc == 7) {
		if ((onlink = ipifc_parse_bool(argc, argv, 3)) < 0)
			return ipifc_errf(s, "bad onlink flag %s", argv[3]);
		if ((autonomous = ipifc_parse_bool(argc, argv, 4)) < 0)
			return ipifc_errf(s, "bad autonomous flag %s", argv[4]);
		if (parse_lifetime(argv[5], &r.validlt) < 0)
			return ipifc_errf(s, "bad valid lifetime %s", argv[5]);
		if (parse_lifetime(argv[6], &r.preflt) < 0)
			return ipifc_errf(s, "bad preferred lifetime %s",
			    argv[6]);
		r.onlink = onlink;
		r.autonomous = autonomous;
	}
	if (r.validlt < r.preflt)
		return ipifc_errf(s, "valid lifetime %s under preferred "
		    "lifetime %s", argv[5], argv[6]);
	ipifc_ip_mask(&r.local, &prefix, r.plen);
	ipifc_eui64(&r.local.a[8], ifc->mac);
	return ipifc_lifc_add(ifc, &r);
}

/* rdnss none|ADDR[,ADDR...]: RFC 8106 5.1 servers, unicast IPv6. */
static const char *
parse_rdnss(struct ipifc_stack *s, const char *v, struct ipifc_ra6 *ra)
{
	char word[IPIFC_IPSTRLEN];
	const char *p = v, *e;
	size_t n;

	ra->nrdnss = 0;
	if (strcmp(v, "none") == 0)
		return NULL;
	for (;;) {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (ra->nrdnss == IPIFC_RA6_MAXRDNSS)
			return ipifc_errf(s, "bad rdnss %s: at most %d servers",
			    v, IPIFC_RA6_MAXRDNSS);
		if (n == 0 || n >= sizeof(word))
			return ipifc_errf(s, "bad rdnss %s", v);
		memcpy(word, p, n);
		word[n] = '\0';
		if (ipifc_ip_parse(word, &ra->rdnss[ra->nrdnss]) < 0 ||
		    ipifc_ip_isv4(&ra->rdnss[ra->nrdnss]) ||
		    ipifc_ip_ismulti(&ra->rdnss[ra->nrdnss]) ||
		    ipifc_ip_isunspec(&ra->rdnss[ra->nrdnss]))
			return ipifc_errf(s, "bad rdnss address %s", word);
		ra->nrdnss++;
		if (e == NULL)
			return NULL;
		p = e + 1;
	}
}

/*
 * dnssl none|DOMAIN[,DOMAIN...]: RFC 8106 5.2 search domains.  Each
 * label is 1 to 63 letters, digits and hyphens, neither first nor last a
 * hyphen (RFC 1035 2.3.1, RFC 1123 2.1 allows a digit first); a name
 * takes at most 255 octets on the wire (RFC 1035 2.3.4).
 */
static const char *
parse_dnssl(struct ipifc_stack *s, const char *v, struct ipifc_ra6 *ra)
{
	const char *p;
	size_t label = 0, name = 0;
	int n = 1;

	ra->dnssl[0] = '\0';
	if (strcmp(v, "none") == 0)
		return NULL;
	if (strlen(v) >= sizeof(ra->dnssl))
		return ipifc_errf(s, "bad dnssl: over %zu characters",
		    sizeof(ra->dnssl) - 1);
	for (p = v;; p++) {
		if (*p == '.' || *p == ',' || *p == '\0') {
			if (label == 0 || p[-1] == '-')
				return ipifc_errf(s, "bad dnssl %s", v);
			name += 1 + label;
			label = 0;
			if (*p == '.')
				continue;
			if (name + 1 > 255)
				return ipifc_errf(s, "bad dnssl: a name over "
				    "255 octets");
			name = 0;
			if (*p == '\0')
				break;
			if (++n > IPIFC_RA6_MAXDNSSL)
				return ipifc_errf(s, "bad dnssl %s: at most %d "
				    "domains", v, IPIFC_RA6_MAXDNSSL);
			continue;
		}
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || (*p == '-' && label > 0)) ||
		    ++label > 63)
			return ipifc_errf(s, "bad dnssl %s", v);
	}
	strcpy(ra->dnssl, v);
	return NULL;
}

/* ra6 KEY VALUE ...: RFC 4861 6.2.1 ranges, checked on a copy. */
static const char *
ctl_ra6(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ra6 ra = ifc->ra6;
	static const struct {
		const char *key;
		long long min, max;
		size_t off;
		int isint;
	} keys[] = {
#define K(name, min, max, isint) \
	{ #name, min, max, offsetof(struct ipifc_ra6, name), isint }
		K(sendra, 0, 1, 1),
		K(recvra, 0, 1, 1),
		K(mflag, 0, 1, 1),
		K(oflag, 0, 1, 1),
		K(maxraint, 4000, 1800000, 0),
		K(minraint, 3000, 1350000, 0),
		K(linkmtu, 0, 65535, 0),
		K(reachtime, 0, 3600000, 0),
		K(rxmitra, 0, 0xffffffffLL, 0),
		K(ttl, 0, 255, 1),
		K(routerlt, 0, 9000, 0),
#undef K
	};
	const char *err;
	size_t k;
	long long v;
	int i, old;

	if (argc < 3 || argc % 2 == 0)
		return "usage: ra6 KEY VALUE [KEY VALUE ...]";
	for (i = 1; i < argc; i += 2) {
		if (strcmp(argv[i], "rdnss") == 0) {
			if ((err = parse_rdnss(s, argv[i + 1], &ra)) != NULL)
				return err;
			continue;
		}
		if (strcmp(argv[i], "dnssl") == 0) {
			if ((err = parse_dnssl(s, argv[i + 1], &ra)) != NULL)
				return err;
			continue;
		}
		if (strcmp(argv[i], "dnslt") == 0) {
			if (parse_lifetime(argv[i + 1], &ra.dnslt) < 0)
				return ipifc_errf(s, "bad dnslt %s", argv[i + 1]);
			continue;
		}
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(argv[i], keys[k].key) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			/* a key of the extension above (host mode) */
			if (s->ext != NULL && s->ext->ra6 != NULL) {
				if ((err = s->ext->ra6(s->extarg, ifc, argv[i],
				    argv[i + 1], 0)) != NULL)
					return err;
				continue;
			}
			return ipifc_errf(s, "unknown ra6 key %s", argv[i]);
		}
		if (parse_num(argv[i + 1], keys[k].min, keys[k].max, &v) < 0)
			return ipifc_errf(s, "bad %s %s: want %lld to %lld",
			    argv[i], argv[i + 1], keys[k].min, keys[k].max);
		if (keys[k].isint)
			*(int *)((char *)&ra + keys[k].off) = (int)v;
		else
			*(uint32_t *)((char *)&ra + keys[k].off) = (uint32_t)v;
	}
	/* RFC 4861 6.2.1: MinRtrAdvInterval <= 0.75 * MaxRtrAdvInterval */
	if ((uint64_t)ra.minraint * 4 > (uint64_t)ra.maxraint * 3)
		return ipifc_errf(s, "minraint %u over 0.75 * maxraint %u",
		    ra.minraint, ra.maxraint);
	/* RFC 4861 6.2.1: AdvDefaultLifetime 0 or MaxRtrAdvInterval..9000s */
	if (ra.routerlt != 0 && (uint64_t)ra.routerlt * 1000 < ra.maxraint)
		return ipifc_errf(s, "routerlt %u under maxraint", ra.routerlt);
	if (ra.linkmtu != 0 && (ra.linkmtu < 1280 ||
	    ra.linkmtu > (uint32_t)ifc->maxtu))
		return ipifc_errf(s, "bad linkmtu %u: want 0 or 1280 to %d",
		    ra.linkmtu, ifc->maxtu);
	if (ra.sendra && ifc->m->hwlen == 0)
		return ipifc_errf(s, "sendra needs a medium with a link-layer "
		    "address");
	if (ra.recvra && (s->ext == NULL || s->ext->recvra == NULL))
		return "ra6 recvra: host mode is not attached";
	/* proto/nd.c hears ND on a link with link-layer addresses only */
	if (ra.recvra && !ifc->ra6.recvra && ifc->m->hwlen == 0)
		return ipifc_errf(s, "recvra needs a medium with a link-layer "
		    "address");
	old = ifc->ra6.recvra;
	ifc->ra6 = ra;
	ipifc_ifc_rtadv(ifc, ra.sendra && ipifc_ifc_up(ifc));
	for (i = 1; i < argc && s->ext != NULL && s->ext->ra6 != NULL; i += 2)
		(void)s->ext->ra6(s->extarg, ifc, argv[i], argv[i + 1], 1);
	if (old != ra.recvra)
		s->ext->recvra(s->extarg, ifc, ra.recvra);
	return NULL;
}

static const char *
ctl_mtu(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_lifc *l;
	struct ipifc_event ev;
	long long v;

	if (argc != 2)
		return "usage: mtu N";
	if (parse_num(argv[1], ifc->mintu, ifc->maxtu, &v) < 0)
		return ipifc_errf(s, "bad mtu %s: want %d to %d", argv[1],
		    ifc->mintu, ifc->maxtu);
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (!ipifc_lifc_isv4(l) && v < 1280)
			return ipifc_errf(s, "mtu %lld: IPv6 needs 1280", v);
	if (ifc->mtu != (int)v) {
		ifc->mtu = (int)v;
		memset(&ev, 0, sizeof(ev));
		ev.type = IPIFC_EV_IFC_MTU;
		ev.ifc = ifc->num;
		ev.mtu = ifc->mtu;
		ipifc_announce(s, &ev);
	}
	return NULL;
}

static const char *
ctl_refcount(struct ipifc_ifc *ifc, int argc, char **argv, int *refs,
    unsigned flag)
{
	struct ipifc_stack *s = ifc->stack;
	int on = 0;

	if (argc != 2 || (on = ipifc_parse_bool(argc, argv, 1)) < 0)
		return ipifc_errf(s, "usage: %s on|off", argv[0]);
	if (on) {
		if (!ipifc_ifc_up(ifc))
			return ipifc_errf(s, "%s: interface %d is down",
			    argv[0], ifc->num);
		if ((*refs)++ == 0) {
			ifc->flags |= flag;
			ipifc_ifc_flags_event(ifc);
		}
		return NULL;
	}
	if (*refs == 0)
		return ipifc_errf(s, "%s is not on", argv[0]);
	if (--*refs == 0) {
		ifc->flags &= ~flag;
		ipifc_ifc_flags_event(ifc);
	}
	return NULL;
}

static const char *
ctl_lladdr(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_event ev;
	struct ipifc_lifc *l;
	uint8_t mac[6];

	if (argc != 2)
		return "usage: lladdr MAC";
	if (ifc->m->hwlen != 6)
		return ipifc_errf(s, "lladdr needs an ether interface");
	/* a station address: not group, not all zero (IEEE 802 9.2) */
	if (ipifc_mac_parse(argv[1], mac) < 0 || (mac[0] & 1) ||
	    memcmp(mac, "\0\0\0\0\0\0", 6) == 0)
		return ipifc_errf(s, "bad link-layer address %s", argv[1]);
	if (memcmp(mac, ifc->mac, 6) == 0)
		return NULL;
	ipifc_lifc_unlinklocal(ifc);
	memcpy(ifc->mac, mac, 6);
	memset(&ev, 0, sizeof(ev));
	ev.type = IPIFC_EV_IFC_LLADDR;
	ev.ifc = ifc->num;
	memcpy(ev.mac, mac, 6);
	ipifc_announce(s, &ev);
	ipifc_lifc_linklocal(ifc);
	/* the neighbors learn the new address: probe and announce again */
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (ipifc_lifc_isv4(l) && ifc->m->areg != NULL &&
		    ipifc_ifc_up(ifc))
			ifc->m->areg(ifc, l);
	return NULL;
}

static const char *
ctl_multi(struct ipifc_ifc *ifc, struct ipifc_client *c, int argc,
    char **argv, int join)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_ip g, a;

	if (argc != 2 && argc != 3)
		return ipifc_errf(s, "usage: %s GROUP [IFCADDR]", argv[0]);
	if (c == NULL)
		return ipifc_errf(s, "%s needs a client", argv[0]);
	if (ipifc_ip_parse(argv[1], &g) < 0)
		return ipifc_errf(s, "bad group %s", argv[1]);
	if (argc == 3 && ipifc_ip_parse(argv[2], &a) < 0)
		return ipifc_errf(s, "bad address %s", argv[2]);
	if (join)
		return ipifc_multi_join(ifc, c, &g, argc == 3 ? &a : NULL);
	return ipifc_multi_leave(ifc, c, &g, argc == 3 ? &a : NULL);
}

/* A 0/1 option: bare means 1. */
static const char *
ctl_bool(struct ipifc_ifc *ifc, int argc, char **argv, int *v)
{
	int on = 0;

	if (argc > 2 || (on = ipifc_parse_bool(argc, argv, 1)) < 0)
		return ipifc_errf(ifc->stack, "usage: %s [0|1]", argv[0]);
	*v = on;
	return NULL;
}

static const char *
ctl_iprouting(struct ipifc_ifc *ifc, int argc, char **argv)
{
	const char *err;
	int on = 0;

	if ((err = ctl_bool(ifc, argc, argv, &on)) != NULL)
		return err;
	if (ipifc_lifc_iprouting(ifc->stack, on) < 0)
		return ipifc_errf(ifc->stack, "out of memory");
	return NULL;
}

static const char *
ctl_noarp(struct ipifc_ifc *ifc, int argc, char **argv)
{
	struct ipifc_lifc *l;
	const char *err;
	unsigned old = ifc->flags;
	int on = 0;

	if ((err = ctl_bool(ifc, argc, argv, &on)) != NULL)
		return err;
	if (on) {
		ifc->flags |= IPIFC_F_NOARP;
		/* no ARP: probes and announcements under way stop */
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			ipifc_acd_stop(l);
	} else
		ifc->flags &= ~IPIFC_F_NOARP;
	if (ifc->flags != old)
		ipifc_ifc_flags_event(ifc);
	return NULL;
}

static const char *
ctl_linklocal(struct ipifc_ifc *ifc, int argc, char **argv)
{
	const char *err;
	int on = 0;

	if ((err = ctl_bool(ifc, argc, argv, &on)) != NULL)
		return err;
	ifc->nolinklocal = !on;
	if (on)
		ipifc_lifc_linklocal(ifc);
	else
		ipifc_lifc_unlinklocal(ifc);
	return NULL;
}

static const char *
ctl_number(struct ipifc_ifc *ifc, int argc, char **argv, long long min,
    long long max, long long *v)
{
	if (argc != 2 || parse_num(argv[1], min, max, v) < 0)
		return ipifc_errf(ifc->stack, "usage: %s N (%lld to %lld)",
		    argv[0], min, max);
	return NULL;
}

const char *
ipifc_ifc_ctl(struct ipifc_ifc *ifc, struct ipifc_client *c, int argc,
    char **argv)
{
	struct ipifc_stack *s = ifc->stack;
	const char *err;
	const char *v = argv[0];
	long long n;

	if (strcmp(v, "add") == 0)
		return ctl_add(ifc, argc, argv);
	if (strcmp(v, "remove") == 0)
		return ctl_remove(ifc, argc, argv);
	if (strcmp(v, "connect") == 0)
		return ctl_connect(ifc, argc, argv);
	if (strcmp(v, "add6") == 0)
		return ctl_add6(ifc, argc, argv);
	if (strcmp(v, "ra6") == 0)
		return ctl_ra6(ifc, argc, argv);
	if (strcmp(v, "mtu") == 0)
		return ctl_mtu(ifc, argc, argv);
	if (strcmp(v, "unbind") == 0) {
		if (argc != 1)
			return "usage: unbind";
		ipifc_ifc_unbind(ifc);
		return NULL;
	}
	if (strcmp(v, "bind") == 0)
		return ipifc_errf(s, "interface %d is already bound", ifc->num);
	if (strcmp(v, "up") == 0 || strcmp(v, "down") == 0) {
		if (argc != 1)
			return ipifc_errf(s, "usage: %s", v);
		return ipifc_ifc_setup(ifc, v[0] == 'u');
	}
	if (strcmp(v, "speed") == 0) {
		if ((err = ctl_number(ifc, argc, argv, 0, 1000000000000000LL,
		    &n)) != NULL)
			return err;
		ipifc_shaper_speed(ifc, (uint64_t)n);
		return NULL;
	}
	if (strcmp(v, "delay") == 0) {
		/* the seed clamps the delay into 0..1000 ms */
		if ((err = ctl_number(ifc, argc, argv, LLONG_MIN, LLONG_MAX,
		    &n)) != NULL)
			return err;
		ifc->delay = n < 0 ? 0 : n > IPIFC_MAXDELAY ? IPIFC_MAXDELAY :
		    (int)n;
		return NULL;
	}
	if (strcmp(v, "dad") == 0) {
		if ((err = ctl_number(ifc, argc, argv, 0, IPIFC_MAXDAD, &n)) !=
		    NULL)
			return err;
		ifc->dad = (int)n;
		return NULL;
	}
	if (strcmp(v, "reflect") == 0)
		return ctl_bool(ifc, argc, argv, &ifc->reflect);
	if (strcmp(v, "reassemble") == 0)
		return ctl_bool(ifc, argc, argv, &ifc->reassemble);
	if (strcmp(v, "iprouting") == 0)
		return ctl_iprouting(ifc, argc, argv);
	if (strcmp(v, "noarp") == 0)
		return ctl_noarp(ifc, argc, argv);
	if (strcmp(v, "linklocal") == 0)
		return ctl_linklocal(ifc, argc, argv);
	if (strcmp(v, "lladdr") == 0)
		return ctl_lladdr(ifc, argc, argv);
	if (strcmp(v, "promisc") == 0)
		return ctl_refcount(ifc, argc, argv, &ifc->promisc,
		    IPIFC_F_PROMISC);
	if (strcmp(v, "allmulti") == 0)
		return ctl_refcount(ifc, argc, argv, &ifc->allmulti,
		    IPIFC_F_ALLMULTI);
	if (strcmp(v, "joinmulti") == 0)
		return ctl_multi(ifc, c, argc, argv, 1);
	if (strcmp(v, "leavemulti") == 0)
		return ctl_multi(ifc, c, argc, argv, 0);
	/* what the stack does not know, the layer above may (iid) */
	if (s->ext != NULL && s->ext->ctl != NULL &&
	    (err = s->ext->ctl(s->extarg, ifc, argc, argv)) !=
	    ipifc_ext_notmine)
		return err;
	/* ... or the backend (capture FILE) */
	if (s->link.ctl != NULL)
		return s->link.ctl(s->linkarg, ifc->num, argc, argv);
	return ipifc_errf(s, "unknown ctl message %s", v);
}
