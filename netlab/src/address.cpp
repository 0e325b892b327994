#include "address.hpp"

#include <algorithm>
#include <cctype>
#include <coroutine>
#include <cstring>
#include <string_view>
#include <memory>

#include "netlab/error.hpp"

namespace netlab::detail {

std::string format_address(const sockaddr_storage& address) {
  char host[INET6_ADDRSTRLEN] = "?";
  if (address.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    uv_ip6_name(&v6, host, sizeof host);
    std::string text = "[";
    text += host;
    text += "]:";
    text += std::to_string(ntohs(v6.sin6_port));
    return text;
  }
  const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
  uv_ip4_name(&v4, host, sizeof host);
  return std::string(host) + ":" + std::to_string(ntohs(v4.sin_port));
}

std::string local_address(const uv_tcp_t& tcp) {
  sockaddr_storage address{};
  int length = sizeof address;
  uv_tcp_getsockname(&tcp, reinterpret_cast<sockaddr*>(&address), &length);
  return format_address(address);
}

std::string join_host_port(const std::string& host, std::uint16_t port) {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

// The request outlives an awaiting task that is destroyed mid-lookup: libuv
// still calls back, and the callback frees it.
struct Lookup {
  uv_getaddrinfo_t request{};
  std::coroutine_handle<> waiter;
  int status = 0;
  std::vector<sockaddr_storage> addresses;
};

struct LookupAwaiter {
  Lookup* lookup;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> handle) noexcept { lookup->waiter = handle; }
  void await_resume() const noexcept {}
  ~LookupAwaiter() {
    if (lookup->waiter) {  // destroyed while waiting: let the callback free it alone
      lookup->waiter = {};
      uv_cancel(reinterpret_cast<uv_req_t*>(&lookup->request));
    }
  }
};

// "localhost" and names under ".localhost" are this machine, whatever the
// system's resolver says: RFC 6761 (section 6.3) lets a program answer them
// itself, and a minimal system may have no /etc/hosts to answer them.
bool is_localhost(std::string_view host) {
  constexpr std::string_view kName = "localhost";
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);  // the fully qualified "localhost."
  if (host.size() < kName.size()) return false;
  const std::string_view tail = host.substr(host.size() - kName.size());
  const bool named = std::equal(tail.begin(), tail.end(), kName.begin(), kName.end(),
                                [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  return named && (host.size() == kName.size() || host[host.size() - kName.size() - 1] == '.');
}

}  // namespace

Task<std::vector<sockaddr_storage>> resolve(EventLoop& loop, std::string host, std::uint16_t port) {
  // An address written as numbers needs no lookup: getaddrinfo would run on
  // libuv's thread pool, whose four threads cost a server 330 KiB of stacks.
  sockaddr_storage numeric{};
  if (uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&numeric)) == 0 ||
      uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&numeric)) == 0) {
    co_return std::vector<sockaddr_storage>{numeric};
  }
  if (is_localhost(host)) {
    std::vector<sockaddr_storage> loopback(2);
    uv_ip4_addr("127.0.0.1", port, reinterpret_cast<sockaddr_in*>(&loopback[0]));
    uv_ip6_addr("::1", port, reinterpret_cast<sockaddr_in6*>(&loopback[1]));
    co_return loopback;
  }
  auto* lookup = new Lookup;
  lookup->request.data = lookup;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_ADDRCONFIG;
  const std::string service = std::to_string(port);
  const int started = uv_getaddrinfo(
      loop.uv(), &lookup->request,
      [](uv_getaddrinfo_t* request, int status, addrinfo* result) {
        std::unique_ptr<Lookup> lookup(static_cast<Lookup*>(request->data));
        lookup->status = status;
        for (const addrinfo* info = result; info != nullptr; info = info->ai_next) {
          sockaddr_storage address{};
          std::memcpy(&address, info->ai_addr, info->ai_addrlen);
          lookup->addresses.push_back(address);
        }
        uv_freeaddrinfo(result);
        if (auto waiter = std::exchange(lookup->waiter, {})) {
          lookup.release();  // the resumed task takes it over
          resume(waiter);
        }
      },
      host.c_str(), service.c_str(), &hints);
  if (started < 0) {
    delete lookup;
    throw_uv_error(started, "looking up host \"" + host + "\"");
  }
  co_await LookupAwaiter{lookup};
  const std::unique_ptr<Lookup> done(lookup);
  if (done->status < 0 || done->addresses.empty()) {
    throw Error(done->status < 0 ? done->status : UV_EAI_NONAME,
                "host not found: \"" + host + "\" (" + uv_strerror(done->status) +
                    "). Check the spelling of --host; 127.0.0.1 means this machine");
  }
  co_return std::move(done->addresses);
}

}  // namespace netlab::detail
