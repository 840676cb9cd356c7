// rmsprop.h: the optimizer, RMSProp, with Keras' semantics and defaults.
//
// Plain gradient descent moves every weight by lr * g. The trouble is that gradients differ in
// scale by orders of magnitude from one weight to the next (a weight fed by a pixel that is
// almost always 0 sees tiny gradients; a bias sees large ones), and one learning rate cannot
// suit them all. RMSProp (Hinton, Coursera lecture 6e, 2012) divides each weight's step by a
// running estimate of the size of its own gradient:
//
//     v  <-  rho * v + (1 - rho) * g^2          (per weight: a moving average of g squared)
//     w  <-  w - lr * g / (sqrt(v) + eps)
//
// sqrt(v) is the root of the mean square of recent gradients (hence the name), so g / sqrt(v)
// is about +-1 whatever the gradient's scale: a weight moves by about lr per step while its
// gradient is as large as its recent ones (and by less once the current gradient falls below
// them, as it does late in training: docs/07-training-curves.md).
// eps only guards the division when v is still (almost) zero. v starts at zero.
//
// Defaults, as in Keras: lr = 0.001, rho = 0.9 (v averages over roughly the last 1/(1-rho) = 10
// steps), eps = 1e-7. Where eps goes is not the same everywhere: standalone Keras 2, tf.keras
// with momentum 0 (the tutorial's case) and PyTorch add it outside the square root, as written
// above, and so does this program; TensorFlow's ApplyRMSProp kernel (which tf.keras uses only
// with momentum > 0) and Keras 3 put it inside, sqrt(v + eps) (docs/05-optimizers.md). For
// small v those are different optimizers (with v = 0 the divisor is 1e-7 in one and 3.2e-4 in
// the other), so here "inside" counts as a bug, one of those the gradient checker's bug list
// shows being caught (docs/06-gradient-checking.md).
//
// Read next: optimizers.h, which puts this rule beside SGD, momentum and Adam (--optimizer),
// then train.h, which calls the optimizer once per batch.
#pragma once

#include "matrix.h"

// Kept in double and converted to the tensor's type by each update: training (float) uses
// exactly the float values 0.001f, 0.9f, 1e-7f, and `./mnist trace` (double, trace_command.h)
// uses 0.001, 0.9, 1e-7 to full precision, so its numbers match a hand calculation.
struct RmsPropSettings {
    double learning_rate = 0.001;
    double rho = 0.9;
    double epsilon = 1e-7;
};

// One RMSProp update, in place, of n weights w[0..n-1] and their mean squares v, given their
// gradients g. Each weight needs only its own w, g and v, so optimizers.cpp can share the pieces
// of a tensor between threads. Real: float to train, double for `./mnist trace` (rmsprop.cpp).
template <typename Real>
void rmsprop_update(Real* w, const Real* g, Real* v, std::size_t n, const RmsPropSettings& settings);

// The same on whole tensors of one shape.
template <typename Real>
void rmsprop_update(Matrix<Real>& w, const Matrix<Real>& g, Matrix<Real>& v, const RmsPropSettings& s) {
    rmsprop_update(w.data.data(), g.data.data(), v.data.data(), w.size(), s);
}
