/*
 * The "packet:IFNAME" backend: an existing Linux interface (a veth end, a
 * NIC dedicated to the stack) through an AF_PACKET raw socket bound to it.
 * See dev.h.
 */
#ifndef IPIFC_PACKET_H
#define IPIFC_PACKET_H

#include "dev.h"

extern const struct ipifc_devops ipifc_packet_devops;

#endif
