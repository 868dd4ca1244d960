/*
 * The loop every CSV import shares: open, map the header, open the rejects
 * file, one transaction, each row to the importer's callback, progress,
 * then commit (or roll back for --dry-run and on failure).
 */
#include <string.h>

#include "import/kn_import.h"

kn_status kn_import_reject(struct kn_import *im, const char *reason)
{
	char line[600];

	im->sum->rejected++;
	kn_rejects_add(im->rejects, im->csv, reason);
	if (im->o->notice && im->notices < 5) {
		snprintf(line, sizeof line, "%s: line %ld: %s", kn_csv_name(im->csv),
		         kn_csv_line(im->csv), reason);
		im->o->notice(im->o->ud, line);
	}
	im->notices++;
	return KN_OK;
}

/* Into an empty table the kind's secondary indexes wait for the end of the
 * load: CREATE INDEX sorts, several times faster than inserting into
 * B-trees at random.  Appending to the table touches only its rightmost
 * pages, so the load needs little cache: LOAD_CACHE, which is also what the
 * sorter takes before it spills runs to disk, so the peak stays flat (the
 * owner import loaded 1M rows alike with 32, 8, 4 and 2 MiB). */
#define LOAD_CACHE "PRAGMA cache_size = -8192;"

static kn_status defer_indexes(struct kn_import *im, const struct kn_import_kind *kind,
                               struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_prepare(im->db, kind->empty_sql, &st, err);
	if (s != KN_OK)
		return s;
	int rc = sqlite3_step(st);
	im->loading = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return kn_sql_fail(im->db, err, "looking at the table");
	if (!im->loading)
		return KN_OK;
	if ((s = kn_exec(im->db, kind->drop_indexes_sql, err)) != KN_OK)
		return s;
	return kn_exec(im->db, LOAD_CACHE, err);
}

kn_status kn_import_run(struct kn_db *db, const struct kn_import_options *o,
                        const struct kn_import_kind *kind, void *state,
                        struct kn_import_summary *sum, struct kn_err *err)
{
	struct kn_import im = { .db = db, .o = o, .sum = sum, .state = state };
	kn_status s;
	int got;

	memset(sum, 0, sizeof *sum);
	if ((s = kn_rejects_open(db, o->rejects_path, o->path, &im.rejects, err)) != KN_OK)
		return s;
	if ((s = kn_csv_open(&im.csv, o->path, err)) != KN_OK) {
		kn_rejects_finish(im.rejects, 0, err);
		return s;
	}
	if ((s = kn_csv_header(im.csv, kind->fields, kind->nfields, o->maps, o->notice, o->ud,
	                       err)) != KN_OK)
		goto done;
	kn_rejects_header(im.rejects, im.csv);
	/* a page cache that holds the indexes' working set for a million-row
	 * file (24 MiB spilled and ran 4x slower), bounded so peak memory stays
	 * flat under 64 MiB whatever the file's size; a load into an empty
	 * table needs less (defer_indexes) */
	if ((s = kn_exec(db, "PRAGMA cache_size = -32768", err)) != KN_OK)
		goto done;
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto done;
	if (kind->empty_sql && (s = defer_indexes(&im, kind, err)) != KN_OK)
		goto done;
	if (kind->setup && (s = kind->setup(&im, err)) != KN_OK)
		goto done;
	kn_now_text(im.now);
	while ((s = kn_csv_next(im.csv, &got, err)) == KN_OK && got) {
		sum->rows++;
		if (kn_csv_row_error(im.csv))
			kn_import_reject(&im, kn_csv_row_error(im.csv));
		else if ((s = kind->row(&im, err)) != KN_OK)
			goto done;
		if (o->progress && (sum->rows & 4095) == 0) {
			long long bytes, total;
			kn_csv_progress(im.csv, &bytes, &total);
			o->progress(o->ud, sum->rows, bytes, total);
		}
	}
	if (s != KN_OK)
		goto done;
	if (im.notices > 5 && o->notice) {
		char line[128];
		snprintf(line, sizeof line, "... and %d more rejected rows", im.notices - 5);
		o->notice(o->ud, line);
	}
	if (kind->finish)
		s = kind->finish(&im, err);
	if (s == KN_OK && im.loading)
		s = kn_exec(db, kind->indexes_sql, err);
done:
	if (kind->cleanup)
		kind->cleanup(&im);
	/* the rejects reach the disk before the rows they leave out commit */
	if (s == KN_OK)
		s = kn_rejects_flush(im.rejects, err);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
	kn_status rs = kn_rejects_finish(im.rejects, s == KN_OK, err);
	if (s == KN_OK)
		s = rs;
	kn_csv_close(im.csv);
	if (s == KN_OK && sum->rejected > 0)
		s = KN_PARTIAL;
	return s;
}

/* "a;b" etc.: every field value read with empty cells as absent */
void kn_import_values(struct kn_import *im, const char **v, size_t n)
{
	for (size_t f = 0; f < n; f++) {
		v[f] = kn_csv_get(im->csv, f);
		if (v[f] && *v[f] == '\0')
			v[f] = NULL;
	}
}
