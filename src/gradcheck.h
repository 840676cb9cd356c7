// gradcheck.h: checking every backward pass against the definition of a derivative.
//
// A backward pass is a claim: "this is dL/dW". The derivative's definition lets us test the
// claim without trusting any of the algebra in layers.cpp. For one number w inside W,
//
//     dL/dw  ~=  ( L(w + h) - L(w - h) ) / (2h)                      (centred difference)
//
// which needs only the forward pass. By Taylor's theorem the error of this estimate is
// (h^2/6) L'''(w), so it shrinks with h squared (the one-sided (L(w+h) - L(w))/h only shrinks
// with h). But each L is computed with a rounding error of about u |L| (u, the unit roundoff:
// 6.0e-8 in float, 1.1e-16 in double), and dividing by 2h magnifies it:
//     total error  ~  (h^2/6) |L'''|  +  u |L| / h.
//
// Why double precision. For a loss near ln 10 = 2.3 and |L'''| near 1, the best h makes that
// about 3e-5 in float (h about 7e-3), a few percent of a typical gradient of 1e-3: a correct
// gradient and a subtly wrong one look alike. In double it is about 4e-11 (h about 9e-6); at
// our h = 1e-5 the two terms are 1.7e-11 and 2.5e-11, so a correct gradient agrees to 7 or more
// digits. docs/06-gradient-checking.md works this out. The layer code is the same template in
// both types (matrix.h), so checking Matrix<double> checks the code that trains in float.
//
// What is compared. For each element, the relative error
//     |analytic - numeric| / max(|analytic|, |numeric|, 1e-4)
// and a tensor passes when its largest relative error is below 1e-5.
//
// Why the floor of 1e-4. The rounding term above is an ABSOLUTE error: about
// 1.1e-16 * 2.3 / 1e-5 = 2.5e-11 for a loss near ln 10 = 2.3, however small the gradient. A
// random network has gradients as small as 3e-6, and 2.5e-11 / 3e-6 is 1e-5: a plain relative
// error would fail correct code there. With the floor, gradients below 1e-4 are compared
// absolutely (the difference is divided by 1e-4), so that noise counts as 2.5e-7, and above
// 1e-4 the comparison is relative as usual. The floor also turns 0 vs 0 (a dead ReLU's
// gradient) into 0 instead of 0/0. Measured over 50 random draws of every check
// (tests/test_gradcheck.cpp), correct code stays below 1e-6, and every planted bug
// (gradcheck_bugs.h) measures 1e-2 or more: four orders of magnitude apart, with the tolerance
// between them.
//
// Kinks. ReLU has no derivative at 0. If w - h and w + h put some unit on different sides of
// 0, the centred difference measures a blend of two slopes and is simply not the derivative.
// We do not hide that with a loose tolerance: the ReLU check draws inputs at least 1e-3 away
// from 0 (so w +- h never crosses), and the whole-network check compares the on/off pattern of
// every ReLU at w - h and w + h and skips (and counts) the elements where it changed.
//
// The optimizer is not a derivative, so it gets a different kind of check: check_rmsprop() runs
// three RMSProp steps of the real float code and compares them with the update rule written out
// a second time, independently, in double (see gradcheck.cpp).
//
// Read next: gradcheck_bugs.h (broken variants this checker must catch), gradcheck_command.h
// (`./mnist gradcheck`, the table) and docs/06-gradient-checking.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "network.h"
#include "regularization.h"
#include "rmsprop.h"

// The backward passes under test, as plain function pointers, so that a deliberately broken
// version can be put in their place. By default: the real ones from layers.h.
struct BackwardPasses {
    void (*dense)(const Matrix<double>& X, const Matrix<double>& W, const Matrix<double>& dZ,
                  Matrix<double>& dW, Matrix<double>& db, Matrix<double>* dX) = dense_backward<double>;
    void (*relu)(const Matrix<double>& Z, const Matrix<double>& dA,
                 Matrix<double>& dZ) = relu_backward<double>;
    void (*softmax_cross_entropy)(const Matrix<double>& probs, const Matrix<double>& Y,
                                  Matrix<double>& dlogits) = softmax_cross_entropy_backward<double>;
    // The regularizers of regularization.h.
    void (*dropout)(Matrix<double>& dA, const Matrix<double>& keep, double rate) = dropout_backward<double>;
    void (*l2)(const Matrix<double>& W, double l2, Matrix<double>& dW) = l2_backward<double>;
};

// One line of the report: one tensor of one layer.
struct GradCheckResult {
    std::string layer;          // "dense", "relu", "softmax+cross-entropy", "network layer 2"
    std::string tensor;         // "weights", "biases", "input"
    int rows = 0, cols = 0;     // its shape
    double max_relative_error = 0;
    int skipped_at_kinks = 0;   // elements whose centred difference straddled a ReLU kink
    bool passed = false;
    std::string reading;        // what the error means, in words, for the table
};

constexpr double kGradCheckStep = 1e-5;       // h
constexpr double kGradCheckTolerance = 1e-5;  // largest relative error that passes
// Below this, the relative error divides by this floor instead of by the values (see above).
constexpr double kGradCheckFloor = 1e-4;

// Checks dense (weights, biases, input), ReLU (input), softmax with cross-entropy (logits),
// dropout with a fixed mask (input) and the L2 penalty (weights) on small random inputs drawn
// from `seed`, using the given backward passes. h is the step of
// the centred difference; only `./mnist gradcheck --step` changes it, to show what a worse one
// does. With `only` set to one layer's name ("dense", "relu", "softmax+cross-entropy",
// "dropout", "l2 penalty"), only that layer's check runs and no other function is called: an
// exercise's test must not crash or fail because of another exercise (tests/exercise.h). The
// random draws then differ from the full run's, which shares one generator between layers.
std::vector<GradCheckResult> check_layers(const BackwardPasses& passes, std::uint64_t seed,
                                          double h = kGradCheckStep, const std::string& only = "");

// Checks the whole network end to end: network.h's forward() and backward() on a small random
// network and batch, every weight and bias of every layer.
std::vector<GradCheckResult> check_network(std::uint64_t seed, double h = kGradCheckStep);

// The same with dropout (rate 0.25, one fixed set of masks) after each hidden ReLU and L2
// (0.05) on every weight matrix, the loss being cross-entropy + penalty: checks how
// network.cpp threads the masks through forward() and backward(), and add_l2_gradients().
std::vector<GradCheckResult> check_network_regularized(std::uint64_t seed, double h = kGradCheckStep);

// The update of rmsprop.h, as a function pointer so that a broken one can be put in its place.
using RmsPropUpdate = void (*)(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& v,
                               const RmsPropSettings& settings);

// Three steps of `update` (float, Keras' default settings) on a 4 x 8 tensor whose gradients
// range from 1e-6 to 10, compared with the rule of rmsprop.h computed independently in double:
// one result for the weights, one for v. Float rounding leaves a relative error of about 1e-7;
// the tolerance is the same 1e-5.
std::vector<GradCheckResult> check_rmsprop(RmsPropUpdate update, std::uint64_t seed);

// The function whose work a result checks, for messages that tell a student where to look:
// "relu" -> "relu_backward", "rmsprop, 3 steps" -> "rmsprop_update". The softmax row also
// depends on softmax_forward (it computes the probabilities the backward pass is given), and the
// whole-network rows on every layer, so those two name more than one function.
std::string checked_functions(const std::string& layer);

// The relative error used above, for one element. check_rmsprop() passes a floor of 1e-30: its
// reference is exact arithmetic, not a difference quotient, so it has no noise to absorb.
double relative_error(double analytic, double numeric, double floor = kGradCheckFloor);
