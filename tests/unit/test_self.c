/*
 * The self table (core/self.c) through the internal API, on a real stack
 * with real addresses, asserted through what a user reads (ipselftab,
 * ipifc/N/local, ipifc_ipforme): reference counts per linking address, several
 * addresses linking one entry, the entry's type as the OR of its links,
 * dropping every link of an address at once, the lookup itself, and
 * "accept all" while the unspecified address is configured; the keyed
 * hash (SipHash vectors), and the self and neighbor tables answering
 * right through growth and shrinking whatever the seed.  One test reads
 * the tables' insides: test_internal_seeded_layout, an internal invariant
 * no file shows (see its comment).
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

static struct ipifc_lifc *
lifc(struct ipifc_stack *s, const char *a)
{
	struct ipifc_ip x = ip(a);
	struct ipifc_lifc *l = ipifc_lifc_bylocal(s, &x);

	assert_non_null(l);
	return l;
}

/* How many addresses link a, as ipselftab shows it; -1: no line. */
static int
selflinks(struct ipifc_stack *s, const char *a)
{
	char v[16];

	if (file_word(s, "ipselftab", a, 1, v, sizeof(v)) < 0)
		return -1;
	return atoi(v);
}

/* Does local address l of interface n link self entry a (ipifc/n/local)? */
static int
links(struct ipifc_stack *s, int n, const char *l, const char *a)
{
	char path[32], word[IPIFC_IPSTRLEN];
	int i;

	snprintf(path, sizeof(path), "ipifc/%d/local", n);
	for (i = 2; file_word(s, path, l, i, word, sizeof(word)) == 0; i++)
		if (strcmp(word, a) == 0)
			return 1;
	return 0;
}

static unsigned
forme(struct ipifc_stack *s, const char *a)
{
	struct ipifc_ip x = ip(a);

	return ipifc_ipforme(s, &x);
}

struct fix {
	struct ipifc_stack *s;		/* first, for teardown_stack() */
	struct ipifc_lifc *l1, *l2;
};

/* ether sim:x with 10.0.0.1/24 and 10.0.0.2/24; sim:y with 10.1.0.1/24 */
static int
setup(void **state)
{
	static struct fix f;

	f.s = mkstack(1, 0);
	w(f.s, "ipifc/clone", "bind ether sim:x");
	w(f.s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(f.s, "ipifc/0/ctl", "add 10.0.0.2 /24");
	w(f.s, "ipifc/clone", "bind ether sim:y");
	w(f.s, "ipifc/1/ctl", "add 10.1.0.1 /24");
	f.l1 = lifc(f.s, "10.0.0.1");
	f.l2 = lifc(f.s, "10.1.0.1");
	*state = &f;
	return 0;
}

static void
test_ref_same_lifc(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip a = ip("192.0.2.99");

	assert_null(ipifc_self_find(f->s, &a));
	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_UNI, f->l1), 0);
	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_UNI, f->l1), 0);
	assert_non_null(ipifc_self_find(f->s, &a));
	assert_int_equal(selflinks(f->s, "192.0.2.99"), 1);
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	assert_true(file_has(f->s, "ipselftab", "192.0.2.99 1 4u"));

	/* one remove keeps the entry: the link held two references */
	ipifc_self_remove(f->s, &a, f->l1);
	assert_non_null(ipifc_self_find(f->s, &a));
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	assert_int_equal(ipifc_ipforme(f->s, &a), IPIFC_RT_UNI);

	/* a remove by an address that does not link it changes nothing */
	ipifc_self_remove(f->s, &a, f->l2);
	assert_non_null(ipifc_self_find(f->s, &a));
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	/* nor does an entry-only remove while links remain */
	ipifc_self_remove(f->s, &a, NULL);
	assert_non_null(ipifc_self_find(f->s, &a));

	/* the last reference of the link goes, and the entry with it */
	ipifc_self_remove(f->s, &a, f->l1);
	assert_null(ipifc_self_find(f->s, &a));
	assert_false(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	assert_int_equal(ipifc_ipforme(f->s, &a), 0);
	assert_false(file_has(f->s, "ipselftab", "192.0.2.99 1 4u"));
	/* removing what is not there is harmless */
	ipifc_self_remove(f->s, &a, f->l1);
	ipifc_self_remove(f->s, &a, NULL);
	assert_null(ipifc_self_find(f->s, &a));
}

static void
test_two_links_type(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip a = ip("192.0.2.99");

	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_UNI, f->l1), 0);
	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_BCAST, f->l2), 0);
	assert_non_null(ipifc_self_find(f->s, &a));
	assert_int_equal(selflinks(f->s, "192.0.2.99"), 2);
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	assert_true(links(f->s, 1, "10.1.0.1", "192.0.2.99"));
	assert_int_equal(ipifc_ipforme(f->s, &a),
	    IPIFC_RT_UNI | IPIFC_RT_BCAST);
	assert_true(file_has(f->s, "ipselftab", "192.0.2.99 2 4ub"));

	/* the type shrinks to what the remaining links give */
	ipifc_self_remove(f->s, &a, f->l1);
	assert_non_null(ipifc_self_find(f->s, &a));
	assert_int_equal(selflinks(f->s, "192.0.2.99"), 1);
	assert_int_equal(ipifc_ipforme(f->s, &a), IPIFC_RT_BCAST);
	assert_true(file_has(f->s, "ipselftab", "192.0.2.99 1 4b"));

	/* one address, two types: the link carries both */
	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_MULTI, f->l1), 0);
	assert_int_equal(ipifc_ipforme(f->s, &a),
	    IPIFC_RT_BCAST | IPIFC_RT_MULTI);
	ipifc_self_remove(f->s, &a, f->l2);
	assert_int_equal(ipifc_ipforme(f->s, &a), IPIFC_RT_MULTI);
	ipifc_self_remove(f->s, &a, f->l1);
	assert_null(ipifc_self_find(f->s, &a));
}

/* The entries addresses add themselves share links the same way. */
static void
test_shared_by_addresses(void **state)
{
	struct fix *f = *state;

	/* two addresses of one prefix: the broadcasts have two links */
	assert_true(file_has(f->s, "ipselftab", "10.0.0.255 2 4b"));
	assert_true(file_has(f->s, "ipselftab", "10.0.0.0 2 4b"));
	/* three IPv4 addresses on two interfaces */
	assert_true(file_has(f->s, "ipselftab", "255.255.255.255 3 4b"));
	assert_true(file_has(f->s, "ipselftab", "224.0.0.1 3 4m"));
	assert_true(file_has(f->s, "ipselftab", "10.0.0.1 1 4u"));
	w(f->s, "ipifc/0/ctl", "remove 10.0.0.2 /24");
	assert_true(file_has(f->s, "ipselftab", "10.0.0.255 1 4b"));
	assert_true(file_has(f->s, "ipselftab", "255.255.255.255 2 4b"));
	assert_int_equal(forme(f->s, "10.0.0.2"), 0);
	assert_int_equal(forme(f->s, "10.0.0.255"), IPIFC_RT_BCAST);
}

static void
test_remove_all(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip a = ip("192.0.2.99"), b = ip("192.0.2.100");

	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_UNI, f->l1), 0);
	assert_int_equal(ipifc_self_add(f->s, &a, IPIFC_RT_UNI, f->l1), 0);
	assert_int_equal(ipifc_self_add(f->s, &b, IPIFC_RT_UNI, f->l1), 0);
	assert_int_equal(ipifc_self_add(f->s, &b, IPIFC_RT_MULTI, f->l2), 0);
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.99"));
	assert_true(links(f->s, 0, "10.0.0.1", "192.0.2.100"));

	ipifc_self_remove_all(f->s, f->l1);
	assert_true(file_has(f->s, "ipifc/0/local", "10.0.0.1 ->"));
	/* whatever the reference count, l1's links are gone */
	assert_null(ipifc_self_find(f->s, &a));
	assert_int_equal(forme(f->s, "10.0.0.1"), 0);
	/* entries others link stay, with their type */
	assert_non_null(ipifc_self_find(f->s, &b));
	assert_int_equal(selflinks(f->s, "192.0.2.100"), 1);
	assert_int_equal(ipifc_ipforme(f->s, &b), IPIFC_RT_MULTI);
	assert_true(file_has(f->s, "ipselftab", "10.0.0.255 1 4b"));
	assert_true(file_has(f->s, "ipselftab", "224.0.0.1 2 4m"));
	assert_int_equal(forme(f->s, "10.0.0.2"), IPIFC_RT_UNI);
	/* again: nothing left to drop */
	ipifc_self_remove_all(f->s, f->l1);
	assert_non_null(ipifc_self_find(f->s, &b));
	ipifc_self_remove(f->s, &b, f->l2);
	assert_null(ipifc_self_find(f->s, &b));
}

static void
test_ipforme_answers(void **state)
{
	struct fix *f = *state;

	assert_int_equal(forme(f->s, "10.0.0.1"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "10.0.0.2"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "10.1.0.1"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "10.0.0.255"), IPIFC_RT_BCAST);
	assert_int_equal(forme(f->s, "10.0.0.0"), IPIFC_RT_BCAST);
	assert_int_equal(forme(f->s, "255.255.255.255"), IPIFC_RT_BCAST);
	assert_int_equal(forme(f->s, "224.0.0.1"), IPIFC_RT_MULTI);
	/* tentative: not ours yet (RFC 4862 5.4), its group joined at once */
	assert_int_equal(forme(f->s, "fe80::ff:fe00:100"), 0);
	assert_int_equal(forme(f->s, "ff02::1:ff00:100"), IPIFC_RT_MULTI);
	run_until(f->s, 2000);	/* probe delay (<= 1 s) + RetransTimer */
	assert_int_equal(forme(f->s, "fe80::ff:fe00:100"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "ff02::1"), IPIFC_RT_MULTI);
	assert_int_equal(forme(f->s, "ff02::1:ff00:100"), IPIFC_RT_MULTI);
	assert_int_equal(forme(f->s, "10.0.0.3"), 0);
	assert_int_equal(forme(f->s, "10.0.1.255"), 0);
	assert_int_equal(forme(f->s, "224.0.0.2"), 0);
	assert_int_equal(forme(f->s, "0.0.0.0"), 0);
	assert_int_equal(forme(f->s, "::"), 0);
	/* the same 32 bits in another family are another address */
	assert_int_equal(forme(f->s, "::a00:1"), 0);
	assert_int_equal(forme(f->s, "::ffff:10.0.0.1"), IPIFC_RT_UNI);
}

/* Many entries: more than there are hash buckets, every one found. */
static void
test_ipforme_many(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip a;
	int i, n = 4 * IPIFC_SELFHASH;

	for (i = 0; i < n; i++) {
		ipifc_ip_v4(&a, 0xc6120000u + (uint32_t)i * 3);	/* 198.18/15 */
		assert_int_equal(ipifc_self_add(f->s, &a,
		    i % 2 ? IPIFC_RT_UNI : IPIFC_RT_MULTI, f->l1), 0);
	}
	for (i = 0; i < 3 * n; i++) {
		ipifc_ip_v4(&a, 0xc6120000u + (uint32_t)i);
		if (i % 3 != 0)
			assert_int_equal(ipifc_ipforme(f->s, &a), 0);
		else
			assert_int_equal(ipifc_ipforme(f->s, &a),
			    (i / 3) % 2 ? IPIFC_RT_UNI : IPIFC_RT_MULTI);
	}
	/* removing every other one leaves the rest reachable */
	for (i = 0; i < n; i += 2) {
		ipifc_ip_v4(&a, 0xc6120000u + (uint32_t)i * 3);
		ipifc_self_remove(f->s, &a, f->l1);
	}
	for (i = 0; i < n; i++) {
		ipifc_ip_v4(&a, 0xc6120000u + (uint32_t)i * 3);
		assert_int_equal(ipifc_ipforme(f->s, &a),
		    i % 2 ? IPIFC_RT_UNI : 0);
		if (i % 2)
			ipifc_self_remove(f->s, &a, f->l1);
	}
	assert_int_equal(forme(f->s, "10.0.0.1"), IPIFC_RT_UNI);
	ipifc_ip_v4(&a, 0xc6120003u);
	assert_null(ipifc_self_find(f->s, &a));
}

/*
 * Tables past 1 MiB (mapped on their own) and back: 60000 addresses of
 * each family, removed in a shuffled order, every one answered at each
 * stage and the tables' slots, filters and entries agreeing.
 */
#define NLARGE	60000

static void
large_addr(struct ipifc_ip *a, int v6, int i)
{
	if (!v6) {
		ipifc_ip_v4(a, 0x64400000u + (uint32_t)i);	/* 100.64/10 */
		return;
	}
	*a = ip("2001:db8:1::");
	a->a[12] = (uint8_t)(i >> 24);
	a->a[13] = (uint8_t)(i >> 16);
	a->a[14] = (uint8_t)(i >> 8);
	a->a[15] = (uint8_t)i;
}

/*
 * A free slot's key is zero, so 0.0.0.0 and :: (which the probe tells
 * from a free slot by its entry) must still be found, and still end no
 * run of other keys, among their family's addresses filling a table of
 * thousands of slots as full as it goes (13 in 16, many buckets
 * overflowing), through every resize and removal; none of as many others
 * is found, with or without the filter.  Four sets of addresses a family,
 * so that some key's probe goes past the zero key's bucket.
 */
#define NZERO	6000		/* at least; then up to the table's fill */

static void
test_zero_key(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip z, a;
	struct ipifc_selftab *t;
	int i, n, v6, base, r;

	for (r = 0; r < 8; r++) {
		v6 = r & 1;
		base = (r >> 1) * 100000;
		z = ip(v6 ? "::" : "0.0.0.0");
		assert_int_equal(ipifc_self_add(f->s, &z, IPIFC_RT_UNI, NULL),
		    0);
		t = v6 ? &f->s->self6 : &f->s->self4;
		for (n = 0; t->n < NZERO ||
		    t->n < ipifc_self_full(f->s, v6); n++) {
			large_addr(&a, v6, base + n);
			assert_int_equal(ipifc_self_add(f->s, &a,
			    IPIFC_RT_ANY, NULL), 0);
			if (n % 1000 == 0)
				assert_int_equal(ipifc_self_type(f->s, &z),
				    IPIFC_RT_UNI);
		}
		assert_true(t->size > 4096 &&
		    t->n == ipifc_self_full(f->s, v6) && t->n > t->size / 4 * 3);
		assert_true(ipifc_self_consistent(f->s));
		for (i = 0; i < n; i++) {
			large_addr(&a, v6, base + i);
			assert_int_equal(ipifc_self_type(f->s, &a),
			    IPIFC_RT_ANY);
			large_addr(&a, v6, base + n + i);
			assert_int_equal(ipifc_self_type(f->s, &a), 0);
			assert_true(ipifc_self_slot(f->s, &a) < 0);
		}
		for (i = 0; i < n; i++) {
			large_addr(&a, v6, base + i);
			ipifc_self_remove(f->s, &a, NULL);
			if (i % 500 == 0) {
				assert_int_equal(ipifc_self_type(f->s, &z),
				    IPIFC_RT_UNI);
				assert_true(ipifc_self_consistent(f->s));
			}
		}
		assert_int_equal(ipifc_self_type(f->s, &z), IPIFC_RT_UNI);
		ipifc_self_remove(f->s, &z, NULL);
		assert_int_equal(ipifc_self_type(f->s, &z), 0);
		assert_true(ipifc_self_slot(f->s, &z) < 0);
		assert_true(ipifc_self_consistent(f->s));
	}
}

static void
test_large_tables(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip a;
	unsigned base4 = f->s->self4.n, base6 = f->s->self6.n;
	static int order[NLARGE];
	uint32_t x = 7;
	int i, j, k, v6;

	for (v6 = 0; v6 < 2; v6++)
		for (i = 0; i < NLARGE; i++) {
			large_addr(&a, v6, i);
			assert_int_equal(ipifc_self_add(f->s, &a,
			    i % 3 ? IPIFC_RT_UNI : IPIFC_RT_ANY, NULL), 0);
		}
	assert_true(f->s->self4.maplen > 0 && f->s->self6.maplen > 0);
	assert_true(ipifc_self_consistent(f->s));
	for (i = 0; i < NLARGE; i++)
		order[i] = i;
	for (i = NLARGE - 1; i > 0; i--) {
		x = x * 1103515245u + 12345u;
		j = (int)((x >> 8) % (uint32_t)(i + 1));
		k = order[i];
		order[i] = order[j];
		order[j] = k;
	}
	for (k = 0; k < NLARGE; k++) {
		for (v6 = 0; v6 < 2; v6++) {
			large_addr(&a, v6, order[k]);
			assert_int_equal(ipifc_ipforme(f->s, &a),
			    order[k] % 3 ? IPIFC_RT_UNI : IPIFC_RT_ANY);
			ipifc_self_remove(f->s, &a, NULL);
			assert_int_equal(ipifc_ipforme(f->s, &a), 0);
		}
		if (k % 10000 == 0 || k == NLARGE / 2 + 7)
			assert_true(ipifc_self_consistent(f->s));
		/* what is left is still answered */
		if (k == NLARGE / 2)
			for (i = NLARGE / 2 + 1; i < NLARGE; i++)
				for (v6 = 0; v6 < 2; v6++) {
					large_addr(&a, v6, order[i]);
					assert_true(ipifc_ipforme(f->s, &a) != 0);
				}
	}
	/* back to the fixture's own, in small tables */
	assert_true(ipifc_self_consistent(f->s));
	assert_int_equal(f->s->self4.n, base4);
	assert_int_equal(f->s->self6.n, base6);
	assert_true(f->s->self4.maplen == 0 && f->s->self6.maplen == 0);
	assert_true(f->s->self4.size <= 1024);
	assert_int_equal(forme(f->s, "10.0.0.1"), IPIFC_RT_UNI);
}

static void
test_acceptall_v4(void **state)
{
	struct fix *f = *state;

	assert_int_equal(forme(f->s, "198.51.100.7"), 0);
	w(f->s, "ipifc/0/ctl", "add 0.0.0.0 /0");
	assert_int_equal(forme(f->s, "198.51.100.7"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "2001:db8::77"), IPIFC_RT_UNI);
	/* what is in the table still answers with its own type */
	assert_int_equal(forme(f->s, "224.0.0.1"), IPIFC_RT_MULTI);
	assert_int_equal(forme(f->s, "255.255.255.255"), IPIFC_RT_BCAST);
	w(f->s, "ipifc/0/ctl", "remove 0.0.0.0 /0");
	assert_int_equal(forme(f->s, "198.51.100.7"), 0);
	assert_int_equal(forme(f->s, "2001:db8::77"), 0);
	assert_int_equal(forme(f->s, "0.0.0.0"), 0);
	assert_int_equal(forme(f->s, "10.0.0.1"), IPIFC_RT_UNI);
}

static void
test_acceptall_both(void **state)
{
	struct fix *f = *state;
	struct ipifc_ip z = ip("0.0.0.0");

	w(f->s, "ipifc/0/ctl", "add 0.0.0.0 /0");
	w(f->s, "ipifc/1/ctl", "add :: /0");
	assert_int_equal(forme(f->s, "198.51.100.7"), IPIFC_RT_UNI);
	w(f->s, "ipifc/0/ctl", "remove 0.0.0.0 /0");
	/* :: is still configured */
	assert_int_equal(forme(f->s, "198.51.100.7"), IPIFC_RT_UNI);
	w(f->s, "ipifc/1/ctl", "remove :: /0");
	assert_int_equal(forme(f->s, "198.51.100.7"), 0);

	/* the entry, not each link, makes accept-all */
	w(f->s, "ipifc/0/ctl", "add 0.0.0.0 /0");
	assert_int_equal(ipifc_self_add(f->s, &z, IPIFC_RT_UNI, f->l2), 0);
	assert_int_equal(selflinks(f->s, "0.0.0.0"), 2);
	w(f->s, "ipifc/0/ctl", "remove 0.0.0.0 /0");
	assert_int_equal(forme(f->s, "198.51.100.7"), IPIFC_RT_UNI);
	ipifc_self_remove(f->s, &z, f->l2);
	assert_null(ipifc_self_find(f->s, &z));
	assert_int_equal(forme(f->s, "198.51.100.7"), 0);
}

/* Only the unspecified address itself accepts all, not an entry equal to it. */
static void
test_acceptall_only_unspec_local(void **state)
{
	struct fix *f = *state;

	/* a /0 subnet's host-zero broadcast is 0.0.0.0: not a local address */
	w(f->s, "ipifc/1/ctl", "add 10.7.0.1 /0");
	assert_int_equal(forme(f->s, "10.7.0.1"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "198.51.100.7"), 0);
	assert_int_equal(forme(f->s, "2001:db8::77"), 0);
}

/*
 * A property test: random adds, removes and retypes of links from two
 * addresses and from no address, to a pool of addresses that makes the
 * table grow and shrink (0.0.0.0 and :: among them, for accept-all),
 * checked against a plain model of links after every step.
 * IPIFC_TEST_OPS=N runs N steps (millions for a soak).
 */
#define POOL	600

struct mlink {
	int	ref;
	unsigned type;
};

static struct mlink model[POOL][3];

static struct ipifc_ip
pool_ip(int i)
{
	struct ipifc_ip a;

	if (i == 0)
		return ip("0.0.0.0");
	if (i == 1)
		return ip("::");
	if (i % 2)
		ipifc_ip_v4(&a, 0xc6120000u + (uint32_t)i);	/* 198.18/15 */
	else {
		a = ip("2001:db8:5e1f::");
		a.a[14] = (uint8_t)(i >> 8);
		a.a[15] = (uint8_t)i;
	}
	return a;
}

static unsigned
model_forme(int i)
{
	unsigned t = 0;
	int j;

	for (j = 0; j < 3; j++)
		if (model[i][j].ref > 0)
			t |= model[i][j].type;
	return t;
}

/* After every step: what the lookups answer for pool address i. */
static void
check_one(struct fix *f, int i)
{
	struct ipifc_ip a = pool_ip(i);
	unsigned want = model_forme(i) & IPIFC_SELF_SHOWN;
	int j, links = 0;

	for (j = 0; j < 3; j++)
		links += model[i][j].ref > 0;
	if (links == 0) {
		assert_null(ipifc_self_find(f->s, &a));
		if ((model_forme(0) | model_forme(1)) & IPIFC_RT_UNI)
			want = IPIFC_RT_UNI;	/* accept-all */
	} else
		assert_non_null(ipifc_self_find(f->s, &a));
	assert_int_equal(ipifc_ipforme(f->s, &a), want);
	assert_int_equal(ipifc_self_tentative(f->s, &a),
	    (model_forme(i) & IPIFC_SELF_TENTATIVE) != 0);
}

/* The line of text that begins with the word first, NULL if none. */
static const char *
line_of(const char *text, const char *first)
{
	const char *p, *e;
	size_t k = strlen(first);

	for (p = text; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = p + strcspn(p, "\n");
		if (strncmp(p, first, k) == 0 && (p[k] == ' ' || p + k == e))
			return p;
	}
	return NULL;
}

/* Is word a in the line of text that begins with first? */
static int
line_lists(const char *text, const char *first, const char *a)
{
	const char *p, *e;
	size_t n = strlen(a);

	if ((p = line_of(text, first)) != NULL) {
		e = p + strcspn(p, "\n");
		for (p += strlen(first); p < e; p += strcspn(p, " \n")) {
			p += strspn(p, " ");
			if ((size_t)(e - p) >= n && strncmp(p, a, n) == 0 &&
			    (p[n] == ' ' || p + n == e))
				return 1;
		}
	}
	return 0;
}

/*
 * Now and then, every pool address against the model through the files:
 * its ipselftab line (how many addresses link it, the type), and the
 * links of the two addresses in ipifc/0/local and ipifc/1/local.
 */
static void
check_all(struct fix *f)
{
	static const char *const local[2] = { "10.0.0.1", "10.1.0.1" };
	char *tab = rd(f->s, "ipselftab");
	char *loc[2] = { rd(f->s, "ipifc/0/local"), rd(f->s, "ipifc/1/local") };
	char a[IPIFC_IPSTRLEN], line[IPIFC_IPSTRLEN + 32], type[16];
	const char *x;
	struct ipifc_ip ip;
	int i, j, nlinks, shown;

	for (i = 0; i < POOL; i++) {
		check_one(f, i);
		ip = pool_ip(i);
		ipifc_ip_fmt(&ip, a, sizeof(a));
		for (nlinks = 0, j = 0; j < 2; j++)
			nlinks += model[i][j].ref > 0;
		ipifc_type_fmt(model_forme(i) |
		    (ipifc_ip_isv4(&ip) ? IPIFC_RT_V4 : 0), type, sizeof(type));
		x = line_of(tab, a);
		if ((model_forme(i) & IPIFC_SELF_SHOWN) == 0) {
			assert_null(x);
			continue;
		}
		snprintf(line, sizeof(line), "%s %d %s\n", a, nlinks, type);
		assert_non_null(x);
		assert_memory_equal(x, line, strlen(line));
		for (j = 0; j < 2; j++) {
			shown = model[i][j].ref > 0 &&
			    (model[i][j].type & IPIFC_SELF_SHOWN) != 0;
			assert_int_equal(line_lists(loc[j], local[j], a), shown);
		}
	}
	free(tab);
	free(loc[0]);
	free(loc[1]);
}

static void
test_model_random(void **state)
{
	static const unsigned types[] = { IPIFC_RT_UNI, IPIFC_RT_BCAST,
	    IPIFC_RT_MULTI, IPIFC_RT_ANY, IPIFC_SELF_TENTATIVE,
	    IPIFC_RT_UNI | IPIFC_RT_MULTI };
	struct fix *f = *state;
	struct ipifc_lifc *ls[3] = { f->l1, f->l2, NULL };
	struct ipifc_ip a;
	uint32_t x = 1;
	long op, nops = 200000;
	const char *e;
	int i, j, r, want;
	unsigned t;

	if ((e = getenv("IPIFC_TEST_OPS")) != NULL && atol(e) > 0)
		nops = atol(e);
	memset(model, 0, sizeof(model));
	for (op = 0; op < nops; op++) {
		x = x * 1103515245u + 12345u;
		r = (int)((x >> 16) % 100);
		/* a pool that fills and drains: adds win in waves */
		want = (op / 20000) % 2 == 0 ? 60 : 35;
		x = x * 1103515245u + 12345u;
		i = (int)((x >> 8) % POOL);
		j = (int)((x >> 4) % 3);
		t = types[(x >> 24) % 6];
		a = pool_ip(i);
		if (r < want) {
			assert_int_equal(ipifc_self_add(f->s, &a, t, ls[j]), 0);
			model[i][j].type |= t;
			model[i][j].ref++;
		} else if (r < 90) {
			ipifc_self_remove(f->s, &a, ls[j]);
			if (model[i][j].ref > 0 && --model[i][j].ref == 0)
				model[i][j].type = 0;
		} else {
			ipifc_self_retype(f->s, &a, ls[j], t);
			if (model[i][j].ref > 0)
				model[i][j].type = t;
		}
		check_one(f, i);
		check_one(f, (int)((x >> 12) % POOL));
		if (op % 5000 == 0)
			check_all(f);
	}
	for (i = 0; i < POOL; i++) {
		a = pool_ip(i);
		for (j = 0; j < 3; j++)
			while (model[i][j].ref > 0) {
				ipifc_self_remove(f->s, &a, ls[j]);
				model[i][j].ref--;
			}
		model[i][0].type = model[i][1].type = model[i][2].type = 0;
	}
	check_all(f);
	/* the addresses of the fixture are still there */
	assert_int_equal(forme(f->s, "10.0.0.1"), IPIFC_RT_UNI);
	assert_int_equal(forme(f->s, "10.1.0.255"), IPIFC_RT_BCAST);
}

/* ---- the keyed hash (core/ipaddr.c) ---- */

static void
test_siphash_vectors(void **state)
{
	uint8_t k[16], m[16];
	uint64_t key[2];
	struct ipifc_ip a;
	int i;

	(void)state;
	for (i = 0; i < 16; i++)
		k[i] = m[i] = (uint8_t)i;
	ipifc_hashkey_set(key, k);
	/* the SipHash paper's reference vectors, 16 bytes 00..0f */
	assert_true(ipifc_siphash24_16(key, m) == 0x3f2acc7f57c29bdbull);
	/* SipHash-1-3 of the same, from an independent implementation */
	memcpy(a.a, m, 16);
	assert_true(ipifc_ip_hash(key, &a) == (uint32_t)0xcc4fdd1a7d908b66ull);
}

/* A stack whose tables hash under seed s0 (the rest of the 16 bytes 0). */
static struct ipifc_stack *
seeded(uint8_t s0)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	cfg.hashseed[0] = s0;
	s = ipifc_stack_new(&cfg);
	assert_non_null(s);
	return s;
}

#define NKEYS	200

static const char *
nth_addr(int i, char *buf, size_t len)
{
	if (i % 2)
		snprintf(buf, len, "2001:db8::%x", i + 0x100);
	else
		snprintf(buf, len, "10.0.%d.%d", i / 250, i % 250 + 1);
	return buf;
}

/*
 * Pool entry i of the seeded tests: a self address, a neighbor and its
 * MAC, which says i.
 */
static void
seeded_key(int i, struct ipifc_ip *a, char *peer, char *mac, size_t len)
{
	char buf[64];

	*a = ip(nth_addr(i, buf, sizeof(buf)));
	snprintf(peer, len, "10.1.%d.%d", i / 250, i % 250 + 1);
	snprintf(mac, len, "02:00:00:%02x:%02x:02", i / 256, i % 256);
}

/* ether sim:x, NKEYS self entries and neighbors, in a stack of seed s0. */
static struct ipifc_stack *
seeded_filled(uint8_t s0)
{
	struct ipifc_stack *s = seeded(s0);
	struct ipifc_ip a;
	char peer[64], mac[64], line[160];
	int i;

	w(s, "ipifc/clone", "bind ether sim:x");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "add 10.255.0.1 /8");
	w(s, "ipifc/0/ctl", "add 2001:db8::1/64");
	for (i = 0; i < NKEYS; i++) {
		seeded_key(i, &a, peer, mac, sizeof(peer));
		assert_int_equal(ipifc_self_add(s, &a, IPIFC_RT_UNI, NULL), 0);
		snprintf(line, sizeof(line), "add %s %s", peer, mac);
		w(s, "arp", line);
	}
	return s;
}

/*
 * Every key of the pool answers as it should: self entry i through
 * ipforme, neighbor i through its line of the arp file (with its own
 * MAC), each there while i % step == 0 (step > 0), else gone.
 */
static void
check_seeded(struct ipifc_stack *s, int selfstep, int nbrstep)
{
	struct ipifc_ip a;
	char peer[64], mac[64], got[64];
	int i;

	for (i = 0; i < NKEYS; i++) {
		seeded_key(i, &a, peer, mac, sizeof(peer));
		assert_int_equal(ipifc_ipforme(s, &a),
		    selfstep > 0 && i % selfstep == 0 ? IPIFC_RT_UNI : 0);
		if (nbrstep > 0 && i % nbrstep == 0) {
			assert_int_equal(file_word(s, "arp", peer, 1, got,
			    sizeof(got)), 0);
			assert_string_equal(got, mac);
			assert_int_equal(count_matches(s, "arp", peer,
			    MATCH_WORD), 1);
		} else
			assert_false(file_has_word(s, "arp", peer));
	}
}

/*
 * Whatever the seed, the self and neighbor tables answer right through
 * their growth from empty to NKEYS entries, and through removals that
 * find each entry by its address (arp del) and shrink the self table
 * (down to a tenth, then none).
 */
static void
test_seeded_tables_answer(void **state)
{
	struct ipifc_stack *s;
	struct ipifc_ip a;
	char peer[64], mac[64], line[160];
	int i, seed;

	(void)state;
	for (seed = 1; seed <= 2; seed++) {
		s = seeded_filled((uint8_t)seed);
		check_seeded(s, 1, 1);
		for (i = 0; i < NKEYS; i++) {
			if (i % 10 == 0)
				continue;
			seeded_key(i, &a, peer, mac, sizeof(peer));
			ipifc_self_remove(s, &a, NULL);
			if (i % 2 == 0)
				continue;
			snprintf(line, sizeof(line), "del %s", peer);
			w(s, "arp", line);
		}
		check_seeded(s, 10, 2);
		for (i = 0; i < NKEYS; i += 10) {
			seeded_key(i, &a, peer, mac, sizeof(peer));
			ipifc_self_remove(s, &a, NULL);
		}
		check_seeded(s, 0, 2);
		assert_int_equal(forme(s, "10.255.0.1"), IPIFC_RT_UNI);
		assert_int_equal(forme(s, "2001:db8::1"), IPIFC_RT_UNI);
		ipifc_stack_free(s);
	}
}

/*
 * ---- internal invariant: the seeded layout ----
 *
 * No file or lookup shows where an entry lies in its table (ipselftab
 * and arp are sorted, lookups answer alike in any layout).  What the seed
 * buys, that a stranger who does not know it cannot aim many keys at one
 * bucket, is in the layout alone, so these read the tables' slots and
 * chains (ipifc_self_slot, struct ipifc_stack self4 and self6, struct
 * ipifc_ifc nbrhsize and nbrhash, struct ipifc_nbr hnext and ip).
 */

/* The slot of its family's table that holds a's self entry, or -1. */
static int
self_bucket(struct ipifc_stack *s, const struct ipifc_ip *a)
{
	return (int)ipifc_self_slot(s, a);
}

/* The bucket of ifc's neighbor table that holds a's entry, or -1. */
static int
nbr_bucket(struct ipifc_ifc *ifc, const struct ipifc_ip *a)
{
	struct ipifc_nbr *n;
	unsigned i;

	for (i = 0; i < ifc->nbrhsize; i++)
		for (n = ifc->nbrhash[i]; n != NULL; n = n->hnext)
			if (ipifc_ip_eq(&n->ip, a))
				return (int)i;
	return -1;
}

/*
 * The same addresses and neighbors in three stacks: the two of one seed
 * lay their tables out alike, the one of another seed puts most keys in
 * other buckets.
 */
static void
test_internal_seeded_layout(void **state)
{
	struct ipifc_stack *s[3];
	struct ipifc_ifc *ifc[3];
	struct ipifc_ip a, peer;
	char ptext[64], mac[64];
	int i, j, bs[3], bn[3], samediff = 0, seeddiff = 0, nbrdiff = 0;

	(void)state;
	s[0] = seeded_filled(1);
	s[1] = seeded_filled(1);
	s[2] = seeded_filled(2);
	for (j = 0; j < 3; j++)
		assert_non_null(ifc[j] = ipifc_ifc_bynum(s[j], 0));
	assert_int_equal(s[0]->self4.size, s[2]->self4.size);
	assert_int_equal(s[0]->self6.size, s[2]->self6.size);
	assert_true(ipifc_self_consistent(s[0]));
	assert_int_equal(ifc[0]->nbrhsize, ifc[2]->nbrhsize);
	for (i = 0; i < NKEYS; i++) {
		seeded_key(i, &a, ptext, mac, sizeof(ptext));
		peer = ip(ptext);
		for (j = 0; j < 3; j++) {
			bs[j] = self_bucket(s[j], &a);
			bn[j] = nbr_bucket(ifc[j], &peer);
			assert_true(bs[j] >= 0 && bn[j] >= 0);
		}
		samediff += bs[0] != bs[1] || bn[0] != bn[1];
		seeddiff += bs[0] != bs[2];
		nbrdiff += bn[0] != bn[2];
	}
	assert_int_equal(samediff, 0);
	/* at 256+ buckets a chance agreement is under 1 in 200 */
	assert_true(seeddiff > NKEYS * 9 / 10);
	assert_true(nbrdiff > NKEYS * 9 / 10);
	for (j = 0; j < 3; j++) {
		/* what no address links, the caller unlinks */
		for (i = 0; i < NKEYS; i++) {
			seeded_key(i, &a, ptext, mac, sizeof(ptext));
			ipifc_self_remove(s[j], &a, NULL);
		}
		ipifc_stack_free(s[j]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ref_same_lifc, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_two_links_type, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_shared_by_addresses, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_remove_all, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_ipforme_answers, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_ipforme_many, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_large_tables, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_zero_key, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_acceptall_v4, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_acceptall_both, setup,
		    teardown_stack),
		cmocka_unit_test_setup_teardown(test_acceptall_only_unspec_local,
		    setup, teardown_stack),
		cmocka_unit_test_setup_teardown(test_model_random, setup,
		    teardown_stack),
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_seeded_tables_answer),
		cmocka_unit_test(test_internal_seeded_layout),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
