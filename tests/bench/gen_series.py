#!/usr/bin/python3
"""Fills a kennel database with N standing daycare bookings, deterministically.

usage: gen_series.py DB N FROM

N owners with one dog each, every one with a weekly series on three
weekdays (mon,wed,fri; tue,thu,sat; ...) from FROM, none made yet: what
'kennel series extend' then makes, recur.horizon_days ahead.
"""
import sqlite3
import sys

db, n, start = sys.argv[1], int(sys.argv[2]), sys.argv[3]
now = start + "T07:00:00"
days = ["mon,wed,fri", "tue,thu,sat", "mon,tue,thu", "wed,fri,sat"]
c = sqlite3.connect(db)
c.execute("PRAGMA foreign_keys = ON")
with c:
    c.executemany("INSERT INTO owners (id, first_name, last_name, email, created_at, updated_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  ((i, "Owner%d" % i, "Last%d" % (i % 97), "o%d@example.com" % i, now, now)
                   for i in range(1, n + 1)))
    c.executemany("INSERT INTO pets (id, owner_id, name, created_at) VALUES (?, ?, ?, ?)",
                  ((i, i, "Dog%d" % i, now) for i in range(1, n + 1)))
    c.executemany("INSERT INTO series (id, owner_id, service, days, every, from_date, start_time,"
                  " created_at) VALUES (?, ?, 'daycare', ?, 1, ?, '08:00', ?)",
                  ((i, i, days[i % 4], start, now) for i in range(1, n + 1)))
    c.executemany("INSERT INTO series_pets (series_id, pet_id) VALUES (?, ?)",
                  ((i, i) for i in range(1, n + 1)))
