#include "http/OriginGuard.h"

#include "request/CredentialHeaders.h"

#include <QCoreApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

OriginGuard::OriginGuard(const QUrl &apiBase, const QList<QUrl> &alsoTrusted)
{
    for (const QUrl &url : QList<QUrl>{apiBase} + alsoTrusted) {
        const QString origin = originOf(url);
        if (!origin.isEmpty() && !m_trusted.contains(origin))
            m_trusted.append(origin);
    }
}

QString OriginGuard::originOf(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s))
        return {};
    const int port = url.port(scheme == u"https"_s ? 443 : 80);
    // QUrl already lower-cases and IDNA-normalises the host; brackets keep IPv6 unambiguous.
    QString host = url.host(QUrl::FullyEncoded).toLower();
    if (host.contains(u':'))
        host = u'[' + host + u']';
    return u"%1://%2:%3"_s.arg(scheme, host).arg(port);
}

bool OriginGuard::sameOrigin(const QUrl &a, const QUrl &b)
{
    const QString origin = originOf(a);
    return !origin.isEmpty() && origin == originOf(b);
}

bool OriginGuard::allows(const QUrl &url) const
{
    const QString origin = originOf(url);
    return !origin.isEmpty() && m_trusted.contains(origin);
}

QString OriginGuard::withheldReason(const QUrl &url) const
{
    if (m_trusted.isEmpty())
        return QCoreApplication::translate("OriginGuard", "the environment has no API base URL, so no origin is trusted with its credentials");
    const QString origin = originOf(url);
    return QCoreApplication::translate("OriginGuard", "%1 is not the environment's API origin (%2); its token and context headers go nowhere else")
        .arg(origin.isEmpty() ? url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) : origin, m_trusted.join(u", "_s));
}

QList<QByteArray> OriginGuard::credentialHeaders()
{
    return CredentialHeaders::names();
}

bool OriginGuard::isCredentialHeader(QByteArrayView name)
{
    return CredentialHeaders::contains(name);
}

bool OriginGuard::urlContains(const QUrl &url, const QString &secret)
{
    if (secret.isEmpty())
        return false;
    const QByteArray encoded = url.toEncoded();
    // Every form below is at least as long as the secret (UTF-8 and percent-encoding only add
    // bytes, and decoding the URL only removes them), so a shorter URL cannot hold it. A token is
    // usually longer than the URL it goes to: this spares encoding it on every request.
    if (encoded.size() < secret.size())
        return false;
    const QByteArray raw = secret.toUtf8();
    if (encoded.contains(raw) || encoded.contains(QUrl::toPercentEncoding(secret)))
        return true;
    // Form encoding turns spaces into '+'; a token has none, but a secret might.
    QByteArray form = QUrl::toPercentEncoding(secret, " ");
    form.replace(' ', '+');
    if (encoded.contains(form))
        return true;
    return QString::fromUtf8(QByteArray::fromPercentEncoding(encoded)).contains(secret);
}
