#pragma once
// How the mocks tell what logic did, in words, for failure messages.

#include <string>
#include <vector>

namespace netlab::testing {

// "nothing" for an empty history, else the lines joined with ", then ".
std::string join_history(const std::vector<std::string>& lines);

}  // namespace netlab::testing
