#!/usr/bin/env python3
"""Xapian peer for `catalogue bench search`: indexes the same documents with
CJK n-grams and answers the same queries, printing timings as JSON.

Needs Debian's python3-xapian (run with /usr/bin/python3).
"""
import argparse
import json
import sys
import time

import xapian


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--docs", required=True, help="TSV: accession<TAB>text, one document per line")
    p.add_argument("--queries", required=True, help="one query per line")
    p.add_argument("--db", required=True)
    p.add_argument("--repeat", type=int, default=3)
    a = p.parse_args()

    flags_ngram = xapian.TermGenerator.FLAG_CJK_NGRAM
    start = time.perf_counter()
    db = xapian.WritableDatabase(a.db, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(flags_ngram)
    n = 0
    with open(a.docs, encoding="utf-8") as f:
        for line in f:
            acc, _, text = line.rstrip("\n").partition("\t")
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(text.replace("\\n", "\n"))
            doc.set_data(acc)
            db.add_document(doc)
            n += 1
    db.commit()
    index_seconds = time.perf_counter() - start

    queries = [q.strip() for q in open(a.queries, encoding="utf-8") if q.strip()]
    enquire = xapian.Enquire(db)
    qp = xapian.QueryParser()
    qp.set_database(db)
    qp.set_default_op(xapian.Query.OP_AND)
    qflags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM
    for q in queries:  # warm-up
        enquire.set_query(qp.parse_query(q, qflags))
        enquire.get_mset(0, 20)
    times = []
    returned = 0
    for _ in range(a.repeat):
        for q in queries:
            t = time.perf_counter()
            enquire.set_query(qp.parse_query(q, qflags))
            m = enquire.get_mset(0, 20)
            returned += len([x.document.get_data() for x in m])
            times.append(time.perf_counter() - t)
    times.sort()
    pct = lambda p: times[min(len(times) - 1, round(p / 100 * (len(times) - 1)))] * 1000
    json.dump({"docs": n, "index_seconds": index_seconds, "p50_ms": pct(50), "p99_ms": pct(99),
               "hits_per_query": returned / max(1, len(times))}, sys.stdout)


if __name__ == "__main__":
    main()
