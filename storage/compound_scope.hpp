#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace loudong::storage {

/// The compound (小区) the current message or job acts in.
///
/// Every repository of one connection holds the same scope and binds its id into each query
/// of compound state, so a handler cannot read or change another compound's rows: it never
/// names a compound itself. The dispatcher enters the scope for one message or job at a time
/// (`entered`); a query of compound state outside a scope throws, which is a defect.
class compound_scope {
public:
    /// The compound in scope; throws std::logic_error outside a scope.
    const std::string& id() const {
        if (!id_) {
            throw std::logic_error("a compound query ran outside a compound scope");
        }
        return *id_;
    }

    /// The compound in scope, if any.
    const std::optional<std::string>& current() const { return id_; }

    /// Holds a compound in scope for its lifetime, restoring the one before.
    class entered {
    public:
        entered(compound_scope& scope, std::string id)
            : scope_(scope), before_(std::exchange(scope.id_, std::move(id))) {}
        ~entered() { scope_.id_ = std::move(before_); }
        entered(const entered&) = delete;
        entered& operator=(const entered&) = delete;

    private:
        compound_scope& scope_;
        std::optional<std::string> before_;
    };

private:
    std::optional<std::string> id_;
};

/// The compound a release 1 database's rows move into, and a config without `compounds` runs.
inline constexpr const char* default_compound = "default";

}  // namespace loudong::storage
