// rmsprop.cpp: the update rule of rmsprop.h, one loop over the elements of a tensor.
// Between BEGIN SOLUTION and END SOLUTION: a classroom exercise (docs/assignments.md).
#include "rmsprop.h"

#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

template <typename Real>
void rmsprop_update(Matrix<Real>& w, const Matrix<Real>& g, Matrix<Real>& v,
                    const RmsPropSettings& settings, Workers& workers) {
    // BEGIN SOLUTION
    const Real lr = static_cast<Real>(settings.learning_rate);
    const Real rho = static_cast<Real>(settings.rho);
    const Real eps = static_cast<Real>(settings.epsilon);
    // Each weight's update depends on nothing but its own w, g and v, so the elements can be
    // split between threads in any way without changing a bit of the result. A square root and
    // a division cost about as much as 10 multiply-adds: that is the work per element.
    workers.run(static_cast<int>(w.size()), 10, [&](int begin, int end) {
        for (int i = begin; i < end; ++i) {
            v.data[i] = rho * v.data[i] + (1 - rho) * g.data[i] * g.data[i];
            w.data[i] -= lr * g.data[i] / (std::sqrt(v.data[i]) + eps);
        }
    });
    // END SOLUTION
}

// The two element types (see matrix.h): float to train, double for `./mnist trace`.
template void rmsprop_update(Matrix<float>&, const Matrix<float>&, Matrix<float>&,
                             const RmsPropSettings&, Workers&);
template void rmsprop_update(Matrix<double>&, const Matrix<double>&, Matrix<double>&,
                             const RmsPropSettings&, Workers&);

RmsProp::RmsProp(const Network<float>& net, const RmsPropSettings& settings) : settings(settings) {
    for (const DenseLayer<float>& layer : net.layers) {
        v_W.emplace_back(layer.W.rows, layer.W.cols);  // zeros: no gradient seen yet
        v_b.emplace_back(layer.b.rows, layer.b.cols);
    }
}

void RmsProp::step(Network<float>& net, Workers& workers) {
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        rmsprop_update(net.layers[l].W, net.layers[l].dW, v_W[l], settings, workers);
        rmsprop_update(net.layers[l].b, net.layers[l].db, v_b[l], settings, workers);
    }
}
