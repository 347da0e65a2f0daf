#include "handlers/console.hpp"

#include "handlers/chat_targets.hpp"

namespace loudong::handlers {

handler_result handle_console(const command& /*cmd*/, context& ctx) {
    if (ctx.config.public_url.empty()) {
        return ctx.answer_only("console.off");
    }
    const auto token = storage::new_token();
    ctx.store.console.add_login(
        token, storage::console_user{ctx.sender.platform, ctx.sender.user_id, ctx.compound},
        ctx.now + ctx.config.console_link_seconds, ctx.now);
    const auto text = ctx.replies.text(
        "console.link", {{"url", ctx.config.public_url + "/console/login?t=" + token},
                         {"minutes", ctx.config.console_link_seconds / 60}});
    if (ctx.msg.is_private) {
        return ctx.answer_only("console.link_here", {{"link", text}});
    }
    // Never in the group: whoever opens the link first is logged in as the sender. No group
    // fallback either, for the same reason.
    handler_result result;
    result.outbox.push_back(to_member_privately(ctx.sender, text));
    result.replies.push_back(ctx.answer("console.sent_privately"));
    return result;
}

handler_result handle_console_logout(const command& /*cmd*/, context& ctx) {
    const auto ended = ctx.store.console.end_sessions_of(ctx.sender.platform, ctx.sender.user_id);
    if (ended == 0) {
        return ctx.answer_only("console.no_session");
    }
    return ctx.answer_only("console.logged_out", {{"count", ended}});
}

}  // namespace loudong::handlers
