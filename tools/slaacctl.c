/*
 * slaacctl [-s SOCKET] COMMAND: one command to slaacd's control socket,
 * its answer to stdout.  Commands: show interface [NAME], send
 * solicitation NAME, log verbose|brief.  Exit 1 when slaacd answers
 * with an error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void	usage(int) __attribute__((noreturn));

/* On stdout with status 0 when asked for (--help), else on stderr. */
static void
usage(int status)
{
	fprintf(status == 0 ? stdout : stderr,
	    "usage: slaacctl [-s socket] command [argument ...]\n"
	    "       slaacctl -V | --help\n"
	    "commands: show interface [name], send solicitation name, "
	    "log verbose|brief\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	const char *path = "/run/slaacd.sock";
	struct sockaddr_un sun;
	char	 line[256], buf[4096];
	size_t	 len = 0, off;
	ssize_t	 n;
	int	 ch, fd, i, first = 1, err = 0;

	if (argc == 2 && strcmp(argv[1], "--help") == 0)
		usage(0);
	while ((ch = getopt(argc, argv, "s:V")) != -1) {
		switch (ch) {
		case 's':
			path = optarg;
			break;
		case 'V':
			printf("slaacctl %s\n", IPIFC_VERSION);
			return 0;
		default:
			usage(2);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage(2);
	line[0] = '\0';
	for (i = 0; i < argc; i++) {
		if (len + strlen(argv[i]) + 2 > sizeof(line))
			usage(2);
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
		    i > 0 ? " " : "", argv[i]);
	}
	line[len++] = '\n';
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "slaacctl: %s: name too long\n", path);
		return 1;
	}
	strcpy(sun.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "slaacctl: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (off = 0; off < len; off += (size_t)n)
		if ((n = write(fd, line + off, len - off)) <= 0) {
			fprintf(stderr, "slaacctl: write: %s\n",
			    strerror(errno));
			return 1;
		}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && (size_t)n >= 6 && memcmp(buf, "error:", 6) == 0)
			err = 1;
		first = 0;
		fwrite(buf, 1, (size_t)n, stdout);
	}
	close(fd);
	return err;
}
