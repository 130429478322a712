// A collection written by `tokenbench-cli export postman` run by Postman's own runner, newman
// (npm, pinned), against the Demo API in this process: newman must get the token with the
// environment's grant and client authentication and make every saved call with it.

#include "cli/support/CliRunner.h"
#include "demo/DemoServer.h"
#include "support/SeedTokenServer.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;

class TestNewmanExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void runsEveryCall_data();
    void runsEveryCall();
    void withoutTheSecretTheTokenRequestFails();
    void jsonBodyKeepsQuotesBackslashesAndNonAscii();

private:
    // Writes a workspace with one environment on the Demo API and three saved requests (two in
    // folders, one with a body and its own variable), exports it and returns the collection's path.
    QString exportCollection(const QString &clientAuth, const QString &grant, const QString &clientId, QByteArray *collection);
    // Runs newman on the collection with the given --env-var values; the JSON reporter's output.
    QJsonObject runNewman(const QString &collection, const QStringList &envVars, int *exitCode);

    QTemporaryDir m_dir;
    DemoServer m_demo;
};

void TestNewmanExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    if (!QFileInfo::exists(QStringLiteral(TOKENBENCH_NEWMAN_SCRIPT)))
        QFAIL("newman is not installed in the build tree: run ctest (its fixture newman_npm_install runs npm ci)");
}

QString TestNewmanExport::exportCollection(const QString &clientAuth, const QString &grant, const QString &clientId, QByteArray *collection)
{
    const QString workspacePath = m_dir.filePath(u"ws-%1-%2-%3.json"_s.arg(clientAuth, grant, clientId));
    const QJsonObject environment{
        {u"id"_s, u"5b0d9c2e-1f57-4d0e-9a3b-3f0f2f3b9d11"_s},
        {u"name"_s, u"Local demo"_s},
        {u"tier"_s, u"sandbox"_s},
        {u"tokenUrl"_s, m_demo.tokenUrl().toString()},
        {u"apiBaseUrl"_s, m_demo.apiUrl().toString()},
        {u"grantType"_s, grant},
        {u"clientAuth"_s, clientAuth},
        {u"clientId"_s, clientId},
        {u"username"_s, grant == u"password"_s ? DemoServer::username() : QString()},
        {u"scopes"_s, QJsonArray{u"accounts:read"_s, u"core.users:act-on-behalf-of"_s}},
        {u"contextHeaders"_s, QJsonArray{QJsonObject{{u"name"_s, u"X-On-Behalf-Of"_s}, {u"value"_s, u"user {{userId}}"_s}}}},
        {u"variables"_s, QJsonArray{QJsonObject{{u"name"_s, u"userId"_s}, {u"value"_s, u"demo-user"_s}}}},
        {u"allowInsecureHttp"_s, true},
    };
    const QJsonArray requests{
        QJsonObject{{u"id"_s, u"r1"_s}, {u"name"_s, u"Me"_s}, {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/me"_s}}}},
        QJsonObject{{u"id"_s, u"r2"_s},
                    {u"name"_s, u"List accounts"_s},
                    {u"folder"_s, u"Accounts/Read"_s},
                    {u"request"_s, QJsonObject{{u"method"_s, u"GET"_s}, {u"url"_s, u"/api/accounts"_s}}}},
        QJsonObject{{u"id"_s, u"r3"_s},
                    {u"name"_s, u"Place trade"_s},
                    {u"folder"_s, u"Trades"_s},
                    {u"successStatus"_s, 201},
                    {u"request"_s,
                     QJsonObject{{u"method"_s, u"POST"_s},
                                 {u"url"_s, u"/trades"_s},
                                 {u"headers"_s, QJsonArray{QJsonObject{{u"name"_s, u"Content-Type"_s}, {u"value"_s, u"application/json"_s}}}},
                                 {u"body"_s, u"{\"symbol\":\"BTC-USD\",\"side\":\"buy\",\"quantity\":\"{{qty}}\"}"_s},
                                 {u"variables"_s, QJsonArray{QJsonObject{{u"name"_s, u"qty"_s}, {u"value"_s, u"2"_s}}}},
                                 {u"scopes"_s, QJsonArray{u"trades:execute"_s}}}}},
    };
    QFile file(workspacePath);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(QJsonDocument(QJsonObject{{u"format"_s, u"tokenbench-workspace"_s},
                                         {u"schemaVersion"_s, 1},
                                         {u"id"_s, u"0c6f8a4e-1111-4c2d-8e9f-123456789abc"_s},
                                         {u"environments"_s, QJsonArray{environment}},
                                         {u"requests"_s, requests}})
                   .toJson());
    file.close();

    const QString out = m_dir.filePath(u"collection-%1-%2-%3.json"_s.arg(clientAuth, grant, clientId));
    const CliRun run = runCli({u"--workspace"_s, workspacePath, u"export"_s, u"postman"_s, out});
    if (run.exitCode != 0)
        qWarning().noquote() << "export failed:" << run.exitCode << run.err;
    QFile exported(out);
    if (exported.open(QIODevice::ReadOnly))
        *collection = exported.readAll();
    return out;
}

QJsonObject TestNewmanExport::runNewman(const QString &collection, const QStringList &envVars, int *exitCode)
{
    const QString report = collection + u".report.json"_s;
    QFile::remove(report);
    QStringList arguments{QStringLiteral(TOKENBENCH_NEWMAN_SCRIPT), u"run"_s, collection, u"--reporters"_s, u"json"_s,
                          u"--reporter-json-export"_s, report, u"--timeout-request"_s, u"10000"_s};
    for (const QString &var : envVars)
        arguments += QStringList{u"--env-var"_s, var};
    QProcess newman;
    newman.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    newman.start(QStringLiteral(TOKENBENCH_NODE_EXECUTABLE), arguments);
    // The Demo API answers from this thread: wait with the event loop turning.
    QSignalSpy finished(&newman, &QProcess::finished);
    if (!newman.waitForStarted(10000) || !finished.wait(60000)) {
        newman.kill();
        newman.waitForFinished();
        *exitCode = -1;
        return {};
    }
    *exitCode = newman.exitCode();
    QFile file(report);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

void TestNewmanExport::runsEveryCall_data()
{
    QTest::addColumn<QString>("clientAuth");
    QTest::addColumn<QString>("grant");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QStringList>("secrets");
    const QString id = DemoServer::clientId();
    const QString secret = u"client_secret="_s + DemoServer::clientSecret();
    QTest::newRow("basic, client credentials") << u"basic"_s << u"client_credentials"_s << id << QStringList{secret};
    QTest::newRow("form body, client credentials") << u"body"_s << u"client_credentials"_s << id << QStringList{secret};
    QTest::newRow("JSON body, client credentials") << u"json"_s << u"client_credentials"_s << id << QStringList{secret};
    QTest::newRow("basic, password") << u"basic"_s << u"password"_s << id << QStringList{secret, u"password="_s + DemoServer::password()};
    // A secret with reserved characters and non-ASCII: Basic must form-encode it first (RFC 6749 §2.3.1).
    const QString special = u"client_secret="_s + DemoServer::specialClientSecret();
    QTest::newRow("basic, reserved characters") << u"basic"_s << u"client_credentials"_s << DemoServer::specialClientId() << QStringList{special};
    QTest::newRow("form body, reserved characters") << u"body"_s << u"client_credentials"_s << DemoServer::specialClientId() << QStringList{special};
}

void TestNewmanExport::runsEveryCall()
{
    QFETCH(QString, clientAuth);
    QFETCH(QString, grant);
    QFETCH(QString, clientId);
    QFETCH(QStringList, secrets);
    QByteArray collection;
    const QString path = exportCollection(clientAuth, grant, clientId, &collection);
    QVERIFY(!collection.isEmpty());
    QVERIFY2(!collection.contains(DemoServer::clientSecret().toUtf8()) && !collection.contains(DemoServer::specialClientSecret().toUtf8()),
             "the client secret is in the exported file");
    QVERIFY2(!collection.contains(DemoServer::password().toUtf8()), "the password is in the exported file");

    int exitCode = -1;
    const QJsonObject report = runNewman(path, secrets, &exitCode);
    QVERIFY2(!report.isEmpty(), "newman wrote no JSON report");
    const QJsonObject run = report.value(u"run"_s).toObject();
    const QJsonArray failures = run.value(u"failures"_s).toArray();
    QVERIFY2(failures.isEmpty(), QJsonDocument(failures).toJson().constData());
    QCOMPARE(exitCode, 0);

    const QJsonArray executions = run.value(u"executions"_s).toArray();
    QStringList names;
    QList<int> codes;
    for (const QJsonValue &execution : executions) {
        names.append(execution[u"item"_s][u"name"_s].toString());
        codes.append(execution[u"response"_s][u"code"_s].toInt());
    }
    QCOMPARE(names, (QStringList{u"Get token"_s, u"Me"_s, u"List accounts"_s, u"Place trade"_s}));
    QCOMPARE(codes, (QList<int>{200, 200, 200, 201}));
    QCOMPARE(run[u"stats"_s][u"assertions"_s][u"failed"_s].toInt(), 0);
    QCOMPARE(run[u"stats"_s][u"assertions"_s][u"total"_s].toInt(), 5); // token: 2; one status check per call

    // Each API call carried the token the first request got and the environment's context header.
    for (qsizetype i = 1; i < executions.size(); ++i) {
        QString authorization;
        QString onBehalfOf;
        for (const QJsonValue &header : executions.at(i)[u"request"_s][u"header"_s].toArray()) {
            if (header[u"key"_s].toString().compare(u"Authorization"_s, Qt::CaseInsensitive) == 0)
                authorization = header[u"value"_s].toString();
            if (header[u"key"_s].toString().compare(u"X-On-Behalf-Of"_s, Qt::CaseInsensitive) == 0)
                onBehalfOf = header[u"value"_s].toString();
        }
        QVERIFY2(authorization.startsWith(u"Bearer ey"_s), qPrintable(names.at(i)));
        QCOMPARE(onBehalfOf, u"user demo-user"_s);
    }
    // The trade's own variable went into its body.
    const QString tradeBody = executions.at(3)[u"request"_s][u"body"_s][u"raw"_s].toString();
    QVERIFY2(tradeBody.contains(u"\"quantity\":\"2\""_s), qPrintable(tradeBody));
}

void TestNewmanExport::withoutTheSecretTheTokenRequestFails()
{
    // The file holds no secret: run as exported, the token endpoint refuses the client.
    QByteArray collection;
    const QString path = exportCollection(u"basic"_s, u"client_credentials"_s, DemoServer::clientId(), &collection);
    int exitCode = -1;
    const QJsonObject report = runNewman(path, {}, &exitCode);
    QVERIFY(!report.isEmpty());
    QVERIFY(exitCode != 0);
    const QJsonArray executions = report[u"run"_s][u"executions"_s].toArray();
    QVERIFY(!executions.isEmpty());
    QCOMPARE(executions.at(0)[u"response"_s][u"code"_s].toInt(), 401);
}

// A JSON token body (Cybrid's seed style, SeedTokenServer) with a client id and secret holding a
// quote, a backslash and non-ASCII: newman sends JSON that parses, with both as they are.
void TestNewmanExport::jsonBodyKeepsQuotesBackslashesAndNonAscii()
{
    const QString clientId = u"bank \"client\" \\ 1"_s;
    const QString secret = u"s\"e\\c}}r{{et\\\" é ✓ \\u0041"_s;
    SeedTokenServer server(SeedTokenServer::Seed::Cybrid, clientId, secret);
    QVERIFY(server.listen());
    const QJsonObject environment{
        {u"id"_s, u"7d1e2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"_s},
        {u"name"_s, u"Bank sandbox"_s},
        {u"tier"_s, u"sandbox"_s},
        {u"tokenUrl"_s, server.url(u"/oauth/token"_s).toString()},
        {u"apiBaseUrl"_s, server.url(u"/api"_s).toString()},
        {u"grantType"_s, u"client_credentials"_s},
        {u"clientAuth"_s, u"json"_s},
        {u"clientId"_s, clientId},
        {u"scopes"_s, QJsonArray{u"banks:read"_s, u"customers:read"_s}},
        {u"allowInsecureHttp"_s, true},
    };
    const QString workspacePath = m_dir.filePath(u"ws-json-special.json"_s);
    QFile file(workspacePath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject{{u"format"_s, u"tokenbench-workspace"_s},
                                         {u"schemaVersion"_s, 1},
                                         {u"id"_s, u"0c6f8a4e-2222-4c2d-8e9f-123456789abc"_s},
                                         {u"environments"_s, QJsonArray{environment}}})
                   .toJson());
    file.close();
    const QString out = m_dir.filePath(u"collection-json-special.json"_s);
    const CliRun exported = runCli({u"--workspace"_s, workspacePath, u"export"_s, u"postman"_s, out});
    QVERIFY2(exported.exitCode == 0, exported.err.constData());
    QFile collection(out);
    QVERIFY(collection.open(QIODevice::ReadOnly));
    const QByteArray bytes = collection.readAll();
    QVERIFY2(!bytes.contains(QJsonDocument(QJsonArray{secret}).toJson(QJsonDocument::Compact).mid(1).chopped(1)), "the secret is in the file");

    int exitCode = -1;
    const QJsonObject report = runNewman(out, {u"client_secret="_s + secret}, &exitCode);
    QVERIFY2(!report.isEmpty(), "newman wrote no JSON report");
    const QJsonArray failures = report[u"run"_s][u"failures"_s].toArray();
    QVERIFY2(failures.isEmpty(), QJsonDocument(failures).toJson().constData());
    QCOMPARE(exitCode, 0);
    const QJsonArray executions = report[u"run"_s][u"executions"_s].toArray();
    QCOMPARE(executions.size(), 1);
    QCOMPARE(executions.at(0)[u"response"_s][u"code"_s].toInt(), 200);

    // What the token endpoint received: JSON, every member as the environment has it.
    QVERIFY(server.lastContentType().startsWith("application/json"));
    QJsonParseError error;
    const QJsonObject body = QJsonDocument::fromJson(server.lastBody(), &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, server.lastBody().constData());
    QCOMPARE(body.value(u"client_secret"_s).toString(), secret);
    QCOMPARE(body.value(u"client_id"_s).toString(), clientId);
    QCOMPARE(body.value(u"grant_type"_s).toString(), u"client_credentials"_s);
    QCOMPARE(body.value(u"scope"_s).toString(), u"banks:read customers:read"_s);
    QVERIFY(!server.lastHadAuthorization());
}

QTEST_GUILESS_MAIN(TestNewmanExport)
#include "tst_newman_export.moc"
