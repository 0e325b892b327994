// doctor: tests of the Doctor's rules alone (exercises/doctor/doctor.hpp).

#include "stage_test.hpp"
#include "doctor.hpp"
#include "netlab/trace.hpp"

namespace {

std::string call(const std::string& method, const std::string& sentence) {
  return method + "(" + netlab::in_quotes(sentence) + ")";
}

TEST(Doctor, TurnsPronounsAround) {
  const doctor::Doctor doctor;
  expect_returned(call("change_person", "I am worried about my exams"),
                  doctor.change_person("I am worried about my exams"), "you are worried about your exams");
  expect_returned(call("change_person", "They never listen to me."), doctor.change_person("They never listen to me."),
                  "they never listen to you", "the words as words() gives them: small letters, no punctuation");
}

TEST(Doctor, SaysBackWhatThePatientSaysAboutThemself) {
  doctor::Doctor doctor;
  expect_returned(call("reply", "I am sad"), doctor.reply("I am sad"), "Why do you say that you are sad?",
                  "a sentence with a word of kPronouns gets \"Why do you say that \" + change_person(sentence) + \"?\"");
}

TEST(Doctor, AnswersKeywords) {
  doctor::Doctor doctor;
  for (const auto& [keyword, answer] : doctor::kKeywordReplies) {
    const std::string sentence = "Let me tell you about my " + keyword;
    expect_returned(call("reply", sentence), doctor.reply(sentence), answer,
                    "a keyword of kKeywordReplies comes before the pronouns");
  }
}

TEST(Doctor, HasADefaultReply) {
  doctor::Doctor doctor;
  expect_returned(call("reply", "The weather is nice"), doctor.reply("The weather is nice"), doctor::kDefaultReply,
                  "no keyword, no pronoun: kDefaultReply");
  expect_returned(call("reply", "It rained all day."), doctor.reply("It rained all day."), doctor::kDefaultReply,
                  "no keyword, no pronoun: kDefaultReply");
}

TEST(Doctor, NoticesASentenceSaidBefore) {
  doctor::Doctor doctor;
  expect_returned(call("reply", "I am sad"), doctor.reply("I am sad"), "Why do you say that you are sad?");
  expect_returned(call("reply", "I am sad") + ", the second time,", doctor.reply("I am sad"), doctor::kRepeated);
  expect_returned(call("reply", "i am SAD!") + ", after \"I am sad\",", doctor.reply("i am SAD!"), doctor::kRepeated,
                  "the same words are the same sentence");
}

TEST(Doctor, EachDoctorHasItsOwnMemory) {
  doctor::Doctor first;
  doctor::Doctor second;
  expect_returned(call("reply", "I am sad"), first.reply("I am sad"), "Why do you say that you are sad?");
  expect_returned(call("reply", "I am sad") + " to another Doctor", second.reply("I am sad"),
                  "Why do you say that you are sad?", "what a Doctor remembers is in its own said_, not shared");
}

}  // namespace
