// doctor server: listens for patients and hands each connection, message and
// departure to your Clinic, until you stop it with Ctrl-C. You do not need
// to change this file.

#include "doctor.hpp"
#include "netlab/run.hpp"

int main(int argc, char** argv) {
  doctor::Clinic clinic;
  return netlab::run_server(
      argc, argv,
      {
          .stage = "doctor",
          .description = "doctor server: a Doctor for each patient who connects",
          .handlers = {.on_message = {"Clinic::on_message",
                                      [&clinic](netlab::Server& server, netlab::Message message) {
                                        return clinic.on_message(server, std::move(message));
                                      }},
                       .on_connect = {"Clinic::on_connect",
                                      [&clinic](netlab::Server& server, netlab::ClientId patient) {
                                        return clinic.on_connect(server, patient);
                                      }},
                       .on_disconnect = {"Clinic::on_disconnect",
                                         [&clinic](netlab::Server& server, netlab::ClientId patient) {
                                           return clinic.on_disconnect(server, patient);
                                         }}},
      });
}
