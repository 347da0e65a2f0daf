#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/Database.h>

#include "storage/statement_cache.hpp"

namespace loudong::storage {

/// Who a console login link or session is for: a member, in one compound.
struct console_user {
    std::string platform;
    std::string user_id;
    std::string compound;  ///< where the link was asked for
};

/// What became of a login link when it was opened.
enum class login_redeemed {
    ok,       ///< valid: it is now used
    unknown,  ///< no such link (mistyped, or from another instance)
    used,     ///< opened before: a link opens one session
    expired,  ///< older than its ten minutes
};

/// The console's one-time login links and the sessions they open (SPEC §12). Tokens are never
/// stored: only their SHA-256, so the database (or a backup of it) opens nothing.
class console_repository {
public:
    explicit console_repository(SQLite::Database& db);

    /// Stores a login link's token for `who`, valid until `expires_at`; drops long-dead rows.
    void add_login(const std::string& token, const console_user& who, std::int64_t expires_at,
                   std::int64_t now);

    /// Opens a login link once: `who` is filled when it is ok.
    login_redeemed redeem(const std::string& token, std::int64_t now, console_user& who);

    /// Stores a session's token for `who`, valid until `expires_at`.
    void add_session(const std::string& token, const console_user& who, std::int64_t expires_at);

    /// The live session with this token, if any.
    std::optional<console_user> session(const std::string& token, std::int64_t now);

    /// Moves a session to another compound (street staff choosing one).
    void set_session_compound(const std::string& token, const std::string& compound);

    /// Ends one session (logout); false when there was none.
    bool end_session(const std::string& token);

    /// Ends every session of a member (退出控制台 in a chat); returns how many.
    int end_sessions_of(const std::string& platform, const std::string& user_id);

private:
    statement_cache cache_;
};

/// The SHA-256 of a token in hex, as the console tables keep it.
std::string token_hash(const std::string& token);

/// A new secret token: 32 random bytes from OpenSSL, in hex (safe in a URL and a cookie).
std::string new_token();

}  // namespace loudong::storage
