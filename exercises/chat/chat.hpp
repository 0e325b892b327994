#pragma once
// chat: logged-in users send a message to one user, or to everyone, and hear
// who joins and who leaves. It builds on registry: the same requests REGISTER,
// LOGIN and WHO, answered by your registry::server_logic with your
// registry::Registry; chat adds the messages.
//
//   alice                                server                                  bob
//     |                                    | <------------------ "LOGIN bob" ---- |
//     |                                    | --- "OK logged in as bob" --------> |
//     | <-- "JOINED bob" ----------------- |                                     |
//     | --- "MSG bob hi bob" ------------> |                                     |
//     |                                    | --- "MSG alice hi bob" -----------> |
//     | <-- "OK sent to bob" ------------- |                                     |
//     |                                    | <------------------- "ALL hello" --- |
//     | <-- "ALL bob hello" -------------- |                                     |
//     |                                    | --- "OK sent to everyone" --------> |
//     |                                    |            (bob's connection closes) |
//     | <-- "LEFT bob" ------------------- |                                     |
//
// The protocol, in full (handouts/chat.md says the same for someone writing a
// client in another language). Every message is one frame of UTF-8 text.
//
// A client sends requests; the server answers each with exactly one reply, to
// that client only (a reply starts with "OK ", "ERROR " or is "USERS..."):
//
//   request              reply when it succeeds      refusals (each "ERROR <reason>")
//   REGISTER, LOGIN, WHO as in registry: registry::server_logic answers them
//   MSG <name> <text>    "OK sent to <name>"         kLogInFirst; kNobodyOfThatName
//   ALL <text>           "OK sent to everyone"       kLogInFirst
//   anything else        -                           what is wrong with it (parse_request says)
//
// The server also delivers, without being asked, to logged-in users only:
//
//   delivery             to whom                     when
//   MSG <from> <text>    the user named in MSG       a direct message from <from>
//   ALL <from> <text>    every logged-in user but    a message to everyone from <from>
//                        the sender
//   JOINED <name>        every logged-in user but    <name> has just logged in (after the
//                        <name>                      reply "OK logged in as <name>")
//   LEFT <name>          every logged-in user        <name>, who was logged in, has left
//                                                    (closed the connection, or lost it)
//
// Names are spelled as they registered. A text is passed on exactly as it
// came, spaces and all; it cannot be empty.
//
// The rules of the server:
//   - Only a logged-in client may send messages (kLogInFirst otherwise).
//   - A message goes to a user who is logged in now, named in any case of A-Z;
//     to anyone else (unknown, not logged in, left) it is refused with
//     kNobodyOfThatName, and only the sender hears it.
//   - The sender of a message to everyone does not get it back: its reply
//     "OK sent to everyone" is its copy. Clients not logged in get nothing.
//   - A refusal changes nothing and sends nothing to anyone else.
//
// You write, between the lines `*** start ***` and `*** end ***`:
//   - send_direct, send_to_everyone, announce_join and announce_leave, in
//     server_logic.cpp;
//   - describe, in client_logic.cpp.
// server_logic below (given) calls them, and your registry code, for each
// message; the server program calls on_leave (given) when a client leaves.
// The helpers at the end of this file are given: use them, so that you never
// cut strings up yourself. handouts/chat.md explains how to build, run and test.
//
// Every call that talks to the network returns a netlab::Task: put `co_await`
// in front of it.

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "netlab/task.hpp"
#include "netlab/trace.hpp"
#include "registry.hpp"

namespace chat {

using registry::format_error;
using registry::Registry;

// The reasons the server gives, after "ERROR ", when a message breaks a rule.
inline constexpr const char* kLogInFirst = "log in before sending messages";
inline constexpr const char* kNobodyOfThatName = "nobody of that name is logged in";

// --- The server: you write these four, in server_logic.cpp.

// `from` asks to send `text` to the user named `to`.
//
// To do:
//   1. If `from` is not logged in, reply format_error(kLogInFirst).
//   2. Find the recipient: logged_in_client_named(server, users, to). If there
//      is none, reply format_error(kNobodyOfThatName).
//   3. Send format_direct(sender's name, text) to the recipient, then reply
//      format_sent_to(recipient's name) to `from`.
// "Reply" means: co_await server.send_message(from, ...).
//
// Calls you can use:
//   users.is_logged_in(client), users.name_of(client)   (your registry's)
//   co_await server.send_message(to, text);
netlab::Task<void> send_direct(netlab::Server& server, const Registry& users, netlab::ClientId from, std::string to,
                               std::string text);

// `from` asks to send `text` to everyone.
//
// To do:
//   1. If `from` is not logged in, reply format_error(kLogInFirst).
//   2. Send format_to_everyone(sender's name, text) to every logged-in client
//      but `from` (logged_in_clients(server, users) lists them), then reply
//      kSentToEveryone to `from`.
netlab::Task<void> send_to_everyone(netlab::Server& server, const Registry& users, netlab::ClientId from,
                                    std::string text);

// `client` has just logged in: send format_joined(its name) to every other
// logged-in client.
netlab::Task<void> announce_join(netlab::Server& server, const Registry& users, netlab::ClientId client);

// `client` has left (it is not among server.clients() any more, but still in
// `users`). If it was logged in, send format_left(its name) to every
// logged-in client; if not, nobody knew it: send nothing.
netlab::Task<void> announce_leave(netlab::Server& server, const Registry& users, netlab::ClientId client);

// --- The client: you write this one, in client_logic.cpp.

// What the chat client shows for one message from the server. The client
// program calls it for every message that arrives and prints what it returns.
//
// To do:
//   1. Parse the message:
//        const Incoming incoming = parse_incoming(message);
//   2. Return, by incoming.kind (name and text are incoming.name, incoming.text):
//        direct      "<name> (to you): <text>"     "alice (to you): hi bob"
//        everyone    "<name>: <text>"              "alice: hello"
//        joined      "* <name> joined"             "* bob joined"
//        left        "* <name> left"               "* bob left"
//        reply       registry::describe_reply(incoming.text)
//                                                  "sent to bob", "refused: ..."
//        unexpected  "unexpected message: <text>"
std::string describe(std::string_view message);

// ---------------------------------------------------------------------------
// Given: what the server program does with each message, and when a client
// leaves. You need not change them, but read them: they call your code.

// The logged-in clients, in the order they connected.
inline std::vector<netlab::ClientId> logged_in_clients(const netlab::Server& server, const Registry& users);

// The logged-in client called `name` (in any case of A-Z), if there is one.
inline std::optional<netlab::ClientId> logged_in_client_named(const netlab::Server& server, const Registry& users,
                                                              std::string_view name);

// The server's reaction to one message: registry's requests go to your
// registry::server_logic, and a client that logged in with one is announced;
// MSG and ALL go to your send_direct and send_to_everyone.
inline netlab::Task<void> server_logic(netlab::Server& server, Registry& users, netlab::Message message);

// The server program calls this when a client has left, before the registry forgets it.
inline netlab::Task<void> on_leave(netlab::Server& server, Registry& users, netlab::ClientId client) {
  co_await announce_leave(server, users, client);
  users.remove(client);
}

// ---------------------------------------------------------------------------
// The protocol helpers (given). Use them; you need not read how they work.

// One request, as parse_request understands it.
struct Request {
  enum class Kind { registry_request, direct, to_everyone, malformed };
  Kind kind;
  std::string name;     // direct: the recipient
  std::string text;     // direct, to_everyone: the message
  std::string problem;  // malformed: what is wrong, for format_error
};

// Parses a request: "MSG <name> <text>", "ALL <text>", or one of registry's
// (REGISTER, LOGIN, WHO: Kind::registry_request, for registry::server_logic).
// Anything else is Kind::malformed, with the reason in `problem`.
inline Request parse_request(std::string_view text);

// The requests a client sends, beyond registry's.
inline std::string format_msg(std::string_view to, std::string_view text);  // "MSG bob hi bob"
inline std::string format_all(std::string_view text);                       // "ALL hello"

// The replies the server sends, beyond registry's.
inline std::string format_sent_to(std::string_view name);  // "OK sent to bob"
inline constexpr const char* kSentToEveryone = "OK sent to everyone";

// The deliveries the server sends.
inline std::string format_direct(std::string_view from, std::string_view text);       // "MSG alice hi bob"
inline std::string format_to_everyone(std::string_view from, std::string_view text);  // "ALL alice hello"
inline std::string format_joined(std::string_view name);                              // "JOINED bob"
inline std::string format_left(std::string_view name);                                // "LEFT bob"

// One message from the server, as parse_incoming understands it.
struct Incoming {
  enum class Kind { direct, everyone, joined, left, reply, unexpected };
  Kind kind;
  std::string name;  // direct, everyone: who sent it; joined, left: who
  std::string text;  // direct, everyone: the message; reply: the whole reply; unexpected: the whole message
};

// Parses a message from the server. Names and texts of deliveries come back
// made visible (see visible()): another user cannot drive your terminal, nor
// start a line of its own with a line feed.
inline Incoming parse_incoming(std::string_view message);

// True for the replies to requests ("OK ...", "ERROR ...", "USERS..."), as
// opposed to deliveries: every request gets exactly one.
inline bool is_reply(std::string_view message);

// `text` safe to print on one line of a terminal: each control character (C0
// such as ESC and CR, DEL, C1), each bidirectional-text control (U+202E...)
// and each byte that is not UTF-8 is shown as an escape: "\x1b", "\r", "\n",
// "\u202e", "\xff". Everything else, letters of any language included, stays.
inline std::string visible(std::string_view text);

// ---------------------------------------------------------------------------
// How the helpers work.

namespace detail {

inline constexpr std::string_view kRequests =
    "the requests are REGISTER <name>, LOGIN <name>, WHO, MSG <name> <text> and ALL <text>";

// Bidirectional-text controls: they reorder what follows them on the line.
inline bool is_bidi_control(char32_t c) {
  return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

inline std::string escaped(const char* format, unsigned value) {
  char text[16];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

inline Request malformed(std::string problem) {
  return {Request::Kind::malformed, {}, {}, std::move(problem)};
}

// "NAME REST" split at the first space, or nothing if there is none.
inline std::optional<std::pair<std::string_view, std::string_view>> split_name(std::string_view text) {
  const std::size_t space = text.find(' ');
  if (space == std::string_view::npos) return std::nullopt;
  return std::pair{text.substr(0, space), text.substr(space + 1)};
}

}  // namespace detail

inline std::string visible(std::string_view text) {
  std::string shown;
  for (std::size_t at = 0; at < text.size();) {
    const auto c = registry::detail::decode_utf8(text, at);
    if (!c) {
      shown += detail::escaped("\\x%02x", static_cast<unsigned char>(text[at]));
      ++at;
      continue;
    }
    if (c->value == '\n') {
      shown += "\\n";
    } else if (c->value == '\r') {
      shown += "\\r";
    } else if (c->value == '\t') {
      shown += "\\t";
    } else if (c->value < 0x80 && registry::detail::is_control(c->value)) {
      shown += detail::escaped("\\x%02x", static_cast<unsigned>(c->value));
    } else if (registry::detail::is_control(c->value) || detail::is_bidi_control(c->value)) {
      shown += detail::escaped("\\u%04x", static_cast<unsigned>(c->value));
    } else {
      shown += text.substr(at, c->length);
    }
    at += c->length;
  }
  return shown;
}

inline Request parse_request(std::string_view text) {
  const std::string_view command = text.substr(0, text.find(' '));
  if (command == "REGISTER" || command == "LOGIN" || command == "WHO") return {Request::Kind::registry_request, {}, {}, {}};
  if (command == "MSG") {
    const auto name_and_text = detail::split_name(text.substr(std::min(text.size(), command.size() + 1)));
    if (text.size() == command.size() || !name_and_text || name_and_text->first.empty()) {
      return detail::malformed("MSG needs a name and a text: MSG <name> <text>");
    }
    if (name_and_text->second.empty()) return detail::malformed("a message cannot be empty");
    return {Request::Kind::direct, std::string(name_and_text->first), std::string(name_and_text->second), {}};
  }
  if (command == "ALL") {
    if (text.size() == command.size()) return detail::malformed("ALL needs a text: ALL <text>");
    if (text.size() == command.size() + 1) return detail::malformed("a message cannot be empty");
    return {Request::Kind::to_everyone, {}, std::string(text.substr(command.size() + 1)), {}};
  }
  // Quote at most the first 24 bytes: the reply to a long mistake stays short.
  constexpr std::size_t kQuoted = 24;
  const std::string quoted = netlab::in_quotes(command.substr(0, kQuoted)) + (command.size() > kQuoted ? "..." : "");
  return detail::malformed("unknown request " + quoted + ": " + std::string(detail::kRequests));
}

inline std::string format_msg(std::string_view to, std::string_view text) {
  return "MSG " + std::string(to) + " " + std::string(text);
}
inline std::string format_all(std::string_view text) { return "ALL " + std::string(text); }
inline std::string format_sent_to(std::string_view name) { return "OK sent to " + std::string(name); }
inline std::string format_direct(std::string_view from, std::string_view text) { return format_msg(from, text); }
inline std::string format_to_everyone(std::string_view from, std::string_view text) {
  return "ALL " + std::string(from) + " " + std::string(text);
}
inline std::string format_joined(std::string_view name) { return "JOINED " + std::string(name); }
inline std::string format_left(std::string_view name) { return "LEFT " + std::string(name); }

inline bool is_reply(std::string_view message) {
  return message.starts_with("OK ") || message.starts_with("ERROR ") || message == "USERS" ||
         message.starts_with("USERS\n");
}

inline Incoming parse_incoming(std::string_view message) {
  const Incoming unexpected{Incoming::Kind::unexpected, {}, visible(message)};
  if (is_reply(message)) return {Incoming::Kind::reply, {}, std::string(message)};
  const std::size_t space = message.find(' ');
  if (space == std::string_view::npos) return unexpected;
  const std::string_view kind = message.substr(0, space);
  const std::string_view rest = message.substr(space + 1);
  if (kind == "JOINED") return {Incoming::Kind::joined, visible(rest), {}};
  if (kind == "LEFT") return {Incoming::Kind::left, visible(rest), {}};
  const auto name_and_text = detail::split_name(rest);
  if (!name_and_text) return unexpected;
  const auto [name, text] = *name_and_text;
  if (kind == "MSG") return {Incoming::Kind::direct, visible(name), visible(text)};
  if (kind == "ALL") return {Incoming::Kind::everyone, visible(name), visible(text)};
  return unexpected;
}

inline std::vector<netlab::ClientId> logged_in_clients(const netlab::Server& server, const Registry& users) {
  std::vector<netlab::ClientId> logged_in;
  for (const netlab::ClientId client : server.clients()) {
    if (users.is_logged_in(client)) logged_in.push_back(client);
  }
  return logged_in;
}

inline std::optional<netlab::ClientId> logged_in_client_named(const netlab::Server& server, const Registry& users,
                                                              std::string_view name) {
  const auto logged_in = logged_in_clients(server, users);
  const auto named = std::ranges::find_if(logged_in, [&users, name](netlab::ClientId client) {
    const std::optional<std::string> its_name = users.name_of(client);
    return its_name && registry::same_name(*its_name, name);
  });
  if (named == logged_in.end()) return std::nullopt;
  return *named;
}

inline netlab::Task<void> server_logic(netlab::Server& server, Registry& users, netlab::Message message) {
  const Request asked = parse_request(message.text);
  if (asked.kind == Request::Kind::direct) {
    co_await send_direct(server, users, message.from, asked.name, asked.text);
  } else if (asked.kind == Request::Kind::to_everyone) {
    co_await send_to_everyone(server, users, message.from, asked.text);
  } else if (asked.kind == Request::Kind::malformed) {
    co_await server.send_message(message.from, format_error(asked.problem));
  } else {
    // Registry's request, answered by your registry; a login it accepted is a join.
    const netlab::ClientId client = message.from;
    const bool was_logged_in = users.is_logged_in(client);
    co_await registry::server_logic(server, users, std::move(message));
    if (!was_logged_in && users.is_logged_in(client)) co_await announce_join(server, users, client);
  }
}

}  // namespace chat
