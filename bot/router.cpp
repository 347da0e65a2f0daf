#include "bot/router.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "bot/generic_adapter.hpp"
#include "bot/onebot_adapter.hpp"
#include "bot/signature.hpp"
#include "bot/telegram_adapter.hpp"
#include "bot/wire_json.hpp"
#include "handlers/orders.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::bot {
namespace {

using steady = std::chrono::steady_clock;

std::int64_t unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct route {
    std::string_view path;
    http::verb method;
};

constexpr route routes[] = {
    {"/hook/generic", http::verb::post},  {"/hook/onebot", http::verb::post},
    {"/hook/telegram", http::verb::post}, {"/healthz", http::verb::get},
    {"/metrics", http::verb::get},        {"/export/orders.csv", http::verb::get},
};

}  // namespace

response make_response(const request& req, http::status status, std::string body,
                       std::string_view content_type) {
    response res{status, req.version()};
    res.set(http::field::server, "loudong");
    res.set(http::field::content_type, content_type);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

router::router(const config& cfg, writer& store, metrics& stats)
    : config_(cfg), writer_(store), stats_(stats) {}

void router::handle(request&& req, std::function<void(response)> respond) {
    const auto target = std::string(req.target().substr(0, req.target().find('?')));
    const auto method = std::string(req.method_string());
    const auto started = steady::now();
    const route* matched = nullptr;
    for (const auto& r : routes) {
        if (r.path == target) {
            matched = &r;
        }
    }
    const std::string route_name = matched ? std::string(matched->path) : "other";
    // Every answer passes here once: one log line and one metric per request.
    auto finish = [this, respond = std::move(respond), route_name, target, method,
                   started](response res) {
        const double seconds = std::chrono::duration<double>(steady::now() - started).count();
        stats_.record_request(route_name, res.result_int(), seconds);
        spdlog::info("{} {} {} {}B {:.2f}ms", method, target, res.result_int(), res.body().size(),
                     seconds * 1000);
        respond(std::move(res));
    };

    if (!matched) {
        finish(make_response(req, http::status::not_found, error_body("no such path: " + target)));
        return;
    }
    if (req.method() != matched->method) {
        auto res = make_response(
            req, http::status::method_not_allowed,
            error_body("use " + std::string(http::to_string(matched->method)) + " for " + target));
        res.set(http::field::allow, http::to_string(matched->method));
        finish(std::move(res));
        return;
    }
    if (target == "/healthz") {
        writer_.check_health(
            [req = std::move(req), finish = std::move(finish)](const storage_health& health) {
                if (health.writable) {
                    finish(make_response(req, http::status::ok, R"({"status":"ok"})"));
                    return;
                }
                // 503 so a load balancer or monitor notices; the body says why and since when.
                const nlohmann::json body{{"status", "error"},
                                          {"error", "database not writable: " + health.error},
                                          {"failing_since", health.failing_since},
                                          {"failed_commits", health.failed_batches}};
                finish(make_response(req, http::status::service_unavailable, dump_json(body)));
            });
        return;
    }
    if (target == "/export/orders.csv") {
        export_orders(std::move(req), std::move(finish));
        return;
    }
    if (target == "/metrics") {
        finish(make_response(req, http::status::ok, stats_.render(),
                             "text/plain; version=0.0.4; charset=utf-8"));
        return;
    }
    handle_hook(target.substr(std::string_view("/hook/").size()), std::move(req),
                std::move(finish));
}

void router::export_orders(request&& req, std::function<void(response)> respond) {
    if (config_.admin_token.empty()) {
        respond(make_response(req, http::status::not_found,
                              error_body("export is off: set admin_token in the config")));
        return;
    }
    const auto header = std::string(req[http::field::authorization]);
    if (!header.starts_with("Bearer ") ||
        !secret_matches(std::string_view(header).substr(7), config_.admin_token)) {
        respond(make_response(req, http::status::unauthorized,
                              error_body("send Authorization: Bearer <admin_token>")));
        return;
    }
    std::optional<std::int64_t> campaign;
    const auto target = std::string(req.target());
    if (const auto at = target.find("campaign="); at != std::string::npos) {
        try {
            campaign = std::stoll(target.substr(at + 9));
        } catch (const std::exception&) {
            respond(make_response(req, http::status::bad_request,
                                  error_body("campaign must be a number")));
            return;
        }
    }
    auto csv = std::make_shared<std::optional<std::string>>();
    writer_.run(
        [csv, campaign](handlers::dispatcher& d) {
            *csv = handlers::export_orders_csv(d.store(), d.config(), campaign);
        },
        [req = std::move(req), respond = std::move(respond), csv](bool ok) {
            if (!ok) {
                respond(make_response(req, http::status::service_unavailable,
                                      error_body("storage unavailable, please retry")));
            } else if (!*csv) {
                respond(
                    make_response(req, http::status::not_found, error_body("no such campaign")));
            } else {
                auto res = make_response(req, http::status::ok, std::move(**csv),
                                         "text/csv; charset=utf-8");
                res.set(http::field::content_disposition, "attachment; filename=\"orders.csv\"");
                respond(std::move(res));
            }
        });
}

std::optional<response> router::authenticate(const std::string& platform,
                                             const request& req) const {
    auto refuse = [&req](http::status status, const std::string& why) {
        return make_response(req, status, error_body(why));
    };
    if (platform == "generic" && !config_.generic.secret.empty()) {
        const auto header = req["X-Loudong-Signature"];
        if (!signature_matches(digest::sha256, header, config_.generic.secret, req.body())) {
            return refuse(http::status::unauthorized, header.empty() ? "missing X-Loudong-Signature"
                                                                     : "bad X-Loudong-Signature");
        }
    }
    // OneBot's own convention: no signature 401, a wrong one 403.
    if (platform == "onebot" && !config_.onebot.secret.empty()) {
        const auto header = req["X-Signature"];
        if (header.empty()) {
            return refuse(http::status::unauthorized, "missing X-Signature");
        }
        if (!signature_matches(digest::sha1, header, config_.onebot.secret, req.body())) {
            return refuse(http::status::forbidden, "bad X-Signature");
        }
    }
    if (platform == "telegram" && !config_.telegram.secret_token.empty()) {
        const auto header = req["X-Telegram-Bot-Api-Secret-Token"];
        if (!secret_matches(header, config_.telegram.secret_token)) {
            return refuse(http::status::unauthorized, "bad X-Telegram-Bot-Api-Secret-Token");
        }
    }
    return std::nullopt;
}

response router::encode(const std::string& platform, const request& req,
                        const handlers::message& msg,
                        const std::vector<handlers::reply>& replies) const {
    if (platform == "onebot") {
        const auto body = onebot_quick_reply(replies);
        return body.empty() ? make_response(req, http::status::no_content, "")
                            : make_response(req, http::status::ok, body);
    }
    if (platform == "telegram") {
        const auto body = telegram_method_reply(replies, msg.chat_id, msg.message_id);
        return make_response(req, http::status::ok, body.empty() ? "{}" : body);
    }
    return make_response(req, http::status::ok, generic_response(replies));
}

void router::handle_hook(const std::string& platform, request&& req,
                         std::function<void(response)> respond) {
    if (auto refused = authenticate(platform, req)) {
        respond(std::move(*refused));
        return;
    }
    const auto now = unix_now();
    auto parsed = platform == "onebot" ? parse_onebot(req.body(), config_.onebot.self_id, now)
                  : platform == "telegram"
                      ? parse_telegram(req.body(), config_.telegram.bot_username, now)
                      : parse_generic(req.body(), now);
    if (parsed.ignored) {
        respond(encode(platform, req, {}, {}));
        return;
    }
    if (!parsed.message) {
        respond(make_response(req, http::status::bad_request, error_body(parsed.error)));
        return;
    }
    // Ordinary chat needs no database: answer at once and stay silent.
    auto command = handlers::parse_command(parsed.message->text);
    if (std::holds_alternative<handlers::not_a_command>(command)) {
        respond(encode(platform, req, *parsed.message, {}));
        return;
    }
    auto msg = *parsed.message;
    writer_.submit(
        std::move(*parsed.message), std::move(command),
        [this, platform, msg = std::move(msg), req = std::move(req),
         respond = std::move(respond)](write_result result) mutable {
            auto answer = [this, platform = std::move(platform), msg = std::move(msg),
                           req = std::move(req), respond = std::move(respond),
                           result = std::move(result)] {
                if (!result.stored) {
                    respond(make_response(req, http::status::service_unavailable,
                                          error_body("storage unavailable, please retry")));
                    return;
                }
                if (!result.outcome.command.empty() && !result.outcome.repeated) {
                    stats_.record_command(result.outcome.command);
                }
                respond(encode(platform, req, msg, result.outcome.replies));
            };
            if (io_ != nullptr) {
                net::post(*io_, std::move(answer));
            } else {
                answer();
            }
        });
}

}  // namespace loudong::bot
