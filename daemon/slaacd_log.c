/*
 * slaacd's log: the parent writes to stderr (-d) or syslog; a child
 * sends its lines to the parent (SM_LOG), as the engine has no other
 * way out.  -v makes LOG_DEBUG lines appear.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "slaacd.h"

int slaacd_verbose;
static int logstderr = 1;
static int childfd = -1;

void
slaacd_log_init(int foreground, int verbose)
{
	logstderr = foreground;
	slaacd_verbose = verbose;
	if (!foreground)
		openlog("slaacd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
slaacd_log_child(int fd)
{
	childfd = fd;
}

void
slaacd_log_line(int prio, const char *line)
{
	if (prio == LOG_DEBUG && !slaacd_verbose)
		return;
	if (logstderr)
		fprintf(stderr, "slaacd: %s\n", line);
	else
		syslog(prio, "%s", line);
}

void
slaacd_log(int prio, const char *fmt, ...)
{
	char	 msg[1024];
	int32_t	 p = prio;
	va_list	 ap;

	if (prio == LOG_DEBUG && !slaacd_verbose)
		return;
	memcpy(msg, &p, sizeof(p));
	va_start(ap, fmt);
	vsnprintf(msg + sizeof(p), sizeof(msg) - sizeof(p), fmt, ap);
	va_end(ap);
	if (childfd == -1)
		slaacd_log_line(prio, msg + sizeof(p));
	else
		(void)slaacd_send(childfd, SM_LOG, 0, msg,
		    sizeof(p) + strlen(msg + sizeof(p)) + 1);
}
