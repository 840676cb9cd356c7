// parallel.cpp: the thread team of parallel.h. Two atomic counters, and a condition variable for
// helpers that have waited long enough to go to sleep; nothing here knows about matrices.
#include "parallel.h"

#include <algorithm>

namespace {

// The range of part `index` when [0, n) is cut into `parts` nearly equal contiguous pieces.
void part_range(int n, int parts, int index, int& begin, int& end) {
    begin = static_cast<int>(static_cast<long long>(n) * index / parts);
    end = static_cast<int>(static_cast<long long>(n) * (index + 1) / parts);
}

// How many times a helper checks for a new task before going to sleep: some tens of
// microseconds, longer than the gap between two products of a training step.
constexpr int kSpinChecks = 20000;

}  // namespace

Workers::Workers(int threads) {
    for (int i = 1; i < threads; ++i) helpers_.emplace_back(&Workers::helper_loop, this, i);
}

Workers::~Workers() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : helpers_) t.join();
}

void Workers::run(int n, long work_per_item, const std::function<void(int, int)>& task) {
    const long total_work = static_cast<long>(n) * std::max(1L, work_per_item);
    const long useful_parts = std::max(1L, total_work / kMinWorkPerThread);
    const int parts = static_cast<int>(std::min<long>({size(), n, useful_parts}));
    if (parts <= 1) {
        task(0, n);
        return;
    }

    task_ = &task;
    n_ = n;
    parts_ = parts;
    pending_.store(static_cast<int>(helpers_.size()), std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);  // publishes task_, n_, parts_
    // Wake any helper that went to sleep. Taking the mutex first means a helper cannot be
    // between "checked the generation" and "fell asleep" right now, so none misses this.
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();

    int begin = 0, end = 0;
    part_range(n, parts, 0, begin, end);
    task(begin, end);

    // The helpers' parts are about as long as ours: spin until they are done. (Yielding to the
    // operating system here would cost a system call per check, more than the wait itself.)
    while (pending_.load(std::memory_order_acquire) != 0) {
    }
}

long Workers::wait_for_new_task(long seen) {
    for (int i = 0; i < kSpinChecks; ++i) {
        const long now = generation_.load(std::memory_order_acquire);
        if (now != seen || stopping_) return now;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] { return stopping_ || generation_.load(std::memory_order_acquire) != seen; });
    return generation_.load(std::memory_order_acquire);
}

void Workers::helper_loop(int index) {
    long seen = 0;
    for (;;) {
        seen = wait_for_new_task(seen);
        if (stopping_) return;

        // Helpers past the number of parts (a small loop) have nothing to do this time.
        if (index < parts_) {
            int begin = 0, end = 0;
            part_range(n_, parts_, index, begin, end);
            (*task_)(begin, end);
        }
        pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
}

int default_thread_count() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(std::min(cores, 64u));
}
