/*
 * Addresses: one 16-byte form for both families, IPv4 held v4-mapped
 * (::ffff:a.b.c.d, RFC 4291 2.5.5.2), as plan9 does.  Text parsing and
 * formatting, masks, prefixes, classification and the link-layer forms.
 * No platform network headers: the parsers are our own.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

#define V4OFF	12		/* where the IPv4 address sits */
#define V4BITS	96		/* 16-byte bits before it */

const struct ipifc_ip ipifc_ip_unspec6 = { { 0 } };
const struct ipifc_ip ipifc_ip_unspec4 = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0 } };
const struct ipifc_ip ipifc_ip_bcast4 = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 255, 255, 255, 255 } };
/* RFC 1112 4 */
const struct ipifc_ip ipifc_ip_allsys4 = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 224, 0, 0, 1 } };
/* RFC 4291 2.7.1 */
const struct ipifc_ip ipifc_ip_allnodes = {
	{ 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };
const struct ipifc_ip ipifc_ip_allnodes_node = {
	{ 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };
const struct ipifc_ip ipifc_ip_allrouters = {
	{ 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 } };
const struct ipifc_ip ipifc_ip_loopback6 = {
	{ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } };

static const uint8_t v4prefix[V4OFF] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* isxdigit() depends on the locale; addresses do not. */
static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A decimal number of at most max, without sign, spaces or leading zeros.
 * Leading zeros are refused because inet_aton(3) and friends read them as
 * octal: "010.0.0.1" must not silently mean 10.0.0.1 here and 8.0.0.1
 * there.  Returns the first character after it, or NULL.
 */
static const char *
parse_dec(const char *p, unsigned max, unsigned *v)
{
	unsigned n = 0;
	int	 nd = 0;

	if (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
		return NULL;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (unsigned)(*p - '0');
		if (n > max)
			return NULL;
		p++;
		nd++;
	}
	if (nd == 0)
		return NULL;
	*v = n;
	return p;
}

/* Exactly four parts and nothing after them. */
static int
parse_v4(const char *p, uint8_t out[4])
{
	uint8_t	 b[4];
	unsigned v;
	int	 i;

	for (i = 0; i < 4; i++) {
		if (i > 0 && *p++ != '.')
			return -EINVAL;
		if ((p = parse_dec(p, 255, &v)) == NULL)
			return -EINVAL;
		b[i] = (uint8_t)v;
	}
	if (*p != '\0')
		return -EINVAL;
	memcpy(out, b, sizeof(b));
	return 0;
}

/* RFC 4291 2.2: hex groups, one "::", a dotted quad in the last 32 bits. */
static int
parse_v6(const char *p, uint8_t out[16])
{
	const char *start;
	uint8_t	 b[16];
	unsigned v;
	int	 n = 0, gap = -1, nd, h;

	memset(b, 0, sizeof(b));
	if (p[0] == ':') {
		if (p[1] != ':')
			return -EINVAL;
		gap = 0;
		p += 2;
		if (*p == '\0')
			goto done;
	}
	for (;;) {
		start = p;
		v = 0;
		nd = 0;
		while ((h = hexval(*p)) >= 0) {
			if (++nd > 4)
				return -EINVAL;
			v = v << 4 | (unsigned)h;
			p++;
		}
		if (*p == '.') {
			if (n > 12 || parse_v4(start, b + n) != 0)
				return -EINVAL;
			n += 4;
			break;
		}
		if (nd == 0 || n > 14)
			return -EINVAL;
		b[n++] = (uint8_t)(v >> 8);
		b[n++] = (uint8_t)v;
		if (*p == '\0')
			break;
		if (*p++ != ':')
			return -EINVAL;
		if (*p == ':') {
			if (gap >= 0)
				return -EINVAL;
			gap = n;
			if (*++p == '\0')
				break;
		}
	}
done:
	if (gap >= 0) {
		/* "::" stands for at least one group */
		if (n == 16)
			return -EINVAL;
		memmove(b + 16 - (n - gap), b + gap, (size_t)(n - gap));
		memset(b + gap, 0, (size_t)(16 - n));
	} else if (n != 16)
		return -EINVAL;
	memcpy(out, b, sizeof(b));
	return 0;
}

int
ipifc_ip_parse(const char *s, struct ipifc_ip *ip)
{
	struct ipifc_ip t;

	if (s == NULL || ip == NULL)
		return -EINVAL;
	if (strchr(s, ':') != NULL) {
		if (parse_v6(s, t.a) != 0)
			return -EINVAL;
	} else {
		memcpy(t.a, v4prefix, V4OFF);
		if (parse_v4(s, t.a + V4OFF) != 0)
			return -EINVAL;
	}
	*ip = t;
	return 0;
}

/* Copy as much of s as fits, always terminated when len > 0. */
static char *
copyout(char *buf, size_t len, const char *s)
{
	size_t	 n;

	if (buf == NULL || len == 0)
		return buf;
	n = strlen(s);
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* RFC 5952 4 */
static void
fmt_v6(const uint8_t *a, char *out, size_t outlen)
{
	unsigned g[8];
	size_t	 o = 0;
	int	 i, best = -1, bestlen = 0, run;

	for (i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	/* 4.2.2, 4.2.3: the longest run of two or more, the first on a tie */
	for (i = 0; i < 8; i += run > 0 ? run : 1) {
		for (run = 0; i + run < 8 && g[i + run] == 0; run++)
			;
		if (run >= 2 && run > bestlen) {
			best = i;
			bestlen = run;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			o += (size_t)snprintf(out + o, outlen - o, "::");
			i += bestlen - 1;
			continue;
		}
		if (i > 0 && i != best + bestlen)
			out[o++] = ':';
		o += (size_t)snprintf(out + o, outlen - o, "%x", g[i]);
	}
	out[o] = '\0';
}

char *
ipifc_ip_fmt(const struct ipifc_ip *ip, char *buf, size_t len)
{
	char	 tmp[IPIFC_IPSTRLEN];

	if (ipifc_ip_isv4(ip))
		snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", ip->a[12],
		    ip->a[13], ip->a[14], ip->a[15]);
	else
		fmt_v6(ip->a, tmp, sizeof(tmp));
	return copyout(buf, len, tmp);
}

/* Length of a contiguous mask of n bytes, or -1. */
static int
masklen(const uint8_t *b, int n)
{
	int	 i, bits = 0;
	uint8_t	 x;

	for (i = 0; i < n && b[i] == 0xff; i++)
		bits += 8;
	if (i < n) {
		for (x = b[i]; x & 0x80; x = (uint8_t)(x << 1))
			bits++;
		if (x != 0)
			return -1;
		for (i++; i < n; i++)
			if (b[i] != 0)
				return -1;
	}
	return bits;
}

int
ipifc_mask_parse(const char *s, int v4, int *plen)
{
	uint8_t	 b[16];
	unsigned v;
	const char *p;
	int	 n;

	if (s == NULL || plen == NULL)
		return -EINVAL;
	if (s[0] == '/') {
		p = parse_dec(s + 1, v4 ? 32 : 128, &v);
		if (p == NULL || *p != '\0')
			return -EINVAL;
		*plen = (int)v + (v4 ? V4BITS : 0);
		return 0;
	}
	if (v4) {
		if (parse_v4(s, b) != 0 || (n = masklen(b, 4)) < 0)
			return -EINVAL;
		*plen = n + V4BITS;
	} else {
		if (parse_v6(s, b) != 0 || (n = masklen(b, 16)) < 0)
			return -EINVAL;
		*plen = n;
	}
	return 0;
}

char *
ipifc_mask_fmt(const struct ipifc_ip *ip, int plen, char *buf, size_t len)
{
	char	 tmp[16];

	if (plen > 128)
		plen = 128;
	if (ipifc_ip_isv4(ip))
		plen -= V4BITS;
	if (plen < 0)
		plen = 0;
	snprintf(tmp, sizeof(tmp), "/%d", plen);
	return copyout(buf, len, tmp);
}

void
ipifc_ip_v4(struct ipifc_ip *ip, uint32_t hostorder)
{
	uint8_t t[16];

	/* made whole, then stored in one go, as wire_ip4.c's mapped() */
	memcpy(t, v4prefix, V4OFF);
	t[12] = (uint8_t)(hostorder >> 24);
	t[13] = (uint8_t)(hostorder >> 16);
	t[14] = (uint8_t)(hostorder >> 8);
	t[15] = (uint8_t)hostorder;
	memcpy(ip->a, t, 16);
}

/* core.h has these inline, under the same names as macros */
#undef ipifc_ip_isv4
#undef ipifc_ip_v4val
#undef ipifc_ip_ismulti
#undef ipifc_ip_isbcast
#undef ipifc_ip_isloopback
#undef ipifc_ip_isunspec

uint32_t
ipifc_ip_v4val(const struct ipifc_ip *ip)
{
	return ipifc_ip_v4val_inline(ip);
}

int
ipifc_ip_isv4(const struct ipifc_ip *ip)
{
	return ipifc_ip_isv4_inline(ip);
}

int
ipifc_ip_eq(const struct ipifc_ip *a, const struct ipifc_ip *b)
{
	return ipifc_ip_same(a, b);
}

void
ipifc_hashkey_set(uint64_t key[2], const uint8_t seed[16])
{
	key[0] = ipifc_le64(seed);
	key[1] = ipifc_le64(seed + 8);
}

/* SipHash-2-4, the paper's own, only so tests can check the rounds. */
uint64_t
ipifc_siphash24_16(const uint64_t key[2], const uint8_t in[16])
{
	return ipifc_siphash16(key, in, 2, 4);
}

int
ipifc_ip_cmp(const struct ipifc_ip *a, const struct ipifc_ip *b)
{
	int	 r;

	r = memcmp(a->a, b->a, sizeof(a->a));
	return (r > 0) - (r < 0);
}

static int
clampplen(int plen)
{
	if (plen < 0)
		return 0;
	if (plen > 128)
		return 128;
	return plen;
}

void
ipifc_ip_mask(struct ipifc_ip *out, const struct ipifc_ip *in, int plen)
{
	int	 i;

	plen = clampplen(plen);
	for (i = 0; i < 16; i++, plen -= 8) {
		if (plen >= 8)
			out->a[i] = in->a[i];
		else if (plen > 0)
			out->a[i] = in->a[i] & (uint8_t)(0xff << (8 - plen));
		else
			out->a[i] = 0;
	}
}

void
ipifc_ip_hostones(struct ipifc_ip *out, const struct ipifc_ip *in, int plen)
{
	int	 i;

	plen = clampplen(plen);
	for (i = 0; i < 16; i++, plen -= 8) {
		if (plen >= 8)
			out->a[i] = in->a[i];
		else if (plen > 0)
			out->a[i] = in->a[i] | (uint8_t)(0xff >> plen);
		else
			out->a[i] = 0xff;
	}
}

int
ipifc_ip_cpl(const struct ipifc_ip *a, const struct ipifc_ip *b)
{
	uint8_t	 x;
	int	 i, n = 0;

	for (i = 0; i < 16; i++) {
		x = a->a[i] ^ b->a[i];
		if (x == 0) {
			n += 8;
			continue;
		}
		for (; (x & 0x80) == 0; x = (uint8_t)(x << 1))
			n++;
		break;
	}
	return n;
}

int
ipifc_ip_inprefix(const struct ipifc_ip *a, const struct ipifc_ip *prefix,
    int plen)
{
	return ipifc_ip_cpl(a, prefix) >= clampplen(plen);
}

int
ipifc_ip_isunspec(const struct ipifc_ip *ip)
{
	return ipifc_ip_isunspec_inline(ip);
}

int
ipifc_ip_isloopback(const struct ipifc_ip *ip)
{
	return ipifc_ip_isloopback_inline(ip);
}

/* RFC 4291 2.5.6, RFC 3927 2.1 */
int
ipifc_ip_islinklocal(const struct ipifc_ip *ip)
{
	if (ipifc_ip_isv4(ip))
		return ip->a[12] == 169 && ip->a[13] == 254;
	return ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0x80;
}

int
ipifc_ip_ismulti(const struct ipifc_ip *ip)
{
	return ipifc_ip_ismulti_inline(ip);
}

int
ipifc_ip_isbcast(const struct ipifc_ip *ip)
{
	return ipifc_ip_isbcast_inline(ip);
}

/* RFC 4193 3.1 */
int
ipifc_ip_isula(const struct ipifc_ip *ip)
{
	return (ip->a[0] & 0xfe) == 0xfc;
}

/*
 * RFC 6724 3.1: multicast carries its scope (RFC 4291 2.7); loopback and
 * link-local unicast, of either family, are link scope; fec0::/10 is the
 * deprecated site-local (RFC 3879).  IPv4 multicast has no scope field:
 * 224.0.0.0/24 never leaves the link (RFC 5771 4).
 */
int
ipifc_ip_scope(const struct ipifc_ip *ip)
{
	if (ipifc_ip_isv4(ip)) {
		if (ip->a[12] == 224 && ip->a[13] == 0 && ip->a[14] == 0)
			return IPIFC_SCOPE_LINK;
		if (ipifc_ip_isloopback(ip) || ipifc_ip_islinklocal(ip))
			return IPIFC_SCOPE_LINK;
		return IPIFC_SCOPE_GLOBAL;
	}
	if (ipifc_ip_ismulti(ip))
		return ip->a[1] & 0x0f;
	if (ipifc_ip_isloopback(ip) || ipifc_ip_islinklocal(ip))
		return IPIFC_SCOPE_LINK;
	if (ip->a[0] == 0xfe && (ip->a[1] & 0xc0) == 0xc0)
		return IPIFC_SCOPE_SITE;
	return IPIFC_SCOPE_GLOBAL;
}

/* RFC 4291 2.7.1: ff02::1:ff00:0/104 and the low 24 bits. */
void
ipifc_ip_solicited(struct ipifc_ip *out, const struct ipifc_ip *ip)
{
	struct ipifc_ip t;

	memset(&t, 0, sizeof(t));
	t.a[0] = 0xff;
	t.a[1] = 0x02;
	t.a[11] = 0x01;
	t.a[12] = 0xff;
	memcpy(t.a + 13, ip->a + 13, 3);
	*out = t;
}

/* RFC 4291 appendix A: ff:fe in the middle, the u/l bit inverted. */
void
ipifc_eui64(uint8_t iid[8], const uint8_t mac[6])
{
	uint8_t	 t[8];

	t[0] = mac[0] ^ 0x02;
	t[1] = mac[1];
	t[2] = mac[2];
	t[3] = 0xff;
	t[4] = 0xfe;
	t[5] = mac[3];
	t[6] = mac[4];
	t[7] = mac[5];
	memcpy(iid, t, sizeof(t));
}

void
ipifc_ip_multimac(uint8_t mac[6], const struct ipifc_ip *group)
{
	if (ipifc_ip_isv4(group)) {
		/* RFC 1112 6.4: 01:00:5e and the low 23 bits */
		mac[0] = 0x01;
		mac[1] = 0x00;
		mac[2] = 0x5e;
		mac[3] = group->a[13] & 0x7f;
	} else {
		/* RFC 2464 7: 33:33 and the low 32 bits */
		mac[0] = 0x33;
		mac[1] = 0x33;
		mac[2] = group->a[12];
		mac[3] = group->a[13];
	}
	mac[4] = group->a[14];
	mac[5] = group->a[15];
}

/* Exactly "xx:xx:xx:xx:xx:xx", hex of either case. */
int
ipifc_mac_parse(const char *s, uint8_t mac[6])
{
	uint8_t	 b[6];
	int	 i, hi, lo;

	if (s == NULL || mac == NULL)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (i > 0 && *s++ != ':')
			return -EINVAL;
		if ((hi = hexval(s[0])) < 0 || (lo = hexval(s[1])) < 0)
			return -EINVAL;
		b[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (*s != '\0')
		return -EINVAL;
	memcpy(mac, b, sizeof(b));
	return 0;
}

char *
ipifc_mac_fmt(const uint8_t mac[6], char *buf, size_t len)
{
	char	 tmp[IPIFC_MACSTRLEN];

	snprintf(tmp, sizeof(tmp), "%02x:%02x:%02x:%02x:%02x:%02x",
	    mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return copyout(buf, len, tmp);
}
