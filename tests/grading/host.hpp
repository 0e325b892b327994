#pragma once
// The logic host: the one program of grading that holds student code. It
// reads calls on stdin (wire.hpp), runs the student's logic, sends back
// what the logic asks of its Server or Client, and ends each call with what
// the logic printed and its outcome. Nothing it says is a verdict: the graded
// test program checks what the logic did, on its own mocks.
//
// The dispatcher that tools/netlab-entry-points generates for a stage lists
// its entry points, each with the signature the test program sends:
//
//   const std::vector<logic_host::EntryPoint>& logic_host::entry_points() {
//     static const std::vector<EntryPoint> table = {
//       {"netlab::Task<void> pingpong1::server_logic(netlab::Server&, netlab::Message)",
//        function(static_cast<netlab::Task<void> (*)(netlab::Server&, netlab::Message)>(&pingpong1::server_logic))},
//     };
//     return table;
//   }

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "wire.hpp"

namespace logic_host {

// Runs one call: reads its arguments from `in` (`self` keys the object of a
// method) and writes its outcome to `out`.
using Run = std::function<void(std::uint64_t self, Reader& in, Writer& out)>;

struct EntryPoint {
  std::string_view signature;
  Run run;
};

// The stage's entry points: defined by the generated dispatcher.
const std::vector<EntryPoint>& entry_points();

// The test's Server and Client, as the logic sees them: each call is made on
// the test's mock, and its outcome comes back.
class RemoteServer final : public netlab::Server {
 public:
  explicit RemoteServer(std::uint64_t handle) : handle_(handle) {}
  netlab::Task<void> send_message(netlab::ClientId to, std::string_view text) override;
  netlab::Task<void> broadcast(std::string_view text, std::optional<netlab::ClientId> except) override;
  std::vector<netlab::ClientId> clients() const override;
  void disconnect(netlab::ClientId id) override;
  std::string peer_address(netlab::ClientId id) const override;

 private:
  std::uint64_t handle_;
};

class RemoteClient final : public netlab::Client {
 public:
  explicit RemoteClient(std::uint64_t handle) : handle_(handle) {}
  netlab::Task<void> send_message(std::string_view text) override;
  netlab::Task<std::optional<std::string>> receive_message() override;
  netlab::Task<void> close() override;

 private:
  std::uint64_t handle_;
};

// The host's objects of class C, by the key of the test's object.
template <typename C>
std::map<std::uint64_t, std::unique_ptr<C>>& objects() {
  static std::map<std::uint64_t, std::unique_ptr<C>> table;
  return table;
}

// The object of class C that stands for the test's object `key`, made on first use.
template <typename C>
C& object(std::uint64_t key) {
  auto& slot = objects<C>()[key];
  if (!slot) {
    if constexpr (std::is_default_constructible_v<C>) {
      slot = std::make_unique<C>();
    } else {
      throw std::logic_error("the logic host cannot make this object: its class has no default constructor, "
                             "and its constructor is not an entry point of the stage");
    }
  }
  return *slot;
}

// How a parameter of type P is read: Held is what the host keeps during the
// call, pass() what the logic gets.
template <typename P>
struct Parameter {
  using Bare = std::remove_cvref_t<P>;
  using Held = std::conditional_t<
      std::is_same_v<Bare, netlab::Server>, RemoteServer,
      std::conditional_t<std::is_same_v<Bare, netlab::Client>, RemoteClient,
                         std::conditional_t<std::is_same_v<Bare, std::string_view>, std::string,
                                            std::conditional_t<Encodable<Bare>, Bare, Bare*>>>>;

  static Held get(Reader& in) {
    if constexpr (std::is_same_v<Held, RemoteServer> || std::is_same_v<Held, RemoteClient>) {
      return Held(in.u64());
    } else if constexpr (std::is_same_v<Held, Bare*>) {
      return &object<Bare>(in.u64());
    } else {
      return Codec<Held>::get(in);
    }
  }

  static P pass(Held& held) {
    if constexpr (std::is_same_v<Held, Bare*>) {
      return *held;
    } else if constexpr (std::is_lvalue_reference_v<P> || std::is_same_v<Bare, std::string_view>) {
      return held;
    } else {
      return std::move(held);
    }
  }
};

// Reads the arguments of a call to a function taking Params, then calls
// `call` with them and writes the outcome.
template <typename R, typename... Params, typename Call>
void run_with_arguments(Reader& in, Writer& out, Call&& call) {
  std::tuple<typename Parameter<Params>::Held...> held{Parameter<Params>::get(in)...};
  in.expect_end();
  put_outcome<R>(out, [&] {
    return std::apply([&](auto&... values) -> R { return call(Parameter<Params>::pass(values)...); }, held);
  });
}

template <typename R, typename... Params>
Run function(R (*f)(Params...)) {
  return [f](std::uint64_t, Reader& in, Writer& out) { run_with_arguments<R, Params...>(in, out, f); };
}

template <typename C, typename R, typename... Params>
Run method(R (C::*f)(Params...)) {
  return [f](std::uint64_t self, Reader& in, Writer& out) {
    run_with_arguments<R, Params...>(in, out, [&](Params... args) -> R {
      return (object<C>(self).*f)(std::forward<Params>(args)...);
    });
  };
}

template <typename C, typename R, typename... Params>
Run method(R (C::*f)(Params...) const) {
  return [f](std::uint64_t self, Reader& in, Writer& out) {
    run_with_arguments<R, Params...>(in, out, [&](Params... args) -> R {
      return (object<C>(self).*f)(std::forward<Params>(args)...);
    });
  };
}

template <typename C, typename... Params>
Run constructor() {
  return [](std::uint64_t self, Reader& in, Writer& out) {
    run_with_arguments<void, Params...>(in, out, [&](Params... args) {
      objects<C>()[self] = std::make_unique<C>(std::forward<Params>(args)...);
    });
  };
}

template <typename C>
Run destructor() {
  return [](std::uint64_t self, Reader& in, Writer& out) {
    in.expect_end();
    put_outcome<void>(out, [&] { objects<C>().erase(self); });
  };
}

}  // namespace logic_host
