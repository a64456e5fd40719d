/*
 * Fuzz target for slaacd's framed messages (daemon/slaacd_msg.c): the
 * input is what a sibling process wrote on a socketpair, cut into reads
 * of the sizes its first bytes give.  Every message taken must have a
 * length right for its type; a malformed one ends the stream, as the
 * daemon drops the connection.
 *
 * Linked with fuzz/replay.c it replays fuzz/corpus/slaacd_msg (the test
 * fuzz_slaacd_msg_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *	-Iinclude -Icore -Islaac -Idaemon daemon/slaacd_msg.c \
 *	daemon/slaacd_log.c fuzz/fuzz_slaacd_msg.c -o fuzz_slaacd_msg
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slaacd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct slaacd_conn c;
static uint8_t payload[SLAACD_MSGMAX];

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct slaacd_hdr h;
	size_t	 off = 0, n, chunk;
	int	 r;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;	/* bytes per "read" */
	data++, size--;
	slaacd_conn_init(&c, -1, "fuzz");
	while (off < size) {
		n = size - off;
		if (n > chunk)
			n = chunk;
		if (n > sizeof(c.buf) - c.len)
			n = sizeof(c.buf) - c.len;
		memcpy(c.buf + c.len, data + off, n);
		c.len += n;
		off += n;
		while ((r = slaacd_conn_get(&c, &h, payload)) == 1)
			if (!slaacd_msg_valid(&h) || h.len > SLAACD_MSGMAX)
				abort();
		if (r == -1)
			return 0;
		/* a full buffer with no whole message is refused */
		if (c.len == sizeof(c.buf))
			abort();
	}
	return 0;
}
