#include "handlers/registration.hpp"

#include <array>
#include <cctype>
#include <set>
#include <string_view>

#include "handlers/chat_targets.hpp"
#include "handlers/parser/text_forms.hpp"

namespace loudong::handlers {

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
    // "3-502" names the one member registered there; "3-502 王叔叔" one of several.
    const auto space = typed.find(' ');
    const auto room_part = typed.substr(0, space);
    const auto name_part = space == std::string::npos ? std::string() : typed.substr(space + 1);
    if (const auto address = parse_address(room_part)) {
        auto at_room = ctx.store.members.at_room(address->building.label, address->room);
        if (!name_part.empty()) {
            std::erase_if(at_room, [&](const storage::member& m) {
                return m.display_name != name_part && m.user_id != name_part;
            });
        }
        if (at_room.size() == 1) {
            return {at_room.front(), {}, {}};
        }
        nlohmann::json vars{{"building", address->building.label},
                            {"room", address->room},
                            {"name", name_part},
                            {"typed", typed}};
        if (at_room.empty()) {
            return {std::nullopt, name_part.empty() ? "grant.room_empty" : "grant.not_in_room",
                    vars};
        }
        vars["members"] = nlohmann::json::array();
        std::string names;
        for (const auto& m : at_room) {
            const auto& shown = m.display_name.empty() ? m.user_id : m.display_name;
            vars["members"].push_back({{"name", shown}, {"id", m.key()}});
            names += (names.empty() ? "" : "、") + shown;
        }
        vars["names"] = names;
        vars["count"] = at_room.size();
        vars["example"] = vars["members"][0]["name"];
        return {std::nullopt, "grant.room_ambiguous", vars};
    }
    if (auto known = ctx.store.members.find(ctx.msg.platform, typed)) {
        return {std::move(known), {}, {}};
    }
    // `@wang_ayi`: a Telegram username the bot has seen its owner use.
    if (auto known = ctx.store.members.find_by_username(ctx.msg.platform, typed)) {
        return {std::move(known), {}, {}};
    }
    return {std::nullopt, "grant.unknown_member", {{"typed", typed}}};
}

namespace {

std::string name_of(const storage::member& m) {
    return m.display_name.empty() ? m.user_id : m.display_name;
}

// Whether the sender may confirm, refuse or take out `target`: the committee, a lead of the
// building, or (confirming and refusing only) a confirmed member of the same household.
bool acts_for(const storage::member& target, context& ctx, bool household_too) {
    if (!target.building || target.compound != ctx.compound) {
        return false;
    }
    if (ctx.sender_standing.leads(*target.building)) {
        return true;
    }
    return household_too && ctx.sender_standing.registered &&
           ctx.sender.building == target.building && ctx.sender.room == target.room &&
           ctx.sender.id != target.id;
}

// Tells the household's other confirmed members (not `except`, not the sender) privately.
void tell_household(const storage::member& target, const std::string& text, context& ctx,
                    handler_result& result) {
    for (const auto& m : ctx.store.members.at_room(*target.building, *target.room)) {
        if (m.confirmed && m.id != target.id && m.id != ctx.sender.id) {
            result.outbox.push_back(to_member_privately(m, text));
        }
    }
}

// A pending registration: the registrant is told who confirms, and the household's confirmed
// members and the building's leads are asked privately (the committee's chats when there is
// nobody else to ask).
handler_result pending_registration(const storage::member& registrant, const register_args& args,
                                    const std::vector<storage::member>& household, context& ctx) {
    const nlohmann::json vars{
        {"building", args.building.label}, {"room", args.room}, {"name", name_of(registrant)}};
    const auto request = ctx.replies.text("register.confirm_request", vars);
    handler_result result;
    std::set<std::int64_t> asked;
    for (const auto& m : household) {
        if (m.confirmed && m.id != registrant.id && asked.insert(m.id).second) {
            result.outbox.push_back(to_member_privately(m, request));
        }
    }
    const bool household_asked = !asked.empty();
    for (const auto& lead : ctx.store.members.leads_of(args.building.label)) {
        if (lead.id != registrant.id && asked.insert(lead.id).second) {
            result.outbox.push_back(to_member_privately(lead, request));
        }
    }
    if (asked.empty()) {
        result.outbox =
            to_committee_only(ctx.store, ctx.config, ctx.compound, request, outbox_lane::direct);
    }
    auto reply_vars = vars;
    reply_vars["has_household"] = household_asked;
    // The truth when nobody can be asked (no committee configured, granted or bound).
    result.replies.push_back(ctx.answer(
        result.outbox.empty() ? "register.pending_nobody" : "register.pending", reply_vars));
    return result;
}

// A member as replies name them: by name and home, never with the platform's prefix
// ("generic:u-1"), which `id` still offers to edited templates.
nlohmann::json member_vars(const storage::member& m, const std::string& typed, context& ctx) {
    nlohmann::json vars{{"member", m.display_name.empty() ? m.user_id : m.display_name},
                        {"id", m.key()},
                        {"typed", typed},
                        {"has_where", true}};
    // Without an address here, the account number on its platform (a QQ number people can
    // look up) tells two members of the same name apart.
    vars["where"] =
        m.building && m.room && m.compound == ctx.compound
            ? ctx.replies.text("address.room", {{"building", *m.building}, {"room", *m.room}})
            : m.user_id;
    return vars;
}

}  // namespace

handler_result handle_register(const command& cmd, context& ctx) {
    const auto& args = std::get<register_args>(cmd.args);
    const auto& before = ctx.sender;
    nlohmann::json vars{{"building", args.building.label}, {"room", args.room}};
    if (before.compound == ctx.compound && before.building == args.building.label &&
        before.room == args.room) {
        return ctx.answer_only(before.confirmed ? "register.unchanged" : "register.still_pending",
                               vars);
    }
    // Once the compound has listed its real rooms, a room not among them is a typo.
    if (ctx.store.households.has_registry() &&
        !ctx.store.households.listed(args.building.label, args.room)) {
        return ctx.answer_only("register.not_in_registry", vars);
    }
    // SPEC §8 items 1-2: in a building's group, only that building; confirmed at once when it
    // is the household's first member there, else pending until confirmed.
    const auto chat =
        ctx.msg.is_private ? std::nullopt : ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    const bool building_chat = chat && chat->kind == "building" && chat->compound == ctx.compound;
    if (building_chat && chat->building != args.building.label) {
        vars["chat_building"] = chat->building.value_or("");
        return ctx.answer_only("register.other_building", vars);
    }
    const auto before_household = ctx.store.members.at_room(args.building.label, args.room);
    bool has_confirmed = false;
    for (const auto& m : before_household) {
        has_confirmed = has_confirmed || (m.confirmed && m.id != before.id);
    }
    const bool confirmed = building_chat && !has_confirmed;
    ctx.store.members.set_address(before.id, args.building.label, args.room, ctx.now,
                                  ctx.msg.is_private ? "" : ctx.msg.chat_id, confirmed);
    if (!confirmed) {
        return pending_registration(before, args, before_household, ctx);
    }
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
                        {"pending", me.room.has_value() && !me.confirmed},
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

namespace {

handler_result bind_chat(const bind_args& args, context& ctx) {
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

}  // namespace

handler_result handle_bind(const command& cmd, context& ctx) {
    const auto& args = std::get<bind_args>(cmd.args);
    // WeCom's AI bot answers a message but cannot post on its own: the outbox reaches a WeCom
    // chat through the group robot whose key the committee gives here (SPEC §9).
    const bool wecom = ctx.msg.platform == "wecom";
    if (!args.webhook_key.empty() && !wecom) {
        return ctx.answer_only("bind.webhook_not_needed");
    }
    const auto bound_as_asked = [&](const std::optional<storage::chat>& chat) {
        return chat && chat->kind &&
               (args.kind == bind_args::target::building
                    ? chat->kind == "building" && chat->building == args.building.label
                    : chat->kind ==
                          (args.kind == bind_args::target::committee ? "committee" : "volunteers"));
    };
    // Bound already: only the robot is new.
    if (wecom && !args.webhook_key.empty() && !ctx.msg.is_private &&
        bound_as_asked(ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id))) {
        ctx.store.chats.set_webhook_key(ctx.msg.platform, ctx.msg.chat_id, args.webhook_key);
        return ctx.answer_only("bind.webhook_set");
    }
    auto result = bind_chat(args, ctx);
    const auto chat = ctx.store.chats.find(ctx.msg.platform, ctx.msg.chat_id);
    if (!wecom || !bound_as_asked(chat) || result.replies.empty()) {
        return result;
    }
    if (!args.webhook_key.empty()) {
        ctx.store.chats.set_webhook_key(ctx.msg.platform, ctx.msg.chat_id, args.webhook_key);
        result.replies.back().text += "\n" + ctx.replies.text("bind.webhook_set");
    } else if (!chat->has_webhook) {
        const auto target =
            args.kind == bind_args::target::building
                ? ctx.replies.text("building.name", {{"building", args.building.label}})
                : ctx.replies.text(args.kind == bind_args::target::committee ? "role.committee"
                                                                             : "role.volunteer");
        result.replies.back().text +=
            "\n" + ctx.replies.text("bind.webhook_missing", {{"command", target}});
    }
    return result;
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
    const auto& found = *lookup.found;
    const std::string role_key(storage::stored_word(args.which));
    auto vars = member_vars(found, args.member, ctx);
    vars["role"] = ctx.replies.text("role." + role_key);
    // A lead acts on the buildings named, else on the one they live in (SPEC §8 item 4).
    std::set<std::string> buildings;
    if (args.which == role::lead) {
        for (const auto& b : args.buildings) {
            buildings.insert(b.label);
        }
        if (buildings.empty() && found.building && found.compound == ctx.compound) {
            buildings.insert(*found.building);
        }
        if (buildings.empty()) {
            return ctx.answer_only("grant.lead_needs_building", vars);
        }
        std::string named;
        for (const auto& b : args.buildings.empty()
                                 ? std::vector<building_ref>{{*buildings.begin()}}
                                 : args.buildings) {
            named += (named.empty() ? "" : "、") +
                     ctx.replies.text("building.name", {{"building", b.label}});
        }
        vars["buildings"] = named;
        vars["has_buildings"] = true;
    }
    const bool granted = ctx.store.members.grant(found.id, args.which, ctx.sender.key(), ctx.now);
    const bool moved =
        args.which == role::lead && ctx.store.members.set_lead_buildings(found.id, buildings);
    return ctx.answer_only(granted || moved ? "grant.done" : "grant.already", vars);
}

handler_result handle_revoke(const command& cmd, context& ctx) {
    const auto& args = std::get<role_args>(cmd.args);
    auto lookup = find_member(args.member, ctx);
    if (!lookup.found) {
        return ctx.answer_only(lookup.problem_key, lookup.problem_vars);
    }
    const std::string role_key(storage::stored_word(args.which));
    auto vars = member_vars(*lookup.found, args.member, ctx);
    vars["role"] = ctx.replies.text("role." + role_key);
    if (args.which == role::committee &&
        ctx.config.committee_by_config(lookup.found->key(), ctx.compound)) {
        return ctx.answer_only("revoke.configured", vars);
    }
    if (!ctx.store.members.revoke(lookup.found->id, args.which)) {
        return ctx.answer_only("revoke.not_held", vars);
    }
    if (args.which == role::lead) {
        ctx.store.members.set_lead_buildings(lookup.found->id, {});
    }
    return ctx.answer_only("revoke.done", vars);
}

namespace {

nlohmann::json who_vars(const storage::member& m, context& ctx) {
    return {{"name", name_of(m)},
            {"id", m.key()},
            {"building", m.building.value_or("")},
            {"room", m.room.value_or("")},
            {"by", name_of(ctx.sender)}};
}

// "王叔叔（3号楼502室）、李阿姨（5号楼101室）"
std::string waiting_list(const std::vector<storage::member>& waiting, context& ctx) {
    std::string list;
    for (const auto& m : waiting) {
        list += (list.empty() ? "" : "、") + ctx.replies.text("waiting.entry", who_vars(m, ctx));
    }
    return list;
}

bool names(const storage::member& m, const std::string& typed) {
    return !typed.empty() && (m.display_name == typed || m.user_id == typed || m.key() == typed);
}

// The pending member `确认`/`拒绝` names, among those the sender may decide on; or the reply
// that says who waits.
struct waiting_pick {
    std::optional<storage::member> found;
    handler_result answer;
};

waiting_pick pick_waiting(const command& cmd, context& ctx) {
    const auto& args = std::get<member_args>(cmd.args);
    std::vector<storage::member> mine;
    for (auto& m : ctx.store.members.waiting()) {
        if (acts_for(m, ctx, true)) {
            mine.push_back(std::move(m));
        }
    }
    std::vector<storage::member> matches;
    for (const auto& m : mine) {
        const bool in_room =
            args.building && m.building == args.building->label && m.room == args.room;
        if (args.building ? in_room && (args.member.empty() || names(m, args.member))
                          : names(m, args.member)) {
            matches.push_back(m);
        }
    }
    const auto typed = args.building ? (args.building->label + "-" + args.room +
                                        (args.member.empty() ? "" : " " + args.member))
                                     : args.member;
    nlohmann::json vars{{"keyword", cmd.keyword},
                        {"typed", typed},
                        {"waiting", waiting_list(mine, ctx)},
                        {"has_waiting", !mine.empty()}};
    if (matches.size() == 1) {
        return {matches.front(), {}};
    }
    if (matches.size() > 1) {
        vars["members"] = nlohmann::json::array();
        std::string rooms;
        for (const auto& m : matches) {
            vars["members"].push_back(who_vars(m, ctx));
            rooms += (rooms.empty() ? "" : "、") +
                     ctx.replies.text("address.room", {{"building", m.building.value_or("")},
                                                       {"room", m.room.value_or("")}});
        }
        vars["rooms"] = rooms;
        vars["count"] = matches.size();
        vars["example"] = matches.front().building.value_or("") + "-" +
                          matches.front().room.value_or("") + " " + name_of(matches.front());
        return {std::nullopt, ctx.answer_only("waiting.ambiguous", vars)};
    }
    if (args.member.empty() && !args.building) {
        // 确认 alone is also how people agree in a group: silence there unless someone waits.
        if (mine.empty()) {
            return {std::nullopt,
                    ctx.msg.is_private ? ctx.answer_only("waiting.none") : handler_result{}};
        }
        return {std::nullopt, ctx.answer_only("waiting.choose", vars)};
    }
    return {std::nullopt, ctx.answer_only("waiting.not_found", vars)};
}

}  // namespace

namespace {

// 确认 or 拒绝: the member is confirmed, or taken out of the household; they and the household
// are told privately ("approve.*" / "reject.*").
handler_result decide(const command& cmd, context& ctx, bool approve) {
    auto pick = pick_waiting(cmd, ctx);
    if (!pick.found) {
        return std::move(pick.answer);
    }
    const auto& target = *pick.found;
    if (approve) {
        ctx.store.members.confirm(target.id);
    } else {
        ctx.store.members.clear_address(target.id, ctx.now);
    }
    const std::string key = approve ? "approve." : "reject.";
    const auto vars = who_vars(target, ctx);
    handler_result result = ctx.answer_only(key + "done", vars);
    result.outbox.push_back(to_member_privately(target, ctx.replies.text(key + "you", vars)));
    tell_household(target, ctx.replies.text(key + "household", vars), ctx, result);
    return result;
}

}  // namespace

handler_result handle_approve(const command& cmd, context& ctx) {
    return decide(cmd, ctx, true);
}

handler_result handle_reject(const command& cmd, context& ctx) {
    return decide(cmd, ctx, false);
}

handler_result handle_remove(const command& cmd, context& ctx) {
    const auto& args = std::get<member_args>(cmd.args);
    std::optional<storage::member> target;
    if (args.building) {
        // Another building's rooms are not a lead's to look into.
        if (!ctx.acts_on(args.building->label)) {
            return ctx.not_yours(args.building->label);
        }
        // 移出 3-502 王叔叔: the member of that room with that name or id.
        std::vector<storage::member> matches;
        for (auto& m : ctx.store.members.at_room(args.building->label, args.room)) {
            if (args.member.empty() || names(m, args.member)) {
                matches.push_back(std::move(m));
            }
        }
        if (matches.size() != 1) {
            return ctx.answer_only(
                matches.empty() ? "remove.not_in_room" : "remove.ambiguous",
                {{"building", args.building->label}, {"room", args.room}, {"typed", args.member}});
        }
        target = std::move(matches.front());
    } else {
        auto lookup = find_member(args.member, ctx);
        if (!lookup.found) {
            if (lookup.problem_key == "grant.unknown_member") {
                return ctx.answer_only("remove.unknown", lookup.problem_vars);
            }
            return ctx.answer_only(lookup.problem_key, lookup.problem_vars);
        }
        target = std::move(lookup.found);
    }
    auto vars = who_vars(*target, ctx);
    if (!target->room || target->compound != ctx.compound) {
        return ctx.answer_only("remove.not_registered", vars);
    }
    if (!acts_for(*target, ctx, false)) {
        return ctx.not_yours(*target->building);
    }
    ctx.store.members.clear_address(target->id, ctx.now);
    handler_result result = ctx.answer_only("remove.done", vars);
    if (target->id != ctx.sender.id) {
        result.outbox.push_back(to_member_privately(*target, ctx.replies.text("remove.you", vars)));
    }
    tell_household(*target, ctx.replies.text("remove.household", vars), ctx, result);
    return result;
}

handler_result handle_unregister(const command& /*cmd*/, context& ctx) {
    const auto& me = ctx.sender;
    if (!me.room || me.compound != ctx.compound) {
        return ctx.answer_only("unregister.not_registered");
    }
    ctx.store.members.clear_address(me.id, ctx.now);
    const auto vars = who_vars(me, ctx);
    handler_result result = ctx.answer_only("unregister.done", vars);
    tell_household(me, ctx.replies.text("unregister.household", vars), ctx, result);
    return result;
}

}  // namespace loudong::handlers
