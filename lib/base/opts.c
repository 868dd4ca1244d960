/*
 * One option parser for every verb: options are data (notmuch's
 * command-line-arguments), accepted anywhere among the arguments (git),
 * with the global options inherited by every verb.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/kn_internal.h"

/* The values of date options: a verb has at most a handful of them. */
#define DATE_SLOTS 8
static struct date_slot {
	char text[20];   /* YYYY-MM-DD and, for KN_OPT_WHEN, its time */
	char time[9];    /* "THH:MM:SS" as given, or empty */
	long offset;     /* days from today, for "today", "tomorrow", "+N", ... */
	int relative;
} date_slots[DATE_SLOTS];
static unsigned date_next;

void kn_opts_dates_resolve(void)
{
	for (unsigned i = 0; i < DATE_SLOTS; i++)
		if (date_slots[i].relative) {
			kn_date_format(kn_today() + (kn_day)date_slots[i].offset, date_slots[i].text);
			memcpy(date_slots[i].text + 10, date_slots[i].time, strlen(date_slots[i].time) + 1);
			date_slots[i].relative = 0;
		}
}

void kn_strlist_free(struct kn_strlist *l)
{
	free(l->items);
	l->items = NULL;
	l->count = l->cap = 0;
}

static void strlist_push(struct kn_strlist *l, const char *s)
{
	if (l->count + 2 > l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		l->items = kn_xrealloc(l->items, cap * sizeof *l->items);
		l->cap = cap;
	}
	l->items[l->count++] = s;
	l->items[l->count] = NULL;
}

static int choice_ok(const char *choices, const char *v)
{
	size_t n = strlen(v);
	const char *p = choices;

	while (*p) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return 1;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return 0;
}

static const struct kn_opt *find_long(const struct kn_opt *t, const char *name, size_t n)
{
	for (; t && t->name; t++)
		if (strlen(t->name) == n && strncmp(t->name, name, n) == 0)
			return t;
	return NULL;
}

static const struct kn_opt *find_short(const struct kn_opt *t, char c)
{
	for (; t && t->name; t++)
		if (t->short_name == c)
			return t;
	return NULL;
}

static kn_status store(const struct kn_opt *o, const char *shown, const char *v,
                       struct kn_err *err)
{
	switch (o->type) {
	case KN_OPT_BOOL:
		*(int *)o->value = 1;
		return KN_OK;
	case KN_OPT_STR:
		if (o->choices && !choice_ok(o->choices, v))
			return kn_err_set(err, KN_USAGE, "invalid value '%s' for %s (choose %s)", v,
			                  shown, o->choices);
		*(const char **)o->value = v;
		return KN_OK;
	case KN_OPT_INT:
	case KN_OPT_LIMIT:
	case KN_OPT_QTY: {
		long long max = o->type == KN_OPT_LIMIT ? KN_MAX_ID
		                : o->type == KN_OPT_QTY ? KN_MAX_QTY : KN_MAX_COUNT;
		if (kn_count_parse(v, shown, max, (long long *)o->value, err) != KN_OK)
			return err->status = KN_USAGE;
		return KN_OK;
	}
	case KN_OPT_DATE:
	case KN_OPT_WHEN: {
		kn_day day;
		long offset;
		struct kn_err why = { 0 };
		char date[16];
		size_t cut = o->type == KN_OPT_WHEN ? strcspn(v, "T ") : strlen(v);
		struct date_slot *slot = &date_slots[date_next % DATE_SLOTS];
		if (cut < sizeof date && strlen(v + cut) < sizeof slot->time) {
			memcpy(date, v, cut);
			date[cut] = '\0';
			if (kn_date_relative(date, &offset)) {
				/* "today" is the business's, known once the database
				 * is open: resolved then by kn_opts_dates_resolve */
				date_next++;
				slot->offset = offset;
				slot->relative = 1;
				snprintf(slot->time, sizeof slot->time, "%s%s", v[cut] ? "T" : "",
				         v[cut] ? v + cut + 1 : "");
				snprintf(slot->text, sizeof slot->text, "%s", v);
				*(const char **)o->value = slot->text;
				return KN_OK;
			}
		}
		if (o->type == KN_OPT_WHEN) {
			/* a date and a time: the library reads and judges it */
			*(const char **)o->value = v;
			return KN_OK;
		}
		if (kn_date_parse(v, &day, &why) != KN_OK)
			return kn_err_set(err, KN_USAGE, "%.200s for %s", why.msg, shown);
		date_next++;
		slot->relative = 0;
		kn_date_format(day, slot->text);
		*(const char **)o->value = slot->text;
		return KN_OK;
	}
	case KN_OPT_LIST:
		if (o->choices && !choice_ok(o->choices, v))
			return kn_err_set(err, KN_USAGE, "invalid value '%s' for %s (choose %s)", v,
			                  shown, o->choices);
		strlist_push((struct kn_strlist *)o->value, v);
		return KN_OK;
	}
	return KN_OK;
}

kn_status kn_opts_parse(const struct kn_opt *verb, const struct kn_opt *global, int argc,
                        char **argv, int *npos, struct kn_err *err)
{
	int pos = 0, only_positional = 0;

	for (int i = 0; i < argc; i++) {
		char *a = argv[i];
		const struct kn_opt *o;
		const char *value = NULL;
		char shown[80];

		if (only_positional || a[0] != '-' || a[1] == '\0') {
			argv[pos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (a[1] == '-') {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			o = find_long(verb, name, n);
			if (o == NULL)
				o = find_long(global, name, n);
			snprintf(shown, sizeof shown, "--%.*s", (int)n, name);
			if (o == NULL)
				return kn_err_set(err, KN_USAGE, "unknown option '%s'", shown);
			if (eq) {
				if (o->type == KN_OPT_BOOL)
					return kn_err_set(err, KN_USAGE, "option '%s' takes no value", shown);
				value = eq + 1;
			}
		} else {
			if (a[2] != '\0')
				return kn_err_set(err, KN_USAGE, "unknown option '%s'", a);
			o = find_short(verb, a[1]);
			if (o == NULL)
				o = find_short(global, a[1]);
			snprintf(shown, sizeof shown, "-%c", a[1]);
			if (o == NULL)
				return kn_err_set(err, KN_USAGE, "unknown option '%s'", a);
		}
		if (o->type != KN_OPT_BOOL && value == NULL) {
			if (i + 1 >= argc)
				return kn_err_set(err, KN_USAGE, "option '%s' needs a value (%s)", shown,
				                  o->arg ? o->arg : "VALUE");
			value = argv[++i];
		}
		kn_status st = store(o, shown, value, err);
		if (st != KN_OK)
			return st;
	}
	*npos = pos;
	return KN_OK;
}

static size_t levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[64];

	if (lb >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *kn_nearest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	long best_score = 0;

	for (size_t i = 0; i < n; i++) {
		size_t d = levenshtein(word, candidates[i]);
		/* a shared suffix after the dot ("daycare" for "portal.daycare")
		 * counts as near too */
		const char *dot = strchr(candidates[i], '.');
		if (dot && strcmp(dot + 1, word) == 0)
			d = 0;
		/* people get the start of a name right and the end wrong
		 * ("vaccine_days"): a long shared start outweighs the edits */
		size_t lcp = 0;
		while (word[lcp] && word[lcp] == candidates[i][lcp])
			lcp++;
		long score = 2 * (long)d - (long)lcp;
		if (best == NULL || score < best_score) {
			best_score = score;
			best_d = d;
			best = candidates[i];
		}
	}
	if (best && best_d > strlen(word) / 2 + 2)
		return NULL;
	return best;
}
