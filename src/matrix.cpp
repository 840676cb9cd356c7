// matrix.cpp: the loops behind matrix.h.
//
// Each product is the loop of its formula, the dot product innermost: output (i, j) starts at 0
// and receives its k terms in the order p = 0, 1, ..., k-1. That order is the contract: the fast
// kernels (fast_matrix.cpp) add the same terms in the same order, so they give the same bits,
// and `./mnist --kernels naive` trains with the loops below to the same numbers, only slower.
// The first line of each product hands the work to those kernels, unless main() chose the
// naive ones (fast_matrix.h).
#include "matrix.h"

#include <cmath>
#include <cstring>

#include "fast_matrix.h"

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

template <typename Real>
void matmul(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    if (fast_kernels_on()) return fast_matmul(A, B, C);
    C.reshape(A.rows, B.cols);
    for (int i = 0; i < A.rows; ++i)
        for (int j = 0; j < B.cols; ++j) {
            Real sum = 0;
            for (int p = 0; p < A.cols; ++p) sum += A(i, p) * B(p, j);
            C(i, j) = sum;
        }
}

template <typename Real>
void matmul_at_b(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    if (fast_kernels_on()) return fast_matmul_at_b(A, B, C);
    C.reshape(A.cols, B.cols);
    for (int i = 0; i < A.cols; ++i)
        for (int j = 0; j < B.cols; ++j) {
            Real sum = 0;
            for (int p = 0; p < A.rows; ++p) sum += A(p, i) * B(p, j);
            C(i, j) = sum;
        }
}

template <typename Real>
void matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    if (fast_kernels_on()) return fast_matmul_a_bt(A, B, C);
    C.reshape(A.rows, B.rows);
    for (int i = 0; i < A.rows; ++i)
        for (int j = 0; j < B.rows; ++j) {
            Real sum = 0;
            for (int p = 0; p < A.cols; ++p) sum += A(i, p) * B(j, p);
            C(i, j) = sum;
        }
}

template <typename Real>
Matrix<Real> transpose(const Matrix<Real>& A) {
    Matrix<Real> T(A.cols, A.rows);
    for (int i = 0; i < A.rows; ++i)
        for (int j = 0; j < A.cols; ++j) T(j, i) = A(i, j);
    return T;
}

template <typename Real>
void add_row_to_each_row(Matrix<Real>& Y, const Matrix<Real>& b) {
    for (int i = 0; i < Y.rows; ++i) {
        Real* y = Y.row(i);
        for (int j = 0; j < Y.cols; ++j) y[j] += b.data[j];
    }
}

template <typename Real>
void sum_over_rows(const Matrix<Real>& A, Matrix<Real>& s) {
    s.reshape(1, A.cols);
    std::memset(s.data.data(), 0, sizeof(Real) * A.cols);
    for (int i = 0; i < A.rows; ++i) {
        const Real* a = A.row(i);
        for (int j = 0; j < A.cols; ++j) s.data[j] += a[j];
    }
}

template <typename Real>
bool all_finite(const Matrix<Real>& A) {
    for (Real x : A.data)
        if (!std::isfinite(x)) return false;
    return true;
}

// The two element types the program uses (see matrix.h): float to train, double to check.
template struct Matrix<float>;
template struct Matrix<double>;
template void matmul(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void matmul(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template void matmul_at_b(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void matmul_at_b(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template void matmul_a_bt(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void matmul_a_bt(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template Matrix<float> transpose(const Matrix<float>&);
template Matrix<double> transpose(const Matrix<double>&);
template void add_row_to_each_row(Matrix<float>&, const Matrix<float>&);
template void add_row_to_each_row(Matrix<double>&, const Matrix<double>&);
template void sum_over_rows(const Matrix<float>&, Matrix<float>&);
template void sum_over_rows(const Matrix<double>&, Matrix<double>&);
template bool all_finite(const Matrix<float>&);
template bool all_finite(const Matrix<double>&);
