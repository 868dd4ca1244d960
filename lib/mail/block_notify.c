/* The mail owners get when a closed period falls on their approved booking:
 * one message per owner listing every booking the block touches, queued in
 * the transaction that adds the block.  Like a request decision it is no
 * newsletter, so owners who opted out of blasts still get it. */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

enum { ITEM_FIELDS = 4 };
static const char *const item_names[ITEM_FIELDS] = { "service", "pets", "start", "end" };
static const char tname[] = "block-conflict";

/* One owner's bookings, copied from the rows: the statement moves on. */
struct owner_batch {
	struct kn_owner o;
	char *owner_text[3];          /* first name, last name, email */
	char **values;                /* ITEM_FIELDS per booking */
	struct kn_tvars *items;
	size_t n, cap;
};

static char *copy(const char *s)
{
	return kn_xstrdup(s ? s : "");
}

static void batch_start(struct owner_batch *b, sqlite3_stmt *st)
{
	b->o = (struct kn_owner){ .id = sqlite3_column_int64(st, 0) };
	b->o.first_name = b->owner_text[0] = copy(kn_col_text(st, 1));
	b->o.last_name = b->owner_text[1] = copy(kn_col_text(st, 2));
	b->o.email = b->owner_text[2] = copy(kn_col_text(st, 3));
}

static void batch_add(struct owner_batch *b, sqlite3_stmt *st, int style)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->values = kn_xrealloc(b->values, b->cap * ITEM_FIELDS * sizeof *b->values);
		b->items = kn_xrealloc(b->items, b->cap * sizeof *b->items);
	}
	char **v = &b->values[b->n * ITEM_FIELDS];
	for (int f = 0; f < ITEM_FIELDS; f++) {
		char day[KN_DATE_TEXT];
		const char *text = kn_col_text(st, 4 + f);
		/* start and end: the days as the owner reads them */
		v[f] = copy(f >= 2 ? kn_date_display(text, style, 0, day) : text);
	}
	b->items[b->n++] = (struct kn_tvars){ item_names, (const char *const *)v, ITEM_FIELDS };
}

static void batch_clear(struct owner_batch *b)
{
	for (size_t i = 0; i < b->n * ITEM_FIELDS; i++)
		free(b->values[i]);
	for (int i = 0; i < 3; i++)
		free(b->owner_text[i]);
	b->n = 0;
	memset(b->owner_text, 0, sizeof b->owner_text);
}

static kn_status batch_queue(struct kn_db *db, struct owner_batch *b, long long block_id,
                             sqlite3_stmt *blk, const struct kn_sender *snd, const char *text,
                             long long *queued, struct kn_err *err)
{
	static const char *const block_names[] = { "block.from", "block.to", "block.reason",
	                                           "block.service" };
	struct kn_owner_vars ov;
	char *subject = NULL, *body = NULL, dedupe[64];
	int fresh;

	kn_owner_vars_fill(&ov, &b->o, &snd->company, NULL);
	char days[2][KN_DATE_TEXT];
	for (int i = 0; i < 4; i++)
		kn_owner_vars_add(&ov, block_names[i],
		                  i < 2 ? kn_date_display(kn_col_text(blk, i), snd->date_style, 0, days[i])
		                        : kn_col_text(blk, i));
	struct kn_tctx ctx = { .vars = ov.vars, .items = b->items, .nitems = b->n,
	                       .item_names = item_names, .nitem_names = ITEM_FIELDS };
	kn_status s = kn_template_render(tname, text, &ctx, &subject, &body, err);
	if (s == KN_OK) {
		/* once per owner and block, however often the block is announced */
		snprintf(dedupe, sizeof dedupe, "block:%lld:owner:%lld", block_id, b->o.id);
		struct kn_mail_msg m = { .kind = tname, .owner_id = b->o.id, .to = b->o.email,
		                         .subject = subject, .body = body, .dedupe_key = dedupe };
		s = kn_mail_queue(db, snd, &m, &fresh, err);
		*queued += fresh;
	}
	free(subject);
	free(body);
	batch_clear(b);
	return s;
}

kn_status kn_block_notify(struct kn_db *db, long long block_id, const char *template_dir,
                          long long *queued, struct kn_err *err)
{
	struct owner_batch b = { 0 };
	struct kn_sender snd;
	sqlite3_stmt *st = NULL, *blk = NULL;
	char *text = NULL;
	kn_status s;
	int rc = SQLITE_DONE;

	*queued = 0;
	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		return s;
	if ((text = kn_template_load(tname, template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto out;
	}
	if ((s = kn_prepare(db, "SELECT start, end, reason, coalesce(service, 'every service')"
	                        " FROM blocks WHERE id = ?", &blk, err)) != KN_OK)
		goto out;
	sqlite3_bind_int64(blk, 1, block_id);
	int row = 0;
	if ((s = kn_step_row(db, blk, &row, "reading the block", err)) != KN_OK || !row) {
		if (s == KN_OK)
			s = kn_err_set(err, KN_FAIL, "block %lld not found", block_id);
		goto out;
	}
	/* the same conflicts block add lists: approved, same service unless the
	 * block closes everything, the days overlapping */
	s = kn_prepare(db, "SELECT o.id, o.first_name, o.last_name, o.email, r.service,"
	                   " (SELECT group_concat(p.name, ', ') FROM request_pets rp JOIN pets p"
	                   "  ON p.id = rp.pet_id WHERE rp.request_id = r.id), r.start, r.end"
	                   " FROM blocks k JOIN requests r ON r.status = 'approved'"
	                   "  AND (k.service IS NULL OR r.service = k.service)"
	                   "  AND r.end >= k.start AND r.start <= k.end"
	                   " JOIN owners o ON o.id = r.owner_id"
	                   " WHERE k.id = ? AND o.email IS NOT NULL AND o.active"
	                   " ORDER BY o.id, r.start, r.id", &st, err);
	if (s != KN_OK)
		goto out;
	sqlite3_bind_int64(st, 1, block_id);
	while (s == KN_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (b.n > 0 && sqlite3_column_int64(st, 0) != b.o.id)
			s = batch_queue(db, &b, block_id, blk, &snd, text, queued, err);
		if (b.n == 0)
			batch_start(&b, st);
		batch_add(&b, st, snd.date_style);
	}
	if (s == KN_OK && rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "listing the bookings a block conflicts with");
	if (s == KN_OK && b.n > 0)
		s = batch_queue(db, &b, block_id, blk, &snd, text, queued, err);
out:
	batch_clear(&b);
	free(b.values);
	free(b.items);
	sqlite3_finalize(st);
	sqlite3_finalize(blk);
	free(text);
	kn_sender_free(&snd);
	return s;
}
