#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bot/config.hpp"
#include "bot/net.hpp"
#include "bot/writer/writer.hpp"
#include "handlers/console_pages.hpp"

namespace loudong::bot {

/// The committee console over HTTP (SPEC §12): the login by a one-time link, the session cookie,
/// the pages (their data from handlers/console_pages, their HTML from templates/console/) and
/// the forms, which change state only as chat commands of the logged-in member, through the
/// writer like any message.
///
/// Threads: `handle` runs on an I/O thread; storage is read and written on the writer's; pages
/// are rendered back on the I/O threads (`encode_on`).
class console_site {
public:
    console_site(const config& cfg, writer& store);

    /// Where pages are rendered (the I/O threads); without it, on the writer's thread.
    void encode_on(net::io_context& io) { io_ = &io; }

    /// Whether a path is the console's: /console and everything under it.
    static bool owns(std::string_view path);

    /// Answers one request to the console; `respond` is called exactly once.
    void handle(request&& req, std::function<void(response)> respond);

    /// The session cookie's name.
    static constexpr std::string_view cookie_name = "loudong_console";
    /// How long a session lasts.
    static constexpr std::int64_t session_seconds = 12 * 3600;

private:
    /// What a page's data is made of, on the writer's thread.
    using page_source =
        std::function<handlers::console_page(handlers::repositories&, const handlers::settings&,
                                             const handlers::console_viewer&, std::int64_t now)>;

    void login_form(request&& req, std::function<void(response)> respond);
    void login(request&& req, std::function<void(response)> respond);
    void logout(request&& req, std::function<void(response)> respond);
    void show(request&& req, std::function<void(response)> respond, std::string page,
              std::string title, page_source source);
    void orders_csv(request&& req, std::function<void(response)> respond);
    void act(request&& req, std::function<void(response)> respond);
    void import(request&& req, std::function<void(response)> respond);
    /// Calls `then` (on the I/O thread) with the viewer of the request's session, or answers
    /// the request itself when there is none.
    void with_viewer(request&& req, std::function<void(response)> respond,
                     std::function<void(request&&, std::function<void(response)>,
                                        const handlers::console_viewer&, const std::string& token)>
                         then);
    /// Runs `fn` on the I/O threads (or at once without them).
    void later(std::function<void()> fn);

    const config& config_;
    writer& writer_;
    net::io_context* io_ = nullptr;
};

/// The CSRF token of a session: derived from its secret, so it needs no storage and cannot be
/// guessed without the cookie.
std::string csrf_token(const std::string& session_token);

}  // namespace loudong::bot
