// registry: tests of class Registry alone: no network, no server, only the
// records it keeps. Each test does a few calls and checks what the methods
// say afterwards.

#include "stage_test.hpp"
#include "registry.hpp"

namespace {

using registry::Registry;
using Names = std::vector<std::string>;

TEST(Registry, ARegisteredNameIsTaken) {
  Registry registry;
  registry.register_name(ClientId{1}, "alice");
  EXPECT_TRUE(registry.is_taken("alice")) << "after register_name(client 1, \"alice\"), is_taken(\"alice\")";
  EXPECT_FALSE(registry.is_taken("bob")) << "only \"alice\" was registered, yet is_taken(\"bob\")";
}

TEST(Registry, ANameInAnotherCaseOfAToZIsTaken) {
  Registry registry;
  registry.register_name(ClientId{1}, "alice");
  EXPECT_TRUE(registry.is_taken("ALICE")) << "\"alice\" was registered, so \"ALICE\" is taken: use same_name";
  EXPECT_TRUE(registry.is_taken("Alice")) << "\"alice\" was registered, so \"Alice\" is taken: use same_name";
}

TEST(Registry, OtherLettersKeepTheirCase) {
  Registry registry;
  registry.register_name(ClientId{1}, "émile");
  EXPECT_TRUE(registry.is_taken("émile")) << "after register_name(client 1, \"émile\"), is_taken(\"émile\")";
  EXPECT_FALSE(registry.is_taken("Émile")) << "only A-Z fold: \"Émile\" is another name than \"émile\"";
}

TEST(Registry, NameOfGivesTheNameAsRegistered) {
  Registry registry;
  registry.register_name(ClientId{2}, "Zoë");
  EXPECT_EQ(registry.name_of(ClientId{2}), std::optional<std::string>("Zoë"))
      << "after register_name(client 2, \"Zoë\"), name_of(client 2)";
  EXPECT_EQ(registry.name_of(ClientId{1}), std::nullopt) << "client 1 never registered, yet name_of(client 1)";
}

TEST(Registry, ALoggedInClientIsLoggedIn) {
  Registry registry;
  registry.register_name(ClientId{1}, "alice");
  registry.register_name(ClientId{2}, "bob");
  registry.log_in(ClientId{1});
  EXPECT_TRUE(registry.is_logged_in(ClientId{1})) << "after log_in(client 1), is_logged_in(client 1)";
  EXPECT_FALSE(registry.is_logged_in(ClientId{2})) << "client 2 registered but never logged in, yet is_logged_in";
}

TEST(Registry, LoggedInNamesListsTheLoggedInInTheOrderTheyConnected) {
  Registry registry;
  registry.register_name(ClientId{3}, "carol");
  registry.register_name(ClientId{1}, "alice");
  registry.register_name(ClientId{2}, "bob");
  registry.log_in(ClientId{3});
  registry.log_in(ClientId{1});
  EXPECT_EQ(registry.logged_in_names(), (Names{"alice", "carol"}))
      << "clients 1 (alice) and 3 (carol) logged in, client 2 (bob) only registered: logged_in_names() lists "
         "alice then carol, by ClientId";
}

TEST(Registry, RemoveLogsOutAndFreesTheName) {
  Registry registry;
  registry.register_name(ClientId{1}, "alice");
  registry.log_in(ClientId{1});
  ASSERT_TRUE(registry.is_logged_in(ClientId{1})) << "after log_in(client 1), is_logged_in(client 1)";
  registry.remove(ClientId{1});
  EXPECT_FALSE(registry.is_logged_in(ClientId{1})) << "after remove(client 1), is_logged_in(client 1)";
  EXPECT_FALSE(registry.is_taken("alice")) << "after remove(client 1), its name \"alice\" is free, yet is_taken";
  EXPECT_EQ(registry.name_of(ClientId{1}), std::nullopt) << "after remove(client 1), name_of(client 1)";
  EXPECT_EQ(registry.logged_in_names(), Names{}) << "after remove(client 1), nobody is logged in";
}

TEST(Registry, RemoveLeavesTheOthersAsTheyWere) {
  Registry registry;
  registry.register_name(ClientId{1}, "alice");
  registry.register_name(ClientId{2}, "bob");
  registry.register_name(ClientId{3}, "carol");
  registry.log_in(ClientId{1});
  registry.log_in(ClientId{2});
  registry.remove(ClientId{2});
  EXPECT_EQ(registry.logged_in_names(), Names{"alice"}) << "after remove(client 2), alice is still logged in";
  EXPECT_TRUE(registry.is_taken("carol")) << "after remove(client 2), \"carol\" (client 3) is still taken";
  EXPECT_FALSE(registry.is_taken("bob")) << "after remove(client 2), its name \"bob\" is free, yet is_taken";
}

}  // namespace
