/* kennel order: purchase, list, show, checkout, void. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static struct {
	long long qty;
	const char *note, *payment, *amount, *owner, *status;
	int cart, checkout, on_account, send;
} o = { .qty = 1 };

#define PAYMENTS "cash|check|card|no-payment|other"
static const struct kn_opt purchase_opts[] = {
	{ "qty", 0, KN_OPT_QTY, &o.qty, "N", NULL },
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ "cart", 0, KN_OPT_BOOL, &o.cart, NULL, NULL },
	{ "checkout", 0, KN_OPT_BOOL, &o.checkout, NULL, NULL },
	{ "payment", 0, KN_OPT_STR, &o.payment, "TYPE", PAYMENTS },
	{ "amount", 0, KN_OPT_STR, &o.amount, "MONEY", NULL },
	{ "on-account", 0, KN_OPT_BOOL, &o.on_account, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt list_opts[] = {
	{ "owner", 0, KN_OPT_STR, &o.owner, "OWNER", NULL },
	{ "status", 0, KN_OPT_STR, &o.status, "STATUS", "cart|due|paid|void" },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt checkout_opts[] = {
	{ "payment", 0, KN_OPT_STR, &o.payment, "TYPE", PAYMENTS },
	{ "amount", 0, KN_OPT_STR, &o.amount, "MONEY", NULL },
	{ "on-account", 0, KN_OPT_BOOL, &o.on_account, NULL, NULL },
	{ "send", 0, KN_OPT_BOOL, &o.send, NULL, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};
static const struct kn_opt void_opts[] = {
	{ "note", 0, KN_OPT_STR, &o.note, "TEXT", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int show_order(struct session *s, long long id)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_order_show(s->db, id, p, &err), &err);
}

static int order_id(const char *text, long long *id)
{
	return kn_id_parse(text, "order id", id, NULL) == KN_OK;
}

static int purchase(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_purchase p = { .qty = o.qty, .note = o.note };
	long long order;

	if (argc != 2 || o.cart == o.checkout || (o.checkout && (o.payment == NULL) == !o.on_account))
		return usage_error("order", NULL, "usage: kennel order purchase OWNER PRODUCT [--qty N] "
		                   "[--note TEXT] (--cart | --checkout (--payment TYPE [--amount MONEY] | "
		                   "--on-account))");
	if (kn_owner_resolve(s->db, argv[0], &p.owner_id, &err) != KN_OK ||
	    kn_product_resolve(s->db, argv[1], &p.product_id, &err) != KN_OK)
		return fail(s, &err);
	if (o.checkout) {
		p.checkout = 1;
		p.payment = o.payment;
		p.amount = o.amount;
	}
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_order_purchase(s->db, &p, &order, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_order(s, order);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long owner = 0;
	(void)argc, (void)argv;

	if (o.owner && kn_owner_resolve(s->db, o.owner, &owner, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	return printed(s, p, kn_order_list(s->db, owner, o.status, p, &err), &err);
}

static int show(struct session *s, int argc, char **argv)
{
	long long id;
	if (argc != 1 || !order_id(argv[0], &id))
		return usage_error("order", NULL, "order show needs one ORDER id");
	return show_order(s, id);
}

static int checkout(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1 || !order_id(argv[0], &id) || (o.payment == NULL) == !o.on_account)
		return usage_error("order", NULL, "usage: kennel order checkout ORDER "
		                   "(--payment TYPE [--amount MONEY] | --on-account) [--send]");
	int queued = 0;
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_order_checkout(s->db, id, o.payment, o.amount, &err) != KN_OK ||
	    (o.send && kn_invoice_notify(s->db, id, getenv("KENNEL_TEMPLATES"), &queued, &err) != KN_OK) ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	if (queued)
		say(s, "invoice %lld queued to the owner ('kennel mail send' sends it)", id);
	return show_order(s, id);
}

static int void_order(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;

	if (argc != 1 || !order_id(argv[0], &id) || o.note == NULL)
		return usage_error("order", NULL, "usage: kennel order void ORDER --note TEXT");
	if (kn_tx_begin(s->db, &err) != KN_OK || kn_order_void(s->db, id, o.note, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	return show_order(s, id);
}

static int send(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	long long id;
	int queued = 0;

	if (argc != 1 || !order_id(argv[0], &id))
		return usage_error("order", NULL, "usage: kennel order send ORDER");
	if (kn_tx_begin(s->db, &err) != KN_OK ||
	    kn_invoice_notify(s->db, id, getenv("KENNEL_TEMPLATES"), &queued, &err) != KN_OK ||
	    kn_tx_commit(s->db, &err) != KN_OK)
		return fail(s, &err);
	if (queued)
		say(s, "invoice %lld queued to the owner ('kennel mail send' sends it)", id);
	else
		say(s, "invoice %lld was queued a moment ago: not queued twice", id);
	return 0;
}

const struct verb order_verbs[] = {
	{ "purchase", purchase, purchase_opts,
	  "OWNER PRODUCT [--qty N] [--note TEXT] (--cart | --checkout (--payment TYPE [--amount MONEY]"
	  " | --on-account))",
	  "An owner purchase; a package product becomes the owner's package at checkout.", NULL, 1 },
	{ "list", list, list_opts, "[--owner OWNER] [--status cart|due|paid|void]", "List orders.", NULL, 1 },
	{ "show", show, NULL, "ORDER", "One order with its items.", NULL, 1 },
	{ "checkout", checkout, checkout_opts,
	  "ORDER (--payment TYPE [--amount MONEY] | --on-account) [--send]",
	  "Check a cart out: an invoice, paid by the owner's credit and the payment, else due.",
	  NULL, 1 },
	{ "send", send, NULL, "ORDER", "Mail the invoice to the owner (template invoice).", NULL,
	  1 },
	{ "void", void_order, void_opts, "ORDER --note TEXT",
	  "Void an order; its packages are emptied, with the note in their history.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_order(int argc, char **argv)
{
	return dispatch("order", order_verbs, argc, argv);
}
