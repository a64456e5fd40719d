/*
 * The rtnetlink messages slaacd's frontend reads (link and IPv6 address
 * events and dumps), parsed with libmnl into plain structs.  Every
 * length is checked before use; a malformed message is refused, and
 * the frontend counts it.  No socket here: the fuzz target links this.
 */
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <limits.h>
#include <string.h>

#include "slaacd.h"

int
slaacd_nl_batch_ok(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t	 off = 0;
	uint32_t l;

	while (len - off >= sizeof(struct nlmsghdr)) {
		memcpy(&l, p + off, sizeof(l));	/* nlmsg_len */
		/* libmnl reads attributes up to the aligned end */
		if (l < sizeof(struct nlmsghdr) || l > len - off ||
		    NLMSG_ALIGN(l) > len - off)
			return -1;
		off += NLMSG_ALIGN(l);
	}
	return 0;
}

static int
link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int	 t = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK;
	if (t == IFLA_ADDRESS && mnl_attr_validate(a, MNL_TYPE_BINARY) < 0)
		return MNL_CB_ERROR;
	if (t == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_ERROR;
	if (t == IFLA_MASTER && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	tb[t] = a;
	return MNL_CB_OK;
}

static int
addr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int	 t = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;
	if ((t == IFA_ADDRESS || t == IFA_LOCAL) &&
	    mnl_attr_validate2(a, MNL_TYPE_BINARY, 16) < 0)
		return MNL_CB_ERROR;
	if (t == IFA_FLAGS && mnl_attr_validate(a, MNL_TYPE_U32) < 0)
		return MNL_CB_ERROR;
	tb[t] = a;
	return MNL_CB_OK;
}

int
slaacd_nl_parse(const struct nlmsghdr *n, struct slaacd_nlev *ev)
{
	const struct nlattr *ltb[IFLA_MAX + 1] = { 0 };
	const struct nlattr *atb[IFA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifi;
	const struct ifaddrmsg *ifa;

	memset(ev, 0, sizeof(*ev));
	switch (n->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK:
		if (mnl_nlmsg_get_payload_len(n) < sizeof(*ifi))
			return -1;
		ifi = mnl_nlmsg_get_payload(n);
		ev->kind = SLAACD_NL_LINK;
		ev->ifindex = ifi->ifi_index > 0 ? (unsigned)ifi->ifi_index : 0;
		ev->gone = n->nlmsg_type == RTM_DELLINK;
		if (mnl_attr_parse(n, sizeof(*ifi), link_attr, ltb) !=
		    MNL_CB_OK)
			return -1;
		ev->running = (ifi->ifi_flags & IFF_UP) &&
		    (ifi->ifi_flags & IFF_RUNNING);
		if (ltb[IFLA_ADDRESS] != NULL &&
		    mnl_attr_get_payload_len(ltb[IFLA_ADDRESS]) == 6) {
			ev->hasmac = 1;
			memcpy(ev->mac, mnl_attr_get_payload(ltb[IFLA_ADDRESS]),
			    6);
		}
		ev->ether = ifi->ifi_type == ARPHRD_ETHER &&
		    !(ifi->ifi_flags & IFF_LOOPBACK);
		ev->port = ltb[IFLA_MASTER] != NULL &&
		    mnl_attr_get_u32(ltb[IFLA_MASTER]) != 0;
		/* a name that does not fit is no name (IFNAMSIZ is 16) */
		if (ltb[IFLA_IFNAME] != NULL &&
		    strlen(mnl_attr_get_str(ltb[IFLA_IFNAME])) <
		    sizeof(ev->name))
			strcpy(ev->name, mnl_attr_get_str(ltb[IFLA_IFNAME]));
		return 0;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		if (mnl_nlmsg_get_payload_len(n) < sizeof(*ifa))
			return -1;
		ifa = mnl_nlmsg_get_payload(n);
		if (ifa->ifa_family != AF_INET6)
			return 0;	/* SLAACD_NL_NONE */
		ev->kind = SLAACD_NL_ADDR;
		ev->ifindex = ifa->ifa_index;
		ev->gone = n->nlmsg_type == RTM_DELADDR;
		if (mnl_attr_parse(n, sizeof(*ifa), addr_attr, atb) !=
		    MNL_CB_OK || atb[IFA_ADDRESS] == NULL)
			return -1;
		memcpy(ev->addr.a, mnl_attr_get_payload(atb[IFA_ADDRESS]), 16);
		ev->flags = atb[IFA_FLAGS] != NULL ?
		    mnl_attr_get_u32(atb[IFA_FLAGS]) : ifa->ifa_flags;
		return 0;
	}
	return 0;
}
