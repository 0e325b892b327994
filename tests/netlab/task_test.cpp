// Task<T>, run_sync, TaskGroup and the parts of EventLoop that need no network.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "loopback.hpp"
#include "netlab/event_loop.hpp"
#include "netlab/first_of.hpp"
#include "netlab/task.hpp"
#include "netlab/task_group.hpp"

namespace netlab {
namespace {

using namespace std::chrono_literals;

Task<int> forty_two() { co_return 42; }
Task<int> add_one(int depth) { co_return (co_await forty_two()) + depth; }
Task<void> throws_runtime_error() {
  throw std::runtime_error("boom");
  co_return;
}

TEST(Task, ReturnsItsValueToTheAwaiter) { EXPECT_EQ(run_sync(add_one(1)), 43); }

TEST(Task, MoveOnlyValues) {
  auto make = []() -> Task<std::unique_ptr<int>> { co_return std::make_unique<int>(7); };
  EXPECT_EQ(*run_sync(make()), 7);
}

TEST(Task, IsLazyUntilAwaited) {
  bool started = false;
  auto body = [](bool& started) -> Task<void> {
    started = true;
    co_return;
  };
  auto task = body(started);
  EXPECT_FALSE(started) << "a Task must not run before it is awaited";
  run_sync(std::move(task));
  EXPECT_TRUE(started);
}

TEST(Task, ExceptionReachesTheAwaiter) {
  auto catcher = []() -> Task<std::string> {
    try {
      co_await throws_runtime_error();
    } catch (const std::runtime_error& error) {
      co_return error.what();
    }
    co_return "not thrown";
  };
  EXPECT_EQ(run_sync(catcher()), "boom");
  EXPECT_THROW(run_sync(throws_runtime_error()), std::runtime_error);
}

Task<int> nested(int depth) {
  if (depth == 0) co_return 0;
  co_return 1 + co_await nested(depth - 1);
}

TEST(Task, NestingDepth100kDoesNotGrowTheStack) { EXPECT_EQ(run_sync(nested(100'000)), 100'000); }

TEST(Task, AMillionImmediateAwaitsInALoop) {
  auto loop = []() -> Task<long> {
    long sum = 0;
    for (int i = 0; i < 1'000'000; ++i) sum += co_await forty_two();
    co_return sum;
  };
  EXPECT_EQ(run_sync(loop()), 42'000'000);
}

// Counts live instances, to see that destroying a task frees its frames.
struct Tracked {
  explicit Tracked(int& live) : live(live) { ++live; }
  ~Tracked() { --live; }
  int& live;
};

Task<void> hold_and_sleep(EventLoop& loop, int& live, int depth) {
  Tracked tracked(live);
  if (depth == 0) {
    co_await loop.sleep(1h);
  } else {
    co_await hold_and_sleep(loop, live, depth - 1);
  }
}

TEST(Task, DestroyingAnUnfinishedTaskFreesEveryFrame) {
  int live = 0;
  {
    EventLoop loop;
    TaskGroup group;
    group.spawn(hold_and_sleep(loop, live, 10), "sleeper");
    EXPECT_EQ(live, 11);
    EXPECT_EQ(group.size(), 1u);
    group.clear();
    EXPECT_EQ(live, 0) << "destroying the task left frames alive";
  }
  EXPECT_EQ(live, 0);
}

Task<void> count_when_woken(test::Event& event, int& resumed) {
  co_await event.wait();
  ++resumed;
}

TEST(Task, ATaskWokenAndDestroyedBeforeItsTurnNeverRuns) {
  // Inside a running task, waking another only queues it; destroying it
  // before its turn must take it off the queue (a chat client's keyboard task
  // on Ctrl-C, say).
  int resumed = 0;
  auto wake_then_destroy = [&]() -> Task<void> {
    test::Event event;
    TaskGroup group;
    group.spawn(count_when_woken(event, resumed), "waiter");
    event.set();
    group.clear();
    co_return;
  };
  run_sync(wake_then_destroy());
  EXPECT_EQ(resumed, 0);
}

TEST(Task, RunSyncRefusesATaskThatWaitsForTheNetwork) {
  EventLoop loop;
  int live = 0;
  try {
    run_sync(hold_and_sleep(loop, live, 2));
    FAIL() << "run_sync returned from a task that sleeps for an hour";
  } catch (const std::logic_error& error) {
    EXPECT_NE(std::string(error.what()).find("EventLoop::run"), std::string::npos) << error.what();
  }
  EXPECT_EQ(live, 0);
}

TEST(EventLoop, RunDrivesTimers) {
  EventLoop loop;
  auto sleepy = [](EventLoop& loop) -> Task<std::string> {
    co_await loop.sleep(5ms);
    co_await loop.sleep(0ms);
    co_return "awake";
  };
  EXPECT_EQ(loop.run(sleepy(loop)), "awake");
}

TEST(EventLoop, RunRefusesATaskNothingCanWake) {
  struct Forever {
    bool await_ready() { return false; }
    void await_suspend(std::coroutine_handle<>) {}
    void await_resume() {}
  };
  auto stuck = []() -> Task<void> { co_await Forever{}; };
  EventLoop loop;
  EXPECT_THROW(loop.run(stuck()), std::logic_error);
}

TEST(TaskGroup, RunsItsTasksSideBySide) {
  EventLoop loop;
  std::string order;
  auto step = [](EventLoop& loop, std::string& order, char name, std::chrono::milliseconds delay) -> Task<void> {
    co_await loop.sleep(delay);
    order += name;
  };
  TaskGroup group;
  group.spawn(step(loop, order, 'b', 20ms), "b");
  group.spawn(step(loop, order, 'a', 1ms), "a");
  loop.run(step(loop, order, 'c', 40ms));
  EXPECT_EQ(order, "abc");
}

Task<int> after(EventLoop& loop, std::chrono::milliseconds delay, int value, int* finished = nullptr) {
  co_await loop.sleep(delay);
  if (finished != nullptr) ++*finished;
  co_return value;
}

TEST(FirstOf, TheFirstToFinishWinsAndTheOtherStopsWhereItWaits) {
  EventLoop loop;
  int finished = 0;
  const auto started = std::chrono::steady_clock::now();
  const auto first = loop.run(first_of(after(loop, 1h, 1, &finished), after(loop, 1ms, 2, &finished)));
  EXPECT_EQ(first.index(), 1u);
  EXPECT_EQ(std::get<1>(first), 2);
  EXPECT_EQ(finished, 1) << "the task that lost must not run on";
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1min) << "first_of waited for the slower task";
  loop.run(loop.sleep(5ms));
  EXPECT_EQ(finished, 1);
}

TEST(FirstOf, ATaskThatFinishesAtOnceWinsAndTheOtherNeverStarts) {
  EventLoop loop;
  bool second_started = false;
  auto second = [](bool& started) -> Task<void> {
    started = true;
    co_return;
  };
  const auto first = loop.run(first_of(forty_two(), second(second_started)));
  ASSERT_EQ(first.index(), 0u);
  EXPECT_EQ(std::get<0>(first), 42);
  EXPECT_FALSE(second_started);
}

TEST(FirstOf, TheWinnersExceptionReachesTheAwaiter) {
  EventLoop loop;
  EXPECT_THROW(loop.run(first_of(after(loop, 1h, 1), throws_runtime_error())), std::runtime_error);
}

TEST(FirstOf, DestroyedWhileWaitingDestroysBoth) {
  EventLoop loop;
  int finished = 0;
  {
    TaskGroup group;
    group.spawn([](EventLoop& loop, int& finished) -> Task<void> {
      (void)co_await first_of(after(loop, 2ms, 1, &finished), after(loop, 3ms, 2, &finished));
      ++finished;
    }(loop, finished), "the race");
  }
  loop.run(loop.sleep(10ms));
  EXPECT_EQ(finished, 0);
}

TEST(TaskGroup, ReportsAnEscapingExceptionWithTheTaskName) {
  std::string reported;
  TaskGroup group([&](std::string_view name, std::exception_ptr error) {
    reported = std::string(name) + ": " + describe(error);
  });
  group.spawn(throws_runtime_error(), "the ticker");
  EXPECT_EQ(reported, "the ticker: boom");
  EXPECT_EQ(group.size(), 0u) << "a finished task must leave the group";
}

TEST(Timer, RepeatsAndStops) {
  EventLoop loop;
  Timer timer(loop);
  int ticks = 0;
  timer.start(1ms, [&] {
    if (++ticks == 3) timer.stop();
  }, 1ms);
  loop.run(loop.sleep(50ms));
  EXPECT_EQ(ticks, 3);
}

}  // namespace
}  // namespace netlab
