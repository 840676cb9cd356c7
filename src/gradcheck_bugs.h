// gradcheck_bugs.h: seven broken variants of the real code, each with one classic mistake, for
// the gradient checker to catch.
//
// A checker that has never been seen failing proves nothing: a test that compares a gradient
// with itself, or a tolerance of 1, would pass just as quietly. So we plant the mistakes people
// really make when they write backpropagation by hand, one at a time, and show that each one
// fails the check (tests/test_gradcheck.cpp asserts it; `./mnist gradcheck --bug NAME` shows
// it). Each broken function gives what the real one would give with the mistake in it, so the
// real code carries no switch for any of this. The five in classroom exercises call the real
// function and transform its output (a one-line-off copy would be a near-solution in the
// student copy); the two others are copies with one line changed (gradcheck_bugs.cpp).
//
//   name                 where                               the mistake
//   missing-transpose    dense backward, dW                  computes dZ^T X (H x D) and stores
//                                                            it as if it were X^T dZ (D x H)
//   relu-mask            ReLU backward                       masks with dA > 0 instead of Z > 0
//   sign-error           softmax + cross-entropy backward    (Y - P) / N instead of (P - Y) / N
//   no-batch-mean        softmax + cross-entropy backward    P - Y: forgets the 1/N of the mean
//   rmsprop-eps-in-sqrt  RMSProp update                      sqrt(v + eps) for sqrt(v) + eps
//   dropout-no-scale     dropout backward                    dA * keep, forgetting / (1 - rate)
//   l2-no-factor-2       L2 penalty backward                 l2 W instead of 2 l2 W
//
// What each looks like in the checker's table is shown in docs/06-gradient-checking.md.
//
// Read next: gradcheck_command.h.
#pragma once

#include <string>
#include <vector>

#include "gradcheck.h"

struct PlantedBug {
    std::string name;      // what --bug takes, e.g. "sign-error"
    std::string where;     // which function is broken
    std::string mistake;   // what it does wrong, in one line
    BackwardPasses passes;                 // the real passes, except where the bug is
    RmsPropUpdate update = rmsprop_update<float>;  // the real update, except for the optimizer bug
};

// All of them, in the order of the table above.
std::vector<PlantedBug> planted_bugs();

// The bug called `name`, or nullptr if there is none.
const PlantedBug* find_planted_bug(const std::string& name);
