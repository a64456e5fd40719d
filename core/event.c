/*
 * Events as text: one line each, the words of the namespace files.
 */
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
