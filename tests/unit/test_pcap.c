/*
 * The pcap writer (io/pcap.c): the bytes of a capture with two frames
 * (file header, record headers, timestamps from the millisecond clock,
 * the frames themselves), an error remembered by write and reported by
 * close, an open that fails, and, when tcpdump is installed, that
 * tcpdump reads the file back as the frames written.
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
#include <unistd.h>

#include "pcap.h"
#include "util.h"

/* An ARP request who-has 10.0.0.2 tell 10.0.0.1 (RFC 826), 42 bytes. */
static const uint8_t arp_req[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* dst */
	0x02, 0x00, 0x00, 0x00, 0x01, 0x00,	/* src */
	0x08, 0x06,				/* ARP */
	0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
	0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 10, 0, 0, 1,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,
};

/* The same frame's reply, shortened: any bytes do for the writer. */
static const uint8_t short_frame[] = { 0xde, 0xad, 0xbe, 0xef, 0x01 };

static void
test_pcap_two_frames(void **state)
{
	struct ipifc_pcap *p;
	char path[PATHLEN];
	uint8_t *b;
	size_t len, off;

	(void)state;
	tmpname(path, "test_pcap");
	p = ipifc_pcap_open(path, IPIFC_PCAP_ETHERNET);
	assert_non_null(p);
	assert_int_equal(ipifc_pcap_linktype(p), 1);
	ipifc_pcap_write(p, 0, arp_req, sizeof(arp_req));
	ipifc_pcap_write(p, 3723456, short_frame, sizeof(short_frame));
	assert_int_equal(ipifc_pcap_close(p), 0);

	b = slurp(path, &len);
	assert_int_equal(len, 24 + 16 + sizeof(arp_req) + 16 +
	    sizeof(short_frame));
	/* the file header */
	assert_memory_equal(b, "\xd4\xc3\xb2\xa1", 4);
	assert_int_equal(le32(b), 0xa1b2c3d4);
	assert_int_equal(le16(b + 4), 2);
	assert_int_equal(le16(b + 6), 4);
	assert_int_equal(le32(b + 8), 0);		/* thiszone */
	assert_int_equal(le32(b + 12), 0);		/* sigfigs */
	assert_int_equal(le32(b + 16), 65535);		/* snaplen */
	assert_int_equal(le32(b + 20), 1);		/* LINKTYPE_ETHERNET */
	/* first record: at 0 ms */
	off = 24;
	assert_int_equal(le32(b + off), 0);
	assert_int_equal(le32(b + off + 4), 0);
	assert_int_equal(le32(b + off + 8), sizeof(arp_req));
	assert_int_equal(le32(b + off + 12), sizeof(arp_req));
	assert_memory_equal(b + off + 16, arp_req, sizeof(arp_req));
	/* second record: 3723456 ms is 3723 s and 456000 us */
	off += 16 + sizeof(arp_req);
	assert_int_equal(le32(b + off), 3723);
	assert_int_equal(le32(b + off + 4), 456000);
	assert_int_equal(le32(b + off + 8), sizeof(short_frame));
	assert_int_equal(le32(b + off + 12), sizeof(short_frame));
	assert_memory_equal(b + off + 16, short_frame, sizeof(short_frame));
	free(b);
	unlink(path);
}

static void
test_pcap_raw_linktype(void **state)
{
	struct ipifc_pcap *p;
	char path[PATHLEN];
	uint8_t *b;
	size_t len;

	(void)state;
	tmpname(path, "test_pcap");
	p = ipifc_pcap_open(path, IPIFC_PCAP_RAW);
	assert_non_null(p);
	assert_int_equal(ipifc_pcap_close(p), 0);
	b = slurp(path, &len);
	assert_int_equal(len, 24);
	assert_int_equal(le32(b + 20), 101);
	free(b);
	unlink(path);
}

/* A frame over the snaplen keeps its length, its bytes are cut. */
static void
test_pcap_snaplen(void **state)
{
	struct ipifc_pcap *p;
	char path[PATHLEN];
	uint8_t *frame, *b;
	size_t len;

	(void)state;
	tmpname(path, "test_pcap");
	frame = calloc(1, 70000);
	assert_non_null(frame);
	p = ipifc_pcap_open(path, IPIFC_PCAP_RAW);
	assert_non_null(p);
	ipifc_pcap_write(p, 1999, frame, 70000);
	assert_int_equal(ipifc_pcap_close(p), 0);
	b = slurp(path, &len);
	assert_int_equal(len, 24 + 16 + 65535);
	assert_int_equal(le32(b + 24), 1);
	assert_int_equal(le32(b + 28), 999000);
	assert_int_equal(le32(b + 32), 65535);
	assert_int_equal(le32(b + 36), 70000);
	free(b);
	free(frame);
	unlink(path);
}

/* A time past the format's 32-bit seconds: remembered, told at close. */
static void
test_pcap_error_at_close(void **state)
{
	struct ipifc_pcap *p;
	char path[PATHLEN];
	uint8_t *b;
	size_t len;

	(void)state;
	tmpname(path, "test_pcap");
	p = ipifc_pcap_open(path, IPIFC_PCAP_ETHERNET);
	assert_non_null(p);
	ipifc_pcap_write(p, (UINT64_C(1) << 32) * 1000, arp_req,
	    sizeof(arp_req));
	/* nothing more is written after the error */
	ipifc_pcap_write(p, 5, arp_req, sizeof(arp_req));
	assert_int_equal(ipifc_pcap_close(p), -EOVERFLOW);
	b = slurp(path, &len);
	assert_int_equal(len, 24);
	free(b);
	unlink(path);
}

/* A full device: the header's flush fails and open says so. */
static void
test_pcap_open_fails(void **state)
{
	struct ipifc_pcap *p;

	(void)state;
	errno = 0;
	p = ipifc_pcap_open("/nonexistent-dir/x.pcap", IPIFC_PCAP_ETHERNET);
	assert_null(p);
	assert_int_equal(errno, ENOENT);
	if (access("/dev/full", W_OK) == 0) {
		errno = 0;
		p = ipifc_pcap_open("/dev/full", IPIFC_PCAP_ETHERNET);
		assert_null(p);
		assert_int_equal(errno, ENOSPC);
	}
}

/* tcpdump (installed by scripts/deps.sh) reads what we write. */
static void
test_pcap_tcpdump_reads(void **state)
{
	struct ipifc_pcap *p;
	char path[PATHLEN], cmd[PATHLEN + 64], line[512], out[2048];
	FILE *f;
	size_t n = 0;
	int rc;

	(void)state;
	if (system("command -v tcpdump >/dev/null 2>&1") != 0) {
		print_message("tcpdump is not installed: skipped\n");
		skip();
	}
	tmpname(path, "test_pcap");
	p = ipifc_pcap_open(path, IPIFC_PCAP_ETHERNET);
	assert_non_null(p);
	ipifc_pcap_write(p, 1500, arp_req, sizeof(arp_req));
	ipifc_pcap_write(p, 2750, arp_req, sizeof(arp_req));
	assert_int_equal(ipifc_pcap_close(p), 0);

	snprintf(cmd, sizeof(cmd), "tcpdump -n -tt -r '%s' 2>&1",
	    path);
	f = popen(cmd, "r");
	assert_non_null(f);
	out[0] = '\0';
	while (fgets(line, sizeof(line), f) != NULL && n + strlen(line) <
	    sizeof(out)) {
		memcpy(out + n, line, strlen(line) + 1);
		n += strlen(line);
	}
	rc = pclose(f);
	print_message("%s", out);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out, "link-type EN10MB"));
	assert_non_null(strstr(out, "1.500000 ARP, Request who-has 10.0.0.2 "
	    "tell 10.0.0.1"));
	assert_non_null(strstr(out, "2.750000 ARP, Request who-has 10.0.0.2 "
	    "tell 10.0.0.1"));
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_two_frames),
		cmocka_unit_test(test_pcap_raw_linktype),
		cmocka_unit_test(test_pcap_snaplen),
		cmocka_unit_test(test_pcap_error_at_close),
		cmocka_unit_test(test_pcap_open_fails),
		cmocka_unit_test(test_pcap_tcpdump_reads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
