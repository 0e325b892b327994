// doctor: the Clinic, a Doctor for each patient. Write your code between the
// markers below; doctor.hpp says what to do. The rest of this file stays as it is.

#include "doctor.hpp"

namespace doctor {

netlab::Task<void> Clinic::on_connect(netlab::Server& server, netlab::ClientId patient) {
  // *** start ***
  doctors_[patient] = Doctor();
  co_await server.send_message(patient, kGreeting);
  // *** end ***
}

netlab::Task<void> Clinic::on_message(netlab::Server& server, netlab::Message message) {
  // *** start ***
  const std::vector<std::string> said = words(message.text);
  if (said.empty() || said == std::vector<std::string>{"bye"}) {
    co_await server.send_message(message.from, kFarewell);
    server.disconnect(message.from);
  } else {
    co_await server.send_message(message.from, doctors_[message.from].reply(message.text));
  }
  // *** end ***
}

netlab::Task<void> Clinic::on_disconnect(netlab::Server& server, netlab::ClientId patient) {
  // *** start ***
  (void)server;  // not needed: the patient has already left
  doctors_.erase(patient);
  co_return;
  // *** end ***
}

std::size_t Clinic::patients() const { return doctors_.size(); }

}  // namespace doctor
