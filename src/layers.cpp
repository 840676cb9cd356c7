// layers.cpp: forward and backward passes, with the derivation of every backward pass.
//
// Notation for the derivations: L is the loss (a single number), and for any matrix M the
// gradient dM is the matrix of partial derivatives ∂L/∂M[i][j], with M's shape. A name with a
// d in front is always such a gradient of L; any other partial derivative is written with ∂.
// The chain rule says that if M feeds into Out, then
//     dM[i][j] = sum over every element o of Out of  dOut[o] * ∂Out[o]/∂M[i][j]
// and each derivation below is this sum worked out for one layer, keeping only the terms that
// are not zero.
//
// The lines between BEGIN SOLUTION and END SOLUTION are classroom exercises: the student copy
// has a TODO in their place (docs/assignments.md).
#include "layers.h"

#include "exp_log.h"

#include <algorithm>
#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

// ---- Dense -----------------------------------------------------------------------------------

template <typename Real>
void dense_forward(const Matrix<Real>& X, const Matrix<Real>& W, const Matrix<Real>& b,
                   Matrix<Real>& Z) {
    matmul(X, W, Z);   // Z = X W        (N x D)(D x H) = N x H
    add_row_to_each_row(Z, b);  // every example gets the same bias: Z[n][:] += b
}

template <typename Real>
void dense_backward(const Matrix<Real>& X, const Matrix<Real>& W, const Matrix<Real>& dZ,
                    Matrix<Real>& dW, Matrix<Real>& db, Matrix<Real>* dX) {
    // BEGIN SOLUTION
    // In the forward pass this was, for one element:
    //     Z[n][h] = sum_d X[n][d] W[d][h] + b[h]
    //
    // Weights. W[d][h] appears in Z[n][h] for every example n (and in no other column of Z),
    // with derivative ∂Z[n][h]/∂W[d][h] = X[n][d]. So
    //     dW[d][h] = sum_n dZ[n][h] X[n][d] = sum_n X^T[d][n] dZ[n][h],   i.e.  dW = X^T dZ.
    // Shapes check: (D x N)(N x H) = D x H, the shape of W. The sum over n is where the batch's
    // examples are added together; each one already carries its 1/N from the loss.
    matmul_at_b(X, dZ, dW);

    // Biases. b[h] appears in Z[n][h] for every n, with derivative 1. So
    //     db[h] = sum_n dZ[n][h]:  the column sums of dZ, shape 1 x H.
    sum_over_rows(dZ, db);

    // Inputs. X[n][d] appears in Z[n][h] for every output h, with derivative W[d][h]. So
    //     dX[n][d] = sum_h dZ[n][h] W[d][h] = sum_h dZ[n][h] W^T[h][d],   i.e.  dX = dZ W^T.
    // Shapes check: (N x H)(H x D) = N x D, the shape of X.
    if (dX != nullptr) matmul_a_bt(dZ, W, *dX);
    // END SOLUTION
}

// ---- ReLU ------------------------------------------------------------------------------------

template <typename Real>
void relu_forward(const Matrix<Real>& Z, Matrix<Real>& A) {
    A.reshape(Z.rows, Z.cols);
    const Real* z = Z.data.data();
    Real* a = A.data.data();
    for (std::size_t i = 0; i < Z.size(); ++i) a[i] = z[i] > 0 ? z[i] : Real(0);
}

template <typename Real>
void relu_backward(const Matrix<Real>& Z, const Matrix<Real>& dA, Matrix<Real>& dZ) {
    // In the forward pass this was A[i] = max(0, Z[i]): each output depends on one input only,
    // with derivative 1 where Z[i] > 0 (A = Z there) and 0 where Z[i] < 0 (A = 0 there).
    // So dZ[i] = dA[i] * (Z[i] > 0 ? 1 : 0): the gradient passes through the units that were
    // active and stops at the ones that were not.
    //
    // At Z[i] = 0 exactly, max(0, z) has a kink and no derivative. We use 0 there, as
    // TensorFlow and PyTorch do; any value in [0, 1] would be a valid subgradient. Note the mask
    // tests Z, the layer's input; testing A > 0 gives the same mask (A > 0 exactly when Z > 0),
    // but Z is what the derivative is about.
    // BEGIN SOLUTION
    dZ.reshape(Z.rows, Z.cols);
    const Real* z = Z.data.data();
    const Real* da = dA.data.data();
    Real* dz = dZ.data.data();
    for (std::size_t i = 0; i < Z.size(); ++i) dz[i] = z[i] > 0 ? da[i] : Real(0);
    // END SOLUTION
}

// ---- Softmax with cross-entropy --------------------------------------------------------------

template <typename Real>
void softmax_forward(const Matrix<Real>& logits, Matrix<Real>& probs) {
    // BEGIN SOLUTION
    probs.reshape(logits.rows, logits.cols);
    for (int n = 0; n < logits.rows; ++n) {
        const Real* z = logits.row(n);
        Real* p = probs.row(n);
        // softmax(z) = softmax(z - c) for any constant c: the factor exp(-c) cancels between
        // numerator and denominator. Subtracting the row's largest logit makes every exponent
        // <= 0, so exp() cannot overflow (exp(89) is already infinite in float), and the
        // largest term is exactly 1, so the sum cannot underflow to 0 either.
        const Real largest = *std::max_element(z, z + logits.cols);
        Real sum = 0;
        for (int k = 0; k < logits.cols; ++k) {
            p[k] = exponential(z[k] - largest);
            sum += p[k];
        }
        for (int k = 0; k < logits.cols; ++k) p[k] /= sum;
    }
    // END SOLUTION
}

template <typename Real>
double cross_entropy_loss(const Matrix<Real>& logits, const Matrix<Real>& Y) {
    // log P[n][k] = z_k - log sum_j exp(z_j)          (the log of the softmax above)
    //             = (z_k - c) - log sum_j exp(z_j - c) with c = max_j z_j, for the same reason
    // as in softmax_forward. Working with log P directly is the "log-sum-exp trick": no
    // probability is ever formed, so none can round to zero.
    double total = 0;
    for (int n = 0; n < logits.rows; ++n) {
        const Real* z = logits.row(n);
        const Real* y = Y.row(n);
        const double largest = *std::max_element(z, z + logits.cols);
        double sum = 0;
        for (int k = 0; k < logits.cols; ++k) sum += exponential(z[k] - largest);
        const double log_sum = logarithm(sum);
        for (int k = 0; k < logits.cols; ++k)
            if (y[k] != 0) total -= y[k] * ((z[k] - largest) - log_sum);
    }
    return total / logits.rows;
}

template <typename Real>
void softmax_cross_entropy_backward(const Matrix<Real>& probs, const Matrix<Real>& Y,
                                    Matrix<Real>& dlogits) {
    // Why the gradient is simply (P - Y) / N.
    //
    // In the forward pass this was, for one example with logits z and one-hot label y:
    //     L_n = -sum_k y_k log p_k,   p_k = exp(z_k) / sum_j exp(z_j)
    // so  log p_k = z_k - log sum_j exp(z_j),  and differentiating with respect to z_i:
    //     ∂(log p_k)/∂z_i = [k == i] - exp(z_i) / sum_j exp(z_j) = [k == i] - p_i.
    // Then
    //     ∂L_n/∂z_i = -sum_k y_k ([k == i] - p_i) = -y_i + p_i sum_k y_k = p_i - y_i,
    // because the y_k add up to 1. The softmax's messy Jacobian and the log's 1/p cancel
    // exactly; this is why softmax and cross-entropy are always differentiated together.
    //
    // The batch loss is the mean L = (1/N) sum_n L_n, and z for example n only appears in L_n,
    // so dZ[n][i] = ∂L/∂Z[n][i] = (P[n][i] - Y[n][i]) / N. This is the one place the 1/N enters: every
    // gradient further back is a sum over the batch of terms that already carry it.
    // BEGIN SOLUTION
    dlogits.reshape(probs.rows, probs.cols);
    const Real inv_n = Real(1) / probs.rows;
    for (std::size_t i = 0; i < probs.size(); ++i) dlogits.data[i] = (probs.data[i] - Y.data[i]) * inv_n;
    // END SOLUTION
}

// The two element types (see matrix.h): float to train, double to check gradients.
template void dense_forward(const Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                            Matrix<float>&);
template void dense_forward(const Matrix<double>&, const Matrix<double>&, const Matrix<double>&,
                            Matrix<double>&);
template void dense_backward(const Matrix<float>&, const Matrix<float>&, const Matrix<float>&,
                             Matrix<float>&, Matrix<float>&, Matrix<float>*);
template void dense_backward(const Matrix<double>&, const Matrix<double>&, const Matrix<double>&,
                             Matrix<double>&, Matrix<double>&, Matrix<double>*);
template void relu_forward(const Matrix<float>&, Matrix<float>&);
template void relu_forward(const Matrix<double>&, Matrix<double>&);
template void relu_backward(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void relu_backward(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template void softmax_forward(const Matrix<float>&, Matrix<float>&);
template void softmax_forward(const Matrix<double>&, Matrix<double>&);
template double cross_entropy_loss(const Matrix<float>&, const Matrix<float>&);
template double cross_entropy_loss(const Matrix<double>&, const Matrix<double>&);
template void softmax_cross_entropy_backward(const Matrix<float>&, const Matrix<float>&,
                                             Matrix<float>&);
template void softmax_cross_entropy_backward(const Matrix<double>&, const Matrix<double>&,
                                             Matrix<double>&);
