#pragma once

#include <string>
#include <string_view>

#include "handlers/command.hpp"

namespace loudong::handlers {

/// Reads full-width digits, letters, spaces and punctuation as ASCII, folds runs of white space
/// to one space and trims the ends. Invalid UTF-8 bytes are kept as they are.
std::string normalize_text(std::string_view text);

/// Parses one chat message (raw text as received) into a command, per SPEC §3.
/// A leading `@mention` is removed first; `/name` or a Chinese keyword (optionally after `#`)
/// makes a command. Never throws on any input.
parse_result parse_command(std::string_view text);

/// The command a help topic names (`登记`, `register`, `/register`), if any.
std::optional<command_name> find_command(std::string_view topic);

/// The English name of a command without the slash ("register").
std::string_view english_name(command_name name);

/// The main Chinese keyword of a command ("登记").
std::string_view chinese_keyword(command_name name);

}  // namespace loudong::handlers
