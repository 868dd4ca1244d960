/* The import driver shared by owner, pet and vax import (lib only). */
#ifndef KN_IMPORT_H
#define KN_IMPORT_H

#include "import/kn_csv.h"

/* The vaccinations table's secondary index, as migration 4 made it; an
 * import into an empty table drops it and builds it again after the load. */
#define KN_VAX_INDEXES_SQL "CREATE INDEX vaccinations_expiry ON vaccinations (expires_on);"
#define KN_VAX_INDEXES_DROP_SQL "DROP INDEX vaccinations_expiry;"

struct kn_import {
	struct kn_db *db;
	const struct kn_import_options *o;
	struct kn_csv *csv;
	struct kn_rejects *rejects;
	struct kn_import_summary *sum;
	char now[20];
	int notices;
	int loading;          /* into the empty table: its indexes wait */
	void *state;          /* the importer's own */
};

struct kn_import_kind {
	const struct kn_csv_field *fields;
	size_t nfields;
	kn_status (*setup)(struct kn_import *im, struct kn_err *err);   /* in the transaction */
	kn_status (*row)(struct kn_import *im, struct kn_err *err);     /* a row without errors */
	kn_status (*finish)(struct kn_import *im, struct kn_err *err);  /* before commit */
	void (*cleanup)(struct kn_import *im);
	/* When empty_sql answers 1 (the table is empty), the indexes of
	 * drop_indexes_sql wait: dropped before setup, built by indexes_sql
	 * after finish (NULL: every load keeps its indexes). */
	const char *empty_sql, *indexes_sql, *drop_indexes_sql;
};

kn_status kn_import_run(struct kn_db *db, const struct kn_import_options *o,
                        const struct kn_import_kind *kind, void *state,
                        struct kn_import_summary *sum, struct kn_err *err);
/* Counts the row as rejected, to the rejects file and the first notices.
 * KN_OK: a rejected row is that row's outcome, and the import goes on. */
kn_status kn_import_reject(struct kn_import *im, const char *reason);
void kn_import_values(struct kn_import *im, const char **v, size_t n);

#endif
