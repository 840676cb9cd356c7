// regularization.cpp: dropout and L2, with the derivation of each backward pass (notation as in
// layers.cpp: dM is ∂L/∂M, with M's shape).
#include "regularization.h"

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

// ---- Dropout ---------------------------------------------------------------------------------

template <typename Real>
void draw_dropout_mask(int rows, int cols, double rate, Rng& rng, Matrix<Real>& keep) {
    keep.reshape(rows, cols);
    // uniform() is below `rate` with probability `rate`: those units are dropped.
    for (Real& k : keep.data) k = rng.uniform() < rate ? Real(0) : Real(1);
}

template <typename Real>
void dropout_forward(Matrix<Real>& A, const Matrix<Real>& keep, double rate) {
    // The scale is computed once, in double, and rounded to Real: 1 / (1 - 0.2) = 1.25 exactly.
    const Real scale = static_cast<Real>(1 / (1 - rate));
    for (std::size_t i = 0; i < A.size(); ++i) A.data[i] *= keep.data[i] * scale;
}

template <typename Real>
void dropout_backward(Matrix<Real>& dA, const Matrix<Real>& keep, double rate) {
    // In the forward pass this was, for one element:
    //     out[i] = A[i] * keep[i] / (1 - rate)
    // Each output depends on one input only, with derivative keep[i] / (1 - rate): 0 for a
    // dropped unit, 1 / (1 - rate) for a kept one. So
    //     dA[i] = dout[i] * keep[i] / (1 - rate).
    // The mask is the same one the forward pass used (a fresh one would differentiate a
    // different function), and the 1 / (1 - rate) is there on the way back as on the way
    // forward: forget it and every gradient below is (1 - rate) times too small, a mistake the
    // gradient checker catches (gradcheck_bugs.h, dropout-no-scale).
    const Real scale = static_cast<Real>(1 / (1 - rate));
    for (std::size_t i = 0; i < dA.size(); ++i) dA.data[i] *= keep.data[i] * scale;
}

// ---- L2 weight decay -------------------------------------------------------------------------

template <typename Real>
double l2_penalty(const Matrix<Real>& W, double l2) {
    double sum = 0;
    for (Real w : W.data) sum += double(w) * w;
    return l2 * sum;
}

template <typename Real>
void l2_backward(const Matrix<Real>& W, double l2, Matrix<Real>& dW) {
    // In the forward pass this was  P = l2 * sum_ij W[i][j]^2.  W[i][j] appears in one term
    // only, l2 * W[i][j]^2, whose derivative is 2 l2 W[i][j]. So
    //     dP/dW = 2 l2 W          (D x H, W's shape)
    // and a step of gradient descent on it alone is W <- W - lr 2 l2 W = (1 - 2 lr l2) W: every
    // weight shrinks by the same fraction, which is why it is called weight decay. (Under
    // RMSProp or Adam the step is divided by sqrt(v), and the decay is no longer that simple.)
    // The 2 is easy to forget; gradcheck_bugs.h plants exactly that (l2-no-factor-2).
    const Real twice_l2 = static_cast<Real>(2 * l2);
    for (std::size_t i = 0; i < W.size(); ++i) dW.data[i] += twice_l2 * W.data[i];
}

// ---- The network with these -------------------------------------------------------------------

template <typename Real>
const Matrix<Real>& forward_with_dropout(Network<Real>& net, const Matrix<Real>& X,
                                         const DropoutMasks<Real>& masks) {
    const int L = static_cast<int>(net.layers.size());
    for (int l = 0; l < L; ++l) {
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        dense_forward(input, net.layers[l].W, net.layers[l].b, net.Z[l]);
        if (l == L - 1) break;
        relu_forward(net.Z[l], net.A[l]);
        // In place: A[l] becomes what the next layer sees. relu_backward() reads Z, not A, so
        // nothing the backward pass needs is lost.
        dropout_forward(net.A[l], masks.keep[l], masks.rate);
    }
    softmax_forward(net.Z[L - 1], net.probs);
    return net.probs;
}

template <typename Real>
void backward_with_dropout(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y,
                           const DropoutMasks<Real>& masks) {
    const int L = static_cast<int>(net.layers.size());
    softmax_cross_entropy_backward(net.probs, Y, net.dZ[L - 1]);
    for (int l = L - 1; l >= 0; --l) {
        DenseLayer<Real>& layer = net.layers[l];
        const Matrix<Real>& input = (l == 0) ? X : net.A[l - 1];
        Matrix<Real>* d_input = (l == 0) ? nullptr : &net.dA[l - 1];
        dense_backward(input, layer.W, net.dZ[l], layer.dW, layer.db, d_input);
        if (l == 0) break;
        // dense_backward() has just given the gradient of the dropped A; the mask turns it into
        // the gradient of the ReLU's output, as in the forward pass.
        dropout_backward(net.dA[l - 1], masks.keep[l - 1], masks.rate);
        relu_backward(net.Z[l - 1], net.dA[l - 1], net.dZ[l - 1]);
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


// The two element types (see matrix.h): float to train, double to check gradients.
template void draw_dropout_mask(int, int, double, Rng&, Matrix<float>&);
template void draw_dropout_mask(int, int, double, Rng&, Matrix<double>&);
template void dropout_forward(Matrix<float>&, const Matrix<float>&, double);
template void dropout_forward(Matrix<double>&, const Matrix<double>&, double);
template void dropout_backward(Matrix<float>&, const Matrix<float>&, double);
template void dropout_backward(Matrix<double>&, const Matrix<double>&, double);
template double l2_penalty(const Matrix<float>&, double);
template double l2_penalty(const Matrix<double>&, double);
template void l2_backward(const Matrix<float>&, double, Matrix<float>&);
template void l2_backward(const Matrix<double>&, double, Matrix<double>&);
template const Matrix<float>& forward_with_dropout(Network<float>&, const Matrix<float>&,
                                                   const DropoutMasks<float>&);
template const Matrix<double>& forward_with_dropout(Network<double>&, const Matrix<double>&,
                                                    const DropoutMasks<double>&);
template void backward_with_dropout(Network<float>&, const Matrix<float>&, const Matrix<float>&,
                                    const DropoutMasks<float>&);
template void backward_with_dropout(Network<double>&, const Matrix<double>&, const Matrix<double>&,
                                    const DropoutMasks<double>&);
template double l2_penalty(const Network<float>&, double);
template double l2_penalty(const Network<double>&, double);
template void add_l2_gradients(Network<float>&, double);
template void add_l2_gradients(Network<double>&, double);
