#!/usr/bin/python3
"""Writes a legacy-system owners export as CSV, deterministically.

usage: gen_owners.py ROWS [--messy] > owners.csv

--messy mixes in what real exports carry (share/kennel/sample/owners.csv is
made with it): US headers, UTF-8 names, quoted commas and line breaks,
emails with stray spaces and capitals, a family sharing one address,
missing and invalid emails, a row with no first name, CRLF line ends.
"""
import random
import sys

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
         "David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
         "Thomas", "Sarah", "Carlos", "Karen", "José", "Zoë", "Renée", "Björn", "Siobhán",
         "Aiden", "Chloé", "Mateo", "Priya", "Wei", "Fatima", "Olivia", "Liam", "Noah",
         "Emma", "Ava", "Sophia", "Isabella", "Mia", "Lucas"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
        "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
        "Nguyễn", "O'Brien", "Müller", "Kowalski", "Patel", "Kim", "Chen", "Taylor",
        "Thomas", "Moore", "Jackson", "Martin", "Lee", "Pérez", "Thompson", "White"]
STREETS = ["Oak St", "Maple Ave", "Cedar Ln", "Pine Rd", "Elm St", "Birch Way",
           "Willow Dr", "Lakeview Blvd", "Sunset Ave", "Highland Rd"]
CITIES = [("Austin", "TX", "787"), ("Portland", "OR", "972"), ("Denver", "CO", "802"),
          ("Raleigh", "NC", "276"), ("Madison", "WI", "537"), ("Boise", "ID", "837")]
DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "comcast.net",
           "hotmail.com", "aol.com"]


def quote(v):
    if any(c in v for c in ',"\r\n') or v[:1] == " ":
        return '"' + v.replace('"', '""') + '"'
    return v


def main():
    rows = int(sys.argv[1])
    messy = "--messy" in sys.argv
    rnd = random.Random(20261123)
    out = sys.stdout
    eol = "\r\n" if messy else "\n"
    if messy:
        out.write("\ufeff")
    out.write(",".join(["Customer ID", "First Name", "Last Name", "E-mail", "Cell Phone",
                        "Address", "City", "State", "Zip Code", "Referral"]) + eol)
    family = None
    for i in range(1, rows + 1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        city, state, zip3 = rnd.choice(CITIES)
        email = "%s.%s%d@%s" % (first.lower(), last.lower(), i, rnd.choice(DOMAINS))
        email = email.encode("ascii", "ignore").decode().replace("'", "")
        address = "%d %s" % (rnd.randint(10, 9999), rnd.choice(STREETS))
        phone = "(%03d) 555-%04d" % (rnd.randint(200, 999), rnd.randint(0, 9999))
        referral = ""
        if messy:
            r = rnd.random()
            if r < 0.06:
                email = ""                                  # no email on file
            elif r < 0.09:
                email = rnd.choice(["%s@@%s", "%s@%s.", "%s at %s", "%s@%s,com"]) % (
                    first.lower(), rnd.choice(DOMAINS))     # typed wrong
            elif r < 0.14:
                email = "  " + email.capitalize() + " "     # phone-capitalised, spaces
            if rnd.random() < 0.08:
                address += ", Apt %d" % rnd.randint(1, 40)  # quoted comma
            if rnd.random() < 0.02:
                address += "\nBuilding B"                   # line break in a field
            if rnd.random() < 0.1:
                referral = rnd.choice(["Google", "Friend", "Vet, Dr. Adams", "Yelp"])
            if family and rnd.random() < 0.05:              # a family, one email
                last, email = family
            if rnd.random() < 0.15:
                family = (last, email)
            if i == rows // 2:
                first = ""                                  # the odd broken row
        zipc = "%s%02d" % (zip3, rnd.randint(0, 99))
        fields = ["C%06d" % i, first, last, email, phone, address, city, state, zipc,
                  referral]
        out.write(",".join(quote(f) for f in fields) + eol)


if __name__ == "__main__":
    main()
