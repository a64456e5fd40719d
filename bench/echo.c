/*
 * Benchmark: ICMP echo in memory, and "is it mine", against lwIP in the
 * same run.
 *
 *   build/bench_echo [N]        (N echoes per round and case, default 200000)
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
 * Is it mine: 10 IPv4 addresses (lwIP: 10 netifs, one address each),
 * asked about 1M destinations, half of them ours or a subnet's broadcast
 * and half not.  lwIP's answer is ip4_input's: for each netif, its
 * address or ip4_addr_isbroadcast.
 *
 * Rounds alternate between the stacks; each figure is the median of 5.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ipifc.h"
#include "wire.h"

#include <lwip/init.h>
#include <lwip/etharp.h>
#include <lwip/ethip6.h>
#include <lwip/ip4_addr.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <netif/ethernet.h>

#define ROUNDS	5
#define NMINE	10
#define NASK	(1 << 20)

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

static uint64_t rs = 88172645463325252ull;

static uint32_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (uint32_t)(rs >> 16);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v)
{
	qsort(v, ROUNDS, sizeof(v[0]), cmp);
	return v[ROUNDS / 2];
}

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
	ipifc_open, ipifc_close, ipifc_send_frame, NULL
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
	/* the rest of the 10 addresses is-it-mine asks about */
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

static struct netif lw_netif[NMINE];
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

static uint32_t ask[NASK];

static int
lw_mine(uint32_t a)
{
	struct netif *nif;

	NETIF_FOREACH(nif) {
		if (ip4_addr_get_u32(netif_ip4_addr(nif)) == a ||
		    ip4_addr_isbroadcast_u32(a, nif))
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static struct echo_case cases[4];
	static const size_t sizes[2] = { 64, 1400 };
	struct ipifc_stack *s;
	struct netif *nif;
	struct ipifc_ip q;
	double	 t, mi[ROUNDS], ml[ROUNDS];
	long	 n = argc > 1 ? atol(argv[1]) : 200000;
	int	 r, i, k, hi, hl;
	uint32_t v;

	if (n <= 0) {
		fprintf(stderr, "usage: bench_echo [N]\n");
		return 1;
	}
	s = ipifc_setup();
	nif = lw_setup();
	for (k = 0; k < 4; k++) {
		cases[k].v6 = k / 2;
		cases[k].icmplen = sizes[k % 2];
		cases[k].len = request(cases[k].f, cases[k].v6,
		    cases[k].icmplen);
		/* warm both once */
		run_ipifc(s, &cases[k], 1000);
		run_lwip(nif, &cases[k], 1000);
	}
	for (r = 0; r < ROUNDS; r++) {
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

	/* is it mine: half ours (an address or a subnet broadcast) */
	for (i = 0; i < NASK; i++) {
		v = rnd();
		if (v & 1)
			ask[i] = 0x0a000000u | (rnd() % NMINE) << 16 |
			    ((v & 2) ? 0xff : 0x01);
		else
			ask[i] = 0x0b000000u | (rnd() & 0xffffff);
	}
	for (r = 0; r < ROUNDS; r++) {
		hi = hl = 0;
		t = now();
		for (i = 0; i < NASK; i++) {
			ipifc_ip_v4(&q, ask[i]);
			hi += ipifc_ipforme(s, &q) != 0;
		}
		mi[r] = NASK / (now() - t);
		t = now();
		for (i = 0; i < NASK; i++)
			hl += lw_mine(lwip_htonl(ask[i]));
		ml[r] = NASK / (now() - t);
		if (hi != hl) {
			fprintf(stderr, "bench_echo: is it mine: ipifc %d, "
			    "lwIP %d\n", hi, hl);
			return 1;
		}
	}

	printf("echo: %ld requests a round and case, median of %d rounds\n",
	    n, ROUNDS);
	printf("%-14s %12s %12s %8s %12s %12s\n", "case", "ipifc/s",
	    "lwip/s", "ratio", "ipifc alloc", "lwip alloc");
	for (k = 0; k < 4; k++) {
		struct echo_case *c = &cases[k];
		double	 a = median(c->ipifc), b = median(c->lwip);

		printf("%-4s %4zu bytes %12.0f %12.0f %7.2fx %12.2f %12.2f\n",
		    c->v6 ? "IPv6" : "IPv4", c->icmplen, a, b, a / b,
		    c->ipifc_alloc, c->lwip_alloc);
	}
	printf("is it mine: %d IPv4 addresses, %d lookups, median of %d "
	    "rounds\n", NMINE, NASK, ROUNDS);
	t = median(mi);
	printf("%-14s %12s %12s %8s\n", "", "ipifc M/s", "lwip M/s", "ratio");
	printf("%-14s %12.1f %12.1f %7.2fx\n", "lookups", t / 1e6,
	    median(ml) / 1e6, t / median(ml));
	ipifc_stack_free(s);
	return 0;
}
