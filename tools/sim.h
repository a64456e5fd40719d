/*
 * The scenario runner behind `ipifc sim`.
 */
#ifndef IPIFC_SIM_H
#define IPIFC_SIM_H

#include <stdio.h>

/*
 * Run the script read from in, printing to out.  0 when every line was
 * understood, 1 when some line was not (or the runner failed).
 */
int	sim_run(FILE *in, FILE *out);
/* `ipifc sim [FILE]`: FILE NULL or "-" reads standard input. */
int	sim_main(const char *path);

#endif
