#pragma once

#include <ostream>
#include <string>

#include "bot/config.hpp"

namespace loudong::bot {

/// `loudong households import --compound ID FILE.csv`: reads the whole file, and lists its
/// rooms in the compound in one transaction, or imports nothing and says which line is wrong.
/// Returns the process exit code (0 imported, 1 refused).
int import_households(const config& cfg, const std::string& compound, const std::string& path,
                      std::ostream& out, std::ostream& err);

}  // namespace loudong::bot
