// gradcheck.cpp: the checks of gradcheck.h.
//
// Each layer check turns the layer into a scalar function so that "the derivative of L" means
// something. For the dense and ReLU layers we use L = sum_ij Out[i][j] * R[i][j] with a fixed
// random matrix R: then dL/dOut = R exactly, which is what we hand to the backward pass, and a
// random R exercises every output with a different weight (an all-ones R would let a bug that
// swaps outputs go unseen). The softmax check uses the real loss, cross-entropy.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

Matrix<double> random_matrix(int rows, int cols, double low, double high, Rng& rng) {
    Matrix<double> M(rows, cols);
    for (double& x : M.data) x = low + (high - low) * rng.uniform();
    return M;
}

// One-hot rows with random labels: the targets of a classification batch.
Matrix<double> random_one_hot(int rows, int classes, Rng& rng) {
    Matrix<double> Y(rows, classes);
    for (int n = 0; n < rows; ++n) Y(n, static_cast<int>(rng.below(classes))) = 1;
    return Y;
}

// sum_ij A[i][j] * R[i][j]
double weighted_sum(const Matrix<double>& A, const Matrix<double>& R) {
    double s = 0;
    for (std::size_t i = 0; i < A.size(); ++i) s += A.data[i] * R.data[i];
    return s;
}

// The centred difference (L(m + h) - L(m - h)) / 2h for every element m of M, where loss()
// computes L from the current contents of M. M is restored after each element.
Matrix<double> numerical_gradient(Matrix<double>& M, const std::function<double()>& loss, double h) {
    Matrix<double> numeric(M.rows, M.cols);
    for (std::size_t i = 0; i < M.size(); ++i) {
        const double saved = M.data[i];
        M.data[i] = saved + h;
        const double up = loss();
        M.data[i] = saved - h;
        const double down = loss();
        M.data[i] = saved;
        numeric.data[i] = (up - down) / (2 * h);
    }
    return numeric;
}

// ---- Reading an error ------------------------------------------------------------------------
// A failed check says more than "wrong": the pattern of the disagreement usually names the bug.
// These tests go from the most specific pattern to the least, and the first that fits is the
// reading printed in the table. They look only at the two matrices, never at which bug (if any)
// was planted, so they are the same hints a student gets for a bug of their own.

// "Zero" for these patterns: far below any real gradient in the checks, far above the 2.5e-11
// of rounding noise in a centred difference (see gradcheck.h).
bool is_zero(double x) { return std::fabs(x) < 1e-9; }

// If analytic = c * numeric for one constant c in every element (zeros matching zeros), c;
// otherwise NaN. A constant factor is what a forgotten 1/N or a flipped sign produces.
double constant_ratio(const Matrix<double>& analytic, const Matrix<double>& numeric) {
    double ratio = NAN;
    for (std::size_t i = 0; i < numeric.size(); ++i) {
        const double a = analytic.data[i], n = numeric.data[i];
        if (is_zero(n)) {
            if (!is_zero(a)) return NAN;
            continue;
        }
        const double r = a / n;
        if (std::isnan(ratio)) ratio = r;
        else if (relative_error(r, ratio) > 1e-4) return NAN;
    }
    return ratio;
}

// True when the analytic values are the numeric ones in another order: each element is right,
// but in the wrong place. Sorting both puts equal values side by side.
bool same_values_elsewhere(const Matrix<double>& analytic, const Matrix<double>& numeric,
                           double floor) {
    std::vector<double> a = analytic.data, n = numeric.data;
    std::sort(a.begin(), a.end());
    std::sort(n.begin(), n.end());
    for (std::size_t i = 0; i < a.size(); ++i)
        if (relative_error(a[i], n[i], floor) >= kGradCheckTolerance) return false;
    return true;
}

// True when every element that fails is zero on one side and not on the other: a gradient let
// through where it should be stopped, or stopped where it should pass.
bool wrong_zeros_only(const Matrix<double>& analytic, const Matrix<double>& numeric, double floor) {
    for (std::size_t i = 0; i < numeric.size(); ++i) {
        const double a = analytic.data[i], n = numeric.data[i];
        if (relative_error(a, n, floor) >= kGradCheckTolerance && is_zero(a) == is_zero(n)) return false;
    }
    return true;
}

std::string format_number(const char* format, double x) {
    char text[64];
    std::snprintf(text, sizeof text, format, x);
    return text;
}

// How many decimal digits two numbers share, from their relative error: 1e-9 is 9 digits.
std::string agreement(double max_relative_error) {
    if (max_relative_error == 0) return "agrees exactly";
    const int digits = static_cast<int>(std::floor(-std::log10(max_relative_error)));
    return "agrees to " + std::to_string(digits) + " digits";
}

std::string read_failure(const Matrix<double>& analytic, const Matrix<double>& numeric, double floor,
                         double max_relative_error) {
    for (double a : analytic.data)
        if (!std::isfinite(a)) return "not a number (NaN or inf): an overflow or a 0/0 in the backward pass";
    // Every wrong formula we know of is off by 1% or more somewhere. A disagreement a thousand
    // times smaller is more likely the numeric estimate's own error than a bug.
    if (max_relative_error < 1e-3)
        return "small: the centred difference's own error (h too large or too small?) or a subtle bug";
    const double c = constant_ratio(analytic, numeric);
    if (std::isfinite(c)) {
        if (std::fabs(c + 1) < 1e-4) return "exactly the negative everywhere: a sign error";
        if (is_zero(c)) return "zero everywhere: the gradient is never computed";
        return "every element " + format_number("%.4g", c) +
               " times the true one: a missing constant factor (a forgotten 1/N?)";
    }
    if (same_values_elsewhere(analytic, numeric, floor))
        return "the right numbers in the wrong places: a missing transpose or swapped indices";
    if (wrong_zeros_only(analytic, numeric, floor))
        return "zero where the derivative is not, or the reverse: a wrong mask";
    return "no simple pattern (not a factor, a permutation or a mask): recheck the derivation";
}

GradCheckResult compare(const std::string& layer, const std::string& tensor,
                        const Matrix<double>& analytic, const Matrix<double>& numeric,
                        double floor = kGradCheckFloor) {
    GradCheckResult r;
    r.layer = layer;
    r.tensor = tensor;
    r.rows = numeric.rows;
    r.cols = numeric.cols;
    if (analytic.rows != numeric.rows || analytic.cols != numeric.cols) {
        r.max_relative_error = INFINITY;  // a gradient of the wrong shape is as wrong as it gets
        r.reading = "wrong shape: " + std::to_string(analytic.rows) + "x" +
                    std::to_string(analytic.cols) + " instead of " + std::to_string(numeric.rows) +
                    "x" + std::to_string(numeric.cols);
        return r;
    }
    for (std::size_t i = 0; i < numeric.size(); ++i)
        r.max_relative_error =
            std::max(r.max_relative_error, relative_error(analytic.data[i], numeric.data[i], floor));
    // Written so that NaN fails: every comparison with NaN is false.
    r.passed = r.max_relative_error < kGradCheckTolerance;
    r.reading = r.passed ? agreement(r.max_relative_error) + ": correct" : read_failure(analytic, numeric, floor, r.max_relative_error);
    return r;
}

// The on/off state of every hidden ReLU for the batch last seen by forward().
std::vector<bool> relu_pattern(const Network<double>& net) {
    std::vector<bool> on;
    for (std::size_t l = 0; l + 1 < net.Z.size(); ++l)
        for (double z : net.Z[l].data) on.push_back(z > 0);
    return on;
}

}  // namespace

double relative_error(double analytic, double numeric, double floor) {
    const double scale = std::max({std::fabs(analytic), std::fabs(numeric), floor});
    return std::fabs(analytic - numeric) / scale;
}

std::string checked_functions(const std::string& layer) {
    if (layer == "dense") return "dense_backward";
    if (layer == "relu") return "relu_backward";
    if (layer == "softmax+cross-entropy") return "softmax_forward and softmax_cross_entropy_backward";
    if (layer.rfind("rmsprop", 0) == 0) return "rmsprop_update";
    if (layer == "dropout") return "dropout_backward (regularization.cpp)";
    if (layer == "l2 penalty") return "l2_backward (regularization.cpp)";
    return "forward() and backward() of network.cpp, which use every layer";
}

std::vector<GradCheckResult> check_layers(const BackwardPasses& passes, std::uint64_t seed, double h,
                                          const std::string& only) {
    auto wanted = [&](const char* layer) { return only.empty() || only == layer; };
    Rng rng(seed);
    std::vector<GradCheckResult> results;
    const int N = 4, D = 5, H = 3, K = 10;

    // Dense: Z = X W + b with L = sum(Z * R), so dZ = R.
    if (wanted("dense")) {
        Matrix<double> X = random_matrix(N, D, -1, 1, rng);
        Matrix<double> W = random_matrix(D, H, -1, 1, rng);
        Matrix<double> b = random_matrix(1, H, -1, 1, rng);
        const Matrix<double> R = random_matrix(N, H, -1, 1, rng);
        Matrix<double> Z, dW, db, dX;
        passes.dense(X, W, R, dW, db, &dX);
        auto loss = [&] {
            dense_forward(X, W, b, Z);
            return weighted_sum(Z, R);
        };
        results.push_back(compare("dense", "weights", dW, numerical_gradient(W, loss, h)));
        results.push_back(compare("dense", "biases", db, numerical_gradient(b, loss, h)));
        results.push_back(compare("dense", "input", dX, numerical_gradient(X, loss, h)));
    }

    // ReLU: A = max(0, Z) with L = sum(A * R), so dA = R. Inputs are kept at least 1e-3 from
    // the kink at 0, a hundred times the default step h, so z - h and z + h are always on one
    // side. (With --step above 1e-3 they need not be, and this check shows what a kink does.)
    if (wanted("relu")) {
        Matrix<double> Z = random_matrix(N, 2 * H, -1, 1, rng);
        for (double& z : Z.data)
            if (std::fabs(z) < 1e-3) z = (z < 0 ? -1e-3 : 1e-3);
        const Matrix<double> R = random_matrix(N, 2 * H, -1, 1, rng);
        Matrix<double> A, dZ;
        passes.relu(Z, R, dZ);
        auto loss = [&] {
            relu_forward(Z, A);
            return weighted_sum(A, R);
        };
        results.push_back(compare("relu", "input", dZ, numerical_gradient(Z, loss, h)));
    }

    // Softmax with cross-entropy: the real loss, mean over the batch.
    if (wanted("softmax+cross-entropy")) {
        Matrix<double> logits = random_matrix(N, K, -3, 3, rng);
        const Matrix<double> Y = random_one_hot(N, K, rng);
        Matrix<double> probs, dlogits;
        softmax_forward(logits, probs);
        passes.softmax_cross_entropy(probs, Y, dlogits);
        auto loss = [&] { return cross_entropy_loss(logits, Y); };
        results.push_back(
            compare("softmax+cross-entropy", "logits", dlogits, numerical_gradient(logits, loss, h)));
    }

    // Dropout with one fixed mask: out = A * keep / (1 - rate), with L = sum(out * R), so
    // dout = R. The mask is drawn once and kept for every evaluation of L: dropout with a fixed
    // mask is an ordinary function of A, and that function is what backward differentiates.
    if (wanted("dropout")) {
        const double rate = 0.25;
        Matrix<double> A = random_matrix(N, 2 * H, -1, 1, rng);
        Matrix<double> keep;
        draw_dropout_mask(N, 2 * H, rate, rng, keep);
        const Matrix<double> R = random_matrix(N, 2 * H, -1, 1, rng);
        Matrix<double> dA = R;  // the backward pass works in place
        passes.dropout(dA, keep, rate);
        auto loss = [&] {
            Matrix<double> out = A;
            dropout_forward(out, keep, rate);
            return weighted_sum(out, R);
        };
        results.push_back(compare("dropout", "input", dA, numerical_gradient(A, loss, h)));
    }

    // L2: the penalty P = l2 sum(W^2) is itself the function checked, so dP = 1.
    if (wanted("l2 penalty")) {
        const double l2 = 0.05;
        Matrix<double> W = random_matrix(D, H, -1, 1, rng);
        Matrix<double> dW(D, H);  // zero: l2_backward adds to it
        passes.l2(W, l2, dW);
        auto loss = [&] { return l2_penalty(W, l2); };
        results.push_back(compare("l2 penalty", "weights", dW, numerical_gradient(W, loss, h)));
    }
    return results;
}

namespace {

// check_network() and check_network_regularized(): the whole network, with the given dropout
// rate and L2 factor (both 0: the plain network, exactly as training without them sees it).
std::vector<GradCheckResult> check_whole_network(std::uint64_t seed, double h,
                                                 const RegularizationSettings& regularization,
                                                 const std::string& prefix) {
    Rng rng(seed);
    const int N = 3;
    Network<double> net = make_network<double>({6, 5, 4, 10}, rng);
    // Glorot leaves biases at zero; random ones make the check cover more than the origin.
    for (DenseLayer<double>& layer : net.layers)
        for (double& b : layer.b.data) b = 0.2 * (2 * rng.uniform() - 1);
    const Matrix<double> X = random_matrix(N, 6, 0, 1, rng);
    const Matrix<double> Y = random_one_hot(N, 10, rng);
    // Dropout masks, drawn once and used for every evaluation of the loss (see check_layers).
    DropoutMasks<double> masks;
    masks.rate = regularization.dropout;
    masks.keep.resize(net.A.size());
    const bool dropout = regularization.dropout > 0;
    if (dropout)
        for (std::size_t l = 0; l < masks.keep.size(); ++l)
            draw_dropout_mask(N, net.layers[l].W.cols, masks.rate, rng, masks.keep[l]);
    // The loss training minimises: cross-entropy, plus the L2 penalty when there is one.
    auto loss = [&] {
        dropout ? forward_with_dropout(net, X, masks) : forward(net, X);
        const double cross_entropy = cross_entropy_loss(net.Z.back(), Y);
        return regularization.l2 > 0 ? cross_entropy + l2_penalty(net, regularization.l2) : cross_entropy;
    };

    if (dropout) {
        forward_with_dropout(net, X, masks);
        backward_with_dropout(net, X, Y, masks);
    } else {
        forward(net, X);
        backward(net, X, Y);
    }
    if (regularization.l2 > 0) add_l2_gradients(net, regularization.l2);

    std::vector<GradCheckResult> results;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const std::string name = prefix + std::to_string(l + 1);
        for (int which = 0; which < 2; ++which) {
            Matrix<double>& param = which == 0 ? net.layers[l].W : net.layers[l].b;
            const Matrix<double> analytic = which == 0 ? net.layers[l].dW : net.layers[l].db;
            // The same centred difference as numerical_gradient(), plus the kink test.
            Matrix<double> numeric(param.rows, param.cols);
            Matrix<double> kept(param.rows, param.cols);  // analytic, where comparable
            int skipped = 0;
            for (std::size_t i = 0; i < param.size(); ++i) {
                const double saved = param.data[i];
                param.data[i] = saved + h;
                const double up = loss();
                const std::vector<bool> pattern_up = relu_pattern(net);
                param.data[i] = saved - h;
                const double down = loss();
                const std::vector<bool> pattern_down = relu_pattern(net);
                param.data[i] = saved;
                numeric.data[i] = (up - down) / (2 * h);
                kept.data[i] = analytic.data[i];
                if (pattern_up != pattern_down) {  // straddles a kink: not comparable
                    numeric.data[i] = kept.data[i] = 0;
                    ++skipped;
                }
            }
            GradCheckResult r = compare(name, which == 0 ? "weights" : "biases", kept, numeric);
            r.skipped_at_kinks = skipped;
            if (skipped > 0)
                r.reading += " (" + std::to_string(skipped) + " skipped: w +- h crosses a ReLU kink)";
            results.push_back(r);
        }
    }
    return results;
}

}  // namespace

std::vector<GradCheckResult> check_network(std::uint64_t seed, double h) {
    return check_whole_network(seed, h, RegularizationSettings{}, "network layer ");
}

std::vector<GradCheckResult> check_network_regularized(std::uint64_t seed, double h) {
    RegularizationSettings regularization;
    regularization.dropout = 0.25;
    regularization.l2 = 0.05;
    return check_whole_network(seed, h, regularization, "dropout+L2 net layer ");
}

// ---- RMSProp -----------------------------------------------------------------------------------
// An optimizer has no derivative to compare with: it is a rule, and the question is whether the
// code follows it. So the reference is the rule itself, written a second time, here, from the
// formula in rmsprop.h and nothing else: in double, one element at a time, sharing no code with
// rmsprop.cpp:
//
//     v  <-  rho v + (1 - rho) g^2
//     w  <-  w - lr g / (sqrt(v) + eps)
//
// Which gradients. sqrt(v) + eps and sqrt(v + eps) (epsilon inside the root, a common slip and
// a different optimizer) differ only where v is not much larger than eps = 1e-7. For g = 1, v is
// 0.1 after one step and the two denominators are 1.8e-7 apart, relatively (sqrt(0.1 + 1e-7) is
// sqrt(0.1) (1 + 5.0e-7), sqrt(0.1) + 1e-7 is sqrt(0.1) (1 + 3.2e-7)): no check could see
// that. For g = 1e-3, v = 1e-7 = eps, and the denominators are 3.2e-4 and 4.5e-4: 30% apart.
// So the gradients are spread over seven orders of magnitude, 1e-6 to 10. The large ones show
// that the ordinary update is right, the small ones are where epsilon decides. The same g is
// used for all three steps, so each element has one |g| to speak of in the reading.
//
// Precision. The code under test computes in float, rounding each operation to about 6e-8
// relative. The update never depends on w itself, so we start from w = 0: then w is exactly the
// sum of the steps, and its rounding is relative to the steps (about 3e-3 each), not to a weight
// near 1, next to which a step would keep only 4 of float's 7 digits. Three steps stay well
// below 1e-6, while every planted mistake is above 1e-3.

namespace {

// The rule is computed, not estimated, so there is no noise to absorb: the floor only makes the
// element with g = 0 (w = v = 0 on both sides) compare as 0 rather than 0/0. v for g = 1e-6 is
// 3e-13 and is still compared relatively.
constexpr double kRmsPropFloor = 1e-30;

// The reading of a failed RMSProp check: are the wrong elements exactly those with the
// smallest gradients? Then the mistake is in what happens when v is small, which is epsilon.
std::string read_rmsprop_failure(const Matrix<double>& code, const Matrix<double>& rule,
                                 const Matrix<float>& g, const std::string& general_reading) {
    double largest_failing = 0, smallest_passing = INFINITY;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const double size = std::fabs(g.data[i]);
        if (size == 0) continue;
        if (relative_error(code.data[i], rule.data[i], kRmsPropFloor) >= kGradCheckTolerance)
            largest_failing = std::max(largest_failing, size);
        else
            smallest_passing = std::min(smallest_passing, size);
    }
    if (largest_failing > 0 && largest_failing < smallest_passing && std::isfinite(smallest_passing))
        return "right for |g| >= " + format_number("%.2g", smallest_passing) +
               ", wrong below: the small-v end of the rule, where epsilon acts";
    return general_reading;
}

}  // namespace

std::vector<GradCheckResult> check_rmsprop(RmsPropUpdate update, std::uint64_t seed) {
    Rng rng(seed);
    const RmsPropSettings settings;  // Keras' defaults: lr 0.001, rho 0.9, eps 1e-7
    const int rows = 4, cols = 8, steps = 3;

    // g = +-m * 10^e with m in [1, 10) and e in [-6, 0]: from 1e-6 to 10. One element is 0,
    // which must give v = 0 and no step at all (0 / eps, not 0 / 0).
    Matrix<float> g(rows, cols);
    for (float& x : g.data) {
        const double magnitude = (1 + 9 * rng.uniform()) * std::pow(10.0, -6 + static_cast<int>(rng.below(7)));
        x = static_cast<float>(rng.uniform() < 0.5 ? -magnitude : magnitude);
    }
    g.data[0] = 0;

    // The code under test, in float.
    Matrix<float> w(rows, cols), v(rows, cols);
    for (int step = 0; step < steps; ++step) update(w, g, v, settings);

    // The rule, in double, from the values the float code sees: the settings rounded to float
    // (0.9f is not exactly 0.9; using the values the code sees keeps that difference out of
    // the comparison).
    const double lr = static_cast<float>(settings.learning_rate);
    const double rho = static_cast<float>(settings.rho);
    const double eps = static_cast<float>(settings.epsilon);
    Matrix<double> w_rule(rows, cols), v_rule(rows, cols);
    for (int step = 0; step < steps; ++step) {
        for (std::size_t i = 0; i < g.size(); ++i) {
            const double gi = g.data[i];
            v_rule.data[i] = rho * v_rule.data[i] + (1 - rho) * gi * gi;
            w_rule.data[i] -= lr * gi / (std::sqrt(v_rule.data[i]) + eps);
        }
    }

    Matrix<double> w_code(rows, cols), v_code(rows, cols);
    for (std::size_t i = 0; i < g.size(); ++i) {
        w_code.data[i] = w.data[i];
        v_code.data[i] = v.data[i];
    }
    const std::string name = "rmsprop, " + std::to_string(steps) + " steps";
    std::vector<GradCheckResult> results = {compare(name, "weights", w_code, w_rule, kRmsPropFloor),
                                            compare(name, "v (mean g^2)", v_code, v_rule, kRmsPropFloor)};
    for (GradCheckResult& r : results) {
        if (r.passed) {
            r.reading = agreement(r.max_relative_error) + ": follows the rule";
        } else {
            const bool weights = r.tensor == "weights";
            const Matrix<double>& code = weights ? w_code : v_code;
            // The general readings speak of a backward pass and its gradient; an update has
            // neither, so its two commonest failures get readings of their own.
            bool untouched = true, finite = true;
            for (double x : code.data) {
                untouched = untouched && x == 0;
                finite = finite && std::isfinite(x);
            }
            if (untouched)
                r.reading = std::string("still 0 after 3 steps from 0: ") +
                            (weights ? "no step was taken" : "v is never updated");
            else if (!finite)
                r.reading = "not a number (NaN or inf): a 0/0 or an overflow in the update";
            else
                r.reading = read_rmsprop_failure(code, weights ? w_rule : v_rule, g, r.reading);
        }
    }
    return results;
}
