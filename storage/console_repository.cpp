#include "storage/console_repository.hpp"

#include <array>

#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "storage/statement_use.hpp"

namespace loudong::storage {

namespace {

template <std::size_t n>
std::string hex_of(const std::array<unsigned char, n>& bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (const auto byte : bytes) {
        out += hex[byte >> 4];
        out += hex[byte & 0xf];
    }
    return out;
}

}  // namespace

std::string token_hash(const std::string& token) {
    std::array<unsigned char, SHA256_DIGEST_LENGTH> digest{};
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest.data());
    return hex_of(digest);
}

std::string new_token() {
    std::array<unsigned char, 32> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("OpenSSL has no random bytes");
    }
    return hex_of(bytes);
}

console_repository::console_repository(SQLite::Database& db) : cache_(db) {}

void console_repository::add_login(const std::string& token, const console_user& who,
                                   std::int64_t expires_at, std::int64_t now) {
    // A used or expired link stays a day, so opening it again says why it no longer works.
    statement_use prune(cache_("DELETE FROM console_logins WHERE expires_at < ?1"));
    prune->bind(1, now - 24 * 3600);
    prune->exec();
    statement_use prune_sessions(cache_("DELETE FROM console_sessions WHERE expires_at < ?1"));
    prune_sessions->bind(1, now);
    prune_sessions->exec();
    statement_use insert(
        cache_("INSERT INTO console_logins (token_hash, platform, user_id, compound, expires_at) "
               "VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert->bind(1, token_hash(token));
    insert->bind(2, who.platform);
    insert->bind(3, who.user_id);
    insert->bind(4, who.compound);
    insert->bind(5, expires_at);
    insert->exec();
}

login_redeemed console_repository::redeem(const std::string& token, std::int64_t now,
                                          console_user& who) {
    const auto hash = token_hash(token);
    statement_use find(
        cache_("SELECT platform, user_id, compound, expires_at, used_at FROM console_logins "
               "WHERE token_hash = ?1"));
    find->bind(1, hash);
    if (!find->executeStep()) {
        return login_redeemed::unknown;
    }
    if (!find->getColumn(4).isNull()) {
        return login_redeemed::used;
    }
    if (find->getColumn(3).getInt64() < now) {
        return login_redeemed::expired;
    }
    who = console_user{find->getColumn(0).getString(), find->getColumn(1).getString(),
                       find->getColumn(2).getString()};
    statement_use use(cache_("UPDATE console_logins SET used_at = ?2 WHERE token_hash = ?1"));
    use->bind(1, hash);
    use->bind(2, now);
    use->exec();
    return login_redeemed::ok;
}

void console_repository::add_session(const std::string& token, const console_user& who,
                                     std::int64_t expires_at) {
    statement_use insert(
        cache_("INSERT INTO console_sessions (token_hash, platform, user_id, compound, "
               "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    insert->bind(1, token_hash(token));
    insert->bind(2, who.platform);
    insert->bind(3, who.user_id);
    insert->bind(4, who.compound);
    insert->bind(5, expires_at);
    insert->exec();
}

std::optional<console_user> console_repository::session(const std::string& token,
                                                        std::int64_t now) {
    statement_use find(
        cache_("SELECT platform, user_id, compound FROM console_sessions WHERE token_hash = ?1 "
               "AND expires_at >= ?2"));
    find->bind(1, token_hash(token));
    find->bind(2, now);
    if (!find->executeStep()) {
        return std::nullopt;
    }
    return console_user{find->getColumn(0).getString(), find->getColumn(1).getString(),
                        find->getColumn(2).getString()};
}

void console_repository::set_session_compound(const std::string& token,
                                              const std::string& compound) {
    statement_use update(cache_("UPDATE console_sessions SET compound = ?2 WHERE token_hash = ?1"));
    update->bind(1, token_hash(token));
    update->bind(2, compound);
    update->exec();
}

bool console_repository::end_session(const std::string& token) {
    statement_use erase(cache_("DELETE FROM console_sessions WHERE token_hash = ?1"));
    erase->bind(1, token_hash(token));
    return erase->exec() > 0;
}

int console_repository::end_sessions_of(const std::string& platform, const std::string& user_id) {
    statement_use erase(
        cache_("DELETE FROM console_sessions WHERE platform = ?1 AND user_id = ?2"));
    erase->bind(1, platform);
    erase->bind(2, user_id);
    return erase->exec();
}

}  // namespace loudong::storage
