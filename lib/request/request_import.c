/*
 * kennel request import: bookings and pending requests carried over from
 * another system.  Approved rows come in as decided, without the approval
 * rules; kennel doctor reports those that break them.  A row already there
 * (same owner, service, dates and pets) is left unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "import/kn_import.h"
#include "owner/kn_owner.h"

enum { R_OWNER_EXT, R_OWNER_EMAIL, R_OWNER_ID, R_PETS, R_PET_EXT, R_SERVICE, R_START, R_END,
       R_STATUS, R_REQUESTED_AT, R_NOTE, R_COUNT };

static const struct kn_csv_field fields[R_COUNT] = {
	[R_OWNER_EXT] = { "owner_external_id", "customerid clientid customernumber", 0 },
	[R_OWNER_EMAIL] = { "owner_email", "email emailaddress owneremail", 0 },
	[R_OWNER_ID] = { "owner_id", NULL, 0 },
	[R_PETS] = { "pets", "pet petnames petname", 0 },
	[R_PET_EXT] = { "pet_external_ids", "petids petid petexternalid", 0 },
	[R_SERVICE] = { "service", "servicetype type", 1 },
	[R_START] = { "start", "startdate checkin dropoff date from", 1 },
	[R_END] = { "end", "enddate checkout pickup to", 0 },
	[R_STATUS] = { "status", NULL, 0 },
	[R_REQUESTED_AT] = { "requested_at", "requested created createdat", 0 },
	[R_NOTE] = { "note", "notes comments", 0 },
};

static kn_status setup(struct kn_import *in, struct kn_err *err)
{
	if (!kn_csv_has(in->csv, R_OWNER_EXT) && !kn_csv_has(in->csv, R_OWNER_EMAIL) &&
	    !kn_csv_has(in->csv, R_OWNER_ID))
		return kn_err_set(err, KN_FAIL, "%s: missing an owner column (owner_external_id, "
		                  "owner_email or owner_id)", kn_csv_name(in->csv));
	if (!kn_csv_has(in->csv, R_PETS) && !kn_csv_has(in->csv, R_PET_EXT))
		return kn_err_set(err, KN_FAIL, "%s: missing the pets (pets or pet_external_ids)",
		                  kn_csv_name(in->csv));
	return KN_OK;
}

static kn_status row(struct kn_import *in, struct kn_err *err)
{
	const char *v[R_COUNT];
	char why[512], list[1024];
	/* a stay carried over from another system is as long as it was */
	struct kn_request_in r = { .force = 1 };
	kn_status s;

	kn_import_values(in, v, R_COUNT);
	struct kn_err oerr; /* cleared, not zeroed: this runs once a row */
	kn_err_clear(&oerr);
	s = kn_import_owner(in, v[R_OWNER_EXT], v[R_OWNER_EMAIL], v[R_OWNER_ID], &r.owner_id, &oerr);
	if (s == KN_TEMPFAIL) {
		*err = oerr;
		return s;
	}
	if (s != KN_OK)
		return kn_import_reject(in, oerr.msg);
	const char *status = v[R_STATUS] ? v[R_STATUS] : "pending";
	if (strcmp(status, "pending") != 0 && strcmp(status, "approved") != 0) {
		snprintf(why, sizeof why, "invalid status '%s' (pending or approved)", status);
		return kn_import_reject(in, why);
	}
	const char *pets = v[R_PET_EXT] ? v[R_PET_EXT] : v[R_PETS];
	if (pets == NULL)
		return kn_import_reject(in, "no pets given");
	snprintf(list, sizeof list, "%s", pets);
	char *save = NULL;
	for (char *tok = strtok_r(list, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		char ref[300];
		struct kn_err perr = { 0 };
		while (*tok == ' ')
			tok++;
		if (r.npets == 8)
			return kn_import_reject(in, "more than 8 pets");
		if (v[R_PET_EXT])
			snprintf(ref, sizeof ref, "ext:%s", tok);
		else
			snprintf(ref, sizeof ref, "%lld/%s", r.owner_id, tok);
		if (kn_pet_resolve(in->db, ref, &r.pets[r.npets++], &perr) != KN_OK)
			return kn_import_reject(in, perr.msg);
	}
	r.service = v[R_SERVICE];
	r.start = v[R_START];
	r.end = v[R_END];
	r.note = v[R_NOTE];
	r.status = status;
	/* earlier request wins: requested_at must be a time, not "yesterday" */
	char requested_at[20];
	if (v[R_REQUESTED_AT]) {
		struct kn_err terr = { 0 };
		if (kn_time_parse(v[R_REQUESTED_AT], requested_at, &terr) != KN_OK)
			return kn_import_reject(in, terr.msg);
		r.requested_at = requested_at;
	}
	/* already imported: same owner, service, dates and first pet */
	{
		sqlite3_stmt *st;
		kn_day a, b;
		char sa[11], sb[11];
		struct kn_err derr = { 0 };
		if (r.service == NULL || r.start == NULL)
			return kn_import_reject(in, "service and start are required");
		if (kn_date_parse(r.start, &a, &derr) != KN_OK ||
		    (r.end && kn_date_parse(r.end, &b, &derr) != KN_OK))
			return kn_import_reject(in, derr.msg);
		if (!r.end)
			b = a;
		kn_date_format(a, sa);
		kn_date_format(b, sb);
		if ((s = kn_prepare(in->db, "SELECT 1 FROM requests r JOIN request_pets p ON p.request_id"
		                            " = r.id WHERE r.owner_id = ? AND r.service = ? AND r.start = ?"
		                            " AND r.end = ? AND p.pet_id = ?", &st, err)) != KN_OK)
			return s;
		sqlite3_bind_int64(st, 1, r.owner_id);
		sqlite3_bind_text(st, 2, r.service, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, sa, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, sb, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, r.pets[0]);
		int exists = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
		if (exists) {
			in->sum->unchanged++;
			return KN_OK;
		}
	}
	long long id;
	struct kn_err rerr = { 0 };
	s = kn_request_add(in->db, &r, &id, &rerr);
	if (s == KN_TEMPFAIL)
		return kn_err_set(err, s, "%s", rerr.msg);
	if (s != KN_OK)
		return kn_import_reject(in, rerr.msg);
	in->sum->created++;
	return KN_OK;
}

kn_status kn_request_import(struct kn_db *db, const struct kn_import_options *o,
                            struct kn_import_summary *sum, struct kn_err *err)
{
	static const struct kn_import_kind kind = {
		.fields = fields, .nfields = R_COUNT, .setup = setup, .row = row,
	};
	return kn_import_run(db, o, &kind, NULL, sum, err);
}
