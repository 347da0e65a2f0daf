#include "templates/default_templates.hpp"

#include <nlohmann/json.hpp>

namespace loudong::templates {

const default_texts& shipped_defaults() {
    static const default_texts texts = [] {
        default_texts all;
        for (const auto& file : embedded_locales()) {
            auto parsed = nlohmann::json::parse(file.json);
            auto& locale = all[std::string(file.locale)];
            for (const auto& [key, value] : parsed.items()) {
                // An array is a multi-line text written one line per element for readability.
                if (value.is_array()) {
                    std::string joined;
                    for (std::size_t i = 0; i < value.size(); ++i) {
                        joined += (i ? "\n" : "") + value[i].get<std::string>();
                    }
                    locale[key] = joined;
                } else {
                    locale[key] = value.get<std::string>();
                }
            }
        }
        return all;
    }();
    return texts;
}

}  // namespace loudong::templates
