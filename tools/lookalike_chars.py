#!/usr/bin/env python3
"""Builds index/lookalikes.txt, the characters that look alike (形近字) which the
search's did-you-mean offers for a Chinese query that finds nothing. Two sources,
both from the Python package registry:

    pip download --no-deps char-similar==0.0.2 pycorrector==1.1.4 -d pkgs
    (cd pkgs && unzip -o -q 'char_similar-*.whl' && unzip -o -q 'pycorrector-*.whl' 'pycorrector/data/*')
    python3 tools/lookalike_chars.py pkgs > index/lookalikes.txt

- char-similar (MIT): for each character its four-corner code, its structure, its
  components, its strokes and their order. Two characters are compared when they
  share a component and a structure, or the first four digits of their four-corner
  code; they look alike when enough of those agree (the score below, the shape
  part of char-similar's own: structure 8, four-corner code 7, stroke count 6,
  components 4, strokes 3).
- pycorrector (Apache 2.0): its hand-made groups of look-alike characters
  (`same_stroke.txt`), each pair of a group kept whatever its score.

One line a character: the character, then its look-alikes, most alike first.
"""

import json
import os
import sys
from collections import defaultdict

THRESHOLD = 0.78
MOST = 8


def load(root, name):
    with open(os.path.join(root, "char_similar", "data", name), encoding="utf-8") as f:
        return json.load(f)


def jaccard(a, b):
    a, b = set(a), set(b)
    return len(a & b) / len(a | b) if a and b else 0.0


def main(root):
    parts = load(root, "char_stroke.dict")
    corners = load(root, "char_fourangle.dict")
    struct = load(root, "char_struct.dict")
    strokes = load(root, "char_number.dict")
    order = load(root, "char_order.dict")
    frequency = load(root, "char_frequency.dict")
    # Characters in use: those the corpus of char-similar has seen.
    chars = [c for c in parts if frequency.get(c, 0) > 0 and "\u4e00" <= c <= "\u9fff"]

    def score(a, b):
        fa, fb = corners.get(a, ""), corners.get(b, "")
        corner = sum(x == y for x, y in zip(fa[:4], fb[:4])) / 4 if fa and fb else 0.0
        same_struct = 1.0 if struct.get(a) and struct.get(a) == struct.get(b) else 0.0
        na, nb = strokes.get(a, 0), strokes.get(b, 0)
        number = 1 - abs(na - nb) / max(na, nb) if na and nb else 0.0
        return (8 * same_struct + 7 * corner + 6 * number + 4 * jaccard(parts[a], parts[b])
                + 3 * jaccard(order.get(a, ""), order.get(b, ""))) / 28

    by_part, by_corner = defaultdict(list), defaultdict(list)
    for c in chars:
        for p in set(parts[c]):
            by_part[(p, struct.get(c))].append(c)
        if corners.get(c):
            by_corner[corners[c][:4]].append(c)
    alike = defaultdict(dict)
    for i, c in enumerate(chars):
        candidates = set(by_corner.get(corners.get(c, "")[:4], ()))
        for p in set(parts[c]):
            candidates.update(by_part[(p, struct.get(c))])
        candidates.discard(c)
        for d in candidates:
            s = score(c, d)
            if s >= THRESHOLD:
                alike[c][d] = s
        if i % 1000 == 0:
            print(f"{i}/{len(chars)} characters", file=sys.stderr)
    with open(os.path.join(root, "pycorrector", "data", "same_stroke.txt"), encoding="utf-8") as f:
        for line in f:
            group = [c for c in line.split() if len(c) == 1]
            for a in group:
                for b in group:
                    if a != b:
                        alike[a][b] = max(alike[a].get(b, 0.0), score(a, b) if a in parts and b in parts else 0.0, THRESHOLD)
    print("# Characters that look alike (形近字), for the search's did-you-mean. Made by")
    print("# tools/lookalike_chars.py from the Python packages char-similar 0.0.2 (MIT,")
    print("# https://github.com/yongzhuo/char-similar) and pycorrector 1.1.4 (Apache 2.0,")
    print("# https://github.com/shibing624/pycorrector); do not edit by hand.")
    print("# A line: a character, then its look-alikes, most alike first.")
    for c in sorted(alike):
        best = sorted(alike[c].items(), key=lambda kv: (-kv[1], kv[0]))[:MOST]
        if best:
            print(c, " ".join(d for d, _ in best))


if __name__ == "__main__":
    main(sys.argv[1])
