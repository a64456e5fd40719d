/*
 * The deadline index of addresses (core/deadline.c) against a plain
 * model: after each of thousands of random adds, updates, removes, up
 * and down, DAD settings and clock advances, the index's earliest
 * deadline equals the minimum of a walk of every address, every address
 * is in the index once, and after an advance nothing is left overdue.
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
			assert_true(l->dpos >= 1 && l->dpos <= s->ndheap);
			assert_ptr_equal(s->dheap[l->dpos - 1], l);
		}
	}
	if ((d = ipifc_dad_deadline(s)) < min)
		min = d;
	return min;
}

static void
check(struct ipifc_stack *s)
{
	unsigned n, i;
	uint64_t min = linear_min(s, &n);

	assert_int_equal(n, s->ndheap);
	for (i = 1; i < s->ndheap; i++)
		assert_true(s->dheap[(i - 1) / 2]->dkey <= s->dheap[i]->dkey);
	if (min != ipifc_deadline_next(s))
		fail_msg("index %llu, walk %llu",
		    (unsigned long long)ipifc_deadline_next(s),
		    (unsigned long long)min);
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
		assert_true(ipifc_deadline_next(s) > s->now);
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
		assert_int_equal(s->ndheap, 0);
	}
	ipifc_stack_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
