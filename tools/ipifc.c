/*
 * ipifc: the scenario runner and the client of ipifcd.
 *
 *	ipifc sim [FILE]
 *	ipifc [-s SOCKET] read PATH
 *	ipifc [-s SOCKET] write PATH TEXT...
 *	ipifc [-s SOCKET] monitor
 *
 * The client speaks one request per connection over the daemon's UNIX
 * stream socket: it sends one line, "read PATH" or "write PATH TEXT",
 * shuts down its side, and reads the answer to end of file.  The answer
 * is a first line "ok" followed by the body (the file's text, or the
 * write's reply such as the number a write to ipifc/clone made), or a
 * single line "error MESSAGE".
 *
 * monitor sends "monitor" and keeps its side open (the daemon takes its
 * end of file for the client gone); after "ok" the daemon sends the
 * stack's events, a line each, until the client is interrupted.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim.h"

#define IPIFC_CTLSOCK	"/run/ipifc/ctl"
#define IPIFC_MAXREQ	8192		/* one request line, with newline */
#define IPIFC_MAXANSWER	(64 << 20)	/* bytes of one answer */

static void	usage(int) __attribute__((noreturn));

/* On stdout with status 0 when asked for (--help), else on stderr. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: ipifc sim [FILE]\n"
	    "       ipifc [-s SOCKET] read PATH\n"
	    "       ipifc [-s SOCKET] write PATH TEXT...\n"
	    "       ipifc [-s SOCKET] monitor\n"
	    "       ipifc -V | --help\n");
	exit(status);
}

/* Join argv into "read PATH\n" or "write PATH TEXT...\n". */
static int
request(char *buf, size_t len, int argc, char **argv)
{
	size_t n = 0, w;
	int i;

	for (i = 0; i < argc; i++) {
		if (strchr(argv[i], '\n') != NULL) {
			fprintf(stderr, "ipifc: newline in argument\n");
			return -1;
		}
		w = strlen(argv[i]);
		if (n + w + 2 > len) {
			fprintf(stderr, "ipifc: request too long (max %zu "
			    "bytes)\n", len - 1);
			return -1;
		}
		memcpy(buf + n, argv[i], w);
		n += w;
		buf[n++] = i + 1 < argc ? ' ' : '\n';
	}
	buf[n] = '\0';
	return 0;
}

static int
dial(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int
sendall(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, p, len, MSG_NOSIGNAL)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read to end of file into a NUL-terminated malloc'd buffer. */
static char *
recvall(int fd, size_t *lenp)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	ssize_t n;

	for (;;) {
		if (cap - len < 4096) {
			if (cap >= IPIFC_MAXANSWER) {
				free(buf);
				errno = EMSGSIZE;
				return NULL;
			}
			cap = cap == 0 ? 8192 : cap * 2;
			if ((nbuf = realloc(buf, cap + 1)) == NULL) {
				free(buf);
				return NULL;
			}
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len)) == -1) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

static int
client(const char *sock, int argc, char **argv)
{
	char req[IPIFC_MAXREQ], *ans, *body;
	size_t len;
	int fd, senderr, rc = 1;

	if (request(req, sizeof(req), argc, argv) == -1)
		return 1;
	if ((fd = dial(sock)) == -1) {
		fprintf(stderr, "ipifc: cannot reach ipifcd at %s: %s\n",
		    sock, strerror(errno));
		return 1;
	}
	/*
	 * A daemon that refuses us (busy) answers and closes before reading:
	 * a failed send still leaves its answer to read.
	 */
	senderr = 0;
	if (sendall(fd, req, strlen(req)) == -1)
		senderr = errno;
	else
		shutdown(fd, SHUT_WR);
	ans = recvall(fd, &len);
	close(fd);
	if (ans == NULL || (senderr != 0 && len == 0)) {
		fprintf(stderr, "ipifc: %s: %s\n", sock,
		    strerror(senderr ? senderr : errno));
		free(ans);
		return 1;
	}
	if (strncmp(ans, "ok\n", 3) == 0) {
		body = ans + 3;
		if (fwrite(body, 1, len - 3, stdout) != len - 3 ||
		    fflush(stdout) == EOF)
			fprintf(stderr, "ipifc: write error\n");
		else
			rc = 0;
	} else if (strncmp(ans, "error ", 6) == 0) {
		body = ans + 6;
		body[strcspn(body, "\n")] = '\0';
		fprintf(stderr, "ipifc: %s\n", body);
	} else
		fprintf(stderr, "ipifc: bad answer from ipifcd at %s\n", sock);
	free(ans);
	return rc;
}

static volatile sig_atomic_t stopped;

static void
on_stop(int sig)
{
	stopped = 1;
}

/*
 * Wait until fd has bytes, with SIGINT and SIGTERM let in only while
 * waiting (so none comes between the check and the wait): 1 when it
 * has, 0 when one of them came, -1.
 */
static int
wait_input(int fd, const sigset_t *waitmask)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!stopped) {
		if (ppoll(&pfd, 1, NULL, waitmask) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		return 1;
	}
	return 0;
}

/*
 * ipifc monitor: the first line answers ("ok" or "error MESSAGE"), then
 * everything that comes goes to stdout as it comes.  SIGINT or SIGTERM
 * ends it with status 0, as they end ip monitor; the daemon closing
 * (it exits) is status 1.
 */
static int
monitor(const char *sock)
{
	struct sigaction sa;
	sigset_t block, waitmask;
	char buf[8192], *nl;
	size_t have = 0, skip;
	ssize_t n;
	int fd, rc, ok = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, &waitmask) == -1 ||
	    sigaction(SIGINT, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1) {
		fprintf(stderr, "ipifc: signals: %s\n", strerror(errno));
		return 1;
	}
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	if ((fd = dial(sock)) == -1) {
		fprintf(stderr, "ipifc: cannot reach ipifcd at %s: %s\n",
		    sock, strerror(errno));
		return 1;
	}
	/* a daemon that refuses us answers anyway: read on */
	(void)sendall(fd, "monitor\n", 8);
	for (;;) {
		if ((rc = wait_input(fd, &waitmask)) <= 0)
			break;
		if ((n = read(fd, buf + have, sizeof(buf) - have)) == -1) {
			if (errno == EINTR)
				continue;
			rc = -1;
			break;
		}
		if (n == 0) {
			rc = -1;
			errno = ECONNRESET;
			break;
		}
		have += (size_t)n;
		skip = 0;
		if (!ok) {
			if ((nl = memchr(buf, '\n', have)) == NULL) {
				if (have < sizeof(buf))
					continue;
				nl = buf + have - 1;
			}
			*nl = '\0';
			if (strcmp(buf, "ok") != 0) {
				if (strncmp(buf, "error ", 6) == 0)
					fprintf(stderr, "ipifc: %s\n", buf + 6);
				else
					fprintf(stderr, "ipifc: bad answer "
					    "from ipifcd at %s\n", sock);
				close(fd);
				return 1;
			}
			ok = 1;
			skip = (size_t)(nl - buf) + 1;
		}
		if (fwrite(buf + skip, 1, have - skip, stdout) != have - skip ||
		    fflush(stdout) == EOF) {
			fprintf(stderr, "ipifc: write error\n");
			close(fd);
			return 1;
		}
		have = 0;
	}
	close(fd);
	if (rc == 0)
		return 0;
	fprintf(stderr, "ipifc: %s: %s\n", sock, ok && errno == ECONNRESET ?
	    "ipifcd closed the connection" : strerror(errno));
	return 1;
}

int
main(int argc, char *argv[])
{
	const char *sock = IPIFC_CTLSOCK;
	int ch, sflag = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	/* '+': options only before the command; TEXT may start with '-'. */
	while ((ch = getopt(argc, argv, "+s:V")) != -1) {
		switch (ch) {
		case 's':
			sock = optarg;
			sflag = 1;
			break;
		case 'V':
			printf("ipifc %s\n", IPIFC_VERSION);
			return 0;
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(2);

	if (strcmp(argv[0], "sim") == 0) {
		if (sflag || argc > 2)
			usage(2);
		return sim_main(argc == 2 ? argv[1] : NULL);
	}
	if (strcmp(argv[0], "read") == 0) {
		if (argc != 2)
			usage(2);
		return client(sock, argc, argv);
	}
	if (strcmp(argv[0], "write") == 0) {
		if (argc < 3)
			usage(2);
		return client(sock, argc, argv);
	}
	if (strcmp(argv[0], "monitor") == 0) {
		if (argc != 1)
			usage(2);
		return monitor(sock);
	}
	usage(2);
}
