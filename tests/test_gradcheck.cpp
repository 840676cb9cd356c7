// test_gradcheck: every real backward pass agrees with the centred difference, and the checker
// is able to fail: backward passes with a planted mistake must be reported as failures.
#include "check.h"
#include "gradcheck.h"

namespace {

// A ReLU backward that masks with the wrong thing: it lets the gradient through where the
// incoming gradient is positive, instead of where the input was positive.
void relu_backward_wrong_mask(const Matrix<double>& Z, const Matrix<double>& dA, Matrix<double>& dZ) {
    dZ.reshape(Z.rows, Z.cols);
    for (std::size_t i = 0; i < Z.size(); ++i) dZ.data[i] = dA.data[i] > 0 ? dA.data[i] : 0;
}

// Softmax with cross-entropy that forgets to divide by the batch size N.
void softmax_backward_no_mean(const Matrix<double>& P, const Matrix<double>& Y, Matrix<double>& dZ) {
    dZ.reshape(P.rows, P.cols);
    for (std::size_t i = 0; i < P.size(); ++i) dZ.data[i] = P.data[i] - Y.data[i];
}

const GradCheckResult* find(const std::vector<GradCheckResult>& results, const std::string& layer,
                            const std::string& tensor) {
    for (const GradCheckResult& r : results)
        if (r.layer == layer && r.tensor == tensor) return &r;
    return nullptr;
}

}  // namespace

int main() {
    // The real layers: every tensor passes, and by a wide margin (relative error below 1e-6,
    // ten times under the tolerance; see gradcheck.h for what we measure).
    const std::vector<GradCheckResult> layers = check_layers(BackwardPasses{}, 7);
    check::equal(static_cast<long long>(layers.size()), 5, "layer checks run");
    for (const GradCheckResult& r : layers) {
        check::expect(r.passed, r.layer + " " + r.tensor + " passes (relative error " +
                                    std::to_string(r.max_relative_error) + ")");
        check::expect(r.max_relative_error < 1e-6,
                      r.layer + " " + r.tensor + " relative error below 1e-6");
    }

    const std::vector<GradCheckResult> network = check_network(11);
    check::equal(static_cast<long long>(network.size()), 6, "network checks: W and b of 3 layers");
    for (const GradCheckResult& r : network)
        check::expect(r.passed, r.layer + " " + r.tensor + " passes (relative error " +
                                    std::to_string(r.max_relative_error) + ")");

    // Planted mistakes are caught, on exactly the tensor they break.
    BackwardPasses wrong_relu;
    wrong_relu.relu = relu_backward_wrong_mask;
    const GradCheckResult* relu = find(check_layers(wrong_relu, 7), "relu", "input");
    check::expect(relu != nullptr && !relu->passed, "a ReLU backward with the wrong mask fails");

    BackwardPasses wrong_softmax;
    wrong_softmax.softmax_cross_entropy = softmax_backward_no_mean;
    const std::vector<GradCheckResult> r = check_layers(wrong_softmax, 7);
    const GradCheckResult* soft = find(r, "softmax+cross-entropy", "logits");
    check::expect(soft != nullptr && !soft->passed, "softmax backward without 1/N fails");
    // With N = 4 the wrong gradient is 4 times the right one: relative error 3/4.
    check::expect(soft != nullptr && soft->max_relative_error > 0.7,
                  "softmax backward without 1/N is off by a factor N");
    const GradCheckResult* dense = find(r, "dense", "weights");
    check::expect(dense != nullptr && dense->passed, "the dense layer still passes beside it");

    check::near(relative_error(1.0, 1.0), 0, 0, "relative_error of equal numbers");
    check::near(relative_error(2.0, 1.0), 0.5, 1e-15, "relative_error(2, 1)");
    check::near(relative_error(0.0, 0.0), 0, 0, "relative_error(0, 0) is 0, not NaN");

    return check::summary("test_gradcheck");
}
