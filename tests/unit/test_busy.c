/* Unit tests, as TAP, on a real database file: while another process
 * holds the database, every show and every lookup by id answers "busy"
 * (KN_TEMPFAIL, exit 75), never "not found" (exit 1): a script that
 * retries on 75 would otherwise conclude that the owner is gone. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/kn_internal.h"

static int n, failed;

static void ok(int cond, const char *what, const struct kn_err *err)
{
	n++;
	if (!cond)
		failed++;
	printf("%sok %d - unit: busy: %s\n", cond ? "" : "not ", n, what);
	if (!cond)
		printf("# got: %d %s\n", err->status, err->msg);
}

static const char *const rows =
	"INSERT INTO owners (id, first_name, last_name, email, active, created_at,"
	" updated_at) VALUES (1, 'Ann', 'Lee', 'ann@example.com', 1, '2026-11-01T09:00:00',"
	" '2026-11-01T09:00:00');"
	"INSERT INTO pets (id, owner_id, name, species, created_at)"
	" VALUES (1, 1, 'Rex', 'dog', '2026-11-01T09:00:00');"
	"INSERT INTO products (id, name, type, price_cents, quantity, days_active, active)"
	" VALUES (1, 'Daycare', 'daycare-package', 100, 1, 30, 1);"
	"INSERT INTO orders (id, owner_id, status, total_cents, created_at)"
	" VALUES (1, 1, 'cart', 0, '2026-11-01T09:00:00');"
	"INSERT INTO packages (id, owner_id, product_id, name, type, days_bought, price_cents,"
	" number_left, end_date, created_at) VALUES (1, 1, 1, 'Daycare', 'daycare-package', 1,"
	" 100, 1, '2027-01-01', '2026-11-01T09:00:00');"
	"INSERT INTO requests (id, owner_id, service, start, end, status, requested_at)"
	" VALUES (1, 1, 'daycare', '2026-12-01', '2026-12-01', 'pending', '2026-11-01T09:00:00');"
	"INSERT INTO request_pets (request_id, pet_id) VALUES (1, 1);";

int main(void)
{
	char dir[] = "/tmp/kennel-busy-XXXXXX", path[64];
	struct kn_db *db;
	struct kn_err err = { 0 };
	int created;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof path, "%s/k.db", dir);
	struct kn_db_options o = { .path = path, .create = 1, .actor = "test", .command = "unit" };
	if (kn_db_open(&o, &db, &created, &err) != KN_OK || kn_exec(db, rows, &err) != KN_OK) {
		printf("not ok 1 - unit: busy: a database at %s: %s\n", path, err.msg);
		return 1;
	}
	/* in WAL mode readers are never blocked, so the database goes back to
	 * a rollback journal, where a writer's exclusive lock shuts readers
	 * out as a backup, a network filesystem or an old tool would */
	kn_db_close(db);
	sqlite3 *other;
	char *msg = NULL;
	o.create = 0;
	if (sqlite3_open(path, &other) != SQLITE_OK ||
	    sqlite3_exec(other, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK ||
	    kn_db_open(&o, &db, &created, &err) != KN_OK) {
		printf("not ok 1 - unit: busy: a rollback-journal database: %s%s\n",
		       msg ? msg : "", err.msg);
		return 1;
	}
	FILE *sink = fopen("/dev/null", "w");
	struct kn_printer *p = kn_printer_new(KN_FMT_JSON, sink);
	long long id;

	/* first, each of them finds its row */
	ok(kn_owner_show(db, 1, p, &err) == KN_OK, "owner show finds owner 1", &err);
	ok(kn_pet_resolve(db, "1", &id, &err) == KN_OK && id == 1, "pet 1 is found", &err);

	/* another process holds the database, as a long write or a backup
	 * taking it whole would */
	if (sqlite3_exec(other, "BEGIN EXCLUSIVE;"
	                        " UPDATE owners SET phone = '555' WHERE id = 1;",
	                 NULL, NULL, &msg) != SQLITE_OK) {
		printf("not ok %d - unit: busy: holding the database: %s\n", ++n, msg ? msg : "");
		return 1;
	}
	kn_db_busy(db, 50);
	struct kn_request_filter rf = { .id = 1 };
	ok(kn_owner_show(db, 1, p, &err) == KN_TEMPFAIL, "owner show: busy, not 'not found'", &err);
	ok(kn_pet_show(db, 1, p, &err) == KN_TEMPFAIL, "pet show: busy", &err);
	ok(kn_pet_resolve(db, "1", &id, &err) == KN_TEMPFAIL, "a pet by id: busy", &err);
	ok(kn_product_show(db, 1, p, &err) == KN_TEMPFAIL, "product show: busy", &err);
	ok(kn_product_resolve(db, "1", &id, &err) == KN_TEMPFAIL, "a product by id: busy", &err);
	ok(kn_order_show(db, 1, p, &err) == KN_TEMPFAIL, "order show: busy", &err);
	ok(kn_package_list(db, 0, 0, 0, 1, p, &err) == KN_TEMPFAIL, "package show: busy", &err);
	ok(kn_request_list(db, &rf, p, &err) == KN_TEMPFAIL, "request show: busy", &err);
	ok(kn_owner_resolve(db, "1", &id, &err) == KN_TEMPFAIL, "an owner by id: busy", &err);
	ok(strstr(err.msg, "try again later") != NULL, "and says to try again later", &err);

	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	kn_printer_free(p);
	fclose(sink);
	kn_db_close(db);
	snprintf(path, sizeof path, "rm -rf %s", dir);
	if (system(path) != 0)
		failed++;
	printf("1..%d\n", n);
	return failed != 0;
}
