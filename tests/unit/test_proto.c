/*
 * The packet path driven through the public API: two stacks joined by a
 * link the test carries by hand (ipifc_set_link, ipifc_input), and what a
 * user of the library sees of datagrams nobody listens to.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "wire.h"
#include "util.h"

#define MAXFRAMES	64

struct wire {
	struct ipifc_stack *s[2];
	uint8_t	frames[MAXFRAMES][2048];
	size_t	len[MAXFRAMES];
	int	from[MAXFRAMES];
	int	n;
};

struct end {
	struct wire *w;
	int	side;
	/* what the user of this stack was handed */
	int	got_proto, got_type, got_code;
	uint32_t got_param;	/* an error's pointer or MTU */
	int	listen;		/* take every datagram */
};

static struct end ends[2];

static int
link_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	return 0;
}

static void
link_close(void *arg, int ifc)
{
}

static int
link_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct end *e = arg;
	struct wire *w = e->w;

	if (w->n == MAXFRAMES || len > sizeof(w->frames[0]))
		return -ENOBUFS;
	memcpy(w->frames[w->n], frame, len);
	w->len[w->n] = len;
	w->from[w->n] = e->side;
	w->n++;
	return 0;
}

static const struct ipifc_link_ops ops = {
	.open = link_open, .close = link_close, .send = link_send,
};

/* Deliver what is on the wire, in order, until it is quiet. */
static void
carry(struct wire *w)
{
	int i, rounds = 0;

	while (w->n > 0 && rounds++ < 32) {
		struct wire copy = *w;

		w->n = 0;
		for (i = 0; i < copy.n; i++)
			ipifc_input(w->s[1 - copy.from[i]], 0, copy.frames[i],
			    copy.len[i]);
	}
}

static int
deliver(void *arg, const struct ipifc_datagram *d)
{
	struct end *e = arg;

	if (d->proto == 1 || d->proto == 58) {
		e->got_proto = d->proto;
		e->got_type = d->len > 0 ? d->payload[0] : -1;
		e->got_code = d->len > 1 ? d->payload[1] : -1;
		e->got_param = d->len >= 8 ? ipifc_get32(d->payload + 4) : 0;
		return 0;
	}
	if (e->listen) {
		e->got_proto = d->proto;
		return 0;
	}
	return -EPROTONOSUPPORT;
}

static int
setup(void **state)
{
	struct ipifc_stack_config cfg;
	struct wire *wire;
	int i;

	wire = calloc(1, sizeof(*wire));
	for (i = 0; i < 2; i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.id = (uint32_t)i + 1;
		wire->s[i] = ipifc_stack_new(&cfg);
		memset(&ends[i], 0, sizeof(ends[i]));
		ends[i].w = wire;
		ends[i].side = i;
		ends[i].got_type = ends[i].got_code = -1;
		ipifc_set_link(wire->s[i], &ops, &ends[i]);
		ipifc_set_deliver(wire->s[i], deliver, &ends[i]);
		w(wire->s[i], "ipifc/clone", "bind ether sim:x");
		w(wire->s[i], "ipifc/0/ctl", "dad 0");
	}
	w(wire->s[0], "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(wire->s[0], "ipifc/0/ctl", "add 2001:db8::1/64");
	w(wire->s[1], "ipifc/0/ctl", "add 10.0.0.2 /24");
	w(wire->s[1], "ipifc/0/ctl", "add 2001:db8::2/64");
	carry(wire);
	for (i = 0; i < 2; i++)
		ipifc_advance(wire->s[i], 2000);
	carry(wire);
	*state = wire;
	return 0;
}

static int
teardown(void **state)
{
	struct wire *wire = *state;

	ipifc_stack_free(wire->s[0]);
	ipifc_stack_free(wire->s[1]);
	free(wire);
	return 0;
}

/* RFC 1122 3.2.2.1: a protocol nobody speaks is answered unreachable. */
static void
test_proto_unreachable4(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst;
	const uint8_t data[] = "hello";

	dst = ip("10.0.0.2");
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 253, 0, data,
	    sizeof(data)), 0);
	carry(wire);
	assert_int_equal(ends[0].got_proto, 1);
	assert_int_equal(ends[0].got_type, 3);	/* destination unreachable */
	assert_int_equal(ends[0].got_code, 2);	/* protocol */
}

/* RFC 8200 4 / RFC 4443 3.4: an unknown next header, code 1. */
static void
test_paramprob6(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst;
	const uint8_t data[] = "hello";

	dst = ip("2001:db8::2");
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 253, 0, data,
	    sizeof(data)), 0);
	carry(wire);
	assert_int_equal(ends[0].got_proto, 58);
	assert_int_equal(ends[0].got_type, 4);	/* parameter problem */
	assert_int_equal(ends[0].got_code, 1);	/* unknown next header */
}

/* A listener takes it, and nothing comes back. */
static void
test_listener_takes_it(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst;
	const uint8_t data[] = "hello";

	ends[1].listen = 1;
	dst = ip("10.0.0.2");
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 17, 0, data,
	    sizeof(data)), 0);
	carry(wire);
	assert_int_equal(ends[1].got_proto, 17);
	assert_int_equal(ends[0].got_proto, 0);
}

/* No route, no source: the errors a caller sees. */
static void
test_send_errors(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst, src;
	const uint8_t data[] = "x";

	dst = ip("192.0.2.1");
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 17, 0, data, 1),
	    -EHOSTUNREACH);
	dst = ip("2001:db8::2");
	src = ip("10.0.0.1");
	assert_int_equal(ipifc_send(wire->s[0], &src, &dst, 17, 0, data, 1),
	    -EINVAL);
	dst = ip("2001:db8::2");
	assert_int_equal(ipifc_ping(wire->s[0], &dst, 1, 1, 70000),
	    -EMSGSIZE);
}

/*
 * ipifc_ping_opt sends no option list a receiver would refuse (RFC 791
 * 3.1): a Record Route pointer under 4, two Timestamps, a length past
 * the list are -EINVAL, and nothing leaves.
 */
static void
test_ping_opt_checked(void **state)
{
	const uint8_t rrptr[4] = { 7, 3, 3, 0 };
	const uint8_t ts2[8] = { 68, 4, 5, 0, 68, 4, 5, 0 };
	const uint8_t runs[4] = { 1, 7, 9, 4 };
	const uint8_t rr[8] = { 1, 7, 7, 4 };
	const uint8_t *bad[] = { rrptr, ts2, runs };
	const size_t badlen[] = { sizeof(rrptr), sizeof(ts2), sizeof(runs) };
	struct wire *wire = *state;
	struct ipifc_pingopt o;
	struct ipifc_ip dst;
	size_t i;

	dst = ip("10.0.0.2");
	memset(&o, 0, sizeof(o));
	for (i = 0; i < 3; i++) {
		o.opts = bad[i];
		o.optlen = badlen[i];
		wire->n = 0;
		assert_int_equal(ipifc_ping_opt(wire->s[0], &dst, 1, 1, 8, &o),
		    -EINVAL);
		assert_int_equal(wire->n, 0);
	}
	o.opts = rr;
	o.optlen = sizeof(rr);
	assert_int_equal(ipifc_ping_opt(wire->s[0], &dst, 1, 1, 8, &o), 0);
	assert_int_equal(wire->n, 1);
}

/* An echo request from src to dst, to MAC dstmac, as stack 1 would get it. */
static size_t
echo_frame_opts(uint8_t *f, const uint8_t *dstmac, const char *src,
    const char *dst, const uint8_t *opts, size_t optlen)
{
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct ipifc_icmp m;
	struct ipifc_ip4 h;
	uint8_t icmp[64];
	int n, hl;

	memset(&m, 0, sizeof(m));
	m.type = 8;
	m.id = 7;
	m.seq = 1;
	n = ipifc_icmp4_build(icmp, sizeof(icmp), &m);
	assert_true(n > 0);
	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.proto = 1;
	h.src = ip(src);
	h.dst = ip(dst);
	h.plen = (size_t)n;
	h.opts = opts;
	h.optlen = optlen;
	assert_int_equal(ipifc_eth_build(f, 14, dstmac, from, 0x0800), 14);
	hl = ipifc_ip4_build(f + 14, 100, &h);
	assert_true(hl > 0);
	memcpy(f + 14 + hl, icmp, (size_t)n);
	return 14 + (size_t)hl + (size_t)n;
}

static size_t
echo_frame(uint8_t *f, const uint8_t *dstmac, const char *src,
    const char *dst)
{
	return echo_frame_opts(f, dstmac, src, dst, NULL, 0);
}

static int
replies(struct wire *wire)
{
	int i, n = 0;

	for (i = 0; i < wire->n; i++)
		if (wire->from[i] == 1 && wire->len[i] > 34 &&
		    wire->frames[i][12] == 0x08 && wire->frames[i][13] == 0 &&
		    wire->frames[i][14 + 9] == 1)
			n++;
	return n;
}

static void
inject(struct wire *wire, const uint8_t *f, size_t len)
{
	wire->n = 0;
	ipifc_input(wire->s[1], 0, f, len);
}

/* The link-layer destination of the echo reply on the wire, or NULL. */
static const uint8_t *
reply_mac(struct wire *wire)
{
	int i;

	for (i = 0; i < wire->n; i++)
		if (wire->from[i] == 1 && wire->len[i] > 34 &&
		    wire->frames[i][12] == 0x08 && wire->frames[i][13] == 0 &&
		    wire->frames[i][14 + 9] == 1)
			return wire->frames[i];
	return NULL;
}

/*
 * An echo reply made from its request (RFC 792; header checksum updated,
 * RFC 1624): both checksums verify, the addresses swap, the reply has
 * its own TTL and ID, the request's TOS without ECN (RFC 3168 5), no DF,
 * and the request's data.
 */
static void
test_echo_reply_header(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	struct wire *wire = *state;
	struct ipifc_ip4 q, h;
	struct ipifc_icmp m;
	const uint8_t *r;
	uint8_t f[256];
	size_t n;
	int i;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	for (i = 0; i < 3; i++) {
		/* TOS with ECN bits, an ID, DF, a low TTL: made anew */
		f[14 + 1] = (uint8_t)(0x2b + i);
		f[14 + 4] = 0x5a;
		f[14 + 5] = (uint8_t)i;
		f[14 + 6] = i == 1 ? 0x40 : 0;
		f[14 + 8] = (uint8_t)(3 + 60 * i);
		ipifc_put16(f + 14 + 10, 0);
		ipifc_put16(f + 14 + 10, ipifc_cksum_fold(ipifc_cksum_add(0,
		    f + 14, 20)));
		assert_int_equal(ipifc_ip4_parse(f + 14, n - 14, &q), 0);
		inject(wire, f, n);
		assert_non_null(r = reply_mac(wire));
		assert_int_equal(ipifc_ip4_parse(r + 14, n - 14, &h), 0);
		assert_true(ipifc_ip_eq(&h.src, &q.dst));
		assert_true(ipifc_ip_eq(&h.dst, &q.src));
		assert_int_equal(h.tos, (0x2b + i) & ~3);
		assert_int_equal(h.ttl, 64);
		assert_int_equal(h.frag, 0);
		assert_int_equal(h.totlen, q.totlen);
		assert_int_equal(ipifc_icmp4_parse(h.payload, h.plen, &m), 0);
		assert_int_equal(m.type, IPIFC_ICMP4_ECHOREPLY);
		assert_int_equal(m.id, 7);
		assert_memory_equal(h.payload + 4, q.payload + 4, q.plen - 4);
	}
}

/* The errin counter of stack 1's interface 0 (ipifc/0/status). */
static unsigned long long
errin(struct wire *wire)
{
	char *t = rd(wire->s[1], "ipifc/0/status"), *p;
	unsigned long long v;

	assert_non_null(p = strstr(t, " errin "));
	v = strtoull(p + 7, NULL, 10);
	free(t);
	return v;
}

/*
 * An echo request is answered only when both its checksums are right
 * (RFC 1122 3.2.2, RFC 792): one bit wrong in the ICMP message is
 * counted in icmpbad, one in the IP header in the interface's errin, and
 * a request shorter than the ICMP header in icmpbad; none is answered.
 */
static void
test_echo_checksums(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	struct wire *wire = *state;
	uint8_t f[256], g[256];
	unsigned long long e;
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	inject(wire, f, n);
	assert_non_null(reply_mac(wire));
	assert_true(file_has(wire->s[1], "ipstats", "icmpbad 0"));
	e = errin(wire);
	memcpy(g, f, n);
	g[n - 1] ^= 0x10;		/* the sequence number */
	inject(wire, g, n);
	assert_null(reply_mac(wire));
	assert_true(file_has(wire->s[1], "ipstats", "icmpbad 1"));
	memcpy(g, f, n);
	g[14 + 8] ^= 0x01;		/* the TTL */
	inject(wire, g, n);
	assert_null(reply_mac(wire));
	assert_int_equal(errin(wire), e + 1);
	assert_true(file_has(wire->s[1], "ipstats", "icmpbad 1"));
	/* 4 bytes of ICMP: type 8, the rest cut by the total length */
	memcpy(g, f, n);
	ipifc_put16(g + 14 + 2, 24);
	ipifc_put16(g + 14 + 10, 0);
	ipifc_put16(g + 14 + 10, ipifc_cksum_fold(ipifc_cksum_add(0, g + 14,
	    20)));
	inject(wire, g, n);
	assert_null(reply_mac(wire));
	assert_true(file_has(wire->s[1], "ipstats", "icmpbad 2"));
	inject(wire, f, n);
	assert_non_null(reply_mac(wire));
}

/*
 * Replies to one peer follow the route table as it changes between
 * them: output keeps the last route it looked up, and a route added or
 * removed, or an interface going down or up, makes it look again.
 */
static void
test_reply_follows_routes(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t peer[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	static const uint8_t gate[6] = { 0x02, 0, 0, 0, 0x55, 0x55 };
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0x33, 0x33 };
	struct wire *wire = *state;
	const uint8_t *m;
	uint8_t f[256];
	size_t n;
	int i;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	w(wire->s[1], "arp", "add 10.0.0.1 02:00:00:00:55:55");
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	for (i = 0; i < 2; i++) {
		inject(wire, f, n);
		assert_non_null(m = reply_mac(wire));
		assert_memory_equal(m, peer, 6);	/* on the link */
	}
	w(wire->s[1], "iproute", "add 10.0.0.9 /32 10.0.0.1");
	inject(wire, f, n);
	assert_non_null(m = reply_mac(wire));
	assert_memory_equal(m, gate, 6);	/* by the host route */
	w(wire->s[1], "iproute", "remove 10.0.0.9 /32");
	inject(wire, f, n);
	assert_non_null(m = reply_mac(wire));
	assert_memory_equal(m, peer, 6);
	/* a host route through a second interface, then that one down */
	w(wire->s[1], "ipifc/clone", "bind ether sim:y");
	w(wire->s[1], "ipifc/1/ctl", "dad 0");
	w(wire->s[1], "ipifc/1/ctl", "add 192.168.9.2 /24");
	w(wire->s[1], "arp", "add 192.168.9.1 02:00:00:00:33:33");
	w(wire->s[1], "iproute", "add 10.0.0.9 /32 192.168.9.1");
	inject(wire, f, n);
	assert_non_null(m = reply_mac(wire));
	assert_memory_equal(m, other, 6);
	w(wire->s[1], "ipifc/1/ctl", "down");
	inject(wire, f, n);
	assert_non_null(m = reply_mac(wire));
	assert_memory_equal(m, peer, 6);	/* the route skips it */
	w(wire->s[1], "ipifc/1/ctl", "up");
	inject(wire, f, n);
	assert_non_null(m = reply_mac(wire));
	assert_memory_equal(m, other, 6);
}

/* RFC 1122 3.2.1.3: sources no host has, loopback from a wire: silence. */
static void
test_martians(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;

	/* the control: an ordinary echo is answered */
	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 1);
	n = echo_frame(f, mac1, "127.0.0.1", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	n = echo_frame(f, mac1, "10.0.0.9", "127.0.0.1");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	/* smurf: a broadcast or group source gets no answer */
	n = echo_frame(f, mac1, "10.0.0.255", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	n = echo_frame(f, mac1, "224.0.0.5", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	n = echo_frame(f, bcast, "255.255.255.255", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	/* our own address from the wire */
	n = echo_frame(f, mac1, "10.0.0.2", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
}

/*
 * The ICMP messages of type stack 1 sent since the last inject: how many,
 * and in *last (when not NULL) the IPv4 header of the last one.
 */
static int
sent_icmp(struct wire *wire, int type, struct ipifc_ip4 *last)
{
	struct ipifc_ip4 h;
	int i, n = 0;

	for (i = 0; i < wire->n; i++) {
		if (wire->from[i] != 1 || wire->frames[i][12] != 0x08 ||
		    wire->frames[i][13] != 0 ||
		    ipifc_ip4_parse(wire->frames[i] + 14, wire->len[i] - 14,
		    &h) != 0 || h.proto != 1 || h.plen < 8 ||
		    h.payload[0] != type)
			continue;
		n++;
		if (last != NULL)
			*last = h;
	}
	return n;
}

/* The pointer of the last parameter problem stack 1 sent, or -1. */
static int
paramprob_ptr(struct wire *wire)
{
	struct ipifc_ip4 h;

	if (sent_icmp(wire, 12, &h) == 0)
		return -1;
	return h.payload[4];
}

/* RFC 791 3.1 options: a source route or a malformed list is dropped. */
static void
test_ip4_options(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	/* LSRR through 10.0.0.1, then EOL padding */
	const uint8_t lsrr[8] = { 131, 7, 4, 10, 0, 0, 1, 0 };
	/* Router Alert (RFC 2113): harmless */
	const uint8_t ra[4] = { 148, 4, 0, 0 };
	/* an option whose length runs past the header */
	const uint8_t bad[4] = { 7, 9, 4, 0 };
	const uint8_t nolen[4] = { 1, 1, 1, 7 };
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", ra, sizeof(ra));
	inject(wire, f, n);
	assert_int_equal(replies(wire), 1);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", lsrr,
	    sizeof(lsrr));
	inject(wire, f, n);
	assert_int_equal(replies(wire), 0);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", bad, sizeof(bad));
	inject(wire, f, n);
	/* RFC 1122 3.2.2.5: parameter problem at the length byte, no reply */
	assert_int_equal(sent_icmp(wire, 0, NULL), 0);
	assert_int_equal(paramprob_ptr(wire), 21);
	/*
	 * a type in the header's last octet, its length octet missing:
	 * the pointer names the type, an octet of the header (RFC 792)
	 */
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", nolen,
	    sizeof(nolen));
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 0, NULL), 0);
	assert_int_equal(paramprob_ptr(wire), 23);
}

/*
 * A datagram of protocol 253 (RFC 3692, experiments) from 10.0.0.9 to
 * dst with TTL 64, identification id, options and plen bytes of 0x5a,
 * in a frame to stack 1: its length.
 */
static size_t
raw_frame(uint8_t *f, const char *dst, uint16_t id, const uint8_t *opts,
    size_t optlen, size_t plen)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct ipifc_ip4 h;
	int hl;

	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.proto = 253;
	h.id = id;
	h.src = ip("10.0.0.9");
	h.dst = ip(dst);
	h.opts = opts;
	h.optlen = optlen;
	h.plen = plen;
	assert_int_equal(ipifc_eth_build(f, 14, mac1, from, 0x0800), 14);
	hl = ipifc_ip4_build(f + 14, 100, &h);
	assert_int_equal(hl, 20 + (int)optlen);
	memset(f + 14 + hl, 0x5a, plen);
	return 14 + (size_t)hl + plen;
}

/*
 * RFC 1122 3.2.2: no ICMP error about a datagram that came as a
 * link-layer broadcast, parameter problem about its options included,
 * whether it was to us or to be routed.
 */
static void
test_ip4_options_llbcast(void **state)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	/* a Record Route whose pointer is under 4 */
	const uint8_t bad[8] = { 7, 7, 3, 0, 0, 0, 0, 0 };
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	n = echo_frame_opts(f, bcast, "10.0.0.9", "10.0.0.2", bad, sizeof(bad));
	inject(wire, f, n);
	assert_int_equal(paramprob_ptr(wire), -1);
	n = echo_frame_opts(f, bcast, "10.0.0.9", "10.9.0.1", bad, sizeof(bad));
	inject(wire, f, n);
	assert_int_equal(paramprob_ptr(wire), -1);
}

/*
 * RFC 1122 3.2.2: a protocol nobody speaks, in a unicast datagram that
 * came as a link-layer broadcast, gets no protocol unreachable.
 */
static void
test_proto_unreachable_llbcast(void **state)
{
	struct wire *wire = *state;
	uint8_t f[128];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = raw_frame(f, "10.0.0.2", 0, NULL, 0, 8);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 3, NULL), 1);	/* the control */
	memset(f, 0xff, 6);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 3, NULL), 0);
}

/*
 * RFC 1812 4.3.2.5: an ICMP error has precedence 6 (internetwork
 * control); an echo reply has the request's precedence and TOS.
 */
static void
test_icmp_precedence(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	struct wire *wire = *state;
	struct ipifc_ip4 h;
	uint8_t f[128];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = raw_frame(f, "10.0.0.2", 0, NULL, 0, 8);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 3, &h), 1);
	assert_int_equal(h.tos, 0xc0);
	/* an echo request with precedence 5 and low delay (DSCP EF) */
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	f[14 + 1] = 0xb8;
	ipifc_put16(f + 14 + 10, 0);
	ipifc_put16(f + 14 + 10, ipifc_cksum_fold(ipifc_cksum_add(0, f + 14,
	    20)));
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 0, &h), 1);
	assert_int_equal(h.tos, 0xb8);
}

/*
 * RFC 791 3.1: Record Route and Timestamp each appear at most once in a
 * datagram; a second one is an error (parameter problem at its type).
 */
static void
test_ip4_options_once(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	const uint8_t rr2[16] = { 7, 7, 4, 0, 0, 0, 0, 7, 7, 4, 0, 0, 0, 0 };
	const uint8_t ts2[16] = { 68, 8, 5, 0, 0, 0, 0, 0,
	    68, 8, 5, 0, 0, 0, 0, 0 };
	/* one of each is fine */
	const uint8_t rrts[16] = { 7, 7, 4, 0, 0, 0, 0, 1,
	    68, 8, 5, 0, 0, 0, 0, 0 };
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", rrts,
	    sizeof(rrts));
	inject(wire, f, n);
	assert_int_equal(replies(wire), 1);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", rr2, sizeof(rr2));
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 0, NULL), 0);
	assert_int_equal(paramprob_ptr(wire), 27);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", ts2, sizeof(ts2));
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 0, NULL), 0);
	assert_int_equal(paramprob_ptr(wire), 28);
}

/*
 * RFC 791 3.1, Timestamp: a full option whose overflow count would pass
 * 15 makes the datagram in error, discarded, wherever it goes: a
 * datagram for a listener is not delivered but answered with parameter
 * problem at the overflow octet.
 */
static void
test_ip4_ts_overflow_deliver(void **state)
{
	/* full (pointer past the length), overflow 15 */
	const uint8_t oflw[8] = { 68, 8, 9, 0xf0, 0, 0, 0, 1 };
	struct wire *wire = *state;
	uint8_t f[128];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	ends[1].listen = 1;
	n = raw_frame(f, "10.0.0.2", 0, oflw, sizeof(oflw), 8);
	inject(wire, f, n);
	assert_int_not_equal(ends[1].got_proto, 253);
	assert_int_equal(paramprob_ptr(wire), 23);
}

/* The n-th reply's Record Route or Timestamp option (at opts + at). */
static const uint8_t *
reply_opts(struct wire *wire, struct ipifc_ip4 *h)
{
	assert_int_equal(sent_icmp(wire, 0, h), 1);
	return h->opts;
}

/* The timestamp stack 1 sends at 2000 ms: RFC 791's non-standard time. */
#define TS2000	0x800007d0u

/*
 * RFC 791 3.1 and RFC 1122 3.2.2.6: the echo reply carries the request's
 * Record Route and Timestamp, with stack 1 in them twice (received, then
 * sent), as Linux does; a full RR passes unchanged; a full TS counts.
 */
static void
test_ip4_record(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	/* NOP, then RR with 3 slots: 10.0.0.9 is in the first */
	const uint8_t rr[16] = { 1, 7, 15, 8, 10, 0, 0, 9 };
	/* TS flag 0 with 3 slots, one taken */
	const uint8_t ts0[16] = { 68, 16, 9, 0, 0, 0, 0, 1 };
	/* TS flag 1 with 2 pairs */
	const uint8_t ts1[20] = { 68, 20, 5, 1 };
	/* TS flag 3: 10.0.0.2 (us), then 10.0.0.7 (not us) */
	const uint8_t ts3[20] = { 68, 20, 5, 3, 10, 0, 0, 2, 0, 0, 0, 0,
	    10, 0, 0, 7 };
	/* a full RR, and a full TS with overflow 13 */
	const uint8_t full[12] = { 7, 7, 8, 10, 0, 0, 9, 68, 4, 5, 0xd0, 0 };
	/* a full TS whose overflow count is full too */
	const uint8_t oflw[4] = { 68, 4, 5, 0xf0 };
	/* TS flag 2: not defined */
	const uint8_t flag2[8] = { 68, 8, 5, 2 };
	/* RR pointer 5: not at a slot */
	const uint8_t rrptr[8] = { 7, 7, 5, 0 };
	struct wire *wire = *state;
	struct ipifc_ip4rec r;
	struct ipifc_ip4 h;
	const uint8_t *o;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", rr, sizeof(rr));
	inject(wire, f, n);
	o = reply_opts(wire, &h);
	assert_int_equal(h.optlen, 16);
	assert_int_equal(ipifc_ip4rec_parse(o, 16, &r), 0);
	assert_int_equal(r.ptr, 16);	/* full */
	assert_int_equal(ipifc_ip_v4val(&r.addr[0]), 0x0a000009);
	assert_int_equal(ipifc_ip_v4val(&r.addr[1]), 0x0a000002);
	assert_int_equal(ipifc_ip_v4val(&r.addr[2]), 0x0a000002);

	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", ts0, sizeof(ts0));
	inject(wire, f, n);
	o = reply_opts(wire, &h);
	assert_int_equal(ipifc_ip4rec_parse(o, 16, &r), 0);
	assert_int_equal(r.ptr, 17);
	assert_int_equal(r.ts[0], 1);
	assert_int_equal(r.ts[1], TS2000);
	assert_int_equal(r.ts[2], TS2000);

	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", ts1, sizeof(ts1));
	inject(wire, f, n);
	o = reply_opts(wire, &h);
	assert_int_equal(ipifc_ip4rec_parse(o, 20, &r), 0);
	assert_int_equal(r.ptr, 21);
	assert_int_equal(ipifc_ip_v4val(&r.addr[0]), 0x0a000002);
	assert_int_equal(r.ts[0], TS2000);
	assert_int_equal(ipifc_ip_v4val(&r.addr[1]), 0x0a000002);

	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", ts3, sizeof(ts3));
	inject(wire, f, n);
	o = reply_opts(wire, &h);
	assert_int_equal(ipifc_ip4rec_parse(o, 20, &r), 0);
	assert_int_equal(r.ptr, 13);	/* 10.0.0.7 waits for its host */
	assert_int_equal(r.ts[0], TS2000);
	assert_int_equal(r.ts[1], 0);

	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", full,
	    sizeof(full));
	inject(wire, f, n);
	o = reply_opts(wire, &h);
	assert_memory_equal(o, full, 8);	/* RR unchanged */
	assert_int_equal(o[10] >> 4, 15);	/* counted twice */

	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", oflw, sizeof(oflw));
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 0, NULL), 0);
	assert_int_equal(paramprob_ptr(wire), 23);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", flag2,
	    sizeof(flag2));
	inject(wire, f, n);
	assert_int_equal(paramprob_ptr(wire), 23);
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.2", rrptr,
	    sizeof(rrptr));
	inject(wire, f, n);
	assert_int_equal(paramprob_ptr(wire), 22);
}

/* RFC 791 3.1, RFC 1812 5.2.4: a router records its outgoing address. */
static void
test_ip4_record_forward(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	const uint8_t rr[8] = { 7, 7, 4, 0 };
	struct wire *wire = *state;
	struct ipifc_ip4rec r;
	struct ipifc_ip4 h;
	uint8_t f[256];
	size_t n;
	int i, got = 0;

	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	w(wire->s[1], "ipifc/0/ctl", "reflect 1");
	w(wire->s[1], "arp", "add 10.0.0.10 02:00:00:00:77:10");
	n = echo_frame_opts(f, mac1, "10.0.0.9", "10.0.0.10", rr, sizeof(rr));
	inject(wire, f, n);
	for (i = 0; i < wire->n; i++) {
		if (wire->from[i] != 1 || ipifc_ip4_parse(wire->frames[i] + 14,
		    wire->len[i] - 14, &h) != 0 || h.proto != 1)
			continue;
		assert_int_equal(h.ttl, 63);
		assert_int_equal(ipifc_ip4rec_parse(h.opts, h.optlen, &r), 0);
		assert_int_equal(r.ptr, 8);
		assert_int_equal(ipifc_ip_v4val(&r.addr[0]), 0x0a000002);
		got++;
	}
	assert_int_equal(got, 1);
}

/*
 * RFC 1624 3: the checksum of a forwarded header after ttl - 1, updated
 * as HC' = ~(~HC + ~m + m'), is the one a sender computes: 0x0000, never
 * 0xffff (-0), when the header's checksum was 0xfeff.
 */
static void
test_forward_cksum(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip4 fh;
	uint8_t f[128];
	uint32_t id;
	size_t n = 0;
	int i, got = 0;

	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	w(wire->s[1], "ipifc/0/ctl", "reflect 1");
	w(wire->s[1], "arp", "add 10.0.0.10 02:00:00:00:77:10");
	/* the identification that makes the checksum 0xfeff */
	for (id = 0; id <= 0xffff; id++) {
		n = raw_frame(f, "10.0.0.10", (uint16_t)id, NULL, 0, 8);
		if (ipifc_get16(f + 14 + 10) == 0xfeff)
			break;
	}
	assert_true(id <= 0xffff);
	inject(wire, f, n);
	for (i = 0; i < wire->n; i++) {
		if (wire->from[i] != 1 || ipifc_ip4_parse(wire->frames[i] + 14,
		    wire->len[i] - 14, &fh) != 0 || fh.proto != 253)
			continue;
		assert_int_equal(fh.ttl, 63);
		assert_int_equal(ipifc_get16(wire->frames[i] + 14 + 10), 0);
		got++;
	}
	assert_int_equal(got, 1);
}

/*
 * A datagram to a subnet's broadcast (RFC 919, RFC 1122 3.3.6) leaves in
 * one frame to the link's broadcast address, without an ARP request.
 */
static void
test_directed_bcast_out(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip4 h;
	struct ipifc_ip dst;
	const uint8_t data[] = "all";

	dst = ip("10.0.0.255");
	wire->n = 0;
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 253, 0, data,
	    sizeof(data)), 0);
	assert_int_equal(wire->n, 1);
	assert_memory_equal(wire->frames[0], "\xff\xff\xff\xff\xff\xff", 6);
	assert_int_equal(ipifc_get16(wire->frames[0] + 12), 0x0800);
	assert_int_equal(ipifc_ip4_parse(wire->frames[0] + 14, wire->len[0] - 14,
	    &h), 0);
	assert_true(ipifc_ip_eq(&h.dst, &dst));
}

/* An IPv4 datagram from 10.0.0.9 to dst with TTL 1, as stack 1 gets it. */
static size_t
ttl1_frame(uint8_t *f, const char *dst, uint16_t frag, const uint8_t *p,
    size_t plen)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct ipifc_ip4 h;
	int hl;

	memset(&h, 0, sizeof(h));
	h.ttl = 1;
	h.proto = 1;
	h.id = 99;
	h.frag = frag;
	h.src = ip("10.0.0.9");
	h.dst = ip(dst);
	h.plen = plen;
	assert_int_equal(ipifc_eth_build(f, 14, mac1, from, 0x0800), 14);
	hl = ipifc_ip4_build(f + 14, 100, &h);
	assert_int_equal(hl, 20);
	memcpy(f + 14 + hl, p, plen);
	return 14 + (size_t)hl + plen;
}

/*
 * RFC 1812 4.3.2.7, RFC 1122 3.2.2: an ICMP error is told by its type
 * alone, so the first fragment of an echo gets time exceeded although
 * its partial ICMP fails the checksum; an ICMP error, a type past 18,
 * and a non-first fragment get nothing.
 */
static void
test_icmp_error_rules(void **state)
{
	struct wire *wire = *state;
	uint8_t f[256], icmp[64], data[32] = { 0 };
	struct ipifc_icmp m;
	size_t n, i;
	int len;

	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	/* data past the first fragment, so that its partial sum is wrong */
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 1);
	memset(&m, 0, sizeof(m));
	m.type = 8;
	m.data = data;
	m.dlen = sizeof(data);
	len = ipifc_icmp4_build(icmp, sizeof(icmp), &m);
	assert_int_equal(len, 40);
	/* the first 16 bytes, more fragments to come */
	n = ttl1_frame(f, "10.0.0.10", IPIFC_IP4_MF, icmp, 16);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 1);
	/* the rest: not the first fragment */
	n = ttl1_frame(f, "10.0.0.10", 2, icmp + 16, 24);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	/* a whole echo, the control */
	n = ttl1_frame(f, "10.0.0.10", 0, icmp, (size_t)len);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 1);
	/* a time exceeded about something else, first fragment or whole */
	m.type = 11;
	len = ipifc_icmp4_build(icmp, sizeof(icmp), &m);
	n = ttl1_frame(f, "10.0.0.10", IPIFC_IP4_MF, icmp, 16);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	n = ttl1_frame(f, "10.0.0.10", 0, icmp, (size_t)len);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	/* a type nobody defines is not taken for a query */
	icmp[0] = 42;
	n = ttl1_frame(f, "10.0.0.10", 0, icmp, (size_t)len);
	inject(wire, f, n);
	assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	/* nor one of the types RFC 792 leaves unassigned below 18 */
	for (i = 0; i < 3; i++) {
		icmp[0] = (uint8_t)(i < 2 ? i + 1 : 7);
		n = ttl1_frame(f, "10.0.0.10", 0, icmp, (size_t)len);
		inject(wire, f, n);
		assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	}
}

static size_t echo_fragment(uint8_t *f, const char *src, uint16_t id,
    int first);

/*
 * RFC 1122 3.3.2, RFC 792: a reassembly that times out is answered with
 * time exceeded code 1 only when fragment zero came.
 */
static void
test_reassembly_timeout(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip4 h;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_fragment(f, "10.0.0.9", 7, 0);	/* the second half only */
	inject(wire, f, n);
	ipifc_advance(wire->s[1], 2000 + 31000);
	assert_int_equal(sent_icmp(wire, 11, NULL), 0);
	n = echo_fragment(f, "10.0.0.9", 8, 1);	/* the first half only */
	inject(wire, f, n);
	ipifc_advance(wire->s[1], 2000 + 62000);
	assert_int_equal(sent_icmp(wire, 11, &h), 1);
	assert_int_equal(h.payload[1], 1);		/* code 1 */
}

/* One fragment of an echo request with 16 data bytes (24 bytes of ICMP). */
static size_t
echo_fragment(uint8_t *f, const char *src, uint16_t id, int first)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	uint8_t data[16] = { 0 }, icmp[24];
	struct ipifc_icmp m;
	struct ipifc_ip4 h;
	int hl;

	memset(&m, 0, sizeof(m));
	m.type = 8;
	m.id = id;
	m.seq = 1;
	m.data = data;
	m.dlen = sizeof(data);
	assert_int_equal(ipifc_icmp4_build(icmp, sizeof(icmp), &m), 24);
	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.proto = 1;
	h.id = id;
	h.src = ip(src);
	h.dst = ip("10.0.0.2");
	/* 16 bytes at offset 0 with MF, then 8 bytes at offset 16 */
	h.frag = first ? IPIFC_IP4_MF : 2;
	h.plen = first ? 16 : 8;
	assert_int_equal(ipifc_eth_build(f, 14, mac1, from, 0x0800), 14);
	hl = ipifc_ip4_build(f + 14, 100, &h);
	assert_int_equal(hl, 20);
	memcpy(f + 14 + hl, icmp + (first ? 0 : 16), h.plen);
	return 14 + (size_t)hl + h.plen;
}

/* One sender cannot flush the reassembly table for everyone. */
static void
test_reassembly_quota(void **state)
{
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;
	uint16_t id;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_fragment(f, "10.0.0.9", 7, 1);	/* the honest sender */
	inject(wire, f, n);
	for (id = 100; id < 120; id++) {	/* a flood of first fragments */
		n = echo_fragment(f, "10.0.0.66", id, 1);
		inject(wire, f, n);
	}
	n = echo_fragment(f, "10.0.0.9", 7, 0);
	inject(wire, f, n);
	assert_int_equal(replies(wire), 1);
}

/* RFC 791 3.1: a copied option goes into every fragment, others not. */
static void
test_fragment_options(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	/* Router Alert (copied) then a Record Route (not copied) */
	const uint8_t opts[12] = { 148, 4, 0, 0, 7, 7, 4, 0, 0, 0, 0, 1 };
	struct wire *wire = *state;
	struct ipifc_ip4 h, fh;
	uint8_t f[2100];
	int hl, i, nfrag = 0;

	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	w(wire->s[1], "ipifc/0/ctl", "reflect 1");
	w(wire->s[1], "arp", "add 10.0.0.10 02:00:00:00:77:10");
	memset(&h, 0, sizeof(h));
	h.ttl = 64;
	h.proto = 253;
	h.src = ip("10.0.0.9");
	h.dst = ip("10.0.0.10");
	h.opts = opts;
	h.optlen = sizeof(opts);
	h.plen = 2000;
	assert_int_equal(ipifc_eth_build(f, 14, mac1, from, 0x0800), 14);
	hl = ipifc_ip4_build(f + 14, 100, &h);
	assert_int_equal(hl, 32);
	memset(f + 14 + hl, 0x5a, 2000);
	inject(wire, f, 14 + (size_t)hl + 2000);
	for (i = 0; i < wire->n; i++) {
		if (wire->from[i] != 1 || wire->frames[i][12] != 0x08 ||
		    wire->frames[i][13] != 0)
			continue;
		assert_int_equal(ipifc_ip4_parse(wire->frames[i] + 14,
		    wire->len[i] - 14, &fh), 0);
		if (ipifc_ip4_fragoff(&fh) == 0) {
			assert_int_equal(fh.optlen, 12);	/* all of them */
		} else {
			assert_int_equal(fh.optlen, 4);	/* Router Alert only */
			assert_int_equal(fh.opts[0], 148);
		}
		nfrag++;
	}
	assert_int_equal(nfrag, 2);
}

/*
 * RFC 8200 4.5: the unfragmentable part runs through the routing header,
 * a destination options header before it included, so every fragment
 * carries both before its fragment header.
 */
static void
test_fragment6_routing(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst;
	uint8_t p[3000];
	const uint8_t *f;
	int i, nfrag = 0;

	w(wire->s[0], "arp", "add 2001:db8::2 02:00:00:00:02:00");
	memset(p, 0x5a, sizeof(p));
	/* destination options (PadN), then a routing header of a type
	 * nobody serves with no segments left, then No Next Header */
	memcpy(p, (const uint8_t[]){ 43, 0, 1, 4, 0, 0, 0, 0 }, 8);
	memcpy(p + 8, (const uint8_t[]){ 59, 0, 253, 0, 0, 0, 0, 0 }, 8);
	dst = ip("2001:db8::2");
	wire->n = 0;
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 60, 0, p,
	    sizeof(p)), 0);
	for (i = 0; i < wire->n; i++) {
		f = wire->frames[i] + 14;
		if (wire->from[i] != 0 || wire->frames[i][12] != 0x86 ||
		    wire->frames[i][13] != 0xdd)
			continue;
		assert_true(wire->len[i] <= 14 + 1500);
		assert_int_equal(f[6], 60);		/* IPv6: dstopts */
		assert_int_equal(f[40], 43);		/* dstopts: routing */
		assert_int_equal(f[48], 44);		/* routing: fragment */
		assert_int_equal(f[56], 59);		/* fragment: none */
		nfrag++;
	}
	assert_int_equal(nfrag, 3);
}

/* An IPv6 fragment to stack 1: plen bytes after the header, zero. */
static size_t
frame6(uint8_t *f, uint8_t nxt, size_t plen)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct ipifc_ip6 h;

	memset(&h, 0, sizeof(h));
	h.nxt = nxt;
	h.hlim = 64;
	h.src = ip("2001:db8::9");
	h.dst = ip("2001:db8::2");
	h.plen = plen;
	assert_int_equal(ipifc_eth_build(f, 14, mac1, from, 0x86dd), 14);
	assert_int_equal(ipifc_ip6_build(f + 14, 40, &h), 40);
	memset(f + 54, 0, plen);
	return 54 + plen;
}

/*
 * RFC 8200 4.5: a datagram whose payload would pass 65535 bytes is not
 * made, even when only the first fragment's longer unfragmentable part
 * (216 bytes of destination options) takes it there.
 */
static void
test_reassembly6_maxlen(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip6frag fh;
	uint8_t *f = malloc(65600);
	size_t n;

	assert_non_null(f);
	memset(&fh, 0, sizeof(fh));
	fh.nxt = 59;
	fh.ident = 0x4242;
	/* the last fragment: 65384 bytes at 16, a payload of 65400 alone */
	fh.off = 16;
	n = frame6(f, 44, 8 + 65384);
	assert_int_equal(ipifc_ip6frag_build(f + 54, 8, &fh), 8);
	inject(wire, f, n);
	/* the first: destination options, then 16 bytes at 0 */
	fh.off = 0;
	fh.more = 1;
	n = frame6(f, 60, 216 + 8 + 16);
	f[54] = 44;
	f[55] = 26;		/* (26 + 1) * 8 = 216 bytes */
	f[56] = 1;		/* PadN over the rest */
	f[57] = 212;
	assert_int_equal(ipifc_ip6frag_build(f + 54 + 216, 8, &fh), 8);
	inject(wire, f, n);
	free(f);
	assert_true(file_has(wire->s[1], "ipstats", "frag6 1"));
	assert_true(file_has(wire->s[1], "ipstats", "badheader 0"));
}

/*
 * RFC 6946 4, RFC 8200 4.5: an atomic fragment is taken as if it had no
 * fragment header, and the extension headers after it are walked on: a
 * routing header with no segments left, then what the listener takes
 * (thc-ipv6 implementation6 tests 22 to 25; it was answered with
 * parameter problem code 1 about the routing header).
 */
static void
test_atomic_fragment_exthdr(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst = ip("2001:db8::2");
	uint8_t p[24];

	ends[1].listen = 1;
	memset(p, 0, sizeof(p));
	/* fragment: next routing, offset 0, no more */
	memcpy(p, (const uint8_t[]){ 43, 0, 0, 0, 0, 0, 0x12, 0x34 }, 8);
	/* routing: next 253, type 253, no segments left */
	memcpy(p + 8, (const uint8_t[]){ 253, 0, 253, 0, 0, 0, 0, 0 }, 8);
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 44, 0, p,
	    sizeof(p)), 0);
	carry(wire);
	assert_int_equal(ends[1].got_proto, 253);
	assert_int_equal(ends[0].got_type, -1);
	assert_true(file_has(wire->s[1], "ipstats", "badheader 0"));
}

/*
 * RFC 8200 4, 4.1: a hop-by-hop header after another header is an
 * unrecognized Next Header: parameter problem code 1 pointing at the
 * field that named it (as Linux answers thc-ipv6 implementation6 tests 3
 * and 4; it was dropped without an answer), counted in badheader.
 */
static void
test_hbh_not_first(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst = ip("2001:db8::2");
	uint8_t p[24];

	ends[1].listen = 1;
	memset(p, 0, sizeof(p));
	/* destination options: next hop-by-hop, PadN */
	memcpy(p, (const uint8_t[]){ 0, 0, 1, 4, 0, 0, 0, 0 }, 8);
	/* hop-by-hop: next 253, PadN */
	memcpy(p + 8, (const uint8_t[]){ 253, 0, 1, 4, 0, 0, 0, 0 }, 8);
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 60, 0, p,
	    sizeof(p)), 0);
	carry(wire);
	assert_int_equal(ends[1].got_proto, 0);
	assert_int_equal(ends[0].got_proto, 58);
	assert_int_equal(ends[0].got_type, 4);	/* parameter problem */
	assert_int_equal(ends[0].got_code, 1);	/* unrecognized next header */
	assert_int_equal(ends[0].got_param, 40);
	assert_true(file_has(wire->s[1], "ipstats", "badheader 1"));
}

/*
 * RFC 8200 4.1: a hop-by-hop header after a fragment header is out of
 * place even when the datagram is in two fragments, and reassembly would
 * bring it first (thc-ipv6 implementation6 test 26; Linux answers
 * parameter problem code 1): the whole datagram is answered, pointing at
 * the Next Header field that names it, and nothing is delivered.
 */
static void
test_hbh_after_fragment(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip dst = ip("2001:db8::2");
	uint8_t p[24];

	ends[1].listen = 1;
	memset(p, 0, sizeof(p));
	/* fragment: next hop-by-hop, offset 0, more */
	memcpy(p, (const uint8_t[]){ 0, 0, 0, 1, 0, 0, 0x12, 0x35 }, 8);
	/* hop-by-hop: next 253, PadN; then 8 bytes of 253's */
	memcpy(p + 8, (const uint8_t[]){ 253, 0, 1, 4, 0, 0, 0, 0 }, 8);
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 44, 0, p,
	    sizeof(p)), 0);
	/* the last: 8 bytes at 16 */
	memcpy(p, (const uint8_t[]){ 0, 0, 0, 0x10, 0, 0, 0x12, 0x35 }, 8);
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, 44, 0, p, 16),
	    0);
	carry(wire);
	assert_int_equal(ends[1].got_proto, 0);
	assert_int_equal(ends[0].got_proto, 58);
	assert_int_equal(ends[0].got_type, 4);	/* parameter problem */
	assert_int_equal(ends[0].got_code, 1);	/* unrecognized next header */
	assert_int_equal(ends[0].got_param, 6);	/* whole: the IPv6 header's */
	assert_true(file_has(wire->s[1], "ipstats", "badheader 1"));
}

/* RFC 7527: our own DAD probe, looped back by the link, is not a rival. */
static void
test_dad_loopback_nonce(void **state)
{
	struct wire *wire = *state;
	struct wire copy;
	int i;

	w(wire->s[1], "ipifc/0/ctl", "dad 1");
	wire->n = 0;
	w(wire->s[1], "ipifc/0/ctl", "add 2001:db8::77/64");
	/* the interface's first probe waits up to 1 s (RFC 4862 5.4.2) */
	run_until(wire->s[1], ipifc_now(wire->s[1]) + 1000);
	copy = *wire;
	assert_true(copy.n > 0);
	/* everything it sent comes back to it, the NS from :: included */
	for (i = 0; i < copy.n; i++)
		ipifc_input(wire->s[1], 0, copy.frames[i], copy.len[i]);
	ipifc_advance(wire->s[1], ipifc_now(wire->s[1]) + 3000);
	assert_true(file_has(wire->s[1], "ipifc/0/status",
	    "2001:db8::77 /64 2001:db8:: infinite infinite preferred o"));
}

/* A solicitation for target from src with an SLLA, or an ARP request. */
static size_t
ns_frame(uint8_t *f, const struct ipifc_ip *src, const uint8_t *smac,
    const struct ipifc_ip *target)
{
	static const uint8_t sn[6] = { 0x33, 0x33, 0xff, 0, 0, 0x02 };
	struct ipifc_ip6 h;
	struct ipifc_nd m;
	int n;

	memset(&m, 0, sizeof(m));
	m.type = IPIFC_ND_NS;
	m.target = *target;
	m.has = IPIFC_ND_HAS_SLLA;
	memcpy(m.slla, smac, 6);
	memset(&h, 0, sizeof(h));
	h.nxt = 58;
	h.hlim = 255;
	h.src = *src;
	h.dst = ip("ff02::1:ff00:2");	/* RFC 4291 2.7.1 */
	n = ipifc_nd_build(f + 54, 256, &h.src, &h.dst, &m);
	assert_true(n > 0);
	h.plen = (size_t)n;
	assert_int_equal(ipifc_eth_build(f, 14, sn, smac, 0x86dd), 14);
	assert_int_equal(ipifc_ip6_build(f + 14, 40, &h), 40);
	return 54 + (size_t)n;
}

static size_t
arp_frame(uint8_t *f, const struct ipifc_ip *spa, const uint8_t *smac,
    const struct ipifc_ip *tpa)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct ipifc_arp a;

	memset(&a, 0, sizeof(a));
	a.op = IPIFC_ARP_REQUEST;
	memcpy(a.sha, smac, 6);
	a.spa = *spa;
	a.tpa = *tpa;
	assert_int_equal(ipifc_eth_build(f, 14, bcast, smac, 0x0806), 14);
	assert_int_equal(ipifc_arp_build(f + 14, 28, &a), 28);
	return 14 + 28;
}

/*
 * Issue 11 defect 2: solicitations and ARP requests from made-up sources
 * fill the neighbor table, and the answers to them must not make those
 * entries outlast a neighbor that comes later: side 0, flushed from side
 * 1's table, still reaches side 1 on both families during the flood;
 * the static entry stays; the table stays within its bound.
 */
static void
test_nbr_flood(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip me6 = ip("2001:db8::2"), me4 = ip("10.0.0.2"), src;
	uint8_t f[512], smac[6] = { 0x02, 0x66 };
	uint32_t x = 12345;
	int i, round;
	size_t n;

	w(wire->s[1], "arp", "flush");
	w(wire->s[0], "arp", "flush");
	w(wire->s[1], "arp", "add 10.0.0.50 02:00:00:00:00:50");
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 3000; i++) {
			x = x * 1103515245u + 12345u;
			memcpy(smac + 2, &x, 4);
			src = me6;
			memcpy(src.a + 8, &x, 4);	/* 2001:db8::/64 */
			src.a[15] = 0x10;
			n = ns_frame(f, &src, smac, &me6);
			ipifc_input(wire->s[1], 0, f, n);
			src = me4;
			src.a[14] = (uint8_t)(x >> 8);
			src.a[15] = (uint8_t)(x >> 16) | 0x80;
			n = arp_frame(f, &src, smac, &me4);
			ipifc_input(wire->s[1], 0, f, n);
			wire->n = 0;	/* the answers go nowhere */
		}
		assert_true(count_matches(wire->s[1], "arp", "", MATCH_START)
		    <= 1100);
		ends[0].got_type = -1;
		assert_int_equal(ipifc_ping(wire->s[0], round ? &me4 : &me6,
		    7, (uint16_t)round, 8), 0);
		carry(wire);
		assert_int_equal(ends[0].got_type, round ? 0 : 129);
	}
	assert_true(file_has(wire->s[1], "arp",
	    "10.0.0.50 02:00:00:00:00:50 static 0 -"));
}

/* The NA from side 1 with target t, or -1. */
static int
na_from1(const struct wire *wire, const struct ipifc_ip *t)
{
	const uint8_t *f;
	int i;

	for (i = 0; i < wire->n; i++) {
		f = wire->frames[i];
		if (wire->from[i] == 1 && wire->len[i] >= 14 + 40 + 24 &&
		    f[12] == 0x86 && f[13] == 0xdd && f[14 + 6] == 58 &&
		    f[54] == 136 && memcmp(f + 62, t->a, 16) == 0)
			return i;
	}
	return -1;
}

/*
 * RFC 6980 5: an ND message in a packet with a fragment header is
 * ignored (RA guard evasion, RFC 7113; ipv6toolkit's ra6 -y and thc-ipv6
 * flood_router26 -f send such RAs), and counted in ndbad: the NS that is
 * answered whole is not answered in an atomic fragment.
 */
static void
test_nd_fragment_ignored(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip me6 = ip("2001:db8::2"), src = ip("2001:db8::9");
	static const uint8_t smac[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	uint8_t f[256], g[256 + 8];
	size_t n;

	n = ns_frame(f, &src, smac, &me6);
	inject(wire, f, n);
	assert_true(na_from1(wire, &me6) >= 0);
	/* the same behind a fragment header: offset 0, no more */
	memcpy(g, f, 54);
	g[14 + 6] = 44;
	ipifc_put16(g + 14 + 4, (uint16_t)(n - 54 + 8));
	memcpy(g + 54, (const uint8_t[]){ 58, 0, 0, 0, 0, 0, 0, 7 }, 8);
	memcpy(g + 62, f + 54, n - 54);
	inject(wire, g, n + 8);
	assert_int_equal(na_from1(wire, &me6), -1);
	assert_true(file_has(wire->s[1], "ipstats", "ndbad 1"));
}

/*
 * An NS whose source link-layer address is a group's or all zeros (no
 * host's, as ARP refuses for a sender) is dropped and counted in ndbad,
 * and nothing of it goes into the neighbor table (thc-ipv6 and
 * ipv6toolkit can send them; Linux would learn them).
 */
static void
test_nd_group_lla(void **state)
{
	static const uint8_t bad[3][6] = {
		{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		{ 0x33, 0x33, 0, 0, 0, 0x01 },
		{ 0, 0, 0, 0, 0, 0 },
	};
	static const uint8_t smac[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct wire *wire = *state;
	struct ipifc_ip me6 = ip("2001:db8::2"), src = ip("2001:db8::9");
	uint8_t f[256];
	char mac[32];
	size_t n;
	int i;

	for (i = 0; i < 3; i++) {
		n = ns_frame(f, &src, bad[i], &me6);
		memcpy(f + 6, smac, 6);		/* a host's frame */
		inject(wire, f, n);
		assert_int_equal(na_from1(wire, &me6), -1);
	}
	assert_int_equal(file_word(wire->s[1], "arp", "2001:db8::9", 1, mac,
	    sizeof(mac)), -1);
	assert_true(file_has(wire->s[1], "ipstats", "ndbad 3"));
	/* the same from the host's own address: answered and learned */
	n = ns_frame(f, &src, smac, &me6);
	inject(wire, f, n);
	assert_true(na_from1(wire, &me6) >= 0);
	assert_int_equal(file_word(wire->s[1], "arp", "2001:db8::9", 1, mac,
	    sizeof(mac)), 0);
	assert_string_equal(mac, "02:00:00:00:77:77");
}

/*
 * RFC 4861 7.2.7: a router answers an NS for its subnet-router anycast
 * address (RFC 4291 2.6.1) with Override clear, within
 * MAX_ANYCAST_DELAY_TIME; the echo reply comes from a unicast address.
 */
static void
test_anycast_na(void **state)
{
	struct wire *wire = *state;
	struct ipifc_ip any = ip("2001:db8::");
	uint64_t t0 = ipifc_now(wire->s[1]);
	int i;

	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	carry(wire);
	wire->n = 0;
	assert_int_equal(ipifc_ping(wire->s[0], &any, 1, 1, 8), 0);
	carry(wire);
	run_until(wire->s[1], t0 + 1000);
	i = na_from1(wire, &any);
	assert_true(i >= 0);
	/* solicited, router, not override */
	assert_int_equal(wire->frames[i][58] & 0xe0, 0xc0);
	ends[0].got_type = -1;
	carry(wire);
	assert_int_equal(ends[0].got_proto, 58);
	assert_int_equal(ends[0].got_type, 129);	/* echo reply */
	/* iprouting 0 takes it away */
	w(wire->s[1], "ipifc/0/ctl", "iprouting 0");
	assert_int_equal(ipifc_ipforme(wire->s[1], &any), 0);
}

/* With promisc on, frames for another host are heard but not taken. */
static void
test_promisc_other_host(void **state)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0x99, 0x99 };
	struct wire *wire = *state;
	uint8_t f[256];
	size_t n;

	w(wire->s[1], "ipifc/0/ctl", "promisc on");
	w(wire->s[1], "ipifc/0/ctl", "iprouting 1");
	n = echo_frame(f, other, "10.0.0.9", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(wire->n, 0);
}

/*
 * With no VLAN configured, a frame tagged 802.1Q or 802.1ad is another
 * link's, even when the frame inside is an echo for us: no answer, and
 * ipstats counts it in vlan (not errin: nothing is malformed).
 */
static void
test_vlan_tagged(void **state)
{
	static const uint8_t mac1[6] = { 0x02, 0, 0, 0, 0x02, 0 };
	static const uint16_t tpid[2] = {
		IPIFC_ETHERTYPE_VLAN, IPIFC_ETHERTYPE_SVLAN
	};
	struct wire *wire = *state;
	uint8_t f[256], t[260];
	char *st;
	size_t n;
	int i;

	w(wire->s[1], "arp", "add 10.0.0.9 02:00:00:00:77:77");
	n = echo_frame(f, mac1, "10.0.0.9", "10.0.0.2");
	inject(wire, f, n);
	assert_int_equal(replies(wire), 1);
	for (i = 0; i < 2; i++) {
		memcpy(t, f, 12);
		ipifc_put16(t + 12, tpid[i]);
		ipifc_put16(t + 14, 100);	/* VLAN 100 */
		memcpy(t + 16, f + 12, n - 12);
		inject(wire, t, n + 4);
		assert_int_equal(wire->n, 0);
	}
	assert_true(file_has(wire->s[1], "ipstats", "vlan 2"));
	/* priority-tagged (VID 0, priority 5): untagged, answered */
	memcpy(t, f, 12);
	ipifc_put16(t + 12, IPIFC_ETHERTYPE_VLAN);
	ipifc_put16(t + 14, 5 << 13);
	memcpy(t + 16, f + 12, n - 12);
	inject(wire, t, n + 4);
	assert_int_equal(replies(wire), 1);
	assert_true(file_has(wire->s[1], "ipstats", "vlan 2"));
	st = rd(wire->s[1], "ipifc/0/status");
	assert_non_null(strstr(st, " errin 0 "));
	free(st);
}

/* What stack 1 answers to an IPv6 payload of protocol nxt from stack 0. */
static void
send6(struct wire *wire, int nxt, const uint8_t *p, size_t len)
{
	struct ipifc_ip dst;

	ends[0].got_proto = 0;
	ends[0].got_type = ends[0].got_code = -1;
	dst = ip("2001:db8::2");
	assert_int_equal(ipifc_send(wire->s[0], NULL, &dst, nxt, 0, p, len),
	    0);
	carry(wire);
}

/* RFC 8200 4.2, 4.4, 4.7: what extension headers ask of a host. */
static void
test_ext_headers(void **state)
{
	struct wire *wire = *state;
	/* destination options: an unknown option whose top bits say 10 */
	const uint8_t opt10[] = { 59, 0, 0x80, 4, 0, 0, 0, 0 };
	/* ... and 01: discard without a word */
	const uint8_t opt01[] = { 59, 0, 0x40, 4, 0, 0, 0, 0 };
	/* ... and 00: skip it, then No Next Header: nothing at all */
	const uint8_t opt00[] = { 59, 0, 0x1e, 4, 0, 0, 0, 0 };
	/* a routing header with a segment left */
	const uint8_t rh[] = { 59, 0, 0, 1, 0, 0, 0, 0 };
	/* padding only, then a protocol nobody speaks */
	const uint8_t unk[] = { 253, 0, 1, 4, 0, 0, 0, 0, 'x' };
	uint8_t chain[8 * (IPIFC_IP6_MAXEXT + 1) + 1];
	int i;

	send6(wire, 60, opt10, sizeof(opt10));
	assert_int_equal(ends[0].got_type, 4);
	assert_int_equal(ends[0].got_code, 2);
	assert_int_equal(ends[0].got_param, 40 + 2);	/* the option */
	send6(wire, 60, opt01, sizeof(opt01));
	assert_int_equal(ends[0].got_proto, 0);
	send6(wire, 60, opt00, sizeof(opt00));
	assert_int_equal(ends[0].got_proto, 0);
	send6(wire, 43, rh, sizeof(rh));
	assert_int_equal(ends[0].got_type, 4);
	assert_int_equal(ends[0].got_code, 0);
	assert_int_equal(ends[0].got_param, 40 + 2);	/* its type */
	send6(wire, 60, unk, sizeof(unk));
	assert_int_equal(ends[0].got_type, 4);
	assert_int_equal(ends[0].got_code, 1);
	assert_int_equal(ends[0].got_param, 40);	/* its Next Header */

	/* IPIFC_IP6_MAXEXT headers of padding are walked to the protocol
	 * nobody speaks; one more is too many, dropped without a word */
	memset(chain, 0, sizeof(chain));
	for (i = 0; i <= IPIFC_IP6_MAXEXT; i++) {
		chain[8 * i] = 60;
		chain[8 * i + 2] = 1;		/* PadN of 4 */
		chain[8 * i + 3] = 4;
	}
	chain[8 * (IPIFC_IP6_MAXEXT - 1)] = 253;
	send6(wire, 60, chain, 8 * IPIFC_IP6_MAXEXT + 1);
	assert_int_equal(ends[0].got_type, 4);
	assert_int_equal(ends[0].got_code, 1);
	assert_int_equal(ends[0].got_param, 40 + 8 * (IPIFC_IP6_MAXEXT - 1));
	chain[8 * (IPIFC_IP6_MAXEXT - 1)] = 60;
	chain[8 * IPIFC_IP6_MAXEXT] = 253;
	send6(wire, 60, chain, sizeof(chain));
	assert_int_equal(ends[0].got_proto, 0);
}

/* Is there a frame from stack 1 of this ICMPv6 (MLD) or IGMP type? */
static int
sent_type(struct wire *wire, int v6, int type)
{
	int i;
	const uint8_t *f;

	for (i = 0; i < wire->n; i++) {
		f = wire->frames[i];
		if (wire->from[i] != 1)
			continue;
		/* IPv6 + 8-byte hop-by-hop, then the ICMPv6 type */
		if (v6 && f[12] == 0x86 && f[13] == 0xdd && f[14 + 6] == 0 &&
		    wire->len[i] > 14 + 48 && f[14 + 48] == type)
			return 1;
		/* IPv4 + 4-byte Router Alert, then the IGMP type */
		if (!v6 && f[12] == 0x08 && f[14 + 9] == 2 &&
		    wire->len[i] > 14 + 24 && f[14 + 24] == type)
			return 1;
	}
	return 0;
}

/* RFC 3810 8.2.1, RFC 3376 7.2.1: an older querier is answered in kind. */
static void
test_older_querier(void **state)
{
	static const uint8_t allnodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const uint8_t allsys_mac[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
	static const uint8_t from[6] = { 0x02, 0, 0, 0, 0x77, 0x77 };
	struct wire *wire = *state;
	struct ipifc_client *c = ipifc_client_new(wire->s[1]);
	struct ipifc_mquery q;
	struct ipifc_ip6 h6;
	struct ipifc_ip4 h4;
	uint8_t f[256], ra[4];
	int n, hl;

	/* an MLDv1 general query from a link-local router */
	memset(&q, 0, sizeof(q));
	q.version = 1;
	q.mrd = 1000;
	memset(&h6, 0, sizeof(h6));
	h6.nxt = 0;
	h6.hlim = 1;
	h6.src = ip("fe80::77");
	h6.dst = ip("ff02::1");
	ipifc_eth_build(f, 14, allnodes_mac, from, 0x86dd);
	ipifc_ip6_hbh_ra_build(f + 54, 8, 58, 0);
	n = ipifc_mld_query_build(f + 62, 64, &h6.src, &h6.dst, &q);
	assert_int_equal(n, 24);
	h6.plen = 8 + (size_t)n;
	assert_int_equal(ipifc_ip6_build(f + 14, 40, &h6), 40);
	wire->n = 0;
	ipifc_input(wire->s[1], 0, f, 62 + (size_t)n);
	wire->n = 0;
	assert_null(ipifc_write(wire->s[1], c, "ipifc/0/ctl", "joinmulti ff05::1:3", NULL, 0));
	assert_true(sent_type(wire, 1, 131));	/* MLDv1 report */
	assert_false(sent_type(wire, 1, 143));

	/* an IGMPv2 general query */
	memset(&q, 0, sizeof(q));
	q.version = 2;
	q.mrc = 10;		/* tenths of a second */
	q.group = ipifc_ip_unspec4;
	memset(&h4, 0, sizeof(h4));
	h4.ttl = 1;
	h4.proto = 2;
	h4.src = ip("10.0.0.77");
	h4.dst = ip("224.0.0.1");
	ipifc_ip4_ra_build(ra, sizeof(ra));
	h4.opts = ra;
	h4.optlen = 4;
	n = ipifc_igmp_query_build(f + 200, 56, &q);
	assert_int_equal(n, 8);
	h4.plen = (size_t)n;
	ipifc_eth_build(f, 14, allsys_mac, from, 0x0800);
	hl = ipifc_ip4_build(f + 14, 24, &h4);
	assert_int_equal(hl, 24);
	memmove(f + 14 + hl, f + 200, (size_t)n);
	ipifc_input(wire->s[1], 0, f, 14 + (size_t)hl + (size_t)n);
	wire->n = 0;
	assert_null(ipifc_write(wire->s[1], c, "ipifc/0/ctl", "joinmulti 239.1.2.3", NULL, 0));
	assert_true(sent_type(wire, 0, 0x16));	/* IGMPv2 report */
	wire->n = 0;
	assert_null(ipifc_write(wire->s[1], c, "ipifc/0/ctl", "leavemulti 239.1.2.3", NULL, 0));
	assert_true(sent_type(wire, 0, 0x17));	/* IGMPv2 leave */

	/* 260 s later with no older querier the current versions return */
	ipifc_advance(wire->s[1], 2000 + 261000);
	wire->n = 0;
	assert_null(ipifc_write(wire->s[1], c, "ipifc/0/ctl", "joinmulti 239.1.2.4", NULL, 0));
	assert_true(sent_type(wire, 0, 0x22));	/* IGMPv3 report */
}

/*
 * Regression, smoltcp (a panic on ND over a medium without a link
 * layer): NS, NA, RS and RA, with link-layer address options, arriving
 * on a pkt interface (raw IP, as over a TUN device) change nothing: no
 * neighbor entry, no address made duplicate, no SLAAC address, no MTU,
 * no route; and the interface still answers an echo.
 */
static size_t
nd_pkt(uint8_t *f, const char *src, const char *dst, struct ipifc_nd *m)
{
	struct ipifc_ip6 h;
	int n;

	memset(&h, 0, sizeof(h));
	h.nxt = 58;
	h.hlim = 255;
	h.src = ip(src);
	h.dst = ip(dst);
	n = ipifc_nd_build(f + 40, 1024, &h.src, &h.dst, m);
	assert_true(n > 0);
	h.plen = (size_t)n;
	assert_int_equal(ipifc_ip6_build(f, 40, &h), 40);
	return 40 + (size_t)n;
}

static void
test_regress_smoltcp_nd_pkt(void **state)
{
	static const char *const files[] = { "arp", "ipselftab", "iproute",
	    "ipifc" };
	static struct wire wire;
	static uint8_t f[2048];
	struct ipifc_nd m[5];
	const char *src[5] = { "fe80::9", "::", "fe80::9", "fe80::9",
	    "fe80::9" };
	const char *dst[5] = { "2001:db8::1", "ff02::1:ff00:1", "ff02::1",
	    "ff02::2", "ff02::1" };
	struct ipifc_stack *s;
	struct ipifc_icmp icmp;
	struct ipifc_ip6 hh;
	char *before[4], *after, *st;
	uint8_t *exact;
	size_t i, n;
	int k, echo;

	(void)state;
	memset(&hh, 0, sizeof(hh));
	memset(&wire, 0, sizeof(wire));
	memset(&ends[0], 0, sizeof(ends[0]));
	ends[0].w = &wire;
	s = wire.s[0] = mkstack(1, 0);
	ipifc_set_link(s, &ops, &ends[0]);
	ipifc_set_deliver(s, deliver, &ends[0]);
	w(s, "ipifc/clone", "bind pkt tun:t0");
	w(s, "ipifc/0/ctl", "add 2001:db8::1/64");
	ipifc_advance(s, 5000);
	for (i = 0; i < 4; i++)
		before[i] = rd(s, files[i]);

	memset(m, 0, sizeof(m));
	m[0].type = IPIFC_ND_NS;		/* for our address */
	m[0].target = ip("2001:db8::1");
	m[0].has = IPIFC_ND_HAS_SLLA;
	memcpy(m[0].slla, "\x02\0\0\0\x77\x77", 6);
	m[1].type = IPIFC_ND_NS;		/* DAD for it */
	m[1].target = ip("2001:db8::1");
	m[2].type = IPIFC_ND_NA;		/* someone else has it */
	m[2].target = ip("2001:db8::1");
	m[2].flags = IPIFC_ND_NA_OVERRIDE;
	m[2].has = IPIFC_ND_HAS_TLLA;
	memcpy(m[2].tlla, "\x02\0\0\0\x77\x77", 6);
	m[3].type = IPIFC_ND_RS;
	m[3].has = IPIFC_ND_HAS_SLLA;
	memcpy(m[3].slla, "\x02\0\0\0\x77\x77", 6);
	m[4].type = IPIFC_ND_RA;
	m[4].curhlim = 7;
	m[4].rtrlife = 1800;
	m[4].has = IPIFC_ND_HAS_SLLA | IPIFC_ND_HAS_MTU;
	memcpy(m[4].slla, "\x02\0\0\0\x77\x77", 6);
	m[4].mtu = 1280;
	m[4].nprefix = 1;
	m[4].prefix[0].plen = 64;
	m[4].prefix[0].flags = IPIFC_ND_PI_ONLINK | IPIFC_ND_PI_AUTO;
	m[4].prefix[0].valid = m[4].prefix[0].preferred = 3600;
	m[4].prefix[0].prefix = ip("2001:db8:5::");
	for (k = 0; k < 5; k++) {
		n = nd_pkt(f, src[k], dst[k], &m[k]);
		/* whole, then each truncation, each in a buffer its size */
		for (; n > 0; n = n > 40 ? n - 1 : 0) {
			exact = malloc(n);
			memcpy(exact, f, n);
			ipifc_input(s, 0, exact, n);
			free(exact);
		}
		ipifc_advance(s, 6000 + (uint64_t)k * 1000);
	}
	for (i = 0; i < 4; i++) {
		after = rd(s, files[i]);
		assert_string_equal(after, before[i]);
		free(after);
		free(before[i]);
	}
	st = rd(s, "ipifc/0/status");
	assert_non_null(strstr(st, "\n2001:db8::1 /64 "));
	assert_non_null(strstr(st, " preferred"));
	assert_null(strstr(st, "duplicate"));
	assert_null(strstr(st, "2001:db8:5:"));
	free(st);

	/* and it answers */
	wire.n = 0;
	memset(&icmp, 0, sizeof(icmp));
	icmp.type = 128;
	icmp.id = 7;
	icmp.seq = 1;
	hh.src = ip("2001:db8::9");
	hh.dst = ip("2001:db8::1");
	hh.nxt = 58;
	hh.hlim = 64;
	k = ipifc_icmp6_build(f + 40, 1024, &hh.src, &hh.dst, &icmp);
	assert_true(k > 0);
	hh.plen = (size_t)k;
	assert_int_equal(ipifc_ip6_build(f, 40, &hh), 40);
	ipifc_input(s, 0, f, 40 + (size_t)k);
	for (echo = 0, k = 0; k < wire.n; k++)
		if (wire.len[k] >= 48 && wire.frames[k][6] == 58 &&
		    wire.frames[k][40] == 129)
			echo++;
	assert_int_equal(echo, 1);
	ipifc_stack_free(s);
}

/*
 * The ping run both ipifcd and ipifc sim use: replies matched by
 * identifier and a sequence number already sent, duplicates, the lines,
 * and the number options.
 */
static void
test_pingrun(void **state)
{
	struct ipifc_pingrun p;
	struct ipifc_datagram d;
	struct ipifc_ip dst;
	uint8_t reply[16] = { 0, 0, 0, 0, 0x12, 0x34, 0, 1 };
	char line[IPIFC_PINGLINE], ranges[64];
	int c = 3, w = 1;
	struct ipifc_pingflag f[] = {
		{ 'c', 1, 100, &c }, { 'W', 1, 600, &w },
	};

	(void)state;
	assert_int_equal(ipifc_ip_parse("192.0.2.1", &dst), 0);
	ipifc_pingrun_begin(&p, &dst, 0x1234, 2, 56, line, sizeof(line));
	assert_string_equal(line, "PING 192.0.2.1 56 data bytes\n");
	memset(&d, 0, sizeof(d));
	d.src = dst;
	d.proto = 1;
	d.ttl = 64;
	d.payload = reply;
	d.len = sizeof(reply);
	/* not sent yet */
	assert_int_equal(ipifc_pingrun_match(&p, &d, 5, line, sizeof(line)), 0);
	assert_int_equal(ipifc_pingrun_next(&p, 10), 1);
	assert_int_equal(ipifc_pingrun_match(&p, &d, 17, line, sizeof(line)),
	    IPIFC_PING_REPLY);
	assert_string_equal(line, "16 bytes from 192.0.2.1: icmp_seq=1 ttl=64 "
	    "time=7 ms\n");
	assert_int_equal(ipifc_pingrun_match(&p, &d, 18, line, sizeof(line)),
	    IPIFC_PING_REPLY);
	assert_non_null(strstr(line, "(DUP!)"));
	/* another identifier, or ICMPv6, is not this run's */
	reply[5] = 0x35;
	assert_int_equal(ipifc_pingrun_match(&p, &d, 19, line, sizeof(line)), 0);
	reply[5] = 0x34;
	d.proto = 58;
	assert_int_equal(ipifc_pingrun_match(&p, &d, 19, line, sizeof(line)), 0);
	assert_int_equal(ipifc_pingrun_next(&p, 20), 2);
	assert_int_equal(ipifc_pingrun_next(&p, 30), -1);
	ipifc_pingrun_end(&p, line, sizeof(line));
	assert_string_equal(line, "--- 192.0.2.1 ping statistics ---\n"
	    "2 packets transmitted, 1 received, +1 duplicates, "
	    "50% packet loss\n");

	assert_int_equal(ipifc_pingflag_set(f, 2, "-c", "100"), 0);
	assert_int_equal(c, 100);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-c", "101"), -1);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-W", "0"), -1);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-W", "+5"), -1);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-W", "99999999999"), -1);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-x", "1"), -1);
	assert_int_equal(ipifc_pingflag_set(f, 2, "-cc", "1"), -1);
	assert_int_equal(w, 1);
	ipifc_pingflag_fmt(f, 2, ranges, sizeof(ranges));
	assert_string_equal(ranges, "-c 1..100, -W 1..600");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regress_smoltcp_nd_pkt),
		cmocka_unit_test(test_pingrun),
		cmocka_unit_test_setup_teardown(test_proto_unreachable4, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_paramprob6, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_listener_takes_it, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_send_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_martians, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reply_follows_routes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_reply_header,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_checksums,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_promisc_other_host, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vlan_tagged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ext_headers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip4_options, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip4_options_llbcast,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_ip4_options_once,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_directed_bcast_out, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_forward_cksum, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip4_ts_overflow_deliver,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_proto_unreachable_llbcast, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_precedence, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ping_opt_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip4_record, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ip4_record_forward, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_icmp_error_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reassembly_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_older_querier, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reassembly_quota, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fragment_options, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_fragment6_routing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_reassembly6_maxlen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_atomic_fragment_exthdr,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_hbh_not_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_hbh_after_fragment, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nd_fragment_ignored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nd_group_lla, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dad_loopback_nonce, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_nbr_flood, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_anycast_na, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
