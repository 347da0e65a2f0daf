#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

// The words the database stores for roles, states and job kinds, each mapped to its enum in
// one place. C++ code compares the enums; only storage/ reads or writes the words (and its
// schema's CHECK constraints name the same words: tests/storage/database_test.cpp holds them
// to it). A plain header without SQLite, so the parser may name a role too.

namespace loudong::storage {

/// A role a member may hold; residents are simply registered members. In the order 我的 lists
/// them, the widest first.
enum class role { committee, lead, volunteer };

/// Whether a group buy still takes orders.
enum class campaign_state { open, closed };

/// Where an order stands.
enum class order_state { placed, cancelled, delivered };

/// What a timed job does when it is due.
enum class job_kind {
    notice,             ///< a scheduled 通知
    campaign_close,     ///< a group buy's cut-off
    campaign_announce,  ///< a group buy's menu to its buildings, once listing pauses
    task_reminder,      ///< claimants of a task, before it starts
    test_eve,           ///< the evening before a test round: tomorrow's buildings
    test_soon,          ///< one building's turn in a test round, shortly before
    antigen_daily,      ///< the morning antigen reminder to every building
    antigen_pending,    ///< the midday list of rooms not yet reported
};

/// How a timed job ended.
enum class job_outcome { done, stale, failed, cancelled };

template <typename E>
struct stored_words;

template <>
struct stored_words<role> {
    static constexpr std::array<std::pair<role, std::string_view>, 3> words{{
        {role::volunteer, "volunteer"},
        {role::lead, "lead"},
        {role::committee, "committee"},
    }};
};

template <>
struct stored_words<campaign_state> {
    static constexpr std::array<std::pair<campaign_state, std::string_view>, 2> words{{
        {campaign_state::open, "open"},
        {campaign_state::closed, "closed"},
    }};
};

template <>
struct stored_words<order_state> {
    static constexpr std::array<std::pair<order_state, std::string_view>, 3> words{{
        {order_state::placed, "placed"},
        {order_state::cancelled, "cancelled"},
        {order_state::delivered, "delivered"},
    }};
};

template <>
struct stored_words<job_kind> {
    static constexpr std::array<std::pair<job_kind, std::string_view>, 8> words{{
        {job_kind::notice, "notice"},
        {job_kind::campaign_close, "campaign_close"},
        {job_kind::campaign_announce, "campaign_announce"},
        {job_kind::task_reminder, "task_reminder"},
        {job_kind::test_eve, "test_eve"},
        {job_kind::test_soon, "test_soon"},
        {job_kind::antigen_daily, "antigen_daily"},
        {job_kind::antigen_pending, "antigen_pending"},
    }};
};

template <>
struct stored_words<job_outcome> {
    static constexpr std::array<std::pair<job_outcome, std::string_view>, 4> words{{
        {job_outcome::done, "done"},
        {job_outcome::stale, "stale"},
        {job_outcome::failed, "failed"},
        {job_outcome::cancelled, "cancelled"},
    }};
};

/// The word stored for a value.
template <typename E>
constexpr std::string_view stored_word(E value) {
    for (const auto& [v, word] : stored_words<E>::words) {
        if (v == value) {
            return word;
        }
    }
    return {};
}

/// The value a stored word stands for; nullopt for a word of no value (a newer release's).
template <typename E>
constexpr std::optional<E> from_stored_word(std::string_view word) {
    for (const auto& [v, w] : stored_words<E>::words) {
        if (w == word) {
            return v;
        }
    }
    return std::nullopt;
}

}  // namespace loudong::storage
