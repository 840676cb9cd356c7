// parallel.h: a fixed team of threads that splits one loop at a time between them.
//
// The matrix products are the work worth sharing (with the optimizer's update, cut the same way
// by share_elements() in fast_matrix.h), and they are shared the simplest way that keeps
// results exact: the rows of the output are cut into contiguous ranges, one per thread, and
// every output element is computed start to finish by one thread, in the same order as a
// single thread would. So the numbers are bit-identical for any thread count; threads only
// change how long we wait.
//
// Starting a std::thread costs tens of microseconds, and one training step does about eight
// products of a few hundred microseconds each, so the threads are started once, here, and then
// handed one loop after another. Handing over is the delicate part: putting a sleeping thread
// back to work goes through the operating system and takes 5-50 microseconds, as long as a
// small product. So a helper that has just finished keeps watching for the next loop for a
// little while (spinning) before it goes to sleep; during training the next loop almost always
// arrives within that time and starts without a system call. A Workers object is created in
// main() and handed to whoever multiplies matrices: there is no global pool.
//
// Which thread computes which range is NOT fixed: the ranges are fixed (they depend only on n
// and the thread count), and each thread, the caller included, takes the next range nobody has
// taken yet until none are left. On a quiet machine every thread takes one. On a busy one,
// where the operating system may have paused a helper to run someone else's program, the
// caller does not wait for it: it takes the paused helper's range itself. Either way each range
// is computed start to finish by one thread with the same code, so the numbers are the same.
//
// Read next: fast_matrix.h, whose products and share_elements() hand their loops to a Workers.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class Workers {
public:
    // threads >= 1. With 1, run() calls the task directly and no thread is ever started.
    explicit Workers(int threads);
    ~Workers();
    Workers(const Workers&) = delete;
    Workers& operator=(const Workers&) = delete;

    int size() const { return static_cast<int>(helpers_.size()) + 1; }

    // Calls task(begin, end) on disjoint ranges that together cover [0, n), at most one range
    // per thread, and returns when all are done. The ranges depend only on n, work_per_item and
    // the number of threads.
    // `work_per_item` is roughly how many multiply-adds one item costs: loops smaller than
    // kMinWorkPerThread per thread are not split, because handing them over would cost more
    // than it saves.
    void run(int n, long work_per_item, const std::function<void(int, int)>& task);

    static constexpr long kMinWorkPerThread = 20000;

private:
    void helper_loop();
    std::uint64_t wait_for_new_task(std::uint64_t seen);
    void take_ranges(std::uint64_t generation);

    std::vector<std::thread> helpers_;

    // The current task. Written by run() before it publishes a new ticket; read only by a thread
    // that has just taken one of the task's ranges (see take_ranges for why that is safe).
    const std::function<void(int, int)>* task_ = nullptr;
    int n_ = 0;

    // The ticket: which task this is and which of its ranges is the next to take, in one atomic
    // number so that a thread reads both at once:
    //     bits 32-63: generation (counts tasks), bits 16-31: ranges in all, bits 0-15: next range.
    // Taking a range is one compare-and-swap of the ticket to ticket + 1.
    std::atomic<std::uint64_t> ticket_{0};
    std::atomic<int> finished_{0};  // ranges of the current task computed so far
    std::atomic<bool> stopping_{false};

    // For helpers that stopped spinning and sleep until the next task.
    std::mutex mutex_;
    std::condition_variable wake_;
};

// How many threads to use when the user does not say: every core the system reports.
int default_thread_count();
