#include "handlers/registry.hpp"

#include <algorithm>

namespace loudong::handlers {

handler_result handle_registry(const command& cmd, context& ctx) {
    const auto& args = std::get<registry_args>(cmd.args);
    std::vector<storage::listed_room> rooms;
    rooms.reserve(args.rooms.size());
    for (const auto& room : args.rooms) {
        rooms.push_back(storage::listed_room{args.building.label, room, ""});
    }
    const auto added = ctx.store.households.list(rooms, ctx.sender.key(), ctx.now);
    const auto first = args.rooms.front();
    const auto last = args.rooms.back();
    return ctx.answer_only("registry.listed",
                           {{"building", args.building.label},
                            {"added", added},
                            {"known", static_cast<std::int64_t>(args.rooms.size()) - added},
                            {"has_known", static_cast<std::int64_t>(args.rooms.size()) > added},
                            {"total", ctx.store.households.listed_in(args.building.label)},
                            {"first", first},
                            {"last", last}});
}

std::int64_t import_registry(repositories& store, const std::string& compound,
                             const std::vector<registry_line>& rooms, const std::string& by,
                             std::int64_t now) {
    const storage::compound_scope::entered in(store.scope, compound);
    std::vector<storage::listed_room> listed;
    listed.reserve(rooms.size());
    for (const auto& r : rooms) {
        listed.push_back(storage::listed_room{r.building, r.room, r.note});
    }
    return store.households.list(listed, by, now);
}

handler_result handle_note(const command& cmd, context& ctx) {
    const auto& args = std::get<note_args>(cmd.args);
    const nlohmann::json vars{
        {"building", args.building.label}, {"room", args.room}, {"note", args.text}};
    if (!ctx.acts_on(args.building.label)) {
        return ctx.not_yours(args.building.label);
    }
    if (ctx.store.households.has_registry() &&
        !ctx.store.households.listed(args.building.label, args.room)) {
        return ctx.answer_only("note.not_in_registry", vars);
    }
    // A note is printed on every bag label of the household: a line or two, not a document.
    const auto characters =
        static_cast<std::int64_t>(std::count_if(args.text.begin(), args.text.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
    if (characters > max_note_characters) {
        return ctx.answer_only("note.too_long", {{"max", max_note_characters},
                                                 {"count", characters},
                                                 {"building", args.building.label},
                                                 {"room", args.room}});
    }
    ctx.store.households.set_note(args.building.label, args.room, args.text, ctx.sender.key(),
                                  ctx.now);
    return ctx.answer_only(args.text.empty() ? "note.cleared" : "note.saved", vars);
}

}  // namespace loudong::handlers
