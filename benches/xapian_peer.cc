// Xapian peer for `catalogue bench search`, through Xapian's own C++ API:
// indexes the same documents with CJK n-grams and answers the same queries,
// timing each query inside this program, and prints its figures as JSON.
//
// Built by the benchmark: g++ -O2 -std=c++17 xapian_peer.cc -lxapian
// (Debian's libxapian-dev and g++).
//
// Usage: xapian_peer DOCS.tsv QUERIES.txt DB_DIR RUNS
//   DOCS.tsv: accession<TAB>text, one document per line ("\n" written as \n)
//   QUERIES.txt: one query per line

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double percentile_ms(std::vector<double> times, double p) {
    if (times.empty()) return 0.0;
    std::sort(times.begin(), times.end());
    size_t i = static_cast<size_t>(p / 100.0 * static_cast<double>(times.size() - 1) + 0.5);
    return times[std::min(i, times.size() - 1)];
}

static std::string unescape_newlines(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\\' && i + 1 < text.size() && text[i + 1] == 'n') {
            out.push_back('\n');
            ++i;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: xapian_peer DOCS.tsv QUERIES.txt DB_DIR RUNS\n";
        return 2;
    }
    const std::string docs_path = argv[1], queries_path = argv[2], db_path = argv[3];
    const int runs = std::max(1, std::atoi(argv[4]));
    try {
        auto start = Clock::now();
        Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
        Xapian::TermGenerator tg;
        tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
        std::ifstream docs(docs_path);
        if (!docs) {
            std::cerr << "cannot read " << docs_path << "\n";
            return 1;
        }
        std::string line;
        long n = 0;
        while (std::getline(docs, line)) {
            size_t tab = line.find('\t');
            std::string acc = line.substr(0, tab);
            std::string text = tab == std::string::npos ? "" : unescape_newlines(line.substr(tab + 1));
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(text);
            doc.set_data(acc);
            db.add_document(doc);
            ++n;
        }
        db.commit();
        double index_seconds = std::chrono::duration<double>(Clock::now() - start).count();

        std::vector<std::string> queries;
        std::ifstream qf(queries_path);
        while (std::getline(qf, line)) {
            if (line.find_first_not_of(" \t\r") != std::string::npos) queries.push_back(line);
        }
        Xapian::Enquire enquire(db);
        Xapian::QueryParser qp;
        qp.set_database(db);
        qp.set_default_op(Xapian::Query::OP_AND);
        const unsigned qflags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_CJK_NGRAM;
        // One warm-up round, then RUNS timed rounds; each query parsed, run and its
        // top 20 read back (the accession stored with each document).
        long returned = 0;
        std::vector<double> p50s, p99s;
        for (int round = 0; round <= runs; ++round) {
            std::vector<double> times;
            times.reserve(queries.size());
            for (const auto& q : queries) {
                auto t = Clock::now();
                enquire.set_query(qp.parse_query(q, qflags));
                Xapian::MSet m = enquire.get_mset(0, 20);
                long got = 0;
                for (auto it = m.begin(); it != m.end(); ++it) {
                    got += it.get_document().get_data().empty() ? 0 : 1;
                }
                times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t).count());
                if (round > 0) returned += got;
            }
            if (round > 0) {
                p50s.push_back(percentile_ms(times, 50.0));
                p99s.push_back(percentile_ms(times, 99.0));
            }
        }
        double timed = static_cast<double>(queries.size()) * runs;
        std::printf(
            "{\"docs\": %ld, \"index_seconds\": %.6f, \"p50_ms\": %.6f, \"p99_ms\": %.6f, "
            "\"hits_per_query\": %.3f}\n",
            n, index_seconds, percentile_ms(p50s, 50.0), percentile_ms(p99s, 50.0),
            timed > 0 ? static_cast<double>(returned) / timed : 0.0);
    } catch (const Xapian::Error& e) {
        std::cerr << "Xapian: " << e.get_description() << "\n";
        return 1;
    }
    return 0;
}
