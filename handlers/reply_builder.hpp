#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "storage/template_repository.hpp"
#include "templates/renderer.hpp"

namespace loudong::handlers {

/// Turns a template key and its variables into the text the bot sends, in one locale.
class reply_builder {
public:
    reply_builder(storage::template_repository& templates, std::string locale);

    /// Renders the stored template; falls back to zh-CN, then to the shipped default, so a
    /// reply is never lost to a missing or broken template.
    std::string text(const std::string& key, const nlohmann::json& vars = nlohmann::json::object());

    /// The locale replies are written in.
    const std::string& locale() const { return locale_; }

private:
    storage::template_repository& templates_;
    std::string locale_;
    templates::compiled_templates compiled_;
};

}  // namespace loudong::handlers
