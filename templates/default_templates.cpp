#include "templates/default_templates.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace loudong::templates {
namespace {

// "zh-CN.descriptions" describes zh-CN's templates; it holds no texts.
constexpr std::string_view descriptions_suffix = ".descriptions";

}  // namespace

const default_texts& shipped_defaults() {
    static const default_texts texts = [] {
        default_texts all;
        for (const auto& file : embedded_locales()) {
            const auto name = std::string(file.locale);
            if (name.ends_with(descriptions_suffix)) {
                continue;
            }
            auto parsed = nlohmann::json::parse(file.json);
            // "zh-CN.tasks" adds to "zh-CN": a locale's texts may be split by domain.
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

const std::vector<template_group>& shipped_descriptions(const std::string& locale) {
    static const std::map<std::string, std::vector<template_group>> all = [] {
        std::map<std::string, std::vector<template_group>> found;
        for (const auto& file : embedded_locales()) {
            const auto name = std::string(file.locale);
            if (!name.ends_with(descriptions_suffix)) {
                continue;
            }
            auto& groups = found[name.substr(0, name.size() - descriptions_suffix.size())];
            // Ordered: `模板` lists the groups and their templates in the file's order.
            const auto parsed = nlohmann::ordered_json::parse(file.json);
            for (const auto& group : parsed.at("groups")) {
                template_group g{group.at("name").get<std::string>(), {}};
                for (const auto& [key, description] : group.at("templates").items()) {
                    g.templates.emplace_back(key, description.get<std::string>());
                }
                groups.push_back(std::move(g));
            }
        }
        return found;
    }();
    static const std::vector<template_group> none;
    const auto it = all.find(locale);
    return it == all.end() ? none : it->second;
}

}  // namespace loudong::templates
