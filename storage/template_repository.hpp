#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "storage/compound_scope.hpp"
#include "templates/default_templates.hpp"

namespace loudong::storage {

/// One reply template as stored: the text in use and the shipped default it came from.
struct template_row {
    std::string locale;
    std::string key;
    std::string text;
    std::string default_text;
    bool edited = false;  ///< the compound in scope changed it
};

/// The reply templates: the shipped texts, shared, and each compound's edits of them.
/// Outside a compound scope, reads give the shipped texts.
class template_repository {
public:
    template_repository(SQLite::Database& db, const compound_scope& scope);

    /// Loads shipped defaults: adds new keys, refreshes unedited texts, keeps committee edits.
    void load_defaults(const templates::default_texts& defaults, std::int64_t now);

    /// One template, if the key exists in that locale. Kept in memory after the first read:
    /// every reply reads one, and only set/reset/load_defaults change them.
    std::optional<template_row> find(const std::string& locale, const std::string& key);

    /// Drops what find() kept (after a rollback that may have undone an edit it saw).
    void forget() { cache_.clear(); }

    /// All templates of a locale, ordered by key.
    std::vector<template_row> list(const std::string& locale);

    /// Replaces a template's text in the compound in scope (the caller has checked it).
    void set(const std::string& locale, const std::string& key, const std::string& text,
             const std::string& by, std::int64_t now);

    /// Restores the shipped default text in the compound in scope.
    void reset(const std::string& locale, const std::string& key);

private:
    SQLite::Database& db_;
    const compound_scope& scope_;
    SQLite::Statement find_;
    SQLite::Statement list_;
    SQLite::Statement set_;
    SQLite::Statement reset_;
    /// compound \n locale \n key
    std::unordered_map<std::string, std::optional<template_row>> cache_;
};

}  // namespace loudong::storage
