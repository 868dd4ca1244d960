/*
 * The owner's pets on the portal (PORTAL.md 3): list, add, edit with the
 * library calls the commands use (kn_pet_add, kn_pet_edit), audited as
 * owner:ID; vaccinations shown read-only, as staff enter them from papers.
 */
#include <stdio.h>
#include <string.h>

#include "portal/kn_portal.h"

#define PET_FIELDS(X) X(name) X(species) X(breed) X(birthday) X(sex) X(color) X(weight) X(notes)
static const char *const pet_fields[] = {
#define PET_NAME(f) #f,
	PET_FIELDS(PET_NAME)
#undef PET_NAME
};
#define NPET (sizeof pet_fields / sizeof pet_fields[0])

kn_status kn_route_pets(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	sqlite3_stmt *st;
	if (db == NULL)
		return err->status;
	kn_status s = kn_prepare(db, "SELECT id, name, species, breed FROM pets WHERE owner_id = ?"
	                             " ORDER BY name COLLATE NOCASE, id", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, r->owner_id);
	kn_h_list(r->page, "pets");
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "pets");
		kn_h_int(p, "id", sqlite3_column_int64(st, 0));
		kn_h_set(p, "name", kn_col_text(st, 1));
		kn_h_set(p, "species", kn_col_text(st, 2));
		kn_h_set(p, "breed", kn_col_text(st, 3));
	}
	sqlite3_finalize(st);
	return kn_page(r, 200, "pets.html", "Your pets", err);
}

/* The pet's fields into the page (posted values win), and its
 * vaccinations; KN_FAIL with *found 0 when it is not this owner's. */
static kn_status load_pet(struct kn_page_req *r, struct kn_db *db, long long id, int *found,
                          struct kn_err *err)
{
	sqlite3_stmt *st;
	char today[11];
	*found = 0;
	kn_status s = kn_prepare(db, "SELECT name, species, breed, birthday, sex, color, weight, notes"
	                             " FROM pets WHERE id = ? AND owner_id = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*found = 1;
		for (size_t i = 0; i < NPET; i++) {
			char k[32];
			snprintf(k, sizeof k, "v_%s", pet_fields[i]);
			kn_h_default(r->page, k, kn_col_text(st, (int)i));
		}
	}
	sqlite3_finalize(st);
	if (!*found)
		return KN_OK;
	kn_h_int(r->page, "pet_id", id);
	kn_date_format(kn_today(), today);
	int style = r->set.date_style;
	kn_h_list(r->page, "vaccinations");
	if ((s = kn_prepare(db, "SELECT type, max(expires_on) FROM vaccinations WHERE pet_id = ?"
	                        " GROUP BY type ORDER BY type", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *v = kn_h_item(r->page, "vaccinations");
		const char *until = kn_col_text(st, 1);
		kn_h_set(v, "type", kn_col_text(st, 0));
		kn_h_date(v, "expires", until, style, 1);
		kn_h_set(v, "status", strcmp(until, today) < 0 ? "expired" : "current");
	}
	sqlite3_finalize(st);
	/* the papers sent: named and dated, never served back */
	kn_h_list(r->page, "papers");
	kn_h_set(r->page, "has_papers", "");
	if ((s = kn_prepare(db, "SELECT filename, uploaded_at, done_at IS NOT NULL FROM pet_papers"
	                        " WHERE pet_id = ? ORDER BY uploaded_at DESC, id DESC", &st, err)) !=
	    KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kn_hctx *p = kn_h_item(r->page, "papers");
		kn_h_set(r->page, "has_papers", "1");
		kn_h_set(p, "filename", kn_col_text(st, 0));
		kn_h_date(p, "sent", kn_col_text(st, 1), style, 0);
		kn_h_set(p, "state", sqlite3_column_int(st, 2) ? "Reviewed" : "Waiting for review");
	}
	sqlite3_finalize(st);
	return KN_OK;
}

/* A choice list for a select: the usual values, and the pet's own when it
 * is another (an import's "MN", a ferret), so saving never changes it. */
static void choices(struct kn_page_req *r, const char *list, const char *const (*opts)[2],
                    size_t n, const char *current)
{
	int seen = 0;
	kn_h_list(r->page, list);
	for (size_t i = 0; i < n; i++) {
		struct kn_hctx *o = kn_h_item(r->page, list);
		int on = current && strcmp(current, opts[i][0]) == 0;
		seen |= on;
		kn_h_set(o, "value", opts[i][0]);
		kn_h_set(o, "label", opts[i][1]);
		kn_h_set(o, "selected", on ? "1" : "");
	}
	if (!seen && current && *current) {
		struct kn_hctx *o = kn_h_item(r->page, list);
		kn_h_set(o, "value", current);
		kn_h_set(o, "label", current);
		kn_h_set(o, "selected", "1");
	}
}

static void pet_form_defaults(struct kn_page_req *r)
{
	static const char *const species[][2] = { { "dog", "Dog" }, { "cat", "Cat" },
	                                          { "other", "Other" } };
	static const char *const sexes[][2] = { { "", "Not given" }, { "male", "Male" },
	                                        { "female", "Female" },
	                                        { "male, neutered", "Male, neutered" },
	                                        { "female, spayed", "Female, spayed" } };
	const char *sp = kn_h_text(r->page, "v_species");
	choices(r, "species_options", species, sizeof species / sizeof species[0],
	        sp && *sp ? sp : "dog");
	choices(r, "sex_options", sexes, sizeof sexes / sizeof sexes[0], kn_h_text(r->page, "v_sex"));
	for (size_t i = 0; i < NPET; i++) {
		char k[32];
		snprintf(k, sizeof k, "v_%s", pet_fields[i]);
		kn_h_default(r->page, k, "");
		snprintf(k, sizeof k, "e_%s", pet_fields[i]);
		kn_h_default(r->page, k, "");
	}
	kn_h_default(r->page, "e_form", "");
	kn_h_default(r->page, "pet_id", "");
	kn_h_default(r->page, "e_papers", "");
	kn_h_default(r->page, "has_papers", "");
	kn_h_list(r->page, "vaccinations");
	kn_h_list(r->page, "papers");
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
}

kn_status kn_route_pet(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	int found;
	if (db == NULL)
		return err->status;
	kn_status s = load_pet(r, db, r->id, &found, err);
	if (s != KN_OK)
		return s;
	if (!found)
		return kn_not_found(r, err);
	pet_form_defaults(r);
	return kn_page(r, 200, "pet.html", "Your pet", err);
}

kn_status kn_route_pet_new_form(struct kn_page_req *r, struct kn_err *err)
{
	pet_form_defaults(r);
	return kn_page(r, 200, "pet.html", "Add a pet", err);
}

/* POST /pets/new and POST /pets/ID: one form, two library calls. */
static kn_status save_pet(struct kn_page_req *r, long long id, struct kn_err *err)
{
	int bad = 0, found = 1;
	struct kn_pet_change c = { 0 };
	const char *v[NPET];
	struct kn_db *db = kn_req_db(r, err);
	kn_status s;
	if (db == NULL)
		return err->status;
	if (id > 0) {
		sqlite3_stmt *st;
		if ((s = kn_prepare(db, "SELECT 1 FROM pets WHERE id = ? AND owner_id = ?", &st,
		                    err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, r->owner_id);
		found = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (!found)
			return kn_not_found(r, err);
	}
	for (size_t i = 0; i < NPET; i++) {
		v[i] = kn_field(r, pet_fields[i], &bad);
		char k[32];
		snprintf(k, sizeof k, "v_%s", pet_fields[i]);
		kn_h_set(r->page, k, v[i] ? v[i] : "");
		if (v[i] && strlen(v[i]) > (i == NPET - 1 ? 2000u : 100u)) {
			kn_field_error(r, pet_fields[i], "That is too long.");
			bad = 1;
		}
	}
	if (v[0] == NULL || *v[0] == '\0')
		kn_field_error(r, "name", "Enter your pet's name."), bad = 1;
	/* said here in the owner's words, before the library's for staff */
	kn_day born;
	if (v[3] && *v[3] && kn_date_parse(v[3], &born, NULL) != KN_OK)
		kn_field_error(r, "birthday", "Enter the birthday like 2020-05-31."), bad = 1;
	else if (v[3] && *v[3] && born > kn_today())
		kn_field_error(r, "birthday", "That day has not come yet."), bad = 1;
	struct kn_err ferr = { 0 };
	if (!bad) {
		/* in the order of PET_FIELDS; an empty species keeps the default */
		size_t k = 0;
#define PET_TAKE(f) c.f = v[k++];
		PET_FIELDS(PET_TAKE)
#undef PET_TAKE
		if (c.species && *c.species == '\0')
			c.species = NULL;
		kn_req_act_as_owner(r);
		if ((s = kn_tx_begin(db, err)) != KN_OK)
			return s;
		s = id > 0 ? kn_pet_edit(db, id, &c, &ferr) : kn_pet_add(db, r->owner_id, &c, &id, &ferr);
		if (s == KN_OK)
			s = kn_tx_commit(db, &ferr);
		if (s == KN_TEMPFAIL) {
			*err = ferr;
			return s;
		}
		if (s == KN_OK) {
			char *to = kn_arena_printf(&r->arena, "/pets/%lld?notice=saved", id);
			kn_redirect(r, to);
			return KN_OK;
		}
		kn_tx_rollback(db);
		kn_field_error(r, "form", ferr.msg);
	}
	if (id > 0 && (s = load_pet(r, db, id, &found, err)) != KN_OK)
		return s;
	pet_form_defaults(r);
	return kn_page(r, 422, "pet.html", id > 0 ? "Your pet" : "Add a pet", err);
}

kn_status kn_route_pet_new(struct kn_page_req *r, struct kn_err *err)
{
	return save_pet(r, 0, err);
}

kn_status kn_route_pet_save(struct kn_page_req *r, struct kn_err *err)
{
	return save_pet(r, r->id, err);
}


/* The upload is the pet page's own form: its section. */
kn_status kn_route_pet_papers_form(struct kn_page_req *r, struct kn_err *err)
{
	kn_redirect(r, kn_arena_printf(&r->arena, "/pets/%lld#papers", r->id));
	(void)err;
	return KN_OK;
}

kn_status kn_route_pet_papers(struct kn_page_req *r, struct kn_err *err)
{
	struct kn_db *db = kn_req_db(r, err);
	struct kn_err ferr = { 0 };
	int found;
	long long id = 0;
	if (db == NULL)
		return err->status;
	kn_status s = load_pet(r, db, r->id, &found, err);
	if (s != KN_OK)
		return s;
	if (!found)
		return kn_not_found(r, err);
	kn_req_act_as_owner(r);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		return s;
	s = kn_papers_add(db, r->id, r->file_name, r->file, r->file ? r->file_len : 0, &id, &ferr);
	if (s == KN_OK)
		s = kn_tx_commit(db, &ferr);
	if (s == KN_TEMPFAIL) {
		*err = ferr;
		return s;
	}
	if (s != KN_OK) {
		kn_tx_rollback(db);
		kn_h_set(r->page, "e_papers", ferr.msg);
		pet_form_defaults(r);
		return kn_page(r, 422, "pet.html", "Your pet", err);
	}
	kn_redirect(r, kn_arena_printf(&r->arena, "/pets/%lld?notice=papers-sent#papers", r->id));
	return KN_OK;
}
