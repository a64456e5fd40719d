/*
 * The "tap:NAME" backend: a Linux TAP device carrying Ethernet frames.
 * The Linux side of the device is another host on the link (it has its
 * own MAC); the stack keeps its own.  See dev.h and tun.h.
 */
#ifndef IPIFC_TAP_H
#define IPIFC_TAP_H

#include "dev.h"

extern const struct ipifc_devops ipifc_tap_devops;

#endif
