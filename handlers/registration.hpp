#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// A member named in a command (授权, 撤销, 换班), or the reason none could be picked.
struct member_lookup {
    std::optional<storage::member> found;
    std::string problem_key;  ///< template key when not found
    nlohmann::json problem_vars;
};

/// A member named by "platform:id", by a bare id on the sender's platform (a platform's
/// mention arrives as one), by a Telegram @username the bot has seen, or by a room where
/// exactly one member is registered. Only members the bot has seen are found: naming creates
/// nobody (SPEC §8 item 5).
member_lookup find_member(const std::string& typed, context& ctx);

/// `登记 3号楼 502`: binds the sender to a room; several members may share one room.
handler_result handle_register(const command& cmd, context& ctx);

/// `我的`: the sender's address and roles.
handler_result handle_me(const command& cmd, context& ctx);

/// `确认 王叔叔` / `/approve`: a confirmed member of the household, the building's lead or the
/// committee confirms a pending registration (SPEC §8 item 3).
handler_result handle_approve(const command& cmd, context& ctx);

/// `拒绝 王叔叔` / `/reject`: refuses a pending registration.
handler_result handle_reject(const command& cmd, context& ctx);

/// `移出 3-502 王叔叔` / `/remove`: the building's lead or the committee takes a member out of
/// a household.
handler_result handle_remove(const command& cmd, context& ctx);

/// `注销` / `/unregister`: the sender leaves their household.
handler_result handle_unregister(const command& cmd, context& ctx);

/// `绑定 3号楼` / `/bind committee`: binds this chat to a building or a role chat.
handler_result handle_bind(const command& cmd, context& ctx);

/// `解绑` / `/unbind`: this chat is no longer the compound's.
handler_result handle_unbind(const command& cmd, context& ctx);

/// `授权 u-502a volunteer`: gives a member a role.
handler_result handle_grant(const command& cmd, context& ctx);

/// `撤销 u-502a volunteer`: takes a role back.
handler_result handle_revoke(const command& cmd, context& ctx);

}  // namespace loudong::handlers
