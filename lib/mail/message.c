/* Building RFC 5322 messages: headers checked, subjects encoded. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "mail/kn_mail.h"

static int has_crlf(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

static int ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* A line of a header may hold 998 characters (RFC 5322 2.1.1); past that a
 * server refuses the message for good.  Plain text shorter than this is
 * written as it is; longer, it is folded at its spaces. */
#define HEADER_PLAIN_MAX 900
#define FOLD_AT 76

/* ASCII folded before a space, lines of about FOLD_AT; 0 when a word is too
 * long to fold that way (encoded words are cut anywhere instead). */
static int fold_ascii(struct kn_buf *b, const char *s)
{
	size_t line = 0;
	for (const char *w = s; *w;) {
		size_t n = strcspn(w + 1, " ") + 1; /* a word with its leading space */
		if (n > HEADER_PLAIN_MAX)
			return 0;
		if (line > 0 && line + n > FOLD_AT && *w == ' ') {
			kn_buf_add(b, "\r\n", 2); /* the space starts the continuation */
			line = 0;
		}
		kn_buf_add(b, w, n);
		line += n;
		w += n;
	}
	return 1;
}

static size_t longest_line(const char *s)
{
	size_t longest = 0;
	while (*s) {
		size_t n = strcspn(s, "\n");
		if (n > longest)
			longest = n;
		s += n + (s[n] == '\n');
	}
	return longest;
}

/* RFC 2045 6.7: a body with a line too long for SMTP (998) goes as
 * quoted-printable, lines of at most 76 with soft breaks, CRLF ends. */
static void quoted_printable(struct kn_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t line = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char enc[3];
		size_t n;
		if (*p == '\r')
			continue;
		if (*p == '\n') {
			kn_buf_add(b, "\r\n", 2);
			line = 0;
			continue;
		}
		int trailing_space = (*p == ' ' || *p == '\t') && (p[1] == '\n' || p[1] == '\0' ||
		                                                  p[1] == '\r');
		if ((*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') &&
		                                             !trailing_space)) {
			enc[0] = (char)*p;
			n = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[*p >> 4];
			enc[2] = hex[*p & 15];
			n = 3;
		}
		if (line + n > 75) {
			kn_buf_add(b, "=\r\n", 3);
			line = 0;
		}
		kn_buf_add(b, enc, n);
		line += n;
	}
}

/* RFC 2047: =?UTF-8?B?...?= words of at most 75 characters, never cutting
 * a UTF-8 sequence in two, folded onto continuation lines. */
static void encode_words(struct kn_buf *b, const char *s, int plain_ok)
{
	size_t len = strlen(s), pos = 0;

	if (plain_ok && ascii(s)) {
		if (len <= HEADER_PLAIN_MAX) {
			kn_buf_add(b, s, len);
			return;
		}
		size_t mark = b->len;
		if (fold_ascii(b, s))
			return;
		b->len = mark; /* a word past any line: encoded, cut anywhere */
	}
	while (pos < len) {
		size_t n = len - pos > 45 ? 45 : len - pos;
		while (pos + n < len && ((unsigned char)s[pos + n] & 0xc0) == 0x80)
			n--;
		char enc[sodium_base64_ENCODED_LEN(45, sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(enc, sizeof enc, (const unsigned char *)s + pos, n,
		                  sodium_base64_VARIANT_ORIGINAL);
		kn_buf_addf(b, "%s=?UTF-8?B?%s?=", pos ? "\r\n " : "", enc);
		pos += n;
	}
}

kn_status kn_mail_dedupe_exists(struct kn_db *db, const char *key, int *exists,
                                struct kn_err *err)
{
	sqlite3_stmt *st;
	/* cached: a blast asks it for every owner */
	kn_status s = kn_cached(db, "SELECT 1 FROM outbox WHERE dedupe_key = ?", &st, err);
	if (s != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	*exists = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return KN_OK;
}

kn_status kn_sender_load(struct kn_db *db, struct kn_sender *snd, struct kn_err *err)
{
	kn_status s;
	const char *name;

	memset(snd, 0, sizeof *snd);
	if ((s = kn_company_get(db, &snd->company, err)) != KN_OK)
		return s;
	if ((s = kn_pref_get(db, "mail.from", &snd->from, NULL, err)) != KN_OK) {
		kn_sender_free(snd);
		return s;
	}
	snd->date_style = kn_pref_date_style(db);
	name = snd->company.name;
	if (name && *name && !has_crlf(name)) {
		if (ascii(name) && strlen(name) > HEADER_PLAIN_MAX)
			encode_words(&snd->from_header, name, 0); /* specials and all, encoded */
		else if (ascii(name) && strpbrk(name, "\"\\,;:<>()[]@") == NULL)
			kn_buf_addf(&snd->from_header, "%s", name);
		else if (ascii(name)) {
			kn_buf_add(&snd->from_header, "\"", 1);
			for (const char *p = name; *p; p++) {
				if (*p == '"' || *p == '\\')
					kn_buf_add(&snd->from_header, "\\", 1);
				kn_buf_add(&snd->from_header, p, 1);
			}
			kn_buf_add(&snd->from_header, "\"", 1);
		} else
			encode_words(&snd->from_header, name, 1);
		kn_buf_addf(&snd->from_header, " <%s>", snd->from);
	} else {
		kn_buf_addf(&snd->from_header, "%s", snd->from);
	}
	return KN_OK;
}

void kn_sender_free(struct kn_sender *snd)
{
	kn_company_free(&snd->company);
	free(snd->from);
	kn_buf_free(&snd->from_header);
	memset(snd, 0, sizeof *snd);
}

kn_status kn_mail_queue(struct kn_db *db, const struct kn_sender *snd,
                        const struct kn_mail_msg *m, int *queued, struct kn_err *err)
{
	char now[20], date[40], to[256], msgid[160];
	unsigned char rnd[8];
	char rnd_hex[17];
	struct kn_buf raw = { 0 };
	sqlite3_stmt *st = NULL;
	kn_status s;

	*queued = 0;
	char reply_to[256] = "";
	if (has_crlf(m->subject) || has_crlf(m->to) || has_crlf(m->unsubscribe) ||
	    has_crlf(m->reply_to))
		return kn_err_set(err, KN_FAIL, "refusing a mail header with CR or LF in it (to '%s')",
		                  m->to);
	if (kn_email_check(m->to, to, sizeof to, err) != KN_OK)
		return KN_FAIL;
	if (m->reply_to && kn_email_check(m->reply_to, reply_to, sizeof reply_to, err) != KN_OK)
		return KN_FAIL;
	if (snd->from[0] == '\0')
		return kn_err_set(err, KN_FAIL, "no sender address: set 'kennel company set --email' or "
		                  "'kennel prefs set mail.from'");
	kn_now_text(now);
	kn_rfc5322_date(now, date);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(rnd_hex, sizeof rnd_hex, rnd, sizeof rnd);
	snprintf(msgid, sizeof msgid, "<%.4s%.2s%.2s%.2s%.2s%.2s.%s@%s>", now, now + 5, now + 8,
	         now + 11, now + 14, now + 17, rnd_hex, strchr(snd->from, '@') + 1);

	kn_buf_addf(&raw, "Date: %s\r\nFrom: %s\r\n", date, snd->from_header.data);
	kn_buf_addf(&raw, "To: %s\r\nSubject: ", to);
	encode_words(&raw, m->subject, 1);
	int qp = longest_line(m->body) > HEADER_PLAIN_MAX;
	kn_buf_addf(&raw, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n"
	            "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: %s\r\n",
	            msgid, qp ? "quoted-printable" : "8bit");
	if (m->unsubscribe)
		kn_buf_addf(&raw, "List-Unsubscribe: %s\r\n", m->unsubscribe);
	if (reply_to[0])
		kn_buf_addf(&raw, "Reply-To: %s\r\n", reply_to);
	kn_buf_add(&raw, "\r\n", 2);
	if (qp) {
		quoted_printable(&raw, m->body);
	} else {
		/* line by line: CR LF for each LF, a stray CR dropped */
		for (const char *p = m->body; *p;) {
			size_t run = strcspn(p, "\r\n");
			kn_buf_add(&raw, p, run);
			p += run;
			if (*p == '\n')
				kn_buf_add(&raw, "\r\n", 2);
			if (*p)
				p++;
		}
	}
	if (raw.len < 2 || raw.data[raw.len - 1] != '\n')
		kn_buf_add(&raw, "\r\n", 2);

	s = kn_cached(db, "INSERT INTO outbox (kind, owner_id, to_addr, subject, raw, message_id,"
	                  " dedupe_key, blast_id, created_at, secret)"
	                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                  " ON CONFLICT (dedupe_key) DO NOTHING", &st, err);
	if (s == KN_OK) {
		sqlite3_bind_text(st, 1, m->kind, -1, SQLITE_STATIC);
		if (m->owner_id > 0)
			sqlite3_bind_int64(st, 2, m->owner_id);
		sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, m->subject, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, raw.data, (int)raw.len, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, msgid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, m->dedupe_key, -1, SQLITE_STATIC);
		if (m->blast_id > 0)
			sqlite3_bind_int64(st, 8, m->blast_id);
		sqlite3_bind_text(st, 9, now, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 10, m->secret != 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "queueing mail");
		else
			*queued = sqlite3_changes(db->h) == 1;
		sqlite3_reset(st);
	}
	kn_buf_free(&raw);
	return s;
}

void kn_owner_vars_fill(struct kn_owner_vars *v, const struct kn_owner *o,
                        const struct kn_company *c, const char *reset_url)
{
	size_t n = 0;
	snprintf(v->id, sizeof v->id, "%lld", o->id);
#define KN_VAR(name, value) (v->names[n] = name, v->values[n] = (value) ? (value) : "", n++)
	KN_VAR("owner.id", v->id);
	KN_VAR("owner.first_name", o->first_name);
	KN_VAR("owner.last_name", o->last_name);
	KN_VAR("owner.email", o->email);
	KN_VAR("owner.username", o->username);
	KN_VAR("company.name", c->name);
	KN_VAR("company.email", c->email);
	KN_VAR("company.phone", c->phone);
	KN_VAR("company.portal_url", c->portal_url);
	KN_VAR("company.webcam_url", c->webcam_url);
	KN_VAR("company.message", c->message);
	KN_VAR("company.address", c->address);
	KN_VAR("company.hours", c->hours);
	KN_VAR("reset_url", reset_url);
#undef KN_VAR
	v->vars.names = v->names;
	v->vars.values = v->values;
	v->vars.n = n;
}

void kn_owner_vars_add(struct kn_owner_vars *v, const char *name, const char *value)
{
	if (v->vars.n == sizeof v->names / sizeof v->names[0])
		abort(); /* a template's fields are fixed in the code: a bug, not input */
	v->names[v->vars.n] = name;
	v->values[v->vars.n++] = value ? value : "";
}
