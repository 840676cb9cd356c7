// random.h: the program's only source of randomness, small enough to read in a minute.
//
// Why not <random>? std::mt19937 itself is specified exactly, but std::uniform_real_distribution
// and std::shuffle are not: libstdc++ and libc++ turn the same engine output into different
// numbers. We promise that a seed gives the same weights, the same shuffles and so the same
// training run everywhere, so we write the three things we need ourselves:
//   next_u64()   64 random bits (the SplitMix64 generator: one add, three xor-shift-multiplies),
//   uniform()    a float-ready number in [0, 1),
//   below(n)     an integer in [0, n), without the bias of a plain `% n`.
// There is no global generator: whoever needs randomness is handed an Rng, so the order in which
// numbers are drawn is visible in the code that draws them.
//
// Read next: network.h (Glorot initialisation draws from uniform()) and train.cpp (shuffling).
#pragma once

#include <cstdint>
#include <vector>

class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    // SplitMix64 (Steele, Lea and Flood, 2014): a counter stepped by an odd constant, then
    // scrambled so that consecutive counters give unrelated outputs. It passes BigCrush, which
    // is far more than weight initialisation and shuffling need.
    std::uint64_t next_u64() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // The top 53 bits divided by 2^53: every double in [0, 1) of that spacing, equally likely.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Uniform in [0, n) for n > 0. A plain `next_u64() % n` favours small values slightly,
    // because 2^64 is not a multiple of n; we reject the few draws from the incomplete last
    // block of n values (at most n of 2^64, so almost never a second draw).
    std::uint64_t below(std::uint64_t n) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        std::uint64_t x = next_u64();
        while (x >= limit) x = next_u64();
        return x % n;
    }

private:
    std::uint64_t state_;
};

// Fisher-Yates: walk from the end, swapping each element with one at or before it. Every one of
// the n! orders comes out with the same probability.
inline void shuffle(std::vector<int>& items, Rng& rng) {
    for (std::size_t i = items.size(); i > 1; --i) {
        const std::size_t j = static_cast<std::size_t>(rng.below(i));
        std::swap(items[i - 1], items[j]);
    }
}
