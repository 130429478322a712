#pragma once

#include "history/Redactor.h"

#include <QByteArray>
#include <QList>
#include <QString>

struct AccessToken;
struct OAuthError;
struct TokenRequest;

// The secret values this process has seen: the environments' client secrets, passwords and
// secret token parameters, every access and refresh token fetched, and values that fed a
// credential header. One set answers two questions the same way everywhere:
//  - where does one of them hide in this text (a draft about to be saved, an export)?
//  - this text without them (an excerpt of a server's page, an error message).
// Values are matched raw, percent- and form-encoded, JSON-escaped and in base64 (so inside
// "Basic base64(id:secret)"), as the history's Redactor matches them; strings shaped like a JWT
// count as tokens even when nobody told us about them. Never written anywhere.
class KnownSecrets
{
public:
    struct Secret
    {
        QString value;
        QString what; // "the client secret", "an access token", "secret parameter audience"

        bool operator==(const Secret &other) const = default;
    };

    KnownSecrets();

    // Empty and too short values are ignored (see Redactor::MinimumSecretLength); a value already
    // known keeps its first description.
    void add(const QString &value, const QString &what);
    void addTokenRequest(const TokenRequest &request);
    void addToken(const AccessToken &token);
    void addAll(const KnownSecrets &other);

    const QList<Secret> &secrets() const { return m_secrets; }
    QStringList values() const;
    bool isEmpty() const { return m_secrets.isEmpty(); }

    // What the first known secret found in text is ("the client secret"), "a token-shaped string
    // (a JWT)" for a JWT nobody told us about, or empty when text holds none.
    QString findIn(const QByteArray &text) const;
    QString findIn(const QString &text) const { return findIn(text.toUtf8()); }

    // The text with every known secret and JWT-shaped string replaced by "••••".
    QByteArray mask(const QByteArray &bytes) const;
    QString mask(const QString &text) const;
    // Every text of the error that came from a server or a transport: description, excerpt, detail, uri.
    OAuthError mask(const OAuthError &error) const;

    static QString jwtShapedDescription();

private:
    QList<Secret> m_secrets;
    Redactor m_values; // by value only: knows every secret, and JWT-shaped strings
};
