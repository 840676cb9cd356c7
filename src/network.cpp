// network.cpp: forward and backward through the whole stack of layers.
#include "network.h"

#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

template <typename Real>
std::vector<int> Network<Real>::sizes() const {
    std::vector<int> s;
    if (layers.empty()) return s;
    s.push_back(layers[0].W.rows);
    for (const DenseLayer<Real>& layer : layers) s.push_back(layer.W.cols);
    return s;
}

template <typename Real>
long Network<Real>::parameter_count() const {
    long count = 0;
    for (const DenseLayer<Real>& layer : layers) count += long(layer.W.size() + layer.b.size());
    return count;
}

template <typename Real>
Network<Real> make_network(const std::vector<int>& sizes, Rng& rng) {
    Network<Real> net;
    const int L = static_cast<int>(sizes.size()) - 1;
    net.layers.resize(L);
    for (int l = 0; l < L; ++l) {
        const int D = sizes[l], H = sizes[l + 1];
        DenseLayer<Real>& layer = net.layers[l];
        // Glorot and Bengio (2010): draw W uniformly from [-r, r] with r = sqrt(6 / (D + H)).
        // A uniform variable on [-r, r] has variance r^2 / 3 = 2 / (D + H), the compromise
        // between 1/D (which keeps the variance of the outputs equal to that of the inputs on
        // the way forward) and 1/H (which does the same for the gradients on the way back).
        // Too large and the signals explode layer after layer; too small and they vanish.
        // That argument is for a linear layer. A ReLU zeroes the negative half of its inputs and
        // so halves the second moment it passes on; He et al. (2015) double the variance to 2/D
        // to make up for it. Keras' default, and the tutorial's, is Glorot, used here; with
        // three layers the shrinking is mild, and the optimizer rescales the steps anyway.
        const double r = std::sqrt(6.0 / (D + H));
        layer.W = Matrix<Real>(D, H);
        for (Real& w : layer.W.data) w = static_cast<Real>((2 * rng.uniform() - 1) * r);
        // Zero biases are fine: the random weights already make the units differ from each other.
        layer.b = Matrix<Real>(1, H);
        layer.dW = Matrix<Real>(D, H);
        layer.db = Matrix<Real>(1, H);
    }
    net.Z.resize(L);
    net.dZ.resize(L);
    net.A.resize(L - 1);
    net.dA.resize(L - 1);
    return net;
}

template <typename Real>
const Matrix<Real>& forward(Network<Real>& net, const Matrix<Real>& X) {
    const int L = static_cast<int>(net.layers.size());
    for (int l = 0; l < L; ++l) {
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        dense_forward(input, net.layers[l].W, net.layers[l].b, net.Z[l]);
        if (l < L - 1) relu_forward(net.Z[l], net.A[l]);
    }
    softmax_forward(net.Z[L - 1], net.probs);
    return net.probs;
}

template <typename Real>
void backward(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y) {
    const int L = static_cast<int>(net.layers.size());
    // Start at the loss: dL/d(logits) = (P - Y) / N.
    softmax_cross_entropy_backward(net.probs, Y, net.dZ[L - 1]);
    // Then walk the chain backwards. Each dense layer turns dZ[l] into its own dW and db and
    // into dA[l-1], the gradient for the ReLU below it, which turns that into dZ[l-1].
    for (int l = L - 1; l >= 0; --l) {
        DenseLayer<Real>& layer = net.layers[l];
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        Matrix<Real>* d_input = (l == 0) ? nullptr : &net.dA[l - 1];
        dense_backward(input, layer.W, net.dZ[l], layer.dW, layer.db, d_input);
        if (l > 0) relu_backward(net.Z[l - 1], net.dA[l - 1], net.dZ[l - 1]);
    }
}

template <typename Real>
int predicted_class(const Matrix<Real>& probs, int row) {
    const Real* p = probs.row(row);
    int best = 0;
    for (int k = 1; k < probs.cols; ++k)
        if (p[k] > p[best]) best = k;
    return best;
}

template struct Network<float>;
template struct Network<double>;
template Network<float> make_network(const std::vector<int>&, Rng&);
template Network<double> make_network(const std::vector<int>&, Rng&);
template const Matrix<float>& forward(Network<float>&, const Matrix<float>&);
template const Matrix<double>& forward(Network<double>&, const Matrix<double>&);
template void backward(Network<float>&, const Matrix<float>&, const Matrix<float>&);
template void backward(Network<double>&, const Matrix<double>&, const Matrix<double>&);
template int predicted_class(const Matrix<float>&, int);
template int predicted_class(const Matrix<double>&, int);
