#include "bot/server.hpp"

#include <chrono>
#include <csignal>

#include <date/tz.h>
#include <spdlog/spdlog.h>

namespace loudong::bot {
namespace {

/// "08:30" → 510; the config has checked the form already.
int clock_minutes(const std::string& hh_mm) {
    return std::stoi(hh_mm.substr(0, hh_mm.find(':'))) * 60 +
           std::stoi(hh_mm.substr(hh_mm.find(':') + 1));
}

handlers::settings handler_settings(const config& cfg, const platform_table& platforms) {
    handlers::settings s;
    for (const auto& p : platforms.all()) {
        s.platforms.emplace(p->name());
        if (p->limits().text.max > 0) {
            s.text_limits.emplace(p->name(), p->limits().text);
        }
        if (p->limits().replies_by_api) {
            s.replies_by_api.emplace(p->name());
        }
    }
    s.locale = cfg.locale;
    s.public_url = cfg.public_url;
    s.zone = date::locate_zone(cfg.timezone);
    s.compounds = compound_settings_of(cfg);
    s.street.insert(cfg.street.begin(), cfg.street.end());
    s.stale_after_seconds = std::int64_t{cfg.reminders.stale_after_minutes} * 60;
    s.antigen_daily_minutes = clock_minutes(cfg.reminders.antigen_daily);
    s.antigen_pending_minutes = clock_minutes(cfg.reminders.antigen_pending);
    s.test_call_interval_minutes = cfg.reminders.test_call_interval_minutes;
    s.task_lead_seconds = std::int64_t{cfg.reminders.task_lead_minutes} * 60;
    s.floods = {static_cast<std::size_t>(cfg.floods.member_per_minute),
                static_cast<std::size_t>(cfg.floods.staff_per_minute)};
    return s;
}

}  // namespace

std::int64_t server::system_clock_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

server::server(const config& cfg, clock_ms clock)
    : config_(cfg),
      platforms_(config_),
      writer_(cfg.db, handler_settings(cfg, platforms_), stats_,
              [clock] { return clock() / 1000; }),
      outbox_(cfg.db, platforms_, stats_, clock),
      handler_(config_, platforms_, writer_, stats_),
      ioc_(cfg.threads),
      signals_(ioc_, SIGINT, SIGTERM) {
    handler_.encode_on(ioc_);
    const auto address = net::ip::make_address(config_.listen);
    listener_ = std::make_shared<listener>(
        ioc_, tcp::endpoint{address, static_cast<unsigned short>(config_.port)}, handler_,
        config_.body_limit, [this](const std::shared_ptr<http_session>& session) {
            std::lock_guard lock(sessions_mutex_);
            sessions_.remove_if([](const auto& weak) { return weak.expired(); });
            sessions_.push_back(session);
        });
}

server::~server() {
    writer_.stop();
}

unsigned short server::port() const {
    return listener_->local_endpoint().port();
}

void server::run() {
    writer_.on_queued([this] { outbox_.poke(); });
    writer_.start();
    outbox_.start();
    listener_->run();
    signals_.async_wait([this](error_code ec, int signal) {
        if (!ec) {
            spdlog::info("signal {}: draining", signal);
            drain();
        }
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < config_.threads; ++i) {
        threads.emplace_back([this] { ioc_.run(); });
    }
    ioc_.run();
    for (auto& t : threads) {
        t.join();
    }
    writer_.stop();
    outbox_.stop();
    spdlog::info("stopped");
}

void server::stop() {
    net::post(ioc_, [this] {
        error_code ignored;
        signals_.cancel(ignored);
        drain();
    });
}

void server::drain() {
    listener_->stop();
    error_code ignored;
    signals_.cancel(ignored);
    std::lock_guard lock(sessions_mutex_);
    for (const auto& weak : sessions_) {
        if (auto session = weak.lock()) {
            session->drain();
        }
    }
    sessions_.clear();
}

}  // namespace loudong::bot
