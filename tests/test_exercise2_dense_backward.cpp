// test_exercise2_dense_backward: exercise 2 of docs/assignments.md, dense_backward (layers.cpp).
//
// Depends on nothing else a student writes: dense_forward and the matrix products are given.
#include "exercise.h"

namespace {

void expect_matrix(const Matrix<double>& seen, int rows, int cols, const double* expected,
                   const std::string& what) {
    check::expect(seen.rows == rows && seen.cols == cols,
                  "dense_backward: " + what + " must be " + std::to_string(rows) + "x" +
                      std::to_string(cols) + ", saw " + std::to_string(seen.rows) + "x" +
                      std::to_string(seen.cols));
    if (seen.rows != rows || seen.cols != cols) return;
    for (int i = 0; i < rows * cols; ++i)
        check::near(seen.data[i], expected[i], 1e-12, "dense_backward: " + what + " element " + std::to_string(i));
}

}  // namespace

int main() {
    // By hand, one example (N = 1), D = 2 inputs, H = 3 outputs:
    //   X = (1 2),  W = | 1 0 2 |,  dZ = (1 0 -1)
    //                   | 0 1 3 |
    //   dW = X^T dZ = | 1 0 -1 |     db = dZ = (1 0 -1)     dX = dZ W^T = (1-2  0-3) = (-1 -3)
    //                 | 2 0 -2 |
    Matrix<double> X(1, 2), W(2, 3), dZ(1, 3), dW, db, dX;
    X(0, 0) = 1, X(0, 1) = 2;
    W(0, 0) = 1, W(0, 2) = 2, W(1, 1) = 1, W(1, 2) = 3;
    dZ(0, 0) = 1, dZ(0, 2) = -1;
    dense_backward(X, W, dZ, dW, db, &dX);
    const double dW_expected[] = {1, 0, -1, 2, 0, -2}, db_expected[] = {1, 0, -1}, dX_expected[] = {-1, -3};
    expect_matrix(dW, 2, 3, dW_expected, "dW");
    expect_matrix(db, 1, 3, db_expected, "db");
    expect_matrix(dX, 1, 2, dX_expected, "dX");

    // The first layer passes dX = nullptr (nobody needs the image's gradient): dW and db must
    // still be computed, and nothing may be written through the null pointer.
    Matrix<double> dW2, db2;
    dense_backward<double>(X, W, dZ, dW2, db2, nullptr);
    expect_matrix(dW2, 2, 3, dW_expected, "dW with dX = nullptr");

    // Against the centred difference, on 20 random draws: weights, biases and input.
    exercise::layer_checks_pass("dense");
    return check::summary("test_exercise2_dense_backward");
}
