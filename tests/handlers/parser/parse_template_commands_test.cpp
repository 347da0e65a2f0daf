// handlers/parser/parse_template_commands.cpp.
#include <gtest/gtest.h>

#include "tests/handlers/parser/parse_checks.hpp"

namespace loudong::handlers {

using namespace testing;

TEST(CommandParser, TemplateListsShowsSetsAndResets) {
    auto args = args_of<template_args>("/template", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::list);
    args = args_of<template_args>("/template order.placed", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::show);
    EXPECT_EQ(args.key, "order.placed");
    args = args_of<template_args>("/template order.placed reset", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::reset);
    args = args_of<template_args>("模板 order.placed 恢复", command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::reset);
    EXPECT_EQ(args.key, "order.placed");
}

TEST(CommandParser, TemplateSetKeepsTheTextVerbatim) {
    const std::string text =
        "您的订单 {{number}} 已收到：\n{{#lines}}- {{item}} × {{quantity}}\n{{/lines}}合计 "
        "{{total}} 元（送至 {{room}}）";
    auto args =
        args_of<template_args>("/template order.placed set " + text, command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::set);
    EXPECT_EQ(args.key, "order.placed");
    EXPECT_EQ(args.text, text);
    args = args_of<template_args>("模板 order.placed 设置\n" + text + "\n",
                                  command_name::template_text);
    EXPECT_EQ(args.what, template_args::action::set);
    EXPECT_EQ(args.text, text);
    expect_usage("/template order.placed set", "missing_argument", "");
    expect_usage("/template order.placed delete", "too_many_arguments", "delete");
    expect_usage("/template order.placed reset now", "too_many_arguments", "now");
}

}  // namespace loudong::handlers
