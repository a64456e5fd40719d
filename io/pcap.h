/*
 * A pcap writer: the classic libpcap file format (magic 0xa1b2c3d4,
 * version 2.4, microsecond timestamps, snaplen 65535), always written
 * little-endian so that a capture is the same file on every host (readers
 * tell the order from the magic).  Timestamps come from the caller's
 * millisecond clock.
 */
#ifndef IPIFC_PCAP_H
#define IPIFC_PCAP_H

#include <stddef.h>
#include <stdint.h>

#define IPIFC_PCAP_SNAPLEN	65535	/* longer frames: cut, length kept */

/* The link types of the file header (tcpdump.org/linktypes.html). */
enum {
	IPIFC_PCAP_ETHERNET = 1,	/* LINKTYPE_ETHERNET: ether */
	IPIFC_PCAP_RAW = 101,		/* LINKTYPE_RAW: raw IPv4/IPv6, pkt */
};

struct ipifc_pcap;

/*
 * Create (or truncate) path and write the file header.  NULL with errno
 * set on failure.
 */
struct ipifc_pcap *ipifc_pcap_open(const char *path, int linktype);
/* The same on fd, a file opened for writing (by ipifcd's privileged
 * parent); fd is the writer's, closed on failure too. */
struct ipifc_pcap *ipifc_pcap_fdopen(int fd, int linktype);
/*
 * Append one record stamped ms (ms/1000 seconds, (ms%1000)*1000
 * microseconds).  A write error is remembered: later writes do nothing,
 * and ipifc_pcap_close reports it.
 */
void	ipifc_pcap_write(struct ipifc_pcap *p, uint64_t ms,
	    const uint8_t *frame, size_t len);
/* Flush and close; 0, or the first error as a negative errno. */
int	ipifc_pcap_close(struct ipifc_pcap *p);
int	ipifc_pcap_linktype(const struct ipifc_pcap *p);

#endif
