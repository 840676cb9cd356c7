// test_parallel: the thread team of parallel.h. Which ranges run() hands out, that together
// they cover every item exactly once, when a loop is split and when it is not, and that
// thousands of tasks in a row (as in training) each run completely before run() returns.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "check.h"
#include "parallel.h"

namespace {

// The ranges one call of run() handed out, sorted, and which threads computed them.
struct Split {
    std::vector<std::pair<int, int>> ranges;
    std::vector<std::thread::id> threads;
};

Split ranges_of(Workers& workers, int n, long work_per_item) {
    Split split;
    std::mutex mutex;
    workers.run(n, work_per_item, [&](int begin, int end) {
        std::lock_guard<std::mutex> lock(mutex);
        split.ranges.emplace_back(begin, end);
        split.threads.push_back(std::this_thread::get_id());
    });
    std::sort(split.ranges.begin(), split.ranges.end());
    return split;
}

// True when the sorted ranges are non-empty and tile [0, n) without gap or overlap.
bool tiles(const std::vector<std::pair<int, int>>& ranges, int n) {
    int next = 0;
    for (const auto& r : ranges) {
        if (r.first != next || r.second <= r.first) return false;
        next = r.second;
    }
    return next == n;
}

}  // namespace

int main() {
    // With --threads left out, every core, up to 64 (a core count of 0 means unknown: one).
    const unsigned cores = std::thread::hardware_concurrency();
    check::equal(default_thread_count(), cores == 0 ? 1 : static_cast<long long>(std::min(cores, 64u)),
                 "default_thread_count(): the machine's cores, at most 64");

    const long threshold = Workers::kMinWorkPerThread;

    // One thread: never split, whatever the size.
    {
        Workers one(1);
        const Split s = ranges_of(one, 1000, 1000000);
        check::equal(static_cast<long long>(s.ranges.size()), 1, "1 thread: one range");
        check::expect(tiles(s.ranges, 1000), "1 thread: the range is [0, 1000)");
    }

    Workers two(2);

    // A loop with too little work for two threads (each would get less than the threshold)
    // runs in one piece, on the calling thread.
    {
        const int n = 10;
        const long per_item = threshold / n;  // n * per_item = one thread's worth, not two
        const Split s = ranges_of(two, n, per_item);
        check::equal(static_cast<long long>(s.ranges.size()), 1, "small loop: one range");
        check::expect(tiles(s.ranges, n), "small loop: the range is [0, 10)");
        check::expect(s.threads[0] == std::this_thread::get_id(), "small loop: run by the caller");
    }

    // Enough work for two: two ranges, the halves [0, 32) and [32, 64). (The sizes of the first
    // layer's forward product for a batch of 64: 64 rows of 784 x 128 multiply-adds.)
    {
        const Split s = ranges_of(two, 64, 784L * 128);
        check::equal(static_cast<long long>(s.ranges.size()), 2, "64 x 100352: two ranges");
        check::expect(tiles(s.ranges, 64), "64 x 100352: the ranges tile [0, 64)");
        check::expect(s.ranges.size() == 2 && s.ranges[0] == std::make_pair(0, 32),
                      "64 x 100352: the first range is [0, 32)");
    }

    // Odd sizes: 7 items, each worth a whole thread: two ranges, 3 + 4.
    {
        const Split s = ranges_of(two, 7, threshold);
        check::equal(static_cast<long long>(s.ranges.size()), 2, "7 items: two ranges");
        check::expect(tiles(s.ranges, 7), "7 items: the ranges tile [0, 7)");
    }

    // More threads than items: never an empty range.
    {
        Workers eight(8);
        const Split s = ranges_of(eight, 3, 10 * threshold);
        check::equal(static_cast<long long>(s.ranges.size()), 3, "3 items, 8 threads: three ranges");
        check::expect(tiles(s.ranges, 3), "3 items, 8 threads: the ranges tile [0, 3)");
    }

    // Many tasks in a row, as in training (about ten per step): each must be complete when
    // run() returns, with every item done exactly once. Each item adds its task's number to
    // its own slot, so a missed item, an item done twice, or a helper still working on the
    // previous task after run() returned would all leave a wrong total.
    {
        const int n = 100, tasks = 20000;
        std::vector<long> slot(n, 0);
        bool complete = true;
        for (int t = 1; t <= tasks; ++t) {
            two.run(n, threshold, [&](int begin, int end) {
                for (int i = begin; i < end; ++i) slot[i] += t;
            });
            // Right after run(): every slot holds 1 + 2 + ... + t.
            const long expected = static_cast<long>(t) * (t + 1) / 2;
            complete = complete && slot[0] == expected && slot[n - 1] == expected;
        }
        check::expect(complete, "20000 tasks in a row: each complete when run() returns");
        const long expected = static_cast<long>(tasks) * (tasks + 1) / 2;
        check::expect(std::all_of(slot.begin(), slot.end(), [&](long v) { return v == expected; }),
                      "20000 tasks in a row: every item done once per task");
    }

    return check::summary("test_parallel");
}
