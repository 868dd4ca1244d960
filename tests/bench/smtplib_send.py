#!/usr/bin/python3
"""The reference of the blast benchmark: Python's smtplib sending the very
messages kennel queued (read from the outbox) over one connection.

usage: smtplib_send.py DB PORT
"""
import smtplib
import sqlite3
import sys

db, port = sys.argv[1], int(sys.argv[2])
rows = sqlite3.connect(db).execute("SELECT to_addr, raw FROM outbox ORDER BY id").fetchall()
with smtplib.SMTP("127.0.0.1", port) as s:
    for to, raw in rows:
        s.sendmail("frontdesk@happytails.example", [to], raw.encode("utf-8"))
