#pragma once
// TaskGroup: tasks that run side by side, owned by one object.
//
// A server owns one session task per client; a chat client owns one task
// reading the keyboard and one reading the socket. Destroying the group
// destroys the tasks that have not finished, so none outlives its owner.

#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "netlab/task.hpp"

namespace netlab {

class TaskGroup : private detail::FinishHook {
 public:
  // Called with a task's name and the exception that escaped it.
  using ErrorHandler = std::function<void(std::string_view name, std::exception_ptr error)>;

  // By default, an escaping exception is printed to stderr as one line.
  TaskGroup();
  explicit TaskGroup(ErrorHandler on_error);
  ~TaskGroup() { clear(); }
  TaskGroup(const TaskGroup&) = delete;
  TaskGroup& operator=(const TaskGroup&) = delete;

  // Starts `task` now; it runs until its first wait, then spawn returns.
  void spawn(Task<void> task, std::string name);
  void set_error_handler(ErrorHandler on_error) { on_error_ = std::move(on_error); }

  // Destroys every task that has not finished.
  void clear() noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return running_.size(); }

 private:
  void finished(void* frame) noexcept override;

  struct Running {
    Task<void> task;
    std::string name;
  };
  std::unordered_map<void*, Running> running_;  // by coroutine frame
  ErrorHandler on_error_;
};

// One line for an exception: its what(), or a note that it is not a std::exception.
std::string describe(std::exception_ptr error);

}  // namespace netlab
