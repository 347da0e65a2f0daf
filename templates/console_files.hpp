#pragma once

#include <map>
#include <string_view>

namespace loudong::templates {

/// The console's page templates and stylesheet (templates/console/), by file name.
const std::map<std::string_view, std::string_view>& console_files();

}  // namespace loudong::templates
