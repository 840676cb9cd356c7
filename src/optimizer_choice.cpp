// optimizer_choice.cpp: the rules of optimizer_choice.h, and their names.
//
// Each element's update depends on nothing but its own w, g and state: a plain loop over the
// n elements it is given, which the compiler turns into vector instructions. Which n elements,
// and on which thread, is Optimizer::update_tensor()'s business (optimizers.cpp).
#include "optimizer_choice.h"

#include "exp_log.h"

#include <cmath>
#include <cstdio>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

double default_learning_rate(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::sgd:
        case OptimizerKind::momentum:
            return 0.01;
        case OptimizerKind::rmsprop:
        case OptimizerKind::adam:
            return 0.001;
    }
    return 0.001;
}

std::string optimizer_name(OptimizerKind kind) {
    switch (kind) {
        case OptimizerKind::sgd: return "sgd";
        case OptimizerKind::momentum: return "momentum";
        case OptimizerKind::rmsprop: return "rmsprop";
        case OptimizerKind::adam: return "adam";
    }
    return "?";
}

bool optimizer_kind_from_name(const std::string& name, OptimizerKind& kind) {
    for (OptimizerKind k : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::rmsprop,
                            OptimizerKind::adam}) {
        if (optimizer_name(k) == name) {
            kind = k;
            return true;
        }
    }
    return false;
}

std::string describe_optimizer(const OptimizerSettings& s) {
    char text[160];
    switch (s.kind) {
        case OptimizerKind::sgd:
            std::snprintf(text, sizeof text, "SGD (lr %g)", s.learning_rate);
            break;
        case OptimizerKind::momentum:
            std::snprintf(text, sizeof text, "SGD with momentum (lr %g, momentum %g)", s.learning_rate,
                          s.momentum);
            break;
        case OptimizerKind::rmsprop:
            std::snprintf(text, sizeof text, "RMSProp (lr %g, rho %g, eps %g)", s.learning_rate, s.rho,
                          s.epsilon);
            break;
        case OptimizerKind::adam:
            std::snprintf(text, sizeof text, "Adam (lr %g, beta_1 %g, beta_2 %g, eps %g)",
                          s.learning_rate, s.beta_1, s.beta_2, s.epsilon);
            break;
    }
    return text;
}

// ---- The rules -------------------------------------------------------------------------------

void sgd_update(float* w, const float* g, std::size_t n, double learning_rate) {
    const float lr = static_cast<float>(learning_rate);
    // The gradient points uphill; a small step against it goes down.
    for (std::size_t i = 0; i < n; ++i) w[i] -= lr * g[i];
}

void momentum_update(float* w, const float* g, float* u, std::size_t n, double learning_rate,
                     double momentum) {
    const float lr = static_cast<float>(learning_rate);
    const float mu = static_cast<float>(momentum);
    // u is a velocity: the sum of all past steps -lr g, each one shrunk by mu per step since.
    // Where g keeps its sign the steps add up to lr g / (1 - mu), ten times SGD's for mu = 0.9;
    // where it flips from batch to batch they cancel. Keras keeps lr inside u (u <- mu u - lr g)
    // rather than outside (u <- mu u + g, w <- w - lr u, as PyTorch does): the same thing while
    // lr is constant, but with a schedule Keras' velocity remembers the old, larger steps.
    for (std::size_t i = 0; i < n; ++i) {
        u[i] = mu * u[i] - lr * g[i];
        w[i] += u[i];
    }
}

void adam_update(float* w, const float* g, float* m, float* v, std::size_t n,
                 const OptimizerSettings& settings, long t) {
    // The paper (Kingma and Ba, 2014) corrects m and v for starting at zero:
    //     m_hat = m / (1 - b1^t),   v_hat = v / (1 - b2^t),   w <- w - lr m_hat / (sqrt(v_hat) + eps)
    // At t = 1 that gives m_hat = g, v_hat = g^2, and a first step of lr, not RMSProp's 3.16 lr.
    // Keras (2 and 3) moves both corrections into the learning rate, once per step instead of
    // twice per element:
    //     lr m_hat / sqrt(v_hat) = lr (m / (1 - b1^t)) / (sqrt(v) / sqrt(1 - b2^t))
    //                            = [lr sqrt(1 - b2^t) / (1 - b1^t)] m / sqrt(v)  =  lr_t m / sqrt(v)
    // and then adds eps to sqrt(v), not to sqrt(v_hat): the same rule except for where the tiny
    // eps sits. Written in the paper's terms, Keras' step is
    //     lr m_hat / (sqrt(v_hat) + eps / sqrt(1 - b2^t)),
    // so its effective eps is eps / sqrt(1 - b2^t): LARGER than the paper's in the first steps
    // (31.6 times at t = 1, since sqrt(1 - 0.999) = 0.0316), and the same once b2^t is near 0.
    // The powers are taken in double, afresh from t each step, by power() (exp_log.h): repeated
    // squaring, whose multiplications round the same way on every machine (std::pow need not).
    // Its relative error grows with t, but only to about t * 1e-16, and for t in the tens of
    // thousands 0.999^t is about 1e-10 and the correction has long been 1.
    const double b1 = settings.beta_1, b2 = settings.beta_2;
    const double correction = std::sqrt(1 - power(b2, t)) / (1 - power(b1, t));
    const float lr_t = static_cast<float>(settings.learning_rate * correction);
    const float beta_1 = static_cast<float>(b1), beta_2 = static_cast<float>(b2);
    const float eps = static_cast<float>(settings.epsilon);
    for (std::size_t i = 0; i < n; ++i) {
        m[i] = beta_1 * m[i] + (1 - beta_1) * g[i];
        v[i] = beta_2 * v[i] + (1 - beta_2) * g[i] * g[i];
        w[i] -= lr_t * m[i] / (std::sqrt(v[i]) + eps);
    }
}
