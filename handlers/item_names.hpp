#pragma once

#include <string>
#include <string_view>

namespace loudong::handlers {

/// The key two item names are compared by (SPEC §11): Unicode NFKC with case folding (ICU's
/// NFKC_Casefold, which also drops invisible format characters such as U+200B), then without
/// any Unicode whitespace. So "大米5kg", "大米 5kg", "大米５ＫＧ" and "大米5kg\u00A0" are one item.
/// Text that is not valid UTF-8 is compared as it is.
std::string item_key(std::string_view name);

}  // namespace loudong::handlers
