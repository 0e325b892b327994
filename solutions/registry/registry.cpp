// registry: the methods of class Registry. Write your code between the
// markers below; registry.hpp says what each method does. The rest of this
// file stays as it is.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registry.hpp"

namespace registry {

void Registry::register_name(netlab::ClientId client, std::string name) {
  // *** start ***
  names_[client] = std::move(name);
  // *** end ***
}

bool Registry::is_taken(std::string_view name) const {
  // *** start ***
  for (const auto& [client, registered] : names_) {
    if (same_name(registered, name)) return true;
  }
  return false;
  // *** end ***
}

std::optional<std::string> Registry::name_of(netlab::ClientId client) const {
  // *** start ***
  const auto found = names_.find(client);
  if (found == names_.end()) return std::nullopt;
  return found->second;
  // *** end ***
}

void Registry::log_in(netlab::ClientId client) {
  // *** start ***
  logged_in_.insert(client);
  // *** end ***
}

bool Registry::is_logged_in(netlab::ClientId client) const {
  // *** start ***
  return logged_in_.contains(client);
  // *** end ***
}

std::vector<std::string> Registry::logged_in_names() const {
  // *** start ***
  std::vector<std::string> names;
  for (netlab::ClientId client : logged_in_) names.push_back(names_.at(client));
  return names;
  // *** end ***
}

void Registry::remove(netlab::ClientId client) {
  // *** start ***
  logged_in_.erase(client);
  names_.erase(client);
  // *** end ***
}

}  // namespace registry
