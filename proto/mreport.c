/*
 * Group membership reports: MLDv2 (RFC 3810) for IPv6 and IGMPv3 (RFC
 * 3376) for IPv4, so that switches that snoop forward our groups to us.
 * A join or leave is reported at once (state-change report) and once
 * more within the Unsolicited Report Interval, [Robustness Variable] - 1
 * repeats (RFC 3810 6.1, RFC 3376 5.1); a query is answered with the
 * current state after a random delay within its maximum response time.
 * While an older querier is heard, reports speak its version (MLDv1,
 * IGMPv1, IGMPv2).  Link-scope all-nodes and all-systems are never
 * reported (RFC 3810 6, RFC 3376 5).
 */
#include <string.h>

#include "proto.h"
#include "wire.h"

static const struct ipifc_ip mld_routers = {	/* ff02::16, RFC 3810 5.2.14 */
	{ 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x16 } };
static const struct ipifc_ip igmp_routers = {	/* 224.0.0.22, RFC 3376 4.2.14 */
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 224, 0, 0, 22 } };

static int
reported(const struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	if (ifc->flags & IPIFC_F_LOOPBACK)
		return 0;
	if (ipifc_ip_isv4(g))
		return !ipifc_ip_eq(g, &ipifc_ip_allsys4);
	return !ipifc_ip_eq(g, &ipifc_ip_allnodes) &&
	    ipifc_ip_scope(g) >= IPIFC_SCOPE_LINK;
}

/* RFC 3810 5.2.13: from a link-local address, or :: while none. */
static const struct ipifc_ip *
mld_source(const struct ipifc_ifc *ifc)
{
	const struct ipifc_lifc *l;

	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (!ipifc_lifc_isv4(l) && ipifc_lifc_usable(l) &&
		    ipifc_ip_islinklocal(&l->local))
			return &l->local;
	return &ipifc_ip_unspec6;
}

/* RFC 3810 5, RFC 2710 3: hop limit 1, with a Router Alert. */
static void
mld_emit(struct ipifc_ifc *ifc, const struct ipifc_ip *src,
    const struct ipifc_ip *dst, uint8_t *buf, size_t len)
{
	if (ipifc_ip6_hbh_ra_build(buf, IPIFC_IP6_HBHRALEN, IPIFC_PROTO_ICMP6,
	    IPIFC_IP6OPT_RA_MLD) < 0)
		return;
	ipifc_ip6_send_on(ifc, src, dst, IPIFC_PROTO_HOPOPTS, 1, buf,
	    IPIFC_IP6_HBHRALEN + len);
}

static void
mld_send(struct ipifc_ifc *ifc, const struct ipifc_mrec *recs, int n)
{
	const struct ipifc_ip *src = mld_source(ifc);
	uint8_t buf[IPIFC_IP6_HBHRALEN + IPIFC_MLD_REPORT_LEN(IPIFC_MAXMREC)];
	int m;

	if ((m = ipifc_mld_report_build(buf + IPIFC_IP6_HBHRALEN,
	    sizeof(buf) - IPIFC_IP6_HBHRALEN, src, &mld_routers, recs, n)) < 0)
		return;
	mld_emit(ifc, src, &mld_routers, buf, (size_t)m);
}

/* MLDv1: a report to the group, a done to all routers (RFC 2710 4). */
static void
mld1_send(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int leave)
{
	const struct ipifc_ip *src = mld_source(ifc);
	const struct ipifc_ip *dst = leave ? &ipifc_ip_allrouters : g;
	uint8_t buf[IPIFC_IP6_HBHRALEN + 24];
	int m;

	if ((m = ipifc_mld1_build(buf + IPIFC_IP6_HBHRALEN, 24, src, dst,
	    leave ? IPIFC_MLD_DONE : IPIFC_MLD_REPORT1, g)) < 0)
		return;
	mld_emit(ifc, src, dst, buf, (size_t)m);
}

/* RFC 3376 4, RFC 2236 2: TTL 1, a Router Alert, from an address of ours. */
static void
igmp_emit(struct ipifc_ifc *ifc, const struct ipifc_ip *dst,
    const uint8_t *body, size_t len)
{
	const struct ipifc_lifc *l;
	struct ipifc_ip4 h;
	uint8_t ra[IPIFC_IP4OPT_RALEN];
	uint8_t pkt[IPIFC_IP4_HLEN + IPIFC_IP4OPT_RALEN +
	    IPIFC_IGMP_REPORT_LEN(IPIFC_MAXMREC)];
	int hl;

	memset(&h, 0, sizeof(h));
	h.src = ipifc_ip_unspec4;
	TAILQ_FOREACH(l, &ifc->lifcs, link)
		if (ipifc_lifc_isv4(l)) {
			h.src = l->local;
			break;
		}
	if (ipifc_ip4_ra_build(ra, sizeof(ra)) < 0)
		return;
	h.ttl = 1;
	h.proto = IPIFC_PROTO_IGMP;
	h.id = proto_of(ifc->stack)->ip4id++;
	h.dst = *dst;
	h.opts = ra;
	h.optlen = sizeof(ra);
	h.plen = len;
	if ((hl = ipifc_ip4_build(pkt, sizeof(pkt), &h)) < 0 ||
	    (size_t)hl + len > sizeof(pkt))
		return;
	memcpy(pkt + hl, body, len);
	ifc->m->bwrite(ifc, pkt, (size_t)hl + len, dst);
}

static void
igmp_send(struct ipifc_ifc *ifc, const struct ipifc_mrec *recs, int n)
{
	uint8_t body[IPIFC_IGMP_REPORT_LEN(IPIFC_MAXMREC)];
	int m;

	if ((m = ipifc_igmp_report_build(body, sizeof(body), recs, n)) < 0)
		return;
	igmp_emit(ifc, &igmp_routers, body, (size_t)m);
}

/* IGMPv1/v2: a report to the group, a v2 leave to all routers. */
static void
igmp12_send(struct ipifc_ifc *ifc, const struct ipifc_ip *g, uint8_t type)
{
	static const struct ipifc_ip allrouters4 = {	/* 224.0.0.2 */
		{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 224, 0, 0, 2 } };
	uint8_t body[8];

	if (ipifc_igmp12_build(body, sizeof(body), type, g) < 0)
		return;
	igmp_emit(ifc, type == IPIFC_IGMP_LEAVE ? &allrouters4 : g, body,
	    sizeof(body));
}

/*
 * Host compatibility mode (RFC 3810 8.2.1, RFC 3376 7.2.1): the version
 * the oldest querier heard in the last Older Version Querier Present
 * Timeout speaks.  3 for IGMPv3 / MLDv2 (as 2 is MLD's newest).
 */
static int
compat(const struct ipifc_ifc *ifc, int v4)
{
	uint64_t now = ifc->stack->now;

	if (v4)
		return now < pifc_of(ifc)->igmp1_until ? 1 :
		    now < pifc_of(ifc)->igmp2_until ? 2 : 3;
	return now < pifc_of(ifc)->mld1_until ? 1 : 3;
}

/* One change of one group, in the words the link's queriers speak. */
static void
send_change(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int type)
{
	struct ipifc_mrec rec;
	int v4 = ipifc_ip_isv4(g), leave = type == IPIFC_MREC_TO_INCLUDE;

	switch (compat(ifc, v4)) {
	case 1:
		if (!v4)
			mld1_send(ifc, g, leave);
		else if (!leave)
			igmp12_send(ifc, g, IPIFC_IGMP_REPORT1);
		return;		/* IGMPv1 has no leave */
	case 2:
		igmp12_send(ifc, g, leave ? IPIFC_IGMP_LEAVE :
		    IPIFC_IGMP_REPORT2);
		return;
	}
	memset(&rec, 0, sizeof(rec));
	rec.type = (uint8_t)type;
	rec.group = *g;
	if (v4)
		igmp_send(ifc, &rec, 1);
	else
		mld_send(ifc, &rec, 1);
}

#define ROBUSTNESS		2	/* RFC 3810 9.1, RFC 3376 8.1 */
#define UNSOLICITED_INTERVAL	1000	/* ms, RFC 3810 9.11, RFC 3376 8.11 */
/* RV * Query Interval + Query Response Interval, RFC 3810 9.12, RFC 3376 8.12 */
#define OLDER_QUERIER_TIMEOUT	(ROBUSTNESS * 125000 + 10000)	/* ms */

/* Remember a change to repeat it; the newest change of a group wins. */
static void
pend(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int type)
{
	struct ipifc_stack *s = ifc->stack;
	struct ipifc_mpending *p = &pifc_of(ifc)->mpend;
	int i;

	for (i = 0; i < p->n; i++)
		if (ipifc_ip_eq(&p->group[i], g))
			break;
	if (i == p->n) {
		if (p->n == IPIFC_MPENDING) {
			/* full: the oldest repeat is forgone */
			memmove(&p->group[0], &p->group[1],
			    (IPIFC_MPENDING - 1) * sizeof(p->group[0]));
			memmove(&p->type[0], &p->type[1], IPIFC_MPENDING - 1);
			i = --p->n;
		}
		p->n++;
	}
	p->group[i] = *g;
	p->type[i] = (uint8_t)type;
	if (p->due == 0) {
		p->due = s->now + 1 + ipifc_random(s) % UNSOLICITED_INTERVAL;
		ipifc_mreport_refile(ifc);
	}
}

static void
report(struct ipifc_ifc *ifc, const struct ipifc_ip *g, int type)
{
	/* a down interface says nothing: up reports every group */
	if (!reported(ifc, g) || !ipifc_ifc_up(ifc))
		return;
	send_change(ifc, g, type);
	if (ROBUSTNESS > 1)
		pend(ifc, g, type);
}

/* The repeats of one family's changes, in one report. */
static void
repeat(struct ipifc_ifc *ifc, const struct ipifc_mpending *p, int v4)
{
	struct ipifc_mrec recs[IPIFC_MPENDING];
	int i, n = 0;

	for (i = 0; i < p->n; i++) {
		if (ipifc_ip_isv4(&p->group[i]) != v4)
			continue;
		if (compat(ifc, v4) < 3) {
			send_change(ifc, &p->group[i], p->type[i]);
			continue;
		}
		memset(&recs[n], 0, sizeof(recs[n]));
		recs[n].type = p->type[i];
		recs[n].group = p->group[i];
		n++;
	}
	if (n > 0)
		v4 ? igmp_send(ifc, recs, n) : mld_send(ifc, recs, n);
}

void
ipifc_mreport_joined(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	report(ifc, g, IPIFC_MREC_TO_EXCLUDE);
}

void
ipifc_mreport_left(struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	report(ifc, g, IPIFC_MREC_TO_INCLUDE);
}

/* The current state of one family's groups, IPIFC_MAXMREC a packet. */
static void
current_state(struct ipifc_ifc *ifc, int v4)
{
	struct ipifc_mrec recs[IPIFC_MAXMREC];
	const struct ipifc_group *g;
	int n = 0;

	TAILQ_FOREACH(g, &ifc->groups, link) {
		if (ipifc_ip_isv4(&g->ip) != v4 || !reported(ifc, &g->ip))
			continue;
		if (compat(ifc, v4) < 3) {
			/* older queriers hear one report per group */
			send_change(ifc, &g->ip, IPIFC_MREC_TO_EXCLUDE);
			continue;
		}
		memset(&recs[n], 0, sizeof(recs[n]));
		recs[n].type = IPIFC_MREC_IS_EXCLUDE;
		recs[n].group = g->ip;
		if (++n == IPIFC_MAXMREC) {
			v4 ? igmp_send(ifc, recs, n) : mld_send(ifc, recs, n);
			n = 0;
		}
	}
	if (n > 0)
		v4 ? igmp_send(ifc, recs, n) : mld_send(ifc, recs, n);
}

/* Is g a group of ifc that reports speak of? */
static int
member(const struct ipifc_ifc *ifc, const struct ipifc_ip *g)
{
	return reported(ifc, g) && ipifc_group_find(ifc, g) != NULL;
}

/* Add the query's sources to a pending answer; 0 when they do not fit. */
static int
record_sources(struct ipifc_mqueried *e, const struct ipifc_mquery *q,
    size_t w)
{
	int i, j;

	for (i = 0; i < q->nsrc; i++) {
		for (j = 0; j < e->nsrc; j++)
			if (memcmp(e->srcs + (size_t)j * w,
			    q->srcs + (size_t)i * w, w) == 0)
				break;
		if (j < e->nsrc)
			continue;
		if (e->nsrc == IPIFC_MQSRC)
			return 0;
		memcpy(e->srcs + (size_t)e->nsrc * w, q->srcs + (size_t)i * w,
		    w);
		e->nsrc++;
	}
	return 1;
}

/*
 * Schedule the answer to a query (RFC 3376 5.2, RFC 3810 6.2; for the
 * older versions RFC 2236 3 and RFC 2710 4 say the same with a timer per
 * group: the earliest wins).  A general answer due no later than the
 * delay chosen covers the query; a general query moves the general answer
 * earlier; a group query for a group we do not listen to is not
 * answered; a group query with an answer pending for its group keeps the
 * earlier time, and a source list only while both queries had one (they
 * merge).  When IPIFC_MQUERIED answers are pending, the general answer
 * takes the query: it says all that the group's answer would.
 */
static void
answer(struct ipifc_ifc *ifc, const struct ipifc_mquery *q, int v4)
{
	struct ipifc_mqueries *mq = &pifc_of(ifc)->mqueried;
	struct ipifc_mqueried *e;
	uint64_t *gdue = v4 ? &pifc_of(ifc)->igmp_due : &pifc_of(ifc)->mld_due;
	uint64_t when;
	size_t w = v4 ? 4 : 16;
	int i, sources;

	when = ifc->stack->now + (q->mrd ? ipifc_random(ifc->stack) % q->mrd :
	    0);
	if (*gdue != 0 && *gdue <= when)
		return;
	if (ipifc_ip_isunspec(&q->group)) {
		*gdue = when;
		return;
	}
	if (!member(ifc, &q->group))
		return;
	/* older versions have no sources: their answer is the group's */
	sources = q->nsrc > 0 && compat(ifc, v4) == 3;
	for (i = 0; i < mq->n; i++)
		if (ipifc_ip_eq(&mq->q[i].group, &q->group))
			break;
	if (i == mq->n) {
		if (mq->n == IPIFC_MQUERIED) {
			*gdue = when;
			return;
		}
		e = &mq->q[mq->n++];
		memset(e, 0, sizeof(*e));
		e->group = q->group;
		e->due = when;
		if (sources && !record_sources(e, q, w))
			e->nsrc = 0;
		return;
	}
	e = &mq->q[i];
	if (when < e->due)
		e->due = when;
	/* a source list too long to keep asks about the whole group */
	if (!sources || e->nsrc == 0 || !record_sources(e, q, w))
		e->nsrc = 0;
}

/* The group timers' answers fit one report of either family. */
_Static_assert(IPIFC_MQUERIED <= IPIFC_MAXMREC &&
    IPIFC_MQUERIED * (20 + 16 * IPIFC_MQSRC) <=
    IPIFC_MLD_REPORT_LEN(IPIFC_MAXMREC) - 8 &&
    IPIFC_MQUERIED * (8 + 4 * IPIFC_MQSRC) <=
    IPIFC_IGMP_REPORT_LEN(IPIFC_MAXMREC) - 8, "answers fit a report");

/*
 * The answers of one family's group timers that are due.  Every group of
 * ours is in EXCLUDE mode with no sources, so RFC 3376 5.2 and RFC 3810
 * 6.3 give IS_EXCLUDE {} for a Group-Specific Query and, for a
 * Group-and-Source-Specific Query of sources B, IS_INCLUDE (B - {}) =
 * IS_INCLUDE (B): we want every source asked about.
 */
static void
answer_due(struct ipifc_ifc *ifc, struct ipifc_mqueries *mq, int v4)
{
	struct ipifc_mrec recs[IPIFC_MQUERIED];
	struct ipifc_mqueried *e;
	int i = 0, n = 0;

	while (i < mq->n) {
		e = &mq->q[i];
		if (ipifc_ip_isv4(&e->group) != v4 ||
		    e->due > ifc->stack->now) {
			i++;
			continue;
		}
		if (member(ifc, &e->group)) {
			if (compat(ifc, v4) < 3)
				send_change(ifc, &e->group,
				    IPIFC_MREC_TO_EXCLUDE);
			else {
				memset(&recs[n], 0, sizeof(recs[n]));
				recs[n].type = e->nsrc > 0 ?
				    IPIFC_MREC_IS_INCLUDE :
				    IPIFC_MREC_IS_EXCLUDE;
				recs[n].group = e->group;
				recs[n].nsrc = (uint16_t)e->nsrc;
				recs[n].srcs = e->srcs;
				n++;
			}
		}
		/* its record points into e->srcs: removed after the send */
		e->due = UINT64_MAX;
		i++;
	}
	if (n > 0)
		v4 ? igmp_send(ifc, recs, n) : mld_send(ifc, recs, n);
	for (i = 0; i < mq->n;)
		if (mq->q[i].due == UINT64_MAX)
			mq->q[i] = mq->q[--mq->n];
		else
			i++;
}

/*
 * RFC 3810 8.2.1, RFC 3376 7.2.1: whenever the host compatibility mode
 * changes, the family's pending answers and repeats are cancelled (they
 * were timed and worded for the other version).
 */
static void
cancel_pending(struct ipifc_ifc *ifc, int v4)
{
	struct ipifc_mpending *mp = &pifc_of(ifc)->mpend;
	struct ipifc_mqueries *mq = &pifc_of(ifc)->mqueried;
	int i, n = 0;

	*(v4 ? &pifc_of(ifc)->igmp_due : &pifc_of(ifc)->mld_due) = 0;
	for (i = 0; i < mq->n;)
		if (ipifc_ip_isv4(&mq->q[i].group) == v4)
			mq->q[i] = mq->q[--mq->n];
		else
			i++;
	for (i = 0; i < mp->n; i++)
		if (ipifc_ip_isv4(&mp->group[i]) != v4) {
			mp->group[n] = mp->group[i];
			mp->type[n++] = mp->type[i];
		}
	if ((mp->n = n) == 0)
		mp->due = 0;
}

/* An older querier heard: its Older Version Querier Present timer. */
static void
older_heard(struct ipifc_ifc *ifc, uint64_t *until, int v4)
{
	int was = compat(ifc, v4);

	*until = ifc->stack->now + OLDER_QUERIER_TIMEOUT;
	if (compat(ifc, v4) != was)
		cancel_pending(ifc, v4);
}

/* That timer ran out: the mode it held up may change. */
static void
older_gone(struct ipifc_ifc *ifc, uint64_t *until, int v4)
{
	int was;

	if (*until == 0 || ifc->stack->now < *until)
		return;
	*until = UINT64_MAX;	/* the mode while it still ran */
	was = compat(ifc, v4);
	*until = 0;
	if (compat(ifc, v4) != was)
		cancel_pending(ifc, v4);
}

/*
 * RFC 3810 5.1.14: a query from a source that is not link-local, with a
 * hop limit other than 1, or without a Router Alert in a hop-by-hop
 * header is dropped (RFC 2710 3 sends MLDv1 the same way, and we hold
 * its queries to it too).
 */
static int
mld_query_ok(const struct ipifc_ip6 *h)
{
	return ipifc_ip_islinklocal(&h->src) && h->hlim == 1 &&
	    h->nxt == IPIFC_PROTO_HOPOPTS &&
	    ipifc_ip6_hbh_ra(h->payload, h->plen) == IPIFC_IP6OPT_RA_MLD;
}

void
ipifc_mld_input(struct ipifc_ifc *ifc, const struct ipifc_ip6 *h,
    const uint8_t *icmp, size_t len)
{
	struct ipifc_mquery q;

	if (icmp[0] != IPIFC_MLD_QUERY)
		return;		/* other listeners' reports: nothing to do */
	if (!mld_query_ok(h)) {
		proto_of(ifc->stack)->drops_mquery++;
		return;
	}
	if (ipifc_mld_query_parse(h, icmp, len, &q) < 0) {
		proto_of(ifc->stack)->drops_icmp++;
		return;
	}
	if (q.version == 1)
		older_heard(ifc, &pifc_of(ifc)->mld1_until, 0);
	answer(ifc, &q, 0);
	ipifc_mreport_refile(ifc);
}

/*
 * RFC 3376 9.1: v2 and v3 queries without a Router Alert are ignored
 * (IGMPv1 has none), and so are general queries to a group other than
 * all-systems.  Linux asks neither; its bridge's querier meets both.
 */
static int
igmp_query_ok(const struct ipifc_ip4 *h, const struct ipifc_mquery *q)
{
	if (q->version > 1 && ipifc_ip4_has_ra(h->opts, h->optlen) != 1)
		return 0;
	return !ipifc_ip_isunspec(&q->group) || !ipifc_ip_ismulti(&h->dst) ||
	    ipifc_ip_eq(&h->dst, &ipifc_ip_allsys4);
}

void
ipifc_igmp_input(struct ipifc_ifc *ifc, const struct ipifc_ip4 *h)
{
	struct ipifc_mquery q;
	int rc;

	if ((rc = ipifc_igmp_query_parse(h->payload, h->plen, &q)) < 0) {
		/* other members' reports and leaves are no concern of ours;
		 * a query that does not parse is counted, as MLD's are */
		if (rc != -EPROTONOSUPPORT)
			proto_of(ifc->stack)->drops_icmp++;
		return;
	}
	if (!igmp_query_ok(h, &q)) {
		proto_of(ifc->stack)->drops_mquery++;
		return;
	}
	if (q.version == 1)
		older_heard(ifc, &pifc_of(ifc)->igmp1_until, 1);
	else if (q.version == 2)
		older_heard(ifc, &pifc_of(ifc)->igmp2_until, 1);
	answer(ifc, &q, 1);
	ipifc_mreport_refile(ifc);
}

/* The earliest of ifc's timers here, UINT64_MAX: none. */
static uint64_t
earliest(const struct ipifc_pifc *p)
{
	const uint64_t t[] = { p->mld_due, p->igmp_due, p->mpend.due,
	    p->mld1_until, p->igmp1_until, p->igmp2_until };
	uint64_t min = UINT64_MAX;
	size_t j;
	int i;

	for (j = 0; j < sizeof(t) / sizeof(t[0]); j++)
		if (t[j] != 0 && t[j] < min)
			min = t[j];
	for (i = 0; i < p->mqueried.n; i++)
		if (p->mqueried.q[i].due < min)
			min = p->mqueried.q[i].due;
	return min;
}

void
ipifc_mreport_refile(struct ipifc_ifc *ifc)
{
	struct ipifc_pifc *p = pifc_of(ifc);

	ipifc_dindex_file(&proto_of(ifc->stack)->dmreport, &p->mdl,
	    earliest(p));
}

void
ipifc_mreport_down(struct ipifc_ifc *ifc)
{
	ipifc_dindex_mark(&proto_of(ifc->stack)->dmreport,
	    &pifc_of(ifc)->mdl);
}

/* The order of the walk the pass replaces: by interface. */
static int
by_ifc(const void *x, const void *y)
{
	const struct ipifc_pifc *a = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)x, struct ipifc_pifc, mdl);
	const struct ipifc_pifc *b = IPIFC_DNODE_OWNER(*(struct ipifc_dnode
	    *const *)y, struct ipifc_pifc, mdl);

	return (a->ifc->num > b->ifc->num) - (a->ifc->num < b->ifc->num);
}

/* The interfaces due (and those that went down since the last pass). */
void
ipifc_mreport_timers(struct ipifc_stack *s)
{
	struct ipifc_dindex *x = &proto_of(s)->dmreport;
	struct ipifc_dnode *d;
	struct ipifc_pifc *p;
	struct ipifc_ifc *ifc;
	int i, n;

	n = ipifc_dindex_due(x, s->now, by_ifc);
	for (i = 0; i < n; i++) {
		if ((d = x->due[i]) == NULL)
			continue;
		p = IPIFC_DNODE_OWNER(d, struct ipifc_pifc, mdl);
		ifc = p->ifc;
		older_gone(ifc, &p->mld1_until, 0);
		older_gone(ifc, &p->igmp1_until, 1);
		older_gone(ifc, &p->igmp2_until, 1);
		if (p->mld_due != 0 && s->now >= p->mld_due) {
			p->mld_due = 0;
			current_state(ifc, 0);
		}
		if (p->igmp_due != 0 && s->now >= p->igmp_due) {
			p->igmp_due = 0;
			current_state(ifc, 1);
		}
		if (!ipifc_ifc_up(ifc)) {
			memset(&p->mpend, 0, sizeof(p->mpend));
			p->mqueried.n = 0;
		}
		answer_due(ifc, &p->mqueried, 0);
		answer_due(ifc, &p->mqueried, 1);
		if (p->mpend.due != 0 && s->now >= p->mpend.due) {
			repeat(ifc, &p->mpend, 0);
			repeat(ifc, &p->mpend, 1);
			memset(&p->mpend, 0, sizeof(p->mpend));
		}
		ipifc_mreport_refile(ifc);
	}
	ipifc_dindex_done(x);
}

uint64_t
ipifc_mreport_deadline(const struct ipifc_stack *s)
{
	return ipifc_dindex_next(&((const struct ipifc_proto *)
	    s->proto)->dmreport);
}
