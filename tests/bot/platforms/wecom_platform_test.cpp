#include "bot/platforms/wecom_platform.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/fixtures.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;
using loudong::testing::fixture;

// The token and EncodingAESKey of WeCom's documentation examples.
const std::string token = "QDG6eK";
const std::string aes_key = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

const wecom_crypto& crypto() {
    static const wecom_crypto c(token, aes_key);
    return c;
}

wecom_settings settings() {
    wecom_settings s;
    s.enabled = true;
    s.token = token;
    s.encoding_aes_key = aes_key;
    return s;
}

// text_message.encrypted.json was made by tests/fixtures/wecom/encrypt.py (Python's
// `cryptography`) from text_message.json with the 16 bytes "aaaabbbbccccdddd".
TEST(WecomCrypto, DecryptsWhatAnIndependentImplementationEncrypted) {
    const auto encrypted = json::parse(fixture("wecom/text_message.encrypted.json"));
    const auto plain = crypto().decrypt(encrypted["encrypt"].get<std::string>());
    ASSERT_TRUE(plain);
    EXPECT_EQ(*plain, fixture("wecom/text_message.json"));
    EXPECT_EQ(
        crypto().signature("1409659813", "1372623149", encrypted["encrypt"].get<std::string>()),
        encrypted["msg_signature"]);
}

TEST(WecomCrypto, EncryptsByteForByteAsTheIndependentImplementation) {
    const auto encrypted = json::parse(fixture("wecom/text_message.encrypted.json"));
    EXPECT_EQ(crypto().encrypt(fixture("wecom/text_message.json"), "aaaabbbbccccdddd"),
              encrypted["encrypt"]);
    // And what loudong encrypts, loudong (and so the Python above) reads back.
    const auto mine = crypto().encrypt("登记 3-502", "0123456789abcdef");
    EXPECT_EQ(crypto().decrypt(mine), "登记 3-502");
    EXPECT_THROW(crypto().encrypt("x", "short"), std::invalid_argument);
}

TEST(WecomCrypto, RefusesCorruptCiphertextAndBadKeys) {
    const auto good =
        json::parse(fixture("wecom/text_message.encrypted.json"))["encrypt"].get<std::string>();
    EXPECT_FALSE(crypto().decrypt(""));
    EXPECT_FALSE(crypto().decrypt("not base64!"));
    EXPECT_FALSE(crypto().decrypt(good.substr(0, good.size() - 4)));  // not whole blocks
    EXPECT_FALSE(crypto().decrypt(base64_encode(std::string(32, '\0'))));
    auto flipped = *base64_decode(good);
    flipped.back() = static_cast<char>(flipped.back() ^ 0x55);  // the padding no longer holds
    EXPECT_FALSE(crypto().decrypt(base64_encode(flipped)));
    // Another key reads garbage, and is refused rather than returned.
    const wecom_crypto other(token, "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
    EXPECT_FALSE(other.decrypt(good));
    EXPECT_THROW(wecom_crypto(token, aes_key.substr(1)), std::invalid_argument);
    EXPECT_THROW(wecom_crypto(token, aes_key.substr(1) + "!"), std::invalid_argument);
}

TEST(WecomCrypto, Base64RoundTripsAndRefusesWhatIsNot) {
    for (const std::string bytes : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
    }
    EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64_decode("Zm8="), "fo");
    EXPECT_FALSE(base64_decode("Zm8"));
    EXPECT_FALSE(base64_decode("Zm=8"));
    EXPECT_FALSE(base64_decode("Z==="));
}

TEST(WecomAdapter, ReadsTheDocumentedGroupTextWithoutTheBotsMention) {
    const auto in = parse_wecom(fixture("wecom/text_message.json"), 42);
    ASSERT_TRUE(in.message) << in.error;
    const auto& msg = *in.message;
    EXPECT_EQ(msg.platform, "wecom");
    EXPECT_EQ(msg.message_id, "CAIQ16HMjQYY/NGagIOAgAMgq4KM0AI=");
    EXPECT_EQ(msg.chat_id, "CHATID");
    EXPECT_FALSE(msg.is_private);
    EXPECT_EQ(msg.sender_id, "USERID");
    EXPECT_EQ(msg.text, "hello robot");  // the quote is someone else's words: not read
    EXPECT_EQ(msg.time, 42);
}

TEST(WecomAdapter, ReadsAOneToOneVoiceMessageAsWeComTranscribedIt) {
    const auto in = parse_wecom(fixture("wecom/voice_message.json"), 42);
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_TRUE(in.message->is_private);
    EXPECT_EQ(in.message->chat_id, "USERID");
    EXPECT_EQ(in.message->text, "这是语音转成文本的内容");
}

TEST(WecomAdapter, IgnoresEventsAndStreamRefreshesAndNamesWhatIsWrong) {
    EXPECT_TRUE(parse_wecom(fixture("wecom/stream_refresh.json"), 42).ignored);
    EXPECT_TRUE(parse_wecom(fixture("wecom/feedback_event.json"), 42).ignored);
    auto message = json::parse(fixture("wecom/text_message.json"));
    message["text"]["content"] = "@RobotA";
    EXPECT_TRUE(parse_wecom(message.dump(), 42).ignored);
    message = json::parse(fixture("wecom/text_message.json"));
    message.erase("from");
    EXPECT_EQ(parse_wecom(message.dump(), 42).error, "field \"from\" must be an object");
    message = json::parse(fixture("wecom/text_message.json"));
    message.erase("chatid");
    EXPECT_EQ(parse_wecom(message.dump(), 42).error,
              "field \"chatid\" must be a non-empty string in a group");
    message = json::parse(fixture("wecom/text_message.json"));
    message["text"] = "hello";
    EXPECT_EQ(parse_wecom(message.dump(), 42).error, "field \"text.content\" must be a string");
    EXPECT_EQ(parse_wecom("[]", 42).error, "body must be a JSON object");
}

request callback(const std::string& target, const std::string& body = {}) {
    request req{body.empty() ? http::verb::get : http::verb::post, target, 11};
    req.body() = body;
    return req;
}

TEST(WecomAdapter, VerifiesTheCallbackUrlAndSignedMessages) {
    const wecom_platform wecom(settings());
    // echostr.encrypted.json: "1616140317555161061" encrypted by encrypt.py.
    const auto echo = json::parse(fixture("wecom/echostr.encrypted.json"));
    const auto target =
        "/hook/wecom?msg_signature=" + echo["msg_signature"].get<std::string>() +
        "&timestamp=1409659813&nonce=263014780&echostr=" +
        // '+' and '/' as a URL carries them
        [&] {
            std::string out;
            for (const char c : echo["encrypt"].get<std::string>()) {
                out += c == '+' ? "%2B" : c == '/' ? "%2F" : c == '=' ? "%3D" : std::string(1, c);
            }
            return out;
        }();
    const auto verified = wecom.answer_get(callback(target));
    ASSERT_TRUE(verified);
    EXPECT_EQ(verified->status, http::status::ok);
    EXPECT_EQ(verified->body, "1616140317555161061");
    const auto wrong =
        wecom.answer_get(callback("/hook/wecom?msg_signature=00&timestamp=1&"
                                  "nonce=2&echostr=abc"));
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, http::status::unauthorized);

    const auto message = json::parse(fixture("wecom/text_message.encrypted.json"));
    const auto body = json{{"encrypt", message["encrypt"]}}.dump();
    const auto signed_target =
        "/hook/wecom?msg_signature=" + message["msg_signature"].get<std::string>() +
        "&timestamp=1409659813&nonce=1372623149";
    EXPECT_FALSE(wecom.authenticate(callback(signed_target, body)));
    const auto in = wecom.read(body, 42);
    ASSERT_TRUE(in.message) << in.error;
    EXPECT_EQ(in.message->text, "hello robot");
    EXPECT_TRUE(wecom.authenticate(
        callback("/hook/wecom?msg_signature=" + message["msg_signature"].get<std::string>() +
                     "&timestamp=1409659814&nonce=1372623149",
                 body)));
    EXPECT_TRUE(wecom.authenticate(callback("/hook/wecom", body)));
    EXPECT_EQ(wecom.read(R"({"encrypt":"AAAA"})", 42).error,
              "field \"encrypt\" does not decrypt with wecom.encoding_aes_key");
}

TEST(WecomAdapter, AnswersWithAnEncryptedFinishedStream) {
    const wecom_platform wecom(settings());
    const auto answer = wecom.answer({}, {handlers::reply{"CHATID", "已登记：3号楼502室。", "m"}});
    EXPECT_EQ(answer.status, http::status::ok);
    const auto envelope = json::parse(answer.body);
    const auto encrypted = envelope["encrypt"].get<std::string>();
    EXPECT_EQ(envelope["msgsignature"],
              crypto().signature(envelope["timestamp"].get<std::string>(),
                                 envelope["nonce"].get<std::string>(), encrypted));
    const auto plain = json::parse(*crypto().decrypt(encrypted));
    EXPECT_EQ(plain["msgtype"], "stream");
    EXPECT_EQ(plain["stream"]["finish"], true);
    EXPECT_EQ(plain["stream"]["content"], "已登记：3号楼502室。");
    EXPECT_FALSE(plain["stream"]["id"].get<std::string>().empty());
    // Nothing to say: WeCom's empty packet.
    EXPECT_TRUE(wecom.answer({}, {}).body.empty());
    EXPECT_EQ(wecom.limits().text.max, 2048U);
    EXPECT_EQ(wecom.limits().text.unit, handlers::length_unit::bytes);
}

TEST(WecomAdapter, QueryParametersAreUrlDecoded) {
    EXPECT_EQ(query_parameter("/h?a=1&b=x%2By%2F%3D&c", "b"), "x+y/=");
    EXPECT_EQ(query_parameter("/h?a=1&b=2", "a"), "1");
    EXPECT_EQ(query_parameter("/h?a=1&b=2", "c"), "");
    EXPECT_EQ(query_parameter("/h", "a"), "");
    EXPECT_EQ(query_parameter("/h?a=%zz%2", "a"), "%zz%2");
}

}  // namespace
}  // namespace loudong::bot
