/*
 * The deadline indexes (core/deadline.c) against a plain model.
 * Addresses: after each of thousands of random adds, updates, removes,
 * up and down, DAD settings and clock advances, the index's earliest
 * deadline equals the minimum of a walk of every address, every address
 * is in the index once, and after an advance nothing is left overdue.
 * Neighbors the same, after random resolutions, answers, static entries,
 * deletions, flushes, unbinds and advances; and the protocols' indexes
 * of interfaces (group reports, router advertisements) after random
 * joins, leaves, ups, downs, sendra, lladdr, binds and unbinds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "proto.h"
#include "util.h"

#define NIFC	3
#define OPS	6000

static uint32_t rng = 12345;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

/* The heap's order, and node d at its place in it. */
static void
check_heap(const struct ipifc_dindex *x)
{
	unsigned i;

	for (i = 0; i < x->n; i++) {
		assert_int_equal(x->heap[i]->pos, i + 1);
		if (i > 0)
			assert_true(x->heap[(i - 1) / 2]->key <= x->heap[i]->key);
	}
	assert_int_equal(x->ndue, 0);
}

static void
filed(const struct ipifc_dindex *x, const struct ipifc_dnode *d)
{
	assert_true(d->pos >= 1 && d->pos <= x->n);
	assert_ptr_equal(x->heap[d->pos - 1], d);
	assert_int_equal(d->due, 0);
}

static void
same(uint64_t index, uint64_t walk)
{
	if (index != walk)
		fail_msg("index %llu, walk %llu", (unsigned long long)index,
		    (unsigned long long)walk);
}

/* The walk the index replaces: lifetimes, DAD and ACD of every address. */
static uint64_t
linear_min(struct ipifc_stack *s, unsigned *n)
{
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l;
	uint64_t d, min = UINT64_MAX;

	*n = 0;
	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(l, &ifc->lifcs, link) {
			(*n)++;
			if ((d = ipifc_lifc_deadline(l)) < min)
				min = d;
			if (l->state == IPIFC_ADDR_TENTATIVE &&
			    l->dad_deadline < min)
				min = l->dad_deadline;
			if (l->acd > 0 && ipifc_ifc_up(ifc) &&
			    l->acd_deadline < min)
				min = l->acd_deadline;
			filed(&s->daddr, &l->dl);
		}
	}
	return min;
}

static void
check(struct ipifc_stack *s)
{
	unsigned n;
	uint64_t min = linear_min(s, &n);

	assert_int_equal(n, s->daddr.n);
	check_heap(&s->daddr);
	same(ipifc_dindex_next(&s->daddr), min);
}

static void
lifetime(char *buf, size_t len, uint32_t *valid)
{
	uint32_t v, p;

	if (rnd(4) == 0) {
		snprintf(buf, len, "infinite infinite");
		*valid = IPIFC_INFINITE;
		return;
	}
	v = rnd(30);
	p = rnd(v + 1);
	snprintf(buf, len, "%u %u", v, p);
	*valid = v;
}

static void
one_op(struct ipifc_stack *s)
{
	char line[128], lt[48], path[32];
	struct ipifc_ifc *ifc;
	struct ipifc_lifc *l;
	uint32_t valid;
	uint64_t d;
	int k = (int)rnd(NIFC), i;

	snprintf(path, sizeof(path), "ipifc/%d/ctl", k);
	switch (rnd(10)) {
	case 0:
	case 1:		/* add or update an IPv6 address */
		lifetime(lt, sizeof(lt), &valid);
		snprintf(line, sizeof(line), "add6 2001:db8:%d:%x:: 64 1 1 %s",
		    k, rnd(24), lt);
		(void)ipifc_write(s, NULL, path, line, NULL, 0);
		break;
	case 2:		/* an IPv4 address: ACD */
		snprintf(line, sizeof(line), "add 10.%d.0.%u /24", k,
		    1 + rnd(40));
		(void)ipifc_write(s, NULL, path, line, NULL, 0);
		break;
	case 3:		/* remove one */
		if ((ifc = ipifc_ifc_bynum(s, k)) == NULL ||
		    ifc->nlifc == 0)
			break;
		i = (int)rnd((uint32_t)ifc->nlifc);
		TAILQ_FOREACH(l, &ifc->lifcs, link)
			if (i-- == 0)
				break;
		ipifc_lifc_del(l);
		break;
	case 4:
		(void)ipifc_write(s, NULL, path, rnd(2) ? "up" : "down",
		    NULL, 0);
		break;
	case 5:
		snprintf(line, sizeof(line), "dad %u", rnd(3));
		(void)ipifc_write(s, NULL, path, line, NULL, 0);
		break;
	case 6:
		(void)ipifc_write(s, NULL, path, rnd(2) ? "noarp 1" :
		    "noarp 0", NULL, 0);
		break;
	default:	/* the clock */
		/* an overdue deadline (ACD's on up with noarp) is now */
		d = ipifc_next_deadline(s);
		if (rnd(2) || d == UINT64_MAX)
			ipifc_advance(s, s->now + rnd(3000));
		else
			ipifc_advance(s, d > s->now ? d : s->now);
		check(s);
		/* the passes took every address due */
		assert_true(ipifc_dindex_next(&s->daddr) > s->now);
		break;
	}
}

static void
test_model(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	char dev[32];
	int i, round;

	(void)state;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < NIFC; i++) {
			snprintf(dev, sizeof(dev), "bind ether sim:d%d", i);
			w(s, "ipifc/clone", dev);
		}
		for (i = 0; i < OPS; i++) {
			one_op(s);
			check(s);
		}
		for (i = 0; i < NIFC; i++) {
			snprintf(dev, sizeof(dev), "ipifc/%d/ctl", i);
			w(s, dev, "unbind");
		}
		check(s);
		assert_int_equal(s->daddr.n, 0);
	}
	ipifc_stack_free(s);
}

/* ---- neighbors ---- */

/* The walk the neighbors' index replaces: every entry's deadline. */
static void
check_nbr(struct ipifc_stack *s)
{
	struct ipifc_ifc *ifc;
	struct ipifc_nbr *n;
	uint64_t min = UINT64_MAX;
	unsigned count = 0;

	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(n, &ifc->nbrs, link) {
			count++;
			if (n->dl.key < min)
				min = n->dl.key;
			assert_ptr_equal(n->ifc, ifc);
			filed(&s->dnbr, &n->dl);
		}
	}
	assert_int_equal(count, s->dnbr.n);
	check_heap(&s->dnbr);
	same(ipifc_dindex_next(&s->dnbr), min);
	same(ipifc_nbr_deadline(s), min);
}

/* Carry out what the neighbors decided: here, free the packets. */
static void
drop_acts(struct ipifc_nbr_acts *todo)
{
	int i;

	for (i = 0; i < todo->n; i++)
		free(todo->a[i].pkt);
	todo->n = 0;
}

static void
nbr_op(struct ipifc_stack *s)
{
	static const uint8_t macs[2][6] = {
		{ 0x02, 0, 0, 0, 0, 0x02 }, { 0x02, 0, 0, 0, 0, 0x03 } };
	struct ipifc_nbr_acts todo;
	struct ipifc_nbr_act ask;
	struct ipifc_ifc *ifc;
	struct ipifc_ip a;
	char line[96], text[32], path[32];
	uint8_t pkt[64], mac[6];
	int k = (int)rnd(NIFC), more;

	snprintf(text, sizeof(text), "10.%d.0.%u", k, 2 + rnd(60));
	a = ip(text);
	ifc = ipifc_ifc_bynum(s, k);
	ipifc_nbr_acts_init(&todo);
	memset(pkt, k, sizeof(pkt));
	switch (rnd(12)) {
	case 0:
	case 1:
	case 2:		/* output wants it: a new entry asks */
		if (ifc != NULL)
			(void)ipifc_nbr_resolve(ifc, &a, pkt,
			    1 + rnd(sizeof(pkt)), mac, &ask);
		break;
	case 3:
	case 4:		/* a solicitation or ARP message tells */
		if (ifc != NULL)
			ipifc_nbr_learn(ifc, &a, macs[rnd(2)], rnd(2) ?
			    IPIFC_NBR_STALE : IPIFC_NBR_REACHABLE, (int)rnd(2),
			    &todo);
		break;
	case 5:
	case 6:		/* an advertisement */
		if (ifc != NULL)
			ipifc_nbr_advert(ifc, &a, rnd(4) ? macs[rnd(2)] : NULL,
			    (int)rnd(2), (int)rnd(2), (int)rnd(2), &todo);
		break;
	case 7:		/* the operator's */
		if (rnd(2))
			snprintf(line, sizeof(line), "add %s 02:00:00:00:00:09",
			    text);
		else
			snprintf(line, sizeof(line), "del %s", text);
		(void)ipifc_write(s, NULL, "arp", line, NULL, 0);
		break;
	case 8:
		if (rnd(8) == 0)
			(void)ipifc_write(s, NULL, "arp", "flush", NULL, 0);
		else if (rnd(4) == 0 && ifc != NULL) {
			snprintf(path, sizeof(path), "ipifc/%d/ctl", k);
			(void)ipifc_write(s, NULL, path, "unbind", NULL, 0);
		} else if (ifc == NULL) {
			snprintf(line, sizeof(line), "bind ether sim:n%d", k);
			(void)ipifc_write(s, NULL, "ipifc/clone", line, NULL,
			    0);
			snprintf(path, sizeof(path), "ipifc/%d/ctl", k);
			snprintf(line, sizeof(line), "add 10.%d.0.1 /24", k);
			(void)ipifc_write(s, NULL, path, line, NULL, 0);
		}
		break;
	default:	/* the clock, and the timers' pass taken by hand too */
		if (rnd(2)) {
			s->now += rnd(2500);
			do {
				more = ipifc_nbr_timers(s, &todo);
				drop_acts(&todo);
			} while (more);
		} else
			ipifc_advance(s, ipifc_nbr_deadline(s) != UINT64_MAX &&
			    rnd(2) ? ipifc_nbr_deadline(s) : s->now +
			    rnd(2500));
		check_nbr(s);
		assert_true(ipifc_nbr_deadline(s) > s->now);
		break;
	}
	drop_acts(&todo);
}

static void
test_nbr_model(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	char line[64], path[32];
	int i, round;

	(void)state;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < NIFC; i++) {
			snprintf(line, sizeof(line), "bind ether sim:n%d", i);
			w(s, "ipifc/clone", line);
			snprintf(path, sizeof(path), "ipifc/%d/ctl", i);
			snprintf(line, sizeof(line), "add 10.%d.0.1 /24", i);
			w(s, path, line);
		}
		for (i = 0; i < OPS; i++) {
			nbr_op(s);
			check_nbr(s);
		}
		for (i = 0; i < NIFC; i++) {
			snprintf(path, sizeof(path), "ipifc/%d/ctl", i);
			(void)ipifc_write(s, NULL, path, "unbind", NULL, 0);
		}
		check_nbr(s);
		assert_int_equal(s->dnbr.n, 0);
	}
	ipifc_stack_free(s);
}

/* ---- the protocols' timers of an interface ---- */

/* The walk the protocols' indexes replace: every interface's timers. */
static void
check_proto(struct ipifc_stack *s)
{
	struct ipifc_proto *p = s->proto;
	const struct ipifc_pifc *pi;
	struct ipifc_ifc *ifc;
	uint64_t mmin = UINT64_MAX, rmin = UINT64_MAX, t;
	unsigned count = 0;
	int j;

	IPIFC_FOREACH_IFC(ifc, s) {
		count++;
		pi = ifc->pstate;
		assert_ptr_equal(pi->ifc, ifc);
		filed(&p->dmreport, &pi->mdl);
		filed(&p->drtadv, &pi->rdl);
		const uint64_t m[] = { pi->mld_due, pi->igmp_due,
		    pi->mpend.due, pi->mld1_until, pi->igmp1_until,
		    pi->igmp2_until };
		for (j = 0; j < 6; j++)
			if (m[j] != 0 && m[j] < mmin)
				mmin = m[j];
		for (j = 0; j < pi->mqueried.n; j++)
			if (pi->mqueried.q[j].due < mmin)
				mmin = pi->mqueried.q[j].due;
		if (pi->rtadv.active && pi->rtadv.next < rmin)
			rmin = pi->rtadv.next;
	}
	assert_int_equal(count, p->dmreport.n);
	assert_int_equal(count, p->drtadv.n);
	check_heap(&p->dmreport);
	check_heap(&p->drtadv);
	same(ipifc_mreport_deadline(s), mmin);
	same(ipifc_rtadv_deadline(s), rmin);
	t = mmin < rmin ? mmin : rmin;
	if ((mmin = ipifc_reasm_deadline(s)) < t)
		t = mmin;
	if ((mmin = ipifc_nd_deadline(s)) < t)
		t = mmin;
	if ((mmin = ipifc_dindex_next(&s->daddr)) < t)
		t = mmin;
	if ((mmin = ipifc_dindex_next(&s->dnbr)) < t)
		t = mmin;
	same(ipifc_next_deadline(s), t);
}

static struct ipifc_client *joiner;	/* joinmulti needs a client */

static void
proto_op(struct ipifc_stack *s)
{
	char line[96], path[32];
	int k = (int)rnd(NIFC);
	uint64_t d;

	snprintf(path, sizeof(path), "ipifc/%d/ctl", k);
	switch (rnd(12)) {
	case 0:
	case 1:
		snprintf(line, sizeof(line), "joinmulti ff05::%x", 1 + rnd(6));
		(void)ipifc_write(s, joiner, path, line, NULL, 0);
		break;
	case 2:
		snprintf(line, sizeof(line), "joinmulti 239.1.1.%u", 1 + rnd(6));
		(void)ipifc_write(s, joiner, path, line, NULL, 0);
		break;
	case 3:
		snprintf(line, sizeof(line), rnd(2) ? "leavemulti ff05::%x" :
		    "leavemulti 239.1.1.%x", 1 + rnd(6));
		(void)ipifc_write(s, joiner, path, line, NULL, 0);
		break;
	case 4:
		(void)ipifc_write(s, NULL, path, rnd(2) ? "up" : "down", NULL,
		    0);
		break;
	case 5:
		(void)ipifc_write(s, NULL, path, rnd(2) ? "ra6 sendra 1" :
		    "ra6 sendra 0", NULL, 0);
		break;
	case 6:
		snprintf(line, sizeof(line), "lladdr 02:00:00:00:%02x:%02x",
		    k, rnd(256));
		(void)ipifc_write(s, NULL, path, line, NULL, 0);
		break;
	case 7:
		if (rnd(6) != 0)
			break;
		if (ipifc_ifc_bynum(s, k) != NULL)
			(void)ipifc_write(s, NULL, path, "unbind", NULL, 0);
		else {
			snprintf(line, sizeof(line), "bind ether sim:p%d", k);
			(void)ipifc_write(s, NULL, "ipifc/clone", line, NULL,
			    0);
		}
		break;
	default:	/* the clock */
		d = ipifc_next_deadline(s);
		ipifc_advance(s, d != UINT64_MAX && rnd(2) ?
		    (d > s->now ? d : s->now) : s->now + rnd(4000));
		check_proto(s);
		assert_true(ipifc_next_deadline(s) > s->now);
		break;
	}
}

static void
test_proto_model(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	char line[64], path[32];
	int i, round;

	(void)state;
	assert_non_null(joiner = ipifc_client_new(s));
	for (round = 0; round < 3; round++) {
		for (i = 0; i < NIFC; i++) {
			snprintf(line, sizeof(line), "bind ether sim:p%d", i);
			(void)ipifc_write(s, NULL, "ipifc/clone", line, NULL, 0);
			snprintf(path, sizeof(path), "ipifc/%d/ctl", i);
			(void)ipifc_write(s, NULL, path, "ra6 maxraint 4000 "
			    "minraint 3000", NULL, 0);
		}
		for (i = 0; i < OPS; i++) {
			proto_op(s);
			check_proto(s);
		}
		for (i = 0; i < NIFC; i++) {
			snprintf(path, sizeof(path), "ipifc/%d/ctl", i);
			(void)ipifc_write(s, NULL, path, "unbind", NULL, 0);
		}
		check_proto(s);
	}
	ipifc_stack_free(s);
}

/*
 * A report's repeat waits for the interface: one that went down drops
 * it at the next pass, as the walk of every interface did, so the
 * earliest deadline no longer names it.
 */
static void
test_mreport_down(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:m");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "noarp 1");
	run_until(s, 5000);
	assert_int_equal(ipifc_next_deadline(s), UINT64_MAX);
	w_as(s, ipifc_client_new(s), "ipifc/0/ctl", "joinmulti ff05::7");
	assert_true(ipifc_next_deadline(s) <= s->now + 1000);
	w(s, "ipifc/0/ctl", "down");
	ipifc_advance(s, s->now);
	assert_int_equal(ipifc_next_deadline(s), UINT64_MAX);
	ipifc_stack_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
		cmocka_unit_test(test_nbr_model),
		cmocka_unit_test(test_proto_model),
		cmocka_unit_test(test_mreport_down),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
