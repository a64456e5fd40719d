/*
 * The RFC 7217 secret key of host mode, kept in a file (ipifcd -k FILE).
 * The file is made once, from getrandom(2), with mode 0600: written to
 * FILE.new (O_CREAT|O_EXCL), synced, then renamed over FILE, so that a
 * crash never leaves a short key under the real name.  A file that exists
 * but cannot be read, or holds another number of bytes, is an error: a
 * silent new key would be a new identity on every network.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ipifcd.h"

/* Make the key file; 0 or -1 with the reason in err. */
static int
secret_make(const char *path, uint8_t *key, size_t len, char *err,
    size_t errlen)
{
	char tmp[4096], dir[4096];
	ssize_t n;
	size_t got = 0;
	int fd, dfd;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp) ||
	    snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir)) {
		snprintf(err, errlen, "%s: name too long", path);
		return -1;
	}
	/* the default's directory; one level, owner only */
	if (mkdir(dirname(dir), 0700) == -1 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (got < len) {
		if ((n = getrandom(key + got, len - got, 0)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write(fd, key, len) != (ssize_t)len || fsync(fd) == -1) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	/* the rename itself reaches the disk */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
}

int
ipifcd_secret_load(const char *path, uint8_t *key, size_t len, char *err,
    size_t errlen)
{
	uint8_t extra;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return secret_make(path, key, len, err, errlen) ==
			    0 ? 1 : -1;
		snprintf(err, errlen, "secret %s: %s", path, strerror(errno));
		return -1;
	}
	while (got < len) {
		if ((n = read(fd, key + got, len - got)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	n = got == len ? read(fd, &extra, 1) : 0;
	close(fd);
	if (got != len || n != 0) {
		snprintf(err, errlen, "secret %s: not %zu bytes (remove it "
		    "to make a new identity)", path, len);
		return -1;
	}
	return 0;
}
