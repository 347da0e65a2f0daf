#include "storage/template_repository.hpp"

#include <SQLiteCpp/Transaction.h>

#include "storage/statement_use.hpp"

namespace loudong::storage {
namespace {

template_row read_row(SQLite::Statement& row) {
    return template_row{row.getColumn(0).getString(), row.getColumn(1).getString(),
                        row.getColumn(2).getString(), row.getColumn(3).getString(),
                        row.getColumn(4).getInt() != 0};
}

}  // namespace

template_repository::template_repository(SQLite::Database& db)
    : db_(db),
      find_(db,
            "SELECT locale, key, text, default_text, edited FROM templates "
            "WHERE locale = ?1 AND key = ?2"),
      list_(db,
            "SELECT locale, key, text, default_text, edited FROM templates "
            "WHERE locale = ?1 ORDER BY key"),
      set_(db,
           "UPDATE templates SET text = ?3, edited = 1, updated_by = ?4, updated_at = ?5 "
           "WHERE locale = ?1 AND key = ?2"),
      reset_(db,
             "UPDATE templates SET text = default_text, edited = 0, updated_by = ?3, "
             "updated_at = ?4 WHERE locale = ?1 AND key = ?2") {}

void template_repository::load_defaults(const templates::default_texts& defaults,
                                        std::int64_t now) {
    forget();
    SQLite::Transaction transaction(db_);
    SQLite::Statement upsert(db_,
                             "INSERT INTO templates (locale, key, text, default_text, updated_at) "
                             "VALUES (?1, ?2, ?3, ?3, ?4) ON CONFLICT (locale, key) DO UPDATE SET "
                             "default_text = excluded.default_text, "
                             "text = CASE WHEN edited THEN text ELSE excluded.text END");
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
    auto [slot, fresh] = cache_.try_emplace(locale + '\n' + key);
    if (fresh) {
        statement_use query(find_);
        query->bind(1, locale);
        query->bind(2, key);
        if (query->executeStep()) {
            slot->second = read_row(*query);
        }
    }
    return slot->second;
}

std::vector<template_row> template_repository::list(const std::string& locale) {
    statement_use query(list_);
    query->bind(1, locale);
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
    update->bind(1, locale);
    update->bind(2, key);
    update->bind(3, text);
    update->bind(4, by);
    update->bind(5, now);
    update->exec();
}

void template_repository::reset(const std::string& locale, const std::string& key,
                                const std::string& by, std::int64_t now) {
    forget();
    statement_use update(reset_);
    update->bind(1, locale);
    update->bind(2, key);
    update->bind(3, by);
    update->bind(4, now);
    update->exec();
}

}  // namespace loudong::storage
