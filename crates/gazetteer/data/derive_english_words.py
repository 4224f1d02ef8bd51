#!/usr/bin/env python3
"""Derives data/english_words.txt.gz: lowercase English words of two letters or more.

Usage: python3 crates/gazetteer/data/derive_english_words.py [WORDLIST...]
WORDLISTs default to /usr/share/dict/american-english-small and british-english-small (Debian
packages wamerican-small and wbritish-small: SCOWL size 35, Copyright 2000-2011 Kevin Atkinson,
permissive licence quoted in data/gazetteer/README.md); the union is kept.
A capitalised word of this list ("Hope", "Mobile", "Armed", "Room") is taken for a place only with
a cue ("in Hope") and never at the start of a sentence or in a headline.
"""
import gzip
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
wordlists = sys.argv[1:] or ["/usr/share/dict/american-english-small", "/usr/share/dict/british-english-small"]
words = sorted({w.strip() for path in wordlists for w in open(path, encoding="utf-8")
                if w.strip().isalpha() and w.strip().islower() and w.strip().isascii() and len(w.strip()) >= 2})
with gzip.GzipFile(os.path.join(HERE, "english_words.txt.gz"), "wb", mtime=0) as f:
    f.write(("\n".join(words) + "\n").encode())
print(len(words), file=sys.stderr)
