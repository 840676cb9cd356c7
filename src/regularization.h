// regularization.h: dropout and L2 weight decay, two ways to make a network memorise less.
//
// The default run overfits after epoch 5 (docs/07-training-curves.md): the training loss keeps
// falling while the validation loss climbs. Both tools here make fitting the training set
// harder on purpose, so that what the network learns has to hold for more than those images.
//
//   dropout (Srivastava et al., 2014). During training, each hidden unit's output is set to 0
//       with probability `rate`, a new random choice for every example of every batch, and the
//       units that are kept are multiplied by 1 / (1 - rate). No unit can rely on any other
//       being there, so each must be useful on its own. At evaluation nothing is dropped and
//       nothing is scaled: the 1 / (1 - rate) during training keeps the expected value of every
//       output what it is at evaluation,  E[out] = (1 - rate) * a / (1 - rate) + rate * 0 = a.
//       That is "inverted" dropout, what Keras' Dropout layer does.
//
//   L2 weight decay. A penalty l2 * sum(W^2) over every weight matrix (not the biases) is added
//       to the loss, as Keras' kernel_regularizer=l2(l2) does. Its gradient, 2 l2 W, pulls every
//       weight towards 0 at each step: large weights, which make the network's answers
//       confident, now cost something.
//
// Each is a forward/backward pair, like the layers of layers.h, and is checked the same way by
// `./mnist gradcheck` (gradcheck.h). Both extend the network of network.h from outside:
// forward_with_dropout() and backward_with_dropout() are network.h's two passes with a mask
// after each hidden ReLU, and the L2 functions at the end add to the loss and to every dW. The
// training loop (train.cpp) draws the masks and calls these instead when a flag asks for them.
//
// What this is not: batch normalisation, early stopping, data augmentation or max-norm
// constraints, the other regularizers of the literature.
//
// Read next: train.cpp, which draws the masks and calls these.
#pragma once

#include <vector>

#include "network.h"
#include "random.h"

// The three flags. All zero: no regularization, and a run identical to one without this module.
struct RegularizationSettings {
    double dropout = 0;        // --dropout: rate after each hidden ReLU, in [0, 1)
    double input_dropout = 0;  // --input-dropout: rate on the pixels, in [0, 1)
    double l2 = 0;             // --l2: the factor of sum(W^2) in the loss
};

// ---- Dropout ---------------------------------------------------------------------------------

// The masks of one training step for every hidden layer: keep[l] is N x H for hidden layer l
// (the shape of A[l]), 1 where the unit is kept and 0 where it is dropped.
template <typename Real>
struct DropoutMasks {
    double rate = 0;
    std::vector<Matrix<Real>> keep;
};

// A new rows x cols mask: each element 1 with probability 1 - rate, else 0, one rng.uniform()
// per element, in row-major order (so a seed gives the same masks everywhere).
template <typename Real>
void draw_dropout_mask(int rows, int cols, double rate, Rng& rng, Matrix<Real>& keep);

// A <- A * keep / (1 - rate), element by element, in place.   A, keep: N x H
template <typename Real>
void dropout_forward(Matrix<Real>& A, const Matrix<Real>& keep, double rate);

// dA <- dA * keep / (1 - rate), in place: handed dL/d(dropped A), leaves dL/d(A before
// dropout).   dA, keep: N x H
template <typename Real>
void dropout_backward(Matrix<Real>& dA, const Matrix<Real>& keep, double rate);

// ---- L2 weight decay -------------------------------------------------------------------------

// P = l2 * sum_ij W[i][j]^2, for one weight matrix W (D x H). Computed in double.
template <typename Real>
double l2_penalty(const Matrix<Real>& W, double l2);

// dW <- dW + 2 l2 W.   W, dW: D x H
// The one function that adds to a gradient rather than assigning it, and the reason is the
// sum rule, not a second convention: the loss is now L = cross-entropy + P, so
// dL/dW = d(cross-entropy)/dW + dP/dW. backward() assigned the first term; this adds the
// second, after which dW holds dL/dW for the whole loss. Handed a zero dW, it leaves dP/dW.
template <typename Real>
void l2_backward(const Matrix<Real>& W, double l2, Matrix<Real>& dW);

// ---- The network with these -------------------------------------------------------------------

// network.h's forward(), with each hidden A[l] = relu(Z[l]) then dropped by masks.keep[l].
template <typename Real>
const Matrix<Real>& forward_with_dropout(Network<Real>& net, const Matrix<Real>& X,
                                         const DropoutMasks<Real>& masks);

// network.h's backward() for the network forward_with_dropout() ran, with the same masks.
template <typename Real>
void backward_with_dropout(Network<Real>& net, const Matrix<Real>& X, const Matrix<Real>& Y,
                           const DropoutMasks<Real>& masks);

// The penalty l2 * sum(W^2) over the weights of every layer (not the biases), and its gradient
// 2 l2 W added to each dW (after backward(), which assigned the cross-entropy's part).
template <typename Real>
double l2_penalty(const Network<Real>& net, double l2);
template <typename Real>
void add_l2_gradients(Network<Real>& net, double l2);
