// fast_matrix.cpp: the kernels behind fast_matrix.h, and why each trick keeps the bits.
//
// Why the loop order matters. A matrix product does n*m*k multiply-adds whatever the order of
// its three loops, but the order decides how memory is walked and what has to wait for what.
// Memory reaches the processor in 64-byte cache lines (16 floats), and the vector units
// multiply 8 or 16 floats in one instruction, but only when those floats sit next to each
// other and do not depend on each other. matrix.cpp's loops put the dot product innermost
// (sum_p A[i][p] * B[p][j]): for C = A B that walks down a column of B, a new cache line for
// every multiply-add, into a single running sum whose every addition waits for the previous
// one. Here the innermost loop runs along a row of the output and along a row of B, both
// contiguous, each element of the output row collecting its own sum: the compiler turns it into
// vector instructions, and every cache line it loads is used in full. docs/performance.md
// measures the difference (build/loop-order).
//
// Same bits. Swapping the loops does not reorder any sum: output (i, j) still receives
// A[i][p] * B[p][j] for p = 0, 1, ..., k-1, in that order, starting from 0. Only the outputs
// take turns. All three products share one inner loop, sparse_row_times_matrix below; C = A B^T
// uses it on a transposed copy of B. Last, share_elements(), the optimizer's share of the threads.
#include "fast_matrix.h"

#include <algorithm>
#include <climits>
#include <cstring>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {
Kernels chosen_kernels = Kernels::fast;
Workers* chosen_workers = nullptr;  // null: one thread

Workers& workers() {
    static Workers one_thread(1);  // starts no thread (parallel.h)
    return chosen_workers != nullptr ? *chosen_workers : one_thread;
}
}  // namespace

void use_kernels(Kernels kernels, Workers* workers) {
    chosen_kernels = kernels;
    chosen_workers = workers;
}

bool fast_kernels_on() { return chosen_kernels == Kernels::fast; }

// The rows of B that one row of C needs: the p with a[p * stride] != 0, for p in [begin, end).
// Writes them to `nonzero` in increasing order and returns how many there are.
//
// Skipping a zero changes no bit. The naive sum starts at +0 and only ever adds; under
// round-to-nearest x + (-x) is +0, so a running sum is never -0. A skipped term 0 * B[p][j]
// is +0 or -0 (B finite), and s + (+-0) is s for every s that is not -0. So the sum with the
// zero terms and the sum without them are the same number.
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
// result is the same to the last bit (with contraction into fused multiply-adds off, as the
// build sets it). Only the traffic to memory changed.
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
// skipping every p where a is zero. Most of an MNIST image is blank paper (about 81% of the
// pixels are exactly 0), so for the first layer this skips four fifths of the work. For the
// hidden layers it pays off too: ReLU makes about half of their inputs 0, and half of the
// gradients coming back through it.
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

// Rows of C are shared between the threads: each row is computed start to finish by one
// thread, with the same code, so the thread count changes no bit (parallel.h).
template <typename Real>
void fast_matmul(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    const int n = A.rows, k = A.cols, m = B.cols;
    C.reshape(n, m);
    workers().run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i) sparse_row_times_matrix(A.row(i), 1, k, B, C.row(i));
    });
}

// C = A^T B without building A^T: the same loop, reading A down a column (one number per row
// p, a scalar the inner loop reuses m times), so the inner loop is still contiguous in B and C.
template <typename Real>
void fast_matmul_at_b(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    const int k = A.rows, n = A.cols, m = B.cols;
    C.reshape(n, m);
    workers().run(n, static_cast<long>(k) * m, [&](int row_begin, int row_end) {
        for (int i = row_begin; i < row_end; ++i)
            sparse_row_times_matrix(A.data.data() + i, A.cols, k, B, C.row(i));
    });
}

// T = B^T, 16 rows of B at a time. The rows of T are shared between the threads when there are
// enough of them (a copy counted as one multiply-add: 512 x 512 is split, 128 x 128 is not).
//
// Why not the obvious loop, row j of B copied into column j of T? It writes one number in each
// row of T, and for the network's 128 x 128 W those are 128 cache lines 512 bytes apart, which
// all compete for the same few places in the processor's cache and push each other out before
// the next column comes back to them: the copy took as long as the product that follows it.
// Here 16 rows of B are read side by side: for each p, the 16 numbers B[j0..j0+15][p] go to
// T[p][j0..j0+15], 16 neighbours in one cache line of T, and the 16 lines of B being read stay
// in the cache while p walks along them; several times faster. Only copies: no number
// changes, whichever thread makes them. (matrix.h's transpose() is the obvious loop and
// returns a new matrix: fine for the tests, which call it once, not for every training step.)
template <typename Real>
void transpose_into(const Matrix<Real>& B, Matrix<Real>& T) {
    constexpr int kRowsAtOnce = 16;
    T.reshape(B.cols, B.rows);
    workers().run(B.cols, B.rows, [&](int p_begin, int p_end) {
        for (int j0 = 0; j0 < B.rows; j0 += kRowsAtOnce) {
            const int j1 = std::min(B.rows, j0 + kRowsAtOnce);
            for (int p = p_begin; p < p_end; ++p) {
                Real* t = T.row(p);
                for (int j = j0; j < j1; ++j) t[j] = B(j, p);
            }
        }
    });
}

// C = A B^T = A (B^T): transpose B into a scratch matrix, then the product above.
//
// Why not dot products of rows, which are contiguous in both A and B? A fast dot product needs
// several running sums (one per vector lane, added together at the end), and that is another
// order of the k terms than the naive loop's, so another last bit. Transposing B costs one pass
// over B (for the network's C = dZ W^T, W is D x H: 16,384 copies for the second layer against
// about a million multiply-adds in the product) and gives the row-times-matrix loop back, with
// its zero skipping: dZ is half zeros behind every ReLU. The scratch matrix is kept between
// calls, so training allocates nothing.
template <typename Real>
void fast_matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C) {
    // One scratch matrix per calling thread (the helpers that share the transpose write into
    // the caller's): two threads calling products of their own would not overwrite each other's.
    static thread_local Matrix<Real> Bt;
    transpose_into(B, Bt);
    fast_matmul(A, Bt, C);
}

// ---- The optimizer's update, shared between the threads ----------------------------------------
//
// With two threads and kWorkPerUpdatedElement = 10, a tensor is cut in two from 4,000 elements
// on (2 x Workers::kMinWorkPerThread of work): the network's 784 x 128 and 128 x 128 weight
// matrices are, the 128 x 10 one and the biases stay on one thread.
void share_elements(std::size_t size, const std::function<void(std::size_t, std::size_t)>& piece) {
    if (!fast_kernels_on() || size > INT_MAX) {  // (Workers counts elements in an int)
        piece(0, size);
        return;
    }
    workers().run(static_cast<int>(size), kWorkPerUpdatedElement, [&](int begin, int end) {
        piece(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
    });
}

template void fast_matmul(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void fast_matmul(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template void fast_matmul_at_b(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void fast_matmul_at_b(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
template void fast_matmul_a_bt(const Matrix<float>&, const Matrix<float>&, Matrix<float>&);
template void fast_matmul_a_bt(const Matrix<double>&, const Matrix<double>&, Matrix<double>&);
