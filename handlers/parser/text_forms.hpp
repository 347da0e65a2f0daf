#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "handlers/parser/command.hpp"

// Small pure parsers for the forms residents type: addresses, quantities, prices, times and
// building lists. Every function takes one token of text already passed through
// normalize_text (full-width forms folded to ASCII), never throws, and returns nullopt when the
// token is not of its form.

namespace loudong::handlers {

/// A count of something ordered, with the unit when one was written ("2袋" → 2, "袋").
struct quantity {
    std::int64_t count = 0;
    std::optional<std::string> unit;
    bool operator==(const quantity&) const = default;
};

/// The largest quantity one order line may ask for.
inline constexpr std::int64_t max_quantity = 9999;
/// The largest price an item may have, in fen (100,000 yuan).
inline constexpr std::int64_t max_price_fen = 10'000'000;
/// The most buildings a range such as `1-20` may expand to.
inline constexpr std::int64_t max_building_range = 100;
/// The most rooms one `楼栋 … 房号 …` may list (a tower's 18 floors × 8 is 144).
inline constexpr std::size_t max_registry_rooms = 500;

/// ASCII letters in lower case; other bytes (Chinese, digits) as they are.
std::string ascii_lower(std::string_view s);

/// A building: `3`, `3号楼`, `3号`, `3幢`, `3栋`, `3座`, `B3`, `b3` → label "3".
std::optional<building_ref> parse_building(std::string_view token);

/// A room: `502`, `502室` → "502" (1–6 digits, no leading zero).
std::optional<std::string> parse_room(std::string_view token);

/// A combined address in one token: `3-502`, `3号楼502`, `3幢502室`, `B3-502`.
std::optional<address> parse_address(std::string_view token);

/// An address written as two tokens: `3号楼` `502`, `3` `502室`.
std::optional<address> parse_address(std::string_view building, std::string_view room);

/// A whole number of things: `2`, `x2`, `×2`, `*2`, `2份`, `x2袋` (1 to max_quantity).
std::optional<quantity> parse_quantity(std::string_view token);

/// True when `unit` is a counting word shoppers use after a number (份, 袋, 盒, 个, 斤 …).
bool is_quantity_unit(std::string_view unit);

/// A price in integer fen: `15.8` → 1580, `39.90`, `15元`, `¥15.8`, `￥15.8`, `15块`.
/// Refuses negatives, more than two decimals and prices above max_price_fen.
std::optional<std::int64_t> parse_price_fen(std::string_view token);

/// Formats fen as yuan with two decimals: 1580 → "15.80", -5 → "-0.05".
std::string format_fen(std::int64_t fen);

/// Removes `prefix` from the front of `s` when it is there; says whether it was.
bool strip_prefix(std::string_view& s, std::string_view prefix);

/// Removes `suffix` from the end of `s` when it is there; says whether it was.
bool strip_suffix(std::string_view& s, std::string_view suffix);

/// A positive whole number such as an order or task number: `12`, `#12`, `12号`.
std::optional<std::int64_t> parse_number(std::string_view token);

/// A clock time: `8:00`, `08:00`, `14:00`, `8点`, `8点半`, `8点30`, `8点30分`.
std::optional<time_of_day> parse_time_of_day(std::string_view token);

/// Formats a time of day as `HH:MM` (510 → "08:30").
std::string format_time_of_day(time_of_day t);

/// A time or a range: `14:00`, `14:00-16:00`, `14:00~16:00`, `14:00到16:00`; the end may be
/// `24:00` and may be earlier than the start (a night shift). An end written `次日08:00` (also
/// 翌日, 第二天, 隔天) is the next day's: its minutes are past 1440, at most 24 hours after the
/// start, so `08:00-次日08:00` is a whole day.
std::optional<when_spec> parse_time_range(std::string_view token);

/// A day: `今天`, `明天`, `每天`, `4-28`, `4/28`, `4月28日`, `4月28号` (the date is checked).
std::optional<day_ref> parse_day(std::string_view token);

/// True for the word that introduces a rota's last day: `至`, `到`, `until`.
bool is_until_marker(std::string_view token);

/// A rota's last day glued to its marker: `至5-10`, `到5月10日`.
std::optional<day_ref> parse_until(std::string_view token);

/// A day and time over one or more tokens: `[day] time-or-range [至 day]`; also the glued
/// `明天07:00`. On success `used` is the number of tokens read; on failure it is the index of
/// the token that is not a day or time.
std::optional<when_spec> parse_when(std::span<const std::string_view> tokens, std::size_t& used);

/// True when a token is plainly an attempt at a day or time (`25:00`, `4-31`, `明天`), so a
/// parser can stop a free-text title there and report a bad time rather than swallow it.
bool looks_like_when(std::string_view token);

/// Buildings as typed: `all`/`全部`/`所有`, `3,5,7`, `3、5、7`, `1-5` (expanded), `3,1,2`
/// (order kept, repeats dropped), `3号楼,5号楼`.
std::optional<buildings_args> parse_building_list(std::string_view token);

/// The parts of a list typed in one token, "3,5,7", "鸡蛋2、大米1", "a;b": split at ',', '、' and
/// ';', empty parts dropped.
std::vector<std::string_view> list_parts(std::string_view token);

/// A role: volunteer/志愿者, lead/楼组长/楼长, committee/居委/居委会/委员 (English in any case).
std::optional<role> parse_role(std::string_view token);

/// An antigen result: negative/阴性/阴/`-`, positive/阳性/阳/`+`, invalid/无效.
std::optional<antigen_args::result> parse_antigen_result(std::string_view token);

}  // namespace loudong::handlers
