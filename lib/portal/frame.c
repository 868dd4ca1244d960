/*
 * What every portal request goes through, once, before and after its
 * handler: the route table lookup (404, 405), the session (303 to the
 * login), the cross-site and CSRF checks (403), and the page frame with
 * its cookies.  Handlers only fill r->page and pick a template.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "owner/kn_creds.h"
#include "portal/kn_portal.h"

const char *kn_cookie_name(const struct kn_page_req *r, const char *base)
{
	/* __Host-: sent only over https, for this host and path / */
	if (strcmp(base, "session") == 0)
		return r->set.https ? "__Host-kennel_session" : "kennel_session";
	return r->set.https ? "__Host-kennel_csrf" : "kennel_csrf";
}

void kn_set_cookie(struct kn_page_req *r, const char *name, const char *value, long max_age)
{
	if (r->ncookies == (int)(sizeof r->cookies / sizeof r->cookies[0]))
		return;
	char age[32] = "";
	if (max_age >= 0)
		snprintf(age, sizeof age, "; Max-Age=%ld", max_age);
	r->cookies[r->ncookies++] = kn_arena_printf(&r->arena, "%s=%s; Path=/; HttpOnly; "
	                                            "SameSite=Lax%s%s", name, value,
	                                            r->set.https ? "; Secure" : "", age);
}

static void mac_hex(struct kn_page_req *r, const char *kind, const char *token, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, kn_srv_key(r->srv), 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)token, strlen(token));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

static const char *csrf_token(struct kn_page_req *r, int session)
{
	char hex[65];
	if (session && r->owner_id > 0) {
		mac_hex(r, "session", r->token, hex);
		return kn_arena_strdup(&r->arena, hex);
	}
	char pre[KN_TOKEN_CHARS];
	if (!r->cookie_header ||
	    !kn_cookie_get(r->cookie_header, kn_cookie_name(r, "csrf"), pre, sizeof pre) ||
	    strlen(pre) != KN_TOKEN_CHARS - 1) {
		/* one per request at most, however many forms the page has */
		static const char made[] = "made";
		const char *already = NULL;
		for (int i = 0; i < r->ncookies; i++)
			if (strncmp(r->cookies[i], kn_cookie_name(r, "csrf"),
			            strlen(kn_cookie_name(r, "csrf"))) == 0)
				already = made;
		if (already == NULL) {
			kn_token_new(r->token);
			kn_set_cookie(r, kn_cookie_name(r, "csrf"), r->token, -1);
		}
		snprintf(pre, sizeof pre, "%s", r->token);
	}
	mac_hex(r, "form", pre, hex);
	return kn_arena_strdup(&r->arena, hex);
}

const char *kn_csrf_token(struct kn_page_req *r)
{
	return csrf_token(r, r->session_route);
}

int kn_csrf_ok(struct kn_page_req *r)
{
	int dup = 0;
	const char *given = kn_form_one(&r->form, "csrf", &dup);
	char hex[65], pre[KN_TOKEN_CHARS];
	if (given == NULL || dup || strlen(given) != 64)
		return 0;
	if (r->session_route && r->owner_id > 0) {
		mac_hex(r, "session", r->token, hex);
	} else {
		if (!r->cookie_header ||
		    !kn_cookie_get(r->cookie_header, kn_cookie_name(r, "csrf"), pre, sizeof pre))
			return 0;
		mac_hex(r, "form", pre, hex);
	}
	return sodium_memcmp(hex, given, 64) == 0;
}

const char *kn_field(struct kn_page_req *r, const char *name, int *bad)
{
	int dup = 0;
	const char *v = kn_form_one(&r->form, name, &dup);
	if (dup) {
		kn_field_error(r, name, "This field was sent twice; send it once.");
		*bad = 1;
		return NULL;
	}
	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	char *t = kn_arena_strdup(&r->arena, v);
	size_t n = strlen(t);
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		t[--n] = '\0';
	return t;
}

void kn_form_defaults(struct kn_page_req *r, const char *const *fields)
{
	kn_h_set(r->page, "csrf", kn_csrf_token(r));
	kn_h_default(r->page, "e_form", "");
	for (; *fields; fields++) {
		char k[48];
		snprintf(k, sizeof k, "v_%s", *fields);
		kn_h_default(r->page, k, "");
		snprintf(k, sizeof k, "e_%s", *fields);
		kn_h_default(r->page, k, "");
	}
}

void kn_field_error(struct kn_page_req *r, const char *field, const char *msg)
{
	char key[80];
	snprintf(key, sizeof key, "e_%s", field);
	kn_h_set(r->page, key, msg);
	kn_h_set(r->page, "has_errors", "1");
}

kn_status kn_asked_too_often(struct kn_page_req *r,
                             kn_status (*page)(struct kn_page_req *, unsigned, struct kn_err *),
                             struct kn_err *err)
{
	r->retry_after = 3600;
	kn_field_error(r, "form", "Too many requests from your connection in the last hour. "
	               "Wait an hour and try again, or call us.");
	return page(r, 429, err);
}

const char *kn_safe_next(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const char *c = next; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f || *c == '\\')
			return "/";
	return next;
}

const char *kn_notice(struct kn_page_req *r)
{
	/* a code in the URL, the words here: no one can make a page say what
	 * they like by sending a link */
	static const struct { const char *code, *text; } notices[] = {
		{ "signed-out", "You are signed out." },
		{ "password-set", "Your password is set. Log in with it now." },
		{ "password-changed", "Your password was changed. Log in with the new one." },
		{ "saved", "Saved." },
		{ "papers-sent", "Thank you: the papers were sent. We will enter the vaccinations "
		                 "from them." },
		{ "requested", "Your request was sent. We will let you know when it is decided." },
		{ "papers", "Your request was sent. Before we can approve it we need your pet's "
		            "vaccination papers: send them from your pet's page (Pets), or bring them to us." },
		{ "booked", "Booked: your request is approved." },
		{ "not-booked", "We could not book it at once; your request waits for us to decide. "
		                "The reason is shown below." },
		{ "cancelled", "Your request was canceled." },
		{ "waitlisted", "We are full that day, so your request is on the waitlist: if a spot "
		                "opens we will email you a link that holds it for you." },
		{ "sent", "Your message was sent. We will answer by email." },
		{ "changed", "Your booking is changed." },
		{ "change-asked", "Your change was sent: it waits for our approval, and until then "
		                  "your booking stays as it was." },
		{ "repeat", "Your repeating booking was sent: each day waits for us to approve it, "
		            "and you will find them below." },
		{ "bought", "Bought: the package is yours now, and this invoice is on your bill." },
		{ "key", "Your calendar link was replaced: the old one no longer works." },
	};
	const char *code = kn_form_one(&r->query, "notice", NULL);
	for (size_t i = 0; code && i < sizeof notices / sizeof notices[0]; i++)
		if (strcmp(code, notices[i].code) == 0)
			return notices[i].text;
	return "";
}

kn_status kn_commit_mailed(struct kn_page_req *r, struct kn_db *db, kn_status s,
                           const char *location, struct kn_err *err)
{
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	if (s != KN_OK)
		return s;
	kn_srv_mail_wake(r->srv);
	kn_redirect(r, location);
	return KN_OK;
}

void kn_redirect(struct kn_page_req *r, const char *location)
{
	r->status = 303;
	r->location = kn_arena_strdup(&r->arena, location);
	r->body.len = 0;
}

void kn_req_act_as_owner(struct kn_page_req *r)
{
	if (r->db)
		kn_db_act_owner(r->db, r->owner_id);
}

kn_status kn_render_part(struct kn_page_req *r, const char *tmpl, const char **html,
                         struct kn_err *err)
{
	const char *text = kn_srv_template(r->srv, tmpl);
	struct kn_buf body = { 0 };
	if (text == NULL)
		return kn_err_set(err, KN_FAIL, "no portal template '%s'", tmpl);
	kn_status s = kn_html_render(tmpl, text, r->page, &body, err);
	if (s == KN_OK) {
		kn_buf_add(&body, "", 0);
		*html = kn_arena_strdup(&r->arena, body.data);
	}
	kn_buf_free(&body);
	return s;
}

/* "Logged in as": the login an owner typed, else her name; a page that
 * cannot read it just leaves it out */
static void signed_in_as(struct kn_page_req *r)
{
	struct kn_err e = { 0 };
	struct kn_db *db = kn_req_db(r, &e);
	sqlite3_stmt *st;
	if (db == NULL || kn_cached(db, "SELECT coalesce(username, first_name || ' ' || last_name)"
	                                " FROM owners WHERE id = ?", &st, &e) != KN_OK)
		return;
	sqlite3_bind_int64(st, 1, r->owner_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		kn_h_set(r->page, "signed_in_as", kn_col_text(st, 0));
	sqlite3_reset(st);
}

static void page_values(struct kn_page_req *r, const char *title)
{
	kn_h_set(r->page, "title", title);
	kn_h_set(r->page, "company_name", r->set.company_name);
	kn_h_default(r->page, "link", "");
	kn_h_default(r->page, "link_text", "");
	kn_h_default(r->page, "notice", kn_notice(r));
	kn_h_set(r->page, "signed_in", r->owner_id > 0 ? "1" : "");
	kn_h_set(r->page, "company_phone", r->set.company_phone);
	kn_h_set(r->page, "company_address", r->set.company_address);
	kn_h_set(r->page, "company_hours", r->set.company_hours);
	kn_h_set(r->page, "has_logo", r->set.has_logo ? "1" : "");
	if (r->owner_id > 0) {
		kn_h_set(r->page, "csrf_logout", csrf_token(r, 1));
		signed_in_as(r);
	}
}

/* body inside the layout; page_values() has run */
static kn_status layout(struct kn_page_req *r, unsigned status, const char *body,
                        struct kn_err *err)
{
	const char *layout = kn_srv_template(r->srv, "layout.html");
	if (layout == NULL)
		return kn_err_set(err, KN_FAIL, "no portal template 'layout.html'");
	kn_h_safe(r->page, "body", body);
	r->body.len = 0;
	kn_status s = kn_html_render("layout.html", layout, r->page, &r->body, err);
	if (s == KN_OK)
		r->status = status;
	return s;
}

kn_status kn_page_body(struct kn_page_req *r, unsigned status, const char *body,
                       const char *title, struct kn_err *err)
{
	page_values(r, title);
	return layout(r, status, body, err);
}

kn_status kn_page(struct kn_page_req *r, unsigned status, const char *tmpl, const char *title,
                  struct kn_err *err)
{
	const char *body;
	/* the part may use the page's own values too (its notice, its link) */
	page_values(r, title);
	kn_status s = kn_render_part(r, tmpl, &body, err);
	return s == KN_OK ? layout(r, status, body, err) : s;
}

kn_status kn_not_found(struct kn_page_req *r, struct kn_err *err)
{
	kn_h_set(r->page, "message", "There is no such page.");
	return kn_page(r, 404, "message.html", "Not found", err);
}

/* The simple pages of the frame itself: 403, 404, 405, 500, 503. */
static void plain_page(struct kn_page_req *r, unsigned status, const char *title, const char *text)
{
	struct kn_err err = { 0 };
	kn_h_set(r->page, "message", text);
	if (kn_page(r, status, "message.html", title, &err) != KN_OK) {
		r->body.len = 0;
		kn_buf_addf(&r->body, "%s\n", title);
		r->content_type = "text/plain; charset=utf-8";
		r->status = status;
	}
}

/* '#' an id; '*' a token of a link (base64url, 20 to 64 characters) */
static int path_match(const char *pattern, const char *path, long long *id, const char **arg)
{
	while (*pattern) {
		if (*pattern == '*') {
			size_t n = kn_link_token_span(path);
			if (n < KN_LINK_TOKEN_MIN || n > KN_LINK_TOKEN_MAX)
				return 0;
			*arg = path;
			path += n;
			pattern++;
			continue;
		}
		if (*pattern == '#') {
			long long v = 0;
			int digits = 0;
			while (*path >= '0' && *path <= '9') {
				if (v > KN_MAX_ID / 10)
					return 0;
				v = v * 10 + (*path++ - '0');
				digits++;
			}
			if (digits == 0 || digits > 16 || v == 0)
				return 0;
			*id = v;
			pattern++;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/* The page to come back to after the login: this one, query included. */
static const char *login_redirect(struct kn_page_req *r)
{
	struct kn_buf b = { 0 };
	kn_buf_add(&b, "/login?next=", 12);
	const char *here = r->uri ? r->uri : r->path;
	for (const unsigned char *c = (const unsigned char *)here; *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		    *c == '/' || *c == '-' || *c == '_' || *c == '.')
			kn_buf_add(&b, (const char *)c, 1);
		else
			kn_buf_addf(&b, "%%%02X", *c);
	}
	kn_buf_add(&b, "", 0);
	char *out = kn_arena_strdup(&r->arena, b.data);
	kn_buf_free(&b);
	return out;
}

static kn_status find_session(struct kn_page_req *r, struct kn_err *err)
{
	char token[KN_TOKEN_CHARS], hash[65], created[20], seen[20];
	long long owner = 0;
	int stale = 1;
	long idle = r->set.idle_minutes;
	if (!r->cookie_header ||
	    !kn_cookie_get(r->cookie_header, kn_cookie_name(r, "session"), token, sizeof token) ||
	    strlen(token) != KN_TOKEN_CHARS - 1)
		return KN_OK;
	kn_token_digest(token, hash);
	/* the same generation: the session's row is as it was when cached */
	if (kn_cache_session_get(kn_srv_cache(r->srv), hash, r->gen, &owner, created, seen) &&
	    kn_session_live(created, seen, idle, &stale) == KN_SESSION_LIVE && !stale) {
		r->owner_id = owner;
		memcpy(r->token, token, sizeof token);
		memcpy(r->token_hash, hash, sizeof hash);
		return KN_OK;
	}
	struct kn_db *db = kn_req_db(r, err);
	if (db == NULL)
		return err->status;
	owner = 0;
	kn_status s = kn_session_lookup(db, hash, idle, &owner, r->ended_why, sizeof r->ended_why,
	                                created, seen, err);
	if (s == KN_OK && owner > 0) {
		r->owner_id = owner;
		memcpy(r->token, token, sizeof token);
		memcpy(r->token_hash, hash, sizeof hash);
		kn_cache_session_put(kn_srv_cache(r->srv), hash, r->gen, owner, created, seen);
	}
	return s;
}

int kn_portal_upload_route(const char *method, const char *path)
{
	for (const struct kn_route *rt = kn_routes; rt->path; rt++) {
		long long id = 0;
		const char *arg = NULL;
		if (rt->upload && strcmp(rt->method, method) == 0 && path_match(rt->path, path, &id, &arg))
			return 1;
	}
	return 0;
}

void kn_portal_dispatch(struct kn_page_req *r, struct kn_err *err)
{
	const struct kn_route *hit = NULL;
	int path_known = 0;
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;
	struct kn_buf allow = { 0 };

	r->page = kn_h_new(&r->arena);
	for (const struct kn_route *rt = kn_routes; rt->path; rt++) {
		long long id = 0;
		const char *arg = NULL;
		if (!path_match(rt->path, r->path, &id, &arg))
			continue;
		path_known = 1;
		kn_buf_addf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
		if (strcmp(rt->method, method) == 0) {
			hit = rt;
			r->id = id;
			r->arg = arg;
			r->session_route = rt->session;
		}
	}
	/* the generation comes first: whatever the page then reads is at least
	 * as new as it (portal/cache.c) */
	r->reading = strcmp(method, "GET") == 0;
	r->gen = kn_cache_generation(kn_srv_cache(r->srv));
	kn_status s = kn_srv_settings(r, err);
	if (s != KN_OK)
		goto failed;
	s = find_session(r, err);
	if (s != KN_OK)
		goto failed;
	if (!path_known) {
		plain_page(r, 404, "Not found", "There is no such page.");
	} else if (hit == NULL) {
		kn_buf_add(&allow, "", 0);
		plain_page(r, 405, "Method not allowed", "This page cannot be used that way.");
		r->allow = kn_arena_strdup(&r->arena, allow.data);
	} else if (hit->session && r->owner_id == 0) {
		kn_redirect(r, login_redirect(r));
	} else if (strcmp(method, "POST") == 0 &&
	           ((r->sec_fetch_site && strcmp(r->sec_fetch_site, "cross-site") == 0) ||
	            (hit->csrf && !kn_csrf_ok(r)))) {
		plain_page(r, 403, "Forbidden", "This form has expired or did not come from this "
		           "site. Go back, reload the page and send it again.");
	} else {
		if (hit->session)
			r->no_store = 1;
		s = hit->fn(r, err);
		if (s != KN_OK)
			goto failed;
	}
	kn_buf_free(&allow);
	return;
failed:
	/* what the handler began is rolled back when its handle goes back to
	 * the pool (kn_req_db_release) */
	kn_buf_free(&allow);
	r->location = NULL;
	r->ncookies = 0;
	if (s == KN_TEMPFAIL) {
		r->retry_after = 5;
		plain_page(r, 503, "Busy", "The portal is busy right now; nothing was changed. "
		           "Try again in a few seconds.");
	} else {
		kn_srv_log(r->srv, "error: %s %s: %s", r->method, r->path, err->msg);
		plain_page(r, 500, "Something went wrong", "Something went wrong on our side; nothing "
		           "was changed. Try again later.");
	}
}
