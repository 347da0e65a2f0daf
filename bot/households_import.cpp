#include "bot/households_import.hpp"

#include <chrono>
#include <fstream>
#include <iterator>

#include <SQLiteCpp/Transaction.h>

#include "handlers/context.hpp"
#include "handlers/registry.hpp"
#include "storage/database.hpp"

namespace loudong::bot {

int import_households(const config& cfg, const std::string& compound, const std::string& path,
                      std::ostream& out, std::ostream& err) {
    const auto compounds = cfg.effective_compounds();
    const auto found = compounds.find(compound);
    if (found == compounds.end()) {
        std::string known;
        for (const auto& [id, c] : compounds) {
            known += (known.empty() ? "" : "、") + id + "（" + c.name + "）";
        }
        err << "loudong: 没有“" << compound << "”这个小区。配置里的小区：" << known << "\n";
        return 1;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        err << "loudong: 读不了文件 " << path << "\n";
        return 1;
    }
    const std::string bytes((std::istreambuf_iterator<char>(file)),
                            std::istreambuf_iterator<char>());
    const auto read = handlers::read_registry_csv(bytes);
    if (const auto* problem = std::get_if<handlers::registry_csv_error>(&read)) {
        err << "loudong: " << path << "：" << handlers::describe(*problem)
            << "。没有导入任何房号。\n";
        return 1;
    }
    const auto& rooms = std::get<std::vector<handlers::registry_line>>(read);
    storage::database db(cfg.db);
    handlers::repositories store(db.connection());
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    SQLite::Transaction transaction(db.connection());
    const auto added = handlers::import_registry(store, compound, rooms, "import:" + path, now);
    transaction.commit();
    out << "已导入" << found->second.name << "（" << compound << "）的房号表：" << rooms.size()
        << "户，其中新增" << added << "户。\n";
    return 0;
}

}  // namespace loudong::bot
