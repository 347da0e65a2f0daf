#pragma once

#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"
#include "handlers/parser/registry_csv.hpp"

// The household registry (SPEC §7): the compound's real rooms and the notes on households.

namespace loudong::handlers {

/// `楼栋 3号楼 18层 4户` / `楼栋 3号楼 房号 101 102`: lists a building's real rooms.
handler_result handle_registry(const command& cmd, context& ctx);

/// The longest note on a household, in characters.
inline constexpr std::int64_t max_note_characters = 200;

/// `备注 3-502 独居老人，需送上门`: a note on a household for the staff who serve it.
handler_result handle_note(const command& cmd, context& ctx);

/// Lists the rooms of a registry file (read_registry_csv) in a compound, notes included; the
/// caller holds the transaction. Returns how many rooms were new to the registry.
std::int64_t import_registry(repositories& store, const std::string& compound,
                             const std::vector<registry_line>& rooms, const std::string& by,
                             std::int64_t now);

}  // namespace loudong::handlers
