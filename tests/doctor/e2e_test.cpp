// doctor: end-to-end tests. They start the real server and client programs on
// a free port of the loopback interface, talk with the Doctor, and check what
// the patients read.

#include "doctor.hpp"
#include "stage_test.hpp"

namespace {

constexpr const char* kWhySad = "Why do you say that you are sad?";

TEST(Programs, APatientTalksWithTheDoctor) {
  Server server;
  Program patient("client", {"--port", server.port()});
  patient.process().write_stdin("I am sad\nMy mother never calls\nThe weather is nice\nbye\n");
  if (!patient.expect_exit(0, {doctor::kGreeting, kWhySad, "Tell me more about your family.", doctor::kDefaultReply,
                               doctor::kFarewell})) {
    return;
  }
  server.expect_line("client 1 left");
  server.expect_stops(0);
}

TEST(Programs, AnEmptyLineEndsTheSession) {
  Server server;
  Program patient("client", {"--port", server.port()});
  patient.process().write_stdin("I am sad\n\n");
  if (!patient.expect_exit(0, {doctor::kGreeting, kWhySad, doctor::kFarewell})) return;
  server.expect_line("client 1 left");
}

// Two patients at once, saying the same thing: each Doctor hears only its own
// patient, so neither answers kRepeated, and neither patient reads a line of
// the other's conversation.
TEST(Programs, TwoPatientsAtOnceNeverHearEachOther) {
  Server server;
  Program first("client", {"--port", server.port()});
  if (!server.expect_line("client 1 connected")) return;
  Program second("client", {"--port", server.port()});
  if (!server.expect_line("client 2 connected")) return;

  first.process().write_stdin("I am sad\n");
  if (!first.expect_line(kWhySad)) return;
  second.process().write_stdin("I am sad\n");
  if (!second.expect_line(kWhySad)) return;
  first.process().write_stdin("I am sad\nbye\n");
  if (!first.expect_exit(0, {doctor::kGreeting, kWhySad, doctor::kRepeated, doctor::kFarewell})) return;
  second.process().write_stdin("My father is strict\nbye\n");
  second.expect_exit(0, {doctor::kGreeting, kWhySad, "Tell me more about your family.", doctor::kFarewell});
}

// The next patient gets a new Doctor, who has not heard the one before.
TEST(Programs, TheDoctorSeesPatientAfterPatient) {
  Server server;
  for (int patient_number = 1; patient_number <= 2; ++patient_number) {
    Program patient("client", {"--port", server.port()});
    patient.process().write_stdin("I am sad\nbye\n");
    if (!patient.expect_exit(0, {doctor::kGreeting, kWhySad, doctor::kFarewell})) return;
  }
}

}  // namespace
