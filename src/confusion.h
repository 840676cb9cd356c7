// confusion.h: which digits the network mistakes for which, counted and printed as a table.
//
// Accuracy is one number: 97.9% right. A confusion matrix says where the other 2.1% went. Row t
// counts the examples whose true label is t, column p those the network predicted as p, so the
// diagonal holds the right answers and every cell off it is one kind of mistake ("a 4 read as
// a 9"). Each row ends with its recall, the share of that digit the network got right, which
// is where a digit that is harder than the others shows up.
//
// This module only counts and prints. It does not compute precision, F1 or any other score
// built from the same counts, and it knows nothing about the network: evaluate() in train.cpp
// feeds it one (true, predicted) pair per test image.
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
};

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
