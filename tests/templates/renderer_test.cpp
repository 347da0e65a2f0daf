#include "templates/renderer.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

#include "templates/default_templates.hpp"

namespace loudong::templates {
namespace {

TEST(Renderer, FillsVariablesWithoutHtmlEscaping) {
    EXPECT_EQ(
        renderer::render("{{room}} 合计 {{total}}元 <&>", {{"room", "3-502"}, {"total", "31.60"}}),
        "3-502 合计 31.60元 <&>");
    EXPECT_EQ(renderer::render("{{name}}", {{"name", "\"A&B\" <王阿姨>"}}), "\"A&B\" <王阿姨>");
}

TEST(Renderer, InsertsUserTextLiterallyNeverReExpanded) {
    const nlohmann::json vars{{"item", "{{total}} {{#x}}boom{{/x}}"}, {"total", "9.99"}};
    EXPECT_EQ(renderer::render("买了 {{item}}", vars), "买了 {{total}} {{#x}}boom{{/x}}");
}

// Found by fuzz_template_text: a partial tag rendered the value it named as a template, so
// what a resident typed was re-interpreted, and a value naming itself recursed without end.
TEST(Renderer, PartialTagsNeverRenderAValueAsATemplate) {
    const nlohmann::json vars{{"item", "{{total}}"}, {"total", "9.99"}, {"loop", "{{>loop}}"}};
    EXPECT_EQ(renderer::render("{{item}}|{{>item}}|{{> item}}", vars), "{{total}}||");
    EXPECT_EQ(renderer::render("{{>loop}}", vars), "");
    compiled_templates compiled;
    EXPECT_EQ(compiled.render("{{>loop}}{{item}}", vars), "{{total}}");
}

TEST(Renderer, LoopsOverLists) {
    const nlohmann::json vars{
        {"lines", {{{"item", "鸡蛋"}, {"quantity", 2}}, {{"item", "大米"}, {"quantity", 1}}}}};
    EXPECT_EQ(renderer::render("{{#lines}}{{item}}×{{quantity}};{{/lines}}", vars),
              "鸡蛋×2;大米×1;");
}

TEST(Renderer, ThrowsOnBrokenText) {
    EXPECT_THROW(renderer::render("{{#lines}}no end", {}), std::invalid_argument);
}

TEST(Renderer, ListsTheNamesATextUses) {
    EXPECT_EQ(renderer::names_used(
                  "{{room}} {{#lines}}{{item}}{{/lines}} {{^x}}{{/x}} {{{raw}}} {{! note}}"),
              (std::set<std::string>{"room", "lines", "item", "x", "raw"}));
}

TEST(Renderer, CheckRefusesSyntaxErrorsAndUnknownVariables) {
    const std::string base = "已登记：{{building}}号楼{{room}}室。";
    EXPECT_FALSE(renderer::check("登记好了 {{room}}", base));
    const auto syntax = renderer::check("{{#room}}", base);
    ASSERT_TRUE(syntax);
    EXPECT_EQ(syntax->what, template_problem::kind::syntax);
    const auto unknown = renderer::check("{{roomm}}", base);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->what, template_problem::kind::unknown_variable);
    EXPECT_EQ(unknown->detail, "roomm");
}

// Found by fuzz_template_text: after {{=<% %>=}} the check could not see the names, so an edit
// could show a variable that the default keeps out of the chat.
TEST(Renderer, CheckRefusesDelimiterChangesAndPartials) {
    const std::string base = "{{room}} 下单成功";
    for (const auto* text : {"{{=<% %>=}}<%name%>", "{{ =<% %>= }}", "{{{=<% %>=}}}", "{{>room}}",
                             "{{room}}{{> room}}"}) {
        const auto problem = renderer::check(text, base);
        ASSERT_TRUE(problem) << text;
        EXPECT_EQ(problem->what, template_problem::kind::syntax) << text;
    }
    EXPECT_EQ(renderer::check("{{>room}}", base)->detail, "partials ({{>room}}) are not supported");
    EXPECT_FALSE(renderer::check("{{{room}}} {{&room}} {{! =note }}", base));
}

TEST(Renderer, CheckRefusesSectionsNestedDeeperThanTheDefault) {
    // Nesting a list in itself renders n^k times: 40 lines nested 6 deep would be 4e9 lines.
    const std::string base = "{{#lines}}{{item}}×{{quantity}}{{/lines}} 合计{{total}}";
    std::string nested;
    for (int i = 0; i < 6; ++i) {
        nested = "{{#lines}}" + nested + "{{item}}{{/lines}}";
    }
    const auto problem = renderer::check(nested, base);
    ASSERT_TRUE(problem);
    EXPECT_EQ(problem->what, template_problem::kind::too_deep);
    EXPECT_EQ(problem->depth, 6);
    EXPECT_EQ(problem->allowed, 1);
    EXPECT_TRUE(renderer::check("{{#lines}}{{^quantity}}{{item}}{{/quantity}}{{/lines}}", base));
    // As deep as the default, or one level where the default has none, is fine.
    EXPECT_FALSE(
        renderer::check("{{#lines}}{{item}}{{/lines}}{{#lines}}{{quantity}}{{/lines}}", base));
    EXPECT_FALSE(renderer::check("{{#total}}合计{{total}}{{/total}}", "合计{{total}}"));
    const std::string two_deep = "{{#lines}}{{#quantity}}{{item}}{{/quantity}}{{/lines}}";
    EXPECT_FALSE(renderer::check(
        "{{^lines}}无{{/lines}}{{#lines}}{{#item}}{{item}}{{/item}}{{/lines}}", two_deep));
}

TEST(CompiledTemplates, RenderLikeTheRendererAndRefuseBrokenTexts) {
    compiled_templates compiled;
    const nlohmann::json vars{{"room", "{{x}}"}, {"lines", {{{"item", "鸡蛋"}}}}};
    const std::string text = "{{room}}:{{#lines}}{{item}}{{/lines}}";
    EXPECT_EQ(compiled.render(text, vars), renderer::render(text, vars));
    EXPECT_EQ(compiled.render(text, {{"room", "502"}, {"lines", nlohmann::json::array()}}), "502:");
    EXPECT_THROW(compiled.render("{{#open}}", vars), std::invalid_argument);
    EXPECT_THROW(compiled.render("{{#open}}", vars), std::invalid_argument);
}

TEST(DefaultTemplates, EveryShippedTextParsesAndLocalesHaveTheSameKeys) {
    const auto& all = shipped_defaults();
    ASSERT_TRUE(all.contains("zh-CN"));
    ASSERT_TRUE(all.contains("en"));
    ASSERT_EQ(all.at("zh-CN").size(), all.at("en").size());
    for (const auto& [key, text] : all.at("zh-CN")) {
        ASSERT_TRUE(all.at("en").contains(key)) << key;
        EXPECT_NO_THROW(renderer::render(text, nlohmann::json::object())) << key;
        EXPECT_NO_THROW(renderer::render(all.at("en").at(key), nlohmann::json::object())) << key;
    }
}

// A key written twice in one file silently keeps the last text (the JSON parser does), which
// once replaced a reply of 叫号 with another of 核酸 推迟.
TEST(DefaultTemplates, NoShippedFileRepeatsAKey) {
    for (const auto& file : embedded_locales()) {
        if (file.locale.ends_with(".descriptions")) {
            continue;  // not texts: DefaultTemplates.EveryTemplateHasOneDescription
        }
        std::set<std::string> seen;
        std::string repeated;
        const nlohmann::json::parser_callback_t note_keys =
            [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                if (event == nlohmann::json::parse_event_t::key && depth == 1 &&
                    !seen.insert(parsed.get<std::string>()).second) {
                    repeated += parsed.get<std::string>() + " ";
                }
                return true;
            };
        const auto parsed = nlohmann::json::parse(file.json, note_keys);
        EXPECT_EQ(repeated, "") << file.locale;
        EXPECT_GT(seen.size(), 10u) << file.locale;
    }
}

// `模板` lists templates by their Chinese description (issue 20): every zh-CN template has
// exactly one, in one group, and no description is used twice or written in ASCII letters.
TEST(DefaultTemplates, EveryTemplateHasOneDescription) {
    const auto& texts = shipped_defaults().at("zh-CN");
    const auto& groups = shipped_descriptions("zh-CN");
    ASSERT_GE(groups.size(), 5u);
    std::set<std::string> described;
    std::set<std::string> descriptions;
    for (const auto& group : groups) {
        EXPECT_FALSE(group.templates.empty()) << group.name;
        for (const auto& [key, description] : group.templates) {
            EXPECT_TRUE(texts.contains(key)) << key << " is described but is no template";
            EXPECT_TRUE(described.insert(key).second) << key << " is described twice";
            EXPECT_TRUE(descriptions.insert(description).second) << description << " twice";
            EXPECT_EQ(description.find_first_of(
                          "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz{} "),
                      std::string::npos)
                << key << ": " << description;
        }
    }
    for (const auto& [key, text] : texts) {
        EXPECT_TRUE(described.contains(key)) << key << " has no description";
    }
    // `模板 <name>` reads a group's name first: a description of the same name would be lost.
    for (const auto& group : groups) {
        EXPECT_FALSE(descriptions.contains(group.name)) << group.name;
    }
    EXPECT_TRUE(shipped_descriptions("xx").empty());
}

}  // namespace
}  // namespace loudong::templates
