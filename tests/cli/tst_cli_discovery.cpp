#include "support/CliRunner.h"
#include "support/ForwardProxyProcess.h"
#include "support/ScriptedHttpServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QFile>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// env add|set --issuer against loopback servers: what the metadata fills, and what is refused.
class tst_CliDiscovery : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_workspace;

    // No proxy variables of the machine's: only what the test chooses.
    static QProcessEnvironment withoutProxyVariables()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString &name : {u"http_proxy"_s, u"HTTP_PROXY"_s, u"https_proxy"_s, u"HTTPS_PROXY"_s, u"all_proxy"_s, u"ALL_PROXY"_s,
                                    u"no_proxy"_s, u"NO_PROXY"_s})
            env.remove(name);
        return env;
    }

    CliRun cli(const QStringList &rest, const QByteArray &in = {}) const
    {
        return runCli(QStringList{u"--workspace"_s, m_workspace} + rest, withoutProxyVariables(), in);
    }

    // An issuer's metadata on loopback, and a real tinyproxy in front that demands a user and password.
    struct GuardedIssuer
    {
        std::unique_ptr<ForwardProxyProcess> proxy;
        ScriptedHttpServer server;
        QString issuer;
        QByteArray wellKnown; // the metadata GET as the proxy's log shows it

        bool start(const QString &user, const QString &password, QString *error)
        {
            proxy = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, error, user, password);
            if (!proxy || !server.listen())
                return false;
            issuer = server.url({}).toString();
            server.setResponse(metadata(issuer));
            wellKnown = "GET " + issuer.toUtf8() + "/.well-known/openid-configuration HTTP/1.1";
            return true;
        }
        int metadataGets() const { return int(proxy->log().count(wellKnown)); }
    };

    static QByteArray metadata(const QString &issuer)
    {
        const QJsonObject object{
            {u"issuer"_s, issuer},
            {u"token_endpoint"_s, issuer + u"/token"_s},
            {u"authorization_endpoint"_s, issuer + u"/auth"_s},
            {u"device_authorization_endpoint"_s, issuer + u"/device/auth"_s},
            {u"revocation_endpoint"_s, issuer + u"/token/revocation"_s},
            {u"introspection_endpoint"_s, issuer + u"/token/introspection"_s},
            {u"jwks_uri"_s, issuer + u"/jwks"_s},
            {u"grant_types_supported"_s, QJsonArray{u"authorization_code"_s, u"urn:ietf:params:oauth:grant-type:device_code"_s}},
            {u"token_endpoint_auth_methods_supported"_s, QJsonArray{u"client_secret_post"_s, u"none"_s}},
            {u"scopes_supported"_s, QJsonArray{u"openid"_s, u"accounts:read"_s}},
        };
        return ScriptedHttpServer::response(200, "OK", "application/json", QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath(u"ws-%1.json"_s.arg(QString::fromLatin1(QTest::currentTestFunction())));
    }

    void addFillsFromTheIssuer()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));
        const CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, issuer, u"--api-url"_s, u"https://api.example.com"_s,
                                u"--client-id"_s, u"app"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("token URL: " + issuer.toUtf8() + "/token"), run.out.constData());
        QVERIFY(run.out.contains("grant: authorization_code"));
        QVERIFY(run.out.contains("client authentication: body"));
        QVERIFY(run.err.contains("/.well-known/openid-configuration"));

        const CliRun show = cli({u"--json"_s, u"env"_s, u"show"_s, u"corp"_s});
        QCOMPARE(show.exitCode, 0);
        const QJsonObject env = show.json();
        QCOMPARE(env.value(u"tokenUrl"_s).toString(), issuer + u"/token"_s);
        QCOMPARE(env.value(u"grantType"_s).toString(), u"authorization_code"_s);
        QCOMPARE(env.value(u"clientAuth"_s).toString(), u"body"_s);
        const QJsonObject provider = env.value(u"provider"_s).toObject();
        QVERIFY2(!provider.isEmpty(), show.out.constData());
        QCOMPARE(provider.value(u"issuer"_s).toString(), issuer);
        QCOMPARE(provider.value(u"jwksUrl"_s).toString(), issuer + u"/jwks"_s);
        QCOMPARE(provider.value(u"revocationUrl"_s).toString(), issuer + u"/token/revocation"_s);
    }

    // --issuer reads the metadata through the environment's own proxy, as its token and API
    // requests go: a real tinyproxy's log shows the well-known GET; with a proxy user, the
    // password already in the keychain (env set) is given to it.
    void discoveryGoesThroughTheEnvironmentsProxy()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"disco-cli"_s;
        const QString password = u"Disc0-Cli-Pr0xy-7731"_s;
        QString error;
        const auto open = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error);
        QVERIFY2(open, qPrintable(error));
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));
        const QByteArray wellKnown = "GET " + issuer.toUtf8() + "/.well-known/openid-configuration HTTP/1.1";

        CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, issuer, u"--api-url"_s, u"https://api.example.com"_s,
                          u"--client-id"_s, u"app"_s, u"--proxy"_s, open->url().toString()});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(open->log().contains(wellKnown), open->log().constData());
        QVERIFY(run.out.contains("token URL: " + issuer.toUtf8() + "/token"));

        // Direct: straight to the server.
        const int before = int(open->log().count(wellKnown));
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--proxy"_s, u"direct"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(int(open->log().count(wellKnown)), before);

        // A proxy that asks for credentials: the password stored for the environment goes to it.
        const auto guarded = ForwardProxyProcess::start(ForwardProxyProcess::Kind::Tinyproxy, &error, user, password);
        QVERIFY2(guarded, qPrintable(error));
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--proxy"_s, guarded->url().toString(), u"--proxy-user"_s, user});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = cli({u"secret"_s, u"set"_s, u"corp"_s, u"proxy-password"_s}, password.toUtf8());
        if (run.exitCode == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(guarded->log().contains(wellKnown), guarded->log().constData());
        QVERIFY(!(run.out + run.err).contains(password.toUtf8()));
    }

    // A proxy that demands a password: env add --issuer can answer it only if the password is
    // there before discovery. --proxy-password-stdin gives it (never argv); it reaches the
    // proxy, is kept in the keychain once the environment is saved, and is not kept when the
    // add fails.
    void addGivesTheProxyItsPasswordBeforeDiscovery()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"stdin-user"_s;
        const QString password = u"Std1n-Pr0xy-Pw-5521"_s;
        GuardedIssuer guarded;
        QString error;
        QVERIFY2(guarded.start(user, password, &error), qPrintable(error));
        const QString issuer = guarded.issuer;
        const QStringList add{u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, issuer, u"--api-url"_s, u"https://api.example.com"_s,
                              u"--client-id"_s, u"app"_s, u"--proxy"_s, guarded.proxy->url().toString(), u"--proxy-user"_s, user};

        // Without the password (not a terminal, nothing piped): refused by the proxy, and told how.
        CliRun run = cli(add);
        QVERIFY2(run.exitCode != 0, run.out.constData());
        QVERIFY2(run.err.contains("--proxy-password-stdin"), run.err.constData());
        QCOMPARE(cli({u"env"_s, u"show"_s, u"corp"_s}).exitCode, 3);

        // A wrong password: the add fails, and nothing is saved or kept.
        run = cli(add + QStringList{u"--proxy-password-stdin"_s}, "not-the-password\n");
        QVERIFY2(run.exitCode != 0, run.out.constData());
        QCOMPARE(cli({u"env"_s, u"show"_s, u"corp"_s}).exitCode, 3);

        // The right one, piped in: discovery goes through the proxy with it.
        const int before = guarded.metadataGets();
        run = cli(add + QStringList{u"--proxy-password-stdin"_s}, password.toUtf8() + '\n');
        if (run.exitCode == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(guarded.metadataGets() > before, guarded.proxy->log().constData());
        QVERIFY2(run.out.contains("token URL: " + issuer.toUtf8() + "/token"), run.out.constData());
        QVERIFY(!(run.out + run.err).contains(password.toUtf8()));
        QVERIFY(!run.arguments.join(u' ').contains(password));
        QFile file(m_workspace);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains(password.toUtf8()));

        // Kept in the keychain under the new environment: a later discovery needs nothing given.
        const int kept = guarded.metadataGets();
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY(guarded.metadataGets() > kept);

        // An add refused after discovery (the name exists) keeps nothing: the stored password stays.
        run = cli(add + QStringList{u"--proxy-password-stdin"_s}, password.toUtf8() + '\n');
        QCOMPARE(run.exitCode, 3);
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());

        // --proxy-password-stdin without a proxy user is a usage error.
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--proxy"_s, u"direct"_s, u"--proxy-password-stdin"_s}, "x\n");
        QCOMPARE(run.exitCode, 2);
    }

    // env set with a new proxy user and its password from standard input: the same.
    void setGivesTheProxyItsPasswordBeforeDiscovery()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"set-user"_s;
        const QString password = u"S3t-Pr0xy-Pw-8812"_s;
        GuardedIssuer guarded;
        QString error;
        QVERIFY2(guarded.start(user, password, &error), qPrintable(error));
        const QString issuer = guarded.issuer;
        CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--token-url"_s, issuer + u"/token"_s, u"--api-url"_s, u"https://api.example.com"_s,
                          u"--client-id"_s, u"app"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--issuer"_s, issuer, u"--proxy"_s, guarded.proxy->url().toString(), u"--proxy-user"_s, user,
                   u"--proxy-password-stdin"_s},
                  password.toUtf8());
        if (run.exitCode == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(guarded.metadataGets() == 1, guarded.proxy->log().constData());
        QVERIFY(!(run.out + run.err).contains(password.toUtf8()));
        run = cli({u"env"_s, u"set"_s, u"corp"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(guarded.metadataGets(), 2);
    }

    // The password kept by env add reaches the proxy on the other requests too — here a revoke
    // of a public client's token (no client secret, yet its proxy still wants the password).
    void revokeOfAPublicClientGivesTheProxyItsPassword()
    {
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"revoke-user"_s;
        const QString password = u"R3v0ke-Pr0xy-Pw-4417"_s;
        GuardedIssuer guarded;
        QString error;
        QVERIFY2(guarded.start(user, password, &error), qPrintable(error));
        CliRun run = cli({u"env"_s, u"add"_s, u"public"_s, u"--token-url"_s, guarded.issuer + u"/token"_s, u"--api-url"_s,
                          u"https://api.example.com"_s, u"--client-id"_s, u"app"_s, u"--client-auth"_s, u"none"_s, u"--revocation-url"_s,
                          guarded.issuer + u"/revoke"_s, u"--proxy"_s, guarded.proxy->url().toString(), u"--proxy-user"_s, user,
                          u"--proxy-password-stdin"_s},
                         password.toUtf8());
        if (run.exitCode == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(run.exitCode == 0, run.err.constData());
        run = cli({u"revoke"_s, u"public"_s, u"--token-stdin"_s}, "an-access-token-to-revoke");
        QVERIFY2(run.exitCode == 0, run.out + run.err);
        QVERIFY2(guarded.proxy->log().contains("POST " + guarded.issuer.toUtf8() + "/revoke HTTP/1.1"), guarded.proxy->log().constData());
        QVERIFY(!(run.out + run.err).contains(password.toUtf8()));
    }

    // At a terminal, --proxy-user asks for the password without echoing it, as sudo does.
    void addAsksTheProxyPasswordAtATerminal()
    {
#if defined(Q_OS_LINUX) || defined(Q_OS_MACOS)
        if (ForwardProxyProcess::program(ForwardProxyProcess::Kind::Tinyproxy).isEmpty())
            QSKIP("tinyproxy is not installed (apt-get install tinyproxy-bin)");
        const QString user = u"tty-user"_s;
        const QString password = u"Tty-Pr0xy-Pw-3390"_s;
        GuardedIssuer guarded;
        QString error;
        QVERIFY2(guarded.start(user, password, &error), qPrintable(error));
        QByteArray onTerminal;
        QByteArray out;
        const int code = runCliTyping({u"--workspace"_s, m_workspace, u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, guarded.issuer, u"--api-url"_s,
                                       u"https://api.example.com"_s, u"--client-id"_s, u"app"_s, u"--proxy"_s, guarded.proxy->url().toString(),
                                       u"--proxy-user"_s, user},
                                      withoutProxyVariables(), "Password of proxy user " + user.toUtf8(), password.toUtf8() + '\n', &onTerminal, &out);
        if (code == 4)
            QSKIP("no keychain answers here");
        QVERIFY2(code == 0, onTerminal.constData());
        QCOMPARE(guarded.metadataGets(), 1);
        QVERIFY2(!onTerminal.contains(password.toUtf8()), onTerminal.constData()); // not echoed
        QVERIFY(!out.contains(password.toUtf8()));
        QVERIFY2(out.contains("kept in the keychain"), out.constData());
#else
        QSKIP("pseudo-terminals are a POSIX test");
#endif
    }

    void explicitChoicesStay()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));
        const CliRun run = cli({u"env"_s, u"add"_s, u"dev"_s, u"--issuer"_s, issuer, u"--api-url"_s, u"https://api.example.com"_s,
                                u"--client-id"_s, u"app"_s, u"--grant"_s, u"device_code"_s, u"--client-auth"_s, u"none"_s});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        const QJsonObject env = cli({u"--json"_s, u"env"_s, u"show"_s, u"dev"_s}).json();
        QCOMPARE(env.value(u"grantType"_s).toString(), u"device_code"_s);
        QCOMPARE(env.value(u"clientAuth"_s).toString(), u"none"_s);
    }

    void explicitEndpointsStay()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url({}).toString();
        server.setResponse(metadata(issuer));
        const QString device = u"https://devices.example.com/authorize"_s;
        const QString revocation = u"https://login.example.com/revoke"_s;
        const CliRun run = cli({u"env"_s, u"add"_s, u"dev"_s, u"--issuer"_s, issuer, u"--api-url"_s, u"https://api.example.com"_s,
                                u"--client-id"_s, u"app"_s, u"--device-authorization-url"_s, device, u"--revocation-url"_s, revocation});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("device authorization endpoint: " + device.toUtf8() + " (as given; the metadata says " + issuer.toUtf8()
                                  + "/device/auth)"),
                 run.out.constData());
        const QJsonObject provider = cli({u"--json"_s, u"env"_s, u"show"_s, u"dev"_s}).json().value(u"provider"_s).toObject();
        QCOMPARE(provider.value(u"deviceAuthorizationUrl"_s).toString(), device);
        QCOMPARE(provider.value(u"revocationUrl"_s).toString(), revocation);
        // What was not given still comes from the metadata.
        QCOMPARE(provider.value(u"introspectionUrl"_s).toString(), issuer + u"/token/introspection"_s);
    }

    void setRediscovers()
    {
        const CliRun added = cli({u"env"_s, u"add"_s, u"old"_s, u"--token-url"_s, u"https://old.example.com/token"_s, u"--api-url"_s,
                                  u"https://api.example.com"_s, u"--client-id"_s, u"app"_s});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        const QString issuer = server.url(u"/realms/corp"_s).toString();
        server.queueResponse(ScriptedHttpServer::response(404, "Not Found", "text/plain", "no"));
        server.setResponse(metadata(issuer));
        const CliRun run = cli({u"env"_s, u"set"_s, u"old"_s, u"--issuer"_s, issuer});
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.out.contains("From the issuer's metadata"), run.out.constData());
        QVERIFY(run.err.contains("/.well-known/oauth-authorization-server/realms/corp"));
        const QJsonObject env = cli({u"--json"_s, u"env"_s, u"show"_s, u"old"_s}).json();
        QCOMPARE(env.value(u"tokenUrl"_s).toString(), issuer + u"/token"_s);
    }

    void mismatchedIssuerIsRefusedAndNothingSaved()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(metadata(u"https://login.example.org"_s));
        const CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, server.url({}).toString(), u"--api-url"_s,
                                u"https://api.example.com"_s, u"--client-id"_s, u"app"_s});
        QCOMPARE(run.exitCode, 7); // BadResponse
        QVERIFY2(run.err.contains("names the issuer \"https://login.example.org\""), run.err.constData());
        QVERIFY(!QFile::exists(m_workspace) || !cli({u"env"_s, u"list"_s}).out.contains("corp"));
    }

    void htmlIsRefused()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(200, "OK", "text/html", "<html><body>Sign in</body></html>"));
        const CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, server.url({}).toString(), u"--api-url"_s,
                                u"https://api.example.com"_s, u"--client-id"_s, u"app"_s});
        QCOMPARE(run.exitCode, 7);
        QVERIFY2(run.err.contains("HTML page"), run.err.constData());
    }

    void notFoundIsServerRefused()
    {
        ScriptedHttpServer server;
        QVERIFY(server.listen());
        server.setResponse(ScriptedHttpServer::response(404, "Not Found", "text/plain", "no"));
        const CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, server.url({}).toString(), u"--api-url"_s,
                                u"https://api.example.com"_s, u"--client-id"_s, u"app"_s});
        QCOMPARE(run.exitCode, 5);
        QVERIFY2(run.err.contains("HTTP 404"), run.err.constData());
    }

    void usageErrors()
    {
        CliRun run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, u"https://id.example.com"_s, u"--token-url"_s,
                          u"https://id.example.com/token"_s, u"--api-url"_s, u"https://api.example.com"_s, u"--client-id"_s, u"app"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("not both"), run.err.constData());
        run = cli({u"env"_s, u"add"_s, u"corp"_s, u"--issuer"_s, u"http://id.example.com"_s, u"--api-url"_s, u"https://api.example.com"_s,
                   u"--client-id"_s, u"app"_s});
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("https"), run.err.constData());
    }
};

QTEST_GUILESS_MAIN(tst_CliDiscovery)
#include "tst_cli_discovery.moc"
