/*
 * slaacd [-dev] [-f DNSFILE] [-r CHROOT] [-s SOCKET] [-t IFACE] [-u USER]
 *     IFACE...
 *
 * IPv6 stateless address autoconfiguration for a Linux host: the SLAAC
 * engine (slaac/) configures the kernel's addresses and routes.  Three
 * processes (daemon/slaacd.h): this parent, privileged, which alone
 * changes the kernel; a frontend that talks to the network; an engine
 * with no privileges.  A child that ends ends the daemon.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <pwd.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "slaacd.h"

static volatile sig_atomic_t quit;

static void
usage(void)
{
	fprintf(stderr, "usage: slaacd [-dev] [-f dnsfile] [-r chroot] "
	    "[-s socket] [-t iface]\n\t[-u user] iface ...\n");
	exit(2);
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

	for (i = 0; i < o->nifs; i++)
		if (o->ifindex[i] == ifindex && ifindex != 0)
			return i;
	return -1;
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
spawn(const struct slaacd_opts *o, int keep1, int keep2, int fds[6],
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

/* A proposal from the engine: carry it out, answer. */
static int
proposal(int efd, const struct slaacd_hdr *h, const uint8_t *p)
{
	struct sm_proposal pr;
	struct sm_result r;

	memcpy(&pr, p, sizeof(pr));
	r.seq = pr.seq;
	r.err = -slaacd_parent_apply(&pr.act);
	return slaacd_send(efd, SM_RESULT, h->peer, &r, sizeof(r));
}

/* The parent's loop: 0 at a signal, 1 when a child failed. */
static int
parent_loop(int efd, int ffd)
{
	static uint8_t p[SLAACD_MSGMAX];
	static struct slaacd_conn ec, fc;
	struct slaacd_conn *c;
	struct slaacd_hdr h;
	struct pollfd pfds[2];
	int32_t	 prio;
	int	 i, n;

	slaacd_conn_init(&ec, efd, "engine");
	slaacd_conn_init(&fc, ffd, "frontend");
	while (!quit) {
		pfds[0].fd = efd;
		pfds[1].fd = ffd;
		pfds[0].events = pfds[1].events = POLLIN;
		if (poll(pfds, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			slaacd_log(LOG_ERR, "poll: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < 2; i++) {
			if (pfds[i].revents == 0)
				continue;
			c = i == 0 ? &ec : &fc;
			if ((n = slaacd_conn_read(c)) <= 0) {
				slaacd_log(LOG_ERR, "lost the %s process",
				    c->name);
				return 1;
			}
			while ((n = slaacd_conn_get(c, &h, p)) == 1) {
				if (c == &fc && h.type == SM_CTL_LOG) {
					memcpy(&prio, p, sizeof(prio));
					slaacd_verbose = prio != 0;
				} else if (h.type == SM_LOG) {
					memcpy(&prio, p, sizeof(prio));
					p[h.len - 1] = '\0';
					slaacd_log_line(prio & LOG_PRIMASK,
					    (char *)p + sizeof(prio));
				} else if (c == &ec && h.type == SM_PROPOSAL) {
					if (proposal(efd, &h, p) == -1)
						return 1;
				} else {
					slaacd_log(LOG_ERR, "message type %u "
					    "from the %s not for the parent",
					    h.type, c->name);
					return 1;
				}
			}
			if (n == -1)
				return 1;
		}
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct slaacd_opts o;
	const char *temp[SLAACD_MAXIFS];
	int	 ntemp = 0, j;
	struct passwd *pw;
	struct sigaction sa;
	int	 ch, i, pe[2], pf[2], fe[2], fds[6], rc;
	pid_t	 epid, fpid;

	o.user = "_slaacd";
	o.chroot = "/var/empty";
	o.dnsfile = "/run/slaacd.resolv.conf";
	o.sock = "/run/slaacd.sock";
	while ((ch = getopt(argc, argv, "def:r:s:t:u:v")) != -1) {
		switch (ch) {
		case 'd':
			o.foreground = 1;
			break;
		case 'e':
			o.eui64 = 1;
			break;
		case 'f':
			o.dnsfile = optarg;
			break;
		case 'r':
			o.chroot = optarg;
			break;
		case 's':
			o.sock = optarg;
			break;
		case 't':
			if (ntemp == SLAACD_MAXIFS)
				usage();
			temp[ntemp++] = optarg;
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'v':
			o.verbose = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || argc > SLAACD_MAXIFS)
		usage();
	slaacd_log_init(o.foreground, o.verbose);
	if (geteuid() != 0) {
		slaacd_log(LOG_ERR, "must be started as root");
		return 1;
	}
	if ((pw = getpwnam(o.user)) == NULL) {
		slaacd_log(LOG_ERR, "no user %s", o.user);
		return 1;
	}
	if (pw->pw_uid == 0) {
		slaacd_log(LOG_ERR, "user %s is root: refusing to run the "
		    "engine as root", o.user);
		return 1;
	}
	o.uid = pw->pw_uid;
	o.gid = pw->pw_gid;
	for (i = 0; i < argc; i++) {
		unsigned ifindex;

		if (strlen(argv[i]) >= sizeof(o.ifname[0]) ||
		    (ifindex = if_nametoindex(argv[i])) == 0) {
			slaacd_log(LOG_ERR, "%s: no such interface", argv[i]);
			return 1;
		}
		if (slaacd_managed(&o, ifindex) != -1) {
			slaacd_log(LOG_ERR, "%s: named twice", argv[i]);
			return 1;
		}
		o.ifindex[i] = ifindex;
		snprintf(o.ifname[i], sizeof(o.ifname[i]), "%s", argv[i]);
		o.nifs++;
	}
	for (j = 0; j < ntemp; j++) {
		for (i = 0; i < o.nifs; i++)
			if (strcmp(o.ifname[i], temp[j]) == 0)
				break;
		if (i == o.nifs) {
			slaacd_log(LOG_ERR, "-t %s: not a managed interface",
			    temp[j]);
			return 1;
		}
		o.temporary[i] = 1;
	}
	if (sock_alive(o.sock)) {
		slaacd_log(LOG_ERR, "%s: another slaacd answers there", o.sock);
		return 1;
	}
	if (!o.foreground && daemon(0, 0) == -1) {
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
	if ((epid = spawn(&o, pe[1], fe[1], fds, 1)) == -1 ||
	    (fpid = spawn(&o, pf[1], fe[0], fds, 0)) == -1) {
		slaacd_log(LOG_ERR, "fork: %s", strerror(errno));
		return 1;
	}
	close(pe[1]);
	close(pf[1]);
	close(fe[0]);
	close(fe[1]);
	slaacd_log(LOG_INFO, "started: engine %d, frontend %d", (int)epid,
	    (int)fpid);

	rc = slaacd_parent_init(&o) == -1 ? 1 : parent_loop(pe[0], pf[0]);
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
	(void)unlink(o.sock);
	slaacd_log(LOG_INFO, "exiting");
	return rc;
}
