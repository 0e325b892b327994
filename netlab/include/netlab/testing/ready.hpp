#pragma once
// Tasks that are finished as soon as they start: what a mock's calls return.

#include <string>
#include <exception>
#include <utility>
#include <vector>

#include "netlab/task.hpp"

namespace netlab::testing {

inline Task<void> ready() { co_return; }

template <typename T>
Task<T> ready(T value) {
  co_return std::move(value);
}

// A task that throws `error` when awaited, as a real call that fails does.
inline Task<void> failed(std::exception_ptr error) {
  std::rethrow_exception(error);
  co_return;
}

// "nothing" for an empty history, else the lines joined with ", then ".
std::string join_history(const std::vector<std::string>& lines);

}  // namespace netlab::testing
