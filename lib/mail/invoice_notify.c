/* The invoice an owner gets for an order (order checkout --send, order
 * send): its lines, what is paid and due, and how to pay: the business's
 * payment page for that invoice (company --pay-url), else its billing
 * instructions.  Queued in the caller's transaction; each ask is a mail. */
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"
#include "money/kn_money.h"

#define MAX_LINES 64

kn_status kn_invoice_notify(struct kn_db *db, long long order, const char *template_dir,
                            int *queued, struct kn_err *err)
{
	sqlite3_stmt *st = NULL, *it = NULL;
	struct kn_sender snd;
	struct kn_owner_vars ov;
	struct kn_owner o = { 0 };
	char *text = NULL, *subject = NULL, *body = NULL, *billing = NULL, dedupe[64], now[20];
	char day[KN_DATE_TEXT], total[32], paid[32], due[32], pay[1024];
	char line_text[MAX_LINES][3][128];
	const char *line_values[MAX_LINES][4];
	struct kn_tvars lines[MAX_LINES];
	static const char *const line_names[] = { "name", "qty", "price", "amount" };
	int row = 0, n = 0;
	kn_status s;

	*queued = 0;
	if ((s = kn_sender_load(db, &snd, err)) != KN_OK)
		return s;
	s = kn_prepare(db, "SELECT o.id, o.first_name, o.last_name, o.email, o.username, r.status,"
	                   " substr(coalesce(r.checked_out_at, r.created_at), 1, 10), r.total_cents,"
	                   " r.paid_cents FROM orders r JOIN owners o ON o.id = r.owner_id"
	                   " WHERE r.id = ?", &st, err);
	if (s != KN_OK)
		goto done;
	sqlite3_bind_int64(st, 1, order);
	if ((s = kn_step_row(db, st, &row, "reading the order", err)) != KN_OK)
		goto done;
	if (!row) {
		s = kn_err_set(err, KN_FAIL, "order %lld not found", order);
		goto done;
	}
	const char *status = kn_col_text(st, 5);
	if (strcmp(status, "cart") == 0 || strcmp(status, "void") == 0) {
		s = kn_err_set(err, KN_FAIL, "order %lld is %s: only a checked-out order is an invoice "
		               "to send", order, status);
		goto done;
	}
	if (kn_col_text(st, 3) == NULL) {
		s = kn_err_set(err, KN_FAIL, "owner %lld has no email: the invoice cannot be mailed",
		               sqlite3_column_int64(st, 0));
		goto done;
	}
	o.id = sqlite3_column_int64(st, 0);
	o.first_name = kn_col_text(st, 1);
	o.last_name = kn_col_text(st, 2);
	o.email = kn_col_text(st, 3);
	o.username = kn_col_text(st, 4);
	long long total_cents = sqlite3_column_int64(st, 7), paid_cents = sqlite3_column_int64(st, 8);
	kn_money_format(total_cents, total);
	kn_money_format(paid_cents, paid);
	kn_money_format(total_cents - paid_cents, due);
	kn_pay_url(total_cents > paid_cents ? snd.company.pay_url : NULL, order,
	           total_cents - paid_cents, o.id, pay, sizeof pay);
	if (pay[0] == '\0' && total_cents > paid_cents &&
	    (s = kn_instructions_get(db, "billing", &billing, err)) != KN_OK)
		goto done;
	char id[24];
	snprintf(id, sizeof id, "%lld", order);
	kn_owner_vars_fill(&ov, &o, &snd.company, NULL);
	kn_owner_vars_add(&ov, "order.id", id);
	kn_owner_vars_add(&ov, "order.date", kn_date_display(kn_col_text(st, 6), snd.date_style, 0,
	                                                     day));
	kn_owner_vars_add(&ov, "order.total", total);
	kn_owner_vars_add(&ov, "order.paid", paid);
	kn_owner_vars_add(&ov, "order.due", due);
	kn_owner_vars_add(&ov, "order.pay_url", pay);
	kn_owner_vars_add(&ov, "billing", billing);
	if ((s = kn_prepare(db, "SELECT p.name, i.qty, i.price_cents FROM order_items i"
	                        " JOIN products p ON p.id = i.product_id WHERE i.order_id = ?"
	                        " ORDER BY i.id LIMIT 64", &it, err)) != KN_OK)
		goto done;
	sqlite3_bind_int64(it, 1, order);
	while (n < MAX_LINES && (s = kn_step_row(db, it, &row, "reading the order", err)) == KN_OK &&
	       row) {
		long long qty = sqlite3_column_int64(it, 1), price = sqlite3_column_int64(it, 2);
		snprintf(line_text[n][0], sizeof line_text[n][0], "%lld", qty);
		kn_money_format(price, line_text[n][1]);
		kn_money_format(price * qty, line_text[n][2]);
		line_values[n][0] = kn_xstrdup(kn_col_text(it, 0));
		line_values[n][1] = line_text[n][0];
		line_values[n][2] = line_text[n][1];
		line_values[n][3] = line_text[n][2];
		lines[n] = (struct kn_tvars){ line_names, line_values[n], 4 };
		n++;
	}
	if (s != KN_OK)
		goto done;
	struct kn_tctx ctx = { .vars = ov.vars, .items = lines, .nitems = (size_t)n,
	                       .item_names = line_names, .nitem_names = 4 };
	if ((text = kn_template_load("invoice", template_dir, NULL, err)) == NULL) {
		s = err->status;
		goto done;
	}
	if ((s = kn_template_render("invoice", text, &ctx, &subject, &body, err)) != KN_OK)
		goto done;
	/* staff may send an invoice again: each ask is its own mail */
	kn_now_text(now);
	snprintf(dedupe, sizeof dedupe, "invoice:%lld:%s", order, now);
	struct kn_mail_msg m = { .kind = "invoice", .owner_id = o.id, .to = o.email,
	                         .subject = subject, .body = body, .dedupe_key = dedupe };
	if ((s = kn_mail_queue(db, &snd, &m, queued, err)) == KN_OK && *queued)
		s = kn_audit(db, "order", order, err, "invoice queued to %s", o.email);
done:
	for (int i = 0; i < n; i++)
		free((char *)line_values[i][0]);
	sqlite3_finalize(it);
	sqlite3_finalize(st);
	free(billing);
	free(text);
	free(subject);
	free(body);
	kn_sender_free(&snd);
	return s;
}
