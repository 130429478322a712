#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

// A loopback token endpoint (and one API route) behaving as a seed API's documentation says,
// written from ../shared/seeds/: it stands in for the vendor's server in the template tests, so
// an environment made from a template is proved to get a token the way the vendor wants.
//   Cybrid (000): client credentials as a JSON body; scopes must be specified.
//   Banking (001): the secret only in the form body, HTTP Basic not accepted, opaque 32-character
//     tokens that expire after one hour.
//   Cymbio (002): form body with client_id, client_secret, grant_type, username, password and
//     scope; tokens valid for five minutes.
//   EnterpriseObo (003): client credentials only; POST /api/transactions needs a bearer token,
//     core.users:act-on-behalf-of for X-On-Behalf-Of: user {id}, and answers a blocked user 409
//     with the seed's body.
//   Cyclr (004): client credentials in the form body, never in the URL nor with Basic; bearer
//     tokens of 14 days (expires_in 1209599) with the clientId field; a scope account:<id>
//     restricts the token to that account's X-Cyclr-Account.
class SeedTokenServer : public QObject
{
    Q_OBJECT

public:
    enum class Seed { Cybrid, Banking, Cymbio, EnterpriseObo, Cyclr };

    SeedTokenServer(Seed seed, const QString &clientId, const QString &clientSecret, QObject *parent = nullptr);

    // Cymbio's account, checked as the username and password token parameters.
    void setAccount(const QString &username, const QString &password);
    // EnterpriseObo: the user the API treats as internally blocked.
    void setBlockedUser(const QString &userId) { m_blockedUser = userId; }

    bool listen();
    QUrl url(const QString &path) const;

    // What the last token request carried, for the tests' assertions.
    QByteArray lastContentType() const { return m_lastContentType; }
    QByteArray lastBody() const { return m_lastBody; }
    bool lastHadAuthorization() const { return m_lastHadAuthorization; }
    int tokenRequests() const { return m_tokenRequests; }

private:
    QHttpServerResponse token(const QHttpServerRequest &request);
    QHttpServerResponse transactions(const QHttpServerRequest &request);

    Seed m_seed;
    QString m_clientId;
    QString m_clientSecret;
    QString m_username;
    QString m_password;
    QString m_blockedUser;
    QHttpServer m_server;
    quint16 m_port = 0;
    QByteArray m_lastContentType;
    QByteArray m_lastBody;
    bool m_lastHadAuthorization = false;
    int m_tokenRequests = 0;
    QHash<QString, QStringList> m_issued; // token → scopes
};
