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

    return check::summary("test_confusion");
}
