/*
 * Linux network interfaces by name, in the caller's network namespace:
 * the small ioctls the backends need.
 */
#ifndef IPIFC_NETIF_H
#define IPIFC_NETIF_H

/* Check that name fits IFNAMSIZ and holds no '/' or space: 0 or -EINVAL. */
int	ipifc_netif_name_ok(const char *name);
/* The interface's index, or -ENODEV. */
int	ipifc_netif_index(const char *name);
/* 1 if the interface has carrier (IFF_RUNNING), 0 if not, or -errno. */
int	ipifc_netif_running(const char *name);
/* Set IFF_UP (SIOCSIFFLAGS) unless it is up: 0 or a negative errno. */
int	ipifc_netif_up(const char *name);

#endif
