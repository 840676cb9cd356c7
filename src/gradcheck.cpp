// gradcheck.cpp: the checks of gradcheck.h.
//
// Each layer check turns the layer into a scalar function so that "the derivative of L" means
// something. For the dense and ReLU layers we use L = sum_ij Out[i][j] * R[i][j] with a fixed
// random matrix R: then dL/dOut = R exactly, which is what we hand to the backward pass, and a
// random R exercises every output with a different weight (an all-ones R would let a bug that
// swaps outputs go unseen). The softmax check uses the real loss, cross-entropy.
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace {

Matrix<double> random_matrix(int rows, int cols, double low, double high, Rng& rng) {
    Matrix<double> M(rows, cols);
    for (double& x : M.data) x = low + (high - low) * rng.uniform();
    return M;
}

// One-hot rows with random labels: the targets of a classification batch.
Matrix<double> random_one_hot(int rows, int classes, Rng& rng) {
    Matrix<double> Y(rows, classes);
    for (int n = 0; n < rows; ++n) Y(n, static_cast<int>(rng.below(classes))) = 1;
    return Y;
}

// sum_ij A[i][j] * R[i][j]
double weighted_sum(const Matrix<double>& A, const Matrix<double>& R) {
    double s = 0;
    for (std::size_t i = 0; i < A.size(); ++i) s += A.data[i] * R.data[i];
    return s;
}

// The centred difference (L(m + h) - L(m - h)) / 2h for every element m of M, where loss()
// computes L from the current contents of M. M is restored after each element.
Matrix<double> numerical_gradient(Matrix<double>& M, const std::function<double()>& loss) {
    Matrix<double> numeric(M.rows, M.cols);
    for (std::size_t i = 0; i < M.size(); ++i) {
        const double saved = M.data[i];
        M.data[i] = saved + kGradCheckStep;
        const double up = loss();
        M.data[i] = saved - kGradCheckStep;
        const double down = loss();
        M.data[i] = saved;
        numeric.data[i] = (up - down) / (2 * kGradCheckStep);
    }
    return numeric;
}

GradCheckResult compare(const std::string& layer, const std::string& tensor,
                        const Matrix<double>& analytic, const Matrix<double>& numeric) {
    GradCheckResult r;
    r.layer = layer;
    r.tensor = tensor;
    r.rows = numeric.rows;
    r.cols = numeric.cols;
    if (analytic.rows != numeric.rows || analytic.cols != numeric.cols) {
        r.max_relative_error = INFINITY;  // a gradient of the wrong shape is as wrong as it gets
        return r;
    }
    for (std::size_t i = 0; i < numeric.size(); ++i)
        r.max_relative_error =
            std::max(r.max_relative_error, relative_error(analytic.data[i], numeric.data[i]));
    // Written so that NaN fails: every comparison with NaN is false.
    r.passed = r.max_relative_error < kGradCheckTolerance;
    return r;
}

// The on/off state of every hidden ReLU for the batch last seen by forward().
std::vector<bool> relu_pattern(const Network<double>& net) {
    std::vector<bool> on;
    for (std::size_t l = 0; l + 1 < net.Z.size(); ++l)
        for (double z : net.Z[l].data) on.push_back(z > 0);
    return on;
}

}  // namespace

double relative_error(double analytic, double numeric) {
    const double scale = std::max({std::fabs(analytic), std::fabs(numeric), 1e-6});
    return std::fabs(analytic - numeric) / scale;
}

std::vector<GradCheckResult> check_layers(const BackwardPasses& passes, std::uint64_t seed) {
    Rng rng(seed);
    Workers one_thread(1);
    std::vector<GradCheckResult> results;
    const int N = 4, D = 5, H = 3, K = 10;

    // Dense: Z = X W + b with L = sum(Z * R), so dZ = R.
    {
        Matrix<double> X = random_matrix(N, D, -1, 1, rng);
        Matrix<double> W = random_matrix(D, H, -1, 1, rng);
        Matrix<double> b = random_matrix(1, H, -1, 1, rng);
        const Matrix<double> R = random_matrix(N, H, -1, 1, rng);
        Matrix<double> Z, dW, db, dX;
        passes.dense(X, W, R, dW, db, &dX, one_thread);
        auto loss = [&] {
            dense_forward(X, W, b, Z, one_thread);
            return weighted_sum(Z, R);
        };
        results.push_back(compare("dense", "weights", dW, numerical_gradient(W, loss)));
        results.push_back(compare("dense", "biases", db, numerical_gradient(b, loss)));
        results.push_back(compare("dense", "input", dX, numerical_gradient(X, loss)));
    }

    // ReLU: A = max(0, Z) with L = sum(A * R), so dA = R. Inputs are kept at least 1e-3 from
    // the kink at 0, a hundred times the step h, so z - h and z + h are always on one side.
    {
        Matrix<double> Z = random_matrix(N, 2 * H, -1, 1, rng);
        for (double& z : Z.data)
            if (std::fabs(z) < 1e-3) z = (z < 0 ? -1e-3 : 1e-3);
        const Matrix<double> R = random_matrix(N, 2 * H, -1, 1, rng);
        Matrix<double> A, dZ;
        passes.relu(Z, R, dZ);
        auto loss = [&] {
            relu_forward(Z, A);
            return weighted_sum(A, R);
        };
        results.push_back(compare("relu", "input", dZ, numerical_gradient(Z, loss)));
    }

    // Softmax with cross-entropy: the real loss, mean over the batch.
    {
        Matrix<double> logits = random_matrix(N, K, -3, 3, rng);
        const Matrix<double> Y = random_one_hot(N, K, rng);
        Matrix<double> probs, dlogits;
        softmax_forward(logits, probs);
        passes.softmax_cross_entropy(probs, Y, dlogits);
        auto loss = [&] { return cross_entropy_loss(logits, Y); };
        results.push_back(
            compare("softmax+cross-entropy", "logits", dlogits, numerical_gradient(logits, loss)));
    }
    return results;
}

std::vector<GradCheckResult> check_network(std::uint64_t seed) {
    Rng rng(seed);
    Workers one_thread(1);
    const int N = 3;
    Network<double> net = make_network<double>({6, 5, 4, 10}, rng);
    // Glorot leaves biases at zero; random ones make the check cover more than the origin.
    for (DenseLayer<double>& layer : net.layers)
        for (double& b : layer.b.data) b = 0.2 * (2 * rng.uniform() - 1);
    const Matrix<double> X = random_matrix(N, 6, 0, 1, rng);
    const Matrix<double> Y = random_one_hot(N, 10, rng);

    forward(net, X, one_thread);
    backward(net, X, Y, one_thread);

    std::vector<GradCheckResult> results;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const std::string name = "network layer " + std::to_string(l + 1);
        for (int which = 0; which < 2; ++which) {
            Matrix<double>& param = which == 0 ? net.layers[l].W : net.layers[l].b;
            const Matrix<double> analytic = which == 0 ? net.layers[l].dW : net.layers[l].db;
            // The same centred difference as numerical_gradient(), plus the kink test.
            Matrix<double> numeric(param.rows, param.cols);
            Matrix<double> kept(param.rows, param.cols);  // analytic, where comparable
            int skipped = 0;
            for (std::size_t i = 0; i < param.size(); ++i) {
                const double saved = param.data[i];
                param.data[i] = saved + kGradCheckStep;
                forward(net, X, one_thread);
                const double up = cross_entropy_loss(net.Z.back(), Y);
                const std::vector<bool> pattern_up = relu_pattern(net);
                param.data[i] = saved - kGradCheckStep;
                forward(net, X, one_thread);
                const double down = cross_entropy_loss(net.Z.back(), Y);
                const std::vector<bool> pattern_down = relu_pattern(net);
                param.data[i] = saved;
                numeric.data[i] = (up - down) / (2 * kGradCheckStep);
                kept.data[i] = analytic.data[i];
                if (pattern_up != pattern_down) {  // straddles a kink: not comparable
                    numeric.data[i] = kept.data[i] = 0;
                    ++skipped;
                }
            }
            GradCheckResult r = compare(name, which == 0 ? "weights" : "biases", kept, numeric);
            r.skipped_at_kinks = skipped;
            results.push_back(r);
        }
    }
    return results;
}
