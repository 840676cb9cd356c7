// test_exercise2_dense_backward: exercise 2 of docs/assignments.md, dense_backward (layers.cpp).
//
// Depends on nothing else a student writes: dense_forward and the matrix products are given.
// Each part runs in a process of its own (exercise.h), so a crash is reported with the
// function's name and stops nothing else.
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

// By hand, one example (N = 1), D = 2 inputs, H = 3 outputs:
//   X = (1 2),  W = | 1 0 2 |,  dZ = (1 0 -1)
//                   | 0 1 3 |
//   dW = X^T dZ = | 1 0 -1 |     db = dZ = (1 0 -1)     dX = dZ W^T = (1-2  0-3) = (-1 -3)
//                 | 2 0 -2 |
struct Example {
    Matrix<double> X{1, 2}, W{2, 3}, dZ{1, 3};
    Example() {
        X(0, 0) = 1, X(0, 1) = 2;
        W(0, 0) = 1, W(0, 2) = 2, W(1, 1) = 1, W(1, 2) = 3;
        dZ(0, 0) = 1, dZ(0, 2) = -1;
    }
};
const double dW_expected[] = {1, 0, -1, 2, 0, -2}, db_expected[] = {1, 0, -1}, dX_expected[] = {-1, -3};

void worked_example() {
    Example e;
    Matrix<double> dW, db, dX;
    dense_backward(e.X, e.W, e.dZ, dW, db, &dX);
    expect_matrix(dW, 2, 3, dW_expected, "dW");
    expect_matrix(db, 1, 3, db_expected, "db");
    expect_matrix(dX, 1, 2, dX_expected, "dX");
}

// The first layer passes dX = nullptr (nobody needs the image's gradient): dW and db must
// still be computed, and nothing may be written through the null pointer.
void null_dX() {
    Example e;
    Matrix<double> dW, db;
    dense_backward<double>(e.X, e.W, e.dZ, dW, db, nullptr);
    expect_matrix(dW, 2, 3, dW_expected, "dW with dX = nullptr");
    expect_matrix(db, 1, 3, db_expected, "db with dX = nullptr");
}

// dW, db and dX assigned, not accumulated: N = 3, D = 4, H = 5, outputs starting out as
// garbage, each call made twice.
void assigns_outputs() {
    Rng rng(12);
    Matrix<double> X(3, 4), W(4, 5), dZ(3, 5);
    for (Matrix<double>* m : {&X, &W, &dZ})
        for (double& x : m->data) x = rng.uniform() - 0.5;
    exercise::expect_assigns("dense_backward", {"dW", "db", "dX"}, [&](std::vector<Matrix<double>>& out) {
        dense_backward(X, W, dZ, out[0], out[1], &out[2]);
    });
}

}  // namespace

int main() {
    exercise::isolated("dense_backward", "the worked example", worked_example);
    exercise::isolated("dense_backward", "the call with dX = nullptr", null_dX);
    exercise::isolated("dense_backward", "the check that it assigns dW, db and dX", assigns_outputs);
    exercise::layer_checks_pass("dense");  // weights, biases and input, 20 random draws
    return check::summary("test_exercise2_dense_backward");
}
