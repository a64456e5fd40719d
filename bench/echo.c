/*
 * Benchmark: ICMP echo in memory, and "is it mine", against lwIP in the
 * same run.
 *
 *   build/bench_echo [N [all|echo|mine]]
 *
 * N echoes per round and case, default 200000; echo or mine runs only
 * that part.
 *
 * Built only with -Dbench=true (it needs liblwip-dev).  No root.
 *
 * Echo: one Ethernet frame holding an echo request of 64 or 1400 bytes
 * of ICMP (IPv4: 10.0.0.2 -> 10.0.0.1; IPv6: 2001:db8::2 -> 2001:db8::1)
 * goes to each stack, which answers through its send callback.  ipifc
 * takes it through ipifc_input; lwIP (lwip_init(), one netif, driven
 * single-threaded through netif->input = ethernet_input, never through
 * the tcpip thread) takes it as a driver gives it: a PBUF_RAM pbuf
 * filled with pbuf_take.  The peer's link-layer address is known to both
 * beforehand (ipifc: an `arp add`; lwIP: learned from an ARP request and
 * a neighbor solicitation sent first).  Every reply is counted and its
 * length checked.  Allocations: this program's malloc, calloc and
 * realloc count every call (they pass to glibc's), so the figure is
 * what a packet costs each stack, the driver's pbuf included for lwIP.
 *
 * Is it mine: the self table holding N addresses of a family (N = 10,
 * 1000, 4096, 100000), asked about NASK destinations that are all ours
 * (hits) or all not (misses), per family.  The addresses go in through
 * the self table's own API (ipifc_self_add, core/self.c), as
 * IPIFC_MAXIFC x IPIFC_MAXLIFC (4096) addresses cannot hold 100k, and
 * through the ctl language would also bring their routes along.  lwIP's
 * answer is ip4_input's and ip6_input's: for each netif, its address or
 * ip4_addr_isbroadcast, or each of its valid IPv6 addresses.  lwIP holds
 * at most 255 netifs (its netif number is a byte), one IPv4 address
 * each: past that it is measured at 254 netifs, one IPv4 and one IPv6
 * address each, and its figure says so.
 *
 * Rounds alternate between the stacks; each figure is the median of 5,
 * timed in the thread's CPU time (a busy shared machine takes the CPU
 * away between rounds; wall time would count that against whoever ran).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipifc.h"
#include "core.h"
#include "util.h"
#include "wire.h"

#include <lwip/init.h>
#include <lwip/etharp.h>
#include <lwip/ethip6.h>
#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <netif/ethernet.h>

#define ROUNDS	5
#define NMINE	10		/* addresses of the echo stacks */
#define NASK	(1 << 19)	/* is-it-mine questions a round */
#define LWMAX	254		/* lwIP's netifs at most (never a 256th) */

/* ---- counting allocations ---- */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static unsigned long nalloc;

void *
malloc(size_t n)
{
	nalloc++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
	nalloc++;
	return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
	nalloc++;
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	__libc_free(p);
}

/* ---- common ---- */

static const uint8_t mymac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t peermac[6] = { 0x02, 0, 0, 0, 0, 0x02 };

static struct ipifc_ip
ip(const char *s)
{
	struct ipifc_ip a;

	if (ipifc_ip_parse(s, &a) != 0) {
		fprintf(stderr, "bench_echo: bad address %s\n", s);
		exit(1);
	}
	return a;
}

/* An echo request of icmplen bytes of ICMP from the peer, as a frame. */
static size_t
request(uint8_t *f, int v6, size_t icmplen)
{
	static uint8_t data[2000];
	struct ipifc_icmp m;
	struct ipifc_ip4 h4;
	struct ipifc_ip6 h6;
	struct ipifc_ip src, dst;
	int	 hl, n;
	size_t	 i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	memset(&m, 0, sizeof(m));
	m.type = v6 ? IPIFC_ICMP6_ECHO : IPIFC_ICMP4_ECHO;
	m.id = 0x1234;
	m.seq = 1;
	m.data = data;
	m.dlen = icmplen - IPIFC_ICMP_HLEN;
	src = ip(v6 ? "2001:db8::2" : "10.0.0.2");
	dst = ip(v6 ? "2001:db8::1" : "10.0.0.1");
	ipifc_eth_build(f, IPIFC_ETH_HLEN, mymac, peermac,
	    v6 ? IPIFC_ETHERTYPE_IP6 : IPIFC_ETHERTYPE_IP4);
	if (v6) {
		memset(&h6, 0, sizeof(h6));
		h6.hlim = 64;
		h6.nxt = IPIFC_PROTO_ICMP6;
		h6.src = src;
		h6.dst = dst;
		h6.plen = icmplen;
		h6.paylen = (uint16_t)icmplen;
		hl = ipifc_ip6_build(f + IPIFC_ETH_HLEN, 2000, &h6);
		n = ipifc_icmp6_build(f + IPIFC_ETH_HLEN + hl, 2000, &src, &dst,
		    &m);
	} else {
		memset(&h4, 0, sizeof(h4));
		h4.ttl = 64;
		h4.proto = IPIFC_PROTO_ICMP;
		h4.src = src;
		h4.dst = dst;
		h4.plen = icmplen;
		hl = ipifc_ip4_build(f + IPIFC_ETH_HLEN, 2000, &h4);
		n = ipifc_icmp4_build(f + IPIFC_ETH_HLEN + hl, 2000, &m);
	}
	if (hl < 0 || n < 0) {
		fprintf(stderr, "bench_echo: cannot build the request\n");
		exit(1);
	}
	return IPIFC_ETH_HLEN + (size_t)hl + (size_t)n;
}

/* ---- ipifc ---- */

static unsigned long ipifc_out;
static size_t ipifc_outlen;

static int
ipifc_open(void *arg, int ifc, const char *dev, uint8_t mac[6])
{
	if (mac != NULL)
		memcpy(mac, mymac, 6);
	return 0;
}

static void
ipifc_close(void *arg, int ifc)
{
}

static int
ipifc_send_frame(void *arg, int ifc, const uint8_t *frame, size_t len)
{
	ipifc_out++;
	ipifc_outlen = len;
	return 0;
}

static const struct ipifc_link_ops ipifc_ops = {
	.open = ipifc_open, .close = ipifc_close, .send = ipifc_send_frame,
};

static void
w(struct ipifc_stack *s, const char *path, const char *text)
{
	const char *err;

	if ((err = ipifc_write(s, NULL, path, text, NULL, 0)) != NULL) {
		fprintf(stderr, "bench_echo: %s: %s: %s\n", path, text, err);
		exit(1);
	}
}

static struct ipifc_stack *
ipifc_setup(void)
{
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;
	char	 line[64];
	int	 i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.id = 1;
	if ((s = ipifc_stack_new(&cfg)) == NULL)
		exit(1);
	ipifc_set_link(s, &ipifc_ops, NULL);
	w(s, "ipifc/clone", "bind ether sim:bench");
	w(s, "ipifc/0/ctl", "dad 0");
	w(s, "ipifc/0/ctl", "add 10.0.0.1 /24");
	w(s, "ipifc/0/ctl", "add 2001:db8::1/64");
	for (i = 1; i < NMINE; i++) {
		snprintf(line, sizeof(line), "add 10.%d.0.1 /24", i);
		w(s, "ipifc/0/ctl", line);
	}
	w(s, "arp", "add 10.0.0.2 02:00:00:00:00:02");
	w(s, "arp", "add 2001:db8::2 02:00:00:00:00:02");
	ipifc_advance(s, 10000);
	return s;
}

/* ---- lwIP ---- */

static struct netif lw_netif[LWMAX];
static unsigned long lw_out;
static size_t lw_outlen;

static err_t
lw_linkoutput(struct netif *nif, struct pbuf *p)
{
	lw_out++;
	lw_outlen = p->tot_len;
	return ERR_OK;
}

static err_t
lw_init(struct netif *nif)
{
	nif->name[0] = 'b';
	nif->name[1] = 'e';
	nif->mtu = 1500;
	nif->hwaddr_len = 6;
	memcpy(nif->hwaddr, mymac, 6);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
	    NETIF_FLAG_ETHERNET | NETIF_FLAG_MLD6;
	nif->output = etharp_output;
	nif->output_ip6 = ethip6_output;
	nif->linkoutput = lw_linkoutput;
	return ERR_OK;
}

/* Feed one frame to lwIP as a driver does. */
static void
lw_input(struct netif *nif, const uint8_t *f, size_t len)
{
	struct pbuf *p;

	if ((p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM)) == NULL) {
		fprintf(stderr, "bench_echo: lwIP: no pbuf\n");
		exit(1);
	}
	pbuf_take(p, f, (u16_t)len);
	if (nif->input(p, nif) != ERR_OK)
		pbuf_free(p);
}

/*
 * The peer's ARP request for 10.0.0.1 and its neighbor solicitation for
 * 2001:db8::1: lwIP learns its link-layer address from them.
 */
static void
lw_learn(struct netif *nif)
{
	struct ipifc_arp a;
	static struct ipifc_nd ns;
	struct ipifc_ip6 h;
	struct ipifc_ip src, dst;
	uint8_t	 f[256];
	int	 n, hl;

	memset(&a, 0, sizeof(a));
	a.op = IPIFC_ARP_REQUEST;
	memcpy(a.sha, peermac, 6);
	a.spa = ip("10.0.0.2");
	a.tpa = ip("10.0.0.1");
	ipifc_eth_build(f, IPIFC_ETH_HLEN, mymac, peermac,
	    IPIFC_ETHERTYPE_ARP);
	n = ipifc_arp_build(f + IPIFC_ETH_HLEN, sizeof(f) - IPIFC_ETH_HLEN,
	    &a);
	lw_input(nif, f, IPIFC_ETH_HLEN + (size_t)n);

	memset(&ns, 0, sizeof(ns));
	ns.type = IPIFC_ND_NS;
	ns.target = ip("2001:db8::1");
	ns.has = IPIFC_ND_HAS_SLLA;
	memcpy(ns.slla, peermac, 6);
	src = ip("2001:db8::2");
	dst = ip("2001:db8::1");
	n = ipifc_nd_build(f + IPIFC_ETH_HLEN + IPIFC_IP6_HLEN, 200, &src,
	    &dst, &ns);
	memset(&h, 0, sizeof(h));
	h.hlim = 255;
	h.nxt = IPIFC_PROTO_ICMP6;
	h.src = src;
	h.dst = dst;
	h.plen = (size_t)n;
	h.paylen = (uint16_t)n;
	ipifc_eth_build(f, IPIFC_ETH_HLEN, mymac, peermac,
	    IPIFC_ETHERTYPE_IP6);
	hl = ipifc_ip6_build(f + IPIFC_ETH_HLEN, IPIFC_IP6_HLEN, &h);
	if (n < 0 || hl < 0) {
		fprintf(stderr, "bench_echo: cannot build the NS\n");
		exit(1);
	}
	lw_input(nif, f, IPIFC_ETH_HLEN + (size_t)hl + (size_t)n);
}

static struct netif *
lw_setup(void)
{
	ip4_addr_t a, m, g;
	ip6_addr_t a6;
	char	 s[32];
	int	 i;

	lwip_init();
	for (i = 0; i < NMINE; i++) {
		snprintf(s, sizeof(s), "10.%d.0.1", i);
		ip4addr_aton(s, &a);
		ip4addr_aton("255.255.255.0", &m);
		ip4_addr_set_zero(&g);
		if (netif_add(&lw_netif[i], &a, &m, &g, NULL, lw_init,
		    ethernet_input) == NULL) {
			fprintf(stderr, "bench_echo: lwIP: netif_add\n");
			exit(1);
		}
		netif_set_up(&lw_netif[i]);
		netif_set_link_up(&lw_netif[i]);
	}
	ip6addr_aton("2001:db8::1", &a6);
	netif_ip6_addr_set(&lw_netif[0], 0, &a6);
	netif_ip6_addr_set_state(&lw_netif[0], 0, IP6_ADDR_PREFERRED);
	netif_set_default(&lw_netif[0]);
	lw_learn(&lw_netif[0]);
	return &lw_netif[0];
}

/* ---- echo ---- */

struct echo_case {
	int	 v6;
	size_t	 icmplen;
	uint8_t	 f[2048];
	size_t	 len;
	double	 ipifc[ROUNDS], lwip[ROUNDS];
	double	 ipifc_alloc, lwip_alloc;
};

static double
run_ipifc(struct ipifc_stack *s, struct echo_case *c, long n)
{
	unsigned long before = ipifc_out, a = nalloc;
	double	 t;
	long	 i;

	t = now();
	for (i = 0; i < n; i++)
		ipifc_input(s, 0, c->f, c->len);
	t = now() - t;
	c->ipifc_alloc = (double)(nalloc - a) / (double)n;
	if (ipifc_out - before != (unsigned long)n ||
	    ipifc_outlen != c->len) {
		fprintf(stderr, "bench_echo: ipifc answered %lu of %ld (%zu "
		    "bytes, sent %zu)\n", ipifc_out - before, n, ipifc_outlen,
		    c->len);
		exit(1);
	}
	return (double)n / t;
}

static double
run_lwip(struct netif *nif, struct echo_case *c, long n)
{
	unsigned long before = lw_out, a = nalloc;
	double	 t;
	long	 i;

	t = now();
	for (i = 0; i < n; i++)
		lw_input(nif, c->f, c->len);
	t = now() - t;
	c->lwip_alloc = (double)(nalloc - a) / (double)n;
	if (lw_out - before != (unsigned long)n || lw_outlen != c->len) {
		fprintf(stderr, "bench_echo: lwIP answered %lu of %ld (%zu "
		    "bytes, sent %zu)\n", lw_out - before, n, lw_outlen,
		    c->len);
		exit(1);
	}
	return (double)n / t;
}

/* ---- is it mine ---- */

/* The i-th address of a family, and the i-th that is nobody's. */
static void
mine_addr(struct ipifc_ip *a, int v6, uint32_t i, int miss)
{
	if (!v6) {
		ipifc_ip_v4(a, (miss ? 0x0b000000u : 0x0a000000u) |
		    (i / 250) << 8 | (i % 250 + 1));
		return;
	}
	*a = ip("2001:db8::");
	a->a[5] = miss ? 1 : 0;
	a->a[12] = (uint8_t)(i >> 24);
	a->a[13] = (uint8_t)(i >> 16);
	a->a[14] = (uint8_t)(i >> 8);
	a->a[15] = (uint8_t)i;
}

static struct ipifc_ip mq[NASK];	/* ipifc's questions */
static ip4_addr_t lq4[NASK];		/* lwIP's */
static ip6_addr_t lq6[NASK];

static int
lw_mine4(const ip4_addr_t *a)
{
	struct netif *nif;

	NETIF_FOREACH(nif) {
		if (ip4_addr_cmp(a, netif_ip4_addr(nif)) ||
		    ip4_addr_isbroadcast(a, nif))
			return 1;
	}
	return 0;
}

static int
lw_mine6(const ip6_addr_t *a)
{
	struct netif *nif;
	int	 i;

	NETIF_FOREACH(nif) {
		for (i = 0; i < LWIP_IPV6_NUM_ADDRESSES; i++)
			if (ip6_addr_isvalid(netif_ip6_addr_state(nif, i)) &&
			    ip6_addr_cmp_zoneless(a, netif_ip6_addr(nif, i)))
				return 1;
	}
	return 0;
}

/* lwIP with n netifs, the i-th holding both families' i-th addresses. */
static void
lw_mine_setup(int n)
{
	struct ipifc_ip a;
	ip4_addr_t a4, m, g;
	ip6_addr_t a6;
	int	 i;

	for (i = 0; i < n; i++) {
		mine_addr(&a, 0, (uint32_t)i, 0);
		ip4_addr_set_u32(&a4, lwip_htonl(ipifc_ip_v4val(&a)));
		ip4addr_aton("255.255.255.0", &m);
		ip4_addr_set_zero(&g);
		if (netif_add(&lw_netif[i], &a4, &m, &g, NULL, lw_init,
		    ethernet_input) == NULL) {
			fprintf(stderr, "bench_echo: lwIP: netif_add\n");
			exit(1);
		}
		netif_set_up(&lw_netif[i]);
		mine_addr(&a, 1, (uint32_t)i, 0);
		memset(&a6, 0, sizeof(a6));
		memcpy(a6.addr, a.a, 16);
		netif_ip6_addr_set(&lw_netif[i], 0, &a6);
		netif_ip6_addr_set_state(&lw_netif[i], 0, IP6_ADDR_PREFERRED);
	}
}

static void
lw_mine_clear(int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		netif_remove(&lw_netif[i]);
}

/* The questions: hits among the first n addresses, or misses. */
static void
mine_questions(int v6, int n, int lwn, int miss)
{
	struct ipifc_ip a;
	int	 i;

	for (i = 0; i < NASK; i++) {
		mine_addr(&mq[i], v6, rnd() % (uint32_t)n, miss);
		/* lwIP is asked about what it can hold */
		mine_addr(&a, v6, rnd() % (uint32_t)lwn, miss);
		if (v6) {
			memset(&lq6[i], 0, sizeof(lq6[i]));
			memcpy(lq6[i].addr, a.a, 16);
		} else
			ip4_addr_set_u32(&lq4[i],
			    lwip_htonl(ipifc_ip_v4val(&a)));
	}
}

struct mine_case {
	int	 n, v6, miss;
	double	 ipifc, lwip;	/* lookups per second */
};

static void
mine_run(struct ipifc_stack *s, int lwn, struct mine_case *c)
{
	double	 t, mi[ROUNDS], ml[ROUNDS];
	int	 r, i, hi, hl, want;

	mine_questions(c->v6, c->n, lwn, c->miss);
	want = c->miss ? 0 : NASK;
	for (r = 0; r < ROUNDS; r++) {
		hi = hl = 0;
		t = now();
		for (i = 0; i < NASK; i++)
			hi += ipifc_ipforme(s, &mq[i]) != 0;
		mi[r] = NASK / (now() - t);
		t = now();
		if (c->v6)
			for (i = 0; i < NASK; i++)
				hl += lw_mine6(&lq6[i]);
		else
			for (i = 0; i < NASK; i++)
				hl += lw_mine4(&lq4[i]);
		ml[r] = NASK / (now() - t);
		if (hi != want || hl != want) {
			fprintf(stderr, "bench_echo: is it mine: ipifc %d, "
			    "lwIP %d, want %d\n", hi, hl, want);
			exit(1);
		}
	}
	c->ipifc = median(mi, ROUNDS);
	c->lwip = median(ml, ROUNDS);
}

int
main(int argc, char **argv)
{
	static struct echo_case cases[4];
	static const size_t sizes[2] = { 64, 1400 };
	static const int nmine[4] = { 10, 1000, 4096, 100000 };
	struct mine_case mc[16], *c;
	struct ipifc_stack_config cfg;
	struct ipifc_stack *s;
	struct netif *nif;
	struct ipifc_ip a;
	long	 n = argc > 1 ? atol(argv[1]) : 200000;
	const char *what = argc > 2 ? argv[2] : "all";
	int	 r, i, j, k, lwn, nmc = 0, echo, mine;

	echo = strcmp(what, "all") == 0 || strcmp(what, "echo") == 0;
	mine = strcmp(what, "all") == 0 || strcmp(what, "mine") == 0;
	if (n <= 0 || (!echo && !mine)) {
		fprintf(stderr, "usage: bench_echo [N [all|echo|mine]]\n");
		return 1;
	}
	s = ipifc_setup();
	nif = lw_setup();
	for (k = 0; echo && k < 4; k++) {
		cases[k].v6 = k / 2;
		cases[k].icmplen = sizes[k % 2];
		cases[k].len = request(cases[k].f, cases[k].v6,
		    cases[k].icmplen);
		/* warm both once */
		run_ipifc(s, &cases[k], 1000);
		run_lwip(nif, &cases[k], 1000);
	}
	for (r = 0; echo && r < ROUNDS; r++) {
		for (k = 0; k < 4; k++) {
			if (r & 1) {
				cases[k].lwip[r] = run_lwip(nif, &cases[k], n);
				cases[k].ipifc[r] = run_ipifc(s, &cases[k], n);
			} else {
				cases[k].ipifc[r] = run_ipifc(s, &cases[k], n);
				cases[k].lwip[r] = run_lwip(nif, &cases[k], n);
			}
		}
	}
	ipifc_stack_free(s);
	lw_mine_clear(NMINE);

	/* is it mine: a stack and lwIP's netifs for each size */
	for (k = 0; mine && k < 4; k++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.id = 2;
		if ((s = ipifc_stack_new(&cfg)) == NULL)
			return 1;
		for (j = 0; j < 2; j++)
			for (i = 0; i < nmine[k]; i++) {
				mine_addr(&a, j, (uint32_t)i, 0);
				if (ipifc_self_add(s, &a, IPIFC_RT_UNI,
				    NULL) < 0) {
					fprintf(stderr, "bench_echo: no "
					    "memory for the self table\n");
					return 1;
				}
			}
		lwn = nmine[k] < LWMAX ? nmine[k] : LWMAX;
		lw_mine_setup(lwn);
		for (j = 0; j < 4; j++) {
			c = &mc[nmc++];
			c->n = nmine[k];
			c->v6 = j / 2;
			c->miss = j % 2;
			mine_run(s, lwn, c);
		}
		lw_mine_clear(lwn);
		for (j = 0; j < 2; j++)
			for (i = 0; i < nmine[k]; i++) {
				mine_addr(&a, j, (uint32_t)i, 0);
				ipifc_self_remove(s, &a, NULL);
			}
		ipifc_stack_free(s);
	}

	if (echo) {
		printf("echo: %ld requests a round and case, median of %d "
		    "rounds\n", n, ROUNDS);
		printf("%-14s %12s %12s %8s %12s %12s\n", "case", "ipifc/s",
		    "lwip/s", "ratio", "ipifc alloc", "lwip alloc");
	}
	for (k = 0; echo && k < 4; k++) {
		struct echo_case *e = &cases[k];
		double	 x = median(e->ipifc, ROUNDS), y = median(e->lwip, ROUNDS);

		printf("%-4s %4zu bytes %12.0f %12.0f %7.2fx %12.2f %12.2f\n",
		    e->v6 ? "IPv6" : "IPv4", e->icmplen, x, y, x / y,
		    e->ipifc_alloc, e->lwip_alloc);
	}
	if (!mine)
		return 0;
	printf("is it mine: %d lookups a round, median of %d rounds; "
	    "ns per lookup (lwIP at %d netifs past that)\n", NASK, ROUNDS,
	    LWMAX);
	printf("%-8s %-4s %-5s %10s %10s %8s %12s\n", "addrs", "fam", "kind",
	    "ipifc ns", "lwip ns", "ratio", "vs 10 addrs");
	for (i = 0; i < nmc; i++) {
		c = &mc[i];
		printf("%-8d %-4s %-5s %10.1f %10.1f %7.2fx %11.2fx%s\n",
		    c->n, c->v6 ? "IPv6" : "IPv4", c->miss ? "miss" : "hit",
		    1e9 / c->ipifc, 1e9 / c->lwip, c->ipifc / c->lwip,
		    mc[i % 4].ipifc / c->ipifc,
		    c->n > LWMAX ? "  (lwIP: 254)" : "");
	}
	return 0;
}
