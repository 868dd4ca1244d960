/*
 * Schema migrations, numbered and shipped inside the binary.  PRAGMA
 * user_version holds the number of the last one applied.  Append only: a
 * released migration is never edited, a change is a new entry.
 */
#include "import/kn_import.h"
#include "base/kn_internal.h"
#include "owner/kn_owner.h"

const char *const kn_migrations[] = {
	/* 1: the business, preferences, owners, notes, audit log */
	"CREATE TABLE company ("
	"  id INTEGER PRIMARY KEY CHECK (id = 1),"
	"  name TEXT, email TEXT, phone TEXT, timezone TEXT, portal_url TEXT,"
	"  reset_url TEXT, webcam_url TEXT, message TEXT);"
	"INSERT INTO company (id) VALUES (1);"
	"CREATE TABLE instructions (module TEXT PRIMARY KEY, body TEXT NOT NULL);"
	"CREATE TABLE prefs (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE owners ("
	"  id INTEGER PRIMARY KEY,"
	"  external_id TEXT UNIQUE,"
	"  first_name TEXT NOT NULL CHECK (first_name <> ''),"
	"  last_name TEXT NOT NULL CHECK (last_name <> ''),"
	"  email TEXT, phone TEXT, address TEXT, city TEXT, state TEXT, zip TEXT,"
	"  username TEXT UNIQUE,"
	"  password_hash TEXT,"
	"  must_reset INTEGER NOT NULL DEFAULT 0,"
	"  email_opt_out INTEGER NOT NULL DEFAULT 0,"
	"  active INTEGER NOT NULL DEFAULT 1,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
	KN_OWNER_INDEXES_SQL
	"CREATE TABLE owner_notes ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id) ON DELETE CASCADE,"
	"  body TEXT NOT NULL, show_to_owner INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL, created_by TEXT);"
	"CREATE INDEX owner_notes_owner ON owner_notes (owner_id);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT, command TEXT,"
	"  entity TEXT NOT NULL, entity_id INTEGER, summary TEXT NOT NULL,"
	/* a batch that creates many records logs once, for the id range */
	"  entity_id_last INTEGER);"
	"CREATE INDEX audit_entity ON audit (entity, entity_id);",

	/* 2: single-use password reset tokens, stored only as a hash */
	"CREATE TABLE reset_tokens ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id) ON DELETE CASCADE,"
	"  token_hash TEXT NOT NULL UNIQUE,"
	"  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT);"
	"CREATE INDEX reset_tokens_owner ON reset_tokens (owner_id);",

	/* 3: the outbox every message goes through, and the blasts */
	"CREATE TABLE blasts ("
	"  id INTEGER PRIMARY KEY, template TEXT NOT NULL, subject TEXT,"
	"  audience TEXT NOT NULL, key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  owner_id INTEGER REFERENCES owners (id) ON DELETE SET NULL,"
	"  to_addr TEXT NOT NULL, subject TEXT NOT NULL,"
	"  raw TEXT NOT NULL,"            /* the whole message: a retry sends the same bytes */
	"  message_id TEXT NOT NULL UNIQUE,"
	"  dedupe_key TEXT NOT NULL UNIQUE,"
	"  blast_id INTEGER REFERENCES blasts (id),"
	"  status TEXT NOT NULL DEFAULT 'queued'"
	"    CHECK (status IN ('queued', 'sending', 'sent', 'failed')),"
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_attempt_at TEXT, claimed_at TEXT, last_error TEXT,"
	"  created_at TEXT NOT NULL, sent_at TEXT,"
	/* the body holds a reset link: scrubbed once delivered */
	"  secret INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX outbox_status ON outbox (status, next_attempt_at);"
	"CREATE INDEX outbox_owner ON outbox (owner_id);",

	/* 4: pets, their vaccinations, and the products the business sells */
	"CREATE TABLE pets ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	"  external_id TEXT UNIQUE,"
	"  name TEXT NOT NULL CHECK (name <> ''),"
	"  species TEXT NOT NULL DEFAULT 'dog', breed TEXT, birthday TEXT, sex TEXT, color TEXT,"
	"  weight TEXT, notes TEXT, advisory TEXT,"
	"  temperament TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (temperament IN ('pass', 'fail', 'pending')),"
	"  temperament_date TEXT,"
	"  created_at TEXT NOT NULL);"
	"CREATE INDEX pets_owner ON pets (owner_id, name COLLATE NOCASE);"
	"CREATE TABLE vaccinations ("
	"  id INTEGER PRIMARY KEY,"
	"  pet_id INTEGER NOT NULL REFERENCES pets (id) ON DELETE CASCADE,"
	"  type TEXT NOT NULL, expires_on TEXT NOT NULL,"
	"  UNIQUE (pet_id, type, expires_on));"
	KN_VAX_INDEXES_SQL
	"CREATE TABLE products ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL CHECK (name <> ''),"
	"  type TEXT NOT NULL CHECK (type IN ('boarding', 'daycare', 'grooming', 'training',"
	"    'service', 'daycare-package', 'boarding-package', 'other-package', 'retail')),"
	"  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),"
	"  quantity INTEGER, days INTEGER, days_active INTEGER,"
	"  show_to_owner INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1);",

	/* 5: what each reminder was about, so each is sent once */
	"CREATE TABLE reminders ("
	"  kind TEXT NOT NULL, item TEXT NOT NULL,"
	"  owner_id INTEGER REFERENCES owners (id) ON DELETE CASCADE,"
	"  outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,"
	"  created_at TEXT NOT NULL, PRIMARY KEY (kind, item)) WITHOUT ROWID;",

	/* 6: orders, the packages they buy, and every change to a package */
	"CREATE TABLE orders ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	"  status TEXT NOT NULL CHECK (status IN ('cart', 'paid', 'void')),"
	"  payment_type TEXT CHECK (payment_type IN ('cash', 'check', 'card', 'no-payment', 'other')),"
	"  total_cents INTEGER NOT NULL DEFAULT 0, paid_cents INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT, created_at TEXT NOT NULL, paid_at TEXT,"
	/* what identifies a carried-over row, so a re-run adds nothing */
	"  carryover_key TEXT UNIQUE);"
	"CREATE INDEX orders_owner ON orders (owner_id);"
	"CREATE TABLE order_items ("
	"  id INTEGER PRIMARY KEY,"
	"  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,"
	"  product_id INTEGER NOT NULL REFERENCES products (id),"
	"  qty INTEGER NOT NULL CHECK (qty > 0), price_cents INTEGER NOT NULL);"
	"CREATE INDEX order_items_order ON order_items (order_id);"
	"CREATE TABLE packages ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	"  product_id INTEGER NOT NULL REFERENCES products (id),"
	"  order_id INTEGER REFERENCES orders (id),"
	"  name TEXT NOT NULL, type TEXT NOT NULL,"
	"  days_bought INTEGER NOT NULL, price_cents INTEGER NOT NULL,"
	"  number_left INTEGER NOT NULL CHECK (number_left >= 0),"
	"  end_date TEXT NOT NULL, note TEXT, created_at TEXT NOT NULL);"
	"CREATE INDEX packages_owner ON packages (owner_id);"
	"CREATE INDEX packages_order ON packages (order_id);"
	"CREATE TABLE package_history ("
	"  id INTEGER PRIMARY KEY,"
	"  package_id INTEGER NOT NULL REFERENCES packages (id) ON DELETE CASCADE,"
	"  at TEXT NOT NULL, actor TEXT, action TEXT NOT NULL,"
	"  left_before INTEGER, left_after INTEGER, end_before TEXT, end_after TEXT, note TEXT);"
	"CREATE INDEX package_history_package ON package_history (package_id);",

	/* 7: service requests, their pets, capacity per day, closed periods */
	"CREATE TABLE requests ("
	"  id INTEGER PRIMARY KEY,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	"  service TEXT NOT NULL CHECK (service IN ('boarding', 'daycare', 'grooming', 'training',"
	"    'service')),"
	"  start TEXT NOT NULL, end TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'pending'"
	"    CHECK (status IN ('pending', 'approved', 'declined', 'cancelled')),"
	"  requested_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT, reason TEXT,"
	"  forced INTEGER NOT NULL DEFAULT 0, note TEXT);"
	"CREATE INDEX requests_status ON requests (service, status, start);"
	"CREATE TABLE request_pets ("
	"  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
	"  pet_id INTEGER NOT NULL REFERENCES pets (id),"
	"  PRIMARY KEY (request_id, pet_id)) WITHOUT ROWID;"
	/* day '' is the service's every-day capacity; a date overrides it */
	"CREATE TABLE capacity ("
	"  service TEXT NOT NULL, day TEXT NOT NULL, units INTEGER NOT NULL CHECK (units >= 0),"
	"  PRIMARY KEY (service, day)) WITHOUT ROWID;"
	"CREATE TABLE blocks ("
	"  id INTEGER PRIMARY KEY, service TEXT, start TEXT NOT NULL, end TEXT NOT NULL,"
	"  reason TEXT NOT NULL, created_at TEXT NOT NULL);",

	/* 8: the time of day a request starts (drop-off), and its add-ons */
	"ALTER TABLE requests ADD COLUMN start_time TEXT;"
	"CREATE TABLE request_addons ("
	"  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
	"  product_id INTEGER NOT NULL REFERENCES products (id),"
	"  PRIMARY KEY (request_id, product_id)) WITHOUT ROWID;",

	/* 9: the owner each audit entry concerns, so 'kennel log --owner' finds
	 * their pets', requests' and orders' changes too */
	"ALTER TABLE audit ADD COLUMN owner_id INTEGER;"
	"UPDATE audit SET owner_id = CASE entity"
	"  WHEN 'owner' THEN CASE WHEN entity_id_last IS NULL THEN entity_id END"
	"  WHEN 'pet' THEN (SELECT owner_id FROM pets WHERE id = audit.entity_id)"
	"  WHEN 'request' THEN (SELECT owner_id FROM requests WHERE id = audit.entity_id)"
	"  WHEN 'order' THEN (SELECT owner_id FROM orders WHERE id = audit.entity_id)"
	"  WHEN 'package' THEN (SELECT owner_id FROM packages WHERE id = audit.entity_id) END;"
	"CREATE INDEX audit_owner ON audit (owner_id);"
	/* the run that claimed a message being sent ("pid:start"), so a claim is
	 * taken back only when that run is gone */
	"ALTER TABLE outbox ADD COLUMN claimed_by TEXT;",

	/* 10: the owner portal.  Sessions, registrations and the calendar key
	 * are stored as hashes only; failed logins are kept for the throttle;
	 * portal_keys holds the key that signs the forms' CSRF tokens, so a
	 * restart does not break a form an owner has open. */
	"CREATE TABLE portal_sessions ("
	"  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
	"  owner_id INTEGER NOT NULL REFERENCES owners (id) ON DELETE CASCADE,"
	"  created_at TEXT NOT NULL, last_seen TEXT NOT NULL, client TEXT,"
	"  ended_at TEXT, ended_why TEXT);"
	"CREATE INDEX portal_sessions_owner ON portal_sessions (owner_id);"
	"CREATE TABLE portal_failures (at TEXT NOT NULL, username TEXT NOT NULL, client TEXT NOT NULL);"
	"CREATE INDEX portal_failures_user ON portal_failures (username, at);"
	"CREATE INDEX portal_failures_client ON portal_failures (client, at);"
	"CREATE TABLE portal_registrations ("
	"  id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE,"
	"  first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL, phone TEXT,"
	"  password_hash TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
	"  used_at TEXT);"
	"CREATE TABLE portal_keys (name TEXT PRIMARY KEY, value BLOB NOT NULL);"
	/* the calendar feed's key, looked up by its hash; a table of its own,
	 * so owner imports keep their indexes */
	"CREATE TABLE portal_calendar_keys ("
	"  owner_id INTEGER PRIMARY KEY REFERENCES owners (id) ON DELETE CASCADE,"
	"  nonce TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE);"
	"ALTER TABLE outbox ADD COLUMN reply_to TEXT;",
	/* every portal form that mails a stranger's address (forgot, register):
	 * capped per address and per client, like failed logins */
	"CREATE TABLE portal_mail_asks (at TEXT NOT NULL, kind TEXT NOT NULL,"
	"  target TEXT NOT NULL, client TEXT NOT NULL);"
	"CREATE INDEX portal_mail_asks_target ON portal_mail_asks (target, at);"
	"CREATE INDEX portal_mail_asks_client ON portal_mail_asks (client, at);",
	/* the calendar feed's key is random and only its hash is kept: a copy
	 * of the database (a backup) no longer holds what makes the link */
	("ALTER TABLE portal_calendar_keys DROP COLUMN nonce;"
	 "ALTER TABLE portal_calendar_keys ADD COLUMN created_at TEXT;"),
	/* 13: what the portal's footer and header show: the address, the
	 * opening hours, the logo (PNG or JPEG, checked from its bytes) */
	("ALTER TABLE company ADD COLUMN address TEXT;"
	 "ALTER TABLE company ADD COLUMN hours TEXT;"
	 "ALTER TABLE company ADD COLUMN logo BLOB;"
	 "ALTER TABLE company ADD COLUMN logo_type TEXT;"),
	/* 14: the pick-up time of a stay, beside the drop-off time */
	"ALTER TABLE requests ADD COLUMN end_time TEXT;",
	/* 15: a request that waits for the pet's vaccination papers */
	"ALTER TABLE requests ADD COLUMN papers_needed INTEGER NOT NULL DEFAULT 0;",
	/* 16: the front desk.  A visit is one pet signed in to one service;
	 * one visit in per pet (the index), so two desks signing the same pet
	 * in at once make one.  A sign-out's package days and charges name
	 * their visit, so an undo finds them.  Products gain the type fee (the
	 * late pick-up fee): a CHECK cannot be altered, so the table is
	 * rebuilt in SQLite's order (new table, copy, drop, rename), with the
	 * foreign keys off (migrate()). */
	("CREATE TABLE areas ("
	 "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (name <> ''),"
	 "  capacity INTEGER CHECK (capacity >= 0), service TEXT);"
	 "CREATE TABLE visits ("
	 "  id INTEGER PRIMARY KEY,"
	 "  pet_id INTEGER NOT NULL REFERENCES pets (id),"
	 "  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  service TEXT NOT NULL CHECK (service IN ('boarding', 'daycare', 'grooming', 'training',"
	 "    'service')),"
	 "  request_id INTEGER REFERENCES requests (id),"
	 "  area_id INTEGER REFERENCES areas (id),"
	 "  day TEXT NOT NULL, in_at TEXT NOT NULL, out_at TEXT,"
	 "  state TEXT NOT NULL DEFAULT 'in' CHECK (state IN ('in', 'out')),"
	 "  units INTEGER, charge_cents INTEGER NOT NULL DEFAULT 0 CHECK (charge_cents >= 0),"
	 "  order_id INTEGER REFERENCES orders (id),"
	 "  forced INTEGER NOT NULL DEFAULT 0, note TEXT, card TEXT, card_sent_at TEXT);"
	 "CREATE UNIQUE INDEX visits_one_in ON visits (pet_id) WHERE state = 'in';"
	 "CREATE INDEX visits_day ON visits (day);"
	 "CREATE INDEX visits_out ON visits (out_at) WHERE out_at IS NOT NULL;"
	 "CREATE INDEX visits_request ON visits (request_id, pet_id);"
	 "CREATE INDEX visits_owner ON visits (owner_id);"
	 "CREATE TABLE visit_package_uses ("
	 "  visit_id INTEGER NOT NULL REFERENCES visits (id),"
	 "  package_id INTEGER NOT NULL REFERENCES packages (id),"
	 "  days INTEGER NOT NULL CHECK (days > 0),"
	 "  PRIMARY KEY (visit_id, package_id)) WITHOUT ROWID;"
	 "ALTER TABLE order_items ADD COLUMN visit_id INTEGER REFERENCES visits (id);"
	 "CREATE INDEX order_items_visit ON order_items (visit_id) WHERE visit_id IS NOT NULL;"
	 "CREATE TABLE products_with_fee ("
	 "  id INTEGER PRIMARY KEY,"
	 "  name TEXT NOT NULL CHECK (name <> ''),"
	 "  type TEXT NOT NULL CHECK (type IN ('boarding', 'daycare', 'grooming', 'training',"
	 "    'service', 'daycare-package', 'boarding-package', 'other-package', 'retail', 'fee')),"
	 "  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),"
	 "  quantity INTEGER, days INTEGER, days_active INTEGER,"
	 "  show_to_owner INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 1);"
	 "INSERT INTO products_with_fee SELECT * FROM products;"
	 "DROP TABLE products;"
	 "ALTER TABLE products_with_fee RENAME TO products;"),
	/* 17: money (SPEC payment).  An order is an invoice: cart, due, paid
	 * or void, and what pays it is rows: payments (money received),
	 * credits (given back by the business) and refunds (paid out), each
	 * applied to orders by payment_applications; orders.paid_cents is the
	 * sum of its live applications, kept in the same transaction.  The
	 * orders table is rebuilt for the new CHECK (as in 16).  Old orders
	 * move exactly: a checkout's paid_cents becomes a payment applied to
	 * its order, a 'paid' order paid below its total becomes 'due', what
	 * was paid above a total becomes credit, and each such change is a
	 * row of upgrade_notes, which 'kennel doctor' lists. */
	("CREATE TABLE upgrade_notes (id INTEGER PRIMARY KEY, version INTEGER NOT NULL,"
	 "  entity TEXT NOT NULL, entity_id INTEGER NOT NULL, note TEXT NOT NULL);"
	 "INSERT INTO upgrade_notes (version, entity, entity_id, note)"
	 " SELECT 17, 'order', id, CASE"
	 "  WHEN status = 'paid' AND paid_cents < total_cents THEN 'was paid with '"
	 "   || printf('$%.2f', paid_cents / 100.0) || ' of ' || printf('$%.2f', total_cents / 100.0)"
	 "   || ': now due ' || printf('$%.2f', (total_cents - paid_cents) / 100.0)"
	 "  WHEN status = 'paid' THEN printf('$%.2f', (paid_cents - total_cents) / 100.0)"
	 "   || ' paid above its total of ' || printf('$%.2f', total_cents / 100.0)"
	 "   || ': now account credit'"
	 "  ELSE 'void, with ' || printf('$%.2f', paid_cents / 100.0) || ' paid at checkout: no'"
	 "   || ' payment recorded for it (record a payment or refund if money is owed)' END"
	 " FROM orders WHERE (status = 'paid' AND paid_cents <> total_cents)"
	 "  OR (status = 'void' AND paid_cents > 0) ORDER BY id;"
	 "CREATE TABLE payments ("
	 "  id INTEGER PRIMARY KEY,"
	 "  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  kind TEXT NOT NULL DEFAULT 'payment' CHECK (kind IN ('payment', 'credit', 'refund')),"
	 "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	 "  method TEXT CHECK (method IN ('cash', 'check', 'card', 'other')),"
	 "  ref TEXT, date TEXT NOT NULL, note TEXT,"
	 "  order_id INTEGER REFERENCES orders (id), visit_id INTEGER REFERENCES visits (id),"
	 "  created_at TEXT NOT NULL, actor TEXT, voided_at TEXT, void_note TEXT);"
	 "CREATE INDEX payments_owner ON payments (owner_id, date);"
	 "CREATE INDEX payments_date ON payments (date);"
	 "CREATE TABLE payment_applications ("
	 "  id INTEGER PRIMARY KEY,"
	 "  payment_id INTEGER NOT NULL REFERENCES payments (id),"
	 "  order_id INTEGER NOT NULL REFERENCES orders (id),"
	 "  amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),"
	 "  at TEXT NOT NULL, released_at TEXT);"
	 "CREATE INDEX payment_applications_order ON payment_applications (order_id)"
	 "  WHERE released_at IS NULL;"
	 "CREATE INDEX payment_applications_payment ON payment_applications (payment_id);"
	 "INSERT INTO payments (owner_id, amount_cents, method, date, note, order_id, created_at,"
	 "  actor)"
	 " SELECT owner_id, paid_cents, CASE WHEN payment_type IN ('cash', 'check', 'card')"
	 "  THEN payment_type ELSE 'other' END, substr(coalesce(paid_at, created_at), 1, 10),"
	 "  'recorded at the checkout of order ' || id, id, coalesce(paid_at, created_at), 'upgrade'"
	 " FROM orders WHERE status = 'paid' AND paid_cents > 0 ORDER BY id;"
	 "CREATE TABLE orders_v17 ("
	 "  id INTEGER PRIMARY KEY,"
	 "  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  status TEXT NOT NULL CHECK (status IN ('cart', 'due', 'paid', 'void')),"
	 "  payment_type TEXT CHECK (payment_type IN ('cash', 'check', 'card', 'no-payment', 'other')),"
	 "  total_cents INTEGER NOT NULL DEFAULT 0 CHECK (total_cents >= 0),"
	 "  paid_cents INTEGER NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),"
	 "  note TEXT, created_at TEXT NOT NULL, paid_at TEXT,"
	 "  carryover_key TEXT UNIQUE, checked_out_at TEXT,"
	 "  deposit_request_id INTEGER REFERENCES requests (id));"
	 "INSERT INTO orders_v17 (id, owner_id, status, payment_type, total_cents, paid_cents, note,"
	 "  created_at, paid_at, carryover_key, checked_out_at)"
	 " SELECT id, owner_id,"
	 "  CASE WHEN status = 'paid' AND paid_cents < total_cents THEN 'due' ELSE status END,"
	 "  payment_type, total_cents,"
	 "  CASE WHEN status = 'paid' THEN min(paid_cents, total_cents) ELSE 0 END, note, created_at,"
	 "  CASE WHEN status = 'paid' AND paid_cents >= total_cents THEN paid_at END,"
	 "  carryover_key, CASE WHEN status <> 'cart' THEN coalesce(paid_at, created_at) END"
	 " FROM orders;"
	 "DROP TABLE orders;"
	 "ALTER TABLE orders_v17 RENAME TO orders;"
	 "CREATE INDEX orders_owner ON orders (owner_id);"
	 "CREATE INDEX orders_due ON orders (owner_id, checked_out_at) WHERE status = 'due';"
	 "INSERT INTO payment_applications (payment_id, order_id, amount_cents, at)"
	 " SELECT p.id, p.order_id, min(p.amount_cents, o.total_cents), p.created_at"
	 " FROM payments p JOIN orders o ON o.id = p.order_id WHERE o.total_cents > 0;"
	 ),
	/* 18: how owners pay (the business's payment page), the line of a
	 * stay's invoice that takes its deposit off, and the statements sent,
	 * once per owner and month */
	("ALTER TABLE company ADD COLUMN pay_url TEXT;"
	 /* a statement reads an owner's invoices by the day checked out */
	 "CREATE INDEX orders_checked_out ON orders (owner_id, checked_out_at);"
	 "ALTER TABLE order_items ADD COLUMN deposit_of INTEGER REFERENCES orders (id);"
	 "CREATE TABLE statements_sent (owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  month TEXT NOT NULL, outbox_id INTEGER, created_at TEXT NOT NULL,"
	 "  PRIMARY KEY (owner_id, month)) WITHOUT ROWID;"),
	/* 19: standing bookings (SPEC series) and the product a request
	 * asks for.  A series' occurrences are ordinary requests naming it;
	 * one per series and day (the index), so 'series extend' run twice,
	 * or at once, makes each day once. */
	("CREATE TABLE series ("
	 "  id INTEGER PRIMARY KEY,"
	 "  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  service TEXT NOT NULL CHECK (service IN ('daycare', 'grooming', 'training', 'service')),"
	 "  days TEXT NOT NULL, every INTEGER NOT NULL DEFAULT 1 CHECK (every BETWEEN 1 AND 8),"
	 "  from_date TEXT NOT NULL, until_date TEXT, start_time TEXT,"
	 "  product_id INTEGER REFERENCES products (id), note TEXT,"
	 "  approve INTEGER NOT NULL DEFAULT 0, made_through TEXT,"
	 "  created_at TEXT NOT NULL, ended_at TEXT);"
	 "CREATE INDEX series_owner ON series (owner_id);"
	 "CREATE TABLE series_pets (series_id INTEGER NOT NULL REFERENCES series (id),"
	 "  pet_id INTEGER NOT NULL REFERENCES pets (id), PRIMARY KEY (series_id, pet_id))"
	 "  WITHOUT ROWID;"
	 "ALTER TABLE requests ADD COLUMN series_id INTEGER REFERENCES series (id);"
	 "ALTER TABLE requests ADD COLUMN product_id INTEGER REFERENCES products (id);"
	 "CREATE UNIQUE INDEX requests_series_day ON requests (series_id, start)"
	 "  WHERE series_id IS NOT NULL;"),
	/* 20: a change an owner asks of a booking in request mode: a pending
	 * request that replaces it when staff approve it */
	("ALTER TABLE requests ADD COLUMN replaces_id INTEGER REFERENCES requests (id);"
	 "CREATE INDEX requests_replaces ON requests (replaces_id) WHERE replaces_id IS NOT NULL;"),
	/* 21: the waitlist (SPEC series, changes, waitlist).  A request kept
	 * for a freed spot is 'waitlisted' (the CHECK needs the table made
	 * again); an offer holds the spot for it until it expires, its token
	 * stored hashed, one open offer per request (the partial index). */
	("CREATE TABLE requests_v21 ("
	 "  id INTEGER PRIMARY KEY,"
	 "  owner_id INTEGER NOT NULL REFERENCES owners (id),"
	 "  service TEXT NOT NULL CHECK (service IN ('boarding', 'daycare', 'grooming', 'training',"
	 "    'service')),"
	 "  start TEXT NOT NULL, end TEXT NOT NULL,"
	 "  status TEXT NOT NULL DEFAULT 'pending'"
	 "    CHECK (status IN ('pending', 'approved', 'declined', 'cancelled', 'waitlisted')),"
	 "  requested_at TEXT NOT NULL, decided_at TEXT, decided_by TEXT, reason TEXT,"
	 "  forced INTEGER NOT NULL DEFAULT 0, note TEXT, start_time TEXT, end_time TEXT,"
	 "  papers_needed INTEGER NOT NULL DEFAULT 0, series_id INTEGER REFERENCES series (id),"
	 "  product_id INTEGER REFERENCES products (id),"
	 "  replaces_id INTEGER REFERENCES requests (id));"
	 "INSERT INTO requests_v21 (id, owner_id, service, start, end, status, requested_at,"
	 "  decided_at, decided_by, reason, forced, note, start_time, end_time, papers_needed,"
	 "  series_id, product_id, replaces_id)"
	 " SELECT id, owner_id, service, start, end, status, requested_at, decided_at, decided_by,"
	 "  reason, forced, note, start_time, end_time, papers_needed, series_id, product_id,"
	 "  replaces_id FROM requests;"
	 "DROP TABLE requests;"
	 "ALTER TABLE requests_v21 RENAME TO requests;"
	 "CREATE INDEX requests_status ON requests (service, status, start);"
	 "CREATE UNIQUE INDEX requests_series_day ON requests (series_id, start)"
	 "  WHERE series_id IS NOT NULL;"
	 "CREATE INDEX requests_replaces ON requests (replaces_id) WHERE replaces_id IS NOT NULL;"
	 /* the waitlist in its order: first asked, first offered */
	 "CREATE INDEX requests_waitlisted ON requests (requested_at, id)"
	 "  WHERE status = 'waitlisted';"
	 "CREATE TABLE waitlist_offers ("
	 "  id INTEGER PRIMARY KEY,"
	 "  request_id INTEGER NOT NULL REFERENCES requests (id),"
	 "  token_hash TEXT NOT NULL UNIQUE,"
	 "  created_at TEXT NOT NULL, expires_at TEXT NOT NULL,"
	 "  used_at TEXT, ended_at TEXT, end_reason TEXT);"
	 "CREATE UNIQUE INDEX waitlist_offers_open ON waitlist_offers (request_id)"
	 "  WHERE used_at IS NULL AND ended_at IS NULL;"
	 "CREATE INDEX waitlist_offers_request ON waitlist_offers (request_id, created_at);"),
	/* 22: vet papers an owner sent from the portal (PORTAL 3), kept in
	 * the database (a backup holds them), for staff to read and enter */
	("CREATE TABLE pet_papers ("
	 "  id INTEGER PRIMARY KEY,"
	 "  pet_id INTEGER NOT NULL REFERENCES pets (id),"
	 "  filename TEXT NOT NULL, type TEXT NOT NULL CHECK (type IN ('pdf', 'jpeg', 'png')),"
	 "  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 10485760), data BLOB NOT NULL,"
	 "  uploaded_at TEXT NOT NULL, done_at TEXT, done_by TEXT, note TEXT);"
	 "CREATE INDEX pet_papers_pet ON pet_papers (pet_id);"
	 "CREATE INDEX pet_papers_pending ON pet_papers (uploaded_at) WHERE done_at IS NULL;"),
};

const int kn_migration_count = (int)(sizeof kn_migrations / sizeof kn_migrations[0]);
