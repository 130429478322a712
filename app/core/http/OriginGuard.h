#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

// Decides where credentials may go: the bearer token and the environment's context headers
// are sent only to the environment's API origin (scheme, host and port, RFC 6454), plus any
// origin the user trusted explicitly. Everything else gets the request without them.
class OriginGuard
{
public:
    OriginGuard() = default;
    explicit OriginGuard(const QUrl &apiBase, const QList<QUrl> &alsoTrusted = {});

    // "https://api.example.com:443": lower-case scheme and host, default port filled in;
    // empty for anything but an http(s) URL with a host.
    static QString originOf(const QUrl &url);
    static bool sameOrigin(const QUrl &a, const QUrl &b);

    bool allows(const QUrl &url) const;
    QStringList trustedOrigins() const { return m_trusted; }
    // One sentence for the user: why nothing secret went to this URL.
    QString withheldReason(const QUrl &url) const;

    // Headers that carry credentials whoever set them: never sent to an untrusted origin, never
    // kept in a saved request. Authorization, Proxy-Authorization, Cookie and the common API-key
    // headers. The one list: saving (CredentialScan) and the wire (Exchange) both read it.
    static QList<QByteArray> credentialHeaders();
    static bool isCredentialHeader(QByteArrayView name);
    // Whether a secret shows up anywhere in a URL, raw, percent-encoded or form-encoded.
    static bool urlContains(const QUrl &url, const QString &secret);

private:
    QStringList m_trusted;
};
