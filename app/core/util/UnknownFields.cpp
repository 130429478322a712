#include "util/UnknownFields.h"

using namespace Qt::StringLiterals;

QString UnknownFields::Rows::next(const QString &rowName)
{
    const int seen = ++m_seen[rowName];
    const QString scope = m_list + u'/' + rowName;
    return seen == 1 ? scope : scope + u'#' + QString::number(seen);
}

void UnknownFields::set(const QString &scope, const QJsonObject &members)
{
    if (members.isEmpty())
        m_members.remove(scope);
    else
        m_members.insert(scope, members);
}

void UnknownFields::writeInto(const QString &scope, QJsonObject *json) const
{
    const auto found = m_members.constFind(scope);
    if (found == m_members.constEnd())
        return;
    for (auto it = found->constBegin(); it != found->constEnd(); ++it) {
        if (!json->contains(it.key()))
            json->insert(it.key(), it.value());
    }
}
