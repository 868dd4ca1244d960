#!/usr/bin/python3
"""Writes a legacy pets export and its vaccinations export, deterministically,
for owners C000001..C<owners> as gen_owners.py makes them.

usage: gen_pets.py OWNERS PETS.csv VACCINATIONS.csv [--messy]

--messy (the sample data) mixes in: US dates, a pet of an owner who does
not exist, an impossible date, a duplicate pet name for one owner, a
vaccination for a pet that does not exist, expired and expiring records.
"""
import datetime
import random
import sys

NAMES = ["Bella", "Max", "Luna", "Charlie", "Lucy", "Cooper", "Daisy", "Milo", "Bailey",
         "Sadie", "Rocky", "Molly", "Tucker", "Zoë", "Bear", "Maggie", "Duke", "Rosie"]
BREEDS = ["Labrador Retriever", "Golden Retriever", "German Shepherd", "Beagle", "Poodle",
          "Bulldog", "Boxer", "Dachshund", "Mixed, medium", "Australian Shepherd"]
TYPES = ["Rabies", "Distemper", "Bordetella"]
ADVISORIES = ["Bites when touched on the tail", "Escape artist: double-check gates",
              "Reactive to large dogs", "Diabetic: insulin at 7am and 7pm"]


def main():
    owners, pets_path, vax_path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    messy = "--messy" in sys.argv
    rnd = random.Random(7)
    today = datetime.date(2026, 11, 23)
    us = lambda d: "%02d/%02d/%04d" % (d.month, d.day, d.year)
    with open(pets_path, "w") as pets, open(vax_path, "w") as vax:
        pets.write("Customer ID,Pet ID,Pet Name,Species,Breed,DOB,Sex,Color,Weight,Alert\n")
        vax.write("Pet ID,Vaccine,Expiration\n")
        pet = 0
        for o in range(1, owners + 1):
            for k in range(rnd.choice([1, 1, 1, 2])):
                pet += 1
                name = rnd.choice(NAMES)
                born = today - datetime.timedelta(days=rnd.randint(200, 5000))
                dob = us(born) if messy and pet % 2 else born.isoformat()
                owner = "C%06d" % o
                advisory = rnd.choice(ADVISORIES) if rnd.random() < 0.05 else ""
                if messy and pet == 7:
                    owner = "C999999"                      # no such owner
                if messy and pet == 11:
                    dob = "02/30/2019"                     # impossible date
                pets.write('%s,P%06d,%s,dog,"%s",%s,%s,%s,%d,"%s"\n' % (
                    owner, pet, name, rnd.choice(BREEDS), dob, rnd.choice(["M/N", "F/S"]),
                    rnd.choice(["black", "tan", "white", "brindle"]), rnd.randint(8, 90),
                    advisory))
                for t in TYPES:
                    if messy and rnd.random() < 0.05:
                        continue                           # never recorded
                    exp = today + datetime.timedelta(days=rnd.randint(-60, 700))
                    vax.write("P%06d,%s,%s\n" % (pet, t, us(exp) if messy else exp.isoformat()))
            if messy and o == 20:
                pets.write("C000020,P%06d,%s,dog,Beagle,,F,tan,20,\n" % (900000, "Dup"))
                pets.write("C000020,,%s,dog,Beagle,,F,tan,20,\n" % "Dup")  # same name again
        if messy:
            vax.write("P777777,Rabies,01/01/2027\n")       # no such pet


if __name__ == "__main__":
    main()
