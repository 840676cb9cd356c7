// optimizer_choice.h: what --optimizer chooses besides RMSProp: SGD, momentum and Adam, their
// names, and Keras' default learning rate for each (docs/05-optimizers.md).
//
// Optimizer::step() (optimizers.h) calls the rule its settings name. A student following the
// default run can skip this file: it trains with RMSProp (rmsprop.h).
#pragma once

#include <string>

#include "optimizers.h"

// Keras' default learning rate for each rule: 0.01 for SGD (with or without momentum), 0.001
// for the adaptive ones, whose steps are about lr in size whatever the gradient's scale.
double default_learning_rate(OptimizerKind kind);

// "sgd", "momentum", "rmsprop", "adam": what --optimizer takes and what the program prints.
std::string optimizer_name(OptimizerKind kind);

// The kind called `name`; returns false if there is none.
bool optimizer_kind_from_name(const std::string& name, OptimizerKind& kind);

// The settings in words, for the "Training:" line: "RMSProp (lr 0.001, rho 0.9, eps 1e-07)".
std::string describe_optimizer(const OptimizerSettings& settings);

// ---- The update rules ---------------------------------------------------------------------------
// Each updates n weights w[0..n-1] and their state in place, given their gradients g; as
// rmsprop_update() does (rmsprop.h), and for the same reason: Optimizer::update_tensor() hands
// each thread one piece of a tensor (share_elements, fast_matrix.h).

// Plain gradient descent: w <- w - lr g. No state.
void sgd_update(float* w, const float* g, std::size_t n, double learning_rate);

// Momentum, as Keras writes it: u <- mu u - lr g, then w <- w + u. u starts at zero.
void momentum_update(float* w, const float* g, float* u, std::size_t n, double learning_rate,
                     double momentum);

// Adam, as Keras 2 writes it (see optimizer_choice.cpp for why lr_t). t is the 1-based step
// count. m and v start at zero.
void adam_update(float* w, const float* g, float* m, float* v, std::size_t n,
                 const OptimizerSettings& settings, long t);

// The same three on whole tensors of one shape (rmsprop.h has rmsprop_update's).
inline void sgd_update(Matrix<float>& w, const Matrix<float>& g, double learning_rate) {
    sgd_update(w.data.data(), g.data.data(), w.size(), learning_rate);
}
inline void momentum_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& u,
                            double learning_rate, double momentum) {
    momentum_update(w.data.data(), g.data.data(), u.data.data(), w.size(), learning_rate, momentum);
}
inline void adam_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& m, Matrix<float>& v,
                        const OptimizerSettings& settings, long t) {
    adam_update(w.data.data(), g.data.data(), m.data.data(), v.data.data(), w.size(), settings, t);
}
