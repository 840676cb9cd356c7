// test_train: the real pipeline on a slice of real MNIST: load, split, train two epochs,
// evaluate. It must learn far above chance (10%) within seconds.
#include "check.h"
#include "fast_matrix.h"
#include "train.h"

int main() {
    MnistData data = load_mnist(MNIST_DATA_DIR);
    // Keep it quick: 6,000 training images (after 1,000 for validation) and 2,000 test images.
    data.train.count = 7000;
    data.train.pixels.resize(7000u * 784);
    data.train.labels.resize(7000);
    data.test.count = 2000;
    data.test.pixels.resize(2000u * 784);
    data.test.labels.resize(2000);
    const Split split = split_validation(std::move(data), 1000);
    check::equal(split.train.count, 6000, "training images after the split");
    check::equal(split.valid.count, 1000, "validation images");

    Rng rng(42);
    Network<float> net = make_network<float>({784, 128, 128, 10}, rng);
    Optimizer optimizer(net, OptimizerSettings{});
    Workers workers(2);
    use_kernels(Kernels::fast, &workers);
    std::vector<int> order = identity_order(split.train.count);

    double previous_loss = 1e9;
    for (int epoch = 1; epoch <= 2; ++epoch) {
        int calls = 0;
        const EpochResult e = train_epoch(net, optimizer, RegularizationSettings{}, split.train, order, 64,
                                          epoch, rng,
                                          [&](int, int, double, double) { ++calls; });
        check::equal(calls, 94, "one progress call per step: ceil(6000 / 64) = 94");
        check::expect(e.loss < previous_loss, "training loss falls, epoch " + std::to_string(epoch));
        previous_loss = e.loss;
    }

    const Evaluation test = evaluate(net, split.test);
    check::expect(test.accuracy > 0.88, "test accuracy after 2 short epochs above 88% (saw " +
                                            std::to_string(test.accuracy) + ")");
    check::expect(test.loss < 0.45, "test loss below 0.45 (saw " + std::to_string(test.loss) + ")");

    // The confusion matrix counts each test image exactly once, in its true label's row.
    check::equal(test.confusion.total(), 2000, "confusion matrix total");
    std::vector<long> per_class(10, 0);
    for (int i = 0; i < split.test.count; ++i) ++per_class[split.test.labels[i]];
    for (int k = 0; k < 10; ++k)
        check::equal(test.confusion.row_total(k), per_class[k], "confusion row " + std::to_string(k));

    return check::summary("test_train");
}
