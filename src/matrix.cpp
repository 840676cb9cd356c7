// matrix.cpp: the loops behind matrix.h.
//
// Why the loop order matters. A matrix product does n*m*k multiply-adds whatever the order of
// its three loops, but the order decides how memory is walked and what has to wait for what.
// Memory reaches the processor in 64-byte cache lines (16 floats), and the vector units
// multiply 8 or 16 floats in one instruction, but only when those floats sit next to each
// other and do not depend on each other. So in every product below the innermost loop runs
// along a row of the output and along a row of one input, both contiguous, each element of
// the output row collecting its own sum: the compiler turns it into vector instructions, and
// every cache line it loads is used in full. The "textbook" order for C = A B, with the dot
// product innermost (sum_p A[i][p] * B[p][j]), walks down a column of B, a new cache line for
// every multiply-add, into a single running sum whose every addition waits for the previous
// one. docs/performance.md measures the difference (build/loop-order): about 9 times.
//
// All three products share one inner loop, sparse_row_times_matrix / add_scaled_rows below:
// a row of the output plus a number times a row of a matrix, for the nonzero numbers only.
#include "matrix.h"

#include <algorithm>
#include <cmath>
#include <cstring>

// The rows of B that one row of C needs: the p with a[p * stride] != 0, for p in [begin, end).
// Writes them to `nonzero` in increasing order and returns how many there are.
//
// Why a list? The obvious `if (a[p] == 0) continue;` inside the product is a branch the
// processor must guess, and on a digit's pixels (a stroke, then paper, then a stroke again) it
// guesses wrong every few pixels; each wrong guess throws away about 15 cycles of work in
// flight. Here there is no branch: p is always written, and the count only moves on past it
// when a[p] is not zero, so a zero is overwritten by the next p.
template <typename Real>
int nonzero_indices(const Real* a, long stride, int begin, int end, int* nonzero) {
    int count = 0;
    for (int p = begin; p < end; ++p) {
        nonzero[count] = p;
        count += (a[p * stride] != 0);
    }
    return count;
}

// c[0 .. m) += sum over the listed p of a[p * stride] * (row p of B), in the order listed, where
// row p of B starts at B + p * b_stride. (A whole matrix, or a block inside one: see matmul_a_bt.)
//
// Why four rows at a time. Adding one row, `c[j] += a_p * b[j]`, costs for every vector of c
// one multiply-add but also a load of c and a store of c back, so the vector unit spends its
// time waiting for memory rather than computing. Adding four rows in one statement,
//     c[j] = c[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]
// loads and stores c once for four multiply-adds. C++ evaluates it left to right,
// ((((c + a0 b0) + a1 b1) + a2 b2) + a3 b3): the very order of four one-row updates, so the
// result is the same to the last bit. Only the traffic to memory changed.
template <typename Real>
void add_scaled_rows(const Real* a, long stride, const int* nonzero, int count, const Real* B,
                     long b_stride, int m, Real* c) {
    int q = 0;
    for (; q + 4 <= count; q += 4) {
        const Real a0 = a[nonzero[q] * stride], a1 = a[nonzero[q + 1] * stride];
        const Real a2 = a[nonzero[q + 2] * stride], a3 = a[nonzero[q + 3] * stride];
        const Real* b0 = B + nonzero[q] * b_stride;
        const Real* b1 = B + nonzero[q + 1] * b_stride;
        const Real* b2 = B + nonzero[q + 2] * b_stride;
        const Real* b3 = B + nonzero[q + 3] * b_stride;
        for (int j = 0; j < m; ++j) c[j] = c[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }
    for (; q < count; ++q) {
        const int p = nonzero[q];
        const Real a_p = a[p * stride];
        const Real* b = B + p * b_stride;
        for (int j = 0; j < m; ++j) c[j] += a_p * b[j];
    }
}

// How many indices one pass of nonzero_indices collects: a fixed-size list on the stack, so the
// products allocate nothing. A row longer than this is done in pieces, in order.
constexpr int kIndexChunk = 256;

// Row i of C = A B (stride 1: row i of A) or of C = A^T B (stride = A.cols: column i of A):
//     c[:] = sum_p a[p * stride] * B[p][:],   p = 0 .. k-1 in increasing order,
// skipping every p where a is zero. A zero adds nothing. Most of an MNIST image is blank
// paper (about 81% of the pixels are exactly 0), so for the first layer this skips four fifths
// of the work. For the hidden layers it pays off too: ReLU makes about half of their inputs 0.
template <typename Real>
void sparse_row_times_matrix(const Real* a, long stride, int k, const Matrix<Real>& B, Real* c) {
    std::memset(c, 0, sizeof(Real) * B.cols);
    int nonzero[kIndexChunk];
    for (int begin = 0; begin < k; begin += kIndexChunk) {
        const int end = std::min(k, begin + kIndexChunk);
        const int count = nonzero_indices(a, stride, begin, end, nonzero);
        add_scaled_rows(a, stride, nonzero, count, B.data.data(), B.cols, B.cols, c);
    }
}

// C = A B, computed one row of C at a time:
//     C[i][:] = sum_p A[i][p] * B[p][:]
// i.e. row i of C is a weighted sum of the rows of B, weighted by row i of A.
template <typename Real>
void matmul(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C, Workers& workers) {
    const int n = A.rows, k = A.cols, m = B.cols;
    C.reshape(n, m);
    workers.run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i) sparse_row_times_matrix(A.row(i), 1, k, B, C.row(i));
    });
}

// C = A^T B without building A^T:
//     C[i][:] = sum_p A[p][i] * B[p][:]
// Same loop as matmul, reading A down a column (one number per row p, a scalar the inner loop
// reuses m times), so the inner loop is still contiguous in B and C.
template <typename Real>
void matmul_at_b(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C, Workers& workers) {
    const int k = A.rows, n = A.cols, m = B.cols;
    C.reshape(n, m);
    workers.run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i)
            sparse_row_times_matrix(A.data.data() + i, A.cols, k, B, C.row(i));
    });
}

// C = A B^T. This one is different: C[i][j] = sum_p A[i][p] * B[j][p] sums along a row of B,
// not down a column, so the loop of matmul (row i of C += A[i][p] * row p of B) would need the
// rows of B^T, i.e. the columns of B, which are scattered through memory (one number every
// k floats).
//
// The other natural road is C[i][j] as the dot product of row i of A and row j of B, both
// contiguous. It is correct, but slow in three ways (docs/performance.md measures them). Each
// dot product ends by adding up the partial sums of its vector lanes one after another, a
// fixed cost per element of C that is as large as the work itself when k is small (the
// output layer's backward pass has k = 10: 10 multiply-adds, then 16 additions to finish).
// It cannot skip zeros cheaply. And the sums of a single dot product form one chain of
// multiply-adds, each waiting for the one before.
//
// So we build B^T after all, but a tile at a time, on the stack: rows p0 .. p0+31 of B^T,
// columns j0 .. j0+127, i.e. a 128 x 32 block of B turned on its side (16 KB of floats, which
// stays in the fastest cache while it is used). Every row i of C in this thread's range then
// gets, for its columns j0 .. j0+127, the same treatment as in matmul: the nonzero A[i][p] of
// the tile's 32 p's, each times a (now contiguous) row of the tile. Turning the tile costs 32 x
// 128 copies, shared by all the rows of C that use it. In the backward pass A is dZ, which is
// zero wherever the ReLU was off, so this skips about half the work, as the other two products
// do.
//
// C[i][j] is summed over p in increasing order, tile after tile, as in the other products; the
// result is the same for any number of threads (each thread turns its own copy of each tile).
constexpr int kTileP = 32, kTileJ = 128;

template <typename Real>
void matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C, Workers& workers) {
    const int n = A.rows, k = A.cols, m = B.rows;
    C.reshape(n, m);
    workers.run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i) std::memset(C.row(i), 0, sizeof(Real) * m);
        Real tile[kTileP * kTileJ];  // tile[p * width + j] = B[j0 + j][p0 + p]
        int nonzero[kTileP];
        for (int j0 = 0; j0 < m; j0 += kTileJ) {
            const int width = std::min(kTileJ, m - j0);
            for (int p0 = 0; p0 < k; p0 += kTileP) {
                const int height = std::min(kTileP, k - p0);
                // Read B along its rows (contiguous), write the tile down its columns: the
                // scattered side of the transpose is the small tile, which lives in the cache.
                for (int j = 0; j < width; ++j) {
                    const Real* b = B.row(j0 + j) + p0;
                    for (int p = 0; p < height; ++p) tile[p * width + j] = b[p];
                }
                for (int i = row_begin; i < row_end; ++i) {
                    const Real* a = A.row(i) + p0;
                    const int count = nonzero_indices(a, 1, 0, height, nonzero);
                    add_scaled_rows(a, 1, nonzero, count, tile, width, width, C.row(i) + j0);
                }
            }
        }
    });
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
template void matmul(const Matrix<float>&, const Matrix<float>&, Matrix<float>&, Workers&);
template void matmul(const Matrix<double>&, const Matrix<double>&, Matrix<double>&, Workers&);
template void matmul_at_b(const Matrix<float>&, const Matrix<float>&, Matrix<float>&, Workers&);
template void matmul_at_b(const Matrix<double>&, const Matrix<double>&, Matrix<double>&, Workers&);
template void matmul_a_bt(const Matrix<float>&, const Matrix<float>&, Matrix<float>&, Workers&);
template void matmul_a_bt(const Matrix<double>&, const Matrix<double>&, Matrix<double>&, Workers&);
template Matrix<float> transpose(const Matrix<float>&);
template Matrix<double> transpose(const Matrix<double>&);
template void add_row_to_each_row(Matrix<float>&, const Matrix<float>&);
template void add_row_to_each_row(Matrix<double>&, const Matrix<double>&);
template void sum_over_rows(const Matrix<float>&, Matrix<float>&);
template void sum_over_rows(const Matrix<double>&, Matrix<double>&);
template bool all_finite(const Matrix<float>&);
template bool all_finite(const Matrix<double>&);
