#pragma once

#include "jwt/JwksKeySet.h"
#include "jwt/SignatureCheck.h"

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

class ProviderDocumentFetch;
struct ProviderDocument;

// Checks a token's signature against the JWKS at a URL (the environment's provider.jwksUrl),
// asynchronously: the key set is fetched through ProviderDocumentFetch (libcurl, ≤ 1 MB, TLS
// verified with the environment's trusted certificates, redirects within the origin only) and
// kept per URL for the process, so each token shown does not fetch it again. A kid the cached
// set lacks fetches it once more (the issuer may have rotated its keys). finished() comes once.
class SignatureCheckRunner : public QObject
{
    Q_OBJECT

public:
    explicit SignatureCheckRunner(QObject *parent = nullptr);

    void start(const QString &token, const QUrl &jwksUrl, const QByteArray &trustedCertificates, int timeoutMs = 30000);
    void cancel();
    bool isRunning() const { return m_running; }

    // Forgets every cached key set (tests; a user asking to check again).
    static void clearCache();

Q_SIGNALS:
    void finished(const SignatureCheck &check);

private:
    void fetch(bool refetch);
    void onKeySet(const ProviderDocument &document, bool refetch);
    void finish(const SignatureCheck &check);

    QString m_token;
    QUrl m_jwksUrl;
    QByteArray m_trustedCertificates;
    int m_timeoutMs = 30000;
    QPointer<ProviderDocumentFetch> m_fetch;
    bool m_running = false;
    int m_generation = 0;
};
