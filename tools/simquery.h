/*
 * The scenario runner's querier: a port on a sim segment that sends IGMP
 * and MLD queries and router solicitations, and prints the membership
 * reports and router advertisements it hears.
 */
#ifndef IPIFC_SIMQUERY_H
#define IPIFC_SIMQUERY_H

#include <stdint.h>
#include <stdio.h>

#include "simseg.h"

#define SIMQ_MAX	8	/* queriers (segments) per scenario */

struct simq;

/*
 * A querier on segment seg of net; its lines go to out, stamped with
 * *now (ms).  NULL with *why set on failure.
 */
struct simq *simq_new(struct ipifc_simnet *net, const char *seg, FILE *out,
	    const uint64_t *now, const char **why);
void	simq_free(struct simq *q);
const char *simq_segment(const struct simq *q);
/*
 * Send the query the words describe: VERSION GROUP [SOURCE...] [from
 * ADDR] [to ADDR] [hlim N] [mrd MS] [nora].  NULL, or a one-line error.
 */
const char *simq_send(struct simq *q, int argc, char **argv);
/* Send a router solicitation: [from ADDR].  NULL, or a one-line error. */
const char *simq_solicit(struct simq *q, int argc, char **argv);

#endif
