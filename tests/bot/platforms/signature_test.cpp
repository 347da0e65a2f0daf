#include "bot/platforms/signature.hpp"

#include <gtest/gtest.h>

namespace loudong::bot {
namespace {

// RFC 4231 test case 2 and RFC 2202 test case 2 ("Jefe").
TEST(Signature, MatchesPublishedHmacVectors) {
    EXPECT_EQ(hmac_hex(digest::sha256, "Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(hmac_hex(digest::sha1, "Jefe", "what do ya want for nothing?"),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

TEST(Signature, AcceptsTheRightHeaderAndRefusesEverythingElse) {
    const std::string body = R"({"text":"登记 3-502"})";
    const auto good = "sha256=" + hmac_hex(digest::sha256, "s3cret", body);
    EXPECT_TRUE(signature_matches(digest::sha256, good, "s3cret", body));
    std::string upper = good;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    upper.replace(0, 7, "sha256=");
    EXPECT_TRUE(signature_matches(digest::sha256, upper, "s3cret", body));
    EXPECT_FALSE(signature_matches(digest::sha256, good, "other", body));
    EXPECT_FALSE(signature_matches(digest::sha256, good, "s3cret", body + " "));
    EXPECT_FALSE(signature_matches(digest::sha256, "", "s3cret", body));
    EXPECT_FALSE(signature_matches(digest::sha256, good.substr(7), "s3cret", body));
    EXPECT_FALSE(signature_matches(digest::sha256, "sha256=abc", "s3cret", body));
    EXPECT_FALSE(signature_matches(digest::sha1, good, "s3cret", body));
}

}  // namespace
}  // namespace loudong::bot
