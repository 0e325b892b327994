// doctor: the Doctor's rules. Write your code between the markers below;
// doctor.hpp says what to do. The rest of this file stays as it is.

#include "doctor.hpp"

namespace doctor {

std::string Doctor::change_person(const std::string& sentence) const {
  // *** start ***
  std::vector<std::string> turned = words(sentence);
  for (auto& word : turned) {
    if (kPronouns.contains(word)) word = kPronouns.at(word);
  }
  return join(turned);
  // *** end ***
}

std::string Doctor::reply(const std::string& sentence) {
  // *** start ***
  const std::vector<std::string> said = words(sentence);
  if (std::find(said_.begin(), said_.end(), said) != said_.end()) return kRepeated;
  said_.push_back(said);
  for (const auto& word : said) {
    if (kKeywordReplies.contains(word)) return kKeywordReplies.at(word);
  }
  for (const auto& word : said) {
    if (kPronouns.contains(word)) return "Why do you say that " + change_person(sentence) + "?";
  }
  return kDefaultReply;
  // *** end ***
}

}  // namespace doctor
