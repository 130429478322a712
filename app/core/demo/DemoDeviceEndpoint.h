#pragma once

#include <QDateTime>
#include <QHash>
#include <QHttpServerResponse>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

class QHttpServer;
class QHttpServerRequest;

// The Demo API's device authorization grant (RFC 8628): POST /oauth/device_authorization
// hands out a device code and a user code, GET /device is the verification page where the user
// code is entered and approved or denied (a POST of user_code and decision=approve|deny does it
// from a script), and the token endpoint redeems a device code through redeem(): pending, slow
// down (a poll sooner than the interval adds 5 s to it), approved, denied or expired.
class DemoDeviceEndpoint
{
public:
    // Parses a request's form or JSON parameters and authenticates its client as the token
    // endpoint does: nullopt with *clientId filled, or the error answer to send.
    using ClientAuthenticator = std::function<std::optional<QHttpServerResponse>(
            const QHttpServerRequest &request, QHash<QString, QString> *params, QString *clientId)>;

    static QString grantType() { return QStringLiteral("urn:ietf:params:oauth:grant-type:device_code"); }
    static QString authorizationPath() { return QStringLiteral("/oauth/device_authorization"); }
    static QString verificationPath() { return QStringLiteral("/device"); }

    // The token endpoint's answer to a device code: refusal set (the RFC 8628 §3.5 error to
    // send), or the subject and scopes the person approved.
    struct Redemption
    {
        std::optional<QHttpServerResponse> refusal;
        QString subject;
        QStringList scopes;
    };

    DemoDeviceEndpoint(std::function<QUrl()> baseUrl, ClientAuthenticator authenticate);

    void registerRoutes(QHttpServer *server);
    Redemption redeem(const QString &clientId, const QString &deviceCode);

    // What the verification page does, for the page and for tests: false for an unknown,
    // used or expired code.
    bool approve(const QString &userCode);
    bool deny(const QString &userCode);

    // How long a device code lives (default 600 s) and the polling interval it asks for
    // (default 1 s: a Demo is quick); tests shorten the first.
    void setLifetime(int seconds) { m_lifetime = seconds; }
    void setIntervalSeconds(int seconds) { m_interval = seconds; }
    int intervalSeconds() const { return m_interval; }
    // How many times a device code was presented at the token endpoint (what a client's polling costs).
    int redemptionAttempts() const { return m_attempts; }

private:
    enum class State { Pending, Approved, Denied };
    struct Code
    {
        QString userCode;
        QString clientId;
        QStringList scopes;
        QDateTime expiresAt;
        QDateTime lastPoll;
        int intervalSeconds = 1;
        State state = State::Pending;
    };

    QHttpServerResponse authorize(const QHttpServerRequest &request);
    QHttpServerResponse page(const QString &userCode, const QString &message, QHttpServerResponder::StatusCode status) const;
    QHttpServerResponse decide(const QHttpServerRequest &request);
    // The device code of a pending, unexpired user code as typed (any case, with or without '-').
    QString findPending(const QString &userCode) const;
    static QString normalized(const QString &userCode);

    std::function<QUrl()> m_baseUrl;
    ClientAuthenticator m_authenticate;
    QHash<QString, Code> m_codes; // by device code
    int m_lifetime = 600;
    int m_interval = 1;
    int m_attempts = 0;
};
