#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <functional>

// The challenges of WWW-Authenticate (RFC 9110 §11.6.1, RFC 6750 §3): any number of
// challenges in one or more fields, each a scheme with a token68 or auth-params whose values are
// tokens or quoted strings (with \-escapes, and commas that do not separate anything). Liberal
// and bounded: garbage is skipped with a note, never a crash, and work is linear in the input.
class WwwAuthenticate
{
public:
    struct Challenge
    {
        QString scheme;                          // as sent; compare case-insensitively
        QString token68;
        QList<QPair<QString, QString>> params;   // names lower-cased, values unquoted

        bool is(const QString &name) const { return scheme.compare(name, Qt::CaseInsensitive) == 0; }
        bool hasParam(const QString &name) const;
        QString param(const QString &name) const; // the first of that name; empty when absent
    };

    static constexpr int MaxChallenges = 32;
    static constexpr int MaxParams = 64;
    static constexpr qsizetype MaxLength = 16 * 1024;

    static WwwAuthenticate parse(const QByteArray &fieldValue);
    // Several WWW-Authenticate fields are one list (RFC 9110 §5.3).
    static WwwAuthenticate parse(const QList<QByteArray> &fieldValues);

    const QList<Challenge> &challenges() const { return m_challenges; }
    bool isEmpty() const { return m_challenges.isEmpty(); }
    // The first challenge of that scheme, or nullptr.
    const Challenge *find(const QString &scheme) const;
    // What was skipped or repaired, for diagnostics; empty for a well-formed header.
    const QStringList &problems() const { return m_problems; }
    // Rewrites every value the server sent (token68, parameter values): to mask what it echoed.
    void rewriteValues(const std::function<QString(const QString &)> &rewrite);

private:
    void parseOne(const QByteArray &value);

    QList<Challenge> m_challenges;
    QStringList m_problems;
};
