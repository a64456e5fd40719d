/*
 * Logging: with -d to stderr, one line per message; else to syslog
 * (facility daemon).
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "ipifcd.h"

static int logstderr = 1;

void
ipifcd_log_init(int foreground)
{
	logstderr = foreground;
	if (!foreground)
		openlog("ipifcd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
ipifcd_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (logstderr) {
		fputs("ipifcd: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else
		vsyslog(prio, fmt, ap);
	va_end(ap);
}
