#!/usr/bin/python3
"""Fills a kennel database with the books of a busy business, deterministically.

usage: gen_money.py DB OWNERS ORDERS_PER_OWNER MONTH

OWNERS owners with an email, each with ORDERS_PER_OWNER $40 invoices:
the last three checked out in MONTH (YYYY-MM), the others in the months
before it, spread over a year (so report balances has every age).  One
invoice in five is due (one in ten of those half paid); every paid
invoice has its payment, applied to it, dated the day it was checked out.
"""
import random
import sqlite3
import sys

db, owners, per, month = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(11)
y, m = int(month[:4]), int(month[5:])
c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys = ON")


def day_in(months_back, d):
    mm, yy = m - months_back, y
    while mm < 1:
        mm += 12
        yy -= 1
    return "%04d-%02d-%02d" % (yy, mm, d)


with c:
    c.execute("INSERT INTO products (id, name, type, price_cents) VALUES (1, 'Bath', 'grooming', 4000)")
    c.executemany("INSERT INTO owners (id, first_name, last_name, email, phone, created_at,"
                  " updated_at) VALUES (?, ?, ?, ?, ?, '2025-01-01T09:00:00', '2025-01-01T09:00:00')",
                  ((i, "Owner%d" % i, "Last%d" % (i % 97), "o%d@example.com" % i,
                    "555-%04d" % (i % 10000)) for i in range(1, owners + 1)))
    orders, items, pays, apps = [], [], [], []
    oid = pid = 0
    for o in range(1, owners + 1):
        for k in range(per):
            oid += 1
            back = 0 if k >= per - 3 else rnd.randint(1, 12)
            d = day_in(back, rnd.randint(1, 28))
            at = d + "T10:00:00"
            due = oid % 5 == 0
            paid = 2000 if due and oid % 10 == 0 else (0 if due else 4000)
            orders.append((oid, o, "due" if due else "paid", "card" if paid else None, 4000,
                           paid, at, None if due else at, at))
            items.append((oid, 1, 1, 4000))
            if paid:
                pid += 1
                pays.append((pid, o, paid, "card", d, oid, at))
                apps.append((pid, oid, paid, at))
    c.executemany("INSERT INTO orders (id, owner_id, status, payment_type, total_cents, paid_cents,"
                  " created_at, paid_at, checked_out_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", orders)
    c.executemany("INSERT INTO order_items (order_id, product_id, qty, price_cents)"
                  " VALUES (?, ?, ?, ?)", items)
    c.executemany("INSERT INTO payments (id, owner_id, amount_cents, method, date, order_id,"
                  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", pays)
    c.executemany("INSERT INTO payment_applications (payment_id, order_id, amount_cents, at)"
                  " VALUES (?, ?, ?, ?)", apps)
