#include "jwt/JwtView.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {
// Bigger tokens are not access tokens anyone sends in a header; refuse before decoding.
constexpr qsizetype maxTokenSize = 2 * 1024 * 1024;

bool isBase64UrlAlphabet(QByteArrayView segment)
{
    for (const char c : segment) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok)
            return false;
    }
    return true;
}
} // namespace

QByteArray JwtView::base64UrlDecode(const QByteArray &segment, bool *ok)
{
    // RFC 7515 §2: base64url without padding; a length of 1 mod 4 can never be valid.
    if (!isBase64UrlAlphabet(segment) || segment.size() % 4 == 1) {
        *ok = false;
        return {};
    }
    const auto result = QByteArray::fromBase64Encoding(segment, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
                                                                    | QByteArray::AbortOnBase64DecodingErrors);
    *ok = static_cast<bool>(result);
    return result.decoded;
}

JwtView JwtView::decode(const QString &token)
{
    JwtView view;
    const QByteArray bytes = token.trimmed().toUtf8();
    const auto parts = bytes.split('.');
    // A JWT starts with a base64url JSON object, i.e. "eyJ"; anything else is some other token format.
    const bool looksLikeJwt = bytes.startsWith("eyJ") && parts.size() >= 2;
    if (!looksLikeJwt) {
        view.m_kind = Kind::Opaque;
        return view;
    }
    const auto malformed = [&view](const QString &why) {
        view.m_kind = Kind::Malformed;
        view.m_problem = why;
        view.m_header = {};
        view.m_claims = {};
        return view;
    };
    if (bytes.size() > maxTokenSize)
        return malformed(u"the token is larger than 2 MB"_s);
    if (parts.size() == 5)
        return malformed(u"the token has 5 segments: it is an encrypted JWE, whose claims cannot be read without the key"_s);
    if (parts.size() != 3)
        return malformed(u"a JWT has 3 dot-separated segments, this token has %1"_s.arg(parts.size()));

    bool ok = false;
    const QByteArray headerJson = base64UrlDecode(parts.at(0), &ok);
    if (!ok)
        return malformed(u"the header is not valid base64url"_s);
    QJsonParseError error;
    const QJsonDocument headerDoc = QJsonDocument::fromJson(headerJson, &error);
    if (error.error != QJsonParseError::NoError || !headerDoc.isObject())
        return malformed(u"the header is not a JSON object"_s);
    view.m_header = headerDoc.object();

    const QByteArray claimsJson = base64UrlDecode(parts.at(1), &ok);
    if (!ok)
        return malformed(u"the payload is not valid base64url"_s);
    const QJsonDocument claimsDoc = QJsonDocument::fromJson(claimsJson, &error);
    if (error.error != QJsonParseError::NoError || !claimsDoc.isObject())
        return malformed(u"the payload is not a JSON object"_s);
    view.m_claims = claimsDoc.object();

    if (!parts.at(2).isEmpty() && !isBase64UrlAlphabet(parts.at(2)))
        return malformed(u"the signature is not valid base64url"_s);
    view.m_kind = Kind::Jwt;
    return view;
}

QString JwtView::algorithm() const
{
    return m_header.value(u"alg"_s).toString();
}

bool JwtView::isUnsigned() const
{
    return m_kind == Kind::Jwt && algorithm().compare(u"none"_s, Qt::CaseInsensitive) == 0;
}

std::optional<QDateTime> JwtView::timeClaim(const QString &name) const
{
    const QJsonValue value = m_claims.value(name);
    if (!value.isDouble())
        return std::nullopt;
    const double seconds = value.toDouble();
    // NumericDate (RFC 7519 §2); beyond year 9999 QDateTime cannot show it honestly.
    if (!(seconds >= -62135596800.0 && seconds <= 253402300799.0))
        return std::nullopt;
    return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(seconds), Qt::UTC);
}

std::optional<QStringList> JwtView::scopes() const
{
    const QJsonValue scope = m_claims.value(u"scope"_s);
    if (scope.isString())
        return scope.toString().split(u' ', Qt::SkipEmptyParts);
    const QJsonValue scp = m_claims.value(u"scp"_s);
    if (scp.isString())
        return scp.toString().split(u' ', Qt::SkipEmptyParts);
    if (scp.isArray()) {
        QStringList list;
        for (const auto &item : scp.toArray())
            list.append(item.toString());
        return list;
    }
    if (scope.isArray()) {
        QStringList list;
        for (const auto &item : scope.toArray())
            list.append(item.toString());
        return list;
    }
    return std::nullopt;
}
