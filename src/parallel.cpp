// parallel.cpp: the thread team of parallel.h. One atomic ticket that hands out ranges, one
// counter of finished ranges, and a condition variable for helpers that have waited long enough
// to go to sleep; nothing here knows about matrices.
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

// How many times the caller checks whether the helpers are done before it starts offering its
// core to the operating system (yield) between checks. A helper's range normally ends within
// that time; if not, the helper was paused, and yielding lets it run again sooner.
constexpr int kSpinsBeforeYield = 2000;

// The three fields of a ticket (see parallel.h).
std::uint64_t generation_of(std::uint64_t ticket) { return ticket >> 32; }
int parts_of(std::uint64_t ticket) { return static_cast<int>((ticket >> 16) & 0xffff); }
int next_part_of(std::uint64_t ticket) { return static_cast<int>(ticket & 0xffff); }

}  // namespace

Workers::Workers(int threads) {
    for (int i = 1; i < threads; ++i) helpers_.emplace_back(&Workers::helper_loop, this);
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
    finished_.store(0, std::memory_order_relaxed);
    const std::uint64_t generation = generation_of(ticket_.load(std::memory_order_relaxed)) + 1;
    // Publishes task_ and n_ with the new ticket: a thread that takes a range of this ticket
    // (with acquire) sees them.
    ticket_.store((generation << 32) | (std::uint64_t(parts) << 16), std::memory_order_release);
    // Wake any helper that went to sleep. Taking the mutex first means a helper cannot be
    // between "checked the ticket" and "fell asleep" right now, so none misses this.
    { std::lock_guard<std::mutex> lock(mutex_); }
    wake_.notify_all();

    take_ranges(generation);

    // Every range is taken; wait until the ones the helpers took are computed.
    int spins = 0;
    while (finished_.load(std::memory_order_acquire) != parts) {
        if (spins < kSpinsBeforeYield) ++spins;
        else std::this_thread::yield();
    }
}

// Takes and computes ranges of task `generation` until none is left.
//
// Why reading task_ and n_ is safe here even though run() rewrites them for every task: they
// are read only after this thread has taken a range of `generation`, and run() cannot return,
// let alone start the next task, until that range is finished. A thread that comes too late
// finds the ticket changed (a newer generation, or no range left) and takes nothing.
void Workers::take_ranges(std::uint64_t generation) {
    std::uint64_t ticket = ticket_.load(std::memory_order_acquire);
    for (;;) {
        if (generation_of(ticket) != generation || next_part_of(ticket) >= parts_of(ticket)) return;
        // Take range next_part_of(ticket), unless another thread took it first; then the failed
        // exchange has loaded the new ticket and we look again.
        if (!ticket_.compare_exchange_weak(ticket, ticket + 1, std::memory_order_acq_rel,
                                           std::memory_order_acquire))
            continue;
        int begin = 0, end = 0;
        part_range(n_, parts_of(ticket), next_part_of(ticket), begin, end);
        (*task_)(begin, end);
        finished_.fetch_add(1, std::memory_order_release);
        ticket = ticket_.load(std::memory_order_acquire);
    }
}

std::uint64_t Workers::wait_for_new_task(std::uint64_t seen) {
    for (int i = 0; i < kSpinChecks; ++i) {
        const std::uint64_t now = generation_of(ticket_.load(std::memory_order_acquire));
        if (now != seen || stopping_) return now;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [&] {
        return stopping_ || generation_of(ticket_.load(std::memory_order_acquire)) != seen;
    });
    return generation_of(ticket_.load(std::memory_order_acquire));
}

void Workers::helper_loop() {
    std::uint64_t seen = 0;
    for (;;) {
        seen = wait_for_new_task(seen);
        if (stopping_) return;
        take_ranges(seen);
    }
}

int default_thread_count() {
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? 1 : static_cast<int>(std::min(cores, 64u));
}
