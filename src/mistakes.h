// mistakes.h: the test images the network got wrong while being most sure of itself.
//
// The confusion matrix counts mistakes; this module finds them, so that we can look at them.
// For every image of a data set we take the network's answer (the class with the largest
// probability) and how sure it was (that probability). Of the wrong answers, the surest come
// first: a 4 read as a 9 with 99.9% is more instructive than one read with 40%, because it
// shows a digit the network has learned to see the wrong way, not one it hesitated over.
// Looking at them is often humbling for the data set too: some are written so badly that a
// person would hesitate, and a few are arguably labelled wrong.
//
// Read next: plots.h, which draws them as a grid of images (--plots DIR).
#pragma once

#include <vector>

#include "dataset.h"
#include "network.h"

struct Mistake {
    int index = 0;          // which image of the data set
    int truth = 0;          // its label
    int predicted = 0;      // the network's answer, != truth
    double confidence = 0;  // the probability the network gave its answer, in (0, 1]
    double truth_probability = 0;  // the probability it gave the true label: this example's
                                   // loss is -log(truth_probability)
};

// Runs every image of d through the network (in batches, learning nothing) and returns the
// wrong answers, the most confident first (equal confidences: the lower index first), at most
// `limit` of them.
std::vector<Mistake> most_confident_mistakes(Network<float>& net, const Dataset& d, int limit);
