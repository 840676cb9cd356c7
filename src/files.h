// files.h: every file this program reads or writes goes through here, so that the promises
// of docs/files.md ("What ./mnist promises about your files") are kept in one place:
//
//   reading   only regular files are opened: a FIFO, a device or a socket is refused before
//             open() could block on it, and a file is read only after its size is known, so a
//             reader can check a header against that size before it allocates anything;
//   writing   a file is written whole or not at all. The bytes go to a new temporary file
//             with a unique name in the same directory (created exclusively: never an existing
//             file, never through a link), are flushed to the disk, and the temporary file is
//             renamed over the target. Whoever opens the target sees the old file or the new
//             one, never a part of one, whatever happens: a full disk, a signal, a second run
//             writing the same path. Only regular files are replaced: an output path that is a
//             symbolic link, a device or a directory is refused. On any failure the temporary
//             file is removed, and on SIGINT, SIGTERM or SIGHUP too (on Windows, which has
//             neither lstat() nor SIGHUP, the same as far as it allows: see files.cpp);
//   planning  RunFiles lists the files one run will read and write, so that before any work
//             starts, an output that is one of the inputs (or another output) is refused, and
//             every output is checked to be writable, with the system's reason if it is not.
//
// Every fault is a DataError (exit 1) whose message starts with the path, except the conflicts
// of RunFiles::check_conflicts(), which are the command line's fault: UsageError (exit 2).
//
// How a command that writes a file uses this (main.cpp's run does exactly this):
//
//     RunFiles files;
//     files.add_input("--load", model_path);
//     files.add_output("--report", report_path);
//     files.check();                               // before any training: conflicts, then
//                                                  // each output writable
//     ...
//     write_file_atomically(report_path, text);   // at the end
//
// Read next: model_file.h, the format this program writes as well as reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

// ---- Reading --------------------------------------------------------------------------------

// A regular file opened for reading, and its size in bytes. Move-only; closes itself.
struct InputFile {
    std::string path;
    std::uint64_t size = 0;
    int fd = -1;
    InputFile() = default;
    InputFile(InputFile&& other) noexcept;
    InputFile& operator=(InputFile&& other) noexcept;
    InputFile(const InputFile&) = delete;
    InputFile& operator=(const InputFile&) = delete;
    ~InputFile();
};

// Opens path for reading, without blocking: anything but a regular file (a directory, a FIFO,
// a device) is refused with "path: is a FIFO, not <kind>"; a path that cannot be opened gives
// the system's reason ("no such file", "Too many levels of symbolic links", "Permission
// denied"). `kind` names what the file should be, e.g. "an IDX file".
InputFile open_input_file(const std::string& path, const std::string& kind);

// The next `count` bytes of the file (fewer only at its end). A reader first takes the header
// this way, checks it against file.size, and only then asks for the rest with read_more().
std::vector<std::uint8_t> read_bytes(InputFile& file, std::uint64_t count);

// Appends the next `count` bytes of the file (fewer only at its end) to `bytes`, reading
// straight into its memory: the rest of a 47 MB file is never held twice.
void read_more(InputFile& file, std::vector<std::uint8_t>& bytes, std::uint64_t count);

// The whole file, for formats without a size in their header. Refuses a file larger than
// max_bytes before reading it, with a message naming the limit.
std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& kind,
                                          std::uint64_t max_bytes);

// ---- Writing --------------------------------------------------------------------------------

// Writes bytes to path, atomically (see the top of this file). Throws DataError with the
// system's reason ("No space left on device", "File too large", ...); the file at path, if
// there was one, is then exactly as it was. After the rename the file at path is checked to be
// the one just written: if another program replaced it in between, this says so (DataError)
// rather than claim a file that is no longer there.
void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);
void write_file_atomically(const std::string& path, const std::string& text);

// Throws the DataError that write_file_atomically(path, ...) would throw before its first byte:
// path is a link, a directory or a special file; its directory does not exist or is not one;
// a file cannot be created in it (the system's reason, found by creating, and removing, a
// temporary file of our own). Writes nothing else. `flag` names the option, e.g. "--save".
void check_output_writable(const std::string& flag, const std::string& path);

// Creates directory `dir` and its parents if needed (for --plots); throws DataError with the
// system's reason if that fails or if `dir` is not a directory.
void make_output_directory(const std::string& flag, const std::string& dir);

// Installs the SIGINT, SIGTERM and SIGHUP handler that removes this process's temporary files
// before the signal ends it (with the signal's usual exit status). write_file_atomically()
// installs it itself; calling it first, at the start of main(), is harmless.
void remove_temporary_files_on_signal();

// ---- Planning -------------------------------------------------------------------------------

// The files one run reads and writes, named by the option that gave them. Two paths are the
// same file if they resolve to the same absolute path (".", "..", and symbolic links in the
// part that exists) or, when both exist, have the same device and inode (a hard link).
class RunFiles {
public:
    void add_input(const std::string& flag, const std::string& path);
    void add_output(const std::string& flag, const std::string& path);
    // A directory the run writes outputs into (--plots); it may not be an input or an output.
    void add_output_directory(const std::string& flag, const std::string& path);

    // Throws UsageError "--save 'a.bin' is the same file as --load 'a.bin': ..." for the first
    // output that is an input, another output, or an output directory.
    void check_conflicts() const;
    // check_conflicts(); then creates each output directory (make_output_directory) and runs
    // check_output_writable() for every output. Call it before any work starts.
    void check() const;

private:
    struct Entry {
        std::string flag, path;
    };
    std::vector<Entry> inputs_, outputs_, directories_;
};

// True if a and b name the same file (as RunFiles decides it). Neither needs to exist.
bool same_file(const std::string& a, const std::string& b);
