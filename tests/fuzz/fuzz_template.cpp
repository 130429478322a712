// {{variables}} are substituted, never evaluated; text without placeholders is left alone.
#include "util/TemplateExpander.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const TemplateExpander::Variables vars = {{QStringLiteral("userId"), QStringLiteral("{{userId}}")},
                                              {QStringLiteral("a"), QStringLiteral("1")}};
    QStringList unresolved;
    const QString out = TemplateExpander::expand(text, vars, &unresolved);
    if (!text.contains(QStringLiteral("{{")) && out != text)
        __builtin_trap();
    (void)TemplateExpander::placeholders(text);
    return 0;
}
