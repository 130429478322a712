#include "util/TemplateExpander.h"

#include <QRegularExpression>

namespace {
// Any {{…}} pair; only names that are identifiers (with dots and dashes: userId, api-host,
// account.id) are ever substituted, everything else stays literal and is reported.
const QRegularExpression &pairPattern()
{
    static const QRegularExpression re(QStringLiteral(R"(\{\{([^{}]*)\}\})"));
    return re;
}

bool isName(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(R"(^[A-Za-z_][A-Za-z0-9_.\-]*$)"));
    return re.match(text).hasMatch();
}
} // namespace

QString TemplateExpander::expand(const QString &text, const Variables &variables, QStringList *unresolved)
{
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = pairPattern().globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(1).trimmed();
        bool found = false;
        if (isName(name)) {
            for (const auto &[key, value] : variables) {
                if (key == name) {
                    out += value; // inserted as is: a value is never expanded again
                    found = true;
                    break;
                }
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
    auto it = pairPattern().globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1).trimmed();
        if (isName(name) && !names.contains(name))
            names.append(name);
    }
    return names;
}
