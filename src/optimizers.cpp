// optimizers.cpp: the optimizer's state, and one step of the chosen rule over the network.
#include "optimizers.h"

#include <cmath>

#include "exp_log.h"
#include "optimizer_choice.h"

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

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
    // from the step count: no rounding accumulates, and 1^n is exactly 1. power() (exp_log.h)
    // rather than std::pow, whose last bit may differ between C libraries.
    return initial * power(decay, epoch - 1);
}
