/*
 * Stateful fuzz target for the SLAAC engine (slaac/): random RAs, DAD
 * results, link events and clock steps on one interface, with the
 * engine's invariants checked after each (STYLE 12).
 *
 * The first byte configures the interface: bit 0 EUI-64 identifiers
 * (else stable), 1 temporary addresses, 2 the two-hour rule off, 3
 * optimistic DAD, 4 routes only.  The link is up with MAC
 * 02:00:00:00:00:01 and a usable link-local address.  Then records:
 *
 *   delay[2]  big-endian: bit 15 set, (delay & 0x7fff) s, else ms;
 *             0xffff: on to ipifc_slaac_next_deadline (a day at most)
 *   op[1]     low 3 bits:
 *     0  RA: rtr[1] (router fe80::1 + rtr % 8), len[2], the ICMPv6
 *        message, its checksum fixed unless op bit 7 is set
 *     1  DAD: idx[1] ok[1]: for the idx-th address the engine added
 *     2  link: up[1] mac[1] (the last byte of the MAC)
 *     3  link-local: usable[1]
 *     4  the operator takes the idx[1]-th address the engine added
 *     5  temporary addresses for 2001:db8:(n[1] % 4)::/64 on or off
 *
 * The harness plays the caller: it keeps what the actions told it and
 * aborts when an action contradicts it (a removal of what was never
 * added, an address of the operator's touched), when a bound is passed,
 * when an address is preferred or live past its lifetimes after a tick,
 * or when removing the interface leaves anything behind.
 *
 * Linked with fuzz/replay.c instead of libFuzzer, it replays a corpus
 * (the test fuzz_slaac_replay).  For libFuzzer, from the top of the tree:
 *
 *   clang -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 \
 *	-fsanitize=fuzzer,address,undefined -Iinclude -Icore -Iproto \
 *	-Islaac core/ipaddr.c proto/cksum.c proto/wire_nd.c slaac/[a-z]*.c \
 *	fuzz/fuzz_slaac.c -o fuzz_slaac
 *   mkdir -p corpus && ./fuzz_slaac -max_len=4096 corpus fuzz/corpus/slaac
 *
 * The seeds come from fuzz/mkcorpus_slaac.py.  Built with
 * -DFUZZ_SLAAC_VERBOSE, it prints each action and transition.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slaac.h"
#include "slaac_int.h"
#include "wire.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)	do { if (!(c)) abort(); } while (0)

#define IFC		7
#define NEXTTIMER	0xffff
#define MAXSTEP		(24 * 3600 * 1000ull)	/* ms, one record at most */
#define MAXUSERS	8

/* ---- the caller's view, from the actions ---- */

#define MAXADDR	(IPIFC_SLAAC_MAXADDRS * 2)
#define MAXRT	(IPIFC_SLAAC_MAXROUTERS * (IPIFC_SLAAC_MAXPREFIXES + 1) + \
		    IPIFC_SLAAC_MAXROUTES + IPIFC_SLAAC_MAXPREFIXES)

struct vroute {
	int	kind, plen, srcplen;
	struct ipifc_ip dst, gw, src;
};

static struct ipifc_ip addrs[MAXADDR];
static int	naddr;
static struct ipifc_ip users[MAXUSERS];
static int	nuser;
static struct vroute routes[MAXRT];
static int	nroute;
static struct ipifc_ip servers[IPIFC_SLAAC_MAXDNS];
static int	nserver;
static uint64_t	rstate;

static uint32_t
rnd(void *arg)
{
	rstate = rstate * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rstate >> 33);
}

static int
addr_index(const struct ipifc_ip *a)
{
	int	 i;

	for (i = 0; i < naddr; i++)
		if (ipifc_ip_eq(&addrs[i], a))
			return i;
	return -1;
}

static int
is_user(const struct ipifc_ip *a)
{
	int	 i;

	for (i = 0; i < nuser; i++)
		if (ipifc_ip_eq(&users[i], a))
			return 1;
	return 0;
}

static int
route_index(const struct ipifc_slaac_act *a)
{
	const struct vroute *r;
	int	 i;

	for (i = 0; i < nroute; i++) {
		r = &routes[i];
		if (r->kind == a->kind && r->plen == a->plen &&
		    r->srcplen == a->srcplen &&
		    ipifc_ip_eq(&r->dst, &a->addr) &&
		    (a->kind == IPIFC_SLAAC_RT_ONLINK ||
		    ipifc_ip_eq(&r->gw, &a->gw)) &&
		    ipifc_ip_eq(&r->src, &a->src))
			return i;
	}
	return -1;
}

static void
check_counts(void)
{
	int	 i, n[3] = { 0, 0, 0 }, nsrc = 0;

	CHECK(naddr <= IPIFC_SLAAC_MAXADDRS);
	for (i = 0; i < nroute; i++) {
		if (routes[i].srcplen > 0)
			nsrc++;
		else
			n[routes[i].kind]++;
	}
	CHECK(n[IPIFC_SLAAC_RT_DEFAULT] <= IPIFC_SLAAC_MAXROUTERS);
	CHECK(n[IPIFC_SLAAC_RT_MORESPEC] <= IPIFC_SLAAC_MAXROUTES);
	CHECK(n[IPIFC_SLAAC_RT_ONLINK] <= IPIFC_SLAAC_MAXPREFIXES);
	CHECK(nsrc <= IPIFC_SLAAC_MAXROUTERS * IPIFC_SLAAC_MAXPREFIXES);
	CHECK(nserver <= IPIFC_SLAAC_MAXDNS);
}

static void
apply(const struct ipifc_slaac_act *a)
{
	int	 i;

	CHECK(a->ifc == IFC);
#ifdef FUZZ_SLAAC_VERBOSE
	{
		char	 b[64], g[64], sr[64];

		fprintf(stderr, "act %d %s/%d gw %s src %s/%d v %u p %u "
		    "life %u how %d kind %d prf %d value %u %s\n", a->type,
		    ipifc_ip_fmt(&a->addr, b, sizeof(b)), a->plen,
		    ipifc_ip_fmt(&a->gw, g, sizeof(g)),
		    ipifc_ip_fmt(&a->src, sr, sizeof(sr)), a->srcplen, a->valid,
		    a->preferred, a->lifetime, a->how, a->kind, a->prf,
		    a->value, a->text);
	}
#endif
	switch (a->type) {
	case IPIFC_SLAAC_ADDR_ADD:
		CHECK(addr_index(&a->addr) < 0 && !is_user(&a->addr));
		CHECK(a->preferred <= a->valid && a->valid > 0);
		CHECK(naddr < MAXADDR);
		addrs[naddr++] = a->addr;
		break;
	case IPIFC_SLAAC_ADDR_UPDATE:
		CHECK(addr_index(&a->addr) >= 0 && !is_user(&a->addr));
		CHECK(a->preferred <= a->valid);
		break;
	case IPIFC_SLAAC_ADDR_REMOVE:
		CHECK((i = addr_index(&a->addr)) >= 0 && !is_user(&a->addr));
		addrs[i] = addrs[--naddr];
		break;
	case IPIFC_SLAAC_ROUTE_ADD:
		if (route_index(a) >= 0)
			break;	/* a preference changed */
		CHECK(nroute < MAXRT);
		routes[nroute].kind = a->kind;
		routes[nroute].plen = a->plen;
		routes[nroute].srcplen = a->srcplen;
		routes[nroute].dst = a->addr;
		routes[nroute].gw = a->kind == IPIFC_SLAAC_RT_ONLINK ?
		    ipifc_ip_unspec6 : a->gw;
		routes[nroute].src = a->src;
		nroute++;
		break;
	case IPIFC_SLAAC_ROUTE_REMOVE:
		CHECK((i = route_index(a)) >= 0);
		routes[i] = routes[--nroute];
		break;
	case IPIFC_SLAAC_DNS_SERVER:
		for (i = 0; i < nserver; i++)
			if (ipifc_ip_eq(&servers[i], &a->addr))
				break;
		if (a->lifetime == 0) {
			CHECK(i < nserver);
			servers[i] = servers[--nserver];
		} else {
			CHECK(i == nserver);
			CHECK(nserver < IPIFC_SLAAC_MAXDNS);
			servers[nserver++] = a->addr;
		}
		break;
	case IPIFC_SLAAC_SET_MTU:
		CHECK(a->value >= IPIFC_IP6_MINMTU);
		break;
	default:
		break;
	}
	check_counts();
}

static void
drain(struct ipifc_slaac *e)
{
	struct ipifc_slaac_act a;

	while (ipifc_slaac_action(e, &a))
		apply(&a);
	CHECK(ipifc_slaac_stats(e)->actq_full == 0);
}

/* After a tick at now: nothing preferred or live past its lifetimes. */
static void
check_engine(const struct ipifc_slaac *e, uint64_t now)
{
	const struct slaac_ifc *ifc = NULL;
	const struct slaac_addr *a;
	int	 i, live = 0;

	for (i = 0; i < IPIFC_SLAAC_MAXIFC; i++)
		if (e->ifc[i] != NULL && e->ifc[i]->id == IFC)
			ifc = e->ifc[i];
	CHECK(ifc != NULL);
	CHECK(ipifc_slaac_next_deadline(e) > now);
	for (i = 0; i < IPIFC_SLAAC_MAXADDRS; i++) {
		a = &ifc->addr[i];
		if (a->state == ADDR_FREE)
			continue;
		CHECK(a->valid_end > now);
		CHECK(a->pref_end <= a->valid_end);
		if (a->state == ADDR_PREFERRED)
			CHECK(a->pref_end > now);
		if (a->state != ADDR_DUPLICATE) {
			live++;
			CHECK(addr_index(&a->addr) >= 0);
			CHECK(ifc->pfx[a->pfx].state != PFX_FREE);
		}
	}
	CHECK(live == naddr);
}

#ifdef FUZZ_SLAAC_VERBOSE
static void
logline(void *arg, const char *s)
{
	fprintf(stderr, "log %s\n", s);
}
#endif

/* ICMPv6 checksum for src -> ff02::1 */
static void
fixsum(uint8_t *m, size_t len, const struct ipifc_ip *src,
    const struct ipifc_ip *dst)
{
	uint32_t s;

	if (len < 4)
		return;
	ipifc_put16(m + 2, 0);
	s = ipifc_cksum_pseudo6(src, dst, (uint32_t)len, IPIFC_PROTO_ICMP6);
	ipifc_put16(m + 2, ipifc_cksum_fold(ipifc_cksum_add(s, m, len)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ipifc_slaac *e;
	struct ipifc_slaac_config c;
	struct ipifc_ip src, dst = ipifc_ip_allnodes, pfx;
	uint8_t	 mac[6] = { 2, 0, 0, 0, 0, 1 }, *msg;
	uint64_t now = 0, next;
	uint16_t delay;
	size_t	 off = 1, len;
	uint8_t	 op;
	int	 k;

	if (size < 1)
		return 0;
	naddr = nroute = nserver = nuser = 0;
	rstate = 1;
	ipifc_slaac_config_default(&c);
	c.iid = data[0] & 1 ? IPIFC_SLAAC_IID_EUI64 : IPIFC_SLAAC_IID_STABLE;
	c.temporary = (data[0] & 2) != 0;
	c.twohour = (data[0] & 4) == 0;
	c.optimistic = (data[0] & 8) != 0;
	c.form_addrs = (data[0] & 16) == 0;
	/* short temporary lifetimes, so that regeneration happens */
	c.temp_valid = 3000;
	c.temp_preferred = 1000;
	memcpy(c.secret, "fuzz", 4);
	c.secretlen = 4;
	strcpy(c.net_iface, "fz0");
#ifdef FUZZ_SLAAC_VERBOSE
	CHECK((e = ipifc_slaac_new(rnd, NULL, logline, NULL)) != NULL);
#else
	CHECK((e = ipifc_slaac_new(rnd, NULL, NULL, NULL)) != NULL);
#endif
	CHECK(ipifc_slaac_ifc_add(e, IFC, &c) == 0);
	/* the operator's own addresses, which nothing may touch */
	CHECK(ipifc_ip_parse("2001:db8::1", &users[nuser++]) == 0);
	CHECK(ipifc_ip_parse("2001:db8:1::ff:fe00:1", &users[nuser++]) == 0);
	CHECK(ipifc_slaac_user_addr(e, IFC, &users[0], 1, 0) == 0);
	CHECK(ipifc_slaac_user_addr(e, IFC, &users[1], 1, 0) == 0);
	CHECK(ipifc_slaac_link(e, IFC, 1, mac, 0) == 0);
	CHECK(ipifc_slaac_linklocal(e, IFC, 1, 0) == 0);
	drain(e);

	while (off + 3 <= size) {
		delay = ipifc_get16(data + off);
		op = data[off + 2];
		off += 3;
		if (delay == NEXTTIMER) {
			next = ipifc_slaac_next_deadline(e);
			now = next > now + MAXSTEP ? now + MAXSTEP : next;
		} else if (delay & 0x8000)
			now += (uint64_t)(delay & 0x7fff) * 1000;
		else
			now += delay;
		ipifc_slaac_tick(e, now);
		drain(e);
		switch (op & 7) {
		case 0:
			if (off + 3 > size)
				goto out;
			memset(&src, 0, sizeof(src));
			src.a[0] = 0xfe;
			src.a[1] = 0x80;
			src.a[15] = (uint8_t)(1 + data[off] % 8);
			len = ipifc_get16(data + off + 1);
			off += 3;
			if (len > size - off)
				len = size - off;
			/* a buffer of its own size, for AddressSanitizer */
			CHECK((msg = malloc(len > 0 ? len : 1)) != NULL);
			memcpy(msg, data + off, len);
			off += len;
			if (!(op & 0x80))
				fixsum(msg, len, &src, &dst);
			ipifc_slaac_ra(e, IFC, &src, &dst, 255, msg, len, now);
			free(msg);
			break;
		case 1:
			if (off + 2 > size)
				goto out;
			if (naddr > 0)
				ipifc_slaac_dad(e, IFC,
				    &addrs[data[off] % naddr],
				    data[off + 1] & 1, now);
			off += 2;
			break;
		case 2:
			if (off + 2 > size)
				goto out;
			mac[5] = data[off + 1];
			ipifc_slaac_link(e, IFC, data[off] & 1, mac, now);
			off += 2;
			break;
		case 3:
			if (off + 1 > size)
				goto out;
			ipifc_slaac_linklocal(e, IFC, data[off] & 1, now);
			off += 1;
			break;
		case 4:
			if (off + 1 > size)
				goto out;
			if (naddr > 0 && nuser < MAXUSERS) {
				k = data[off] % naddr;
				users[nuser++] = addrs[k];
				/* the operator's now: off the engine's list */
				addrs[k] = addrs[--naddr];
				CHECK(ipifc_slaac_user_addr(e, IFC,
				    &users[nuser - 1], 1, now) == 0);
			}
			off += 1;
			break;
		case 5:
			if (off + 1 > size)
				goto out;
			CHECK(ipifc_ip_parse("2001:db8::", &pfx) == 0);
			pfx.a[5] = data[off] % 4;
			CHECK(ipifc_slaac_prefix_temporary(e, IFC, &pfx, 64,
			    data[off] & 0x80, now) == 0);
			off += 1;
			break;
		default:
			break;
		}
		drain(e);
		if (ipifc_slaac_next_deadline(e) <= now) {
			ipifc_slaac_tick(e, now);
			drain(e);
		}
		check_engine(e, now);
	}
out:
	/* removing the interface takes back everything it gave */
	CHECK(ipifc_slaac_ifc_remove(e, IFC, now) == 0);
	drain(e);
	CHECK(naddr == 0 && nroute == 0 && nserver == 0);
	ipifc_slaac_free(e);
	return 0;
}
