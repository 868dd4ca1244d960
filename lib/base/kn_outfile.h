/* Files written beside a command's work, put in place after the commit. */
#ifndef KN_OUTFILE_H
#define KN_OUTFILE_H

#include <stdio.h>
#include "kennel.h"

struct kn_outfile;
/* NULL path: no file (*out NULL).  input: a path the target must not be
 * (KN_USAGE).  exclusive: refuse a target that exists.  Under --dry-run the
 * checks are made and *out stays NULL: nothing is written. */
kn_status kn_outfile_open(struct kn_db *db, const char *path, const char *input, int exclusive,
                          struct kn_outfile **out, struct kn_err *err);
/* The stream to write to; NULL when there is no file. */
FILE *kn_outfile_stream(struct kn_outfile *f);
/* Before the commit: everything written reached the disk, or an error. */
kn_status kn_outfile_flush(struct kn_outfile *f, struct kn_err *err);
/* After the commit: the file takes its name. */
kn_status kn_outfile_publish(struct kn_outfile *f, struct kn_err *err);
/* On failure: nothing is left behind. */
void kn_outfile_discard(struct kn_outfile *f);

#endif
