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
const Matrix<Real>& forward(Network<Real>& net, const Matrix<Real>& X, Workers& workers,
                            const DropoutMasks<Real>* dropout) {
    const int L = static_cast<int>(net.layers.size());
    for (int l = 0; l < L; ++l) {
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        dense_forward(input, net.layers[l].W, net.layers[l].b, net.Z[l], workers);
        if (l < L - 1) relu_forward(net.Z[l], net.A[l]);
        // In place: A[l] becomes what the next layer sees. relu_backward() reads Z, not A, so
        // nothing the backward pass needs is lost.
        if (l < L - 1 && dropout != nullptr) dropout_forward(net.A[l], dropout->keep[l], dropout->rate);
    }
    softmax_forward(net.Z[L - 1], net.probs);
    return net.probs;
}

template <typename Real>
void backward(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y, Workers& workers,
              const DropoutMasks<Real>* dropout) {
    const int L = static_cast<int>(net.layers.size());
    // Start at the loss: dL/d(logits) = (P - Y) / N.
    softmax_cross_entropy_backward(net.probs, Y, net.dZ[L - 1]);
    // Then walk the chain backwards. Each dense layer turns dZ[l] into its own dW and db and
    // into dA[l-1], the gradient for the ReLU below it, which turns that into dZ[l-1].
    for (int l = L - 1; l >= 0; --l) {
        DenseLayer<Real>& layer = net.layers[l];
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        Matrix<Real>* d_input = (l == 0) ? nullptr : &net.dA[l - 1];
        dense_backward(input, layer.W, net.dZ[l], layer.dW, layer.db, d_input, workers);
        // With dropout, dense_backward() has just given the gradient of the dropped A; the
        // mask turns it into the gradient of the ReLU's output, as in the forward pass.
        if (l > 0 && dropout != nullptr) dropout_backward(net.dA[l - 1], dropout->keep[l - 1], dropout->rate);
        if (l > 0) relu_backward(net.Z[l - 1], net.dA[l - 1], net.dZ[l - 1]);
    }
}

template <typename Real>
double l2_penalty(const Network<Real>& net, double l2) {
    double penalty = 0;
    for (const DenseLayer<Real>& layer : net.layers) penalty += l2_penalty(layer.W, l2);
    return penalty;
}

template <typename Real>
void add_l2_gradients(Network<Real>& net, double l2) {
    for (DenseLayer<Real>& layer : net.layers) l2_backward(layer.W, l2, layer.dW);
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
template const Matrix<float>& forward(Network<float>&, const Matrix<float>&, Workers&,
                                      const DropoutMasks<float>*);
template const Matrix<double>& forward(Network<double>&, const Matrix<double>&, Workers&,
                                       const DropoutMasks<double>*);
template void backward(Network<float>&, const Matrix<float>&, const Matrix<float>&, Workers&,
                       const DropoutMasks<float>*);
template void backward(Network<double>&, const Matrix<double>&, const Matrix<double>&, Workers&,
                       const DropoutMasks<double>*);
template double l2_penalty(const Network<float>&, double);
template double l2_penalty(const Network<double>&, double);
template void add_l2_gradients(Network<float>&, double);
template void add_l2_gradients(Network<double>&, double);
template int predicted_class(const Matrix<float>&, int);
template int predicted_class(const Matrix<double>&, int);
