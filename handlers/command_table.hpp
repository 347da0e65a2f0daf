#pragma once

#include <span>
#include <string_view>

#include "handlers/access_rules.hpp"
#include "handlers/context.hpp"
#include "handlers/parser/command.hpp"

namespace loudong::handlers {

/// The job a command belongs to: `帮助` lists commands one line per job (`help.job.<name>`).
enum class job { household, groupbuy, health, volunteer, chats, settings, help };

/// What the handler layer knows of a command: who may use it, the function that carries it
/// out, and the name of the templates that describe it (`summary.<help>`, `usage.<help>`).
/// Its syntax is the parser's (`command_syntaxes()`); a command is one row in each table.
struct command_handler {
    command_name name;
    audience who;
    handler_result (*handle)(const command&, context&);
    std::string_view help;
    job group;
};

/// The template that names a job in `帮助`: "help.job.groupbuy".
std::string_view job_template(job group);

/// Every command's handler, in the order `帮助` lists them: what a resident needs first, then
/// the tools of volunteers, leads and the committee.
std::span<const command_handler> command_handlers();

/// The row of one command.
const command_handler& handler_of(command_name name);

}  // namespace loudong::handlers
