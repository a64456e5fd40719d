/*
 * Privilege hygiene, as far as a single process goes.  ipifcd opens TAP
 * and TUN devices and AF_PACKET sockets whenever a client binds an
 * interface, long after start, so it keeps CAP_NET_ADMIN (TUNSETIFF,
 * SIOCSIFFLAGS, promiscuous mode) and CAP_NET_RAW (AF_PACKET) for its
 * whole life, while it parses frames from the network.  Every other
 * capability goes, from the bounding set too, and no exec can gain any
 * back (PR_SET_NO_NEW_PRIVS).  The slaacd split (a privileged parent
 * that opens devices and passes descriptors to an unprivileged engine)
 * is future work.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "ipifcd.h"

#define KEEP(c)	((c) == CAP_NET_ADMIN || (c) == CAP_NET_RAW)

int
ipifcd_priv_drop(void)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint32_t keep[2] = { 0, 0 };
	int c;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		ipifcd_log(LOG_WARNING, "no_new_privs: %s", strerror(errno));
	/* the bounding set: needs CAP_SETPCAP, so before the drop below */
	for (c = 0; c < 64; c++) {
		if (KEEP(c))
			continue;
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0)
			break;		/* past the kernel's last capability */
		(void)prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	}
	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1) {
		ipifcd_log(LOG_WARNING, "capget: %s", strerror(errno));
		return -1;
	}
	keep[CAP_TO_INDEX(CAP_NET_ADMIN)] |= CAP_TO_MASK(CAP_NET_ADMIN);
	keep[CAP_TO_INDEX(CAP_NET_RAW)] |= CAP_TO_MASK(CAP_NET_RAW);
	for (c = 0; c < _LINUX_CAPABILITY_U32S_3; c++) {
		data[c].permitted &= keep[c];
		data[c].effective &= keep[c];
		data[c].inheritable = 0;
	}
	if (syscall(SYS_capset, &hdr, data) == -1) {
		ipifcd_log(LOG_WARNING, "capset: %s", strerror(errno));
		return -1;
	}
	if ((data[CAP_TO_INDEX(CAP_NET_ADMIN)].effective &
	    CAP_TO_MASK(CAP_NET_ADMIN)) == 0)
		ipifcd_log(LOG_WARNING, "no CAP_NET_ADMIN: binding tap: and "
		    "tun: devices will fail");
	return 0;
}
