#pragma once
// A made-up stage whose logic has every shape of entry point a logic host
// carries: plain functions of each type the wire knows, Task-returning logic
// with a Client or a Server, and a class with a constructor, a destructor,
// methods, a static method, and a parameter of its type. sample_test.cpp
// calls each, in one process and through a logic host, and wants the same.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace sample {

std::string shout(std::string_view text);
std::vector<std::string> split(std::string_view text);
std::optional<std::string> find(const std::vector<std::string>& words, std::size_t index);
std::chrono::system_clock::time_point next_minute(std::chrono::system_clock::time_point time);
netlab::Message reversed(netlab::Message message);
bool is_even(long number);
// Throws std::invalid_argument for a text that is not a number.
int parse_number(const std::string& text);

// Sends `question`, returns the answer, or "(no answer)" if the server closed.
netlab::Task<std::string> ask(netlab::Client& client, std::string question);
// Tells everyone else where `newcomer` joined from, tells it how many are
// here, and disconnects the oldest client when there are more than two.
netlab::Task<void> greet(netlab::Server& server, netlab::ClientId newcomer);

class Tally {
 public:
  explicit Tally(std::string name);
  ~Tally();
  Tally(const Tally&) = delete;
  Tally& operator=(const Tally&) = delete;

  int add(int amount);
  std::string report() const;
  // How many tallies exist.
  static int alive();

 private:
  friend void reset(Tally& tally);
  std::string name_;
  int total_ = 0;
};

void reset(Tally& tally);

}  // namespace sample
