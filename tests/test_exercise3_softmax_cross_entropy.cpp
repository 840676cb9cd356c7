// test_exercise3_softmax_cross_entropy: exercise 3 of docs/assignments.md, softmax_forward and
// softmax_cross_entropy_backward (layers.cpp).
//
// cross_entropy_loss is given: the gradient check measures the backward pass against the
// derivative of that loss, so it is the reference, not part of the exercise. The two functions
// are checked by hand separately, each in a process of its own (exercise.h), so each message
// and each crash names its function; the gradient check needs both, since the backward pass is
// handed the probabilities softmax_forward computed.
#include <cmath>

#include "exercise.h"

namespace {

// Logits (0, ln 2, ln 3) give exp = (1, 2, 3), sum 6, so P = (1/6, 2/6, 3/6). A second row of
// huge logits (1000, 1000, -1000): exp(1000) overflows, but subtracting the largest logit
// first gives (1/2, 1/2, 0).
void softmax_worked_example() {
    Matrix<double> logits(2, 3), probs;
    logits(0, 1) = std::log(2.0), logits(0, 2) = std::log(3.0);
    logits(1, 0) = 1000, logits(1, 1) = 1000, logits(1, 2) = -1000;
    softmax_forward(logits, probs);
    check::expect(probs.rows == 2 && probs.cols == 3, "softmax_forward: probs must have the logits' shape 2x3, saw " +
                                                          std::to_string(probs.rows) + "x" + std::to_string(probs.cols));
    if (probs.rows != 2 || probs.cols != 3) return;
    const double expected[] = {1.0 / 6, 2.0 / 6, 3.0 / 6, 0.5, 0.5, 0};
    for (int i = 0; i < 6; ++i)
        check::near(probs.data[i], expected[i], 1e-12,
                    "softmax_forward: probability " + std::to_string(i % 3) + " of row " + std::to_string(i / 3) +
                        (i < 3 ? " (logits 0, ln 2, ln 3)" : " (logits 1000, 1000, -1000)"));
}

// N = 2 examples, so every entry is (P - Y) / 2.
//   P = | 0.25 0.75 |   Y = | 0 1 |   dlogits = | 0.125 -0.125 |
//       | 0.5  0.5  |       | 1 0 |             | -0.25  0.25  |
void backward_worked_example() {
    Matrix<double> P(2, 2), Y(2, 2), dlogits;
    P(0, 0) = 0.25, P(0, 1) = 0.75, P(1, 0) = 0.5, P(1, 1) = 0.5;
    Y(0, 1) = 1, Y(1, 0) = 1;
    softmax_cross_entropy_backward(P, Y, dlogits);
    check::expect(dlogits.rows == 2 && dlogits.cols == 2,
                  "softmax_cross_entropy_backward: dlogits must have P's shape 2x2, saw " +
                      std::to_string(dlogits.rows) + "x" + std::to_string(dlogits.cols));
    if (dlogits.rows != 2 || dlogits.cols != 2) return;
    const double expected[] = {0.125, -0.125, -0.25, 0.25};
    for (int i = 0; i < 4; ++i)
        check::near(dlogits.data[i], expected[i], 1e-12,
                    "softmax_cross_entropy_backward: dlogits element " + std::to_string(i) + " = (P - Y) / N with N = 2");
}

// Random logits for 3 examples of 4 classes, their probabilities (computed here, so that the
// backward pass's check does not depend on softmax_forward) and one-hot labels.
struct Batch {
    Matrix<double> logits{3, 4}, P{3, 4}, Y{3, 4};
    Batch() {
        Rng rng(13);
        for (double& x : logits.data) x = 4 * rng.uniform() - 2;
        for (int n = 0; n < 3; ++n) {
            double sum = 0;
            for (int k = 0; k < 4; ++k) sum += P(n, k) = std::exp(logits(n, k));
            for (int k = 0; k < 4; ++k) P(n, k) /= sum;
            Y(n, static_cast<int>(rng.below(4))) = 1;
        }
    }
};

void softmax_assigns() {
    const Batch b;
    exercise::expect_assigns("softmax_forward", {"probs"},
                             [&](std::vector<Matrix<double>>& out) { softmax_forward(b.logits, out[0]); });
}

void backward_assigns() {
    const Batch b;
    exercise::expect_assigns("softmax_cross_entropy_backward", {"dlogits"}, [&](std::vector<Matrix<double>>& out) {
        softmax_cross_entropy_backward(b.P, b.Y, out[0]);
    });
}

}  // namespace

int main() {
    exercise::isolated("softmax_forward", "the worked example", softmax_worked_example);
    exercise::isolated("softmax_forward", "the check that it assigns probs", softmax_assigns);
    exercise::isolated("softmax_cross_entropy_backward", "the worked example", backward_worked_example);
    exercise::isolated("softmax_cross_entropy_backward", "the check that it assigns dlogits", backward_assigns);
    // Against the centred difference of cross_entropy_loss, on 20 random draws.
    exercise::layer_checks_pass("softmax+cross-entropy");
    return check::summary("test_exercise3_softmax_cross_entropy");
}
