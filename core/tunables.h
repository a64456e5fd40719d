/*
 * Fixed upper bounds on what outside input can grow, and protocol
 * defaults.  Each bound has a stated policy when full: the request that
 * would exceed it fails with an error and is counted.  The tables of
 * interfaces, addresses and groups grow with use, not with their bound;
 * a stack's configuration may lower these bounds.
 */
#ifndef IPIFC_TUNABLES_H
#define IPIFC_TUNABLES_H

#define IPIFC_MAXIFC		4096	/* interfaces per stack */
#define IPIFC_MAXLIFC		1048576	/* addresses per interface */
#define IPIFC_MAXROUTES		2097152	/* routes per stack (memory grows with
					 * use, not with the bound) */
#define IPIFC_MAXGROUPS		256	/* groups listeners join per interface
					 * (those addresses join are bounded
					 * by the addresses) */
#define IPIFC_MAXMEMBERS	1048576	/* listener memberships per stack
					 * (memory grows with use) */
#define IPIFC_MAXNBR		1024	/* neighbor entries per interface (as
					 * Linux gc_thresh3); memory grows with use */
#define IPIFC_NBR_QLEN		64	/* packets waiting per unresolved neighbor */
#define IPIFC_NBR_QBYTES	65536	/* and their bytes (a fragmented datagram) */
#define IPIFC_SENDQ		64	/* frames waiting for a busy backend */
#define IPIFC_MAXPOLICY		64	/* RFC 6724 policy table rows */
#define IPIFC_MAXSUBS		16	/* event subscribers per stack */
#define IPIFC_SELFHASH		16	/* self-table slots at least (power of
					 * 2); it doubles and halves with use */
#define IPIFC_TAGLEN		16	/* route tag, including NUL */
#define IPIFC_DEVLEN		64	/* device name, including NUL */

#define IPIFC_DEFDELAY		40	/* ms, the seed's default */
#define IPIFC_MAXDELAY		1000	/* ms */
#define IPIFC_DEFDAD		1	/* RFC 4862 5.1 DupAddrDetectTransmits */
#define IPIFC_MAXDAD		10
#define IPIFC_RETRANS_TIMER	1000	/* ms, RFC 4861 10 RETRANS_TIMER */
/* ms, RFC 4862 5.4.2: the first probe after (re)initialization waits up
   to MAX_RTR_SOLICITATION_DELAY (RFC 4861 10) */
#define IPIFC_DAD_MAXDELAY	1000

/* RFC 4861 6.2.1 router advertisement defaults */
#define IPIFC_MAXRTRADVINTERVAL	600000	/* ms */
#define IPIFC_MINRTRADVINTERVAL	198000	/* ms: 0.33 * max */
#define IPIFC_DEFHOPLIMIT	64	/* RFC 8200 / IANA default */
#define IPIFC_RA6_MAXRDNSS	3	/* `ra6 rdnss` servers (RFC 8106 5.1
					 * sizes the option; radvd allows 3) */
#define IPIFC_RA6_MAXDNSSL	6	/* `ra6 dnssl` domains, and their */
#define IPIFC_RA6_DNSSLLEN	256	/* text with commas and NUL: the
					 * bounds of resolv.conf's search */
#define IPIFC_RA6_DNSLT		1800	/* s, RFC 8106 5.1: 3 * the default
					 * MaxRtrAdvInterval */

/* RFC 4861 10 protocol constants (ARP uses the same machine) */
#define IPIFC_MAX_MULTICAST_SOLICIT	3
#define IPIFC_MAX_UNICAST_SOLICIT	3
#define IPIFC_REACHABLE_TIME		30000	/* ms */
#define IPIFC_DELAY_FIRST_PROBE		5000	/* ms */

#define IPIFC_INFINITE		0xffffffffu	/* lifetime, RFC 4861 4.6.2 */

#endif
