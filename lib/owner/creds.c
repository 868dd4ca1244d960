/*
 * Owner portal credentials: bulk generation, set, check, revoke.
 *
 * The security model (also in kennel-creds(1)): a password is stored only
 * as an argon2id hash (libsodium's crypto_pwhash_str).  Passwords owners
 * choose are hashed at libsodium's INTERACTIVE limits, because people pick
 * guessable ones and stretching is what slows an offline guesser.  By
 * default bulk generation leaves no usable password at all (Django's
 * set_unusable_password): a secret nobody will ever see protects nothing
 * by being hashed slowly, and the owner enters through a reset link.  With
 * --reveal-to, each owner gets 128 random bits; a guesser needs 2^127
 * tries on average whatever the hash costs, so those are hashed at the MIN
 * limits, which keeps 100,000 owners to seconds instead of hours.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "owner/kn_creds.h"
#include "import/kn_csv.h"
#include "base/kn_outfile.h"
#include "owner/kn_owner.h"

#define CHUNK 1000
/* 129 bits, so that keeping the first character off '-' (which a
 * spreadsheet takes for a formula, and CSV output guards with a ') still
 * leaves more than 128 */
#define GENERATED_BYTES 17

kn_status kn_crypto_init(struct kn_err *err)
{
	if (sodium_init() < 0)
		return kn_err_set(err, KN_FAIL, "cannot initialise libsodium");
	return KN_OK;
}

void kn_secret_wipe(void *p, size_t n)
{
	sodium_memzero(p, n);
}

kn_status kn_password_hash(const char *password, int generated, char out[128],
                           struct kn_err *err)
{
	unsigned long long ops = generated ? crypto_pwhash_OPSLIMIT_MIN
	                                   : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = generated ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;

	if (crypto_pwhash_str_alg(out, password, strlen(password), ops, mem,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0)
		return kn_err_set(err, KN_FAIL, "hashing the password: out of memory");
	return KN_OK;
}

struct candidate {
	long long id;
	char *first, *last, *email;
	int email_count, username_taken;
};

static void free_chunk(struct candidate *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].first);
		free(c[i].last);
		free(c[i].email);
	}
}

static char *dup_or_null(const char *s)
{
	return s ? kn_xstrdup(s) : NULL;
}

static const char *const reasons[KN_SKIP_COUNT] = {
	"no-email", "invalid-email", "duplicate-email", "username-taken"
};

const char *kn_skip_reason_name(int r)
{
	return reasons[r];
}

kn_status kn_creds_bulk_generate(struct kn_db *db, const struct kn_bulk_options *o,
                                 struct kn_bulk_summary *sum, struct kn_err *err)
{
	sqlite3_stmt *select = NULL, *update = NULL;
	struct kn_outfile *report_file = NULL, *reveal_file = NULL;
	FILE *report = NULL, *reveal = NULL;
	struct candidate chunk[CHUNK];
	size_t n = 0;
	long long after = 0;
	char now[20], *lower_pref = NULL;
	kn_status s;

	memset(sum, 0, sizeof *sum);
	if ((s = kn_crypto_init(err)) != KN_OK)
		return s;
	if ((s = kn_pref_get(db, "creds.lowercase_usernames", &lower_pref, NULL, err)) != KN_OK)
		return s;
	int lowercase = strcmp(lower_pref, "true") == 0;
	free(lower_pref);
	if ((s = kn_outfile_open(db, o->reveal_path, NULL, 1, &reveal_file, err)) != KN_OK)
		return s;
	if ((s = kn_outfile_open(db, o->report_path, o->reveal_path, 0, &report_file, err)) != KN_OK) {
		kn_outfile_discard(reveal_file);
		return s;
	}
	reveal = kn_outfile_stream(reveal_file);
	report = kn_outfile_stream(report_file);
	if (reveal)
		fputs("username,password\r\n", reveal);
	if (report)
		fputs("owner_id,first_name,last_name,email,username,status,reason\r\n", report);
	if ((s = kn_tx_begin(db, err)) != KN_OK)
		goto done;
	/* in chunks by id, so the scan never runs over rows it is updating */
	if ((s = kn_prepare(db, "SELECT o.id, o.first_name, o.last_name, o.email,"
	                        /* EXISTS stops at the first other owner: a count here
	                         * made 40,000 owners sharing one email quadratic */
	                        " 1 + EXISTS (SELECT 1 FROM owners d WHERE d.email = o.email"
	                        "             COLLATE NOCASE AND d.id <> o.id),"
	                        " EXISTS (SELECT 1 FROM owners u WHERE u.username = trim(o.email)"
	                        "         COLLATE NOCASE)"
	                        " FROM owners o WHERE o.active AND o.username IS NULL AND o.id > ?"
	                        " ORDER BY o.id LIMIT ?", &select, err)) != KN_OK ||
	    (s = kn_prepare(db, "UPDATE owners SET username = ?, password_hash = ?, must_reset = 1,"
	                        " updated_at = ? WHERE id = ?", &update, err)) != KN_OK)
		goto done;
	kn_now_text(now);
	for (;;) {
		sqlite3_bind_int64(select, 1, after);
		sqlite3_bind_int(select, 2, CHUNK);
		n = 0;
		while (n < CHUNK && sqlite3_step(select) == SQLITE_ROW) {
			struct candidate *c = &chunk[n++];
			c->id = sqlite3_column_int64(select, 0);
			c->first = dup_or_null(kn_col_text(select, 1));
			c->last = dup_or_null(kn_col_text(select, 2));
			c->email = dup_or_null(kn_col_text(select, 3));
			c->email_count = sqlite3_column_int(select, 4);
			c->username_taken = sqlite3_column_int(select, 5);
		}
		sqlite3_reset(select);
		if (n == 0)
			break;
		unsigned char random[CHUNK][GENERATED_BYTES];
		if (reveal)
			randombytes_buf(random, n * GENERATED_BYTES); /* one call, not one per owner */
		for (size_t i = 0; i < n; i++) {
			struct candidate *c = &chunk[i];
			char username[256], hash[crypto_pwhash_STRBYTES];
			char password[sodium_base64_ENCODED_LEN(GENERATED_BYTES,
			                                        sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
			int reason = -1;

			sum->considered++;
			if (c->email == NULL || c->email[0] == '\0')
				reason = KN_SKIP_NO_EMAIL;
			else if (kn_email_check(c->email, username, sizeof username, NULL) != KN_OK)
				reason = KN_SKIP_INVALID_EMAIL;
			else if (c->email_count > 1)
				reason = KN_SKIP_DUPLICATE_EMAIL;
			else if (c->username_taken)
				reason = KN_SKIP_USERNAME_TAKEN;
			if (reason >= 0) {
				sum->skipped++;
				sum->by_reason[reason]++;
				if (report) {
					fprintf(report, "%lld", c->id);
					kn_csv_write_cell(report, c->first, 0);
					kn_csv_write_cell(report, c->last, 0);
					kn_csv_write_cell(report, c->email, 0);
					kn_csv_write_cell(report, NULL, 0);
					kn_csv_write_cell(report, "skipped", 0);
					kn_csv_write_cell(report, reasons[reason], 0);
					fputs("\r\n", report);
				}
				continue;
			}
			if (lowercase)
				for (char *p = username; *p; p++)
					if (*p >= 'A' && *p <= 'Z')
						*p = (char)(*p - 'A' + 'a');
			kn_bind_text(update, 1, username);
			if (reveal) {
				while ((random[i][0] >> 2) >= 62) /* '-' or '_' first: draw again */
					random[i][0] = (unsigned char)randombytes_uniform(256);
				sodium_bin2base64(password, sizeof password, random[i], GENERATED_BYTES,
				                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
				s = kn_password_hash(password, 1, hash, err);
				if (s != KN_OK)
					goto done;
				sqlite3_bind_text(update, 2, hash, -1, SQLITE_TRANSIENT);
			} else {
				sqlite3_bind_null(update, 2); /* no usable password: reset link only */
			}
			sqlite3_bind_text(update, 3, now, -1, SQLITE_STATIC);
			sqlite3_bind_int64(update, 4, c->id);
			int rc = sqlite3_step(update);
			sqlite3_reset(update);
			if (rc != SQLITE_DONE) {
				s = kn_sql_fail(db, err, "setting username");
				goto done;
			}
			if ((s = kn_audit(db, "owner", c->id, err, "credentials generated (%s)",
			                  reveal ? "password revealed to a file" : "must reset")) != KN_OK)
				goto done;
			sum->generated++;
			if (reveal) {
				kn_csv_write_cell(reveal, username, 1);
				kn_csv_write_cell(reveal, password, 0);
				fputs("\r\n", reveal);
				sodium_memzero(password, sizeof password);
			}
			if (report) {
				fprintf(report, "%lld", c->id);
				kn_csv_write_cell(report, c->first, 0);
				kn_csv_write_cell(report, c->last, 0);
				kn_csv_write_cell(report, c->email, 0);
				kn_csv_write_cell(report, username, 0);
				kn_csv_write_cell(report, "generated", 0);
				kn_csv_write_cell(report, NULL, 0);
				fputs("\r\n", report);
			}
		}
		if (reveal)
			sodium_memzero(random, sizeof random);
		after = chunk[n - 1].id;
		free_chunk(chunk, n);
		n = 0;
		if (o->progress)
			o->progress(o->ud, sum->considered, 0, 0);
	}
	s = kn_audit(db, "owner", 0, err, "bulk-generate: %lld considered, %lld generated, "
	             "%lld skipped", sum->considered, sum->generated, sum->skipped);
done:
	free_chunk(chunk, n);
	sqlite3_finalize(select);
	sqlite3_finalize(update);
	/* the revealed passwords reach the disk before the hashes commit */
	if (s == KN_OK)
		s = kn_outfile_flush(reveal_file, err);
	if (s == KN_OK)
		s = kn_outfile_flush(report_file, err);
	if (s == KN_OK)
		s = kn_tx_commit(db, err);
	else
		kn_tx_rollback(db);
	if (s != KN_OK) {
		/* passwords that were never stored, a report of what did not happen */
		kn_outfile_discard(reveal_file);
		kn_outfile_discard(report_file);
		return s;
	}
	s = kn_outfile_publish(reveal_file, err);
	kn_status rs = kn_outfile_publish(report_file, err);
	return s != KN_OK ? s : rs;
}

extern const char *const kn_common_passwords[];
extern const size_t kn_common_passwords_count;

static int cmp_word(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int kn_password_common(const char *password)
{
	char lower[64];
	size_t n = strlen(password);
	if (n >= sizeof lower)
		return 0;
	for (size_t i = 0; i <= n; i++)
		lower[i] = (char)((password[i] >= 'A' && password[i] <= 'Z') ? password[i] + 32
		                                                              : password[i]);
	const char *key = lower;
	return bsearch(&key, kn_common_passwords, kn_common_passwords_count,
	               sizeof kn_common_passwords[0], cmp_word) != NULL;
}

/* Whether the password is one character (in UTF-8, a whole one) said
 * again and again: eight spaces, "aaaaaaaa", a row of one emoji. */
static int one_character_repeated(const char *p)
{
	size_t n = strlen(p), c = 1;
	while (c < n && ((unsigned char)p[c] & 0xC0) == 0x80)
		c++;
	for (size_t i = c; i < n; i += c)
		if (i + c > n || memcmp(p + i, p, c) != 0)
			return 0;
	return 1;
}

static int only_blanks(const char *p)
{
	return p[strspn(p, " \t\r\n\v\f")] == '\0';
}

kn_status kn_password_policy(const char *password, const char *username, struct kn_err *err)
{
	if (strlen(password) < 8)
		return kn_err_set(err, KN_FAIL, "password is too short (at least 8 characters)");
	if (strlen(password) > 1024)
		return kn_err_set(err, KN_FAIL, "password is too long (at most 1024 characters)");
	if (only_blanks(password))
		return kn_err_set(err, KN_FAIL, "password is only spaces or tabs; choose one with "
		                  "letters, digits or signs");
	if (one_character_repeated(password))
		return kn_err_set(err, KN_FAIL, "password is one character repeated; choose another");
	if (username && strcasecmp(password, username) == 0)
		return kn_err_set(err, KN_FAIL, "password must not be the username");
	if (kn_password_common(password))
		return kn_err_set(err, KN_FAIL, "password is one of the most common passwords; "
		                  "choose another");
	return KN_OK;
}

static kn_status set_password(struct kn_db *db, long long id, const char *password,
                              struct kn_err *err)
{
	char hash[crypto_pwhash_STRBYTES], now[20];
	sqlite3_stmt *st;
	kn_status s = kn_password_hash(password, 0, hash, err);

	if (s != KN_OK)
		return s;
	kn_now_text(now);
	if ((s = kn_prepare(db, "UPDATE owners SET password_hash = ?, must_reset = 0,"
	                        " updated_at = ? WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "setting password");
	sqlite3_finalize(st);
	sodium_memzero(hash, sizeof hash);
	return s;
}

kn_status kn_creds_set(struct kn_db *db, long long id, const char *username,
                       const char *password, struct kn_err *err)
{
	kn_status s = kn_crypto_init(err);
	char *current = NULL;

	if (s != KN_OK)
		return s;
	if (username) {
		struct kn_owner_change c;
		kn_owner_change_init(&c);
		if (*username == '\0')
			return kn_err_set(err, KN_FAIL, "the username is empty");
		c.username = username;
		if ((s = kn_owner_edit(db, id, &c, err)) != KN_OK)
			return s;
	}
	if (password) {
		sqlite3_stmt *st;
		if ((s = kn_prepare(db, "SELECT username FROM owners WHERE id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW && kn_col_text(st, 0))
			current = kn_xstrdup(kn_col_text(st, 0));
		sqlite3_finalize(st);
		if (current == NULL)
			s = kn_err_set(err, KN_FAIL, "owner %lld has no username: set one with --username",
			               id);
		if (s == KN_OK)
			s = kn_password_policy(password, current, err);
		if (s == KN_OK)
			s = set_password(db, id, password, err);
		if (s == KN_OK)
			s = kn_audit(db, "owner", id, err, "password set");
		/* whoever was logged in with the old password is not any more */
		if (s == KN_OK)
			s = kn_login_end(db, id, "the password was changed", NULL, err);
		free(current);
	}
	return s;
}

kn_status kn_creds_check(struct kn_db *db, const char *username, const char *password,
                         struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_crypto_init(err);

	if (s != KN_OK)
		return s;
	if ((s = kn_prepare(db, "SELECT password_hash FROM owners WHERE username = ? AND active",
	                    &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *hash = kn_col_text(st, 0);
		if (hash == NULL)
			s = kn_err_set(err, KN_FAIL, "'%s' has no password yet: it is set through a reset "
			               "link", username);
		else if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
			s = kn_err_set(err, KN_FAIL, "wrong password for '%s'", username);
		sqlite3_finalize(st);
		return s;
	}
	sqlite3_finalize(st);
	/* the classic: a phone capitalised the first letter */
	if ((s = kn_prepare(db, "SELECT username FROM owners WHERE username = ? COLLATE NOCASE"
	                        " AND active LIMIT 1", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, username, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = kn_err_set(err, KN_FAIL, "no username '%s'; usernames are case sensitive and "
		               "'%s' exists", username, kn_col_text(st, 0));
	else
		s = kn_err_set(err, KN_FAIL, "no username '%s'", username);
	sqlite3_finalize(st);
	return s;
}

kn_status kn_creds_revoke(struct kn_db *db, long long id, struct kn_err *err)
{
	sqlite3_stmt *st;
	char now[20];
	kn_status s;

	kn_now_text(now);
	if ((s = kn_prepare(db, "UPDATE owners SET username = NULL, password_hash = NULL,"
	                        " must_reset = 0, updated_at = ? WHERE id = ?", &st, err)) != KN_OK)
		return s;
	sqlite3_bind_text(st, 1, now, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "revoking credentials");
	sqlite3_finalize(st);
	if (s == KN_OK && (s = kn_prepare(db, "DELETE FROM reset_tokens WHERE owner_id = ?", &st,
	                                  err)) == KN_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			s = kn_sql_fail(db, err, "revoking reset tokens");
		sqlite3_finalize(st);
	}
	if (s == KN_OK)
		s = kn_login_end(db, id, "your portal access was revoked", NULL, err);
	if (s == KN_OK)
		s = kn_audit(db, "owner", id, err, "credentials revoked");
	return s;
}

void kn_bulk_summary_print(struct kn_printer *p, const struct kn_bulk_summary *s)
{
	kn_rec_begin(p);
	kn_put_int(p, "considered", s->considered, 1);
	kn_put_int(p, "generated", s->generated, 1);
	kn_put_int(p, "skipped", s->skipped, 1);
	kn_obj_begin(p, "skipped_by_reason");
	for (int r = 0; r < KN_SKIP_COUNT; r++)
		kn_put_int(p, reasons[r], s->by_reason[r], 1);
	kn_nest_end(p);
	kn_rec_end(p);
}

/* Ends an owner's portal sessions (owner_id 0: everyone's).  Here, beside
 * the credentials, because a changed password, revoked access or a closed
 * account must end them in the same transaction; the portal only reads
 * the sessions table. */
kn_status kn_sessions_end_owner(struct kn_db *db, long long owner_id, const char *why,
                                long long *ended, struct kn_err *err)
{
	char now[20];
	sqlite3_stmt *st;
	kn_status s = kn_cached(db, "UPDATE portal_sessions SET ended_at = ?1, ended_why = ?2"
	                            " WHERE ended_at IS NULL AND (?3 IS NULL OR owner_id = ?3)",
	                        &st, err);
	if (s != KN_OK)
		return s;
	kn_now_text(now);
	sqlite3_bind_text(st, 1, now, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, why, -1, SQLITE_TRANSIENT);
	if (owner_id)
		sqlite3_bind_int64(st, 3, owner_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "ending sessions");
	else if (ended)
		*ended = sqlite3_changes(db->h);
	sqlite3_reset(st);
	return s;
}

kn_status kn_login_end(struct kn_db *db, long long owner_id, const char *why, long long *ended,
                       struct kn_err *err)
{
	sqlite3_stmt *st;
	kn_status s = kn_sessions_end_owner(db, owner_id, why, ended, err);
	if (s != KN_OK)
		return s;
	if ((s = kn_cached(db, "DELETE FROM portal_calendar_keys WHERE ?1 = 0 OR owner_id = ?1",
	                   &st, err)) != KN_OK)
		return s;
	sqlite3_bind_int64(st, 1, owner_id);
	if (sqlite3_step(st) != SQLITE_DONE)
		s = kn_sql_fail(db, err, "ending calendar feeds");
	sqlite3_reset(st);
	return s;
}
