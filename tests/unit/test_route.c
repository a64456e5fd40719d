/*
 * The route table alone: exact keys, bounds, longest match on destination
 * then source, the families kept apart, display order, and a randomized
 * comparison against a linear scan.  Routes have no interface (NULL counts
 * as up), so nothing else of the stack is needed.
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

static struct ipifc_route
mkroute(const char *dst, int plen, const char *src, int splen)
{
	struct ipifc_route r;

	memset(&r, 0, sizeof(r));
	r.dst = ip(dst);
	r.plen = plen;
	r.src = ip(src);
	r.splen = splen;
	r.type = ipifc_ip_isv4(&r.dst) ? IPIFC_RT_V4 : 0;
	snprintf(r.tag, sizeof(r.tag), "test");
	return r;
}

static int
add(struct ipifc_rtab *t, const char *dst, int plen, const char *src,
    int splen)
{
	struct ipifc_route r = mkroute(dst, plen, src, splen);

	return ipifc_rtab_add(t, &r);
}

static int
del(struct ipifc_rtab *t, const char *dst, int plen, const char *src,
    int splen)
{
	struct ipifc_ip d = ip(dst), s = ip(src);

	return ipifc_rtab_del(t, &d, plen, &s, splen);
}

/* Look dst up from src (NULL: any); expect edst/eplen esrc/esplen. */
static void
expect(struct ipifc_rtab *t, const char *dst, const char *src,
    const char *edst, int eplen, const char *esrc, int esplen)
{
	struct ipifc_ip d = ip(dst), s, ed, es;
	struct ipifc_route *r;

	if (src != NULL)
		s = ip(src);
	r = ipifc_rtab_lookup(t, &d, src != NULL ? &s : NULL);
	if (edst == NULL) {
		if (r != NULL)
			fail_msg("%s from %s: expected no route, got plen %d "
			    "splen %d", dst, src ? src : "any", r->plen,
			    r->splen);
		return;
	}
	if (r == NULL)
		fail_msg("%s from %s: no route", dst, src ? src : "any");
	ed = ip(edst);
	es = ip(esrc);
	assert_memory_equal(r->dst.a, ed.a, 16);
	assert_int_equal(r->plen, eplen);
	assert_memory_equal(r->src.a, es.a, 16);
	assert_int_equal(r->splen, esplen);
}

static void
test_add_get_del(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct ipifc_route r, *g;
	struct ipifc_ip d, s;

	assert_non_null(t);
	assert_int_equal(ipifc_rtab_count(t), 0);

	r = mkroute("10.1.2.77", 120, "0.0.0.0", 96);
	r.gate = ip("10.1.2.1");
	snprintf(r.tag, sizeof(r.tag), "static");
	assert_int_equal(ipifc_rtab_add(t, &r), 0);
	assert_int_equal(ipifc_rtab_count(t), 1);

	/* The table masks the key itself. */
	d = ip("10.1.2.200");
	s = ip("0.0.0.0");
	g = ipifc_rtab_get(t, &d, 120, &s, 96);
	assert_non_null(g);
	d = ip("10.1.2.0");
	assert_memory_equal(g->dst.a, d.a, 16);
	d = ip("10.1.2.1");
	assert_memory_equal(g->gate.a, d.a, 16);
	assert_string_equal(g->tag, "static");
	assert_int_equal(g->type, IPIFC_RT_V4);
	assert_null(g->ifc);

	/* Another length or source is another key. */
	d = ip("10.1.2.0");
	assert_null(ipifc_rtab_get(t, &d, 112, &s, 96));
	assert_null(ipifc_rtab_get(t, &d, 120, &s, 0));

	assert_int_equal(add(t, "10.1.2.5", 120, "0.0.0.0", 96), -EEXIST);
	assert_int_equal(add(t, "10.1.2.0", 120, "10.1.2.5", 128), 0);
	assert_int_equal(add(t, "10.1.2.0", 112, "0.0.0.0", 96), 0);
	assert_int_equal(ipifc_rtab_count(t), 3);
	assert_int_equal(add(t, "10.1.2.0", 129, "0.0.0.0", 96), -EINVAL);
	assert_int_equal(add(t, "10.1.2.0", 120, "0.0.0.0", -1), -EINVAL);

	s = ip("10.1.2.5");
	g = ipifc_rtab_get(t, &d, 120, &s, 128);
	assert_non_null(g);
	assert_int_equal(g->splen, 128);

	assert_int_equal(del(t, "10.1.2.9", 120, "0.0.0.0", 96), 0);
	assert_int_equal(del(t, "10.1.2.0", 120, "0.0.0.0", 96), -ENOENT);
	assert_int_equal(ipifc_rtab_count(t), 2);
	s = ip("0.0.0.0");
	assert_null(ipifc_rtab_get(t, &d, 120, &s, 96));
	assert_int_equal(del(t, "10.1.2.0", 120, "10.1.2.5", 128), 0);
	assert_int_equal(del(t, "10.1.2.0", 112, "0.0.0.0", 96), 0);
	assert_int_equal(ipifc_rtab_count(t), 0);
	expect(t, "10.1.2.3", NULL, NULL, 0, NULL, 0);

	/* Adding after the table emptied works as before. */
	assert_int_equal(add(t, "10.1.2.0", 120, "0.0.0.0", 96), 0);
	expect(t, "10.1.2.3", NULL, "10.1.2.0", 120, "0.0.0.0", 96);
	ipifc_rtab_free(t);
}

static void
test_full(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct ipifc_route r;
	int i;

	/* The bound is a setting of the table; the default holds routers. */
	assert_true(IPIFC_MAXROUTES >= 2000000);
	ipifc_rtab_setmax(t, 4096);
	r = mkroute("2001:db8::", 64, "::", 0);
	for (i = 0; i < 4096; i++) {
		r.dst.a[4] = i >> 8;
		r.dst.a[5] = i & 0xff;
		assert_int_equal(ipifc_rtab_add(t, &r), 0);
	}
	assert_int_equal(ipifc_rtab_count(t), 4096);
	assert_int_equal(add(t, "2001:db9::", 64, "::", 0), -ENOSPC);
	assert_int_equal(add(t, "2001:db8::", 64, "::", 0), -EEXIST);
	assert_int_equal(ipifc_rtab_count(t), 4096);
	expect(t, "2001:db8:1ff::1", NULL, "2001:db8:1ff::", 64, "::", 0);

	assert_int_equal(del(t, "2001:db8:0:0::", 64, "::", 0), 0);
	assert_int_equal(add(t, "2001:db9::", 64, "::", 0), 0);
	assert_int_equal(add(t, "2001:dba::", 64, "::", 0), -ENOSPC);
	expect(t, "2001:db9::1", NULL, "2001:db9::", 64, "::", 0);
	ipifc_rtab_free(t);
}

static void
test_longest_dst(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();

	assert_int_equal(add(t, "0.0.0.0", 96, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.0.0.0", 104, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.1.0.0", 112, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.1.2.0", 120, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.1.2.3", 128, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.1.2.128", 121, "0.0.0.0", 96), 0);

	expect(t, "10.1.2.3", NULL, "10.1.2.3", 128, "0.0.0.0", 96);
	expect(t, "10.1.2.4", NULL, "10.1.2.0", 120, "0.0.0.0", 96);
	expect(t, "10.1.2.129", NULL, "10.1.2.128", 121, "0.0.0.0", 96);
	expect(t, "10.1.3.1", NULL, "10.1.0.0", 112, "0.0.0.0", 96);
	expect(t, "10.200.0.1", NULL, "10.0.0.0", 104, "0.0.0.0", 96);
	expect(t, "192.0.2.1", NULL, "0.0.0.0", 96, "0.0.0.0", 96);
	expect(t, "192.0.2.1", "192.0.2.7", "0.0.0.0", 96, "0.0.0.0", 96);

	assert_int_equal(del(t, "10.1.2.0", 120, "0.0.0.0", 96), 0);
	expect(t, "10.1.2.4", NULL, "10.1.0.0", 112, "0.0.0.0", 96);
	expect(t, "10.1.2.3", NULL, "10.1.2.3", 128, "0.0.0.0", 96);

	assert_int_equal(add(t, "2001:db8::", 32, "::", 0), 0);
	assert_int_equal(add(t, "2001:db8:1::", 48, "::", 0), 0);
	assert_int_equal(add(t, "2001:db8:1:2::", 64, "::", 0), 0);
	expect(t, "2001:db8:1:2::9", NULL, "2001:db8:1:2::", 64, "::", 0);
	expect(t, "2001:db8:1:3::9", NULL, "2001:db8:1::", 48, "::", 0);
	expect(t, "2001:db8:2::9", NULL, "2001:db8::", 32, "::", 0);
	expect(t, "2001:db9::1", NULL, NULL, 0, NULL, 0);
	ipifc_rtab_free(t);
}

static void
test_source_specific(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();

	assert_int_equal(add(t, "2001:db8::", 64, "::", 0), 0);
	assert_int_equal(add(t, "2001:db8::", 64, "2001:db8::5", 128), 0);
	expect(t, "2001:db8::9", "2001:db8::5",
	    "2001:db8::", 64, "2001:db8::5", 128);
	expect(t, "2001:db8::9", NULL, "2001:db8::", 64, "::", 0);
	expect(t, "2001:db8::9", "2001:db8::6", "2001:db8::", 64, "::", 0);

	/* A longer destination beats a longer source. */
	assert_int_equal(add(t, "2001:db8::9", 128, "::", 0), 0);
	expect(t, "2001:db8::9", "2001:db8::5", "2001:db8::9", 128, "::", 0);
	assert_int_equal(del(t, "2001:db8::9", 128, "::", 0), 0);

	/*
	 * Without the any-source route, a packet not from 2001:db8::5 takes
	 * a shorter destination (the default), never the source route.
	 */
	assert_int_equal(add(t, "::", 0, "::", 0), 0);
	assert_int_equal(del(t, "2001:db8::", 64, "::", 0), 0);
	expect(t, "2001:db8::9", NULL, "::", 0, "::", 0);
	expect(t, "2001:db8::9", "2001:db8::6", "::", 0, "::", 0);
	expect(t, "2001:db8::9", "2001:db8::5",
	    "2001:db8::", 64, "2001:db8::5", 128);

	/* Between source prefixes, the longest wins. */
	assert_int_equal(add(t, "2001:db8::", 64, "2001:db8::", 120), 0);
	expect(t, "2001:db8::9", "2001:db8::5",
	    "2001:db8::", 64, "2001:db8::5", 128);
	expect(t, "2001:db8::9", "2001:db8::6",
	    "2001:db8::", 64, "2001:db8::", 120);
	expect(t, "2001:db8::9", "2001:db8::1:6", "::", 0, "::", 0);

	/* The same for IPv4: any source is 0.0.0.0/0, ::ffff:0:0/96. */
	assert_int_equal(add(t, "10.0.0.0", 104, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.0.0.0", 104, "10.0.0.1", 128), 0);
	expect(t, "10.9.9.9", "10.0.0.1", "10.0.0.0", 104, "10.0.0.1", 128);
	expect(t, "10.9.9.9", "10.0.0.2", "10.0.0.0", 104, "0.0.0.0", 96);
	expect(t, "10.9.9.9", NULL, "10.0.0.0", 104, "0.0.0.0", 96);
	assert_int_equal(del(t, "10.0.0.0", 104, "0.0.0.0", 96), 0);
	expect(t, "10.9.9.9", NULL, NULL, 0, NULL, 0);
	expect(t, "10.9.9.9", "10.0.0.1", "10.0.0.0", 104, "10.0.0.1", 128);
	ipifc_rtab_free(t);
}

/*
 * Many source-specific routes under one destination (an address each, all
 * in one subnet, as addresses imply them), with source prefixes of three
 * lengths added in a mixed order: each is found by its key, each source
 * picks its own, and the any-source route stays what a lookup without a
 * source takes while routes come and go around it.
 */
#define MANY	4096

static void
test_many_sources(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct ipifc_ip d = ip("10.1.0.0"), s;
	char a[32];
	int i, k;

	for (i = 0; i < MANY; i++) {
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 256, i % 256);
		assert_int_equal(add(t, "10.1.0.0", 112, a, 128), 0);
		if (i == MANY / 2)
			assert_int_equal(add(t, "10.1.0.0", 112, "0.0.0.0",
			    96), 0);
		if (i % 256 == 7) {
			snprintf(a, sizeof(a), "10.1.%d.0", i / 256);
			assert_int_equal(add(t, "10.1.0.0", 112, a, 120), 0);
		}
	}
	assert_int_equal(ipifc_rtab_count(t), MANY + 1 + MANY / 256);
	for (i = 0; i < MANY; i++) {
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 256, i % 256);
		s = ip(a);
		assert_non_null(ipifc_rtab_get(t, &d, 112, &s, 128));
		assert_int_equal(add(t, "10.1.0.0", 112, a, 128), -EEXIST);
	}
	expect(t, "10.1.0.9", NULL, "10.1.0.0", 112, "0.0.0.0", 96);
	expect(t, "10.1.0.9", "10.1.3.77", "10.1.0.0", 112, "10.1.3.77", 128);
	expect(t, "10.1.0.9", "10.1.15.255",
	    "10.1.0.0", 112, "10.1.15.255", 128);
	expect(t, "10.1.0.9", "10.2.0.1", "10.1.0.0", 112, "0.0.0.0", 96);

	/* Every other address goes, in a scattered order. */
	for (k = 0; k < MANY; k += 2) {
		i = (k * 1031) % MANY & ~1;
		snprintf(a, sizeof(a), "10.1.%d.%d", i / 256, i % 256);
		assert_int_equal(del(t, "10.1.0.0", 112, a, 128), 0);
		assert_int_equal(del(t, "10.1.0.0", 112, a, 128), -ENOENT);
	}
	assert_int_equal(ipifc_rtab_count(t), MANY / 2 + 1 + MANY / 256);
	expect(t, "10.1.0.9", "10.1.3.76", "10.1.0.0", 112, "10.1.3.0", 120);
	expect(t, "10.1.0.9", "10.1.3.77", "10.1.0.0", 112, "10.1.3.77", 128);

	/* Without the any-source route no source-free lookup matches. */
	assert_int_equal(del(t, "10.1.0.0", 112, "0.0.0.0", 96), 0);
	expect(t, "10.1.0.9", NULL, NULL, 0, NULL, 0);
	expect(t, "10.1.0.9", "10.1.3.76", "10.1.0.0", 112, "10.1.3.0", 120);
	/* A v6 any-source prefix serves, then the v4 one is preferred. */
	assert_int_equal(add(t, "10.1.0.0", 112, "::", 0), 0);
	expect(t, "10.1.0.9", NULL, "10.1.0.0", 112, "::", 0);
	assert_int_equal(add(t, "10.1.0.0", 112, "0.0.0.0", 96), 0);
	expect(t, "10.1.0.9", NULL, "10.1.0.0", 112, "0.0.0.0", 96);
	assert_int_equal(del(t, "10.1.0.0", 112, "0.0.0.0", 96), 0);
	expect(t, "10.1.0.9", NULL, "10.1.0.0", 112, "::", 0);
	expect(t, "10.1.0.9", "10.1.3.77", "10.1.0.0", 112, "10.1.3.77", 128);
	ipifc_rtab_free(t);
}

static void
test_families(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();

	/* ::/0 holds ::ffff:0:0/96 as bits, but is no IPv4 route. */
	assert_int_equal(add(t, "::", 0, "::", 0), 0);
	expect(t, "2001:db8::1", NULL, "::", 0, "::", 0);
	expect(t, "10.0.0.1", NULL, NULL, 0, NULL, 0);
	expect(t, "10.0.0.1", "10.0.0.2", NULL, 0, NULL, 0);
	assert_int_equal(add(t, "::", 80, "::", 0), 0);
	expect(t, "10.0.0.1", NULL, NULL, 0, NULL, 0);
	expect(t, "::1", NULL, "::", 80, "::", 0);

	assert_int_equal(add(t, "0.0.0.0", 96, "0.0.0.0", 96), 0);
	expect(t, "10.0.0.1", NULL, "0.0.0.0", 96, "0.0.0.0", 96);
	expect(t, "2001:db8::1", NULL, "::", 0, "::", 0);
	expect(t, "::1", NULL, "::", 80, "::", 0);

	assert_int_equal(del(t, "::", 0, "::", 0), 0);
	expect(t, "2001:db8::1", NULL, NULL, 0, NULL, 0);
	expect(t, "10.0.0.1", NULL, "0.0.0.0", 96, "0.0.0.0", 96);

	/* Mixed prefixes of both families in one table. */
	assert_int_equal(add(t, "192.0.2.0", 120, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "2001:db8::", 32, "::", 0), 0);
	assert_int_equal(add(t, "fe80::", 64, "::", 0), 0);
	assert_int_equal(add(t, "198.51.100.0", 120, "198.51.100.1", 128), 0);
	expect(t, "192.0.2.9", NULL, "192.0.2.0", 120, "0.0.0.0", 96);
	expect(t, "2001:db8::9", NULL, "2001:db8::", 32, "::", 0);
	expect(t, "fe80::1", "fe80::2", "fe80::", 64, "::", 0);
	expect(t, "198.51.100.9", NULL, "0.0.0.0", 96, "0.0.0.0", 96);
	expect(t, "198.51.100.9", "198.51.100.1",
	    "198.51.100.0", 120, "198.51.100.1", 128);
	expect(t, "::ffff:198.51.100.9", NULL, "0.0.0.0", 96, "0.0.0.0", 96);
	ipifc_rtab_free(t);
}

struct walkbuf {
	char	line[16][128];
	int	n;
};

static void
walkfn(void *arg, struct ipifc_route *r)
{
	struct walkbuf *w = arg;
	char d[IPIFC_IPSTRLEN], s[IPIFC_IPSTRLEN];

	assert_true(w->n < 16);
	snprintf(w->line[w->n++], sizeof(w->line[0]), "%s %d %s %d",
	    ipifc_ip_fmt(&r->dst, d, sizeof(d)), r->plen,
	    ipifc_ip_fmt(&r->src, s, sizeof(s)), r->splen);
}

static void
test_walk_order(void **state)
{
	static const char *want[] = {
		":: 0 :: 0",
		"0.0.0.0 96 0.0.0.0 96",
		"10.0.0.0 104 0.0.0.0 96",
		"10.0.0.0 104 10.0.0.1 128",
		"10.0.0.0 112 0.0.0.0 96",
		"10.1.0.0 112 0.0.0.0 96",
		"2001:db8:: 32 :: 0",
		"2001:db8:: 64 :: 0",
		"2001:db8:: 64 2001:db8::5 128",
		"fe80:: 64 :: 0",
	};
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct walkbuf w;
	size_t i;

	assert_int_equal(add(t, "2001:db8::", 64, "2001:db8::5", 128), 0);
	assert_int_equal(add(t, "fe80::", 64, "::", 0), 0);
	assert_int_equal(add(t, "10.1.0.0", 112, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.0.0.0", 104, "10.0.0.1", 128), 0);
	assert_int_equal(add(t, "2001:db8::", 64, "::", 0), 0);
	assert_int_equal(add(t, "::", 0, "::", 0), 0);
	assert_int_equal(add(t, "10.0.0.0", 112, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "2001:db8::", 32, "::", 0), 0);
	assert_int_equal(add(t, "0.0.0.0", 96, "0.0.0.0", 96), 0);
	assert_int_equal(add(t, "10.0.0.0", 104, "0.0.0.0", 96), 0);

	w.n = 0;
	ipifc_rtab_walk(t, walkfn, &w);
	assert_int_equal(w.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(w.line[i], want[i]);
	ipifc_rtab_free(t);
}

static void
test_type_fmt(void **state)
{
	char buf[16];

	assert_string_equal(ipifc_type_fmt(IPIFC_RT_V4, buf, sizeof(buf)), "4");
	assert_string_equal(ipifc_type_fmt(0, buf, sizeof(buf)), "6");
	assert_string_equal(ipifc_type_fmt(IPIFC_RT_V4 | IPIFC_RT_IFC,
	    buf, sizeof(buf)), "4i");
	assert_string_equal(ipifc_type_fmt(IPIFC_RT_PROXY | IPIFC_RT_PTP |
	    IPIFC_RT_MULTI | IPIFC_RT_BCAST | IPIFC_RT_UNI | IPIFC_RT_IFC,
	    buf, sizeof(buf)), "6iubmpy");
	assert_string_equal(ipifc_type_fmt(IPIFC_RT_UNI, buf, 2), "6");
}

/*
 * ---- randomized: the table against a linear scan of a plain array ----
 *
 * IPIFC_ROUTE_OPS sets the number of operations (default 200000; CI runs
 * the default under ASan, a longer run takes millions).  The table is
 * bounded at CAP routes so the scan stays cheap and the bound is hit.
 */

#define NOPS	200000
#define CAP	1000
#define NIFC	4

static uint32_t rngstate = 0x2545f491;

/* Interfaces of the routes: only their up flag counts to the table. */
static struct ipifc_ifc ifcs[NIFC];

static uint32_t
rnd(void)
{
	return xorshift32(&rngstate);
}

/* Bit by bit, independent of the table's own helpers. */
static void
ref_mask(struct ipifc_ip *a, int plen)
{
	int i;

	for (i = plen; i < 128; i++)
		a->a[i / 8] &= ~(0x80 >> (i % 8));
}

/* Whole bytes, then the bits of the last one. */
static int
ref_in(const struct ipifc_ip *a, const struct ipifc_ip *p, int plen)
{
	int i;

	for (i = 0; i < plen / 8; i++)
		if (a->a[i] != p->a[i])
			return 0;
	for (i = plen / 8 * 8; i < plen; i++)
		if (((a->a[i / 8] ^ p->a[i / 8]) >> (7 - i % 8)) & 1)
			return 0;
	return 1;
}

static int
ref_isv4(const struct ipifc_ip *a)
{
	static const uint8_t pfx[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	return memcmp(a->a, pfx, 12) == 0;
}

static int
ref_cmp(const void *x, const void *y)
{
	const struct ipifc_route *a = x, *b = y;
	int c;

	if ((c = memcmp(a->dst.a, b->dst.a, 16)) != 0)
		return c;
	if (a->plen != b->plen)
		return a->plen - b->plen;
	if ((c = memcmp(a->src.a, b->src.a, 16)) != 0)
		return c;
	return a->splen - b->splen;
}

static int
ref_samekey(const struct ipifc_route *a, const struct ipifc_route *b)
{
	return memcmp(a->dst.a, b->dst.a, 16) == 0 && a->plen == b->plen &&
	    memcmp(a->src.a, b->src.a, 16) == 0 && a->splen == b->splen;
}

static void
rnd_bytes(uint8_t *p, int n)
{
	while (n-- > 0)
		*p++ = rnd() >> 24;
}

/*
 * Addresses mostly from a small universe, so prefixes overlap often, and
 * some from wide ones, so the trie grows deep nodes and prunes them.
 */
static struct ipifc_ip
gen_addr(int v4)
{
	struct ipifc_ip a;
	uint32_t v;

	memset(&a, 0, sizeof(a));
	if (v4) {
		switch (rnd() % 8) {
		case 0:
			v = rnd();
			break;
		case 1:
			v = 0x0a000000 | (rnd() & 0xffffff);
			break;
		default:
			v = 0x0a000000 | (rnd() % 4) << 16 |
			    (rnd() % 4) << 8 | rnd() % 8;
			break;
		}
		ipifc_ip_v4(&a, v);
		return a;
	}
	switch (rnd() % 16) {
	case 0:
		a.a[15] = rnd() % 4;		/* ::, ::1 ... */
		break;
	case 1:
	case 2:
		a.a[0] = 0xfe;
		a.a[1] = 0x80;
		a.a[15] = rnd() % 8;
		break;
	case 3:
		rnd_bytes(a.a, 16);
		if (ref_isv4(&a))
			a.a[0] = 0x20;
		break;
	case 4:
	case 5:
		a.a[0] = 0x20;
		a.a[1] = 0x01;
		a.a[2] = 0x0d;
		a.a[3] = 0xb8;
		rnd_bytes(a.a + 4, 4);
		a.a[15] = rnd() % 8;
		break;
	default:
		a.a[0] = 0x20;
		a.a[1] = 0x01;
		a.a[2] = 0x0d;
		a.a[3] = 0xb8;
		a.a[5] = rnd() % 4;
		a.a[7] = rnd() % 4;
		a.a[15] = rnd() % 8;
		break;
	}
	return a;
}

static int
gen_plen(int v4)
{
	static const int l4[] = { 0, 8, 16, 24, 29, 30, 32 };
	static const int l6[] = { 0, 16, 32, 40, 48, 64, 80, 120, 126, 128 };

	if (v4)
		return 96 + (rnd() % 4 == 0 ? (int)(rnd() % 33) :
		    l4[rnd() % (sizeof(l4) / sizeof(l4[0]))]);
	return rnd() % 4 == 0 ? (int)(rnd() % 129) :
	    l6[rnd() % (sizeof(l6) / sizeof(l6[0]))];
}

static struct ipifc_route
gen_route(uint32_t id)
{
	struct ipifc_route r;
	int v4 = rnd() % 2, k;

	memset(&r, 0, sizeof(r));
	r.dst = gen_addr(v4);
	r.plen = gen_plen(v4);
	switch (rnd() % 16) {
	case 0:
		/* A v6 any-source prefix on a v4 route still matches. */
		r.src = ipifc_ip_unspec6;
		r.splen = 0;
		break;
	case 1: case 2: case 3: case 4: case 5: case 6: case 7:
		r.src = v4 ? ipifc_ip_unspec4 : ipifc_ip_unspec6;
		r.splen = v4 ? 96 : 0;
		break;
	default:
		r.src = gen_addr(v4);
		r.splen = gen_plen(v4);
		break;
	}
	r.type = v4 ? IPIFC_RT_V4 : 0;
	/* Some through interfaces that go down: lookups skip those. */
	k = rnd() % (2 * NIFC);
	r.ifc = k < NIFC ? &ifcs[k] : NULL;
	/*
	 * A few gateways, so that routes share next hops; the tag
	 * identifies the route that was stored.
	 */
	memset(r.gate.a, 0, 16);
	r.gate.a[15] = (uint8_t)(rnd() % 6);
	snprintf(r.tag, sizeof(r.tag), "r%u", (unsigned)id);
	return r;
}

struct ref {
	struct ipifc_route r[CAP];
	int	n;
};

static const struct ipifc_route *
ref_lookup(const struct ref *ref, const struct ipifc_ip *dst,
    const struct ipifc_ip *src)
{
	const struct ipifc_route *best = NULL, *r;
	int i, v4 = ref_isv4(dst);

	if (src == NULL)
		src = v4 ? &ipifc_ip_unspec4 : &ipifc_ip_unspec6;
	for (i = 0; i < ref->n; i++) {
		r = &ref->r[i];
		if (v4 && r->plen < 96)
			continue;
		if (r->ifc != NULL && !(r->ifc->flags & IPIFC_F_UP))
			continue;
		if (!ref_in(dst, &r->dst, r->plen) ||
		    !ref_in(src, &r->src, r->splen))
			continue;
		if (best == NULL || r->plen > best->plen ||
		    (r->plen == best->plen && r->splen > best->splen))
			best = r;
	}
	return best;
}

static void
check_same(const struct ipifc_route *got, const struct ipifc_route *want)
{
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_true(ref_samekey(got, want));
	assert_memory_equal(got->gate.a, want->gate.a, 16);
	assert_string_equal(got->tag, want->tag);
}

/* A next hop is the interface, gateway and type of the route it stands for. */
static void
check_nh(const struct ipifc_nexthop *got, const struct ipifc_route *want)
{
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_ptr_equal(got->ifc, want->ifc);
	assert_int_equal(got->type, want->type);
	assert_memory_equal(got->gate.a, want->gate.a, 16);
	assert_true(got->id > 0);
}

/* A burst of LONGBURST addresses of both families: as one at a time. */
#define LONGBURST	150

static void
check_longburst(struct ipifc_rtab *t)
{
	static struct ipifc_ip dst[LONGBURST];
	static struct ipifc_route *out[LONGBURST];
	static const struct ipifc_nexthop *nh[LONGBURST];
	int i, v4 = rnd() % 3;

	/* All IPv4, all IPv6, or mixed. */
	for (i = 0; i < LONGBURST; i++)
		dst[i] = gen_addr(v4 == 2 ? (int)(rnd() % 2) : v4);
	ipifc_rtab_lookup_burst(t, dst, LONGBURST, out);
	ipifc_rtab_nexthop_burst(t, dst, LONGBURST, nh);
	for (i = 0; i < LONGBURST; i++) {
		assert_ptr_equal(out[i], ipifc_rtab_lookup(t, &dst[i], NULL));
		assert_ptr_equal(nh[i], ipifc_rtab_nexthop(t, &dst[i], NULL));
	}
}

static int
match_ifc(const struct ipifc_route *r, const void *arg)
{
	return r->ifc == arg;
}

struct walkcheck {
	const struct ipifc_route *want;
	int	i, n;
};

static void
walkcheck(void *arg, struct ipifc_route *r)
{
	struct walkcheck *w = arg;

	assert_true(w->i < w->n);
	assert_true(ref_samekey(r, &w->want[w->i]));
	assert_memory_equal(r->gate.a, w->want[w->i].gate.a, 16);
	w->i++;
}

static void
test_random(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct ref *ref = calloc(1, sizeof(*ref));
	struct ipifc_route *sorted = calloc(CAP, sizeof(*sorted));
	struct ipifc_route r, *got, *burst[4], **sel;
	const struct ipifc_route *want;
	const struct ipifc_nexthop *nhburst[4];
	struct ipifc_ip dst[4], src, *srcp;
	struct walkcheck wc;
	const char *env;
	long nops = NOPS;
	long op;
	int i, j, k, found, rv, hits = 0, lookups = 0, full = 0, downs = 0;
	int repl = 0, gone = 0, n;
	size_t fib;
	uint32_t id = 1;

	assert_non_null(ref);
	assert_non_null(sorted);
	if ((env = getenv("IPIFC_ROUTE_OPS")) != NULL && atol(env) > 0)
		nops = atol(env);
	ipifc_rtab_setmax(t, CAP);
	for (i = 0; i < NIFC; i++)
		ifcs[i].flags = IPIFC_F_UP;
	for (op = 0; op < nops; op++) {
		k = rnd() % 100;
		if (k < 36) {
			r = gen_route(id++);
			/* Host bits on purpose: the table masks them. */
			rv = ipifc_rtab_add(t, &r);
			ref_mask(&r.dst, r.plen);
			ref_mask(&r.src, r.splen);
			for (found = 0, i = 0; i < ref->n; i++)
				if (ref_samekey(&ref->r[i], &r))
					found = 1;
			if (found)
				assert_int_equal(rv, -EEXIST);
			else if (ref->n >= CAP) {
				assert_int_equal(rv, -ENOSPC);
				full++;
			} else {
				assert_int_equal(rv, 0);
				ref->r[ref->n++] = r;
			}
		} else if (k < 66) {
			if (ref->n > 0 && rnd() % 4 != 0) {
				i = rnd() % ref->n;
				r = ref->r[i];
				assert_int_equal(ipifc_rtab_del(t, &r.dst,
				    r.plen, &r.src, r.splen), 0);
				ref->r[i] = ref->r[--ref->n];
			} else {
				r = gen_route(0);
				ref_mask(&r.dst, r.plen);
				ref_mask(&r.src, r.splen);
				for (found = -1, i = 0; i < ref->n; i++)
					if (ref_samekey(&ref->r[i], &r))
						found = i;
				rv = ipifc_rtab_del(t, &r.dst, r.plen,
				    &r.src, r.splen);
				if (found < 0)
					assert_int_equal(rv, -ENOENT);
				else {
					assert_int_equal(rv, 0);
					ref->r[found] = ref->r[--ref->n];
				}
			}
		} else if (k < 68) {
			/* An interface goes down or comes back up. */
			i = rnd() % NIFC;
			ifcs[i].flags ^= IPIFC_F_UP;
			downs++;
		} else if (k < 71) {
			/* A route replaced: same key, another next hop. */
			if (ref->n == 0)
				continue;
			i = rnd() % ref->n;
			r = gen_route(id++);
			r.dst = ref->r[i].dst;
			r.plen = ref->r[i].plen;
			r.src = ref->r[i].src;
			r.splen = ref->r[i].splen;
			r.type = ref->r[i].type;
			assert_int_equal(ipifc_rtab_del(t, &r.dst, r.plen,
			    &r.src, r.splen), 0);
			assert_int_equal(ipifc_rtab_add(t, &r), 0);
			ref->r[i] = r;
			repl++;
		} else if (k < 72) {
			/* Now and then an interface goes, with its routes. */
			if (rnd() % 64 != 0)
				continue;
			i = rnd() % NIFC;
			sel = ipifc_rtab_select(t, match_ifc, &ifcs[i], &n);
			assert_non_null(sel);
			for (j = 0; j < n; j++) {
				r = *sel[j];
				assert_int_equal(ipifc_rtab_del(t, &r.dst,
				    r.plen, &r.src, r.splen), 0);
			}
			free(sel);
			for (j = 0; j < ref->n; j++)
				if (ref->r[j].ifc == &ifcs[i])
					ref->r[j--] = ref->r[--ref->n];
			gone++;
		} else {
			for (i = 0; i < 4; i++) {
				dst[i] = gen_addr(rnd() % 2);
				k = rnd() % 3;
				if (k == 0)
					srcp = NULL;
				else {
					src = gen_addr(k == 1 ?
					    ref_isv4(&dst[i]) :
					    (int)(rnd() % 2));
					srcp = &src;
				}
				want = ref_lookup(ref, &dst[i], srcp);
				got = ipifc_rtab_lookup(t, &dst[i], srcp);
				lookups++;
				if (want != NULL)
					hits++;
				check_same(got, want);
				check_nh(ipifc_rtab_nexthop(t, &dst[i], srcp),
				    want);
			}
			ipifc_rtab_lookup_burst(t, dst, 4, burst);
			ipifc_rtab_nexthop_burst(t, dst, 4, nhburst);
			for (i = 0; i < 4; i++) {
				want = ref_lookup(ref, &dst[i], NULL);
				check_same(burst[i], want);
				check_nh(nhburst[i], want);
			}
			/*
			 * Now and then a long burst, past what the table
			 * walks side by side, against the single lookups.
			 */
			if (rnd() % 16 == 0)
				check_longburst(t);
		}
		assert_int_equal(ipifc_rtab_count(t), ref->n);
		if (op % 1000 == 999 || op == nops - 1) {
			memcpy(sorted, ref->r, ref->n * sizeof(*sorted));
			qsort(sorted, ref->n, sizeof(*sorted), ref_cmp);
			wc.want = sorted;
			wc.i = 0;
			wc.n = ref->n;
			ipifc_rtab_walk(t, walkcheck, &wc);
			assert_int_equal(wc.i, ref->n);
		}
	}
	/* The universe is small enough that most lookups find a route. */
	assert_true(hits > lookups / 4);
	assert_true(nops < 20000 || (full > 0 && downs > 0 && repl > 0 &&
	    gone > 0));

	/* Emptied, the trie gives back all but its two roots. */
	for (j = ref->n - 1; j >= 0; j--)
		assert_int_equal(ipifc_rtab_del(t, &ref->r[j].dst,
		    ref->r[j].plen, &ref->r[j].src, ref->r[j].splen), 0);
	assert_int_equal(ipifc_rtab_count(t), 0);
	ipifc_rtab_memory(t, &fib);
	assert_true(fib <= 2 * (1 << 18) * sizeof(void *));
	free(sorted);
	free(ref);
	ipifc_rtab_free(t);
}

/*
 * ---- randomized: long IPv6 prefixes clustered under few /32s ----
 *
 * The trie compresses chains of nodes with one child and no prefix of
 * their own: these prefixes share long runs of bits and part at random
 * depths, so inserts split compressed chains (a prefix lands in or leaves
 * the bits a node skips) and deletes merge them back; lookups from
 * addresses that leave the skipped bits take the covering route.
 */

static uint8_t cl_base[4][4];

static struct ipifc_ip
gen_caddr(void)
{
	struct ipifc_ip a;
	int i;

	memset(&a, 0, sizeof(a));
	memcpy(a.a, cl_base[rnd() % 4], 4);
	for (i = 4; i < 16; i++)
		if (rnd() % 5 == 0)
			a.a[i] = (uint8_t)(1 + rnd() % 2);
	return a;
}

static int
gen_cplen(void)
{
	static const int l[] = { 16, 24, 32, 36, 48, 64, 65, 96, 120, 128 };

	return rnd() % 2 == 0 ? 17 + (int)(rnd() % 112) :
	    l[rnd() % (sizeof(l) / sizeof(l[0]))];
}

static void
test_clustered(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	struct ref *ref = calloc(1, sizeof(*ref));
	struct ipifc_route r, *burst[8];
	const struct ipifc_route *want;
	const struct ipifc_nexthop *nhburst[8];
	struct ipifc_ip dst[8];
	const char *env;
	long nops = NOPS / 2, op;
	int i, b, k, found, rv, hits = 0, lookups = 0;
	uint32_t id = 1;
	size_t fib;

	assert_non_null(ref);
	if ((env = getenv("IPIFC_ROUTE_OPS")) != NULL && atol(env) > 0)
		nops = atol(env) / 2;
	for (i = 0; i < 4; i++) {
		cl_base[i][0] = 0x20 | (rnd() & 0x1f);
		cl_base[i][1] = rnd();
		cl_base[i][2] = rnd();
		cl_base[i][3] = rnd();
	}
	/* Two /32s that share their first 31 bits. */
	memcpy(cl_base[3], cl_base[2], 4);
	cl_base[3][3] ^= 1;
	for (op = 0; op < nops; op++) {
		k = rnd() % 100;
		if (k < 40 && ref->n < CAP) {
			memset(&r, 0, sizeof(r));
			r.dst = gen_caddr();
			r.plen = gen_cplen();
			r.src = ipifc_ip_unspec6;
			if (rnd() % 8 == 0) {
				r.src = gen_caddr();
				r.splen = 64 + rnd() % 65;
			}
			r.gate.a[15] = (uint8_t)(rnd() % 6);
			snprintf(r.tag, sizeof(r.tag), "c%u", (unsigned)id++);
			rv = ipifc_rtab_add(t, &r);
			ref_mask(&r.dst, r.plen);
			ref_mask(&r.src, r.splen);
			for (found = 0, i = 0; i < ref->n; i++)
				if (ref_samekey(&ref->r[i], &r))
					found = 1;
			if (found)
				assert_int_equal(rv, -EEXIST);
			else {
				assert_int_equal(rv, 0);
				ref->r[ref->n++] = r;
			}
		} else if (k < 75) {
			if (ref->n == 0)
				continue;
			i = rnd() % ref->n;
			r = ref->r[i];
			assert_int_equal(ipifc_rtab_del(t, &r.dst, r.plen,
			    &r.src, r.splen), 0);
			ref->r[i] = ref->r[--ref->n];
		} else {
			for (i = 0; i < 8; i++) {
				dst[i] = gen_caddr();
				/* Now and then one bit off the cluster. */
				if (rnd() % 2 == 0) {
					b = rnd() % 128;
					dst[i].a[b / 8] ^= 0x80 >> (b % 8);
				}
				want = ref_lookup(ref, &dst[i], NULL);
				check_same(ipifc_rtab_lookup(t, &dst[i], NULL),
				    want);
				check_nh(ipifc_rtab_nexthop(t, &dst[i], NULL),
				    want);
				lookups++;
				hits += want != NULL;
			}
			ipifc_rtab_lookup_burst(t, dst, 8, burst);
			ipifc_rtab_nexthop_burst(t, dst, 8, nhburst);
			for (i = 0; i < 8; i++) {
				want = ref_lookup(ref, &dst[i], NULL);
				check_same(burst[i], want);
				check_nh(nhburst[i], want);
			}
		}
		assert_int_equal(ipifc_rtab_count(t), ref->n);
	}
	assert_true(hits > lookups / 4);
	for (i = ref->n - 1; i >= 0; i--)
		assert_int_equal(ipifc_rtab_del(t, &ref->r[i].dst,
		    ref->r[i].plen, &ref->r[i].src, ref->r[i].splen), 0);
	/* Emptied, the trie gives back all but its root. */
	ipifc_rtab_memory(t, &fib);
	assert_true(fib <= 2 * (1 << 18) * sizeof(void *));
	free(ref);
	ipifc_rtab_free(t);
}

/*
 * A compressed IPv6 node at its largest: under a /32 (its node's one
 * prefix, so the root's slot leads past it), 64 /42s with a /48 under
 * each make the node at bit 36 hold 64 children and 64 runs of leaves.
 */
static void
test_fullnode(void **state)
{
	struct ipifc_rtab *t = ipifc_rtab_new();
	char a[64], p[64];
	int i, round;

	/* Bits 36 to 41 are i: the third hextet is i << 6. */
	for (round = 0; round < 2; round++) {
		assert_int_equal(add(t, "2001:db8::", 32, "::", 0), 0);
		for (i = 0; i < 64; i++) {
			snprintf(a, sizeof(a), "2001:db8:%x::", i << 6);
			assert_int_equal(add(t, a, 42, "::", 0), 0);
			snprintf(a, sizeof(a), "2001:db8:%x::", i << 6 | 1);
			assert_int_equal(add(t, a, 48, "::", 0), 0);
		}
		for (i = 0; i < 64; i++) {
			snprintf(a, sizeof(a), "2001:db8:%x::1", i << 6 | 2);
			snprintf(p, sizeof(p), "2001:db8:%x::", i << 6);
			expect(t, a, NULL, p, 42, "::", 0);
			snprintf(a, sizeof(a), "2001:db8:%x:1::1", i << 6 | 1);
			snprintf(p, sizeof(p), "2001:db8:%x::", i << 6 | 1);
			expect(t, a, NULL, p, 48, "::", 0);
		}
		expect(t, "2001:db8:ffff::1", NULL, "2001:db8::", 32, "::", 0);
		expect(t, "2001:db9::1", NULL, NULL, 0, NULL, 0);
		for (i = 0; i < 64; i++) {
			snprintf(a, sizeof(a), "2001:db8:%x::", i << 6);
			assert_int_equal(del(t, a, 42, "::", 0), 0);
			snprintf(a, sizeof(a), "2001:db8:%x::", i << 6 | 1);
			assert_int_equal(del(t, a, 48, "::", 0), 0);
		}
		assert_int_equal(del(t, "2001:db8::", 32, "::", 0), 0);
	}
	ipifc_rtab_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_get_del),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_longest_dst),
		cmocka_unit_test(test_source_specific),
		cmocka_unit_test(test_many_sources),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_walk_order),
		cmocka_unit_test(test_type_fmt),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_clustered),
		cmocka_unit_test(test_fullnode),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
