#include "ExpectedStatus.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

std::optional<ExpectedStatus> ExpectedStatus::parse(const QString &text, QString *error)
{
    static const QRegularExpression code(uR"(^[1-5][0-9][0-9]$)"_s);
    static const QRegularExpression statusClass(uR"(^[1-5]xx$)"_s, QRegularExpression::CaseInsensitiveOption);
    ExpectedStatus out;
    for (const QString &part : text.split(u',')) {
        const QString item = part.trimmed();
        if (code.match(item).hasMatch()) {
            out.m_codes.append(item.toInt());
            out.m_items.append(item);
        } else if (statusClass.match(item).hasMatch()) {
            out.m_classes.append(item.left(1).toInt());
            out.m_items.append(item.toLower());
        } else {
            *error = u"--expect-status needs HTTP statuses (100-599) or classes (2xx) separated by commas, got \"%1\""_s.arg(
                item.isEmpty() ? text : item);
            return std::nullopt;
        }
    }
    return out;
}

bool ExpectedStatus::matches(int status) const
{
    return m_codes.contains(status) || m_classes.contains(status / 100);
}

QString ExpectedStatus::text() const
{
    return m_items.join(u" or "_s);
}
