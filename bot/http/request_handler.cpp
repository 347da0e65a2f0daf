#include "bot/http/request_handler.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "bot/platforms/signature.hpp"
#include "bot/platforms/wire_json.hpp"
#include "handlers/orders.hpp"
#include "handlers/parser/command_parser.hpp"

namespace loudong::bot {
namespace {

using steady = std::chrono::steady_clock;

struct route {
    std::string_view path;
    http::verb method;
};

constexpr route routes[] = {
    {"/healthz", http::verb::get},
    {"/metrics", http::verb::get},
    {"/export/orders.csv", http::verb::get},
};

constexpr std::string_view hook_prefix = "/hook/";

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

namespace {

// A platform's answer to its webhook, as the HTTP response to that request.
response hook_response(const request& req, hook_answer answer) {
    return make_response(req, answer.status, std::move(answer.body));
}

}  // namespace

request_handler::request_handler(const config& cfg, const platform_table& platforms, writer& store,
                                 metrics& stats)
    : config_(cfg),
      compounds_(compound_settings_of(cfg)),
      platforms_(platforms),
      writer_(store),
      stats_(stats),
      console_(cfg, store) {}

std::map<std::string, handlers::compound_settings> compound_settings_of(const config& cfg) {
    std::map<std::string, handlers::compound_settings> compounds;
    for (const auto& [id, compound] : cfg.effective_compounds()) {
        compounds[id] = handlers::compound_settings{
            compound.name, {compound.committee.begin(), compound.committee.end()}};
    }
    return compounds;
}

std::string request_handler::unavailable_text() const {
    // The templates live in the database that just failed: this one sentence is built in.
    return config_.locale == "en" ? "The system could not save this just now; please send it "
                                    "again in a moment."
                                  : "系统暂时无法保存，请稍后再发一次";
}

void request_handler::handle(request&& req, std::function<void(response)> respond) {
    const auto target = std::string(req.target().substr(0, req.target().find('?')));
    const auto method = std::string(req.method_string());
    const auto started = steady::now();
    // Each platform's webhook is /hook/<its name>, answered to POST.
    const platform* hook = nullptr;
    route hook_route{};
    const route* matched = nullptr;
    for (const auto& r : routes) {
        if (r.path == target) {
            matched = &r;
        }
    }
    if (std::string_view(target).starts_with(hook_prefix)) {
        hook = platforms_.find(std::string_view(target).substr(hook_prefix.size()));
        if (hook != nullptr) {
            hook_route = {target, http::verb::post};
            matched = &hook_route;
        }
    }
    const bool console = console_site::owns(target);
    const std::string route_name = console   ? "/console"
                                   : matched ? std::string(matched->path)
                                             : "other";
    // Every answer passes here once: one log line and one metric per request.
    auto finish = [this, respond = std::move(respond), route_name, target, method,
                   started](response res) {
        const double seconds = std::chrono::duration<double>(steady::now() - started).count();
        stats_.record_request(route_name, res.result_int(), seconds);
        spdlog::info("{} {} {} {}B {:.2f}ms", method, target, res.result_int(), res.body().size(),
                     seconds * 1000);
        respond(std::move(res));
    };

    if (console) {
        console_.handle(std::move(req), std::move(finish));
        return;
    }
    if (!matched) {
        finish(make_response(req, http::status::not_found, error_body("no such path: " + target)));
        return;
    }
    if (hook != nullptr && req.method() == http::verb::get) {
        if (auto answer = hook->answer_get(req)) {
            finish(hook_response(req, std::move(*answer)));
            return;
        }
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
    handle_hook(*hook, std::move(req), std::move(finish));
}

void request_handler::export_orders(request&& req, std::function<void(response)> respond) {
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
    // One compound's orders: named by ?compound=<id>, which may be left out when there is one.
    const auto compounds = config_.effective_compounds();
    std::string compound;
    if (const auto at = target.find("compound="); at != std::string::npos) {
        compound = target.substr(at + 9, target.find('&', at) - (at + 9));
    } else if (compounds.size() == 1) {
        compound = compounds.begin()->first;
    }
    if (!compounds.contains(compound)) {
        std::string known;
        for (const auto& [id, c] : compounds) {
            known += (known.empty() ? "" : ", ") + id;
        }
        respond(make_response(req, http::status::bad_request,
                              error_body("name the compound: compound=<id>, one of " + known)));
        return;
    }
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
        [csv, campaign, compound](handlers::dispatcher& d, std::int64_t /*now*/) {
            *csv = handlers::export_orders_csv(d.store(), d.config(), compound, campaign);
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

// The path of one message, in order: the platform lets the request in and reads its payload;
// the command is parsed here, on the I/O thread; the writer stores it and runs its handler
// in one transaction; the platform renders the replies as its webhook answer.
void request_handler::handle_hook(const platform& from, request&& req,
                                  std::function<void(response)> respond) {
    if (auto refused = from.authenticate(req)) {
        respond(make_response(req, refused->status, error_body(refused->reason)));
        return;
    }
    auto read = from.read(req.body(), unix_seconds());
    if (read.answer_now) {
        respond(make_response(req, http::status::ok, std::move(*read.answer_now)));
        return;
    }
    if (read.ignored) {
        respond(hook_response(req, from.answer({}, {})));
        return;
    }
    if (!read.message) {
        respond(make_response(req, http::status::bad_request, error_body(read.error)));
        return;
    }
    // Ordinary chat needs no database: answer at once and stay silent. A compound's name after
    // the command word (统计 紫荆小区) is the dispatcher's to read.
    auto command = handlers::parse_command(read.message->text);
    if (std::holds_alternative<handlers::not_a_command>(command) &&
        read.message->moved_to.empty() &&
        !handlers::named_compound(read.message->text, compounds_) &&
        // "任务\n我的班次" reads as chat whole, but each of its lines is a command.
        !handlers::command_lines(read.message->text) &&
        !(read.message->is_private &&
          handlers::unknown_compound_word(read.message->text, compounds_))) {
        respond(hook_response(req, from.answer(*read.message, {})));
        return;
    }
    auto msg = *read.message;
    writer_.submit(
        std::move(*read.message), std::move(command),
        [this, &from, msg = std::move(msg), req = std::move(req),
         respond = std::move(respond)](write_result result) mutable {
            auto answer = [this, &from, msg = std::move(msg), req = std::move(req),
                           respond = std::move(respond), result = std::move(result)] {
                if (!result.stored) {
                    respond(hook_response(req, from.unavailable(msg, unavailable_text())));
                    return;
                }
                if (!result.outcome.command.empty() && !result.outcome.repeated) {
                    stats_.record_command(result.outcome.command);
                }
                respond(hook_response(req, from.answer(msg, result.outcome.replies)));
            };
            if (io_ != nullptr) {
                net::post(*io_, std::move(answer));
            } else {
                answer();
            }
        });
}

}  // namespace loudong::bot
