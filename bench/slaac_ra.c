/*
 * Benchmark: router advertisements processed per second by the SLAAC
 * engine alone (slaac/), no stack, no I/O.
 *
 *   build/bench_slaac_ra [N]        (N RAs per round, default 2000000)
 *
 * The RA is what radvd sends for a typical LAN: router lifetime 1800 s,
 * one on-link autonomous /64, an MTU, the router's link-layer address,
 * one RDNSS server, one search domain.  Each round feeds it N times, 1
 * ms apart (so every RA refreshes lifetimes and yields actions: the
 * address's new lifetimes, the neighbor entry), draining the actions as
 * a caller would.  The floor measured in the same run is ipifc_nd_parse
 * on the same bytes: the validation every RA needs whoever processes
 * it.  No other SLAAC engine can be called in-process (OpenBSD slaacd's
 * and systemd-networkd's live behind their daemons), so the parser is
 * the in-run reference.  The median of 5 rounds is shown.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "slaac.h"
#include "wire.h"

#define ROUNDS	5

static uint64_t rs = 1;

static uint32_t
rnd(void *arg)
{
	rs = rs * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rs >> 33);
}

static double
secs(void)
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

int
main(int argc, char **argv)
{
	static struct ipifc_nd ra, out;
	static uint8_t b[512];
	struct ipifc_slaac_config c;
	struct ipifc_slaac_act act;
	struct ipifc_slaac *e;
	struct ipifc_ip6 h;
	struct ipifc_ip src, dst;
	double	 t, eng[ROUNDS], par[ROUNDS];
	long	 n = argc > 1 ? atol(argv[1]) : 2000000, i, nact = 0;
	uint64_t now = 0;
	int	 len, r;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	if (n <= 0) {
		fprintf(stderr, "usage: bench_slaac_ra [N]\n");
		return 1;
	}
	ipifc_ip_parse("fe80::1", &src);
	ipifc_ip_parse("ff02::1", &dst);
	ra.type = IPIFC_ND_RA;
	ra.curhlim = 64;
	ra.rtrlife = 1800;
	ra.has = IPIFC_ND_HAS_SLLA | IPIFC_ND_HAS_MTU;
	memcpy(ra.slla, "\2\0\0\0\0\xfe", 6);
	ra.mtu = 1500;
	ra.nprefix = 1;
	ipifc_ip_parse("2001:db8:1::", &ra.prefix[0].prefix);
	ra.prefix[0].plen = 64;
	ra.prefix[0].flags = IPIFC_ND_PI_ONLINK | IPIFC_ND_PI_AUTO;
	ra.prefix[0].valid = 2592000;
	ra.prefix[0].preferred = 604800;
	ra.nrdnss = 1;
	ipifc_ip_parse("2001:db8::53", &ra.rdnss[0].addr);
	ra.rdnss[0].lifetime = 600;
	ra.ndnssl = 1;
	strcpy(ra.dnssl[0].name, "example.com");
	ra.dnssl[0].lifetime = 600;
	if ((len = ipifc_nd_build(b, sizeof(b), &src, &dst, &ra)) < 0) {
		fprintf(stderr, "bench_slaac_ra: cannot build the RA\n");
		return 1;
	}

	ipifc_slaac_config_default(&c);
	memcpy(c.secret, "bench", 5);
	c.secretlen = 5;
	strcpy(c.net_iface, "eth0");
	if ((e = ipifc_slaac_new(rnd, NULL, NULL, NULL)) == NULL ||
	    ipifc_slaac_ifc_add(e, 1, &c) != 0 ||
	    ipifc_slaac_link(e, 1, 1, mac, 0) != 0) {
		fprintf(stderr, "bench_slaac_ra: cannot make the engine\n");
		return 1;
	}
	memset(&h, 0, sizeof(h));
	h.src = src;
	h.dst = dst;
	h.hlim = 255;

	for (r = 0; r < ROUNDS; r++) {
		t = secs();
		for (i = 0; i < n; i++) {
			ipifc_slaac_ra(e, 1, &src, &dst, 255, b, (size_t)len,
			    ++now);
			while (ipifc_slaac_action(e, &act))
				nact++;
		}
		eng[r] = (double)n / (secs() - t);
		t = secs();
		for (i = 0; i < n; i++)
			if (ipifc_nd_parse(&h, b, (size_t)len, &out) != 0)
				return 1;
		par[r] = (double)n / (secs() - t);
	}
	qsort(eng, ROUNDS, sizeof(eng[0]), cmp);
	qsort(par, ROUNDS, sizeof(par[0]), cmp);
	printf("%-28s %14s\n", "path", "RAs/s");
	printf("%-28s %14.0f\n", "engine (parse + apply)", eng[ROUNDS / 2]);
	printf("%-28s %14.0f\n", "ipifc_nd_parse alone", par[ROUNDS / 2]);
	printf("engine/parse %.2f; %.2f actions per RA; %d bytes an RA\n",
	    eng[ROUNDS / 2] / par[ROUNDS / 2],
	    (double)nact / (double)(n * ROUNDS), len);
	ipifc_slaac_free(e);
	return 0;
}
