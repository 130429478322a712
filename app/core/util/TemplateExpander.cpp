#include "util/TemplateExpander.h"

#include <QRegularExpression>

namespace {
const QRegularExpression &placeholderPattern()
{
    // Names are identifiers with dots and dashes (userId, api-host, account.id); spaces around them are allowed.
    static const QRegularExpression re(QStringLiteral(R"(\{\{\s*([A-Za-z_][A-Za-z0-9_.\-]*)\s*\}\})"));
    return re;
}
} // namespace

QString TemplateExpander::expand(const QString &text, const Variables &variables, QStringList *unresolved)
{
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(1);
        bool found = false;
        for (const auto &[key, value] : variables) {
            if (key == name) {
                out += value;
                found = true;
                break;
            }
        }
        if (!found) {
            out += match.captured(0);
            if (unresolved && !unresolved->contains(name))
                unresolved->append(name);
        }
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

QStringList TemplateExpander::placeholders(const QString &text)
{
    QStringList names;
    auto it = placeholderPattern().globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}
