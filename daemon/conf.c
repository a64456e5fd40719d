/*
 * ipifcd -f FILE: namespace writes applied at start, before any client.
 *
 * One write a line, "PATH TEXT" (as `ipifc write PATH TEXT` sends it);
 * blank lines and lines whose first non-blank byte is '#' are skipped.
 * Each goes through ipifc_write, as a control socket write does (and
 * `busypoll USEC`, the daemon's own, through ipifcd_busypoll_set).  The
 * first that fails stops the start: "FILE:LINE: message" is logged and
 * the stack process's exit unbinds every interface (ipifcd.c), so what
 * the file made goes, a TAP or TUN device with it.
 *
 * The file is root's (/etc/ipifc/ipifcd.conf): main reads it whole
 * before the fork, as root and outside the chroot, and the stack
 * process parses it after it has dropped its privileges (priv.c), as it
 * would parse a client's request.  The privileged parent never sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipifcd.h"

#define IPIFCD_CONFMAX	(1 << 20)	/* bytes of a configuration file */
#define IPIFCD_CONFLINE	8192		/* a line, as a control request */

char *
ipifcd_conf_read(const char *file)
{
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1) {
		ipifcd_log(LOG_ERR, "%s: %s", file, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(IPIFCD_CONFMAX + 1)) == NULL) {
		ipifcd_log(LOG_ERR, "%s: out of memory", file);
		close(fd);
		return NULL;
	}
	for (;;) {
		n = read(fd, buf + len, IPIFCD_CONFMAX + 1 - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
		if (len > IPIFCD_CONFMAX)
			break;
	}
	close(fd);
	if (n == -1) {
		ipifcd_log(LOG_ERR, "%s: %s", file, strerror(errno));
		free(buf);
		return NULL;
	}
	if (len > IPIFCD_CONFMAX) {
		ipifcd_log(LOG_ERR, "%s: longer than %d bytes", file,
		    IPIFCD_CONFMAX);
		free(buf);
		return NULL;
	}
	if (memchr(buf, '\0', len) != NULL) {
		ipifcd_log(LOG_ERR, "%s: a NUL byte: not a text file", file);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int
ipifcd_conf_apply(struct ipifcd *d, const char *file, char *text)
{
	char reply[256], *line, *next, *path, *arg, *end;
	const char *err;
	int lineno = 0, n = 0;

	for (line = text; line != NULL && *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strlen(line) >= IPIFCD_CONFLINE) {
			ipifcd_log(LOG_ERR, "%s:%d: line longer than %d bytes",
			    file, lineno, IPIFCD_CONFLINE - 1);
			return -1;
		}
		end = line + strlen(line);
		while (end > line && (end[-1] == '\r' || end[-1] == ' ' ||
		    end[-1] == '\t'))
			*--end = '\0';
		path = line + strspn(line, " \t");
		if (*path == '\0' || *path == '#')
			continue;
		arg = path + strcspn(path, " \t");
		if (*arg != '\0') {
			*arg++ = '\0';
			arg += strspn(arg, " \t");
		}
		if (*arg == '\0') {
			ipifcd_log(LOG_ERR, "%s:%d: %s: no text to write",
			    file, lineno, path);
			return -1;
		}
		ipifcd_advance(d);
		if (strcmp(path, "busypoll") == 0)
			err = ipifcd_busypoll_set(d, arg);
		else
			err = ipifc_write(d->stack, d->self, path, arg, reply,
			    sizeof(reply));
		if (err != NULL) {
			ipifcd_log(LOG_ERR, "%s:%d: %s", file, lineno, err);
			return -1;
		}
		n++;
	}
	ipifcd_log(LOG_INFO, "%s: %d writes applied", file, n);
	ipifcd_kick(d);
	return 0;
}
