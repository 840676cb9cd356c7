// test_hidden3_softmax_cross_entropy: a hidden test of exercise 3 (tools/grade runs it; the
// student copy does not have it). Logits far below zero (exp underflows to 0 without the shift)
// and a batch of N = 5, where a forgotten 1/N is a factor 5.
#include <cmath>

#include "exercise.h"

int main() {
    exercise::isolated("softmax_forward", "logits of -1000", [] {
        Matrix<double> logits(1, 2), probs;
        logits(0, 0) = -1000, logits(0, 1) = -1000 - std::log(3.0);
        softmax_forward(logits, probs);
        check::expect(probs.rows == 1 && probs.cols == 2, "softmax_forward: probs must have the logits' shape 1x2");
        if (probs.size() != 2) return;
        check::near(probs(0, 0), 0.75, 1e-12, "softmax_forward: probability 0 for logits (-1000, -1000 - ln 3)");
        check::near(probs(0, 1), 0.25, 1e-12, "softmax_forward: probability 1 for logits (-1000, -1000 - ln 3)");
    });
    exercise::isolated("softmax_cross_entropy_backward", "a batch of 5", [] {
        Rng rng(103);
        Matrix<double> P(5, 3), Y(5, 3), dlogits;
        for (int n = 0; n < 5; ++n) {
            const double a = rng.uniform(), b = (1 - a) * rng.uniform();
            P(n, 0) = a, P(n, 1) = b, P(n, 2) = 1 - a - b;
            Y(n, n % 3) = 1;
        }
        softmax_cross_entropy_backward(P, Y, dlogits);
        check::expect(dlogits.rows == 5 && dlogits.cols == 3, "softmax_cross_entropy_backward: dlogits must be 5x3");
        if (dlogits.size() != 15) return;
        double worst = 0;
        for (std::size_t i = 0; i < 15; ++i) worst = std::max(worst, std::fabs(dlogits.data[i] - (P.data[i] - Y.data[i]) / 5));
        check::expect(worst < 1e-15, "softmax_cross_entropy_backward: differs from (P - Y) / 5 by " + exercise::number(worst));
    });
    return check::summary("test_hidden3_softmax_cross_entropy");
}
