#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loudong::handlers {

/// One incoming chat message, the same whatever platform delivered it.
struct message {
    std::string platform;  ///< the name of its platform unit (bot/platforms/)
    std::string message_id;
    std::string chat_id;
    std::string chat_title;
    std::string sender_id;  ///< the platform's own user id
    std::string sender_name;
    std::string sender_username;  ///< Telegram's @username (without '@'), when it has one
    std::string text;
    bool is_private = false;
    /// Sent anonymously (an anonymous group admin, QQ's anonymous chat): nobody to act for, so
    /// a command gets a hint to send it as oneself (SPEC §8 item 9).
    bool anonymous = false;
    std::int64_t time = 0;  ///< Unix seconds, as the platform stamped it
    /// Not a message but the platform saying this chat now has another id (a Telegram group
    /// upgraded to a supergroup): its bindings and what is queued for it move there.
    std::string moved_to{};
    /// Sent from the committee console (SPEC §12), not a chat: the compound of its page. It is
    /// handled like the same command sent privately, in that compound, and its replies go back
    /// to the page rather than to the platform. Never set by a platform.
    std::optional<std::string> console_compound{};
};

/// A reply in the chat the message came from.
struct reply {
    std::string chat_id;
    std::string text;
    std::string reply_to;  ///< the message id it answers
};

/// The outbox's lanes (SPEC §10), in the order they go: a lane waits only for the platform's rate
/// limit, never behind a later lane. The values are stored in outbox rows.
enum class outbox_lane : int {
    alert = 0,      ///< a health alert to the committee
    direct = 1,     ///< to one person or one chat about them: advice, reminders, deliveries
    broadcast = 2,  ///< to many chats: notices, campaign posts, test calls
};

/// A message to another chat (a broadcast, alert or reminder), sent later through the outbox.
struct outbound {
    std::string platform;
    std::string chat_id;
    bool is_private = false;
    std::string text;
    std::optional<std::int64_t> notice_id;    ///< the notice it delivers, for delivery counts
    outbox_lane lane = outbox_lane::direct;   ///< set by the handler that queues it
    std::optional<std::int64_t> member_id{};  ///< the member a private message is for
    /// If the platform refuses the private message: a group chat of the same platform where
    /// it goes once more, with this text (a mention) (SPEC §10).
    std::optional<std::string> fallback_chat{};
    std::string fallback_text{};
    /// A reply through the platform's API: the message it answers (QQ's msg_id); its parts are
    /// numbered from reply_seq + 1 on.
    std::string reply_to{};
    int reply_seq = 0;
};

/// What handling one message produced.
struct handler_result {
    std::vector<reply> replies;
    std::vector<outbound> outbox;
};

}  // namespace loudong::handlers
