/*
 * slaacd: the SLAAC engine (slaac/) driving the Linux kernel's own
 * addresses and routes, in three processes (OpenBSD slaacd's design):
 *
 *	tools/slaacd.c		command line, the forks, the parent's loop
 *	slaacd_parent.c		the privileged parent: rtnetlink (libmnl),
 *				sysctls, the DNS file
 *	slaacd_frontend.c	raw ICMPv6 and an rtnetlink listener, then
 *				no privileges
 *	slaacd_engine.c		the engine: no privileges, chroot, seccomp
 *	slaacd_msg.c		the framed messages between them
 *	slaacd_log.c		stderr (-d) or syslog; the children's lines
 *				go through the parent
 */
#ifndef SLAACD_H
#define SLAACD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "slaac.h"

#define SLAACD_MAXIFS	IPIFC_SLAAC_MAXIFC	/* managed interfaces */
#define SLAACD_MSGMAX	2048	/* payload bytes: an RA fits (1280 MTU) */
#define SLAACD_BUFSZ	(4 * (SLAACD_MSGMAX + 16))
#define SLAACD_NLBUF	16384	/* a netlink read (MNL_SOCKET_DUMP_SIZE) */
#define SLAACD_SECRET	"/var/lib/slaacd/secret"	/* -k */
#define SLAACD_SECRETLEN 32	/* bytes, IPIFC_SLAAC_SECRETMAX */

/* Message types (the header's type). */
enum slaacd_msgtype {
	SM_LOG = 1,	/* child -> parent: int32 prio, then text */
	SM_IFINFO,	/* frontend -> engine: struct sm_ifinfo */
	SM_LLADDR,	/* frontend -> engine: int32 usable */
	SM_RA,		/* frontend -> engine: struct sm_ra, then the RA */
	SM_DAD,		/* frontend -> engine: struct sm_dad */
	SM_SEND_RS,	/* engine -> frontend: struct sm_rs */
	SM_PROPOSAL,	/* engine -> parent: struct sm_proposal */
	SM_RESULT,	/* parent -> engine: struct sm_result */
	SM_CTL_SHOW,	/* frontend -> engine: peer 0 for every interface */
	SM_CTL_LINE,	/* engine -> frontend: a line of text, no newline */
	SM_CTL_END,	/* engine -> frontend: the answer is done */
	SM_CTL_LOG,	/* frontend -> engine, parent: int32 verbose */
	SM_IFADD,	/* frontend -> parent, engine: struct sm_ifadd */
	SM_IFDEL,	/* frontend -> parent, engine: the interface is gone */
	SM_SECRET,	/* parent -> engine, first: the RFC 7217 secret */
	SM_ADDRGONE,	/* frontend -> engine: struct ipifc_ip, a global
			 * address the kernel no longer has */
	SM_MAXTYPE
};

/* peer: the kernel's interface index (0: none). pid: the sender's. */
struct slaacd_hdr {
	uint32_t type;
	uint32_t len;		/* payload bytes after the header */
	uint32_t peer;
	uint32_t pid;
};

struct sm_ifinfo {
	int32_t	running;	/* administratively up with carrier */
	int32_t	hasmac;
	uint8_t	mac[6];
	char	name[16];
};

/* A new interface to manage (or a managed one renamed). */
struct sm_ifadd {
	char	name[16];
};

struct sm_ra {
	struct ipifc_ip src, dst;
	int32_t	hlim;
};

struct sm_dad {
	struct ipifc_ip addr;
	int32_t	ok;
};

struct sm_rs {
	int32_t	unspec;
	int32_t	slla;
	uint8_t	mac[6];
};

struct sm_proposal {
	uint32_t seq;
	struct ipifc_slaac_act act;
};

struct sm_result {
	uint32_t seq;
	int32_t	err;		/* 0 done, else the kernel's errno */
};

/* One end of a socketpair: what was read and not yet taken. */
struct slaacd_conn {
	int	fd;
	const char *name;	/* "engine", "frontend", "parent" */
	uint8_t	buf[SLAACD_BUFSZ];
	size_t	len;
};

/* slaacd_msg.c */
void	slaacd_conn_init(struct slaacd_conn *c, int fd, const char *name);
/* Read what is there: 1 read, 0 the other end closed, -1 error. */
int	slaacd_conn_read(struct slaacd_conn *c);
/*
 * Take the next whole message: 1 (h set, the payload copied to
 * payload, SLAACD_MSGMAX bytes), 0 none whole yet, -1 malformed
 * (logged).
 */
int	slaacd_conn_get(struct slaacd_conn *c, struct slaacd_hdr *h,
	    uint8_t *payload);
/* Write a whole message, partial writes retried: 0 or -1. */
int	slaacd_send(int fd, uint32_t type, uint32_t peer, const void *p,
	    size_t len);
/* Whether a payload's length is right for its type (and direction). */
int	slaacd_msg_valid(const struct slaacd_hdr *h);

/* slaacd_nl.c: what the frontend reads from rtnetlink */
#define SLAACD_NL_NONE	0	/* not for us */
#define SLAACD_NL_LINK	1
#define SLAACD_NL_ADDR	2
struct slaacd_nlev {
	int	kind;
	unsigned ifindex;
	int	gone;		/* RTM_DELLINK, RTM_DELADDR */
	int	running;	/* LINK: IFF_UP and IFF_RUNNING */
	int	hasmac;		/* LINK */
	uint8_t	mac[6];
	int	ether;		/* LINK: ARPHRD_ETHER, not loopback */
	int	port;		/* LINK: a port of a bridge or bond (a master) */
	char	name[16];	/* LINK: "" if none came */
	struct ipifc_ip addr;	/* ADDR: an IPv6 address */
	uint32_t flags;		/* ADDR: IFA_F_* */
};
struct nlmsghdr;
/* 0 (ev->kind says what it was) or -1 malformed. */
int	slaacd_nl_parse(const struct nlmsghdr *n, struct slaacd_nlev *ev);
/* 0 when every message of a read fits in it, padded to 4 bytes, else
 * -1: checked before mnl_cb_run, whose walk takes a length over 2^31
 * for a negative int, and whose attribute walk reads to the padded end. */
int	slaacd_nl_batch_ok(const void *buf, size_t len);

/* slaacd_log.c */
void	slaacd_log_init(int foreground, int verbose);
/* In a child: lines go to the parent over fd. */
void	slaacd_log_child(int fd);
void	slaacd_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	slaacd_log_line(int prio, const char *line);
extern int slaacd_verbose;

/*
 * What the command line set, shared by the three processes, and the
 * interfaces managed now, by slot: each process keeps its own copy,
 * changed by the frontend's SM_IFADD and SM_IFDEL.
 */
struct slaacd_opts {
	int	foreground, verbose, eui64;
	int	all;		/* no IFACE: every Ethernet-like interface */
	const char *user, *chroot, *dnsfile, *sock;
	int	nnames, ntemp;
	char	names[SLAACD_MAXIFS][16];	/* IFACE... */
	char	tempnames[SLAACD_MAXIFS][16];	/* -t IFACE */
	unsigned ifindex[SLAACD_MAXIFS];	/* 0: a free slot */
	int	temporary[SLAACD_MAXIFS];	/* RFC 8981 addresses (-t) */
	char	ifname[SLAACD_MAXIFS][16];
	uid_t	uid;
	gid_t	gid;
};

/*
 * Each process's loop (libevent) on the poll(2) backend: the engine's
 * seccomp filter then needs no more than poll.
 */
struct event_base;
struct event_base *slaacd_event_base(void);
/* Chroot to o->chroot and become o->uid: 0 or -1 (logged). */
int	slaacd_drop_privileges(const struct slaacd_opts *o);
/* The slot of a managed interface, or -1. */
int	slaacd_managed(const struct slaacd_opts *o, unsigned ifindex);
/* Whether the command line asks for an interface of that name. */
int	slaacd_wanted(const struct slaacd_opts *o, const char *name);
/* Manage ifindex as name (a known one: renamed): its slot, or -1 full. */
int	slaacd_if_add(struct slaacd_opts *o, unsigned ifindex,
	    const char *name);
void	slaacd_if_del(struct slaacd_opts *o, int slot);

/* slaacd_engine.c: never returns. */
void	slaacd_engine_main(struct slaacd_opts *o, int parentfd,
	    int frontfd) __attribute__((noreturn));
/* slaacd_frontend.c: never returns. */
void	slaacd_frontend_main(struct slaacd_opts *o, int parentfd,
	    int enginefd) __attribute__((noreturn));

/* slaacd_show.c: the engine's proposals, for slaacctl */
void	slaacd_show_act(const struct slaacd_opts *o,
	    const struct ipifc_slaac_act *a, uint32_t seq, uint64_t now);
/*
 * The parent's answer.  A refusal (but EOPNOTSUPP) is retried after
 * SLAACD_RETRY_MS, doubled at each try, at most SLAACD_RETRIES times;
 * then the proposal stays failed until the engine proposes it again.
 */
#define SLAACD_RETRY_MS	1000
#define SLAACD_RETRIES	5
void	slaacd_show_result(uint32_t seq, int err, uint64_t now);
/* When the next retry is due; UINT64_MAX: none waits. */
uint64_t slaacd_show_next_retry(void);
/*
 * The retries due at now: send gets each proposal again (its lifetimes
 * what remains of them) and returns its new sequence number.
 */
void	slaacd_show_retry(uint64_t now,
	    uint32_t (*send)(const struct ipifc_slaac_act *));
/* ifindex 0: every managed interface; line gets each line. */
void	slaacd_show(const struct slaacd_opts *o, unsigned ifindex,
	    uint64_t now, void (*line)(const char *));
/*
 * The interface stopped running (up 0): the kernel dropped its
 * addresses, routes and nexthops, and the configured ones show
 * `removed`.  Running again (up 1): send gets those again, their
 * lifetimes what remains of them (RFC 4862 5.5.3 keeps them valid).
 */
void	slaacd_show_link(const struct slaacd_opts *o, unsigned ifindex,
	    int up, uint64_t now,
	    uint32_t (*send)(const struct ipifc_slaac_act *));
/* A slot no longer managed: its proposals go. */
void	slaacd_show_forget(int slot);
/*
 * The kernel lost a configured address (removed by another): 1 and its
 * proposal shows `removed` until proposed again, or 0 if none such.
 */
int	slaacd_show_gone(const struct slaacd_opts *o, unsigned ifindex,
	    const struct ipifc_ip *addr);

/* slaacd_parent.c */
int	slaacd_parent_init(struct slaacd_opts *o);
/* The frontend's SM_IFADD (name) and SM_IFDEL (name NULL). */
void	slaacd_parent_ifchange(unsigned ifindex, const char *name);
/* Carry out a proposal: 0 or a negative errno. */
int	slaacd_parent_apply(const struct ipifc_slaac_act *a);
void	slaacd_parent_fini(void);

#endif
