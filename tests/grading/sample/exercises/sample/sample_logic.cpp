#include <cctype>
#include <sstream>
#include <stdexcept>

#include "sample.hpp"

namespace sample {

namespace {
int tallies = 0;
}  // namespace

std::string shout(std::string_view text) {
  std::string loud;
  for (char c : text) loud += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return loud + "!";
}

std::vector<std::string> split(std::string_view text) {
  std::istringstream words{std::string(text)};
  std::vector<std::string> result;
  for (std::string word; words >> word;) result.push_back(word);
  return result;
}

std::optional<std::string> find(const std::vector<std::string>& words, std::size_t index) {
  if (index < words.size()) return words[index];
  return std::nullopt;
}

std::chrono::system_clock::time_point next_minute(std::chrono::system_clock::time_point time) {
  return std::chrono::ceil<std::chrono::minutes>(time + std::chrono::nanoseconds(1));
}

netlab::Message reversed(netlab::Message message) {
  return {message.from, std::string(message.text.rbegin(), message.text.rend())};
}

bool is_even(long number) { return number % 2 == 0; }

int parse_number(const std::string& text) {
  std::size_t used = 0;
  try {
    const int number = std::stoi(text, &used);
    if (used == text.size()) return number;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("not a number: " + text);
}

netlab::Task<std::string> ask(netlab::Client& client, std::string question) {
  co_await client.send_message(question);
  auto answer = co_await client.receive_message();
  co_return answer ? *answer : "(no answer)";
}

netlab::Task<void> greet(netlab::Server& server, netlab::ClientId newcomer) {
  const std::string where = server.peer_address(newcomer);
  co_await server.broadcast(netlab::to_string(newcomer) + " joined from " + where, newcomer);
  const auto here = server.clients();
  co_await server.send_message(newcomer, std::to_string(here.size()) + " here");
  if (here.size() > 2) server.disconnect(here.front());
}

Tally::Tally(std::string name) : name_(std::move(name)) { ++tallies; }

Tally::~Tally() { --tallies; }

int Tally::add(int amount) { return total_ += amount; }

std::string Tally::report() const { return name_ + ": " + std::to_string(total_); }

int Tally::alive() { return tallies; }

void reset(Tally& tally) { tally.total_ = 0; }

}  // namespace sample
