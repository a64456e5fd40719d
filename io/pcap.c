/*
 * The pcap writer.  Records go through stdio's buffer; the first error
 * (of fwrite, or of the timestamp not fitting the format's 32 bits)
 * sticks and is what ipifc_pcap_close returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pcap.h"

#define PCAP_MAGIC	0xa1b2c3d4u	/* microsecond timestamps */
#define PCAP_MAJOR	2
#define PCAP_MINOR	4

struct ipifc_pcap {
	FILE	*f;
	int	linktype;
	int	err;		/* first error, a positive errno; 0: none */
};

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
pcap_put(struct ipifc_pcap *p, const void *buf, size_t len)
{
	if (p->err != 0 || len == 0)
		return;
	if (fwrite(buf, 1, len, p->f) != len)
		p->err = errno != 0 ? errno : EIO;
}

static struct ipifc_pcap *pcap_start(FILE *f, int linktype);

struct ipifc_pcap *
ipifc_pcap_open(const char *path, int linktype)
{
	FILE *f;

	if (path == NULL || linktype < 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((f = fopen(path, "wbe")) == NULL)
		return NULL;
	return pcap_start(f, linktype);
}

struct ipifc_pcap *
ipifc_pcap_fdopen(int fd, int linktype)
{
	FILE *f;
	int saved;

	if (fd < 0 || linktype < 0) {
		errno = EINVAL;
		return NULL;
	}
	if ((f = fdopen(fd, "wb")) == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
		return NULL;
	}
	return pcap_start(f, linktype);
}

/* Write the file header to f; f is closed on failure. */
static struct ipifc_pcap *
pcap_start(FILE *f, int linktype)
{
	struct ipifc_pcap *p;
	uint8_t h[24];
	int saved;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		saved = errno;
		fclose(f);
		errno = saved;
		return NULL;
	}
	p->f = f;
	p->linktype = linktype;
	/* magic, version, thiszone 0, sigfigs 0, snaplen, network */
	put32(h, PCAP_MAGIC);
	put16(h + 4, PCAP_MAJOR);
	put16(h + 6, PCAP_MINOR);
	put32(h + 8, 0);
	put32(h + 12, 0);
	put32(h + 16, IPIFC_PCAP_SNAPLEN);
	put32(h + 20, (uint32_t)linktype);
	errno = 0;
	pcap_put(p, h, sizeof(h));
	if (p->err == 0 && fflush(p->f) == EOF)
		p->err = errno != 0 ? errno : EIO;
	if (p->err != 0) {
		saved = p->err;
		fclose(p->f);
		free(p);
		errno = saved;
		return NULL;
	}
	return p;
}

void
ipifc_pcap_write(struct ipifc_pcap *p, uint64_t ms, const uint8_t *frame,
    size_t len)
{
	uint8_t r[16];
	uint64_t sec = ms / 1000;
	size_t caplen;

	if (p == NULL || p->err != 0)
		return;
	/* The format's seconds and lengths are 32 bits wide. */
	if (sec > UINT32_MAX || len > UINT32_MAX) {
		p->err = EOVERFLOW;
		return;
	}
	caplen = len < IPIFC_PCAP_SNAPLEN ? len : IPIFC_PCAP_SNAPLEN;
	put32(r, (uint32_t)sec);
	put32(r + 4, (uint32_t)(ms % 1000) * 1000);
	put32(r + 8, (uint32_t)caplen);
	put32(r + 12, (uint32_t)len);
	errno = 0;
	pcap_put(p, r, sizeof(r));
	pcap_put(p, frame, caplen);
}

int
ipifc_pcap_close(struct ipifc_pcap *p)
{
	int err;

	if (p == NULL)
		return 0;
	err = p->err;
	errno = 0;
	if (fclose(p->f) == EOF && err == 0)
		err = errno != 0 ? errno : EIO;
	free(p);
	return err != 0 ? -err : 0;
}

int
ipifc_pcap_linktype(const struct ipifc_pcap *p)
{
	return p->linktype;
}
