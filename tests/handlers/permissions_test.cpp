// Issue #7, permissions: every command reserved to volunteers, leads or the committee is tried by
// everyone who lacks the role, and every command acting on a resident's own data is tried by
// others against resident A's; all are refused (or answer only for the sender) and nothing in the
// database changes. Each row also runs once for someone entitled to it, in the same state, so a
// row cannot pass because its command is malformed or has nothing to act on.
#include "handlers/access_rules.hpp"
#include "handlers/command_table.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <iterator>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <unistd.h>

#include <SQLiteCpp/Transaction.h>
#include <gtest/gtest.h>

#include "compound_fixture.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::handlers {
namespace {

// ---- the people of the compound ---------------------------------------------------------------

enum class who { stranger, resident_a, resident_b, volunteer, lead, committee };

struct person {
    const char* label;  ///< for failure messages
    const char* user;
    const char* name;
    const char* home_chat;
};

constexpr std::array<person, 6> people{{
    {"a stranger (in the chat, never registered)", "u-new", "路人甲", "bldg-7"},
    {"resident A (3-502)", "u-502a", "王阿姨", "bldg-3"},
    {"resident B (5-1201)", "u-1201", "张师傅", "bldg-5"},
    {"a volunteer (5-101)", "u-vol", "赵大哥", "bldg-5"},
    {"a building lead (3-301)", "u-lead", "刘姐", "bldg-3"},
    {"the committee", "u-admin", "陈主任", "committee"},
}};

const person& of(who w) {
    return people[static_cast<std::size_t>(w)];
}

// ---- the database, whole ----------------------------------------------------------------------

/// Rows of one table left out of a comparison: `where` is an SQL condition on them.
struct leave_out {
    std::string table;
    std::string where;
};

/// Every row of every table as text (column=value, NULL and text told apart), sorted per table.
using snapshot = std::map<std::string, std::vector<std::string>>;

snapshot take_snapshot(SQLite::Database& db, const std::vector<leave_out>& left_out) {
    std::vector<std::string> tables;
    SQLite::Statement list(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (list.executeStep()) {
        tables.push_back(list.getColumn(0).getString());
    }
    snapshot all;
    for (const auto& table : tables) {
        std::string sql = "SELECT * FROM \"" + table + "\"";
        for (const auto& l : left_out) {
            if (l.table == table) {
                sql += " WHERE NOT (" + l.where + ")";
            }
        }
        SQLite::Statement rows(db, sql);
        auto& texts = all[table];
        while (rows.executeStep()) {
            std::string text;
            for (int i = 0; i < rows.getColumnCount(); ++i) {
                const auto column = rows.getColumn(i);
                text += std::string(i ? ", " : "") + column.getName() + "=";
                text += column.isNull()   ? "NULL"
                        : column.isText() ? "'" + column.getString() + "'"
                                          : column.getString();
            }
            texts.push_back(std::move(text));
        }
        std::sort(texts.begin(), texts.end());
    }
    return all;
}

/// The rows one snapshot has and the other has not, "- table: row" / "+ table: row"; empty when
/// they are the same.
std::string differences(const snapshot& before, const snapshot& after) {
    std::set<std::string> tables;
    for (const auto& [table, rows] : before) {
        tables.insert(table);
    }
    for (const auto& [table, rows] : after) {
        tables.insert(table);
    }
    std::string out;
    const std::vector<std::string> none;
    for (const auto& table : tables) {
        const auto& old_rows = before.contains(table) ? before.at(table) : none;
        const auto& new_rows = after.contains(table) ? after.at(table) : none;
        std::vector<std::string> gone;
        std::vector<std::string> added;
        std::set_difference(old_rows.begin(), old_rows.end(), new_rows.begin(), new_rows.end(),
                            std::back_inserter(gone));
        std::set_difference(new_rows.begin(), new_rows.end(), old_rows.begin(), old_rows.end(),
                            std::back_inserter(added));
        for (const auto& row : gone) {
            out += "- " + table + ": " + row + "\n";
        }
        for (const auto& row : added) {
            out += "+ " + table + ": " + row + "\n";
        }
    }
    return out;
}

// ---- the tables -------------------------------------------------------------------------------

/// One form of a command reserved to a role, as someone with the role would really send it.
struct role_row {
    const char* chat;
    const char* text;
    audience who_may;     ///< SPEC §3, column "who"
    const char* success;  ///< in the reply when someone who may use it sends it
    bool changes;         ///< whether that success changes the database
    /// A committee line sent first when the success needs it (a new campaign needs the open one
    /// closed), and what its reply says.
    const char* prepare = nullptr;
    const char* prepared = nullptr;
};

void PrintTo(const role_row& row, std::ostream* os) {
    *os << row.text;
}

constexpr auto staff = audience::staff;
constexpr auto leads = audience::leads;
constexpr auto committee = audience::committee;

const role_row role_rows[] = {
    // volunteers, leads and the committee: the lists for packing and delivering
    {"vol", "汇总", staff, "【汇总】1团 华联超市：共2单，合计87.30元", false},
    {"vol", "汇总 3号楼", staff, "【汇总】1团 华联超市 3号楼：共1单", false},
    {"vol", "/summary", staff, "【汇总】1团 华联超市：共2单", false},
    {"vol", "/summary 5 1团", staff, "【汇总】华联超市 5号楼：共1单", false},
    {"vol", "配送单 3号楼", staff, "【3号楼待送】共1单\n1团 华联超市：\n502室 #1", false},
    {"vol", "/delivery 5", staff, "【5号楼待送】共1单\n1团 华联超市：\n1201室 #2", false},
    {"vol", "代下单 5-1201 鸡蛋 1", staff, "已为5-1201代下单，单号3：\n鸡蛋×1盒 15.80元", true},
    {"vol", "/orderfor 3-502 2团 苹果 2", staff, "已为3-502代下单，单号3（水果团）：\n苹果×2斤",
     true},
    {"vol", "送达 1", staff, "已标记1单送达，已通知住户。", true},
    {"vol", "送达 3号楼", staff, "已标记1单送达，已通知住户。", true},
    {"vol", "/delivered 2", staff, "已标记1单送达，已通知住户。", true},
    {"vol", "/delivered B5", staff, "已标记1单送达，已通知住户。", true},
    // leads and the committee: the shop, calling buildings down, who has not reported
    // (The lead runs 2团, which serves 3号楼; the committee's 1团 is not theirs to change.)
    {"bldg-3", "开团 蔬菜团 截单 20:00", leads, "已开团：3团 蔬菜团，4月28日 20:00截单，供3号楼",
     true},
    {"bldg-3", "/shop 蔬菜团 until 20:00", leads, "已开团：3团 蔬菜团", true},
    {"bldg-3", "#开团 蔬菜团", leads, "已开团：3团 蔬菜团", true},
    {"bldg-3", "上架 牛奶 6.5 100 盒", leads, "已上架 2. 牛奶 6.50元/盒，库存100。", true},
    {"bldg-3", "上架 苹果 12 40", leads, "已更新 1. 苹果：12.00元/斤，库存40（已卖0，剩40）", true},
    {"bldg-3", "上架 口罩 2 500 个 限购 10", leads, "每户限购10", true},
    {"bldg-3", "/item 2团 牛奶 6.5 100 盒", leads, "已上架 2. 牛奶", true},
    {"bldg-3", "截单", leads, "“水果团”已截单：共0单，合计0.00元", true},
    {"bldg-3", "#截单", leads, "“水果团”已截单", true},
    {"bldg-3", "/close 2团", leads, "“水果团”已截单", true},
    {"bldg-3", "叫号 3号楼", leads, "已叫3号楼（核酸 #1 第1栋/共2栋）", true},
    {"bldg-3", "叫号 下一栋", leads, "已叫3号楼（核酸 #1 第1栋/共2栋）。下一栋：5号楼。", true},
    {"bldg-3", "/call next", leads, "已叫3号楼", true},
    {"bldg-3", "/call 3", leads, "已叫3号楼（核酸 #1 第1栋/共2栋）", true},
    {"bldg-3", "补采 3-502 地点 2号门", leads, "补采（核酸 #1）", true},
    {"bldg-3", "/retest 3-502", leads, "✓ 3-502：已私信1人", true},
    {"bldg-3", "未报", leads, "今天未报抗原（1户）：\n3号楼：301", false},
    {"bldg-3", "未报 3号楼", leads, "今天未报抗原（1户）：\n3号楼：301", false},
    {"bldg-3", "/pending", leads, "3号楼：301", false},
    {"bldg-3", "/pending 3", leads, "3号楼：301", false},
    {"bldg-3", "备注 3-502 独居老人，需送上门", leads, "已记下3-502的备注：独居老人，需送上门",
     true},
    {"bldg-3", "/note 3-502 wheelchair", leads, "已记下3-502的备注：wheelchair", true},
    {"bldg-3", "移出 3-502", leads, "已把王阿姨移出3号楼502室。", true},
    {"bldg-3", "/remove 3-502 王阿姨", leads, "已把王阿姨移出3号楼502室。", true},
    // the console (SPEC §12): a login link, privately
    {"bldg-3", "控制台", leads, "控制台登录链接已私信发给你", true},
    {"bldg-3", "/console", leads, "控制台登录链接已私信发给你", true},
    {"bldg-3", "退出控制台", leads, "你没有登录着的控制台。", false},
    {"bldg-3", "/consolelogout", leads, "你没有登录着的控制台。", false},
    // the committee alone: chats, roles, tasks, test rounds, statistics, notices, templates
    {"bldg-7", "绑定 7号楼", committee, "本群已绑定为7号楼群。", true},
    {"bldg-7", "/bind 7", committee, "本群已绑定为7号楼群。", true},
    {"bldg-3", "绑定 5号楼 确认", committee, "本群已绑定为5号楼群。", true},
    {"bldg-3", "解绑", committee, "本群已解绑（原为3号楼群）", true},
    {"bldg-3", "/unbind", committee, "本群已解绑（原为3号楼群）", true},
    {"bldg-7", "绑定 居委会", committee, "本群已设为居委会工作群", true},
    {"bldg-7", "/bind committee", committee, "本群已设为居委会工作群", true},
    {"bldg-7", "绑定 志愿者", committee, "本群已设为志愿者群。", true},
    {"bldg-7", "/bind volunteers", committee, "本群已设为志愿者群。", true},
    {"bldg-5", "授权 u-1201 志愿者", committee, "已授予 张师傅（5号楼1201室）志愿者身份。", true},
    {"bldg-5", "授权 5-1201 楼组长", committee,
     "已授予 张师傅（5号楼1201室）楼组长身份（负责5号楼）。", true},
    {"bldg-5", "授权 u-1201 居委会", committee, "已授予 张师傅（5号楼1201室）居委会身份。", true},
    {"bldg-5", "@loudong 授权 @u-1201 居委会", committee, "居委会身份", true},
    {"bldg-5", "/grant u-1201 volunteer", committee, "志愿者身份", true},
    {"bldg-5", "/grant generic:u-1201 committee", committee, "居委会身份", true},
    {"bldg-5", "撤销 u-vol 志愿者", committee, "已撤销 赵大哥（5号楼101室）的志愿者身份。", true},
    {"bldg-3", "撤销 3-301 楼组长", committee, "已撤销 刘姐（3号楼301室）的楼组长身份。", true},
    {"bldg-3", "/revoke u-lead lead", committee, "的楼组长身份", true},
    {"bldg-5", "/revoke u-vol volunteer", committee, "的志愿者身份", true},
    {"vol", "发布任务 送菜 明天 09:00-11:00 3 地点 2号门", committee,
     "已发布任务 #3 送菜：4月29日 09:00-11:00，需3人，地点2号门。", true},
    {"vol", "发布任务 门岗值守 每天 08:00-12:00 2 至 5-1", committee,
     "已发布 门岗值守 4天（#3至#6）", true},
    {"vol", "/task 送菜 4-29 09:00-11:00 3 place 2号门", committee, "已发布任务 #3 送菜", true},
    {"vol", "排班 东门,南门 明天 08:00-12:00 每2小时 2人", committee,
     "已排班：东门、南门，4月29日 08:00至12:00，每2小时一班，每班2人，共4班。\n东门：#3-#4", true},
    {"vol", "/rota east tomorrow 22:00-次日02:00 every 2h 1", committee,
     "已排班：east，4月29日 22:00至4月30日 02:00，每2小时一班，每班1人，共2班。", true},
    {"vol", "确认时长", committee, "待确认", false},
    {"vol", "/confirmhours 1", committee, "没有可确认的班次：\n✗ #1 物资搬运", false},
    {"vol", "取消任务 2", committee, "已取消任务 #2 楼道消杀，正在通知1位报名的人。", true},
    {"vol", "/canceltask 2", committee, "已取消任务 #2", true},
    {"committee", "核酸 all 明天 07:00 小区广场 确认", committee, "【核酸安排 #2】4月29日 07:00起",
     true},
    {"committee", "核酸 3,5 4-30 08:00 2号门", committee, "【核酸安排 #2】4月30日 08:00起", true},
    {"committee", "/test all 4-30 08:00 广场", committee, "【核酸安排 #2】", true},
    {"committee", "核酸 推迟 30", committee, "已推迟，新安排：\n1. 3号楼 07:30", true},
    {"committee", "/test postpone 30", committee, "已推迟", true},
    {"committee", "核酸 取消", committee, "核酸安排 #1 已取消，已通知各楼。", true},
    {"committee", "/test cancel", committee, "核酸安排 #1 已取消", true},
    {"committee", "统计", committee, "已报2/4户，阳性0户", false},
    {"committee", "/stats", committee, "已报2/4户", false},
    {"committee", "通知 all 今晚8点全员核酸", committee, "通知 #2 正在发往2个楼栋群。", true},
    {"committee", "通知 3,5 明早停水", committee, "通知 #2 正在发往2个楼栋群。", true},
    {"committee", "通知 明天 07:00 all 核酸请带身份证", committee, "通知 #2 将于4月29日 07:00",
     true},
    {"committee", "/notice all water off tonight", committee, "通知 #2 正在发往", true},
    {"committee", "通知 状态 1", committee, "通知 #1：已送达0个群，失败0个，待发2个。", false},
    {"committee", "/notice status", committee, "通知 #1：", false},
    {"committee", "模板", committee, "\n登记和住户 39个*\n", false},
    {"committee", "/template", committee, "发“模板 组名”看一组", false},
    {"committee", "模板 order.placed", committee, "模板“下单成功”：", false},
    {"committee", "/template register.done", committee, "模板“登记成功”（已修改）", false},
    {"committee", "模板 register.done set 已登记{{building}}-{{room}}", committee,
     "模板“登记成功”已更新。", true},
    {"committee", "/template register.done set {{building}}-{{room}} ok", committee,
     "模板“登记成功”已更新。", true},
    {"committee", "模板 register.done 恢复", committee, "模板“登记成功”已恢复默认", true},
    {"committee", "/template register.done reset", committee, "已恢复默认", true},
    {"committee", "楼栋 7号楼 2层 2户", committee, "7号楼已登记房号101至202：新增4户，本楼共4户。",
     true},
    {"committee", "/building 3 rooms 301 502 601", committee, "新增3户，本楼共3户", true},
};

/// One command acting on the sender's own data (their household's orders, their claims, their
/// address, their room's report), sent by others while resident A has data of that kind.
struct own_data_row {
    const char* text;
    std::vector<who> others;  ///< who sends it in their own building's chat
    const char* answer;       ///< in every reply to them
    /// Whether the sender's own room's antigen report may change (their own report), and only it.
    bool own_report;
    const char* owner_answer;  ///< in resident A's reply to the same command
    bool owner_changes;        ///< whether A's own use changes the database
};

void PrintTo(const own_data_row& row, std::ostream* os) {
    *os << row.text;
}

// Neither A's name, nor A's room, nor the item only A ordered may reach anyone else.
constexpr std::array<const char*, 3> resident_a_traces{"王阿姨", "502", "大米"};

const std::vector<who> b_volunteer_lead{who::resident_b, who::volunteer, who::lead};

const own_data_row own_data_rows[] = {
    {"取消 1", b_volunteer_lead, "1号订单不是你家的，只有下单的住户或居委会可以取消。", false,
     "已取消1号订单（3-502，71.50元）。", true},
    {"/cancel 1", b_volunteer_lead, "1号订单不是你家的", false, "已取消1号订单", true},
    // B has an order of his own, which a bare 取消 rightly cancels: only those without one.
    {"取消", {who::volunteer, who::lead}, "你家没有可取消的订单。", false, "已取消1号订单", true},
    {"我的订单", b_volunteer_lead, "的订单：", false, "#1 鸡蛋×2 大米5kg×1 71.50元 待送", false},
    {"/myorders", b_volunteer_lead, "的订单：", false, "#1 鸡蛋×2 大米5kg×1", false},
    {"退出 1", b_volunteer_lead, "你没有报名 #1。", false, "已退出 #1 物资搬运。", true},
    {"/unclaim 1", b_volunteer_lead, "你没有报名 #1。", false, "已退出 #1", true},
    {"完成 1", b_volunteer_lead, "你没有报上 #1，不能签退。", false, "已签退 #1 物资搬运，", true},
    {"/done 1", b_volunteer_lead, "你没有报上 #1", false, "已签退 #1", true},
    {"签到 1", b_volunteer_lead, "你没有报上 #1，不能签到。", false, "已签到 #1 物资搬运", true},
    {"我的", b_volunteer_lead, "号楼", false, "王阿姨：3号楼502室", false},
    {"/me", b_volunteer_lead, "号楼", false, "王阿姨：3号楼502室", false},
    {"抗原 阴性", b_volunteer_lead, "今日已", true, "收到，3-502 今日已更新。", true},
    {"/antigen negative", b_volunteer_lead, "今日已", true, "收到，3-502 今日已更新。", true},
    // A pasted relay list with A's new line in it orders nothing for anyone else.
    {"接龙 华联超市\n1. 3-502 鸡蛋2", b_volunteer_lead, "接龙里没找到", false, "3-502 下单成功",
     true},
};

// ---- the compound -----------------------------------------------------------------------------

/// A database file of its own in the temp directory, removed with its WAL files afterwards.
class database_file {
protected:
    database_file()
        : path_((std::filesystem::temp_directory_path() /
                 ("loudong-permissions-" + std::to_string(::getpid()) + "-" +
                  std::to_string(++made_) + ".db"))
                    .string()) {
        remove();
    }
    ~database_file() { remove(); }

    void remove() {
        for (const auto* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(path_ + suffix);
        }
    }

    std::string path_;

private:
    static inline int made_ = 0;
};

/// The refusal SPEC §3 asks for, naming who may use the command, as the shipped templates say it.
std::string refusal(std::string_view text, audience who_may) {
    while (text.starts_with('@')) {
        text.remove_prefix(text.find(' ') + 1);
    }
    if (text.starts_with('#')) {
        text.remove_prefix(1);
    }
    const auto keyword = std::string(text.substr(0, text.find_first_of(" \n")));
    const char* whom = who_may == audience::staff   ? "志愿者、楼组长或居委会"
                       : who_may == audience::leads ? "楼组长或居委会"
                                                    : "居委会";
    return "抱歉，“" + keyword + "”仅限" + whom + "使用。";
}

/// Who lacks the role a command needs: each of them is tried.
std::vector<who> refused_for(audience who_may) {
    std::vector<who> refused{who::stranger, who::resident_a, who::resident_b};
    if (who_may == audience::leads || who_may == audience::committee) {
        refused.push_back(who::volunteer);
    }
    if (who_may == audience::committee) {
        refused.push_back(who::lead);
    }
    return refused;
}

/// The least of those who may use a command: the positive control.
who allowed_for(audience who_may) {
    return who_may == audience::staff   ? who::volunteer
           : who_may == audience::leads ? who::lead
                                        : who::committee;
}

class Permissions : protected database_file, public testing::compound {
protected:
    explicit Permissions(settings config = testing::compound::make_settings(),
                         std::string stranger_answer = "未登记")
        : compound(path_, std::move(config)), stranger_answer_(std::move(stranger_answer)) {
        // What is compared here is content, not durability: no fsync on every commit.
        db_.connection().exec("PRAGMA synchronous = NORMAL");
    }

    /// What one message did: its reply, what it queued, and how the database differs
    /// ("- table: row" / "+ table: row"), empty when nothing changed.
    struct delivery {
        std::string reply;
        int queued = 0;
        std::string changes;
    };

    /// Builds the compound through the real commands, each checked, starting 06:53 and ending
    /// at 07:30 on 28 April, with task #1 under way.
    void SetUp() override {
        struct step {
            const char* chat;
            who from;
            const char* text;
            const char* answer;
        };
        const step steps[] = {
            {"committee", who::committee, "/bind committee", "居委会工作群"},
            {"vol", who::committee, "绑定 志愿者", "志愿者群"},
            {"bldg-3", who::committee, "绑定 3号楼", "3号楼群"},
            {"bldg-5", who::committee, "绑定 5号楼", "5号楼群"},
            {"bldg-3", who::resident_a, "登记 3-502", "3号楼502室"},
            {"bldg-5", who::resident_b, "登记 5号楼 1201", "5号楼1201室"},
            {"bldg-3", who::lead, "登记 3-301", "3号楼301室"},
            {"bldg-5", who::volunteer, "登记 5-101", "5号楼101室"},
            // Someone in an unbound chat who has never registered.
            {"bldg-7", who::stranger, "我的", stranger_answer_.c_str()},
            {"committee", who::committee, "授权 u-lead 楼组长", "已授予"},
            {"committee", who::committee, "授权 u-vol 志愿者", "已授予"},
            {"committee", who::committee, "模板 register.done set {{building}}-{{room}} 登记好了",
             "已更新"},
            {"committee", who::committee, "开团 华联超市 截单 18:00", "已开团"},
            {"committee", who::committee, "上架 鸡蛋 15.8 200 盒", "已上架 1."},
            {"committee", who::committee, "上架 大米5kg 39.9 80 袋 限购 1", "已上架 2."},
            {"bldg-3", who::resident_a, "下单 鸡蛋 2 大米5kg 1", "单号1"},
            {"bldg-5", who::resident_b, "下单 鸡蛋 1", "单号2"},
            // The lead's own campaign beside the committee's: it serves 3号楼 only.
            {"bldg-3", who::lead, "开团 水果团", "已开团：2团 水果团，供3号楼"},
            {"bldg-3", who::lead, "上架 苹果 10 50 斤", "已上架 1. 苹果"},
            {"vol", who::committee, "发布任务 物资搬运 今天 07:00-09:00 4 地点 1号门", "#1"},
            {"vol", who::committee, "发布任务 楼道消杀 明天 14:00-16:00 2", "#2"},
            {"vol", who::resident_a, "揭榜 1", "报名成功"},
            {"vol", who::volunteer, "揭榜 2", "报名成功"},
            {"committee", who::committee, "核酸 3,5 明天 07:00 小区广场", "核酸安排 #1"},
            {"committee", who::committee, "通知 all 今晚8点全员核酸", "通知 #1"},
            {"bldg-3", who::resident_a, "抗原 阴性", "今日已报"},
            {"bldg-5", who::volunteer, "抗原 阴性", "今日已报"},
        };
        for (const auto& s : steps) {
            const auto answer = deliver(s.from, s.chat, s.text, "setup-" + std::to_string(++sent_));
            ASSERT_NE(answer.reply.find(s.answer), std::string::npos)
                << s.text << " → " << answer.reply;
        }
        now_ = 1651102200;  // 07:30: task #1 (07:00-09:00) has begun, the shop is open till 18:00
    }

    /// Sends one message as the platform would, in a transaction of its own as the writer does.
    delivery deliver(who from, const std::string& chat, const std::string& text,
                     const std::string& message_id) {
        return deliver_as(of(from).user, of(from).name, chat, text, message_id);
    }

    delivery deliver_as(const std::string& user, const std::string& name, const std::string& chat,
                        const std::string& text, const std::string& message_id) {
        SQLite::Transaction transaction(db_.connection());
        const auto outcome = send(chat, user, text, name, message_id);
        transaction.commit();
        return {join(outcome.replies), outcome.queued, ""};
    }

    /// Sends one message and compares every table before and after it. Left out: the record
    /// of this very message in processed_messages, which the dispatcher writes for every
    /// command, refused or not, so that a platform's retry gets the same reply (SPEC §2,
    /// idempotency) — checked to be there, and to be the only row left out of that table;
    /// and whatever `also` names. Senders and chats are all known from the set-up and send
    /// their usual names, so touching them changes nothing.
    delivery deliver_and_compare(who from, const std::string& chat, const std::string& text,
                                 std::vector<leave_out> also = {}) {
        return deliver_and_compare_as(of(from).user, of(from).name, chat, text, std::move(also));
    }

    delivery deliver_and_compare_as(const std::string& user, const std::string& name,
                                    const std::string& chat, const std::string& text,
                                    std::vector<leave_out> also = {}) {
        const auto id = "perm-" + std::to_string(++sent_);
        const auto before = take_snapshot(db_.connection(), also);
        auto result = deliver_as(user, name, chat, text, id);
        also.push_back({"processed_messages", "message_id = '" + id + "'"});
        result.changes = differences(before, take_snapshot(db_.connection(), also));
        EXPECT_EQ(count("SELECT COUNT(*) FROM processed_messages WHERE message_id = '" + id + "'"),
                  1);
        return result;
    }

    std::string stranger_answer_;
    int sent_ = 0;
};

// ---- role-only commands -----------------------------------------------------------------------

class RoleOnlyCommand : public Permissions, public ::testing::WithParamInterface<role_row> {};

TEST_P(RoleOnlyCommand, IsRefusedToEveryoneWithoutTheRoleAndChangesNothing) {
    const auto& row = GetParam();
    if (row.prepare) {
        const auto prepared = deliver_and_compare(who::committee, "committee", row.prepare);
        ASSERT_NE(prepared.reply.find(row.prepared), std::string::npos) << prepared.reply;
    }
    for (const auto sender : refused_for(row.who_may)) {
        SCOPED_TRACE(std::string(row.text) + " — sent by " + of(sender).label);
        const auto sent = deliver_and_compare(sender, row.chat, row.text);
        EXPECT_EQ(sent.reply, refusal(row.text, row.who_may));
        EXPECT_EQ(sent.queued, 0);
        EXPECT_EQ(sent.changes, "");
    }
    // The positive control: the same message in the same state, from someone who may.
    const auto sender = allowed_for(row.who_may);
    SCOPED_TRACE(std::string(row.text) + " — sent by " + of(sender).label);
    const auto sent = deliver_and_compare(sender, row.chat, row.text);
    EXPECT_NE(sent.reply.find(row.success), std::string::npos) << sent.reply;
    EXPECT_EQ(!sent.changes.empty(), row.changes) << sent.changes;
}

/// A row's test name: the command's English name, the form (en: slash, zh: Chinese) and its
/// place in the table, e.g. "delivered_zh_6".
template <typename Row>
std::string test_name(const ::testing::TestParamInfo<Row>& row) {
    const std::string_view text = row.param.text;
    const auto parsed = parse_command(text);
    const auto* cmd = std::get_if<command>(&parsed);
    const std::string name = cmd ? std::string(english_name(cmd->name)) : "unparsed";
    return name + (text.starts_with('/') ? "_en_" : "_zh_") + std::to_string(row.index);
}

INSTANTIATE_TEST_SUITE_P(Table, RoleOnlyCommand, ::testing::ValuesIn(role_rows),
                         test_name<role_row>);

TEST(PermissionTable, NamesEveryRoleOnlyCommandInChineseAndEnglishWithItsAudience) {
    std::map<command_name, std::set<bool>> forms;  // per command, the forms seen: slash or not
    for (const auto& row : role_rows) {
        const auto parsed = parse_command(row.text);
        // A usage error is answered before permissions are looked at: such a row proves nothing.
        const auto* cmd = std::get_if<command>(&parsed);
        ASSERT_NE(cmd, nullptr) << row.text;
        EXPECT_EQ(audience_of(cmd->name), row.who_may) << row.text;
        forms[cmd->name].insert(std::string_view(row.text).starts_with('/'));
    }
    for (const auto& row : command_handlers()) {
        const auto name = row.name;
        const auto who_may = row.who;
        if (who_may == audience::everyone || who_may == audience::residents) {
            continue;
        }
        EXPECT_EQ(forms[name].size(), 2u) << english_name(name);
    }
}

// ---- one resident's own data ------------------------------------------------------------------

class OwnDataCommand : public Permissions, public ::testing::WithParamInterface<own_data_row> {};

TEST_P(OwnDataCommand, AnswersOthersOnlyAboutThemselvesAndLeavesResidentAAlone) {
    const auto& row = GetParam();
    for (const auto sender : row.others) {
        SCOPED_TRACE(std::string(row.text) + " — sent by " + of(sender).label);
        std::vector<leave_out> own;
        if (row.own_report) {
            const auto me = *dispatcher_.store().members.find("generic", of(sender).user);
            own.push_back({"antigen_reports",
                           "building = '" + *me.building + "' AND room = '" + *me.room + "'"});
            own.push_back({"antigen_history", "member_id = " + std::to_string(me.id)});
            // A report sent in a group asks its sender, privately, to report privately.
            own.push_back({"members", "id = " + std::to_string(me.id)});
            own.push_back({"outbox", "chat_id = '" + me.user_id + "' AND is_private = 1"});
        }
        const auto sent = deliver_and_compare(sender, of(sender).home_chat, row.text, own);
        EXPECT_NE(sent.reply.find(row.answer), std::string::npos) << sent.reply;
        for (const auto* trace : resident_a_traces) {
            EXPECT_EQ(sent.reply.find(trace), std::string::npos) << trace << " in " << sent.reply;
        }
        EXPECT_LE(sent.queued, row.own_report ? 1 : 0);  // at most their own hint
        EXPECT_EQ(sent.changes, "");
    }
    // The positive control: resident A's own use of the same command.
    SCOPED_TRACE(std::string(row.text) + " — sent by " + of(who::resident_a).label);
    const auto sent = deliver_and_compare(who::resident_a, "bldg-3", row.text);
    EXPECT_NE(sent.reply.find(row.owner_answer), std::string::npos) << sent.reply;
    EXPECT_EQ(!sent.changes.empty(), row.owner_changes) << sent.changes;
}

INSTANTIATE_TEST_SUITE_P(Table, OwnDataCommand, ::testing::ValuesIn(own_data_rows),
                         test_name<own_data_row>);

// ---- another compound ---------------------------------------------------------------------------

// Issue 13: the same compound, and beside it 古美九村 with its own committee, chats, households,
// group buy, task, test round and notice. Every role-only command of one compound's committee,
// sent in the other compound's chats, is refused and changes nothing there or anywhere; so is
// every command on a household's own data that resident A sends there.
settings two_compounds() {
    auto s = testing::compound::make_settings();
    s.compounds.emplace("gumei9", compound_settings{"古美九村", {"generic:g-admin"}});
    return s;
}

/// The other compound's chat that stands where a row's chat stands in this one.
std::string other_chat(const std::string& chat) {
    return chat == "committee" ? "g-committee"
           : chat == "vol"     ? "g-vol"
                               : "g-" + chat.substr(chat.find('-') + 1);
}

class CrossCompound : public Permissions {
protected:
    // With two compounds an unbound chat belongs to none: the stranger there is told so.
    CrossCompound() : Permissions(two_compounds(), "本群还没有绑定小区") {}

    delivery from_gumei(const std::string& user, const std::string& chat, const std::string& text) {
        return deliver_as(user, user == "g-admin" ? "古美主任" : "古美住户", chat, text,
                          "g-setup-" + std::to_string(++sent_));
    }

    void SetUp() override {
        Permissions::SetUp();
        if (HasFatalFailure()) {
            return;
        }
        const std::pair<const char*, const char*> steps[] = {
            {"g-committee", "绑定 居委会"},
            {"g-vol", "绑定 志愿者"},
            {"g-3", "绑定 3号楼"},
            {"g-5", "绑定 5号楼"},
            {"g-7", "绑定 7号楼"},
            {"g-committee", "开团 古美团购"},
            {"g-committee", "上架 鸡蛋 12 100 盒"},
            {"g-vol", "发布任务 值守 明天 08:00-10:00 2"},
            {"g-committee", "核酸 3,5 明天 07:00 广场"},
            {"g-committee", "通知 all 古美通知"},
        };
        for (const auto& [chat, text] : steps) {
            const auto sent = from_gumei("g-admin", chat, text);
            ASSERT_EQ(sent.reply.find("抱歉"), std::string::npos) << text << " → " << sent.reply;
        }
        ASSERT_NE(from_gumei("g-502", "g-3", "登记 3-502").reply.find("已登记"), std::string::npos);
        ASSERT_NE(from_gumei("g-1201", "g-5", "登记 5-1201").reply.find("已登记"),
                  std::string::npos);
        ASSERT_NE(from_gumei("g-502", "g-3", "下单 鸡蛋 1").reply.find("单号1"), std::string::npos);
    }
};

class CrossCompoundRoleCommand : public CrossCompound,
                                 public ::testing::WithParamInterface<role_row> {};

TEST_P(CrossCompoundRoleCommand, IsRefusedToTheOtherCompoundsCommitteeAndChangesNothing) {
    const auto& row = GetParam();
    struct attempt {
        const char* user;
        const char* name;  ///< as in the set-up, so touching the sender changes nothing
        std::string chat;
    };
    const attempt attempts[] = {{"u-admin", "陈主任", other_chat(row.chat)},
                                {"g-admin", "古美主任", row.chat}};
    for (const auto& a : attempts) {
        // bldg-7 is bound in neither compound: binding it is open to any committee (SPEC §7).
        if (a.chat == "bldg-7") {
            continue;
        }
        SCOPED_TRACE(std::string(row.text) + " — sent by " + a.user + " in " + a.chat);
        const auto sent = deliver_and_compare_as(a.user, a.name, a.chat, row.text);
        EXPECT_EQ(sent.reply, refusal(row.text, row.who_may));
        EXPECT_EQ(sent.queued, 0);
        EXPECT_EQ(sent.changes, "");
    }
}

INSTANTIATE_TEST_SUITE_P(Table, CrossCompoundRoleCommand, ::testing::ValuesIn(role_rows),
                         test_name<role_row>);

class CrossCompoundOwnData : public CrossCompound,
                             public ::testing::WithParamInterface<own_data_row> {};

TEST_P(CrossCompoundOwnData, ChangesNothingWhenSentInTheOtherCompound) {
    const auto& row = GetParam();
    const auto sent = deliver_and_compare_as("u-502a", "王阿姨", "g-3", row.text);
    EXPECT_EQ(sent.queued, 0);
    EXPECT_EQ(sent.changes, "");
    for (const auto* trace : {"古美", "鸡蛋×1"}) {
        EXPECT_EQ(sent.reply.find(trace), std::string::npos) << trace << " in " << sent.reply;
    }
}

INSTANTIATE_TEST_SUITE_P(Table, CrossCompoundOwnData, ::testing::ValuesIn(own_data_rows),
                         test_name<own_data_row>);

}  // namespace
}  // namespace loudong::handlers
