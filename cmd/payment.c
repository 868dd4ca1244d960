/* kennel payment: money received (add), mistakes (void), credit paid back (refund). */
#include "builtin.h"

static struct {
	const char *method, *ref, *date, *note, *owner, *from, *to, *order;
} o;

#define METHODS "cash|check|card|other"
static const struct kn_opt add_opts[] = {
	{ "method", 0, KN_OPT_STR, &o.method, "M", METHODS },
	{ "ref", 0, KN_OPT_STR, &o.ref, "TEXT", NULL },
	{ "order", 0, KN_OPT_STR, &o.order, "ORDER", NULL },
	{ "date", 0, KN_OPT_STR, &o.date, "DATE", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "from", 0, KN_OPT_STR, &o.from, "DATE", NULL },
	{ "to", 0, KN_OPT_STR, &o.to, "DATE", NULL },
	{ "method", 0, KN_OPT_STR, &o.method, "M", METHODS },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt void_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt refund_opts[] = {
	{ "method", 0, KN_OPT_STR, &o.method, "M", METHODS },
	{ "ref", 0, KN_OPT_STR, &o.ref, "TEXT", NULL },
	{ "date", 0, KN_OPT_STR, &o.date, "DATE", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int show(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_payment_show(s->db, id, p, &err), &err);
}

static int add(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_payment_in in = { .amount = argc > 1 ? argv[1] : NULL, .method = o.method,
	                            .ref = o.ref, .date = o.date, .note = o.note };
	long long id, applied = 0, cents = 0;
	char paid[32], left[32];

	if (argc != 2 || o.method == NULL)
		return usage_error("payment", NULL, "usage: kennel payment add OWNER AMOUNT --method "
		                   "cash|check|card|other [--ref TEXT] [--order ORDER] [--date DATE] "
		                   "[--note TEXT]");
	if (kn_owner_resolve(s->db, argv[0], &in.owner_id, &err) != KN_OK ||
	    (o.order && kn_id_parse(o.order, "order id", &in.order_id, &err) != KN_OK))
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_payment_add(s->db, &in, &id, &applied, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	(void)kn_money_parse(in.amount, &cents, NULL);
	kn_money_format(applied, paid);
	kn_money_format(cents - applied, left);
	if (applied == 0)
		say(s, "payment %lld: nothing is due: $%s kept as account credit", id, left);
	else if (cents > applied)
		say(s, "payment %lld: $%s applied to orders, $%s kept as account credit", id, paid, left);
	else
		say(s, "payment %lld: $%s applied to orders", id, paid);
	return show(s, id);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_payment_filter f = { .from = o.from, .to = o.to, .method = o.method };
	(void)argc, (void)argv;
	if (o.owner && kn_owner_resolve(s->db, o.owner, &f.owner_id, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_payment_list(s->db, &f, p, &err), &err);
}

static int show_verb(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	if (argc != 1)
		return usage_error("payment", NULL, "usage: kennel payment show PAYMENT");
	if (kn_id_parse(argv[0], "payment id", &id, &err) != KN_OK)
		return fail(s, &err);
	return show(s, id);
}

static int void_payment(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	if (argc != 1)
		return usage_error("payment", NULL, "usage: kennel payment void PAYMENT --note TEXT");
	if (kn_id_parse(argv[0], "payment id", &id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_payment_void(s->db, id, o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show(s, id);
}

static int refund(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_payment_in in = { .amount = argc > 1 ? argv[1] : NULL, .method = o.method,
	                            .ref = o.ref, .date = o.date, .note = o.note };
	long long id;
	if (argc != 2 || o.method == NULL)
		return usage_error("payment", NULL, "usage: kennel payment refund OWNER AMOUNT --method "
		                   "M [--ref TEXT] [--date DATE] --note TEXT");
	if (kn_owner_resolve(s->db, argv[0], &in.owner_id, &err) != KN_OK)
		return fail(s, &err);
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_payment_refund(s->db, &in, &id, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show(s, id);
}

const struct verb payment_verbs[] = {
	{ "add", add, add_opts,
	  "OWNER AMOUNT --method cash|check|card|other [--ref TEXT] [--order ORDER] [--date DATE] "
	  "[--note TEXT]",
	  "Record money received: applied to ORDER, else to the oldest due orders; the rest is "
	  "credit.", NULL, 1 },
	{ "list", list, list_opts, "[--owner OWNER] [--from DATE] [--to DATE] [--method M]",
	  "Payments, credits and refunds, by date.", NULL, 1 },
	{ "show", show_verb, NULL, "PAYMENT", "One payment and the orders it paid.", NULL, 1 },
	{ "void", void_payment, void_opts, "PAYMENT --note TEXT",
	  "Undo a payment recorded by mistake: the orders it paid are due again.", NULL, 1 },
	{ "refund", refund, refund_opts, "OWNER AMOUNT --method M [--ref TEXT] [--date DATE] --note TEXT",
	  "Pay the owner's credit back (never more than the credit).", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_payment(int argc, char **argv)
{
	return dispatch("payment", payment_verbs, argc, argv);
}
