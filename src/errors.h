// errors.h: the three ways this program can fail, each with its own exit code.
//
// Every fault a user can cause ends as one of these exceptions, caught once in main(), which
// prints its message as one line and exits with the matching code. Nothing else in the program
// prints an error or calls exit(), so every module can be used (and tested) as a library.
#pragma once

#include <stdexcept>
#include <string>

// A bad command line: unknown flag, missing or malformed value. main() exits with 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A data file that is missing, unreadable or not what it claims to be. main() exits with 1.
// The message always starts with the file's path.
struct DataError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Training went wrong (the loss or a weight stopped being a finite number). main() exits with 1.
struct TrainingError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Memory ran out during a step of the program. The message says what was being done and what
// would need less ("training the 784-4000-10 network in batches of 64 (a smaller --hidden or
// --batch needs less)"); main() prints "out of memory while <message>" and exits with 1.
struct OutOfMemory : std::runtime_error {
    using std::runtime_error::runtime_error;
};
