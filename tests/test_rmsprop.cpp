// test_rmsprop: two RMSProp steps worked out by hand, with Keras' defaults. Every message
// names rmsprop_update (exercise 4 of docs/assignments.md), the function these steps check.
#include "check.h"
#include "fast_matrix.h"
#include "optimizers.h"

int main() {
    // One weight w = 1 with gradient g = 0.5, lr = 0.001, rho = 0.9, eps = 1e-7.
    //   step 1:  v = 0.9 * 0     + 0.1 * 0.25 = 0.025
    //            w = 1 - 0.001 * 0.5 / (sqrt(0.025) + 1e-7) = 1 - 0.0005 / 0.15811398
    //              = 1 - 0.00316227566 = 0.99683772
    //   step 2:  v = 0.9 * 0.025 + 0.1 * 0.25 = 0.0475
    //            w = 0.99683772 - 0.0005 / (sqrt(0.0475) + 1e-7) = 0.99683772 - 0.00229415629
    //              = 0.99454357
    // Note how the first step is about 3.16 * lr, not lr: v starts at zero, so sqrt(v) is only
    // sqrt(1 - rho) = 0.316 of |g| at first (Adam's "bias correction" exists to remove this).
    RmsPropSettings s;
    Matrix<float> w(1, 1), g(1, 1), v(1, 1);
    w(0, 0) = 1.0f;
    g(0, 0) = 0.5f;
    rmsprop_update(w, g, v, s);
    check::near(v(0, 0), 0.025, 1e-7, "rmsprop_update: v after one step");
    check::near(w(0, 0), 0.99683772, 2e-7, "rmsprop_update: w after one step");
    rmsprop_update(w, g, v, s);
    check::near(v(0, 0), 0.0475, 1e-7, "rmsprop_update: v after two steps");
    check::near(w(0, 0), 0.99454357, 2e-7, "rmsprop_update: w after two steps");

    // A zero gradient on a fresh v: 0 / (0 + eps) = 0, no division by zero, w unchanged.
    Matrix<float> w0(1, 2), g0(1, 2), v0(1, 2);
    w0(0, 1) = 3.0f;
    rmsprop_update(w0, g0, v0, s);
    check::near(w0(0, 1), 3.0, 0, "rmsprop_update: zero gradient leaves w unchanged");

    // The sign and size of a step does not depend on the gradient's scale: g = 1000 and g = 0.01
    // move a fresh weight by the same amount, lr / sqrt(1 - rho) = 0.0031623.
    for (float scale : {1000.0f, 0.01f}) {
        Matrix<float> ws(1, 1), gs(1, 1), vs(1, 1);
        gs(0, 0) = scale;
        rmsprop_update(ws, gs, vs, s);
        check::near(ws(0, 0), -0.0031623, 1e-6, "rmsprop_update: first step for gradient " + std::to_string(scale));
    }

    // Optimizer::step (optimizers.h) with RMSProp updates every layer's weights and biases from the
    // network's gradients.
    Rng rng(3);
    Network<float> net = make_network<float>({3, 2, 4}, rng);
    for (DenseLayer<float>& layer : net.layers) {
        for (float& d : layer.dW.data) d = 0.5f;
        for (float& d : layer.db.data) d = -0.5f;
    }
    const float w_before = net.layers[1].W(1, 3);
    OptimizerSettings settings;  // RMSProp with Keras' defaults, those of s
    Optimizer optimizer(net, settings);
    optimizer.step(net);
    check::near(net.layers[1].W(1, 3), w_before - 0.0031622757, 1e-6, "rmsprop_update, called by Optimizer::step: moves a weight");
    check::near(net.layers[0].b(0, 1), 0.0031622757, 1e-6, "rmsprop_update, called by Optimizer::step: moves a bias against its gradient");
    check::near(optimizer.v_W[1](1, 3), 0.025, 1e-8, "rmsprop_update, called by Optimizer::step: keeps v per weight");

    return check::summary("test_rmsprop");
}
