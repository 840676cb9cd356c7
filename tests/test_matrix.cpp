// test_matrix: the products of matrix.h against results worked out by hand, and against the
// explicit transpose: the naive loops, and the fast kernels on one and two threads.
// (test_kernels checks that the two give the same bits.)
#include "check.h"
#include "fast_matrix.h"
#include "matrix.h"
#include "random.h"

namespace {

Matrix<float> from_rows(int rows, int cols, std::initializer_list<float> values) {
    Matrix<float> M(rows, cols);
    M.data.assign(values.begin(), values.end());
    return M;
}

void check_matrix(const Matrix<float>& seen, const Matrix<float>& expected, const std::string& what) {
    check::equal(seen.rows, expected.rows, what + " rows");
    check::equal(seen.cols, expected.cols, what + " cols");
    if (seen.size() != expected.size()) return;
    for (std::size_t i = 0; i < seen.size(); ++i)
        check::near(seen.data[i], expected.data[i], 1e-5, what + " element " + std::to_string(i));
}

}  // namespace

int main() {
    // A = [1 2 3]     B = [ 7  8]
    //     [4 5 6]         [ 9 10]
    //                     [11 12]
    // A B = [1*7+2*9+3*11   1*8+2*10+3*12]  = [ 58  64]
    //       [4*7+5*9+6*11   4*8+5*10+6*12]    [139 154]
    const Matrix<float> A = from_rows(2, 3, {1, 2, 3, 4, 5, 6});
    const Matrix<float> B = from_rows(3, 2, {7, 8, 9, 10, 11, 12});
    const Matrix<float> AB = from_rows(2, 2, {58, 64, 139, 154});

    Workers one(1), two(2);
    for (int run = 0; run < 3; ++run) {
        if (run == 0) use_kernels(Kernels::naive);
        if (run == 1) use_kernels(Kernels::fast, &one);
        if (run == 2) use_kernels(Kernels::fast, &two);
        const std::string t = run == 0 ? " (naive)" : run == 1 ? " (fast, 1 thread)" : " (fast, 2 threads)";
        Matrix<float> C;
        matmul(A, B, C);
        check_matrix(C, AB, "A B" + t);

        // A^T B with A^T given as a 3 x 2 matrix: (A^T)^T B^T... simpler: (A^T)^T = A, so
        // matmul_at_b(At, B) with At = A^T must equal A B.
        const Matrix<float> At = transpose(A);
        matmul_at_b(At, B, C);
        check_matrix(C, AB, "matmul_at_b(A^T, B)" + t);

        // A B^T with Bt = B^T (2 x 3): matmul_a_bt(A, Bt) = A (B^T)^T = A B.
        const Matrix<float> Bt = transpose(B);
        matmul_a_bt(A, Bt, C);
        check_matrix(C, AB, "matmul_a_bt(A, B^T)" + t);
    }

    // transpose of [1 2 3; 4 5 6] is [1 4; 2 5; 3 6].
    check_matrix(transpose(A), from_rows(3, 2, {1, 4, 2, 5, 3, 6}), "transpose");

    // add_row_to_each_row and sum_over_rows.
    Matrix<float> Y = A;
    add_row_to_each_row(Y, from_rows(1, 3, {10, 20, 30}));
    check_matrix(Y, from_rows(2, 3, {11, 22, 33, 14, 25, 36}), "add_row_to_each_row");
    Matrix<float> s;
    sum_over_rows(A, s);
    check_matrix(s, from_rows(1, 3, {5, 7, 9}), "sum_over_rows");

    // A bigger product, computed by the plain triple loop as the reference: shapes that are not
    // multiples of any vector width, and thread splits that are uneven.
    Rng rng(1);
    Matrix<float> P(37, 19), Q(19, 23);
    for (float& x : P.data) x = static_cast<float>(rng.uniform() - 0.5);
    for (float& x : Q.data) x = static_cast<float>(rng.uniform() - 0.5);
    Matrix<float> reference(37, 23);
    for (int i = 0; i < 37; ++i)
        for (int j = 0; j < 23; ++j) {
            double sum = 0;
            for (int p = 0; p < 19; ++p) sum += double(P(i, p)) * Q(p, j);
            reference(i, j) = static_cast<float>(sum);
        }
    use_kernels(Kernels::fast, &two);
    Matrix<float> C;
    matmul(P, Q, C);
    check_matrix(C, reference, "37x19 times 19x23");
    matmul_at_b(transpose(P), Q, C);
    check_matrix(C, reference, "37x19 times 19x23 via matmul_at_b");
    matmul_a_bt(P, transpose(Q), C);
    check_matrix(C, reference, "37x19 times 19x23 via matmul_a_bt");

    // The sizes of training, and numbers like its numbers: a batch of 64 "images" of 784
    // pixels, four in five of them exactly 0, times the first layer's 784 x 128 weights. This
    // is large enough for two threads to split (checked first, so that the test cannot quietly
    // stop testing the split), and every product must then give the same bits with 1 thread
    // and with 2: each output element is computed by one thread, in the same order (parallel.h).
    {
        Matrix<float> X(64, 784), W(784, 128), dZ(64, 128);
        for (float& x : X.data) x = rng.uniform() < 0.8 ? 0.0f : static_cast<float>(rng.uniform());
        for (float& w : W.data) w = static_cast<float>(rng.uniform() - 0.5);
        for (float& d : dZ.data) d = rng.uniform() < 0.5 ? 0.0f : static_cast<float>(rng.uniform() - 0.5);
        check::expect(64L * 784 * 128 >= 2 * Workers::kMinWorkPerThread &&
                          784L * 64 * 128 >= 2 * Workers::kMinWorkPerThread,
                      "the products below are large enough to be split between two threads");

        Matrix<float> Z1, Z2, dW1, dW2, dX1, dX2;
        use_kernels(Kernels::fast, &one);
        matmul(X, W, Z1);
        matmul_at_b(X, dZ, dW1);
        matmul_a_bt(dZ, W, dX1);
        use_kernels(Kernels::fast, &two);
        matmul(X, W, Z2);
        matmul_at_b(X, dZ, dW2);
        matmul_a_bt(dZ, W, dX2);
        check::expect(Z1.data == Z2.data, "X W: 1 and 2 threads give the same bits");
        check::expect(dW1.data == dW2.data, "X^T dZ: 1 and 2 threads give the same bits");
        check::expect(dX1.data == dX2.data, "dZ W^T: 1 and 2 threads give the same bits");

        // And they are right: against the plain triple loop in double, for a few elements.
        for (int i : {0, 31, 32, 63})
            for (int j : {0, 77, 127}) {
                double z = 0, dx = 0;
                for (int p = 0; p < 784; ++p) z += double(X(i, p)) * W(p, j);
                for (int p = 0; p < 128; ++p) dx += double(dZ(i, p)) * W(j, p);
                check::near(Z1(i, j), z, 1e-4, "X W element (" + std::to_string(i) + ", " + std::to_string(j) + ")");
                check::near(dX1(i, j), dx, 1e-4, "dZ W^T element (" + std::to_string(i) + ", " + std::to_string(j) + ")");
            }
        for (int i : {0, 400, 783})
            for (int j : {0, 127}) {
                double dw = 0;
                for (int p = 0; p < 64; ++p) dw += double(X(p, i)) * dZ(p, j);
                check::near(dW1(i, j), dw, 1e-4, "X^T dZ element (" + std::to_string(i) + ", " + std::to_string(j) + ")");
            }
    }

    // all_finite
    Matrix<float> F = A;
    check::expect(all_finite(F), "all_finite on finite numbers");
    F(1, 2) = std::nanf("");
    check::expect(!all_finite(F), "all_finite sees a NaN");

    return check::summary("test_matrix");
}
