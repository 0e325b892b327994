#pragma once
// Host names and socket addresses (https://docs.libuv.org/en/v1.x/dns.html).

#include <uv.h>

#include <cstdint>
#include <string>
#include <vector>

#include "netlab/event_loop.hpp"

namespace netlab::detail {

// "127.0.0.1:5000" or "[::1]:5000".
std::string format_address(const sockaddr_storage& address);

// The address `tcp` is bound to.
std::string local_address(const uv_tcp_t& tcp);

// The addresses of `host` (a name, or an IPv4 or IPv6 literal) at `port`, in
// the resolver's order of preference. Throws Error when the host is not found.
Task<std::vector<sockaddr_storage>> resolve(EventLoop& loop, std::string host, std::uint16_t port);

// "host:port", with brackets around an IPv6 literal: for messages.
std::string join_host_port(const std::string& host, std::uint16_t port);

}  // namespace netlab::detail
