#pragma once
// doctor: a one-on-one "therapist" chat, after ELIZA. Each patient (client)
// who connects gets a Doctor of their own, who greets them and answers each
// line they type by a few rules, until they say "bye".
//
//     patient                                      server (the Clinic)
//       |  -------------- connects --------------->   |  on_connect: a new Doctor for this patient
//       |  <---------------- kGreeting ------------   |
//       |  ------------- "I am sad" -------------->   |  on_message: the patient's Doctor replies
//       |  <--- "Why do you say that you are sad?" -   |
//       |  ---------------- "bye" ---------------->   |  on_message: kFarewell, then disconnect
//       |  <---------------- kFarewell ------------   |
//                                                     |  on_disconnect: forget that Doctor
//
// You write the methods of the two classes below: Doctor's in doctor.cpp,
// Clinic's in server_logic.cpp, between the lines `*** start ***` and
// `*** end ***`. Their data members are declared here, for you; the client
// program is given. handouts/doctor.md explains how to build, run and test.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "netlab/server.hpp"
#include "netlab/task.hpp"

namespace doctor {

inline constexpr const char* kGreeting = "Good day. I am the Doctor. What is on your mind?";
inline constexpr const char* kFarewell = "Goodbye. Take good care of yourself.";
inline constexpr const char* kDefaultReply = "Please tell me more.";
inline constexpr const char* kRepeated = "You told me that already. What else is on your mind?";

// Keywords, and the Doctor's answer to a sentence that has one.
inline const std::map<std::string, std::string> kKeywordReplies = {
    {"mother", "Tell me more about your family."},  {"father", "Tell me more about your family."},
    {"dream", "What does that dream suggest to you?"}, {"sorry", "There is no need to apologize."},
    {"computer", "Do computers worry you?"},
};

// The words a Doctor turns around when it says back what the patient said:
// "my" becomes "your", "I" becomes "you"...
inline const std::map<std::string, std::string> kPronouns = {
    {"i", "you"},   {"me", "you"},    {"my", "your"}, {"mine", "yours"}, {"myself", "yourself"},
    {"am", "are"},  {"we", "you"},    {"us", "you"},  {"our", "your"},
};

// The words of a sentence, in small letters, without punctuation:
// words("My mother hates me!") is {"my", "mother", "hates", "me"}. Given.
inline std::vector<std::string> words(const std::string& sentence) {
  std::vector<std::string> found;
  std::string word;
  for (const char c : sentence + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'') {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      found.push_back(word);
      word.clear();
    }
  }
  return found;
}

// The words joined by spaces: join({"you", "are", "sad"}) is "you are sad". Given.
inline std::string join(const std::vector<std::string>& words) {
  std::string sentence;
  for (const auto& word : words) sentence += (sentence.empty() ? "" : " ") + word;
  return sentence;
}

// One patient's Doctor.
class Doctor {
 public:
  // What the patient said, turned around: change_person("I am worried about
  // my exams") is "you are worried about your exams".
  //
  // To do:
  //   Take the words of `sentence` (words()); replace each word that is a key
  //   of kPronouns by its value; join them back (join()).
  std::string change_person(const std::string& sentence) const;

  // The Doctor's reply to one sentence of the patient.
  //
  // To do: the first of these rules that applies gives the reply.
  //   1. The patient said the same words before: kRepeated.
  //   2. One of its words is a keyword of kKeywordReplies: that keyword's reply
  //      (for the first such word of the sentence).
  //   3. One of its words is a key of kPronouns:
  //      "Why do you say that " + change_person(sentence) + "?"
  //   4. Anything else: kDefaultReply.
  //   Remember the sentence's words in said_, for rule 1.
  //
  // Calls you can use:
  //   kKeywordReplies.contains(word), kKeywordReplies.at(word)  (the same for kPronouns)
  //   std::find(said_.begin(), said_.end(), some_words) != said_.end()
  //       says whether said_ holds some_words.
  std::string reply(const std::string& sentence);

 private:
  std::vector<std::vector<std::string>> said_;  // the patient's sentences so far, as words()
};

// The server: a Doctor for each patient connected.
class Clinic {
 public:
  // A patient connected.
  //
  // To do:
  //   1. Give them a Doctor of their own in doctors_ (doctors_[patient] makes one).
  //   2. Send them kGreeting.
  netlab::Task<void> on_connect(netlab::Server& server, netlab::ClientId patient);

  // A patient said something: message.text, from message.from.
  //
  // To do:
  //   1. If the message has no words at all (an empty line), or its words are
  //      just "bye" ("bye", "Bye!"...): send kFarewell to the patient, then
  //      disconnect them.
  //   2. Else send them their own Doctor's reply to message.text.
  netlab::Task<void> on_message(netlab::Server& server, netlab::Message message);

  // A patient left.
  //
  // To do:
  //   Forget their Doctor: doctors_.erase(patient).
  netlab::Task<void> on_disconnect(netlab::Server& server, netlab::ClientId patient);

  // How many patients have a Doctor now. Given (in server_logic.cpp).
  [[nodiscard]] std::size_t patients() const;

 private:
  std::unordered_map<netlab::ClientId, Doctor> doctors_;  // each patient's own Doctor
};

// Calls you can use in Clinic's methods:
//   co_await server.send_message(to, text);   sends `text` to the client `to`.
//   server.disconnect(to);                    closes the connection to `to`, once
//                                             what was sent has gone out (no co_await).

}  // namespace doctor
