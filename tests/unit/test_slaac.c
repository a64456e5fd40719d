/*
 * The SLAAC engine (slaac/) through its API: events in, and assertions on
 * the actions that come out, to the millisecond.  RAs are made with
 * ipifc_nd_build, as a router would send them.
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

#include "slaac_int.h"
#include "wire.h"
#include "util.h"
#include "radvd_ra.h"

#define IFC	1
#define S	1000ull		/* ms */
#define H	(3600 * S)

static struct ipifc_slaac *E;
static uint64_t rstate;
static uint32_t rfixed_val;
static int	use_fixed;

static uint32_t
rnd(void *arg)
{
	if (use_fixed)
		return rfixed_val;
	rstate = rstate * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rstate >> 33);
}

static char	logbuf[8192];

static void
logline(void *arg, const char *s)
{
	size_t	 n = strlen(logbuf);

	snprintf(logbuf + n, sizeof(logbuf) - n, "%s\n", s);
}

#define MAXACTS	1024
static struct ipifc_slaac_act acts[MAXACTS];
static int	nacts;

static void
drain(void)
{
	nacts = 0;
	while (nacts < MAXACTS && ipifc_slaac_action(E, &acts[nacts]))
		nacts++;
}

static int
count(enum ipifc_slaac_act_type t)
{
	int	 i, n = 0;

	for (i = 0; i < nacts; i++)
		n += acts[i].type == t;
	return n;
}

/* The nth action of type t (from 0), or NULL. */
static const struct ipifc_slaac_act *
nth(enum ipifc_slaac_act_type t, int n)
{
	int	 i;

	for (i = 0; i < nacts; i++)
		if (acts[i].type == t && n-- == 0)
			return &acts[i];
	return NULL;
}

static const struct ipifc_slaac_act *
route(enum ipifc_slaac_act_type t, int kind, const char *dst, int srcplen)
{
	struct ipifc_ip d = ip(dst);
	int	 i;

	for (i = 0; i < nacts; i++)
		if (acts[i].type == t && acts[i].kind == kind &&
		    ipifc_ip_eq(&acts[i].addr, &d) &&
		    acts[i].srcplen == srcplen)
			return &acts[i];
	return NULL;
}

static const uint8_t mac1[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static struct ipifc_slaac_config cfg;

static int
setup(void **state)
{
	use_fixed = 0;
	rstate = 1;
	logbuf[0] = '\0';
	ipifc_slaac_config_default(&cfg);
	memcpy(cfg.secret, "0123456789abcdef", 16);
	cfg.secretlen = 16;
	strcpy(cfg.net_iface, "eth0");
	E = ipifc_slaac_new(rnd, NULL, logline, NULL);
	assert_non_null(E);
	return 0;
}

static int
teardown(void **state)
{
	ipifc_slaac_free(E);
	E = NULL;
	return 0;
}

/* Register IFC with cfg, link up with mac1 at now, RSs drained. */
static void
up(uint64_t now)
{
	assert_int_equal(ipifc_slaac_ifc_add(E, IFC, &cfg), 0);
	assert_int_equal(ipifc_slaac_link(E, IFC, 1, mac1, now), 0);
	assert_int_equal(ipifc_slaac_linklocal(E, IFC, 1, now), 0);
	drain();
}

/* ---- RAs ---- */

static struct ipifc_nd ra;

static void
ra_new(uint16_t rtrlife)
{
	memset(&ra, 0, sizeof(ra));
	ra.type = IPIFC_ND_RA;
	ra.rtrlife = rtrlife;
}

static void
ra_prefix(const char *pfx, int plen, uint8_t flags, uint32_t valid,
    uint32_t preferred)
{
	struct ipifc_nd_prefix *p = &ra.prefix[ra.nprefix++];

	p->prefix = ip(pfx);
	p->plen = (uint8_t)plen;
	p->flags = flags;
	p->valid = valid;
	p->preferred = preferred;
}

#define LA	(IPIFC_ND_PI_ONLINK | IPIFC_ND_PI_AUTO)

/* Send ra from router src at now, and drain the actions. */
static void
ra_send(const char *src, uint64_t now)
{
	static uint8_t b[4096];
	struct ipifc_ip s = ip(src), d = ip("ff02::1");
	int	 n;

	n = ipifc_nd_build(b, sizeof(b), &s, &d, &ra);
	assert_true(n > 0);
	assert_int_equal(ipifc_slaac_ra(E, IFC, &s, &d, 255, b, (size_t)n,
	    now), 0);
	drain();
}

/*
 * End the RS schedule at now without leaving a router: a router's RA
 * with a non-zero lifetime (RFC 4861 6.3.7), then its lifetime of 0.
 * For tests whose own RAs have a router lifetime of 0.
 */
static void
solicit_end(uint64_t now)
{
	ra_new(1800);
	ra_send("fe80::ff", now);
	ra_new(0);
	ra_send("fe80::ff", now);
}

/* Tick at now and drain. */
static void
tick(uint64_t now)
{
	ipifc_slaac_tick(E, now);
	drain();
}

/* The address of the nth ADDR_ADD, with DAD done ok. */
static struct ipifc_ip
added(int n)
{
	const struct ipifc_slaac_act *a = nth(IPIFC_SLAAC_ADDR_ADD, n);

	assert_non_null(a);
	return a->addr;
}

static void
dad_ok(const struct ipifc_ip *a, uint64_t now)
{
	assert_int_equal(ipifc_slaac_dad(E, IFC, a, 1, now), 0);
}

/* ---- SHA-256 ---- */

static void
sha(const void *p, size_t n, size_t reps, const char *hex)
{
	struct ipifc_slaac_sha256 s;
	uint8_t	 out[32];
	char	 got[65];
	size_t	 i;

	ipifc_slaac_sha256_init(&s);
	for (i = 0; i < reps; i++)
		ipifc_slaac_sha256_update(&s, p, n);
	ipifc_slaac_sha256_final(&s, out);
	for (i = 0; i < 32; i++)
		snprintf(got + 2 * i, 3, "%02x", out[i]);
	assert_string_equal(got, hex);
}

/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional") */
static void
test_sha256(void **state)
{
	sha("abc", 3, 1, "ba7816bf8f01cfea414140de5dae2223"
	    "b00361a396177a9cb410ff61f20015ad");
	sha("", 0, 1, "e3b0c44298fc1c149afbf4c8996fb924"
	    "27ae41e4649b934ca495991b7852b855");
	sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, 1,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	sha("a", 1, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67"
	    "f1809a48a497200e046d39ccc7112cd0");
	/* 55, 56 and 64 bytes: the padding's edges */
	sha("a", 1, 55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
	    "e9b0a925a5258e241c9f1e910f734318");
	sha("a", 1, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
	    "f439851db43d0ba5997337df154668eb");
}

static void
test_iid_reserved(void **state)
{
	static const uint8_t zero[8], anyc[8] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x80 };
	static const uint8_t notanyc[8] = {
		0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
	static const uint8_t pmip[8] = {
		0x02, 0x00, 0x5e, 0xff, 0xfe, 0x00, 0x52, 0x13 };
	static const uint8_t ok[8] = {
		0x02, 0x00, 0x5e, 0xff, 0xfd, 0x00, 0x52, 0x13 };

	assert_true(ipifc_slaac_iid_reserved(zero));
	assert_true(ipifc_slaac_iid_reserved(anyc));
	assert_false(ipifc_slaac_iid_reserved(notanyc));
	assert_true(ipifc_slaac_iid_reserved(pmip));
	assert_false(ipifc_slaac_iid_reserved(ok));
}

/* ---- RS: RFC 4861 6.3.7, RFC 7559 2 ---- */

static void
test_rs_schedule(void **state)
{
	uint64_t t, prev = 0, rt = 0, last = 0;
	int	 n = 0, capped = 0, inback, incap;

	assert_int_equal(ipifc_slaac_ifc_add(E, IFC, &cfg), 0);
	assert_int_equal(ipifc_slaac_next_deadline(E), UINT64_MAX);
	/* no link-local address yet: from :: without an SLLA (4.1) */
	assert_int_equal(ipifc_slaac_link(E, IFC, 1, mac1, 10 * S), 0);
	t = ipifc_slaac_next_deadline(E);
	assert_true(t >= 10 * S && t <= 11 * S);	/* random delay */
	tick(t - 1);
	assert_int_equal(nacts, 0);
	tick(t);
	assert_int_equal(nacts, 1);
	assert_int_equal(acts[0].type, IPIFC_SLAAC_SEND_RS);
	assert_int_equal(acts[0].ifc, IFC);
	assert_true(acts[0].unspec);
	assert_false(acts[0].slla);
	ipifc_slaac_linklocal(E, IFC, 1, t);
	prev = t;
	for (n = 2; n <= 40; n++) {
		t = ipifc_slaac_next_deadline(E);
		tick(t - 1);
		assert_int_equal(nacts, 0);
		tick(t);
		assert_int_equal(count(IPIFC_SLAAC_SEND_RS), 1);
		assert_false(acts[0].unspec);
		assert_true(acts[0].slla);
		assert_memory_equal(acts[0].mac, mac1, 6);
		if (n <= 3)		/* MAX_RTR_SOLICITATIONS at 4 s */
			assert_int_equal(t - prev, 4 * S);
		else {
			/* RT = 2 RTprev + RAND RTprev, |RAND| <= 0.1, or
			 * past the cap MRT + RAND MRT, never giving up */
			inback = t - prev >= 2 * rt - rt / 10 &&
			    t - prev <= 2 * rt + rt / 10;
			incap = t - prev >= 3600 * S - 360 * S &&
			    t - prev <= 3600 * S + 360 * S;
			assert_true(inback || incap);
			capped += incap;
		}
		rt = t - prev;
		prev = t;
	}
	assert_true(capped > 20);

	/* RFC 4861 6.3.7: an RA with a router lifetime of 0 does not stop
	 * it (it gives no default router) */
	last = ipifc_slaac_next_deadline(E);
	ra_new(0);
	ra_send("fe80::1", t + 1);
	assert_int_equal(ipifc_slaac_next_deadline(E), last);
	assert_null(strstr(logbuf, "solicit -> idle"));
	tick(last);
	assert_int_equal(count(IPIFC_SLAAC_SEND_RS), 1);
	t = last;
	/* a valid RA with a non-zero router lifetime does, and a later
	 * lifetime of 0 does not start it again */
	ra_new(1800);
	ra_send("fe80::1", t + 1);
	assert_non_null(strstr(logbuf, "ifc 1: solicit -> idle\n"));
	ra_new(0);
	ra_send("fe80::1", t + 2);
	assert_int_equal(ipifc_slaac_next_deadline(E), UINT64_MAX);
	tick(t + 100 * H);
	assert_int_equal(nacts, 0);

	/* an RA that fails validation does not */
	ipifc_slaac_link(E, IFC, 0, mac1, t + 101 * H);
	ipifc_slaac_link(E, IFC, 1, mac1, t + 101 * H);
	last = ipifc_slaac_next_deadline(E);
	assert_true(last <= t + 101 * H + S);
	{
		uint8_t	 b[64];
		struct ipifc_ip s = ip("fe80::1"), d = ip("ff02::1");
		int	 len;

		ra_new(0);
		len = ipifc_nd_build(b, sizeof(b), &s, &d, &ra);
		assert_int_equal(ipifc_slaac_ra(E, IFC, &s, &d, 254, b,
		    (size_t)len, last - 1), 0);	/* hop limit 254 */
		b[3] ^= 1;			/* checksum */
		assert_int_equal(ipifc_slaac_ra(E, IFC, &s, &d, 255, b,
		    (size_t)len, last - 1), 0);
	}
	assert_int_equal(ipifc_slaac_stats(E)->ra_bad, 2);
	tick(last);
	assert_int_equal(count(IPIFC_SLAAC_SEND_RS), 1);
	/* link down: silence */
	ipifc_slaac_link(E, IFC, 0, mac1, last);
	assert_int_equal(ipifc_slaac_next_deadline(E), UINT64_MAX);
}

/* With RAND at its lowest, the schedule to the millisecond. */
static void
test_rs_exact(void **state)
{
	static const uint64_t want[] = {
		/* delay 0, 4 s, 4 s, then 2 RT - RT/10 from 4 s */
		0, 4000, 8000, 8000 + 7600, 15600 + 14440, 30040 + 27436,
	};
	uint64_t t = 0;
	size_t	 i;

	use_fixed = 1;
	rfixed_val = 0;
	assert_int_equal(ipifc_slaac_ifc_add(E, IFC, &cfg), 0);
	ipifc_slaac_link(E, IFC, 1, mac1, 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		t = ipifc_slaac_next_deadline(E);
		assert_int_equal(t, want[i]);
		tick(t);
		assert_int_equal(count(IPIFC_SLAAC_SEND_RS), 1);
	}
}

/* ---- prefixes: RFC 4862 5.5.3 ---- */

static void
test_prefix_a_b_c_d(void **state)
{
	const struct ipifc_slaac_act *a;

	up(0);
	/* (a) no A flag: an on-link route, no address */
	ra_new(0);
	ra_prefix("2001:db8:a::", 64, IPIFC_ND_PI_ONLINK, 3600, 1800);
	ra_send("fe80::1", S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_ONLINK,
	    "2001:db8:a::", 0);
	assert_non_null(a);
	assert_int_equal(a->plen, 64);
	assert_int_equal(a->lifetime, 3600);
	/* (b) the link-local prefix */
	ra_new(0);
	ra_prefix("fe80::", 64, LA, 3600, 1800);
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	assert_int_equal(ipifc_slaac_stats(E)->prefix_ignored, 1);
	/* (c) preferred over valid */
	ra_new(0);
	ra_prefix("2001:db8:c::", 64, IPIFC_ND_PI_AUTO, 100, 200);
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	assert_int_equal(ipifc_slaac_stats(E)->prefix_ignored, 2);
	/* (d) a new prefix with a valid lifetime of 0: nothing */
	ra_new(0);
	ra_prefix("2001:db8:d::", 64, IPIFC_ND_PI_AUTO, 0, 0);
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	/* (d) a prefix length that does not fit a 64-bit identifier */
	ra_new(0);
	ra_prefix("2001:db8:d::", 48, IPIFC_ND_PI_AUTO, 100, 50);
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	assert_int_equal(ipifc_slaac_stats(E)->prefix_badlen, 1);
	/* (d) formed: prefix + the stable identifier, its lifetimes */
	ra_new(0);
	ra_prefix("2001:db8:d::", 64, IPIFC_ND_PI_AUTO, 100, 50);
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 1);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_non_null(a);
	assert_true(ipifc_ip_inprefix(&a->addr, &(struct ipifc_ip){
	    { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0d } }, 64));
	assert_int_equal(a->plen, 64);
	assert_int_equal(a->valid, 100);
	assert_int_equal(a->preferred, 50);
	assert_int_equal(a->how, IPIFC_SLAAC_STABLE);
	assert_false(a->optimistic);
}

/* (e): the two-hour rule, each of its three cases, and turned off */
static void
test_prefix_e_twohour(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x;

	up(0);
	solicit_end(0);
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 10 * 3600, 3600);
	ra_send("fe80::1", 0);
	x = added(0);
	dad_ok(&x, 0);
	/* 1: more than two hours: taken */
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 3 * 3600, 3600);
	ra_send("fe80::1", S);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_non_null(a);
	assert_int_equal(a->valid, 3 * 3600);
	/* 3: one hour, three remain: two hours */
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 3600, 600);
	ra_send("fe80::1", S);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_int_equal(a->valid, 2 * 3600);
	assert_int_equal(a->preferred, 600);
	/* 1: more than what remains (an hour later: one hour left) */
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 5400, 600);
	ra_send("fe80::1", S + H);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_int_equal(a->valid, 5400);
	/* 2: 1.5 h remain, under two hours: 10 s is ignored, and 0 too */
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 10, 0);
	ra_send("fe80::1", S + H);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_non_null(a);
	assert_int_equal(a->valid, 5400);
	assert_int_equal(a->preferred, 0);	/* deprecated at once */
	assert_non_null(strstr(logbuf, ": preferred -> deprecated\n"));
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 0, 0);
	ra_send("fe80::1", S + H);
	assert_int_equal(nacts, 0);
	/* nothing happens until its end, 5400 s after S + H */
	tick(S + H + 5400 * S - 1);
	assert_int_equal(nacts, 0);
	tick(S + H + 5400 * S);
	assert_int_equal(nacts, 1);
	a = nth(IPIFC_SLAAC_ADDR_REMOVE, 0);
	assert_non_null(a);
	assert_true(ipifc_ip_eq(&a->addr, &x));
}

static void
test_prefix_twohour_off(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x;

	cfg.twohour = 0;
	up(0);
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 10 * 3600, 3600);
	ra_send("fe80::1", 0);
	x = added(0);
	dad_ok(&x, 0);
	ra_new(0);
	ra_prefix("2001:db8:e::", 64, IPIFC_ND_PI_AUTO, 0, 0);
	ra_send("fe80::1", S);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_non_null(a);
	assert_int_equal(a->valid, 0);
	tick(S);
	assert_non_null(nth(IPIFC_SLAAC_ADDR_REMOVE, 0));
}

/* Lifetimes count down to a deprecation and a removal at the right ms. */
static void
test_lifetimes(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x;

	up(0);
	solicit_end(0);
	ra_new(0);
	ra_prefix("2001:db8:1::", 64, LA, 100, 50);
	ra_send("fe80::1", 7);
	x = added(0);
	dad_ok(&x, 500);
	assert_int_equal(ipifc_slaac_next_deadline(E), 7 + 50 * S);
	tick(6 + 50 * S);
	assert_int_equal(nacts, 0);
	tick(7 + 50 * S);
	assert_int_equal(nacts, 1);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_non_null(a);
	assert_int_equal(a->preferred, 0);
	assert_int_equal(a->valid, 50);
	assert_int_equal(ipifc_slaac_next_deadline(E), 7 + 100 * S);
	tick(6 + 100 * S);
	assert_int_equal(nacts, 0);
	tick(7 + 100 * S);
	/* the address and the on-link route end together */
	assert_int_equal(nacts, 2);
	assert_non_null(nth(IPIFC_SLAAC_ADDR_REMOVE, 0));
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_ONLINK, "2001:db8:1::", 0));
	assert_int_equal(ipifc_slaac_next_deadline(E), UINT64_MAX);
	assert_non_null(strstr(logbuf, "ifc 1 prefix 2001:db8:1::/64: "
	    "valid -> free\n"));
}

/* ---- routers ---- */

static void
test_router_lifetime0(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x;

	up(0);
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	ra.nroute = 1;
	ra.route[0].prefix = ip("2001:db8:99::");
	ra.route[0].plen = 48;
	ra.route[0].prf = IPIFC_ND_PRF_HIGH;
	ra.route[0].lifetime = 900;
	ra.nrdnss = 1;
	ra.rdnss[0].addr = ip("2001:db8::53");
	ra.rdnss[0].lifetime = 900;
	ra_send("fe80::1", 0);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 0);
	assert_non_null(a);
	assert_true(ipifc_ip_eq(&a->gw, &(struct ipifc_ip){ { 0xfe, 0x80,
	    [15] = 1 } }));
	assert_int_equal(a->lifetime, 1800);
	assert_int_equal(a->prf, 0);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC,
	    "2001:db8:99::", 0));
	x = added(0);
	dad_ok(&x, 0);
	drain();
	/* a lifetime of 0 withdraws the default route(s) of that router
	 * only: its RFC 4191 route, prefix, address and server stay */
	ra_new(0);
	ra_send("fe80::1", S);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_REMOVE), nacts);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_DEFAULT, "::", 0));
	for (int i = 0; i < nacts; i++)
		assert_int_equal(acts[i].kind, IPIFC_SLAAC_RT_DEFAULT);
	tick(899 * S);
	assert_int_equal(nacts, 0);
	tick(900 * S);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_MORESPEC, "2001:db8:99::", 0));
	assert_non_null(nth(IPIFC_SLAAC_DNS_SERVER, 0));
	assert_int_equal(count(IPIFC_SLAAC_ADDR_REMOVE), 0);
	/* and a router lifetime that ends removes it too */
	ra_new(30);
	ra_send("fe80::2", 1000 * S);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 0));
	tick(1030 * S - 1);
	assert_int_equal(nacts, 0);
	tick(1030 * S);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_DEFAULT, "::", 0));
	assert_non_null(strstr(logbuf, "ifc 1 router fe80::2: default -> "
	    "free\n"));
}

/* RFC 4191: router preference and route information */
static void
test_rfc4191(void **state)
{
	const struct ipifc_slaac_act *a;

	up(0);
	ra_new(600);
	ra.flags = IPIFC_ND_PRF_LOW << IPIFC_ND_RA_PRFSHIFT;
	ra.nroute = 2;
	ra.route[0].prefix = ip("2001:db8:5::");
	ra.route[0].plen = 48;
	ra.route[0].prf = IPIFC_ND_PRF_HIGH;
	ra.route[0].lifetime = 300;
	ra.route[1].prefix = ip("::");
	ra.route[1].plen = 0;
	ra.route[1].prf = IPIFC_ND_PRF_MEDIUM;
	ra.route[1].lifetime = IPIFC_SLAAC_INFINITE;
	ra_send("fe80::1", 0);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 0);
	assert_int_equal(a->prf, -1);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC,
	    "2001:db8:5::", 0);
	assert_non_null(a);
	assert_int_equal(a->plen, 48);
	assert_int_equal(a->prf, 1);
	assert_int_equal(a->lifetime, 300);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC, "::", 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, IPIFC_SLAAC_INFINITE);
	/* the same again: lifetimes refreshed, nothing to tell */
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	/* preferences changed: told again */
	ra.flags = IPIFC_ND_PRF_HIGH << IPIFC_ND_RA_PRFSHIFT;
	ra.route[0].prf = IPIFC_ND_PRF_LOW;
	ra_send("fe80::1", 2 * S);
	assert_int_equal(nacts, 2);
	assert_int_equal(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 0)->prf, 1);
	assert_int_equal(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC,
	    "2001:db8:5::", 0)->prf, -1);
	/* a lifetime of 0 removes a route; the same from another router is
	 * another route */
	ra.route[0].lifetime = 0;
	ra.nroute = 1;
	ra_send("fe80::2", 3 * S);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_REMOVE), 0);
	ra_send("fe80::1", 3 * S);
	a = route(IPIFC_SLAAC_ROUTE_REMOVE, IPIFC_SLAAC_RT_MORESPEC,
	    "2001:db8:5::", 0);
	assert_non_null(a);
	assert_int_equal(a->gw.a[15], 1);
}

/* RFC 8028: default routes limited to the addresses of each router's
 * prefixes, beside the any-source ones */
static void
test_rfc8028(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x1, x2;

	up(0);
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	x1 = added(0);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 64);
	assert_non_null(a);
	assert_int_equal(a->gw.a[15], 1);
	assert_int_equal(a->src.a[5], 1);
	assert_int_equal(a->lifetime, 1800);	/* the router's */
	assert_non_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 0));
	ra_new(1800);
	ra_prefix("2001:db8:2::", 64, LA, 7200, 3600);
	ra_send("fe80::2", 100 * S);
	x2 = added(0);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 64);
	assert_int_equal(a->lifetime, 1800);
	assert_non_null(a);
	assert_int_equal(a->gw.a[15], 2);
	assert_int_equal(a->src.a[5], 2);
	dad_ok(&x1, 0);
	dad_ok(&x2, 100 * S);
	/* router 1 leaves: its two default routes go, router 2's stay */
	ra_new(0);
	ra_send("fe80::1", 101 * S);
	assert_int_equal(nacts, 2);
	a = route(IPIFC_SLAAC_ROUTE_REMOVE, IPIFC_SLAAC_RT_DEFAULT, "::", 64);
	assert_non_null(a);
	assert_int_equal(a->gw.a[15], 1);
	assert_int_equal(a->src.a[5], 1);
}

/* ---- DNS and the rest ---- */

static void
test_rdnss_kept(void **state)
{
	const struct ipifc_slaac_act *a;

	up(0);
	ra_new(1800);
	ra.nrdnss = 1;
	ra.rdnss[0].addr = ip("2001:db8::53");
	ra.rdnss[0].lifetime = 600;
	ra.ndnssl = 1;
	strcpy(ra.dnssl[0].name, "example.com");
	ra.dnssl[0].lifetime = 300;
	ra_send("fe80::1", 0);
	a = nth(IPIFC_SLAAC_DNS_SERVER, 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, 600);
	a = nth(IPIFC_SLAAC_DNS_DOMAIN, 0);
	assert_string_equal(a->text, "example.com");
	assert_int_equal(a->lifetime, 300);
	/* an RA without them keeps them */
	ra_new(1800);
	ra_send("fe80::1", 100 * S);
	assert_int_equal(nacts, 0);
	tick(300 * S);
	a = nth(IPIFC_SLAAC_DNS_DOMAIN, 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, 0);
	assert_int_equal(count(IPIFC_SLAAC_DNS_SERVER), 0);
	tick(600 * S);
	a = nth(IPIFC_SLAAC_DNS_SERVER, 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, 0);
	/* a lifetime of 0 removes at once */
	ra_new(1800);
	ra.nrdnss = 1;
	ra.rdnss[0].addr = ip("2001:db8::54");
	ra.rdnss[0].lifetime = 600;
	ra_send("fe80::1", 700 * S);
	ra.rdnss[0].lifetime = 0;
	ra_send("fe80::1", 701 * S);
	a = nth(IPIFC_SLAAC_DNS_SERVER, 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, 0);
}

static void
test_options(void **state)
{
	const struct ipifc_slaac_act *a;

	up(0);
	ra_new(1800);
	ra.curhlim = 64;
	ra.reachable = 30000;
	ra.retrans = 1500;
	ra.has = IPIFC_ND_HAS_MTU | IPIFC_ND_HAS_SLLA | IPIFC_ND_HAS_CAPTIVE;
	ra.mtu = 1400;
	memcpy(ra.slla, "\2\0\0\0\0\xfe", 6);
	ra.captive = (const uint8_t *)"https://portal.example/";
	ra.captivelen = 23;
	ra.npref64 = 1;
	ra.pref64[0].prefix = ip("64:ff9b::");
	ra.pref64[0].plen = 96;
	ra.pref64[0].lifetime = 1800;
	ra_send("fe80::1", 0);
	assert_int_equal(nth(IPIFC_SLAAC_SET_HOPLIMIT, 0)->value, 64);
	assert_int_equal(nth(IPIFC_SLAAC_SET_REACHABLE, 0)->value, 30000);
	assert_int_equal(nth(IPIFC_SLAAC_SET_RETRANS, 0)->value, 1500);
	assert_int_equal(nth(IPIFC_SLAAC_SET_MTU, 0)->value, 1400);
	a = nth(IPIFC_SLAAC_NBR_STALE, 0);
	assert_non_null(a);
	assert_int_equal(a->addr.a[15], 1);
	assert_memory_equal(a->mac, "\2\0\0\0\0\xfe", 6);
	assert_string_equal(nth(IPIFC_SLAAC_CAPTIVE, 0)->text,
	    "https://portal.example/");
	a = nth(IPIFC_SLAAC_PREF64, 0);
	assert_int_equal(a->plen, 96);
	assert_int_equal(a->lifetime, 1800);
	/* the same RA again: only the neighbor entry is refreshed */
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 1);
	assert_int_equal(count(IPIFC_SLAAC_NBR_STALE), 1);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_ADD), 0);
	/* 6.3.4: an MTU under 1280 is not used */
	ra.mtu = 1000;
	ra.has = IPIFC_ND_HAS_MTU;
	ra_send("fe80::1", S);
	assert_int_equal(nacts, 0);
	assert_int_equal(ipifc_slaac_stats(E)->mtu_bad, 1);
	/* the PREF64 ends with its lifetime, counted from the last RA */
	tick(1801 * S - 1);
	assert_int_equal(count(IPIFC_SLAAC_PREF64), 0);
	tick(1801 * S);
	a = nth(IPIFC_SLAAC_PREF64, 0);
	assert_non_null(a);
	assert_int_equal(a->lifetime, 0);
}

/* ---- identifiers and DAD ---- */

/* RFC 7217 5 as slaac/iid.c documents it, computed here */
static struct ipifc_ip
stable_id(const char *pfx, int ctr, const char *netid)
{
	struct ipifc_slaac_sha256 s;
	struct ipifc_ip a = ip(pfx);
	uint8_t	 h[32], c = (uint8_t)ctr;

	ipifc_slaac_sha256_init(&s);
	ipifc_slaac_sha256_update(&s, a.a, 8);
	ipifc_slaac_sha256_update(&s, "eth0", 4);
	ipifc_slaac_sha256_update(&s, netid, strlen(netid));
	ipifc_slaac_sha256_update(&s, &c, 1);
	ipifc_slaac_sha256_update(&s, "0123456789abcdef", 16);
	ipifc_slaac_sha256_final(&s, h);
	memcpy(a.a + 8, h, 8);
	return a;
}

static struct ipifc_ip
stable(const char *pfx, int ctr)
{
	return stable_id(pfx, ctr, "");
}

/* A Network_ID (RFC 7217 5) makes another identifier. */
static void
test_stable_network_id(void **state)
{
	struct ipifc_ip x, want = stable_id("2001:db8:7::", 0, "cafe-wifi");

	memcpy(cfg.network_id, "cafe-wifi", 9);
	cfg.network_idlen = 9;
	up(0);
	ra_new(0);
	ra_prefix("2001:db8:7::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	x = added(0);
	assert_true(ipifc_ip_eq(&x, &want));
	want = stable("2001:db8:7::", 0);
	assert_false(ipifc_ip_eq(&x, &want));
}

static void
test_stable_dad_retry(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip x, want;
	int	 i;

	up(0);
	ra_new(0);
	ra_prefix("2001:db8:7::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	x = added(0);
	want = stable("2001:db8:7::", 0);
	assert_true(ipifc_ip_eq(&x, &want));
	/* each failure: removed, and the next DAD_Counter tried */
	for (i = 1; i <= IPIFC_SLAAC_IDGEN_RETRIES; i++) {
		assert_int_equal(ipifc_slaac_dad(E, IFC, &x, 0, i * S), 0);
		drain();
		assert_int_equal(nacts, 2);
		a = nth(IPIFC_SLAAC_ADDR_REMOVE, 0);
		assert_true(ipifc_ip_eq(&a->addr, &x));
		x = added(0);
		want = stable("2001:db8:7::", i);
		assert_true(ipifc_ip_eq(&x, &want));
		assert_int_equal(nth(IPIFC_SLAAC_ADDR_ADD, 0)->valid,
		    7200 - i);
	}
	/* then it gives up */
	assert_int_equal(ipifc_slaac_dad(E, IFC, &x, 0, 10 * S), 0);
	drain();
	assert_int_equal(nacts, 1);
	assert_non_null(nth(IPIFC_SLAAC_ADDR_REMOVE, 0));
	assert_int_equal(ipifc_slaac_stats(E)->dad_giveup, 1);
	assert_int_equal(ipifc_slaac_stats(E)->dad_failed, 4);
	/* and the next RA does not try again */
	ra_send("fe80::1", 20 * S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
	/* a DAD result for an address it never proposed is refused */
	x = ip("2001:db8:7::1");
	assert_int_equal(ipifc_slaac_dad(E, IFC, &x, 1, 20 * S), -ENOENT);
}

static void
test_eui64_optimistic(void **state)
{
	const struct ipifc_slaac_act *a;
	static const uint8_t mac2[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct ipifc_ip want1 = ip("2001:db8:7::ff:fe00:1");
	struct ipifc_ip want2 = ip("2001:db8:7::ff:fe00:2");

	cfg.iid = IPIFC_SLAAC_IID_EUI64;
	cfg.optimistic = 1;
	up(0);
	ra_new(1800);
	ra.has |= IPIFC_ND_HAS_SLLA;	/* RFC 4429 3.1: its router known */
	memcpy(ra.slla, mac2, 6);
	ra_prefix("2001:db8:7::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_non_null(a);
	assert_true(ipifc_ip_eq(&a->addr, &want1));
	assert_int_equal(a->how, IPIFC_SLAAC_EUI64);
	assert_true(a->optimistic);
	/* a new MAC: the old address goes, RSs go out, the next RA forms
	 * the new one */
	ipifc_slaac_link(E, IFC, 1, mac2, S);
	drain();
	assert_int_equal(nacts, 2);
	assert_non_null(nth(IPIFC_SLAAC_ADDR_REMOVE, 0));
	/* RFC 8028: the prefix has no address left, nor its route */
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_DEFAULT, "::", 64));
	assert_true(ipifc_slaac_next_deadline(E) <= 2 * S);
	ra_send("fe80::1", 2 * S);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_true(ipifc_ip_eq(&a->addr, &want2));
	/* an EUI-64 duplicate is not retried (RFC 4862 5.4.5) */
	assert_int_equal(ipifc_slaac_dad(E, IFC, &a->addr, 0, 3 * S), 0);
	drain();
	assert_int_equal(count(IPIFC_SLAAC_ADDR_REMOVE), 1);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
	/* and the RFC 8028 route of the prefix, which has no address */
	assert_non_null(route(IPIFC_SLAAC_ROUTE_REMOVE,
	    IPIFC_SLAAC_RT_DEFAULT, "::", 64));
	ra_send("fe80::1", 4 * S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
}

/*
 * RFC 4429 3.1: a host that does not know its router's link-layer
 * address (no SLLA in the router's RA) does not make an address
 * optimistic; the next one, after an RA with the SLLA, is.
 */
static void
test_optimistic_slla(void **state)
{
	const struct ipifc_slaac_act *a;

	cfg.optimistic = 1;
	up(0);
	ra_new(1800);
	ra_prefix("2001:db8:7::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_non_null(a);
	assert_false(a->optimistic);
	ra.has |= IPIFC_ND_HAS_SLLA;
	memcpy(ra.slla, mac1, 6);
	ra.slla[5] = 9;
	ra_prefix("2001:db8:8::", 64, LA, 7200, 3600);
	ra_send("fe80::1", S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 1);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_true(a->optimistic);
}

/* Routes only: no address is formed. */
static void
test_routes_only(void **state)
{
	cfg.form_addrs = 0;
	up(0);
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	ra_send("fe80::1", 0);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
	assert_non_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_ONLINK,
	    "2001:db8:1::", 0));
	assert_non_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 0));
	/* no address, so no RFC 8028 route */
	assert_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 64));
}

/* ---- RFC 8981 temporary addresses ---- */

static void
test_temporary(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip pub, t1, t2;
	uint64_t regen, t1pref, now;

	cfg.temporary = 1;
	cfg.temp_preferred = 1000;
	cfg.temp_valid = 3000;
	up(0);
	solicit_end(0);
	ra_new(0);
	ra_prefix("2001:db8:1::", 64, LA, IPIFC_SLAAC_INFINITE,
	    IPIFC_SLAAC_INFINITE);
	ra_send("fe80::1", 0);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 2);
	pub = added(0);
	t1 = added(1);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 1);
	assert_int_equal(a->how, IPIFC_SLAAC_TEMPORARY);
	assert_int_equal(a->valid, 3000);
	/* TEMP_PREFERRED_LIFETIME - DESYNC_FACTOR, at most 0.4 of it */
	assert_true(a->preferred <= 1000 && a->preferred >= 600);
	assert_int_equal(a->plen, 64);
	assert_false(ipifc_ip_eq(&pub, &t1));
	assert_true(ipifc_ip_inprefix(&t1, &pub, 64));
	t1pref = a->preferred * S;
	dad_ok(&pub, 0);
	dad_ok(&t1, 0);
	/* REGEN_ADVANCE = 2 + 3 * 1 * 1 s before it is deprecated */
	regen = t1pref - 5 * S;
	assert_int_equal(ipifc_slaac_next_deadline(E), regen);
	tick(regen - 1);
	assert_int_equal(nacts, 0);
	tick(regen);
	assert_int_equal(nacts, 1);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_non_null(a);
	assert_int_equal(a->how, IPIFC_SLAAC_TEMPORARY);
	t2 = a->addr;
	assert_false(ipifc_ip_eq(&t1, &t2));
	dad_ok(&t2, regen);
	/* the first one deprecated on time, removed at 3000 s */
	tick(t1pref);
	a = nth(IPIFC_SLAAC_ADDR_UPDATE, 0);
	assert_non_null(a);
	assert_true(ipifc_ip_eq(&a->addr, &t1));
	assert_int_equal(a->preferred, 0);
	assert_int_equal(a->valid, 3000 - t1pref / S);
	/* an RA does not lengthen a temporary address past its bounds */
	ra_send("fe80::1", t1pref + S);
	for (int i = 0; i < nacts; i++)
		assert_false(acts[i].type == IPIFC_SLAAC_ADDR_UPDATE &&
		    ipifc_ip_eq(&acts[i].addr, &t1));
	/* run on: t1 removed at 3000 s, never more than 2 live temps */
	for (now = t1pref + S; now < 3000 * S; now =
	    ipifc_slaac_next_deadline(E)) {
		tick(now);
		assert_int_equal(count(IPIFC_SLAAC_ADDR_REMOVE), 0);
		if ((a = nth(IPIFC_SLAAC_ADDR_ADD, 0)) != NULL)
			dad_ok(&a->addr, now);
	}
	assert_int_equal(now, 3000 * S);
	tick(now);
	a = nth(IPIFC_SLAAC_ADDR_REMOVE, 0);
	assert_non_null(a);
	assert_true(ipifc_ip_eq(&a->addr, &t1));
}


/* The operator's addresses are never proposed, and a proposal that
 * becomes one is never removed. */
/*
 * RFC 8981 3.8: DESYNC_FACTOR is below TEMP_PREFERRED_LIFETIME -
 * REGEN_ADVANCE, so that a temporary address can be made at all: with
 * TEMP_PREFERRED_LIFETIME 8 s and REGEN_ADVANCE 5 s, 0.4 of 8 s (3 s)
 * is too much.
 */
static void
test_desync_bound(void **state)
{
	const struct ipifc_slaac_act *a;

	cfg.temporary = 1;
	cfg.temp_preferred = 8;
	cfg.temp_valid = 100;
	up(0);
	solicit_end(0);
	use_fixed = 1;
	rfixed_val = 3;		/* the largest draw in [0, 4) */
	ra_new(0);
	ra_prefix("2001:db8:1::", 64, LA, IPIFC_SLAAC_INFINITE,
	    IPIFC_SLAAC_INFINITE);
	ra_send("fe80::1", 0);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 2);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 1);
	assert_int_equal(a->how, IPIFC_SLAAC_TEMPORARY);
	assert_true(a->preferred > 5 && a->preferred <= 8);
}

static void
test_user_addr(void **state)
{
	struct ipifc_ip u0 = stable("2001:db8:7::", 0), x, want;

	up(0);
	solicit_end(0);
	assert_int_equal(ipifc_slaac_user_addr(E, IFC, &u0, 1, 0), 0);
	ra_new(0);
	ra_prefix("2001:db8:7::", 64, IPIFC_ND_PI_AUTO, 100, 100);
	ra_send("fe80::1", 0);
	x = added(0);
	want = stable("2001:db8:7::", 1);
	assert_true(ipifc_ip_eq(&x, &want));
	/* the operator takes it: forgotten, not removed */
	assert_int_equal(ipifc_slaac_user_addr(E, IFC, &x, 1, S), 0);
	drain();
	assert_int_equal(nacts, 0);
	ra_send("fe80::1", 2 * S);
	x = added(0);
	want = stable("2001:db8:7::", 2);
	assert_true(ipifc_ip_eq(&x, &want));
	dad_ok(&x, 2 * S);
	tick(102 * S);
	assert_int_equal(nacts, 1);
	assert_true(ipifc_ip_eq(&nth(IPIFC_SLAAC_ADDR_REMOVE, 0)->addr, &x));
	/* no more than the bound, and a removal frees a place */
	for (int i = 2; i < IPIFC_SLAAC_MAXUSER; i++) {
		x.a[15] = (uint8_t)i;
		assert_int_equal(ipifc_slaac_user_addr(E, IFC, &x, 1, S), 0);
	}
	x.a[15] = 0xff;
	assert_int_equal(ipifc_slaac_user_addr(E, IFC, &x, 1, S), -ENOSPC);
	assert_int_equal(ipifc_slaac_user_addr(E, IFC, &u0, 0, S), 0);
	assert_int_equal(ipifc_slaac_user_addr(E, IFC, &x, 1, S), 0);
}

/* Temporary addresses on or off per prefix. */
static void
test_temporary_per_prefix(void **state)
{
	struct ipifc_ip p1 = ip("2001:db8:1::"), p2 = ip("2001:db8:2::");
	const struct ipifc_slaac_act *a;
	int	 i;

	cfg.temporary = 1;
	up(0);
	assert_int_equal(ipifc_slaac_prefix_temporary(E, IFC, &p1, 64, 0, 0),
	    0);
	ra_new(0);
	ra_prefix("2001:db8:1::", 64, IPIFC_ND_PI_AUTO, 7200, 3600);
	ra_prefix("2001:db8:2::", 64, IPIFC_ND_PI_AUTO, 7200, 3600);
	ra_send("fe80::1", 0);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 3);
	for (i = 0; i < 3; i++) {
		a = nth(IPIFC_SLAAC_ADDR_ADD, i);
		if (a->how == IPIFC_SLAAC_TEMPORARY)
			assert_true(ipifc_ip_inprefix(&a->addr, &p2, 64));
	}
	/* off: its temporary address goes */
	assert_int_equal(ipifc_slaac_prefix_temporary(E, IFC, &p2, 64, 0, S),
	    0);
	drain();
	assert_int_equal(nacts, 1);
	a = nth(IPIFC_SLAAC_ADDR_REMOVE, 0);
	assert_int_equal(a->how, IPIFC_SLAAC_TEMPORARY);
	assert_true(ipifc_ip_inprefix(&a->addr, &p2, 64));
	ra_send("fe80::1", 2 * S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 0);
	/* on: the next RA makes one */
	assert_int_equal(ipifc_slaac_prefix_temporary(E, IFC, &p1, 64, 1,
	    3 * S), 0);
	ra_send("fe80::1", 3 * S);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 1);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_int_equal(a->how, IPIFC_SLAAC_TEMPORARY);
	assert_true(ipifc_ip_inprefix(&a->addr, &p1, 64));
	assert_int_equal(ipifc_slaac_prefix_temporary(E, IFC, &p1, 129, 1,
	    3 * S), -EINVAL);
}

/* What the engine makes of an RA radvd sent (tests/unit/radvd_ra.h). */
static void
test_radvd(void **state)
{
	const struct ipifc_slaac_act *a;
	struct ipifc_ip6 h;
	struct ipifc_ip want = stable("2001:db8:1::", 0);

	up(0);
	assert_int_equal(ipifc_ip6_parse(radvd_ra + 14, sizeof(radvd_ra) - 14,
	    &h), 0);
	assert_int_equal(ipifc_slaac_ra(E, IFC, &h.src, &h.dst, h.hlim,
	    h.payload, h.plen, 100), 0);
	drain();
	assert_int_equal(nth(IPIFC_SLAAC_SET_HOPLIMIT, 0)->value, 64);
	assert_int_equal(nth(IPIFC_SLAAC_SET_MTU, 0)->value, 1480);
	a = nth(IPIFC_SLAAC_NBR_STALE, 0);
	assert_true(ipifc_ip_eq(&a->addr, &h.src));
	assert_memory_equal(a->mac, "\2\0\0\0\0\xfe", 6);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 0);
	assert_int_equal(a->prf, 1);
	assert_int_equal(a->lifetime, 12);
	assert_true(ipifc_ip_eq(&a->gw, &h.src));
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT, "::", 64);
	assert_int_equal(a->lifetime, 12);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_MORESPEC,
	    "2001:db8:99::", 0);
	assert_int_equal(a->plen, 48);
	assert_int_equal(a->prf, -1);
	assert_int_equal(a->lifetime, 1800);
	a = route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_ONLINK,
	    "2001:db8:1::", 0);
	assert_int_equal(a->lifetime, 86400);
	a = nth(IPIFC_SLAAC_ADDR_ADD, 0);
	assert_true(ipifc_ip_eq(&a->addr, &want));
	assert_int_equal(a->valid, 86400);
	assert_int_equal(a->preferred, 14400);
	assert_int_equal(count(IPIFC_SLAAC_DNS_SERVER), 2);
	assert_int_equal(count(IPIFC_SLAAC_DNS_DOMAIN), 2);
	assert_string_equal(nth(IPIFC_SLAAC_DNS_DOMAIN, 1)->text,
	    "lab.example.org");
	assert_int_equal(nacts, 12);
}

/* Interfaces are apart: an RA on one changes nothing on another. */
static void
test_interfaces(void **state)
{
	struct ipifc_ip s = ip("fe80::1"), d = ip("ff02::1");
	uint8_t	 b[256];
	unsigned id;
	int	 n;

	up(0);
	assert_int_equal(ipifc_slaac_ifc_add(E, 2, &cfg), 0);
	ipifc_slaac_link(E, 2, 1, mac1, 0);
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	n = ipifc_nd_build(b, sizeof(b), &s, &d, &ra);
	assert_int_equal(ipifc_slaac_ra(E, 2, &s, &d, 255, b, (size_t)n, 0),
	    0);
	drain();
	for (int i = 0; i < nacts; i++)
		assert_int_equal(acts[i].ifc, 2);
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 1);
	/* interface 1 still solicits; 2 does not */
	tick(S);
	assert_int_equal(nacts, 1);
	assert_int_equal(acts[0].type, IPIFC_SLAAC_SEND_RS);
	assert_int_equal(acts[0].ifc, IFC);
	/* an RA for no interface is counted */
	assert_int_equal(ipifc_slaac_ra(E, 99, &s, &d, 255, b, (size_t)n, 0),
	    -ENOENT);
	assert_int_equal(ipifc_slaac_stats(E)->ra_unknownifc, 1);
	/* an ND message that is not an RA is counted too */
	memset(&ra, 0, sizeof(ra));
	ra.type = IPIFC_ND_RS;
	n = ipifc_nd_build(b, sizeof(b), &s, &d, &ra);
	assert_int_equal(ipifc_slaac_ra(E, 2, &s, &d, 255, b, (size_t)n, 0),
	    0);
	assert_int_equal(ipifc_slaac_stats(E)->ra_notra, 1);
	/* the bound on interfaces */
	for (id = 3; id < 3 + IPIFC_SLAAC_MAXIFC - 2; id++)
		assert_int_equal(ipifc_slaac_ifc_add(E, id, &cfg), 0);
	assert_int_equal(ipifc_slaac_ifc_add(E, id, &cfg), -ENOSPC);
	cfg.iid = 7;
	assert_int_equal(ipifc_slaac_ifc_remove(E, 3, 0), 0);
	assert_int_equal(ipifc_slaac_ifc_add(E, id, &cfg), -EINVAL);
}

/* ---- bounds ---- */

static void
test_bounds(void **state)
{
	char	 b[64];
	int	 i, k;

	up(0);
	for (i = 0; i < IPIFC_SLAAC_MAXROUTERS; i++) {
		snprintf(b, sizeof(b), "fe80::%x", i + 1);
		ra_new(1800);
		ra_send(b, 0);
		assert_int_equal(nacts, 1);
	}
	/* a stranger: counted, nobody evicted */
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	ra_send("fe80::99", 0);
	assert_int_equal(ipifc_slaac_stats(E)->routers_full, 1);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_REMOVE), 0);
	assert_null(route(IPIFC_SLAAC_ROUTE_ADD, IPIFC_SLAAC_RT_DEFAULT,
	    "::", 0));
	/* its prefix still counts (it is on the link) */
	assert_int_equal(count(IPIFC_SLAAC_ADDR_ADD), 1);

	/* prefixes: 16 in all */
	for (k = 0; k < 2; k++) {
		ra_new(1800);
		for (i = 0; i < IPIFC_SLAAC_MAXPREFIXES; i++) {
			snprintf(b, sizeof(b), "2001:db8:%x::", 0x100 + 16 * k +
			    i);
			ra_prefix(b, 64, IPIFC_ND_PI_ONLINK, 7200, 3600);
		}
		ra_send("fe80::1", S);
	}
	assert_int_equal(ipifc_slaac_stats(E)->prefixes_full,
	    IPIFC_SLAAC_MAXPREFIXES + 1);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_REMOVE), 0);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_ADD), 0);

	/* routes and servers over their bounds */
	ra_new(1800);
	ra.nroute = IPIFC_ND_MAXROUTE;
	for (i = 0; i < IPIFC_ND_MAXROUTE; i++) {
		snprintf(b, sizeof(b), "2001:db8:%x::", 0x200 + i);
		ra.route[i].prefix = ip(b);
		ra.route[i].plen = 48;
		ra.route[i].lifetime = 100;
	}
	ra.nrdnss = IPIFC_ND_MAXRDNSS;
	for (i = 0; i < IPIFC_ND_MAXRDNSS; i++) {
		snprintf(b, sizeof(b), "2001:db8::%x", 0x53 + i);
		ra.rdnss[i].addr = ip(b);
		ra.rdnss[i].lifetime = 100;
	}
	ra_send("fe80::1", 2 * S);
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_ADD), IPIFC_SLAAC_MAXROUTES);
	assert_int_equal(count(IPIFC_SLAAC_DNS_SERVER), IPIFC_SLAAC_MAXDNS);
	for (i = 0; i < IPIFC_ND_MAXROUTE; i++)
		ra.route[i].prefix.a[5] += 0x10;
	for (i = 0; i < IPIFC_ND_MAXRDNSS; i++)
		ra.rdnss[i].addr.a[14] = 1;
	ra_send("fe80::2", 2 * S);
	assert_int_equal(nacts, 0);
	assert_int_equal(ipifc_slaac_stats(E)->routes_full,
	    IPIFC_ND_MAXROUTE);
	assert_int_equal(ipifc_slaac_stats(E)->dns_full, IPIFC_ND_MAXRDNSS);
}

/* Interfaces: registered once, and removal takes back all it gave. */
static void
test_ifc_remove(void **state)
{
	up(0);
	assert_int_equal(ipifc_slaac_ifc_add(E, IFC, &cfg), -EEXIST);
	ra_new(1800);
	ra_prefix("2001:db8:1::", 64, LA, 7200, 3600);
	ra.nrdnss = 1;
	ra.rdnss[0].addr = ip("2001:db8::53");
	ra.rdnss[0].lifetime = 100;
	ra_send("fe80::1", 0);
	assert_int_equal(ipifc_slaac_ifc_remove(E, IFC, S), 0);
	drain();
	assert_int_equal(count(IPIFC_SLAAC_ADDR_REMOVE), 1);
	/* default, RFC 8028 and on-link */
	assert_int_equal(count(IPIFC_SLAAC_ROUTE_REMOVE), 3);
	assert_int_equal(count(IPIFC_SLAAC_DNS_SERVER), 1);
	assert_int_equal(ipifc_slaac_next_deadline(E), UINT64_MAX);
	assert_int_equal(ipifc_slaac_ifc_remove(E, IFC, S), -ENOENT);
}

/* ---- the deadline index of the interfaces ---- */

#define DX_IFC	6
#define DX_OPS	6000

static uint32_t dxrng = 777;

static uint32_t
dxr(uint32_t n)
{
	dxrng ^= dxrng << 13;
	dxrng ^= dxrng >> 17;
	dxrng ^= dxrng << 5;
	return dxrng % n;
}

/* The addresses the engine proposed, for DAD answers and the user. */
static struct ipifc_ip dxaddr[64];
static unsigned dxid[64];
static int ndxaddr;

static void
dx_drain(void)
{
	struct ipifc_slaac_act a;

	while (ipifc_slaac_action(E, &a))
		if (a.type == IPIFC_SLAAC_ADDR_ADD) {
			dxaddr[ndxaddr % 64] = a.addr;
			dxid[ndxaddr % 64] = a.ifc;
			ndxaddr++;
		}
}

/* The index against a walk of every interface's timers, and its heap. */
static void
dx_check(void)
{
	const struct ipifc_dindex *x = &E->dx;
	unsigned i, n = 0;

	assert_true(ipifc_slaac_next_deadline(E) ==
	    ipifc_slaac_walk_deadline(E));
	for (i = 0; i < x->n; i++) {
		assert_int_equal(x->heap[i]->pos, i + 1);
		if (i > 0)
			assert_true(x->heap[(i - 1) / 2]->key <= x->heap[i]->key);
	}
	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		n += E->ifc[i] != NULL;
	assert_int_equal(x->n, n);
	assert_int_equal(x->ndue, 0);
}

static void
dx_ra(unsigned id, uint64_t now)
{
	static uint8_t b[4096];
	static const uint32_t life[] = { 0, 1, 3, 10, 60, 600,
	    IPIFC_INFINITE };
	struct ipifc_ip src, d = ip("ff02::1");
	char a[64];
	int n, k, np;
	uint32_t v, pr;

	snprintf(a, sizeof(a), "fe80::%u", 1 + dxr(3));
	src = ip(a);
	ra_new((uint16_t)(dxr(4) == 0 ? 0 : 1 + dxr(30)));
	np = (int)dxr(3);
	for (k = 0; k < np; k++) {
		snprintf(a, sizeof(a), "2001:db8:%u::", dxr(5));
		v = life[dxr(7)];
		pr = life[dxr(7)];
		ra_prefix(a, 64, dxr(5) == 0 ? IPIFC_ND_PI_ONLINK : LA, v,
		    pr > v ? v : pr);
	}
	if (dxr(3) == 0) {
		ra.nrdnss = 1;
		ra.rdnss[0].lifetime = life[dxr(7)];
		ra.rdnss[0].addr = ip("2001:db8:53::1");
	}
	if (dxr(3) == 0) {
		ra.nroute = 1;
		ra.route[0].plen = 48;
		ra.route[0].lifetime = life[dxr(7)];
		ra.route[0].prefix = ip("2001:db8:77::");
	}
	n = ipifc_nd_build(b, sizeof(b), &src, &d, &ra);
	assert_true(n > 0);
	(void)ipifc_slaac_ra(E, id, &src, &d, 255, b, (size_t)n, now);
}

/*
 * After each of thousands of random events on six interfaces (adds and
 * removes, links up and down with new MACs, RAs from three routers with
 * random lifetimes of routers, prefixes, RDNSS and routes, DAD answers,
 * the operator's addresses, temporary addresses off and on) and clock
 * advances with a tick, the index's earliest deadline equals the minimum
 * of a walk of every interface's timers, each interface is in it once,
 * and after a tick nothing is overdue.
 */
static void
test_deadline_index(void **state)
{
	uint8_t mac[6];
	uint64_t now = 1000, next;
	unsigned id;
	int i, k;

	(void)state;
	ndxaddr = 0;
	cfg.temp_preferred = 20;	/* temporary addresses regenerate */
	cfg.temp_valid = 60;
	for (i = 0; i < DX_OPS; i++) {
		id = 1 + dxr(DX_IFC);
		switch (dxr(12)) {
		case 0:
			(void)ipifc_slaac_ifc_add(E, id, &cfg);
			break;
		case 1:
			if (dxr(4) == 0)
				(void)ipifc_slaac_ifc_remove(E, id, now);
			break;
		case 2:
			memcpy(mac, mac1, 6);
			mac[5] = (uint8_t)dxr(3);
			(void)ipifc_slaac_link(E, id, dxr(4) != 0, mac, now);
			(void)ipifc_slaac_linklocal(E, id, (int)dxr(2), now);
			break;
		case 3: case 4: case 5:
			dx_ra(id, now);
			break;
		case 6: case 7:
			if (ndxaddr > 0) {
				k = (int)dxr(ndxaddr < 64 ? ndxaddr : 64);
				(void)ipifc_slaac_dad(E, dxid[k], &dxaddr[k],
				    dxr(6) != 0, now);
			}
			break;
		case 8:
			(void)ipifc_slaac_user_addr(E, id,
			    &dxaddr[dxr(ndxaddr > 0 && ndxaddr < 64 ?
			    ndxaddr : 1)], (int)dxr(2), now);
			break;
		case 9:
			(void)ipifc_slaac_prefix_temporary(E, id,
			    &ra.prefix[0].prefix, 64, (int)dxr(2), now);
			break;
		default:
			next = ipifc_slaac_next_deadline(E);
			if (next != UINT64_MAX && next > now && dxr(2))
				now = next;	/* to the next deadline */
			else
				now += dxr(8000);
			ipifc_slaac_tick(E, now);
			dx_drain();
			dx_check();
			assert_true(ipifc_slaac_next_deadline(E) > now);
			break;
		}
		dx_drain();
		dx_check();
	}
	for (id = 1; id <= DX_IFC; id++)
		(void)ipifc_slaac_ifc_remove(E, id, now);
	dx_drain();
	dx_check();
	assert_int_equal(E->dx.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_iid_reserved),
		cmocka_unit_test_setup_teardown(test_rs_schedule, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rs_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_a_b_c_d, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prefix_e_twohour, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_prefix_twohour_off, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lifetimes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_router_lifetime0, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rfc4191, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rfc8028, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rdnss_kept, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stable_dad_retry, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_stable_network_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_eui64_optimistic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_optimistic_slla, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_routes_only, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_temporary, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_desync_bound, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_user_addr, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_temporary_per_prefix,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_radvd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interfaces, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline_index, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ifc_remove, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
