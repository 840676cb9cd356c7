// dataset.cpp: the split, and the gathering of a batch (see dataset.h).
#include "dataset.h"

#include <cstring>
#include <numeric>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

// Images [begin, end) of d as a data set of their own.
Dataset slice(const Dataset& d, int begin, int end) {
    Dataset s;
    s.count = end - begin;
    s.rows = d.rows;
    s.cols = d.cols;
    const std::size_t P = static_cast<std::size_t>(d.pixels_per_image());
    s.pixels.assign(d.pixels.begin() + begin * P, d.pixels.begin() + end * P);
    s.labels.assign(d.labels.begin() + begin, d.labels.begin() + end);
    return s;
}

// Removes the first `count` images of d, in place: the rest slide to the front of the same
// buffer (the vector keeps its memory; only the images move).
void drop_front(Dataset& d, int count) {
    const std::size_t P = static_cast<std::size_t>(d.pixels_per_image());
    d.pixels.erase(d.pixels.begin(), d.pixels.begin() + static_cast<std::ptrdiff_t>(count * P));
    d.labels.erase(d.labels.begin(), d.labels.begin() + count);
    d.count -= count;
}

}  // namespace

Split split_validation(MnistData data, int valid_count) {
    Split split;
    // The validation images are copied out (8 MB for MNIST); the training images stay where
    // they are. Copying both halves would hold all 47 MB of training pixels twice for a moment,
    // and that moment would be the program's peak memory.
    split.valid = slice(data.train, 0, valid_count);
    split.train = std::move(data.train);
    drop_front(split.train, valid_count);
    split.test = std::move(data.test);
    return split;
}

void gather_batch(const Dataset& d, const std::vector<int>& order, int first, int n,
                  Matrix<float>& X, Matrix<float>& Y) {
    const int P = d.pixels_per_image();
    X.reshape(n, P);
    Y.reshape(n, kClasses);
    std::memset(Y.data.data(), 0, sizeof(float) * Y.size());
    for (int i = 0; i < n; ++i) {
        const int example = order[first + i];
        const std::uint8_t* pixels = d.pixels.data() + static_cast<std::size_t>(example) * P;
        float* x = X.row(i);
        for (int j = 0; j < P; ++j) x[j] = pixels[j] / 255.0f;
        Y(i, d.labels[example]) = 1.0f;
    }
}

std::vector<int> identity_order(int count) {
    std::vector<int> order(count);
    std::iota(order.begin(), order.end(), 0);
    return order;
}
