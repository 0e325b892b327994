#pragma once
// registry: one server, many clients. Each client registers a username, logs
// in with it, and asks who is logged in. The server keeps the registry and
// refuses, with a reason, whatever breaks a rule or comes out of order.
//
//   client 1                             server                            client 2
//      | --- "REGISTER alice" -------------> |                                    |
//      | <-- "OK registered as alice" ------ |                                    |
//      | --- "LOGIN alice" ----------------> |                                    |
//      | <-- "OK logged in as alice" ------- |                                    |
//      |                                     | <---------------------- "WHO" ---- |
//      |                                     | -- "ERROR log in before asking --> |
//      |                                     |     who is here"                   |
//      | --- "WHO" ------------------------> |                                    |
//      | <-- "USERS\nalice" ---------------- |                                    |
//
// The protocol, in full (handouts/registry.md says the same for someone
// writing a client in another language). Every message is one frame of UTF-8
// text. A client sends requests; the server answers each with exactly one
// reply, to that client only:
//
//   request           reply when it succeeds           refusals (each "ERROR <reason>")
//   REGISTER <name>   "OK registered as <name>"        the name breaks a name rule; kAlreadyRegistered; kNameTaken
//   LOGIN <name>      "OK logged in as <name>"         the name breaks a name rule; kRegisterFirst;
//                                                      kAlreadyLoggedIn; kNotYourName
//   WHO               "USERS" and, for each user       kLogInFirst
//                     logged in, a line feed and the
//                     name: "USERS\nalice\nZoë"
//   anything else     -                                what is wrong with it (parse_request says)
//
// The rules of the server:
//   - A name is 1 to kMaxNameLength characters of valid UTF-8, without
//     control characters or white space (name_problem says what a name breaks).
//     Letters of any language, digits, punctuation, quotes, commas and colons
//     are all fine.
//   - A name is unique. Case of the letters A to Z does not count: once
//     "alice" is registered, "Alice" is taken too (same_name compares names).
//   - A client (a connection) registers at most once, and logs in only with
//     the name it registered, once.
//   - Only a logged-in client may ask who is logged in. The list is in the
//     order the clients connected.
//   - A client that leaves is logged out, and its name is free again: the
//     server program calls registry.remove(client) when a client leaves.
//   - A refusal changes nothing.
//
// You write, between the lines `*** start ***` and `*** end ***`:
//   - the methods of class Registry below, in registry.cpp;
//   - server_logic, in server_logic.cpp;
//   - ask_to_register, ask_to_log_in and ask_who, in client_logic.cpp.
// The parse and format helpers at the end of this file are given: use them,
// so that you never cut strings up yourself. handouts/registry.md explains how
// to build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it.

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"
#include "netlab/trace.hpp"

namespace registry {

// The longest name, in characters (Unicode code points: "Zoë" is 3, as
// Python's len() counts it, though it is 4 bytes of UTF-8).
inline constexpr std::size_t kMaxNameLength = 32;

// The reasons the server gives, after "ERROR ", when a request breaks a rule
// about who may do what. (A broken name rule or a malformed request has its
// own reason, from parse_request.)
inline constexpr const char* kAlreadyRegistered = "you have already registered a name";
inline constexpr const char* kNameTaken = "that name is taken";
inline constexpr const char* kRegisterFirst = "register a name before logging in";
inline constexpr const char* kAlreadyLoggedIn = "you are already logged in";
inline constexpr const char* kNotYourName = "log in with the name you registered";
inline constexpr const char* kLogInFirst = "log in before asking who is here";

// What the client prints, instead of sending anything, when asked to register
// or log in with an empty name.
inline constexpr const char* kEmptyNameNotSent = "not sent: a name cannot be empty";

// The registry: who registered which name, and who is logged in. The server
// program keeps one, and hands it to server_logic with every message.
//
// Its methods only keep the records; server_logic checks the rules before it
// calls them (it registers a name only if it is free, logs in only a client
// that has registered).
class Registry {
 public:
  // Records that `client` registered `name`.
  void register_name(netlab::ClientId client, std::string name);

  // True if some client registered `name`, or the same name in another case
  // of A-Z: compare with same_name(a, b), not with ==.
  [[nodiscard]] bool is_taken(std::string_view name) const;

  // The name `client` registered, spelled as it registered it; nothing if it
  // has not registered.
  [[nodiscard]] std::optional<std::string> name_of(netlab::ClientId client) const;

  // Records that `client` (which has registered) is logged in.
  void log_in(netlab::ClientId client);

  // True if `client` is logged in.
  [[nodiscard]] bool is_logged_in(netlab::ClientId client) const;

  // The names of the clients logged in now, in the order the clients
  // connected (the order of their ClientIds).
  [[nodiscard]] std::vector<std::string> logged_in_names() const;

  // `client` has left: it is logged out, and its name is free again.
  void remove(netlab::ClientId client);

 private:
  // Given: keep the records in these two. A std::map and a std::set keep
  // their keys in order, so going through them goes by ClientId.
  std::map<netlab::ClientId, std::string> names_;  // each client that registered, and its name
  std::set<netlab::ClientId> logged_in_;           // the clients logged in now
};

// The server's reaction to one message; the server program calls it for
// every message a client sends, with the registry it keeps.
//
// To do:
//   1. Parse the message: `Request request = parse_request(message.text);`
//   2. Decide the reply by request.kind, following the rules at the top:
//        malformed      format_error(request.problem)
//        register_name  format_registered(request.name), after registry.register_name(...),
//                       or format_error(kAlreadyRegistered) / format_error(kNameTaken)
//        log_in         format_logged_in(the name as registered), after registry.log_in(...),
//                       or format_error(kRegisterFirst / kAlreadyLoggedIn / kNotYourName)
//        who            format_users(registry.logged_in_names()), or format_error(kLogInFirst)
//   3. Send the reply to message.from, and to nobody else.
//
// Parameters:
//   server    the server: use it to send the reply.
//   registry  the registry the server keeps: read and change it here.
//   message   message.text is the request, message.from the client who sent it.
//
// Calls you can use:
//   co_await server.send_message(to, text);
netlab::Task<void> server_logic(netlab::Server& server, Registry& registry, netlab::Message message);

// The client's requests. The client program reads commands (`register alice`,
// `login alice`, `who`) and calls these with the name typed after the command.
//
// To do, in each:
//   1. (ask_to_register and ask_to_log_in) If the name is empty, print
//      kEmptyNameNotSent on a line of its own and send nothing.
//   2. Send the request: format_register(name), format_login(name) or kWho.
//   3. Wait for the reply, and if there is one, print describe_reply(reply)
//      with std::cout.
//
// Calls you can use:
//   co_await client.send_message(text);
//   auto reply = co_await client.receive_message();
//       empty when the server closed the connection: check `if (reply)`.
netlab::Task<void> ask_to_register(netlab::Client& client, std::string name);
netlab::Task<void> ask_to_log_in(netlab::Client& client, std::string name);
netlab::Task<void> ask_who(netlab::Client& client);

// ---------------------------------------------------------------------------
// The protocol helpers (given). Use them; you need not read how they work.

// One request, as parse_request understands it.
struct Request {
  enum class Kind { register_name, log_in, who, malformed };
  Kind kind;
  std::string name;     // register_name, log_in: the name, which keeps every name rule
  std::string problem;  // malformed: what is wrong, for format_error
};

// Parses a request from a client: "REGISTER <name>", "LOGIN <name>" (the
// command, one space, and the rest of the message is the name) or "WHO".
// Anything else, or a name that breaks a name rule, is Kind::malformed, with
// the reason in `problem`.
inline Request parse_request(std::string_view text);

// Why `name` breaks a name rule ("a name cannot contain white space ..."), or
// nothing if it keeps them all.
inline std::optional<std::string> name_problem(std::string_view name);

// True if `a` and `b` are the same name: equal, except that the case of the
// letters A-Z does not count ("Alice" and "alice" are the same; "É" and "é"
// are not).
inline bool same_name(std::string_view a, std::string_view b);

// The requests a client sends.
inline constexpr const char* kWho = "WHO";
inline std::string format_register(std::string_view name);  // "REGISTER alice"
inline std::string format_login(std::string_view name);      // "LOGIN alice"

// The replies the server sends.
inline std::string format_registered(std::string_view name);              // "OK registered as alice"
inline std::string format_logged_in(std::string_view name);               // "OK logged in as alice"
inline std::string format_users(const std::vector<std::string>& names);  // "USERS\nalice\nZoë"
inline std::string format_error(std::string_view reason);                // "ERROR that name is taken"

// What a client prints for a reply: "registered as alice", "refused: that
// name is taken", or "logged in now:" followed by one line per name ("  alice").
inline std::string describe_reply(std::string_view reply);

// ---------------------------------------------------------------------------
// How the helpers work.

namespace detail {

inline constexpr std::string_view kRequests = "the requests are REGISTER <name>, LOGIN <name> and WHO";

// The code point at `at` in UTF-8 text and its length in bytes, or nothing if
// the bytes there are not UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF).
struct CodePoint {
  char32_t value;
  std::size_t length;
};
inline std::optional<CodePoint> decode_utf8(std::string_view text, std::size_t at) {
  const auto byte = [text](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t smallest = 0;  // below it, the same code point had a shorter (the only valid) form
  if (lead < 0x80) return CodePoint{lead, 1};
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2, value = lead & 0x1fU, smallest = 0x80;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3, value = lead & 0x0fU, smallest = 0x800;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4, value = lead & 0x07U, smallest = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - at < length) return std::nullopt;
  for (std::size_t i = at + 1; i < at + length; ++i) {
    if ((byte(i) & 0xc0U) != 0x80) return std::nullopt;
    value = (value << 6) | (byte(i) & 0x3fU);
  }
  if (value < smallest || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return std::nullopt;
  return CodePoint{value, length};
}

// C0 and C1 controls, and DEL.
inline bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7f && c <= 0x9f); }

// Unicode's White_Space characters that are not controls.
inline bool is_white_space(char32_t c) {
  return c == 0x20 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 ||
         c == 0x202f || c == 0x205f || c == 0x3000;
}

// "U+00A0".
inline std::string code_point_name(char32_t c) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(c));
  return text;
}

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline Request malformed(std::string problem) { return {Request::Kind::malformed, {}, std::move(problem)}; }

// After `prefix`, or nothing if `text` does not start with it.
inline std::optional<std::string_view> after(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return std::nullopt;
  return text.substr(prefix.size());
}

}  // namespace detail

inline std::optional<std::string> name_problem(std::string_view name) {
  if (name.empty()) return "a name cannot be empty";
  std::size_t characters = 0;
  for (std::size_t at = 0; at < name.size(); ++characters) {
    const auto c = detail::decode_utf8(name, at);
    if (!c) return "a name must be UTF-8 text: byte " + std::to_string(at + 1) + " is not";
    const char* refused = detail::is_control(c->value)       ? "a name cannot contain control characters"
                          : detail::is_white_space(c->value) ? "a name cannot contain white space"
                                                             : nullptr;
    if (refused) {
      return refused + (" (" + detail::code_point_name(c->value) + ", character " + std::to_string(characters + 1) +
                        ")");
    }
    at += c->length;
  }
  if (characters > kMaxNameLength) {
    return "a name has at most " + std::to_string(kMaxNameLength) + " characters; this one has " +
           std::to_string(characters);
  }
  return std::nullopt;
}

inline Request parse_request(std::string_view text) {
  const std::size_t space = text.find(' ');
  const std::string_view command = text.substr(0, space);
  const bool has_argument = space != std::string_view::npos;
  if (command == "WHO") {
    if (has_argument) return detail::malformed("WHO takes no name: send WHO alone");
    return {Request::Kind::who, {}, {}};
  }
  if (command == "REGISTER" || command == "LOGIN") {
    if (!has_argument) {
      return detail::malformed(std::string(command) + " needs a name: " + std::string(command) + " <name>");
    }
    const std::string_view name = text.substr(space + 1);
    if (auto problem = name_problem(name)) return detail::malformed(std::move(*problem));
    return {command == "REGISTER" ? Request::Kind::register_name : Request::Kind::log_in, std::string(name), {}};
  }
  // Quote at most the first 24 bytes: the reply to a long mistake stays short.
  constexpr std::size_t kQuoted = 24;
  const std::string quoted = netlab::in_quotes(command.substr(0, kQuoted)) + (command.size() > kQuoted ? "..." : "");
  return detail::malformed("unknown request " + quoted + ": " + std::string(detail::kRequests));
}

inline bool same_name(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) { return detail::ascii_lower(x) == detail::ascii_lower(y); });
}

inline std::string format_register(std::string_view name) { return "REGISTER " + std::string(name); }
inline std::string format_login(std::string_view name) { return "LOGIN " + std::string(name); }

inline std::string format_registered(std::string_view name) { return "OK registered as " + std::string(name); }
inline std::string format_logged_in(std::string_view name) { return "OK logged in as " + std::string(name); }
inline std::string format_error(std::string_view reason) { return "ERROR " + std::string(reason); }

inline std::string format_users(const std::vector<std::string>& names) {
  std::string reply = "USERS";
  for (const auto& name : names) reply += "\n" + name;
  return reply;
}

inline std::string describe_reply(std::string_view reply) {
  if (auto text = detail::after(reply, "OK ")) return std::string(*text);
  if (auto reason = detail::after(reply, "ERROR ")) return "refused: " + std::string(*reason);
  if (reply == "USERS") return "logged in now: nobody";
  if (auto names = detail::after(reply, "USERS\n")) {
    std::string lines = "logged in now:";
    for (std::size_t start = 0; start <= names->size();) {
      const std::size_t end = std::min(names->find('\n', start), names->size());
      lines += "\n  " + std::string(names->substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }
  return "unexpected reply: " + netlab::in_quotes(reply);
}

}  // namespace registry
