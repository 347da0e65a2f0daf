#pragma once

#include <span>
#include <string>
#include <string_view>

#include "handlers/parser/command.hpp"

namespace loudong::handlers {

struct parse_input;

/// What a command looks like in a message: its names and the function that reads its
/// arguments. The parser's table has one per command, in enumerator order.
struct command_syntax {
    command_name name;
    std::string_view english;  ///< `/register`, without the slash
    std::string_view chinese;  ///< `登记`; aliases (接龙, 报名, /start) are listed beside the table
    parse_result (*parse)(const parse_input&);
};

/// Every command's syntax, in enumerator order.
std::span<const command_syntax> command_syntaxes();

/// Reads full-width digits, letters, spaces and punctuation as ASCII, folds runs of white space
/// to one space and trims the ends. Invalid UTF-8 bytes are kept as they are.
std::string normalize_text(std::string_view text);

/// Parses one chat message (raw text as received) into a command, per SPEC §3.
/// A leading `@mention` is removed first; `/name` or a Chinese keyword (optionally after `#`)
/// makes a command. Never throws on any input.
parse_result parse_command(std::string_view text);

/// The lines of a message that is several commands, one a line (`发布任务 …` twice), blank
/// lines left out; nullopt for anything else: one line, a line that is not a command, or a
/// first command that takes the lines after it as its text (通知, 模板, 楼栋, 下单's 接龙 list,
/// 代下单, 备注). Never throws on any input but on allocation.
std::optional<std::vector<std::string>> command_lines(std::string_view text);

/// The command a help topic names (`登记`, `register`, `/register`), if any.
std::optional<command_name> find_command(std::string_view topic);

/// The English name of a command without the slash ("register").
std::string_view english_name(command_name name);

/// The main Chinese keyword of a command ("登记").
std::string_view chinese_keyword(command_name name);

}  // namespace loudong::handlers
