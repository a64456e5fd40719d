/*
 * Neighbor Discovery messages, RFC 4861 4: router solicitation and
 * advertisement, neighbor solicitation and advertisement, redirect, and
 * their options (4.6, RFC 3971 5.3.2 nonce, RFC 4191 2.3 route information,
 * RFC 8106 5 RDNSS and DNSSL, RFC 8910 2.3 captive portal, RFC 8781 4
 * PREF64).  The
 * validity checks of 6.1 and 7.1 that need the IPv6 header live here too,
 * so that nothing past this file sees an invalid message.
 */
#include <errno.h>
#include <string.h>

#include "wire.h"

#define RDNSS_MAXPEROPT	127	/* (255 - 1) / 2 addresses, RFC 8106 5.1 */
#define DNS_LABELMAX	63	/* RFC 1035 2.3.4 */
#define DNS_NAMEMAX	255	/* octets on the wire, RFC 1035 2.3.4 */
#define OPT_MAXLEN	(255 * 8)	/* a length field of 8-octet units */

/* Fixed part of each message, 4.1 to 4.5. */
static size_t
fixedlen(uint8_t type)
{
	switch (type) {
	case IPIFC_ND_RS:
		return 8;
	case IPIFC_ND_RA:
		return 16;
	case IPIFC_ND_NS:
	case IPIFC_ND_NA:
		return 24;
	case IPIFC_ND_REDIRECT:
		return 40;
	default:
		return 0;
	}
}

/* The checks below look at IPv6 addresses only, never v4-mapped ones. */
static int
ismulti6(const struct ipifc_ip *a)
{
	return a->a[0] == 0xff;
}

static int
islinklocal6(const struct ipifc_ip *a)
{
	return a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80;
}

/* ff02::1:ff00:0/104, RFC 4291 2.7.1 */
static int
issolicited(const struct ipifc_ip *a)
{
	static const uint8_t pfx[13] = {
		0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff
	};

	return memcmp(a->a, pfx, sizeof(pfx)) == 0;
}

/* The rules of 6.1.1, 6.1.2, 7.1.1, 7.1.2 and 8.1 on addresses. */
static int
check_rules(const struct ipifc_ip *src, const struct ipifc_ip *dst,
    const struct ipifc_nd *m)
{
	int	 unspec = ipifc_ip_eq(src, &ipifc_ip_unspec6);

	/* IPv4 lives v4-mapped here: ND must never name an IPv4 address */
	if (ipifc_ip_isv4(&m->target) || ipifc_ip_isv4(&m->dest))
		return -EINVAL;
	switch (m->type) {
	case IPIFC_ND_RS:
		if (unspec && (m->has & IPIFC_ND_HAS_SLLA))
			return -EINVAL;
		break;
	case IPIFC_ND_RA:
		if (!islinklocal6(src))
			return -EINVAL;
		break;
	case IPIFC_ND_NS:
		if (ismulti6(&m->target))
			return -EINVAL;
		/* DAD */
		if (unspec && (!issolicited(dst) ||
		    (m->has & IPIFC_ND_HAS_SLLA)))
			return -EINVAL;
		break;
	case IPIFC_ND_NA:
		if (ismulti6(&m->target))
			return -EINVAL;
		if (ismulti6(dst) && (m->flags & IPIFC_ND_NA_SOLICITED))
			return -EINVAL;
		break;
	case IPIFC_ND_REDIRECT:
		if (!islinklocal6(src) || ismulti6(&m->dest))
			return -EINVAL;
		if (!islinklocal6(&m->target) &&
		    !ipifc_ip_eq(&m->target, &m->dest))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static void
parse_prefix(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	struct ipifc_nd_prefix *pi;
	struct ipifc_ip a;

	/* 4.6.2: length 4; a prefix length past 128 means nothing */
	if (olen != 32 || p[2] > 128 || m->nprefix == IPIFC_ND_MAXPREFIX) {
		m->ignored++;
		return;
	}
	pi = &m->prefix[m->nprefix++];
	pi->plen = p[2];
	pi->flags = p[3];
	pi->valid = ipifc_get32(p + 4);
	pi->preferred = ipifc_get32(p + 8);
	memcpy(a.a, p + 16, 16);
	/* the bits past the prefix length are ignored by the receiver */
	ipifc_ip_mask(&pi->prefix, &a, pi->plen);
}

static void
parse_rdnss(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	uint32_t life;
	size_t	 i, n;

	/* RFC 8106 5.1: 1 + 2 * N units, N >= 1 */
	if (olen < 24 || (olen / 8) % 2 != 1) {
		m->ignored++;
		return;
	}
	life = ipifc_get32(p + 4);
	n = (olen - 8) / 16;
	for (i = 0; i < n; i++) {
		if (m->nrdnss == IPIFC_ND_MAXRDNSS) {
			m->ignored++;
			continue;
		}
		m->rdnss[m->nrdnss].lifetime = life;
		memcpy(m->rdnss[m->nrdnss].addr.a, p + 8 + 16 * i, 16);
		m->nrdnss++;
	}
}

/* RFC 4191 2.3: length 1, 2 or 3 units as the prefix length needs */
static void
parse_route(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	struct ipifc_nd_route *r;
	struct ipifc_ip a;
	uint8_t	 plen = p[2], prf = (p[3] >> IPIFC_ND_RA_PRFSHIFT) & 3;

	if (olen > 24 || plen > 128 || (plen > 64 && olen < 24) ||
	    (plen > 0 && olen < 16) || m->nroute == IPIFC_ND_MAXROUTE ||
	    prf == IPIFC_ND_PRF_RESERVED) {	/* 3.1: ignore the option */
		m->ignored++;
		return;
	}
	r = &m->route[m->nroute++];
	r->plen = plen;
	r->prf = prf;
	r->lifetime = ipifc_get32(p + 4);
	memset(a.a, 0, 16);
	memcpy(a.a, p + 8, olen - 8);
	ipifc_ip_mask(&r->prefix, &a, plen);
}

/* What a label of a domain may hold in a text file: LDH and '_'. */
static int
dns_labelchar(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * One uncompressed name (RFC 1035 3.1) at p, at most len bytes, as text
 * into out.  Returns the bytes it took, or 0 if it is malformed.
 */
static size_t
dns_name_parse(const uint8_t *p, size_t len, char *out)
{
	size_t	 i = 0, o = 0, l, k;

	while (i < len && p[i] != 0) {
		l = p[i];
		if (l > DNS_LABELMAX || i + 1 + l >= len)
			return 0;
		if (o > 0)
			out[o++] = '.';
		for (k = 0; k < l; k++) {
			if (!dns_labelchar(p[i + 1 + k]))
				return 0;
			out[o++] = (char)p[i + 1 + k];
		}
		i += 1 + l;
		if (i + 1 > DNS_NAMEMAX)
			return 0;
	}
	if (i >= len)
		return 0;
	out[o] = '\0';
	return i + 1;
}

/* RFC 8106 5.2: names, then zero padding; a malformed one spoils all. */
static void
parse_dnssl(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	struct ipifc_nd_dnssl d[IPIFC_ND_MAXDNSSL + 1];
	uint32_t life;
	size_t	 i, n;
	int	 nd = 0, over = 0;

	if (olen < 16) {
		m->ignored++;
		return;
	}
	life = ipifc_get32(p + 4);
	for (i = 8; i < olen && p[i] != 0; i += n) {
		if ((n = dns_name_parse(p + i, olen - i, d[nd].name)) == 0) {
			m->ignored++;
			return;
		}
		d[nd].lifetime = life;
		if (m->ndnssl + nd < IPIFC_ND_MAXDNSSL)
			nd++;
		else
			over++;
	}
	for (; i < olen; i++)
		if (p[i] != 0) {
			m->ignored++;
			return;
		}
	if (nd == 0 && over == 0) {
		m->ignored++;
		return;
	}
	memcpy(&m->dnssl[m->ndnssl], d, sizeof(d[0]) * (size_t)nd);
	m->ndnssl += nd;
	m->ignored += over;
}

/* RFC 8781 4: the prefix length code and the length it stands for */
static const uint8_t pref64_plen[] = { 96, 64, 56, 48, 40, 32 };

static void
parse_pref64(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	struct ipifc_nd_pref64 *x;
	struct ipifc_ip a;
	uint16_t w;

	w = ipifc_get16(p + 2);
	/* 4: a length other than 2, or an unknown PLC: ignore it */
	if (olen != 16 || (w & 7) >= sizeof(pref64_plen) ||
	    m->npref64 == IPIFC_ND_MAXPREF64) {
		m->ignored++;
		return;
	}
	x = &m->pref64[m->npref64++];
	x->lifetime = (uint16_t)(w & ~7);	/* (w >> 3) units of 8 s */
	x->plen = pref64_plen[w & 7];
	memset(a.a, 0, 16);
	memcpy(a.a, p + 4, 12);
	ipifc_ip_mask(&x->prefix, &a, x->plen);
}

/* RFC 8910 2.3: the URI, then NUL padding; the first option counts. */
static void
parse_captive(const uint8_t *p, size_t olen, struct ipifc_nd *m)
{
	const uint8_t *nul;
	size_t	 n = olen - 2, i;

	if (m->has & IPIFC_ND_HAS_CAPTIVE) {
		m->ignored++;
		return;
	}
	if ((nul = memchr(p + 2, 0, n)) != NULL) {
		for (i = (size_t)(nul - (p + 2)); i < n; i++)
			if (p[2 + i] != 0) {
				m->ignored++;
				return;
			}
		n = (size_t)(nul - (p + 2));
	}
	m->captive = p + 2;
	m->captivelen = n;
	m->has |= IPIFC_ND_HAS_CAPTIVE;
}

/* A one-unit option holding six bytes at p + 2; the first one counts. */
static void
parse_six(const uint8_t *p, struct ipifc_nd *m, unsigned bit, uint8_t *out)
{
	if (m->has & bit) {
		m->ignored++;
		return;
	}
	memcpy(out, p + 2, 6);
	m->has |= bit;
}

/*
 * A link-layer address no host has: a group's, or all zeros.  Such an
 * SLLA or TLLA refuses its message, as ARP refuses such a sender: it
 * would go into the neighbor table.
 */
static int
lla_bad(const uint8_t *mac)
{
	static const uint8_t zero[6];

	return (mac[0] & 1) || memcmp(mac, zero, 6) == 0;
}

/* 4.6: walk the options; each is at least 8 bytes, so the walk ends. */
static int
parse_opts(const uint8_t *p, size_t len, struct ipifc_nd *m)
{
	size_t	 olen;

	while (len > 0) {
		if (len < 2)
			return -EMSGSIZE;
		olen = (size_t)p[1] * 8;
		/* 4.6: a zero length invalidates the whole message */
		if (olen == 0)
			return -EINVAL;
		if (olen > len)
			return -EMSGSIZE;
		switch (p[0]) {
		case IPIFC_NDOPT_SLLA:
		case IPIFC_NDOPT_TLLA:
			/* RFC 2464 8: Ethernet's is one unit */
			if (olen != 8 || lla_bad(p + 2))
				return -EINVAL;
			if (p[0] == IPIFC_NDOPT_SLLA)
				parse_six(p, m, IPIFC_ND_HAS_SLLA,
				    m->slla);
			else
				parse_six(p, m, IPIFC_ND_HAS_TLLA,
				    m->tlla);
			break;
		case IPIFC_NDOPT_PREFIX:
			parse_prefix(p, olen, m);
			break;
		case IPIFC_NDOPT_RHDR:
			/* 4.6.3 */
			if (m->has & IPIFC_ND_HAS_RHDR) {
				m->ignored++;
				break;
			}
			m->rhdr = p + 8;
			m->rhdrlen = olen - 8;
			m->has |= IPIFC_ND_HAS_RHDR;
			break;
		case IPIFC_NDOPT_MTU:
			/* 4.6.4 */
			if (olen != 8 || (m->has & IPIFC_ND_HAS_MTU)) {
				m->ignored++;
				break;
			}
			m->mtu = ipifc_get32(p + 4);
			m->has |= IPIFC_ND_HAS_MTU;
			break;
		case IPIFC_NDOPT_NONCE:
			/* one unit, six bytes, as enhanced DAD (RFC 7527)
			 * sends; longer ones are SEND's (RFC 3971) */
			if (olen != 8) {
				m->ignored++;
				break;
			}
			parse_six(p, m, IPIFC_ND_HAS_NONCE, m->nonce);
			break;
		case IPIFC_NDOPT_RDNSS:
			parse_rdnss(p, olen, m);
			break;
		case IPIFC_NDOPT_ROUTE:
			parse_route(p, olen, m);
			break;
		case IPIFC_NDOPT_DNSSL:
			parse_dnssl(p, olen, m);
			break;
		case IPIFC_NDOPT_PREF64:
			parse_pref64(p, olen, m);
			break;
		case IPIFC_NDOPT_CAPTIVE:
			parse_captive(p, olen, m);
			break;
		default:
			/* 4.6: unknown options are skipped */
			m->unknown++;
			break;
		}
		p += olen;
		len -= olen;
	}
	return 0;
}

int
ipifc_nd_parse(const struct ipifc_ip6 *ip, const uint8_t *icmp, size_t len,
    struct ipifc_nd *out)
{
	struct ipifc_nd m;
	uint32_t sum;
	size_t	 fixed;
	int	 r;

	if (len < 4)
		return -EMSGSIZE;
	if ((fixed = fixedlen(icmp[0])) == 0)
		return -EPROTONOSUPPORT;
	if (len < fixed)
		return -EMSGSIZE;
	/* 6.1.1, 6.1.2, 7.1.1, 7.1.2, 8.1: from no farther than the link */
	if (ip->hlim != IPIFC_ND_HOPLIMIT || icmp[1] != 0)
		return -EINVAL;
	sum = ipifc_cksum_pseudo6(&ip->src, &ip->dst, (uint32_t)len,
	    IPIFC_PROTO_ICMP6);
	if (ipifc_cksum_fold(ipifc_cksum_add(sum, icmp, len)) != 0)
		return -EBADMSG;

	memset(&m, 0, sizeof(m));
	m.type = icmp[0];
	switch (m.type) {
	case IPIFC_ND_RA:
		m.curhlim = icmp[4];
		m.flags = icmp[5];
		m.rtrlife = ipifc_get16(icmp + 6);
		m.reachable = ipifc_get32(icmp + 8);
		m.retrans = ipifc_get32(icmp + 12);
		break;
	case IPIFC_ND_NA:
		m.flags = icmp[4] & (IPIFC_ND_NA_ROUTER |
		    IPIFC_ND_NA_SOLICITED | IPIFC_ND_NA_OVERRIDE);
		/* FALLTHROUGH */
	case IPIFC_ND_NS:
		memcpy(m.target.a, icmp + 8, 16);
		break;
	case IPIFC_ND_REDIRECT:
		memcpy(m.target.a, icmp + 8, 16);
		memcpy(m.dest.a, icmp + 24, 16);
		break;
	}
	if ((r = parse_opts(icmp + fixed, len - fixed, &m)) != 0)
		return r;
	if ((r = check_rules(&ip->src, &ip->dst, &m)) != 0)
		return r;
	*out = m;
	return 0;
}

/* ---- building ---- */

static size_t
roundup8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* RDNSS options: one per run of equal lifetimes, at most 127 addresses. */
static size_t
rdnss_opts(const struct ipifc_nd *m, uint8_t *p)
{
	size_t	 len = 0;
	int	 i, j, k;

	for (i = 0; i < m->nrdnss; i = j) {
		for (j = i + 1; j < m->nrdnss && j - i < RDNSS_MAXPEROPT &&
		    m->rdnss[j].lifetime == m->rdnss[i].lifetime; j++)
			;
		if (p != NULL) {
			p[len] = IPIFC_NDOPT_RDNSS;
			p[len + 1] = (uint8_t)(1 + 2 * (j - i));
			ipifc_put16(p + len + 2, 0);
			ipifc_put32(p + len + 4, m->rdnss[i].lifetime);
			for (k = i; k < j; k++)
				memcpy(p + len + 8 + 16 * (size_t)(k - i),
				    m->rdnss[k].addr.a, 16);
		}
		len += 8 + 16 * (size_t)(j - i);
	}
	return len;
}

/* Units of a route information option, RFC 4191 2.3. */
static size_t
route_len(uint8_t plen)
{
	return plen == 0 ? 8 : plen <= 64 ? 16 : 24;
}

/*
 * The wire form of a domain written as text, into out (may be NULL):
 * its length, or 0 if it cannot be one (empty label, bad character, too
 * long).
 */
static size_t
dns_name_build(const char *name, uint8_t *out)
{
	size_t	 i = 0, start, l, n, k;

	n = strnlen(name, IPIFC_ND_DNSNAMEMAX);
	if (n == 0 || n == IPIFC_ND_DNSNAMEMAX)
		return 0;
	for (start = 0; start <= n; start += l + 1) {
		for (l = 0; start + l < n && name[start + l] != '.'; l++)
			if (!dns_labelchar((uint8_t)name[start + l]))
				return 0;
		if (l == 0 || l > DNS_LABELMAX)
			return 0;
		if (out != NULL) {
			out[i] = (uint8_t)l;
			for (k = 0; k < l; k++)
				out[i + 1 + k] = (uint8_t)name[start + k];
		}
		i += 1 + l;
	}
	if (out != NULL)
		out[i] = 0;
	return i + 1;
}

/* Whether the newer options of m can be encoded. */
static int
check_newopts(const struct ipifc_nd *m)
{
	int	 i, k;

	if (m->nroute < 0 || m->nroute > IPIFC_ND_MAXROUTE ||
	    m->ndnssl < 0 || m->ndnssl > IPIFC_ND_MAXDNSSL ||
	    m->npref64 < 0 || m->npref64 > IPIFC_ND_MAXPREF64)
		return -EINVAL;
	for (i = 0; i < m->nroute; i++)
		if (m->route[i].plen > 128 || m->route[i].prf > 3 ||
		    m->route[i].prf == IPIFC_ND_PRF_RESERVED)
			return -EINVAL;
	for (i = 0; i < m->ndnssl; i++)
		if (dns_name_build(m->dnssl[i].name, NULL) == 0)
			return -EINVAL;
	for (i = 0; i < m->npref64; i++) {
		if (m->pref64[i].lifetime % 8 != 0)
			return -EINVAL;
		for (k = 0; k < (int)sizeof(pref64_plen); k++)
			if (pref64_plen[k] == m->pref64[i].plen)
				break;
		if (k == (int)sizeof(pref64_plen))
			return -EINVAL;
	}
	if (m->has & IPIFC_ND_HAS_CAPTIVE) {
		if (m->captivelen > OPT_MAXLEN - 2 ||
		    (m->captivelen > 0 && (m->captive == NULL ||
		    memchr(m->captive, 0, m->captivelen) != NULL)))
			return -EINVAL;
	}
	return 0;
}

/* The newer options, into p when it is not NULL; their length. */
static size_t
newopts(const struct ipifc_nd *m, uint8_t *p)
{
	struct ipifc_ip pfx;
	size_t	 len = 0, n, ol;
	int	 i, k;

	for (i = 0; i < m->nroute; i++) {
		ol = route_len(m->route[i].plen);
		if (p != NULL) {
			p[len] = IPIFC_NDOPT_ROUTE;
			p[len + 1] = (uint8_t)(ol / 8);
			p[len + 2] = m->route[i].plen;
			p[len + 3] = (uint8_t)(m->route[i].prf <<
			    IPIFC_ND_RA_PRFSHIFT);
			ipifc_put32(p + len + 4, m->route[i].lifetime);
			ipifc_ip_mask(&pfx, &m->route[i].prefix,
			    m->route[i].plen);
			memcpy(p + len + 8, pfx.a, ol - 8);
		}
		len += ol;
	}
	for (i = 0; i < m->ndnssl; i++) {
		n = dns_name_build(m->dnssl[i].name, NULL);
		ol = roundup8(8 + n);
		if (p != NULL) {
			memset(p + len, 0, ol);
			p[len] = IPIFC_NDOPT_DNSSL;
			p[len + 1] = (uint8_t)(ol / 8);
			ipifc_put32(p + len + 4, m->dnssl[i].lifetime);
			dns_name_build(m->dnssl[i].name, p + len + 8);
		}
		len += ol;
	}
	for (i = 0; i < m->npref64; i++) {
		if (p != NULL) {
			for (k = 0; pref64_plen[k] != m->pref64[i].plen; k++)
				;
			p[len] = IPIFC_NDOPT_PREF64;
			p[len + 1] = 2;
			ipifc_put16(p + len + 2,
			    (uint16_t)(m->pref64[i].lifetime | k));
			ipifc_ip_mask(&pfx, &m->pref64[i].prefix,
			    m->pref64[i].plen);
			memcpy(p + len + 4, pfx.a, 12);
		}
		len += 16;
	}
	if (m->has & IPIFC_ND_HAS_CAPTIVE) {
		ol = roundup8(2 + m->captivelen);
		if (p != NULL) {
			memset(p + len, 0, ol);
			p[len] = IPIFC_NDOPT_CAPTIVE;
			p[len + 1] = (uint8_t)(ol / 8);
			if (m->captivelen > 0)
				memcpy(p + len + 2, m->captive,
				    m->captivelen);
		}
		len += ol;
	}
	return len;
}

static size_t
put_six(uint8_t *p, uint8_t type, const uint8_t *six)
{
	p[0] = type;
	p[1] = 1;
	memcpy(p + 2, six, 6);
	return 8;
}

int
ipifc_nd_build(uint8_t *buf, size_t cap, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, const struct ipifc_nd *m)
{
	struct ipifc_ip pfx;
	uint32_t sum;
	size_t	 fixed, len, rlen = 0, avail, o;
	int	 i, r;

	if ((fixed = fixedlen(m->type)) == 0)
		return -EINVAL;
	if (m->nprefix < 0 || m->nprefix > IPIFC_ND_MAXPREFIX ||
	    m->nrdnss < 0 || m->nrdnss > IPIFC_ND_MAXRDNSS)
		return -EINVAL;
	for (i = 0; i < m->nprefix; i++)
		if (m->prefix[i].plen > 128)
			return -EINVAL;
	if ((m->has & IPIFC_ND_HAS_RHDR) && m->rhdrlen > 0 && m->rhdr == NULL)
		return -EINVAL;
	if ((r = check_newopts(m)) != 0)
		return r;
	if ((r = check_rules(src, dst, m)) != 0)
		return r;

	len = fixed;
	if (m->has & IPIFC_ND_HAS_SLLA)
		len += 8;
	if (m->has & IPIFC_ND_HAS_TLLA)
		len += 8;
	if (m->has & IPIFC_ND_HAS_MTU)
		len += 8;
	if (m->has & IPIFC_ND_HAS_NONCE)
		len += 8;
	len += 32 * (size_t)m->nprefix;
	len += rdnss_opts(m, NULL);
	len += newopts(m, NULL);
	if (m->has & IPIFC_ND_HAS_RHDR) {
		/* 4.6.3: as much as fits the minimum MTU, in whole units */
		avail = IPIFC_IP6_MINMTU - IPIFC_IP6_HLEN;
		if (len + 8 > avail)
			return -EINVAL;
		avail = (avail - len - 8) & ~(size_t)7;
		rlen = m->rhdrlen < avail ? m->rhdrlen : avail;
		len += 8 + roundup8(rlen);
	}
	if (len > 0xffff)
		return -EINVAL;
	if (cap < len)
		return -ENOBUFS;

	/* the redirected packet may sit in buf: move it first */
	if (m->has & IPIFC_ND_HAS_RHDR) {
		o = len - roundup8(rlen);
		if (rlen > 0)
			memmove(buf + o, m->rhdr, rlen);
		memset(buf + o + rlen, 0, roundup8(rlen) - rlen);
		buf[o - 8] = IPIFC_NDOPT_RHDR;
		buf[o - 7] = (uint8_t)(1 + roundup8(rlen) / 8);
		memset(buf + o - 6, 0, 6);
	}

	memset(buf, 0, fixed);
	buf[0] = m->type;
	switch (m->type) {
	case IPIFC_ND_RA:
		buf[4] = m->curhlim;
		buf[5] = m->flags;
		ipifc_put16(buf + 6, m->rtrlife);
		ipifc_put32(buf + 8, m->reachable);
		ipifc_put32(buf + 12, m->retrans);
		break;
	case IPIFC_ND_NA:
		buf[4] = m->flags & (IPIFC_ND_NA_ROUTER |
		    IPIFC_ND_NA_SOLICITED | IPIFC_ND_NA_OVERRIDE);
		/* FALLTHROUGH */
	case IPIFC_ND_NS:
		memcpy(buf + 8, m->target.a, 16);
		break;
	case IPIFC_ND_REDIRECT:
		memcpy(buf + 8, m->target.a, 16);
		memcpy(buf + 24, m->dest.a, 16);
		break;
	}
	o = fixed;
	if (m->has & IPIFC_ND_HAS_SLLA)
		o += put_six(buf + o, IPIFC_NDOPT_SLLA, m->slla);
	if (m->has & IPIFC_ND_HAS_TLLA)
		o += put_six(buf + o, IPIFC_NDOPT_TLLA, m->tlla);
	if (m->has & IPIFC_ND_HAS_MTU) {
		buf[o] = IPIFC_NDOPT_MTU;
		buf[o + 1] = 1;
		ipifc_put16(buf + o + 2, 0);
		ipifc_put32(buf + o + 4, m->mtu);
		o += 8;
	}
	if (m->has & IPIFC_ND_HAS_NONCE)
		o += put_six(buf + o, IPIFC_NDOPT_NONCE, m->nonce);
	for (i = 0; i < m->nprefix; i++) {
		buf[o] = IPIFC_NDOPT_PREFIX;
		buf[o + 1] = 4;
		buf[o + 2] = m->prefix[i].plen;
		buf[o + 3] = m->prefix[i].flags;
		ipifc_put32(buf + o + 4, m->prefix[i].valid);
		ipifc_put32(buf + o + 8, m->prefix[i].preferred);
		ipifc_put32(buf + o + 12, 0);
		/* 4.6.2: the bits past the prefix length are zero */
		ipifc_ip_mask(&pfx, &m->prefix[i].prefix, m->prefix[i].plen);
		memcpy(buf + o + 16, pfx.a, 16);
		o += 32;
	}
	o += rdnss_opts(m, buf + o);
	o += newopts(m, buf + o);

	sum = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	ipifc_put16(buf + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, buf, len)));
	return (int)len;
}
