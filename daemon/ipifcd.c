/*
 * ipifcd [-d] [-f CONF] [-s SOCKET] [-k FILE] [-u USER] [-c DIR] [-m N]
 * [-b USEC]: run
 * one ipifc stack on the real clock, serve its namespace on SOCKET (default
 * /run/ipifc/ctl, mode 0600, root's).  FILE holds host mode's RFC 7217
 * secret (default /var/lib/ipifc/secret, made once if missing; see
 * secret.c).  The stack runs as USER (default _ipifc, else nobody),
 * chrooted and filtered, beside a privileged parent (priv.c); `capture`
 * makes new files in DIR only (default /var/lib/ipifc/capture).  CONF's
 * namespace writes are applied before any client is served (conf.c).
 * At most N clients (default 16) monitor the stack's events (ctlsock.h).
 * USEC: busy polling, the µs the daemon looks at its links' rings after
 * the last frame before it sleeps again (default 0: off; busypoll.c).
 *
 * -d keeps it in the foreground and logs to stderr; without it the
 * daemon detaches and logs to syslog, and the process that was started
 * exits once the daemon serves, 1 if it never does (ready.c), so a
 * script that started it can talk to it at once.
 *
 * SIGTERM, SIGINT or SIGHUP (there is nothing to reload): every interface
 * is unbound (a TAP or TUN device the daemon made goes away with it), the
 * socket is removed, exit 0.
 *
 * The stack's id, which its deterministic MACs (02:00:ID:ID:ID:N) carry,
 * is a hash of SOCKET: two daemons on one link differ, and a restarted
 * daemon keeps its MACs.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctlsock.h"
#include "ipifcd.h"

#define IPIFCD_CTLSOCK	"/run/ipifc/ctl"
#define IPIFCD_MAXCALLBACKS	16	/* a pass's callbacks, at most */

static void	usage(int) __attribute__((noreturn));

/* On stdout with status 0 when asked for (--help), else on stderr. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: ipifcd [-d] [-f CONF] [-s SOCKET] [-k FILE] [-u USER] "
	    "[-c DIR] [-m N] [-b USEC]\n"
	    "       ipifcd -V | --help\n");
	exit(status);
}

/*
 * The loop looks at its descriptors and timers again after at most
 * IPIFCD_MAXCALLBACKS callbacks, even while callbacks keep making others
 * active (linkops.c reads a link again at once after a send that brought
 * frames): the control socket and the timers are never starved.
 */
static struct event_base *
loop_new(void)
{
	struct event_config *cfg;
	struct event_base *b;

	if ((cfg = event_config_new()) == NULL)
		return NULL;
	if (event_config_set_max_dispatch_interval(cfg, NULL,
	    IPIFCD_MAXCALLBACKS, 0) == -1) {
		event_config_free(cfg);
		return NULL;
	}
	b = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return b;
}

/* FNV-1a, folded to the 24 bits a MAC has room for; never 0. */
static uint32_t
stack_id(const char *path)
{
	uint32_t h = 2166136261u;

	for (; *path != '\0'; path++) {
		h ^= (uint8_t)*path;
		h *= 16777619u;
	}
	h = (h >> 24 ^ h) & 0xffffff;
	return h != 0 ? h : 1;
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct ipifcd *d = arg;

	ipifcd_log(LOG_INFO, "signal %d: shutting down", (int)sig);
	event_base_loopbreak(d->base);
}

/* Unbind every interface, as a client writing "unbind" would. */
static void
unbind_all(struct ipifcd *d)
{
	char path[32];
	const char *err;
	int i;

	if (d->stack == NULL)
		return;
	ipifcd_advance(d);
	for (i = 0; i < IPIFCD_MAXIFC; i++) {
		snprintf(path, sizeof(path), "ipifc/%d/ctl", i);
		err = ipifc_write(d->stack, d->self, path, "unbind", NULL, 0);
		if (err == NULL)
			ipifcd_log(LOG_INFO, "interface %d: unbound", i);
	}
}

int
main(int argc, char *argv[])
{
	struct ipifcd d;
	struct event *sigterm = NULL, *sigint = NULL, *sighup = NULL;
	const char *sock = IPIFCD_CTLSOCK, *keyfile = IPIFCD_SECRET;
	const char *user = NULL, *capdir = IPIFCD_CAPDIR, *conffile = NULL;
	char *conf = NULL;
	uint8_t key[IPIFCD_SECRETLEN];
	char err[512];
	const char *errp;
	int ch, foreground = 0, rc = 1, made;
	int maxmonitors = IPIFCD_CTL_MONITORS;
	const char *busypoll = NULL;
	char *end;
	long l;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	while ((ch = getopt(argc, argv, "df:s:k:u:c:m:b:V")) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			conffile = optarg;
			break;
		case 's':
			sock = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		case 'c':
			capdir = optarg;
			break;
		case 'm':
			errno = 0;
			l = strtol(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' ||
			    l < 0 || l > IPIFCD_CTL_MAXMONITORS) {
				fprintf(stderr, "ipifcd: -m %s: want 0 to %d "
				    "monitors\n", optarg,
				    IPIFCD_CTL_MAXMONITORS);
				usage(2);
			}
			maxmonitors = (int)l;
			break;
		case 'b':
			busypoll = optarg;
			break;
		case 'V':
			printf("ipifcd %s\n", IPIFC_VERSION);
			return 0;
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);

	/* nothing a caller left open reaches either process */
	closefrom(3);
	memset(&d, 0, sizeof(d));
	d.maxmonitors = maxmonitors;
	if (busypoll != NULL &&
	    (errp = ipifcd_busypoll_set(&d, busypoll)) != NULL) {
		fprintf(stderr, "ipifcd: -b %s: %s\n", busypoll, errp);
		usage(2);
	}
	/* errors before the detach go to the terminal */
	ipifcd_log_init(1);
	signal(SIGPIPE, SIG_IGN);
	if (ipifcd_priv_setup(user, capdir) == -1 ||
	    ipifcd_ctlsock_open(&d, sock) == -1)
		goto out;
	/* before the privileges go: the key file is root's */
	if ((made = ipifcd_secret_load(keyfile, key, sizeof(key), err,
	    sizeof(err))) == -1) {
		ipifcd_log(LOG_ERR, "%s", err);
		goto out;
	}
	if (made)
		ipifcd_log(LOG_NOTICE, "made a new RFC 7217 secret in %s",
		    keyfile);
	/* root's too; parsed only by the stack process, once confined */
	if (conffile != NULL && (conf = ipifcd_conf_read(conffile)) == NULL)
		goto out;
	if (ipifcd_ready_init(!foreground) == -1)
		goto out;
	if (!foreground)
		ipifcd_log_init(0);
	switch (ipifcd_priv_fork()) {
	case -1:
		goto out;
	case 1:
		/* the parent: the key is the stack process's alone */
		explicit_bzero(key, sizeof(key));
		ipifcd_ready_close();
		rc = ipifcd_priv_parent();
		goto out;
	}
	d.stackproc = 1;

	if ((d.base = loop_new()) == NULL) {
		ipifcd_log(LOG_ERR, "cannot make the event loop");
		goto out;
	}
	if (ipifcd_loop_init(&d, stack_id(sock)) == -1 ||
	    ipifcd_links_init(&d) == -1 || ipifcd_carrier_init(&d) == -1 ||
	    ipifcd_pings_init(&d) == -1 ||
	    ipifcd_ctlsock_start(&d) == -1)
		goto out;
	if (ipifc_slaac_attach(d.stack, key, sizeof(key)) < 0) {
		ipifcd_log(LOG_ERR, "cannot attach host mode");
		goto out;
	}
	explicit_bzero(key, sizeof(key));
	sigterm = evsignal_new(d.base, SIGTERM, on_signal, &d);
	sigint = evsignal_new(d.base, SIGINT, on_signal, &d);
	sighup = evsignal_new(d.base, SIGHUP, on_signal, &d);
	if (sigterm == NULL || sigint == NULL || sighup == NULL ||
	    evsignal_add(sigterm, NULL) == -1 ||
	    evsignal_add(sigint, NULL) == -1 ||
	    evsignal_add(sighup, NULL) == -1) {
		ipifcd_log(LOG_ERR, "cannot catch signals");
		goto out;
	}
	if (ipifcd_priv_watch(d.base) == -1 || ipifcd_priv_drop() == -1)
		goto out;
	if (conf != NULL && ipifcd_conf_apply(&d, conffile, conf) == -1)
		goto out;
	ipifcd_log(LOG_INFO, "serving %s (pid %ld)", sock, (long)getpid());
	ipifcd_ready();
	ipifcd_kick(&d);
	if (ipifcd_run(&d) == -1) {
		ipifcd_log(LOG_ERR, "event loop failed");
		goto out;
	}
	rc = ipifcd_priv_lost();
out:
	ipifcd_priv_unwatch();
	free(conf);
	ipifcd_ctlsock_close(&d);
	unbind_all(&d);
	ipifcd_pings_free(&d);
	ipifcd_carrier_free(&d);
	ipifcd_links_free(&d);
	ipifcd_loop_free(&d);
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	if (sighup != NULL)
		event_free(sighup);
	if (d.base != NULL)
		event_base_free(d.base);
	if (rc == 0)
		ipifcd_log(LOG_INFO, "exit");
	return rc;
}
