#include "bot/config.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <date/tz.h>

namespace loudong::bot {
namespace {

using json = nlohmann::json;
using setter = std::function<void(const json&, const std::string&)>;

[[noreturn]] void wrong_type(const std::string& key, const char* expected) {
    throw config_error("config key \"" + key + "\" must be " + expected);
}

setter text(std::string& target) {
    return [&target](const json& value, const std::string& key) {
        if (!value.is_string()) {
            wrong_type(key, "a string");
        }
        target = value.get<std::string>();
    };
}

template <typename Number>
setter number(Number& target) {
    return [&target](const json& value, const std::string& key) {
        if (!value.is_number_integer()) {
            wrong_type(key, "a whole number");
        }
        target = value.get<Number>();
    };
}

setter boolean(bool& target) {
    return [&target](const json& value, const std::string& key) {
        if (!value.is_boolean()) {
            wrong_type(key, "true or false");
        }
        target = value.get<bool>();
    };
}

setter text_list(std::vector<std::string>& target) {
    return [&target](const json& value, const std::string& key) {
        if (!value.is_array()) {
            wrong_type(key, "a list of strings");
        }
        target.clear();
        for (const auto& item : value) {
            if (!item.is_string()) {
                wrong_type(key, "a list of strings");
            }
            target.push_back(item.get<std::string>());
        }
    };
}

void apply_object(const json& object, const std::string& prefix,
                  const std::map<std::string, setter>& keys) {
    if (!object.is_object()) {
        wrong_type(prefix.empty() ? "(top level)" : prefix, "an object");
    }
    for (const auto& [key, value] : object.items()) {
        const auto full = prefix.empty() ? key : prefix + "." + key;
        const auto found = keys.find(key);
        if (found == keys.end()) {
            throw config_error("unknown config key \"" + full + "\"");
        }
        found->second(value, full);
    }
}

setter section(std::map<std::string, setter> keys) {
    return [keys = std::move(keys)](const json& value, const std::string& key) {
        apply_object(value, key, keys);
    };
}

// A platform's section: being there turns the platform on.
setter platform_section(bool& enabled, std::map<std::string, setter> keys) {
    return [&enabled, keys = std::move(keys)](const json& value, const std::string& key) {
        apply_object(value, key, keys);
        enabled = true;
    };
}

// "compounds": {"zijing": {"name": "紫荆小区", "committee": [...]}, …}
setter compound_map(std::map<std::string, compound_config>& target) {
    return [&target](const json& value, const std::string& key) {
        if (!value.is_object()) {
            wrong_type(key, "an object of compound ids");
        }
        target.clear();
        for (const auto& [id, body] : value.items()) {
            auto& compound = target[id];
            apply_object(
                body, key + "." + id,
                {{"name", text(compound.name)}, {"committee", text_list(compound.committee)}});
        }
    };
}

bool is_compound_id(const std::string& id) {
    // Ids go into URLs, CSV file names and the command line: plain ASCII words.
    return !id.empty() && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return std::isalnum(c) != 0 || c == '-' || c == '_';
    });
}

void check_members(const std::vector<std::string>& members, const std::string& key) {
    for (const auto& member : members) {
        const auto colon = member.find(':');
        const auto platform = member.substr(0, colon);
        if (colon == std::string::npos || colon + 1 == member.size() ||
            (platform != "generic" && platform != "onebot" && platform != "telegram" &&
             platform != "qq" && platform != "wecom")) {
            throw config_error("config key \"" + key + "\": \"" + member +
                               "\" must be platform:user, e.g. generic:u-admin");
        }
    }
}

setter rate(rate_limits& target) {
    return section({{"per_chat_interval_ms", number(target.per_chat_interval_ms)},
                    {"per_chat_per_minute", number(target.per_chat_per_minute)},
                    {"global_per_second", number(target.global_per_second)}});
}

bool is_clock_time(const std::string& text) {
    int hours = 0;
    int minutes = 0;
    char colon = 0;
    std::istringstream in(text);
    return (in >> hours >> colon >> minutes) && in.eof() && colon == ':' && hours >= 0 &&
           hours < 24 && minutes >= 0 && minutes < 60;
}

}  // namespace

void config::apply(const json& file) {
    apply_object(
        file, "",
        {{"listen", text(listen)},
         {"port", number(port)},
         {"threads", number(threads)},
         {"db", text(db)},
         {"timezone", text(timezone)},
         {"locale", text(locale)},
         {"body_limit", number(body_limit)},
         {"admin_token", text(admin_token)},
         {"public_url", text(public_url)},
         {"committee", text_list(committee)},
         {"compounds", compound_map(compounds)},
         {"street", text_list(street)},
         {"generic", section({{"secret", text(generic.secret)},
                              {"outbound_url", text(generic.outbound_url)},
                              {"rate", rate(generic.rate)}})},
         {"onebot", platform_section(onebot.enabled, {{"secret", text(onebot.secret)},
                                                      {"unsigned", boolean(onebot.allow_unsigned)},
                                                      {"api_url", text(onebot.api_url)},
                                                      {"access_token", text(onebot.access_token)},
                                                      {"self_id", text(onebot.self_id)},
                                                      {"reply", text(onebot.reply)},
                                                      {"rate", rate(onebot.rate)}})},
         {"telegram",
          platform_section(telegram.enabled, {{"secret_token", text(telegram.secret_token)},
                                              {"unsigned", boolean(telegram.allow_unsigned)},
                                              {"api_base", text(telegram.api_base)},
                                              {"bot_token", text(telegram.bot_token)},
                                              {"bot_username", text(telegram.bot_username)},
                                              {"rate", rate(telegram.rate)}})},
         {"qq", platform_section(qq.enabled, {{"app_id", text(qq.app_id)},
                                              {"secret", text(qq.secret)},
                                              {"api_base", text(qq.api_base)},
                                              {"token_url", text(qq.token_url)},
                                              {"rate", rate(qq.rate)}})},
         {"wecom",
          platform_section(wecom.enabled, {{"token", text(wecom.token)},
                                           {"encoding_aes_key", text(wecom.encoding_aes_key)},
                                           {"webhook_base", text(wecom.webhook_base)},
                                           {"rate", rate(wecom.rate)}})},
         {"reminders",
          section({{"task_lead_minutes", number(reminders.task_lead_minutes)},
                   {"antigen_daily", text(reminders.antigen_daily)},
                   {"antigen_pending", text(reminders.antigen_pending)},
                   {"test_call_interval_minutes", number(reminders.test_call_interval_minutes)}})},
         {"floods", section({{"member_per_minute", number(floods.member_per_minute)},
                             {"staff_per_minute", number(floods.staff_per_minute)}})}});
}

std::map<std::string, compound_config> config::effective_compounds() const {
    if (!compounds.empty()) {
        return compounds;
    }
    return {{"default", compound_config{"本小区", committee}}};
}

void config::apply_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw config_error("cannot read config file \"" + path + "\"");
    }
    json parsed;
    try {
        parsed = json::parse(in);
    } catch (const json::parse_error& e) {
        throw config_error("config file \"" + path + "\" is not valid JSON: " + e.what());
    }
    apply(parsed);
}

void config::validate() const {
    if (port < 0 || port > 65535) {
        throw config_error("config key \"port\" must be 0-65535");
    }
    if (threads < 1 || threads > 64) {
        throw config_error("config key \"threads\" must be 1-64");
    }
    if (body_limit < 1024 || body_limit > 64 * 1024 * 1024) {
        throw config_error("config key \"body_limit\" must be 1024-67108864 bytes");
    }
    if (locale != "zh-CN" && locale != "en") {
        throw config_error("config key \"locale\" must be \"zh-CN\" or \"en\"");
    }
    try {
        date::locate_zone(timezone);
    } catch (const std::exception&) {
        throw config_error("config key \"timezone\": unknown time zone \"" + timezone + "\"");
    }
    check_members(committee, "committee");
    check_members(street, "street");
    if (!compounds.empty() && !committee.empty()) {
        throw config_error(
            "config key \"committee\": with \"compounds\", each compound lists its own "
            "committee (compounds.<id>.committee); street staff go in \"street\"");
    }
    std::set<std::string> names;
    for (const auto& [id, compound] : compounds) {
        const auto key = "compounds." + id;
        if (!is_compound_id(id)) {
            throw config_error("config key \"" + key +
                               "\": an id is 1-32 letters, digits, - or _, e.g. zijing");
        }
        if (compound.name.empty()) {
            throw config_error("config key \"" + key + ".name\" must name the compound");
        }
        if (!names.insert(compound.name).second) {
            throw config_error("config key \"" + key + ".name\": \"" + compound.name +
                               "\" names two compounds");
        }
        check_members(compound.committee, key + ".committee");
    }
    if (!is_clock_time(reminders.antigen_daily)) {
        throw config_error("config key \"reminders.antigen_daily\" must be HH:MM");
    }
    if (!is_clock_time(reminders.antigen_pending)) {
        throw config_error("config key \"reminders.antigen_pending\" must be HH:MM");
    }
    for (const auto* limits :
         {&generic.rate, &onebot.rate, &telegram.rate, &qq.rate, &wecom.rate}) {
        if (limits->per_chat_interval_ms < 0 || limits->per_chat_per_minute < 1 ||
            limits->global_per_second < 1) {
            throw config_error("config key \"rate\": limits must be positive");
        }
    }
    if (floods.member_per_minute < 0 || floods.staff_per_minute < 0) {
        throw config_error("config key \"floods\": limits must be 0 (none) or more");
    }
    if (reminders.task_lead_minutes < 0 || reminders.test_call_interval_minutes < 1 ||
        reminders.stale_after_minutes < 1) {
        throw config_error("config key \"reminders\": minutes must be positive");
    }
    // An unsigned webhook lets anyone who reaches it act as anyone, the committee included
    // (a committee member's QQ number is visible in every group).
    if (onebot.enabled && onebot.secret.empty() && !onebot.allow_unsigned) {
        throw config_error(
            "config key \"onebot.secret\" is empty: anyone who reaches /hook/onebot could act as "
            "any QQ number, the committee's too. Set the secret your OneBot implementation signs "
            "with, or add \"unsigned\": true to the onebot section to run without one");
    }
    if (telegram.enabled && telegram.secret_token.empty() && !telegram.allow_unsigned) {
        throw config_error(
            "config key \"telegram.secret_token\" is empty: anyone who reaches /hook/telegram "
            "could act as any Telegram user. Set the secret_token given to setWebhook, or add "
            "\"unsigned\": true to the telegram section to run without one");
    }
    if (onebot.reply != "quick" && onebot.reply != "api") {
        throw config_error("config key \"onebot.reply\" must be \"quick\" or \"api\"");
    }
    if (!public_url.empty() &&
        ((!public_url.starts_with("https://") && !public_url.starts_with("http://")) ||
         public_url.ends_with("/"))) {
        throw config_error(
            "config key \"public_url\" must be http(s)://host[:port][/path] without a "
            "trailing slash");
    }
    if (onebot.enabled && onebot.reply == "api" && onebot.api_url.empty()) {
        throw config_error(
            "config key \"onebot.api_url\" is empty: with \"reply\": \"api\" every answer goes "
            "through the OneBot HTTP API");
    }
    // QQ signs every event with a key made from the bot secret, and the secret fetches the
    // token that sends: without both the section can do nothing.
    if (qq.enabled && (qq.app_id.empty() || qq.secret.empty())) {
        throw config_error(
            "config key \"qq.app_id\" and \"qq.secret\" must both be set: they are the bot's "
            "AppID and AppSecret from q.qq.com (开发设置)");
    }
    // Every callback is signed with the token and encrypted with the key.
    if (wecom.enabled && (wecom.token.empty() || wecom.encoding_aes_key.size() != 43)) {
        throw config_error(
            "config key \"wecom.token\" and \"wecom.encoding_aes_key\" (43 characters) must both "
            "be set: they are the AI bot's Token and EncodingAESKey (API 模式)");
    }
}

bool config::listens_locally() const {
    return listen == "localhost" || listen == "::1" || listen.starts_with("127.");
}

std::vector<endpoint_note> config::endpoints() const {
    std::vector<endpoint_note> notes;
    if (!generic.secret.empty()) {
        notes.push_back({"/hook/generic", "HMAC-SHA256 signature (X-Loudong-Signature)"});
    } else if (listens_locally()) {
        notes.push_back({"/hook/generic", "unsigned, served because listen " + listen +
                                              " is reachable from this machine only"});
    } else {
        notes.push_back({"/hook/generic", "not served: listen " + listen +
                                              " is not loopback and generic.secret is empty"});
    }
    if (!onebot.enabled) {
        notes.push_back({"/hook/onebot", "not served: no onebot section"});
    } else if (onebot.secret.empty()) {
        notes.push_back({"/hook/onebot",
                         "UNSIGNED (\"unsigned\": true): anyone who reaches it can act as any "
                         "QQ number",
                         true});
    } else {
        notes.push_back({"/hook/onebot", "HMAC-SHA1 signature (X-Signature)"});
    }
    if (!telegram.enabled) {
        notes.push_back({"/hook/telegram", "not served: no telegram section"});
    } else if (telegram.secret_token.empty()) {
        notes.push_back({"/hook/telegram",
                         "UNSIGNED (\"unsigned\": true): anyone who reaches it can act as any "
                         "Telegram user",
                         true});
    } else {
        notes.push_back({"/hook/telegram", "secret token (X-Telegram-Bot-Api-Secret-Token)"});
    }
    if (!qq.enabled) {
        notes.push_back({"/hook/qq", "not served: no qq section"});
    } else {
        notes.push_back({"/hook/qq", "Ed25519 signature (X-Signature-Ed25519) by qq.secret"});
    }
    if (!wecom.enabled) {
        notes.push_back({"/hook/wecom", "not served: no wecom section"});
    } else {
        notes.push_back(
            {"/hook/wecom", "SHA-1 msg_signature by wecom.token, AES by wecom.encoding_aes_key"});
    }
    notes.push_back({"/export/orders.csv", admin_token.empty()
                                               ? "off: admin_token is empty"
                                               : "Authorization: Bearer admin_token"});
    notes.push_back({"/console", public_url.empty()
                                     ? "off: public_url is empty"
                                     : "session cookie from a one-time link (控制台 in a chat)"});
    notes.push_back({"/healthz, /metrics", "open (no personal data)"});
    return notes;
}

}  // namespace loudong::bot
