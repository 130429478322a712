#include "secrets/KnownSecrets.h"

#include "oauth/AccessToken.h"
#include "oauth/OAuthError.h"
#include "oauth/TokenRequest.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("KnownSecrets", text);
}
} // namespace

KnownSecrets::KnownSecrets()
{
    m_values.setMaskJwtLike(true);
}

void KnownSecrets::add(const QString &value, const QString &what)
{
    if (value.size() < Redactor::MinimumSecretLength)
        return;
    for (const Secret &known : std::as_const(m_secrets)) {
        if (known.value == value)
            return;
    }
    m_secrets.append({value, what});
    m_values.addSecret(value);
}

void KnownSecrets::addTokenRequest(const TokenRequest &request)
{
    add(request.clientSecret, tr("the client secret"));
    add(request.password, tr("the password"));
    add(request.authorizationCode, tr("the authorization code"));
    add(request.codeVerifier, tr("the PKCE code verifier"));
    add(request.deviceCode, tr("the device code"));
    add(request.privateKey, tr("the private key"));
    add(request.clientKey, tr("the client certificate's key"));
    add(request.refreshToken, tr("a refresh token"));
    for (const auto &[name, value] : request.extraParams) {
        if (request.secretParamNames.contains(name))
            add(value, tr("the secret parameter %1").arg(name));
    }
}

void KnownSecrets::addToken(const AccessToken &token)
{
    add(token.value, tr("an access token"));
    add(token.refreshToken, tr("a refresh token"));
}

void KnownSecrets::addAll(const KnownSecrets &other)
{
    for (const Secret &secret : other.m_secrets)
        add(secret.value, secret.what);
}

QStringList KnownSecrets::values() const
{
    QStringList out;
    out.reserve(m_secrets.size());
    for (const Secret &secret : m_secrets)
        out.append(secret.value);
    return out;
}

QString KnownSecrets::jwtShapedDescription()
{
    return tr("a token-shaped string (a JWT)");
}

QString KnownSecrets::findIn(const QByteArray &text) const
{
    if (text.isEmpty() || m_values.redactSecretValues(text) == text)
        return {};
    // Which one: rare (a refusal), so one small net per secret is cheap enough.
    for (const Secret &secret : m_secrets) {
        Redactor one;
        one.setMaskJwtLike(false);
        one.setSecrets({secret.value});
        if (one.redactSecretValues(text) != text)
            return secret.what;
    }
    return jwtShapedDescription();
}

QByteArray KnownSecrets::mask(const QByteArray &bytes) const
{
    return m_values.redactSecretValues(bytes);
}

QString KnownSecrets::mask(const QString &text) const
{
    if (text.isEmpty())
        return text;
    const QByteArray utf8 = text.toUtf8();
    const QByteArray masked = m_values.redactSecretValues(utf8);
    return masked == utf8 ? text : QString::fromUtf8(masked);
}

OAuthError KnownSecrets::mask(const OAuthError &error) const
{
    OAuthError out = error;
    out.code = mask(error.code);
    out.description = mask(error.description);
    out.uri = mask(error.uri);
    out.detail = mask(error.detail);
    out.excerpt = mask(error.excerpt);
    return out;
}
