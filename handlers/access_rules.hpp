#pragma once

#include <set>
#include <string>
#include <string_view>

#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// Who may use a command (SPEC §3, column "who").
enum class audience {
    everyone,    ///< anyone in a chat with the bot
    residents,   ///< anyone, acting on their own registered room
    volunteers,  ///< volunteer, lead or committee
    staff,       ///< committee, lead or volunteer (reading lists for delivery)
    leads,       ///< committee or lead
    committee,   ///< committee only
};

/// What the sender is, as far as permissions go.
struct standing {
    bool registered = false;  ///< a confirmed member of a household of this compound
    bool pending = false;     ///< registered here, waiting to be confirmed (SPEC §8 item 2)
    std::set<role> roles;
    std::set<std::string> lead_buildings;  ///< the buildings a lead acts on (SPEC §8 item 4)

    bool has(role r) const { return roles.contains(r); }
    /// The committee, or a lead of `building`.
    bool leads(const std::string& building) const {
        return has(role::committee) || (has(role::lead) && lead_buildings.contains(building));
    }
};

/// The audience of a command, from its row in the handler table.
audience audience_of(command_name name);

/// Whether someone of this standing may use the command at all.
bool may_use(command_name name, const standing& who);

/// The template key naming who may use a command ("who.committee"), for refusals.
std::string_view who_template(audience a);

}  // namespace loudong::handlers
