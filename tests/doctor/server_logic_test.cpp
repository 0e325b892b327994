// doctor: tests of the Clinic alone, with a mock server. Each test starts
// with patients 1 and 2 connected.

#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "stage_test.hpp"
#include "doctor.hpp"
#include "netlab/trace.hpp"

namespace {

using netlab::testing::Action;

constexpr const char* kWhySad = "Why do you say that you are sad?";

class Clinic : public ::testing::Test {
 protected:
  // Patients 1 and 2 connect; GreetsANewPatient checks what on_connect does.
  void SetUp() override {
    server.connect_clients({ClientId{1}, ClientId{2}});
    for (const ClientId patient : {ClientId{1}, ClientId{2}}) netlab::run_sync(clinic.on_connect(server, patient));
  }

  // Hands `text` from `patient` to Clinic::on_message and checks what it did.
  void expect_answer(ClientId patient, const std::string& text, const std::vector<Action>& expected,
                     std::string_view why = {}, std::source_location where = std::source_location::current()) {
    expect_server_run(server, "Clinic::on_message",
                      "received " + netlab::in_quotes(text) + " from " + netlab::to_string(patient),
                      clinic.on_message(server, {patient, text}), expected, why, where);
  }

  MockServer server;
  doctor::Clinic clinic;
};

TEST_F(Clinic, GreetsANewPatient) {
  server.connect_clients({ClientId{1}, ClientId{2}, ClientId{3}});
  expect_server_run(server, "Clinic::on_connect", "saw client 3 connect", clinic.on_connect(server, ClientId{3}),
                    {send(doctor::kGreeting, ClientId{3})});
  if (clinic.patients() != 3) {
    ADD_FAILURE() << "after three patients connected, the Clinic has " << clinic.patients()
                  << " Doctor(s); expected one for each (on_connect puts one in doctors_)";
  }
}

TEST_F(Clinic, AnswersWithTheDoctorsReply) {
  expect_answer(ClientId{1}, "I am sad", {send(kWhySad, ClientId{1})});
  expect_answer(ClientId{1}, "My mother called", {send("Tell me more about your family.", ClientId{1})});
}

TEST_F(Clinic, AnswersThePatientWhoSpoke) {
  expect_answer(ClientId{2}, "The weather is nice", {send(doctor::kDefaultReply, ClientId{2})},
                "the reply goes to message.from, and to nobody else");
}

TEST_F(Clinic, ByeEndsTheSessionPolitely) {
  expect_answer(ClientId{1}, "bye", {send(doctor::kFarewell, ClientId{1}), disconnect(ClientId{1})});
  expect_answer(ClientId{2}, "Bye!", {send(doctor::kFarewell, ClientId{2}), disconnect(ClientId{2})},
                "\"Bye!\" has the same words as \"bye\"");
}

TEST_F(Clinic, AnEmptyLineEndsTheSession) {
  expect_answer(ClientId{1}, "", {send(doctor::kFarewell, ClientId{1}), disconnect(ClientId{1})});
}

TEST_F(Clinic, EachPatientHasTheirOwnDoctor) {
  expect_answer(ClientId{1}, "I am sad", {send(kWhySad, ClientId{1})});
  expect_answer(ClientId{2}, "I am sad", {send(kWhySad, ClientId{2})}, "client 2's Doctor never heard client 1");
  expect_answer(ClientId{1}, "I am sad", {send(doctor::kRepeated, ClientId{1})},
                "client 1's Doctor remembers what client 1 said");
}

TEST_F(Clinic, ForgetsAPatientWhoLeft) {
  server.connect_clients({ClientId{2}});
  expect_server_run(server, "Clinic::on_disconnect", "saw client 1 leave", clinic.on_disconnect(server, ClientId{1}),
                    {});
  if (clinic.patients() != 1) {
    ADD_FAILURE() << "after patients 1 and 2 connected and client 1 left, the Clinic has " << clinic.patients()
                  << " Doctor(s); expected one, client 2's (on_disconnect erases client 1's from doctors_)";
  }
}

}  // namespace
