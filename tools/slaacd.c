/*
 * slaacd [-dev] [-f DNSFILE] [-k SECRETFILE] [-r CHROOT] [-s SOCKET]
 *     [-t IFACE] [-u USER] [IFACE...]
 *
 * IPv6 stateless address autoconfiguration for a Linux host: the SLAAC
 * engine (slaac/) configures the kernel's addresses and routes.  Three
 * processes (daemon/slaacd.h): this parent, privileged, which alone
 * changes the kernel; a frontend that talks to the network; an engine
 * with no privileges.  A child that ends ends the daemon.
 */
#include <errno.h>
#include <event2/event.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ipifcd.h"
#include "slaacd.h"

static volatile sig_atomic_t quit;
static struct slaacd_opts opts;

static void	usage(int) __attribute__((noreturn));

/* On stdout with status 0 when asked for (--help), else on stderr. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: slaacd [-dev] [-f dnsfile] [-r chroot] "
	    "[-k secretfile]\n\t[-s socket] [-t iface] [-u user] "
	    "[iface ...]\n"
	    "       slaacd -V | --help\n");
	exit(status);
}

static void
onsignal(int sig)
{
	quit = sig;
}

int
slaacd_managed(const struct slaacd_opts *o, unsigned ifindex)
{
	int	 i;

	for (i = 0; i < SLAACD_MAXIFS; i++)
		if (o->ifindex[i] == ifindex && ifindex != 0)
			return i;
	return -1;
}

static int
inlist(const char (*l)[16], int n, const char *name)
{
	int	 i;

	for (i = 0; i < n; i++)
		if (strcmp(l[i], name) == 0)
			return 1;
	return 0;
}

int
slaacd_wanted(const struct slaacd_opts *o, const char *name)
{
	return o->all || inlist(o->names, o->nnames, name);
}

int
slaacd_if_add(struct slaacd_opts *o, unsigned ifindex, const char *name)
{
	int	 k;

	if (ifindex == 0)
		return -1;
	if ((k = slaacd_managed(o, ifindex)) == -1)
		for (k = 0; k < SLAACD_MAXIFS && o->ifindex[k] != 0; k++)
			;
	if (k == SLAACD_MAXIFS)
		return -1;
	if (o->ifindex[k] == 0)
		o->temporary[k] = inlist(o->tempnames, o->ntemp, name);
	o->ifindex[k] = ifindex;
	snprintf(o->ifname[k], sizeof(o->ifname[k]), "%s", name);
	return k;
}

void
slaacd_if_del(struct slaacd_opts *o, int k)
{
	o->ifindex[k] = 0;
	o->temporary[k] = 0;
	o->ifname[k][0] = '\0';
}

struct event_base *
slaacd_event_base(void)
{
	struct event_config *cfg;
	struct event_base *b;

	if ((cfg = event_config_new()) == NULL)
		return NULL;
	(void)event_config_avoid_method(cfg, "epoll");
	(void)event_config_avoid_method(cfg, "select");
	b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return b;
}

int
slaacd_drop_privileges(const struct slaacd_opts *o)
{
	if (o->uid == 0) {
		slaacd_log(LOG_ERR, "refusing to run as root");
		return -1;
	}
	if (chroot(o->chroot) == -1 || chdir("/") == -1) {
		slaacd_log(LOG_ERR, "chroot %s: %s", o->chroot,
		    strerror(errno));
		return -1;
	}
	if (setgroups(1, &o->gid) == -1 || setresgid(o->gid, o->gid,
	    o->gid) == -1 || setresuid(o->uid, o->uid, o->uid) == -1) {
		slaacd_log(LOG_ERR, "cannot become %s: %s", o->user,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The RFC 7217 secret to the engine, read (made at the first start,
 * 0600) after the frontend was forked, so that only the engine holds a
 * copy.  EUI-64 identifiers need none: the engine gets a random one.
 */
static int
secret(int efd, const char *path)
{
	uint8_t	 key[SLAACD_SECRETLEN];
	char	 err[256];
	ssize_t	 n;
	size_t	 got = 0;
	int	 r;

	if (opts.eui64) {
		while (got < sizeof(key))
			if ((n = getrandom(key + got, sizeof(key) - got, 0)) > 0)
				got += (size_t)n;
	} else if ((r = ipifcd_secret_load(path, key, sizeof(key), err,
	    sizeof(err))) == -1) {
		slaacd_log(LOG_ERR, "%s", err);
		return -1;
	} else if (r == 1)
		slaacd_log(LOG_INFO, "%s: a new RFC 7217 secret", path);
	r = slaacd_send(efd, SM_SECRET, 0, key, sizeof(key));
	explicit_bzero(key, sizeof(key));
	return r;
}

/* Why a child ended, for the log. */
static void
reap(pid_t pid, const char *name)
{
	int	 st, i;

	for (i = 0; i < 50; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			if (WIFSIGNALED(st))
				slaacd_log(quit ? LOG_INFO : LOG_ERR,
				    "%s process killed by signal %d%s", name,
				    WTERMSIG(st), WTERMSIG(st) == SIGSYS ?
				    " (seccomp: a forbidden system call)" : "");
			else if (WEXITSTATUS(st) != 0 || !quit)
				slaacd_log(quit ? LOG_INFO : LOG_ERR,
				    "%s process exited with status %d", name,
				    WEXITSTATUS(st));
			return;
		}
		nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	slaacd_log(LOG_WARNING, "%s process does not end: killed", name);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* Whether a live daemon answers on the control socket. */
static int
sock_alive(const char *path)
{
	struct sockaddr_un sun;
	int	 fd, r;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path) ||
	    (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	strcpy(sun.sun_path, path);
	r = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return r;
}

static pid_t
spawn(struct slaacd_opts *o, int keep1, int keep2, int fds[6],
    int engine)
{
	pid_t	 pid;
	int	 i;

	if ((pid = fork()) != 0)
		return pid;
	for (i = 0; i < 6; i++)
		if (fds[i] != keep1 && fds[i] != keep2)
			close(fds[i]);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	if (engine)
		slaacd_engine_main(o, keep1, keep2);
	slaacd_frontend_main(o, keep1, keep2);
}

static struct slaacd_conn ec, fc;
static int handle(struct slaacd_conn *, const struct slaacd_hdr *,
    uint8_t *);

/*
 * Take what the frontend has sent: a proposal for an interface the
 * parent does not know yet follows the frontend's SM_IFADD, which is
 * then in the socket (the frontend tells the parent before the engine).
 */
static int
frontend_sync(void)
{
	static uint8_t p[SLAACD_MSGMAX];
	struct pollfd pfd = { .fd = fc.fd, .events = POLLIN };
	struct slaacd_hdr h;
	int	 n;

	while (poll(&pfd, 1, 0) == 1) {
		if (slaacd_conn_read(&fc) <= 0)
			return -1;
		while ((n = slaacd_conn_get(&fc, &h, p)) == 1)
			if (handle(&fc, &h, p) == -1)
				return -1;
		if (n == -1)
			return -1;
	}
	return 0;
}

/* A proposal from the engine: carry it out, answer. */
static int
proposal(int efd, const struct slaacd_hdr *h, const uint8_t *p)
{
	struct sm_proposal pr;
	struct sm_result r;

	memcpy(&pr, p, sizeof(pr));
	if (slaacd_managed(&opts, pr.act.ifc) == -1 && frontend_sync() == -1)
		return -1;
	r.seq = pr.seq;
	r.err = -slaacd_parent_apply(&pr.act);
	return slaacd_send(efd, SM_RESULT, h->peer, &r, sizeof(r));
}

/* One message to the parent: 0, or -1 when the daemon must end. */
static int
handle(struct slaacd_conn *c, const struct slaacd_hdr *h, uint8_t *p)
{
	struct sm_ifadd ia;
	int32_t	 prio;

	if (c == &fc && h->type == SM_CTL_LOG) {
		memcpy(&prio, p, sizeof(prio));
		slaacd_verbose = prio != 0;
	} else if (h->type == SM_LOG) {
		memcpy(&prio, p, sizeof(prio));
		p[h->len - 1] = '\0';
		slaacd_log_line(prio & LOG_PRIMASK, (char *)p + sizeof(prio));
	} else if (c == &ec && h->type == SM_PROPOSAL) {
		if (proposal(ec.fd, h, p) == -1)
			return -1;
	} else if (c == &fc && h->type == SM_IFADD) {
		memcpy(&ia, p, sizeof(ia));
		ia.name[sizeof(ia.name) - 1] = '\0';
		slaacd_parent_ifchange(h->peer, ia.name);
	} else if (c == &fc && h->type == SM_IFDEL)
		slaacd_parent_ifchange(h->peer, NULL);
	else {
		slaacd_log(LOG_ERR, "message type %u from the %s not for the "
		    "parent", h->type, c->name);
		return -1;
	}
	return 0;
}

static struct event_base *base;
static int failed;		/* a child failed: the loop ended for it */

static void
on_conn(evutil_socket_t fd, short what, void *arg)
{
	static uint8_t p[SLAACD_MSGMAX];
	struct slaacd_conn *c = arg;
	struct slaacd_hdr h;
	int	 n;

	if ((n = slaacd_conn_read(c)) <= 0) {
		slaacd_log(LOG_ERR, "lost the %s process", c->name);
		goto fail;
	}
	while ((n = slaacd_conn_get(c, &h, p)) == 1)
		if (handle(c, &h, p) == -1)
			goto fail;
	if (n == 0)
		return;
fail:
	failed = 1;
	event_base_loopbreak(base);
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	quit = sig;
	event_base_loopbreak(base);
}

/* The parent's loop: 0 at a signal, 1 when a child failed. */
static int
parent_loop(int efd, int ffd)
{
	struct event *ev[4];
	int	 i, r = 0;

	slaacd_conn_init(&ec, efd, "engine");
	slaacd_conn_init(&fc, ffd, "frontend");
	if ((base = slaacd_event_base()) == NULL)
		return 1;
	/* the frontend's first: see frontend_sync */
	ev[0] = event_new(base, ffd, EV_READ | EV_PERSIST, on_conn, &fc);
	ev[1] = event_new(base, efd, EV_READ | EV_PERSIST, on_conn, &ec);
	ev[2] = evsignal_new(base, SIGTERM, on_signal, NULL);
	ev[3] = evsignal_new(base, SIGINT, on_signal, NULL);
	for (i = 0; i < 4; i++)
		if (ev[i] == NULL || event_add(ev[i], NULL) == -1)
			r = 1;
	if (r == 1)
		slaacd_log(LOG_ERR, "cannot make the event loop");
	else if (!quit)
		(void)event_base_dispatch(base);
	for (i = 0; i < 4; i++)
		if (ev[i] != NULL)
			event_free(ev[i]);
	event_base_free(base);
	return r == 1 || failed ? 1 : 0;
}

int
main(int argc, char *argv[])
{
	const char *temp[SLAACD_MAXIFS];
	int	 ntemp = 0, j;
	struct passwd *pw;
	struct sigaction sa;
	int	 ch, i, pe[2], pf[2], fe[2], fds[6], rc;
	pid_t	 epid, fpid;
	const char *secretfile;

	opts.user = "_slaacd";
	opts.chroot = "/var/empty";
	opts.dnsfile = "/run/slaacd.resolv.conf";
	secretfile = SLAACD_SECRET;
	opts.sock = "/run/slaacd.sock";
	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	while ((ch = getopt(argc, argv, "def:k:r:s:t:u:vV")) != -1) {
		switch (ch) {
		case 'd':
			opts.foreground = 1;
			break;
		case 'e':
			opts.eui64 = 1;
			break;
		case 'f':
			opts.dnsfile = optarg;
			break;
		case 'k':
			secretfile = optarg;
			break;
		case 'r':
			opts.chroot = optarg;
			break;
		case 's':
			opts.sock = optarg;
			break;
		case 't':
			if (ntemp == SLAACD_MAXIFS)
				usage(2);
			temp[ntemp++] = optarg;
			break;
		case 'u':
			opts.user = optarg;
			break;
		case 'v':
			opts.verbose = 1;
			break;
		case 'V':
			printf("slaacd %s\n", IPIFC_VERSION);
			return 0;
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > SLAACD_MAXIFS)
		usage(2);
	opts.all = argc == 0;
	slaacd_log_init(opts.foreground, opts.verbose);
	if (geteuid() != 0) {
		slaacd_log(LOG_ERR, "must be started as root");
		return 1;
	}
	if ((pw = getpwnam(opts.user)) == NULL) {
		slaacd_log(LOG_ERR, "no user %s", opts.user);
		return 1;
	}
	if (pw->pw_uid == 0) {
		slaacd_log(LOG_ERR, "user %s is root: refusing to run the "
		    "engine as root", opts.user);
		return 1;
	}
	opts.uid = pw->pw_uid;
	opts.gid = pw->pw_gid;
	/* the frontend picks them up when they are there, now or later */
	for (i = 0; i < argc; i++) {
		if (strlen(argv[i]) >= sizeof(opts.names[0])) {
			slaacd_log(LOG_ERR, "%s: name too long", argv[i]);
			return 1;
		}
		if (inlist(opts.names, opts.nnames, argv[i])) {
			slaacd_log(LOG_ERR, "%s: named twice", argv[i]);
			return 1;
		}
		if (if_nametoindex(argv[i]) == 0)
			slaacd_log(LOG_WARNING, "%s: no such interface yet",
			    argv[i]);
		snprintf(opts.names[opts.nnames++], sizeof(opts.names[0]), "%s",
		    argv[i]);
	}
	for (j = 0; j < ntemp; j++) {
		if (strlen(temp[j]) >= sizeof(opts.tempnames[0]) ||
		    (!opts.all && !inlist(opts.names, opts.nnames, temp[j]))) {
			slaacd_log(LOG_ERR, "-t %s: not a managed interface",
			    temp[j]);
			return 1;
		}
		snprintf(opts.tempnames[opts.ntemp++], sizeof(opts.tempnames[0]), "%s",
		    temp[j]);
	}
	if (sock_alive(opts.sock)) {
		slaacd_log(LOG_ERR, "%s: another slaacd answers there", opts.sock);
		return 1;
	}
	if (!opts.foreground && daemon(0, 0) == -1) {
		slaacd_log(LOG_ERR, "daemon: %s", strerror(errno));
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = onsignal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pe) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pf) == -1 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fe) == -1) {
		slaacd_log(LOG_ERR, "socketpair: %s", strerror(errno));
		return 1;
	}
	fds[0] = pe[0]; fds[1] = pe[1]; fds[2] = pf[0];
	fds[3] = pf[1]; fds[4] = fe[0]; fds[5] = fe[1];
	if ((epid = spawn(&opts, pe[1], fe[1], fds, 1)) == -1 ||
	    (fpid = spawn(&opts, pf[1], fe[0], fds, 0)) == -1) {
		slaacd_log(LOG_ERR, "fork: %s", strerror(errno));
		return 1;
	}
	close(pe[1]);
	close(pf[1]);
	close(fe[0]);
	close(fe[1]);
	slaacd_log(LOG_INFO, "started: engine %d, frontend %d", (int)epid,
	    (int)fpid);

	rc = secret(pe[0], secretfile) == -1 || slaacd_parent_init(&opts) ==
	    -1 ? 1 : parent_loop(pe[0], pf[0]);
	if (quit)
		slaacd_log(LOG_INFO, "signal %d: shutting down", (int)quit);
	else
		quit = -1;
	/*
	 * Closing our ends tells the children to exit: the frontend
	 * first, as it takes the engine's end for a failure.
	 */
	close(pf[0]);
	reap(fpid, "frontend");
	close(pe[0]);
	reap(epid, "engine");
	slaacd_parent_fini();
	(void)unlink(opts.sock);
	slaacd_log(LOG_INFO, "exiting");
	return rc;
}
