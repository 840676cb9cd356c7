// confusion.cpp: the counting is a few lines; most of this file is the table's layout and
// its heatmap colours.
#include "confusion.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

ConfusionMatrix::ConfusionMatrix(int classes)
    : classes(classes), counts(static_cast<std::size_t>(classes) * classes, 0) {}

void ConfusionMatrix::add(int truth, int predicted) {
    if (truth < 0 || truth >= classes || predicted < 0 || predicted >= classes)
        throw std::out_of_range("confusion matrix: label pair (" + std::to_string(truth) + ", " +
                                std::to_string(predicted) + ") is outside 0.." +
                                std::to_string(classes - 1));
    ++counts[static_cast<std::size_t>(truth) * classes + predicted];
}

long ConfusionMatrix::at(int truth, int predicted) const {
    return counts[static_cast<std::size_t>(truth) * classes + predicted];
}

long ConfusionMatrix::row_total(int truth) const {
    long sum = 0;
    for (int p = 0; p < classes; ++p) sum += at(truth, p);
    return sum;
}

long ConfusionMatrix::total() const {
    long sum = 0;
    for (long c : counts) sum += c;
    return sum;
}

long ConfusionMatrix::correct() const {
    long sum = 0;
    for (int k = 0; k < classes; ++k) sum += at(k, k);
    return sum;
}

double ConfusionMatrix::accuracy() const {
    const long n = total();
    return n == 0 ? 0.0 : static_cast<double>(correct()) / n;
}

double ConfusionMatrix::recall(int truth) const {
    const long n = row_total(truth);
    return n == 0 ? 0.0 : static_cast<double>(at(truth, truth)) / n;
}

long ConfusionMatrix::column_total(int predicted) const {
    long sum = 0;
    for (int t = 0; t < classes; ++t) sum += at(t, predicted);
    return sum;
}

double ConfusionMatrix::precision(int k) const {
    const long n = column_total(k);
    return n == 0 ? 0.0 : static_cast<double>(at(k, k)) / n;
}

double ConfusionMatrix::f1(int k) const {
    // With TP = at(k, k), P = TP / column_total and R = TP / row_total, so
    //     2 P R / (P + R) = 2 TP^2 / (TP column_total + TP row_total)
    //                     = 2 TP / (column_total + row_total)         (for TP > 0).
    // The last form is the one computed: it needs no special case when TP = 0 (F1 is then 0,
    // the limit of the first form) and divides by zero only when class k was neither present
    // nor predicted, which we report as 0 like the other scores.
    const long both = column_total(k) + row_total(k);
    return both == 0 ? 0.0 : 2.0 * at(k, k) / both;
}

std::vector<Confusion> most_common_confusions(const ConfusionMatrix& m, int limit) {
    std::vector<Confusion> cells;
    for (int t = 0; t < m.classes; ++t)
        for (int p = 0; p < m.classes; ++p)
            if (t != p && m.at(t, p) > 0) cells.push_back({t, p, m.at(t, p)});
    // stable_sort keeps equal counts in the order they were pushed: the table's order.
    std::stable_sort(cells.begin(), cells.end(),
                     [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
    if (limit >= 0 && cells.size() > static_cast<std::size_t>(limit)) cells.resize(limit);
    return cells;
}

namespace {

// Five shades per colour, from pale to dark, as 256-colour palette numbers. Codes 16-231 are a
// 6x6x6 colour cube, code = 16 + 36 r + 6 g + b with r, g, b in 0..5: the greens run from
// (4,5,4) to (0,3,0), the reds from (5,4,4) to (3,0,0).
const int kGreens[5] = {194, 157, 120, 77, 34};
const int kReds[5] = {224, 217, 210, 167, 124};
// Black (16) on the three pale shades, white (231) on the two dark ones. These two come from
// the cube too, so they are the same on every terminal theme, unlike the 16 named colours.
const int kTextOnShade[5] = {16, 16, 16, 231, 231};

// Which of the five shades (0 = palest) a cell gets: its share of the row, on a scale that
// reaches the darkest shade at `darkest_at`. The diagonal uses darkest_at = 1. Mistakes use
// 0.02, because on a trained network each kind of mistake is a small share of its row (say 11
// of 1,000 fours read as 9s: 1.1%): on the diagonal's scale all of them would be the palest
// red, and the confusions that matter would not stand out from the one-off slips.
int shade(double share, double darkest_at) {
    const double scaled = std::min(1.0, share / darkest_at);  // in [0, 1]
    return std::max(0, static_cast<int>(std::ceil(scaled * 5)) - 1);
}

// `text` right-aligned in `width` columns.
std::string right(const std::string& text, int width) {
    const int pad = std::max(0, width - static_cast<int>(text.size()));
    return std::string(pad, ' ') + text;
}

}  // namespace

std::string format_confusion(const ConfusionMatrix& m, bool colour) {
    // Every column is as wide as the widest thing it could hold (the largest count or the
    // largest class label, at least 3 digits) plus two spaces between columns.
    long largest = 0;
    for (long c : m.counts) largest = std::max(largest, c);
    const int digits = std::max({3, static_cast<int>(std::to_string(largest).size()),
                                 static_cast<int>(std::to_string(m.classes - 1).size())});
    const int cell = digits + 2;
    const int recall_width = 8;  // "  100.0%"

    std::string out = "Confusion matrix (rows: true label, columns: predicted label)\n";
    out += std::string(cell, ' ');
    for (int p = 0; p < m.classes; ++p) out += right(std::to_string(p), cell);
    out += right("recall", recall_width) + "\n";

    for (int t = 0; t < m.classes; ++t) {
        out += right(std::to_string(t), cell);
        const long row = m.row_total(t);
        for (int p = 0; p < m.classes; ++p) {
            const long count = m.at(t, p);
            const std::string text = right(std::to_string(count), cell);
            if (!colour || count == 0) {
                out += text;
                continue;
            }
            const double share = static_cast<double>(count) / row;
            const int level = t == p ? shade(share, 1.0) : shade(share, 0.02);
            const int background = t == p ? kGreens[level] : kReds[level];
            out += "\x1b[48;5;" + std::to_string(background) + ";38;5;" +
                   std::to_string(kTextOnShade[level]) + "m" + text + "\x1b[0m";
        }
        char recall[16];
        if (row == 0)
            std::snprintf(recall, sizeof recall, "-");
        else
            std::snprintf(recall, sizeof recall, "%.1f%%", 100.0 * m.recall(t));
        out += right(recall, recall_width) + "\n";
    }
    return out;
}

namespace {

std::string percent(double fraction) {
    char text[16];
    std::snprintf(text, sizeof text, "%.1f%%", 100.0 * fraction);
    return text;
}

}  // namespace

std::string format_class_scores(const ConfusionMatrix& m) {
    const int width = 9;  // "   100.0%"
    std::string out =
        "Per-class scores (precision: of the answers \"k\", the share right; recall: of the k's,\n"
        "the share found; F1: their harmonic mean)\n";
    out += right("class", 7) + right("precision", width + 2) + right("recall", width) +
           right("F1", width) + right("support", width) + "\n";
    double sum_precision = 0, sum_recall = 0, sum_f1 = 0;
    for (int k = 0; k < m.classes; ++k) {
        out += right(std::to_string(k), 7) + right(percent(m.precision(k)), width + 2) +
               right(percent(m.recall(k)), width) + right(percent(m.f1(k)), width) +
               right(std::to_string(m.row_total(k)), width) + "\n";
        sum_precision += m.precision(k);
        sum_recall += m.recall(k);
        sum_f1 += m.f1(k);
    }
    const double classes = m.classes > 0 ? m.classes : 1;
    out += right("mean", 7) + right(percent(sum_precision / classes), width + 2) +
           right(percent(sum_recall / classes), width) + right(percent(sum_f1 / classes), width) +
           right(std::to_string(m.total()), width) + "\n";
    return out;
}

std::string format_confusions(const std::vector<Confusion>& confusions) {
    if (confusions.empty()) return "Most common mistakes: none, every example was classified right.\n";
    std::string out = "Most common mistakes (true label read as predicted label):\n";
    for (const Confusion& c : confusions)
        out += "  " + std::to_string(c.truth) + " read as " + std::to_string(c.predicted) + ": " +
               std::to_string(c.count) + (c.count == 1 ? " time\n" : " times\n");
    return out;
}
