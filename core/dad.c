/*
 * Duplicate address detection: IPv6 DAD, RFC 4862 5.4, and IPv4 address
 * conflict detection, RFC 5227.  Both state machines live here and tick
 * on one timer path.  They decide which message goes out and return it;
 * the medium sends it (the timers' list, ipifc_dad_now for the probe due
 * when an address starts, the defence ipifc_acd_input names) and hands
 * received ones to the input functions below.  An address's state is
 * written by ipifc_lifc_transition alone: DAD asks it.
 *
 * As DESIGN decides, an IPv4 address is never tentative: it is usable
 * while it is probed, and a conflict is reported (status flag, event)
 * and the address defended once a DEFEND_INTERVAL, not given up.
 */
#include <string.h>

#include "core.h"

/* RFC 5227 1.1 */
#define PROBE_WAIT		1000	/* ms */
#define PROBE_NUM		3
#define PROBE_MIN		1000	/* ms */
#define PROBE_MAX		2000	/* ms */
#define ANNOUNCE_WAIT		2000	/* ms */
#define ANNOUNCE_NUM		2
#define ANNOUNCE_INTERVAL	2000	/* ms */
#define DEFEND_INTERVAL		10000	/* ms */

/*
 * RFC 4862 5.4: unicast IPv6 on a link with a link layer runs DAD; ::1
 * never reaches the link (RFC 4291 2.5.3), so it has nothing to detect.
 * A point-to-point address joins no groups, so it cannot run DAD.
 */
int
ipifc_dad_wanted(const struct ipifc_ifc *ifc, const struct ipifc_ip *a,
    int ptp)
{
	return !ptp && !ipifc_ip_isv4(a) && !ipifc_ip_isunspec(a) &&
	    !ipifc_ip_eq(a, &ipifc_ip_loopback6) &&
	    ifc->m->hwlen > 0 && ifc->dad > 0;
}

/*
 * The address took a new state.  Tentative: the first probe is due now
 * or, when it would be the first since the interface was (re)initialized,
 * a random 0..MAX_RTR_SOLICITATION_DELAY later (RFC 4862 5.4.2), so that
 * nodes that start together do not probe together; on a down interface
 * DAD waits for up.  Any other state: no DAD.
 */
void
ipifc_dad_state(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;
	uint32_t delay = 0;

	l->dad_deadline = UINT64_MAX;
	if (ifc == NULL || l->state != IPIFC_ADDR_TENTATIVE)
		return;
	l->dad_sent = 0;
	if (ipifc_ifc_up(ifc)) {
		if (ifc->dadfresh)
			delay = ipifc_random(ifc->stack) %
			    (IPIFC_DAD_MAXDELAY + 1);
		l->dad_deadline = ifc->stack->now + delay;
	}
}

/*
 * One step of DAD (RFC 4862 5.4): another solicitation while fewer than
 * DupAddrDetectTransmits went out, RetransTimer apart, each with a new
 * nonce (RFC 7527) so that our own probe, looped back by the link, is
 * known for ours; then, undefended, the address is ours.  1: a probe is
 * to be sent.
 */
static int
dad_step(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;
	struct ipifc_stack *s = ifc->stack;
	uint32_t r;
	int i;

	if (l->dad_sent < ifc->dad) {
		l->dad_sent++;
		ifc->dadfresh = 0;
		l->dad_deadline = s->now + ifc->retrans;
		ipifc_lifc_refile(l);
		for (i = 0; i < 6; i += 2) {
			r = ipifc_random(s);
			l->dad_nonce[i] = (uint8_t)r;
			l->dad_nonce[i + 1] = (uint8_t)(r >> 8);
		}
		return 1;
	}
	ipifc_lifc_transition(l, ipifc_lifc_expiry(l, l->preflt) <= s->now ?
	    IPIFC_ADDR_DEPRECATED : IPIFC_ADDR_PREFERRED);
	return 0;
}

/* Tentative again; a first probe due at once is ipifc_dad_now's. */
void
ipifc_dad_start(struct ipifc_lifc *l)
{
	ipifc_lifc_transition(l, IPIFC_ADDR_TENTATIVE);
}

/* The first probe of a DAD just started, when it is due at once. */
int
ipifc_dad_now(struct ipifc_lifc *l)
{
	if (l->state != IPIFC_ADDR_TENTATIVE ||
	    l->dad_deadline > l->ifc->stack->now ||
	    l->dad_sent >= l->ifc->dad)
		return 0;
	return dad_step(l);
}

/* Up: every IPv6 address runs DAD again.  Down: DAD waits. */
int
ipifc_dad_restart(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;

	if (!ipifc_dad_wanted(ifc, &l->local, l->ptp))
		return 0;
	if (!ipifc_ifc_up(ifc) && l->state != IPIFC_ADDR_TENTATIVE)
		return 0;
	ipifc_dad_start(l);
	return 1;
}

/* RFC 4862 5.4.5: someone else has it. */
static void
dad_failed(struct ipifc_lifc *l)
{
	if (l->state == IPIFC_ADDR_TENTATIVE)
		ipifc_lifc_transition(l, IPIFC_ADDR_DUPLICATE);
}

/*
 * A neighbor solicitation for l (NULL: a proxied or anycast target):
 * from :: it is another node's DAD probe, unless it carries our nonce.
 */
enum ipifc_dad_verdict
ipifc_dad_ns(struct ipifc_lifc *l, int fromunspec, const uint8_t *nonce,
    int anycast)
{
	if (l != NULL && l->state == IPIFC_ADDR_TENTATIVE) {
		/* RFC 7527 4.2: our own probe, looped back, is no duplicate */
		if (fromunspec && nonce != NULL &&
		    memcmp(nonce, l->dad_nonce, sizeof(l->dad_nonce)) == 0)
			return IPIFC_DAD_DROP;
		/* RFC 4862 5.4.3: another node is trying the same address */
		if (fromunspec)
			dad_failed(l);
		/*
		 * RFC 4429 2.2: an optimistic address is answered, with
		 * Override clear, so the rightful owner keeps its entries
		 */
		else if (l->optimistic)
			return IPIFC_DAD_PASS;
		return IPIFC_DAD_DROP;
	}
	if (l != NULL && l->state == IPIFC_ADDR_DUPLICATE)
		return IPIFC_DAD_DROP;
	if (!fromunspec)
		return IPIFC_DAD_PASS;
	/* RFC 4862 5.4: an anycast address is not for DAD to defend */
	if (anycast)
		return IPIFC_DAD_DROP;
	/* RFC 4861 7.2.4: defend it */
	return IPIFC_DAD_DEFEND;
}

/*
 * A neighbor advertisement for l: 1 when it is about one of our addresses
 * and goes no further.  A duplicate address is its owner's: its NA
 * resolves it (RFC 4862 5.4.5).
 */
int
ipifc_dad_na(struct ipifc_lifc *l)
{
	if (l == NULL || l->state == IPIFC_ADDR_DUPLICATE)
		return 0;
	/* RFC 4862 5.4.4: someone has our tentative address */
	if (l->state == IPIFC_ADDR_TENTATIVE)
		dad_failed(l);
	return 1;
}

static uint64_t
between(struct ipifc_stack *s, uint32_t min, uint32_t max)
{
	return min + ipifc_random(s) % (max - min + 1);
}

/*
 * A new IPv4 address: PROBE_NUM probes, PROBE_MIN..PROBE_MAX apart after
 * a random PROBE_WAIT, then ANNOUNCE_NUM announcements (RFC 5227 2.1,
 * 2.3).  acd counts what is left: probes first, then announcements.
 */
void
ipifc_acd_start(struct ipifc_lifc *l)
{
	struct ipifc_ifc *ifc = l->ifc;

	if ((ifc->flags & IPIFC_F_NOARP) || l->ptp ||
	    ipifc_ip_isunspec(&l->local)) {
		ipifc_acd_stop(l);	/* what was left of one begun before */
		return;
	}
	l->conflict = 0;
	l->acd = PROBE_NUM + ANNOUNCE_NUM;
	l->acd_deadline = ifc->stack->now + between(ifc->stack, 0, PROBE_WAIT);
	ipifc_lifc_refile(l);
}

void
ipifc_acd_stop(struct ipifc_lifc *l)
{
	if (l->acd == 0)
		return;
	l->acd = 0;
	ipifc_lifc_refile(l);
}

static void
acd_step(struct ipifc_lifc *l, struct ipifc_dad_act *a)
{
	struct ipifc_stack *s = l->ifc->stack;

	a->l = l;
	if (l->acd > ANNOUNCE_NUM) {
		a->what = IPIFC_DADDO_ARPPROBE;
		l->acd--;
		l->acd_deadline = s->now + (l->acd > ANNOUNCE_NUM ?
		    between(s, PROBE_MIN, PROBE_MAX) : ANNOUNCE_WAIT);
	} else {
		a->what = IPIFC_DADDO_ANNOUNCE;
		l->acd--;
		l->acd_deadline = s->now + ANNOUNCE_INTERVAL;
	}
	ipifc_lifc_refile(l);
}

/* Probes, or the ANNOUNCE_WAIT after them: no announcement yet. */
static int
probing(const struct ipifc_lifc *l)
{
	return l->acd >= ANNOUNCE_NUM;
}

/* Someone else uses one of our addresses (RFC 5227 2.4); *defend: l
 * when it is to be announced now. */
static void
conflict(struct ipifc_lifc *l, struct ipifc_lifc **defend)
{
	uint64_t now = l->ifc->stack->now;

	if (!l->conflict) {
		l->conflict = 1;
		ipifc_announce_addr(l, IPIFC_EV_ADDR_CONFLICT);
	}
	if (probing(l)) {
		/* RFC 5227 2.1.1: a conflict while probing; no more probes */
		ipifc_acd_stop(l);
		return;
	}
	if (l->defended == 0 || now - l->defended >= DEFEND_INTERVAL) {
		l->defended = now ? now : 1;
		*defend = l;
	}
}

/* An ARP packet from sha, sender spa, target tpa. */
int
ipifc_acd_input(struct ipifc_ifc *ifc, const struct ipifc_ip *spa,
    const struct ipifc_ip *tpa, const uint8_t *sha,
    struct ipifc_lifc **defend)
{
	struct ipifc_lifc *l;

	*defend = NULL;
	/* RFC 5227 2.4: another sender of one of our addresses */
	if ((l = ipifc_lifc_onifc(ifc, spa)) != NULL) {
		if (memcmp(sha, ifc->mac, 6) != 0)
			conflict(l, defend);
		return 1;
	}
	/* RFC 5227 2.1.1: another host probes for what we probe for */
	if (ipifc_ip_isunspec(spa) &&
	    (l = ipifc_lifc_onifc(ifc, tpa)) != NULL && probing(l) &&
	    memcmp(sha, ifc->mac, 6) != 0) {
		conflict(l, defend);
		return 1;
	}
	return 0;
}

/* l's step now: 0 none, 1 a message, 2 DAD completes (no message, but
 * what the new state sets off goes out at once). */
static int
due(const struct ipifc_lifc *l)
{
	uint64_t now = l->ifc->stack->now;

	if (l->state == IPIFC_ADDR_TENTATIVE && now >= l->dad_deadline)
		return l->dad_sent < l->ifc->dad ? 1 : 2;
	if (l->acd > 0 && ipifc_ifc_up(l->ifc) && now >= l->acd_deadline)
		return 1;
	return 0;
}

static void
dad_tick(struct ipifc_lifc *l, struct ipifc_dad_acts *todo)
{
	if (l->state == IPIFC_ADDR_TENTATIVE &&
	    l->ifc->stack->now >= l->dad_deadline) {
		if (dad_step(l)) {
			todo->a[todo->n].what = IPIFC_DADDO_NS;
			todo->a[todo->n++].l = l;
		}
	} else
		acd_step(l, &todo->a[todo->n++]);
}

/*
 * The one timer path of both: DAD on every interface, ACD on those up,
 * for the addresses due (core/deadline.c), in the order of a walk of
 * every interface's addresses.  The walk stops before a step the list
 * has no room for, and before a completion while messages wait, so that
 * everything leaves in the order the steps were taken; it goes on from
 * there when called again.
 */
int
ipifc_dad_timers(struct ipifc_stack *s, struct ipifc_dad_acts *todo)
{
	struct ipifc_lifc *l;
	int i, n, d;

	n = ipifc_deadline_due(s);
	for (i = 0; i < n; i++) {
		if ((l = ipifc_deadline_lifc(s, i)) == NULL || l->ifc->num < todo->slot ||
		    (l->ifc->num == todo->slot && l->seq < todo->seq) ||
		    (d = due(l)) == 0)
			continue;
		if (todo->n == IPIFC_DAD_NACT || (d == 2 && todo->n > 0)) {
			todo->slot = l->ifc->num;
			todo->seq = l->seq;
			ipifc_dindex_done(&s->daddr);
			return 1;
		}
		dad_tick(l, todo);
	}
	ipifc_dindex_done(&s->daddr);
	todo->slot = s->nslot;
	todo->seq = 0;
	return 0;
}
