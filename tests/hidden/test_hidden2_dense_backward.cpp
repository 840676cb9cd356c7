// test_hidden2_dense_backward: a hidden test of exercise 2 (tools/grade runs it; the student copy
// does not have it). N = 7, D = 3, H = 11 (no two sizes equal, so a swapped index cannot pass),
// with several threads, against the three sums written out as loops.
#include "exercise.h"
#include "fast_matrix.h"

int main() {
    exercise::isolated("dense_backward", "a 7x3 input to 11 outputs, 3 threads", [] {
        Workers three(3);
        use_kernels(Kernels::fast, &three);  // the products shared between 3 threads
        Rng rng(102);
        const int N = 7, D = 3, H = 11;
        Matrix<double> X(N, D), W(D, H), dZ(N, H), dW, db, dX;
        for (Matrix<double>* m : {&X, &W, &dZ})
            for (double& x : m->data) x = rng.uniform() - 0.5;
        dense_backward(X, W, dZ, dW, db, &dX);
        check::expect(dW.rows == D && dW.cols == H && db.rows == 1 && db.cols == H && dX.rows == N && dX.cols == D,
                      "dense_backward: dW must be 3x11, db 1x11 and dX 7x3");
        if (dW.rows != D || dW.cols != H || db.cols != H || db.rows != 1 || dX.rows != N || dX.cols != D) return;
        double worst = 0;
        for (int d = 0; d < D; ++d)
            for (int h = 0; h < H; ++h) {
                double sum = 0;
                for (int n = 0; n < N; ++n) sum += X(n, d) * dZ(n, h);
                worst = std::max(worst, std::fabs(dW(d, h) - sum));
            }
        check::expect(worst < 1e-12, "dense_backward: dW differs from sum_n X[n][d] dZ[n][h] by " + exercise::number(worst));
        worst = 0;
        for (int h = 0; h < H; ++h) {
            double sum = 0;
            for (int n = 0; n < N; ++n) sum += dZ(n, h);
            worst = std::max(worst, std::fabs(db(0, h) - sum));
        }
        check::expect(worst < 1e-12, "dense_backward: db differs from the column sums of dZ by " + exercise::number(worst));
        worst = 0;
        for (int n = 0; n < N; ++n)
            for (int d = 0; d < D; ++d) {
                double sum = 0;
                for (int h = 0; h < H; ++h) sum += dZ(n, h) * W(d, h);
                worst = std::max(worst, std::fabs(dX(n, d) - sum));
            }
        check::expect(worst < 1e-12, "dense_backward: dX differs from sum_h dZ[n][h] W[d][h] by " + exercise::number(worst));
    });
    return check::summary("test_hidden2_dense_backward");
}
