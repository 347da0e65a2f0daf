#include "handlers/command_table.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "handlers/parser/command_parser.hpp"
#include "templates/default_templates.hpp"

namespace loudong::handlers {
namespace {

// A command is one row in the parser's syntax table and one in the handler table; a row in
// only one of them would be a command nobody can run, or one that the parser reads and
// nothing carries out.
TEST(CommandTable, EveryCommandHasOneSyntaxRowAndOneHandlerRow) {
    std::map<command_name, int> syntax_rows;
    for (const auto& row : command_syntaxes()) {
        ++syntax_rows[row.name];
        EXPECT_NE(row.parse, nullptr) << row.english;
    }
    std::map<command_name, int> handler_rows;
    for (const auto& row : command_handlers()) {
        ++handler_rows[row.name];
        EXPECT_NE(row.handle, nullptr) << row.help;
        EXPECT_EQ(&handler_of(row.name), &row) << row.help;
    }
    EXPECT_EQ(syntax_rows.size(), command_syntaxes().size());
    EXPECT_EQ(handler_rows, syntax_rows);
}

TEST(CommandTable, EveryCommandIsDescribedInEveryShippedLanguage) {
    for (const auto& [locale, texts] : templates::shipped_defaults()) {
        for (const auto& row : command_handlers()) {
            for (const std::string kind : {"summary.", "usage."}) {
                EXPECT_TRUE(texts.contains(kind + std::string(row.help)))
                    << locale << " has no " << kind << row.help;
            }
        }
    }
}

TEST(CommandTable, HelpListsWhatAResidentNeedsFirstAndItselfLast) {
    const auto rows = command_handlers();
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows.front().name, command_name::register_member);
    EXPECT_EQ(rows.back().name, command_name::help);
}

}  // namespace
}  // namespace loudong::handlers
