// files.h: reading a whole file into memory, and writing one so that a crash cannot leave
// half of it behind. Shared by the three file formats this program reads (idx.h, model_file.h,
// pgm.h).
//
// Read next: model_file.h, the format this program writes as well as reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The whole file at path, as bytes. Its size comes from the file system, never from a header
// inside the file, so what is allocated here is bounded by what is really on disk. Throws
// DataError "path: no such file", "path: is a directory, not <kind>", or a read error; `kind`
// names what the file should have been, e.g. "an IDX file".
std::vector<std::uint8_t> read_file_bytes(const std::string& path, const std::string& kind);

// Writes bytes to path + ".tmp", then renames that to path. On POSIX systems a rename within a
// directory is atomic: whoever opens path sees the old file or the new one, never a part of
// it, even if the program is killed or the disk fills up halfway. Throws DataError naming path.
void write_file_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes);

// Throws the DataError write_file_atomically() would throw at its start (path is a directory,
// path + ".tmp" cannot be created), without writing anything. For options such as --save,
// checked before hours of training rather than after them.
void check_file_writable(const std::string& path);
