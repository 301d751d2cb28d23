// core/files: the bounded reader behind device-key files and the connection
// cache, on real files in a private temporary folder.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "core/files.h"

namespace plexauth {
namespace {

struct TempDir {
  std::string path = [] {
    char tmpl[] = "/tmp/plexauth-files-XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

Status status_of(const std::string &path, size_t limit) {
  try {
    read_file_limited(path, limit, "test file", Status::MalformedResponse);
  } catch (const Error &e) {
    return e.info().status;
  }
  return Status::Ok;
}

TEST(ReadFileLimited, ReadsUpToTheLimitAndRefusesOneByteMore) {
  TempDir dir;
  const std::string file = dir.path + "/f";
  write_private_file(file, std::string(100, 'x'), "test file");
  EXPECT_EQ(read_file_limited(file, 100, "test file", Status::MalformedResponse).value(), std::string(100, 'x'));
  EXPECT_EQ(status_of(file, 99), Status::MalformedResponse);
  try {
    read_file_limited(file, 99, "test file", Status::InvalidArgument);
    FAIL() << "accepted";
  } catch (const Error &e) {
    EXPECT_EQ(e.info().status, Status::InvalidArgument) << "the caller's status";
    EXPECT_EQ(e.info().message, "the test file is over 99 bytes");
  }
  write_private_file(file, "", "test file");
  EXPECT_EQ(read_file_limited(file, 10, "test file", Status::MalformedResponse).value(), "");
}

TEST(ReadFileLimited, AFileLargerThanItsReportedSizeIsReadWholeOrRefused) {
  // Files of /proc report size 0 and have text: the buffer grows past the
  // size fstat gave, up to the limit.
  const std::optional<std::string> status = read_file_limited("/proc/self/status", 1 << 20, "test file",
                                                              Status::MalformedResponse);
  ASSERT_TRUE(status.has_value());
  EXPECT_GT(status->size(), 300u);
  EXPECT_EQ(status->rfind("Name:", 0), 0u) << status->substr(0, 40);
  EXPECT_NE(status->find("\nVmRSS:"), std::string::npos) << "read to its end";
  EXPECT_EQ(status_of("/proc/self/status", 16), Status::MalformedResponse) << "over the limit while growing";
  EXPECT_EQ(status_of("/proc/self/status", 300), Status::MalformedResponse);
}

TEST(ReadFileLimited, NoFileIsNulloptAndADirectoryIsATransportError) {
  TempDir dir;
  EXPECT_FALSE(read_file_limited(dir.path + "/missing", 10, "test file", Status::MalformedResponse).has_value());
  EXPECT_EQ(status_of(dir.path, 10), Status::Transport);
  if (geteuid() != 0) {  // root reads anything
    const std::string file = dir.path + "/unreadable";
    write_private_file(file, "x", "test file");
    chmod(file.c_str(), 0);
    EXPECT_EQ(status_of(file, 10), Status::Transport);
  }
}

TEST(ReadFileLimited, OwnerOnlyRefusesAFileOthersMayRead) {
  TempDir dir;
  const std::string file = dir.path + "/key";
  write_private_file(file, "secret", "key file");
  EXPECT_EQ(read_file_limited(file, 100, "key file", Status::InvalidArgument, true).value(), "secret") << "0600";
  for (mode_t mode : {0640, 0604, 0660}) {
    chmod(file.c_str(), mode);
    try {
      read_file_limited(file, 100, "key file", Status::InvalidArgument, true);
      ADD_FAILURE() << "mode " << std::oct << mode << " accepted";
    } catch (const Error &e) {
      EXPECT_EQ(e.info().status, Status::InvalidArgument);
      EXPECT_EQ(e.info().message, "the key file is readable by other users: chmod 600 it");
    }
    EXPECT_EQ(read_file_limited(file, 100, "key file", Status::InvalidArgument).value(), "secret")
        << "without owner_only, any mode";
  }
  chmod(file.c_str(), 0400);
  EXPECT_EQ(read_file_limited(file, 100, "key file", Status::InvalidArgument, true).value(), "secret");
}

}  // namespace
}  // namespace plexauth
