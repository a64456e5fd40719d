/*
 * The stack: interfaces, tables, the clock, and the clients that own
 * memberships and route tags.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

/* A fixed xorshift32, used when the caller gives no random source. */
static uint32_t
xorshift(void *arg)
{
	uint32_t *x = arg;

	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

struct ipifc_stack *
ipifc_core_new(const struct ipifc_stack_config *cfg,
    const struct ipifc_medium *const *mediums, const struct ipifc_hooks *hooks)
{
	struct ipifc_stack *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->rtab = ipifc_rtab_new()) == NULL) {
		free(s);
		return NULL;
	}
	s->mediums = mediums;
	s->hooks = hooks;
	if (cfg != NULL) {
		s->id = cfg->id;
		s->now = cfg->now;
		s->random = cfg->random;
		s->random_arg = cfg->random_arg;
		ipifc_hashkey_set(s->hashkey, cfg->hashseed);
		s->maxifc = cfg->maxifc;
		s->maxlifc = cfg->maxlifc;
		s->maxgroups = cfg->maxgroups;
		s->maxmembers = cfg->maxmembers;
	}
	if (s->maxifc <= 0)
		s->maxifc = IPIFC_MAXIFC;
	if (s->maxlifc <= 0)
		s->maxlifc = IPIFC_MAXLIFC;
	if (s->maxgroups <= 0)
		s->maxgroups = IPIFC_MAXGROUPS;
	if (s->maxmembers <= 0)
		s->maxmembers = IPIFC_MAXMEMBERS;
	s->rngstate = 2463534242u ^ s->id;
	if (s->random == NULL) {
		s->random = xorshift;
		s->random_arg = &s->rngstate;
	}
	s->prefer_temporary = 1;	/* RFC 6724 5, rule 7 */
	s->rtgen = 1;			/* a kept route of 0 is none */
	LIST_INIT(&s->clients);
	TAILQ_INIT(&s->pdirty);
	TAILQ_INIT(&s->proxyq);
	ipifc_policy_default(s);
	return s;
}

void
ipifc_stack_free(struct ipifc_stack *s)
{
	struct ipifc_client *c;
	struct ipifc_ifc *ifc;

	if (s == NULL)
		return;
	s->nsubs = 0;		/* nobody hears the teardown */
	while ((c = LIST_FIRST(&s->clients)) != NULL)
		ipifc_client_free(c);
	IPIFC_FOREACH_IFC(ifc, s)
		ipifc_ifc_unbind(ifc);
	if (s->hooks != NULL && s->hooks->free != NULL)
		s->hooks->free(s);
	if (s->ext != NULL && s->ext->free != NULL)
		s->ext->free(s->extarg);
	ipifc_rtab_free(s->rtab);
	free(s->ifc);
	free(s->slotgen);
	ipifc_self_free(s);
	ipifc_prefix_free(s);
	ipifc_dindex_free(&s->daddr);
	ipifc_dindex_free(&s->dnbr);
	free(s);
}

void
ipifc_set_link(struct ipifc_stack *s, const struct ipifc_link_ops *ops,
    void *arg)
{
	if (ops != NULL)
		s->link = *ops;
	else
		memset(&s->link, 0, sizeof(s->link));
	s->linkarg = arg;
}

void
ipifc_set_deliver(struct ipifc_stack *s, ipifc_deliver_fn *fn, void *arg)
{
	s->deliver = fn;
	s->deliverarg = arg;
}

uint64_t
ipifc_now(const struct ipifc_stack *s)
{
	return s->now;
}

void
ipifc_advance(struct ipifc_stack *s, uint64_t now)
{
	if (now < s->now)
		return;		/* the clock is monotonic */
	s->now = now;
	ipifc_lifc_timers(s);
	/* DAD's and the neighbors' too: the medium sends what they decide */
	if (s->hooks != NULL && s->hooks->timers != NULL)
		s->hooks->timers(s);
	if (s->ext != NULL && s->ext->timers != NULL)
		s->ext->timers(s->extarg, now);
}

uint64_t
ipifc_next_deadline(const struct ipifc_stack *s)
{
	uint64_t d, min;

	/* the addresses' lifetimes, DAD and ACD: the index's earliest */
	min = ipifc_dindex_next(&s->daddr);
	if ((d = ipifc_nbr_deadline(s)) < min)
		min = d;
	if (s->hooks != NULL && s->hooks->deadline != NULL &&
	    (d = s->hooks->deadline(s)) < min)
		min = d;
	if (s->ext != NULL && s->ext->deadline != NULL &&
	    (d = s->ext->deadline(s->extarg)) < min)
		min = d;
	return min;
}

const char ipifc_ext_notmine[] = "not the extension's";

int
ipifc_ext_set(struct ipifc_stack *s, const struct ipifc_ext *x, void *arg)
{
	if (s->ext != NULL)
		return -EBUSY;
	s->ext = x;
	s->extarg = arg;
	return 0;
}

struct ipifc_client *
ipifc_client_new(struct ipifc_stack *s)
{
	struct ipifc_client *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->stack = s;
	strcpy(c->tag, "none");
	LIST_INIT(&c->members);
	LIST_INSERT_HEAD(&s->clients, c, link);
	return c;
}

void
ipifc_client_free(struct ipifc_client *c)
{
	if (c == NULL)
		return;
	ipifc_multi_client_gone(c->stack, c);
	LIST_REMOVE(c, link);
	free(c);
}
