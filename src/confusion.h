// confusion.h: which digits the network mistakes for which, counted and printed as a table.
//
// Accuracy is one number: 97.9% right. A confusion matrix says where the other 2.1% went. Row t
// counts the examples whose true label is t, column p those the network predicted as p, so the
// diagonal holds the right answers and every cell off it is one kind of mistake ("a 4 read as
// a 9"). Each row ends with its recall, the share of that digit the network got right, which
// is where a digit that is harder than the others shows up.
//
// From the same counts come the scores of each class, read along its row and its column:
//
//   recall(k)    = at(k, k) / row_total(k)       of the real k's, the share found
//   precision(k) = at(k, k) / column_total(k)    of the answers "k", the share that were right
//   F1(k)        = 2 P R / (P + R)               their harmonic mean
//
// A class can score well on one and badly on the other: a network that answered "1" for
// every image would have a recall of 100% for the ones and a precision of about 11%. The
// harmonic mean is pulled towards the smaller of the two, so F1 is high only when both are.
// The off-diagonal cells, sorted, are the network's habits ("4 read as 9: 14 times").
//
// This module only counts, scores and prints; it knows nothing about the network:
// evaluate() in train.cpp feeds it one (true, predicted) pair per test image.
//
// Read next: terminal.h, the other module that turns numbers into something to look at.
#pragma once

#include <string>
#include <vector>

// counts[t * classes + p] = how many examples of true class t were predicted as p.
struct ConfusionMatrix {
    int classes = 10;
    std::vector<long> counts;  // classes x classes, row-major, true label by row

    explicit ConfusionMatrix(int classes = 10);

    // Counts one example. Throws std::out_of_range, naming the label, if either label is not
    // in 0..classes-1: such a label is a bug upstream, and counting it elsewhere would hide it.
    void add(int truth, int predicted);

    long at(int truth, int predicted) const;
    long row_total(int truth) const;  // how many examples of that class there were
    long total() const;               // how many examples were counted
    long correct() const;             // the sum of the diagonal
    double accuracy() const;          // correct / total (0 when empty)
    double recall(int truth) const;   // at(t, t) / row_total(t) (0 when the row is empty)

    long column_total(int predicted) const;  // how many examples were predicted as that class
    double precision(int k) const;  // at(k, k) / column_total(k) (0 when nothing was called k)
    double f1(int k) const;         // 2 P R / (P + R) for class k (0 when P = R = 0)
};

// One kind of mistake: `count` examples of class `truth` that were predicted as `predicted`.
struct Confusion {
    int truth = 0;
    int predicted = 0;
    long count = 0;
};

// The off-diagonal cells that are not zero, the largest count first, at most `limit` of them.
// Equal counts come in the order of the table: by true label, then by predicted label.
std::vector<Confusion> most_common_confusions(const ConfusionMatrix& m, int limit);

// The matrix as a table for the terminal:
//
//   Confusion matrix (rows: true label, columns: predicted label)
//             0     1     2  ...  recall
//       0   971     0     1  ...   99.1%
//       1     0  1125     3  ...   99.1%
//
// Counts are right-aligned in columns wide enough for the largest one; a row with no examples
// shows "-" as its recall.
//
// With colour = true the cells are shaded like a heatmap with 256-colour ANSI backgrounds:
// right answers (the diagonal) in greens, mistakes in reds, darker for a larger share of the
// row, zero cells left plain. Every shaded cell ends with a reset, so no colour leaks into the
// next cell or line, and its text is black or white, whichever reads better on the shade.
// Removing the escape sequences from the coloured table gives exactly the plain one.
// With colour = false the result is plain text: not a single escape byte.
std::string format_confusion(const ConfusionMatrix& m, bool colour);

// Precision, recall, F1 and support (how many examples of the class there were) per class, in
// percent, and their unweighted mean over the classes:
//
//   Per-class scores (precision: of the answers "k", the share right; recall: of the k's, the
//   share found; F1: their harmonic mean)
//     class  precision   recall       F1  support
//         0      98.1%    99.1%    98.6%      980
//       ...
//      mean      97.9%    97.9%    97.9%    10000
std::string format_class_scores(const ConfusionMatrix& m);

// The confusions in words, one per line, under a title:
//   Most common mistakes (true label read as predicted label):
//     4 read as 9: 14 times
//     7 read as 2: 1 time
// or a line saying there were none.
std::string format_confusions(const std::vector<Confusion>& confusions);
