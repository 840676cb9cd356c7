// parallel.cpp: the thread team of parallel.h. A mutex, two condition variables and a task
// counter; nothing here knows about matrices.
#include "parallel.h"

#include <algorithm>

namespace {

// The range of part `index` when [0, n) is cut into `parts` nearly equal contiguous pieces.
void part_range(int n, int parts, int index, int& begin, int& end) {
    begin = static_cast<int>(static_cast<long long>(n) * index / parts);
    end = static_cast<int>(static_cast<long long>(n) * (index + 1) / parts);
}

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

void Workers::run(int n, int min_per_thread, const std::function<void(int, int)>& task) {
    const int parts = std::max(1, std::min(size(), n / std::max(1, min_per_thread)));
    if (parts == 1) {
        task(0, n);
        return;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        task_ = &task;
        n_ = n;
        parts_ = parts;
        pending_ = static_cast<int>(helpers_.size());
        ++generation_;
    }
    wake_.notify_all();

    int begin = 0, end = 0;
    part_range(n, parts, 0, begin, end);
    task(begin, end);

    std::unique_lock<std::mutex> lock(mutex_);
    finished_.wait(lock, [this] { return pending_ == 0; });
    task_ = nullptr;
}

void Workers::helper_loop(int index) {
    long seen = 0;
    for (;;) {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
        if (stopping_) return;
        seen = generation_;
        const std::function<void(int, int)>* task = task_;
        const int n = n_, parts = parts_;
        lock.unlock();

        // Helpers past the number of parts (a small loop) have nothing to do this time.
        if (index < parts) {
            int begin = 0, end = 0;
            part_range(n, parts, index, begin, end);
            (*task)(begin, end);
        }

        lock.lock();
        if (--pending_ == 0) finished_.notify_one();
    }
}

int default_thread_count() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(std::min(cores, 64u));
}
