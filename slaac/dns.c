/*
 * What an RA tells besides addresses and routes: recursive DNS servers
 * and search domains (RFC 8106 5.3), NAT64 prefixes (RFC 8781 5) and the
 * captive portal (RFC 8910 2).  Each entry has its own lifetime; an RA
 * that leaves an option out keeps what was learned (RFC 8106 5.3.1: only
 * a lifetime of 0 or its end removes an entry).
 */
#include <string.h>
#include <strings.h>

#include "slaac_int.h"

_Static_assert(IPIFC_SLAAC_URIMAX >= IPIFC_ND_DNSNAMEMAX,
    "a domain fits an action's text");

static void
server_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_dns *d, uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_DNS_SERVER);
	a->addr = d->addr;
	a->lifetime = ipifc_slaac_remain(d->end, now);
}

static void
domain_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_domain *d, uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_DNS_DOMAIN);
	memcpy(a->text, d->name, sizeof(d->name));
	a->lifetime = ipifc_slaac_remain(d->end, now);
}

static void
pref64_act(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct slaac_pref64 *p, uint64_t now)
{
	struct ipifc_slaac_act *a;

	a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_PREF64);
	a->addr = p->prefix;
	a->plen = p->plen;
	a->lifetime = ipifc_slaac_remain(p->end, now);
}

static void
server(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd_rdnss *r, uint64_t now)
{
	struct slaac_dns *d, *free = NULL;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXDNS; i++) {
		d = &ifc->dns[i];
		if (!d->used) {
			if (free == NULL)
				free = d;
		} else if (ipifc_ip_eq(&d->addr, &r->addr))
			break;
	}
	if (i < IPIFC_SLAAC_MAXDNS) {
		d->end = ipifc_slaac_end(now, r->lifetime);
		if (r->lifetime == 0) {
			server_act(e, ifc, d, now);
			d->used = 0;
		}
		return;
	}
	if (r->lifetime == 0)
		return;
	if (free == NULL) {
		e->st.dns_full++;
		return;
	}
	free->used = 1;
	free->addr = r->addr;
	free->end = ipifc_slaac_end(now, r->lifetime);
	server_act(e, ifc, free, now);
}

static void
domain(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd_dnssl *s, uint64_t now)
{
	struct slaac_domain *d, *free = NULL;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXDNSSL; i++) {
		d = &ifc->dom[i];
		if (!d->used) {
			if (free == NULL)
				free = d;
		} else if (strcasecmp(d->name, s->name) == 0)
			break;
	}
	if (i < IPIFC_SLAAC_MAXDNSSL) {
		d->end = ipifc_slaac_end(now, s->lifetime);
		if (s->lifetime == 0) {
			domain_act(e, ifc, d, now);
			d->used = 0;
		}
		return;
	}
	if (s->lifetime == 0)
		return;
	if (free == NULL) {
		e->st.dnssl_full++;
		return;
	}
	free->used = 1;
	memcpy(free->name, s->name, sizeof(free->name));
	free->end = ipifc_slaac_end(now, s->lifetime);
	domain_act(e, ifc, free, now);
}

static void
pref64(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd_pref64 *x, uint64_t now)
{
	struct slaac_pref64 *p, *free = NULL;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXPREF64; i++) {
		p = &ifc->p64[i];
		if (!p->used) {
			if (free == NULL)
				free = p;
		} else if (p->plen == x->plen &&
		    ipifc_ip_eq(&p->prefix, &x->prefix))
			break;
	}
	if (i < IPIFC_SLAAC_MAXPREF64) {
		p->end = now + (uint64_t)x->lifetime * 1000;
		if (x->lifetime == 0) {
			pref64_act(e, ifc, p, now);
			p->used = 0;
		}
		return;
	}
	if (x->lifetime == 0)
		return;
	if (free == NULL) {
		e->st.pref64_full++;
		return;
	}
	free->used = 1;
	free->prefix = x->prefix;
	free->plen = x->plen;
	free->end = now + (uint64_t)x->lifetime * 1000;
	pref64_act(e, ifc, free, now);
}

/* RFC 8910 2: the URI as given; a new one replaces the old. */
static void
captive(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd *ra)
{
	struct ipifc_slaac_act *a;

	if (ra->captivelen >= IPIFC_SLAAC_URIMAX) {
		e->st.uri_long++;
		return;
	}
	if (strlen(ifc->captive) == ra->captivelen &&
	    memcmp(ifc->captive, ra->captive, ra->captivelen) == 0)
		return;
	memcpy(ifc->captive, ra->captive, ra->captivelen);
	ifc->captive[ra->captivelen] = '\0';
	a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_CAPTIVE);
	memcpy(a->text, ifc->captive, ra->captivelen + 1);
}

void
ipifc_slaac_dns_ra(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    const struct ipifc_nd *ra, uint64_t now)
{
	int	 i;

	for (i = 0; i < ra->nrdnss; i++)
		server(e, ifc, &ra->rdnss[i], now);
	for (i = 0; i < ra->ndnssl; i++)
		domain(e, ifc, &ra->dnssl[i], now);
	for (i = 0; i < ra->npref64; i++)
		pref64(e, ifc, &ra->pref64[i], now);
	if (ra->has & IPIFC_ND_HAS_CAPTIVE)
		captive(e, ifc, ra);
}

void
ipifc_slaac_dns_tick(struct ipifc_slaac *e, struct slaac_ifc *ifc,
    uint64_t now)
{
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXDNS; i++)
		if (ifc->dns[i].used && ifc->dns[i].end <= now) {
			server_act(e, ifc, &ifc->dns[i], now);
			ifc->dns[i].used = 0;
		}
	for (i = 0; i < IPIFC_SLAAC_MAXDNSSL; i++)
		if (ifc->dom[i].used && ifc->dom[i].end <= now) {
			domain_act(e, ifc, &ifc->dom[i], now);
			ifc->dom[i].used = 0;
		}
	for (i = 0; i < IPIFC_SLAAC_MAXPREF64; i++)
		if (ifc->p64[i].used && ifc->p64[i].end <= now) {
			pref64_act(e, ifc, &ifc->p64[i], now);
			ifc->p64[i].used = 0;
		}
}

/* Everything goes: the interface is removed. */
void
ipifc_slaac_dns_flush(struct ipifc_slaac *e, struct slaac_ifc *ifc)
{
	struct ipifc_slaac_act *a;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXDNS; i++)
		ifc->dns[i].end = 0;
	for (i = 0; i < IPIFC_SLAAC_MAXDNSSL; i++)
		ifc->dom[i].end = 0;
	for (i = 0; i < IPIFC_SLAAC_MAXPREF64; i++)
		ifc->p64[i].end = 0;
	ipifc_slaac_dns_tick(e, ifc, 0);
	if (ifc->captive[0] != '\0') {
		ifc->captive[0] = '\0';
		a = ipifc_slaac_push(e, ifc, IPIFC_SLAAC_CAPTIVE);
		a->text[0] = '\0';
	}
}

uint64_t
ipifc_slaac_dns_deadline(const struct slaac_ifc *ifc)
{
	uint64_t d = NEVER;
	int	 i;

	for (i = 0; i < IPIFC_SLAAC_MAXDNS; i++)
		if (ifc->dns[i].used)
			d = ipifc_slaac_min(d, ifc->dns[i].end);
	for (i = 0; i < IPIFC_SLAAC_MAXDNSSL; i++)
		if (ifc->dom[i].used)
			d = ipifc_slaac_min(d, ifc->dom[i].end);
	for (i = 0; i < IPIFC_SLAAC_MAXPREF64; i++)
		if (ifc->p64[i].used)
			d = ipifc_slaac_min(d, ifc->p64[i].end);
	return d;
}
