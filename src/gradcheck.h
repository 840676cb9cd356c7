// gradcheck.h: checking every backward pass against the definition of a derivative.
//
// A backward pass is a claim: "this is dL/dW". The derivative's definition lets us test the
// claim without trusting any of the algebra in layers.cpp. For one number w inside W,
//
//     dL/dw  ~=  ( L(w + h) - L(w - h) ) / (2h)                      (centred difference)
//
// which needs only the forward pass. By Taylor's theorem the error of this estimate is
// h^2/6 * L'''(w), so it shrinks with h squared (the one-sided (L(w+h) - L(w))/h only shrinks
// with h). But each L is computed with rounding error of about eps * |L|, and dividing by 2h
// magnifies it: total error ~ h^2 * |L'''| + eps * |L| / h.
//
// Why double precision. In float, eps = 6e-8 and the best h (about 1e-2 to 1e-3) leaves a
// relative error near 1e-3: a correct gradient and a subtly wrong one can be hard to tell
// apart. In double, eps = 1.1e-16; with h = 1e-5 both terms are around 1e-10, so a correct
// gradient agrees to 8 or more digits. The layer code is the same template in both types
// (matrix.h), so checking Matrix<double> checks the code that trains in float.
//
// What is compared. For each element, the relative error
//     |analytic - numeric| / max(|analytic|, |numeric|, 1e-6)
// (the floor keeps a gradient that is 0 on both sides, like a dead ReLU's, from dividing 0 by
// 0), and a tensor passes when its largest relative error is below 1e-5. Correct code measures
// 1e-7 or less: the worst case is softmax, where a class with probability 0.001 has a gradient
// near 0.001/N, and the loss's rounding error (1e-16 * 2.3 / h) is a larger share of it. Every
// real bug we know of (bugs.h) measures above 1e-2. Between the two lie five orders of
// magnitude, with the tolerance in the middle.
//
// Kinks. ReLU has no derivative at 0. If w - h and w + h put some unit on different sides of
// 0, the centred difference measures a blend of two slopes and is simply not the derivative.
// We do not hide that with a loose tolerance: the ReLU check draws inputs at least 1e-3 away
// from 0 (so w +- h never crosses), and the whole-network check compares the on/off pattern of
// every ReLU at w - h and w + h and skips (and counts) the elements where it changed.
//
// Read next: bugs.h (broken backward passes this checker must catch) and tests/test_gradcheck.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "network.h"

// The backward passes under test, as plain function pointers, so that a deliberately broken
// version can be put in their place. By default: the real ones from layers.h.
struct BackwardPasses {
    void (*dense)(const Matrix<double>& X, const Matrix<double>& W, const Matrix<double>& dZ,
                  Matrix<double>& dW, Matrix<double>& db, Matrix<double>* dX,
                  Workers& workers) = dense_backward<double>;
    void (*relu)(const Matrix<double>& Z, const Matrix<double>& dA,
                 Matrix<double>& dZ) = relu_backward<double>;
    void (*softmax_cross_entropy)(const Matrix<double>& probs, const Matrix<double>& Y,
                                  Matrix<double>& dlogits) = softmax_cross_entropy_backward<double>;
};

// One line of the report: one tensor of one layer.
struct GradCheckResult {
    std::string layer;          // "dense", "relu", "softmax+cross-entropy", "network layer 2"
    std::string tensor;         // "weights", "biases", "input"
    int rows = 0, cols = 0;     // its shape
    double max_relative_error = 0;
    int skipped_at_kinks = 0;   // elements whose centred difference straddled a ReLU kink
    bool passed = false;
};

constexpr double kGradCheckStep = 1e-5;       // h
constexpr double kGradCheckTolerance = 1e-5;  // largest relative error that passes

// Checks dense (weights, biases, input), ReLU (input) and softmax with cross-entropy (logits)
// on small random inputs drawn from `seed`, using the given backward passes.
std::vector<GradCheckResult> check_layers(const BackwardPasses& passes, std::uint64_t seed);

// Checks the whole network end to end: network.h's forward() and backward() on a small random
// network and batch, every weight and bias of every layer.
std::vector<GradCheckResult> check_network(std::uint64_t seed);

// The relative error used above, for one element.
double relative_error(double analytic, double numeric);
