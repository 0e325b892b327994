#pragma once
// The trusted side of a graded test program: the proxies that stand for the
// student's logic. tools/netlab-entry-points generates one per entry point of
// the stage's manifest, with the entry point's own signature, e.g.
//
//   netlab::Task<void> pingpong1::server_logic(netlab::Server& arg0, netlab::Message arg1) {
//     return logic_host::Forward<netlab::Task<void>(netlab::Server&, netlab::Message)>::call(
//         "netlab::Task<void> pingpong1::server_logic(netlab::Server&, netlab::Message)", nullptr, arg0, arg1);
//   }
//
// so the stage's unit tests link against them unchanged. A call runs the
// logic in this test's logic host (a fresh process per test, see proxy.cpp),
// and makes what the logic asks of its Server or Client on the test's own
// mock; the mocks, the expectations and the failure messages are the same as
// when the logic runs in the test program.
//
// Parameters: any type with a Codec (wire.hpp), std::string_view,
// netlab::Server&, netlab::Client&, and a reference to an object of a class
// the student completes (the host keeps its own copy, keyed by this one's
// address). Results: any type with a Codec, void, or a Task of either.

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "netlab/client.hpp"
#include "netlab/server.hpp"
#include "wire.hpp"

namespace logic_host {

// The key of an object of a student's class: the address of the test's
// object, which stands for the host's.
inline std::uint64_t object_key(const void* object) { return reinterpret_cast<std::uintptr_t>(object); }

// One call of an entry point, being built.
class Call {
 public:
  Call(std::string_view entry, const void* self);

  void put(netlab::Server& server) { put_object(ObjectKind::server, &server); }
  void put(netlab::Client& client) { put_object(ObjectKind::client, &client); }
  void put(std::string_view text) { frame_.bytes(text); }
  template <Encodable T>
  void put(const T& value) {
    Codec<T>::put(frame_, value);
  }
  template <typename T>
    requires std::is_class_v<T> && (!Encodable<std::remove_const_t<T>>)
  void put(T& object) {
    frame_.u64(object_key(&object));
  }

  // Runs the call in the host, and returns the outcome it ended with
  // (wire.hpp). A host that crashes, exits, hangs or sends garbage fails the
  // test, and the call throws an exception that says so.
  [[nodiscard]] std::string run() &&;

 private:
  struct Object {
    ObjectKind kind;
    void* address;
  };
  void put_object(ObjectKind kind, void* address);
  void serve(Reader& request, Writer& reply) const;

  std::string entry_;
  Writer frame_{FrameKind::call};
  std::vector<Object> objects_;  // what the call hands the logic, by handle
};

template <typename Value>
Value finish(const std::string& outcome) {
  Reader in(outcome);
  return get_outcome<Value>(in);
}

template <typename Value>
netlab::Task<Value> run_when_awaited(Call call) {
  co_return finish<Value>(std::move(call).run());
}

template <typename Signature>
struct Forward;

template <typename R, typename... Params>
struct Forward<R(Params...)> {
  // The arguments are written down at once; a Task runs in the host when it
  // is awaited, as the logic's own coroutine would.
  static R call(std::string_view entry, const void* self, Params... args) {
    Call call(entry, self);
    (call.put(args), ...);
    if constexpr (is_task<R>) {
      return run_when_awaited<typename Unwrapped<R>::type>(std::move(call));
    } else {
      return finish<R>(std::move(call).run());
    }
  }
};

// Tells the host that the test's object at `self` is being destroyed, so that
// the host destroys its own: what a proxied destructor does. Never throws.
void forget(std::string_view entry, const void* self) noexcept;

}  // namespace logic_host
