/*
 * Carrier: an interface's running flag follows the carrier of the Linux
 * interface it is bound to with packet: (a veth whose peer goes down, a
 * NIC whose cable is pulled), as the kernel's link notifications
 * (rtnetlink, RTMGRP_LINK) report it.  A TAP or TUN device is the
 * daemon's own and has carrier while it is open.  Notifications lost to
 * an overflowing socket (ENOBUFS) are made up for by asking every device.
 */
#include <sys/socket.h>
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
	int		 fd;
	struct event	*ev;
	uint8_t		 buf[CARRIER_BUF];
};

static void
on_link_msg(struct ipifcd *d, const struct nlmsghdr *nh)
{
	const struct ifinfomsg *ifi;

	if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return;
	ifi = NLMSG_DATA(nh);
	if (nh->nlmsg_type == RTM_DELLINK)
		ipifcd_links_carrier(d, ifi->ifi_index, 0);
	else if (nh->nlmsg_type == RTM_NEWLINK)
		ipifcd_links_carrier(d, ifi->ifi_index,
		    (ifi->ifi_flags & IFF_RUNNING) != 0);
}

static void
on_read(evutil_socket_t fd, short what, void *arg)
{
	struct ipifcd *d = arg;
	struct ipifcd_carrier *c = d->carrier;
	const struct nlmsghdr *nh;
	ssize_t n;
	size_t len;
	int i;

	ipifcd_advance(d);
	for (i = 0; i < CARRIER_BATCH; i++) {
		n = recv(c->fd, c->buf, sizeof(c->buf), MSG_DONTWAIT);
		if (n == -1) {
			if (errno == ENOBUFS) {
				ipifcd_links_carrier(d, -1, 0);	/* resync */
				continue;
			}
			break;
		}
		len = (size_t)n;
		for (nh = (const struct nlmsghdr *)c->buf; NLMSG_OK(nh, len);
		    nh = NLMSG_NEXT(nh, len))
			on_link_msg(d, nh);
	}
	ipifcd_kick(d);
}

int
ipifcd_carrier_init(struct ipifcd *d)
{
	struct ipifcd_carrier *c;
	struct sockaddr_nl snl;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	memset(&snl, 0, sizeof(snl));
	snl.nl_family = AF_NETLINK;
	snl.nl_groups = RTMGRP_LINK;
	if (c->fd == -1 ||
	    bind(c->fd, (struct sockaddr *)&snl, sizeof(snl)) == -1 ||
	    (c->ev = event_new(d->base, c->fd, EV_READ | EV_PERSIST, on_read,
	    d)) == NULL || event_add(c->ev, NULL) == -1) {
		/* not fatal: running then stays as the devices were opened */
		ipifcd_log(LOG_WARNING, "no link notifications: %s",
		    strerror(errno));
		if (c->ev != NULL)
			event_free(c->ev);
		if (c->fd != -1)
			close(c->fd);
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
	close(c->fd);
	free(c);
	d->carrier = NULL;
}
