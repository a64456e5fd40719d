/*
 * The stack with its protocols: the public constructor, the hooks the core
 * calls, and the entry of received frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "wire.h"

static const struct ipifc_medium *const mediums[] = {
	&ipifc_ether_medium,
	&ipifc_loopback_medium,
	&ipifc_pkt_medium,
	NULL,
};

/* ipifc_scratch_get's slow way: the first use of a buffer, or none left. */
uint8_t *
ipifc_scratch_make(struct ipifc_stack *s)
{
	struct ipifc_proto *p = proto_of(s);
	uint8_t *m;

	if (p->nscratch == IPIFC_SCRATCH) {
		p->drops_scratch++;
		return NULL;
	}
	if ((m = malloc(IPIFC_SCRATCHHEAD + IPIFC_MAXPKT)) == NULL) {
		p->drops_scratch++;
		return NULL;
	}
	p->scratch[p->nscratch] = m + IPIFC_SCRATCHHEAD;
	return p->scratch[p->nscratch++];
}

static void
proto_free(struct ipifc_stack *s)
{
	struct ipifc_proto *p = s->proto;
	int i;

	for (i = 0; i < IPIFC_SCRATCH; i++)
		if (p->scratch[i] != NULL)
			free(p->scratch[i] - IPIFC_SCRATCHHEAD);
	ipifc_reasm_free(s);
	ipifc_dindex_free(&p->dmreport);
	ipifc_dindex_free(&p->drtadv);
	free(s->proto);
	s->proto = NULL;
}

static void
proto_timers(struct ipifc_stack *s)
{
	ipifc_ether_timers(s);
	ipifc_reasm_timers(s);
	ipifc_mreport_timers(s);
	ipifc_nd_timers(s);
	ipifc_rtadv_timers(s);
}

static uint64_t
proto_deadline(const struct ipifc_stack *s)
{
	uint64_t a = ipifc_reasm_deadline(s), b = ipifc_mreport_deadline(s);
	uint64_t d = ipifc_nd_deadline(s), e = ipifc_rtadv_deadline(s);

	a = a < b ? a : b;
	d = d < e ? d : e;
	return a < d ? a : d;
}

static void
proto_stats(struct ipifc_stack *s, struct ipifc_buf *b)
{
	const struct ipifc_proto *p = s->proto;

	ipifc_buf_printf(b, "noforward %llu\nicmpratelimit %llu\n"
	    "icmpbad %llu\nreassembly %llu\nfrag6 %llu\ntentative %llu\n"
	    "ndbad %llu\nbadheader %llu\nmartian %llu\nnobuffer %llu\n"
	    "routefull %llu\nmquerybad %llu\nrtadvfail %llu\n"
	    "rainconsistent %llu\nvlan %llu\n",
	    (unsigned long long)p->drops_noforward,
	    (unsigned long long)p->drops_icmprate,
	    (unsigned long long)p->drops_icmp,
	    (unsigned long long)p->drops_reasm,
	    (unsigned long long)p->drops_frag6,
	    (unsigned long long)p->drops_tentative,
	    (unsigned long long)p->drops_nd,
	    (unsigned long long)p->drops_hdr,
	    (unsigned long long)p->drops_martian,
	    (unsigned long long)p->drops_scratch,
	    (unsigned long long)s->drops_route,
	    (unsigned long long)p->drops_mquery,
	    (unsigned long long)p->drops_rtadv,
	    (unsigned long long)p->drops_rainconsistent,
	    (unsigned long long)p->drops_vlan);
}

static int
proto_attach(struct ipifc_ifc *ifc)
{
	struct ipifc_proto *p = proto_of(ifc->stack);
	struct ipifc_pifc *pi;

	if (ipifc_dindex_reserve(&p->dmreport) < 0 ||
	    ipifc_dindex_reserve(&p->drtadv) < 0 ||
	    (pi = calloc(1, sizeof(*pi))) == NULL)
		return -ENOMEM;
	pi->ifc = ifc;
	ifc->pstate = pi;
	ipifc_mreport_refile(ifc);
	ipifc_rtadv_refile(ifc);
	return 0;
}

static void
proto_detach(struct ipifc_ifc *ifc)
{
	struct ipifc_proto *p = proto_of(ifc->stack);
	struct ipifc_pifc *pi = ifc->pstate;

	if (pi != NULL) {
		ipifc_dindex_unfile(&p->dmreport, &pi->mdl);
		ipifc_dindex_unfile(&p->drtadv, &pi->rdl);
	}
	free(pi);
	ifc->pstate = NULL;
}

/* Before an interface goes down, stops advertising or goes away. */
static void
proto_rtadv(struct ipifc_ifc *ifc, int on)
{
	if (!on)
		ipifc_mreport_down(ifc);
	ipifc_rtadv_set(ifc, on);
}

static const struct ipifc_hooks hooks = {
	.attach = proto_attach,
	.detach = proto_detach,
	.stats = proto_stats,
	.pmtu = ipifc_pmtu_fmt,
	.joined = ipifc_mreport_joined,
	.left = ipifc_mreport_left,
	.rtadv = proto_rtadv,
	.addr = ipifc_rtadv_addr,
	.timers = proto_timers,
	.deadline = proto_deadline,
	.free = proto_free,
};

struct ipifc_stack *
ipifc_stack_new(const struct ipifc_stack_config *cfg)
{
	struct ipifc_stack *s;
	struct ipifc_proto *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((s = ipifc_core_new(cfg, mediums, &hooks)) == NULL) {
		free(p);
		return NULL;
	}
	s->proto = p;
	p->ip4id = (uint16_t)ipifc_random(s);
	return s;
}

void
ipifc_input(struct ipifc_stack *s, int num, const uint8_t *frame, size_t len)
{
	struct ipifc_ifc *ifc;

	if ((ifc = ipifc_ifc_bynum(s, num)) == NULL)
		return;
	if (!ipifc_ifc_up(ifc))
		return;		/* a down interface hears nothing */
	ifc->m->bread(ifc, frame, len);
}

const char *
ipifc_link_open(struct ipifc_ifc *ifc, const char *dev)
{
	struct ipifc_stack *s = ifc->stack;
	uint8_t mac[6];
	int rc;

	if (s->link.open == NULL)
		return NULL;
	memcpy(mac, ifc->mac, 6);
	/* a NULL mac tells the backend the link has no link layer */
	if ((rc = s->link.open(s->linkarg, ifc->num, dev,
	    ifc->m->hwlen == 6 ? mac : NULL)) < 0)
		return ipifc_errf(s, "cannot open %s: %s", dev,
		    strerror(-rc));
	if (ifc->m->hwlen == 6)
		memcpy(ifc->mac, mac, 6);
	return NULL;
}

/* For mediums whose filter reads the group list. */
void
ipifc_medium_nomulti(struct ipifc_ifc *ifc, const uint8_t *mac)
{
}

void
ipifc_link_close(struct ipifc_ifc *ifc)
{
	struct ipifc_stack *s = ifc->stack;

	if (s->link.close != NULL)
		s->link.close(s->linkarg, ifc->num);
}
