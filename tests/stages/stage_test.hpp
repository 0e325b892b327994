#pragma once
// The one include of a stage's test files. It brings in GoogleTest, the mocks
// and the stage test helpers, and makes their names usable as they are, so
// that a test file holds the stage's rules and nothing else:
//
//   TEST(ServerLogic, AnswersPingWithPong) {
//     MockServer server;
//     server.connect_clients({ClientId{1}});
//     expect_server(server, pingpong1::server_logic, {ClientId{1}, "Ping"}, {send("Pong", ClientId{1})});
//   }
//
// Unit tests use logic_testing.hpp's helpers with the mocks; end-to-end tests
// use program_testing.hpp's Server and Program, which start the stage's real
// programs by role ("server", "client"...).

#include <gtest/gtest.h>

#include "logic_testing.hpp"
#include "netlab/testing/action.hpp"
#include "netlab/testing/mock_client.hpp"
#include "netlab/testing/mock_server.hpp"
#include "program_testing.hpp"

// Using-declarations rather than a using-directive: each name is chosen here,
// and POSIX's own send() stays an overload that cannot be picked by mistake.
using netlab::ClientId;
using netlab::kExitServerClosed;
using netlab::Message;
using netlab::testing::broadcast;
using netlab::testing::close_connection;
using netlab::testing::disconnect;
using netlab::testing::MockClient;
using netlab::testing::MockServer;
using netlab::testing::receive;
using netlab::testing::receive_nothing;
using netlab::testing::send;
using stage_testing::called_with;
using stage_testing::expect_client;
using stage_testing::expect_printed;
using stage_testing::expect_returned;
using stage_testing::expect_server;
using stage_testing::expect_server_run;
using stage_testing::Program;
using stage_testing::run_client;
using stage_testing::Server;
