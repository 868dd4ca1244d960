/*
 * What 'kennel help GROUP' and 'kennel help GROUP VERB' print, from the
 * command tables (SPEC 1): a group lists its verbs with their summaries; a
 * verb shows its usage, its summary and each option with its meaning.
 *
 * An option means the same thing in most verbs (--dry-run, --owner,
 * --notify), so a meaning is written once, by name; a verb where the name
 * means something else has a line of its own ("blast email" --to). A test
 * walks every verb and fails on an option with no meaning.
 */
#include <stdio.h>
#include <string.h>

#include "builtin.h"

struct meaning {
	const char *where; /* "group verb", or NULL: wherever the option is */
	const char *option;
	const char *text;
};

static const struct meaning meanings[] = {
	{ NULL, "active", "only packages with days left and not past their end" },
	{ "desk board", "date", "the day of the board (default today)" },
	{ "desk in", "request", "the booking to sign in to; alone, all of its pets" },
	{ "desk in", "area", "the play area the pets go to" },
	{ "desk move", "area", "the play area the pet goes to" },
	{ NULL, "at", "when: HH:MM today, or a date and time (default now)" },
	{ "desk in", "note", "a note kept with the visit" },
	{ "desk undo", "note", "why the sign-out is undone (in the packages' history)" },
	{ "desk in", "force", "sign in where a rule or a full area refuses; recorded" },
	{ "desk move", "force", "move into a full area all the same" },
	{ "desk out", "product", "the product to charge the visit at, when several could be" },
	{ NULL, "no-package", "charge the visit; use no package days" },
	{ NULL, "card", "the report card, stored and mailed to the owner once" },
	{ NULL, "card-file", "the report card, from FILE (- for stdin)" },
	{ NULL, "pay", "check the owner's cart out at once, paid this way" },
	{ "desk out", "amount", "the amount paid, if not the cart's total" },
	{ "desk card", "send", "mail the card to the owner (once per visit)" },
	{ "desk list", "pet", "only the visits of this pet" },
	{ "desk list", "state", "only visits in, or only visits out" },
	{ "area add", "capacity", "how many pets the area holds" },
	{ "area add", "service", "the service the area is for" },
	{ NULL, "addon", "an add-on product for the stay; repeat for more" },
	{ "company set", "address", "the business's address, in the portal's footer" },
	{ NULL, "address", "street address" },
	{ NULL, "advisory", "a warning staff see wherever the pet appears (bites, meds)" },
	{ NULL, "all", "every session of the owner, not one" },
	{ NULL, "all-generated", "also every owner whose password was generated and never set" },
	{ NULL, "amount", "the amount paid, if not what is due after the owner's credit" },
	{ "order checkout", "send", "mail the invoice to the owner (template invoice)" },
	{ NULL, "void-deposit", "void the deposit invoiced for the request (paid: credit)" },
	{ "request add", "product", "the grooming, training or service product wanted, charged at sign-out" },
	{ "request recur", "product", "the product each occurrence asks for, charged at sign-out" },
	{ NULL, "days", "the weekdays: mon,tue,wed,thu,fri,sat,sun" },
	{ "request recur", "from", "the first day of the standing booking" },
	{ NULL, "until", "the last day (default: until ended); at most two years" },
	{ NULL, "every", "every N weeks (default 1)" },
	{ NULL, "time", "the drop-off time, HH:MM" },
	{ "request recur", "approve", "decide each occurrence by the approval rules as it is made" },
	{ "request recur", "note", "a note on each occurrence" },
	{ "request modify", "start", "the new drop-off day (and time)" },
	{ "request modify", "end", "the new pick-up day" },
	{ "request modify", "pet", "the pets instead of the request's" },
	{ "request modify", "addon", "the add-ons instead of the request's; repeat for more" },
	{ "request modify", "product", "the product instead of the request's" },
	{ "request modify", "note", "the note instead of the request's" },
	{ "request modify", "notify", "mail the owner the booking as it is now" },
	{ "request approve", "series", "approve the standing booking's pending occurrences" },
	{ "series skip", "note", "why that day is skipped" },
	{ "papers done", "note", "what was entered from them" },
	{ "papers list", "pending", "only papers not done yet" },
	{ "request list", "papers-needed", "only requests waiting for vaccination papers" },
	{ "request list", "series", "only the occurrences of that standing booking" },
	{ "waitlist rm", "note", "why it leaves the waitlist (default: taken off the waitlist)" },
	{ "request decline", "waitlist", "keep it waitlisted for a freed spot instead of declining it" },
	{ "request auto", "waitlist", "with --decline-rest: a request refused only as full is "
	  "waitlisted instead" },
	{ "series end", "from", "the first day without the booking (default today)" },
	{ NULL, "on-account", "check out with no payment: the invoice is due" },
	{ NULL, "method", "how the money was paid or paid back" },
	{ NULL, "ref", "the check number or card slip, for the books" },
	{ "payment add", "order", "the order it pays first (default: the oldest due)" },
	{ "payment add", "date", "the day the money came in (default today)" },
	{ "payment refund", "date", "the day the money went out (default today)" },
	{ "payment add", "note", "a note kept with the payment" },
	{ "payment void", "note", "why the payment is void (required)" },
	{ "payment refund", "note", "why the money is paid back (required)" },
	{ NULL, "month", "the month, YYYY-MM (default last month)" },
	{ "payment list", "method", "only payments made this way" },
	{ NULL, "birthday", "the pet's birthday" },
	{ NULL, "breed", "the breed" },
	{ NULL, "cart", "leave the purchase in the owner's cart" },
	{ NULL, "checkout", "check the purchase out at once (needs --payment or --on-account)" },
	{ NULL, "city", "city" },
	{ NULL, "color", "coat color" },
	{ NULL, "company", "the business's name" },
	{ "package use", "date", "the day used (default today)" },
	{ "pet temperament", "date", "the day of the evaluation (default today)" },
	{ "product add", "days", "days (uses) a package holds" },
	{ "product edit", "days", "days (uses) a package holds" },
	{ NULL, "days", "how many days ahead to look" },
	{ NULL, "days-active", "how many days a package lasts after purchase" },
	{ NULL, "decline-rest", "decline every pending request that did not fit" },
	{ "company set", "email", "the address mail comes from and owners write to" },
	{ "init", "email", "the address mail comes from and owners write to" },
	{ NULL, "email", "email address" },
	{ NULL, "email-opt-in", "send this owner blasts again" },
	{ NULL, "email-opt-out", "send this owner no blasts" },
	{ "package modify", "end", "the new end date" },
	{ NULL, "end", "the pick-up day (and time) of a stay (boarding)" },
	{ NULL, "expired", "only vaccinations already expired" },
	{ NULL, "expires", "the day the vaccination expires" },
	{ NULL, "expiring", "only what expires within DAYS days" },
	{ NULL, "external-id", "the id in the system you migrate from" },
	{ NULL, "failed", "every failed message" },
	{ NULL, "file", "read the text from FILE (- for stdin)" },
	{ NULL, "first", "first name" },
	{ NULL, "force", "book even where a rule refuses; recorded in the audit log" },
	{ "report advisory", "match", "only advisories that contain TEXT, ignoring case" },
	{ NULL, "from", "the first day" },
	{ NULL, "invite", "give the owner a login and mail the portal link with a password link" },
	{ NULL, "inactive", "include deactivated owners" },
	{ NULL, "last", "last name" },
	{ NULL, "left", "the new number of days left" },
	{ NULL, "limit", "show at most N" },
	{ NULL, "listen", "the address and port to listen on" },
	{ NULL, "map", "read a column under another header; repeat for more" },
	{ NULL, "message-file", "the owner message on the portal's home page, from FILE" },
	{ "company set", "name", "the business's name" },
	{ "product add", "name", "the product's name" },
	{ "product edit", "name", "the product's name" },
	{ NULL, "name", "the pet's name" },
	{ "request add", "note", "a note from the owner, for staff" },
	{ "request approve", "note", "a note the owner is told" },
	{ "request cancel", "note", "why it was cancelled" },
	{ "order void", "note", "why it was voided" },
	{ "package modify", "note", "why (required; kept in the package's history)" },
	{ NULL, "note", "a note kept with the order" },
	{ NULL, "notes", "notes for staff (feeding, medication)" },
	{ "block add", "notify", "mail every owner whose booking the closure overlaps" },
	{ "creds reset", "notify", "mail the link instead of printing it" },
	{ NULL, "notify", "mail each owner the decision" },
	{ NULL, "off", "no longer show them to owners" },
	{ NULL, "on", "show them to owners" },
	{ NULL, "owner", "only those of this owner" },
	{ NULL, "package-note", "the package's own note, shown at checkout" },
	{ NULL, "password-stdin", "read the password from stdin, never from argv" },
	{ NULL, "payment", "how it was paid" },
	{ NULL, "pet", "the pets, by name or id" },
	{ "vax list", "pet", "only those of this pet" },
	{ "company set", "pay-url", "the business's own https payment page, with {order}, {amount} and {owner}" },
	{ "company set", "hours", "opening hours as owners read them, in the portal's footer" },
	{ "company set", "logo", "a PNG or JPEG up to 512 KiB shown on every portal page ('' removes it)" },
	{ NULL, "phone", "phone number" },
	{ NULL, "portal-url", "the portal's address, for the links in mail" },
	{ NULL, "price", "the price, like 25.00" },
	{ NULL, "product", "the $0 package product to carry over with" },
	{ NULL, "qty", "how many (default 1)" },
	{ NULL, "quantity", "how many one purchase holds" },
	{ NULL, "queue-only", "queue the mail; 'kennel mail send' sends it" },
	{ NULL, "queued", "every queued message" },
	{ "block add", "reason", "why the business is closed, told to owners" },
	{ "request auto", "reason", "the reason the declined owners are told" },
	{ NULL, "reason", "the reason the owner is told (required)" },
	{ NULL, "rejects", "write the rows refused, with the reason, to FILE" },
	{ NULL, "report", "write one line per owner (what was done or why not) to FILE" },
	{ NULL, "reset-url", "the password-reset link, with {token} where the token goes" },
	{ NULL, "reveal-to", "give each owner a random password, written once to FILE" },
	{ NULL, "search", "only owners whose name, email or phone contains TEXT" },
	{ NULL, "service", "the service" },
	{ NULL, "sex", "the pet's sex" },
	{ "owner note add", "show-to-owner", "show the note to the owner on the portal" },
	{ NULL, "show-to-owner", "owners see and can buy it on the portal" },
	{ NULL, "shown", "only products shown to owners" },
	{ NULL, "since", "only entries since DATE" },
	{ NULL, "species", "dog, cat, ..." },
	{ NULL, "start", "the drop-off day (and time)" },
	{ NULL, "state", "state" },
	{ NULL, "status", "only those with this status" },
	{ NULL, "subject", "the subject, instead of the template's" },
	{ NULL, "template", "a shipped template, by name" },
	{ NULL, "template-file", "a template of your own, from FILE" },
	{ NULL, "threads", "how many requests are served at once" },
	{ NULL, "timezone", "the business's time zone, like America/New_York" },
	{ NULL, "to", "the last day" },
	{ "blast email", "to", "who gets it: every owner, those with or without a login, or the owners listed in FILE" },
	{ NULL, "token-stdin", "read the token from stdin, never from argv" },
	{ NULL, "trust-proxy", "take the client's address from the reverse proxy's X-Forwarded-For" },
	{ NULL, "ttl", "how long a reset link works (default 72)" },
	{ "package carryover", "type", "the package type to carry over" },
	{ "product list", "type", "only products of this type" },
	{ NULL, "type", "the product type" },
	{ NULL, "update", "update the owners that match, not only add new ones" },
	{ "pet import", "update", "update the pets that match, not only add new ones" },
	{ NULL, "username", "the portal login" },
	{ NULL, "webcam-url", "the link to the play-area webcam shown to owners" },
	{ NULL, "weight", "weight, like 30, 4.5, 4kg or 12 lb" },
	{ NULL, "with-reset-links", "put a single-use password link in each mail" },
	{ NULL, "with-username", "only owners with a portal login" },
	{ NULL, "without-username", "only owners without a portal login" },
	{ NULL, "zip", "ZIP code" },
	{ NULL, NULL, NULL },
};

static const char *meaning_of(const char *where, const char *option)
{
	const char *any = NULL;
	for (const struct meaning *m = meanings; m->option; m++) {
		if (strcmp(m->option, option) != 0)
			continue;
		if (m->where && strcmp(m->where, where) == 0)
			return m->text;
		if (m->where == NULL)
			any = m->text;
	}
	return any;
}

void verb_usage(FILE *out, const char *group, const struct verb *v)
{
	if (v->name == NULL)
		fprintf(out, "usage: kennel %s %s\n", group, v->usage ? v->usage : "");
	else if (v->sub)
		for (const struct verb *sv = v->sub; sv->name; sv++)
			fprintf(out, "usage: kennel %s %s %s %s\n", group, v->name, sv->name,
			        sv->usage ? sv->usage : "");
	else
		fprintf(out, "usage: kennel %s %s %s\n", group, v->name, v->usage ? v->usage : "");
}

static void list_verbs(FILE *out, const char *prefix, const struct verb *verbs)
{
	for (const struct verb *v = verbs; v->name; v++) {
		char name[48];
		snprintf(name, sizeof name, "%s%s", prefix, v->name);
		if (v->sub) {
			char sub[64];
			snprintf(sub, sizeof sub, "%s ", name);
			list_verbs(out, sub, v->sub);
			continue;
		}
		fprintf(out, "  %-14s %s\n", name, v->summary ? v->summary : "");
	}
}

void group_usage(FILE *out, const char *group, const struct verb *verbs)
{
	if (verbs[0].name == NULL) {
		verb_usage(out, group, &verbs[0]);
		return;
	}
	fprintf(out, "usage: kennel %s COMMAND [ARGS]\n\n", group);
	list_verbs(out, "", verbs);
	fprintf(out, "\n'kennel help %s COMMAND' shows a command's options.\n", group);
}

void verb_help(FILE *out, const char *group, const struct verb *v)
{
	char where[96], left[64];

	verb_usage(out, group, v);
	if (v->summary)
		fprintf(out, "\n%s\n", v->summary);
	snprintf(where, sizeof where, "%s%s%s", group, v->name ? " " : "", v->name ? v->name : "");
	if (v->opts && v->opts[0].name)
		fputc('\n', out);
	for (const struct kn_opt *o = v->opts; o && o->name; o++) {
		const char *text = meaning_of(where, o->name);
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
			         o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "",
			         o->arg ? o->arg : "");
		/* a long option name has its meaning on the next line, as in man */
		if (strlen(left) > 24)
			fprintf(out, "  %s\n  %-24s %s", left, "", text ? text : "(no description)");
		else
			fprintf(out, "  %-24s %s", left, text ? text : "(no description)");
		if (o->choices)
			fprintf(out, " (%s)", o->choices);
		fputc('\n', out);
	}
	fputs("\nEvery command also takes --db PATH, --json, --csv, -q, -v, -n and -h "
	      "(see 'kennel help').\n", out);
}
