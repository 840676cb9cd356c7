// test_epoch: the numbers the training loop, evaluate() and the mistakes list report, recounted
// one example at a time by code written here.
//
// The loop measures each batch's loss and accuracy during its forward pass and averages them
// over the epoch, weighted by batch size (train.h). Recounting that independently means
// replaying the epoch: the same shuffle, and before each batch's update, every example of the
// batch through the network on its own, its loss worked out here from the logits in double. The
// sizes are chosen so that nothing divides evenly: 203 training images in batches of 16 (the
// last one holds 11), and 2,345 images to evaluate in evaluate()'s batches of 1,000 (the last
// one holds 345), so that a mean over batches instead of over images, a batch-local index
// instead of a global one, or a last batch that is dropped or overrun, each gives a different
// number from the recount.
#include <algorithm>
#include <cmath>

#include "check.h"
#include "mistakes.h"
#include "train.h"

namespace {

// `count` images of 3x4 pixels; the label is the brightest of the first 10 pixels, a rule a
// small network learns within an epoch, so that accuracy moves and mistakes are not rare.
Dataset synthetic(int count, std::uint64_t seed) {
    Dataset d;
    d.count = count;
    d.rows = 3;
    d.cols = 4;
    Rng rng(seed);
    for (int i = 0; i < count; ++i) {
        int best = 0;
        for (int p = 0; p < 12; ++p) {
            d.pixels.push_back(static_cast<std::uint8_t>(rng.below(256)));
            if (p < 10 && d.pixels.back() > d.pixels[static_cast<std::size_t>(i) * 12 + best]) best = p;
        }
        d.labels.push_back(static_cast<std::uint8_t>(best));
    }
    return d;
}

// One image through the network on its own, as the recount sees it.
struct Single {
    double loss = 0;        // -log P(label), from the logits in double
    int predicted = 0;      // the first class of largest probability
    double confidence = 0;  // P(predicted), as the network computed it
    double truth_probability = 0;
};

Single one_image(Network<float>& net, const Dataset& d, int example) {
    Matrix<float> x(1, d.pixels_per_image());
    for (int j = 0; j < x.cols; ++j)
        x(0, j) = d.pixels[static_cast<std::size_t>(example) * x.cols + j] / 255.0f;
    const Matrix<float>& probs = forward(net, x);
    const Matrix<float>& logits = net.Z.back();
    double largest = logits(0, 0);
    for (int k = 1; k < logits.cols; ++k) largest = std::max(largest, double(logits(0, k)));
    double sum = 0;
    for (int k = 0; k < logits.cols; ++k) sum += std::exp(double(logits(0, k)) - largest);
    Single s;
    const int label = d.labels[example];
    s.loss = -((double(logits(0, label)) - largest) - std::log(sum));
    for (int k = 1; k < probs.cols; ++k)
        if (probs(0, k) > probs(0, s.predicted)) s.predicted = k;
    s.confidence = probs(0, s.predicted);
    s.truth_probability = probs(0, label);
    return s;
}

bool same_parameters(const Network<float>& a, const Network<float>& b) {
    for (std::size_t l = 0; l < a.layers.size(); ++l)
        if (a.layers[l].W.data != b.layers[l].W.data || a.layers[l].b.data != b.layers[l].b.data) return false;
    return true;
}

// Two epochs of train_epoch() against a replay that counts every image on its own. Returns the
// trained network, for the evaluation checks.
Network<float> epochs_recounted() {
    const Dataset train = synthetic(203, 1);
    const int batch = 16, steps = 13;  // ceil(203 / 16); the last batch holds 203 - 12 * 16 = 11
    Rng init(4);
    Network<float> net = make_network<float>({12, 16, 10}, init);
    Network<float> replay = net;
    OptimizerSettings settings;
    settings.learning_rate = 0.01;
    Optimizer optimizer(net, settings), replay_optimizer(replay, settings);
    std::vector<int> order = identity_order(train.count), replay_order = order;
    Rng rng(7), replay_rng(7);

    for (int epoch = 1; epoch <= 2; ++epoch) {
        // What the loop reports after each step: the running means of the epoch so far.
        std::vector<double> step_loss, step_accuracy;
        std::vector<int> step_numbers;
        const EpochResult e = train_epoch(net, optimizer, RegularizationSettings{}, train, order, batch, epoch, rng,
                                          [&](int step, int total, double loss, double accuracy) {
                                              step_numbers.push_back(step);
                                              check::equal(total, steps, "steps per epoch, as the callback sees them");
                                              step_loss.push_back(loss);
                                              step_accuracy.push_back(accuracy);
                                          });

        // The replay: the same shuffle, then per batch every image alone, then the update.
        shuffle(replay_order, replay_rng);
        double loss_sum = 0;
        int correct = 0, seen = 0, step = 0;
        Matrix<float> X, Y;
        for (int first = 0; first < train.count; first += batch, ++step) {
            const int n = std::min(batch, train.count - first);
            for (int i = 0; i < n; ++i) {
                const int example = replay_order[first + i];
                const Single s = one_image(replay, train, example);
                loss_sum += s.loss;
                correct += s.predicted == train.labels[example];
                ++seen;
            }
            const std::string at = "epoch " + std::to_string(epoch) + ", step " + std::to_string(step + 1);
            if (step < static_cast<int>(step_loss.size())) {
                check::equal(step_numbers[step], step + 1, at + ": the step number passed on");
                check::near(step_loss[step], loss_sum / seen, 1e-5, at + ": running mean loss over the images so far");
                check::near(step_accuracy[step], double(correct) / seen, 1e-12,
                            at + ": running accuracy over the images so far");
            }
            gather_batch(train, replay_order, first, n, X, Y);
            forward(replay, X);
            backward(replay, X, Y);
            replay_optimizer.step(replay);
        }
        const std::string name = "epoch " + std::to_string(epoch);
        check::equal(static_cast<long long>(step_loss.size()), steps, name + ": one callback per step");
        check::equal(e.epoch, epoch, name + ": the epoch number reported");
        check::near(e.loss, loss_sum / train.count, 1e-5, name + ": loss = mean over all 203 images, recounted");
        check::near(e.accuracy, double(correct) / train.count, 1e-12,
                    name + ": accuracy = share of the 203 images right, recounted (" + std::to_string(correct) + ")");
        check::expect(order == replay_order, name + ": the order is reshuffled from the last epoch's, as replayed");
        check::expect(same_parameters(net, replay), name + ": the weights after the epoch are the replay's, bit for bit");
        check::near(e.learning_rate, 0.01, 0, name + ": the learning rate reported");
    }
    return net;
}

void evaluation_recounted(Network<float>& net) {
    const Dataset d = synthetic(2345, 2);
    double loss_sum = 0;
    int correct = 0;
    ConfusionMatrix expected;
    std::vector<Mistake> mistakes;
    for (int i = 0; i < d.count; ++i) {
        const Single s = one_image(net, d, i);
        loss_sum += s.loss;
        correct += s.predicted == d.labels[i];
        expected.add(d.labels[i], s.predicted);
        if (s.predicted != d.labels[i])
            mistakes.push_back({i, d.labels[i], s.predicted, s.confidence, s.truth_probability});
    }
    check::expect(correct > 300 && correct < 2300, "the network is neither useless nor perfect (" +
                                                       std::to_string(correct) + " of 2345 right)");

    const Evaluation e = evaluate(net, d);
    check::near(e.loss, loss_sum / d.count, 1e-5, "evaluate: loss = mean over all 2,345 images, recounted");
    check::near(e.accuracy, double(correct) / d.count, 1e-12, "evaluate: accuracy over all 2,345 images, recounted");
    check::equal(e.confusion.total(), d.count, "evaluate: every image counted once");
    int cells_wrong = 0;
    for (int t = 0; t < kClasses; ++t)
        for (int p = 0; p < kClasses; ++p) cells_wrong += e.confusion.at(t, p) != expected.at(t, p);
    check::equal(cells_wrong, 0, "evaluate: confusion cells that differ from the recount");

    // The mistakes: all of them with the surest first (ties keep index order), then a limit.
    std::stable_sort(mistakes.begin(), mistakes.end(),
                     [](const Mistake& a, const Mistake& b) { return a.confidence > b.confidence; });
    const std::vector<Mistake> seen = most_confident_mistakes(net, d, -1);
    check::equal(static_cast<long long>(seen.size()), static_cast<long long>(mistakes.size()),
                 "mistakes: one per wrong answer over all 2,345 images");
    int late = 0;  // mistakes past the first batch of 1,000: where a batch-local index shows
    for (std::size_t i = 0; i < std::min(seen.size(), mistakes.size()); ++i) {
        const std::string at = "mistake " + std::to_string(i + 1);
        check::equal(seen[i].index, mistakes[i].index, at + ": image index in the whole data set");
        check::equal(seen[i].truth, mistakes[i].truth, at + ": true label");
        check::equal(seen[i].predicted, mistakes[i].predicted, at + ": predicted label");
        check::near(seen[i].confidence, mistakes[i].confidence, 1e-6, at + ": confidence");
        check::near(seen[i].truth_probability, mistakes[i].truth_probability, 1e-6, at + ": probability of the truth");
        late += mistakes[i].index >= 1000;
    }
    check::expect(late > 0, "some mistakes lie past image 1,000, so the index is really tested");
    const std::vector<Mistake> five = most_confident_mistakes(net, d, 5);
    check::equal(static_cast<long long>(five.size()), 5, "mistakes: the limit");
    check::expect(!five.empty() && five[0].index == mistakes[0].index, "mistakes: the limit keeps the surest");
}

}  // namespace

int main() {
    Network<float> net = epochs_recounted();
    evaluation_recounted(net);
    return check::summary("test_epoch");
}
