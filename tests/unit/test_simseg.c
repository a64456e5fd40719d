/*
 * Simulated segments (io/simseg.c), driven through their link operations
 * by fake hosts that record what they receive: a frame reaches every
 * other interface of its segment and not its sender, in the order sent,
 * no earlier than its time; segments do not leak into each other; the
 * queue is bounded (frames and bytes) and counts its drops; the storm
 * guard ends a reply loop; open refuses what is not sim:NAME and a kind
 * of frame the segment does not carry; close detaches; a capture holds
 * the frames sent, stamped with the virtual time.
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
#include <sys/stat.h>
#include <unistd.h>

#include "pcap.h"
#include "simseg.h"
#include "util.h"

#define MAXGOT	64

/* A fake host: a clock, and a log of the frames it received. */
struct fake {
	struct ipifc_simhost *h;
	uint64_t now;
	int	echo;		/* send every frame back on the same ifc */
	int	ngot;
	struct {
		int	ifc;
		size_t	len;
		uint8_t	first;	/* the frames' first byte tells them apart */
	} got[MAXGOT];
	uint64_t total;
};

static void
fake_input(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct fake *f = arg;

	f->total++;
	if (f->ngot < MAXGOT) {
		f->got[f->ngot].ifc = ifc;
		f->got[f->ngot].len = len;
		f->got[f->ngot].first = frame[0];
		f->ngot++;
	}
	if (f->echo)
		ipifc_simseg_ops.send(f->h, ifc, frame, len);
}

static uint64_t
fake_clock(void *arg)
{
	return ((struct fake *)arg)->now;
}

static void
fake_init(struct fake *f, struct ipifc_simnet *n)
{
	memset(f, 0, sizeof(*f));
	f->h = ipifc_simhost_new_fn(n, fake_input, fake_clock, f);
	assert_non_null(f->h);
}

static int
fake_open(struct fake *f, int ifc, const char *dev)
{
	uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x99 };
	int rc;

	rc = ipifc_simseg_ops.open(f->h, ifc, dev, mac);
	/* the segment leaves the stack's MAC alone */
	assert_int_equal(mac[5], 0x99);
	return rc;
}

static int
fake_send(struct fake *f, int ifc, uint8_t tag, size_t len)
{
	uint8_t buf[256];

	assert_true(len <= sizeof(buf));
	memset(buf, 0, sizeof(buf));
	buf[0] = tag;
	return ipifc_simseg_ops.send(f->h, ifc, buf, len);
}

static void
test_simseg_hub(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct ipifc_simseg_stats st;
	struct fake a, b, c;
	uint8_t buf[60];

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	fake_init(&c, n);
	assert_int_equal(fake_open(&a, 0, "sim:net0"), 0);
	assert_int_equal(fake_open(&b, 3, "sim:net0"), 0);
	assert_int_equal(fake_open(&c, 1, "sim:net0"), 0);

	/* the segment keeps its own copy */
	memset(buf, 0, sizeof(buf));
	buf[0] = 0xa1;
	assert_int_equal(ipifc_simseg_ops.send(a.h, 0, buf, sizeof(buf)), 0);
	buf[0] = 0xff;
	assert_int_equal(b.ngot, 0);		/* nothing moves by itself */
	assert_int_equal(ipifc_simnet_next(n), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 0), 1);
	assert_int_equal(ipifc_simnet_next(n), UINT64_MAX);
	assert_int_equal(a.ngot, 0);		/* not back to the sender */
	assert_int_equal(b.ngot, 1);
	assert_int_equal(b.got[0].ifc, 3);
	assert_int_equal(b.got[0].len, 60);
	assert_int_equal(b.got[0].first, 0xa1);
	assert_int_equal(c.ngot, 1);
	assert_int_equal(c.got[0].ifc, 1);
	assert_int_equal(c.got[0].first, 0xa1);

	assert_int_equal(ipifc_simnet_stats(n, "net0", &st), 0);
	assert_int_equal(st.sent, 1);
	assert_int_equal(st.delivered, 1);
	assert_int_equal(st.ports, 3);
	assert_int_equal(st.queued, 0);
	assert_int_equal(st.linktype, IPIFC_PCAP_ETHERNET);
	assert_int_equal(ipifc_simnet_stats(n, "sim:net0", &st), 0);
	assert_int_equal(ipifc_simnet_stats(n, "net1", &st), -ENOENT);

	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	ipifc_simhost_free(c.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

/* Frames from several senders come out in the order they were sent. */
static void
test_simseg_fifo(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct fake a, b, c;
	int i;

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	fake_init(&c, n);
	assert_int_equal(fake_open(&a, 0, "sim:x"), 0);
	assert_int_equal(fake_open(&b, 0, "sim:x"), 0);
	assert_int_equal(fake_open(&c, 0, "sim:x"), 0);
	for (i = 1; i <= 10; i++)
		assert_int_equal(fake_send(i % 2 ? &a : &b, 0, (uint8_t)i,
		    20), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 0), 10);
	assert_int_equal(c.ngot, 10);
	for (i = 0; i < 10; i++)
		assert_int_equal(c.got[i].first, i + 1);
	/* a hears b's frames, b hears a's, each in order */
	assert_int_equal(a.ngot, 5);
	assert_int_equal(b.ngot, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(a.got[i].first, 2 * i + 2);
		assert_int_equal(b.got[i].first, 2 * i + 1);
	}
	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	ipifc_simhost_free(c.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

/*
 * A frame is stamped with its sender's clock and waits for it; across
 * segments the oldest goes first, ties in the order sent.
 */
static void
test_simseg_time_and_segments(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct fake a, b, c;

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	fake_init(&c, n);
	/* c listens on both segments; a is on s1 only, b on s2 only */
	assert_int_equal(fake_open(&a, 0, "sim:s1"), 0);
	assert_int_equal(fake_open(&b, 0, "sim:s2"), 0);
	assert_int_equal(fake_open(&c, 1, "sim:s1"), 0);
	assert_int_equal(fake_open(&c, 2, "sim:s2"), 0);
	assert_int_equal(fake_open(&c, 2, "sim:s1"), -EBUSY);

	a.now = 10;
	b.now = 5;
	assert_int_equal(fake_send(&a, 0, 1, 20), 0);	/* t 10 */
	assert_int_equal(fake_send(&b, 0, 2, 20), 0);	/* t 5 */
	b.now = 10;
	assert_int_equal(fake_send(&b, 0, 3, 20), 0);	/* t 10 */
	assert_int_equal(ipifc_simnet_next(n), 5);
	assert_int_equal(ipifc_simnet_deliver(n, 4), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 5), 1);
	assert_int_equal(c.ngot, 1);
	assert_int_equal(c.got[0].first, 2);
	assert_int_equal(c.got[0].ifc, 2);
	assert_int_equal(ipifc_simnet_next(n), 10);
	assert_int_equal(ipifc_simnet_deliver(n, 10), 2);
	assert_int_equal(c.ngot, 3);
	assert_int_equal(c.got[1].first, 1);
	assert_int_equal(c.got[1].ifc, 1);
	assert_int_equal(c.got[2].first, 3);
	assert_int_equal(c.got[2].ifc, 2);
	/* no frame crossed to the other segment */
	assert_int_equal(a.ngot, 0);
	assert_int_equal(b.ngot, 0);
	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	ipifc_simhost_free(c.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

static void
test_simseg_queue_bound(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct ipifc_simseg_stats st;
	struct fake a, b;
	uint8_t *big;
	int i, fit;

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	assert_int_equal(fake_open(&a, 0, "sim:q"), 0);
	assert_int_equal(fake_open(&b, 0, "sim:q"), 0);
	for (i = 0; i < IPIFC_SIMSEG_MAXQUEUE; i++)
		assert_int_equal(fake_send(&a, 0, (uint8_t)i, 60), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(fake_send(&a, 0, 0xee, 60), -ENOBUFS);
	assert_int_equal(ipifc_simnet_stats(n, "q", &st), 0);
	assert_int_equal(st.queued, IPIFC_SIMSEG_MAXQUEUE);
	assert_int_equal(st.sent, IPIFC_SIMSEG_MAXQUEUE);
	assert_int_equal(st.drop_full, 5);
	assert_int_equal(ipifc_simnet_deliver(n, 0), IPIFC_SIMSEG_MAXQUEUE);
	assert_int_equal(b.total, IPIFC_SIMSEG_MAXQUEUE);
	assert_int_equal(b.got[MAXGOT - 1].first, MAXGOT - 1);

	/* frames too big or empty */
	assert_int_equal(fake_send(&a, 0, 1, 0), -EMSGSIZE);
	big = calloc(1, IPIFC_SIMSEG_MAXFRAME + 1);
	assert_non_null(big);
	assert_int_equal(ipifc_simseg_ops.send(a.h, 0, big,
	    IPIFC_SIMSEG_MAXFRAME + 1), -EMSGSIZE);
	/* the byte bound: largest frames until the bytes run out */
	fit = IPIFC_SIMSEG_MAXQBYTES / IPIFC_SIMSEG_MAXFRAME;
	for (i = 0; i < fit; i++)
		assert_int_equal(ipifc_simseg_ops.send(a.h, 0, big,
		    IPIFC_SIMSEG_MAXFRAME), 0);
	assert_int_equal(ipifc_simseg_ops.send(a.h, 0, big,
	    IPIFC_SIMSEG_MAXFRAME), -ENOBUFS);
	assert_int_equal(ipifc_simnet_stats(n, "q", &st), 0);
	assert_int_equal(st.drop_big, 2);
	assert_int_equal(st.drop_full, 6);
	assert_int_equal(st.queued, fit);
	free(big);
	/* frames still queued are freed with the net */
	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

/* Two hosts that answer every frame: the guard ends the loop. */
static void
test_simseg_storm(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct ipifc_simseg_stats st;
	struct fake a, b;

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	a.echo = b.echo = 1;
	assert_int_equal(fake_open(&a, 0, "sim:storm"), 0);
	assert_int_equal(fake_open(&b, 0, "sim:storm"), 0);
	assert_int_equal(fake_send(&a, 0, 7, 60), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 0), IPIFC_SIMSEG_STORM);
	assert_int_equal(ipifc_simnet_stats(n, "storm", &st), 0);
	assert_int_equal(st.delivered, IPIFC_SIMSEG_STORM);
	assert_int_equal(st.drop_storm, 1);
	assert_int_equal(st.queued, 0);
	assert_int_equal(a.total + b.total, IPIFC_SIMSEG_STORM);

	/* the next millisecond has its own budget */
	a.now = b.now = 1;
	assert_int_equal(fake_send(&a, 0, 8, 60), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 1), IPIFC_SIMSEG_STORM);
	assert_int_equal(ipifc_simnet_stats(n, "storm", &st), 0);
	assert_int_equal(st.drop_storm, 2);
	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

static void
test_simseg_open_close(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct ipifc_simseg_stats st;
	struct fake a, b, c;
	char longname[IPIFC_SIMSEG_NAMELEN + 8];

	(void)state;
	fake_init(&a, n);
	fake_init(&b, n);
	fake_init(&c, n);
	assert_int_equal(fake_open(&a, 0, "tap:net0"), -ENODEV);
	assert_int_equal(fake_open(&a, 0, "sim:"), -ENODEV);
	assert_int_equal(fake_open(&a, 0, "net0"), -ENODEV);
	memset(longname, 'x', sizeof(longname));
	memcpy(longname, "sim:", 4);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(fake_open(&a, 0, longname), -ENAMETOOLONG);
	assert_int_equal(fake_open(&a, IPIFC_SIMSEG_MAXIFC, "sim:n"), -ENOSPC);

	/* ether first: a pkt interface (no mac) is the wrong medium */
	assert_int_equal(fake_open(&a, 0, "sim:n"), 0);
	assert_int_equal(ipifc_simseg_ops.open(b.h, 0, "sim:n", NULL),
	    -EMEDIUMTYPE);
	assert_int_equal(fake_open(&b, 0, "sim:n"), 0);
	assert_int_equal(fake_open(&c, 0, "sim:n"), 0);

	/* close: c no longer hears, and cannot send */
	ipifc_simseg_ops.close(c.h, 0);
	assert_int_equal(fake_send(&c, 0, 1, 60), -ENOTCONN);
	assert_int_equal(fake_send(&a, 0, 2, 60), 0);
	assert_int_equal(ipifc_simnet_deliver(n, 0), 1);
	assert_int_equal(b.ngot, 1);
	assert_int_equal(c.ngot, 0);
	assert_int_equal(ipifc_simnet_stats(n, "n", &st), 0);
	assert_int_equal(st.ports, 2);

	/* once empty, the segment takes the other kind */
	ipifc_simseg_ops.close(a.h, 0);
	ipifc_simseg_ops.close(b.h, 0);
	ipifc_simseg_ops.close(b.h, 0);		/* twice is harmless */
	assert_int_equal(ipifc_simnet_stats(n, "n", &st), 0);
	assert_int_equal(st.ports, 0);
	assert_int_equal(st.linktype, 0);
	assert_int_equal(ipifc_simseg_ops.open(a.h, 0, "sim:n", NULL), 0);
	assert_int_equal(ipifc_simseg_ops.open(b.h, 0, "sim:n", NULL), 0);
	assert_int_equal(fake_open(&c, 0, "sim:n"), -EMEDIUMTYPE);
	assert_int_equal(ipifc_simnet_stats(n, "n", &st), 0);
	assert_int_equal(st.linktype, IPIFC_PCAP_RAW);

	/* freeing a host detaches what it left attached */
	ipifc_simhost_free(a.h);
	assert_int_equal(ipifc_simnet_stats(n, "n", &st), 0);
	assert_int_equal(st.ports, 1);
	ipifc_simhost_free(b.h);
	ipifc_simhost_free(c.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
}

static void
test_simseg_capture(void **state)
{
	struct ipifc_simnet *n = ipifc_simnet_new();
	struct ipifc_simseg_stats st;
	struct fake a, b;
	char path[PATHLEN], dir[PATHLEN + 8], file[PATHLEN + 16], *argv[2];
	uint8_t *buf;
	size_t len;

	(void)state;
	tmpname(path, "test_simseg");
	fake_init(&a, n);
	fake_init(&b, n);
	/* a capture may come first: it makes the segment, of no kind yet */
	assert_int_equal(ipifc_simnet_capture(n, "sim:c", path), 0);
	assert_int_equal(ipifc_simnet_stats(n, "c", &st), 0);
	assert_int_equal(st.capturing, 1);
	assert_int_equal(st.linktype, 0);
	assert_int_equal(fake_open(&a, 0, "sim:c"), 0);
	assert_int_equal(ipifc_simseg_ops.open(b.h, 0, "sim:c", NULL),
	    -EMEDIUMTYPE);
	assert_int_equal(fake_open(&b, 0, "sim:c"), 0);
	a.now = 1500;
	assert_int_equal(fake_send(&a, 0, 0x11, 42), 0);
	b.now = 62001;
	assert_int_equal(fake_send(&b, 0, 0x22, 60), 0);
	/* captured as sent, before delivery */
	argv[0] = "capture";
	argv[1] = "off";
	assert_null(ipifc_simseg_ops.ctl(a.h, 0, 2, argv));
	assert_int_equal(ipifc_simnet_deliver(n, 62001), 2);

	buf = slurp(path, &len);
	assert_int_equal(len, 24 + 16 + 42 + 16 + 60);
	assert_int_equal(le32(buf), 0xa1b2c3d4);
	assert_int_equal(le32(buf + 20), 1);
	assert_int_equal(le32(buf + 24), 1);
	assert_int_equal(le32(buf + 28), 500000);
	assert_int_equal(le32(buf + 32), 42);
	assert_int_equal(buf[40], 0x11);
	assert_int_equal(le32(buf + 82), 62);
	assert_int_equal(le32(buf + 86), 1000);
	assert_int_equal(le32(buf + 90), 60);
	assert_int_equal(buf[98], 0x22);
	free(buf);

	/* the interface's ctl: its segment, then off; on a raw segment */
	ipifc_simseg_ops.close(a.h, 0);
	ipifc_simseg_ops.close(b.h, 0);
	assert_int_equal(ipifc_simseg_ops.open(a.h, 0, "sim:c", NULL), 0);
	argv[1] = path;
	assert_null(ipifc_simseg_ops.ctl(a.h, 0, 2, argv));
	assert_int_equal(ipifc_simnet_stats(n, "c", &st), 0);
	assert_int_equal(st.capturing, 1);
	assert_int_equal(fake_send(&a, 0, 0x45, 20), 0);
	argv[1] = "off";
	assert_null(ipifc_simseg_ops.ctl(a.h, 0, 2, argv));
	buf = slurp(path, &len);
	assert_int_equal(len, 24 + 16 + 20);
	assert_int_equal(le32(buf + 20), 101);
	assert_int_equal(buf[40], 0x45);
	free(buf);

	/* a capture started first takes the kind of the first interface */
	ipifc_simseg_ops.close(a.h, 0);
	assert_int_equal(ipifc_simnet_capture(n, "r", path), 0);
	assert_int_equal(ipifc_simseg_ops.open(a.h, 0, "sim:r", NULL), 0);
	assert_int_equal(ipifc_simseg_ops.open(b.h, 0, "sim:r", NULL), 0);
	assert_int_equal(fake_send(&b, 0, 0x60, 40), 0);
	ipifc_simseg_ops.close(a.h, 0);
	ipifc_simseg_ops.close(b.h, 0);
	/* the capture keeps the kind while it runs */
	assert_int_equal(fake_open(&a, 0, "sim:r"), -EMEDIUMTYPE);
	assert_int_equal(ipifc_simnet_capture(n, "sim:r", NULL), 0);
	buf = slurp(path, &len);
	assert_int_equal(len, 24 + 16 + 40);
	assert_int_equal(le32(buf + 20), 101);
	assert_int_equal(buf[40], 0x60);
	free(buf);
	assert_int_equal(fake_open(&a, 0, "sim:r"), 0);

	/* a reopen that fails loses the capture, and stopping says why */
	snprintf(dir, sizeof(dir), "%s.d", path);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(file, sizeof(file), "%s/x.pcap", dir);
	assert_int_equal(ipifc_simnet_capture(n, "lost", file), 0);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(ipifc_simseg_ops.open(b.h, 1, "sim:lost", NULL), 0);
	assert_int_equal(ipifc_simnet_stats(n, "lost", &st), 0);
	assert_int_equal(st.capturing, 0);
	assert_int_equal(st.linktype, IPIFC_PCAP_RAW);
	assert_int_equal(ipifc_simnet_capture(n, "lost", NULL), -ENOENT);
	assert_int_equal(ipifc_simnet_capture(n, "lost", NULL), 0);

	/* errors: usage, unknown message, no segment, unwritable file */
	assert_string_equal(ipifc_simseg_ops.ctl(a.h, 0, 1, argv),
	    "usage: capture FILE|off");
	argv[0] = "frob";
	assert_string_equal(ipifc_simseg_ops.ctl(a.h, 0, 1, argv),
	    "unknown ctl message frob");
	argv[0] = "capture";
	assert_string_equal(ipifc_simseg_ops.ctl(a.h, 5, 2, argv),
	    "capture: interface 5 is on no sim segment");
	argv[1] = "/nonexistent-dir/x.pcap";
	assert_string_equal(ipifc_simseg_ops.ctl(a.h, 0, 2, argv),
	    "capture /nonexistent-dir/x.pcap: No such file or directory");
	assert_int_equal(ipifc_simnet_capture(n, "c", argv[1]), -ENOENT);
	assert_int_equal(ipifc_simnet_stats(n, "c", &st), 0);
	assert_int_equal(st.capturing, 0);
	/* stopping a capture that is not running is no error */
	assert_int_equal(ipifc_simnet_capture(n, "nosuch", NULL), 0);

	ipifc_simhost_free(a.h);
	ipifc_simhost_free(b.h);
	assert_int_equal(ipifc_simnet_free(n), 0);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simseg_hub),
		cmocka_unit_test(test_simseg_fifo),
		cmocka_unit_test(test_simseg_time_and_segments),
		cmocka_unit_test(test_simseg_queue_bound),
		cmocka_unit_test(test_simseg_storm),
		cmocka_unit_test(test_simseg_open_close),
		cmocka_unit_test(test_simseg_capture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
