#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ipifc.h"

static struct ipifc_ip
ip(const char *s)
{
	struct ipifc_ip a;

	memset(&a, 0xa5, sizeof(a));
	if (ipifc_ip_parse(s, &a) != 0)
		fail_msg("cannot parse \"%s\"", s);
	return a;
}

/* Parse s and print it again; must give want. */
static void
roundtrip(const char *s, const char *want)
{
	struct ipifc_ip a;
	char	 buf[IPIFC_IPSTRLEN];

	a = ip(s);
	assert_string_equal(ipifc_ip_fmt(&a, buf, sizeof(buf)), want);
}

static void
rejected(const char *s)
{
	struct ipifc_ip a, before;

	memset(&a, 0x5a, sizeof(a));
	before = a;
	if (ipifc_ip_parse(s, &a) != -EINVAL)
		fail_msg("accepted \"%s\"", s);
	/* a failed parse leaves the output alone */
	assert_memory_equal(&a, &before, sizeof(a));
}

static void
test_parse_v4(void **state)
{
	struct ipifc_ip a;
	static const uint8_t want[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1
	};

	assert_int_equal(ipifc_ip_parse("192.0.2.1", &a), 0);
	assert_memory_equal(a.a, want, 16);
	assert_true(ipifc_ip_isv4(&a));
	assert_int_equal(ipifc_ip_v4val(&a), 0xc0000201);
	roundtrip("0.0.0.0", "0.0.0.0");
	roundtrip("255.255.255.255", "255.255.255.255");
	roundtrip("10.0.0.1", "10.0.0.1");
}

static void
test_parse_v4_rejects(void **state)
{
	rejected("");
	rejected("1.2.3");
	rejected("1.2.3.4.5");
	rejected("256.1.1.1");
	rejected("1.2.3.256");
	rejected("1.2.3.1000");
	rejected("01.2.3.4");		/* leading zero: octal elsewhere */
	rejected("1.2.3.04");
	rejected("+1.2.3.4");
	rejected("-1.2.3.4");
	rejected(" 1.2.3.4");
	rejected("1.2.3.4 ");
	rejected("1.2.3.4x");
	rejected("1..3.4");
	rejected("1.2.3.");
	rejected(".1.2.3");
	rejected("1.2.3.4/24");
	rejected("0x1.2.3.4");
	rejected("a.b.c.d");
	assert_int_equal(ipifc_ip_parse(NULL, NULL), -EINVAL);
}

static void
test_parse_v6(void **state)
{
	struct ipifc_ip a;
	static const uint8_t db81[16] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
	};

	assert_int_equal(ipifc_ip_parse("2001:db8::1", &a), 0);
	assert_memory_equal(a.a, db81, 16);
	assert_false(ipifc_ip_isv4(&a));
	assert_false(ipifc_ip_eq(&a, &ipifc_ip_loopback6));

	a = ip("::");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_unspec6));
	a = ip("::1");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_loopback6));
	a = ip("ff02::1");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_allnodes));
	a = ip("FF02:0:0:0:0:0:0:2");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_allrouters));
	a = ip("ff01::1");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_allnodes_node));

	/* "::" at the start, the middle and the end */
	a = ip("1::");
	assert_int_equal(a.a[1], 1);
	assert_int_equal(a.a[15], 0);
	a = ip("1:2:3:4:5:6:7::");
	assert_int_equal(a.a[13], 7);
	assert_int_equal(a.a[15], 0);
	a = ip("::2:3:4:5:6:7:8");
	assert_int_equal(a.a[1], 0);
	assert_int_equal(a.a[3], 2);
	assert_int_equal(a.a[15], 8);
}

static void
test_parse_v6_rejects(void **state)
{
	rejected(":");
	rejected(":::");
	rejected("1:2:3:4:5:6:7");
	rejected("1:2:3:4:5:6:7:8:9");
	rejected("1:2:3:4:5:6:7:8::");	/* "::" must stand for a group */
	rejected("::1:2:3:4:5:6:7:8");
	rejected("1::2::3");
	rejected("1:::2");
	rejected(":1::2");
	rejected("1::2:");
	rejected("12345::1");
	rejected("g::1");
	rejected("fe80::1%eth0");	/* zone ids are not addresses */
	rejected("::1 ");
	rejected(" ::1");
	rejected("[::1]");
	rejected("::1/64");
	rejected("::ffff:1.2.3");
	rejected("::ffff:1.2.3.256");
	rejected("::1.2.3.4:1");	/* dotted quad only at the end */
	rejected("1:2:3:4:5:6:7:1.2.3.4");
	rejected("1:2:3:4:5:6:1.2.3.4:8");
	rejected("::ffff:01.2.3.4");
}

static void
test_embedded_v4(void **state)
{
	struct ipifc_ip a, b;

	/* v4-mapped text is the same address as the dotted quad */
	a = ip("::ffff:192.0.2.1");
	b = ip("192.0.2.1");
	assert_true(ipifc_ip_eq(&a, &b));
	roundtrip("::ffff:192.0.2.1", "192.0.2.1");
	roundtrip("::FFFF:c000:201", "192.0.2.1");

	/* RFC 6052 well-known prefix prints in hex: it is not v4 */
	a = ip("64:ff9b::1.2.3.4");
	assert_false(ipifc_ip_isv4(&a));
	assert_int_equal(a.a[12], 1);
	assert_int_equal(a.a[15], 4);
	roundtrip("64:ff9b::1.2.3.4", "64:ff9b::102:304");
	roundtrip("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304");
}

static void
test_fmt_rfc5952(void **state)
{
	roundtrip("2001:db8::1", "2001:db8::1");
	roundtrip("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
	/* 4.2.3: the first of equal runs */
	roundtrip("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
	/* 4.2.2: a single zero group is not compressed */
	roundtrip("2001:0db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
	/* 4.2.3: the longest run wins over an earlier shorter one */
	roundtrip("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");
	roundtrip("::", "::");
	roundtrip("::1", "::1");
	roundtrip("fe80::", "fe80::");
	roundtrip("FE80::ABCD:EF01", "fe80::abcd:ef01");
	roundtrip("0:0:0:0:0:0:0:0", "::");
	roundtrip("1:0:0:0:0:0:0:0", "1::");
	roundtrip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	roundtrip("1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0");
	/* ::ffff:0:0/96 is v4; ::0:0/96 (v4-compatible) is not */
	roundtrip("::1.2.3.4", "::102:304");
}

static void
test_fmt_truncates(void **state)
{
	struct ipifc_ip a;
	char	 buf[IPIFC_IPSTRLEN];
	char	 small[8];

	a = ip("2001:db8::1");
	memset(small, 'x', sizeof(small));
	assert_ptr_equal(ipifc_ip_fmt(&a, small, 5), small);
	assert_string_equal(small, "2001");
	assert_int_equal(small[5], 'x');	/* nothing past len */

	/* len 0 writes nothing */
	memset(small, 'x', sizeof(small));
	ipifc_ip_fmt(&a, small, 0);
	assert_int_equal(small[0], 'x');

	a = ip("1111:2222:3333:4444:5555:6666:7777:8888");
	assert_string_equal(ipifc_ip_fmt(&a, buf, sizeof(buf)),
	    "1111:2222:3333:4444:5555:6666:7777:8888");
}

static void
test_mask_parse(void **state)
{
	int	 plen;

	assert_int_equal(ipifc_mask_parse("/24", 1, &plen), 0);
	assert_int_equal(plen, 120);
	assert_int_equal(ipifc_mask_parse("/0", 1, &plen), 0);
	assert_int_equal(plen, 96);
	assert_int_equal(ipifc_mask_parse("/32", 1, &plen), 0);
	assert_int_equal(plen, 128);
	assert_int_equal(ipifc_mask_parse("255.255.255.0", 1, &plen), 0);
	assert_int_equal(plen, 120);
	assert_int_equal(ipifc_mask_parse("255.255.255.254", 1, &plen), 0);
	assert_int_equal(plen, 127);
	assert_int_equal(ipifc_mask_parse("255.255.128.0", 1, &plen), 0);
	assert_int_equal(plen, 113);
	assert_int_equal(ipifc_mask_parse("0.0.0.0", 1, &plen), 0);
	assert_int_equal(plen, 96);
	assert_int_equal(ipifc_mask_parse("255.255.255.255", 1, &plen), 0);
	assert_int_equal(plen, 128);

	assert_int_equal(ipifc_mask_parse("/64", 0, &plen), 0);
	assert_int_equal(plen, 64);
	assert_int_equal(ipifc_mask_parse("/128", 0, &plen), 0);
	assert_int_equal(plen, 128);
	assert_int_equal(ipifc_mask_parse("ffff:ffff:ffff:ffff::", 0, &plen),
	    0);
	assert_int_equal(plen, 64);
	assert_int_equal(ipifc_mask_parse("ffff:ffff:ffff:fff0::", 0, &plen),
	    0);
	assert_int_equal(plen, 60);
	assert_int_equal(ipifc_mask_parse("::", 0, &plen), 0);
	assert_int_equal(plen, 0);
}

static void
test_mask_rejects(void **state)
{
	int	 plen = -7;

	assert_int_equal(ipifc_mask_parse("255.0.255.0", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("255.255.255.1", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("0.255.255.255", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/33", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/129", 0, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/-1", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/+8", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/24x", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/ 24", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("/99999999999", 0, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("24", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("ffff:0:ffff::", 0, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("::ffff", 0, &plen), -EINVAL);
	/* each family takes only its own mask form */
	assert_int_equal(ipifc_mask_parse("ffff:ffff::", 1, &plen), -EINVAL);
	assert_int_equal(ipifc_mask_parse("255.255.255.0", 0, &plen), -EINVAL);
	assert_int_equal(plen, -7);
}

static void
test_mask_fmt(void **state)
{
	struct ipifc_ip v4, v6;
	char	 buf[8];

	v4 = ip("10.1.2.3");
	v6 = ip("2001:db8::");
	assert_string_equal(ipifc_mask_fmt(&v4, 120, buf, sizeof(buf)), "/24");
	assert_string_equal(ipifc_mask_fmt(&v4, 128, buf, sizeof(buf)), "/32");
	assert_string_equal(ipifc_mask_fmt(&v4, 96, buf, sizeof(buf)), "/0");
	assert_string_equal(ipifc_mask_fmt(&v6, 64, buf, sizeof(buf)), "/64");
	assert_string_equal(ipifc_mask_fmt(&v6, 128, buf, sizeof(buf)),
	    "/128");
	assert_string_equal(ipifc_mask_fmt(&v6, 128, buf, 3), "/1");
}

static void
test_mask_hostones(void **state)
{
	struct ipifc_ip a, out;
	char	 buf[IPIFC_IPSTRLEN];

	a = ip("192.168.37.200");
	ipifc_ip_mask(&out, &a, 120);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "192.168.37.0");
	ipifc_ip_mask(&out, &a, 115);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "192.168.32.0");
	ipifc_ip_hostones(&out, &a, 115);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "192.168.63.255");
	ipifc_ip_hostones(&out, &a, 128);
	assert_true(ipifc_ip_eq(&out, &a));

	a = ip("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
	ipifc_ip_mask(&out, &a, 64);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "2001:db8:aaaa:bbbb::");
	ipifc_ip_mask(&out, &a, 0);
	assert_true(ipifc_ip_eq(&out, &ipifc_ip_unspec6));
	ipifc_ip_hostones(&out, &a, 0);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");

	/* in place */
	a = ip("fe80::1234");
	ipifc_ip_mask(&a, &a, 10);
	assert_string_equal(ipifc_ip_fmt(&a, buf, sizeof(buf)), "fe80::");
}

static void
test_cpl_inprefix(void **state)
{
	struct ipifc_ip a, b, p;

	a = ip("2001:db8::1");
	b = ip("2001:db8::1");
	assert_int_equal(ipifc_ip_cpl(&a, &b), 128);
	b = ip("2001:db8::");
	assert_int_equal(ipifc_ip_cpl(&a, &b), 127);
	b = ip("2001:db8:8000::");
	assert_int_equal(ipifc_ip_cpl(&a, &b), 32);
	b = ip("8001::");
	assert_int_equal(ipifc_ip_cpl(&a, &b), 0);

	a = ip("10.0.0.1");
	b = ip("10.0.1.1");
	assert_int_equal(ipifc_ip_cpl(&a, &b), 96 + 23);

	p = ip("10.0.0.0");
	assert_true(ipifc_ip_inprefix(&a, &p, 104));
	assert_true(ipifc_ip_inprefix(&b, &p, 104));
	assert_true(ipifc_ip_inprefix(&a, &p, 120));
	assert_false(ipifc_ip_inprefix(&b, &p, 120));
	assert_true(ipifc_ip_inprefix(&a, &ipifc_ip_unspec4, 96));
	a = ip("2001:db8::1");
	assert_false(ipifc_ip_inprefix(&a, &ipifc_ip_unspec4, 96));
	assert_true(ipifc_ip_inprefix(&a, &ipifc_ip_unspec6, 0));
}

static void
test_v4_cmp(void **state)
{
	struct ipifc_ip a, b;

	ipifc_ip_v4(&a, 0x7f000001);
	b = ip("127.0.0.1");
	assert_true(ipifc_ip_eq(&a, &b));
	assert_int_equal(ipifc_ip_v4val(&a), 0x7f000001);
	assert_int_equal(ipifc_ip_cmp(&a, &b), 0);
	b = ip("127.0.0.2");
	assert_true(ipifc_ip_cmp(&a, &b) < 0);
	assert_true(ipifc_ip_cmp(&b, &a) > 0);
	/* memcmp order: every v4-mapped address sorts before 2000::/3 */
	b = ip("2001:db8::");
	assert_true(ipifc_ip_cmp(&a, &b) < 0);
	assert_false(ipifc_ip_isv4(&ipifc_ip_unspec6));
	assert_true(ipifc_ip_isv4(&ipifc_ip_unspec4));
	b = ip("::fffe:1.2.3.4");
	assert_false(ipifc_ip_isv4(&b));
}

static void
test_constants(void **state)
{
	struct ipifc_ip a;

	a = ip("0.0.0.0");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_unspec4));
	a = ip("255.255.255.255");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_bcast4));
	a = ip("224.0.0.1");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_allsys4));
	a = ip("::");
	assert_true(ipifc_ip_eq(&a, &ipifc_ip_unspec6));
}

static void
test_classify(void **state)
{
	struct ipifc_ip a;

	assert_true(ipifc_ip_isunspec(&ipifc_ip_unspec6));
	assert_true(ipifc_ip_isunspec(&ipifc_ip_unspec4));
	a = ip("::1");
	assert_false(ipifc_ip_isunspec(&a));
	assert_true(ipifc_ip_isloopback(&a));
	a = ip("127.255.0.9");
	assert_true(ipifc_ip_isloopback(&a));
	a = ip("128.0.0.1");
	assert_false(ipifc_ip_isloopback(&a));
	a = ip("::2");
	assert_false(ipifc_ip_isloopback(&a));

	a = ip("fe80::1");
	assert_true(ipifc_ip_islinklocal(&a));
	a = ip("febf::1");
	assert_true(ipifc_ip_islinklocal(&a));
	a = ip("fec0::1");
	assert_false(ipifc_ip_islinklocal(&a));
	a = ip("169.254.3.4");
	assert_true(ipifc_ip_islinklocal(&a));
	a = ip("169.253.3.4");
	assert_false(ipifc_ip_islinklocal(&a));

	a = ip("ff02::1");
	assert_true(ipifc_ip_ismulti(&a));
	a = ip("224.0.0.1");
	assert_true(ipifc_ip_ismulti(&a));
	a = ip("239.255.255.255");
	assert_true(ipifc_ip_ismulti(&a));
	a = ip("240.0.0.1");
	assert_false(ipifc_ip_ismulti(&a));
	a = ip("223.255.255.255");
	assert_false(ipifc_ip_ismulti(&a));
	a = ip("fe00::1");
	assert_false(ipifc_ip_ismulti(&a));

	assert_true(ipifc_ip_isbcast(&ipifc_ip_bcast4));
	a = ip("10.255.255.255");
	assert_false(ipifc_ip_isbcast(&a));
	a = ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	assert_false(ipifc_ip_isbcast(&a));

	a = ip("fc00::1");
	assert_true(ipifc_ip_isula(&a));
	a = ip("fdff:1234::1");
	assert_true(ipifc_ip_isula(&a));
	a = ip("fe00::1");
	assert_false(ipifc_ip_isula(&a));
	a = ip("2001:db8::1");
	assert_false(ipifc_ip_isula(&a));
}

static void
test_scope(void **state)
{
	struct {
		const char *ip;
		int	 scope;
	} t[] = {
		{ "ff01::1", IPIFC_SCOPE_IFACE },
		{ "ff02::1", IPIFC_SCOPE_LINK },
		{ "ff04::1", IPIFC_SCOPE_ADMIN },
		{ "ff05::1:3", IPIFC_SCOPE_SITE },
		{ "ff18::1", IPIFC_SCOPE_ORG },
		{ "ff3e::8000:1", IPIFC_SCOPE_GLOBAL },
		{ "::1", IPIFC_SCOPE_LINK },
		{ "fe80::1", IPIFC_SCOPE_LINK },
		{ "fec0::1", IPIFC_SCOPE_SITE },
		{ "fd00::1", IPIFC_SCOPE_GLOBAL },
		{ "2001:db8::1", IPIFC_SCOPE_GLOBAL },
		{ "127.0.0.1", IPIFC_SCOPE_LINK },
		{ "169.254.1.1", IPIFC_SCOPE_LINK },
		{ "10.0.0.1", IPIFC_SCOPE_GLOBAL },
		{ "192.0.2.1", IPIFC_SCOPE_GLOBAL },
		{ "224.0.0.251", IPIFC_SCOPE_LINK },
		{ "224.0.1.1", IPIFC_SCOPE_GLOBAL },
		{ "239.1.2.3", IPIFC_SCOPE_GLOBAL },
	};
	struct ipifc_ip a;
	size_t	 i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		a = ip(t[i].ip);
		if (ipifc_ip_scope(&a) != t[i].scope)
			fail_msg("scope of %s: %d, want %d", t[i].ip,
			    ipifc_ip_scope(&a), t[i].scope);
	}
}

static void
test_classplen(void **state)
{
	struct ipifc_ip a;

	a = ip("10.1.2.3");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 8);
	a = ip("0.0.0.0");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 8);
	a = ip("127.0.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 8);
	a = ip("128.0.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 16);
	a = ip("172.16.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 16);
	a = ip("191.255.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 16);
	a = ip("192.168.1.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 24);
	a = ip("223.1.1.1");
	assert_int_equal(ipifc_ip_classplen(&a), 96 + 24);
	a = ip("224.0.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), -1);
	a = ip("240.0.0.1");
	assert_int_equal(ipifc_ip_classplen(&a), -1);
	a = ip("2001:db8::1");
	assert_int_equal(ipifc_ip_classplen(&a), -1);
}

static void
test_solicited(void **state)
{
	struct ipifc_ip a, out;
	char	 buf[IPIFC_IPSTRLEN];

	a = ip("2001:db8::1:2:3:4");
	ipifc_ip_solicited(&out, &a);
	assert_string_equal(ipifc_ip_fmt(&out, buf, sizeof(buf)),
	    "ff02::1:ff03:4");
	assert_true(ipifc_ip_ismulti(&out));
	assert_int_equal(ipifc_ip_scope(&out), IPIFC_SCOPE_LINK);

	a = ip("fe80::211:22ff:fe33:4455");
	ipifc_ip_solicited(&a, &a);	/* in place */
	assert_string_equal(ipifc_ip_fmt(&a, buf, sizeof(buf)),
	    "ff02::1:ff33:4455");
}

static void
test_eui64(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t want[8] = {
		0x02, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55
	};
	static const uint8_t local[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x00 };
	static const uint8_t wantlocal[8] = {
		0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x00
	};
	struct ipifc_ip a;
	uint8_t	 iid[8];
	char	 buf[IPIFC_IPSTRLEN];

	ipifc_eui64(iid, mac);
	assert_memory_equal(iid, want, 8);
	/* the bit is flipped, not set: a local MAC gets a clear one */
	ipifc_eui64(iid, local);
	assert_memory_equal(iid, wantlocal, 8);

	a = ip("fe80::");
	ipifc_eui64(a.a + 8, mac);
	assert_string_equal(ipifc_ip_fmt(&a, buf, sizeof(buf)),
	    "fe80::211:22ff:fe33:4455");
}

static void
test_multimac(void **state)
{
	static const uint8_t m1[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	static const uint8_t m2[6] = { 0x01, 0x00, 0x5e, 0x01, 0x02, 0x03 };
	static const uint8_t m3[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x01 };
	static const uint8_t m4[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t m5[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	struct ipifc_ip g;
	uint8_t	 mac[6];

	g = ip("224.1.2.3");
	ipifc_ip_multimac(mac, &g);
	assert_memory_equal(mac, m1, 6);
	/* the high bit of the second byte is lost: same MAC as 224.1.2.3 */
	g = ip("239.129.2.3");
	ipifc_ip_multimac(mac, &g);
	assert_memory_equal(mac, m2, 6);
	g = ip("ff02::1:ff00:1");
	ipifc_ip_multimac(mac, &g);
	assert_memory_equal(mac, m3, 6);
	ipifc_ip_multimac(mac, &ipifc_ip_allsys4);
	assert_memory_equal(mac, m4, 6);
	ipifc_ip_multimac(mac, &ipifc_ip_allnodes);
	assert_memory_equal(mac, m5, 6);
}

static void
test_mac(void **state)
{
	static const uint8_t want[6] = { 0x02, 0x00, 0xab, 0xcd, 0x01, 0xff };
	static const uint8_t keep[6] = { 1, 2, 3, 4, 5, 6 };
	const char *bad[] = {
		"", "02:00:ab:cd:01", "02:00:ab:cd:01:ff:00",
		"02-00-ab-cd-01-ff", "2:00:ab:cd:01:ff", "02:00:ab:cd:01:f",
		"02:00:ab:cd:01:fff", "02:00:ab:cd:01:fg", "02:00:ab:cd:01:ff ",
		" 02:00:ab:cd:01:ff", "0200abcd01ff", "02:00:ab:cd:01:",
		"02::ab:cd:01:ff",
	};
	uint8_t	 mac[6];
	char	 buf[IPIFC_MACSTRLEN], small[6];
	size_t	 i;

	assert_int_equal(ipifc_mac_parse("02:00:AB:cd:01:fF", mac), 0);
	assert_memory_equal(mac, want, 6);
	assert_string_equal(ipifc_mac_fmt(mac, buf, sizeof(buf)),
	    "02:00:ab:cd:01:ff");
	assert_int_equal(ipifc_mac_parse(buf, mac), 0);
	assert_memory_equal(mac, want, 6);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(mac, keep, 6);
		if (ipifc_mac_parse(bad[i], mac) != -EINVAL)
			fail_msg("accepted MAC \"%s\"", bad[i]);
		assert_memory_equal(mac, keep, 6);
	}

	assert_string_equal(ipifc_mac_fmt(want, small, sizeof(small)),
	    "02:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v4_rejects),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_v6_rejects),
		cmocka_unit_test(test_embedded_v4),
		cmocka_unit_test(test_fmt_rfc5952),
		cmocka_unit_test(test_fmt_truncates),
		cmocka_unit_test(test_mask_parse),
		cmocka_unit_test(test_mask_rejects),
		cmocka_unit_test(test_mask_fmt),
		cmocka_unit_test(test_mask_hostones),
		cmocka_unit_test(test_cpl_inprefix),
		cmocka_unit_test(test_v4_cmp),
		cmocka_unit_test(test_constants),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_classplen),
		cmocka_unit_test(test_solicited),
		cmocka_unit_test(test_eui64),
		cmocka_unit_test(test_multimac),
		cmocka_unit_test(test_mac),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
