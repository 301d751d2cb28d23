// Small file helpers shared by the parts of the library that keep state on
// disk (the connection cache, device keys).
#pragma once

#include <string>
#include <string_view>

namespace plexauth {

// Writes `text` to `path` with mode 0600, atomically: a temporary file next
// to it (created exclusively), fsync, rename. Throws Error(Transport, "cannot
// write the <what>") on failure, leaving no temporary file behind.
void write_private_file(const std::string &path, std::string_view text, const char *what);

}  // namespace plexauth
