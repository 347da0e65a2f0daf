#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loudong::templates {

/// One locale's shipped template file, compiled into the binary.
struct embedded_locale {
    std::string_view locale;
    std::string_view json;
};

/// The shipped template files (generated from templates/*.json at build time).
const std::vector<embedded_locale>& embedded_locales();

/// The shipped default texts: locale → key → text.
using default_texts = std::map<std::string, std::map<std::string, std::string>>;

/// Parses the embedded template files once; throws if a shipped file is malformed.
const default_texts& shipped_defaults();

/// The templates of one job, as `模板` lists them: a name ("团购") and each template's key
/// with its description ("order.placed", "下单成功"), in the file's order.
struct template_group {
    std::string name;
    std::vector<std::pair<std::string, std::string>> templates;
};

/// A locale's template groups (templates/<locale>.descriptions.json); empty for a locale
/// without descriptions.
const std::vector<template_group>& shipped_descriptions(const std::string& locale);

}  // namespace loudong::templates
