/*
 * ctlpoke: a misbehaving client of ipifcd's control socket, for
 * ctlsock.sh.
 *
 *	ctlpoke SOCKET send	send stdin as it is, shut down the write
 *				side, print the answer
 *	ctlpoke SOCKET hold S	send stdin, then hold the connection open
 *				S seconds without a word more; print
 *				whatever came back
 *	ctlpoke SOCKET drop	send stdin and close at once, not reading
 *	ctlpoke SOCKET trickle S
 *				send stdin a byte every half second for S
 *				seconds at most (a slow client); print
 *				whatever came back, then "closed after N s"
 *				if the daemon closed first, else "still open"
 *
 * Exit 0 if the socket took the bytes, 1 otherwise.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char buf[1 << 20];

static int
dial(const char *path)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -1;
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Print what comes back until end of file or the deadline (ms). */
static void
answer(int fd, long ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;
	ssize_t n;
	long left = ms;
	char rb[4096];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left > 0 && poll(&pfd, 1, (int)left) > 0) {
		if ((n = read(fd, rb, sizeof(rb))) <= 0)
			return;
		fwrite(rb, 1, (size_t)n, stdout);
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = ms - ((t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000);
	}
}

/* A byte every 500 ms, reading what comes back, until s seconds pass. */
static void
trickle(int fd, size_t len, long s)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct timespec t0, t;
	size_t off = 0;
	ssize_t n;
	long ms;
	char rb[4096];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 +
		    (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms >= s * 1000) {
			printf("still open\n");
			return;
		}
		if (off < len && send(fd, buf + off, 1, MSG_NOSIGNAL) == 1)
			off++;
		if (poll(&pfd, 1, 500) > 0) {
			if ((n = read(fd, rb, sizeof(rb))) > 0) {
				fwrite(rb, 1, (size_t)n, stdout);
				continue;
			}
			clock_gettime(CLOCK_MONOTONIC, &t);
			printf("closed after %ld s\n", (long)(t.tv_sec -
			    t0.tv_sec));
			return;
		}
	}
}

int
main(int argc, char *argv[])
{
	size_t len = 0;
	ssize_t n;
	int fd;

	if (argc < 3) {
		fprintf(stderr,
		    "usage: ctlpoke SOCKET send|hold S|drop|trickle S\n");
		return 2;
	}
	while (len < sizeof(buf) &&
	    (n = read(0, buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	if ((fd = dial(argv[1])) == -1) {
		fprintf(stderr, "ctlpoke: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (strcmp(argv[2], "trickle") == 0 && argc == 4) {
		trickle(fd, len, atol(argv[3]));
		close(fd);
		return 0;
	}
	if (len > 0 && send(fd, buf, len, MSG_NOSIGNAL) == -1 &&
	    errno != ECONNRESET && errno != EPIPE) {
		fprintf(stderr, "ctlpoke: send: %s\n", strerror(errno));
		return 1;
	}
	if (strcmp(argv[2], "send") == 0) {
		shutdown(fd, SHUT_WR);
		answer(fd, 10000);
	} else if (strcmp(argv[2], "hold") == 0 && argc == 4)
		answer(fd, atol(argv[3]) * 1000);
	else if (strcmp(argv[2], "drop") != 0) {
		fprintf(stderr, "ctlpoke: bad mode %s\n", argv[2]);
		return 2;
	}
	close(fd);
	return 0;
}
