// optimizers.h: the four update rules of docs/05-optimizers.md, chosen with --optimizer.
//
//   sgd        w <- w - lr g                                       Keras' SGD()
//   momentum   u <- mu u - lr g;  w <- w + u                       Keras' SGD(momentum=0.9)
//   rmsprop    v <- rho v + (1 - rho) g^2;  w <- w - lr g / (sqrt(v) + eps)     (rmsprop.h)
//   adam       m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
//              w <- w - lr_t m / (sqrt(v) + eps),  lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)
//
// Each rule is one small loop over n elements, a tensor or a piece of one: rmsprop_update()
// (rmsprop.h, the tutorial's, and the default), and the other three in optimizer_choice.h.
// Optimizer, below, holds the rule's settings and its state (one matrix per weight matrix and
// per bias vector: the velocity u, or Adam's m and v) and applies the rule to every tensor of
// the network once per batch. One struct with a switch, not a class hierarchy: the rules
// differ in a few lines each.
//
// Defaults are Keras' own, learning rate included (optimizer_choice.h).
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
    // The rule on one tensor w with gradient g and state m and v (empty where the rule has none).
    void update_tensor(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& m,
                       Matrix<float>& v);
};

// Keras' ExponentialDecay with staircase=True and one decay step per epoch: the learning rate
// for 1-based `epoch` is initial * decay^(epoch - 1). decay = 1 leaves it at `initial`, exactly.
double learning_rate_for_epoch(double initial, double decay, int epoch);
