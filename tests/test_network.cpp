// test_network: the forward pass on numbers worked out by hand, the untrained network's loss,
// learning on one fixed batch, and identical results for any number of threads.
#include <cmath>

#include "check.h"
#include "network.h"
#include "fast_matrix.h"
#include "optimizers.h"

int main() {

    // A 2-2-2 network with hand-set weights.
    //   X = [1 2]
    //   layer 1: W = [1 -1; 0.5 1], b = [0 0.5]
    //            Z0 = [1*1 + 2*0.5 + 0,  1*(-1) + 2*1 + 0.5] = [2  1.5];  A0 = relu(Z0) = [2  1.5]
    //   layer 2: W = [1 0; 0 -1], b = [0 0]
    //            logits = [2  -1.5]
    //   softmax: p0 = 1 / (1 + e^-3.5) = 0.970687769,  p1 = 0.029312231
    //   label 0: loss = -log(0.970687769) = 0.029750418
    {
        Rng rng(0);
        Network<double> net = make_network<double>({2, 2, 2}, rng);
        net.layers[0].W.data = {1, -1, 0.5, 1};
        net.layers[0].b.data = {0, 0.5};
        net.layers[1].W.data = {1, 0, 0, -1};
        net.layers[1].b.data = {0, 0};
        Matrix<double> X(1, 2), Y(1, 2);
        X.data = {1, 2};
        Y.data = {1, 0};
        const Matrix<double>& P = forward(net, X);
        check::near(net.Z[0](0, 0), 2.0, 1e-12, "Z0[0]");
        check::near(net.Z[0](0, 1), 1.5, 1e-12, "Z0[1]");
        check::near(net.Z[1](0, 1), -1.5, 1e-12, "logit 1");
        check::near(P(0, 0), 0.970687769, 1e-9, "p0");
        check::near(P(0, 1), 0.029312231, 1e-9, "p1");
        check::near(cross_entropy_loss(net.Z[1], Y), 0.029750418, 1e-9, "loss");
        check::equal(predicted_class(P, 0), 0, "predicted class");

        // A negative pre-activation is cut by the ReLU.
        X.data = {-4, 1};  // Z0 = [-4 + 0.5, 4 + 1 + 0.5] = [-3.5  5.5] -> A0 = [0  5.5]
        forward(net, X);
        check::near(net.A[0](0, 0), 0.0, 0, "ReLU cuts a negative unit");
        check::near(net.A[0](0, 1), 5.5, 1e-12, "ReLU passes a positive unit");
    }

    // An untrained network knows nothing, so it gives each of the 10 classes about 1/10 and its
    // loss is about -log(1/10) = ln 10 = 2.3026. (Glorot's small random weights make the
    // logits small, not zero, so only roughly: we allow 0.3.)
    Rng rng(42);
    Network<float> net = make_network<float>({784, 128, 128, 10}, rng);
    check::equal(net.parameter_count(), 784 * 128 + 128 + 128 * 128 + 128 + 128 * 10 + 10,
                 "parameter count of 784-128-128-10");
    const int N = 32;
    Matrix<float> X(N, 784), Y(N, 10);
    for (float& x : X.data) x = static_cast<float>(rng.uniform());
    for (int n = 0; n < N; ++n) Y(n, n % 10) = 1;
    forward(net, X);
    const double initial_loss = cross_entropy_loss(net.Z.back(), Y);
    check::near(initial_loss, std::log(10.0), 0.3, "untrained loss is about ln 10");

    // Glorot bounds: every weight of the first layer lies within sqrt(6 / (784 + 128)).
    float largest = 0;
    for (float w : net.layers[0].W.data) largest = std::max(largest, std::fabs(w));
    check::expect(largest <= std::sqrt(6.0f / 912) && largest > 0.9f * std::sqrt(6.0f / 912),
                  "Glorot uniform range of layer 1");

    // Training on one fixed batch must drive its loss down: after 50 RMSProp steps the network
    // has memorised these 32 random "images".
    Network<float> copy = net;
    Optimizer optimizer(net, OptimizerSettings{});
    double loss = initial_loss;
    for (int step = 0; step < 50; ++step) {
        forward(net, X);
        loss = cross_entropy_loss(net.Z.back(), Y);
        backward(net, X, Y);
        optimizer.step(net);
    }
    check::expect(loss < 0.1 * initial_loss,
                  "loss on a fixed batch falls tenfold in 50 steps (from " +
                      std::to_string(initial_loss) + " to " + std::to_string(loss) + ")");

    // The same steps with two threads give bit-identical weights: each output element is
    // computed by one thread, in the same order (parallel.h).
    Workers two(2);
    use_kernels(Kernels::fast, &two);
    Optimizer optimizer2(copy, OptimizerSettings{});
    for (int step = 0; step < 50; ++step) {
        forward(copy, X);
        backward(copy, X, Y);
        optimizer2.step(copy);
    }
    bool identical = true;
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        identical = identical && net.layers[l].W.data == copy.layers[l].W.data &&
                    net.layers[l].b.data == copy.layers[l].b.data;
    check::expect(identical, "1 and 2 threads give bit-identical weights after 50 steps");

    return check::summary("test_network");
}
