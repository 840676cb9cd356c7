// files.cpp: whole-file reads and atomic writes (files.h).
#include "files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "errors.h"

namespace fs = std::filesystem;

std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& kind) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (!fs::exists(status)) throw DataError(path + ": no such file");
    if (fs::is_directory(status)) throw DataError(path + ": is a directory, not " + kind);

    std::ifstream file(path, std::ios::binary);
    if (!file) throw DataError(path + ": cannot be opened: " + std::strerror(errno));
    const std::uintmax_t size = fs::file_size(path, error);
    if (error) throw DataError(path + ": cannot tell its size: " + error.message());

    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size));
    file.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(file.gcount()) != size)
        throw DataError(path + ": could not be read to the end");
    return bytes;
}

void check_file_writable(const std::string& path) {
    std::error_code error;
    if (fs::is_directory(path, error)) throw DataError(path + ": is a directory, not a file to write");
    const std::string temporary = path + ".tmp";
    const bool existed = fs::exists(temporary, error);
    {
        // Appending opens the file for writing without truncating what may be there.
        std::ofstream file(temporary, std::ios::binary | std::ios::app);
        if (!file) throw DataError(path + ": cannot be written (" + temporary + ": " + std::strerror(errno) + ")");
    }
    if (!existed) fs::remove(temporary, error);
}

void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    check_file_writable(path);
    const std::string temporary = path + ".tmp";
    // Remove whatever is at FILE.tmp first: opening an existing symbolic link would write
    // through it, into the file it points to, which in a shared directory may be someone else's.
    std::error_code error;
    fs::remove(temporary, error);
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) throw DataError(path + ": cannot be written (" + temporary + ": " + std::strerror(errno) + ")");
    file.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    file.close();
    if (!file) {
        fs::remove(temporary, error);
        throw DataError(path + ": writing " + temporary + " failed (disk full?)");
    }
    // std::filesystem::rename replaces an existing path in one step: rename(2) on POSIX, and
    // MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows, where the C library's std::rename
    // would refuse to overwrite an existing FILE.
    fs::rename(temporary, path, error);
    if (error) {
        const std::string reason = error.message();
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw DataError(path + ": cannot rename " + temporary + " to it: " + reason);
    }
}
