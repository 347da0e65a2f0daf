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

// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
TEST(Ed25519, SignsAndVerifiesRfc8032Vectors) {
    const ed25519_key one(
        *from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    EXPECT_EQ(one.public_hex(), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    const std::string sig1 =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
        "1cf9b46bd25bf5f0595bbe24655141438e7a100b";
    EXPECT_EQ(one.sign_hex(""), sig1);
    EXPECT_TRUE(one.verify_hex("", sig1));

    const ed25519_key two(
        *from_hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    EXPECT_EQ(two.public_hex(), "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    const std::string sig2 =
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
        "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";
    EXPECT_EQ(two.sign_hex("\x72"), sig2);
    EXPECT_TRUE(two.verify_hex("\x72", sig2));
    EXPECT_FALSE(two.verify_hex("\x73", sig2));
    EXPECT_FALSE(one.verify_hex("\x72", sig2));
}

// QQ's webhook documentation: the bot secret DG5g3B4j9X2KOErG signs the op 13 validation of
// plain_token Arq0D5A61EgUu4OxUvOp at event_ts 1725442341 (event_ts + plain_token) as below.
// A second published pair: the 28-byte secret naOC0ocQE3shWLAfffVLB1rhYPG7 becomes the seed
// naOC0ocQE3shWLAfffVLB1rhYPG7naOC and the public key d7c3…673a.
TEST(Ed25519, DerivesQqKeysFromTheBotSecretAsThePlatformDoes) {
    EXPECT_EQ(ed25519_key::qq_seed("naOC0ocQE3shWLAfffVLB1rhYPG7"),
              "naOC0ocQE3shWLAfffVLB1rhYPG7naOC");
    EXPECT_EQ(ed25519_key::qq_seed("abc"), "abcabcabcabcabcabcabcabcabcabcab");
    EXPECT_EQ(ed25519_key(ed25519_key::qq_seed("naOC0ocQE3shWLAfffVLB1rhYPG7")).public_hex(),
              "d7c362fe78aef81ff23287b493628b5db02a3c4fe30b215e4d19609b5d76673a");
    const ed25519_key key(ed25519_key::qq_seed("DG5g3B4j9X2KOErG"));
    EXPECT_EQ(key.sign_hex("1725442341Arq0D5A61EgUu4OxUvOp"),
              "87befc99c42c651b3aac0278e71ada338433ae26fcb24307bdc5ad38c1adc2d01bcfcadc0842edac85"
              "e85205028a1132afe09280305f13aa6909ffc2d652c706");
    EXPECT_THROW(ed25519_key::qq_seed(""), std::invalid_argument);
    EXPECT_THROW(ed25519_key("short"), std::invalid_argument);
}

TEST(Ed25519, RefusesMalformedSignatures) {
    const ed25519_key key(ed25519_key::qq_seed("DG5g3B4j9X2KOErG"));
    const auto good = key.sign_hex("1725442341{}");
    std::string upper = good;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    EXPECT_TRUE(key.verify_hex("1725442341{}", upper));
    EXPECT_FALSE(key.verify_hex("1725442341{}", good.substr(2)));
    EXPECT_FALSE(key.verify_hex("1725442341{}", good + "00"));
    EXPECT_FALSE(key.verify_hex("1725442341{}", "zz" + good.substr(2)));
    EXPECT_FALSE(key.verify_hex("1725442341{}", ""));
    EXPECT_FALSE(key.verify_hex("1725442342{}", good));
}

}  // namespace
}  // namespace loudong::bot
