#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

namespace loudong::storage {

/// "platform\nid": one key for an identity that is only unique within its platform.
inline std::string platform_key(const std::string& platform, const std::string& id) {
    std::string key;
    key.reserve(platform.size() + 1 + id.size());
    key.append(platform).append(1, '\n').append(id);
    return key;
}

/// What a repository keeps in memory once read from the database. A compound has a few
/// thousand members and chats, a street office of 20 compounds about 50,000 residents (a few
/// hundred bytes each); beyond `limit` entries (a flood of strangers) it starts afresh.
/// Only right on the connection that makes every change to what it keeps (see its users).
template <typename Key, typename Value>
class read_memory {
public:
    static constexpr std::size_t limit = 131072;

    /// The kept value, or nullptr when it must be read.
    const Value* find(const Key& key) const {
        const auto found = entries_.find(key);
        return found == entries_.end() ? nullptr : &found->second;
    }

    void keep(Key key, Value value) {
        if (entries_.size() >= limit) {
            entries_.clear();
        }
        entries_.insert_or_assign(std::move(key), std::move(value));
    }

    void forget(const Key& key) { entries_.erase(key); }

    /// Forgets every kept value for which `matches(value)` is true.
    template <typename Predicate>
    void forget_if(Predicate matches) {
        std::erase_if(entries_, [&matches](const auto& entry) { return matches(entry.second); });
    }

    void clear() { entries_.clear(); }

private:
    std::unordered_map<Key, Value> entries_;
};

}  // namespace loudong::storage
