// network.h: a multilayer perceptron, built by stacking the layers of layers.h by hand.
//
// For sizes {784, 128, 128, 10} the network is
//
//   X --dense--> Z0 --relu--> A0 --dense--> Z1 --relu--> A1 --dense--> Z2 --softmax--> P
//  N x 784     N x 128     N x 128      N x 128     N x 128      N x 10          N x 10
//
// Every dense layer but the last is followed by a ReLU; the last one's outputs Z are the logits,
// turned into class probabilities P by the softmax. forward() computes all of it and keeps each
// Z and A in the Network (the cache): backward() needs them, and recomputing them there would
// hide where they came from. backward() then walks the same chain right to left, filling the
// gradient of every weight and bias.
//
// Any number of hidden layers works ({784, 10} is multinomial logistic regression). Like the
// rest of the numerical code it is a template over float (training) and double (gradient
// checks); see matrix.h.
//
// Read next: rmsprop.h, which uses the gradients backward() leaves in each layer.
// (Dropout, which forward() and backward() apply when given masks: regularization.h.)
#pragma once

#include <vector>

#include "layers.h"
#include "random.h"
#include "regularization.h"

// One dense layer's parameters, with their gradients beside them (same shapes).
template <typename Real>
struct DenseLayer {
    Matrix<Real> W;   // D x H  (inputs by outputs)
    Matrix<Real> b;   // 1 x H
    Matrix<Real> dW;  // D x H, dL/dW, written by backward()
    Matrix<Real> db;  // 1 x H, dL/db, written by backward()
};

template <typename Real>
struct Network {
    std::vector<DenseLayer<Real>> layers;  // layers[l] maps width sizes[l] to sizes[l+1]

    // The cache written by forward(), for the last batch it saw (N rows each):
    std::vector<Matrix<Real>> Z;  // Z[l] = (input of layer l) W + b; the last Z is the logits
    std::vector<Matrix<Real>> A;  // A[l] = relu(Z[l]), for the hidden layers only
    Matrix<Real> probs;           // softmax of the logits, N x K

    // Scratch for backward(), kept here so that training allocates nothing after one step.
    std::vector<Matrix<Real>> dZ;  // dZ[l] = dL/dZ[l]
    std::vector<Matrix<Real>> dA;  // dA[l] = dL/dA[l]

    // {inputs, hidden widths..., classes}, e.g. {784, 128, 128, 10}.
    std::vector<int> sizes() const;
    long parameter_count() const;
};

// A network with the given sizes, weights drawn with Glorot (Xavier) uniform initialisation
// and biases zero: Keras' defaults for a Dense layer.
template <typename Real>
Network<Real> make_network(const std::vector<int>& sizes, Rng& rng);

// Runs the batch X (N x sizes[0]) through the network, fills the cache and returns the class
// probabilities (N x K), which stay valid until the next call.
// With dropout masks (training with --dropout, regularization.h), each hidden A[l] is
// relu(Z[l]) with the mask applied; without (nullptr: evaluation, and every run without
// --dropout) the network is exactly the one drawn above.
template <typename Real>
const Matrix<Real>& forward(Network<Real>& net, const Matrix<Real>& X, Workers& workers,
                            const DropoutMasks<Real>* dropout = nullptr);

// Backpropagation. Call right after forward() on the same X, with the one-hot labels Y (N x K)
// and the same dropout masks. Leaves dL/dW and dL/db in every layer, for L = the mean
// cross-entropy over the batch.
template <typename Real>
void backward(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y, Workers& workers,
              const DropoutMasks<Real>* dropout = nullptr);

// L2 weight decay over the whole network (regularization.h): the penalty l2 * sum(W^2) over the
// weights of every layer (not the biases), and its gradient 2 l2 W added to each dW.
template <typename Real>
double l2_penalty(const Network<Real>& net, double l2);
template <typename Real>
void add_l2_gradients(Network<Real>& net, double l2);

// The index of the largest of a row's K probabilities: the network's answer.
template <typename Real>
int predicted_class(const Matrix<Real>& probs, int row);
