// health.cpp: the measurements of health.h, on a copy of the network.
#include "health.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

double frobenius_norm(const Matrix<float>& M) {
    double sum = 0;
    for (float x : M.data) sum += static_cast<double>(x) * x;
    return std::sqrt(sum);
}

namespace {

// |after - before|, element by element, in double.
double distance(const Matrix<float>& after, const Matrix<float>& before) {
    double sum = 0;
    for (std::size_t i = 0; i < after.size(); ++i) {
        const double d = static_cast<double>(after.data[i]) - before.data[i];
        sum += d * d;
    }
    return std::sqrt(sum);
}

// Counts the columns (units) of A that are 0 in every row (example).
int silent_columns(const Matrix<float>& A) {
    int silent = 0;
    for (int h = 0; h < A.cols; ++h) {
        bool ever_active = false;
        for (int n = 0; n < A.rows && !ever_active; ++n) ever_active = A(n, h) > 0;
        if (!ever_active) ++silent;
    }
    return silent;
}

}  // namespace

std::vector<LayerHealth> measure_health(const Network<float>& net, const Optimizer& optimizer,
                                        const Dataset& train, int batch_size) {
    const int L = static_cast<int>(net.layers.size());
    std::vector<LayerHealth> health(L);
    if (train.count == 0) return health;
    Network<float> copy = net;
    Optimizer optimizer_copy = optimizer;

    // Dead units: a forward pass over the whole probe, then the columns of each A that never
    // leave 0.
    const std::vector<int> order = identity_order(train.count);
    Matrix<float> X, Y;
    gather_batch(train, order, 0, std::min(kHealthProbeImages, train.count), X, Y);
    forward(copy, X);
    for (int l = 0; l < L; ++l) {
        health[l].units = net.layers[l].W.cols;
        health[l].weight_norm = frobenius_norm(net.layers[l].W);
        if (l < L - 1) health[l].dead_units = silent_columns(copy.A[l]);
    }

    // One training step on the first batch of the probe, as train_epoch() takes it.
    gather_batch(train, order, 0, std::min(batch_size, train.count), X, Y);
    forward(copy, X);
    backward(copy, X, Y);
    for (int l = 0; l < L; ++l) health[l].gradient_norm = frobenius_norm(copy.layers[l].dW);
    optimizer_copy.step(copy);
    for (int l = 0; l < L; ++l) {
        const double moved = distance(copy.layers[l].W, net.layers[l].W);
        health[l].step_ratio = health[l].weight_norm > 0 ? moved / health[l].weight_norm : 0;
    }
    return health;
}

std::string format_health(const std::vector<LayerHealth>& layers) {
    // Grouped by measure, one number per layer in each group, so that the line stays short
    // and the layers can be compared at a glance.
    std::string weights = "|W|", gradients = "|dW|", steps = "step/|W|", dead;
    for (const LayerHealth& h : layers) {
        char text[64];
        std::snprintf(text, sizeof text, " %.2f", h.weight_norm);
        weights += text;
        std::snprintf(text, sizeof text, " %.3g", h.gradient_norm);
        gradients += text;
        std::snprintf(text, sizeof text, " %.1e", h.step_ratio);
        steps += text;
        if (h.dead_units >= 0) dead += " " + std::to_string(h.dead_units) + "/" + std::to_string(h.units);
    }
    // A network without hidden layers (--hidden none) has no ReLU, so no dead-ReLU part.
    return "  health by layer: " + weights + " - " + gradients + " - " + steps +
           (dead.empty() ? "" : " - dead ReLUs" + dead) + "\n";
}
