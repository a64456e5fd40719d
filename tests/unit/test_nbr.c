/*
 * The decisions of the neighbor state machine (core/nud.c) and of DAD
 * and ACD (core/dad.c): what resolution answers, what learning and the
 * timers hand back for the medium to carry out, and what the arp and
 * status files and the wire show meanwhile.  The clock is moved by hand
 * here (the one write into the stack, at()), without ipifc_advance,
 * whose timers would carry the decisions out themselves.
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

static const uint8_t peermac[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t othermac[6] = { 0x02, 0, 0, 0, 0, 0x03 };

/* ether sim:x with 10.0.0.1/24, its link-local address past DAD. */
static struct ipifc_stack *
v4stack(struct ipifc_ifc **ifc)
{
	struct ipifc_stack *s = mkstack(1, 0);

	w(s, "ipifc/clone", "bind ether sim:x");
	run_until(s, 3000);
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	*ifc = ipifc_ifc_bynum(s, 0);
	assert_non_null(*ifc);
	return s;
}

static void
at(struct ipifc_stack *s, uint64_t t)
{
	s->now = t;
}

/* A packet whose bytes say which it is. */
static void
pkt(uint8_t *p, size_t len, uint8_t tag)
{
	memset(p, tag, len);
}

static void
resolve_queued(struct ipifc_ifc *ifc, const char *dst, uint8_t tag,
    enum ipifc_nbr_answer want)
{
	struct ipifc_ip a = ip(dst);
	struct ipifc_nbr_act ask;
	uint8_t p[40], mac[6];

	pkt(p, sizeof(p), tag);
	assert_int_equal(ipifc_nbr_resolve(ifc, &a, p, sizeof(p), mac, &ask),
	    want);
}

static int
status_has(struct ipifc_stack *s, const char *text)
{
	char *t = rd(s, "ipifc/0/status");
	int found = strstr(t, text) != NULL;

	free(t);
	return found;
}

static void
free_acts(struct ipifc_nbr_acts *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		free(t->a[i].pkt);
	t->n = 0;
}

/* An empty table: the packet waits and a broadcast question goes out. */
static void
test_resolve_empty_solicits(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip dst = ip("10.0.0.2"), src = ip("10.0.0.1");
	struct ipifc_nbr_act ask;
	uint8_t p[40], mac[6];

	(void)state;
	pkt(p, sizeof(p), 1);
	assert_int_equal(ipifc_nbr_resolve(ifc, &dst, p, sizeof(p), mac, &ask),
	    IPIFC_NBR_SOLICIT);
	assert_int_equal(ask.what, IPIFC_NBRDO_SOLICIT);
	assert_ptr_equal(ask.ifc, ifc);
	assert_true(ipifc_ip_eq(&ask.ip, &dst));
	assert_true(ipifc_ip_eq(&ask.src, &src));
	assert_int_equal(ask.unicast, 0);
	assert_null(ask.pkt);
	assert_true(file_has(s, "arp", "10.0.0.2 - incomplete 0 -"));
	/* asked once: the next packet only waits */
	resolve_queued(ifc, "10.0.0.2", 2, IPIFC_NBR_QUEUED);
	assert_true(status_has(s, "nbrqdrops 0"));
	ipifc_stack_free(s);
}

/* The answer sends what waited, in order, to the address learned. */
static void
test_learn_flushes_queue(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip peer = ip("10.0.0.2");
	struct ipifc_nbr_acts todo;
	struct ipifc_nbr_act ask;
	uint8_t p[40], mac[6];
	int i;

	(void)state;
	resolve_queued(ifc, "10.0.0.2", 1, IPIFC_NBR_SOLICIT);
	resolve_queued(ifc, "10.0.0.2", 2, IPIFC_NBR_QUEUED);
	resolve_queued(ifc, "10.0.0.2", 3, IPIFC_NBR_QUEUED);
	ipifc_nbr_acts_init(&todo);
	ipifc_nbr_learn(ifc, &peer, peermac, IPIFC_NBR_REACHABLE, 0, &todo);
	assert_int_equal(todo.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(todo.a[i].what, IPIFC_NBRDO_SEND);
		assert_true(ipifc_ip_eq(&todo.a[i].ip, &peer));
		assert_memory_equal(todo.a[i].mac, peermac, 6);
		pkt(p, sizeof(p), (uint8_t)(i + 1));
		assert_int_equal(todo.a[i].pkt->len, sizeof(p));
		assert_memory_equal(todo.a[i].pkt->data, p, sizeof(p));
	}
	free_acts(&todo);
	assert_true(file_has(s, "arp",
	    "10.0.0.2 02:00:00:00:00:02 reachable 0 -"));
	/* now found at once */
	pkt(p, sizeof(p), 4);
	assert_int_equal(ipifc_nbr_resolve(ifc, &peer, p, sizeof(p), mac,
	    &ask), IPIFC_NBR_FOUND);
	assert_memory_equal(mac, peermac, 6);
	/* nothing more to send: a confirmation with an empty queue */
	ipifc_nbr_learn(ifc, &peer, peermac, IPIFC_NBR_REACHABLE, 0, &todo);
	assert_int_equal(todo.n, 0);
	ipifc_stack_free(s);
}

/* A full queue fits the list: learning never loses a packet. */
static void
test_learn_flushes_full_queue(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip peer = ip("10.0.0.2");
	struct ipifc_nbr_acts todo;
	int i;

	(void)state;
	resolve_queued(ifc, "10.0.0.2", 0, IPIFC_NBR_SOLICIT);
	for (i = 1; i < IPIFC_NBR_QLEN; i++)
		resolve_queued(ifc, "10.0.0.2", (uint8_t)i, IPIFC_NBR_QUEUED);
	ipifc_nbr_acts_init(&todo);
	ipifc_nbr_learn(ifc, &peer, peermac, IPIFC_NBR_STALE, 0, &todo);
	assert_int_equal(todo.n, IPIFC_NBR_QLEN);
	for (i = 0; i < IPIFC_NBR_QLEN; i++) {
		assert_int_equal(todo.a[i].what, IPIFC_NBRDO_SEND);
		assert_int_equal(todo.a[i].pkt->data[0], i);
	}
	free_acts(&todo);
	assert_true(status_has(s, "nbrqdrops 0"));
	/* learned stale, the packets sent were its first use (RFC 4861
	 * 7.3.3) */
	assert_true(file_has(s, "arp", "10.0.0.2 02:00:00:00:00:02 delay 0 -"));
	ipifc_stack_free(s);
}

/* RFC 4861 7.3.3: delay, then probes to the neighbor itself, then gone. */
static void
test_probe_solicits_unicast(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip peer = ip("10.0.0.2"), src = ip("10.0.0.1");
	struct ipifc_nbr_acts todo;
	uint64_t t;
	int i;

	(void)state;
	ipifc_nbr_acts_init(&todo);
	ipifc_nbr_learn(ifc, &peer, peermac, IPIFC_NBR_STALE, 1, &todo);
	assert_int_equal(todo.n, 0);
	t = ipifc_now(s);
	resolve_queued(ifc, "10.0.0.2", 1, IPIFC_NBR_FOUND);
	assert_true(file_has(s, "arp", "10.0.0.2 02:00:00:00:00:02 delay 0 -"));
	/* nothing due before DELAY_FIRST_PROBE_TIME */
	at(s, t + IPIFC_DELAY_FIRST_PROBE - 1);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
	assert_int_equal(todo.n, 0);
	t += IPIFC_DELAY_FIRST_PROBE;
	for (i = 0; i < IPIFC_MAX_UNICAST_SOLICIT; i++) {
		at(s, t + (uint64_t)i * IPIFC_RETRANS_TIMER);
		ipifc_nbr_acts_init(&todo);
		assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
		assert_int_equal(todo.n, 1);
		assert_int_equal(todo.a[0].what, IPIFC_NBRDO_SOLICIT);
		assert_int_equal(todo.a[0].unicast, 1);
		assert_memory_equal(todo.a[0].mac, peermac, 6);
		assert_true(ipifc_ip_eq(&todo.a[0].ip, &peer));
		assert_true(ipifc_ip_eq(&todo.a[0].src, &src));
		assert_true(file_has(s, "arp",
		    "10.0.0.2 02:00:00:00:00:02 probe 0 -"));
	}
	/* no answer: the entry goes; nothing waited, nothing to report */
	at(s, t + (uint64_t)i * IPIFC_RETRANS_TIMER);
	ipifc_nbr_acts_init(&todo);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 1);
	assert_int_equal(todo.n, 0);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
	assert_false(file_has_word(s, "arp", "10.0.0.2"));
	ipifc_stack_free(s);
}

/* RFC 4861 7.2.2: past the retries, what waited is reported, counted. */
static void
test_incomplete_gives_up(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip peer = ip("10.0.0.2");
	struct ipifc_nbr_acts todo;
	uint64_t t = ipifc_now(s);
	int i;

	(void)state;
	resolve_queued(ifc, "10.0.0.2", 1, IPIFC_NBR_SOLICIT);
	resolve_queued(ifc, "10.0.0.2", 2, IPIFC_NBR_QUEUED);
	/* the first question went with the packet: two more by the timer */
	for (i = 1; i < IPIFC_MAX_MULTICAST_SOLICIT; i++) {
		at(s, t + (uint64_t)i * IPIFC_RETRANS_TIMER);
		ipifc_nbr_acts_init(&todo);
		assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
		assert_int_equal(todo.n, 1);
		assert_int_equal(todo.a[0].what, IPIFC_NBRDO_SOLICIT);
		assert_int_equal(todo.a[0].unicast, 0);
	}
	at(s, t + (uint64_t)i * IPIFC_RETRANS_TIMER);
	ipifc_nbr_acts_init(&todo);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 1);
	assert_int_equal(todo.n, 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(todo.a[i].what, IPIFC_NBRDO_UNREACH);
		assert_true(ipifc_ip_eq(&todo.a[i].ip, &peer));
		assert_int_equal(todo.a[i].pkt->data[0], i + 1);
	}
	free_acts(&todo);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
	assert_int_equal(todo.n, 0);
	assert_true(status_has(s, "nbrqdrops 2"));
	assert_false(file_has_word(s, "arp", "10.0.0.2"));
	ipifc_stack_free(s);
}

/* More due entries than the list holds: it stops, and goes on after. */
static void
test_timers_list_full(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_nbr_acts todo;
	char a[32];
	int seen[256] = { 0 }, i, n = IPIFC_NBR_NACT + 6, calls = 0, more;

	(void)state;
	for (i = 0; i < n; i++) {
		snprintf(a, sizeof(a), "10.0.0.%d", i + 2);
		resolve_queued(ifc, a, 1, IPIFC_NBR_SOLICIT);
	}
	at(s, ipifc_now(s) + IPIFC_RETRANS_TIMER);
	ipifc_nbr_acts_init(&todo);
	do {
		more = ipifc_nbr_timers(s, &todo);
		/* full the first time, the rest the second */
		assert_int_equal(todo.n, calls == 0 ? IPIFC_NBR_NACT :
		    n - IPIFC_NBR_NACT);
		assert_int_equal(more, calls == 0);
		for (i = 0; i < todo.n; i++) {
			assert_int_equal(todo.a[i].what, IPIFC_NBRDO_SOLICIT);
			seen[todo.a[i].ip.a[15]]++;
		}
		todo.n = 0;
		calls++;
	} while (more);
	/* each entry asked once */
	for (i = 0; i < n; i++)
		assert_int_equal(seen[i + 2], 1);
	assert_int_equal(ipifc_nbr_timers(s, &todo), 0);
	assert_int_equal(todo.n, 0);
	ipifc_stack_free(s);
}

/* RFC 4861 7.2.5: an NA resolves, and one without override only stales. */
static void
test_advert(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip peer = ip("10.0.0.2");
	struct ipifc_nbr_acts todo;

	(void)state;
	ipifc_nbr_acts_init(&todo);
	/* news of a stranger is ignored */
	ipifc_nbr_advert(ifc, &peer, peermac, 0, 0, 1, &todo);
	assert_int_equal(todo.n, 0);
	assert_false(file_has_word(s, "arp", "10.0.0.2"));
	resolve_queued(ifc, "10.0.0.2", 1, IPIFC_NBR_SOLICIT);
	/* no link-layer address: an incomplete entry learns nothing */
	ipifc_nbr_advert(ifc, &peer, NULL, 0, 1, 1, &todo);
	assert_int_equal(todo.n, 0);
	ipifc_nbr_advert(ifc, &peer, peermac, 0, 1, 0, &todo);
	assert_int_equal(todo.n, 1);
	assert_int_equal(todo.a[0].what, IPIFC_NBRDO_SEND);
	assert_memory_equal(todo.a[0].mac, peermac, 6);
	free_acts(&todo);
	assert_true(file_has(s, "arp",
	    "10.0.0.2 02:00:00:00:00:02 reachable 0 -"));
	ipifc_nbr_advert(ifc, &peer, othermac, 0, 1, 0, &todo);
	assert_int_equal(todo.n, 0);
	assert_true(file_has(s, "arp", "10.0.0.2 02:00:00:00:00:02 stale 0 -"));
	ipifc_nbr_advert(ifc, &peer, othermac, 0, 0, 1, &todo);
	assert_true(file_has(s, "arp", "10.0.0.2 02:00:00:00:00:03 stale 0 -"));
	ipifc_stack_free(s);
}

/* The STATE word of address a's line in ipifc/n/status is want. */
static void
assert_state(struct ipifc_stack *s, int n, const char *a, const char *want)
{
	char path[32], got[32];

	snprintf(path, sizeof(path), "ipifc/%d/status", n);
	assert_int_equal(file_word(s, path, a, 5, got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

/* DAD probes on the wire (RFC 4862 5.4.2: NS from ::), per target. */
#define NPROBED	4
static struct {
	struct ipifc_ip target;
	int	ifc, n;
} probed[NPROBED];

static int
probe_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	(void)arg, (void)ifc, (void)dev, (void)mac;
	return 0;
}

static void
probe_close(void *arg, int ifc)
{
	(void)arg, (void)ifc;
}

/* Ethernet, IPv6 with no extension header, ICMPv6 NS: count its target. */
static int
probe_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct ipifc_ip t;
	int i;

	(void)arg;
	if (len < 14 + 40 + 24 || frame[12] != 0x86 || frame[13] != 0xdd ||
	    frame[20] != 58 || frame[54] != 135)
		return 0;
	memcpy(t.a, frame + 62, 16);
	for (i = 0; i < NPROBED; i++)
		if (probed[i].ifc == ifc && ipifc_ip_eq(&probed[i].target, &t))
			probed[i].n++;
	return 0;
}

static const struct ipifc_link_ops probe_ops = {
	.open = probe_open, .close = probe_close, .send = probe_send,
};

/* Count the probes for target on interface ifc from now on. */
static void
watch(int slot, int ifc, const char *target)
{
	assert_true(slot < NPROBED);
	probed[slot].target = ip(target);
	probed[slot].ifc = ifc;
	probed[slot].n = 0;
}

/*
 * DAD's timers hand back the probes; a completion waits until the probes
 * decided before it are sent, and then takes place.
 */
static void
test_dad_decides(void **state)
{
	struct ipifc_stack *s = mkstack(1, 0);
	struct ipifc_dad_acts todo;
	struct ipifc_lifc *b, *a;
	struct ipifc_ip ba = ip("fd00::b"), aa = ip("fd01::a");
	uint64_t t;

	(void)state;
	memset(probed, 0, sizeof(probed));
	ipifc_set_link(s, &probe_ops, NULL);
	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/clone", "bind ether sim:y");
	run_until(s, 3000);
	t = ipifc_now(s);
	w(s, "ipifc/0/ctl", "dad 2");
	watch(0, 0, "fd00::b");
	watch(1, 1, "fd01::a");
	/* the first probes went as the addresses came (the medium's areg) */
	w(s, "ipifc/0/ctl", "add fd00::b/64");
	w(s, "ipifc/1/ctl", "add fd01::a/64");
	assert_non_null(b = ipifc_lifc_bylocal(s, &ba));
	assert_non_null(a = ipifc_lifc_bylocal(s, &aa));
	assert_state(s, 0, "fd00::b", "tentative");
	assert_int_equal(probed[0].n, 1);
	assert_int_equal(probed[1].n, 1);
	at(s, t + IPIFC_RETRANS_TIMER);
	ipifc_dad_acts_init(&todo);
	/* b's second probe, then a's completion: the walk stops between */
	assert_int_equal(ipifc_dad_timers(s, &todo), 1);
	assert_int_equal(todo.n, 1);
	assert_int_equal(todo.a[0].what, IPIFC_DADDO_NS);
	assert_ptr_equal(todo.a[0].l, b);
	assert_state(s, 1, "fd01::a", "tentative");
	todo.n = 0;
	assert_int_equal(ipifc_dad_timers(s, &todo), 0);
	assert_int_equal(todo.n, 0);
	assert_state(s, 1, "fd01::a", "preferred");
	assert_state(s, 0, "fd00::b", "tentative");
	at(s, t + 2 * IPIFC_RETRANS_TIMER);
	ipifc_dad_acts_init(&todo);
	assert_int_equal(ipifc_dad_timers(s, &todo), 0);
	assert_int_equal(todo.n, 0);
	assert_state(s, 0, "fd00::b", "preferred");
	/* the test carried no decision out: the areg probes alone went */
	assert_int_equal(probed[0].n, 1);
	assert_int_equal(probed[1].n, 1);
	ipifc_stack_free(s);
}

/* RFC 5227 2.1, 2.3: three probes, then two announcements; a conflict
 * after them is defended once a DEFEND_INTERVAL. */
static void
test_acd_decides(void **state)
{
	struct ipifc_ifc *ifc;
	struct ipifc_stack *s = v4stack(&ifc);
	struct ipifc_ip me = ip("10.0.0.1"), other = ip("10.0.0.9");
	struct ipifc_dad_acts todo;
	struct ipifc_lifc *l, *defend;
	enum ipifc_dad_what got[8];
	uint64_t d;
	int n = 0, i;

	(void)state;
	assert_non_null(l = ipifc_lifc_bylocal(s, &me));
	while ((d = ipifc_dindex_next(&s->daddr)) != UINT64_MAX && n < 8) {
		at(s, d);
		ipifc_dad_acts_init(&todo);
		assert_int_equal(ipifc_dad_timers(s, &todo), 0);
		for (i = 0; i < todo.n; i++) {
			assert_ptr_equal(todo.a[i].l, l);
			got[n++] = todo.a[i].what;
		}
	}
	assert_int_equal(n, 5);
	for (i = 0; i < 3; i++)
		assert_int_equal(got[i], IPIFC_DADDO_ARPPROBE);
	for (; i < 5; i++)
		assert_int_equal(got[i], IPIFC_DADDO_ANNOUNCE);
	assert_int_equal(ipifc_acd_input(ifc, &me, &other, othermac, &defend),
	    1);
	assert_ptr_equal(defend, l);
	assert_int_equal(ipifc_acd_input(ifc, &me, &other, othermac, &defend),
	    1);
	assert_null(defend);
	/* not about our address: no conflict */
	assert_int_equal(ipifc_acd_input(ifc, &other, &me, othermac, &defend),
	    0);
	assert_null(defend);
	ipifc_stack_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_empty_solicits),
		cmocka_unit_test(test_learn_flushes_queue),
		cmocka_unit_test(test_learn_flushes_full_queue),
		cmocka_unit_test(test_probe_solicits_unicast),
		cmocka_unit_test(test_incomplete_gives_up),
		cmocka_unit_test(test_timers_list_full),
		cmocka_unit_test(test_advert),
		cmocka_unit_test(test_dad_decides),
		cmocka_unit_test(test_acd_decides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
