#include "handlers/template_commands.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "compound_fixture.hpp"

namespace loudong::handlers {
namespace {

using TemplateCommands = testing::compound;

// Issue 20: templates are listed and named by their Chinese description, grouped by job.
TEST_F(TemplateCommands, ListsGroupsThenDescriptionsAndShowsATemplateByEitherName) {
    const auto list = say("c", "u-admin", "模板");
    EXPECT_EQ(list.rfind("回复模板按用途分13组（*表示组里有改过的）：\n登记和住户 39个\n", 0), 0u)
        << list;
    EXPECT_NE(list.find("\n团购 "), std::string::npos) << list;
    EXPECT_EQ(list.find("order.placed"), std::string::npos) << list;
    EXPECT_LE(std::count(list.begin(), list.end(), '\n'), 14);
    const auto group = say("c", "u-admin", "模板 团购");
    EXPECT_EQ(group.rfind("【团购】", 0), 0u) << group;
    EXPECT_NE(group.find("\n下单成功、订单状态名：待送、"), std::string::npos) << group;
    const auto shown = say("c", "u-admin", "模板 下单成功");
    EXPECT_EQ(shown.rfind("模板“下单成功”：\n{{building}}-{{room}} 下单成功", 0), 0u) << shown;
    EXPECT_NE(shown.find("{{total}}"), std::string::npos) << shown;
    EXPECT_NE(shown.find("可用变量"), std::string::npos);
    EXPECT_NE(shown.find("改：模板 下单成功 改成 新内容"), std::string::npos);
    EXPECT_EQ(say("c", "u-admin", "/template order.placed"), shown);
    EXPECT_EQ(say("c", "u-admin", "模板 下单失败了吧"),
              "没有“下单失败了吧”这个模板，发“模板”查看全部。");
    // By description too: an edit, the star in its group, and the reset.
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 {{building}}-{{room}} 登记好了"),
              "模板“登记成功”已更新。");
    EXPECT_NE(say("c", "u-admin", "模板").find("\n登记和住户 39个*\n"), std::string::npos);
    EXPECT_NE(say("c", "u-admin", "模板 登记和住户").find("、登记成功*、"), std::string::npos);
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "3-502 登记好了");
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 恢复").rfind("模板“登记成功”已恢复默认", 0), 0u);
    EXPECT_EQ(say("bldg-3", "u-2", "登记 3-503"), "已登记：3号楼503室。");
}

// A syntax error is explained in the committee's words, with where it is (issue 20).
TEST_F(TemplateCommands, SyntaxErrorsAreExplainedInChinese) {
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 已登记{{building 室"),
              "模板没有保存：“{{building”这里的花括号没有配对，变量要写成两对花括号，如 "
              "{{building}}。原内容不变。");
    EXPECT_EQ(
        say("c", "u-admin", "模板 登记成功 改成 {{#shared}}家人也登记了"),
        "模板没有保存：段落“shared”有开头没有结尾，请在段落末尾加上 {{/shared}}。原内容不变。");
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 已登记{{/shared}}"),
              "模板没有保存：{{/shared}} 前面没有对应的 {{#shared}}。原内容不变。");
    EXPECT_EQ(say("c", "u-admin", "模板 登记成功 改成 {{=<% %>=}}<%building%>"),
              "模板没有保存：不支持“{{=<% %>=}}”这种写法，原内容不变。");
    EXPECT_EQ(count("SELECT COUNT(*) FROM templates WHERE edited = 1"), 0);
}

TEST_F(TemplateCommands, AnEditIsUsedByTheNextReplyAndResetRestoresTheDefault) {
    const auto set =
        say("c", "u-admin", "/template register.done set 好的，{{building}}-{{room}} 已登记！");
    EXPECT_NE(set.find("已更新"), std::string::npos) << set;
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "好的，3-502 已登记！");
    EXPECT_NE(say("c", "u-admin", "模板").find("登记和住户 39个*"), std::string::npos);
    say("c", "u-admin", "/template register.done reset");
    EXPECT_EQ(say("bldg-3", "u-2", "登记 3-503"), "已登记：3号楼503室。");
}

TEST_F(TemplateCommands, ABrokenEditIsRefusedWithTheReasonAndTheOldTextStays) {
    const auto broken = say("c", "u-admin", "/template register.done set {{#building}}已登记");
    EXPECT_NE(broken.find("没有保存"), std::string::npos) << broken;
    const auto typo = say("c", "u-admin", "/template register.done set {{roomm}}");
    EXPECT_NE(typo.find("roomm"), std::string::npos) << typo;
    // register.done nests one section ({{#shared}}); three levels of it are refused, in Chinese.
    const auto deep =
        say("c", "u-admin",
            "/template register.done set "
            "{{#shared}}{{#shared}}{{#shared}}{{household}}{{/shared}}{{/shared}}{{/shared}}");
    EXPECT_EQ(deep, "模板没有保存：这个模板的段落最多嵌套1层，这次是3层，原内容不变。");
    say("bldg-3", "u-admin", "绑定 3号楼");
    EXPECT_EQ(say("bldg-3", "u-1", "登记 3-502"), "已登记：3号楼502室。");
}

TEST_F(TemplateCommands, UnknownKeysAndResidentsAreRefused) {
    EXPECT_NE(say("c", "u-admin", "/template no.such set x").find("没有“no.such”"),
              std::string::npos);
    EXPECT_NE(say("bldg-3", "u-1", "/template register.done set 哈哈").find("仅限居委会"),
              std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM templates WHERE edited = 1"), 0);
}

TEST_F(TemplateCommands, TextTypedByUsersIsNeverExpandedAsTemplateSyntax) {
    const auto answer = say("bldg-3", "u-{{room}}", "我的", "{{#x}}王{{/x}}");
    EXPECT_EQ(answer.rfind("{{#x}}王{{/x}}：", 0), 0u) << answer;
}

}  // namespace
}  // namespace loudong::handlers
