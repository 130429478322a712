#include "http/HttpHeaders.h"

void HttpHeaders::set(const QByteArray &name, const QByteArray &value)
{
    qsizetype at = -1;
    for (qsizetype i = 0; i < m_fields.size(); ++i) {
        if (sameName(m_fields.at(i).first, name)) {
            at = i;
            break;
        }
    }
    remove(name);
    if (at < 0 || at > m_fields.size())
        m_fields.append({name, value});
    else
        m_fields.insert(at, {name, value});
}

qsizetype HttpHeaders::remove(const QByteArray &name)
{
    return m_fields.removeIf([&name](const Field &field) { return sameName(field.first, name); });
}

bool HttpHeaders::contains(const QByteArray &name) const
{
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            return true;
    }
    return false;
}

QList<QByteArray> HttpHeaders::values(const QByteArray &name) const
{
    QList<QByteArray> out;
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            out.append(field.second);
    }
    return out;
}

QByteArray HttpHeaders::value(const QByteArray &name) const
{
    return values(name).join(", ");
}
