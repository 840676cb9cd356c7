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

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

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

// c[:] += sum over the listed p of a[p * stride] * B[p][:], in the order listed.
//
// Why four rows at a time. Adding one row, `c[j] += a_p * b[j]`, costs for every vector of c
// one multiply-add but also a load of c and a store of c back, so the vector unit spends its
// time waiting for memory rather than computing. Adding four rows in one statement,
//     c[j] = c[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j]
// loads and stores c once for four multiply-adds. C++ evaluates it left to right,
// ((((c + a0 b0) + a1 b1) + a2 b2) + a3 b3): the very order of four one-row updates, so the
// result is the same to the last bit. Only the traffic to memory changed.
template <typename Real>
void add_scaled_rows(const Real* a, long stride, const int* nonzero, int count, const Matrix<Real>& B,
                     Real* c) {
    const int m = B.cols;
    int q = 0;
    for (; q + 4 <= count; q += 4) {
        const Real a0 = a[nonzero[q] * stride], a1 = a[nonzero[q + 1] * stride];
        const Real a2 = a[nonzero[q + 2] * stride], a3 = a[nonzero[q + 3] * stride];
        const Real* b0 = B.row(nonzero[q]);
        const Real* b1 = B.row(nonzero[q + 1]);
        const Real* b2 = B.row(nonzero[q + 2]);
        const Real* b3 = B.row(nonzero[q + 3]);
        for (int j = 0; j < m; ++j) c[j] = c[j] + a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
    }
    for (; q < count; ++q) {
        const int p = nonzero[q];
        const Real a_p = a[p * stride];
        const Real* b = B.row(p);
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
        add_scaled_rows(a, stride, nonzero, count, B, c);
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

// C = A B^T without building B^T:
//     C[i][j] = sum_p A[i][p] * B[j][p]     (the dot product of row i of A and row j of B)
// Both rows are contiguous, so a dot product is the natural inner loop here.
//
// One subtlety. Written as `sum += a[p] * b[p]`, every addition waits for the previous one,
// and the compiler may not split the sum into several independent ones on its own: float
// addition is not associative ((x + y) + z can differ from x + (y + z) in the last bit), and
// without -ffast-math it must keep the order we wrote. So we write the split out ourselves:
// kLanes running sums, sum[l] collecting the terms p = l, l + kLanes, l + 2 kLanes, ...
// These are independent, the compiler maps them onto the lanes of one vector register, and
// the result is still the same on every run and every machine with the same compiler flags.
constexpr int kLanes = 16;

// The end of a dot product: sum[0] + sum[1] + ... + sum[kLanes - 1], in that order, then the
// last terms a[p] * b[p] for p = p .. k-1 (the k % kLanes that did not fill a row of lanes).
template <typename Real>
Real add_lanes_and_tail(const Real* sum, const Real* a, const Real* b, int p, int k) {
    Real total = 0;
    for (int l = 0; l < kLanes; ++l) total += sum[l];
    for (; p < k; ++p) total += a[p] * b[p];
    return total;
}

template <typename Real>
Real dot(const Real* a, const Real* b, int k) {
    Real sum[kLanes] = {};
    int p = 0;
    for (; p + kLanes <= k; p += kLanes)
        for (int l = 0; l < kLanes; ++l) sum[l] += a[p + l] * b[p + l];
    return add_lanes_and_tail(sum, a, b, p, k);
}

// Four dot products at once: out[r] = dot(a, b_r, k) for r = 0, 1, 2, 3.
//
// Why? The processor can start a new vector addition every cycle or two (its throughput), but
// one addition takes about four cycles to give its result (its latency). In `dot` every
// addition to sum[] waits for the previous one, so the vector unit is mostly idle, waiting.
// Here the loop body holds four additions that do not depend on each other, one per output,
// so while one waits the others go ahead: four chains in flight instead of one.
//
// Same bits as `dot`: each output has its own sum_r[], which receives exactly the terms of
// `dot`, in the same order, and add_lanes_and_tail finishes it exactly as `dot` does. The
// four outputs only take turns; no number from one output ever enters another.
template <typename Real>
void dot4(const Real* a, const Real* b0, const Real* b1, const Real* b2, const Real* b3, int k,
          Real* out) {
    Real sum0[kLanes] = {}, sum1[kLanes] = {}, sum2[kLanes] = {}, sum3[kLanes] = {};
    int p = 0;
    for (; p + kLanes <= k; p += kLanes)
        for (int l = 0; l < kLanes; ++l) {
            sum0[l] += a[p + l] * b0[p + l];
            sum1[l] += a[p + l] * b1[p + l];
            sum2[l] += a[p + l] * b2[p + l];
            sum3[l] += a[p + l] * b3[p + l];
        }
    out[0] = add_lanes_and_tail(sum0, a, b0, p, k);
    out[1] = add_lanes_and_tail(sum1, a, b1, p, k);
    out[2] = add_lanes_and_tail(sum2, a, b2, p, k);
    out[3] = add_lanes_and_tail(sum3, a, b3, p, k);
}

template <typename Real>
void matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C, Workers& workers) {
    const int n = A.rows, k = A.cols, m = B.rows;
    C.reshape(n, m);
    workers.run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i) {
            const Real* a = A.row(i);
            Real* c = C.row(i);
            int j = 0;
            for (; j + 4 <= m; j += 4) dot4(a, B.row(j), B.row(j + 1), B.row(j + 2), B.row(j + 3), k, c + j);
            for (; j < m; ++j) c[j] = dot(a, B.row(j), k);  // the last m % 4 outputs
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
