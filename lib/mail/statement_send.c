/* kennel statement send, for cron on the 1st: the month's statement to
 * each owner with activity in it or a balance, once per owner and month
 * (statements_sent, and the outbox's dedupe key).  Statements are about
 * her account, not a newsletter: sent to owners who opted out of blasts. */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "money/kn_money.h"

#define MAX_LINES 200

struct lines {
	int n, date_style;
	char dates[MAX_LINES][KN_DATE_TEXT];
	char text[MAX_LINES][3][24]; /* charge, payment, balance */
	const char *values[MAX_LINES][5];
	struct kn_tvars vars[MAX_LINES];
	int more; /* lines past MAX_LINES: in the portal's statement */
};
static const char *const line_names[] = { "date", "what", "charge", "payment", "balance" };

static kn_status keep_line(void *ud, const struct kn_statement_line *l)
{
	struct lines *ls = ud;
	if (ls->n == MAX_LINES) {
		ls->more++;
		return KN_OK;
	}
	int i = ls->n++;
	kn_date_display(l->date, ls->date_style, 0, ls->dates[i]);
	ls->text[i][0][0] = ls->text[i][1][0] = '\0';
	if (l->charge) {
		ls->text[i][0][0] = '$';
		kn_money_format(l->charge, ls->text[i][0] + 1);
	}
	if (l->payment) {
		ls->text[i][1][0] = '-';
		ls->text[i][1][1] = '$';
		kn_money_format(l->payment, ls->text[i][1] + 2);
	}
	kn_money_format(l->balance, ls->text[i][2]);
	ls->values[i][0] = ls->dates[i];
	ls->values[i][1] = kn_xstrdup(l->what);
	ls->values[i][2] = ls->text[i][0];
	ls->values[i][3] = ls->text[i][1];
	ls->values[i][4] = ls->text[i][2];
	ls->vars[i] = (struct kn_tvars){ line_names, ls->values[i], 5 };
	return KN_OK;
}

static void lines_free(struct lines *ls)
{
	for (int i = 0; i < ls->n; i++)
		free((char *)ls->values[i][1]);
	ls->n = ls->more = 0;
}

/* One owner's statement, queued unless it was sent or says nothing. */
static kn_status send_one(struct kn_db *db, const struct kn_sender *snd, const char *text,
                          const char *billing, const char *first, const char *month_name,
                          sqlite3_stmt *who, const struct kn_statement *sm, struct lines *ls,
                          struct kn_statement_summary *sum, struct kn_err *err)
{
	struct kn_owner o = { .id = sqlite3_column_int64(who, 0), .first_name = kn_col_text(who, 1),
	                      .last_name = kn_col_text(who, 2), .email = kn_col_text(who, 3),
	                      .username = kn_col_text(who, 4) };
	struct kn_statement st = *sm;
	sqlite3_stmt *q;
	int row = 0, queued = 0;
	char *subject = NULL, *body = NULL, dedupe[64], now[20], pay[1024] = "";
	char opening[32], charges[32], payments[32], closing[32];

	kn_status s = KN_OK;
	if (sqlite3_column_int(who, 5)) {
		sum->already++;
		goto done;
	}
	if (st.lines == 0 && st.closing == 0)
		goto done;
	if (o.email == NULL) {
		sum->no_email++;
		goto done;
	}
	if (st.closing > 0 && snd->company.pay_url && *snd->company.pay_url) {
		if ((s = kn_cached(db, "SELECT id FROM orders WHERE owner_id = ? AND status = 'due'"
		                       " ORDER BY checked_out_at, id LIMIT 1", &q, err)) != KN_OK)
			goto done;
		sqlite3_bind_int64(q, 1, o.id);
		if ((s = kn_step_row(db, q, &row, "reading the due orders", err)) == KN_OK && row)
			kn_pay_url(snd->company.pay_url, sqlite3_column_int64(q, 0), st.closing, o.id,
			           pay, sizeof pay);
		sqlite3_reset(q);
		if (s != KN_OK)
			goto done;
	}
	kn_money_format(st.opening, opening);
	kn_money_format(st.charges, charges);
	kn_money_format(st.payments, payments);
	kn_money_format(st.closing, closing);
	struct kn_owner_vars ov;
	kn_owner_vars_fill(&ov, &o, &snd->company, NULL);
	kn_owner_vars_add(&ov, "statement.month", month_name);
	kn_owner_vars_add(&ov, "statement.opening", opening);
	kn_owner_vars_add(&ov, "statement.charges", charges);
	kn_owner_vars_add(&ov, "statement.payments", payments);
	kn_owner_vars_add(&ov, "statement.closing", closing);
	kn_owner_vars_add(&ov, "statement.pay_url", pay);
	kn_owner_vars_add(&ov, "billing", pay[0] || st.closing <= 0 ? "" : billing);
	struct kn_tctx ctx = { .vars = ov.vars, .items = ls->vars, .nitems = (size_t)ls->n,
	                       .item_names = line_names, .nitem_names = 5 };
	if ((s = kn_template_render("statement", text, &ctx, &subject, &body, err)) != KN_OK)
		goto done;
	snprintf(dedupe, sizeof dedupe, "statement:%lld:%.7s", o.id, first);
	struct kn_mail_msg m = { .kind = "statement", .owner_id = o.id, .to = o.email,
	                         .subject = subject, .body = body, .dedupe_key = dedupe };
	if ((s = kn_mail_queue(db, snd, &m, &queued, err)) != KN_OK)
		goto done;
	if (!queued) {
		sum->already++;
		goto done;
	}
	sum->queued++;
	if ((s = kn_cached(db, "INSERT INTO statements_sent (owner_id, month, outbox_id, created_at)"
	                       " VALUES (?, ?, ?, ?)", &q, err)) != KN_OK)
		goto done;
	kn_now_text(now);
	sqlite3_bind_int64(q, 1, o.id);
	sqlite3_bind_text(q, 2, first, 7, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, sqlite3_last_insert_rowid(db->h));
	sqlite3_bind_text(q, 4, now, -1, SQLITE_STATIC);
	s = kn_step_done(db, q, "marking the statement sent", err);
done:
	lines_free(ls);
	free(subject);
	free(body);
	return s;
}

kn_status kn_statement_send(struct kn_db *db, const char *month, const char *template_dir,
                            struct kn_statement_summary *sum, struct kn_err *err)
{
	char first[11], next[11], month_name[32];
	struct kn_sender snd;
	sqlite3_stmt *who = NULL, *lines = NULL;
	char *text = NULL, *billing = NULL;
	struct lines *ls = kn_xcalloc(1, sizeof *ls);
	int row = 0;

	memset(sum, 0, sizeof *sum);
	kn_status s = kn_statement_month(month, first, next, err);
	if (s != KN_OK) {
		free(ls);
		return s;
	}
	kn_statement_month_name(first, month_name);
	if ((s = kn_sender_load(db, &snd, err)) != KN_OK) {
		free(ls);
		return s;
	}
	ls->date_style = snd.date_style;
	if ((text = kn_template_load("statement", template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto done;
	}
	if ((s = kn_tx_begin(db, err)) != KN_OK ||
	    (s = kn_instructions_get(db, "billing", &billing, err)) != KN_OK)
		goto done;
	/* who: activity in the month, or a balance or credit now; with the
	 * balance each month opened with, summed in one pass for all of them */
	if ((s = kn_prepare(db, "WITH c AS (SELECT owner_id, sum(total_cents) AS v FROM orders"
	                        "  WHERE status IN ('due', 'paid') AND checked_out_at < ?1"
	                        "  GROUP BY owner_id),"
	                        " p AS (SELECT owner_id, sum(CASE kind WHEN 'refund' THEN -amount_cents"
	                        "  ELSE amount_cents END) AS v FROM payments WHERE voided_at IS NULL"
	                        "  AND date < ?1 GROUP BY owner_id)"
	                        " SELECT o.id, o.first_name, o.last_name, o.email, o.username,"
	                        " EXISTS (SELECT 1 FROM statements_sent t WHERE t.owner_id = o.id"
	                        "  AND t.month = substr(?1, 1, 7)),"
	                        " coalesce(c.v, 0) - coalesce(p.v, 0)"
	                        " FROM owners o LEFT JOIN c ON c.owner_id = o.id"
	                        " LEFT JOIN p ON p.owner_id = o.id WHERE o.id IN ("
	                        "  SELECT owner_id FROM orders WHERE status IN ('due', 'paid')"
	                        "   AND checked_out_at >= ?1 AND checked_out_at < ?2"
	                        "  UNION SELECT owner_id FROM orders WHERE status = 'due'"
	                        "  UNION SELECT owner_id FROM payments WHERE voided_at IS NULL)"
	                        " ORDER BY o.id", &who, err)) != KN_OK)
		goto done;
	sqlite3_bind_text(who, 1, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(who, 2, next, -1, SQLITE_STATIC);
	/* the month's lines of every owner in one pass, beside the owners in
	 * the same order: one sort, not a query per owner */
	if ((s = kn_prepare(db, KN_STATEMENT_LINES_SQL " ORDER BY owner_id, d, k, id", &lines,
	                    err)) != KN_OK)
		goto done;
	sqlite3_bind_text(lines, 2, first, -1, SQLITE_STATIC);
	sqlite3_bind_text(lines, 3, next, -1, SQLITE_STATIC);
	int have = 0;
	s = kn_step_row(db, lines, &have, "reading the month", err);
	while (s == KN_OK && (s = kn_step_row(db, who, &row, "reading the owners", err)) == KN_OK &&
	       row) {
		long long owner = sqlite3_column_int64(who, 0);
		struct kn_statement sm = { .opening = sqlite3_column_int64(who, 6) };
		sm.closing = sm.opening;
		while (s == KN_OK && have && sqlite3_column_int64(lines, 0) < owner)
			s = kn_step_row(db, lines, &have, "reading the month", err);
		while (s == KN_OK && have && sqlite3_column_int64(lines, 0) == owner) {
			struct kn_statement_line l;
			char what[160];
			kn_statement_add(&sm, lines, 1, &l, what);
			keep_line(ls, &l);
			s = kn_step_row(db, lines, &have, "reading the month", err);
		}
		if (s == KN_OK)
			s = send_one(db, &snd, text, billing ? billing : "", first, month_name, who, &sm,
			             ls, sum, err);
	}
	sqlite3_finalize(who);
	sqlite3_finalize(lines);
	who = lines = NULL;
	if (s == KN_OK && sum->queued)
		s = kn_audit(db, "statement", 0, err, "%lld statements for %.7s queued", sum->queued,
		             first);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
done:
	sqlite3_finalize(who);
	sqlite3_finalize(lines);
	if (s != KN_OK)
		kn_tx_rollback(db);
	free(billing);
	free(text);
	free(ls);
	kn_sender_free(&snd);
	return s;
}
