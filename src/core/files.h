// Small file helpers shared by the parts of the library that keep state on
// disk (the connection cache, device keys).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.h"

namespace plexauth {

// Writes `text` to `path` with mode 0600, atomically: a temporary file next
// to it (created exclusively), fsync, rename. Throws Error(Transport, "cannot
// write the <what>") on failure, leaving no temporary file behind.
void write_private_file(const std::string &path, std::string_view text, const char *what);

// The whole file at `path`, or nullopt when there is none. Throws
// Error(Transport, "cannot read the <what>") when it cannot be read, and
// Error(too_large, "the <what> is over <limit> bytes") when it is larger than
// `limit`. The buffer is allocated once, limit + 1 bytes (no reallocation
// leaves a copy behind), and wiped before a throw: the file may be a key.
// With owner_only, a file that its group or other users may read is refused
// (Error(InvalidArgument)), as ssh refuses such keys; the mode is read from
// the open file, so it is the file that is read.
std::optional<std::string> read_file_limited(const std::string &path, size_t limit, const char *what,
                                             Status too_large, bool owner_only = false);

}  // namespace plexauth
