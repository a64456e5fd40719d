/*
 * The scenario runner's querier (see simquery.h).  It builds queries with
 * the library's wire builders, as a multicast router or a snooping switch
 * would send them, and decodes what it hears with the wire parsers, so a
 * scenario shows the reports a stack sends as they cross the segment.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "simquery.h"
#include "wire.h"

#define SIMQ_MAXFRAME	1514
#define SIMQ_MAXSRC	32	/* sources in one query */

struct simq {
	struct ipifc_simhost *host;
	char	seg[IPIFC_SIMSEG_NAMELEN + 4];
	FILE	*out;
	const uint64_t *now;
};

static const uint8_t simq_mac[6] = { 0x02, 0, 0, 0, 0x99, 0x99 };
static const struct ipifc_ip q_ll = {	/* fe80::99 */
	{ 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99 } };

static const char *const rectype[] = {
	"?", "IS_IN", "IS_EX", "TO_IN", "TO_EX", "ALLOW", "BLOCK"
};

static void
put_records(FILE *out, const struct ipifc_mreport *r, size_t w)
{
	char a[IPIFC_IPSTRLEN];
	struct ipifc_ip s;
	int i, j;

	for (i = 0; i < r->nrec; i++) {
		fprintf(out, "%s %s %s", i > 0 ? "," : "",
		    rectype[r->rec[i].type],
		    ipifc_ip_fmt(&r->rec[i].group, a, sizeof(a)));
		for (j = 0; j < r->rec[i].nsrc; j++) {
			if (w == 4)
				ipifc_ip_v4(&s, ipifc_get32(r->rec[i].srcs +
				    4 * (size_t)j));
			else
				memcpy(s.a, r->rec[i].srcs + 16 * (size_t)j,
				    16);
			fprintf(out, "%s%s", j == 0 ? " {" : " ",
			    ipifc_ip_fmt(&s, a, sizeof(a)));
		}
		if (r->rec[i].nsrc > 0)
			fputc('}', out);
	}
}

static void
put_lifetime(FILE *out, const char *name, uint32_t lt)
{
	if (lt == 0xffffffffu)
		fprintf(out, " %s infinite", name);
	else
		fprintf(out, " %s %u", name, lt);
}

/* A router advertisement or solicitation heard, field by field. */
static void
put_nd(struct simq *q, const struct ipifc_ip6 *h, const uint8_t *m,
    size_t mlen)
{
	struct ipifc_nd nd;
	char a[IPIFC_IPSTRLEN], d[IPIFC_IPSTRLEN], mac[IPIFC_MACSTRLEN];
	int i;

	fprintf(q->out, "heard %s %llums: %s %s > %s hlim %u:", q->seg,
	    (unsigned long long)*q->now, m[0] == IPIFC_ND_RA ? "RA" : "RS",
	    ipifc_ip_fmt(&h->src, a, sizeof(a)),
	    ipifc_ip_fmt(&h->dst, d, sizeof(d)), h->hlim);
	if (ipifc_nd_parse(h, m, mlen, &nd) < 0) {
		fprintf(q->out, " malformed\n");
		return;
	}
	if (nd.type == IPIFC_ND_RA) {
		fprintf(q->out, " curhlim %u flags %s%s%s router %u reachable "
		    "%u retrans %u", nd.curhlim,
		    nd.flags & IPIFC_ND_RA_MANAGED ? "M" : "",
		    nd.flags & IPIFC_ND_RA_OTHER ? "O" : "",
		    nd.flags & (IPIFC_ND_RA_MANAGED | IPIFC_ND_RA_OTHER) ?
		    "" : "-", nd.rtrlife, nd.reachable, nd.retrans);
	}
	if (nd.has & IPIFC_ND_HAS_SLLA)
		fprintf(q->out, " slla %s", ipifc_mac_fmt(nd.slla, mac,
		    sizeof(mac)));
	if (nd.has & IPIFC_ND_HAS_MTU)
		fprintf(q->out, " mtu %u", nd.mtu);
	for (i = 0; i < nd.nprefix; i++) {
		fprintf(q->out, " prefix %s/%u %s%s%s",
		    ipifc_ip_fmt(&nd.prefix[i].prefix, a, sizeof(a)),
		    nd.prefix[i].plen,
		    nd.prefix[i].flags & IPIFC_ND_PI_ONLINK ? "L" : "",
		    nd.prefix[i].flags & IPIFC_ND_PI_AUTO ? "A" : "",
		    nd.prefix[i].flags & (IPIFC_ND_PI_ONLINK |
		    IPIFC_ND_PI_AUTO) ? "" : "-");
		put_lifetime(q->out, "valid", nd.prefix[i].valid);
		put_lifetime(q->out, "preferred", nd.prefix[i].preferred);
	}
	for (i = 0; i < nd.nrdnss; i++) {
		fprintf(q->out, " rdnss %s", ipifc_ip_fmt(&nd.rdnss[i].addr,
		    a, sizeof(a)));
		put_lifetime(q->out, "lifetime", nd.rdnss[i].lifetime);
	}
	for (i = 0; i < nd.ndnssl; i++) {
		fprintf(q->out, " dnssl %s", nd.dnssl[i].name);
		put_lifetime(q->out, "lifetime", nd.dnssl[i].lifetime);
	}
	fputc('\n', q->out);
}

/*
 * One line per IGMP or MLD report or leave, router advertisement or
 * solicitation heard; the rest is silent.
 */
static void
simq_input(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct simq *q = arg;
	struct ipifc_eth e;
	struct ipifc_ip4 h4;
	struct ipifc_ip6 h6;
	struct ipifc_mreport r;
	struct ipifc_ip g;
	const struct ipifc_ip *src, *dst;
	const uint8_t *m;
	char s[IPIFC_IPSTRLEN], d[IPIFC_IPSTRLEN], ga[IPIFC_IPSTRLEN];
	const char *what;
	uint8_t nxt;
	size_t off, mlen;

	(void)ifc;
	if (ipifc_eth_parse(frame, len, &e) < 0)
		return;
	if (e.type == 0x0800) {
		if (ipifc_ip4_parse(e.payload, e.plen, &h4) < 0 ||
		    h4.proto != IPIFC_PROTO_IGMP || h4.plen < 8)
			return;
		src = &h4.src;
		dst = &h4.dst;
		m = h4.payload;
		mlen = h4.plen;
		switch (m[0]) {
		case IPIFC_IGMP_REPORT3:
			what = "IGMPv3 report";
			break;
		case IPIFC_IGMP_REPORT1:
			what = "IGMPv1 report";
			break;
		case IPIFC_IGMP_REPORT2:
			what = "IGMPv2 report";
			break;
		case IPIFC_IGMP_LEAVE:
			what = "IGMPv2 leave";
			break;
		default:
			return;
		}
	} else if (e.type == 0x86dd) {
		if (ipifc_ip6_parse(e.payload, e.plen, &h6) < 0 ||
		    ipifc_ip6_skipext(h6.nxt, h6.payload, h6.plen, &nxt, &off,
		    NULL) != 0 || nxt != IPIFC_PROTO_ICMP6 ||
		    h6.plen - off < 8)
			return;
		src = &h6.src;
		dst = &h6.dst;
		m = h6.payload + off;
		mlen = h6.plen - off;
		switch (m[0]) {
		case IPIFC_MLD_REPORT2:
			what = "MLDv2 report";
			break;
		case IPIFC_MLD_REPORT1:
			what = "MLDv1 report";
			break;
		case IPIFC_MLD_DONE:
			what = "MLDv1 done";
			break;
		case IPIFC_ND_RS:
		case IPIFC_ND_RA:
			put_nd(q, &h6, m, mlen);
			return;
		default:
			return;
		}
	} else
		return;
	fprintf(q->out, "heard %s %llums: %s %s > %s:", q->seg,
	    (unsigned long long)*q->now, what,
	    ipifc_ip_fmt(src, s, sizeof(s)), ipifc_ip_fmt(dst, d, sizeof(d)));
	if (m[0] == IPIFC_IGMP_REPORT3 && e.type == 0x0800) {
		if (ipifc_igmp_report_parse(m, mlen, &r) < 0)
			fprintf(q->out, " malformed");
		else
			put_records(q->out, &r, 4);
	} else if (m[0] == IPIFC_MLD_REPORT2) {
		if (ipifc_mld_report_parse(&h6, m, mlen, &r) < 0)
			fprintf(q->out, " malformed");
		else
			put_records(q->out, &r, 16);
	} else if (e.type == 0x0800) {
		ipifc_ip_v4(&g, ipifc_get32(m + 4));
		fprintf(q->out, " %s", ipifc_ip_fmt(&g, ga, sizeof(ga)));
	} else if (mlen >= 24) {
		memcpy(g.a, m + 8, 16);
		fprintf(q->out, " %s", ipifc_ip_fmt(&g, ga, sizeof(ga)));
	}
	fputc('\n', q->out);
}

static uint64_t
simq_clock(void *arg)
{
	return *((struct simq *)arg)->now;
}

struct simq *
simq_new(struct ipifc_simnet *net, const char *seg, FILE *out,
    const uint64_t *now, const char **why)
{
	struct simq *q;
	char dev[IPIFC_SIMSEG_NAMELEN + 4];
	uint8_t mac[6];
	int rc;

	if (strlen(seg) >= IPIFC_SIMSEG_NAMELEN) {
		*why = "segment name too long";
		return NULL;
	}
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		*why = strerror(errno);
		return NULL;
	}
	q->out = out;
	q->now = now;
	snprintf(q->seg, sizeof(q->seg), "%s", seg);
	if ((q->host = ipifc_simhost_new_fn(net, simq_input, simq_clock,
	    q)) == NULL) {
		*why = strerror(errno);
		free(q);
		return NULL;
	}
	snprintf(dev, sizeof(dev), "sim:%s", seg);
	if ((rc = ipifc_simseg_ops.open(q->host, 0, dev, mac)) != 0) {
		*why = strerror(-rc);
		ipifc_simhost_free(q->host);
		free(q);
		return NULL;
	}
	return q;
}

void
simq_free(struct simq *q)
{
	if (q == NULL)
		return;
	ipifc_simhost_free(q->host);
	free(q);
}

const char *
simq_segment(const struct simq *q)
{
	return q->seg;
}

/* RFC 1112 6.4, RFC 2464 7: the link-layer group of an IP group. */
static void
group_mac(const struct ipifc_ip *ip, uint8_t mac[6])
{
	if (!ipifc_ip_ismulti(ip)) {
		memset(mac, 0xff, 6);
		return;
	}
	if (ipifc_ip_isv4(ip)) {
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = ip->a[13] & 0x7f;
		mac[4] = ip->a[14];
		mac[5] = ip->a[15];
	} else {
		mac[0] = mac[1] = 0x33;
		memcpy(mac + 2, ip->a + 12, 4);
	}
}

struct qopts {
	int	v4, version;
	struct ipifc_ip group, from, to;
	int	hlim, nora;
	uint32_t mrd;
	uint8_t	srcs[SIMQ_MAXSRC * 16];
	int	nsrc;
};

static const char *
parse_opts(int argc, char **argv, struct qopts *o)
{
	static char err[128];
	struct ipifc_ip a;
	char *end;
	unsigned long v;
	int i, to = 0;

	if (argc < 2)
		return "usage: query SEGMENT igmp1|igmp2|igmp3|mld1|mld2 GROUP "
		    "[SOURCE...] [from ADDR] [to ADDR] [hlim N] [mrd MS] "
		    "[nora]";
	memset(o, 0, sizeof(*o));
	if (strncmp(argv[0], "igmp", 4) == 0 && argv[0][4] >= '1' &&
	    argv[0][4] <= '3' && argv[0][5] == '\0') {
		o->v4 = 1;
		o->version = argv[0][4] - '0';
	} else if (strncmp(argv[0], "mld", 3) == 0 && argv[0][3] >= '1' &&
	    argv[0][3] <= '2' && argv[0][4] == '\0')
		o->version = argv[0][3] - '0';
	else
		return "query: VERSION is igmp1, igmp2, igmp3, mld1 or mld2";
	if (ipifc_ip_parse(argv[1], &o->group) != 0 ||
	    ipifc_ip_isv4(&o->group) != o->v4) {
		snprintf(err, sizeof(err), "query: bad group %s", argv[1]);
		return err;
	}
	/* a querier without an address (RFC 4541 2.1.1), or a router's */
	if (o->v4)
		o->from = ipifc_ip_unspec4;
	else
		o->from = q_ll;
	o->hlim = 1;
	o->mrd = 1000;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "nora") == 0) {
			o->nora = 1;
			continue;
		}
		if (i + 1 < argc && (strcmp(argv[i], "from") == 0 ||
		    strcmp(argv[i], "to") == 0)) {
			if (ipifc_ip_parse(argv[i + 1], &a) != 0 ||
			    ipifc_ip_isv4(&a) != o->v4) {
				snprintf(err, sizeof(err), "query: bad %s %s",
				    argv[i], argv[i + 1]);
				return err;
			}
			if (argv[i][0] == 'f')
				o->from = a;
			else {
				o->to = a;
				to = 1;
			}
			i++;
			continue;
		}
		if (i + 1 < argc && (strcmp(argv[i], "hlim") == 0 ||
		    strcmp(argv[i], "mrd") == 0)) {
			errno = 0;
			v = strtoul(argv[i + 1], &end, 10);
			if (errno != 0 || *end != '\0' || argv[i + 1][0] ==
			    '\0' || v > (argv[i][0] == 'h' ? 255 : 3000000)) {
				snprintf(err, sizeof(err), "query: bad %s %s",
				    argv[i], argv[i + 1]);
				return err;
			}
			if (argv[i][0] == 'h')
				o->hlim = (int)v;
			else
				o->mrd = (uint32_t)v;
			i++;
			continue;
		}
		if (ipifc_ip_parse(argv[i], &a) != 0 ||
		    ipifc_ip_isv4(&a) != o->v4 || o->nsrc == SIMQ_MAXSRC ||
		    (o->version != 3 && o->version != 2) ||
		    (o->v4 && o->version != 3)) {
			snprintf(err, sizeof(err), "query: bad word %s "
			    "(sources go in igmp3 and mld2 queries, at most "
			    "%d)", argv[i], SIMQ_MAXSRC);
			return err;
		}
		if (o->v4)
			memcpy(o->srcs + 4 * (size_t)o->nsrc, a.a + 12, 4);
		else
			memcpy(o->srcs + 16 * (size_t)o->nsrc, a.a, 16);
		o->nsrc++;
	}
	if (!to) {
		if (!ipifc_ip_isunspec(&o->group))
			o->to = o->group;
		else if (o->v4)
			o->to = ipifc_ip_allsys4;
		else
			o->to = ipifc_ip_allnodes;
	}
	return NULL;
}

static int
build_igmp(const struct qopts *o, uint8_t *f, size_t cap)
{
	struct ipifc_mquery m;
	struct ipifc_ip4 h;
	uint8_t body[12 + 4 * SIMQ_MAXSRC], ra[IPIFC_IP4OPT_RALEN];
	int n, hl;

	memset(&m, 0, sizeof(m));
	m.version = o->version;
	m.group = o->group;
	if (o->version == 2)
		m.mrc = (uint16_t)(o->mrd / 100 > 0 ? o->mrd / 100 : 1);
	else if (o->version == 3) {
		m.mrc = ipifc_igmp_mrc(o->mrd);
		m.qrv = 2;
		m.qqic = 125;
		m.nsrc = (uint16_t)o->nsrc;
		m.srcs = o->srcs;
	}
	if ((n = ipifc_igmp_query_build(body, sizeof(body), &m)) < 0)
		return n;
	memset(&h, 0, sizeof(h));
	h.ttl = (uint8_t)o->hlim;
	h.proto = IPIFC_PROTO_IGMP;
	h.src = o->from;
	h.dst = o->to;
	if (!o->nora) {
		ipifc_ip4_ra_build(ra, sizeof(ra));
		h.opts = ra;
		h.optlen = sizeof(ra);
	}
	h.plen = (size_t)n;
	if ((hl = ipifc_ip4_build(f, cap, &h)) < 0)
		return hl;
	if ((size_t)hl + (size_t)n > cap)
		return -ENOBUFS;
	memcpy(f + hl, body, (size_t)n);
	return hl + n;
}

static int
build_mld(const struct qopts *o, uint8_t *f, size_t cap)
{
	struct ipifc_mquery m;
	struct ipifc_ip6 h;
	uint8_t body[28 + 16 * SIMQ_MAXSRC];
	size_t hbh = o->nora ? 0 : IPIFC_IP6_HBHRALEN;
	uint32_t sum;
	int n;

	memset(&m, 0, sizeof(m));
	m.version = o->version;
	m.group = o->group;
	if (o->version == 1)
		m.mrc = (uint16_t)(o->mrd > 0xffff ? 0xffff : o->mrd);
	else {
		m.mrc = ipifc_mld_mrc(o->mrd);
		m.qrv = 2;
		m.qqic = 125;
		m.nsrc = (uint16_t)o->nsrc;
		m.srcs = o->srcs;
	}
	/* the builder wants a link-local source: the checksum is redone */
	if ((n = ipifc_mld_query_build(body, sizeof(body), &q_ll, &o->to,
	    &m)) < 0)
		return n;
	ipifc_put16(body + 2, 0);
	sum = ipifc_cksum_pseudo6(&o->from, &o->to, (uint32_t)n,
	    IPIFC_PROTO_ICMP6);
	ipifc_put16(body + 2, ipifc_cksum_fold(ipifc_cksum_add(sum, body,
	    (size_t)n)));
	if (cap < IPIFC_IP6_HLEN + hbh + (size_t)n)
		return -ENOBUFS;
	memset(&h, 0, sizeof(h));
	h.hlim = (uint8_t)o->hlim;
	h.nxt = o->nora ? IPIFC_PROTO_ICMP6 : IPIFC_PROTO_HOPOPTS;
	h.src = o->from;
	h.dst = o->to;
	h.plen = hbh + (size_t)n;
	if (ipifc_ip6_build(f, cap, &h) < 0)
		return -EINVAL;
	if (!o->nora)
		ipifc_ip6_hbh_ra_build(f + IPIFC_IP6_HLEN, hbh,
		    IPIFC_PROTO_ICMP6, IPIFC_IP6OPT_RA_MLD);
	memcpy(f + IPIFC_IP6_HLEN + hbh, body, (size_t)n);
	return (int)(IPIFC_IP6_HLEN + hbh) + n;
}

const char *
simq_send(struct simq *q, int argc, char **argv)
{
	static char err[128];
	struct qopts o;
	uint8_t f[SIMQ_MAXFRAME], dmac[6];
	const char *why;
	int n, rc;

	if ((why = parse_opts(argc, argv, &o)) != NULL)
		return why;
	group_mac(&o.to, dmac);
	ipifc_eth_build(f, sizeof(f), dmac, simq_mac, o.v4 ? 0x0800 : 0x86dd);
	n = o.v4 ? build_igmp(&o, f + 14, sizeof(f) - 14) :
	    build_mld(&o, f + 14, sizeof(f) - 14);
	if (n < 0) {
		snprintf(err, sizeof(err), "query: cannot build it: %s",
		    strerror(-n));
		return err;
	}
	if ((rc = ipifc_simseg_ops.send(q->host, 0, f, 14 + (size_t)n)) != 0) {
		snprintf(err, sizeof(err), "query: %s", strerror(-rc));
		return err;
	}
	return NULL;
}

/* solicit [from ADDR]: an RS to all routers (RFC 4861 6.3.7). */
const char *
simq_solicit(struct simq *q, int argc, char **argv)
{
	static char err[128];
	struct ipifc_nd m;
	struct ipifc_ip6 h;
	struct ipifc_ip from = q_ll;
	uint8_t f[SIMQ_MAXFRAME], dmac[6];
	int n, rc;

	if (argc == 2 && strcmp(argv[0], "from") == 0) {
		if (ipifc_ip_parse(argv[1], &from) != 0 ||
		    ipifc_ip_isv4(&from)) {
			snprintf(err, sizeof(err), "solicit: bad from %s",
			    argv[1]);
			return err;
		}
	} else if (argc != 0)
		return "usage: solicit SEGMENT [from ADDR]";
	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_RS;
	/* RFC 4861 4.1: no SLLA from the unspecified address */
	if (!ipifc_ip_isunspec(&from)) {
		m.has = IPIFC_ND_HAS_SLLA;
		memcpy(m.slla, simq_mac, 6);
	}
	group_mac(&ipifc_ip_allrouters, dmac);
	ipifc_eth_build(f, sizeof(f), dmac, simq_mac, 0x86dd);
	if ((n = ipifc_nd_build(f + 14 + IPIFC_IP6_HLEN,
	    sizeof(f) - 14 - IPIFC_IP6_HLEN, &from, &ipifc_ip_allrouters,
	    &m)) < 0)
		return "solicit: cannot build it";
	memset(&h, 0, sizeof(h));
	h.hlim = IPIFC_ND_HOPLIMIT;
	h.nxt = IPIFC_PROTO_ICMP6;
	h.src = from;
	h.dst = ipifc_ip_allrouters;
	h.plen = (size_t)n;
	if (ipifc_ip6_build(f + 14, sizeof(f) - 14, &h) < 0)
		return "solicit: cannot build it";
	if ((rc = ipifc_simseg_ops.send(q->host, 0, f, 14 + IPIFC_IP6_HLEN +
	    (size_t)n)) != 0) {
		snprintf(err, sizeof(err), "solicit: %s", strerror(-rc));
		return err;
	}
	return NULL;
}
