/*
 * ipifcd's privileged parent reads the stack process's requests with
 * ipifcd_priv_parse (daemon/priv.c): a well-formed request of each kind
 * is taken, and every malformed one is refused with a reason (the parent
 * then logs it and ends the daemon): too short for its header, an
 * unknown type, an argument length that is zero, over the bound or not
 * the datagram's, a NUL inside, an interface name too long.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ipifcd.h"

static size_t
msg(uint8_t *buf, uint32_t type, uint32_t len, const char *arg, size_t n)
{
	memcpy(buf, &type, 4);
	memcpy(buf + 4, &len, 4);
	memcpy(buf + 8, arg, n);
	return 8 + n;
}

static void
test_good(void **state)
{
	static uint8_t buf[8 + IPIFCD_PRIV_MAXARG];
	static struct ipifcd_priv_req req;
	static char big[IPIFCD_PRIV_MAXARG];
	const char *why = NULL;
	size_t n;

	(void)state;
	n = msg(buf, IPIFCD_PRIV_OPEN, 10, "tap:ipifc0", 10);
	assert_int_equal(ipifcd_priv_parse(buf, n, &req, &why), 0);
	assert_int_equal(req.type, IPIFCD_PRIV_OPEN);
	assert_string_equal(req.arg, "tap:ipifc0");
	n = msg(buf, IPIFCD_PRIV_CARRIER, 15, "veth01234567890", 15);
	assert_int_equal(ipifcd_priv_parse(buf, n, &req, &why), 0);
	assert_string_equal(req.arg, "veth01234567890");
	memset(big, 'x', sizeof(big));
	n = msg(buf, IPIFCD_PRIV_CAPTURE, sizeof(big), big, sizeof(big));
	assert_int_equal(ipifcd_priv_parse(buf, n, &req, &why), 0);
	assert_int_equal(req.type, IPIFCD_PRIV_CAPTURE);
	assert_int_equal(strlen(req.arg), sizeof(big));
}

static void
refused(const uint8_t *buf, size_t n, const char *reason)
{
	static struct ipifcd_priv_req req;
	const char *why = NULL;

	assert_int_equal(ipifcd_priv_parse(buf, n, &req, &why), -1);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void
test_malformed(void **state)
{
	static uint8_t buf[16 + IPIFCD_PRIV_MAXARG];
	size_t n, i;

	(void)state;
	n = msg(buf, IPIFCD_PRIV_OPEN, 4, "tap:", 4);
	for (i = 0; i < 8; i++)
		refused(buf, i, "shorter than its header");
	n = msg(buf, 0, 4, "tap:", 4);
	refused(buf, n, "unknown type");
	n = msg(buf, IPIFCD_PRIV_CAPTURE + 1, 4, "tap:", 4);
	refused(buf, n, "unknown type");
	n = msg(buf, UINT32_MAX, 4, "tap:", 4);
	refused(buf, n, "unknown type");
	n = msg(buf, IPIFCD_PRIV_OPEN, 0, "", 0);
	refused(buf, n, "argument length out of bounds");
	memset(buf + 8, 'x', IPIFCD_PRIV_MAXARG + 1);
	msg(buf, IPIFCD_PRIV_CAPTURE, IPIFCD_PRIV_MAXARG + 1, "", 0);
	refused(buf, 8 + IPIFCD_PRIV_MAXARG + 1,
	    "argument length out of bounds");
	n = msg(buf, IPIFCD_PRIV_OPEN, 5, "tap:x", 5);
	refused(buf, n - 1, "length does not match the datagram");
	refused(buf, n + 1, "length does not match the datagram");
	n = msg(buf, IPIFCD_PRIV_OPEN, UINT32_MAX, "tap:x", 5);
	refused(buf, n, "argument length out of bounds");
	n = msg(buf, IPIFCD_PRIV_CAPTURE, 5, "a\0/..", 5);
	refused(buf, n, "NUL in the argument");
	n = msg(buf, IPIFCD_PRIV_CARRIER, 16, "veth012345678901", 16);
	refused(buf, n, "interface name too long");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
