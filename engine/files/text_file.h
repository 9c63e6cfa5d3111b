// Reading an input file whole. Plan and fleet files are small enough (a
// 100,000-camera fleet is a few tens of MB) to hold in memory at once.
#pragma once

#include <string>

#include "model/status.h"

namespace licmove {

// The file's bytes. NotFound when it does not exist, IOError for any other
// reason it cannot be read (a directory, no permission); the message names
// the path and the reason.
Result<std::string> ReadTextFile(const std::string& path);

}  // namespace licmove
