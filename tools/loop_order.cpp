// loop_order.cpp: one matrix product, five ways, timed. The lesson of docs/performance.md in a
// program you can run: `make bench` runs it first, or build/loop-order [--data DIR].
//
// The product is the first layer's forward pass on a real batch: Z = X W with X the first 64
// training images (64 x 784, pixels scaled to [0, 1]) and W a 784 x 128 matrix of random
// weights. Every version does the same sums and gets the same Z up to the last bits; they
// differ only in the order in which they walk memory and in what they skip:
//
//   1.  textbook       for i, for j, for p: Z[i][j] += X[i][p] * W[p][j]
//                      the dot product innermost; it walks DOWN a column of W, 512 bytes a step
//   1b. textbook, W^T  the same on a transposed copy Wt: Z[i][j] = sum_p X[i][p] * Wt[j][p],
//                      both rows contiguous, so only the chain of additions is left
//   2.  row order      for i, for p, for j: Z[i][j] += X[i][p] * W[p][j]
//                      the inner two loops swapped: ALONG rows of W and Z
//   3.  + skip zeros   the row order, skipping the whole inner loop when X[i][p] == 0
//   4.  fast_matmul()  the program's own product (fast_matrix.cpp): a branch-free list of the
//                      nonzero X[i][p], four rows of W per pass over Z's row; one thread
//
// Each time is the median of 21 repetitions, in microseconds of processor time, and the work
// is given as "dense-equivalent" GFLOP/s: 2 * 64 * 784 * 128 FLOP divided by the time,
// whatever was skipped.
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <vector>

#include "cli.h"
#include "fast_matrix.h"
#include "dataset.h"
#include "errors.h"
#include "random.h"

namespace {

// This thread's processor time in microseconds: unlike the wall clock, it does not count the
// moments when another program had the core, so the figures stay steady on a busy machine.
double thread_microseconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return 1e6 * t.tv_sec + 1e-3 * t.tv_nsec;
}

// The median time of one call of `product`, in microseconds of processor time.
double median_microseconds(const std::function<void()>& product) {
    std::vector<double> times;
    for (int r = 0; r < 21; ++r) {
        const double start = thread_microseconds();
        product();
        times.push_back(thread_microseconds() - start);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

void textbook(const Matrix<float>& X, const Matrix<float>& W, Matrix<float>& Z) {
    for (int i = 0; i < X.rows; ++i)
        for (int j = 0; j < W.cols; ++j) {
            float sum = 0;
            for (int p = 0; p < X.cols; ++p) sum += X(i, p) * W(p, j);
            Z(i, j) = sum;
        }
}

void textbook_transposed(const Matrix<float>& X, const Matrix<float>& Wt, Matrix<float>& Z) {
    for (int i = 0; i < X.rows; ++i)
        for (int j = 0; j < Wt.rows; ++j) {
            const float* x = X.row(i);
            const float* w = Wt.row(j);
            float sum = 0;
            for (int p = 0; p < X.cols; ++p) sum += x[p] * w[p];
            Z(i, j) = sum;
        }
}

void row_order(const Matrix<float>& X, const Matrix<float>& W, Matrix<float>& Z, bool skip_zeros) {
    for (int i = 0; i < X.rows; ++i) {
        float* z = Z.row(i);
        std::memset(z, 0, sizeof(float) * W.cols);
        for (int p = 0; p < X.cols; ++p) {
            const float x = X(i, p);
            if (skip_zeros && x == 0) continue;
            const float* w = W.row(p);
            for (int j = 0; j < W.cols; ++j) z[j] += x * w[j];
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse_command_line(argc, argv);  // for --data; the rest is ignored
        if (o.help) {
            std::printf("usage: build/loop-order [--data DIR]\n\nTimes one product five ways "
                        "(see tools/loop_order.cpp).\n");
            return 0;
        }
        const Split split = split_validation(load_mnist(o.data_dir), 0);
        const int N = 64;
        Matrix<float> X, Y;
        gather_batch(split.train, identity_order(N), 0, N, X, Y);
        Rng rng(1);
        Matrix<float> W(X.cols, 128), Z(N, 128);
        for (float& w : W.data) w = static_cast<float>(rng.uniform() - 0.5);
        const Matrix<float> Wt = transpose(W);

        long zeros = 0;
        for (float x : X.data) zeros += (x == 0);
        const double flop = 2.0 * N * X.cols * W.cols;
        std::printf("Z = X W, X: %d images x %d pixels (%.0f%% of them 0), W: %d x %d\n", N, X.cols,
                    100.0 * zeros / X.size(), W.rows, W.cols);
        use_kernels(Kernels::fast);  // on one thread
        const struct {
            const char* name;
            std::function<void()> product;
        } versions[] = {
            {"1. textbook order (dot product inner)", [&] { textbook(X, W, Z); }},
            {"1b. textbook order on W^T (rows)", [&] { textbook_transposed(X, Wt, Z); }},
            {"2. row order (inner loops swapped)", [&] { row_order(X, W, Z, false); }},
            {"3. row order, zeros skipped", [&] { row_order(X, W, Z, true); }},
            {"4. fast_matmul() of fast_matrix.cpp, 1 thread", [&] { fast_matmul(X, W, Z); }},
        };
        for (const auto& v : versions) {
            const double us = median_microseconds(v.product);
            std::printf("  %-40s %8.1f us  %6.1f GFLOP/s dense-equivalent\n", v.name, us, flop / us / 1e3);
        }
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "loop-order: %s\n", e.what());
        return 2;
    } catch (const DataError& e) {
        std::fprintf(stderr, "loop-order: %s\n", e.what());
        return 1;
    }
}
