#include "handlers/access_rules.hpp"

#include "handlers/command_table.hpp"

namespace loudong::handlers {

audience audience_of(command_name name) {
    return handler_of(name).who;
}

bool may_use(command_name name, const standing& who) {
    // The committee runs the compound: it may do everything anyone else may.
    if (who.has(role::committee)) {
        return true;
    }
    switch (audience_of(name)) {
        case audience::everyone:
        case audience::residents:
            return true;
        case audience::volunteers:
        case audience::staff:
            return who.has(role::volunteer) || who.has(role::lead);
        case audience::leads:
            return who.has(role::lead);
        case audience::committee:
            return false;
    }
    return false;
}

std::string_view who_template(audience a) {
    switch (a) {
        case audience::everyone:
        case audience::residents:
            return "who.everyone";
        case audience::volunteers:
        case audience::staff:
            return "who.staff";
        case audience::leads:
            return "who.leads";
        case audience::committee:
            return "who.committee";
    }
    return "who.committee";
}

}  // namespace loudong::handlers
