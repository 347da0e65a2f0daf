# Writes a C++ source that holds each templates/<locale>.json as a raw string, so the binary
# carries its default texts. Called by the build with -DOUT=… -DFILES=a.json|b.json.
string(REPLACE "|" ";" FILES "${FILES}")
set(body "// Generated from templates/*.json by templates/embed.cmake. Do not edit.\n")
string(APPEND body "#include \"templates/default_templates.hpp\"\n\n")
string(APPEND body "namespace loudong::templates {\n\n")
string(APPEND body "const std::vector<embedded_locale>& embedded_locales() {\n")
string(APPEND body "    static const std::vector<embedded_locale> locales{\n")
foreach(file ${FILES})
  # "zh-CN.tasks.json" → "zh-CN.tasks"; default_templates.cpp merges it into "zh-CN".
  get_filename_component(locale ${file} NAME)
  string(REGEX REPLACE "\\.json$" "" locale "${locale}")
  file(READ ${file} content)
  string(APPEND body "        {\"${locale}\", R\"loudong_json(${content})loudong_json\"},\n")
endforeach()
string(APPEND body "    };\n    return locales;\n}\n\n}  // namespace loudong::templates\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
