#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

// An ordered list of HTTP header fields as they go on or come off the wire. Names compare
// case-insensitively (RFC 9110 §5.1); order and repeats are kept because both can matter.
class HttpHeaders
{
public:
    using Field = QPair<QByteArray, QByteArray>;

    HttpHeaders() = default;
    // Implicit, so QNetworkReply::rawHeaderPairs() converts without ceremony.
    HttpHeaders(const QList<Field> &fields) : m_fields(fields) {}

    const QList<Field> &fields() const { return m_fields; }
    bool isEmpty() const { return m_fields.isEmpty(); }
    qsizetype size() const { return m_fields.size(); }

    void append(const QByteArray &name, const QByteArray &value) { m_fields.append({name, value}); }
    // Replaces every field of that name with one, where the first one was (or at the end).
    void set(const QByteArray &name, const QByteArray &value);
    // Removes every field of that name; returns how many there were.
    qsizetype remove(const QByteArray &name);
    bool contains(const QByteArray &name) const;
    // All values of the name joined with ", " (RFC 9110 §5.3); empty when absent.
    QByteArray value(const QByteArray &name) const;
    QList<QByteArray> values(const QByteArray &name) const;

    static bool sameName(const QByteArray &a, const QByteArray &b) { return a.compare(b, Qt::CaseInsensitive) == 0; }

    bool operator==(const HttpHeaders &other) const = default;

private:
    QList<Field> m_fields;
};
