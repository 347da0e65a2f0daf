#include "handlers/registration.hpp"

#include <array>
#include <cctype>
#include <string_view>

#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {
namespace {

/// A member named in /grant or /revoke, or the reason none could be picked.
struct member_lookup {
    std::optional<storage::member> found;
    std::string problem_key;  ///< template key when not found
    nlohmann::json problem_vars;
};

// A member is named by "platform:id", by a bare id on the sender's platform (a platform's
// mention arrives as one: OneBot's at segment is "@10001"), or by a room where exactly one
// member is registered. Only members the bot has seen are found: naming creates nobody
// (SPEC §8 item 5), so a typo or a stranger's id cannot be given a role.
member_lookup find_member(const std::string& typed, context& ctx) {
    const auto colon = typed.find(':');
    if (colon != std::string::npos && colon > 0) {
        const auto platform = typed.substr(0, colon);
        if (ctx.config.platforms.contains(platform)) {
            if (auto known = ctx.store.members.find(platform, typed.substr(colon + 1))) {
                return {std::move(known), {}, {}};
            }
            return {std::nullopt, "grant.unknown_member", {{"typed", typed}}};
        }
    }
    if (const auto address = parse_address(typed)) {
        auto at_room = ctx.store.members.at_room(address->building.label, address->room);
        if (at_room.size() == 1) {
            return {at_room.front(), {}, {}};
        }
        nlohmann::json vars{{"building", address->building.label}, {"room", address->room}};
        if (at_room.empty()) {
            return {std::nullopt, "grant.room_empty", vars};
        }
        vars["members"] = nlohmann::json::array();
        for (const auto& m : at_room) {
            vars["members"].push_back({{"name", m.display_name}, {"id", m.key()}});
        }
        return {std::nullopt, "grant.room_ambiguous", vars};
    }
    if (auto known = ctx.store.members.find(ctx.msg.platform, typed)) {
        return {std::move(known), {}, {}};
    }
    return {std::nullopt, "grant.unknown_member", {{"typed", typed}}};
}

nlohmann::json member_vars(const storage::member& m) {
    return {{"member", m.display_name.empty() ? m.key() : m.display_name}, {"id", m.key()}};
}

}  // namespace

handler_result handle_register(const command& cmd, context& ctx) {
    const auto& args = std::get<register_args>(cmd.args);
    const auto& before = ctx.sender;
    nlohmann::json vars{{"building", args.building.label}, {"room", args.room}};
    if (before.compound == ctx.compound && before.building == args.building.label &&
        before.room == args.room) {
        return ctx.answer_only("register.unchanged", vars);
    }
    // Once the compound has listed its real rooms, a room not among them is a typo.
    if (ctx.store.households.has_registry() &&
        !ctx.store.households.listed(args.building.label, args.room)) {
        return ctx.answer_only("register.not_in_registry", vars);
    }
    ctx.store.members.set_address(before.id, args.building.label, args.room, ctx.now,
                                  ctx.msg.is_private ? "" : ctx.msg.chat_id);
    const auto household = ctx.store.members.at_room(args.building.label, args.room);
    vars["household"] = static_cast<int>(household.size());
    vars["shared"] = household.size() > 1;
    if (before.room) {
        vars["old_building"] = *before.building;
        vars["old_room"] = *before.room;
        return ctx.answer_only("register.moved", vars);
    }
    return ctx.answer_only("register.done", vars);
}

handler_result handle_me(const command& /*cmd*/, context& ctx) {
    const auto& me = ctx.sender;
    nlohmann::json vars{{"name", me.display_name.empty() ? me.user_id : me.display_name},
                        {"registered", me.room.has_value()},
                        {"building", me.building.value_or("")},
                        {"room", me.room.value_or("")},
                        {"has_roles", !ctx.sender_standing.roles.empty()}};
    std::string roles;
    for (const auto& r : ctx.sender_standing.roles) {
        roles += (roles.empty() ? "" : "、") +
                 ctx.replies.text("role." + std::string(storage::stored_word(r)));
    }
    vars["roles"] = roles;
    return ctx.answer_only("me.info", vars);
}

namespace {

std::string trimmed(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
    }
    return std::string(text);
}

// What a chat is bound as, in words ("3号楼群", "居委会工作群"); empty when unbound.
std::string bound_as(const std::optional<std::string>& kind,
                     const std::optional<std::string>& building, reply_builder& words) {
    if (!kind) {
        return "";
    }
    return words.text("bind.kind." + *kind, {{"building", building.value_or("")}});
}

}  // namespace

handler_result handle_bind(const command& cmd, context& ctx) {
    const auto& args = std::get<bind_args>(cmd.args);
    if (ctx.msg.is_private) {
        return ctx.answer_only("bind.private_chat");
    }
    const auto by = ctx.sender.key();
    static constexpr std::array kinds{"building", "committee", "volunteers"};
    const std::string kind = kinds[static_cast<std::size_t>(args.kind)];
    const std::optional<std::string> building = args.kind == bind_args::target::building
                                                    ? std::optional(args.building.label)
                                                    : std::nullopt;
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const auto now_as = chat ? bound_as(chat->kind, chat->building, ctx.replies) : "";
    const auto new_as = bound_as(kind, building, ctx.replies);
    if (now_as == new_as) {
        return ctx.answer_only("bind.unchanged", {{"now", now_as}});
    }
    // A change that moves where notices or health alerts go is said first and confirmed
    // (SPEC §8 item 6): rebinding a bound chat, or making a chat residents registered in the
    // committee's, where every alert names a room and a result.
    const auto residents =
        args.kind == bind_args::target::committee
            ? ctx.store.members.registered_in_chat(ctx.msg.platform, ctx.msg.chat_id)
            : 0;
    if (!args.confirmed && (!now_as.empty() || residents > 0)) {
        return ctx.answer_only("bind.confirm",
                               {{"now", now_as},
                                {"was_bound", !now_as.empty()},
                                {"new", new_as},
                                {"residents", residents},
                                {"has_residents", residents > 0},
                                {"to_committee", args.kind == bind_args::target::committee},
                                {"command", trimmed(ctx.msg.text) + " 确认"}});
    }
    switch (args.kind) {
        case bind_args::target::building:
            ctx.store.chats.bind(ctx.msg.platform, ctx.msg.chat_id, "building", args.building.label,
                                 by, ctx.now);
            return ctx.answer_only("bind.building", {{"building", args.building.label}});
        case bind_args::target::committee:
            ctx.store.chats.bind(ctx.msg.platform, ctx.msg.chat_id, "committee", std::nullopt, by,
                                 ctx.now);
            return ctx.answer_only("bind.committee");
        case bind_args::target::volunteers:
            ctx.store.chats.bind(ctx.msg.platform, ctx.msg.chat_id, "volunteers", std::nullopt, by,
                                 ctx.now);
            return ctx.answer_only("bind.volunteers");
    }
    return {};
}

handler_result handle_unbind(const command& /*cmd*/, context& ctx) {
    if (ctx.msg.is_private) {
        return ctx.answer_only("bind.private_chat");
    }
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const auto was = chat ? bound_as(chat->kind, chat->building, ctx.replies) : "";
    if (!ctx.store.chats.unbind(ctx.msg.platform, ctx.msg.chat_id, ctx.sender.key(), ctx.now)) {
        return ctx.answer_only("unbind.not_bound");
    }
    return ctx.answer_only("unbind.done", {{"was", was}});
}

handler_result handle_grant(const command& cmd, context& ctx) {
    const auto& args = std::get<role_args>(cmd.args);
    auto lookup = find_member(args.member, ctx);
    if (!lookup.found) {
        return ctx.answer_only(lookup.problem_key, lookup.problem_vars);
    }
    const std::string role_key(storage::stored_word(args.which));
    auto vars = member_vars(*lookup.found);
    vars["role"] = ctx.replies.text("role." + role_key);
    if (!ctx.store.members.grant(lookup.found->id, args.which, ctx.sender.key(), ctx.now)) {
        return ctx.answer_only("grant.already", vars);
    }
    return ctx.answer_only("grant.done", vars);
}

handler_result handle_revoke(const command& cmd, context& ctx) {
    const auto& args = std::get<role_args>(cmd.args);
    auto lookup = find_member(args.member, ctx);
    if (!lookup.found) {
        return ctx.answer_only(lookup.problem_key, lookup.problem_vars);
    }
    const std::string role_key(storage::stored_word(args.which));
    auto vars = member_vars(*lookup.found);
    vars["role"] = ctx.replies.text("role." + role_key);
    if (args.which == role::committee &&
        ctx.config.committee_by_config(lookup.found->key(), ctx.compound)) {
        return ctx.answer_only("revoke.configured", vars);
    }
    if (!ctx.store.members.revoke(lookup.found->id, args.which)) {
        return ctx.answer_only("revoke.not_held", vars);
    }
    return ctx.answer_only("revoke.done", vars);
}

}  // namespace loudong::handlers
