/* kennel prefs: typed application preferences. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

static void put_pref(struct kn_printer *p, const struct kn_pref *pref, const char *value,
                     int is_default)
{
	kn_rec_begin(p);
	kn_put_str(p, "key", pref->key, 1);
	kn_put_str(p, "value", value, 1);
	kn_put_str(p, "type", pref->type, 0);
	kn_put_bool(p, "default", is_default, 0);
	kn_put_str(p, "description", pref->help, 0);
	kn_rec_end(p);
}

static int list(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	size_t n;
	const struct kn_pref *t = kn_pref_table(&n);
	struct kn_printer *p = printer(s);
	(void)argc, (void)argv;

	kn_list_begin(p);
	for (size_t i = 0; i < n; i++) {
		char *value;
		int is_default;
		if (kn_pref_get(s->db, t[i].key, &value, &is_default, &err) != KN_OK)
			break;
		put_pref(p, &t[i], value, is_default);
		free(value);
	}
	kn_list_end(p);
	int rc = finish_printer(p);
	return err.status ? fail(s, &err) : rc;
}

static int get(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };
	char *value;
	int is_default;

	if (argc != 1)
		return usage_error("prefs", NULL, "prefs get needs one KEY");
	if (kn_pref_get(s->db, argv[0], &value, &is_default, &err) != KN_OK)
		return fail(s, &err);
	if (s->format == KN_FMT_TEXT) {
		printf("%s\n", value);
	} else {
		size_t n;
		const struct kn_pref *t = kn_pref_table(&n);
		struct kn_printer *p = printer(s);
		for (size_t i = 0; i < n; i++)
			if (strcmp(t[i].key, argv[0]) == 0)
				put_pref(p, &t[i], value, is_default);
		finish_printer(p);
	}
	free(value);
	return 0;
}

static int set(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };

	if (argc != 2)
		return usage_error("prefs", NULL, "prefs set needs KEY and VALUE");
	if (kn_pref_set(s->db, argv[0], argv[1], &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

static int reset(struct session *s, int argc, char **argv)
{
	struct kn_err err = { 0 };

	if (argc != 1)
		return usage_error("prefs", NULL, "prefs reset needs one KEY");
	if (kn_pref_reset(s->db, argv[0], &err) != KN_OK)
		return fail(s, &err);
	return 0;
}

const struct verb prefs_verbs[] = {
	{ "list", list, NULL, "", "Every preference with its value, type and default.", NULL, 1 },
	{ "get", get, NULL, "KEY", "Print one preference's value.", NULL, 1 },
	{ "set", set, NULL, "KEY VALUE", "Set a preference; the value is checked against its type.", NULL, 1 },
	{ "reset", reset, NULL, "KEY", "Return a preference to its default.", NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

int cmd_prefs(int argc, char **argv)
{
	return dispatch("prefs", prefs_verbs, argc, argv);
}
