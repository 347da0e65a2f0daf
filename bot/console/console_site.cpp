#include "bot/console/console_site.hpp"

#include <array>
#include <memory>

#include <spdlog/spdlog.h>

#include "bot/console/console_form.hpp"
#include "bot/http/request_handler.hpp"
#include "bot/platforms/platform.hpp"
#include "bot/platforms/signature.hpp"
#include "handlers/parser/command_parser.hpp"
#include "handlers/parser/registry_csv.hpp"
#include "handlers/registry.hpp"
#include "storage/console_repository.hpp"
#include "templates/console_files.hpp"
#include "templates/renderer.hpp"

namespace loudong::bot {
namespace {

using json = nlohmann::json;

// The labels page's one script, its print button (`onclick="window.print()"`), is allowed by
// its hash; nothing else runs.
constexpr std::string_view content_policy =
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; script-src 'unsafe-hashes' "
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='";

// The most a console form may carry: a registry CSV of a big compound.
constexpr std::size_t max_form_bytes = 512 * 1024;

// The commands a console form may send: what the pages offer. Anything else belongs in a chat.
constexpr std::array console_commands{
    handlers::command_name::approve,   handlers::command_name::reject,
    handlers::command_name::note,      handlers::command_name::notice,
    handlers::command_name::remove,    handlers::command_name::template_text,
    handlers::command_name::delivered, handlers::command_name::close};

response html_response(const request& req, http::status status, std::string body) {
    auto res = make_response(req, status, std::move(body), "text/html; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set("Content-Security-Policy", content_policy);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    // The login link carries its token: no URL of the console goes to another site. (Not
    // no-referrer: then a browser posts the console's own forms with Origin: null.)
    res.set("Referrer-Policy", "same-origin");
    return res;
}

std::string file_text(std::string_view name) {
    return std::string(templates::console_files().at(name));
}

// A page of one sentence: a refusal, a result, or the login's next step.
response message_page(const request& req, http::status status, const std::string& title,
                      const std::string& text, json extra = json::object()) {
    json vars = {{"title", title}, {"text", text}, {"refused", static_cast<int>(status) >= 400}};
    vars.update(extra);
    return html_response(req, status,
                         templates::renderer::render_html(file_text("message.html"), vars));
}

response not_logged_in(const request& req) {
    return message_page(
        req, http::status::unauthorized, "请先登录",
        "请在群里或私聊里发“控制台”，打开私信收到的链接（10分钟内有效，只能用一次）。");
}

// What the writer found of a request's session.
struct session_view {
    bool live = false;
    std::optional<handlers::console_viewer> viewer;
};

session_view look_up(handlers::dispatcher& d, const std::string& token,
                     const std::optional<std::string>& compound, std::int64_t now) {
    session_view found;
    const auto session = d.store().console.session(token, now);
    if (!session) {
        return found;
    }
    found.live = true;
    found.viewer = handlers::console_viewer_of(d.store(), d.config(), *session, compound);
    // Street staff who chose a compound stay in it: every page and form after acts there.
    if (found.viewer && found.viewer->compound != session->compound) {
        d.store().console.set_session_compound(token, found.viewer->compound);
    }
    return found;
}

// The answer when the session is not one that may see the console, if so.
std::optional<response> refusal_of(const request& req, bool stored, const session_view& found) {
    if (!stored) {
        return message_page(req, http::status::service_unavailable, "暂时打不开",
                            "系统暂时无法读写数据，请稍后刷新。");
    }
    if (!found.live) {
        return message_page(req, http::status::unauthorized, "登录已失效",
                            "登录已过期或已退出。请在群里发“控制台”拿新的登录链接。");
    }
    if (!found.viewer) {
        return message_page(req, http::status::forbidden, "没有权限",
                            "控制台只给居委会成员和楼组长用；你现在不是（或已被撤销）。");
    }
    return std::nullopt;
}

// The scheme, host and port of a URL ("https://loudong.example.org/x" →
// "https://loudong.example.org").
std::string origin_of(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) {
        return url;
    }
    return url.substr(0, url.find('/', scheme + 3));
}

// Tokens are 64 hex digits (storage::new_token); anything else is no link and no session.
bool is_token(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string session_of(const request& req) {
    auto token = cookie_value(req[http::field::cookie], console_site::cookie_name);
    return is_token(token) ? token : std::string();
}

std::string role_name(const handlers::console_viewer& viewer) {
    if (viewer.street) {
        return "街道";
    }
    if (viewer.whole_compound()) {
        return "居委会";
    }
    std::string buildings;
    for (const auto& b : viewer.who.lead_buildings) {
        buildings += (buildings.empty() ? "" : "、") + b + "号楼";
    }
    return "楼组长 " + buildings;
}

// The variables every page's frame shows.
json frame_vars(const config& cfg, const handlers::console_viewer& viewer, const std::string& token,
                const std::string& page, const std::string& title) {
    const auto compounds = cfg.effective_compounds();
    const auto here = compounds.find(viewer.compound);
    json list = json::array();
    if (viewer.street) {
        for (const auto& [id, c] : compounds) {
            list.push_back({{"id", id}, {"name", c.name}, {"current", id == viewer.compound}});
        }
    }
    return {{"title", title},
            {"compound_name", here != compounds.end() ? here->second.name : viewer.compound},
            {"viewer_name", viewer.member.display_name.empty() ? viewer.member.user_id
                                                               : viewer.member.display_name},
            {"role_name", role_name(viewer)},
            {"committee", viewer.whole_compound()},
            {"street", viewer.street && compounds.size() > 1},
            {"compounds", list},
            {"csrf", csrf_token(token)},
            {"nonce", storage::new_token().substr(0, 32)},
            {"nav_" + page, true}};
}

// One field of the request's query string, decoded.
std::string query_value(const request& req, std::string_view name) {
    const auto target = req.target();
    const auto question = target.find('?');
    return question == std::string_view::npos
               ? std::string()
               : console_form(target.substr(question + 1)).value(name);
}

std::optional<std::string> compound_choice(const request& req) {
    auto chosen = query_value(req, "compound");
    return chosen.empty() ? std::nullopt : std::optional<std::string>(std::move(chosen));
}

std::optional<std::int64_t> number_of(const std::string& text) {
    if (text.empty() || text.size() > 9 ||
        text.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    return std::stoll(text);
}

// A building label as the console's links carry it: digits and letters, "12弄3" at most.
bool plausible_building(const std::string& text) {
    return !text.empty() && text.size() <= 40 &&
           text.find_first_of("<>\"'&/\\ ") == std::string::npos;
}

}  // namespace

std::string csrf_token(const std::string& session_token) {
    return storage::token_hash("csrf:" + session_token);
}

console_site::console_site(const config& cfg, writer& store) : config_(cfg), writer_(store) {}

bool console_site::owns(std::string_view path) {
    return path == "/console" || path.starts_with("/console/");
}

void console_site::later(std::function<void()> fn) {
    if (io_ != nullptr) {
        net::post(*io_, std::move(fn));
    } else {
        fn();
    }
}

void console_site::handle(request&& req, std::function<void(response)> respond) {
    const auto path = std::string(req.target().substr(0, req.target().find('?')));
    const bool get = req.method() == http::verb::get || req.method() == http::verb::head;
    const bool post = req.method() == http::verb::post;
    if (config_.public_url.empty()) {
        respond(message_page(req, http::status::not_found, "控制台没有开启",
                             "管理员还没有在配置里填写 public_url。"));
        return;
    }
    // A browser names the page a POST comes from: only the console's own pages may post (the
    // CSRF token guards the forms too; this also keeps another site from logging a browser in
    // with a link of its own choosing).
    if (const auto origin = std::string(req[http::field::origin]);
        post && !origin.empty() && origin != origin_of(config_.public_url)) {
        respond(message_page(req, http::status::forbidden, "没有提交",
                             "只能从控制台自己的页面提交，什么都没改。", {{"back", "/console/"}}));
        return;
    }
    if (post && req.body().size() > max_form_bytes) {
        respond(message_page(req, http::status::payload_too_large, "内容太长",
                             "提交的内容太长，没有保存。"));
        return;
    }
    if (path == "/console/style.css" && get) {
        auto res =
            make_response(req, http::status::ok, file_text("style.css"), "text/css; charset=utf-8");
        res.set(http::field::cache_control, "max-age=3600");
        res.set("X-Content-Type-Options", "nosniff");
        respond(std::move(res));
        return;
    }
    if (path == "/console/login" && get) {
        login_form(std::move(req), std::move(respond));
    } else if (path == "/console/login" && post) {
        login(std::move(req), std::move(respond));
    } else if (path == "/console/logout" && post) {
        logout(std::move(req), std::move(respond));
    } else if (path == "/console/act" && post) {
        act(std::move(req), std::move(respond));
    } else if (path == "/console/import" && post) {
        import(std::move(req), std::move(respond));
    } else if (path == "/console/orders.csv" && get) {
        orders_csv(std::move(req), std::move(respond));
    } else if ((path == "/console" || path == "/console/") && get) {
        show(std::move(req), std::move(respond), "overview", "概览",
             [](auto& store, const auto& cfg, const auto& viewer, std::int64_t now) {
                 return handlers::console_overview(store, cfg, viewer, now);
             });
    } else if (path == "/console/households" && get) {
        auto building = query_value(req, "building");
        if (!building.empty() && !plausible_building(building)) {
            respond(message_page(req, http::status::bad_request, "没有这栋楼", "楼号写错了。"));
            return;
        }
        show(std::move(req), std::move(respond), "households", "住户",
             [building](auto& store, const auto& cfg, const auto& viewer, std::int64_t) {
                 return handlers::console_households(
                     store, cfg, viewer,
                     building.empty() ? std::nullopt : std::optional<std::string>(building));
             });
    } else if (path == "/console/orders" && get) {
        const auto raw = query_value(req, "campaign");
        const auto number = number_of(raw);
        if (!raw.empty() && !number) {
            respond(message_page(req, http::status::bad_request, "没有这一团", "团号要写数字。"));
            return;
        }
        show(std::move(req), std::move(respond), "orders", "团购",
             [number](auto& store, const auto& cfg, const auto& viewer, std::int64_t) {
                 return handlers::console_orders(store, cfg, viewer, number);
             });
    } else if (path == "/console/labels" && get) {
        const auto number = number_of(query_value(req, "campaign"));
        auto building = query_value(req, "building");
        if (!number || (!building.empty() && !plausible_building(building))) {
            respond(message_page(req, http::status::bad_request, "打不了标签",
                                 "要写团号，例如 /console/labels?campaign=1&building=3"));
            return;
        }
        show(std::move(req), std::move(respond), "labels", "标签",
             [number, building](auto& store, const auto& cfg, const auto& viewer, std::int64_t) {
                 return handlers::console_labels(
                     store, cfg, viewer, *number,
                     building.empty() ? std::nullopt : std::optional<std::string>(building));
             });
    } else if (path == "/console/tasks" && get) {
        show(std::move(req), std::move(respond), "tasks", "任务",
             [](auto& store, const auto& cfg, const auto& viewer, std::int64_t now) {
                 return handlers::console_tasks(store, cfg, viewer, now);
             });
    } else if (path == "/console/notices" && get) {
        show(std::move(req), std::move(respond), "notices", "通知",
             [](auto& store, const auto& cfg, const auto& viewer, std::int64_t) {
                 return handlers::console_notices(store, cfg, viewer);
             });
    } else if (path == "/console/templates" && get) {
        auto key = query_value(req, "key");
        if (key.size() > 80) {
            respond(message_page(req, http::status::bad_request, "没有这个模板", "模板名太长。"));
            return;
        }
        show(std::move(req), std::move(respond), "templates", "模板",
             [key](auto& store, const auto& cfg, const auto& viewer, std::int64_t) {
                 return handlers::console_templates(
                     store, cfg, viewer,
                     key.empty() ? std::nullopt : std::optional<std::string>(key));
             });
    } else {
        respond(message_page(req, http::status::not_found, "没有这一页", "控制台没有这一页。",
                             {{"back", "/console/"}}));
    }
}

void console_site::login_form(request&& req, std::function<void(response)> respond) {
    // Opening the link only shows a button: chat apps fetch links to preview them, and a
    // preview must not use up the one-time link. The button posts it.
    const auto token = query_value(req, "t");
    if (!is_token(token)) {
        respond(message_page(req, http::status::bad_request, "链接不完整",
                             "这个登录链接不完整。请在群里发“控制台”拿新链接，整段打开。"));
        return;
    }
    respond(message_page(req, http::status::ok, "登录控制台",
                         "点下面的按钮进入。链接只能用一次，请勿转发。", {{"login", token}}));
}

void console_site::login(request&& req, std::function<void(response)> respond) {
    const console_form form(req.body());
    const auto token = form.value("t");
    if (!is_token(token)) {
        respond(message_page(req, http::status::bad_request, "链接不完整",
                             "这个登录链接不完整。请在群里发“控制台”拿新链接。"));
        return;
    }
    struct outcome {
        storage::login_redeemed redeemed = storage::login_redeemed::unknown;
        std::string session;
    };
    auto result = std::make_shared<outcome>();
    writer_.run(
        [result, token](handlers::dispatcher& d, std::int64_t now) {
            storage::console_user who;
            result->redeemed = d.store().console.redeem(token, now, who);
            if (result->redeemed == storage::login_redeemed::ok) {
                result->session = storage::new_token();
                d.store().console.add_session(result->session, who, now + session_seconds);
            }
        },
        [this, req = std::move(req), respond = std::move(respond), result](bool ok) mutable {
            later([this, req = std::move(req), respond = std::move(respond), result, ok] {
                if (!ok) {
                    respond(message_page(req, http::status::service_unavailable, "暂时登录不了",
                                         "系统暂时无法保存，请稍后再点一次。"));
                    return;
                }
                switch (result->redeemed) {
                    case storage::login_redeemed::unknown:
                        respond(message_page(req, http::status::not_found, "链接无效",
                                             "这个登录链接无效。请在群里发“控制台”拿新链接。"));
                        return;
                    case storage::login_redeemed::used:
                        respond(message_page(req, http::status::gone, "链接已用过",
                                             "这个登录链接已经用过（每个只能用一次）。请在群里发"
                                             "“控制台”拿新链接。"));
                        return;
                    case storage::login_redeemed::expired:
                        respond(message_page(req, http::status::gone, "链接已过期",
                                             "这个登录链接已过期（10分钟内有效）。请在群里发"
                                             "“控制台”拿新链接。"));
                        return;
                    case storage::login_redeemed::ok:
                        break;
                }
                auto res = message_page(req, http::status::see_other, "已登录",
                                        "已登录，正在进入控制台。", {{"refresh", "/console/"}});
                res.set(http::field::location, "/console/");
                const bool secure = config_.public_url.starts_with("https://");
                res.set(http::field::set_cookie,
                        std::string(cookie_name) + "=" + result->session +
                            "; Path=/console; Max-Age=" + std::to_string(session_seconds) +
                            "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""));
                respond(std::move(res));
            });
        });
}

void console_site::logout(request&& req, std::function<void(response)> respond) {
    const auto token = session_of(req);
    const console_form form(req.body());
    if (token.empty()) {
        respond(not_logged_in(req));
        return;
    }
    if (!secret_matches(form.value("csrf"), csrf_token(token))) {
        respond(message_page(req, http::status::forbidden, "表单已失效",
                             "请回到控制台刷新页面再点“退出”。", {{"back", "/console/"}}));
        return;
    }
    writer_.run(
        [token](handlers::dispatcher& d, std::int64_t) { d.store().console.end_session(token); },
        [this, req = std::move(req), respond = std::move(respond)](bool ok) mutable {
            later([this, req = std::move(req), respond = std::move(respond), ok] {
                if (!ok) {
                    respond(message_page(req, http::status::service_unavailable, "暂时退出不了",
                                         "系统暂时无法保存，请稍后再点。"));
                    return;
                }
                auto res = message_page(req, http::status::ok, "已退出",
                                        "已退出控制台。要再进来，在群里发“控制台”。");
                res.set(http::field::set_cookie,
                        std::string(cookie_name) +
                            "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict");
                respond(std::move(res));
            });
        });
}

void console_site::show(request&& req, std::function<void(response)> respond, std::string page,
                        std::string title, page_source source) {
    const auto token = session_of(req);
    if (token.empty()) {
        respond(not_logged_in(req));
        return;
    }
    struct outcome {
        session_view found;
        handlers::console_page page;
    };
    auto result = std::make_shared<outcome>();
    // Read before the completion below takes the request (arguments are evaluated in any order).
    auto chosen = compound_choice(req);
    writer_.run(
        [result, token, chosen = std::move(chosen), source = std::move(source)](
            handlers::dispatcher& d, std::int64_t now) {
            result->found = look_up(d, token, chosen, now);
            if (result->found.viewer) {
                result->page = source(d.store(), d.config(), *result->found.viewer, now);
            }
        },
        [this, req = std::move(req), respond = std::move(respond), result, token,
         page = std::move(page), title = std::move(title)](bool ok) mutable {
            later([this, req = std::move(req), respond = std::move(respond), result, token,
                   page = std::move(page), title = std::move(title), ok] {
                if (auto refused = refusal_of(req, ok, result->found)) {
                    respond(std::move(*refused));
                    return;
                }
                const auto& viewer = *result->found.viewer;
                auto vars = frame_vars(config_, viewer, token, page, title);
                if (result->page.status != 200) {
                    respond(message_page(req, static_cast<http::status>(result->page.status), title,
                                         result->page.refusal, {{"back", "/console/"}}));
                    return;
                }
                auto page_vars = result->page.vars;
                page_vars.update(vars);
                auto html = templates::renderer::render_html(file_text(page + ".html"), page_vars);
                // The labels page is a document of its own (print CSS, no menu).
                if (page != "labels") {
                    vars["body"] = std::move(html);
                    html = templates::renderer::render_html(file_text("layout.html"), vars);
                }
                respond(html_response(req, http::status::ok, std::move(html)));
            });
        });
}

void console_site::orders_csv(request&& req, std::function<void(response)> respond) {
    const auto token = session_of(req);
    if (token.empty()) {
        respond(not_logged_in(req));
        return;
    }
    const auto number = number_of(query_value(req, "campaign"));
    if (!number) {
        respond(message_page(req, http::status::bad_request, "没有这一团", "团号要写数字。"));
        return;
    }
    struct outcome {
        session_view found;
        std::optional<std::string> csv;
    };
    auto result = std::make_shared<outcome>();
    // Read before the completion below takes the request (arguments are evaluated in any order).
    auto chosen = compound_choice(req);
    writer_.run(
        [result, token, chosen = std::move(chosen), number](handlers::dispatcher& d,
                                                            std::int64_t now) {
            result->found = look_up(d, token, chosen, now);
            if (result->found.viewer) {
                result->csv = handlers::console_orders_csv(d.store(), d.config(),
                                                           *result->found.viewer, *number);
            }
        },
        [this, req = std::move(req), respond = std::move(respond), result,
         number](bool ok) mutable {
            later([req = std::move(req), respond = std::move(respond), result, number, ok] {
                if (auto refused = refusal_of(req, ok, result->found)) {
                    respond(std::move(*refused));
                    return;
                }
                if (!result->csv) {
                    respond(message_page(req, http::status::not_found, "没有这一团",
                                         "没有第" + std::to_string(*number) + "团。",
                                         {{"back", "/console/orders"}}));
                    return;
                }
                auto res = make_response(req, http::status::ok, std::move(*result->csv),
                                         "text/csv; charset=utf-8");
                res.set(http::field::cache_control, "no-store");
                res.set(http::field::content_disposition,
                        "attachment; filename=\"orders-" + std::to_string(*number) + ".csv\"");
                respond(std::move(res));
            });
        });
}

void console_site::act(request&& req, std::function<void(response)> respond) {
    const auto token = session_of(req);
    if (token.empty()) {
        respond(not_logged_in(req));
        return;
    }
    const console_form form(req.body());
    auto back = form.value("back");
    if (!owns(back) || back.find_first_of("\"'<>\\") != std::string::npos) {
        back = "/console/";
    }
    if (!secret_matches(form.value("csrf"), csrf_token(token))) {
        respond(message_page(req, http::status::forbidden, "表单已失效",
                             "页面已过期或不是从控制台提交的，什么都没改。请刷新页面再提交。",
                             {{"back", back}}));
        return;
    }
    // The form's command, as the member would type it in a chat.
    auto text = form.value("command");
    if (text.empty()) {
        const auto prefix = form.value("prefix");
        const auto body = form.value("text");
        std::string targets;
        if (prefix == "通知") {
            for (const auto& b : form.values("building")) {
                targets += (targets.empty() ? "" : ",") + b;
            }
            targets = (targets.empty() ? "全部" : targets) + " ";
        }
        text = prefix + " " + targets + body;
    }
    auto parsed = handlers::parse_command(text);
    const auto* cmd = std::get_if<handlers::command>(&parsed);
    const auto* usage = std::get_if<handlers::usage_error>(&parsed);
    const auto name = cmd ? cmd->name : usage ? usage->name : handlers::command_name::help;
    if ((!cmd && !usage) || std::find(console_commands.begin(), console_commands.end(), name) ==
                                console_commands.end()) {
        respond(message_page(req, http::status::bad_request, "没有提交",
                             "控制台里不能这样改；这件事请在群里发命令。", {{"back", back}}));
        return;
    }
    auto found = std::make_shared<session_view>();
    // Read before the completion below takes the request (arguments are evaluated in any order).
    auto chosen = compound_choice(req);
    writer_.run(
        [found, token, chosen = std::move(chosen)](handlers::dispatcher& d, std::int64_t now) {
            *found = look_up(d, token, chosen, now);
        },
        [this, req = std::move(req), respond = std::move(respond), found, back, text,
         parsed = std::move(parsed), nonce = form.value("nonce")](bool ok) mutable {
            later([this, req = std::move(req), respond = std::move(respond), found, back, text,
                   parsed = std::move(parsed), nonce, ok]() mutable {
                if (auto refused = refusal_of(req, ok, *found)) {
                    respond(std::move(*refused));
                    return;
                }
                const auto& viewer = *found->viewer;
                handlers::message msg;
                msg.platform = viewer.member.platform;
                msg.chat_id = viewer.member.user_id;
                msg.sender_id = viewer.member.user_id;
                msg.sender_name = viewer.member.display_name;
                msg.text = text;
                msg.is_private = true;
                msg.time = unix_seconds();
                msg.console_compound = viewer.compound;
                // One page's form sent twice (a double click, a resent POST) is one command:
                // its id is the page's nonce with the command.
                msg.message_id =
                    "console:" + storage::token_hash(nonce + "\n" + text).substr(0, 32);
                writer_.submit(
                    std::move(msg), std::move(parsed),
                    [this, req = std::move(req), respond = std::move(respond),
                     back](write_result result) mutable {
                        later([req = std::move(req), respond = std::move(respond), back,
                               result = std::move(result)] {
                            if (!result.stored) {
                                respond(message_page(req, http::status::service_unavailable,
                                                     "没有保存", "系统暂时无法保存，请稍后再提交。",
                                                     {{"back", back}}));
                                return;
                            }
                            std::string answer;
                            for (const auto& r : result.outcome.replies) {
                                answer += (answer.empty() ? "" : "\n") + r.text;
                            }
                            respond(message_page(req, http::status::ok, "已提交",
                                                 answer.empty() ? "已提交。" : answer,
                                                 {{"back", back}, {"refused", false}}));
                        });
                    });
            });
        });
}

void console_site::import(request&& req, std::function<void(response)> respond) {
    const auto token = session_of(req);
    if (token.empty()) {
        respond(not_logged_in(req));
        return;
    }
    const console_form form(req.body());
    if (!secret_matches(form.value("csrf"), csrf_token(token))) {
        respond(message_page(req, http::status::forbidden, "表单已失效",
                             "页面已过期或不是从控制台提交的，什么都没导入。请刷新页面再提交。",
                             {{"back", "/console/households"}}));
        return;
    }
    struct outcome {
        session_view found;
        bool allowed = false;
        std::string problem;
        std::size_t rooms = 0;
        std::int64_t added = 0;
    };
    auto result = std::make_shared<outcome>();
    // Read before the completion below takes the request (arguments are evaluated in any order).
    auto chosen = compound_choice(req);
    writer_.run(
        [result, token, chosen = std::move(chosen), csv = form.value("csv")](
            handlers::dispatcher& d, std::int64_t now) {
            result->found = look_up(d, token, chosen, now);
            if (!result->found.viewer || !result->found.viewer->whole_compound()) {
                return;
            }
            result->allowed = true;
            const auto read = handlers::read_registry_csv(csv);
            if (const auto* problem = std::get_if<handlers::registry_csv_error>(&read)) {
                result->problem = handlers::describe(*problem);
                return;
            }
            const auto& rooms = std::get<std::vector<handlers::registry_line>>(read);
            const auto& viewer = *result->found.viewer;
            result->rooms = rooms.size();
            result->added = handlers::import_registry(d.store(), viewer.compound, rooms,
                                                      "console:" + viewer.member.key(), now);
        },
        [this, req = std::move(req), respond = std::move(respond), result](bool ok) mutable {
            later([req = std::move(req), respond = std::move(respond), result, ok] {
                if (auto refused = refusal_of(req, ok, result->found)) {
                    respond(std::move(*refused));
                    return;
                }
                const json back = {{"back", "/console/households"}};
                if (!result->allowed) {
                    respond(message_page(req, http::status::forbidden, "没有导入",
                                         "导入名册只有居委会能做。", back));
                } else if (!result->problem.empty()) {
                    respond(message_page(req, http::status::bad_request, "没有导入",
                                         result->problem + "。没有导入任何房号。", back));
                } else {
                    respond(message_page(req, http::status::ok, "已导入",
                                         "已导入" + std::to_string(result->rooms) + "户，其中新增" +
                                             std::to_string(result->added) + "户。",
                                         back));
                }
            });
        });
}

}  // namespace loudong::bot
