// optimizers.h: the four update rules of docs/05-optimizers.md, chosen with --optimizer.
//
//   sgd        w <- w - lr g                                       Keras' SGD()
//   momentum   u <- mu u - lr g;  w <- w + u                       Keras' SGD(momentum=0.9)
//   rmsprop    v <- rho v + (1 - rho) g^2;  w <- w - lr g / (sqrt(v) + eps)     (rmsprop.h)
//   adam       m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
//              w <- w - lr_t m / (sqrt(v) + eps),  lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)
//
// Each rule is one small function over the elements of one tensor, like rmsprop_update() (which
// is reused here, unchanged). Optimizer, below, holds the rule's settings and its state (one
// matrix per weight matrix and per bias vector: the velocity u, or Adam's m and v) and applies
// the rule to every tensor of the network once per batch. One struct with a switch, not a class
// hierarchy: the four rules differ in a few lines each, and a reader sees all of them at once.
//
// Defaults are Keras' own, learning rate included: 0.01 for SGD and momentum, 0.001 for RMSProp
// and Adam (default_learning_rate() below; cli.cpp uses it when --lr is not given).
//
// What this is not: a complete Keras. No Nesterov momentum, no AMSGrad, no weight decay inside
// the optimizer (L2 is a term of the loss instead, regularization.h), no gradient clipping.
//
// Read next: train.h, which calls Optimizer::step() once per batch, and regularization.h.
#pragma once

#include <string>
#include <vector>

#include "network.h"
#include "rmsprop.h"

enum class OptimizerKind { sgd, momentum, rmsprop, adam };

// Every setting of every rule; each rule reads only its own. Kept in double and converted to
// float by each update, as RmsPropSettings is (rmsprop.h).
struct OptimizerSettings {
    OptimizerKind kind = OptimizerKind::rmsprop;
    double learning_rate = 0.001;  // --lr; cli.cpp sets the kind's default when --lr is absent
    double momentum = 0.9;         // mu, momentum only (--momentum)
    double rho = 0.9;              // RMSProp only (--rho)
    double beta_1 = 0.9;           // Adam: decay of the mean of g
    double beta_2 = 0.999;         // Adam: decay of the mean of g^2
    double epsilon = 1e-7;         // RMSProp and Adam (--eps)
};

// Keras' default learning rate for each rule: 0.01 for SGD (with or without momentum), 0.001
// for the adaptive ones, whose steps are about lr in size whatever the gradient's scale.
double default_learning_rate(OptimizerKind kind);

// "sgd", "momentum", "rmsprop", "adam": what --optimizer takes and what the program prints.
std::string optimizer_name(OptimizerKind kind);

// The kind called `name`; returns false if there is none.
bool optimizer_kind_from_name(const std::string& name, OptimizerKind& kind);

// The settings in words, for the "Training:" line: "RMSProp (lr 0.001, rho 0.9, eps 1e-07)".
std::string describe_optimizer(const OptimizerSettings& settings);

// ---- The update rules, one tensor each -------------------------------------------------------
// w, g and the state matrices all have the same shape. Each updates w and its state in place.

// Plain gradient descent: w <- w - lr g. No state.
void sgd_update(Matrix<float>& w, const Matrix<float>& g, double learning_rate);

// Momentum, as Keras writes it: u <- mu u - lr g, then w <- w + u. u starts at zero.
void momentum_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& u,
                     double learning_rate, double momentum);

// Adam, as Keras 2 writes it (see optimizers.cpp for why lr_t). t is the 1-based step count.
// m and v start at zero.
void adam_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& m, Matrix<float>& v,
                 const OptimizerSettings& settings, long t);

// ---- The optimizer for a whole network -------------------------------------------------------

struct Optimizer {
    OptimizerSettings settings;  // train.h may change settings.learning_rate between epochs
    long steps = 0;              // updates applied so far: Adam's t after the next step
    // The state, per layer l, with the shapes of layers[l].W and layers[l].b. Only what the
    // rule needs is allocated; the others stay empty:
    std::vector<Matrix<float>> m_W, m_b;  // momentum's velocity u, or Adam's mean m
    std::vector<Matrix<float>> v_W, v_b;  // RMSProp's or Adam's mean square v

    Optimizer(const Network<float>& net, const OptimizerSettings& settings);

    // Applies one update to every weight and bias, using the gradients backward() left in net.
    void step(Network<float>& net);
};

// Keras' ExponentialDecay with staircase=True and one decay step per epoch: the learning rate
// for 1-based `epoch` is initial * decay^(epoch - 1). decay = 1 leaves it at `initial`, exactly.
double learning_rate_for_epoch(double initial, double decay, int epoch);
