// test_determinism: a seed fixes the whole run. The real ./mnist, trained twice on a slice of
// real MNIST with the same seed, writes identical --report files (the "seconds" of each epoch
// aside), and so does it with 1 thread and with 2: threads split the rows of each product and
// the elements of each optimizer update, but every number is still computed by one thread in
// one order (parallel.h).
#include <atomic>
#include <regex>

#include "check.h"
#include "idx.h"
#include "parallel.h"
#include "process.h"

namespace fs = std::filesystem;

namespace {

// The first `count` images and labels of d, written as an IDX pair into dir.
void write_slice(const Dataset& d, int count, const fs::path& dir, const std::string& images,
                 const std::string& labels) {
    const std::size_t P = static_cast<std::size_t>(d.pixels_per_image());
    write_idx(dir / images, {std::uint32_t(count), std::uint32_t(d.rows), std::uint32_t(d.cols)},
              std::vector<std::uint8_t>(d.pixels.begin(), d.pixels.begin() + count * P));
    write_idx(dir / labels, {std::uint32_t(count)},
              std::vector<std::uint8_t>(d.labels.begin(), d.labels.begin() + count));
}

std::string without_timings(const std::string& report) {
    return std::regex_replace(report, std::regex("\"seconds\": [0-9.e+-]+"), "\"seconds\": _");
}

// How many pieces Workers(2) cuts a loop of n items of `work` multiply-adds each into.
int parts_used(int n, long work) {
    Workers two(2);
    std::atomic<int> calls{0};
    two.run(n, work, [&](int, int) { ++calls; });
    return calls;
}

}  // namespace

int main() {
    const fs::path scratch = make_scratch_dir("test_determinism");
    const fs::path data = scratch / "mnist-slice";
    fs::create_directories(data);
    {
        const MnistData mnist = load_mnist(MNIST_DATA_DIR);
        write_slice(mnist.train, 1500, data, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
        write_slice(mnist.test, 300, data, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    }

    // The products of this run really are shared between two threads: a batch of 64 through
    // the first layer is 64 rows of 784 x 128 multiply-adds each, far above the minimum per
    // thread, and so is the smallest, the last layer (64 rows of 128 x 10). Without this, the
    // comparison of 1 and 2 threads below would compare one thread with itself.
    check::equal(parts_used(64, 784L * 128), 2, "first-layer product is split in two");
    check::equal(parts_used(64, 128L * 10), 2, "last-layer product is split in two");

    const std::string args = "--data '" + data.string() + "' --valid 300 --epochs 2 --batch 64 --seed 5 ";
    auto report_of = [&](const std::string& more, const std::string& name) {
        const fs::path path = scratch / name;
        const ProgramRun run = run_mnist(args + more + " --report '" + path.string() + "'", scratch);
        check::equal(run.exit_code, 0, name + ": exit code (stderr: " + run.err + ")");
        return without_timings(read_text(path));
    };
    const std::string first = report_of("--threads 2", "a.json");
    const std::string again = report_of("--threads 2", "b.json");
    const std::string one_thread = report_of("--threads 1", "c.json");
    const std::string other_seed = report_of("--threads 2 --seed 6", "d.json");

    check::contains(first, "\"train_size\": 1200", "the slice is what was trained on");
    check::contains(first, "\"epoch\": 2", "two epochs ran");
    check::equal(again, first, "the same seed twice: identical reports");
    check::equal(one_thread, first, "1 thread and 2 threads: identical reports");
    check::expect(other_seed != first, "another seed gives another run");

    fs::remove_all(scratch);
    return check::summary("test_determinism");
}
