// ICU's normaliser: NFKC with case folding is a Unicode table of several thousand mappings that
// the standard library does not have; Debian's libicu-dev carries it (see the README).
#include "handlers/item_names.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace loudong::handlers {

std::string item_key(std::string_view name) {
    UErrorCode status = U_ZERO_ERROR;
    const auto* nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status) || nfkc_cf == nullptr) {
        return std::string(name);
    }
    const auto text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(name.data(), static_cast<std::int32_t>(name.size())));
    if (text.isBogus()) {
        return std::string(name);
    }
    const auto folded = nfkc_cf->normalize(text, status);
    if (U_FAILURE(status)) {
        return std::string(name);
    }
    icu::UnicodeString kept;
    for (std::int32_t i = 0; i < folded.length();) {
        const auto c = folded.char32At(i);
        if (!u_isUWhiteSpace(c)) {
            kept.append(c);
        }
        i += U16_LENGTH(c);
    }
    std::string key;
    kept.toUTF8String(key);
    return key;
}

}  // namespace loudong::handlers
