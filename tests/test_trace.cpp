// test_trace: `./mnist trace` against the same training step worked out here, independently,
// with plain scalar loops that share no code with layers.cpp, network.cpp or rmsprop.cpp.
//
// The trace prints each matrix under a header "NAME (rows x cols)  formula", one row per line,
// 6 significant digits. We read every matrix back and compare it with our own numbers to the
// precision printed: a relative 1e-5, and zeros exactly.
#include <cmath>
#include <map>
#include <regex>
#include <sstream>
#include <vector>

#include "check.h"
#include "process.h"

namespace {

// Every matrix in the output, by name, row-major.
std::map<std::string, std::vector<double>> read_matrices(const std::string& out) {
    std::map<std::string, std::vector<double>> found;
    std::istringstream lines(out);
    std::string line;
    const std::regex header(R"(^(\S+) \((\d+) x (\d+)\))");
    std::smatch m;
    while (std::getline(lines, line)) {
        if (!std::regex_search(line, m, header)) continue;
        const std::string name = m[1];
        const int rows = std::stoi(m[2]), cols = std::stoi(m[3]);
        std::vector<double> values;
        for (int r = 0; r < rows && std::getline(lines, line); ++r) {
            std::istringstream numbers(line);
            double x;
            while (numbers >> x) values.push_back(x);
        }
        if (static_cast<int>(values.size()) == rows * cols) found[name] = values;
    }
    return found;
}

// The number at the end of the line that starts with `prefix`, or NaN.
double scalar_after(const std::string& out, const std::string& prefix) {
    const std::size_t at = out.find(prefix);
    if (at == std::string::npos) return NAN;
    const std::size_t end = out.find('\n', at);
    const std::string line = out.substr(at, end - at);
    return std::stod(line.substr(line.rfind(' ') + 1));
}

void expect_matrix(const std::map<std::string, std::vector<double>>& printed,
                   const std::string& name, const std::vector<double>& expected) {
    const auto it = printed.find(name);
    check::expect(it != printed.end(), "the trace prints " + name);
    if (it == printed.end()) return;
    check::equal(static_cast<long long>(it->second.size()), static_cast<long long>(expected.size()),
                 name + ": number of values");
    for (std::size_t i = 0; i < expected.size() && i < it->second.size(); ++i)
        check::near(it->second[i], expected[i], 1e-5 * std::fabs(expected[i]),
                    name + "[" + std::to_string(i) + "]");
}

// The worked example: the same 4-3-2 network as src/trace_command.cpp, kept in plain arrays.
struct Tiny {
    double x[4] = {1.0, 0.5, 0.0, 2.0};
    double W0[4][3] = {{0.2, -0.3, 0.1}, {0.4, 0.1, -0.5}, {-0.2, 0.3, 0.2}, {0.1, -0.1, 0.3}};
    double b0[3] = {0.1, 0.0, -0.2};
    double W1[3][2] = {{0.5, -0.4}, {0.3, 0.2}, {-0.6, 0.8}};
    double b1[2] = {0.0, 0.1};
    int label = 1;

    // Forward, one scalar at a time.
    double z0[3], a0[3], z1[2], p[2];
    double forward() {
        for (int h = 0; h < 3; ++h) {
            z0[h] = b0[h];
            for (int d = 0; d < 4; ++d) z0[h] += x[d] * W0[d][h];
            a0[h] = z0[h] > 0 ? z0[h] : 0;
        }
        for (int k = 0; k < 2; ++k) {
            z1[k] = b1[k];
            for (int h = 0; h < 3; ++h) z1[k] += a0[h] * W1[h][k];
        }
        const double e0 = std::exp(z1[0]), e1 = std::exp(z1[1]);
        p[0] = e0 / (e0 + e1);
        p[1] = e1 / (e0 + e1);
        return -std::log(p[label]);
    }
};

// RMSProp from v = 0, Keras' defaults: v = 0.1 g^2, w -= 0.001 g / (sqrt(v) + 1e-7).
double rmsprop_v(double g) { return 0.1 * g * g; }
double rmsprop_step(double g) { return -0.001 * g / (std::sqrt(rmsprop_v(g)) + 1e-7); }

}  // namespace

int main() {
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-trace");
    const ProgramRun run = run_mnist("trace", scratch);
    check::equal(run.exit_code, 0, "./mnist trace exit code (stderr: " + run.err + ")");
    const auto printed = read_matrices(run.out);

    Tiny t;
    const double loss = t.forward();
    // By hand, for the record: Z0 = [0.2 + 0.2 + 0 + 0.2 + 0.1, -0.3 + 0.05 - 0.2, 0.1 - 0.25
    // + 0.6 - 0.2] = [0.7, -0.45, 0.25]; A0 = [0.7, 0, 0.25]; Z1 = [0.35 - 0.15, -0.28 + 0.2 +
    // 0.1] = [0.2, 0.02]; P[1] = 1 / (1 + e^0.18) = 0.455121; L = -log 0.455121 = 0.787192.
    check::near(t.z0[1], -0.45, 1e-12, "our own Z0[1]");
    check::near(t.z1[0], 0.2, 1e-12, "our own Z1[0]");
    check::near(loss, 0.787192, 1e-6, "our own loss");

    expect_matrix(printed, "X", {1.0, 0.5, 0.0, 2.0});
    expect_matrix(printed, "Y", {0, 1});
    expect_matrix(printed, "Z0", {t.z0[0], t.z0[1], t.z0[2]});
    expect_matrix(printed, "A0", {t.a0[0], t.a0[1], t.a0[2]});
    expect_matrix(printed, "Z1", {t.z1[0], t.z1[1]});
    expect_matrix(printed, "P", {t.p[0], t.p[1]});
    check::near(scalar_after(run.out, "loss L = "), loss, 1e-5 * loss, "printed loss");

    // Backward. dL/dZ1 = P - Y (N = 1); the rest is the chain rule, element by element.
    double dz1[2], dW1[3][2], da0[3], dz0[3], dW0[4][3];
    for (int k = 0; k < 2; ++k) dz1[k] = t.p[k] - (k == t.label ? 1 : 0);
    for (int h = 0; h < 3; ++h) {
        da0[h] = 0;
        for (int k = 0; k < 2; ++k) {
            dW1[h][k] = t.a0[h] * dz1[k];  // Z1[k] = sum_h A0[h] W1[h][k] + b1[k]
            da0[h] += dz1[k] * t.W1[h][k];
        }
        dz0[h] = t.z0[h] > 0 ? da0[h] : 0;  // A0[h] = max(0, Z0[h])
    }
    for (int d = 0; d < 4; ++d)
        for (int h = 0; h < 3; ++h) dW0[d][h] = t.x[d] * dz0[h];  // Z0[h] = sum_d x[d] W0[d][h] + b0[h]

    std::vector<double> expect_dW1, expect_dW0, expect_dz0(dz0, dz0 + 3);
    for (auto& row : dW1) expect_dW1.insert(expect_dW1.end(), row, row + 2);
    for (auto& row : dW0) expect_dW0.insert(expect_dW0.end(), row, row + 3);
    expect_matrix(printed, "dZ1", {dz1[0], dz1[1]});
    expect_matrix(printed, "dW1", expect_dW1);
    expect_matrix(printed, "db1", {dz1[0], dz1[1]});
    expect_matrix(printed, "dA0", {da0[0], da0[1], da0[2]});
    expect_matrix(printed, "dZ0", expect_dz0);
    expect_matrix(printed, "dW0", expect_dW0);
    expect_matrix(printed, "db0", expect_dz0);

    // RMSProp, and the new weights, which we also put into t to run the example again.
    std::vector<double> vW0, stepW0, newW0, vW1, stepW1, newW1, vb0, stepb0, newb0, vb1, stepb1, newb1;
    for (int d = 0; d < 4; ++d)
        for (int h = 0; h < 3; ++h) {
            vW0.push_back(rmsprop_v(dW0[d][h]));
            stepW0.push_back(rmsprop_step(dW0[d][h]));
            newW0.push_back(t.W0[d][h] += rmsprop_step(dW0[d][h]));
        }
    for (int h = 0; h < 3; ++h) {
        vb0.push_back(rmsprop_v(dz0[h]));
        stepb0.push_back(rmsprop_step(dz0[h]));
        newb0.push_back(t.b0[h] += rmsprop_step(dz0[h]));
        for (int k = 0; k < 2; ++k) {
            vW1.push_back(rmsprop_v(dW1[h][k]));
            stepW1.push_back(rmsprop_step(dW1[h][k]));
            newW1.push_back(t.W1[h][k] += rmsprop_step(dW1[h][k]));
        }
    }
    for (int k = 0; k < 2; ++k) {
        vb1.push_back(rmsprop_v(dz1[k]));
        stepb1.push_back(rmsprop_step(dz1[k]));
        newb1.push_back(t.b1[k] += rmsprop_step(dz1[k]));
    }
    expect_matrix(printed, "vW0", vW0);
    expect_matrix(printed, "stepW0", stepW0);
    expect_matrix(printed, "W0'", newW0);
    expect_matrix(printed, "vb0", vb0);
    expect_matrix(printed, "stepb0", stepb0);
    expect_matrix(printed, "b0'", newb0);
    expect_matrix(printed, "vW1", vW1);
    expect_matrix(printed, "stepW1", stepW1);
    expect_matrix(printed, "W1'", newW1);
    expect_matrix(printed, "vb1", vb1);
    expect_matrix(printed, "stepb1", stepb1);
    expect_matrix(printed, "b1'", newb1);

    // The step must have helped: the same example through the new weights has a lower loss.
    const double new_loss = t.forward();
    expect_matrix(printed, "P'", {t.p[0], t.p[1]});
    check::near(scalar_after(run.out, "loss L' = "), new_loss, 1e-5 * new_loss, "printed loss after");
    check::expect(new_loss < loss, "one RMSProp step lowers the loss on its own example");

    // The trace takes no options; anything else is a usage error.
    const ProgramRun extra = run_mnist("trace --epochs 3", scratch);
    check::equal(extra.exit_code, 2, "'trace --epochs 3' exit code");
    check::contains(extra.err, "trace: unexpected argument '--epochs'", "'trace --epochs 3' message");
    const ProgramRun help = run_mnist("trace --help", scratch);
    check::equal(help.exit_code, 0, "'trace --help' exit code");
    check::contains(help.out, "usage: ./mnist trace", "'trace --help' text");

    std::filesystem::remove_all(scratch);
    return check::summary("test_trace");
}
