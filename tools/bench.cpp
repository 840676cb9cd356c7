// bench.cpp: how fast is the trainer, and how far is it from what the machine could do?
//
// `make bench` builds this program into build/bench and runs it twice, once for the default
// network (784-128-128-10) and once for a wide one (784-512-512-10), each in a fresh process so
// that each gets its own peak-memory figure. It is not part of ./mnist and not part of
// `make test`: timings depend on the machine and on whatever else runs on it, so they are
// measured here and written down in docs/performance.md, never asserted by a test.
//
// It takes the same options as ./mnist (--hidden, --batch, --threads, --data, --seed...) and
// measures that configuration the way ./mnist runs it, with the same functions:
//
//   data load      load_mnist + split_validation: reading and checking the four IDX files
//   epoch          train_epoch over the 50,000 training images (forward, backward, RMSProp)
//   evaluation     evaluate() on the 10,000 test images (forward passes only)
//   peak memory    the largest resident set of this process (getrusage's ru_maxrss): data,
//                  network, optimizer state and every scratch buffer, as ./mnist holds them
//
// --epochs N (default 5 here, not 21) is how many timed epochs, evaluations and loads are
// measured; each figure printed is the median of its N measurements, which shrugs off the odd
// slow run when another program takes the core for a moment.
//
// It also counts the arithmetic. A matrix product C = A B with A: N x D and B: D x H is
// N*D*H multiply-adds, 2 floating-point operations (FLOP) each; this is the "dense" count,
// what any library would do. Our products skip a multiply-add whenever the number taken from
// A is exactly zero (a blank pixel, a silent ReLU: see matrix.cpp), so they do less. The
// "done" count is what they actually did, counted from the zeros of every batch. Work per
// second is then given both ways, against the machine's peak (see measure_clock_ghz and
// peak_flops_per_cycle below for where that comes from).
//
// Read next: docs/performance.md, which explains these numbers.
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli.h"
#include "errors.h"
#include "train.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Processor time used so far by every thread of this process (user + system), in seconds. With
// one thread it hardly changes when other programs share the machine, unlike the wall clock,
// which also counts the time spent waiting for a core: a steadier figure to compare versions.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
           1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
}

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// ---- Counting the arithmetic -----------------------------------------------------------------

long count_nonzero(const std::vector<float>& values) {
    long count = 0;
    for (float v : values) count += (v != 0);
    return count;
}

long count_nonzero_pixels(const Dataset& d) {
    long count = 0;
    for (std::uint8_t p : d.pixels) count += (p != 0);
    return count;
}

// Multiply-adds of one training step on a batch of n images, for the layer sizes of `net`,
// as a dense implementation does them. For a layer of D inputs and H outputs:
//   forward  Z = X W          n*D*H
//   backward dW = X^T dZ      n*D*H
//            dX = dZ W^T      n*D*H    (not for the first layer: nobody needs d(image))
double dense_step_multiply_adds(const Network<float>& net, int n) {
    double total = 0;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const double DH = double(net.layers[l].W.rows) * net.layers[l].W.cols;
        total += (l == 0 ? 2 : 3) * n * DH;
    }
    return total;
}

// The multiply-adds our products really did in the step whose cache `net` still holds. Each
// product skips the zeros of its left operand (matrix.cpp), so for a layer of D inputs and H
// outputs:
//   forward  Z = X W       nonzero(X) * H
//   backward dW = X^T dZ   nonzero(X) * H
//            dX = dZ W^T   nonzero(dZ) * D      (dZ is zero wherever the ReLU above was off)
// The first layer's X is the images, whose nonzero pixels are counted once per epoch by the
// caller (every training image is seen once an epoch), so that layer is left out here.
double hidden_step_multiply_adds(const Network<float>& net) {
    double total = 0;
    for (std::size_t l = 1; l < net.layers.size(); ++l) {
        const double D = net.layers[l].W.rows, H = net.layers[l].W.cols;
        total += 2 * double(count_nonzero(net.A[l - 1].data)) * H;
        total += double(count_nonzero(net.dZ[l].data)) * D;
    }
    return total;
}

// ---- The machine's peak ----------------------------------------------------------------------

// The clock speed, measured rather than read: /proc/cpuinfo reports the nominal frequency
// (and, in a virtual machine, often only that), while the core runs at whatever its boost
// allows. Each pass of the loop below is three operations that must run one after the other
// (shift, xor, add: each needs the result of the one before), and every x86 or ARM core of the
// last fifteen years does each of them in exactly one clock cycle. So the loop runs at one
// pass per three cycles, whatever else the core could do in parallel, and
// passes * 3 / seconds is the clock. `seed` comes from outside so the compiler cannot compute
// the result in advance. The seconds are this thread's processor time (not the wall clock),
// so that time spent waiting while another program had the core does not count; and the best
// of five measurements is kept.
double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

double measure_clock_ghz(unsigned long seed) {
    double best = 0;
    for (int trial = 0; trial < 5; ++trial) {
        const long passes = 100000000;
        unsigned long x = seed;
        const double start = thread_cpu_seconds();
        for (long i = 0; i < passes; ++i) x = (x ^ (x >> 7)) + static_cast<unsigned long>(i);
        const double seconds = thread_cpu_seconds() - start;
        if (x == 42) std::printf(" ");  // uses x, so the loop is not thrown away
        best = std::max(best, 3.0 * passes / seconds / 1e9);
    }
    return best;
}

// The first line of /proc/cpuinfo that starts with `key`, after its colon ("" if none:
// not Linux, or no such line).
std::string cpuinfo_field(const std::string& key) {
    std::ifstream file("/proc/cpuinfo");
    std::string line;
    while (std::getline(file, line))
        if (line.rfind(key, 0) == 0) {
            const std::size_t colon = line.find(':');
            return colon == std::string::npos ? "" : line.substr(colon + 2);
        }
    return "";
}

bool has_flag(const std::string& flags, const std::string& flag) {
    return (" " + flags + " ").find(" " + flag + " ") != std::string::npos;
}

// Single-precision FLOP one core can do per cycle, at best:
//   (floats per vector the FMA units process) x (FMA units) x 2 (a multiply-add is 2 FLOP).
// Every x86 core since Intel's Haswell (2013) and AMD's Zen 2 (2019) has two FMA units, each
// 256 bits (8 floats) wide, so 8 x 2 x 2 = 32. Intel's server cores with AVX-512 (Skylake-SP
// to Sapphire Rapids, Xeon Gold and Platinum) make them 512 bits wide: 64. AMD's Zen 4 accepts
// AVX-512 instructions but runs each as two 256-bit halves on the same two units: still 32.
// These are facts about the chip's design, not something the operating system reports, so the
// rule below reads the vendor and the instruction-set flags of /proc/cpuinfo and applies them.
int peak_flops_per_cycle(const std::string& vendor, const std::string& flags, int& lanes) {
    const int fma_units = 2;
    if (has_flag(flags, "avx512f") && vendor == "GenuineIntel") lanes = 16;
    else if (has_flag(flags, "avx2") && has_flag(flags, "fma")) lanes = 8;
    else lanes = 4;  // SSE only: 128-bit vectors, and we assume the same two units
    return lanes * fma_units * 2;
}

double load_average() {
    std::ifstream file("/proc/loadavg");
    double one_minute = -1;
    file >> one_minute;
    return one_minute;
}

std::string layer_sizes_text(const std::vector<int>& sizes) {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

// ---- The measurements --------------------------------------------------------------------

struct Measurements {
    std::string network;               // e.g. "784-128-128-10"
    int train_count = 0, test_count = 0;
    double load_s = 0, epoch_s = 0, eval_s = 0;
    double epoch_cpu_s = 0;  // processor time per epoch (median), all threads together
    double done_multiply_adds = 0, dense_multiply_adds = 0;  // per epoch, median epoch's counts
    double peak_mb = 0;
    double test_accuracy = 0;
};

Measurements measure(const Options& o) {
    Measurements m;
    const int runs = std::max(1, o.epochs);

    // 1. Data: loaded `runs` times, the last copy kept. (After the first load the files come
    // from the operating system's cache, as they do for ./mnist run twice in a row.)
    std::vector<double> load_times;
    Split split;
    for (int r = 0; r < runs; ++r) {
        split = Split();  // frees the previous copy first, so only one is ever held
        const Clock::time_point start = Clock::now();
        split = split_validation(load_mnist(o.data_dir), o.valid_count);
        load_times.push_back(seconds_since(start));
    }
    m.load_s = median(load_times);

    // 2. The network, as main.cpp builds it.
    std::vector<int> sizes = {split.train.pixels_per_image()};
    sizes.insert(sizes.end(), o.hidden.begin(), o.hidden.end());
    sizes.push_back(kClasses);
    Rng rng(o.seed);
    Network<float> net = make_network<float>(sizes, rng);
    Optimizer optimizer(net, o.optimizer);
    m.network = layer_sizes_text(sizes);
    m.train_count = split.train.count;
    m.test_count = split.test.count;

    // 3. Training epochs. The callback counts the zeros the products skipped, step by step;
    // it costs a scan of the hidden activations, well under 1% of a step.
    const long pixel_multiply_adds = 2 * count_nonzero_pixels(split.train) * net.layers[0].W.cols;
    std::vector<double> epoch_times, epoch_cpu, done, dense;
    std::vector<int> order = identity_order(split.train.count);
    for (int epoch = 1; epoch <= runs; ++epoch) {
        double done_here = double(pixel_multiply_adds), dense_here = 0;
        const StepCallback count = [&](int step, int, double, double) {
            const int first = (step - 1) * o.batch_size;
            const int n = std::min(o.batch_size, split.train.count - first);
            done_here += hidden_step_multiply_adds(net);
            dense_here += dense_step_multiply_adds(net, n);
        };
        const Clock::time_point start = Clock::now();
        const double cpu_start = cpu_seconds();
        train_epoch(net, optimizer, o.regularization, split.train, order, o.batch_size, epoch, rng, count);
        epoch_times.push_back(seconds_since(start));
        epoch_cpu.push_back(cpu_seconds() - cpu_start);
        done.push_back(done_here);
        dense.push_back(dense_here);
    }
    m.epoch_s = median(epoch_times);
    m.epoch_cpu_s = median(epoch_cpu);
    m.done_multiply_adds = median(done);
    m.dense_multiply_adds = median(dense);

    // 4. Evaluation on the test set.
    std::vector<double> eval_times;
    for (int r = 0; r < runs; ++r) {
        const Clock::time_point start = Clock::now();
        const Evaluation e = evaluate(net, split.test);
        eval_times.push_back(seconds_since(start));
        m.test_accuracy = e.accuracy;
    }
    m.eval_s = median(eval_times);

    // 5. Peak memory. Linux reports ru_maxrss in kilobytes.
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    m.peak_mb = usage.ru_maxrss / 1024.0;
    return m;
}

void print_usage() {
    std::printf(
        "usage: build/bench [options of ./mnist]\n"
        "\n"
        "Measures one network configuration: data load, seconds per training epoch, test-set\n"
        "evaluation, peak memory and GFLOP/s against the machine's peak. Each time is the median\n"
        "of --epochs measurements (default here: 5). `make bench` runs it for 784-128-128-10\n"
        "and 784-512-512-10. The last line is the same figures as JSON, for tools/compare-peers.\n"
        "\n"
        "The options are those of ./mnist:\n\n%s",
        usage_text().c_str());
}

int run(const Options& o) {
    Workers workers(o.threads > 0 ? o.threads : default_thread_count());
    const double load_before = load_average();
    use_kernels(o.kernels, &workers);
    const Measurements m = measure(o);
    const double load_after = load_average();

    const int runs = std::max(1, o.epochs);

    // The peak: cores x clock x FLOP per cycle per core.
    const std::string vendor = cpuinfo_field("vendor_id");
    const std::string model = cpuinfo_field("model name");
    const std::string nominal_mhz = cpuinfo_field("cpu MHz");
    int lanes = 0;
    const int flops_per_cycle = peak_flops_per_cycle(vendor, cpuinfo_field("flags"), lanes);
    const int cores = static_cast<int>(std::thread::hardware_concurrency());
    const double ghz = measure_clock_ghz(static_cast<unsigned long>(runs));
    const double peak_all = cores * ghz * flops_per_cycle;             // GFLOP/s, every core
    const int cores_used = std::min(cores, workers.size());
    const double peak_used = cores_used * ghz * flops_per_cycle;       // the cores we use
    const double done_gflops = 2 * m.done_multiply_adds / m.epoch_s / 1e9;
    const double dense_gflops = 2 * m.dense_multiply_adds / m.epoch_s / 1e9;

    std::printf("Benchmark of %s, batch %d, %d thread%s, median of %d (data from %s/)\n",
                m.network.c_str(), o.batch_size, workers.size(), workers.size() == 1 ? "" : "s", runs,
                o.data_dir.c_str());
    const auto label = [](const std::string& text) { std::printf("  %-38s", text.c_str()); };
    label("data load and split (4 IDX files)");
    std::printf("%8.3f s\n", m.load_s);
    label("training epoch (" + std::to_string(m.train_count) + " images)");
    std::printf("%8.3f s   %8.0f images/s   (processor time %.3f s)\n", m.epoch_s,
                m.train_count / m.epoch_s, m.epoch_cpu_s);
    label("evaluation (" + std::to_string(m.test_count) + " test images)");
    std::printf("%8.3f s   %8.0f images/s\n", m.eval_s, m.test_count / m.eval_s);
    label("peak memory (ru_maxrss)");
    std::printf("%8.1f MB\n", m.peak_mb);
    label("multiply-adds per epoch");
    std::printf("%8.2f G done, %.2f G dense (%.0f%% skipped as zeros)\n", m.done_multiply_adds / 1e9,
                m.dense_multiply_adds / 1e9, 100 * (1 - m.done_multiply_adds / m.dense_multiply_adds));
    label("arithmetic speed during training");
    std::printf("%8.1f GFLOP/s done, %.1f GFLOP/s dense-equivalent\n", done_gflops, dense_gflops);
    label("machine peak, " + std::to_string(cores_used) + " core" + (cores_used == 1 ? "" : "s"));
    std::printf("%8.1f GFLOP/s: done is %.1f%% of it, dense-equivalent %.1f%%\n", peak_used,
                100 * done_gflops / peak_used, 100 * dense_gflops / peak_used);
    std::printf("    peak = cores x clock x FLOP/cycle = %d x %.2f GHz (measured; nominal %s MHz) x %d\n",
                cores, ghz, nominal_mhz.empty() ? "?" : nominal_mhz.c_str(), flops_per_cycle);
    std::printf("    FLOP/cycle = %d floats per vector x 2 FMA units x 2 (%s, %s): %.1f GFLOP/s in all\n",
                lanes, model.empty() ? "unknown CPU" : model.c_str(), vendor.c_str(), peak_all);
    label("test accuracy after " + std::to_string(runs) + " epoch" + (runs == 1 ? "" : "s"));
    std::printf("%8.4f\n", m.test_accuracy);
    label("load average before / after");
    std::printf("%8.2f / %.2f  (%d cores: much above 0 means other programs were running)\n",
                load_before, load_after, cores);

    std::printf("{\"peer\": \"mnist\", \"hidden\": \"%s\", \"threads\": %d, \"epochs\": %d, "
                "\"median_epoch_s\": %.4f, \"epoch_cpu_s\": %.4f, \"eval_s\": %.4f, \"load_s\": %.4f, \"peak_mb\": %.1f, "
                "\"done_gflops\": %.2f, \"dense_gflops\": %.2f, \"peak_gflops\": %.1f, "
                "\"test_acc\": %.4f, \"load_average\": [%.2f, %.2f]}\n",
                m.network.c_str(), workers.size(), runs, m.epoch_s, m.epoch_cpu_s, m.eval_s, m.load_s, m.peak_mb,
                done_gflops, dense_gflops, peak_used, m.test_accuracy, load_before, load_after);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        // The bench's own default of 5 epochs goes first, so that an --epochs given by the user,
        // read later, replaces it.
        std::vector<const char*> args = {argv[0], "--epochs", "5"};
        for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
        const Options options = parse_command_line(static_cast<int>(args.size()), args.data());
        if (options.help) {
            print_usage();
            return 0;
        }
        return run(options);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "bench: %s (see build/bench --help)\n", e.what());
        return 2;
    } catch (const DataError& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 1;
    } catch (const TrainingError& e) {
        std::fprintf(stderr, "bench: %s\n", e.what());
        return 1;
    }
}
