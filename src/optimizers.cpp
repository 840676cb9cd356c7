// optimizers.cpp: the update rules of optimizers.h, each one loop over the elements of a tensor.
//
// Each element's update depends on nothing but its own w, g and state: a plain loop, which the
// compiler turns into vector instructions. (The largest tensor, 784 x 128, takes about a tenth
// of a millisecond; sharing it between threads saved nothing measurable, docs/performance.md.)
#include "optimizers.h"

#include <cmath>
#include <cstdio>

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

void sgd_update(Matrix<float>& w, const Matrix<float>& g, double learning_rate) {
    const float lr = static_cast<float>(learning_rate);
    // The gradient points uphill; a small step against it goes down.
    for (std::size_t i = 0; i < w.size(); ++i) w.data[i] -= lr * g.data[i];
}

void momentum_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& u,
                     double learning_rate, double momentum) {
    const float lr = static_cast<float>(learning_rate);
    const float mu = static_cast<float>(momentum);
    // u is a velocity: the sum of all past steps -lr g, each one shrunk by mu per step since.
    // Where g keeps its sign the steps add up to lr g / (1 - mu), ten times SGD's for mu = 0.9;
    // where it flips from batch to batch they cancel. Keras keeps lr inside u (u <- mu u - lr g)
    // rather than outside (u <- mu u + g, w <- w - lr u, as PyTorch does): the same thing while
    // lr is constant, but with a schedule Keras' velocity remembers the old, larger steps.
    for (std::size_t i = 0; i < w.size(); ++i) {
        u.data[i] = mu * u.data[i] - lr * g.data[i];
        w.data[i] += u.data[i];
    }
}

void adam_update(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& m, Matrix<float>& v,
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
    // The powers are taken in double: for t in the tens of thousands 0.999^t is about 1e-10 and
    // the correction has long been 1, but each step computes it afresh from t, so no error can
    // build up from multiplying by b2 once per step.
    const double b1 = settings.beta_1, b2 = settings.beta_2;
    const double correction = std::sqrt(1 - std::pow(b2, double(t))) / (1 - std::pow(b1, double(t)));
    const float lr_t = static_cast<float>(settings.learning_rate * correction);
    const float beta_1 = static_cast<float>(b1), beta_2 = static_cast<float>(b2);
    const float eps = static_cast<float>(settings.epsilon);
    for (std::size_t i = 0; i < w.size(); ++i) {
        m.data[i] = beta_1 * m.data[i] + (1 - beta_1) * g.data[i];
        v.data[i] = beta_2 * v.data[i] + (1 - beta_2) * g.data[i] * g.data[i];
        w.data[i] -= lr_t * m.data[i] / (std::sqrt(v.data[i]) + eps);
    }
}

// ---- The optimizer -----------------------------------------------------------------------------

Optimizer::Optimizer(const Network<float>& net, const OptimizerSettings& settings)
    : settings(settings) {
    const bool needs_m = settings.kind == OptimizerKind::momentum || settings.kind == OptimizerKind::adam;
    const bool needs_v = settings.kind == OptimizerKind::rmsprop || settings.kind == OptimizerKind::adam;
    for (const DenseLayer<float>& layer : net.layers) {
        // Zeros: no gradient seen yet. An empty matrix where the rule keeps no such state.
        m_W.push_back(needs_m ? Matrix<float>(layer.W.rows, layer.W.cols) : Matrix<float>());
        m_b.push_back(needs_m ? Matrix<float>(layer.b.rows, layer.b.cols) : Matrix<float>());
        v_W.push_back(needs_v ? Matrix<float>(layer.W.rows, layer.W.cols) : Matrix<float>());
        v_b.push_back(needs_v ? Matrix<float>(layer.b.rows, layer.b.cols) : Matrix<float>());
    }
}

void Optimizer::step(Network<float>& net) {
    ++steps;
    RmsPropSettings rmsprop;  // the same numbers, in the form rmsprop_update() takes
    rmsprop.learning_rate = settings.learning_rate;
    rmsprop.rho = settings.rho;
    rmsprop.epsilon = settings.epsilon;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        DenseLayer<float>& layer = net.layers[l];
        switch (settings.kind) {
            case OptimizerKind::sgd:
                sgd_update(layer.W, layer.dW, settings.learning_rate);
                sgd_update(layer.b, layer.db, settings.learning_rate);
                break;
            case OptimizerKind::momentum:
                momentum_update(layer.W, layer.dW, m_W[l], settings.learning_rate, settings.momentum);
                momentum_update(layer.b, layer.db, m_b[l], settings.learning_rate, settings.momentum);
                break;
            case OptimizerKind::rmsprop:
                rmsprop_update(layer.W, layer.dW, v_W[l], rmsprop);
                rmsprop_update(layer.b, layer.db, v_b[l], rmsprop);
                break;
            case OptimizerKind::adam:
                adam_update(layer.W, layer.dW, m_W[l], v_W[l], settings, steps);
                adam_update(layer.b, layer.db, m_b[l], v_b[l], settings, steps);
                break;
        }
    }
}

double learning_rate_for_epoch(double initial, double decay, int epoch) {
    // Computed from the epoch rather than by multiplying once per epoch, as Keras computes it
    // from the step count: no rounding accumulates, and pow(1, n) is exactly 1.
    return initial * std::pow(decay, epoch - 1);
}
