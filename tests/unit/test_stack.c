/*
 * The stack (core/stack.c, core/event.c): creation and teardown, the
 * clock and the one deadline an event loop arms, event subscribers, the
 * text form of every event, and clients: memberships reference counted
 * per listener, the route tag per listener, teardown with clients alive.
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

/* ---- creation and the clock ---- */

static void
test_new_free(void **state)
{
	struct ipifc_stack *s;

	(void)state;
	s = ipifc_stack_new(NULL);
	assert_non_null(s);
	assert_int_equal(ipifc_now(s), 0);
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_stack_free(s);
	ipifc_stack_free(NULL);		/* harmless */

	s = mkstack(7, 123456);
	assert_int_equal(ipifc_now(s), 123456);
	ipifc_stack_free(s);
}

static void
test_clock_monotonic(void **state)
{
	struct ipifc_stack *s = mkstack(1, 1000);

	(void)state;
	ipifc_advance(s, 5000);
	assert_int_equal(ipifc_now(s), 5000);
	ipifc_advance(s, 4999);		/* backwards: ignored */
	assert_int_equal(ipifc_now(s), 5000);
	ipifc_advance(s, 0);
	assert_int_equal(ipifc_now(s), 5000);
	ipifc_advance(s, 5000);
	assert_int_equal(ipifc_now(s), 5000);
	ipifc_advance(s, 5001);
	assert_int_equal(ipifc_now(s), 5001);
	ipifc_stack_free(s);
}

static void
test_clock_backwards_keeps_timers(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	uint64_t d;

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:x");
	ipifc_advance(s, 500);
	d = ipifc_next_deadline(s);
	assert_true(d > 500 && d <= 2000);	/* probe delay + RetransTimer */
	/* going back does not rewind the DAD timer or fire it */
	ipifc_advance(s, 100);
	assert_int_equal(ipifc_now(s), 500);
	assert_true(ipifc_next_deadline(s) == d);
	assert_true(file_has(s, "ipifc/0/status",
	    "fe80::ff:fe00:100 /64 fe80:: infinite infinite tentative o"));
	ipifc_stack_free(s);
}

static void
test_next_deadline(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);

	(void)state;
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	/* a loopback has no DAD and no lifetimes */
	w(s, "ipifc/clone", "bind loopback lo");
	w(s, "ipifc/0/ctl", "add 127.0.0.1 /8");
	w(s, "ipifc/0/ctl", "add ::1 /128");
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);

	/*
	 * ether: the link-local is tentative for its first probe's delay (0
	 * to 1 s, RFC 4862 5.4.2) and RetransTimer
	 */
	w(s, "ipifc/clone", "bind ether sim:x");
	assert_true(file_has(s, "ipifc/1/status",
	    "fe80::ff:fe00:101 /64 fe80:: infinite infinite tentative o"));
	/* the first probe is due within a second, as is the MLD report's
	 * repeat (RFC 3810 6.1) */
	assert_true(ipifc_next_deadline(s) <= 1000);
	ipifc_advance(s, 999);
	assert_true(file_has(s, "ipifc/1/status",
	    "fe80::ff:fe00:101 /64 fe80:: infinite infinite tentative o"));
	run_until(s, 2000);
	assert_true(file_has(s, "ipifc/1/status",
	    "fe80::ff:fe00:101 /64 fe80:: infinite infinite preferred o"));
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);

	/* lifetimes: DAD first, then preferred expiry, then valid expiry */
	ipifc_advance(s, 3000);
	w(s, "ipifc/1/ctl", "add6 2001:db8:1:: 64 1 1 100 50");
	assert_true(ipifc_next_deadline(s) == 4000);
	ipifc_advance(s, 4000);
	assert_true(ipifc_next_deadline(s) == 3000 + 50000);
	ipifc_advance(s, 3000 + 50000);
	assert_true(file_has(s, "ipifc/1/status",
	    "2001:db8:1::ff:fe00:101 /64 2001:db8:1:: 0 50 deprecated oa"));
	assert_true(ipifc_next_deadline(s) == 3000 + 100000);
	ipifc_advance(s, 3000 + 100000);
	assert_false(file_has_word(s, "ipifc/1/status",
	    "2001:db8:1::ff:fe00:101"));
	assert_true(ipifc_next_deadline(s) == UINT64_MAX);
	ipifc_stack_free(s);
}

/* ---- subscribers ---- */

struct rec {
	struct ipifc_event ev[256];
	int	n;
};

static void
record(void *arg, const struct ipifc_event *ev)
{
	struct rec *r = arg;

	if (r->n < (int)(sizeof(r->ev) / sizeof(r->ev[0])))
		r->ev[r->n] = *ev;
	r->n++;
}

static int
find_event(const struct rec *r, int from, enum ipifc_event_type t)
{
	int i;

	for (i = from; i < r->n; i++)
		if (r->ev[i].type == t)
			return i;
	return -1;
}

static void
test_subscribe_events(void **state)
{
	static struct rec r;
	struct ipifc_stack *s = mkstack(1, 0);
	struct ipifc_ip ll = ip("fe80::ff:fe00:100"), a = ip("10.0.0.1");
	static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };
	int i, n;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(ipifc_subscribe(s, record, &r), 0);
	w(s, "ipifc/clone", "bind ether sim:x");
	assert_true(r.n >= 3);
	assert_int_equal(r.ev[0].type, IPIFC_EV_IFC_ATTACH);
	assert_int_equal(r.ev[0].ifc, 0);
	assert_int_equal(r.ev[0].mtu, 1500);
	assert_memory_equal(r.ev[0].mac, mac, 6);
	assert_true(r.ev[0].flags & IPIFC_F_RUNNING);
	assert_false(r.ev[0].flags & IPIFC_F_UP);
	assert_int_equal(r.ev[1].type, IPIFC_EV_IFC_UP);
	assert_int_equal(r.ev[1].ifc, 0);
	assert_true(r.ev[1].flags & IPIFC_F_UP);
	assert_int_equal(r.ev[2].type, IPIFC_EV_ADDR_NEW);
	assert_int_equal(r.ev[2].ifc, 0);
	assert_true(ipifc_ip_eq(&r.ev[2].addr, &ll));
	assert_int_equal(r.ev[2].plen, 64);

	n = r.n;
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	i = find_event(&r, n, IPIFC_EV_ADDR_NEW);
	assert_int_equal(i, n);		/* the address before what it implies */
	assert_true(ipifc_ip_eq(&r.ev[i].addr, &a));
	assert_int_equal(r.ev[i].plen, 120);
	assert_int_equal(r.ev[i].ifc, 0);
	assert_true(find_event(&r, n, IPIFC_EV_GROUP_JOIN) > i);
	assert_true(find_event(&r, n, IPIFC_EV_ROUTE_ADD) > i);

	/* DAD done (probe delay + RetransTimer): ready */
	n = r.n;
	run_until(s, 2000);
	i = find_event(&r, n, IPIFC_EV_ADDR_READY);
	assert_true(i >= 0);
	assert_true(ipifc_ip_eq(&r.ev[i].addr, &ll));

	/* after unsubscribe: nothing more */
	ipifc_unsubscribe(s, record, &r);
	n = r.n;
	w(s, "ipifc/0/ctl", "remove 10.0.0.1 /24");
	w(s, "ipifc/0/ctl", "down");
	w(s, "ipifc/0/ctl", "unbind");
	assert_int_equal(r.n, n);
	ipifc_stack_free(s);
}

static void
test_subscribe_two(void **state)
{
	static struct rec r1, r2;
	struct ipifc_stack *s = mkstack(1, 0);
	int n1, n2;

	(void)state;
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	assert_int_equal(ipifc_subscribe(s, record, &r1), 0);
	assert_int_equal(ipifc_subscribe(s, record, &r2), 0);
	w(s, "ipifc/clone", "bind pkt sim:x");
	assert_true(r1.n > 0);
	assert_int_equal(r1.n, r2.n);
	assert_memory_equal(r1.ev, r2.ev, (size_t)r1.n * sizeof(r1.ev[0]));

	/* the same function with another argument is another subscriber */
	ipifc_unsubscribe(s, record, &r1);
	/* unsubscribing what is not there changes nothing */
	ipifc_unsubscribe(s, record, &r1);
	ipifc_unsubscribe(s, record, NULL);
	n1 = r1.n;
	n2 = r2.n;
	w(s, "ipifc/0/ctl", "mtu 1400");
	assert_int_equal(r1.n, n1);
	assert_int_equal(r2.n, n2 + 1);
	assert_int_equal(r2.ev[n2].type, IPIFC_EV_IFC_MTU);
	assert_int_equal(r2.ev[n2].mtu, 1400);
	ipifc_stack_free(s);
}

static void
test_subscriber_limit(void **state)
{
	static struct rec r[IPIFC_MAXSUBS + 1];
	struct ipifc_stack *s = mkstack(1, 0);
	int i;

	(void)state;
	memset(r, 0, sizeof(r));
	for (i = 0; i < IPIFC_MAXSUBS; i++)
		assert_int_equal(ipifc_subscribe(s, record, &r[i]), 0);
	assert_int_equal(ipifc_subscribe(s, record, &r[IPIFC_MAXSUBS]),
	    -ENOSPC);
	w(s, "ipifc/clone", "bind loopback lo");
	for (i = 0; i < IPIFC_MAXSUBS; i++)
		assert_true(r[i].n > 0);
	assert_int_equal(r[IPIFC_MAXSUBS].n, 0);

	/* a freed slot takes a new subscriber */
	ipifc_unsubscribe(s, record, &r[3]);
	assert_int_equal(ipifc_subscribe(s, record, &r[IPIFC_MAXSUBS]), 0);
	assert_int_equal(ipifc_subscribe(s, record, &r[3]), -ENOSPC);
	w(s, "ipifc/0/ctl", "down");
	assert_int_equal(r[IPIFC_MAXSUBS].n, 1);
	ipifc_stack_free(s);
}

/* A subscriber hears nothing of the teardown (it may be gone already). */
static void
test_free_silent(void **state)
{
	static struct rec r;
	struct ipifc_stack *s = mkstack(1, 0);
	int n;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(ipifc_subscribe(s, record, &r), 0);
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	n = r.n;
	ipifc_stack_free(s);
	assert_int_equal(r.n, n);
}

/* ---- events as text ---- */

static const char *
fmt(const struct ipifc_event *ev)
{
	static char buf[256];

	memset(buf, 'X', sizeof(buf));
	return ipifc_event_fmt(ev, buf, sizeof(buf));
}

static struct ipifc_event
ev_of(enum ipifc_event_type t, int ifc)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.ifc = ifc;
	return ev;
}

static void
test_event_fmt_ifc(void **state)
{
	struct ipifc_event ev;

	(void)state;
	ev = ev_of(IPIFC_EV_IFC_ATTACH, 3);
	assert_string_equal(fmt(&ev), "ifc 3 attach");
	ev = ev_of(IPIFC_EV_IFC_DETACH, 3);
	assert_string_equal(fmt(&ev), "ifc 3 detach");
	ev = ev_of(IPIFC_EV_IFC_UP, 0);
	assert_string_equal(fmt(&ev), "ifc 0 up");
	ev = ev_of(IPIFC_EV_IFC_DOWN, 63);
	assert_string_equal(fmt(&ev), "ifc 63 down");

	ev = ev_of(IPIFC_EV_IFC_FLAGS, 1);
	ev.flags = IPIFC_F_UP | IPIFC_F_RUNNING | IPIFC_F_MULTICAST;
	assert_string_equal(fmt(&ev), "ifc 1 flags up,running,multicast");
	ev.flags = 0;
	assert_string_equal(fmt(&ev), "ifc 1 flags -");
	ev.flags = IPIFC_F_UP | IPIFC_F_RUNNING | IPIFC_F_BROADCAST |
	    IPIFC_F_MULTICAST | IPIFC_F_PTP | IPIFC_F_LOOPBACK |
	    IPIFC_F_PROMISC | IPIFC_F_ALLMULTI | IPIFC_F_NOARP;
	assert_string_equal(fmt(&ev), "ifc 1 flags up,running,broadcast,"
	    "multicast,pointtopoint,loopback,promisc,allmulti,noarp");

	ev = ev_of(IPIFC_EV_IFC_MTU, 2);
	ev.mtu = 1280;
	assert_string_equal(fmt(&ev), "ifc 2 mtu 1280");

	ev = ev_of(IPIFC_EV_IFC_LLADDR, 0);
	memcpy(ev.mac, "\x02\x00\x5e\xab\xcd\xef", 6);
	assert_string_equal(fmt(&ev), "ifc 0 lladdr 02:00:5e:ab:cd:ef");
}

static void
test_event_fmt_addr(void **state)
{
	static const struct {
		enum ipifc_event_type t;
		const char *verb;
	} v[] = {
		{ IPIFC_EV_ADDR_NEW, "new" },
		{ IPIFC_EV_ADDR_DEL, "del" },
		{ IPIFC_EV_ADDR_READY, "ready" },
		{ IPIFC_EV_ADDR_DEPRECATED, "deprecated" },
		{ IPIFC_EV_ADDR_DUPLICATE, "duplicate" },
	};
	struct ipifc_event ev;
	char want[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		ev = ev_of(v[i].t, 0);
		ev.addr = ip("10.0.0.1");
		ev.plen = 120;
		snprintf(want, sizeof(want), "addr %s 10.0.0.1 /24 ifc 0",
		    v[i].verb);
		assert_string_equal(fmt(&ev), want);

		ev = ev_of(v[i].t, 5);
		ev.addr = ip("2001:db8::1");
		ev.plen = 64;
		snprintf(want, sizeof(want), "addr %s 2001:db8::1 /64 ifc 5",
		    v[i].verb);
		assert_string_equal(fmt(&ev), want);
	}
}

static void
test_event_fmt_group_route(void **state)
{
	struct ipifc_event ev;

	(void)state;
	ev = ev_of(IPIFC_EV_GROUP_JOIN, 0);
	ev.addr = ip("239.1.2.3");
	ev.plen = 128;
	assert_string_equal(fmt(&ev), "group join 239.1.2.3 ifc 0");
	ev.type = IPIFC_EV_GROUP_LEAVE;
	ev.addr = ip("ff02::1:ff00:100");
	assert_string_equal(fmt(&ev), "group leave ff02::1:ff00:100 ifc 0");

	/* route: dst mask src smask gate type tag ifc */
	ev = ev_of(IPIFC_EV_ROUTE_ADD, 0);
	ev.addr = ip("10.0.0.0");
	ev.plen = 120;
	ev.src = ip("0.0.0.0");
	ev.splen = 96;
	ev.gate = ip("0.0.0.0");
	ev.flags = IPIFC_RT_V4 | IPIFC_RT_IFC;
	strcpy(ev.tag, "ifc");
	assert_string_equal(fmt(&ev),
	    "route add 10.0.0.0 /24 0.0.0.0 /0 - 4i ifc 0");

	ev = ev_of(IPIFC_EV_ROUTE_DEL, -1);
	ev.addr = ip("2001:db8::");
	ev.plen = 32;
	ev.src = ip("2001:db8::5");
	ev.splen = 128;
	ev.gate = ip("fe80::1");
	ev.flags = 0;
	strcpy(ev.tag, "abc");
	assert_string_equal(fmt(&ev),
	    "route del 2001:db8:: /32 2001:db8::5 /128 fe80::1 6 abc -");

	ev.flags = IPIFC_RT_IFC | IPIFC_RT_UNI | IPIFC_RT_BCAST |
	    IPIFC_RT_MULTI | IPIFC_RT_PTP | IPIFC_RT_PROXY;
	ev.ifc = 12;
	ev.gate = ipifc_ip_unspec6;
	assert_string_equal(fmt(&ev),
	    "route del 2001:db8:: /32 2001:db8::5 /128 - 6iubmpy abc 12");
}

static void
test_event_fmt_edges(void **state)
{
	struct ipifc_event ev;
	char buf[8], big[64];

	(void)state;
	ev = ev_of((enum ipifc_event_type)99, 0);
	assert_string_equal(fmt(&ev), "event 99");

	/* a short buffer gets a NUL-terminated prefix */
	ev = ev_of(IPIFC_EV_ADDR_NEW, 0);
	ev.addr = ip("2001:db8::1");
	ev.plen = 64;
	ipifc_event_fmt(&ev, big, sizeof(big));
	memset(buf, 'X', sizeof(buf));
	assert_ptr_equal(ipifc_event_fmt(&ev, buf, sizeof(buf)), buf);
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_memory_equal(buf, big, sizeof(buf) - 1);

	/* no room at all: nothing written */
	memset(buf, 'X', sizeof(buf));
	ipifc_event_fmt(&ev, buf, 0);
	assert_int_equal(buf[0], 'X');
}

/* Events of a real stack read as the monitor prints them. */
static void
format_all(void *arg, const struct ipifc_event *ev)
{
	struct ipifc_buf *b = arg;
	char line[256];

	ipifc_buf_printf(b, "%s\n", ipifc_event_fmt(ev, line, sizeof(line)));
}

static void
test_event_fmt_live(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	struct ipifc_buf b;

	(void)state;
	memset(&b, 0, sizeof(b));
	w(s, "ipifc/clone", "bind pkt sim:x");
	assert_int_equal(ipifc_subscribe(s, format_all, &b), 0);
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	assert_non_null(b.p);
	assert_string_equal(b.p,
	    "addr new 10.0.0.1 /24 ifc 0\n"
	    "group join 224.0.0.1 ifc 0\n"
	    "route add 10.0.0.0 /24 10.0.0.1 /32 - 4i ifc 0\n"
	    "route add 224.0.0.0 /24 10.0.0.1 /32 - 4m ifc 0\n"
	    "route add 10.0.0.0 /24 0.0.0.0 /0 - 4i ifc 0\n"
	    "route add 224.0.0.0 /24 0.0.0.0 /0 - 4m ifc 0\n"
	    "route add 10.0.0.1 /32 0.0.0.0 /0 - 4u ifc 0\n");
	free(b.p);
	ipifc_stack_free(s);
}

/* ---- clients ---- */

/* bind ether sim:x with 10.0.0.1/24 on it */
static struct ipifc_stack *
mkether(void)
{
	struct ipifc_stack *s = mkstack(1, 0);

	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	return s;
}

static void
test_clients_share_group(void **state)
{
	struct ipifc_stack *s = mkether();
	struct ipifc_client *c1, *c2;
	struct ipifc_ip g;

	(void)state;
	c1 = ipifc_client_new(s);
	c2 = ipifc_client_new(s);
	assert_non_null(c1);
	assert_non_null(c2);
	w_as(s, c1, "ipifc/0/ctl", "joinmulti 239.1.1.1");
	assert_true(file_has(s, "ipifc/0/multi",
	    "239.1.1.1 1 01:00:5e:01:01:01 1"));
	w_as(s, c2, "ipifc/0/ctl", "joinmulti 239.1.1.1");
	assert_true(file_has(s, "ipifc/0/multi",
	    "239.1.1.1 2 01:00:5e:01:01:01 1"));
	/* one local address links the entry, whatever the listeners */
	assert_true(file_has(s, "ipselftab", "239.1.1.1 1 4m"));

	w_as(s, c1, "ipifc/0/ctl", "leavemulti 239.1.1.1");
	assert_true(file_has(s, "ipifc/0/multi",
	    "239.1.1.1 1 01:00:5e:01:01:01 1"));
	assert_true(file_has(s, "ipselftab", "239.1.1.1 1 4m"));
	g = ip("239.1.1.1");
	assert_int_equal(ipifc_ipforme(s, &g), IPIFC_RT_MULTI);

	/* the last listener goes: the group goes */
	ipifc_client_free(c2);
	assert_false(file_has_word(s, "ipifc/0/multi", "239.1.1.1"));
	assert_false(file_has_word(s, "ipselftab", "239.1.1.1"));
	assert_int_equal(ipifc_ipforme(s, &g), 0);
	/* what the address joined itself stays */
	assert_true(file_has(s, "ipifc/0/multi",
	    "224.0.0.1 1 01:00:5e:00:00:01 1"));
	ipifc_client_free(c1);
	ipifc_stack_free(s);
}

static void
test_client_leave_other(void **state)
{
	struct ipifc_stack *s = mkether();
	struct ipifc_client *c1, *c2;
	const char *err;
	char *before, *after;

	(void)state;
	c1 = ipifc_client_new(s);
	c2 = ipifc_client_new(s);
	w_as(s, c2, "ipifc/0/ctl", "joinmulti 239.1.1.1");
	before = rd(s, "ipifc/0/multi");
	err = ipifc_write(s, c1, "ipifc/0/ctl", "leavemulti 239.1.1.1", NULL,
	    0);
	assert_non_null(err);
	assert_null(strchr(err, '\n'));
	assert_string_equal(err, "not a member of 239.1.1.1 on interface 0");
	after = rd(s, "ipifc/0/multi");
	assert_string_equal(before, after);
	free(after);

	/* no client, no membership */
	err = ipifc_write(s, NULL, "ipifc/0/ctl", "joinmulti 239.1.1.2", NULL,
	    0);
	assert_non_null(err);
	after = rd(s, "ipifc/0/multi");
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* a client's joins nest */
	w_as(s, c1, "ipifc/0/ctl", "joinmulti 239.1.1.1");
	w_as(s, c1, "ipifc/0/ctl", "joinmulti 239.1.1.1");
	w_as(s, c1, "ipifc/0/ctl", "leavemulti 239.1.1.1");
	ipifc_client_free(c2);
	assert_true(file_has(s, "ipifc/0/multi",
	    "239.1.1.1 1 01:00:5e:01:01:01 1"));
	w_as(s, c1, "ipifc/0/ctl", "leavemulti 239.1.1.1");
	assert_false(file_has_word(s, "ipifc/0/multi", "239.1.1.1"));
	assert_non_null(ipifc_write(s, c1, "ipifc/0/ctl",
	    "leavemulti 239.1.1.1", NULL, 0));
	ipifc_client_free(c1);
	ipifc_client_free(NULL);	/* harmless */
	ipifc_stack_free(s);
}

static void
test_client_route_tag(void **state)
{
	struct ipifc_stack *s = mkether();
	struct ipifc_client *c1, *c2;

	(void)state;
	c1 = ipifc_client_new(s);
	c2 = ipifc_client_new(s);
	w_as(s, c1, "iproute", "tag abc");
	w_as(s, c1, "iproute", "add 192.168.0.0 /16 10.0.0.254");
	w_as(s, c2, "iproute", "add 172.16.0.0 /12 10.0.0.253");
	w(s, "iproute", "add 198.51.100.0 /24 10.0.0.252");
	assert_true(file_has(s, "iproute",
	    "192.168.0.0 /16 0.0.0.0 /0 10.0.0.254 4 abc 0"));
	assert_true(file_has(s, "iproute",
	    "172.16.0.0 /12 0.0.0.0 /0 10.0.0.253 4 none 0"));
	assert_true(file_has(s, "iproute",
	    "198.51.100.0 /24 0.0.0.0 /0 10.0.0.252 4 none 0"));

	/* the tag is the client's, not the stack's */
	w_as(s, c2, "iproute", "tag other");
	w_as(s, c1, "iproute", "add 203.0.113.0 /24 10.0.0.254");
	assert_true(file_has(s, "iproute",
	    "203.0.113.0 /24 0.0.0.0 /0 10.0.0.254 4 abc 0"));
	/* no client may take the addresses' tag, nor tag without being one */
	assert_non_null(ipifc_write(s, c1, "iproute", "tag ifc", NULL, 0));
	assert_non_null(ipifc_write(s, NULL, "iproute", "tag xyz", NULL, 0));
	assert_non_null(ipifc_write(s, c1, "iproute", "tag a/b", NULL, 0));
	w_as(s, c1, "iproute", "add 10.9.0.0 /16 10.0.0.254");
	assert_true(file_has(s, "iproute",
	    "10.9.0.0 /16 0.0.0.0 /0 10.0.0.254 4 abc 0"));

	/* flush by tag takes exactly the client's routes */
	w(s, "iproute", "flush abc");
	assert_false(file_has_word(s, "iproute", "192.168.0.0"));
	assert_false(file_has_word(s, "iproute", "203.0.113.0"));
	assert_true(file_has_word(s, "iproute", "172.16.0.0"));
	ipifc_client_free(c1);
	ipifc_client_free(c2);
	ipifc_stack_free(s);
}

/* Teardown with clients, memberships and tagged routes alive (ASan). */
static void
test_free_with_clients(void **state)
{
	struct ipifc_stack *s = mkether();
	struct ipifc_client *c[4];
	char g[32];
	int i;

	(void)state;
	w(s, "ipifc/clone", "bind ether sim:y");
	w(s, "ipifc/1/ctl", "add 10.1.0.1 /24");
	for (i = 0; i < 4; i++) {
		c[i] = ipifc_client_new(s);
		assert_non_null(c[i]);
		snprintf(g, sizeof(g), "joinmulti 239.1.1.%d", i);
		w_as(s, c[i], "ipifc/0/ctl", g);
		w_as(s, c[i], "ipifc/1/ctl", g);
		w_as(s, c[i], "ipifc/0/ctl", "joinmulti ff05::1:3");
	}
	w_as(s, c[0], "iproute", "tag c0");
	w_as(s, c[0], "iproute", "add 192.168.0.0 /16 10.0.0.254");
	ipifc_client_free(c[2]);
	ipifc_stack_free(s);
}

/*
 * Teardown with self entries that no address links (ipifc_self_add with
 * no address, as the proxy and membership paths and an extension may
 * make them) still in the table: ipifc_stack_free frees them and their
 * links, of both families (LeakSanitizer fails the test otherwise).
 */
static void
test_free_unlinked_self(void **state)
{
	struct ipifc_stack *s = mkether();
	struct ipifc_ip a[4];
	int i;

	(void)state;
	a[0] = ip("239.9.9.9");
	a[1] = ip("ff05::9:9");
	a[2] = ip("10.0.0.1");		/* an address's entry, linked twice */
	a[3] = ip("2001:db8::99");
	for (i = 0; i < 4; i++) {
		assert_int_equal(ipifc_self_add(s, &a[i], i < 2 ?
		    IPIFC_RT_MULTI : IPIFC_RT_UNI, NULL), 0);
		assert_int_equal(ipifc_self_add(s, &a[i], i < 2 ?
		    IPIFC_RT_MULTI : IPIFC_RT_UNI, NULL), 0);
	}
	assert_true(file_has(s, "ipselftab", "239.9.9.9 0 4m"));
	assert_true(file_has(s, "ipselftab", "2001:db8::99 0 6u"));
	ipifc_stack_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_free),
		cmocka_unit_test(test_clock_monotonic),
		cmocka_unit_test(test_clock_backwards_keeps_timers),
		cmocka_unit_test(test_next_deadline),
		cmocka_unit_test(test_subscribe_events),
		cmocka_unit_test(test_subscribe_two),
		cmocka_unit_test(test_subscriber_limit),
		cmocka_unit_test(test_free_silent),
		cmocka_unit_test(test_event_fmt_ifc),
		cmocka_unit_test(test_event_fmt_addr),
		cmocka_unit_test(test_event_fmt_group_route),
		cmocka_unit_test(test_event_fmt_edges),
		cmocka_unit_test(test_event_fmt_live),
		cmocka_unit_test(test_clients_share_group),
		cmocka_unit_test(test_client_leave_other),
		cmocka_unit_test(test_client_route_tag),
		cmocka_unit_test(test_free_with_clients),
		cmocka_unit_test(test_free_unlinked_self),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
