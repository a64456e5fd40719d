/*
 * Fuzz target for ipifcd's control protocol: the request parser and the
 * escaping of error lines (daemon/ctlreq.c), which see every byte a
 * client of the control socket sends.
 *
 * The input is what a client sent, in the pieces the daemon may read it
 * in: the parser runs on each longer prefix, cut where the input has a
 * 0xff byte, as on_read does when more arrives, until it answers.  It
 * must answer MORE only while no newline is in the first MAXREQ bytes
 * and fewer than MAXREQ bytes came, never read outside what it was
 * given, and give back a path and text that lie in the buffer and hold
 * no newline (nor the path a space); a monitor request is the line
 * "monitor" alone.  The error, and the input
 * itself, escaped into a small buffer, must be printable ASCII only.
 *
 * Linked with fuzz/replay.c instead of libFuzzer, it replays a corpus
 * (the test fuzz_ctlreq_replay).  For libFuzzer, from the top of the
 * tree:
 *
 *   clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 \
 *	-fsanitize=fuzzer,address,undefined -Idaemon daemon/ctlreq.c \
 *	fuzz/fuzz_ctlreq.c -o fuzz_ctlreq
 *   mkdir -p corpus && ./fuzz_ctlreq -max_len=300 corpus fuzz/corpus/ctlreq
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctlreq.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

/* small, so that inputs the fuzzer makes pass it */
#define MAXREQ	64
#define CUT	0xff

static void
check_printable(const char *s, size_t cap)
{
	size_t	 n = strlen(s);

	CHECK(n < cap);
	for (; *s != '\0'; s++)
		CHECK(*s >= 0x20 && *s <= 0x7e);
}

static void
check_word(const char *w, const char *buf, size_t len, int spaces)
{
	CHECK(w >= buf && w < buf + len);
	for (; *w != '\0'; w++) {
		CHECK(*w != '\n');
		if (!spaces)
			CHECK(*w != ' ');
	}
}

static void
escape_check(const char *s)
{
	char	 out[40];

	ipifcd_ctl_escape(out, sizeof(out), s);
	check_printable(out, sizeof(out));
	ipifcd_ctl_escape(out, 1, s);
	CHECK(out[0] == '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipifcd_ctlreq r;
	enum ipifcd_ctlreq_kind k = IPIFCD_CTLREQ_MORE;
	char	*buf, *s;
	size_t	 len = 0, n;

	/* the input as a string: escaping it gives one line */
	CHECK((s = malloc(size + 1)) != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	escape_check(s);
	free(s);

	while (k == IPIFCD_CTLREQ_MORE && len < size) {
		/* the next piece: up to the next cut, or the rest */
		n = len + 1;
		while (n < size && data[n - 1] != CUT)
			n++;
		len = n;
		/* exactly len bytes: ASan sees a read past them */
		CHECK((buf = malloc(len)) != NULL);
		memcpy(buf, data, len);
		k = ipifcd_ctlreq_parse(buf, len, MAXREQ, &r);
		switch (k) {
		case IPIFCD_CTLREQ_MORE:
			CHECK(len < MAXREQ);
			CHECK(memchr(data, '\n', len) == NULL);
			CHECK(r.path == NULL && r.text == NULL);
			break;
		case IPIFCD_CTLREQ_ERROR:
			CHECK(r.err != NULL && r.path == NULL);
			escape_check(r.err);
			break;
		case IPIFCD_CTLREQ_MONITOR:
			CHECK(memchr(data, '\n', len < MAXREQ ? len :
			    MAXREQ) != NULL);
			CHECK(r.path == NULL && r.text == NULL);
			CHECK(strcmp(buf, "monitor") == 0);
			break;
		case IPIFCD_CTLREQ_READ:
		case IPIFCD_CTLREQ_WRITE:
			CHECK(memchr(data, '\n', len < MAXREQ ? len :
			    MAXREQ) != NULL);
			CHECK(r.path != NULL && *r.path != '\0');
			check_word(r.path, buf, len, 0);
			if (k == IPIFCD_CTLREQ_READ)
				CHECK(r.text == NULL);
			else {
				CHECK(r.text != NULL);
				check_word(r.text, buf, len, 1);
				CHECK(r.text > r.path);
			}
			break;
		default:
			abort();
		}
		free(buf);
	}
	return 0;
}
