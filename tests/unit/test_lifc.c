/*
 * Logical addresses (core/lifc.c, core/ctl.c) through ipifc_write on a
 * stack: lifetimes to the millisecond, DAD and up/down, the bound on
 * addresses per interface, one address on one interface, replacement, and
 * ctl errors that are one line and change nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "util.h"
#include "failalloc.h"

/* How many lines of the file begin with prefix (a whole word)? */
static int
count_lines(struct ipifc_stack *s, const char *path, const char *prefix)
{
	return count_matches(s, path, prefix, MATCH_WORD);
}

/* Is a an address of interface 0 (a line of its status)? */
static int
has_addr(struct ipifc_stack *s, const char *a)
{
	return count_lines(s, "ipifc/0/status", a) > 0;
}

/* ---- lifetimes ---- */

#define PREF	3	/* the words of an address line in ipifc/N/status */
#define VALID	4

/* The seconds left of a's lifetime (PREF or VALID) that ipifc/0/status shows. */
static uint32_t
left(struct ipifc_stack *s, const char *a, int which)
{
	char v[16];

	if (file_word(s, "ipifc/0/status", a, which, v, sizeof(v)) < 0)
		fail_msg("no lifetime for %s in ipifc/0/status", a);
	if (strcmp(v, "infinite") == 0)
		return IPIFC_INFINITE;
	return (uint32_t)strtoul(v, NULL, 10);
}

static void
test_left_rounding(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	const char *a = "2001:db8:1::ff:fe00:100";

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "add6 2001:db8:1:: 64 1 1 100 50");
	assert_int_equal(left(s, a, VALID), 100);
	assert_int_equal(left(s, a, PREF), 50);
	assert_int_equal(left(s, "fe80::ff:fe00:100", VALID), IPIFC_INFINITE);

	/*
	 * Whole seconds remaining, rounded down: never more than is left
	 * (98.5 s shows as 98).
	 */
	ipifc_advance(s, 1500);
	assert_int_equal(left(s, a, VALID), 98);
	assert_int_equal(left(s, a, PREF), 48);
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:1::ff:fe00:100 /64 2001:db8:1:: 48 98 preferred oa"));
	ipifc_advance(s, 1999);
	assert_int_equal(left(s, a, VALID), 98);
	ipifc_advance(s, 2000);
	assert_int_equal(left(s, a, VALID), 98);
	ipifc_advance(s, 2001);
	assert_int_equal(left(s, a, VALID), 97);
	ipifc_advance(s, 49999);
	assert_int_equal(left(s, a, PREF), 0);
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:1::ff:fe00:100 /64 2001:db8:1:: 0 50 preferred oa"));

	/* re-adding restarts the count from now, on the same address */
	w(s, "ipifc/0/ctl", "add6 2001:db8:1:: 64 1 1 100 50");
	assert_int_equal(count_lines(s, "ipifc/0/status", a), 1);
	assert_int_equal(left(s, a, VALID), 100);
	ipifc_stack_free(s);
}

static void
test_lifetime_boundary(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	const char *a = "2001:db8:2::ff:fe00:100";

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	ipifc_advance(s, 1000);		/* the link-local's DAD is done */
	w(s, "ipifc/0/ctl", "add6 2001:db8:2:: 64 1 1 10 5");
	assert_true(ipifc_next_deadline(s) == 1000 + 5000);
	ipifc_advance(s, 1000 + 4999);
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:2::ff:fe00:100 /64 2001:db8:2:: 0 5 preferred oa"));
	ipifc_advance(s, 1000 + 5000);
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:2::ff:fe00:100 /64 2001:db8:2:: 0 5 deprecated oa"));
	assert_true(ipifc_next_deadline(s) == 1000 + 10000);
	ipifc_advance(s, 1000 + 9999);
	assert_true(has_addr(s, a));
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:2::ff:fe00:100 /64 2001:db8:2:: 0 0 deprecated oa"));
	ipifc_advance(s, 1000 + 10000);
	assert_false(has_addr(s, a));
	assert_int_equal(count_lines(s, "ipifc/0/status", a), 0);
	assert_int_equal(count_lines(s, "ipselftab", a), 0);
	assert_int_equal(count_lines(s, "iproute", "2001:db8:2::"), 0);
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_stack_free(s);
}

/* A jump over several deadlines takes every step at once. */
static void
test_lifetime_jump(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "add6 2001:db8:3:: 64 1 1 30 10");
	w(s, "ipifc/0/ctl", "add6 2001:db8:4:: 64 1 1 300 100");
	/* the first probes wait up to 1 s (RFC 4862 5.4.2): let them go */
	run_until(s, 1000);
	ipifc_advance(s, 50000);
	assert_false(has_addr(s, "2001:db8:3::ff:fe00:100"));
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8:4::ff:fe00:100 /64 2001:db8:4:: 50 250 preferred oa"));
	assert_true(file_has(s, "ipifc/0/status",
	    "fe80::ff:fe00:100 /64 fe80:: infinite infinite preferred o"));
	ipifc_stack_free(s);
}

/* ---- DAD and up/down ---- */

static void
test_dad_restarts_on_up(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	const char *ll = "fe80::ff:fe00:100 /64 fe80:: infinite infinite ";
	char line[128];

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	run_until(s, 2000);	/* probe delay (<= 1 s) + RetransTimer */
	snprintf(line, sizeof(line), "%spreferred o", ll);
	assert_true(file_has(s, "ipifc/0/status", line));
	ipifc_advance(s, 5000);
	w(s, "ipifc/0/ctl", "down");
	w(s, "ipifc/0/ctl", "up");
	snprintf(line, sizeof(line), "%stentative o", ll);
	assert_true(file_has(s, "ipifc/0/status", line));
	/* the IPv4 address is probed again (RFC 5227) before DAD ends */
	assert_true(ipifc_next_deadline(s) <= 6000);
	/* IPv4 is never tentative */
	assert_true(file_has(s, "ipifc/0/status",
	    "10.0.0.1 /24 10.0.0.0 infinite infinite preferred -"));
	ipifc_advance(s, 5999);
	assert_true(file_has(s, "ipifc/0/status", line));
	/* the first probe after up waits up to 1 s (RFC 4862 5.4.2) */
	run_until(s, 7000);
	snprintf(line, sizeof(line), "%spreferred o", ll);
	assert_true(file_has(s, "ipifc/0/status", line));

	/* (up to 1 s) + DupAddrDetectTransmits * RetransTimer */
	w(s, "ipifc/0/ctl", "dad 3");
	w(s, "ipifc/0/ctl", "down");
	w(s, "ipifc/0/ctl", "up");
	snprintf(line, sizeof(line), "%stentative o", ll);
	assert_true(ipifc_next_deadline(s) > 7000);
	assert_true(ipifc_next_deadline(s) <= 7000 + 3000);
	run_until(s, 7000 + 2999);
	assert_true(file_has(s, "ipifc/0/status", line));
	run_until(s, 7000 + 1000 + 3000);
	snprintf(line, sizeof(line), "%spreferred o", ll);
	assert_true(file_has(s, "ipifc/0/status", line));
	/* once the IPv4 probes and announcements are done, nothing is due */
	run_until(s, 7000 + 20000);
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_stack_free(s);
}

static void
test_added_while_down(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	const char *a = "2001:db8::5 /64 2001:db8:: infinite infinite ";
	char line[128];

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	ipifc_advance(s, 1000);
	w(s, "ipifc/0/ctl", "down");
	w(s, "ipifc/0/ctl", "add 2001:db8::5/64");
	snprintf(line, sizeof(line), "%stentative o", a);
	assert_true(file_has(s, "ipifc/0/status", line));
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_advance(s, 100000);
	assert_true(file_has(s, "ipifc/0/status", line));
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	w(s, "ipifc/0/ctl", "up");
	/* the first probe waits up to 1 s (RFC 4862 5.4.2), DAD ends
	 * RetransTimer later (report repeats may come sooner) */
	assert_true(ipifc_next_deadline(s) <= 101000);
	ipifc_advance(s, 100999);
	assert_true(file_has(s, "ipifc/0/status", line));
	run_until(s, 102000);
	snprintf(line, sizeof(line), "%spreferred o", a);
	assert_true(file_has(s, "ipifc/0/status", line));
	ipifc_stack_free(s);
}

/* An address tentative when the interface goes down waits for up too. */
static void
test_down_while_tentative(void **state)
{
	struct ipifc_stack *s;
	const char *t = "fe80::ff:fe00:100 /64 fe80:: infinite infinite "
	    "tentative o";

	(void)state;
	/*
	 * Regression: `down` once left a running DAD timer alone, and the
	 * address became preferred while down with no probe sent.
	 */
	s = mkstack(1, 0);
	w(s, "ipifc/clone", "bind ether sim:x");
	ipifc_advance(s, 500);
	w(s, "ipifc/0/ctl", "down");
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_advance(s, 5000);
	assert_true(file_has(s, "ipifc/0/status", t));
	w(s, "ipifc/0/ctl", "up");
	assert_true(ipifc_next_deadline(s) <= 6000);
	ipifc_advance(s, 5999);
	assert_true(file_has(s, "ipifc/0/status", t));
	run_until(s, 7000);	/* probe delay (<= 1 s) + RetransTimer */
	assert_false(file_has(s, "ipifc/0/status", t));
	ipifc_stack_free(s);
}

/* ---- bounds and uniqueness ---- */

static void
test_max_addresses(void **state)
{
	/* the bound lowered, as a stack's configuration may */
	struct ipifc_stack *s = mkstack_bounds(1, 0, 0, 64, 0);
	char line[64], *before, *after;
	const char *err;
	int i;

	(void)state;
	w(s, "ipifc/clone", "bind pkt sim:x");	/* no link-local */
	for (i = 0; i < 64; i++) {
		snprintf(line, sizeof(line), "add 10.0.%d.%d /16", i / 200,
		    1 + i % 200);
		w(s, "ipifc/0/ctl", line);
	}
	before = rd(s, "ipifc/0/status");
	err = wfail(s, "ipifc/0/ctl", "add 10.0.9.9 /16");
	assert_string_equal(err, "too many addresses on interface 0");
	wfail(s, "ipifc/0/ctl", "add 2001:db8::9/64");
	after = rd(s, "ipifc/0/status");
	assert_string_equal(before, after);
	free(after);
	assert_false(has_addr(s, "10.0.9.9"));

	/* at the bound an address can still be renewed or replaced */
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /16");
	after = rd(s, "ipifc/0/status");
	assert_string_equal(before, after);
	free(after);
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	assert_true(file_has_word(s, "ipifc/0/status", "10.0.0.1 /24"));
	assert_int_equal(count_lines(s, "ipifc/0/status", "10.0.0.1"), 1);
	wfail(s, "ipifc/0/ctl", "add 10.0.9.9 /16");

	/* one removed, one more fits */
	w(s, "ipifc/0/ctl", "remove 10.0.0.2 /16");
	w(s, "ipifc/0/ctl", "add 10.0.9.9 /16");
	wfail(s, "ipifc/0/ctl", "add 10.0.9.10 /16");
	free(before);
	ipifc_stack_free(s);
}

static void
test_max_interfaces(void **state)
{
	struct ipifc_stack *s = mkstack_bounds(1, 0, 2, 0, 0);
	char *before, *after, line[64];
	const char *err;
	int i;

	(void)state;
	w(s, "ipifc/clone", "bind pkt sim:a");
	w(s, "ipifc/clone", "bind pkt sim:b");
	before = rd(s, "ipifc");
	err = wfail(s, "ipifc/clone", "bind pkt sim:c");
	assert_string_equal(err, "too many interfaces");
	after = rd(s, "ipifc");
	assert_string_equal(before, after);
	free(after);
	/* one unbound, its number is taken again */
	w(s, "ipifc/0/ctl", "unbind");
	w(s, "ipifc/clone", "bind pkt sim:c");
	assert_true(file_has(s, "ipifc",
	    "0 sim:c pkt up,running,multicast,noarp 1500"));
	wfail(s, "ipifc/clone", "bind pkt sim:d");
	free(before);
	ipifc_stack_free(s);

	/* past the first table of numbers, which grows */
	s = mkstack_bounds(1, 0, 20, 0, 0);
	for (i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "bind pkt sim:n%d", i);
		w(s, "ipifc/clone", line);
	}
	wfail(s, "ipifc/clone", "bind pkt sim:n20");
	w(s, "ipifc/19/ctl", "add 10.0.0.19 /24");
	assert_true(file_has_word(s, "ipselftab", "10.0.0.19"));
	w(s, "ipifc/3/ctl", "unbind");
	w(s, "ipifc/clone", "bind pkt sim:n20");
	assert_true(file_has(s, "ipifc",
	    "3 sim:n20 pkt up,running,multicast,noarp 1500"));
	ipifc_stack_free(s);
}

/*
 * Addresses by the thousand, added then removed through the ctl
 * language: the self table, the routes, the interface's groups and its
 * addresses come back to what they were, and in between every address is
 * there with its self entry, its solicited-node group (IPv6) and its
 * prefix's route.  254 addresses to a prefix, so prefixes are shared
 * and handed over as their first addresses go.
 */
#define CHURN_N	20000

/* Address i of a family (h 0: its prefix), as the files write it. */
static void
churn_addr_h(char *buf, size_t len, int v6, int i, int h)
{
	char t[64];
	struct ipifc_ip x;
	int p = i / 254;

	if (v6)
		snprintf(t, sizeof(t), "2001:db8:0:%x::%x", p, h);
	else
		snprintf(t, sizeof(t), "10.%d.%d.%d", p >> 8, p & 255, h);
	x = ip(t);
	ipifc_ip_fmt(&x, buf, len);
}

static void
churn_addr(char *buf, size_t len, int v6, int i)
{
	churn_addr_h(buf, len, v6, i, 1 + i % 254);
}

static void
test_churn(void **state)
{
	static const char *const files[] = { "ipselftab", "iproute",
	    "ipifc/0/multi", "ipifc/0/local" };
	struct ipifc_stack *s = mkstack(1, 0);
	char a[64], line[96], want[128], *before[4], *after;
	int v6, i, f;

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	for (f = 0; f < 4; f++)
		before[f] = rd(s, files[f]);
	for (v6 = 0; v6 <= 1; v6++) {
		for (i = 0; i < CHURN_N; i++) {
			churn_addr(a, sizeof(a), v6, i);
			snprintf(line, sizeof(line), "add %s /%d", a,
			    v6 ? 64 : 24);
			w(s, "ipifc/0/ctl", line);
		}
		/* one line an address, and the link-local one */
		after = rd(s, "ipifc/0/local");
		for (f = 0, i = 0; after[i] != '\0'; i++)
			f += after[i] == '\n';
		assert_int_equal(f, CHURN_N + 1);
		free(after);
		for (i = 0; i < CHURN_N; i += CHURN_N / 4 + 1) {
			churn_addr(a, sizeof(a), v6, i);
			assert_true(file_has_word(s, "ipselftab", a));
			if (v6) {
				snprintf(want, sizeof(want),
				    "ff02::1:ff00:%x", 1 + i % 254);
				assert_true(file_has_word(s, "ipifc/0/multi",
				    want));
			}
			churn_addr_h(want, sizeof(want), v6, i, 0);
			assert_true(file_has_word(s, "iproute", want));
		}
		for (i = 0; i < CHURN_N; i++) {
			churn_addr(a, sizeof(a), v6, i);
			snprintf(line, sizeof(line), "remove %s /%d", a,
			    v6 ? 64 : 24);
			w(s, "ipifc/0/ctl", line);
		}
		for (f = 0; f < 4; f++) {
			after = rd(s, files[f]);
			assert_string_equal(before[f], after);
			free(after);
		}
	}
	for (f = 0; f < 4; f++)
		free(before[f]);
	ipifc_stack_free(s);
}

static void
test_same_address_two_ifcs(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	char *before, *after;
	const char *err;

	(void)state;
	w(s, "ipifc/clone", "bind pkt sim:a");
	w(s, "ipifc/clone", "bind pkt sim:b");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(s, "ipifc/1/ctl", "add 10.1.0.1 /24");
	w(s, "ipifc/0/ctl", "add 2001:db8::1/64");
	before = rd(s, "ipifc/1/status");
	err = wfail(s, "ipifc/1/ctl", "add 10.0.0.1 /24");
	assert_string_equal(err, "10.0.0.1 is already on interface 0");
	wfail(s, "ipifc/1/ctl", "add 10.0.0.1 /16");
	wfail(s, "ipifc/1/ctl", "add 10.0.0.1 /32 10.9.9.9");
	wfail(s, "ipifc/1/ctl", "add 2001:db8::1/48");
	/* connect refuses too, before it removes anything */
	wfail(s, "ipifc/1/ctl", "connect 10.0.0.1 /24");
	after = rd(s, "ipifc/1/status");
	assert_string_equal(before, after);
	free(after);
	free(before);
	assert_int_equal(count_lines(s, "ipifc/0/status", "10.0.0.1"), 1);
	assert_int_equal(count_lines(s, "ipifc/1/status", "10.0.0.1"), 0);
	ipifc_stack_free(s);
}

static void
test_replace_mask(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /16");
	assert_int_equal(count_lines(s, "ipifc/0/status", "10.0.0.1"), 1);
	assert_true(file_has(s, "ipifc/0/status",
	    "10.0.0.1 /16 10.0.0.0 infinite infinite preferred -"));
	assert_true(file_has(s, "ipselftab", "10.0.0.1 1 4u"));
	assert_true(file_has(s, "ipselftab", "10.0.255.255 1 4b"));
	assert_int_equal(count_lines(s, "ipselftab", "10.0.0.255"), 0);
	assert_true(file_has(s, "iproute",
	    "10.0.0.0 /16 0.0.0.0 /0 - 4i ifc 0"));
	assert_true(file_has(s, "iproute",
	    "10.0.0.0 /16 10.0.0.1 /32 - 4i ifc 0"));
	assert_false(file_has(s, "iproute",
	    "10.0.0.0 /24 0.0.0.0 /0 - 4i ifc 0"));
	assert_false(file_has(s, "iproute",
	    "10.0.0.0 /24 10.0.0.1 /32 - 4i ifc 0"));
	/* the old mask no longer names it */
	wfail(s, "ipifc/0/ctl", "remove 10.0.0.1 /24");

	w(s, "ipifc/0/ctl", "add 2001:db8::1/64");
	w(s, "ipifc/0/ctl", "add 2001:db8::1/48");
	assert_int_equal(count_lines(s, "ipifc/0/status", "2001:db8::1"), 1);
	assert_true(file_has(s, "ipifc/0/status",
	    "2001:db8::1 /48 2001:db8:: infinite infinite preferred o"));
	assert_true(file_has(s, "ipselftab", "2001:db8::1 1 6u"));
	assert_true(file_has(s, "ipselftab", "ff02::1:ff00:1 1 6m"));
	w(s, "ipifc/0/ctl", "remove 2001:db8::1/48");
	w(s, "ipifc/0/ctl", "remove 10.0.0.1 /16");
	assert_int_equal(count_lines(s, "ipselftab", "10.0.255.255"), 0);
	assert_int_equal(count_lines(s, "ipselftab", "ff02::1:ff00:1"), 0);
	ipifc_stack_free(s);
}

/* ---- malformed ctl lines ---- */

struct snap {
	char	*f[4];
};

static const char *snapfiles[] = {
	"ipifc/0/status", "ipselftab", "iproute", "ipifc/0/multi",
};

static void
snap_take(struct ipifc_stack *s, struct snap *sn)
{
	int i;

	for (i = 0; i < 4; i++)
		sn->f[i] = rd(s, snapfiles[i]);
}

static void
snap_same(struct ipifc_stack *s, const struct snap *sn, const char *msg)
{
	char *t;
	int i;

	for (i = 0; i < 4; i++) {
		t = rd(s, snapfiles[i]);
		if (strcmp(t, sn->f[i]) != 0)
			fail_msg("\"%s\" changed %s:\n%s\n--- now ---\n%s",
			    msg, snapfiles[i], sn->f[i], t);
		free(t);
	}
}

static void
snap_free(struct snap *sn)
{
	int i;

	for (i = 0; i < 4; i++)
		free(sn->f[i]);
}

static void
check_errors(struct ipifc_stack *s, const char *const *bad, size_t n)
{
	struct snap sn;
	size_t i;

	snap_take(s, &sn);
	for (i = 0; i < n; i++) {
		wfail(s, "ipifc/0/ctl", bad[i]);
		snap_same(s, &sn, bad[i]);
	}
	snap_free(&sn);
}

static struct ipifc_stack *
mkconfigured(void)
{
	struct ipifc_stack *s = mkstack(1, 0);

	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(s, "ipifc/0/ctl", "add 10.9.0.1 /32 10.9.0.2");
	w(s, "ipifc/0/ctl", "add6 2001:db8:1:: 64 1 1 100 50");
	w(s, "ipifc/0/ctl", "ra6 sendra 1 maxraint 10000 minraint 5000");
	return s;
}

static void
test_ctl_errors_add_remove(void **state)
{
	static const char *const bad[] = {
		"add",
		"add 10.0.0.256 /24",
		"add 10.0.0.2 /33",
		"add 10.0.0.2 /24 10.0.1.1",		/* remote outside */
		"add 10.0.0.2 /24 10.0.0.3 99999",	/* mtu */
		"add 10.0.0.2 /24 10.0.0.3 1500 bogus",
		"add 10.0.0.2 /24 10.0.0.3 1500 proxy",	/* not ptp */
		"add 10.0.0.2 /24 10.0.0.3 1500 proxy x",
		"add 10.0.0.2 /24 2001:db8::1",		/* family */
		"add 2001:db8::2/64 10.0.0.1",
		"add 2001:db8::2/64 2001:db8::3 1000",	/* IPv6 MTU */
		"add 224.0.0.5 /24",
		"add ff02::5/64",
		"add 255.255.255.255 /24",
		"add 240.0.0.1",			/* no class mask */
		"add 10.0.0.2 255.0.255.0",
		"add 10.0.0.2/24/24",
		"remove",
		"remove 10.0.0.1",			/* needs its mask */
		"remove 10.0.0.9 /24",
		"remove 10.0.0.1 /16",
		"remove 10.0.0.1 /24 10.1.0.1",
		"remove 10.0.0.1 /24 10.0.0.2 extra",
		"remove 10.9.0.1 /32",			/* ptp: its remote */
		"remove 10.9.0.1 /32 10.9.0.3",
		"remove 2001:db8:1::ff:fe00:100/48",
		"remove bogus /24",
	};

	struct ipifc_stack *s = mkconfigured();

	(void)state;
	check_errors(s, bad, sizeof(bad) / sizeof(bad[0]));
	ipifc_stack_free(s);
}

static void
test_ctl_errors_add6_ra6(void **state)
{
	static const char *const bad[] = {
		"add6",
		"add6 2001:db8:5::",
		"add6 2001:db8:5:: 65",
		"add6 2001:db8:5:: -1",
		"add6 2001:db8:5:: x",
		"add6 fe80:: 64",
		"add6 ff0e:: 64",
		"add6 10.0.0.0 64",
		"add6 bogus 64",
		"add6 2001:db8:5:: 64 1 1 10 20",	/* valid < preferred */
		"add6 2001:db8:5:: 64 2 1 10 10",
		"add6 2001:db8:5:: 64 1 x 10 10",
		"add6 2001:db8:5:: 64 1 1 x 10",
		"add6 2001:db8:5:: 64 1 1 10 -1",
		"add6 2001:db8:5:: 64 1 1 10",
		"add6 2001:db8:5:: 64 1 1 10 10 10",
		"add6 2001:db8:1:: 64 1 1 10 20",	/* even for an existing one */
		"ra6",
		"ra6 sendra",
		"ra6 sendra 2",
		"ra6 bogus 1",
		"ra6 sendra 0 ttl",
		"ra6 sendra 0 ttl 256",			/* sendra is not half set */
		"ra6 maxraint 3999",
		"ra6 maxraint 6000",			/* minraint over 0.75 max */
		"ra6 minraint 2999",
		"ra6 routerlt 1",			/* under maxraint */
		"ra6 routerlt 9001",
		"ra6 linkmtu 1279",
		"ra6 linkmtu 9001",
		"ra6 reachtime 3600001",
		"ra6 rxmitra 4294967296",
		"ra6 mflag -1",
	};
	struct ipifc_stack *s = mkconfigured();
	char *before;

	(void)state;
	before = rd(s, "ipifc/0/status");
	assert_non_null(strstr(before, " sendra 1 "));
	free(before);
	check_errors(s, bad, sizeof(bad) / sizeof(bad[0]));
	/* add6 needs a link layer */
	w(s, "ipifc/clone", "bind pkt sim:p");
	before = rd(s, "ipifc/1/status");
	wfail(s, "ipifc/1/ctl", "add6 2001:db8:6:: 64");
	{
		char *after = rd(s, "ipifc/1/status");

		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	ipifc_stack_free(s);
}

/*
 * Host mode is one call away: without ipifc_slaac_attach, recvra 1 is a
 * one-line error, its messages are unknown and there is no ra file.
 */
static void
test_host_mode_attach(void **state)
{
	static const uint8_t key[16] = { 1, 2, 3 };
	struct ipifc_stack *s = mkstack(1, 0);
	const char *err;
	char *t;

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	assert_string_equal(wfail(s, "ipifc/0/ctl", "ra6 recvra 1"),
	    "ra6 recvra: host mode is not attached");
	wfail(s, "ipifc/0/ctl", "iid stable");
	wfail(s, "ipifc/0/ctl", "ra6 twohour 0");
	assert_null(ipifc_read(s, "ipifc/0/ra", &err));
	t = rd(s, "ipifc/0/status");
	assert_non_null(strstr(t, " recvra 0 "));
	free(t);
	assert_int_equal(ipifc_slaac_attach(s, key, 0), -EINVAL);
	assert_int_equal(ipifc_slaac_attach(s, key, 33), -EINVAL);
	assert_int_equal(ipifc_slaac_attach(s, key, sizeof(key)), 0);
	assert_int_equal(ipifc_slaac_attach(s, key, sizeof(key)), -EBUSY);
	w(s, "ipifc/0/ctl", "ra6 recvra 1 twohour 0");
	w(s, "ipifc/clone", "bind pkt sim:p");
	wfail(s, "ipifc/1/ctl", "ra6 recvra 1");
	t = rd(s, "ipifc/0/ra");
	assert_non_null(strstr(t, "recvra 1 iid stable temporary off "
	    "twohour 0 autoconf 1 "));
	free(t);
	ipifc_stack_free(s);
}

/* connect (remove all, then add) also checks before it removes. */
static void
test_ctl_errors_connect(void **state)
{
	static const char *const bad[] = {
		"connect 10.0.0.5 /24 10.1.0.1",	/* remote outside */
		"connect 224.0.0.5 /24",
		"connect 10.0.0.5 /24 10.0.0.3 1500 proxy",
		"connect 2001:db8::5/64 2001:db8::6 1000",
	};
	struct ipifc_stack *s;

	(void)state;
	/*
	 * Regression: connect once checked only the MTU and a clash with
	 * another interface before removing every address, so these came
	 * back as errors with every address gone.
	 */
	s = mkconfigured();
	check_errors(s, bad, sizeof(bad) / sizeof(bad[0]));
	ipifc_stack_free(s);
}

/* ---- out of memory ---- */

/* What an add changes, as the namespace shows it. */
static const char *const oom_files[] = {
	"ipselftab", "iproute", "ipifc/0/multi", "ipifc/0/status",
	"ipifc/0/local", "arp",
};
#define NOOMFILES	(sizeof(oom_files) / sizeof(oom_files[0]))
#define OOM_ROUTE	1	/* iproute: routes may be refused, counted */

struct oomcase {
	const char *pre[4];	/* ctl lines first, as the client */
	const char *add;	/* the line with an allocation failing */
	const char *undo;	/* after it succeeds: back to before */
	const char *onerr;	/* or an error leaves what this line makes */
};

/* The files; of status its address lines only (a failed add's groups
 * were joined and left, and its reports counted). */
static void
oom_snap(struct ipifc_stack *s, char **t)
{
	size_t i, n;

	for (i = 0; i < NOOMFILES; i++) {
		t[i] = rd(s, oom_files[i]);
		if (strcmp(oom_files[i], "ipifc/0/status") == 0) {
			n = strcspn(t[i], "\n");
			memmove(t[i], t[i] + n, strlen(t[i] + n) + 1);
		}
	}
}

static void
oom_free(char **t)
{
	size_t i;

	for (i = 0; i < NOOMFILES; i++)
		free(t[i]);
}

static int
oom_same(char **a, char **b)
{
	size_t i;

	for (i = 0; i < NOOMFILES; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return 1;
}

/* ether sim:x after the case's lines, as client *c. */
static struct ipifc_stack *
oom_stack(const struct oomcase *k, struct ipifc_client **c)
{
	struct ipifc_stack *s = mkstack(1, 0);
	int i;

	w(s, "ipifc/clone", "bind ether sim:x");
	*c = ipifc_client_new(s);
	assert_non_null(*c);
	for (i = 0; i < 4 && k->pre[i] != NULL; i++)
		w_as(s, *c, "ipifc/0/ctl", k->pre[i]);
	return s;
}

/*
 * A ctl line (an add) with its n-th allocation failing, for every n it
 * makes: it fails with "out of memory" and changes nothing the
 * namespace shows (or only what onerr says), or it succeeds and makes what it makes with memory
 * (the routes aside, which a full table may refuse: counted), an address
 * found by its address, and its undo brings back what was before.
 * Leaks are LeakSanitizer's to find.
 */
static void
oom_add(const struct oomcase *k)
{
	struct ipifc_stack *s;
	struct ipifc_client *c;
	char *ref[NOOMFILES], *before[NOOMFILES], *now[NOOMFILES];
	char *errref[NOOMFILES], **e;
	struct ipifc_ip a;
	char addr[IPIFC_IPSTRLEN];
	const char *err;
	size_t i;
	long n;
	int hit, isadd;

	s = oom_stack(k, &c);
	w_as(s, c, "ipifc/0/ctl", k->add);
	oom_snap(s, ref);
	ipifc_client_free(c);
	ipifc_stack_free(s);
	if ((isadd = strncmp(k->add, "add ", 4) == 0)) {
		snprintf(addr, sizeof(addr), "%s", k->add + 4);
		addr[strcspn(addr, " ")] = '\0';
		a = ip(addr);
	}
	for (n = 0, hit = 1; hit; n++) {
		if (n == 1000)
			fail_msg("\"%s\" made 1000 allocations or more",
			    k->add);
		s = oom_stack(k, &c);
		oom_snap(s, before);
		if (k->onerr != NULL) {
			w_as(s, c, "ipifc/0/ctl", k->onerr);
			oom_snap(s, errref);
			ipifc_client_free(c);
			ipifc_stack_free(s);
			s = oom_stack(k, &c);
		}
		failalloc_at(n);
		err = ipifc_write(s, c, "ipifc/0/ctl", k->add, NULL, 0);
		hit = failalloc_off();
		assert_true(ipifc_self_consistent(s));
		oom_snap(s, now);
		e = k->onerr != NULL && !oom_same(now, before) ? errref :
		    before;
		for (i = 0; i < NOOMFILES; i++) {
			if (err != NULL && strcmp(now[i], e[i]) != 0)
				fail_msg("\"%s\", allocation %ld failing: %s, "
				    "and %s is\n%s--- not ---\n%s",
				    k->add, n, err, oom_files[i], now[i], e[i]);
			if (err == NULL && strcmp(now[i], ref[i]) != 0 &&
			    (i != OOM_ROUTE || s->drops_route == 0))
				fail_msg("\"%s\", allocation %ld failing: %s "
				    "is\n%s--- not ---\n%s", k->add, n,
				    oom_files[i], now[i], ref[i]);
		}
		if (err != NULL)
			assert_string_equal(err, "out of memory");
		else if (isadd)
			assert_non_null(ipifc_lifc_bylocal(s, &a));
		oom_free(now);
		if (err == NULL && k->undo != NULL) {
			w_as(s, c, "ipifc/0/ctl", k->undo);
			oom_snap(s, now);
			for (i = 0; i < NOOMFILES; i++)
				if (strcmp(now[i], before[i]) != 0)
					fail_msg("\"%s\", allocation %ld "
					    "failing, then \"%s\": %s is\n%s"
					    "--- not ---\n%s", k->add, n,
					    k->undo, oom_files[i], now[i],
					    before[i]);
			oom_free(now);
		}
		oom_free(before);
		if (k->onerr != NULL)
			oom_free(errref);
		ipifc_client_free(c);
		ipifc_stack_free(s);
	}
	oom_free(ref);
}

static void
test_add_out_of_memory(void **state)
{
	static const struct oomcase cases[] = {
		{ { "linklocal 0" }, "add 10.0.0.1 /24",
		    "remove 10.0.0.1 /24", NULL },
		{ { "linklocal 0", "add 10.0.0.1 /24" }, "add 10.0.0.2 /24",
		    "remove 10.0.0.2 /24", NULL },
		/* a membership left on the interface alone is taken */
		{ { "linklocal 0", "add 10.0.0.9 /24", "joinmulti 239.1.2.3",
		    "remove 10.0.0.9 /24" }, "add 10.0.0.1 /24",
		    "remove 10.0.0.1 /24", NULL },
		{ { "linklocal 0", "iprouting 1" }, "add 2001:db8::1 /64",
		    "remove 2001:db8::1 /64", NULL },
		{ { NULL }, "add 2001:db8::1 /64", "remove 2001:db8::1 /64",
		    NULL },
		{ { "add 2001:db8::1 /64", "joinmulti ff0e::1:2" },
		    "add 2001:db8::2 /64", "remove 2001:db8::2 /64", NULL },
		{ { NULL }, "add6 2001:db8:: 64", NULL, NULL },
		{ { "linklocal 0", "add 10.0.0.1 /24" },
		    "add 10.0.0.5 /32 10.0.1.7 1500 proxy",
		    "remove 10.0.0.5 /32 10.0.1.7", NULL },
		{ { "iprouting 1" }, "add 2001:db8::5 /128 2001:db8:1::7",
		    "remove 2001:db8::5 /128 2001:db8:1::7", NULL },
		/* another mask replaces the address: an error has removed it */
		{ { "add 10.0.0.1 /24" }, "add 10.0.0.1 /16",
		    NULL, "remove 10.0.0.1 /24" },
		/* a remove hands its prefix's routes and memberships over */
		{ { "add 10.0.0.1 /24", "add 10.0.0.2 /24",
		    "joinmulti 239.1.2.3 10.0.0.1" }, "remove 10.0.0.1 /24",
		    NULL, NULL },
		{ { "add 2001:db8::1 /64", "add 2001:db8::2 /64",
		    "joinmulti ff0e::1:2 2001:db8::1", "iprouting 1" },
		    "remove 2001:db8::1 /64", NULL, NULL },
		/* routing's groups, one of them a listener's too */
		{ { "add 2001:db8::1 /64", "add 2001:db8:1::1 /64",
		    "joinmulti ff05::2 2001:db8:1::1" }, "iprouting 1",
		    "iprouting 0", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		oom_add(&cases[i]);
}

/*
 * bind (an interface, its link-local address and groups) and unbind with
 * each allocation of the bind failing: an error leaves no interface, a
 * success unbinds to what was before.  The link-local address of a bind
 * that found no memory for it is not formed: the interface is bound
 * without it, as with linklocal 0.
 */
static void
test_bind_out_of_memory(void **state)
{
	static const char *const files[] = { "ipifc", "ipselftab", "iproute" };
	struct ipifc_stack *s;
	char *before[3], *now[3];
	const char *err;
	size_t i;
	long n;
	int hit;

	(void)state;
	for (n = 0, hit = 1; hit; n++) {
		if (n == 1000)
			fail_msg("bind made 1000 allocations or more");
		s = mkstack(1, 0);
		w(s, "ipifc/clone", "bind ether sim:a");
		w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
		for (i = 0; i < 3; i++)
			before[i] = rd(s, files[i]);
		failalloc_at(n);
		err = ipifc_write(s, NULL, "ipifc/clone", "bind ether sim:x",
		    NULL, 0);
		hit = failalloc_off();
		assert_true(ipifc_self_consistent(s));
		if (err == NULL)
			w(s, "ipifc/1/ctl", "unbind");
		for (i = 0; i < 3; i++) {
			now[i] = rd(s, files[i]);
			if (strcmp(now[i], before[i]) != 0)
				fail_msg("bind, allocation %ld failing (%s): "
				    "%s is\n%s--- not ---\n%s", n,
				    err != NULL ? err : "bound", files[i],
				    now[i], before[i]);
			free(now[i]);
			free(before[i]);
		}
		ipifc_stack_free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_left_rounding),
		cmocka_unit_test(test_lifetime_boundary),
		cmocka_unit_test(test_lifetime_jump),
		cmocka_unit_test(test_dad_restarts_on_up),
		cmocka_unit_test(test_added_while_down),
		cmocka_unit_test(test_down_while_tentative),
		cmocka_unit_test(test_max_addresses),
		cmocka_unit_test(test_max_interfaces),
		cmocka_unit_test(test_churn),
		cmocka_unit_test(test_same_address_two_ifcs),
		cmocka_unit_test(test_replace_mask),
		cmocka_unit_test(test_ctl_errors_add_remove),
		cmocka_unit_test(test_ctl_errors_add6_ra6),
		cmocka_unit_test(test_ctl_errors_connect),
		cmocka_unit_test(test_host_mode_attach),
		cmocka_unit_test(test_add_out_of_memory),
		cmocka_unit_test(test_bind_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
