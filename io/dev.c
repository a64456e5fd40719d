/*
 * Real links: pick the kind of device by the prefix of DEV and hand the
 * calls on (tap.c, tun.c, packet.c, xdp.c).
 */
#include <linux/virtio_net.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "gso.h"
#include "packet.h"
#include "tap.h"
#include "tun.h"
#include "xdp.h"

static const struct ipifc_devops *const kinds[] = {
	&ipifc_tap_devops,
	&ipifc_tun_devops,
	&ipifc_packet_devops,
	&ipifc_xdp_devops,
	NULL,
};

/* A device of the kind DEV names, not open yet. */
static int
dev_new(const char *dev, struct ipifc_dev **out)
{
	const struct ipifc_devops *const *k;
	const char *name = NULL;
	struct ipifc_dev *d;
	size_t n;

	for (k = kinds; *k != NULL; k++) {
		n = strlen((*k)->prefix);
		if (strncmp(dev, (*k)->prefix, n) == 0) {
			name = dev + n;
			break;
		}
	}
	if (*k == NULL)
		return -ENODEV;
	if (*name == '\0')
		return -EINVAL;
	if (strlen(name) >= IPIFC_DEV_NAMELEN)
		return -ENAMETOOLONG;
	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -ENOMEM;
	d->ops = *k;
	d->fd = -1;
	d->fd2 = -1;
	memcpy(d->name, name, strlen(name) + 1);
	*out = d;
	return 0;
}

int
ipifc_dev_open(const char *dev, struct ipifc_dev **out)
{
	struct ipifc_dev *d;
	int rc;

	if ((rc = dev_new(dev, &d)) < 0)
		return rc;
	if ((rc = d->ops->open(d)) < 0) {
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

int
ipifc_dev_adopt(const char *dev, int fd, int fd2, int ifindex, int created,
    struct ipifc_dev **out)
{
	struct ipifc_dev *d;
	int rc;

	if (fd < 0 || ifindex < 0)
		return -EINVAL;
	if ((rc = dev_new(dev, &d)) < 0)
		return rc;
	if (d->ops == &ipifc_xdp_devops && fd2 < 0)
		d->ops = &ipifc_packet_devops;	/* the parent fell back */
	if ((fd2 >= 0) != (d->ops->adopt != NULL)) {
		free(d);
		return -EINVAL;
	}
	d->fd = fd;
	d->fd2 = fd2;
	d->ifindex = ifindex;
	d->created = created != 0;
	if (d->ops->adopt != NULL && (rc = d->ops->adopt(d)) < 0) {
		free(d);
		return rc;
	}
	*out = d;
	return 0;
}

void
ipifc_dev_close(struct ipifc_dev *d)
{
	if (d == NULL)
		return;
	d->ops->close(d);
	free(d->cut);
	free(d);
}

int
ipifc_dev_fd(const struct ipifc_dev *d)
{
	return d->fd;
}

int
ipifc_dev_fd2(const struct ipifc_dev *d)
{
	return d->fd2;
}

const char *
ipifc_dev_kind(const struct ipifc_dev *d)
{
	/* the prefix without its colon */
	return d->ops == &ipifc_tap_devops ? "tap" :
	    d->ops == &ipifc_tun_devops ? "tun" :
	    d->ops == &ipifc_xdp_devops ? "xdp" : "packet";
}

int
ipifc_dev_fellback(const struct ipifc_dev *d)
{
	return d->fellback;
}

void
ipifc_dev_status(const struct ipifc_dev *d, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "link %s", ipifc_dev_kind(d));
	if (n > 0 && (size_t)n < len && d->ops->status != NULL)
		d->ops->status(d, buf + n, len - (size_t)n);
}

int
ipifc_dev_ether(const struct ipifc_dev *d)
{
	return d->ops->ether;
}

const char *
ipifc_dev_name(const struct ipifc_dev *d)
{
	return d->name;
}

int
ipifc_dev_created(const struct ipifc_dev *d)
{
	return d->created;
}

int
ipifc_dev_ifindex(const struct ipifc_dev *d)
{
	return d->ifindex;
}

ssize_t
ipifc_dev_recv(struct ipifc_dev *d, uint8_t *buf, size_t len)
{
	return d->ops->recv(d, buf, len);
}

int
ipifc_dev_pending(const struct ipifc_dev *d)
{
	return d->ops->pending != NULL && d->ops->pending(d);
}

int
ipifc_dev_poll(struct ipifc_dev *d)
{
	return d->ops->poll != NULL ? d->ops->poll(d) : -1;
}

int
ipifc_dev_send(struct ipifc_dev *d, const uint8_t *frame, size_t len)
{
	return d->ops->send(d, frame, len);
}

int
ipifc_dev_batched(const struct ipifc_dev *d)
{
	return d->ops->flush != NULL;
}

int
ipifc_dev_flush(struct ipifc_dev *d)
{
	return d->ops->flush != NULL ? d->ops->flush(d) : 0;
}

void
ipifc_dev_counters(struct ipifc_dev *d, struct ipifc_dev_counters *c)
{
	memset(c, 0, sizeof(*c));
	if (d->ops->counters != NULL)
		d->ops->counters(d, c);
}

int
ipifc_dev_send_super(struct ipifc_dev *d, const uint8_t *hdr, size_t hlen,
    const uint8_t *rest, size_t restlen, const struct virtio_net_hdr *vh)
{
	struct ipifc_gsocut *c;
	size_t n;
	int rc, sent = 0;

	if (d->ops->send_super != NULL) {
		rc = d->ops->send_super(d, hdr, hlen, rest, restlen, vh);
		if (rc < 0)
			return rc;
		return (int)((hlen + restlen - vh->hdr_len + vh->gso_size - 1) /
		    vh->gso_size);
	}
	/* no offload on this link: the frames a wire carries, cut here */
	if (hlen + restlen > IPIFC_DEV_MAXFRAME)
		return -EMSGSIZE;
	if (d->cut == NULL && (d->cut = malloc(sizeof(*d->cut))) == NULL)
		return -ENOMEM;
	c = d->cut;
	memcpy(c->g.frame, hdr, hlen);
	memcpy(c->g.frame + hlen, rest, restlen);
	if ((rc = ipifc_gso_vnet(&c->g, c->g.frame, hlen + restlen, vh)) < 0)
		return rc;
	while ((n = ipifc_gso_next(&c->g, c->out, sizeof(c->out))) > 0) {
		if ((rc = ipifc_dev_send(d, c->out, n)) < 0) {
			c->g.kind = 0;
			return sent > 0 ? sent : rc;
		}
		sent++;
	}
	return sent;
}

int
ipifc_dev_takes_super(const struct ipifc_dev *d)
{
	return d->ops->send_super != NULL;
}
