#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

class QProcess;

// One client registered in tests/integration/oidc/server.mjs. Keep the two in sync.
struct OidcFixtureClient
{
    QString id;
    QString secret;
    QString authMethod; // "client_secret_basic" or "client_secret_post"
};
Q_DECLARE_METATYPE(OidcFixtureClient)

// The resource owner of the password grant registered in server.mjs. Keep the two in sync.
struct OidcFixtureUser
{
    QString accountId; // the access tokens' "sub"
    QString username;
    QString password;
};
Q_DECLARE_METATYPE(OidcFixtureUser)

// Runs the real OAuth 2 authorization server of the integration tests (panva's
// oidc-provider, tests/integration/oidc/server.mjs) as a child `node` process on
// 127.0.0.1 with a free port, for the lifetime of this object.
//
//   OidcProviderProcess server;
//   QString error;
//   QVERIFY2(server.start(&error), qPrintable(error));
//   server.tokenEndpoint(); // http://127.0.0.1:<port>/token
//   server.apiBase();       // http://127.0.0.1:<api port>/api, the protected resource API
//
// The package directory is the one holding node_modules and the copied server.mjs (the
// build tree's tests/integration/oidc, filled by the ctest fixture oidc_provider_npm_install).
// The server exits by itself when its stdin closes, so it never outlives the test process.
class OidcProviderProcess : public QObject
{
    Q_OBJECT

public:
    static constexpr int StartTimeoutMs = 20000;
    static constexpr int StopTimeoutMs = 3000;

    // Package directory and script from the environment (TOKENBENCH_OIDC_DIR,
    // TOKENBENCH_OIDC_SERVER_SCRIPT) or else from the compile definitions set by
    // tests/integration/CMakeLists.txt.
    explicit OidcProviderProcess(QObject *parent = nullptr);
    // packageDir holds node_modules and server.mjs (node resolves `import 'oidc-provider'`
    // relative to the script, so the script must live there).
    explicit OidcProviderProcess(const QString &packageDir, QObject *parent = nullptr);
    ~OidcProviderProcess() override;

    OidcProviderProcess(const OidcProviderProcess &) = delete;
    OidcProviderProcess &operator=(const OidcProviderProcess &) = delete;

    // Extra command-line switches for server.mjs, e.g. "--lenient-scopes" (unknown scopes
    // are then silently dropped, as stock oidc-provider does), "--verbose", or
    // "--api-clock-offset", "301" (the resource API's clock runs ahead, so every access token
    // is expired for it while the authorization server keeps issuing them). Set before start().
    void setExtraArguments(const QStringList &arguments);

    // Starts node and waits (event loop running) up to StartTimeoutMs for the ready line.
    // On failure returns false, fills *error (may be null) and leaves nothing running.
    bool start(QString *error = nullptr);
    // Closes stdin, then SIGTERM, then SIGKILL after StopTimeoutMs. Also done by the destructor.
    void stop();

    bool isRunning() const;
    QUrl issuer() const;
    QUrl tokenEndpoint() const;
    QUrl discoveryUrl() const;
    quint16 port() const;
    // The protected resource API of server.mjs (a second listener, its own origin), from the
    // ready line's "api_base": http://127.0.0.1:<apiPort()>/api. Its routes, each needing a
    // bearer JWT access token from this server (aud apiResource()):
    //   GET  /accounts      accounts:read   200, a JSON array of accounts
    //   POST /trades        trades:execute  201, {"id", "trade": <the JSON body>, "client_id", "sub", "on_behalf_of"}
    //   GET  /echo-headers  accounts:read   200, the request headers it received (lower-case
    //                                       names), except Authorization
    // RFC 6750 errors: no token 401 (Bearer realm="oidc-fixture"), bad or expired token 401
    // invalid_token, missing scope 403 insufficient_scope with scope="<the route's scope>".
    QUrl apiBase() const;
    quint16 apiPort() const;
    // Mutual TLS (RFC 8705), when started with "--mtls-cert", "--mtls-key", "--mtls-ca" (PEM files):
    // the provider again over https (https://127.0.0.1:<port>, its token endpoint at /token; the
    // metadata's mtls_endpoint_aliases point there) and the resource API over https
    // (https://127.0.0.1:<port>/api). Both ask for a client certificate. Empty without mTLS.
    QUrl mtlsBase() const;
    QUrl mtlsApiBase() const;
    QString packageDir() const;
    QString serverScript() const;
    // Everything the server wrote to stderr so far (errors, --verbose logs).
    QString standardErrorOutput() const;

    // The fixture's registrations (mirrors server.mjs).
    static QString apiResource();
    // The realm of the resource API's WWW-Authenticate challenges.
    static QString apiRealm();
    static QStringList apiScopes();
    static OidcFixtureClient basicClient();
    static OidcFixtureClient postClient();
    // ':' ' ' '+' '%' '&' '/' '=' in the id, plus "~*'()!" in the secret. oidc-provider only
    // accepts RFC 6749 Appendix A VSCHAR (printable ASCII) in client_id/client_secret, so
    // this is as exotic as it allows.
    static OidcFixtureClient specialClient();
    // The client credentials clients: basicClient(), postClient(), specialClient(). Each
    // of them may use the password grant too.
    static QList<OidcFixtureClient> clients();

    // The password grant (RFC 6749 §4.3), a custom grant type of server.mjs: oidc-provider
    // has none built in. grant_type "password", parameters username, password, scope.
    static QString passwordGrantType();
    // "tb-password", client_secret_post, allowed the password grant only (client_credentials
    // is refused with invalid_request).
    static OidcFixtureClient passwordClient();
    // clients() plus passwordClient(): every client that may use the password grant.
    static QList<OidcFixtureClient> passwordGrantClients();
    // ana@example.com; the password has a space, ':' '+' '&' '%' '@' and a non-ASCII 'é'
    // (grant parameters, unlike client credentials, may be any UTF-8).
    static OidcFixtureUser passwordUser();

Q_SIGNALS:
    // The server went away while it was supposed to be running.
    void unexpectedlyFinished(int exitCode);

private Q_SLOTS:
    void onReadyReadStandardOutput();
    void onReadyReadStandardError();
    void onFinished(int exitCode);

private:
    bool fail(QString *error, const QString &message);
    bool parseReadyLine(const QByteArray &line);

    QString m_packageDir;
    QString m_serverScript;
    QStringList m_extraArguments;
    QProcess *m_process = nullptr;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderr;
    QUrl m_issuer;
    QUrl m_tokenEndpoint;
    quint16 m_port = 0;
    QUrl m_apiBase;
    quint16 m_apiPort = 0;
    QUrl m_mtlsBase;
    QUrl m_mtlsApiBase;
    bool m_ready = false;
    bool m_stopping = false;
};
