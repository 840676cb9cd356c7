// test_health: the --verbose training-health numbers on a 2-2-10 network small enough to work
// out by hand, and a check that measuring them changes nothing in the training.
#include <cmath>
#include <regex>

#include "check.h"
#include "health.h"
#include "process.h"

int main() {

    // Three 1x2 "images": pixels (255, 0), (0, 255), (255, 255), i.e. x = (1,0), (0,1), (1,1),
    // labelled 0, 1, 0.
    Dataset d;
    d.count = 3;
    d.rows = 1;
    d.cols = 2;
    d.pixels = {255, 0, 0, 255, 255, 255};
    d.labels = {0, 1, 0};

    // Hidden unit 0 computes x0 + x1 > 0 for every image: alive. Unit 1 computes -(x0 + x1) < 0
    // for every image: dead. The output layer has the program's K = 10 classes (gather_batch
    // makes 10-wide one-hot rows); its weights copy unit 0 to logit 0 and unit 1 to logit 1, so
    // the logits are (a, 0, 0, ..., 0) with a = x0 + x1.
    Rng rng(1);
    Network<float> net = make_network<float>({2, 2, 10}, rng);
    net.layers[0].W.data = {1, -1, 1, -1};
    net.layers[0].b.data = {0, 0};
    net.layers[1].W = Matrix<float>(2, 10);
    net.layers[1].W(0, 0) = 1;
    net.layers[1].W(1, 1) = 1;
    net.layers[1].b = Matrix<float>(1, 10);
    Optimizer optimizer(net, OptimizerSettings{});
    const Network<float> before = net;

    const std::vector<LayerHealth> h = measure_health(net, optimizer, d, 64);
    check::equal(static_cast<long long>(h.size()), 2, "one entry per dense layer");
    if (h.size() != 2) return check::summary("test_health");

    check::equal(h[0].dead_units, 1, "layer 1: one dead unit of two");
    check::equal(h[0].units, 2, "layer 1: two units");
    check::equal(h[1].dead_units, -1, "the output layer has no ReLU to die");
    check::near(h[0].weight_norm, 2.0, 1e-12, "|W0| = sqrt(1 + 1 + 1 + 1)");
    check::near(h[1].weight_norm, std::sqrt(2.0), 1e-7, "|W1| = sqrt(1 + 1)");

    // The gradient, worked out here with scalars, for the batch of all three images (the
    // batch size, 64, is more than there are). a = x0 + x1 = (1, 1, 2); P is the softmax of
    // (a, 0, ..., 0): p0 = e^a / (e^a + 9), every other p_k = 1 / (e^a + 9); dZ1 = (P - Y) / 3.
    const double x[3][2] = {{1, 0}, {0, 1}, {1, 1}};
    const int label[3] = {0, 1, 0};
    double dz1[3][10], a[3];
    for (int n = 0; n < 3; ++n) {
        a[n] = x[n][0] + x[n][1];
        const double sum = std::exp(a[n]) + 9;
        for (int k = 0; k < 10; ++k) dz1[n][k] = ((k == 0 ? std::exp(a[n]) : 1.0) / sum - (label[n] == k)) / 3;
    }
    // dW1 = A0^T dZ1: row 0 is sum_n a[n] dz1[n][:]; row 1 is 0 (the dead unit's A is 0).
    double dW1[10] = {}, dW1_squares = 0;
    for (int k = 0; k < 10; ++k) {
        for (int n = 0; n < 3; ++n) dW1[k] += a[n] * dz1[n][k];
        dW1_squares += dW1[k] * dW1[k];
    }
    // dA0 = dZ1 W1^T: column 0 is dz1[:][0] (W1[0] picks logit 0), column 1 is dz1[:][1], but
    // the ReLU stops column 1 (unit 1 was never on). dW0 = X^T dZ0: only column 0 is not zero,
    // dW0[i][0] = sum_n x[n][i] dz1[n][0].
    double dW0_00 = 0, dW0_10 = 0;
    for (int n = 0; n < 3; ++n) {
        dW0_00 += x[n][0] * dz1[n][0];
        dW0_10 += x[n][1] * dz1[n][0];
    }
    check::near(h[1].gradient_norm, std::sqrt(dW1_squares), 1e-6, "|dW1|");
    check::near(h[0].gradient_norm, std::hypot(dW0_00, dW0_10), 1e-6, "|dW0|");

    // A fresh RMSProp moves a weight with gradient g by lr g / (sqrt(0.1 g^2) + eps), about
    // lr / sqrt(0.1) = 0.0031623 whatever g is: 2 weights move in layer 1, 10 in layer 2.
    auto step = [](double g) { return 0.001 * g / (std::sqrt(0.1 * g * g) + 1e-7); };
    double moved1 = 0;
    for (int k = 0; k < 10; ++k) moved1 += step(dW1[k]) * step(dW1[k]);
    check::near(h[0].step_ratio, std::hypot(step(dW0_00), step(dW0_10)) / 2.0, 1e-6, "layer 1 step/|W|");
    check::near(h[1].step_ratio, std::sqrt(moved1) / std::sqrt(2.0), 1e-6, "layer 2 step/|W|");
    check::near(h[1].step_ratio, 0.0031623 * std::sqrt(10.0) / std::sqrt(2.0), 1e-5,
                "layer 2: about 0.0031623 sqrt(10) / sqrt(2)");

    // Measuring worked on copies: the network and the optimizer are as they were.
    bool unchanged = true;
    for (std::size_t l = 0; l < net.layers.size(); ++l)
        unchanged = unchanged && net.layers[l].W.data == before.layers[l].W.data &&
                    net.layers[l].b.data == before.layers[l].b.data &&
                    optimizer.v_W[l].data == std::vector<float>(optimizer.v_W[l].size(), 0.0f);
    check::expect(unchanged, "measure_health leaves the network and the optimizer untouched");

    const std::string line = format_health(h);
    check::contains(line, "|W| 2.00 1.41", "the line: weight norms by layer");
    check::contains(line, "dead ReLUs 1/2\n", "the line: dead units of the hidden layer");
    LayerHealth output_only;
    output_only.weight_norm = 1;
    check::expect(format_health({output_only}).find("dead") == std::string::npos,
                  "no dead-ReLU part for a network without hidden layers");

    // The real program: one health line per epoch, and exactly the same run as without it.
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-health");
    write_tiny_dataset(scratch, 600, 100);
    const std::string args = "--data '" + scratch.string() + "' --valid 100 --epochs 3 --batch 16 --hidden 32,16 ";
    const ProgramRun quiet = run_mnist(args + "--report '" + (scratch / "a.json").string() + "'", scratch);
    const ProgramRun verbose = run_mnist(args + "--verbose --report '" + (scratch / "b.json").string() + "'", scratch);
    check::equal(verbose.exit_code, 0, "--verbose run exit code (stderr: " + verbose.err + ")");
    const std::regex health_line(R"(  health by layer: \|W\| [0-9.]+ [0-9.]+ [0-9.]+ - \|dW\| .* - step/\|W\| .* - dead ReLUs \d+/32 \d+/16\n)");
    const long lines = std::distance(std::sregex_iterator(verbose.out.begin(), verbose.out.end(), health_line),
                                     std::sregex_iterator());
    check::equal(lines, 3, "one health line per epoch, three layers, two hidden");
    check::expect(quiet.out.find("health by layer") == std::string::npos, "no health line without --verbose");
    const std::regex seconds("\"seconds\": [0-9.e+-]+");
    check::equal(std::regex_replace(read_text(scratch / "b.json"), seconds, ""),
                 std::regex_replace(read_text(scratch / "a.json"), seconds, ""),
                 "--verbose trains exactly the same network");
    const ProgramRun valued = run_mnist("--verbose=yes", scratch);
    check::equal(valued.exit_code, 2, "--verbose takes no value: exit code");
    check::contains(valued.err, "--verbose takes no value", "--verbose=yes message");
    std::filesystem::remove_all(scratch);
    return check::summary("test_health");
}
