#!/usr/bin/python3
"""Fills a kennel database with a day at a busy daycare, deterministically.

usage: gen_desk.py DB N DAY

N owners with one dog each, every required vaccination on file (one in
twenty expired), a daycare product, a 10-day package for every other
owner, and an approved daycare request on DAY for every dog.
"""
import random
import sqlite3
import sys

db, n, day = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rnd = random.Random(7)
now = day + "T07:00:00"
c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys = ON")
with c:
    c.execute("INSERT INTO products (name, type, price_cents) VALUES ('Daycare', 'daycare', 3000)")
    c.execute("INSERT INTO products (name, type, price_cents, days, days_active)"
              " VALUES ('10 Day Pack', 'daycare-package', 25000, 10, 180)")
    c.executemany("INSERT INTO owners (id, first_name, last_name, email, phone, created_at,"
                  " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  ((i, "Owner%d" % i, "Last%d" % (i % 97), "o%d@example.com" % i,
                    "555-%04d" % (i % 10000), now, now) for i in range(1, n + 1)))
    c.executemany("INSERT INTO pets (id, owner_id, name, advisory, created_at) VALUES (?, ?, ?, ?, ?)",
                  ((i, i, "Dog%d" % i, "bites when fed" if i % 50 == 0 else None, now)
                   for i in range(1, n + 1)))
    c.executemany("INSERT INTO vaccinations (pet_id, type, expires_on) VALUES (?, ?, ?)",
                  ((i, t, "2026-01-01" if i % 20 == 0 and t == "rabies" else "2027-10-01")
                   for i in range(1, n + 1) for t in ("rabies", "distemper", "bordetella")))
    c.executemany("INSERT INTO orders (id, owner_id, status, payment_type, total_cents, paid_cents,"
                  " created_at, paid_at) VALUES (?, ?, 'paid', 'card', 25000, 25000, ?, ?)",
                  ((i, i, now, now) for i in range(1, n + 1, 2)))
    c.executemany("INSERT INTO order_items (order_id, product_id, qty, price_cents) VALUES (?, 2, 1, 25000)",
                  ((i,) for i in range(1, n + 1, 2)))
    c.executemany("INSERT INTO packages (owner_id, product_id, order_id, name, type, days_bought,"
                  " price_cents, number_left, end_date, created_at) VALUES (?, 2, ?, '10 Day Pack',"
                  " 'daycare-package', 10, 25000, ?, '2027-05-01', ?)",
                  ((i, i, rnd.randint(1, 10), now) for i in range(1, n + 1, 2)))
    c.executemany("INSERT INTO requests (id, owner_id, service, start, end, status, requested_at,"
                  " decided_at, decided_by) VALUES (?, ?, 'daycare', ?, ?, 'approved', ?, ?, 'bench')",
                  ((i, i, day, day, now, now) for i in range(1, n + 1)))
    c.executemany("INSERT INTO request_pets (request_id, pet_id) VALUES (?, ?)",
                  ((i, i) for i in range(1, n + 1)))
c.close()
