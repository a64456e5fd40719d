/*
 * Interface helpers: SIOCGIFFLAGS/SIOCSIFFLAGS on a throwaway datagram
 * socket (any socket reaches the device ioctls).
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netif.h"

int
ipifc_netif_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= IFNAMSIZ || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return -EINVAL;
	if (strpbrk(name, "/: \t\n") != NULL)
		return -EINVAL;
	return 0;
}

int
ipifc_netif_index(const char *name)
{
	unsigned idx;

	if (ipifc_netif_name_ok(name) < 0)
		return -EINVAL;
	if ((idx = if_nametoindex(name)) == 0)
		return -ENODEV;
	return (int)idx;
}

int
ipifc_netif_running(const char *name)
{
	struct ifreq ifr;
	int fd, rc;

	if (ipifc_netif_name_ok(name) < 0)
		return -EINVAL;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		rc = -errno;
	else
		rc = (ifr.ifr_flags & IFF_RUNNING) != 0;
	close(fd);
	return rc;
}

int
ipifc_netif_up(const char *name)
{
	struct ifreq ifr;
	int fd, rc = 0;

	if (ipifc_netif_name_ok(name) < 0)
		return -EINVAL;
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, name, strlen(name));
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) == -1)
		rc = -errno;
	else if ((ifr.ifr_flags & IFF_UP) == 0) {
		ifr.ifr_flags |= IFF_UP;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) == -1)
			rc = -errno;
	}
	close(fd);
	return rc;
}
