/*
 * ipifcd's privileged parent reads the stack process's requests with
 * ipifcd_priv_parse (daemon/priv.c): a well-formed request of each kind
 * is taken, and every malformed one is refused with a reason (the parent
 * then logs it and ends the daemon): too short for its header, an
 * unknown type, an argument length that is zero, over the bound or not
 * the datagram's, a NUL inside, a device or interface name that is no
 * Linux interface name (too long, '/', ':', a space, empty), a capture
 * file outside the capture directory (carrier and xdpdone, the release
 * of an xdp: device, alike).  And the parent's loop
 * (ipifcd_priv_serve) against a forked stand-in for the stack process: a
 * well-formed request is answered and a clean exit gives status 0 (an
 * xdpdone for an interface the parent holds no xdp: open of gets
 * -ENOENT); a
 * malformed request, or one carrying a descriptor, gets no answer, the
 * stand-in reads the end of the socket (it ignores SIGTERM, as the
 * stack process waiting for an answer does) and the status is 1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/socket.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

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
	n = msg(buf, IPIFCD_PRIV_XDPDONE, 15, "veth01234567890", 15);
	assert_int_equal(ipifcd_priv_parse(buf, n, &req, &why), 0);
	assert_int_equal(req.type, IPIFCD_PRIV_XDPDONE);
	assert_string_equal(req.arg, "veth01234567890");
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
	n = msg(buf, IPIFCD_PRIV_LAST + 1, 4, "tap:", 4);
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
	refused(buf, n, "not an interface name");
	n = msg(buf, IPIFCD_PRIV_CARRIER, 3, "a/b", 3);
	refused(buf, n, "not an interface name");
	n = msg(buf, IPIFCD_PRIV_CARRIER, 2, "..", 2);
	refused(buf, n, "not an interface name");
	n = msg(buf, IPIFCD_PRIV_OPEN, 20, "tap:veth012345678901", 20);
	refused(buf, n, "not KIND:NAME with NAME an interface name");
	n = msg(buf, IPIFCD_PRIV_OPEN, 7, "tap:a/b", 7);
	refused(buf, n, "not KIND:NAME with NAME an interface name");
	n = msg(buf, IPIFCD_PRIV_OPEN, 7, "tap:a b", 7);
	refused(buf, n, "not KIND:NAME with NAME an interface name");
	n = msg(buf, IPIFCD_PRIV_OPEN, 4, "tap:", 4);
	refused(buf, n, "not KIND:NAME with NAME an interface name");
	n = msg(buf, IPIFCD_PRIV_OPEN, 6, "ipifc0", 6);
	refused(buf, n, "not KIND:NAME with NAME an interface name");
	n = msg(buf, IPIFCD_PRIV_CAPTURE, 11, "/etc/passwd", 11);
	refused(buf, n, "not a file name in the capture directory");
	n = msg(buf, IPIFCD_PRIV_CAPTURE, 4, "../x", 4);
	refused(buf, n, "not a file name in the capture directory");
	n = msg(buf, IPIFCD_PRIV_CAPTURE, 2, "..", 2);
	refused(buf, n, "not a file name in the capture directory");
	n = msg(buf, IPIFCD_PRIV_XDPDONE, 16, "veth012345678901", 16);
	refused(buf, n, "not an interface name");
	n = msg(buf, IPIFCD_PRIV_XDPDONE, 3, "a/b", 3);
	refused(buf, n, "not an interface name");
	n = msg(buf, IPIFCD_PRIV_XDPDONE, 0, "", 0);
	refused(buf, n, "argument length out of bounds");
}

/* What the stand-in does over its end of the socket; its exit code. */
enum { SEND_GOOD, SEND_GARBAGE, SEND_FD, SEND_XDPDONE };

static void
on_term(int sig)
{
	(void)sig;
}

static int
standin(int fd, int what)
{
	uint8_t buf[64], rep[64];
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(sizeof(int))];
	} cb;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *c;
	size_t n = msg(buf, what == SEND_XDPDONE ? IPIFCD_PRIV_XDPDONE :
	    IPIFCD_PRIV_CARRIER, 2, "lo", 2);
	struct sigaction sa;
	int32_t rc;
	int one = 1;

	/* SIGTERM caught, as libevent does, and the wait resumed */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	memset(&m, 0, sizeof(m));
	iov.iov_base = buf;
	iov.iov_len = n;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (what == SEND_GARBAGE)
		iov.iov_len = n - 1;
	if (what == SEND_FD) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &one, sizeof(int));
	}
	if (sendmsg(fd, &m, 0) == -1)
		return 2;
	/* an answer (16 bytes) to a good request; else the end of file */
	if (recv(fd, rep, sizeof(rep), 0) != (what == SEND_GOOD ||
	    what == SEND_XDPDONE ? 16 : 0))
		return 3;
	/* an xdp: device the parent does not hold: refused, not fatal */
	memcpy(&rc, rep, sizeof(rc));
	if (what == SEND_XDPDONE)
		return rc == -ENOENT ? 0 : 5;
	return what == SEND_GOOD ? 0 : 4;
}

/*
 * The parent's loop against a stand-in doing what; the loop's status.
 * A stand-in that got no answer waits in recv until the loop closes its
 * end: without that this would hang (meson's timeout fails it).
 */
static int
serve_one(int what)
{
	int sv[2], rc;
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
	    sv), 0);
	pid = fork();
	assert_true(pid != -1);
	if (pid == 0) {
		close(sv[0]);
		_exit(standin(sv[1], what));
	}
	close(sv[1]);
	rc = ipifcd_priv_serve(sv[0], pid);	/* closes sv[0] */
	return rc;
}

static void
test_serve(void **state)
{
	(void)state;
	assert_int_equal(serve_one(SEND_GOOD), 0);
	assert_int_equal(serve_one(SEND_GARBAGE), 1);
	assert_int_equal(serve_one(SEND_FD), 1);
	assert_int_equal(serve_one(SEND_XDPDONE), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_serve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
