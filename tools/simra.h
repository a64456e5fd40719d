/*
 * The scenario runner's router: a port on a sim segment that sends router
 * advertisements, valid or broken on purpose, and prints the router
 * solicitations it hears.
 */
#ifndef IPIFC_SIMRA_H
#define IPIFC_SIMRA_H

#include <stdint.h>
#include <stdio.h>

#include "simseg.h"

#define SIMRA_MAX	8	/* routers (segment, address) a scenario */

struct simra;

/*
 * A router on segment seg of net with link-local address from and
 * link-layer address mac; its lines go to out, stamped with *now (ms).
 * NULL with *why set on failure.
 */
struct simra *simra_new(struct ipifc_simnet *net, const char *seg,
	    const char *from, FILE *out, const uint64_t *now,
	    const char **why);
void	simra_free(struct simra *r);
const char *simra_segment(const struct simra *r);
const char *simra_from(const struct simra *r);
/* Send the RA the words describe (see tools/simra.c).  NULL, or an error. */
const char *simra_send(struct simra *r, int argc, char **argv);

#endif
