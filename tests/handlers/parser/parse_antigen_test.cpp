// handlers/parser/parse_antigen.cpp (and 统计).
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

TEST(CommandParser, AntigenReadsEveryResultForm) {
    using result = antigen_args::result;
    const std::vector<std::pair<std::string_view, result>> forms{
        {"抗原 阴性", result::negative},       {"抗原阴性", result::negative},
        {"抗原 -", result::negative},          {"/antigen negative", result::negative},
        {"抗原 阴性。", result::negative},     {"抗原阴性！", result::negative},
        {"抗原 阳性", result::positive},       {"抗原阳性", result::positive},
        {"抗原 +", result::positive},          {"/antigen POSITIVE", result::positive},
        {"抗原 无效", result::invalid},        {"抗原无效", result::invalid},
        {"/antigen invalid", result::invalid}, {"@bot 抗原 阴性", result::negative},
    };
    for (const auto& [text, value] : forms) {
        EXPECT_EQ(args_of<antigen_args>(text, command_name::antigen).value, value) << text;
    }
}

TEST(CommandParser, AntigenExplainsBadResults) {
    expect_usage("抗原", "missing_argument", "");
    expect_usage("抗原 不知道", "bad_result", "不知道");
    expect_usage("/antigen maybe", "bad_result", "maybe");
    expect_usage("抗原 阴性 3-502", "too_many_arguments", "3-502");
    EXPECT_TRUE(is_chat("抗原是阴性吗"));
    EXPECT_TRUE(is_chat("抗原试剂到了"));
}

TEST(CommandParser, StatsTakesNothing) {
    command_of("统计", command_name::stats);
    EXPECT_TRUE(is_chat("统计 今天"));
    expect_usage("/stats today", "too_many_arguments", "today");
}

}  // namespace loudong::handlers
