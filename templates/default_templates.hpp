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

}  // namespace loudong::templates
