// files.cpp: reading, writing and planning files (files.h).
//
// Written against POSIX (open, fstat, rename, fsync) rather than <fstream>: the promises of
// files.h need what <fstream> cannot say: "create this name only if it does not exist"
// (O_EXCL), "do not follow a link" (lstat), "do not block on a FIFO" (O_NONBLOCK), "is this the
// same file" (device and inode), and the system's reason for a failure (errno).
//
// Windows (MinGW-w64) has the C runtime's open/read/write/stat but not the rest of POSIX. The
// places marked `#ifdef _WIN32` keep the same promises as far as Windows allows, and say what
// differs and why. In short:
//   - files are opened with O_BINARY: without it the C runtime turns "\n" into "\r\n" and a
//     model file would not survive the trip;
//   - a link is recognised by its Windows attribute (a "reparse point": symbolic links and
//     junctions), because stat() follows links and there is no lstat();
//   - fsync is _commit, and a directory cannot be flushed (NTFS journals the rename itself);
//   - the rename over the target is MoveFileExW(REPLACE_EXISTING | WRITE_THROUGH): rename()
//     of the C runtime refuses to replace an existing file;
//   - only SIGINT, SIGTERM and SIGBREAK exist (Ctrl-C, Ctrl-Break), and they cannot be held
//     back while a temporary file is created: see Temporary;
//   - stat() has no inode (st_ino is 0), so "is this the same file" asks
//     std::filesystem::equivalent, which compares Windows' own file ids.
#include "files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef _WIN32
#include <io.h>  // _commit
#ifndef NOMINMAX
#define NOMINMAX
#endif
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>  // GetFileAttributesW, MoveFileExW
#endif

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "errors.h"

namespace fs = std::filesystem;

namespace {

std::string reason(int error) {
    return std::strerror(error);
}

// How many of `left` bytes to pass to one read() or write(). Windows' versions take an
// unsigned int, so there a larger buffer goes in pieces of 1 GiB.
std::size_t chunk(std::size_t left) {
#ifdef _WIN32
    return left < (std::size_t{1} << 30) ? left : (std::size_t{1} << 30);
#else
    return left;
#endif
}

// "a FIFO", "a directory"...: what a path is, for messages that refuse it.
std::string file_type_text(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
#ifndef _WIN32  // Windows' stat() knows neither sockets nor links
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISLNK(mode)) return "a symbolic link";
#endif
    if (S_ISREG(mode)) return "a regular file";
    return "not a regular file";
}

// The directory a path's file lives in: "a/b.bin" -> "a", "b.bin" -> ".", "/b" -> "/".
std::string directory_of(const std::string& path) {
    const std::string parent = fs::path(path).parent_path().string();
    return parent.empty() ? "." : parent;
}

// ---- Temporary files, and their removal on a signal -----------------------------------------
//
// A signal handler may only call async-signal-safe functions (unlink, signal, raise), and may
// only look at memory it can read without locks: hence a small fixed table of paths, the one
// piece of global state in this program. Slot i is in use while in_use[i] is 1. Only the
// thread that writes files (main) changes the table.

constexpr int kSlots = 4;
constexpr std::size_t kMaxPath = 4096;
char temporary_path[kSlots][kMaxPath];
volatile std::sig_atomic_t in_use[kSlots];
#ifdef _WIN32
// Windows refuses to delete a file that is open, so the handler closes it first. (There the
// handler of Ctrl-C runs on a thread of its own, and close() is safe to call from it.)
volatile int temporary_fd[kSlots];
#endif

extern "C" void remove_temporaries_and_stop(int signal_number) {
    for (int i = 0; i < kSlots; ++i)
        if (in_use[i]) {
#ifdef _WIN32
            if (temporary_fd[i] >= 0) ::close(temporary_fd[i]);
#endif
            ::unlink(temporary_path[i]);
        }
    // Then die of the signal, as if there had been no handler, so the caller sees it.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

bool handler_installed = false;

// The signals whose default action ends the program and that a user or a system sends to stop
// one: Ctrl-C, kill, a closed terminal.
#ifndef _WIN32
const int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
#else
// Windows: no SIGHUP; Ctrl-Break raises SIGBREAK instead.
const int kStopSignals[] = {SIGINT, SIGTERM, SIGBREAK};
#endif

// While one of these lives, the stop signals wait (they are delivered when it ends).
#ifndef _WIN32
class StopSignalsHeld {
public:
    StopSignalsHeld() {
        sigset_t block;
        sigemptyset(&block);
        for (int s : kStopSignals) sigaddset(&block, s);
        sigprocmask(SIG_BLOCK, &block, &previous_);
    }
    ~StopSignalsHeld() { sigprocmask(SIG_SETMASK, &previous_, nullptr); }
    StopSignalsHeld(const StopSignalsHeld&) = delete;
    StopSignalsHeld& operator=(const StopSignalsHeld&) = delete;

private:
    sigset_t previous_;
};
#else
// Windows has no signal mask: Ctrl-C in the instant between creating a temporary file and
// registering it can leave that one file behind (named "<path>.tmp-<pid>-<n>"; the target is
// untouched either way).
class StopSignalsHeld {
public:
    StopSignalsHeld() {}
    ~StopSignalsHeld() {}
};
#endif

// Flags of open(): O_CLOEXEC keeps the file from a child process, O_NOFOLLOW refuses a link.
#ifndef _WIN32
constexpr int kCreateFlags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW;
constexpr int kReadFlags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY;
#else
// Windows: O_NOINHERIT is O_CLOEXEC; there is no O_NOFOLLOW, but O_EXCL (CREATE_NEW) already
// fails on any existing name, a link included; named pipes live apart from files (\\.\pipe\),
// so there is no FIFO for O_NONBLOCK to guard against. O_BINARY: see the top of this file.
constexpr int kCreateFlags = O_WRONLY | O_CREAT | O_EXCL | O_BINARY | O_NOINHERIT;
constexpr int kReadFlags = O_RDONLY | O_BINARY | O_NOINHERIT;
#endif

// A temporary file of ours: created, registered for removal, and removed by the destructor
// unless release() was called after a successful rename.
class Temporary {
public:
    // Creates a new file next to `path`, named "<path>.tmp-<pid>-<n>", with O_EXCL, so it is
    // never a file that existed before (nor a link: O_EXCL fails on any existing name). Another
    // name is tried if that one is taken.
    explicit Temporary(const std::string& path) {
        remove_temporary_files_on_signal();
        // Room for the suffix within a file name's usual limit of 255 bytes.
        const fs::path p(path);
        std::string stem = p.filename().string();
        if (stem.size() > 200) stem.resize(200);
        const std::string prefix = (p.parent_path() / stem).string() + ".tmp-" + std::to_string(::getpid()) + "-";
        if (prefix.size() + 24 >= kMaxPath) throw DataError(path + ": cannot be written: the path is too long");
        int error = 0;
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto ticks = std::chrono::steady_clock::now().time_since_epoch().count();
            name_ = prefix + std::to_string((static_cast<unsigned long long>(ticks) + attempt) % 1000000007ULL);
            {
                // Signals wait while the file is created and registered: a signal in between
                // would otherwise leave it behind.
                const StopSignalsHeld held;
                fd_ = ::open(name_.c_str(), kCreateFlags, 0666);
                error = errno;
                if (fd_ >= 0) register_name();
            }
            if (fd_ >= 0) return;
            if (error != EEXIST) break;
        }
        throw DataError(path + ": cannot be written: cannot create a file in " + directory_of(path) + "/: " +
                        reason(error));
    }
    Temporary(const Temporary&) = delete;
    Temporary& operator=(const Temporary&) = delete;
    ~Temporary() {
        close_file();
        if (slot_ >= 0) {
            ::unlink(name_.c_str());
            in_use[slot_] = 0;
        }
    }
    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    // The file was renamed into place: it is no longer ours to remove.
    void release() {
        if (slot_ >= 0) in_use[slot_] = 0;
        slot_ = -1;
    }
    void close_file() {
#ifdef _WIN32
        if (slot_ >= 0) temporary_fd[slot_] = -1;  // closed here: not for the handler to close
#endif
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    void register_name() {
        for (int i = 0; i < kSlots; ++i)
            if (!in_use[i]) {
                std::memcpy(temporary_path[i], name_.c_str(), name_.size() + 1);
#ifdef _WIN32
                temporary_fd[i] = fd_;
#endif
                in_use[i] = 1;
                slot_ = i;
                return;
            }
        // More files at once than slots: still correct, only not removed on a signal.
    }
    std::string name_;
    int fd_ = -1;
    int slot_ = -1;
};

#ifdef _WIN32
// Windows: a symbolic link or a junction is a file or directory with the "reparse point"
// attribute. stat() follows it (there is no lstat()), and std::filesystem::is_symlink of
// GCC's library on Windows does not see it either (its lstat is stat), so the attribute is
// asked for directly.
bool is_windows_link(const std::string& path) {
    const DWORD attributes = GetFileAttributesW(fs::path(path).c_str());
    return attributes != INVALID_FILE_ATTRIBUTES && (attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0;
}
#endif

// Throws if path exists and is not a regular file we may replace.
void check_replaceable(const std::string& flag, const std::string& path) {
    struct stat st {};
#ifndef _WIN32
    const bool exists = ::lstat(path.c_str(), &st) == 0;
    const bool is_link = exists && S_ISLNK(st.st_mode);
#else
    const bool is_link = is_windows_link(path);
    const bool exists = is_link || ::stat(path.c_str(), &st) == 0;
#endif
    if (!exists) {
        if (errno == ENOENT) return;
        throw DataError(path + ": cannot be written: " + reason(errno));
    }
    const std::string who = flag.empty() ? "an output" : flag;
    if (is_link)
        throw DataError(path + ": is a symbolic link; " + who +
                        " is never written through a link (name the file itself, or remove the link)");
    if (S_ISDIR(st.st_mode)) throw DataError(path + ": is a directory; " + who + " names a file to write");
    if (!S_ISREG(st.st_mode))
        throw DataError(path + ": is " + file_type_text(st.st_mode) + "; " + who +
                        " replaces only regular files (or creates a new one)");
}

void check_directory(const std::string& path) {
    const std::string dir = directory_of(path);
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT)
            throw DataError(path + ": cannot be written: the directory " + dir + "/ does not exist");
        throw DataError(path + ": cannot be written: " + dir + "/: " + reason(errno));
    }
    if (!S_ISDIR(st.st_mode)) throw DataError(path + ": cannot be written: " + dir + " is not a directory");
}

void write_all(const Temporary& temp, const std::string& path, const std::uint8_t* bytes, std::size_t size) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(temp.fd(), bytes + done, chunk(size - done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int error = n < 0 ? errno : EIO;
            throw DataError(path + ": writing failed after " + std::to_string(done) + " of " + std::to_string(size) +
                            " bytes: " + reason(error) + " (the file is unchanged)");
        }
        done += static_cast<std::size_t>(n);
    }
    // The data must be on the disk before the rename makes it the file: otherwise a power cut
    // just after could leave an empty file under the old name on some file systems.
#ifndef _WIN32
    if (::fsync(temp.fd()) != 0)
#else
    if (::_commit(temp.fd()) != 0)  // Windows' fsync (FlushFileBuffers)
#endif
        throw DataError(path + ": writing failed: " + reason(errno) + " (the file is unchanged)");
}

void sync_directory(const std::string& path) {
#ifdef _WIN32
    // Windows: a directory cannot be opened as a file to flush it; MoveFileExW's WRITE_THROUGH
    // (see replace_file) returns only once the rename is on the disk.
    (void)path;
#else
    const int fd = ::open(directory_of(path).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;  // the file is written; only its durability across a power cut is at stake
    ::fsync(fd);
    ::close(fd);
#endif
}

// Renames `from` over `to`, replacing it in one step; false, with the system's reason in `why`,
// if that failed.
bool replace_file(const std::string& from, const std::string& to, std::string& why) {
#ifndef _WIN32
    // rename() replaces `to` in one step (POSIX): never a moment without a whole file there.
    // If `to` became a link since it was checked, the link itself is replaced, not its target.
    if (std::rename(from.c_str(), to.c_str()) == 0) return true;
    why = reason(errno);
    return false;
#else
    // Windows: rename() of the C runtime fails if `to` exists. MoveFileExW replaces it, on NTFS
    // by one rename of the directory entry (Windows does not promise atomicity in writing, but
    // it is what NTFS does), and a link at `to` is replaced rather than followed.
    if (MoveFileExW(fs::path(from).c_str(), fs::path(to).c_str(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
        return true;
    why = std::system_category().message(static_cast<int>(GetLastError()));
    return false;
#endif
}

}  // namespace

void remove_temporary_files_on_signal() {
    if (handler_installed) return;
    handler_installed = true;
    for (int s : kStopSignals) {
#ifdef _WIN32
        // Windows has no sigaction(); std::signal returns the handler it replaced, so an
        // ignored signal is put back to ignored, as below.
        if (std::signal(s, remove_temporaries_and_stop) == SIG_IGN) std::signal(s, SIG_IGN);
#else
        struct sigaction current;
        sigaction(s, nullptr, &current);
        if (current.sa_handler == SIG_IGN) continue;  // e.g. under nohup: keep ignoring it
        struct sigaction action;
        std::memset(&action, 0, sizeof action);
        action.sa_handler = remove_temporaries_and_stop;
        sigemptyset(&action.sa_mask);
        sigaction(s, &action, nullptr);
#endif
    }
}

// ---- Reading --------------------------------------------------------------------------------

InputFile::InputFile(InputFile&& other) noexcept : path(std::move(other.path)), size(other.size), fd(other.fd) {
    other.fd = -1;
}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
    if (this != &other) {
        if (fd >= 0) ::close(fd);
        path = std::move(other.path);
        size = other.size;
        fd = other.fd;
        other.fd = -1;
    }
    return *this;
}

InputFile::~InputFile() {
    if (fd >= 0) ::close(fd);
}

InputFile open_input_file(const std::string& path, const std::string& kind) {
    // stat() before open(): opening a FIFO for reading waits for a writer, and opening a device
    // can have effects of its own. Only a regular file is opened at all.
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) throw DataError(path + ": no such file");
        throw DataError(path + ": cannot be opened: " + reason(errno));
    }
    if (!S_ISREG(st.st_mode)) throw DataError(path + ": is " + file_type_text(st.st_mode) + ", not " + kind);
    // The path may have been swapped for a FIFO since: O_NONBLOCK makes that open return at
    // once, and fstat() on what was opened has the last word.
    InputFile file;
    file.path = path;
    file.fd = ::open(path.c_str(), kReadFlags);
    if (file.fd < 0) throw DataError(path + ": cannot be opened: " + reason(errno));
    if (::fstat(file.fd, &st) != 0) throw DataError(path + ": cannot be opened: " + reason(errno));
    if (!S_ISREG(st.st_mode)) throw DataError(path + ": is " + file_type_text(st.st_mode) + ", not " + kind);
    file.size = static_cast<std::uint64_t>(st.st_size);
    return file;
}

void read_more(InputFile& file, std::vector<std::uint8_t>& bytes, std::uint64_t count) {
    // Never more than the file holds, whatever a header asked for.
    if (count > file.size) count = file.size;
    const std::size_t start = bytes.size();
    bytes.resize(start + static_cast<std::size_t>(count));
    std::size_t done = start;
    while (done < bytes.size()) {
        const ssize_t n = ::read(file.fd, bytes.data() + done, chunk(bytes.size() - done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw DataError(file.path + ": cannot be read: " + reason(errno));
        if (n == 0) break;  // the file ended early (it shrank while we read): the parser says so
        done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
}

std::vector<std::uint8_t> read_bytes(InputFile& file, std::uint64_t count) {
    std::vector<std::uint8_t> bytes;
    read_more(file, bytes, count);
    return bytes;
}

std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& kind,
                                          std::uint64_t max_bytes) {
    InputFile file = open_input_file(path, kind);
    if (file.size > max_bytes)
        throw DataError(path + ": is " + std::to_string(file.size) + " bytes, more than " + kind +
                        " can be (at most " + std::to_string(max_bytes) + " bytes)");
    std::vector<std::uint8_t> bytes = read_bytes(file, file.size);
    if (bytes.size() != file.size) throw DataError(path + ": could not be read to the end");
    return bytes;
}

// ---- Writing --------------------------------------------------------------------------------

void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    check_replaceable("", path);
    check_directory(path);
    Temporary temp(path);
#ifndef _WIN32
    // A file replaced keeps its permissions; a new one gets 0666 less the umask, as any.
    // (Windows: its only "permission" here is read-only, and a read-only file cannot be
    // replaced at all, so there is nothing to copy.)
    struct stat old;
    if (::stat(path.c_str(), &old) == 0 && S_ISREG(old.st_mode)) ::fchmod(temp.fd(), old.st_mode & 07777);
#endif
    write_all(temp, path, bytes.data(), bytes.size());
#ifndef _WIN32
    struct stat written;
    ::fstat(temp.fd(), &written);
#else
    temp.close_file();  // Windows renames no file that is open
#endif
    std::string why;
    if (!replace_file(temp.name(), path, why))
        throw DataError(path + ": cannot be written: renaming " + temp.name() + " to it failed: " + why +
                        " (the file is unchanged)");
    temp.release();
    temp.close_file();
    sync_directory(path);
#ifndef _WIN32
    // Another run may have renamed its own file over ours in the meantime: then the file at
    // path is not the one this run wrote, and it must not say that it is. (Windows: stat() has
    // no inode to compare, and the file closed before its rename can no longer be asked for
    // its id; this check is left out there.)
    struct stat now;
    if (::stat(path.c_str(), &now) != 0 || now.st_dev != written.st_dev || now.st_ino != written.st_ino)
        throw DataError(path + ": was replaced by another program right after this run wrote it; it does not hold "
                        "this run's output");
#endif
}

void write_file_atomically(const std::string& path, const std::string& text) {
    write_file_atomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

void check_output_writable(const std::string& flag, const std::string& path) {
    check_replaceable(flag, path);
    check_directory(path);
    // Whether a file can be created there (permissions, a read-only disk) is only known by
    // trying: a temporary file of our own, unique, removed again by its destructor.
    Temporary probe(path);
}

void make_output_directory(const std::string& flag, const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) {
        if (!S_ISDIR(st.st_mode)) throw DataError(dir + ": is " + file_type_text(st.st_mode) + "; " + flag + " needs a directory");
        return;
    }
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) throw DataError(dir + ": cannot create the " + flag + " directory: " + error.message());
}

// ---- Planning -------------------------------------------------------------------------------

namespace {

// The absolute path with ".", ".." and the links of its existing part resolved.
std::string resolved(const std::string& path) {
    std::error_code error;
    const fs::path absolute = fs::absolute(path, error);
    if (error) return path;
    const fs::path canonical = fs::weakly_canonical(absolute, error);
    return error ? absolute.lexically_normal().string() : canonical.string();
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
#ifdef _WIN32
    // Windows: stat() gives no inode (st_ino is always 0); equivalent() compares the volume and
    // file ids Windows keeps instead, and is false if either file does not exist.
    std::error_code error;
    if (fs::equivalent(a, b, error) && !error) return true;
#else
    struct stat sa, sb;
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino)
        return true;
#endif
    return resolved(a) == resolved(b);
}

void RunFiles::add_input(const std::string& flag, const std::string& path) {
    inputs_.push_back({flag, path});
}

void RunFiles::add_output(const std::string& flag, const std::string& path) {
    outputs_.push_back({flag, path});
}

void RunFiles::add_output_directory(const std::string& flag, const std::string& path) {
    directories_.push_back({flag, path});
}

void RunFiles::check_conflicts() const {
    auto conflict = [](const Entry& out, const Entry& other, const std::string& consequence) {
        throw UsageError(out.flag + " '" + out.path + "' is the same file as " + other.flag + " '" + other.path +
                         "': " + consequence);
    };
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
        const Entry& out = outputs_[i];
        for (const Entry& in : inputs_)
            if (same_file(out.path, in.path)) conflict(out, in, "writing it would destroy an input of this run");
        for (std::size_t j = 0; j < i; ++j)
            if (same_file(out.path, outputs_[j].path)) conflict(out, outputs_[j], "one output would overwrite the other");
        for (const Entry& dir : directories_)
            if (same_file(out.path, dir.path)) conflict(out, dir, "it cannot be both a file and a directory");
    }
    for (const Entry& dir : directories_)
        for (const Entry& in : inputs_)
            if (same_file(dir.path, in.path)) conflict(dir, in, "it cannot be both a directory to write in and an input");
}

void RunFiles::check() const {
    check_conflicts();
    for (const Entry& dir : directories_) make_output_directory(dir.flag, dir.path);
    for (const Entry& out : outputs_) check_output_writable(out.flag, out.path);
}
