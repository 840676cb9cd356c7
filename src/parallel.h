// parallel.h: a fixed team of threads that splits one loop at a time between them.
//
// The matrix products are the only work worth sharing, and they are shared the simplest way
// that keeps results exact: the rows of the output are cut into contiguous ranges, one per
// thread, and every output element is computed start to finish by one thread, in the same order
// as a single thread would. So the numbers are bit-identical for any thread count; threads only
// change how long we wait.
//
// Starting a std::thread costs tens of microseconds and one training step does about ten
// products, so the threads are started once, here, and then woken for each loop. A Workers
// object is created in main() and handed to whoever multiplies matrices: there is no global pool.
//
// Read next: matrix.h, whose products take a Workers&.
#pragma once

#include <condition_variable>
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
    // per thread (the calling thread takes the first), and returns when all are done.
    // Small loops are not split: waking a thread costs more than a few thousand multiply-adds.
    void run(int n, int min_per_thread, const std::function<void(int, int)>& task);

private:
    void helper_loop(int index);

    std::vector<std::thread> helpers_;
    std::mutex mutex_;
    std::condition_variable wake_;      // the caller tells the helpers a new task is here
    std::condition_variable finished_;  // the last helper to finish tells the caller
    const std::function<void(int, int)>* task_ = nullptr;
    int n_ = 0;
    int parts_ = 0;           // how many ranges this task is cut into
    long generation_ = 0;     // counts tasks, so a helper never runs the same one twice
    int pending_ = 0;         // helpers still working on the current task
    bool stopping_ = false;
};

// How many threads to use when the user does not say: every core the system reports.
int default_thread_count();
