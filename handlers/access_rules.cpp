#include "handlers/access_rules.hpp"

namespace loudong::handlers {

audience audience_of(command_name name) {
    switch (name) {
        case command_name::help:
        case command_name::register_member:
        case command_name::me:
        case command_name::menu:
        case command_name::tasks:
        case command_name::unclaim:
        case command_name::roster:
        case command_name::hours:
            return audience::everyone;
        case command_name::order:
        case command_name::myorders:
        case command_name::cancel:
        case command_name::antigen:
        // Anyone registered may volunteer: claiming needs an address (the roster shows rooms)
        // but no role, and so does checking out of a slot one holds; claiming grants no role.
        case command_name::claim:
        case command_name::done:
            return audience::residents;
        case command_name::summary:
        case command_name::delivery:
        case command_name::delivered:
            return audience::staff;
        case command_name::shop:
        case command_name::item:
        case command_name::close:
        case command_name::call:
        case command_name::pending:
            return audience::leads;
        case command_name::bind:
        case command_name::grant:
        case command_name::revoke:
        case command_name::task:
        case command_name::cancel_task:
        case command_name::test:
        case command_name::stats:
        case command_name::notice:
        case command_name::template_text:
            return audience::committee;
    }
    return audience::committee;
}

bool may_use(command_name name, const standing& who) {
    // The committee runs the compound: it may do everything anyone else may.
    if (who.has("committee")) {
        return true;
    }
    switch (audience_of(name)) {
        case audience::everyone:
        case audience::residents:
            return true;
        case audience::volunteers:
        case audience::staff:
            return who.has("volunteer") || who.has("lead");
        case audience::leads:
            return who.has("lead");
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
