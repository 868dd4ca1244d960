/* kennel report vaccinations|advisory, and kennel doctor. */
#include <stdlib.h>
#include <string.h>

#include "money/kn_money.h"

kn_status kn_report_vaccinations(struct kn_db *db, int expired, long long expiring_days,
                                 struct kn_printer *p, struct kn_err *err)
{
	char today[11], soon[11], window[11];
	struct kn_buf req = { 0 };
	sqlite3_stmt *st = NULL;
	kn_status s;

	if ((s = kn_vax_window(db, -1, today, soon, err)) != KN_OK ||
	    (s = kn_required_vaccines_json(db, &req, err)) != KN_OK)
		goto done;
	kn_date_format(kn_today() + (kn_day)(expiring_days > 0 ? expiring_days : 0), window);
	/* the latest record of each required type, per pet of an active owner:
	 * one seek of the (pet, type, expiry) index per pet and type, rows in
	 * pet order and, within a pet, in the order of vaccines.required, which
	 * is the order the plan yields them, so nothing is sorted (a GROUP BY
	 * join and an ORDER BY on the type took 1.5x as long) */
	s = kn_prepare(db, "SELECT o.id, o.first_name || ' ' || o.last_name, p.id, p.name, r.value,"
	                   " (SELECT max(v.expires_on) FROM vaccinations v"
	                   "   WHERE v.pet_id = p.id AND v.type = r.value), o.phone, o.email"
	                   " FROM pets p JOIN owners o ON o.id = p.owner_id AND o.active"
	                   " CROSS JOIN json_each(?1) r ORDER BY p.id", &st, err);
	if (s != KN_OK)
		goto done;
	sqlite3_bind_text(st, 1, req.data, -1, SQLITE_STATIC);
	kn_list_begin(p);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* the status here, not in SQL: there each mention of the expiry
		 * would run its lookup again */
		const char *expires = kn_col_text(st, 5);
		const char *status = expires == NULL ? "missing"
		                     : strcmp(expires, today) < 0 ? "expired"
		                     : strcmp(expires, soon) <= 0 ? "expiring" : "current";
		int wanted = (!expired && expiring_days < 0) ||
		             (expired && (expires == NULL || strcmp(expires, today) < 0)) ||
		             (expiring_days >= 0 && expires && strcmp(expires, today) >= 0 &&
		              strcmp(expires, window) <= 0);
		if (!wanted)
			continue;
		kn_rec_begin(p);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 0), 0);
		kn_put_str(p, "owner", kn_col_text(st, 1), 1);
		kn_put_int(p, "pet_id", sqlite3_column_int64(st, 2), 0);
		kn_put_str(p, "pet", kn_col_text(st, 3), 1);
		kn_put_str(p, "type", kn_col_text(st, 4), 1);
		kn_put_str(p, "expires_on", expires, 1);
		kn_put_str(p, "status", status, 1);
		/* a call list: who to ring or write */
		kn_put_str(p, "phone", kn_col_text(st, 6), 1);
		kn_put_str(p, "email", kn_col_text(st, 7), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "vaccination report");
done:
	sqlite3_finalize(st);
	kn_buf_free(&req);
	return s;
}

kn_status kn_report_advisory(struct kn_db *db, const char *match, struct kn_printer *p,
                             struct kn_err *err)
{
	sqlite3_stmt *st;
	/* fold() takes case and accents off both sides: "AGGRESSIVE" and
	 * "agressive dogs" are found by "aggressive" as staff would expect */
	kn_status s = kn_prepare(db, "SELECT p.id, p.name, o.id, o.first_name || ' ' || o.last_name,"
	                             " o.phone, o.email, p.advisory"
	                             " FROM pets p JOIN owners o ON o.id = p.owner_id"
	                             " WHERE p.advisory IS NOT NULL AND o.active"
	                             " AND (?1 IS NULL OR instr(fold(p.advisory), fold(?1)) > 0)"
	                             " ORDER BY p.id", &st, err);
	if (s != KN_OK)
		return s;
	if (match)
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	kn_list_begin(p);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		kn_rec_begin(p);
		kn_put_int(p, "pet_id", sqlite3_column_int64(st, 0), 1);
		kn_put_str(p, "pet", kn_col_text(st, 1), 1);
		kn_put_int(p, "owner_id", sqlite3_column_int64(st, 2), 0);
		kn_put_str(p, "owner", kn_col_text(st, 3), 1);
		kn_put_str(p, "phone", kn_col_text(st, 4), 1);
		kn_put_str(p, "email", kn_col_text(st, 5), 0);
		kn_put_str(p, "advisory", kn_col_text(st, 6), 1);
		kn_rec_end(p);
	}
	kn_list_end(p);
	if (rc != SQLITE_DONE)
		s = kn_sql_fail(db, err, "advisory report");
	sqlite3_finalize(st);
	return s;
}

/* ---- doctor ------------------------------------------------------- */

struct check {
	const char *name, *severity, *entity, *sql;
};

/* Each check is one query returning (id, detail) per record it finds. */
static const struct check checks[] = {
	{ "shared-email", "warning", "owner",
	  "SELECT o.id, o.email || ' (shared by ' || n || ' owners)' FROM owners o"
	  " JOIN (SELECT lower(email) AS e, count(*) AS n FROM owners WHERE email IS NOT NULL"
	  "       GROUP BY lower(email) HAVING count(*) > 1) d ON lower(o.email) = d.e ORDER BY o.id" },
	{ "case-variant-usernames", "error", "owner",
	  "SELECT o.id, o.username FROM owners o JOIN (SELECT lower(username) AS u FROM owners"
	  " WHERE username IS NOT NULL GROUP BY lower(username) HAVING count(*) > 1) d"
	  " ON lower(o.username) = d.u ORDER BY o.id" },
	{ "no-username", "warning", "owner",
	  "SELECT id, first_name || ' ' || last_name FROM owners WHERE active AND username IS NULL"
	  " ORDER BY id" },
	{ "missing-vaccination", "warning", "pet",
	  "SELECT p.id, p.name || ': no ' || r.value FROM pets p JOIN owners o ON o.id = p.owner_id"
	  " AND o.active CROSS JOIN json_each(?1) r WHERE NOT EXISTS (SELECT 1 FROM vaccinations v"
	  " WHERE v.pet_id = p.id AND v.type = r.value) ORDER BY p.id, r.value" },
	{ "approved-request-blocked", "error", "request",
	  "SELECT r.id, r.service || ' ' || r.start || ' to ' || r.end || ' overlaps block ' || b.id"
	  " || ' (' || b.reason || ')' FROM requests r JOIN blocks b ON (b.service IS NULL OR"
	  " b.service = r.service) AND b.start <= r.end AND b.end >= r.start"
	  " WHERE r.status = 'approved' AND NOT r.forced ORDER BY r.id" },
	{ "approved-request-over-capacity", "error", "request",
	  "WITH RECURSIVE day(d, id, last, service, n) AS ("
	  "  SELECT r.start, r.id, CASE WHEN r.service = 'boarding' THEN date(r.end, '-1 day')"
	  "   ELSE r.end END, r.service, (SELECT count(*) FROM request_pets WHERE request_id = r.id)"
	  "  FROM requests r WHERE r.status = 'approved' AND ?2 IS NOT NULL"
	  "  UNION ALL SELECT date(d, '+1 day'), id, last, service, n FROM day WHERE d < last),"
	  " load(service, d, used) AS (SELECT service, d, sum(n) FROM day GROUP BY service, d)"
	  " SELECT DISTINCT day.id, day.service || ' on ' || day.d || ': ' || l.used || ' of '"
	  " || coalesce(c1.units, c0.units) FROM day JOIN load l ON l.service = day.service"
	  " AND l.d = day.d LEFT JOIN capacity c1 ON c1.service = day.service AND c1.day = day.d"
	  " LEFT JOIN capacity c0 ON c0.service = day.service AND c0.day = ''"
	  " WHERE l.used > coalesce(c1.units, c0.units) GROUP BY day.id ORDER BY day.id" },
	{ "approved-request-vaccination", "error", "request",
	  "SELECT r.id, p.name || ': ' || v.value || ' not current through ' || r.end"
	  " FROM requests r JOIN request_pets rp ON rp.request_id = r.id JOIN pets p ON p.id = rp.pet_id"
	  " CROSS JOIN json_each(?1) v WHERE r.status = 'approved' AND NOT r.forced"
	  " AND r.end >= ?2 AND coalesce((SELECT max(expires_on) FROM vaccinations x"
	  "  WHERE x.pet_id = p.id AND x.type = v.value), '') < r.end ORDER BY r.id" },
	{ "package-past-end", "warning", "package",
	  "SELECT id, name || ': ' || number_left || ' left, ended ' || end_date FROM packages"
	  " WHERE number_left > 0 AND end_date < ?2 ORDER BY id" },
	/* report unbalanced, in the doctor's words */
	{ "unbalanced-order", "warning", "order", KN_UNBALANCED_ORDERS_SQL },
	{ "unbalanced-payment", "warning", "payment", KN_UNBALANCED_PAYMENTS_SQL },
	/* what a schema upgrade changed in the data (migration 17's orders) */
	{ "upgrade-changed", "info", "order",
	  "SELECT entity_id, 'schema ' || version || ': ' || note FROM upgrade_notes"
	  " ORDER BY id" },
};

static void finding(struct kn_printer *p, const char *check, const char *severity,
                    const char *entity, long long id, const char *detail)
{
	kn_rec_begin(p);
	kn_put_str(p, "severity", severity, 1);
	kn_put_str(p, "check", check, 1);
	kn_put_str(p, "entity", entity, 1);
	kn_put_int(p, "id", id, 1);
	kn_put_str(p, "detail", detail, 1);
	kn_rec_end(p);
}

kn_status kn_doctor(struct kn_db *db, struct kn_printer *p, int *errors, struct kn_err *err)
{
	struct kn_buf req = { 0 };
	sqlite3_stmt *st;
	kn_status s;

	*errors = 0;
	if ((s = kn_required_vaccines_json(db, &req, err)) != KN_OK)
		return s;
	kn_list_begin(p);
	/* emails the rules would refuse today, say from before a migration */
	if ((s = kn_prepare(db, "SELECT id, email FROM owners WHERE email IS NOT NULL ORDER BY id",
	                    &st, err)) == KN_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			if (kn_email_check(kn_col_text(st, 1), NULL, 0, NULL) != KN_OK) {
				finding(p, "invalid-email", "error", "owner", sqlite3_column_int64(st, 0),
				        kn_col_text(st, 1));
				(*errors)++;
			}
		sqlite3_finalize(st);
	}
	for (size_t i = 0; s == KN_OK && i < sizeof checks / sizeof checks[0]; i++) {
		if ((s = kn_prepare(db, checks[i].sql, &st, err)) != KN_OK)
			break;
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_text(st, 1, req.data, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 2) {
			char today[11];
			kn_date_format(kn_today(), today);
			sqlite3_bind_text(st, 2, today, -1, SQLITE_TRANSIENT);
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			finding(p, checks[i].name, checks[i].severity, checks[i].entity,
			        sqlite3_column_int64(st, 0), kn_col_text(st, 1));
			if (strcmp(checks[i].severity, "error") == 0)
				(*errors)++;
		}
		sqlite3_finalize(st);
	}
	kn_list_end(p);
	kn_buf_free(&req);
	return s;
}
