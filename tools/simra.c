/*
 * The scenario runner's router (see simra.h).  It builds router
 * advertisements with the library's ND builder, as a router would send
 * them, breaks them on request in each way RFC 4861 6.1.2 tells a host to
 * drop, answers neighbor solicitations for its own address, and prints
 * the router solicitations it hears.
 *
 *   ra SEGMENT [from ADDR] [lifetime S] [prf high|medium|low]
 *      [prefix P/LEN VALID PREFERRED [FLAGS]]...  (FLAGS: l, a, la, -)
 *      [rdnss ADDR LIFE]... [dnssl NAME LIFE]... [route P/LEN LIFE [PRF]]...
 *      [pref64 P/LEN LIFE]... [captive URI] [mtu N] [curhlim N]
 *      [reachable MS] [retrans MS] [noslla] [bad KIND]
 *
 * KIND: hlim (IP hop limit 64), source (a global source), cksum, code
 * (ICMP code 1), short (12 bytes), optlen0 (an option of length 0).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "simra.h"
#include "wire.h"

#define SIMRA_MAXFRAME	1514

struct simra {
	struct ipifc_simhost *host;
	char	seg[IPIFC_SIMSEG_NAMELEN + 4];
	char	fromtext[IPIFC_IPSTRLEN];
	struct ipifc_ip from;
	uint8_t	mac[6];
	FILE	*out;
	const uint64_t *now;
};

static const struct ipifc_ip global_src = {	/* 2001:db8::99 */
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99 } };

static void
send_ip6(struct simra *r, const uint8_t dmac[6], const struct ipifc_ip *src,
    const struct ipifc_ip *dst, int hlim, const uint8_t *icmp, size_t len)
{
	uint8_t f[SIMRA_MAXFRAME];
	struct ipifc_ip6 h;

	if (14 + IPIFC_IP6_HLEN + len > sizeof(f))
		return;
	ipifc_eth_build(f, sizeof(f), dmac, r->mac, 0x86dd);
	memset(&h, 0, sizeof(h));
	h.hlim = (uint8_t)hlim;
	h.nxt = IPIFC_PROTO_ICMP6;
	h.src = *src;
	h.dst = *dst;
	h.plen = len;
	if (ipifc_ip6_build(f + 14, sizeof(f) - 14, &h) < 0)
		return;
	memcpy(f + 14 + IPIFC_IP6_HLEN, icmp, len);
	(void)ipifc_simseg_ops.send(r->host, 0, f, 14 + IPIFC_IP6_HLEN + len);
}

/* RFC 4861 7.2.4: our address is asked for: a solicited answer. */
static void
answer_ns(struct simra *r, const struct ipifc_eth *e,
    const struct ipifc_ip6 *h, const struct ipifc_nd *m)
{
	struct ipifc_nd na;
	uint8_t buf[64];
	int n;

	if (!ipifc_ip_eq(&m->target, &r->from) || ipifc_ip_isunspec(&h->src))
		return;
	memset(&na, 0, sizeof(na));
	na.type = IPIFC_ND_NA;
	na.target = r->from;
	na.flags = IPIFC_ND_NA_ROUTER | IPIFC_ND_NA_SOLICITED |
	    IPIFC_ND_NA_OVERRIDE;
	na.has = IPIFC_ND_HAS_TLLA;
	memcpy(na.tlla, r->mac, 6);
	if ((n = ipifc_nd_build(buf, sizeof(buf), &r->from, &h->src,
	    &na)) < 0)
		return;
	send_ip6(r, e->src, &r->from, &h->src, IPIFC_ND_HOPLIMIT, buf,
	    (size_t)n);
}

/* A `heard` line for every RS; neighbor solicitations are answered. */
static void
simra_input(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct simra *r = arg;
	struct ipifc_eth e;
	struct ipifc_ip6 h;
	struct ipifc_nd m;
	char s[IPIFC_IPSTRLEN], mac[IPIFC_MACSTRLEN];
	uint8_t nxt;
	size_t off;

	(void)ifc;
	if (ipifc_eth_parse(frame, len, &e) < 0 || e.type != 0x86dd ||
	    ipifc_ip6_parse(e.payload, e.plen, &h) < 0 ||
	    ipifc_ip6_skipext(h.nxt, h.payload, h.plen, &nxt, &off,
	    NULL) != 0 || nxt != IPIFC_PROTO_ICMP6 || off != 0)
		return;
	if (ipifc_nd_parse(&h, h.payload, h.plen, &m) < 0)
		return;
	if (m.type == IPIFC_ND_NS) {
		answer_ns(r, &e, &h, &m);
		return;
	}
	if (m.type != IPIFC_ND_RS)
		return;
	fprintf(r->out, "heard %s %llums: RS %s", r->seg,
	    (unsigned long long)*r->now, ipifc_ip_fmt(&h.src, s, sizeof(s)));
	if (m.has & IPIFC_ND_HAS_SLLA)
		fprintf(r->out, " slla %s", ipifc_mac_fmt(m.slla, mac,
		    sizeof(mac)));
	fputc('\n', r->out);
}

static uint64_t
simra_clock(void *arg)
{
	return *((struct simra *)arg)->now;
}

struct simra *
simra_new(struct ipifc_simnet *net, const char *seg, const char *from,
    FILE *out, const uint64_t *now, const char **why)
{
	struct simra *r;
	char dev[IPIFC_SIMSEG_NAMELEN + 4];
	uint8_t mac[6];
	int rc;

	if (strlen(seg) >= IPIFC_SIMSEG_NAMELEN) {
		*why = "segment name too long";
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		*why = strerror(errno);
		return NULL;
	}
	if (ipifc_ip_parse(from, &r->from) < 0 ||
	    !ipifc_ip_islinklocal(&r->from) || ipifc_ip_isv4(&r->from)) {
		*why = "a router's address is IPv6 link-local";
		free(r);
		return NULL;
	}
	ipifc_ip_fmt(&r->from, r->fromtext, sizeof(r->fromtext));
	/* a station address made of the router's address */
	r->mac[0] = 0x02;
	r->mac[3] = 0x88;
	r->mac[4] = r->from.a[14];
	r->mac[5] = r->from.a[15];
	r->out = out;
	r->now = now;
	snprintf(r->seg, sizeof(r->seg), "%s", seg);
	if ((r->host = ipifc_simhost_new_fn(net, simra_input, simra_clock,
	    r)) == NULL) {
		*why = strerror(errno);
		free(r);
		return NULL;
	}
	snprintf(dev, sizeof(dev), "sim:%s", seg);
	if ((rc = ipifc_simseg_ops.open(r->host, 0, dev, mac)) != 0) {
		*why = strerror(-rc);
		ipifc_simhost_free(r->host);
		free(r);
		return NULL;
	}
	return r;
}

void
simra_free(struct simra *r)
{
	if (r == NULL)
		return;
	ipifc_simhost_free(r->host);
	free(r);
}

const char *
simra_segment(const struct simra *r)
{
	return r->seg;
}

const char *
simra_from(const struct simra *r)
{
	return r->fromtext;
}

static int
num(const char *s, unsigned long max, uint32_t *v)
{
	unsigned long n;
	char *end;

	if (strcmp(s, "infinite") == 0 && max >= 0xffffffffUL) {
		*v = 0xffffffffu;
		return 0;
	}
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || s[0] == '\0' || s[0] == '-' ||
	    n > max)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

static int
prefix(const char *s, struct ipifc_ip *p, int *plen)
{
	char a[IPIFC_IPSTRLEN];
	const char *slash = strchr(s, '/');

	if (slash == NULL || (size_t)(slash - s) >= sizeof(a))
		return -1;
	memcpy(a, s, (size_t)(slash - s));
	a[slash - s] = '\0';
	if (ipifc_ip_parse(a, p) < 0 || ipifc_ip_isv4(p) ||
	    ipifc_mask_parse(slash, 0, plen) < 0)
		return -1;
	ipifc_ip_mask(p, p, *plen);
	return 0;
}

static int
prf(const char *s, uint8_t *v)
{
	if (strcmp(s, "high") == 0)
		*v = IPIFC_ND_PRF_HIGH;
	else if (strcmp(s, "medium") == 0)
		*v = IPIFC_ND_PRF_MEDIUM;
	else if (strcmp(s, "low") == 0)
		*v = IPIFC_ND_PRF_LOW;
	else
		return -1;
	return 0;
}

/* Parse the words into m; bad gets KIND or NULL. */
static const char *
parse(int argc, char **argv, struct ipifc_nd *m, const char **bad)
{
	static char err[160];
	struct ipifc_nd_prefix *pi;
	uint32_t v;
	uint8_t p;
	int i, plen;

	memset(m, 0, sizeof(*m));
	m->type = IPIFC_ND_RA;
	m->rtrlife = 1800;
	m->has = IPIFC_ND_HAS_SLLA;
	*bad = NULL;
	for (i = 0; i < argc; i++) {
		const char *k = argv[i];
		int left = argc - i - 1;

		if (strcmp(k, "noslla") == 0) {
			m->has &= ~(unsigned)IPIFC_ND_HAS_SLLA;
		} else if (strcmp(k, "from") == 0 && left >= 1) {
			i++;		/* taken by the caller */
		} else if (strcmp(k, "bad") == 0 && left >= 1) {
			*bad = argv[++i];
			if (strcmp(*bad, "hlim") != 0 &&
			    strcmp(*bad, "source") != 0 &&
			    strcmp(*bad, "cksum") != 0 &&
			    strcmp(*bad, "code") != 0 &&
			    strcmp(*bad, "short") != 0 &&
			    strcmp(*bad, "optlen0") != 0)
				goto badword;
		} else if (strcmp(k, "lifetime") == 0 && left >= 1) {
			if (num(argv[++i], 65535, &v) < 0)
				goto badword;
			m->rtrlife = (uint16_t)v;
		} else if (strcmp(k, "prf") == 0 && left >= 1) {
			if (prf(argv[++i], &p) < 0)
				goto badword;
			m->flags = (uint8_t)((m->flags &
			    ~IPIFC_ND_RA_PRFMASK) |
			    (p << IPIFC_ND_RA_PRFSHIFT));
		} else if (strcmp(k, "mtu") == 0 && left >= 1) {
			if (num(argv[++i], 0xffffffffUL - 1, &m->mtu) < 0)
				goto badword;
			m->has |= IPIFC_ND_HAS_MTU;
		} else if (strcmp(k, "curhlim") == 0 && left >= 1) {
			if (num(argv[++i], 255, &v) < 0)
				goto badword;
			m->curhlim = (uint8_t)v;
		} else if (strcmp(k, "reachable") == 0 && left >= 1) {
			if (num(argv[++i], 3600000, &m->reachable) < 0)
				goto badword;
		} else if (strcmp(k, "retrans") == 0 && left >= 1) {
			if (num(argv[++i], 0xffffffffUL - 1, &m->retrans) < 0)
				goto badword;
		} else if (strcmp(k, "prefix") == 0 && left >= 3) {
			if (m->nprefix == IPIFC_ND_MAXPREFIX)
				goto badword;
			pi = &m->prefix[m->nprefix];
			if (prefix(argv[i + 1], &pi->prefix, &plen) < 0 ||
			    num(argv[i + 2], 0xffffffffUL, &pi->valid) < 0 ||
			    num(argv[i + 3], 0xffffffffUL, &pi->preferred) < 0)
				goto badword;
			pi->plen = (uint8_t)plen;
			pi->flags = IPIFC_ND_PI_ONLINK | IPIFC_ND_PI_AUTO;
			i += 3;
			if (i + 1 < argc && strspn(argv[i + 1], "la-") ==
			    strlen(argv[i + 1])) {
				i++;
				pi->flags = (uint8_t)(
				    (strchr(argv[i], 'l') ? IPIFC_ND_PI_ONLINK :
				    0) | (strchr(argv[i], 'a') ?
				    IPIFC_ND_PI_AUTO : 0));
			}
			m->nprefix++;
		} else if (strcmp(k, "rdnss") == 0 && left >= 2) {
			if (m->nrdnss == IPIFC_ND_MAXRDNSS ||
			    ipifc_ip_parse(argv[i + 1],
			    &m->rdnss[m->nrdnss].addr) < 0 ||
			    num(argv[i + 2], 0xffffffffUL,
			    &m->rdnss[m->nrdnss].lifetime) < 0)
				goto badword;
			m->nrdnss++;
			i += 2;
		} else if (strcmp(k, "dnssl") == 0 && left >= 2) {
			if (m->ndnssl == IPIFC_ND_MAXDNSSL ||
			    strlen(argv[i + 1]) >= IPIFC_ND_DNSNAMEMAX ||
			    num(argv[i + 2], 0xffffffffUL,
			    &m->dnssl[m->ndnssl].lifetime) < 0)
				goto badword;
			strcpy(m->dnssl[m->ndnssl].name, argv[i + 1]);
			m->ndnssl++;
			i += 2;
		} else if (strcmp(k, "route") == 0 && left >= 2) {
			if (m->nroute == IPIFC_ND_MAXROUTE ||
			    prefix(argv[i + 1], &m->route[m->nroute].prefix,
			    &plen) < 0 || num(argv[i + 2], 0xffffffffUL,
			    &m->route[m->nroute].lifetime) < 0)
				goto badword;
			m->route[m->nroute].plen = (uint8_t)plen;
			i += 2;
			if (i + 1 < argc && prf(argv[i + 1], &p) == 0) {
				m->route[m->nroute].prf = p;
				i++;
			}
			m->nroute++;
		} else if (strcmp(k, "pref64") == 0 && left >= 2) {
			if (m->npref64 == IPIFC_ND_MAXPREF64 ||
			    prefix(argv[i + 1], &m->pref64[m->npref64].prefix,
			    &plen) < 0 || num(argv[i + 2], 65528, &v) < 0)
				goto badword;
			m->pref64[m->npref64].plen = (uint8_t)plen;
			m->pref64[m->npref64].lifetime = (uint16_t)v;
			m->npref64++;
			i += 2;
		} else if (strcmp(k, "captive") == 0 && left >= 1) {
			m->captive = (const uint8_t *)argv[++i];
			m->captivelen = strlen(argv[i]);
			m->has |= IPIFC_ND_HAS_CAPTIVE;
		} else
			goto badword;
		continue;
badword:
		snprintf(err, sizeof(err), "ra: bad word %.40s (or its "
		    "arguments)", k);
		return err;
	}
	return NULL;
}

/* Redo the ICMPv6 checksum for src, dst (RFC 4443 2.3). */
static void
cksum(uint8_t *icmp, size_t len, const struct ipifc_ip *src,
    const struct ipifc_ip *dst)
{
	uint32_t sum;

	ipifc_put16(icmp + 2, 0);
	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	ipifc_put16(icmp + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, icmp,
	    len)));
}

const char *
simra_send(struct simra *r, int argc, char **argv)
{
	static char err[128];
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	struct ipifc_nd m;
	uint8_t buf[SIMRA_MAXFRAME];
	const struct ipifc_ip *src = &r->from;
	const char *why, *bad;
	int n, hlim = IPIFC_ND_HOPLIMIT;

	if ((why = parse(argc, argv, &m, &bad)) != NULL)
		return why;
	memcpy(m.slla, r->mac, 6);
	if ((n = ipifc_nd_build(buf, sizeof(buf) - IPIFC_IP6_HLEN - 14,
	    &r->from, &ipifc_ip_allnodes, &m)) < 0) {
		snprintf(err, sizeof(err), "ra: cannot build it: %s",
		    strerror(-n));
		return err;
	}
	if (bad == NULL)
		;
	else if (strcmp(bad, "hlim") == 0)
		hlim = 64;		/* RFC 4861 6.1.2: must be 255 */
	else if (strcmp(bad, "source") == 0) {
		src = &global_src;	/* 6.1.2: must be link-local */
		cksum(buf, (size_t)n, src, &ipifc_ip_allnodes);
	} else if (strcmp(bad, "cksum") == 0)
		buf[3] ^= 0x55;
	else if (strcmp(bad, "code") == 0) {
		buf[1] = 1;		/* 6.1.2: must be 0 */
		cksum(buf, (size_t)n, src, &ipifc_ip_allnodes);
	} else if (strcmp(bad, "short") == 0) {
		n = 12;			/* 6.1.2: 16 octets or more */
		cksum(buf, (size_t)n, src, &ipifc_ip_allnodes);
	} else if (strcmp(bad, "optlen0") == 0) {
		if (n < 24) {
			/* an option of our own: type 1, length 0 */
			buf[n] = IPIFC_NDOPT_SLLA;
			memset(buf + n + 1, 0, 7);
			n += 8;
		}
		buf[16 + 1] = 0;	/* 6.1.2: no option of length 0 */
		cksum(buf, (size_t)n, src, &ipifc_ip_allnodes);
	}
	send_ip6(r, allnodes_mac, src, &ipifc_ip_allnodes, hlim, buf,
	    (size_t)n);
	return NULL;
}
