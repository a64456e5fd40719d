/*
 * Stateful fuzz target: one whole stack (ipifc_stack_new) fed a sequence
 * of frames on a clock the input advances (STYLE 12).
 *
 * The stack (id 1) has two interfaces, set up before the first record:
 *
 *   0  ether sim:a: MAC 02:00:00:00:01:00, 10.0.0.1/24, 2001:db8::1/64,
 *      reassemble 1, a static ARP entry 10.0.0.7, the groups 239.1.2.3
 *      and ff05::1:3 joined by a client
 *   1  pkt sim:b: 192.168.9.1/32 peer 192.168.9.2, mtu 1500, proxy
 *
 * with iprouting 1 and default routes via 10.0.0.254 and 2001:db8::fe.
 * The clock starts at 0 and DAD has not run: a seed that wants preferred
 * addresses begins with a delay.  Then the input is a list of records:
 *
 *   delay[2]  big-endian ms, capped at MAXDELAY: ipifc_advance by it;
 *             0xffff: on to ipifc_next_deadline, MAXDELAY at most
 *   sel[1]    bit 0: the interface (0 ether, 1 pkt);
 *             top three bits all set: a ctl record instead, bits 0-4 pick
 *             the line from ctls[] below, and the frame is ignored
 *   len[2]    big-endian, cut to what is left of the input
 *   frame[len] handed to ipifc_input
 *
 * Each frame is copied into a buffer of its own size, so that
 * AddressSanitizer sees a read past its end.  The link counts the frames
 * the stack sends (and reads every byte, so that AddressSanitizer sees a
 * frame built past its buffer); the deliver hook takes ICMP and ICMPv6
 * and refuses the rest with -EPROTONOSUPPORT, so that the stack answers
 * with its errors.  At the end the state files are read and the stack is
 * freed: nothing may leak.
 *
 * Linked with fuzz/replay.c instead of libFuzzer, it replays a corpus
 * (the test fuzz_stack_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 \
 *	-fsanitize=fuzzer,address,undefined -Iinclude -Icore -Iproto \
 *	$(ls core/[a-z]*.c proto/[a-z]*.c) fuzz/fuzz_stack.c -o fuzz_stack
 *   mkdir -p corpus && ./fuzz_stack -max_len=4096 corpus fuzz/corpus/stack
 *
 * The seeds come from fuzz/mkcorpus_stack.py.  Built with
 * -DFUZZ_STACK_VERBOSE, it prints what each input made the stack send.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXDELAY	60000	/* ms: one record moves the clock no further */
#define NEXTTIMER	0xffff	/* delay: to the next deadline (or MAXDELAY) */
#define CTLMASK		0xe0	/* sel bits that, all set, make a ctl record */

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

struct fuzzlink {
	unsigned long	sent;	/* frames the stack handed the link */
	unsigned long	bytes;
	unsigned	sum;	/* of every byte sent and delivered */
	unsigned long	delivered;
};

static int
link_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	return 0;	/* mac stays the stack's own */
}

static void
link_close(void *arg, int ifc)
{
}

static int
link_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	struct fuzzlink *fl = arg;
	size_t i;

	fl->sent++;
	fl->bytes += len;
	for (i = 0; i < len; i++)
		fl->sum += frame[i];
	return 0;
}

static const struct ipifc_link_ops ops = {
	.open = link_open, .close = link_close, .send = link_send,
};

static int
deliver(void *arg, const struct ipifc_datagram *d)
{
	struct fuzzlink *fl = arg;
	size_t i;

	for (i = 0; i < d->len; i++)
		fl->sum += d->payload[i];
	if (d->proto == 1 || d->proto == 58) {
		fl->delivered++;
		return 0;
	}
	return -EPROTONOSUPPORT;
}

/*
 * The ctl lines a ctl record may write (sel & 0x1f), so that the state
 * machines interleave with the frames.  Errors (removing what is not
 * there, promisc off when off) change nothing.
 */
static const char *const ctls[32][2] = {
	{ "ipifc/0/ctl", "down" },
	{ "ipifc/1/ctl", "down" },
	{ "ipifc/0/ctl", "up" },
	{ "ipifc/1/ctl", "up" },
	{ "ipifc/0/ctl", "remove 10.0.0.1 /24" },
	{ "ipifc/0/ctl", "add 10.0.0.1 /24" },
	{ "ipifc/0/ctl", "remove 2001:db8::1/64" },
	{ "ipifc/0/ctl", "add 2001:db8::1/64" },
	{ "ipifc/1/ctl", "remove 192.168.9.1 /32 192.168.9.2" },
	{ "ipifc/1/ctl", "add 192.168.9.1 255.255.255.255 192.168.9.2 1500 "
	    "proxy" },
	{ "ipifc/0/ctl", "lladdr 02:00:00:00:01:99" },
	{ "ipifc/0/ctl", "lladdr 02:00:00:00:01:00" },
	{ "ipifc/0/ctl", "promisc on" },
	{ "ipifc/1/ctl", "promisc on" },
	{ "ipifc/0/ctl", "promisc off" },
	{ "ipifc/1/ctl", "promisc off" },
	{ "ipifc/0/ctl", "mtu 1280" },
	{ "ipifc/1/ctl", "mtu 1280" },
	{ "ipifc/0/ctl", "mtu 1500" },
	{ "ipifc/1/ctl", "mtu 1500" },
	{ "ipifc/0/ctl", "iprouting 0" },
	{ "ipifc/0/ctl", "iprouting 1" },
	{ "ipifc/0/ctl", "leavemulti 239.1.2.3" },
	{ "ipifc/0/ctl", "joinmulti 239.1.2.3" },
	{ "ipifc/0/ctl", "leavemulti ff05::1:3" },
	{ "ipifc/0/ctl", "joinmulti ff05::1:3" },
	{ "ipifc/0/ctl", "reassemble 0" },
	{ "ipifc/0/ctl", "reassemble 1" },
	{ "ipifc/0/ctl", "allmulti on" },
	{ "ipifc/0/ctl", "allmulti off" },
	{ "arp", "flush" },
	{ "arp", "add 10.0.0.7 02:00:00:00:77:77" },
};

static const char *const setup[][2] = {
	{ "ipifc/clone", "bind ether sim:a" },
	{ "ipifc/clone", "bind pkt sim:b" },
	{ "ipifc/0/ctl", "add 10.0.0.1 /24" },
	{ "ipifc/0/ctl", "add 2001:db8::1/64" },
	{ "ipifc/1/ctl", "add 192.168.9.1 255.255.255.255 192.168.9.2 1500 "
	    "proxy" },
	{ "ipifc/0/ctl", "iprouting 1" },
	{ "ipifc/0/ctl", "reassemble 1" },
	{ "arp", "add 10.0.0.7 02:00:00:00:77:77" },
	{ "ipifc/0/ctl", "joinmulti 239.1.2.3" },
	{ "ipifc/0/ctl", "joinmulti ff05::1:3" },
	{ "iproute", "add 0.0.0.0 /0 10.0.0.254" },
	{ "iproute", "add :: /0 2001:db8::fe" },
	{ "ipifc/0/ctl", "ra6 sendra 1 maxraint 4000 minraint 3000 "
	    "linkmtu 1400 rdnss 2001:db8::53" },
	/* host mode too: RAs it receives reach the SLAAC engine */
	{ "ipifc/0/ctl", "ra6 recvra 1" },
	{ "ipifc/0/ctl", "temporary on" },
};

static const char *const files[] = {
	"ipifc", "ipselftab", "iproute", "arp", "ipstats", "ippmtu",
	"ipifc/0/status", "ipifc/0/local", "ipifc/0/multi",
	"ipifc/1/status", "ipifc/1/local", "ipifc/1/multi", "ipifc/0/ra",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;
	struct ipifc_client *c;
	struct fuzzlink fl;
	const char *err;
	char	*text;
	uint8_t	*frame;
	uint64_t now = 0, next;
	size_t	 i, off = 0, len;
	unsigned delay;
	uint8_t	 sel;

	memset(&cfg, 0, sizeof(cfg));
	memset(&fl, 0, sizeof(fl));
	cfg.id = 1;
	cfg.now = now;
	CHECK((s = ipifc_stack_new(&cfg)) != NULL);
	ipifc_set_link(s, &ops, &fl);
	ipifc_set_deliver(s, deliver, &fl);
	CHECK((c = ipifc_client_new(s)) != NULL);
	CHECK(ipifc_slaac_attach(s, (const uint8_t *)"fuzz", 4) == 0);
	for (i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
		if ((err = ipifc_write(s, c, setup[i][0], setup[i][1], NULL,
		    0)) != NULL)
			abort();

	while (size - off >= 5) {
		delay = (unsigned)data[off] << 8 | data[off + 1];
		sel = data[off + 2];
		len = (size_t)data[off + 3] << 8 | data[off + 4];
		off += 5;
		if (len > size - off)
			len = size - off;
		if (delay == NEXTTIMER) {
			next = ipifc_next_deadline(s);
			now = next > now + MAXDELAY ? now + MAXDELAY :
			    next > now ? next : now;
		} else
			now += delay > MAXDELAY ? MAXDELAY : delay;
		ipifc_advance(s, now);
#ifdef FUZZ_STACK_VERBOSE
		printf("at %llu sel %#x len %zu: sent %lu", (unsigned long long)now,
		    sel, len, fl.sent);
#endif
		if ((sel & CTLMASK) == CTLMASK)
			(void)ipifc_write(s, c, ctls[sel & 0x1f][0],
			    ctls[sel & 0x1f][1], NULL, 0);
		else {
			/* a buffer of its own: a read past the frame is seen */
			CHECK((frame = malloc(len > 0 ? len : 1)) != NULL);
			memcpy(frame, data + off, len);
			ipifc_input(s, sel & 1, frame, len);
			free(frame);
		}
		off += len;
#ifdef FUZZ_STACK_VERBOSE
		printf(" -> %lu\n", fl.sent);
#endif
	}

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((text = ipifc_read(s, files[i], &err)) == NULL)
			continue;
#ifdef FUZZ_STACK_VERBOSE
		printf("--- %s\n%s", files[i], text);
#endif
		free(text);
	}
	ipifc_stack_free(s);	/* frees the client and its memberships */
#ifdef FUZZ_STACK_VERBOSE
	/* what a seed made the stack do; equal on every run */
	printf("now %llu sent %lu bytes %lu delivered %lu sum %u\n",
	    (unsigned long long)now, fl.sent, fl.bytes, fl.delivered, fl.sum);
#endif
	return 0;
}
