/*
 * Fuzz target for the ctl language: every namespace write (ipifc/clone,
 * ipifc/N/ctl, iproute, arp, ippolicy) on one stack, with time steps and
 * frames between the writes, and the core's invariants checked after
 * each line through its internal structures (core/core.h):
 *
 *   - every address has its own entry in the self table, linked to it,
 *     a unicast one exactly when the address is usable and a tentative
 *     one otherwise, and every link of the self table points at a live
 *     address that lists it back (the self table matches the addresses);
 *   - no reference count is negative or zero while held: self links,
 *     groups, link-layer groups, memberships; promisc and allmulti >= 0;
 *   - no address is both usable and duplicate, none preferred with its
 *     preferred lifetime over its valid one;
 *   - the bounds hold: addresses, groups, memberships per their tunables.
 *
 * The input is text, one line each (at most MAXLINES are run):
 *
 *   +MS          advance the clock MS ms (a day at most); "+" alone: on to
 *                ipifc_next_deadline (a day at most)
 *   <N HEX       the frame HEX (pairs of hex digits) arrives on interface N
 *   @N           the next writes come from client N (0-3)
 *   ~N           client N goes away (its memberships with it) and comes back
 *   ?PATH        read PATH
 *   PATH TEXT    write TEXT to PATH (errors are fine: nothing changes)
 *
 * The link takes every frame; interfaces bind to sim:NAME, tap:NAME,
 * tun:NAME or anything else, the link does not care.  At the end every
 * state file is read and the stack is freed: nothing may leak.
 *
 * Linked with fuzz/replay.c instead of libFuzzer, it replays a corpus
 * (the test fuzz_ctl_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 \
 *	-fsanitize=fuzzer,address,undefined -Iinclude -Icore -Iproto \
 *	-Islaac $(ls core/[a-z]*.c proto/[a-z]*.c slaac/[a-z]*.c) \
 *	fuzz/fuzz_ctl.c -o fuzz_ctl
 *   mkdir -p corpus && ./fuzz_ctl -max_len=4096 -dict=fuzz/ctl.dict \
 *	corpus fuzz/corpus/ctl
 *
 * Built with -DFUZZ_CTL_VERBOSE, it prints each line and its answer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipifc.h"
#include "core.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

#define MAXLINES	256
#define MAXLINE		512
#define MAXSTEP		(24 * 3600 * 1000ull)	/* ms, one step at most */
#define NCLIENT		4

static int
link_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	return 0;
}

static void
link_close(void *arg, int ifc)
{
}

static int
link_send(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	unsigned *sum = arg;
	size_t i;

	for (i = 0; i < len; i++)	/* every byte: ASan sees overruns */
		*sum += frame[i];
	return 0;
}

static const struct ipifc_link_ops ops = {
	.open = link_open, .close = link_close, .send = link_send,
};

static int
lifc_live(const struct ipifc_stack *s, const struct ipifc_lifc *l)
{
	const struct ipifc_ifc *ifc;
	const struct ipifc_lifc *m;

	IPIFC_FOREACH_IFC(ifc, s) {
		TAILQ_FOREACH(m, &ifc->lifcs, link)
			if (m == l)
				return 1;
	}
	return 0;
}

struct selfcheck {
	const struct ipifc_stack *s;
	unsigned total;
};

static void
check_entry(struct ipifc_self *p, void *arg)
{
	struct selfcheck *c = arg;
	const struct ipifc_selflink *k, *j;
	unsigned type = 0;
	int n = 0;

	/* found where it is */
	CHECK(ipifc_self_find(c->s, &p->a) == p);
	CHECK(!LIST_EMPTY(&p->links));	/* no empty entry */
	c->total++;
	LIST_FOREACH(k, &p->links, selflink) {
		CHECK(k->self == p);
		CHECK(k->ref > 0);
		type |= k->type;
		if (k->lifc == NULL) {
			CHECK(p->nolink == k);
			continue;
		}
		n++;
		CHECK(lifc_live(c->s, k->lifc));
		for (j = k->lifc->self; j != NULL; j = j->lifcnext)
			if (j == k)
				break;
		CHECK(j == k);
		if (!ipifc_ip_eq(&k->lifc->local, &p->a))
			continue;
		/* the address's own entry */
		if (ipifc_lifc_usable(k->lifc))
			CHECK((k->type & IPIFC_RT_UNI) &&
			    !(k->type & IPIFC_SELF_TENTATIVE));
		else
			CHECK(!(k->type & IPIFC_RT_UNI) &&
			    (k->type & IPIFC_SELF_TENTATIVE));
	}
	CHECK(n == p->nlinks);
	CHECK(type == p->type);
}

static void
check_self(const struct ipifc_stack *s)
{
	struct selfcheck c = { s, 0 };

	/* the slots' keys, types and filters agree with the entries */
	CHECK(ipifc_self_consistent(s));
	ipifc_self_foreach((struct ipifc_stack *)s, check_entry, &c);
	CHECK(c.total == s->nself);
}

static void
check_lifc(const struct ipifc_stack *s, const struct ipifc_lifc *l)
{
	const struct ipifc_self *p;
	const struct ipifc_selflink *k;

	CHECK(l->state == IPIFC_ADDR_TENTATIVE ||
	    l->state == IPIFC_ADDR_PREFERRED ||
	    l->state == IPIFC_ADDR_DEPRECATED ||
	    l->state == IPIFC_ADDR_DUPLICATE);
	if (l->state == IPIFC_ADDR_DUPLICATE)
		CHECK(!ipifc_lifc_usable(l));
	if (l->state == IPIFC_ADDR_PREFERRED)
		CHECK(l->preflt <= l->validlt);
	CHECK(l->plen >= 0 && l->plen <= 128);
	/* its own self entry, linked to it */
	CHECK((p = ipifc_self_find(s, &l->local)) != NULL);
	LIST_FOREACH(k, &p->links, selflink)
		if (k->lifc == l)
			break;
	CHECK(k != NULL);
	for (k = l->self; k != NULL; k = k->lifcnext)
		CHECK(k->lifc == l);
}

static void
check(const struct ipifc_stack *s)
{
	const struct ipifc_ifc *ifc;
	const struct ipifc_lifc *l;
	const struct ipifc_group *g;
	const struct ipifc_member *m;
	int i, n;

	for (i = 0; i < s->nslot; i++) {
		if ((ifc = s->ifc[i]) == NULL)
			continue;
		CHECK(ifc->num == i);
		CHECK(ifc->promisc >= 0 && ifc->allmulti >= 0);
		CHECK(ifc->nlgroups >= 0 && ifc->nlgroups <= IPIFC_MAXGROUPS);
		CHECK(ifc->nllgroups >= 0 && ifc->nllgroups <= ifc->ngroups);
		n = 0;
		TAILQ_FOREACH(g, &ifc->groups, link) {
			CHECK(g->refs > 0 && g->lrefs >= 0 && g->lrefs <= g->refs);
			CHECK(ipifc_group_find(ifc, &g->ip) == g);
			n++;
		}
		CHECK(n == ifc->ngroups);
		n = 0;
		TAILQ_FOREACH(l, &ifc->lifcs, link) {
			CHECK(l->ifc == ifc);
			check_lifc(s, l);
			n++;
		}
		CHECK(n == ifc->nlifc && n <= IPIFC_MAXLIFC);
	}
	CHECK(s->nmembers >= 0 && s->nmembers <= s->maxmembers);
	n = 0;
	for (i = 0; i < s->nslot; i++)
		if ((ifc = s->ifc[i]) != NULL)
			LIST_FOREACH(m, &ifc->members, ilink) {
				CHECK(m->refs > 0 && m->ifc == ifc);
				n++;
			}
	CHECK(n == s->nmembers);
	check_self(s);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
frame_in(struct ipifc_stack *s, const char *line)
{
	uint8_t	*frame;
	char	*end;
	size_t	 n = 0;
	long	 ifc;
	int	 hi, lo;

	ifc = strtol(line, &end, 10);
	if (end == line || ifc < 0 || ifc >= IPIFC_MAXIFC)
		return;
	while (*end == ' ')
		end++;
	CHECK((frame = malloc(strlen(end) / 2 + 1)) != NULL);
	while ((hi = hexval(end[0])) >= 0 && (lo = hexval(end[1])) >= 0) {
		frame[n++] = (uint8_t)(hi << 4 | lo);
		end += 2;
	}
	/* a buffer of its own size: a read past the frame is seen */
	CHECK((frame = realloc(frame, n > 0 ? n : 1)) != NULL);
	ipifc_input(s, (int)ifc, frame, n);
	free(frame);
}

static const char *const files[] = {
	"ipifc", "ipselftab", "iproute", "arp", "ipstats", "ippmtu",
	"ippolicy",
};

static void
readall(struct ipifc_stack *s)
{
	static const char *const per[] = { "status", "local", "multi", "ra",
	    "ctl" };
	const struct ipifc_ifc *ifc;
	char	 path[64], *text;
	const char *err;
	size_t	 i, j;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if ((text = ipifc_read(s, files[i], &err)) != NULL)
			free(text);
	IPIFC_FOREACH_IFC(ifc, s) {
		for (j = 0; j < sizeof(per) / sizeof(per[0]); j++) {
			snprintf(path, sizeof(path), "ipifc/%d/%s", ifc->num,
			    per[j]);
			if ((text = ipifc_read(s, path, &err)) != NULL)
				free(text);
		}
	}
}

static void
run_line(struct ipifc_stack *s, struct ipifc_client **cl, int *cur,
    uint64_t *now, char *line)
{
	char	 reply[64], *text, *rd;
	const char *err = NULL;
	unsigned long long ms;
	uint64_t next;
	int	 n;

	switch (line[0]) {
	case '+':
		if (line[1] == '\0') {
			next = ipifc_next_deadline(s);
			*now = next > *now + MAXSTEP ? *now + MAXSTEP :
			    next > *now ? next : *now;
		} else {
			ms = strtoull(line + 1, NULL, 10);
			*now += ms > MAXSTEP ? MAXSTEP : ms;
		}
		ipifc_advance(s, *now);
		return;
	case '<':
		frame_in(s, line + 1);
		return;
	case '@':
		*cur = (line[1] - '0') & (NCLIENT - 1);
		return;
	case '~':
		n = (line[1] - '0') & (NCLIENT - 1);
		ipifc_client_free(cl[n]);
		CHECK((cl[n] = ipifc_client_new(s)) != NULL);
		return;
	case '?':
		if ((rd = ipifc_read(s, line + 1, &err)) != NULL)
			free(rd);
		else
			CHECK(err != NULL);
		return;
	}
	if ((text = strchr(line, ' ')) == NULL)
		return;
	*text++ = '\0';
	err = ipifc_write(s, cl[*cur], line, text, reply, sizeof(reply));
#ifdef FUZZ_CTL_VERBOSE
	printf("%s %s -> %s %s\n", line, text, err != NULL ? "error" : "ok",
	    err != NULL ? err : reply);
#endif
	if (err != NULL)
		CHECK(strchr(err, '\n') == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;
	struct ipifc_client *cl[NCLIENT];
	char	 line[MAXLINE];
	uint64_t now = 0;
	unsigned sum = 0;
	size_t	 off = 0, len;
	const uint8_t *nl;
	int	 i, cur = 0, lines = 0;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	cfg.now = now;
	CHECK((s = ipifc_stack_new(&cfg)) != NULL);
	ipifc_set_link(s, &ops, &sum);
	CHECK(ipifc_slaac_attach(s, (const uint8_t *)"fuzz", 4) == 0);
	for (i = 0; i < NCLIENT; i++)
		CHECK((cl[i] = ipifc_client_new(s)) != NULL);

	while (off < size && lines++ < MAXLINES) {
		nl = memchr(data + off, '\n', size - off);
		len = nl != NULL ? (size_t)(nl - (data + off)) : size - off;
		if (len < sizeof(line)) {
			memcpy(line, data + off, len);
			line[len] = '\0';
			run_line(s, cl, &cur, &now, line);
			check(s);
		}
		off += len + 1;
	}
	readall(s);
	ipifc_stack_free(s);	/* frees the clients and their memberships */
	return 0;
}
