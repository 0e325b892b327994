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
  if (!task.handle_) return;  // a ready task has nothing left to run
  const auto handle = task.handle_;
  handle.promise().set_finish_hook(this);
  running_.emplace(handle.address(), Running{std::move(task), std::move(name)});
  detail::Trampoline::start(handle);
}

void TaskGroup::finished(void* frame) noexcept {
  // Leaving this scope destroys the task, whose frame is suspended for good.
  auto node = running_.extract(frame);
  if (node.empty()) return;
  try {
    node.mapped().task.handle_.promise().result().take();
  } catch (...) {
    try {
      on_error_(node.mapped().name, std::current_exception());
    } catch (...) {
      // A reporter that throws must not end the program.
    }
  }
}

void TaskGroup::clear() noexcept {
  // Destroying a suspended task runs the destructors of what it awaits, which
  // unregister themselves; one of them may even end another task of the group.
  while (!running_.empty()) running_.extract(running_.begin());
}

}  // namespace netlab
