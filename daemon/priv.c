/*
 * Privilege separation (OpenBSD slaacd's split).  ipifcd forks once,
 * after the control socket exists and the RFC 7217 secret is read:
 *
 * - The parent stays root with CAP_NET_ADMIN, CAP_NET_RAW and CAP_KILL
 *   only (CAP_KILL: the stack process is another user's; with xdp:
 *   built in, CAP_BPF and CAP_IPC_LOCK too, for its program and UMEM).
 *   It holds no stack, reads no packet and no control request: it
 *   answers the stack process's four requests on a socketpair and
 *   nothing else: open a device (tap:, tun:, packet:, xdp:) and pass its
 *   descriptor back (SCM_RIGHTS; xdp: passes two, io/xdp.c); tell a
 *   Linux interface's carrier; create a new capture file in the capture
 *   directory and pass it back; release an xdp: device the stack process
 *   has closed (the program off the interface; at its own exit it
 *   releases those still held).  It forwards SIGTERM,
 *   SIGINT and SIGHUP to the stack process, and when that ends it removes
 *   the control socket and exits with its status.
 * - The stack process holds the namespace, the control socket, the
 *   link notifications and every packet.  Once all of that is set up it
 *   chroots to an empty directory, becomes the unprivileged user (no
 *   capability left), sets no_new_privs and loads a seccomp filter
 *   (libseccomp) that kills it on any system call outside a short list.
 *
 * Requests are one SOCK_SEQPACKET datagram each: a header (type, length
 * of the argument) and the argument, a string without NUL of at most
 * IPIFCD_PRIV_MAXARG bytes: a device KIND:NAME or an interface NAME
 * that fits IFNAMSIZ without '/', ':' or a space, or a file name of the
 * capture directory.  The stack process checks a request with the same
 * function (ipifcd_priv_check) before it sends it, and refuses the
 * client's request itself, so a request that fails the check at the
 * parent can only come from a stack process gone wrong.  Answers are
 * fixed-size, with at most one descriptor.  Anything else, either way,
 * is logged and ends the daemon: neither side trusts a malformed
 * message.  The stack process watches its end of the socket between
 * requests: the parent gone (or a message nobody asked for) ends it too.
 */
#include <sys/types.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/if_tun.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <seccomp.h>

#include "dev.h"
#include "ipifcd.h"
#include "netif.h"
#include "xdp.h"

struct priv_hdr {
	uint32_t	type;
	uint32_t	len;		/* of the argument that follows */
};

struct priv_reply {
	int32_t		rc;		/* 0, carrier 0/1, or -errno */
	int32_t		ifindex;	/* open: the device's */
	int32_t		created;	/* open: 1 if the parent made it */
	int32_t		fds;		/* descriptors attached: 0 to 2 */
};

/* The parent's state, and the stack process's end of the socket. */
static struct {
	int		 fd;		/* our end of the socketpair */
	pid_t		 child;		/* parent: the stack process */
	pid_t		 parent;	/* stack process: the parent */
	int		 capfd;		/* parent: the capture directory */
	char		 capdir[PATH_MAX];
	uid_t		 uid;
	gid_t		 gid;
	int		 sandboxed;	/* stack process: filter loaded */
	struct event	*watch;		/* stack process: ps.fd between requests */
	int		 lost;		/* stack process: the parent is gone */
} ps = { .fd = -1, .capfd = -1 };

static const char *const reqnames[] = {
	[IPIFCD_PRIV_OPEN] = "open",
	[IPIFCD_PRIV_CARRIER] = "carrier",
	[IPIFCD_PRIV_CAPTURE] = "capture",
	[IPIFCD_PRIV_XDPDONE] = "xdpdone",
};

#if defined(__SANITIZE_ADDRESS__)
/*
 * LeakSanitizer stops the world with ptrace and reads /proc at exit,
 * which the stack process may not do once filtered: its leak check is
 * off there.  The parent's stays on; the stack process's code is
 * leak-checked by the tests' build, whose stack process can keep its
 * privileges (IPIFCD_TESTHOOK_LEAKS, the tests leaks_*).
 */
int	__lsan_is_turned_off(void);

int
__lsan_is_turned_off(void)
{
	return ps.sandboxed;
}
#endif

/*
 * The file name a capture argument gives: NAME, or the capture
 * directory's own path then /NAME.  NULL if it is anything else.
 */
static const char *
capture_name(const char *arg)
{
	const char *name = arg;
	size_t n = strlen(ps.capdir);

	if (arg[0] == '/') {
		if (strncmp(arg, ps.capdir, n) != 0 || arg[n] != '/')
			return NULL;
		name = arg + n + 1;
	}
	if (*name == '\0' || strchr(name, '/') != NULL ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return NULL;
	return name;
}

int
ipifcd_priv_check(int type, const char *arg, const char **why)
{
	const char *name;

	switch (type) {
	case IPIFCD_PRIV_OPEN:
		/* KIND: is the parent's to know (io/dev.c); NAME is Linux's */
		if ((name = strchr(arg, ':')) == NULL ||
		    ipifc_netif_name_ok(name + 1) < 0) {
			*why = "not KIND:NAME with NAME an interface name";
			return -1;
		}
		return 0;
	case IPIFCD_PRIV_CARRIER:
	case IPIFCD_PRIV_XDPDONE:
		if (ipifc_netif_name_ok(arg) < 0) {
			*why = "not an interface name";
			return -1;
		}
		return 0;
	case IPIFCD_PRIV_CAPTURE:
		if (capture_name(arg) == NULL) {
			*why = "not a file name in the capture directory";
			return -1;
		}
		return 0;
	}
	*why = "unknown type";
	return -1;
}

int
ipifcd_priv_parse(const uint8_t *buf, size_t len, struct ipifcd_priv_req *req,
    const char **why)
{
	struct priv_hdr h;

	if (len < sizeof(h)) {
		*why = "shorter than its header";
		return -1;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.type < IPIFCD_PRIV_OPEN || h.type > IPIFCD_PRIV_LAST) {
		*why = "unknown type";
		return -1;
	}
	if (h.len == 0 || h.len > IPIFCD_PRIV_MAXARG) {
		*why = "argument length out of bounds";
		return -1;
	}
	if (h.len != len - sizeof(h)) {
		*why = "length does not match the datagram";
		return -1;
	}
	if (memchr(buf + sizeof(h), '\0', h.len) != NULL) {
		*why = "NUL in the argument";
		return -1;
	}
	req->type = (int)h.type;
	memcpy(req->arg, buf + sizeof(h), h.len);
	req->arg[h.len] = '\0';
	return ipifcd_priv_check(req->type, req->arg, why);
}

/* --- the parent ------------------------------------------------------ */

/*
 * A new file of the capture directory (capture_name).  Made with O_EXCL,
 * so an existing file (or a link) there is never written.
 */
static int
capture_open(const char *arg)
{
	const char *name;
	int fd;

	if ((name = capture_name(arg)) == NULL)
		return -EACCES;
	fd = openat(ps.capfd, name,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	return fd == -1 ? -errno : fd;
}

static int
reply(const struct priv_reply *r, const int *fd)
{
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(2 * sizeof(int))];
	} cb;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;

	memset(&m, 0, sizeof(m));
	iov.iov_base = (void *)r;
	iov.iov_len = sizeof(*r);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (r->fds > 0) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = CMSG_SPACE((size_t)r->fds * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN((size_t)r->fds * sizeof(int));
		memcpy(CMSG_DATA(c), fd, (size_t)r->fds * sizeof(int));
	}
	do
		n = sendmsg(ps.fd, &m, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)sizeof(*r) ? 0 : -1;
}

/* One line for an xdp: open: what it got, or why it is AF_PACKET. */
static void
xdp_log(const char *arg, const struct ipifc_dev *dev)
{
	const char *mode;

	if (ipifc_dev_fellback(dev) != 0)
		ipifcd_log(LOG_WARNING, "privileged: %s: no AF_XDP (%s): "
		    "AF_PACKET instead", arg,
		    strerror(-ipifc_dev_fellback(dev)));
	else if ((mode = ipifc_xdp_mode(ipifc_dev_name(dev))) != NULL &&
	    strncmp(arg, "xdp:", 4) == 0)
		ipifcd_log(LOG_INFO, "privileged: %s: AF_XDP, %s", arg, mode);
}

#ifdef IPIFCD_TESTHOOK
/*
 * The tests' build: `capture testhook-short` is answered with 3 bytes,
 * `capture testhook-unasked` with a refusal and then a second answer
 * nobody asked for, so that a test sees what the stack process does with
 * a malformed message from the parent.
 */
static int
testhook_answer(const char *what)
{
	struct priv_reply r;

	memset(&r, 0, sizeof(r));
	r.rc = -EACCES;
	ipifcd_log(LOG_INFO, "test hook: answering %s", what);
	if (strcmp(what, "short") == 0)
		return send(ps.fd, &r, 3, MSG_NOSIGNAL) == 3 ? 0 : -1;
	if (reply(&r, NULL) == -1)
		return -1;
	return reply(&r, NULL);
}
#endif

static int
serve(const struct ipifcd_priv_req *req)
{
	struct priv_reply r;
	struct ipifc_dev *dev = NULL;
	int fd[2] = { -1, -1 }, rc;

#ifdef IPIFCD_TESTHOOK
	if (req->type == IPIFCD_PRIV_CAPTURE &&
	    strncmp(req->arg, "testhook-", 9) == 0)
		return testhook_answer(req->arg + 9);
#endif
	memset(&r, 0, sizeof(r));
	switch (req->type) {
	case IPIFCD_PRIV_OPEN:
		if ((r.rc = ipifc_dev_open(req->arg, &dev)) == 0) {
			fd[0] = ipifc_dev_fd(dev);
			fd[1] = ipifc_dev_fd2(dev);
			r.ifindex = ipifc_dev_ifindex(dev);
			r.created = ipifc_dev_created(dev);
			xdp_log(req->arg, dev);
		}
		break;
	case IPIFCD_PRIV_CARRIER:
		r.rc = ipifc_netif_running(req->arg);
		break;
	case IPIFCD_PRIV_CAPTURE:
		if ((r.rc = capture_open(req->arg)) >= 0) {
			fd[0] = r.rc;
			r.rc = 0;
		}
		break;
	case IPIFCD_PRIV_XDPDONE:
		r.rc = ipifc_xdp_release(req->arg);
		break;
	}
	r.fds = (fd[0] >= 0) + (fd[0] >= 0 && fd[1] >= 0);
	rc = reply(&r, fd);
	/* the stack process holds its own reference now */
	if (dev != NULL)
		ipifc_dev_close(dev);
	else if (fd[0] >= 0)
		close(fd[0]);
	if (r.rc < 0 && req->type != IPIFCD_PRIV_CARRIER)
		ipifcd_log(LOG_INFO, "privileged: %s %s: %s",
		    reqnames[req->type], req->arg, strerror(-r.rc));
	return rc;
}

static void
on_parent_signal(int sig)
{
	if (ps.child > 0)
		(void)kill(ps.child, sig);
}

/*
 * Keep CAP_NET_ADMIN and CAP_NET_RAW, which serve needs, and CAP_KILL to
 * pass signals on to the stack process (another user's).  xdp: needs
 * CAP_BPF for its program and map, and CAP_IPC_LOCK so that the UMEM's
 * pinned pages are not charged to root's RLIMIT_MEMLOCK, which every
 * root process shares.
 */
static int
parent_keeps(int c)
{
#ifdef IPIFC_HAVE_XDP
	if (c == CAP_BPF || c == CAP_IPC_LOCK)
		return 1;
#endif
	return c == CAP_NET_ADMIN || c == CAP_NET_RAW || c == CAP_KILL;
}

static void
parent_caps(void)
{
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	uint32_t keep[_LINUX_CAPABILITY_U32S_3] = { 0 };
	int c;

	for (c = 0; c < 64; c++) {
		if (parent_keeps(c))
			continue;
		if (prctl(PR_CAPBSET_READ, c, 0, 0, 0) < 0)
			break;		/* past the kernel's last capability */
		(void)prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
	}
	memset(&hdr, 0, sizeof(hdr));
	memset(data, 0, sizeof(data));
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &hdr, data) == -1)
		goto fail;
	for (c = 0; c < 64; c++)
		if (parent_keeps(c))
			keep[CAP_TO_INDEX(c)] |= CAP_TO_MASK(c);
	for (c = 0; c < _LINUX_CAPABILITY_U32S_3; c++) {
		data[c].permitted &= keep[c];
		data[c].effective &= keep[c];
		data[c].inheritable = 0;
	}
	if (syscall(SYS_capset, &hdr, data) == -1)
		goto fail;
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	return;
fail:
	ipifcd_log(LOG_WARNING, "privileged: capabilities: %s",
	    strerror(errno));
}

/* Serve until the stack process ends; its exit status. */
static int
parent_loop(void)
{
	uint8_t buf[sizeof(struct priv_hdr) + IPIFCD_PRIV_MAXARG + 1];
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(4 * sizeof(int))];
	} cb;
	struct ipifcd_priv_req req;
	struct iovec iov;
	struct msghdr m;
	const char *why = NULL;
	ssize_t n;
	int status, fatal = 0;

	for (;;) {
		memset(&m, 0, sizeof(m));
		iov.iov_base = buf;
		iov.iov_len = sizeof(buf);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		n = recvmsg(ps.fd, &m, MSG_CMSG_CLOEXEC);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == 0)
			break;			/* the stack process is gone */
		if (n == -1) {
			ipifcd_log(LOG_ERR, "privileged: recvmsg: %s",
			    strerror(errno));
			fatal = 1;
			break;
		}
		if (m.msg_controllen != 0 ||
		    (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0)
			why = "a descriptor or a truncated datagram";
		else if (ipifcd_priv_parse(buf, (size_t)n, &req, &why) == 0)
			why = NULL;
		if (why != NULL) {
			ipifcd_log(LOG_ERR, "privileged: malformed message "
			    "from the stack process (%s): exiting", why);
			fatal = 1;
			break;
		}
		if (serve(&req) == -1) {
			ipifcd_log(LOG_ERR, "privileged: cannot answer: %s",
			    strerror(errno));
			fatal = 1;
			break;
		}
	}
	/*
	 * A stack process waiting for an answer reads the end (and an empty
	 * datagram, which reads as the end here, cannot leave both waiting).
	 */
	close(ps.fd);
	ps.fd = -1;
	if (fatal)
		(void)kill(ps.child, SIGTERM);
	while (waitpid(ps.child, &status, 0) == -1)
		if (errno != EINTR)
			return 1;
	ps.child = 0;
	if (WIFSIGNALED(status)) {
		ipifcd_log(LOG_ERR, "stack process killed by signal %d%s",
		    WTERMSIG(status), WTERMSIG(status) == SIGSYS ?
		    " (a system call outside its filter)" : "");
		return 1;
	}
	return fatal ? 1 : WEXITSTATUS(status);
}

/* mkdir, or an existing directory: not a link (O_NOFOLLOW). */
static int
dir_open(const char *path, mode_t mode)
{
	int fd;

	if (mkdir(path, mode) == -1 && errno != EEXIST)
		return -1;
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	return fd;
}

int
ipifcd_priv_setup(const char *user, const char *capdir)
{
	const char *u = user != NULL ? user : IPIFCD_USER;
	struct passwd *pw;
	struct stat st;
	size_t n;
	int fd;

	if (geteuid() != 0) {
		ipifcd_log(LOG_ERR, "ipifcd must start as root");
		return -1;
	}
	errno = 0;
	if ((pw = getpwnam(u)) == NULL && user == NULL) {
		ipifcd_log(LOG_WARNING, "no user %s: running as %s", u,
		    IPIFCD_USER_FALLBACK);
		u = IPIFCD_USER_FALLBACK;
		pw = getpwnam(u);
	}
	if (pw == NULL) {
		ipifcd_log(LOG_ERR, "no user %s", u);
		return -1;
	}
	if (pw->pw_uid == 0 || pw->pw_gid == 0) {
		ipifcd_log(LOG_ERR, "user %s: uid or gid 0", u);
		return -1;
	}
	ps.uid = pw->pw_uid;
	ps.gid = pw->pw_gid;

	if (capdir[0] != '/' || (n = strlen(capdir)) >= sizeof(ps.capdir)) {
		ipifcd_log(LOG_ERR, "capture directory %s: not an absolute "
		    "path", capdir);
		return -1;
	}
	memcpy(ps.capdir, capdir, n + 1);
	while (n > 1 && ps.capdir[n - 1] == '/')
		ps.capdir[--n] = '\0';
	(void)mkdir(IPIFCD_STATEDIR, 0700);
	if ((ps.capfd = dir_open(ps.capdir, 0700)) == -1) {
		ipifcd_log(LOG_ERR, "capture directory %s: %s", ps.capdir,
		    strerror(errno));
		return -1;
	}
	/* the stack process's root: root's, empty, nobody else writes */
	if ((fd = dir_open(IPIFCD_EMPTY, 0755)) == -1 ||
	    fstat(fd, &st) == -1) {
		ipifcd_log(LOG_ERR, "%s: %s", IPIFCD_EMPTY, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	if (st.st_uid != 0 || (st.st_mode & 022) != 0) {
		ipifcd_log(LOG_ERR, "%s: not root's, or writable by others",
		    IPIFCD_EMPTY);
		return -1;
	}
	return 0;
}

int
ipifcd_priv_fork(void)
{
	struct sigaction sa;
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		ipifcd_log(LOG_ERR, "socketpair: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		ipifcd_log(LOG_ERR, "fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		ps.parent = getppid();
		close(sv[0]);
		close(ps.capfd);
		ps.capfd = -1;
		ps.fd = sv[1];
		return 0;
	}
	close(sv[1]);
	ps.fd = sv[0];
	ps.child = pid;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_parent_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGHUP, &sa, NULL);
	return 1;
}

int
ipifcd_priv_parent(void)
{
	int status;

	parent_caps();
	ipifcd_log(LOG_INFO, "privileged parent (pid %ld), stack process "
	    "pid %ld", (long)getpid(), (long)ps.child);
	status = parent_loop();
	ipifc_xdp_release_all();
	if (ps.fd != -1)
		close(ps.fd);
	close(ps.capfd);
	ps.fd = ps.capfd = -1;
	return status;
}

int
ipifcd_priv_serve(int fd, pid_t child)
{
	int status;

	ps.fd = fd;
	ps.child = child;
	status = parent_loop();
	if (ps.fd != -1)
		close(ps.fd);
	ps.fd = -1;
	return status;
}

/* --- the stack process ----------------------------------------------- */

static void __attribute__((noreturn))
child_fatal(const char *why)
{
	ipifcd_log(LOG_ERR, "privileged parent: %s: exiting", why);
	exit(1);
}

/*
 * The parent's answer to what we sent; fd gets the descriptors passed
 * with it (-1 where none): one, or two for an xdp: device on AF_XDP.
 */
static int
answer(int type, struct priv_reply *r, int *fd)
{
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(2 * sizeof(int))];
	} cb;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *c;
	ssize_t n;
	int got = 0;

	fd[0] = fd[1] = -1;
	memset(&m, 0, sizeof(m));
	iov.iov_base = r;
	iov.iov_len = sizeof(*r);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = cb.b;
	m.msg_controllen = sizeof(cb.b);
	do
		n = recvmsg(ps.fd, &m, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		child_fatal("gone");
	for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level != SOL_SOCKET ||
		    c->cmsg_type != SCM_RIGHTS || got != 0 ||
		    (c->cmsg_len != CMSG_LEN(sizeof(int)) &&
		    c->cmsg_len != CMSG_LEN(2 * sizeof(int))))
			child_fatal("malformed descriptor");
		got = c->cmsg_len == CMSG_LEN(sizeof(int)) ? 1 : 2;
		memcpy(fd, CMSG_DATA(c), (size_t)got * sizeof(int));
	}
	if (n != (ssize_t)sizeof(*r) || (m.msg_flags & (MSG_TRUNC |
	    MSG_CTRUNC)) != 0 || r->rc < -4095 || r->rc > 1 ||
	    r->ifindex < 0 || (r->created != 0 && r->created != 1) ||
	    r->fds != got || (got == 2 && type != IPIFCD_PRIV_OPEN) ||
	    (got != 0) != (r->rc == 0 && type != IPIFCD_PRIV_CARRIER &&
	    type != IPIFCD_PRIV_XDPDONE))
		child_fatal("malformed answer");
	return r->rc;
}

/*
 * One request, one answer; fd gets the descriptors passed with it.  What
 * the parent would find malformed is the client's error, refused here.
 */
static int
request(int type, const char *arg, struct priv_reply *r, int *fd)
{
	uint8_t buf[sizeof(struct priv_hdr) + IPIFCD_PRIV_MAXARG];
	struct priv_hdr h;
	size_t len = strlen(arg);
	const char *why;
	ssize_t n;

	fd[0] = fd[1] = -1;
	if (len == 0 || len > IPIFCD_PRIV_MAXARG)
		return -ENAMETOOLONG;
	if (ipifcd_priv_check(type, arg, &why) < 0) {
		ipifcd_log(LOG_INFO, "%s %s: refused: %s", reqnames[type],
		    arg, why);
		return type == IPIFCD_PRIV_CAPTURE ? -EACCES : -EINVAL;
	}
	h.type = (uint32_t)type;
	h.len = (uint32_t)len;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), arg, len);
	do
		n = send(ps.fd, buf, sizeof(h) + len, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)(sizeof(h) + len))
		child_fatal("cannot send");
	return answer(type, r, fd);
}

#ifdef IPIFCD_TESTHOOK
/*
 * The tests' build (ipifcd_testhook, never installed): `capture
 * testhook:[fd:]HEX` sends the bytes HEX spells to the parent as one
 * datagram, with a descriptor attached after fd:, and waits for an
 * answer as a request does, so that a test sees what the parent does
 * with a malformed request from a running stack process.
 */
static int
testhook_send(const char *arg)
{
	uint8_t buf[sizeof(struct priv_hdr) + IPIFCD_PRIV_MAXARG + 16];
	union {
		struct cmsghdr	h;
		uint8_t		b[CMSG_SPACE(sizeof(int))];
	} cb;
	struct priv_reply r;
	struct iovec iov;
	struct msghdr m;
	struct cmsghdr *c;
	size_t n = 0;
	unsigned v;
	int withfd = 0, fd[2];

	if (strncmp(arg, "fd:", 3) == 0) {
		withfd = 1;
		arg += 3;
	}
	for (; arg[0] != '\0' && arg[1] != '\0' && n < sizeof(buf); arg += 2)
		if (sscanf(arg, "%2x", &v) != 1)
			return -EINVAL;
		else
			buf[n++] = (uint8_t)v;
	if (*arg != '\0')
		return -EINVAL;
	ipifcd_log(LOG_INFO, "test hook: %zu bytes%s to the privileged "
	    "parent", n, withfd ? " and a descriptor" : "");
	memset(&m, 0, sizeof(m));
	iov.iov_base = buf;
	iov.iov_len = n;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	if (withfd) {
		memset(&cb, 0, sizeof(cb));
		m.msg_control = cb.b;
		m.msg_controllen = sizeof(cb.b);
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &ps.fd, sizeof(int));
	}
	if (sendmsg(ps.fd, &m, MSG_NOSIGNAL) != (ssize_t)n)
		child_fatal("cannot send");
	(void)answer(IPIFCD_PRIV_CARRIER, &r, fd);
	ipifcd_log(LOG_ERR, "test hook: the parent answered");
	if (fd[0] != -1)
		close(fd[0]);
	if (fd[1] != -1)
		close(fd[1]);
	return -EPROTO;
}
#endif

int
ipifcd_priv_open(const char *dev, struct ipifc_dev **out)
{
	struct priv_reply r;
	int fd[2], rc;

	if ((rc = request(IPIFCD_PRIV_OPEN, dev, &r, fd)) < 0)
		return rc;
	if ((rc = ipifc_dev_adopt(dev, fd[0], fd[1], r.ifindex, r.created,
	    out)) < 0) {
		close(fd[0]);
		if (fd[1] >= 0) {
			close(fd[1]);
			if (strncmp(dev, "xdp:", 4) == 0)
				(void)ipifcd_priv_xdpdone(dev + 4);
		}
	}
	return rc;
}

int
ipifcd_priv_carrier(const char *ifname)
{
	struct priv_reply r;
	int fd[2];

	return request(IPIFCD_PRIV_CARRIER, ifname, &r, fd);
}

int
ipifcd_priv_capture(const char *file)
{
	struct priv_reply r;
	int fd[2], rc;

#ifdef IPIFCD_TESTHOOK
	if (strncmp(file, "testhook:", 9) == 0)
		return testhook_send(file + 9);
#endif
	if ((rc = request(IPIFCD_PRIV_CAPTURE, file, &r, fd)) < 0)
		return rc;
	return fd[0];
}

int
ipifcd_priv_xdpdone(const char *ifname)
{
	struct priv_reply r;
	int fd[2];

	return request(IPIFCD_PRIV_XDPDONE, ifname, &r, fd);
}

#define ALLOW(call, ...) do {						\
	if (rc == 0)							\
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,		\
		    SCMP_SYS(call), __VA_ARGS__);			\
} while (0)

/*
 * What the stack process does once set up: the event loop (epoll, the
 * clock, signals), reading and writing its descriptors (devices, the
 * control socket and its connections, link notifications, the captures
 * passed to it; an AF_XDP socket's rings and UMEM, mapped), memory,
 * logging, and its exit.  Nothing opens a file, makes a socket
 * (syslog's attempt fails quietly), sends to an address (but AF_PACKET
 * frames, by sendmsg and sendmmsg; an AF_XDP socket's kick is a sendto
 * without one), signals another process or executes anything.
 */
static int
load_filter(void)
{
	scmp_filter_ctx ctx;
	static const int plain[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(readv),
		SCMP_SYS(writev), SCMP_SYS(close), SCMP_SYS(recvfrom),
		SCMP_SYS(recvmsg), SCMP_SYS(sendmsg),
		SCMP_SYS(recvmmsg), SCMP_SYS(sendmmsg),	/* packet: batches */
		SCMP_SYS(accept), SCMP_SYS(accept4), SCMP_SYS(shutdown),
		SCMP_SYS(getsockopt), SCMP_SYS(epoll_wait),
		SCMP_SYS(epoll_pwait), SCMP_SYS(epoll_ctl),
		SCMP_SYS(clock_gettime), SCMP_SYS(gettimeofday),
		SCMP_SYS(getrandom), SCMP_SYS(brk), SCMP_SYS(munmap),
		SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(fcntl),
		SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(lseek),
		SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
		SCMP_SYS(rt_sigaction), SCMP_SYS(restart_syscall),
		SCMP_SYS(futex), SCMP_SYS(getpid), SCMP_SYS(gettid),
		SCMP_SYS(exit), SCMP_SYS(exit_group),
		/* glibc's qsort(3) asks sysconf(_SC_PHYS_PAGES) once, at
		 * its first sort of over 1 KiB (core/deadline.c's due
		 * entries in an RA flood) */
		SCMP_SYS(sysinfo),
#if defined(__SANITIZE_ADDRESS__)
		/* the sanitizers' runtime */
		SCMP_SYS(sched_yield), SCMP_SYS(sigaltstack),
		SCMP_SYS(prctl), SCMP_SYS(getrlimit),
#endif
	};
	size_t i;
	int rc = 0;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL)
		return -ENOMEM;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]) && rc == 0; i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain[i], 0);
	/* memory, never executable */
	ALLOW(mmap, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	ALLOW(mprotect, 1, SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
	/* send(2), on connected sockets: no address to reach another */
	ALLOW(sendto, 1, SCMP_A4(SCMP_CMP_EQ, 0));
	/* abort(3) signals itself, only */
	ALLOW(tgkill, 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
	/* libevent's bytes waiting; a device we made is not kept */
	ALLOW(ioctl, 1, SCMP_A1(SCMP_CMP_EQ, FIONREAD));
	ALLOW(ioctl, 2, SCMP_A1(SCMP_CMP_EQ, TUNSETPERSIST),
	    SCMP_A2(SCMP_CMP_EQ, 0));
	/* syslog(3) reconnecting after syslogd restarts: it fails */
	if (rc == 0)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES),
		    SCMP_SYS(socket), 0);
	if (rc == 0)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	return rc;
}

/*
 * Between requests nothing comes from the parent: readable means it is
 * gone (end of file) or wrong.  Either ends the stack process, through
 * its orderly exit.
 */
static void
on_watch(evutil_socket_t fd, short what, void *arg)
{
	uint8_t b[sizeof(struct priv_reply)];
	ssize_t n;

	(void)what;
	n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	ipifcd_log(LOG_ERR, "privileged parent: %s: exiting", n == 0 ?
	    "gone" : n > 0 ? "a message nobody asked for" : strerror(errno));
	ps.lost = 1;
	event_del(ps.watch);
	event_base_loopbreak(arg);
}

int
ipifcd_priv_watch(struct event_base *base)
{
	if ((ps.watch = event_new(base, ps.fd, EV_READ | EV_PERSIST,
	    on_watch, base)) == NULL || event_add(ps.watch, NULL) == -1) {
		ipifcd_log(LOG_ERR, "cannot watch the privileged parent");
		return -1;
	}
	return 0;
}

void
ipifcd_priv_unwatch(void)
{
	if (ps.watch != NULL)
		event_free(ps.watch);
	ps.watch = NULL;
}

int
ipifcd_priv_lost(void)
{
	return ps.lost;
}

int
ipifcd_priv_drop(void)
{
	int rc;

#ifdef IPIFCD_TESTHOOK
	/*
	 * The tests' build, asked to: LeakSanitizer's check at exit (ptrace,
	 * /proc) in a stack process that stays as it is, so that the daemon
	 * code it runs is leak-checked (tests/meson.build, leaks_*).
	 */
	if (getenv("IPIFCD_TESTHOOK_LEAKS") != NULL) {
		ipifcd_log(LOG_WARNING, "test hook: the stack process keeps "
		    "its privileges, for the leak check at exit");
		return 0;
	}
#endif
	/* what the libc would open later: the time zone (syslog stamps) */
	tzset();
	if (chroot(IPIFCD_EMPTY) == -1 || chdir("/") == -1) {
		ipifcd_log(LOG_ERR, "chroot %s: %s", IPIFCD_EMPTY,
		    strerror(errno));
		return -1;
	}
	if (setgroups(1, &ps.gid) == -1 ||
	    setresgid(ps.gid, ps.gid, ps.gid) == -1 ||
	    setresuid(ps.uid, ps.uid, ps.uid) == -1) {
		ipifcd_log(LOG_ERR, "dropping to uid %ld: %s", (long)ps.uid,
		    strerror(errno));
		return -1;
	}
	if (setuid(0) != -1 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		ipifcd_log(LOG_ERR, "privileges still there");
		return -1;
	}
	/* gone since the fork; later, ipifcd_priv_watch sees it */
	if (getppid() != ps.parent) {
		ipifcd_log(LOG_ERR, "the privileged parent is gone");
		return -1;
	}
	if ((rc = load_filter()) < 0) {
		ipifcd_log(LOG_ERR, "seccomp: %s", strerror(-rc));
		return -1;
	}
	ps.sandboxed = 1;
	return 0;
}
