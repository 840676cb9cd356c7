// test_hostile_files: what the real ./mnist does to the files around it when a user (or the
// machine) is hostile: outputs named like inputs, links, special files, a full disk, a signal
// in the middle of a save, two runs saving to the same path at once. The promises checked are
// those of docs/files.md; after every failure, the file that was there before is compared
// byte for byte with what it held. (test_hostile_input.cpp is the catalogue of bad data and
// bad options; this file is the catalogue of files.)
#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "check.h"
#include "model_file.h"
#include "process.h"

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path scratch;

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

Bytes text_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

// The names in a directory, sorted: what is there after a run, temporary files included.
std::vector<std::string> listing(const fs::path& dir) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const std::string& n : names) text += (text.empty() ? "" : " ") + n;
    return text;
}

// Runs `setup exec wrapper MNIST_BINARY arguments` as a shell script, output captured as
// run_mnist() does. `setup` prepares the process (a file-size limit, a pipe into it) and
// `wrapper` is a command that runs the program (`timeout 60`).
ProgramRun run_with(const std::string& setup, const std::string& wrapper, const std::string& arguments) {
    const fs::path out = scratch / "stdout.txt", err = scratch / "stderr.txt";
    const fs::path script = scratch / "command.sh";
    std::ofstream(script) << setup << "exec " << wrapper << "env NO_COLOR=1 '" << MNIST_BINARY << "' " << arguments << "\n";
    const std::string command = "sh '" + script.string() + "' >'" + out.string() + "' 2>'" + err.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    ProgramRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_text(out);
    r.err = read_text(err);
    return r;
}

// A run that cannot hang the suite: `timeout` ends it after 60 s, where the system has it.
ProgramRun run_bounded(const std::string& arguments) {
    const bool has_timeout = std::system("command -v timeout >/dev/null 2>&1") == 0;
    return run_with("", has_timeout ? "timeout -k 5 60 " : "", arguments);
}

ProgramRun run(const std::string& arguments) {
    return run_mnist(arguments, scratch);
}

// A run that fails as it should: the exit code, one line on stderr holding every part, and
// (when `before_training`) no epoch printed.
void expect_refusal(const ProgramRun& r, int exit_code, const std::vector<std::string>& parts, const std::string& label,
                    bool before_training = true) {
    check::equal(r.exit_code, exit_code, label + ": exit code (stderr: " + r.err + ")");
    check::equal(std::count(r.err.begin(), r.err.end(), '\n'), 1, label + ": one line on stderr");
    for (const std::string& part : parts) check::contains(r.err, part, label + ": message");
    if (before_training) check::expect(r.out.find("Epoch 1/") == std::string::npos, label + ": refused before training");
}

void expect_intact(const fs::path& path, const Bytes& before, const std::string& label) {
    check::expect(read_bytes(path) == before, label + ": " + path.string() + " is byte for byte what it was");
}

// A data directory of tiny 8x8 images (tests/process.h).
fs::path tiny_data(const std::string& name) {
    const fs::path dir = scratch / name;
    fs::create_directories(dir);
    write_tiny_dataset(dir, 600, 100);
    return dir;
}

// ---- Outputs that are inputs, or each other ------------------------------------------------

void outputs_that_are_inputs(const fs::path& data) {
    const std::string d = "--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 8 ";
    const fs::path images = data / "train-images-idx3-ubyte", labels = data / "train-labels-idx1-ubyte";
    const fs::path test_images = data / "t10k-images-idx3-ubyte";
    const Bytes images_before = read_bytes(images), labels_before = read_bytes(labels);
    const Bytes test_before = read_bytes(test_images);

    expect_refusal(run(d + "--save " + quoted(images)), 2,
                   {"--save '" + images.string() + "' is the same file as --data", "would destroy an input"},
                   "--save onto a training file");
    expect_intact(images, images_before, "--save onto a training file");
    // Spelled differently: through "..", and through a hard link (same device and inode).
    expect_refusal(run(d + "--report " + quoted(data / ".." / data.filename() / "train-labels-idx1-ubyte")), 2,
                   {"is the same file as --data"}, "--report onto a label file, by another path");
    expect_intact(labels, labels_before, "--report onto a label file");
    fs::create_hard_link(labels, scratch / "hard-link");
    expect_refusal(run(d + "--report " + quoted(scratch / "hard-link")), 2, {"is the same file as --data"},
                   "--report onto a hard link to a label file");
    expect_intact(labels, labels_before, "--report onto a hard link");
    expect_refusal(run("export-pgm 0 " + quoted(test_images) + " --data " + quoted(data)), 2,
                   {"is the same file as --data"}, "export-pgm onto the test images");
    expect_intact(test_images, test_before, "export-pgm onto the test images");

    // --report onto the --load model.
    const fs::path model = scratch / "model.bin";
    check::equal(run(d + "--save " + quoted(model)).exit_code, 0, "a model to load");
    const Bytes model_before = read_bytes(model);
    expect_refusal(run(d + "--epochs 0 --load " + quoted(model) + " --report " + quoted(model)), 2,
                   {"--report '" + model.string() + "' is the same file as --load"}, "--report onto the --load model");
    expect_intact(model, model_before, "--report onto the --load model");

    // --save into the --plots directory under a picture's name, and one path for two outputs.
    const fs::path plots = scratch / "plots-conflict";
    expect_refusal(run(d + "--plots " + quoted(plots) + " --save " + quoted(plots / "loss.svg")), 2,
                   {"is the same file as --save"}, "--save as a picture of --plots");
    expect_refusal(run(d + "--plots " + quoted(scratch / "P") + " --save " + quoted(scratch / "P")), 2,
                   {"both a file and a directory"}, "--save P --plots P");
    expect_refusal(run(d + "--plots " + quoted(scratch / "P") + " --report " + quoted(scratch / "P")), 2,
                   {"both a file and a directory"}, "--report P --plots P");
    expect_refusal(run(d + "--save " + quoted(scratch / "m.bin") + " --report " + quoted(scratch / "." / "m.bin")), 2,
                   {"is the same file as --save"}, "--save and --report, one file");
}

// ---- Links, special files, files the user owns ---------------------------------------------

void links_and_special_files(const fs::path& data) {
    const std::string d = "--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 8 ";
    const fs::path outside = scratch / "outside.txt";
    write_bytes(outside, text_bytes("someone else's file\n"));
    const Bytes outside_before = read_bytes(outside);

    // A picture's name in the plots directory is a link to a file outside it.
    const fs::path plots = scratch / "plots-link";
    fs::create_directories(plots);
    fs::create_symlink(outside, plots / "loss.svg");
    expect_refusal(run(d + "--plots " + quoted(plots)), 1, {"loss.svg: is a symbolic link", "never written through a link"},
                   "a link in the plots directory");
    expect_intact(outside, outside_before, "a link in the plots directory");
    fs::create_symlink(outside, scratch / "save-link");
    expect_refusal(run(d + "--save " + quoted(scratch / "save-link")), 1, {"is a symbolic link"}, "--save onto a link");
    expect_refusal(run(d + "--report " + quoted(scratch / "save-link")), 1, {"is a symbolic link"}, "--report onto a link");
    expect_intact(outside, outside_before, "--save and --report onto a link");

    // Outputs that exist must be regular files: a FIFO, and (as root, who may make one) a
    // character device, are refused and stay what they were.
    const fs::path fifo = scratch / "out-fifo";
    ::mkfifo(fifo.c_str(), 0600);
    expect_refusal(run(d + "--save " + quoted(fifo)), 1, {"is a FIFO", "replaces only regular files"}, "--save onto a FIFO");
    check::expect(fs::is_fifo(fifo), "--save onto a FIFO: it is still a FIFO");
    const fs::path device = scratch / "null-device";
    if (::mknod(device.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
        expect_refusal(run(d + "--save " + quoted(device)), 1, {"is a character device"}, "--save onto a device");
        check::expect(fs::is_character_file(device), "--save onto a device: it is still a device");
    } else {
        std::printf("test_hostile_files: cannot make a device node here (%s): that case is skipped\n", std::strerror(errno));
    }

    // Files that only look like ours: OUT.tmp next to --save OUT, and the old probe's name in
    // the plots directory. Both stay, and nothing else is left behind.
    const fs::path dir = scratch / "users-files";
    fs::create_directories(dir / "plots");
    write_bytes(dir / "out.bin.tmp", text_bytes("my notes\n"));
    write_bytes(dir / "plots" / ".mnist-write-test", text_bytes("mine too\n"));
    const ProgramRun ok = run(d + "--save " + quoted(dir / "out.bin") + " --plots " + quoted(dir / "plots") +
                              " --report " + quoted(dir / "r.json"));
    check::equal(ok.exit_code, 0, "a run next to the user's files (stderr: " + ok.err + ")");
    expect_intact(dir / "out.bin.tmp", text_bytes("my notes\n"), "OUT.tmp next to --save OUT");
    expect_intact(dir / "plots" / ".mnist-write-test", text_bytes("mine too\n"), ".mnist-write-test in --plots");
    check::equal(joined(listing(dir)), "out.bin out.bin.tmp plots r.json", "only the outputs were added");
    check::equal(joined(listing(dir / "plots")), ".mnist-write-test accuracy.svg confusion.svg loss.svg mistakes.svg weights.svg",
                 "only the pictures were added");
}

// ---- Every output checked before the first epoch, with the system's reason -----------------

void outputs_checked_first(const fs::path& data) {
    const std::string d = "--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 8 ";
    write_bytes(scratch / "a-file", text_bytes("x"));
    expect_refusal(run(d + "--plots " + quoted(scratch / "a-file" / "sub")), 1,
                   {"cannot create the --plots directory: Not a directory"}, "--plots under a file");
    expect_refusal(run(d + "--plots " + quoted(scratch / "a-file")), 1, {"is a regular file; --plots needs a directory"},
                   "--plots names a file");
    expect_refusal(run(d + "--report " + quoted(scratch / "no-dir" / "r.json")), 1,
                   {"cannot be written: the directory " + (scratch / "no-dir").string() + "/ does not exist"},
                   "--report in a missing directory");
    expect_refusal(run(d + "--save " + quoted(scratch / "a-file" / "m.bin")), 1, {"Not a directory"},
                   "--save under a file");
    expect_refusal(run(d + "--report " + quoted(scratch)), 1, {"is a directory; --report names a file"},
                   "--report names a directory");
    if (geteuid() != 0) {  // root may write anywhere
        const fs::path locked = scratch / "locked";
        fs::create_directories(locked);
        fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
        expect_refusal(run(d + "--save " + quoted(locked / "m.bin")), 1, {"Permission denied"}, "--save in a read-only directory");
        fs::permissions(locked, fs::perms::owner_all);
    }
}

// ---- Inputs that are not regular files, and links that go nowhere --------------------------

void special_inputs(const fs::path& model) {
    // A FIFO with no writer: opening it for reading would wait forever. Each run is bounded
    // (`timeout`), so a regression fails here instead of hanging the suite.
    const fs::path data = scratch / "fifo-data";
    fs::create_directories(data);
    write_tiny_dataset(data, 600, 100);
    fs::remove(data / "train-labels-idx1-ubyte");
    ::mkfifo((data / "train-labels-idx1-ubyte").c_str(), 0600);
    expect_refusal(run_bounded("--data " + quoted(data) + " --valid 100 --epochs 1"), 1,
                   {"train-labels-idx1-ubyte: is a FIFO (named pipe), not an IDX file"}, "a FIFO as a data file");
    const fs::path fifo = scratch / "in-fifo";
    ::mkfifo(fifo.c_str(), 0600);
    expect_refusal(run_bounded("--data " + quoted(tiny_data("fifo-load-data")) + " --valid 100 --load " + quoted(fifo)), 1,
                   {"in-fifo: is a FIFO (named pipe), not a model file"}, "a FIFO as --load");
    expect_refusal(run_bounded("predict " + quoted(model) + " " + quoted(fifo)), 1, {"in-fifo: is a FIFO (named pipe), not a PGM image"},
                   "a FIFO as predict's image");
    expect_refusal(run_bounded("predict " + quoted(fifo) + " " + quoted(fifo)), 1, {"is a FIFO (named pipe), not a model file"},
                   "a FIFO as predict's model");
    // predict reads only regular files: /dev/stdin from a pipe is refused, not waited on.
    const ProgramRun piped = run_with("echo P5 | ", "", "predict " + quoted(model) + " /dev/stdin");
    expect_refusal(piped, 1, {"/dev/stdin: is a FIFO (named pipe), not a PGM image"}, "predict /dev/stdin from a pipe");

    // A link loop: the system's reason, not "no such file".
    fs::create_symlink(scratch / "loop-b", scratch / "loop-a");
    fs::create_symlink(scratch / "loop-a", scratch / "loop-b");
    expect_refusal(run("--data " + quoted(tiny_data("loop-data")) + " --valid 100 --load " + quoted(scratch / "loop-a")), 1,
                   {"loop-a: cannot be opened: Too many levels of symbolic links"}, "--load through a link loop");
    const fs::path loop_data = tiny_data("loop-data-file");
    fs::remove(loop_data / "train-images-idx3-ubyte");
    fs::create_symlink(loop_data / "train-images-idx3-ubyte", loop_data / "train-images-idx3-ubyte");
    expect_refusal(run("--data " + quoted(loop_data) + " --valid 100"), 1,
                   {"train-images-idx3-ubyte: cannot be opened: Too many levels of symbolic links"}, "a data file that links to itself");
}

// ---- Memory: a header is checked against the file's size before anything is allocated ------

// The peak resident memory, in MB, of `arguments` run in a child of a fresh child (so that
// RUSAGE_CHILDREN sees that run alone).
long peak_megabytes(const std::string& arguments) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) return -1;
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(pipe_fds[0]);
        run_mnist(arguments, scratch);
        struct rusage usage;
        ::getrusage(RUSAGE_CHILDREN, &usage);
        const long mb = usage.ru_maxrss / 1024;
        (void)!::write(pipe_fds[1], &mb, sizeof mb);
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    long mb = -1;
    (void)!::read(pipe_fds[0], &mb, sizeof mb);
    ::close(pipe_fds[0]);
    ::waitpid(child, nullptr, 0);
    return mb;
}

void memory(const fs::path& model) {
    // A label file whose header says 100 labels, padded to 1 GB (a sparse file: no disk used).
    const fs::path data = tiny_data("padded");
    const fs::path labels = data / "t10k-labels-idx1-ubyte";
    fs::resize_file(labels, 1ull << 30);
    const std::string arguments = "--data " + quoted(data) + " --valid 100 --epochs 1";
    expect_refusal(run(arguments), 1, {"t10k-labels-idx1-ubyte: has 1073741716 trailing bytes after the 100 bytes"}, "a label file padded to 1 GB");
    const long peak = peak_megabytes(arguments);
    check::expect(peak > 0 && peak < 400, "a label file padded to 1 GB is refused in under 400 MB (peak " +
                                              std::to_string(peak) + " MB)");
    // A model file padded the same way.
    const fs::path padded_model = scratch / "padded.bin";
    fs::copy_file(model, padded_model);
    fs::resize_file(padded_model, 1ull << 30);
    const std::string load = "--data " + quoted(tiny_data("padded-model-data")) + " --valid 100 --load " + quoted(padded_model);
    expect_refusal(run(load), 1, {"padded.bin: has ", "trailing bytes"}, "a model file padded to 1 GB");
    const long model_peak = peak_megabytes(load);
    check::expect(model_peak > 0 && model_peak < 400, "a model padded to 1 GB is refused in under 400 MB (peak " +
                                                          std::to_string(model_peak) + " MB)");

    // predict: an image larger than 4096x4096 is refused before its pixels are read, and a
    // PGM file larger than any such image could be, before it is read at all.
    const fs::path big = scratch / "big.pgm";
    write_bytes(big, text_bytes("P5\n8000 8000\n255\n"));
    fs::resize_file(big, 17 + 8000ull * 8000ull);
    expect_refusal(run("predict " + quoted(model) + " " + quoted(big)), 1,
                   {"big.pgm: is 8000x8000 pixels, more than the 16777216 (4096x4096)", "scale it down"},
                   "predict on an 8000x8000 image");
    fs::resize_file(big, 1ull << 30);
    expect_refusal(run("predict " + quoted(model) + " " + quoted(big)), 1, {"big.pgm: is 1073741824 bytes, more than a PGM image"},
                   "predict on a 1 GB file");
}

// ---- A full disk ----------------------------------------------------------------------------

// A directory where writing fails for lack of space. As root, a 2 MB tmpfs is mounted on it
// and filled up, a real full disk; where mounting is not allowed (a container, an ordinary
// user), the fallback makes write() fail the way a full disk does, with an error, through
// RLIMIT_FSIZE: `ulimit -f` caps the size of any file the program writes, and with SIGXFSZ
// ignored the write that would pass it returns EFBIG ("File too large") instead of killing it.
struct FullDisk {
    fs::path dir;
    bool mounted = false;
    std::string prefix;  // shell words to put before the program for the fallback
};

FullDisk make_full_disk(bool try_mount) {
    FullDisk disk;
    disk.dir = scratch / (try_mount ? "full-tmpfs" : "full-fake");
    fs::create_directories(disk.dir);
    if (try_mount && ::mount("tmpfs", disk.dir.c_str(), "tmpfs", 0, "size=2m") == 0) {
        disk.mounted = true;
    } else {
        if (try_mount)
            std::printf("test_hostile_files: cannot mount a small tmpfs (%s); only the fake full disk is tested\n",
                        std::strerror(errno));
        // One block: 512 bytes in dash, 1024 in bash; every output below is larger.
        disk.prefix = "trap '' XFSZ; ulimit -f 1; ";
    }
    return disk;
}

// Fills the mounted disk to the last block, so the next write fails with ENOSPC.
void fill(const FullDisk& disk) {
    if (!disk.mounted) return;
    std::ofstream filler(disk.dir / "filler", std::ios::binary);
    const std::vector<char> block(4096, 'x');
    while (filler.write(block.data(), block.size())) {
    }
}

ProgramRun run_on_full_disk(const FullDisk& disk, const std::string& arguments) {
    return run_with(disk.prefix, "", arguments);
}

// The same three outputs on a real full disk (if one can be mounted) and on the fake one.
void full_disk(const fs::path& data, bool try_mount) {
    const FullDisk disk = make_full_disk(try_mount);
    if (try_mount && !disk.mounted) return;
    // The earlier outputs, each larger than the new ones could fit in what is left: a report,
    // the pictures, and a model.
    const fs::path report = disk.dir / "r.json", model = disk.dir / "m.bin", plots = disk.dir / "plots";
    write_bytes(report, text_bytes("{\"the earlier report\": true}\n"));
    write_bytes(model, text_bytes("the earlier model\n"));
    fs::create_directories(plots);
    write_bytes(plots / "loss.svg", text_bytes("<svg>the earlier picture</svg>\n"));
    fill(disk);
    const std::string reason = disk.mounted ? "No space left on device" : "File too large";
    // A 64-64-10 model (17 KB), a report and pictures of a few KB: more than either disk allows.
    const std::string d = "--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 64 ";

    expect_refusal(run_on_full_disk(disk, d + "--report " + quoted(report)), 1,
                   {report.string() + ": writing failed after", reason, "(the file is unchanged)"}, "--report on a full disk",
                   false);
    expect_intact(report, text_bytes("{\"the earlier report\": true}\n"), "--report on a full disk");
    expect_refusal(run_on_full_disk(disk, d + "--plots " + quoted(plots)), 1, {"loss.svg: writing failed after", reason},
                   "--plots on a full disk", false);
    expect_intact(plots / "loss.svg", text_bytes("<svg>the earlier picture</svg>\n"), "--plots on a full disk");
    expect_refusal(run_on_full_disk(disk, d + "--save " + quoted(model)), 1, {"m.bin: writing failed after", reason},
                   "--save on a full disk", false);
    expect_intact(model, text_bytes("the earlier model\n"), "--save on a full disk");
    // No temporary file is left behind by any of the three.
    check::equal(joined(listing(disk.dir)), disk.mounted ? "filler m.bin plots r.json" : "m.bin plots r.json",
                 "a full disk: no temporary file left");
    check::equal(joined(listing(plots)), "loss.svg", "a full disk: no temporary picture left");
    if (disk.mounted) ::umount2(disk.dir.c_str(), MNT_DETACH);
}

// ---- A signal in the middle of a save -------------------------------------------------------

// Starts ./mnist with the arguments (no shell), output to files in scratch.
pid_t spawn(const std::vector<std::string>& arguments, const std::string& tag) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int out = ::open((scratch / (tag + ".out")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err = ::open((scratch / (tag + ".err")).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(err, 2);
        std::vector<char*> argv = {const_cast<char*>(MNIST_BINARY)};
        for (const std::string& a : arguments) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::setenv("NO_COLOR", "1", 1);
        ::execv(MNIST_BINARY, argv.data());
        ::_exit(127);
    }
    return pid;
}

int exit_status(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// True if dir holds a temporary file of a save to `name`.
bool has_temporary(const fs::path& dir, const std::string& name) {
    for (const std::string& n : listing(dir))
        if (n.rfind(name + ".tmp-", 0) == 0) return true;
    return false;
}

void signal_during_save(const fs::path& model) {
    // A model of 784-3000-3000-10 (48 MB) loaded and saved again with --epochs 0: the save
    // takes long enough to be caught in the middle. The run is frozen (SIGSTOP) as soon as its
    // temporary file appears, so the signal is sure to arrive while the temporary file exists.
    const fs::path dir = scratch / "signal";
    fs::create_directories(dir);
    Rng rng(1);
    save_model((dir / "big.bin").string(), make_network<float>({784, 3000, 3000, 10}, rng));
    const fs::path target = dir / "m.bin";
    fs::copy_file(model, target);
    const Bytes before = read_bytes(target);
    int caught = 0;
    for (int attempt = 0; attempt < 20 && caught < 2; ++attempt) {
        const int signal_number = caught == 0 ? SIGTERM : SIGINT;
        const pid_t pid = spawn({"--data", MNIST_DATA_DIR, "--epochs", "0", "--load", (dir / "big.bin").string(), "--save",
                                 target.string(), "--threads", "1"},
                                "signal");
        bool seen = false;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (!seen && std::chrono::steady_clock::now() < give_up) {
            if (::waitpid(pid, nullptr, WNOHANG) == pid) break;  // finished before we looked
            seen = has_temporary(dir, "m.bin");
        }
        if (!seen) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            // The save finished: the new model replaced the old one, whole. Start over.
            fs::remove(target);
            fs::copy_file(model, target);
            continue;
        }
        ::kill(pid, SIGSTOP);
        const bool still_there = has_temporary(dir, "m.bin");
        ::kill(pid, signal_number);
        ::kill(pid, SIGCONT);
        const int status = exit_status(pid);
        if (!still_there) {  // the rename came first after all
            fs::remove(target);
            fs::copy_file(model, target);
            continue;
        }
        ++caught;
        const std::string name = signal_number == SIGTERM ? "SIGTERM" : "SIGINT";
        check::equal(status, 128 + signal_number, name + " during a save: the run ends by the signal");
        expect_intact(target, before, name + " during a save");
        check::expect(!has_temporary(dir, "m.bin"), name + " during a save: the temporary file is removed");
    }
    check::equal(caught, 2, "a signal arrived during a save (SIGTERM and SIGINT), within 20 attempts");
}

// ---- Two runs saving to the same path at once -----------------------------------------------

void concurrent_saves(const fs::path& data) {
    // Runs A and B differ only in their seed, so their models differ. Each saved alone first:
    // the bytes each must leave if its model is the one in the file.
    const fs::path dir = scratch / "race";
    fs::create_directories(dir);
    auto arguments = [&](const std::string& seed, const fs::path& path) {
        return std::vector<std::string>{"--data", data.string(), "--valid", "100", "--epochs", "1", "--hidden", "256",
                                        "--threads", "1", "--seed", seed, "--save", path.string()};
    };
    check::equal(exit_status(spawn(arguments("1", dir / "a.bin"), "race-a")), 0, "run A alone");
    check::equal(exit_status(spawn(arguments("2", dir / "b.bin"), "race-b")), 0, "run B alone");
    const Bytes a = read_bytes(dir / "a.bin"), b = read_bytes(dir / "b.bin");
    check::expect(!a.empty() && a != b, "the two runs save different models");
    const fs::path shared = dir / "shared.bin";
    int both_ok = 0;
    for (int round = 0; round < 12; ++round) {
        const pid_t pa = spawn(arguments("1", shared), "race-a");
        const pid_t pb = spawn(arguments("2", shared), "race-b");
        const int sa = exit_status(pa), sb = exit_status(pb);
        const Bytes now = read_bytes(shared);
        const std::string r = "round " + std::to_string(round) + ": ";
        check::expect(now == a || now == b, r + "the file is one whole model, A's or B's");
        // The truth about each run's own file: one that exited 0 said its model is there; one
        // whose model is not there must not have exited 0 unless the other replaced it after it
        // finished (then both say "saved", and the later one is in the file); an exit 1 says
        // it was replaced, and then its model is indeed not in the file.
        if (sa != 0) check::expect(now != a, r + "A failed, so its model is not the one in the file");
        if (sb != 0) check::expect(now != b, r + "B failed, so its model is not the one in the file");
        check::expect(sa == 0 || sb == 0, r + "at least the run whose model is in the file exits 0");
        if (now == a) check::equal(sa, 0, r + "A's model is in the file, so A exits 0");
        if (now == b) check::equal(sb, 0, r + "B's model is in the file, so B exits 0");
        both_ok += sa == 0 && sb == 0;
        check::expect(!has_temporary(dir, "shared.bin"), r + "no temporary file left");
    }
    std::printf("test_hostile_files: two concurrent saves, 12 rounds: both runs exited 0 in %d\n", both_ok);
}

// ---- A loaded model whose results are not numbers -------------------------------------------

void huge_weights(const fs::path& data) {
    // Weights of 1e30 are finite floats, and the checksum is right; but 64 pixels times 1e30
    // times 200 overflows the logits to infinity, and softmax gives NaN.
    Rng rng(1);
    Network<float> net = make_network<float>({64, 8, 10}, rng);
    for (DenseLayer<float>& layer : net.layers)
        for (float& w : layer.W.data) w = w > 0 ? 1e30f : -1e30f;
    const fs::path model = scratch / "huge.bin";
    save_model(model.string(), net);
    expect_refusal(run("--data " + quoted(data) + " --valid 100 --epochs 0 --load " + quoted(model)), 1,
                   {"huge.bin: the model's test loss is", "outputs overflow"}, "a model with huge weights", false);
}

}  // namespace

int main() {
    scratch = make_scratch_dir("test_hostile_files");
    const fs::path data = tiny_data("data");
    // A small MNIST-shaped model for predict (784 inputs).
    const fs::path model = scratch / "mnist-model.bin";
    Rng rng(3);
    save_model(model.string(), make_network<float>({784, 8, 10}, rng));

    outputs_that_are_inputs(data);
    links_and_special_files(data);
    outputs_checked_first(data);
    special_inputs(model);
    memory(model);
    full_disk(data, true);
    full_disk(data, false);
    signal_during_save(model);
    concurrent_saves(data);
    huge_weights(data);
    fs::remove_all(scratch);
    return check::summary("test_hostile_files");
}
