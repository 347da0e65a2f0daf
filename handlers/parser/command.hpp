#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "storage/kinds.hpp"

namespace loudong::handlers {

/// Every command of SPEC §3, by its English name.
enum class command_name {
    help,
    register_member,
    me,
    bind,
    grant,
    revoke,
    shop,
    item,
    menu,
    order,
    myorders,
    cancel,
    close,
    summary,
    delivery,
    delivered,
    task,
    tasks,
    claim,
    unclaim,
    roster,
    done,
    hours,
    test,
    call,
    antigen,
    pending,
    stats,
    notice,
    template_text,
    cancel_task,
    registry,
    note,
    unbind,
    approve,
    reject,
    remove,
    unregister,
    orderfor,
    rota,
    myshifts,
    swap,
    takeover,
    checkin,
    confirm_hours,
    retest,
    console,
    console_logout,
};

/// A role a member may hold (storage/kinds.hpp: an enum and its stored word, no SQL).
using storage::role;

/// A building as written by users ("3", "3号楼", "B3", "12弄3号"), canonicalised to its label
/// ("3", "12弄3": a lane's buildings carry the lane, shown as 12弄3号楼).
struct building_ref {
    std::string label;
    bool operator==(const building_ref&) const = default;
};

/// A household's address: building label and room digits ("3", "502").
struct address {
    building_ref building;
    std::string room;
    bool operator==(const address&) const = default;
};

/// A clock time of day in minutes since midnight (08:30 → 510).
struct time_of_day {
    int minutes = 0;
    bool operator==(const time_of_day&) const = default;
};

/// Which day a time refers to, before it is resolved against the compound's clock.
struct day_ref {
    enum class kind {
        unspecified,
        today,
        tomorrow,
        month_day,
        every_day
    } which = kind::unspecified;
    int month = 0;  ///< 1-12 when which == month_day
    int day = 0;    ///< 1-31 when which == month_day
    bool operator==(const day_ref&) const = default;
};

/// A time or time range as typed: `14:00`, `4-28 14:00-16:00`, `明天 8:00-12:00`.
struct when_spec {
    day_ref day;
    time_of_day start;
    std::optional<time_of_day> end;
    /// For `每天 … 至 5-10`: the last day of a recurring rota.
    std::optional<day_ref> until;
    bool operator==(const when_spec&) const = default;
};

struct help_args {
    std::optional<std::string> topic;  ///< a command keyword or English name, as typed
};
struct register_args {
    building_ref building;
    std::string room;  ///< digits, e.g. "502"
};
struct bind_args {
    enum class target { building, committee, volunteers } kind = target::building;
    building_ref building;   ///< when kind == building
    bool confirmed = false;  ///< `绑定 … 确认`: a change the bot asked about (SPEC §8 item 6)
    /// `绑定 … webhook <key>`: the chat's group robot key, for WeCom's outbox (SPEC §9).
    std::string webhook_key{};
};
struct role_args {
    std::string member;  ///< as typed without a leading '@': "u-502a", "10001", "generic:u-1"
    role which = role::volunteer;
    /// `授权 @x 楼组长 3号楼,5号楼`: the buildings a lead acts on (empty: their own).
    std::vector<building_ref> buildings;
};
struct shop_args {
    std::string title;
    std::optional<time_of_day> until;
};
/// Commands that name a campaign take `2团` (or `第2团`) anywhere among their arguments.
struct item_args {
    std::string name;
    std::int64_t price_fen = 0;
    std::optional<std::int64_t> stock;
    std::optional<std::string> unit;
    std::optional<std::int64_t> limit_per_person;  ///< `限购 2`
    bool unlimited_stock = false;                  ///< `不限量`: the stock cap goes
    bool no_limit = false;                         ///< `不限购`: the per-household limit goes
    std::optional<std::int64_t> campaign;
};
struct order_line {
    std::string item;  ///< a name, name prefix, or item number as typed
    std::int64_t quantity = 1;
    std::optional<std::string> unit;
};
/// One numbered line of a pasted 接龙 relay list, e.g. `12. 3-502 鸡蛋2 大米1`.
struct relay_entry {
    std::int64_t number = 0;               ///< the line's number in the list
    std::optional<building_ref> building;  ///< when the line names an address
    std::string room;                      ///< digits, empty when the line names no address
    std::vector<order_line> lines;         ///< what the line orders; empty when unreadable
    std::string text;                      ///< the line after its number, normalised
};
/// How many lines of a pasted 接龙 list are read (SPEC §8 item 11): a building's list, not a
/// 60 KB paste read on the writer's time.
inline constexpr std::size_t max_relay_lines = 200;
struct order_args {
    std::vector<order_line> lines;
    /// A pasted 接龙 list, one entry per numbered line; `lines` is then empty.
    std::vector<relay_entry> relay;
    std::optional<std::int64_t> campaign;
    bool relay_cut = false;  ///< the list had more than max_relay_lines lines, not read
};
/// `代下单 3-502 [2团] 鸡蛋 2`: an order for a household, placed by staff.
struct orderfor_args {
    building_ref building;
    std::string room;
    std::vector<order_line> lines;
    std::optional<std::int64_t> campaign;
};
/// `菜单 [2]`, `截单 [2团]`, `汇总 [楼号] [2团]`, `配送单 <楼号> [2团]`.
struct campaign_args {
    std::optional<building_ref> building;
    std::optional<std::int64_t> campaign;
};
struct order_number_args {
    std::optional<std::int64_t> order;
};
struct building_opt_args {
    std::optional<building_ref> building;
};
struct delivered_args {
    std::optional<std::int64_t> order;
    std::optional<building_ref> building;
    std::optional<std::int64_t> campaign;
};
struct task_args {
    std::string title;
    when_spec when;
    std::int64_t slots = 0;
    std::optional<std::string> place;
    std::optional<std::string> note;  ///< `备注 …`
};
struct task_number_args {
    std::int64_t task = 0;
};
/// `揭榜 12`, `揭榜 12 13 15`, `揭榜 12-15`, or a title's shifts on one day: `揭榜 东门 11-29
/// 全天`.
struct claim_args {
    std::vector<std::int64_t> tasks;  ///< in the order typed, ranges expanded, no repeats
    std::string title;                ///< with `day`: every open shift of this title that day
    std::optional<day_ref> day;
};
/// `排班 东门,南门 11-29 08:00 至 11-30 08:00 每2小时 3人 [地点 …] [备注 …]`, or one day's
/// window as a range: `排班 东门 明天 08:00-次日08:00 每4小时 2人`.
struct rota_args {
    std::vector<std::string> gates;  ///< one task per gate and shift, titled by the gate
    when_spec from;                  ///< the first shift's day and start; `end` for a range
    std::optional<when_spec> to;     ///< `至 <day> <time>`: when the last shift ends
    std::int64_t shift_minutes = 0;
    std::int64_t slots = 0;
    std::optional<std::string> place;
    std::optional<std::string> note;
};
/// `换班 12 3-502`: a held shift offered to another volunteer (a member as in 授权).
struct swap_args {
    std::int64_t task = 0;
    std::string member;  ///< as typed without a leading '@'
};
/// `确认时长` lists ended shifts nobody checked out of; `确认时长 3 5-8` or `确认时长 东门 11-29`
/// credits them (the shifts named as 揭榜 names them).
struct confirm_args {
    std::optional<claim_args> shifts;
};
/// `补采 3-502 [3-601 …] [14:00] [地点 …]`: rooms called to a nucleic-acid re-test.
struct retest_args {
    std::vector<address> rooms;  ///< in the order typed, no repeats
    std::optional<when_spec> when;
    std::string place;
};
/// `任务 2`: which page of the list.
struct page_args {
    std::int64_t page = 1;
};
struct buildings_args {
    bool all = false;
    bool volunteers = false;  ///< `通知 志愿者 …`: the volunteers' chat, no building
    std::vector<building_ref> buildings;  ///< in the order typed; ranges `1-5` expanded
};
struct test_args {
    /// schedule a round; cancel or postpone one (`核酸 取消 2`, `核酸 推迟 2 30`; the only
    /// round in progress when no number is written); list the rounds in progress (`核酸 列表`)
    enum class action { schedule, cancel, postpone, list } what = action::schedule;
    buildings_args targets;
    when_spec when;
    std::string place;
    std::int64_t postpone_minutes = 0;
    std::optional<std::int64_t> round;  ///< for cancel and postpone: `#2`, `2`
    bool confirmed = false;             ///< `… 确认`: schedule despite another round that day
};
struct call_args {
    bool next = false;  ///< `叫号 下一栋`
    std::optional<building_ref> building;
};
struct antigen_args {
    enum class result { negative, positive, invalid } value = result::negative;
};
struct notice_args {
    buildings_args targets;
    std::optional<when_spec> at;  ///< `通知 明天 07:00 all …`
    std::string text;
    bool status = false;                 ///< `通知 状态 [N]` / `/notice status [N]`
    std::optional<std::int64_t> number;  ///< which notice, for status; latest when empty
};
struct template_args {
    enum class action { list, show, set, reset } what = action::list;
    std::string key;
    std::string text;  ///< for set: everything after `set`, verbatim
};
/// `楼栋 3号楼 18层 4户` (rooms 101…1804) or `楼栋 3号楼 房号 101 102 …`.
struct registry_args {
    building_ref building;
    std::vector<std::string> rooms;  ///< every room listed, in order, without repeats
};
/// `备注 3-502 独居老人`; an empty text (`备注 3-502 清除`) clears the note.
struct note_args {
    building_ref building;
    std::string room;
    std::string text;
};
/// `确认 王叔叔`, `拒绝 @10001`, `移出 3-502 王叔叔`: a member as typed (without a leading '@'),
/// after the room when one is written first.
struct member_args {
    std::optional<building_ref> building;  ///< when a room is written before the name
    std::string room;
    std::string member;  ///< empty: none named (确认 alone lists who waits)
};
struct no_args {};

using command_args =
    std::variant<no_args, help_args, register_args, bind_args, role_args, shop_args, item_args,
                 order_args, order_number_args, building_opt_args, delivered_args, task_args,
                 task_number_args, test_args, call_args, antigen_args, notice_args, template_args,
                 registry_args, note_args, member_args, orderfor_args, campaign_args, claim_args,
                 rota_args, page_args, swap_args, confirm_args, retest_args>;

/// A recognised command with its parsed arguments.
struct command {
    command_name name = command_name::help;
    std::string keyword;  ///< the name as the user typed it ("登记", "/register")
    command_args args;
};

/// A recognised command whose arguments did not parse.
struct usage_error {
    command_name name = command_name::help;
    std::string keyword;
    /// One of: missing_argument, bad_building, bad_room, bad_number, bad_price, bad_quantity,
    /// bad_time, bad_role, bad_result, bad_target, too_many_arguments.
    std::string reason;
    std::string token;  ///< the offending token as typed, empty when missing
};

/// `/word` that names no command.
struct unknown_command {
    std::string word;
};

/// Ordinary chat: the bot stays silent.
struct not_a_command {};

using parse_result = std::variant<not_a_command, unknown_command, usage_error, command>;

}  // namespace loudong::handlers
