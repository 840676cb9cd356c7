// process.h: for tests that run the real ./mnist, as a user would, and read what it printed.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

struct ProgramRun {
    int exit_code = -1;
    std::string out;  // everything printed on stdout
    std::string err;  // everything printed on stderr
};

inline std::string read_text(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// Runs `MNIST_BINARY arguments` through the shell, with stdout and stderr captured in files
// inside `scratch`, and NO_COLOR set so the output is plain.
inline ProgramRun run_mnist(const std::string& arguments, const std::filesystem::path& scratch) {
    const std::filesystem::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
    const std::string command = std::string("NO_COLOR=1 '") + MNIST_BINARY + "' " + arguments +
                                " >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    ProgramRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = read_text(out);
    run.err = read_text(err);
    return run;
}

// A file's bytes exactly as given (replacing what was there), and a file's bytes read back.
inline void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

inline std::vector<std::uint8_t> read_bytes(const std::filesystem::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// A fresh, empty directory for one test's files.
inline std::filesystem::path make_scratch_dir(const std::string& name) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                      (name + "-" + std::to_string(std::rand()) + "-" +
                                       std::to_string(static_cast<long>(::getpid())));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

// Writes an IDX file of unsigned bytes: the 4-byte magic 00 00 08 <ndim>, each dimension as a
// big-endian 32-bit number, then the bytes.
inline void write_idx(const std::filesystem::path& path, const std::vector<std::uint32_t>& dims,
                      const std::vector<std::uint8_t>& bytes) {
    std::ofstream file(path, std::ios::binary);
    const std::uint8_t magic[4] = {0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
    file.write(reinterpret_cast<const char*>(magic), 4);
    for (std::uint32_t d : dims) {
        const std::uint8_t be[4] = {std::uint8_t(d >> 24), std::uint8_t(d >> 16),
                                    std::uint8_t(d >> 8), std::uint8_t(d)};
        file.write(reinterpret_cast<const char*>(be), 4);
    }
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A tiny, easy data set laid out like MNIST: 8x8 images in which digit k is a bright bar in
// row k (plus a little noise), `train` training and `test` test images. A network learns it in
// a few epochs, which lets tests run the whole program in a fraction of a second.
inline void write_tiny_dataset(const std::filesystem::path& dir, int train, int test) {
    std::uint32_t noise = 12345;
    auto make = [&](int count, const std::string& images, const std::string& labels) {
        std::vector<std::uint8_t> pixels(static_cast<std::size_t>(count) * 64), classes(count);
        for (int i = 0; i < count; ++i) {
            const int label = i % 10;
            classes[i] = static_cast<std::uint8_t>(label);
            for (int p = 0; p < 64; ++p) {
                noise = noise * 1103515245u + 12345u;
                const int row = label < 8 ? label : label - 8;
                const bool bar = (p / 8 == row) && (label < 8 || p % 8 < 4);
                pixels[i * 64 + p] = static_cast<std::uint8_t>(bar ? 200 + (noise >> 28) : (noise >> 27));
            }
        }
        write_idx(dir / images, {std::uint32_t(count), 8, 8}, pixels);
        write_idx(dir / labels, {std::uint32_t(count)}, classes);
    };
    make(train, "train-images-idx3-ubyte", "train-labels-idx1-ubyte");
    make(test, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
}
