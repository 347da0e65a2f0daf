#include "templates/default_templates.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace loudong::templates {

const default_texts& shipped_defaults() {
    static const default_texts texts = [] {
        default_texts all;
        for (const auto& file : embedded_locales()) {
            auto parsed = nlohmann::json::parse(file.json);
            // "zh-CN.tasks" adds to "zh-CN": a locale's texts may be split by domain.
            const auto name = std::string(file.locale);
            auto& locale = all[name.substr(0, name.find('.'))];
            for (const auto& [key, value] : parsed.items()) {
                // An array is a multi-line text written one line per element for readability.
                if (locale.contains(key)) {
                    throw std::logic_error("template " + key + " is defined twice in " + name);
                }
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
