// test_kernels: the fast products of fast_matrix.h give exactly the bits of the naive loops of
// matrix.cpp, on one thread and on two.
//
// Compared with memcmp, not with a tolerance: not one bit of one output may differ, and +0 and
// -0 count as different. The matrices are random with exact zeros (which the fast kernels skip),
// negative zeros (which they skip too: -0 == 0), whole rows and columns of zeros, and shapes on
// both sides of every boundary in fast_matrix.cpp: 4 rows per pass (counts of nonzero terms
// k % 4 = 0..3), 256 indices per chunk (k = 255, 256, 257, 513), and the thread split (products
// below and above Workers::kMinWorkPerThread per thread). Last, share_elements, which shares an
// optimizer's update between the threads: every element exactly once.
#include <atomic>
#include <cstring>
#include <string>
#include <vector>

#include "check.h"
#include "fast_matrix.h"
#include "random.h"

namespace {

// A number of each kind the products meet: mostly ordinary, a quarter +0, a tenth -0.
template <typename Real>
Matrix<Real> random_matrix(int rows, int cols, Rng& rng) {
    Matrix<Real> M(rows, cols);
    for (Real& x : M.data) {
        const double u = rng.uniform();
        x = u < 0.25 ? Real(0) : u < 0.35 ? -Real(0) : static_cast<Real>(4 * rng.uniform() - 2);
    }
    // A row of zeros and a column of negative zeros, somewhere (not always in the same place:
    // a row or column the kernels skip is one where a mistake would not show).
    if (rows > 2) {
        const int zero_row = static_cast<int>(rng.uniform() * rows);
        for (int c = 0; c < cols; ++c) M(zero_row, c) = 0;
    }
    if (cols > 2) {
        const int zero_col = static_cast<int>(rng.uniform() * cols);
        for (int r = 0; r < rows; ++r) M(r, zero_col) = -Real(0);
    }
    return M;
}

template <typename Real>
bool same_bits(const Matrix<Real>& a, const Matrix<Real>& b) {
    return a.rows == b.rows && a.cols == b.cols &&
           std::memcmp(a.data.data(), b.data.data(), sizeof(Real) * a.size()) == 0;
}

// Every product of every shape n x k times k x m, naive and fast with 1 and 2 threads.
// Returns how many comparisons differed.
template <typename Real>
int compare_all(Rng& rng, Workers& one, Workers& two, const std::string& type) {
    int differ = 0;
    for (int n : {1, 3, 64})
        for (int k : {0, 1, 2, 3, 4, 5, 7, 8, 17, 255, 256, 257, 513, 784})
            for (int m : {1, 5, 16, 33, 128}) {
                const Matrix<Real> A = random_matrix<Real>(n, k, rng);     // for A B and A B^T
                const Matrix<Real> B = random_matrix<Real>(k, m, rng);     // for A B and At B
                const Matrix<Real> Bt = random_matrix<Real>(m, k, rng);    // for A B^T
                const Matrix<Real> At = random_matrix<Real>(k, n, rng);    // for A^T B
                const Matrix<Real> other = random_matrix<Real>(m, k, rng);  // same shape as Bt
                Matrix<Real> naive[3], fast[3], discarded;
                use_kernels(Kernels::naive);
                matmul(A, B, naive[0]);
                matmul_at_b(At, B, naive[1]);
                matmul_a_bt(A, Bt, naive[2]);
                for (Workers* workers : {&one, &two}) {
                    use_kernels(Kernels::fast, workers);
                    fast_matmul(A, B, fast[0]);
                    fast_matmul_at_b(At, B, fast[1]);
                    // A B^T keeps its transposed B between calls: first fill it (on one
                    // thread, whole) with another matrix of the same shape, so that a part of
                    // B^T left unwritten shows.
                    use_kernels(Kernels::fast, &one);
                    fast_matmul_a_bt(A, other, discarded);
                    use_kernels(Kernels::fast, workers);
                    fast_matmul_a_bt(A, Bt, fast[2]);
                    const char* names[3] = {"A B", "A^T B", "A B^T"};
                    for (int i = 0; i < 3; ++i)
                        if (!same_bits(naive[i], fast[i])) {
                            ++differ;
                            check::expect(false, type + " " + names[i] + ": fast differs from naive, n " + std::to_string(n) +
                                                     " k " + std::to_string(k) + " m " + std::to_string(m) + ", " +
                                                     std::to_string(workers->size()) + " thread(s)");
                        }
                }
            }
    return differ;
}

}  // namespace

int main() {
    Rng rng(11);
    Workers one(1), two(2);
    // The largest shapes above must really be split: otherwise "2 threads" would test nothing.
    check::expect(64L * 784 * 128 >= 2 * Workers::kMinWorkPerThread, "64 x 784 x 128 is split between two threads");
    check::expect(3L * 1 * 1 < Workers::kMinWorkPerThread, "3 x 1 x 1 stays on one thread");

    check::equal(compare_all<float>(rng, one, two, "float"), 0, "float: products that differ from the naive loops");
    check::equal(compare_all<double>(rng, one, two, "double"), 0, "double: products that differ from the naive loops");

    // The comparison can fail: the same sums in another order (here: the last term first, which
    // is what a dot product in lanes or a reversed loop would do) give other bits somewhere.
    {
        const Matrix<float> A = random_matrix<float>(8, 300, rng), B = random_matrix<float>(300, 8, rng);
        Matrix<float> naive, reordered(8, 8);
        use_kernels(Kernels::naive);
        matmul(A, B, naive);
        for (int i = 0; i < 8; ++i)
            for (int j = 0; j < 8; ++j) {
                float sum = 0;
                for (int p = 299; p >= 0; --p) sum += A(i, p) * B(p, j);
                reordered(i, j) = sum;
            }
        check::expect(!same_bits(naive, reordered), "a reordered sum is caught by the comparison");
    }
    // share_elements (an optimizer's update, optimizers.cpp) hands out every index exactly once,
    // in one piece with the naive kernels (even when given two threads, as main() gives them) or
    // one thread, in two with two threads once a tensor is large enough (kWorkPerUpdatedElement
    // units of work per element against kMinWorkPerThread).
    for (const std::size_t size : {0, 1, 2, 3999, 4000, 4001, 16384, 100352}) {
        for (int setting = 0; setting < 3; ++setting) {
            if (setting == 0) use_kernels(Kernels::naive, &two);
            else use_kernels(Kernels::fast, setting == 1 ? &one : &two);
            std::vector<int> times(size, 0);
            std::atomic<int> pieces{0};  // counted from both threads
            share_elements(size, [&](std::size_t begin, std::size_t n) {
                for (std::size_t i = begin; i < begin + n; ++i) ++times[i];
                ++pieces;
            });
            bool each_once = true;
            for (int t : times) each_once = each_once && t == 1;
            const std::string where = "share_elements(" + std::to_string(size) + "), setting " + std::to_string(setting);
            check::expect(each_once, where + ": every index exactly once");
            const long work = static_cast<long>(size) * kWorkPerUpdatedElement;
            const int expected = setting == 2 && work >= 2 * Workers::kMinWorkPerThread ? 2 : 1;
            check::equal(pieces.load(), expected, where + ": pieces");
        }
    }
    use_kernels(Kernels::fast);
    return check::summary("test_kernels");
}
