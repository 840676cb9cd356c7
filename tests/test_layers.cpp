// test_layers: the conventions of layers.h that no other test pins down.
//
//   - ReLU at exactly Z = 0: the output is 0, and so is the gradient (layers.cpp chooses 0,
//     as TensorFlow and PyTorch do).
//   - "Every backward function ASSIGNS its outputs": the training loop hands the same gradient
//     buffers to every step, and reshape() keeps whatever they held. So each backward function
//     (and the whole network's backward()) is called here on buffers full of garbage, larger than
//     needed, and must give exactly what it gives on fresh, zeroed buffers. A forgotten reset (a
//     `+=` where `=` belongs, a sum that starts from the old value) passes every test that uses
//     fresh buffers, and fails here.
#include <cmath>

#include "check.h"
#include "network.h"

namespace {

// A buffer as the training loop leaves it: a bigger matrix from an earlier step, full of
// numbers that have nothing to do with this one.
template <typename Real>
Matrix<Real> garbage(int rows, int cols) {
    Matrix<Real> M(rows, cols);
    for (std::size_t i = 0; i < M.size(); ++i) M.data[i] = static_cast<Real>(1000 + 7 * (i % 13));
    return M;
}

template <typename Real>
Matrix<Real> random_matrix(int rows, int cols, Rng& rng) {
    Matrix<Real> M(rows, cols);
    for (Real& x : M.data) x = static_cast<Real>(2 * rng.uniform() - 1);
    return M;
}

// Exact equality of shape and contents: the garbage must leave no trace at all.
template <typename Real>
void same(const Matrix<Real>& seen, const Matrix<Real>& expected, const std::string& what) {
    check::expect(seen.rows == expected.rows && seen.cols == expected.cols,
                  what + ": expected shape " + std::to_string(expected.rows) + "x" +
                      std::to_string(expected.cols) + ", saw " + std::to_string(seen.rows) + "x" +
                      std::to_string(seen.cols));
    if (seen.size() != expected.size()) return;
    std::size_t differ = 0;
    for (std::size_t i = 0; i < seen.size(); ++i) differ += seen.data[i] != expected.data[i];
    check::equal(static_cast<long long>(differ), 0, what + ": elements that differ from the fresh buffer's");
}

void relu_at_zero() {
    // Z = [-1 0 2]: A = [0 0 2]; with dA = [5 5 5], dZ = [0 0 5]: the unit at exactly 0 is
    // treated as inactive, its gradient stopped.
    Matrix<double> Z(1, 3), dA(1, 3), A, dZ;
    Z.data = {-1, 0, 2};
    dA.data = {5, 5, 5};
    relu_forward(Z, A);
    check::near(A(0, 1), 0, 0, "relu(0) = 0");
    check::near(A(0, 2), 2, 0, "relu(2) = 2");
    relu_backward(Z, dA, dZ);
    check::near(dZ(0, 0), 0, 0, "no gradient through a negative unit");
    check::near(dZ(0, 1), 0, 0, "no gradient through a unit at exactly Z = 0 (the documented convention)");
    check::near(dZ(0, 2), 5, 0, "the whole gradient through a positive unit");
    // -0.0 is 0 too.
    Z.data = {-0.0, 1e-300, -1e-300};
    relu_backward(Z, dA, dZ);
    check::near(dZ(0, 0), 0, 0, "no gradient at Z = -0");
    check::near(dZ(0, 1), 5, 0, "gradient through the smallest positive Z");
    check::near(dZ(0, 2), 0, 0, "no gradient through the smallest negative Z");
}

void layer_buffers() {
    Rng rng(3);
    const int N = 5, D = 7, H = 6;
    const Matrix<double> X = random_matrix<double>(N, D, rng);
    const Matrix<double> W = random_matrix<double>(D, H, rng);
    Matrix<double> dZ = random_matrix<double>(N, H, rng);
    dZ(1, 2) = 0;  // a zero in the input, which the products skip (matrix.cpp)

    // Dense: dW, db and dX.
    Matrix<double> dW(D, H), db(1, H), dX(N, D);
    dense_backward(X, W, dZ, dW, db, &dX);
    Matrix<double> dW2 = garbage<double>(D + 3, H + 1), db2 = garbage<double>(2, H + 4), dX2 = garbage<double>(N + 2, D);
    dense_backward(X, W, dZ, dW2, db2, &dX2);
    same(dW2, dW, "dense_backward into a used dW");
    same(db2, db, "dense_backward into a used db");
    same(dX2, dX, "dense_backward into a used dX");

    // The products on their own, and the column sums.
    Matrix<double> C, C2 = garbage<double>(N + 1, H + 2);
    matmul(X, W, C);
    matmul(X, W, C2);
    same(C2, C, "matmul into a used C");
    Matrix<double> s, s2 = garbage<double>(1, H + 3);
    sum_over_rows(dZ, s);
    sum_over_rows(dZ, s2);
    same(s2, s, "sum_over_rows into a used s");

    // ReLU: dZ from Z and dA.
    const Matrix<double> Z = random_matrix<double>(N, H, rng);
    Matrix<double> relu_dZ, relu_dZ2 = garbage<double>(N + 4, H);
    relu_backward(Z, dZ, relu_dZ);
    relu_backward(Z, dZ, relu_dZ2);
    same(relu_dZ2, relu_dZ, "relu_backward into a used dZ");
    Matrix<double> A, A2 = garbage<double>(N, H + 5);
    relu_forward(Z, A);
    relu_forward(Z, A2);
    same(A2, A, "relu_forward into a used A");

    // Softmax and its gradient with the cross-entropy.
    Matrix<double> P, P2 = garbage<double>(N + 1, H + 1);
    softmax_forward(Z, P);
    softmax_forward(Z, P2);
    same(P2, P, "softmax_forward into a used P");
    Matrix<double> Y(N, H);
    for (int n = 0; n < N; ++n) Y(n, (2 * n) % H) = 1;
    Matrix<double> dL, dL2 = garbage<double>(N + 2, H + 2);
    softmax_cross_entropy_backward(P, Y, dL);
    softmax_cross_entropy_backward(P, Y, dL2);
    same(dL2, dL, "softmax_cross_entropy_backward into a used dlogits");
}

void network_buffers() {
    // The whole backward pass, twice on the same batch: once in a fresh network, once in a
    // copy whose every gradient and scratch buffer is garbage of the wrong size.
    Rng rng(8);
    Network<float> fresh = make_network<float>({6, 5, 4, 3}, rng);
    const Matrix<float> X = random_matrix<float>(4, 6, rng);
    Matrix<float> Y(4, 3);
    for (int n = 0; n < 4; ++n) Y(n, n % 3) = 1;
    Network<float> used = fresh;
    for (DenseLayer<float>& layer : used.layers) {
        layer.dW = garbage<float>(layer.W.rows + 1, layer.W.cols);
        layer.db = garbage<float>(1, layer.b.cols + 2);
    }
    for (Matrix<float>& m : used.dZ) m = garbage<float>(9, 9);
    for (Matrix<float>& m : used.dA) m = garbage<float>(3, 11);
    for (Matrix<float>& m : used.Z) m = garbage<float>(8, 2);
    for (Matrix<float>& m : used.A) m = garbage<float>(8, 8);

    forward(fresh, X);
    backward(fresh, X, Y);
    forward(used, X);
    backward(used, X, Y);
    same(used.probs, fresh.probs, "forward() with used caches: probabilities");
    for (std::size_t l = 0; l < fresh.layers.size(); ++l) {
        same(used.layers[l].dW, fresh.layers[l].dW, "backward() with used buffers: dW of layer " + std::to_string(l + 1));
        same(used.layers[l].db, fresh.layers[l].db, "backward() with used buffers: db of layer " + std::to_string(l + 1));
    }
}

// The network's answer is the class of largest probability; of two equal ones, the first (as
// numpy's and Keras' argmax), so that a tie gives the same answer on every run and machine.
void answer_on_a_tie() {
    Matrix<float> P(2, 4);
    P.data = {0.1f, 0.4f, 0.4f, 0.1f, 0.25f, 0.25f, 0.25f, 0.25f};
    check::equal(predicted_class(P, 0), 1, "of two equal largest probabilities, the first class");
    check::equal(predicted_class(P, 1), 0, "four equal probabilities: class 0");
}

}  // namespace

int main() {
    relu_at_zero();
    layer_buffers();
    network_buffers();
    answer_on_a_tie();
    return check::summary("test_layers");
}
