#pragma once

#include <optional>
#include <string>
#include <vector>

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// The building chats a list of buildings reaches, and the buildings no chat is bound to.
struct building_reach {
    std::vector<storage::chat> chats;
    std::vector<std::string> unbound;  ///< building labels with no chat
};

/// Finds the chats bound to the buildings (every building chat for `all`; the volunteers'
/// chats for `volunteers`).
building_reach reach_buildings(repositories& store, const buildings_args& targets);

/// One outbound message per chat, in `lane`.
std::vector<outbound> to_chats(const std::vector<storage::chat>& chats, const std::string& text,
                               outbox_lane lane,
                               std::optional<std::int64_t> notice_id = std::nullopt);

/// One outbound message to every chat bound as the committee's, in `lane`.
std::vector<outbound> to_committee(repositories& store, const std::string& text, outbox_lane lane);

/// Where a health alert goes (SPEC §8 item 7): every chat bound as the compound's committee's;
/// with none bound, each of its committee members privately (those the config names and those
/// granted the role; street staff are not a compound's committee). Never a building or
/// volunteers' chat. Empty when the compound has neither.
std::vector<outbound> to_committee_only(repositories& store, const settings& config,
                                        const std::string& compound, const std::string& text,
                                        outbox_lane lane);

/// A one-to-one message to a member, addressed by their id, in the direct lane; each platform
/// knows how its private chats are reached.
outbound to_member_privately(const storage::member& m, const std::string& text);

/// Buildings as JSON for storage: {"all": true} or {"buildings": ["3", "5"]}.
std::string targets_to_json(const buildings_args& targets);

/// Buildings read back from targets_to_json.
buildings_args targets_from_json(const std::string& text);

/// "3号楼、5号楼" or the `all` wording, for replies.
std::string describe_buildings(const std::vector<std::string>& labels, reply_builder& replies);

}  // namespace loudong::handlers
