#include "storage/template_repository.hpp"

#include <SQLiteCpp/Transaction.h>

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

// The shipped text, or the compound's edit of it (?3 is the compound, NULL outside one).
constexpr const char* template_select =
    "SELECT t.locale, t.key, COALESCE(c.text, t.text), t.default_text, c.text IS NOT NULL "
    "FROM templates t LEFT JOIN compound_templates c ON c.compound = ?3 "
    "AND c.locale = t.locale AND c.key = t.key ";

template_row read_row(SQLite::Statement& row) {
    return template_row{row.getColumn(0).getString(), row.getColumn(1).getString(),
                        row.getColumn(2).getString(), row.getColumn(3).getString(),
                        row.getColumn(4).getInt() != 0};
}

void bind_compound(SQLite::Statement& query, const std::optional<std::string>& compound) {
    if (compound) {
        query.bind(3, *compound);
    } else {
        query.bind(3);
    }
}

}  // namespace

template_repository::template_repository(SQLite::Database& db, const compound_scope& scope)
    : db_(db),
      scope_(scope),
      find_(db, std::string(template_select) + "WHERE t.locale = ?1 AND t.key = ?2"),
      list_(db, std::string(template_select) + "WHERE t.locale = ?1 ORDER BY t.key"),
      set_(db,
           "INSERT INTO compound_templates (compound, locale, key, text, updated_by, updated_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (compound, locale, key) DO UPDATE SET "
           "text = excluded.text, updated_by = excluded.updated_by, "
           "updated_at = excluded.updated_at"),
      reset_(db,
             "DELETE FROM compound_templates WHERE compound = ?1 AND locale = ?2 AND key = ?3") {}

// The shipped texts follow the release; a committee's edits live in compound_templates.
void template_repository::load_defaults(const templates::default_texts& defaults,
                                        std::int64_t now) {
    forget();
    SQLite::Transaction transaction(db_);
    SQLite::Statement upsert(db_,
                             "INSERT INTO templates (locale, key, text, default_text, updated_at) "
                             "VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT (locale, key) DO UPDATE SET "
                             "default_text = excluded.default_text, text = excluded.text");
    for (const auto& [locale, texts] : defaults) {
        for (const auto& [key, text] : texts) {
            upsert.bind(1, locale);
            upsert.bind(2, key);
            upsert.bind(3, text);
            upsert.bind(4, now);
            upsert.exec();
            upsert.reset();
        }
    }
    transaction.commit();
}

std::optional<template_row> template_repository::find(const std::string& locale,
                                                      const std::string& key) {
    const auto& compound = scope_.current();
    auto [slot, fresh] = cache_.try_emplace(compound.value_or("") + '\n' + locale + '\n' + key);
    if (fresh) {
        statement_use query(find_);
        query->bind(1, locale);
        query->bind(2, key);
        bind_compound(*query, compound);
        if (query->executeStep()) {
            slot->second = read_row(*query);
        }
    }
    return slot->second;
}

std::vector<template_row> template_repository::list(const std::string& locale) {
    statement_use query(list_);
    query->bind(1, locale);
    bind_compound(*query, scope_.current());
    std::vector<template_row> rows;
    while (query->executeStep()) {
        rows.push_back(read_row(*query));
    }
    return rows;
}

void template_repository::set(const std::string& locale, const std::string& key,
                              const std::string& text, const std::string& by, std::int64_t now) {
    forget();
    statement_use update(set_);
    update->bind(1, scope_.id());
    update->bind(2, locale);
    update->bind(3, key);
    update->bind(4, text);
    update->bind(5, by);
    update->bind(6, now);
    update->exec();
}

void template_repository::reset(const std::string& locale, const std::string& key) {
    forget();
    statement_use update(reset_);
    update->bind(1, scope_.id());
    update->bind(2, locale);
    update->bind(3, key);
    update->exec();
}

}  // namespace loudong::storage
