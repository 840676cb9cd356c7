// matrix.h: a naive, row-major matrix and the few products a neural network needs.
//
// A Matrix is a shape (rows x cols) and one std::vector holding the numbers row after row:
// element (r, c) lives at data[r * cols + c]. That is the whole data structure. There are no
// views, no strides, no broadcasting and no expression templates: every operation is a plain
// function with plain loops that a reader can check against the formula in its comment.
//
// Why a template over `Real`? The network trains in float (32-bit), which is what every
// framework does and what makes it fast. The gradient checker (gradcheck.h) runs the very same
// layer code in double (64-bit), where a numerical derivative can be accurate to about 4e-11
// instead of float's 3e-5 at best (gradcheck.h), so a correct gradient passes by a wide margin. Matrix<float> and Matrix<double> are
// the only two kinds that exist; matrix.cpp builds both.
//
// Shapes use one legend throughout the project:
//   N = examples in a batch, D = inputs to a layer, H = outputs of a layer, K = classes (10).
// A dense layer's weights are stored D x H (inputs by outputs, as Keras stores them), so a batch
// of inputs X (N x D) times W gives the outputs X W (N x H) directly.
//
// Read next: layers.h, which builds the network's layers from these products.
#pragma once

#include <cstddef>
#include <vector>

template <typename Real>
struct Matrix {
    int rows = 0;
    int cols = 0;
    std::vector<Real> data;  // rows * cols numbers, row-major

    Matrix() = default;
    Matrix(int rows, int cols) : rows(rows), cols(cols), data(std::size_t(rows) * cols, Real(0)) {}

    Real& operator()(int r, int c) { return data[std::size_t(r) * cols + c]; }
    Real operator()(int r, int c) const { return data[std::size_t(r) * cols + c]; }
    Real* row(int r) { return data.data() + std::size_t(r) * cols; }
    const Real* row(int r) const { return data.data() + std::size_t(r) * cols; }
    std::size_t size() const { return data.size(); }

    // Changes the shape. The training loop calls this on every step with the same few shapes,
    // and std::vector keeps its memory when it shrinks, so after the first step of an epoch no
    // step allocates. The values are left as they are: every caller overwrites them.
    void reshape(int new_rows, int new_cols) {
        rows = new_rows;
        cols = new_cols;
        data.resize(std::size_t(new_rows) * new_cols);
    }
};

// ---- The three products of backpropagation --------------------------------------------------
// A dense layer needs C = A B going forward, and C = A^T B and C = A B^T coming back. Each is
// the loop of its formula (matrix.cpp): output (i, j) is a sum over p = 0 .. k-1, in that order.
// C must not be A or B; its shape is set by the function. The program runs the same sums
// faster (fast_matrix.h), with the same bits.

// C = A B.        A: n x k, B: k x m  ->  C: n x m.   C[i][j] = sum_p A[i][p] B[p][j]
template <typename Real>
void matmul(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);

// C = A^T B.      A: k x n, B: k x m  ->  C: n x m.   C[i][j] = sum_p A[p][i] B[p][j]
template <typename Real>
void matmul_at_b(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);

// C = A B^T.      A: n x k, B: m x k  ->  C: n x m.   C[i][j] = sum_p A[i][p] B[j][p]
template <typename Real>
void matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);

// ---- Smaller helpers ------------------------------------------------------------------------

// The transpose as a new matrix: T[j][i] = A[i][j]. The products above read A^T without
// building it; the tests use this to check them (A^T B must equal transpose(A) B).
template <typename Real>
Matrix<Real> transpose(const Matrix<Real>& A);

// Y[i][j] += b[0][j] for every row i: adds a 1 x m row vector to each row of an n x m matrix.
template <typename Real>
void add_row_to_each_row(Matrix<Real>& Y, const Matrix<Real>& b);

// s[0][j] = sum_i A[i][j]: the column sums of an n x m matrix, as a 1 x m row vector.
template <typename Real>
void sum_over_rows(const Matrix<Real>& A, Matrix<Real>& s);

// True when no element is NaN or infinite.
template <typename Real>
bool all_finite(const Matrix<Real>& A);
