// gradcheck_bugs.cpp: the broken functions of gradcheck_bugs.h.
//
// The five bugs in functions that are classroom exercises (docs/assignments.md) are built by
// CALLING the real function and then doing to its output what the mistake would have done: a
// broken copy of a solution, one line away from it, would hand the solution to anyone who reads
// this file in the student copy. Each comment quotes the real line and the broken one, and says
// why the transformation gives exactly the broken line's result. The two others (dropout, L2)
// are not exercises and are copies with the line changed.
#include "gradcheck_bugs.h"

#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

// Real:   dW = X^T dZ                                                               (D x H)
// Broken: dW = dZ^T X (H x D), relabelled D x H without transposing.
// dZ^T X is (X^T dZ)^T: stored row by row, its numbers are those of the real dW read column by
// column. So the broken dW is the real one transposed in memory and given back the shape D x H:
// the right numbers in the wrong places. The shapes agree and nothing crashes.
void dense_backward_missing_transpose(const Matrix<double>& X, const Matrix<double>& W,
                                      const Matrix<double>& dZ, Matrix<double>& dW,
                                      Matrix<double>& db, Matrix<double>* dX) {
    dense_backward(X, W, dZ, dW, db, dX);
    Matrix<double> moved(dW.cols, dW.rows);  // H x D: the transpose, row by row
    for (int d = 0; d < dW.rows; ++d)
        for (int h = 0; h < dW.cols; ++h) moved(h, d) = dW(d, h);
    moved.reshape(dW.rows, dW.cols);  // ... called D x H
    dW = moved;
}

// Real:   dZ[i] = Z[i] > 0 ? dA[i] : 0      (the unit was active in the forward pass)
// Broken: dZ[i] = dA[i] > 0 ? dA[i] : 0     (the incoming gradient happens to be positive)
// That is the real function with dA given as the mask's input too. It looks like a ReLU applied
// to the gradient, which is what makes it tempting. It is wrong wherever the unit was on and
// dA < 0 (gradient stopped) or off and dA > 0 (let through).
void relu_backward_wrong_mask(const Matrix<double>&, const Matrix<double>& dA, Matrix<double>& dZ) {
    relu_backward(dA, dA, dZ);
}

// Real:   dlogits = (P - Y) / N
// Broken: dlogits = (Y - P) / N, the gradient of -L: the real one negated. Training would climb
// the loss.
void softmax_backward_sign_error(const Matrix<double>& probs, const Matrix<double>& Y,
                                 Matrix<double>& dlogits) {
    softmax_cross_entropy_backward(probs, Y, dlogits);
    for (double& x : dlogits.data) x = -x;
}

// Real:   dlogits = (P - Y) / N,  for the loss L = (1/N) sum_n L_n  (the mean)
// Broken: dlogits = P - Y,        the gradient of the SUM of the losses: the real one times N.
// Every gradient is N times too large, so the effective learning rate grows with the batch size.
void softmax_backward_no_batch_mean(const Matrix<double>& probs, const Matrix<double>& Y,
                                    Matrix<double>& dlogits) {
    softmax_cross_entropy_backward(probs, Y, dlogits);
    for (double& x : dlogits.data) x *= probs.rows;
}

// Real:   w -= lr * g / (std::sqrt(v) + eps)
// Broken: w -= lr * g / std::sqrt(v + eps)
// The real update with eps = 0 takes the step lr g / sqrt(v) (v being the new average); the
// broken step is that one times sqrt(v) / sqrt(v + eps) = sqrt(v / (v + eps)). For v much larger
// than eps the two agree; for small v (small gradients) the broken one is smaller: with v = eps,
// sqrt(2 eps) instead of sqrt(eps) + eps, 30% smaller. (An element with g = 0 takes no step in
// either; the real update with eps = 0 would compute 0/0 there, so those keep their w.)
void rmsprop_update_eps_in_sqrt(Matrix<float>& w, const Matrix<float>& g, Matrix<float>& v,
                                const RmsPropSettings& settings) {
    RmsPropSettings no_eps = settings;
    no_eps.epsilon = 0;
    Matrix<float> stepped = w;
    rmsprop_update(stepped, g, v, no_eps);
    const double eps = static_cast<float>(settings.epsilon);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (g.data[i] == 0) continue;
        const double step = static_cast<double>(stepped.data[i]) - w.data[i];
        w.data[i] = static_cast<float>(w.data[i] + step * std::sqrt(v.data[i] / (v.data[i] + eps)));
    }
}

// Real:   dA[i] = dout[i] * keep[i] / (1 - rate)
// Broken: dA[i] = dout[i] * keep[i]
// The mask is remembered, the scale is not: it looks like a part of the forward pass only, the
// trick that keeps evaluation unscaled. But it multiplies the output, so it is in the
// derivative too. Every gradient below a dropout layer comes out (1 - rate) times too small.
void dropout_backward_no_scale(Matrix<double>& dA, const Matrix<double>& keep, double) {
    for (std::size_t i = 0; i < dA.size(); ++i) dA.data[i] *= keep.data[i];
}

// Real:   dW += 2 l2 W,   the derivative of l2 W^2
// Broken: dW += l2 W,     as if the penalty were l2 W^2 / 2 (the convention of some textbooks,
// and of PyTorch's weight_decay, but not of Keras' l2(), which this program follows). The
// decay is half as strong as the loss says.
void l2_backward_no_factor_2(const Matrix<double>& W, double l2, Matrix<double>& dW) {
    for (std::size_t i = 0; i < W.size(); ++i) dW.data[i] += l2 * W.data[i];
}

}  // namespace

std::vector<PlantedBug> planted_bugs() {
    std::vector<PlantedBug> bugs(7);
    bugs[0].name = "missing-transpose";
    bugs[0].where = "dense backward (dW)";
    bugs[0].mistake = "computes dZ^T X (H x D) and stores it as dW (D x H) without transposing";
    bugs[0].passes.dense = dense_backward_missing_transpose;

    bugs[1].name = "relu-mask";
    bugs[1].where = "ReLU backward";
    bugs[1].mistake = "lets the gradient through where dA > 0 instead of where Z > 0";
    bugs[1].passes.relu = relu_backward_wrong_mask;

    bugs[2].name = "sign-error";
    bugs[2].where = "softmax + cross-entropy backward";
    bugs[2].mistake = "returns (Y - P) / N instead of (P - Y) / N";
    bugs[2].passes.softmax_cross_entropy = softmax_backward_sign_error;

    bugs[3].name = "no-batch-mean";
    bugs[3].where = "softmax + cross-entropy backward";
    bugs[3].mistake = "returns P - Y, forgetting to divide by the batch size N";
    bugs[3].passes.softmax_cross_entropy = softmax_backward_no_batch_mean;

    bugs[4].name = "rmsprop-eps-in-sqrt";
    bugs[4].where = "RMSProp update";
    bugs[4].mistake = "divides by sqrt(v + eps) instead of sqrt(v) + eps";
    bugs[4].update = rmsprop_update_eps_in_sqrt;

    bugs[5].name = "dropout-no-scale";
    bugs[5].where = "dropout backward";
    bugs[5].mistake = "returns dA * keep, forgetting the 1 / (1 - rate) of the forward pass";
    bugs[5].passes.dropout = dropout_backward_no_scale;

    bugs[6].name = "l2-no-factor-2";
    bugs[6].where = "L2 penalty backward";
    bugs[6].mistake = "adds l2 W to dW instead of 2 l2 W, the derivative of l2 W^2";
    bugs[6].passes.l2 = l2_backward_no_factor_2;
    return bugs;
}

const PlantedBug* find_planted_bug(const std::string& name) {
    static const std::vector<PlantedBug> bugs = planted_bugs();
    for (const PlantedBug& bug : bugs)
        if (bug.name == name) return &bug;
    return nullptr;
}
