/*
 * Carrier: an interface's running flag follows the carrier of the Linux
 * interface it is bound to with packet: (a veth whose peer goes down, a
 * NIC whose cable is pulled), as the kernel's link notifications
 * (rtnetlink, RTMGRP_LINK) report it.  A TAP or TUN device is the
 * daemon's own and has carrier while it is open.  Notifications lost to
 * an overflowing socket (ENOBUFS) are made up for by asking every device.
 * The messages are read and walked with libmnl.
 */
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ipifcd.h"

#define CARRIER_BUF	16384
#define CARRIER_BATCH	16	/* datagrams read per wakeup */

struct ipifcd_carrier {
	struct mnl_socket *nl;
	struct event	*ev;
	uint8_t		 buf[CARRIER_BUF];
};

static int
on_link_msg(const struct nlmsghdr *nh, void *arg)
{
	struct ipifcd *d = arg;
	const struct ifinfomsg *ifi;

	if (mnl_nlmsg_get_payload_len(nh) < sizeof(*ifi))
		return MNL_CB_OK;
	ifi = mnl_nlmsg_get_payload(nh);
	if (nh->nlmsg_type == RTM_DELLINK)
		ipifcd_links_carrier(d, ifi->ifi_index, 0);
	else if (nh->nlmsg_type == RTM_NEWLINK)
		ipifcd_links_carrier(d, ifi->ifi_index,
		    (ifi->ifi_flags & IFF_RUNNING) != 0);
	return MNL_CB_OK;
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct ipifcd *d = arg;
	struct ipifcd_carrier *c = d->carrier;
	ssize_t n;
	int i;

	ipifcd_advance(d);
	for (i = 0; i < CARRIER_BATCH; i++) {
		n = mnl_socket_recvfrom(c->nl, c->buf, sizeof(c->buf));
		if (n == -1) {
			if (errno == ENOBUFS) {
				ipifcd_links_carrier(d, -1, 0);	/* resync */
				continue;
			}
			break;
		}
		/* a truncated message ends the walk: the rest is lost */
		(void)mnl_cb_run(c->buf, (size_t)n, 0, 0, on_link_msg, d);
	}
	ipifcd_kick(d);
}

int
ipifcd_carrier_init(struct ipifcd *d)
{
	struct ipifcd_carrier *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (c->nl == NULL ||
	    mnl_socket_bind(c->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) == -1 ||
	    (c->ev = event_new(d->base, mnl_socket_get_fd(c->nl),
	    EV_READ | EV_PERSIST, on_read, d)) == NULL ||
	    event_add(c->ev, NULL) == -1) {
		/* not fatal: running then stays as the devices were opened */
		ipifcd_log(LOG_WARNING, "no link notifications: %s",
		    strerror(errno));
		if (c->ev != NULL)
			event_free(c->ev);
		if (c->nl != NULL)
			mnl_socket_close(c->nl);
		free(c);
		return 0;
	}
	d->carrier = c;
	return 0;
}

void
ipifcd_carrier_free(struct ipifcd *d)
{
	struct ipifcd_carrier *c = d->carrier;

	if (c == NULL)
		return;
	event_free(c->ev);
	mnl_socket_close(c->nl);
	free(c);
	d->carrier = NULL;
}
