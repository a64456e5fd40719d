/*
 * A ping(8) run over a stack, for every program that pings through one
 * (ipifcd's ping file, ipifc sim's ping command): the requests sent, the
 * echo replies (ICMP type 0, RFC 792; ICMPv6 type 129, RFC 4443 4.2) and
 * the errors quoting a request (ipifc_ping_error) matched to them by
 * identifier and sequence number, ping(8)'s lines, and the options of a
 * ping command line.
 */
#include <stdio.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

void
ipifc_pingrun_begin(struct ipifc_pingrun *p, const struct ipifc_ip *dst,
    uint16_t id, int count, int size, char *line, size_t len)
{
	char buf[IPIFC_IPSTRLEN];

	memset(p, 0, sizeof(*p));
	p->dst = *dst;
	p->id = id;
	p->count = count < 1 ? 1 : count > IPIFC_PINGMAX ? IPIFC_PINGMAX :
	    count;
	snprintf(line, len, "PING %s %d data bytes\n",
	    ipifc_ip_fmt(dst, buf, sizeof(buf)), size);
}

int
ipifc_pingrun_next(struct ipifc_pingrun *p, uint64_t now)
{
	if (p->nsent == p->count)
		return -1;
	p->sent[++p->nsent] = now;
	return p->nsent;
}

/* An error about one of p's requests: "From ADDR icmp_seq=N WHAT". */
static int
match_error(struct ipifc_pingrun *p, const struct ipifc_datagram *d,
    char *line, size_t len)
{
	char from[IPIFC_IPSTRLEN], words[96];
	uint16_t id, seq;

	if (ipifc_ping_error(d, &id, &seq, words, sizeof(words)) != 0)
		return -1;
	if (id != p->id || seq < 1 || seq > p->nsent)
		return 0;
	p->errors++;
	snprintf(line, len, "From %s icmp_seq=%u %s\n",
	    ipifc_ip_fmt(&d->src, from, sizeof(from)), (unsigned)seq, words);
	return IPIFC_PING_ERROR;
}

int
ipifc_pingrun_match(struct ipifc_pingrun *p, const struct ipifc_datagram *d,
    uint64_t now, char *line, size_t len)
{
	char from[IPIFC_IPSTRLEN];
	int v4 = ipifc_ip_isv4(&p->dst), rc;
	unsigned id, seq;

	if (d->len < IPIFC_ICMP_HLEN ||
	    d->proto != (v4 ? IPIFC_PROTO_ICMP : IPIFC_PROTO_ICMP6))
		return 0;
	if ((rc = match_error(p, d, line, len)) >= 0)
		return rc;
	if (d->payload[1] != 0 || d->payload[0] !=
	    (v4 ? IPIFC_ICMP4_ECHOREPLY : IPIFC_ICMP6_ECHOREPLY))
		return 0;
	id = ipifc_get16(d->payload + 4);
	seq = ipifc_get16(d->payload + 6);
	if (id != p->id || seq < 1 || seq > (unsigned)p->nsent)
		return 0;
	if (p->got[seq]++ == 0)
		p->received++;
	else
		p->dups++;
	snprintf(line, len, "%zu bytes from %s: icmp_seq=%u ttl=%d time=%llu "
	    "ms%s\n", d->len, ipifc_ip_fmt(&d->src, from, sizeof(from)), seq,
	    d->ttl, (unsigned long long)(now - p->sent[seq]),
	    p->got[seq] > 1 ? " (DUP!)" : "");
	return IPIFC_PING_REPLY;
}

void
ipifc_pingrun_end(const struct ipifc_pingrun *p, char *buf, size_t len)
{
	char dst[IPIFC_IPSTRLEN], dups[32] = "", errors[32] = "";

	if (p->dups > 0)
		snprintf(dups, sizeof(dups), ", +%d duplicates", p->dups);
	if (p->errors > 0)
		snprintf(errors, sizeof(errors), ", +%d errors", p->errors);
	snprintf(buf, len, "--- %s ping statistics ---\n"
	    "%d packets transmitted, %d received%s%s, %g%% packet loss\n",
	    ipifc_ip_fmt(&p->dst, dst, sizeof(dst)), p->nsent, p->received,
	    dups, errors, p->nsent > 0 ?
	    100.0 * (p->nsent - p->received) / p->nsent : 0.0);
}

int
ipifc_pingflag_set(const struct ipifc_pingflag *f, int n, const char *opt,
    const char *val)
{
	uint64_t v;
	int i;

	if (opt[0] != '-' || opt[1] == '\0' || opt[2] != '\0')
		return -1;
	for (i = 0; i < n; i++) {
		if (f[i].flag != opt[1])
			continue;
		if (ipifc_decimal(val, f[i].max, &v) != 0 || v < f[i].min)
			return -1;
		*f[i].val = (int)v;
		return 0;
	}
	return -1;
}

void
ipifc_pingflag_fmt(const struct ipifc_pingflag *f, int n, char *buf,
    size_t len)
{
	size_t at = 0;
	int i, k;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < n && at < len; i++) {
		k = snprintf(buf + at, len - at, "%s-%c %u..%u",
		    i > 0 ? ", " : "", f[i].flag, f[i].min, f[i].max);
		if (k < 0)
			break;
		at += (size_t)k;
	}
}
