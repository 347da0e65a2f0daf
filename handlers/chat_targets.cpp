#include "handlers/chat_targets.hpp"

#include <set>
#include <utility>

#include <nlohmann/json.hpp>

namespace loudong::handlers {

building_reach reach_buildings(repositories& store, const buildings_args& targets) {
    building_reach reach;
    if (targets.volunteers) {
        reach.chats = store.chats.bound_to("volunteers");
        return reach;
    }
    if (targets.all) {
        reach.chats = store.chats.bound_to("building");
        return reach;
    }
    for (const auto& building : targets.buildings) {
        auto chats = store.chats.bound_to("building", building.label);
        if (chats.empty()) {
            reach.unbound.push_back(building.label);
        }
        reach.chats.insert(reach.chats.end(), chats.begin(), chats.end());
    }
    return reach;
}

std::vector<outbound> to_chats(const std::vector<storage::chat>& chats, const std::string& text,
                               outbox_lane lane, std::optional<std::int64_t> notice_id) {
    std::vector<outbound> out;
    out.reserve(chats.size());
    for (const auto& c : chats) {
        out.push_back(outbound{c.platform, c.chat_id, false, text, notice_id, lane});
    }
    return out;
}

std::vector<outbound> to_committee(repositories& store, const std::string& text, outbox_lane lane) {
    return to_chats(store.chats.bound_to("committee"), text, lane);
}

std::vector<outbound> to_committee_only(repositories& store, const settings& config,
                                        const std::string& compound, const std::string& text,
                                        outbox_lane lane) {
    if (auto chats = store.chats.bound_to("committee"); !chats.empty()) {
        return to_chats(chats, text, lane);
    }
    std::set<std::pair<std::string, std::string>> people;
    if (const auto found = config.compounds.find(compound); found != config.compounds.end()) {
        for (const auto& key : found->second.committee) {
            if (const auto colon = key.find(':'); colon != std::string::npos) {
                people.emplace(key.substr(0, colon), key.substr(colon + 1));
            }
        }
    }
    for (const auto& m : store.members.holding(role::committee)) {
        people.emplace(m.platform, m.user_id);
    }
    std::vector<outbound> messages;
    for (const auto& [platform, user_id] : people) {
        messages.push_back(outbound{platform, user_id, true, text, std::nullopt, lane});
    }
    return messages;
}

outbound to_member_privately(const storage::member& m, const std::string& text) {
    return outbound{m.platform,          m.user_id, true, text, std::nullopt,
                    outbox_lane::direct, m.id,      {},   {}};
}

std::string targets_to_json(const buildings_args& targets) {
    if (targets.volunteers) {
        return R"({"volunteers":true})";
    }
    if (targets.all) {
        return R"({"all":true})";
    }
    auto labels = nlohmann::json::array();
    for (const auto& b : targets.buildings) {
        labels.push_back(b.label);
    }
    return nlohmann::json{{"buildings", labels}}.dump();
}

buildings_args targets_from_json(const std::string& text) {
    const auto parsed = nlohmann::json::parse(text);
    buildings_args targets;
    targets.all = parsed.value("all", false);
    targets.volunteers = parsed.value("volunteers", false);
    if (const auto list = parsed.find("buildings"); list != parsed.end()) {
        for (const auto& label : *list) {
            targets.buildings.push_back(building_ref{label.get<std::string>()});
        }
    }
    return targets;
}

std::string describe_buildings(const std::vector<std::string>& labels, reply_builder& replies) {
    std::string out;
    for (const auto& label : labels) {
        out += (out.empty() ? "" : "、") + replies.text("building.name", {{"building", label}});
    }
    return out;
}

}  // namespace loudong::handlers
