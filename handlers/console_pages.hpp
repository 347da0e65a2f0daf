#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "handlers/access_rules.hpp"
#include "handlers/context.hpp"

// What each page of the committee console shows (SPEC §12), as the variables of its template in
// templates/console/, and who may see it. No HTML here: bot/console renders these.

namespace loudong::handlers {

/// Who is looking at the console, and what they may see.
struct console_viewer {
    storage::member member;
    std::string compound;  ///< the compound the pages show
    standing who;
    bool street = false;  ///< street staff: may look at every compound

    /// The committee (and street staff) see their whole compound.
    bool whole_compound() const { return who.has(role::committee); }
    /// Whether a building's households and orders are the viewer's to see.
    bool sees(const std::string& building) const { return who.leads(building); }
    /// Health results (a positive antigen) are for the committee only, never a lead.
    bool sees_health() const { return whole_compound(); }
};

/// One page: its template variables, or the reason it is refused.
struct console_page {
    int status = 200;  ///< 403: not the viewer's to see; 404: no such campaign or building
    nlohmann::json vars = nlohmann::json::object();
    std::string refusal;  ///< the sentence shown instead, when status is not 200
};

/// The viewer of a session (`compound`: the one a street member chose; others keep their
/// session's), or nullopt when the member is no longer a lead or on the committee there.
std::optional<console_viewer> console_viewer_of(repositories& store, const settings& config,
                                                const storage::console_user& session,
                                                const std::optional<std::string>& compound);

/// Overview: per building households, registered, pending, antigen reported today, orders of
/// open campaigns and their deliveries; open tasks' slots.
console_page console_overview(repositories& store, const settings& config,
                              const console_viewer& viewer, std::int64_t now);

/// Households: the registry of one building (or every building the viewer sees), notes, and
/// the members waiting to be confirmed.
console_page console_households(repositories& store, const settings& config,
                                const console_viewer& viewer,
                                const std::optional<std::string>& building);

/// Orders of one campaign (by its number; the latest when none) per building and item.
console_page console_orders(repositories& store, const settings& config,
                            const console_viewer& viewer, std::optional<std::int64_t> number);

/// Bag labels of a campaign's orders still to deliver, of one building or every one the viewer
/// sees, by building then room.
console_page console_labels(repositories& store, const settings& config,
                            const console_viewer& viewer, std::int64_t number,
                            const std::optional<std::string>& building);

/// Tasks that have not ended with their rosters, and volunteers' hours of the last 30 days.
console_page console_tasks(repositories& store, const settings& config,
                           const console_viewer& viewer, std::int64_t now);

/// The newest notices and how their delivery went (committee only).
console_page console_notices(repositories& store, const settings& config,
                             const console_viewer& viewer);

/// The reply templates by group, with the compound's edits; with `key`, that one to edit
/// (committee only: editing is theirs in the chat too).
console_page console_templates(repositories& store, const settings& config,
                               const console_viewer& viewer, const std::optional<std::string>& key);

/// A campaign's orders as CSV, of the buildings the viewer sees; nullopt when no such campaign.
std::optional<std::string> console_orders_csv(repositories& store, const settings& config,
                                              const console_viewer& viewer, std::int64_t number);

}  // namespace loudong::handlers
