/* kennel company: the business, its links, its message and instructions. */
#include <stdlib.h>

#include "builtin.h"

static struct {
	const char *name, *email, *phone, *timezone, *portal_url, *reset_url, *webcam_url,
		*address, *hours, *logo, *message_file, *file, *pay_url;
} o;

static const struct kn_opt set_opts[] = {
	{ "name", 0, KN_OPT_STR, &o.name, "NAME", NULL },
	{ "email", 0, KN_OPT_STR, &o.email, "ADDR", NULL },
	{ "phone", 0, KN_OPT_STR, &o.phone, "PHONE", NULL },
	{ "timezone", 0, KN_OPT_STR, &o.timezone, "TZ", NULL },
	{ "portal-url", 0, KN_OPT_STR, &o.portal_url, "URL", NULL },
	{ "reset-url", 0, KN_OPT_STR, &o.reset_url, "URL", NULL },
	{ "webcam-url", 0, KN_OPT_STR, &o.webcam_url, "URL", NULL },
	{ "address", 0, KN_OPT_STR, &o.address, "TEXT", NULL },
	{ "hours", 0, KN_OPT_STR, &o.hours, "TEXT", NULL },
	{ "pay-url", 0, KN_OPT_STR, &o.pay_url, "URL", NULL },
	{ "logo", 0, KN_OPT_STR, &o.logo, "FILE", NULL },
	{ "message-file", 0, KN_OPT_STR, &o.message_file, "FILE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static const struct kn_opt instr_opts[] = {
	{ "file", 0, KN_OPT_STR, &o.file, "FILE", NULL },
	{ NULL, 0, 0, NULL, NULL, NULL },
};

static int show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_company c;
	(void)argc, (void)argv;

	if (kn_company_get(s->db, &c, &err) != KN_OK)
		return fail(s, &err);
	struct kn_printer *p = printer(s);
	kn_company_print(p, &c);
	kn_company_free(&c);
	return finish_printer(p);
}

static int set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char *message = NULL;
	(void)argv;

	if (argc > 0)
		return usage_error("company", NULL, "unexpected argument '%s'", argv[0]);
	if (o.message_file && (message = slurp(o.message_file, &err)) == NULL)
		return fail(s, &err);
	struct kn_company c = {
		.name = (char *)o.name, .email = (char *)o.email, .phone = (char *)o.phone,
		.timezone = (char *)o.timezone, .portal_url = (char *)o.portal_url,
		.reset_url = (char *)o.reset_url, .webcam_url = (char *)o.webcam_url,
		.address = (char *)o.address, .hours = (char *)o.hours, .message = message,
		.pay_url = (char *)o.pay_url,
	};
	/* the fields and the logo are one change */
	kn_status st = kn_tx_begin(s->db, &err);
	if (st == KN_OK)
		st = kn_company_set(s->db, &c, &err);
	if (st == KN_OK && o.logo)
		st = kn_company_logo_set(s->db, o.logo, &err);
	if (st == KN_OK)
		st = kn_tx_commit(s->db, &err);
	free(message);
	if (st != KN_OK) {
		kn_tx_rollback(s->db);
		return fail(s, &err);
	}
	return show(s, 0, NULL);
}

static int instr_set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };

	if (argc != 1 || o.file == NULL)
		return usage_error("company instructions", NULL,
		                   "usage: kennel company instructions set MODULE --file FILE|-");
	char *text = slurp(o.file, &err);
	if (text == NULL)
		return fail(s, &err);
	kn_status st = kn_instructions_set(s->db, argv[0], text, &err);
	free(text);
	if (st != KN_OK)
		return fail(s, &err);
	say(s, "%s instructions set", argv[0]);
	return 0;
}

static kn_status print_instr(void *ud, const char *module, const char *text)
{
	struct kn_printer *p = ud;
	kn_rec_begin(p);
	kn_put_str(p, "module", module, 1);
	kn_put_str(p, "text", text, 1);
	kn_rec_end(p);
	return KN_OK;
}

static int instr_show(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	struct kn_printer *p = printer(s);

	kn_list_begin(p);
	kn_status st = kn_instructions_each(s->db, argc > 0 ? argv[0] : NULL, print_instr, p, &err);
	kn_list_end(p);
	int rc = finish_printer(p);
	return st != KN_OK ? fail(s, &err) : rc;
}

static const struct verb instr_verbs[] = {
	{ "set", instr_set, instr_opts, "MODULE --file FILE|-",
	  "Set the owner instructions of boarding, daycare, grooming, training or service, or how "
	  "to pay (billing).", NULL, 1 },
	{ "show", instr_show, NULL, "[MODULE]", "Show the owner instructions.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct verb company_verbs[] = {
	{ "show", show, NULL, "", "Show the business.", NULL, 1 },
	{ "set", set, set_opts,
	  "[--name NAME] [--email ADDR] [--phone PHONE] [--timezone TZ] [--portal-url URL] "
	  "[--reset-url URL] [--webcam-url URL] [--address TEXT] [--hours TEXT] [--pay-url URL] "
	  "[--logo FILE] [--message-file FILE|-]",
	  "Set the business's details; --reset-url needs {token} in it, --pay-url {order}.", NULL,
	  1 },
	{ "instructions", NULL, NULL, NULL, "Owner instructions per module.", instr_verbs, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_company(int argc, char **argv)
{
	return dispatch("company", company_verbs, argc, argv);
}
