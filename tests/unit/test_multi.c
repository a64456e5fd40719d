/*
 * Multicast (core/multi.c): the medium hears only the first join and the
 * last leave of a link-layer group, whichever IP groups map to it; the
 * bounds on groups and memberships refuse and change nothing; leaving what
 * was never joined, or what went away with its address, is an error and
 * never touches freed memory (the suite runs under AddressSanitizer).
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
#include "failalloc.h"

/* What the medium heard. */
static int nadd, nrem;
static uint8_t lastadd[6], lastrem[6];

static void
count_add(struct ipifc_ifc *ifc, const uint8_t *mac)
{
	(void)ifc;
	nadd++;
	memcpy(lastadd, mac, 6);
}

static void
count_rem(struct ipifc_ifc *ifc, const uint8_t *mac)
{
	(void)ifc;
	nrem++;
	memcpy(lastrem, mac, 6);
}

static struct ipifc_medium counting;

struct fix {
	struct ipifc_stack *s;		/* first, for teardown_stack() */
	struct ipifc_client *c;
	struct ipifc_ifc *ifc;
};

/* Does some line of the file begin with start (a prefix ending in a blank)? */
static int
file_has_start(struct ipifc_stack *s, const char *path, const char *start)
{
	return count_matches(s, path, start, MATCH_START) > 0;
}

static void
mac(uint8_t m[6], const char *s)
{
	assert_int_equal(ipifc_mac_parse(s, m), 0);
}

static void
heard(int add, int rem)
{
	assert_int_equal(nadd, add);
	assert_int_equal(nrem, rem);
}

/* ether sim:x with 10.0.0.1/24 (and its link-local); the medium counts. */
static int
setup(void **state)
{
	static struct fix f;

	f.s = mkstack(1, 0);
	w(f.s, "ipifc/clone", "bind ether sim:x");
	w(f.s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	f.ifc = ipifc_ifc_bynum(f.s, 0);
	assert_non_null(f.ifc);
	counting = *f.ifc->m;
	counting.addmulti = count_add;
	counting.remmulti = count_rem;
	f.ifc->m = &counting;
	f.c = ipifc_client_new(f.s);
	assert_non_null(f.c);
	nadd = nrem = 0;
	memset(lastadd, 0, 6);
	memset(lastrem, 0, 6);
	*state = &f;
	return 0;
}

static void
test_v4_same_mac(void **state)
{
	struct fix *f = *state;
	uint8_t m[6];

	mac(m, "01:00:5e:01:02:03");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3");
	heard(1, 0);
	assert_memory_equal(lastadd, m, 6);
	/* RFC 1112 6.4: only the low 23 bits reach the link */
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.129.2.3");
	heard(1, 0);
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "239.1.2.3 1 01:00:5e:01:02:03 2"));
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "239.129.2.3 1 01:00:5e:01:02:03 2"));
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3");
	heard(1, 0);
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "239.129.2.3 1 01:00:5e:01:02:03 1"));
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.129.2.3");
	heard(1, 1);
	assert_memory_equal(lastrem, m, 6);
	assert_false(file_has_start(f->s, "ipifc/0/multi", "239.129.2.3 "));
}

static void
test_v6_same_mac(void **state)
{
	struct fix *f = *state;
	uint8_t m[6];

	/* RFC 2464 7: 33:33 and the low 32 bits */
	mac(m, "33:33:12:34:56:78");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff0e::1234:5678");
	heard(1, 0);
	assert_memory_equal(lastadd, m, 6);
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff05:1::1234:5678");
	heard(1, 0);
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "ff05:1::1234:5678 1 33:33:12:34:56:78 2"));
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff05:1::1234:5678");
	heard(1, 0);
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff0e::1234:5678");
	heard(1, 1);
	assert_memory_equal(lastrem, m, 6);
}

/* A group that maps onto what the addresses joined themselves. */
static void
test_shares_implied(void **state)
{
	struct fix *f = *state;

	/* 224.128.0.1 and 224.0.0.1: 01:00:5e:00:00:01 */
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 224.128.0.1");
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "224.128.0.1 1 01:00:5e:00:00:01 2"));
	/* ff05::1 and ff02::1: 33:33:00:00:00:01 */
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff05::1");
	/* ff02::1 itself: the interface group gains a reference */
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff02::1");
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "ff02::1 2 33:33:00:00:00:01 2"));
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 224.128.0.1");
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff05::1");
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff02::1");
	heard(0, 0);
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "ff02::1 1 33:33:00:00:00:01 1"));
	assert_true(file_has(f->s, "ipselftab", "ff02::1 1 6m"));
	assert_true(file_has(f->s, "ipselftab", "224.0.0.1 1 4m"));
}

/* The groups an address joins reach the medium the same way. */
static void
test_address_groups(void **state)
{
	struct fix *f = *state;
	uint8_t m[6];

	mac(m, "33:33:ff:00:00:05");
	w(f->s, "ipifc/0/ctl", "add 2001:db8::5 /64");
	heard(1, 0);		/* ff02::1 is there already */
	assert_memory_equal(lastadd, m, 6);
	w(f->s, "ipifc/0/ctl", "remove 2001:db8::5 /64");
	heard(1, 1);
	assert_memory_equal(lastrem, m, 6);
	/* the last IPv4 address leaves 224.0.0.1 */
	mac(m, "01:00:5e:00:00:01");
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.1 /24");
	heard(1, 2);
	assert_memory_equal(lastrem, m, 6);
}

static void
test_group_limit(void **state)
{
	struct fix *f = *state;
	const char *err = NULL;
	char line[64], *multi, *self, *after;
	struct ipifc_client *c2;
	int i, joined = 0, add;

	for (i = 0; i < IPIFC_MAXGROUPS + 1; i++) {
		snprintf(line, sizeof(line), "joinmulti 239.2.%d.%d", i / 200,
		    i % 200);
		if ((err = ipifc_write(f->s, f->c, "ipifc/0/ctl", line, NULL,
		    0)) != NULL)
			break;
		joined++;
	}
	assert_non_null(err);
	assert_null(strchr(err, '\n'));
	assert_string_equal(err, "too many groups on interface 0");
	assert_true(joined > 64);
	assert_int_equal(nadd, joined);

	/* the refused join changed nothing */
	multi = rd(f->s, "ipifc/0/multi");
	self = rd(f->s, "ipselftab");
	add = nadd;
	wfail_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.3.0.1");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff0e::99");
	after = rd(f->s, "ipifc/0/multi");
	assert_string_equal(multi, after);
	free(after);
	after = rd(f->s, "ipselftab");
	assert_string_equal(self, after);
	free(after);
	heard(add, 0);

	/* a group already there takes another listener */
	c2 = ipifc_client_new(f->s);
	w_as(f->s, c2, "ipifc/0/ctl", "joinmulti 239.2.0.0");
	assert_true(file_has_start(f->s, "ipifc/0/multi", "239.2.0.0 2 "));
	ipifc_client_free(c2);
	/* addresses still get the groups they join themselves */
	w(f->s, "ipifc/0/ctl", "add 2001:db8::5 /64");
	assert_true(file_has(f->s, "ipifc/0/multi",
	    "ff02::1:ff00:5 1 33:33:ff:00:00:05 1"));
	w(f->s, "ipifc/0/ctl", "remove 2001:db8::5 /64");

	/* one leave makes room for one join */
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.2.0.1");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.3.0.1");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.3.0.2");
	free(multi);
	free(self);
}

/* The fixture's stack, with maxmembers memberships at most. */
static void
membound(struct fix *f, int maxmembers)
{
	struct ipifc_stack_config cfg;

	ipifc_client_free(f->c);
	ipifc_stack_free(f->s);
	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	cfg.maxmembers = maxmembers;
	assert_non_null(f->s = ipifc_stack_new(&cfg));
	w(f->s, "ipifc/clone", "bind ether sim:x");
	w(f->s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	f->ifc = ipifc_ifc_bynum(f->s, 0);
	f->ifc->m = &counting;
	assert_non_null(f->c = ipifc_client_new(f->s));
	nadd = nrem = 0;
}

#define MEMBOUND	100

static void
test_member_limit(void **state)
{
	struct fix *f = *state;
	static struct ipifc_client *cs[MEMBOUND + 1];
	const char *err;
	char *multi, *after;
	int i;

	membound(f, MEMBOUND);
	for (i = 0; i < MEMBOUND; i++) {
		cs[i] = ipifc_client_new(f->s);
		assert_non_null(cs[i]);
		w_as(f->s, cs[i], "ipifc/0/ctl", "joinmulti 239.1.1.1");
	}
	cs[i] = ipifc_client_new(f->s);
	multi = rd(f->s, "ipifc/0/multi");
	err = wfail_as(f->s, cs[i], "ipifc/0/ctl", "joinmulti 239.1.1.1");
	assert_string_equal(err, "too many memberships");
	after = rd(f->s, "ipifc/0/multi");
	assert_string_equal(multi, after);
	free(after);
	free(multi);
	assert_true(file_has_start(f->s, "ipifc/0/multi", "239.1.1.1 100 "));
	/* a joined client nests further joins without a new membership */
	w_as(f->s, cs[0], "ipifc/0/ctl", "joinmulti 239.1.1.1");
	heard(1, 0);
	/* one leave makes room for one join */
	w_as(f->s, cs[1], "ipifc/0/ctl", "leavemulti 239.1.1.1");
	w_as(f->s, cs[MEMBOUND], "ipifc/0/ctl", "joinmulti 239.1.1.1");
	wfail_as(f->s, cs[1], "ipifc/0/ctl", "joinmulti 239.1.1.1");
	for (i = 0; i <= MEMBOUND; i++)
		ipifc_client_free(cs[i]);
	heard(1, 1);
	assert_false(file_has_start(f->s, "ipifc/0/multi", "239.1.1.1 "));
}

/*
 * Past the old fixed table of 1024 memberships: 16 clients each join 200
 * groups on two addresses (6400 memberships); every one is found again (a
 * nested join, a leave naming its address), the table of memberships
 * grows and, when they are all left, goes (memory back).
 */
#define NCLIENT	16
#define NGROUP	200

static void
test_many_members(void **state)
{
	struct fix *f = *state;
	struct ipifc_client *cs[NCLIENT];
	char line[80], want[64];
	int i, k;

	w(f->s, "ipifc/0/ctl", "add 10.0.0.2 /24");
	for (i = 0; i < NCLIENT; i++) {
		assert_non_null(cs[i] = ipifc_client_new(f->s));
		for (k = 0; k < NGROUP; k++) {
			snprintf(line, sizeof(line),
			    "joinmulti 239.5.%d.%d 10.0.0.%d", k / 100,
			    k % 100, 1 + (i & 1));
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
			snprintf(line, sizeof(line),
			    "joinmulti 239.5.%d.%d 10.0.0.%d", k / 100,
			    k % 100, 2 - (i & 1));
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
		}
	}
	assert_int_equal(f->s->nmembers, 2 * NCLIENT * NGROUP);
	assert_true(f->s->mhsize >= 2 * NCLIENT * NGROUP);
	heard(NGROUP, 0);
	/* each group: two memberships of each client */
	for (k = 0; k < NGROUP; k++) {
		snprintf(want, sizeof(want), "239.5.%d.%d %d ", k / 100,
		    k % 100, 2 * NCLIENT);
		assert_true(file_has_start(f->s, "ipifc/0/multi", want));
	}
	/* every membership is found: a nested join, then leaves */
	for (i = 0; i < NCLIENT; i++)
		for (k = 0; k < NGROUP; k++) {
			snprintf(line, sizeof(line),
			    "joinmulti 239.5.%d.%d 10.0.0.1", k / 100, k % 100);
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
		}
	assert_int_equal(f->s->nmembers, 2 * NCLIENT * NGROUP);
	for (i = 0; i < NCLIENT; i++)
		for (k = 0; k < NGROUP; k++) {
			snprintf(line, sizeof(line),
			    "leavemulti 239.5.%d.%d 10.0.0.1", k / 100,
			    k % 100);
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
			wfail_as(f->s, cs[i], "ipifc/0/ctl", line);
			snprintf(line, sizeof(line),
			    "leavemulti 239.5.%d.%d 10.0.0.2", k / 100,
			    k % 100);
			w_as(f->s, cs[i], "ipifc/0/ctl", line);
			wfail_as(f->s, cs[i], "ipifc/0/ctl", line);
		}
	heard(NGROUP, NGROUP);
	assert_false(file_has_start(f->s, "ipifc/0/multi", "239.5."));
	assert_false(file_has_start(f->s, "ipselftab", "239.5."));
	/* memory back: no membership, no table */
	assert_int_equal(f->s->nmembers, 0);
	assert_int_equal(f->s->mhsize, 0);
	assert_null(f->s->mhash);
	assert_null(f->s->mahash);
	for (i = 0; i < NCLIENT; i++)
		ipifc_client_free(cs[i]);
}

/*
 * The memberships that hang on an address move with it going, hang on
 * the interface with none left, and are taken by the next address, in
 * numbers (each is found by where it hangs).
 */
#define NMOVE	120	/* each family: 240 groups of 256 */

static void
test_many_members_move(void **state)
{
	struct fix *f = *state;
	char line[80], want[64];
	int k;

	for (k = 0; k < NMOVE; k++) {
		snprintf(line, sizeof(line), "joinmulti 239.6.%d.%d",
		    k / 100, k % 100);
		w_as(f->s, f->c, "ipifc/0/ctl", line);
		snprintf(line, sizeof(line), "joinmulti ff0e::6:%x", k);
		w_as(f->s, f->c, "ipifc/0/ctl", line);
	}
	w(f->s, "ipifc/0/ctl", "add 10.0.0.2 /24");
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.1 /24");
	assert_true(file_has(f->s, "ipselftab", "239.6.1.19 1 4m"));
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.2 /24");
	assert_true(file_has(f->s, "ipselftab", "239.6.1.19 0 4m"));
	w(f->s, "ipifc/0/ctl", "add 10.0.0.3 /24");
	for (k = 0; k < NMOVE; k++) {
		snprintf(want, sizeof(want), "239.6.%d.%d 1 4m", k / 100,
		    k % 100);
		assert_true(file_has(f->s, "ipselftab", want));
		snprintf(line, sizeof(line), "leavemulti 239.6.%d.%d 10.0.0.3",
		    k / 100, k % 100);
		w_as(f->s, f->c, "ipifc/0/ctl", line);
	}
	/* the IPv6 ones hung on the link-local address all along */
	assert_true(file_has(f->s, "ipselftab", "ff0e::6:77 1 6m"));
	assert_int_equal(f->s->nmembers, NMOVE);
	w(f->s, "ipifc/0/ctl", "unbind");
	assert_int_equal(f->s->nmembers, 0);
	assert_null(f->s->mhash);
}

static void
test_leave_never_joined(void **state)
{
	struct fix *f = *state;
	char *multi, *after;

	w(f->s, "ipifc/0/ctl", "add 10.0.0.2 /24");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3 10.0.0.1");
	multi = rd(f->s, "ipifc/0/multi");
	nadd = nrem = 0;
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.9.9.9");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 10.0.0.7");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff0e::1");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.2");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.99");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 fe80::1");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 bogus");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti bogus");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.1 x");
	wfail(f->s, "ipifc/0/ctl", "leavemulti 239.1.2.3");
	heard(0, 0);
	after = rd(f->s, "ipifc/0/multi");
	assert_string_equal(multi, after);
	free(after);
	free(multi);
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.1");
	heard(0, 1);
}

/*
 * plan9's use-after-free: a membership kept a pointer to the address it
 * hung on; once the address was removed, leaving read freed memory.  A
 * membership is the interface's and the client's (ipifc issue 8, 12): it
 * outlives the address and moves to another.
 */
static void
test_leave_after_address_gone(void **state)
{
	struct fix *f = *state;
	uint8_t m[6];

	mac(m, "01:00:5e:01:02:03");
	w(f->s, "ipifc/0/ctl", "add 10.0.0.2 /24");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3 10.0.0.1");
	heard(1, 0);
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.1 /24");
	/* the membership is the interface's: it moved to 10.0.0.2 */
	heard(1, 0);
	assert_true(file_has_start(f->s, "ipifc/0/multi", "239.1.2.3 "));
	assert_true(file_has(f->s, "ipselftab", "239.1.2.3 1 4m"));
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.1");
	w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.2");
	heard(1, 1);
	assert_memory_equal(lastrem, m, 6);
	assert_false(file_has_start(f->s, "ipselftab", "239.1.2.3 "));
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3");
	/* with no address of its family left it hangs on the interface */
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3");
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.2 /24");
	heard(2, 2);		/* 224.0.0.1 went with the last address */
	assert_true(file_has_start(f->s, "ipifc/0/multi", "239.1.2.3 "));
	assert_true(file_has(f->s, "ipselftab", "239.1.2.3 0 4m"));
	/* and the next address takes it */
	w(f->s, "ipifc/0/ctl", "add 10.0.0.3 /24");
	heard(3, 2);
	assert_true(file_has(f->s, "ipselftab", "239.1.2.3 1 4m"));
	/* the client goes cleanly */
	ipifc_client_free(f->c);
	heard(3, 3);
	assert_memory_equal(lastrem, m, 6);
	assert_false(file_has_start(f->s, "ipselftab", "239.1.2.3 "));
}

/* The same, when the whole interface goes. */
static void
test_leave_after_unbind(void **state)
{
	struct fix *f = *state;

	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3");
	w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti ff0e::1:2");
	w(f->s, "ipifc/0/ctl", "unbind");
	/* every group leaves the link: the two joined and the three implied */
	heard(2, 5);
	w(f->s, "ipifc/clone", "bind ether sim:x");
	w(f->s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti ff0e::1:2");
	wfail_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3 10.0.0.1");
	ipifc_client_free(f->c);
}

/*
 * A join when memory runs out, whichever allocation fails: "out of
 * memory" and nothing changed, or a membership whose leave gives back
 * what was before.
 */
static void
test_join_out_of_memory(void **state)
{
	static const char *const groups[] = {
		"239.1.2.3", "224.0.0.1", "ff0e::1:2", "ff02::1",
	};
	static const char *const files[] = { "ipselftab", "ipifc/0/multi" };
	struct fix *f;
	char line[64], *before[2], *now[2];
	const char *err;
	size_t g, i;
	long n;
	int hit;

	teardown_stack(state);
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		for (n = 0, hit = 1; hit; n++) {
			if (n == 100)
				fail_msg("join made 100 allocations or more");
			setup(state);
			f = *state;
			for (i = 0; i < 2; i++)
				before[i] = rd(f->s, files[i]);
			snprintf(line, sizeof(line), "joinmulti %s", groups[g]);
			failalloc_at(n);
			err = ipifc_write(f->s, f->c, "ipifc/0/ctl", line,
			    NULL, 0);
			hit = failalloc_off();
			assert_true(ipifc_self_consistent(f->s));
			if (err != NULL)
				assert_string_equal(err, "out of memory");
			else {
				snprintf(line, sizeof(line), "leavemulti %s",
				    groups[g]);
				w_as(f->s, f->c, "ipifc/0/ctl", line);
			}
			for (i = 0; i < 2; i++) {
				now[i] = rd(f->s, files[i]);
				if (strcmp(now[i], before[i]) != 0)
					fail_msg("join %s, allocation %ld "
					    "failing: %s is\n%s--- not ---\n%s",
					    groups[g], n, files[i], now[i],
					    before[i]);
				free(now[i]);
				free(before[i]);
			}
			ipifc_client_free(f->c);
			teardown_stack(state);
		}
	}
	setup(state);
}

/*
 * An address coming when memory runs out: the memberships on the
 * interface alone move to it (two of one group: the second needs a link
 * of its own), or the add fails and they stay; never some of them.
 */
static void
test_new_out_of_memory(void **state)
{
	struct fix *f;
	struct ipifc_client *c2;
	const char *err;
	long n;
	int hit;

	teardown_stack(state);
	for (n = 0, hit = 1; hit; n++) {
		if (n == 100)
			fail_msg("add made 100 allocations or more");
		setup(state);
		f = *state;
		c2 = ipifc_client_new(f->s);
		assert_non_null(c2);
		w_as(f->s, f->c, "ipifc/0/ctl", "joinmulti 239.1.2.3");
		w_as(f->s, c2, "ipifc/0/ctl", "joinmulti 239.1.2.3");
		w(f->s, "ipifc/0/ctl", "remove 10.0.0.1 /24");
		failalloc_at(n);
		err = ipifc_write(f->s, NULL, "ipifc/0/ctl",
		    "add 10.0.0.2 /24", NULL, 0);
		hit = failalloc_off();
		assert_true(ipifc_self_consistent(f->s));
		if (err != NULL) {
			assert_string_equal(err, "out of memory");
			assert_true(file_has(f->s, "ipselftab",
			    "239.1.2.3 0 4m"));
		} else
			assert_true(file_has(f->s, "ipselftab",
			    "239.1.2.3 1 4m"));
		w_as(f->s, f->c, "ipifc/0/ctl", err != NULL ?
		    "leavemulti 239.1.2.3" : "leavemulti 239.1.2.3 10.0.0.2");
		w_as(f->s, c2, "ipifc/0/ctl", err != NULL ?
		    "leavemulti 239.1.2.3" : "leavemulti 239.1.2.3 10.0.0.2");
		assert_false(file_has_start(f->s, "ipselftab", "239.1.2.3 "));
		ipifc_client_free(c2);
		ipifc_client_free(f->c);
		teardown_stack(state);
	}
	setup(state);
}

/*
 * An address going when memory runs out: its memberships still move (to
 * the other address, or to the interface alone), none is left hanging
 * on the freed address, whichever allocation fails.  The group's self
 * entry stays (another interface's member holds it), so a membership
 * left on the freed address is read from there when it leaves.
 */
static void
test_move_out_of_memory(void **state)
{
	struct fix *f;
	struct ipifc_client *c2;
	const char *err;
	long n;
	int failed, hit, v;

	teardown_stack(state);
	for (n = 0; n < 100; n++) {
		/* v: 0 another address; 1 none; 2 another, two members */
		for (hit = 0, v = 0; v < 3; v++) {
			setup(state);
			f = *state;
			c2 = ipifc_client_new(f->s);
			assert_non_null(c2);
			if (v != 1)
				w(f->s, "ipifc/0/ctl", "add 10.0.0.2 /24");
			w_as(f->s, f->c, "ipifc/0/ctl",
			    "joinmulti 239.1.2.3 10.0.0.1");
			if (v == 2)
				w_as(f->s, c2, "ipifc/0/ctl",
				    "joinmulti 239.1.2.3 10.0.0.1");
			/* the group's self entry outlives the address */
			w(f->s, "ipifc/clone", "bind ether sim:y");
			w(f->s, "ipifc/1/ctl", "add 10.1.0.1 /24");
			w_as(f->s, f->c, "ipifc/1/ctl", "joinmulti 239.1.2.3");
			failalloc_at(n);
			err = ipifc_write(f->s, NULL, "ipifc/0/ctl",
			    "remove 10.0.0.1 /24", NULL, 0);
			failed = failalloc_off();
			if (err != NULL)
				fail_msg("remove, allocation %ld failing: %s",
				    n, err);
			assert_true(ipifc_self_consistent(f->s));
			/* it moved, not freed with its address (before, the
			 * leave read the freed address's links) */
			w_as(f->s, f->c, "ipifc/0/ctl", "leavemulti 239.1.2.3");
			if (v == 2) {
				assert_true(file_has(f->s, "ipselftab",
				    "239.1.2.3 2 4m"));
				w_as(f->s, c2, "ipifc/0/ctl",
				    "leavemulti 239.1.2.3 10.0.0.2");
			}
			assert_true(file_has(f->s, "ipselftab",
			    "239.1.2.3 1 4m"));
			ipifc_client_free(c2);
			ipifc_client_free(f->c);
			teardown_stack(state);
			hit |= failed;
		}
		if (!hit)
			goto done;
	}
	fail_msg("remove made 100 allocations or more");
done:
	setup(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v4_same_mac, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_v6_same_mac, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_shares_implied, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_address_groups, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_group_limit, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_member_limit, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_many_members, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_many_members_move, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_leave_never_joined, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_leave_after_address_gone,
		    setup, teardown_stack),
		cmocka_unit_test_setup_teardown(test_leave_after_unbind, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_move_out_of_memory, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_join_out_of_memory, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_new_out_of_memory, setup,
		    teardown_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
