#include "netlab/task_group.hpp"

#include <cstdio>
#include <stdexcept>

namespace netlab {

std::string describe(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

TaskGroup::TaskGroup()
    : TaskGroup([](std::string_view name, std::exception_ptr error) {
        std::fprintf(stderr, "netlab: %.*s failed: %s\n", static_cast<int>(name.size()), name.data(),
                     describe(error).c_str());
      }) {}

TaskGroup::TaskGroup(ErrorHandler on_error) : on_error_(std::move(on_error)) {}

void TaskGroup::spawn(Task<void> task, std::string name) {
  const auto id = next_id_++;
  auto runner = supervise(std::move(task), id);
  running_.emplace(id, Running{runner, std::move(name)});
  runner.start();
}

detail::Detached TaskGroup::supervise(Task<void> task, std::uint64_t id) {
  try {
    co_await std::move(task);
  } catch (...) {
    on_error_(running_.at(id).name, std::current_exception());
  }
  running_.erase(id);
}

void TaskGroup::clear() noexcept {
  // Destroying a suspended task runs the destructors of what it awaits, which
  // unregister themselves; one of them may even end another task of the group.
  while (!running_.empty()) {
    auto node = running_.extract(running_.begin());
    node.mapped().runner.destroy();
  }
}

}  // namespace netlab
