#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bot/platforms/platform.hpp"
#include "bot/platforms/wecom_crypto.hpp"

namespace loudong::bot {

/// WeCom's AI bot (企业微信智能机器人, API mode; SPEC §9), for the committee's and the
/// volunteers' chats inside a WeCom organisation: the callback URL is verified with GET
/// (msg_signature, timestamp, nonce, echostr); messages arrive as encrypted JSON
/// ({"encrypt": …}) and are answered with an encrypted passive `stream` message with
/// finish: true. Outbox messages go through the chat's group robot (群机器人) webhook, whose key
/// the committee binds with `绑定 … webhook <key>`; 20 messages a minute per robot.
///
/// Sources: WeCom's documentation (developer.work.weixin.qq.com, document/path/100719 接收消息,
/// 101031 被动回复消息, 101033 加解密方案, 91770 群机器人配置说明) and its WXBizJsonMsgCrypt.
class wecom_platform : public platform {
public:
    explicit wecom_platform(const wecom_settings& settings);

    std::string_view name() const override { return "wecom"; }
    std::optional<refusal> authenticate(const request& req) const override;
    std::optional<hook_answer> answer_get(const request& req) const override;
    inbound read(std::string_view body, std::int64_t now) const override;
    hook_answer answer(const handlers::message& msg,
                       const std::vector<handlers::reply>& replies) const override;
    delivery send(const storage::outbox_message& message) const override;
    const platform_limits& limits() const override { return limits_; }

    const wecom_crypto& crypto() const { return crypto_; }

private:
    wecom_settings settings_;
    wecom_crypto crypto_;
    platform_limits limits_;
};

/// Reads a decrypted WeCom AI bot message: text (and the text of mixed messages, and voice as
/// WeCom transcribes it) in single and group chats, the leading @bot of a group message removed.
inbound parse_wecom(std::string_view plain, std::int64_t now);

/// The encrypted JSON answer carrying `plain` (a stream message), with this timestamp, nonce and
/// 16 random bytes.
std::string wecom_encrypted_answer(const wecom_crypto& crypto, std::string_view plain,
                                   const std::string& timestamp, const std::string& nonce,
                                   std::string_view random_16);

/// A query parameter of a request target (URL-decoded), or "" when absent.
std::string query_parameter(std::string_view target, std::string_view name);

}  // namespace loudong::bot
