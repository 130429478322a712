#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>

// A decoded view of a JWT access token (RFC 7519): header and claims, nothing verified.
// Tokens that are not JWTs are reported as opaque; JWT-shaped tokens that fail to decode
// are reported as malformed with the reason.
class JwtView
{
public:
    enum class Kind { Opaque, Jwt, Malformed };

    static JwtView decode(const QString &token);

    Kind kind() const { return m_kind; }
    bool isJwt() const { return m_kind == Kind::Jwt; }
    QString problem() const { return m_problem; }
    QJsonObject header() const { return m_header; }
    QJsonObject claims() const { return m_claims; }
    QString algorithm() const;
    // alg "none": the token is unsigned; tools must say so rather than imply it is trustworthy.
    bool isUnsigned() const;

    std::optional<QDateTime> expiresAt() const { return timeClaim(QStringLiteral("exp")); }
    std::optional<QDateTime> issuedAt() const { return timeClaim(QStringLiteral("iat")); }
    std::optional<QDateTime> notBefore() const { return timeClaim(QStringLiteral("nbf")); }
    std::optional<QDateTime> timeClaim(const QString &name) const;
    // "scope" (space separated, RFC 8693/9068) or "scp" (array or string); nullopt when neither is present.
    std::optional<QStringList> scopes() const;

    static QByteArray base64UrlDecode(const QByteArray &segment, bool *ok);

private:
    Kind m_kind = Kind::Opaque;
    QString m_problem;
    QJsonObject m_header;
    QJsonObject m_claims;
};
