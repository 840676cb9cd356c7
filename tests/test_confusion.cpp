// test_confusion: a 3-class confusion matrix filled by hand, its totals and recalls worked out
// below, and the table printed from it with and without colour.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "check.h"
#include "confusion.h"

namespace {

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0, end;
    while ((end = text.find('\n', start)) != std::string::npos) {
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    if (start < text.size()) lines.push_back(text.substr(start));
    return lines;
}

// The line's words, separated by spaces, joined by single spaces: "  1    0  2" -> "1 0 2".
std::string words(const std::string& line) {
    std::string out;
    std::size_t i = 0;
    while ((i = line.find_first_not_of(' ', i)) != std::string::npos) {
        const std::size_t end = std::min(line.find(' ', i), line.size());
        out += (out.empty() ? "" : " ") + line.substr(i, end - i);
        i = end;
    }
    return out;
}

// The text with every ANSI escape sequence ("\x1b[" ... "m") taken out.
std::string without_escapes(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\x1b') {
            i = text.find('m', i);
            if (i == std::string::npos) break;
        } else {
            out += text[i];
        }
    }
    return out;
}

int count(const std::string& text, const std::string& part) {
    int n = 0;
    for (std::size_t i = text.find(part); i != std::string::npos; i = text.find(part, i + 1)) ++n;
    return n;
}

}  // namespace

int main() {
    // Nine examples of three classes, added as (true, predicted) pairs:
    //   true 0: predicted 0, 0, 0, 1     true 1: predicted 1, 1, 2     true 2: predicted 2, 0
    // so the matrix, true label by row, is
    //              predicted 0   1   2    row total   recall
    //      true 0            3   1   0        4       3/4 = 75.0%
    //      true 1            0   2   1        3       2/3 = 66.7%
    //      true 2            1   0   1        2       1/2 = 50.0%
    // total 9, correct (the diagonal) 3 + 2 + 1 = 6, accuracy 6/9 = 0.6667.
    ConfusionMatrix m(3);
    const int pairs[9][2] = {{0, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}, {1, 1}, {1, 2}, {2, 2}, {2, 0}};
    for (const auto& pair : pairs) m.add(pair[0], pair[1]);

    check::equal(m.at(0, 0), 3, "at(0, 0)");
    check::equal(m.at(0, 1), 1, "at(0, 1): a 0 predicted as 1");
    check::equal(m.at(1, 0), 0, "at(1, 0): no 1 was predicted as 0");
    check::equal(m.at(2, 0), 1, "at(2, 0): a 2 predicted as 0");
    check::equal(m.counts[1 * 3 + 2], 1, "counts[t * classes + p] is at(t, p)");
    check::equal(m.row_total(0), 4, "row_total(0)");
    check::equal(m.row_total(2), 2, "row_total(2)");
    check::equal(m.total(), 9, "total");
    check::equal(m.correct(), 6, "correct");
    check::near(m.accuracy(), 6.0 / 9, 1e-12, "accuracy");
    check::near(m.recall(0), 0.75, 1e-12, "recall(0)");
    check::near(m.recall(1), 2.0 / 3, 1e-12, "recall(1)");
    check::near(m.recall(2), 0.5, 1e-12, "recall(2)");

    // An empty matrix divides by nothing: accuracy and recall are 0, not NaN.
    const ConfusionMatrix empty(10);
    check::equal(static_cast<long long>(empty.counts.size()), 100, "a 10-class matrix has 10 x 10 cells");
    check::equal(empty.total(), 0, "empty total");
    check::near(empty.accuracy(), 0, 0, "empty accuracy");
    check::near(empty.recall(3), 0, 0, "recall of a class never seen");

    // A label outside 0..classes-1 is a bug upstream; add() says so instead of counting it.
    bool threw = false;
    try {
        m.add(3, 0);
    } catch (const std::out_of_range&) {
        threw = true;
    }
    check::expect(threw, "add(3, 0) on a 3-class matrix throws std::out_of_range");
    check::equal(m.total(), 9, "the bad pair was not counted");

    // The plain table: title, header, one row per true label, nothing else, no escape byte.
    const std::string plain = format_confusion(m, false);
    const std::vector<std::string> lines = lines_of(plain);
    check::equal(static_cast<long long>(lines.size()), 5, "plain table lines (title, header, 3 rows)");
    check::expect(plain.find('\x1b') == std::string::npos, "the plain table has no escape byte");
    check::contains(plain, "rows: true label, columns: predicted label", "the title says which way round");
    if (lines.size() == 5) {
        check::equal(words(lines[1]), "0 1 2 recall", "header: predicted labels, then recall");
        check::equal(words(lines[2]), "0 3 1 0 75.0%", "row of true label 0");
        check::equal(words(lines[3]), "1 0 2 1 66.7%", "row of true label 1");
        check::equal(words(lines[4]), "2 1 0 1 50.0%", "row of true label 2");
        check::equal(static_cast<long long>(lines[2].size()), static_cast<long long>(lines[1].size()),
                     "rows are as wide as the header");
    }
    const std::vector<std::string> empty_lines = lines_of(format_confusion(empty, false));
    check::equal(words(empty_lines.back()), "9 0 0 0 0 0 0 0 0 0 0 -",
                 "an empty row shows '-' as its recall");

    // The coloured table is the plain one plus escapes: one shade per non-zero cell (6 of them),
    // each closed by a reset, and nothing else changed.
    const std::string coloured = format_confusion(m, true);
    check::equal(without_escapes(coloured), plain, "the coloured table without its escapes");
    check::equal(count(coloured, "\x1b[48;5;"), 6, "shaded cells (the non-zero counts)");
    check::equal(count(coloured, "\x1b[0m"), 6, "resets, one after each shaded cell");
    for (const std::string& line : lines_of(coloured)) {
        const std::size_t last_escape = line.rfind('\x1b');
        check::expect(last_escape == std::string::npos || line.compare(last_escape, 4, "\x1b[0m") == 0,
                      "a line's last escape is a reset, so no colour runs on: \"" + line + "\"");
    }
    // at(0, 0) = 3 is 3/4 of its row: green shade ceil(0.75 * 5) = 4 of 5 (palette 77), whose
    // text is white (231). at(0, 1) = 1 is 1/4 of its row, past the 2% at which mistakes reach
    // the darkest red (124). Cells are 5 wide: 3 digits at least, plus 2 spaces.
    check::contains(coloured, "\x1b[48;5;77;38;5;231m    3\x1b[0m", "a diagonal cell, 75% of its row");
    check::contains(coloured, "\x1b[48;5;124;38;5;231m    1\x1b[0m", "a mistake, 25% of its row");

    // One mistake in 200 is 0.5% of the row: a quarter of the way to the darkest red, so the
    // second palest red, ceil(0.25 * 5) = 2 of 5 (palette 217), with black text (16).
    ConfusionMatrix rare(2);
    for (int i = 0; i < 199; ++i) rare.add(0, 0);
    rare.add(0, 1);
    check::contains(format_confusion(rare, true), "\x1b[48;5;217;38;5;16m    1\x1b[0m",
                    "a mistake that is 0.5% of its row");

    // Precision, recall and F1 on a matrix where they all differ (the one above is symmetric:
    // its precisions happen to equal its recalls, so it could not tell the two apart).
    //              predicted 0   1   2    row total   recall
    //      true 0            5   0   0        5       5/5 = 1
    //      true 1            3   2   1        6       2/6 = 1/3
    //      true 2            1   0   2        3       2/3
    //   column total         9   2   3
    //   precision          5/9 2/2 2/3
    //   F1 = 2PR/(P+R):  class 0: 2 (5/9)(1) / (5/9 + 1) = (10/9) / (14/9) = 5/7
    //                    class 1: 2 (1)(1/3) / (1 + 1/3) = (2/3) / (4/3)   = 1/2
    //                    class 2: 2 (2/3)(2/3) / (4/3)                     = 2/3
    ConfusionMatrix s(3);
    const int cells[3][3] = {{5, 0, 0}, {3, 2, 1}, {1, 0, 2}};
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p)
            for (int i = 0; i < cells[t][p]; ++i) s.add(t, p);
    check::equal(s.column_total(0), 9, "column_total(0)");
    check::equal(s.column_total(1), 2, "column_total(1)");
    check::near(s.precision(0), 5.0 / 9, 1e-12, "precision(0)");
    check::near(s.precision(1), 1.0, 1e-12, "precision(1)");
    check::near(s.precision(2), 2.0 / 3, 1e-12, "precision(2)");
    check::near(s.recall(1), 1.0 / 3, 1e-12, "recall(1)");
    check::near(s.f1(0), 5.0 / 7, 1e-12, "f1(0)");
    check::near(s.f1(1), 0.5, 1e-12, "f1(1)");
    check::near(s.f1(2), 2.0 / 3, 1e-12, "f1(2)");
    check::near(empty.precision(4), 0, 0, "precision of a class never predicted");
    check::near(empty.f1(4), 0, 0, "F1 of a class neither present nor predicted");
    // A class predicted but never right: P = R = 0, and F1 is 0 rather than 0/0.
    ConfusionMatrix wrong(2);
    wrong.add(0, 1);
    check::near(wrong.f1(1), 0, 0, "F1 of a class that was only ever a wrong answer");

    // The mistakes, largest first; the two single ones in table order, (1, 2) before (2, 0).
    const std::vector<Confusion> top = most_common_confusions(s, 10);
    check::equal(static_cast<long long>(top.size()), 3, "three kinds of mistake");
    if (top.size() == 3) {
        check::equal(top[0].truth * 10 + top[0].predicted, 10, "most common: 1 read as 0");
        check::equal(top[0].count, 3, "1 read as 0, count");
        check::equal(top[1].truth * 10 + top[1].predicted, 12, "second: 1 read as 2");
        check::equal(top[2].truth * 10 + top[2].predicted, 20, "third: 2 read as 0");
    }
    check::equal(static_cast<long long>(most_common_confusions(s, 1).size()), 1, "limit 1");
    check::equal(static_cast<long long>(most_common_confusions(empty, 5).size()), 0,
                 "no mistakes in an empty matrix");

    const std::string words_text = format_confusions(top);
    check::contains(words_text, "  1 read as 0: 3 times\n  1 read as 2: 1 time\n  2 read as 0: 1 time\n",
                    "the mistakes in words, one per line, singular for one");
    Confusion twice;
    twice.truth = 3;
    twice.predicted = 5;
    twice.count = 2;
    check::contains(format_confusions({twice}), "  3 read as 5: 2 times\n", "plural from two on");
    check::contains(format_confusions({}), "none", "no mistakes at all");

    const std::vector<std::string> score_lines = lines_of(format_class_scores(s));
    check::equal(static_cast<long long>(score_lines.size()), 7,
                 "class scores: 2 title lines, header, 3 classes, mean");
    if (score_lines.size() == 7) {
        check::equal(words(score_lines[2]), "class precision recall F1 support", "scores header");
        check::equal(words(score_lines[3]), "0 55.6% 100.0% 71.4% 5", "class 0: 5/9, 1, 5/7");
        check::equal(words(score_lines[4]), "1 100.0% 33.3% 50.0% 6", "class 1: 1, 1/3, 1/2");
        check::equal(words(score_lines[5]), "2 66.7% 66.7% 66.7% 3", "class 2: 2/3 each");
        // mean precision (5/9 + 1 + 2/3)/3 = 0.7407, recall (1 + 1/3 + 2/3)/3 = 0.6667,
        // F1 (5/7 + 1/2 + 2/3)/3 = 0.6270; support: all 14 examples.
        check::equal(words(score_lines[6]), "mean 74.1% 66.7% 62.7% 14", "the means");
    }

    return check::summary("test_confusion");
}
