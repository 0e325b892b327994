// doctor: the Clinic, a Doctor for each patient. Write your code between the
// markers below; doctor.hpp says what to do. The rest of this file stays as it is.

#include "doctor.hpp"

namespace doctor {

netlab::Task<void> Clinic::on_connect(netlab::Server& server, netlab::ClientId patient) {
  // *** start ***
  (void)server;  // says "not used yet"; delete these lines when you use them
  (void)patient;
  co_return;
  // *** end ***
}

netlab::Task<void> Clinic::on_message(netlab::Server& server, netlab::Message message) {
  // *** start ***
  (void)server;  // says "not used yet"; delete these lines when you use them
  (void)message;
  co_return;
  // *** end ***
}

netlab::Task<void> Clinic::on_disconnect(netlab::Server& server, netlab::ClientId patient) {
  // *** start ***
  (void)server;  // says "not used yet"; delete these lines when you use them
  (void)patient;
  co_return;
  // *** end ***
}

std::size_t Clinic::patients() const { return doctors_.size(); }

}  // namespace doctor
