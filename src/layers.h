// layers.h: the three kinds of layer in a multilayer perceptron, each as a forward/backward pair.
//
//   dense     Z = X W + b               an affine map: every output sees every input
//   relu      A = max(0, Z)             the non-linearity between dense layers
//   softmax   P = softmax(Z), with the cross-entropy loss L = -mean(sum_k Y log P)
//
// Each forward function computes a layer's output from its input. Each backward function is
// handed dL/d(output), the gradient of the loss with respect to what the layer produced, and
// returns dL/d(input) and dL/d(parameters): the chain rule, one layer at a time. That is all
// backpropagation is. The derivation of every backward function is written above it in
// layers.cpp, next to the code that implements it.
//
// Conventions, used in every file:
//   - Shapes: N = examples in the batch, D = inputs of a layer, H = its outputs, K = classes.
//     A batch is a matrix with one example per row. W is D x H, b is 1 x H.
//   - A gradient is named after what it differentiates: dW holds dL/dW and has W's shape.
//   - Every backward function ASSIGNS its outputs (it never adds to what was there), so no
//     gradient ever needs zeroing before a step.
//   - The loss L is the MEAN over the batch, as in Keras and PyTorch. The 1/N appears exactly
//     once, in softmax_cross_entropy_backward, and flows through every other layer from there.
//
// What this file is not: a layer framework. There is no Layer base class, no registry, no
// automatic differentiation. network.h strings these functions together by hand.
//
// Read next: layers.cpp for the derivations, then network.h.
#pragma once

#include "matrix.h"

// ---- Dense (fully connected) layer ----------------------------------------------------------

// Z = X W + b.     X: N x D,  W: D x H,  b: 1 x H   ->   Z: N x H
template <typename Real>
void dense_forward(const Matrix<Real>& X, const Matrix<Real>& W, const Matrix<Real>& b,
                   Matrix<Real>& Z);

// Given dZ = dL/dZ (N x H):
//   dW = X^T dZ       (D x H)
//   db = sum of the rows of dZ   (1 x H)
//   dX = dZ W^T       (N x D)    only if dX is not null: the first layer's input is the image,
//                                which is not learned, so nobody needs its gradient.
template <typename Real>
void dense_backward(const Matrix<Real>& X, const Matrix<Real>& W, const Matrix<Real>& dZ,
                    Matrix<Real>& dW, Matrix<Real>& db, Matrix<Real>* dX);

// ---- ReLU ------------------------------------------------------------------------------------

// A = max(0, Z), element by element.   Z: N x H  ->  A: N x H
template <typename Real>
void relu_forward(const Matrix<Real>& Z, Matrix<Real>& A);

// dZ = dA where Z > 0, and 0 elsewhere.   Z, dA: N x H  ->  dZ: N x H
template <typename Real>
void relu_backward(const Matrix<Real>& Z, const Matrix<Real>& dA, Matrix<Real>& dZ);

// ---- Softmax with cross-entropy --------------------------------------------------------------

// P[n][k] = exp(Z[n][k]) / sum_j exp(Z[n][j]), row by row.   Z (logits): N x K  ->  P: N x K
template <typename Real>
void softmax_forward(const Matrix<Real>& logits, Matrix<Real>& probs);

// L = -(1/N) sum_n sum_k Y[n][k] log P[n][k], for one-hot (or any probability) rows Y: N x K.
// Computed from the logits, in double, so that a probability that rounds to zero in float
// still gives a large finite loss rather than log(0) = -infinity.
template <typename Real>
double cross_entropy_loss(const Matrix<Real>& logits, const Matrix<Real>& Y);

// dL/dZ = (P - Y) / N.   P, Y: N x K  ->  dlogits: N x K
template <typename Real>
void softmax_cross_entropy_backward(const Matrix<Real>& probs, const Matrix<Real>& Y,
                                    Matrix<Real>& dlogits);
