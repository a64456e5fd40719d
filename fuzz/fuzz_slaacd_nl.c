/*
 * Fuzz target for the rtnetlink messages slaacd's frontend parses
 * (daemon/slaacd_nl.c): the input is one read from the netlink socket,
 * run through libmnl as the frontend runs it.  A parsed event must be
 * one the frontend knows.
 *
 * Linked with fuzz/replay.c it replays fuzz/corpus/slaacd_nl (the test
 * fuzz_slaacd_nl_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *	-Iinclude -Icore -Islaac -Idaemon daemon/slaacd_nl.c \
 *	fuzz/fuzz_slaacd_nl.c -lmnl -o fuzz_slaacd_nl
 */
#include <libmnl/libmnl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slaacd.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
cb(const struct nlmsghdr *n, void *arg)
{
	struct slaacd_nlev ev;

	if (slaacd_nl_parse(n, &ev) == 0 && ev.kind != SLAACD_NL_NONE &&
	    ev.kind != SLAACD_NL_LINK && ev.kind != SLAACD_NL_ADDR)
		abort();
	return MNL_CB_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*buf;

	/* libmnl reads headers in place: give it an aligned copy */
	if ((buf = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	if (slaacd_nl_batch_ok(buf, size) == 0)	/* as the frontend does */
		(void)mnl_cb_run(buf, size, 0, 0, cb, NULL);
	free(buf);
	return 0;
}
