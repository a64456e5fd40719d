/*
 * Events: the stack's subscribers, what is announced to them, and events
 * as text (one line each, the words of the namespace files).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

static const char *flagnames[] = {
	"up", "running", "broadcast", "multicast", "pointtopoint",
	"loopback", "promisc", "allmulti", "noarp",
};

char *
ipifc_flags_fmt(unsigned flags, char *buf, size_t len)
{
	size_t i, n = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++) {
		if ((flags & (1u << i)) == 0)
			continue;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
		    n ? "," : "", flagnames[i]);
		if (n >= len)
			break;
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
	return buf;
}

char *
ipifc_type_fmt(unsigned type, char *buf, size_t len)
{
	static const struct {
		unsigned bit;
		char	 c;
	} letters[] = {
		{ IPIFC_RT_IFC, 'i' },
		{ IPIFC_RT_UNI, 'u' },
		{ IPIFC_RT_BCAST, 'b' },
		{ IPIFC_RT_MULTI, 'm' },
		{ IPIFC_RT_PTP, 'p' },
		{ IPIFC_RT_PROXY, 'y' },
		{ IPIFC_RT_ANY, 'a' },
	};
	char tmp[16];
	size_t i, n = 0;

	tmp[n++] = (type & IPIFC_RT_V4) ? '4' : '6';
	for (i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
		if (type & letters[i].bit)
			tmp[n++] = letters[i].c;
	tmp[n] = '\0';
	if (len > 0)
		snprintf(buf, len, "%s", tmp);
	return buf;
}

static void
fmt_route(const struct ipifc_event *ev, char *buf, size_t len)
{
	char d[IPIFC_IPSTRLEN], dl[8], sa[IPIFC_IPSTRLEN], sl[8];
	char g[IPIFC_IPSTRLEN], t[16], ifc[12];

	ipifc_ip_fmt(&ev->addr, d, sizeof(d));
	ipifc_mask_fmt(&ev->addr, ev->plen, dl, sizeof(dl));
	ipifc_ip_fmt(&ev->src, sa, sizeof(sa));
	ipifc_mask_fmt(&ev->src, ev->splen, sl, sizeof(sl));
	if (ipifc_ip_isunspec(&ev->gate))
		strcpy(g, "-");
	else
		ipifc_ip_fmt(&ev->gate, g, sizeof(g));
	ipifc_type_fmt(ev->flags, t, sizeof(t));
	if (ev->ifc < 0)
		strcpy(ifc, "-");
	else
		snprintf(ifc, sizeof(ifc), "%d", ev->ifc);
	snprintf(buf, len, "route %s %s %s %s %s %s %s %s %s",
	    ev->type == IPIFC_EV_ROUTE_ADD ? "add" : "del",
	    d, dl, sa, sl, g, t, ev->tag, ifc);
}

char *
ipifc_event_fmt(const struct ipifc_event *ev, char *buf, size_t len)
{
	static const char *addrverb[] = {
		[IPIFC_EV_ADDR_NEW] = "new",
		[IPIFC_EV_ADDR_DEL] = "del",
		[IPIFC_EV_ADDR_READY] = "ready",
		[IPIFC_EV_ADDR_DEPRECATED] = "deprecated",
		[IPIFC_EV_ADDR_DUPLICATE] = "duplicate",
		[IPIFC_EV_ADDR_CONFLICT] = "conflict",
	};
	char a[IPIFC_IPSTRLEN], m[8], f[96], mac[IPIFC_MACSTRLEN];

	if (len == 0)
		return buf;
	ipifc_ip_fmt(&ev->addr, a, sizeof(a));
	switch (ev->type) {
	case IPIFC_EV_IFC_ATTACH:
		snprintf(buf, len, "ifc %d attach", ev->ifc);
		break;
	case IPIFC_EV_IFC_DETACH:
		snprintf(buf, len, "ifc %d detach", ev->ifc);
		break;
	case IPIFC_EV_IFC_UP:
		snprintf(buf, len, "ifc %d up", ev->ifc);
		break;
	case IPIFC_EV_IFC_DOWN:
		snprintf(buf, len, "ifc %d down", ev->ifc);
		break;
	case IPIFC_EV_IFC_FLAGS:
		snprintf(buf, len, "ifc %d flags %s", ev->ifc,
		    ipifc_flags_fmt(ev->flags, f, sizeof(f)));
		break;
	case IPIFC_EV_IFC_MTU:
		snprintf(buf, len, "ifc %d mtu %d", ev->ifc, ev->mtu);
		break;
	case IPIFC_EV_IFC_LLADDR:
		snprintf(buf, len, "ifc %d lladdr %s", ev->ifc,
		    ipifc_mac_fmt(ev->mac, mac, sizeof(mac)));
		break;
	case IPIFC_EV_ADDR_NEW:
	case IPIFC_EV_ADDR_DEL:
	case IPIFC_EV_ADDR_READY:
	case IPIFC_EV_ADDR_DEPRECATED:
	case IPIFC_EV_ADDR_DUPLICATE:
	case IPIFC_EV_ADDR_CONFLICT:
		ipifc_mask_fmt(&ev->addr, ev->plen, m, sizeof(m));
		snprintf(buf, len, "addr %s %s %s ifc %d", addrverb[ev->type],
		    a, m, ev->ifc);
		break;
	case IPIFC_EV_GROUP_JOIN:
		snprintf(buf, len, "group join %s ifc %d", a, ev->ifc);
		break;
	case IPIFC_EV_GROUP_LEAVE:
		snprintf(buf, len, "group leave %s ifc %d", a, ev->ifc);
		break;
	case IPIFC_EV_RA:
		snprintf(buf, len, "ifc %d ra %s%s%s", ev->ifc, ev->tag,
		    ipifc_ip_isunspec(&ev->addr) ? "" : " ",
		    ipifc_ip_isunspec(&ev->addr) ? "" : a);
		break;
	case IPIFC_EV_ROUTE_ADD:
	case IPIFC_EV_ROUTE_DEL:
		fmt_route(ev, buf, len);
		break;
	default:
		snprintf(buf, len, "event %d", (int)ev->type);
		break;
	}
	return buf;
}

int
ipifc_subscribe(struct ipifc_stack *s, ipifc_event_fn *fn, void *arg)
{
	if (s->nsubs == IPIFC_MAXSUBS)
		return -ENOSPC;
	s->subs[s->nsubs].fn = fn;
	s->subs[s->nsubs].arg = arg;
	s->nsubs++;
	return 0;
}

void
ipifc_unsubscribe(struct ipifc_stack *s, ipifc_event_fn *fn, void *arg)
{
	int i;

	for (i = 0; i < s->nsubs; i++) {
		if (s->subs[i].fn == fn && s->subs[i].arg == arg) {
			memmove(&s->subs[i], &s->subs[i + 1],
			    (size_t)(s->nsubs - i - 1) * sizeof(s->subs[0]));
			s->nsubs--;
			return;
		}
	}
}

void
ipifc_announce(struct ipifc_stack *s, const struct ipifc_event *ev)
{
	int i;

	for (i = 0; i < s->nsubs; i++)
		s->subs[i].fn(s->subs[i].arg, ev);
}

void
ipifc_announce_addr(struct ipifc_lifc *l, enum ipifc_event_type t)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.ifc = l->ifc->num;
	ev.addr = l->local;
	ev.plen = l->plen;
	ipifc_announce(l->ifc->stack, &ev);
}

void
ipifc_announce_ifc(struct ipifc_ifc *ifc, enum ipifc_event_type t)
{
	struct ipifc_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.ifc = ifc->num;
	ev.flags = ifc->flags;
	ev.mtu = ifc->mtu;
	memcpy(ev.mac, ifc->mac, sizeof(ev.mac));
	ipifc_announce(ifc->stack, &ev);
}

void
ipifc_ifc_flags_event(struct ipifc_ifc *ifc)
{
	ipifc_announce_ifc(ifc, IPIFC_EV_IFC_FLAGS);
}
