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
// This is the tutorial's network and nothing more. Dropout and L2 weight decay extend it from
// outside (regularization.h): the same chain with a mask after each ReLU, and a penalty added
// to the loss.
//
// Read next: rmsprop.h, the rule that uses the gradients backward() leaves in each layer.
#pragma once

#include <vector>

#include "layers.h"
#include "random.h"

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
template <typename Real>
const Matrix<Real>& forward(Network<Real>& net, const Matrix<Real>& X);

// Backpropagation. Call right after forward() on the same X, with the one-hot labels Y (N x K).
// Leaves dL/dW and dL/db in every layer, for L = the mean cross-entropy over the batch.
template <typename Real>
void backward(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y);

// The index of the largest of a row's K probabilities: the network's answer.
template <typename Real>
int predicted_class(const Matrix<Real>& probs, int row);
