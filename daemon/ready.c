/*
 * Telling whoever started ipifcd that it serves: once the stack process
 * has applied its configuration (-f) and is about to serve its socket.
 *
 * - Without -d the daemon detaches (as daemon(3): fork, setsid, "/",
 *   /dev/null), but the process that was started waits on a pipe and
 *   exits 0 only when the stack process writes to it, 1 when the pipe
 *   closes unwritten (the start failed: its reason is in the log).  So a
 *   script that started ipifcd finds the socket there and the file
 *   applied, and a failed start gives a nonzero status.
 * - Under systemd (Type=notify) $NOTIFY_SOCKET names a datagram socket:
 *   it is connected here, as root and before the chroot, and the stack
 *   process, confined, sends "READY=1" on it with write(2), which its
 *   filter allows (sd_notify(3)'s protocol, without libsystemd).  The
 *   sender is not the main process: the unit needs NotifyAccess=all.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipifcd.h"

static int readyfd = -1;	/* the pipe to the process that was started */
static int notifyfd = -1;	/* $NOTIFY_SOCKET, connected */

static int
notify_open(const char *path)
{
	struct sockaddr_un sun;
	socklen_t len;
	size_t n = strlen(path);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sun.sun_path)) {
		ipifcd_log(LOG_ERR, "NOTIFY_SOCKET %s: not a socket path", path);
		return -1;
	}
	memcpy(sun.sun_path, path, n);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';	/* the abstract namespace */
	len = offsetof(struct sockaddr_un, sun_path) + n;
	if ((notifyfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(notifyfd, (struct sockaddr *)&sun, len) == -1) {
		ipifcd_log(LOG_ERR, "NOTIFY_SOCKET %s: %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
detach(void)
{
	int p[2], fd;
	ssize_t n;
	char c;

	if (pipe2(p, O_CLOEXEC) == -1) {
		ipifcd_log(LOG_ERR, "pipe: %s", strerror(errno));
		return -1;
	}
	switch (fork()) {
	case -1:
		ipifcd_log(LOG_ERR, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	case 0:
		break;
	default:
		close(p[1]);
		while ((n = read(p[0], &c, 1)) == -1 && errno == EINTR)
			;
		/* no cleanup: the socket and the devices are the child's */
		_exit(n == 1 ? 0 : 1);
	}
	close(p[0]);
	readyfd = p[1];
	if (setsid() == -1 || chdir("/") == -1 ||
	    (fd = open("/dev/null", O_RDWR)) == -1) {
		ipifcd_log(LOG_ERR, "detach: %s", strerror(errno));
		return -1;
	}
	(void)dup2(fd, STDIN_FILENO);
	(void)dup2(fd, STDOUT_FILENO);
	(void)dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

int
ipifcd_ready_init(int background)
{
	const char *path = getenv("NOTIFY_SOCKET");

	if (path != NULL && *path != '\0' && notify_open(path) == -1)
		return -1;
	return background ? detach() : 0;
}

void
ipifcd_ready_close(void)
{
	if (readyfd != -1)
		close(readyfd);
	if (notifyfd != -1)
		close(notifyfd);
	readyfd = notifyfd = -1;
}

void
ipifcd_ready(void)
{
	static const char msg[] = "READY=1\n";

	if (readyfd != -1 && write(readyfd, "r", 1) != 1)
		ipifcd_log(LOG_WARNING, "ready pipe: %s", strerror(errno));
	if (notifyfd != -1 && write(notifyfd, msg, sizeof(msg) - 1) == -1)
		ipifcd_log(LOG_WARNING, "NOTIFY_SOCKET: %s", strerror(errno));
	ipifcd_ready_close();
}
