// optimizers.cpp: the optimizer's state, and one step of the chosen rule over the network.
#include "optimizers.h"

#include "exp_log.h"
#include "fast_matrix.h"
#include "optimizer_choice.h"

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
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        DenseLayer<float>& layer = net.layers[l];
        update_tensor(layer.W, layer.dW, m_W[l], v_W[l]);
        update_tensor(layer.b, layer.db, m_b[l], v_b[l]);
    }
}

void Optimizer::update_tensor(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& m,
                              Matrix<float>& v) {
    const OptimizerSettings& s = settings;
    const RmsPropSettings rmsprop{s.learning_rate, s.rho, s.epsilon};  // its order: lr, rho, eps
    // Each element's update reads its own g and changes its own w, m and v only, so the tensor
    // can be cut into pieces updated on different threads (share_elements, fast_matrix.h) with
    // the same result to the last bit. One piece: elements [i, i + n) of each; every piece gets
    // the same Adam step t, counted once in step().
    share_elements(w.size(), [&](std::size_t i, std::size_t n) {
        float* w_i = w.data.data() + i;
        const float* g_i = g.data.data() + i;
        float* m_i = m.size() == 0 ? nullptr : m.data.data() + i;  // null where the rule keeps no m
        float* v_i = v.size() == 0 ? nullptr : v.data.data() + i;  // nor v
        switch (s.kind) {
            case OptimizerKind::sgd: sgd_update(w_i, g_i, n, s.learning_rate); break;
            case OptimizerKind::momentum:
                momentum_update(w_i, g_i, m_i, n, s.learning_rate, s.momentum);
                break;
            case OptimizerKind::rmsprop: rmsprop_update(w_i, g_i, v_i, n, rmsprop); break;
            case OptimizerKind::adam: adam_update(w_i, g_i, m_i, v_i, n, s, steps); break;
        }
    });
}

double learning_rate_for_epoch(double initial, double decay, int epoch) {
    // Computed from the epoch rather than by multiplying once per epoch, as Keras computes it
    // from the step count: no rounding accumulates, and 1^n is exactly 1. power() (exp_log.h)
    // rather than std::pow, whose last bit may differ between C libraries.
    return initial * power(decay, epoch - 1);
}
