#include "demo/DemoScopes.h"
#include "demo/DemoServer.h"
#include "http/AuthorizerTokenSource.h"
#include "http/CachedTokenSource.h"
#include "matrix/MatrixPlan.h"
#include "matrix/MatrixCellEvidence.h"
#include "matrix/MatrixPlanner.h"
#include "matrix/MatrixResult.h"
#include "matrix/MatrixRunner.h"
#include "secrets/SecretStore.h"
#include "session/Authorizer.h"
#include "support/ScriptedHttpServer.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <thread>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(GrantInteraction)

namespace {
// A loopback API that answers each request after a delay, echoing the request it got as the body
// (so a server that quotes credentials back is covered), on kept-alive connections; it counts the
// requests it holds at once and the connections it was opened.
class SlowEchoApi : public QObject
{
public:
    explicit SlowEchoApi(int delayMs, int status = 200)
        : m_delayMs(delayMs)
        , m_status(status)
    {
        connect(&m_server, &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onData(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path) const { return QUrl(u"http://127.0.0.1:%1%2"_s.arg(m_server.serverPort()).arg(path)); }
    int maxInFlight() const { return m_maxInFlight; }
    int connections() const { return m_connections; }
    int requests() const { return m_requests; }

private:
    void onData(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end < 0)
            return; // the runner's requests here have no body
        const QByteArray request = buffer.left(end + 4);
        buffer.remove(0, end + 4);
        ++m_requests;
        m_maxInFlight = std::max(m_maxInFlight, ++m_inFlight);
        QPointer<QTcpSocket> guarded(socket);
        QTimer::singleShot(m_delayMs, this, [this, guarded, request] {
            --m_inFlight;
            if (!guarded)
                return;
            guarded->write("HTTP/1.1 " + QByteArray::number(m_status) + " Whatever\r\nContent-Type: text/plain\r\nContent-Length: "
                           + QByteArray::number(request.size()) + "\r\n\r\n" + request);
        });
    }

    QTcpServer m_server;
    int m_delayMs;
    int m_status;
    int m_inFlight = 0;
    int m_maxInFlight = 0;
    int m_connections = 0;
    int m_requests = 0;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

struct Run
{
    QString refusal;
    QList<MatrixCellResult> results;
    bool stopped = false;
    int finishedSignals = 0;
    qint64 elapsedMs = 0;
};

PlanRequest planRequest(const QString &id, const QString &method, const QString &url, const QStringList &scopes)
{
    PlanRequest request;
    request.id = id;
    request.name = id;
    request.draft.method = method;
    request.draft.url = url;
    if (method != u"GET"_s)
        request.draft.body = R"({"symbol":"BTC-USD"})";
    if (!scopes.isEmpty())
        request.requiredScopes = {ScopeRequirement{{}, scopes}};
    return request;
}

MatrixCell cell(int request, const QString &requestId, ScopeSet::Kind kind, const QStringList &scopes, const QStringList &removed = {},
                int expected = 0)
{
    MatrixCell out;
    out.request = request;
    out.requestId = requestId;
    out.set.kind = kind;
    out.set.scopes = scopes;
    out.set.removed = removed;
    out.expectedStatus = expected;
    return out;
}

const MatrixCellResult *find(const QList<MatrixCellResult> &results, const QString &requestId, ScopeSet::Kind kind)
{
    for (const MatrixCellResult &result : results) {
        if (result.requestId == requestId && result.kind == int(kind))
            return &result;
    }
    return nullptr;
}

QString describe(const QList<MatrixCellResult> &results)
{
    QStringList lines;
    for (const MatrixCellResult &result : results)
        lines.append(u"%1 [%2]: %3 — %4"_s.arg(result.requestId, result.column, MatrixCellResult::verdictName(result.verdict), result.detail));
    return lines.join(u'\n');
}

QByteArray tokenResponse(const QByteArray &json)
{
    return ScriptedHttpServer::response(200, "OK", "application/json", json);
}
} // namespace

class TestMatrixRunner : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;

    // The Demo profile pointed at this test's Demo API, without its X-On-Behalf-Of header unless asked.
    Environment demoEnvironment(bool onBehalf = false) const
    {
        Environment env = Workspace::demoEnvironment();
        env.id = onBehalf ? u"demo-obo"_s : u"demo-plain"_s;
        env.tokenUrl = m_demo.tokenUrl();
        env.apiBaseUrl = m_demo.apiUrl();
        env.clientId = DemoServer::clientId();
        for (const DemoScope &scope : DemoScopes::all())
            env.scopeCatalog.append({scope.name, scope.description});
        if (!onBehalf)
            env.headers.clear();
        return env;
    }

    static TokenRequest tokenRequest(const Environment &env)
    {
        TokenRequest request = TokenRequest::fromEnvironment(env);
        request.clientSecret = DemoServer::clientSecret();
        return request;
    }

    static Run run(MatrixRunner &runner, const Environment &env, const MatrixPlan &plan, const QList<MatrixCell> &cells,
                   const MatrixRunner::Options &options = {}, const std::function<void()> &whileRunning = {})
    {
        Run out;
        QEventLoop loop;
        const auto connection = connect(&runner, &MatrixRunner::finished, &loop, [&](const QList<MatrixCellResult> &results, bool stopped) {
            out.results = results;
            out.stopped = stopped;
            ++out.finishedSignals;
            loop.quit();
        });
        QTimer::singleShot(30000, &loop, &QEventLoop::quit);
        QElapsedTimer clock;
        clock.start();
        out.refusal = runner.start(env, plan, cells, options);
        if (out.refusal.isEmpty() && out.finishedSignals == 0) { // finished() never comes from inside start()
            if (whileRunning)
                whileRunning();
            if (out.finishedSignals == 0)
                loop.exec();
        }
        out.elapsedMs = clock.elapsed();
        disconnect(connection);
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void resultRoundTripsThroughJson();
    void resultFromJsonRefusesWhatItNeverWrites();
    void everyVerdictAgainstTheDemo();
    void onBehalfOfWithoutItsScopeIsDenied();
    void cannotTestWhenTheServerGrantsTheRemovedScope();
    void grantedScopesNotReportedAreSaidAndTested();
    void oneAuthorizationPerScopeSetThroughTheAuthorizer();
    void errorsSayWhy();
    void concurrencyLimitOnKeptAliveConnections();
    void retryAfterIsHonoured();
    void retryAfterTooLongIsAnError();
    void stopCancelsEverythingInFlight();
    void stopGivesUpAGrantWaitingForThePerson();
    void readOnlySkipsStateChangingRequests();
    void productionIsRefusedUnlessAllowed();
    void noCredentialInAResult();
    void evidenceIsBuiltWhenRead();
};

void TestMatrixRunner::resultRoundTripsThroughJson()
{
    MatrixCellResult result;
    result.cellId = u"orders.list\nwithout:profile:read"_s;
    result.requestId = u"orders.list"_s;
    result.requestName = u"List orders"_s;
    result.folder = u"Orders"_s;
    result.method = u"GET"_s;
    result.url = u"http://127.0.0.1:1/api/orders"_s;
    result.column = u"without orders:read"_s;
    result.columnKey = u"without:profile:read"_s;
    result.kind = 1;
    result.askedScopes = {u"profile:read"_s};
    result.grantedScopes = {u"profile:read"_s};
    result.grantedReported = true;
    result.expectedStatus = 403;
    result.observedStatus = 200;
    result.verdict = MatrixVerdict::OverPermissive;
    result.detail = u"expected 403, got 200: the endpoint does not check orders:read"_s;
    result.evidence = QJsonObject{{u"request"_s, QJsonObject{{u"line"_s, u"GET /api/orders"_s}}}};
    result.elapsedMs = 12;

    const QJsonObject json = result.toJson();
    QCOMPARE(json.value(u"verdict"_s).toString(), u"over-permissive"_s);
    QString error;
    const auto back = MatrixCellResult::fromJson(json, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(*back, result);

    for (const MatrixVerdict verdict : {MatrixVerdict::AsExpected, MatrixVerdict::OverPermissive, MatrixVerdict::UnexpectedDenial,
                                        MatrixVerdict::CannotTest, MatrixVerdict::Error, MatrixVerdict::Skipped}) {
        QCOMPARE(MatrixCellResult::parseVerdict(MatrixCellResult::verdictName(verdict)), verdict);
    }
}

void TestMatrixRunner::resultFromJsonRefusesWhatItNeverWrites()
{
    MatrixCellResult result;
    result.cellId = u"a"_s;
    QJsonObject json = result.toJson();
    json.insert(u"verdict"_s, u"fine"_s);
    QString error;
    QVERIFY(!MatrixCellResult::fromJson(json, &error));
    QVERIFY2(error.contains(u"verdict"_s), qPrintable(error));

    json = result.toJson();
    json.insert(u"observedStatus"_s, u"200"_s);
    QVERIFY(!MatrixCellResult::fromJson(json, &error, u"results[3]"_s));
    QVERIFY2(error.contains(u"results[3].observedStatus"_s), qPrintable(error));

    json = result.toJson();
    json.insert(u"evidence"_s, QJsonArray());
    QVERIFY(!MatrixCellResult::fromJson(json, &error));
    QVERIFY2(error.contains(u"evidence"_s), qPrintable(error));
}

void TestMatrixRunner::everyVerdictAgainstTheDemo()
{
    m_demo.setOverPermissiveForTests(true);
    const auto restore = qScopeGuard([this] { m_demo.setOverPermissiveForTests(false); });
    const Environment env = demoEnvironment();
    MatrixPlan plan;
    plan.requests = {
        planRequest(u"accounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s}),
        planRequest(u"customers"_s, u"GET"_s, u"/customers"_s, {u"customers:read"_s}), // the flaw: no scope check
        planRequest(u"trades"_s, u"GET"_s, u"/trades"_s, {u"accounts:read"_s}),       // documented wrong: needs trades:read
        planRequest(u"nowhere"_s, u"GET"_s, u"/nowhere"_s, {u"accounts:read"_s}),
    };
    PlanRequest strict = planRequest(u"strict"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s});
    strict.unauthenticatedStatus = 403; // documented wrong: the Demo answers 401
    plan.requests.append(strict);
    QStringList notes;
    const QList<MatrixCell> cells = MatrixPlanner::cells(plan, env, &notes);

    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    QSignalSpy progress(&runner, &MatrixRunner::progress);
    QSignalSpy cellFinished(&runner, &MatrixRunner::cellFinished);
    const Run outcome = run(runner, env, plan, cells);
    QVERIFY2(outcome.refusal.isEmpty(), qPrintable(outcome.refusal));
    QVERIFY(!outcome.stopped);
    QCOMPARE(outcome.finishedSignals, 1);
    QCOMPARE(outcome.results.size(), cells.size());
    QCOMPARE(cellFinished.size(), cells.size());
    QCOMPARE(progress.constLast().at(0).toInt(), int(cells.size()));
    const QString all = describe(outcome.results);

    // As expected: the needed scopes get 200, a token lacking them 403, none 401.
    for (const auto kind : {ScopeSet::Kind::Needed, ScopeSet::Kind::MissingScope, ScopeSet::Kind::NoToken}) {
        const MatrixCellResult *accounts = find(outcome.results, u"accounts"_s, kind);
        QVERIFY2(accounts, qPrintable(all));
        QVERIFY2(accounts->verdict == MatrixVerdict::AsExpected, qPrintable(all));
    }
    QCOMPARE(find(outcome.results, u"accounts"_s, ScopeSet::Kind::Needed)->observedStatus, 200);
    QCOMPARE(find(outcome.results, u"accounts"_s, ScopeSet::Kind::MissingScope)->observedStatus, 403);
    QCOMPARE(find(outcome.results, u"accounts"_s, ScopeSet::Kind::NoToken)->observedStatus, 401);

    // Over-permissive: the customers list answers a token without customers:read, with the proof.
    const MatrixCellResult *flawed = find(outcome.results, u"customers"_s, ScopeSet::Kind::MissingScope);
    QVERIFY(flawed);
    QCOMPARE(flawed->verdict, MatrixVerdict::OverPermissive);
    QCOMPARE(flawed->observedStatus, 200);
    QCOMPARE(flawed->expectedStatus, 403);
    QVERIFY2(flawed->detail.startsWith(u"expected 403, got 200"_s), qPrintable(flawed->detail));
    QVERIFY2(flawed->detail.contains(u"customers:read"_s), qPrintable(flawed->detail));
    QVERIFY(!flawed->askedScopes.contains(u"customers:read"_s));
    QVERIFY(flawed->grantedReported);
    QVERIFY(!flawed->grantedScopes.contains(u"customers:read"_s));
    const QJsonObject request = flawed->evidence.value(u"request"_s).toObject();
    QCOMPARE(request.value(u"line"_s).toString(), u"GET "_s + m_demo.apiUrl().toString() + u"/customers"_s);
    bool bearerMasked = false;
    for (const QJsonValue &header : request.value(u"headers"_s).toArray()) {
        if (header.toArray().at(0).toString().compare(u"Authorization"_s, Qt::CaseInsensitive) == 0)
            bearerMasked = header.toArray().at(1).toString() == u"Bearer ••••"_s;
    }
    QVERIFY(bearerMasked);
    const QJsonObject response = flawed->evidence.value(u"response"_s).toObject();
    QCOMPARE(response.value(u"status"_s).toInt(), 200);
    QVERIFY(response.value(u"body"_s).toString().contains(u"Ada Lovelace"_s));
    // Without the flaw the same cell is a denial: the test above proves the detection, not a fluke.
    QCOMPARE(find(outcome.results, u"customers"_s, ScopeSet::Kind::Needed)->verdict, MatrixVerdict::AsExpected);

    // Unexpected denial: the documented scope is not the one the endpoint checks.
    const MatrixCellResult *denied = find(outcome.results, u"trades"_s, ScopeSet::Kind::Needed);
    QCOMPARE(denied->verdict, MatrixVerdict::UnexpectedDenial);
    QCOMPARE(denied->observedStatus, 403);
    QVERIFY2(denied->detail.startsWith(u"expected 2xx, got 403"_s), qPrintable(denied->detail));
    QVERIFY2(denied->detail.contains(u"trades:read"_s), qPrintable(denied->detail)); // the readout names what the server wants

    // Errors: another status than the expectation.
    const MatrixCellResult *missing = find(outcome.results, u"nowhere"_s, ScopeSet::Kind::Needed);
    QCOMPARE(missing->verdict, MatrixVerdict::Error);
    QVERIFY2(missing->detail.startsWith(u"expected 2xx, got 404"_s), qPrintable(missing->detail));
    const MatrixCellResult *strictNoToken = find(outcome.results, u"strict"_s, ScopeSet::Kind::NoToken);
    QCOMPARE(strictNoToken->verdict, MatrixVerdict::Error);
    QVERIFY2(strictNoToken->detail.startsWith(u"expected 403, got 401"_s), qPrintable(strictNoToken->detail));

    // One token per distinct scope set, reused across requests.
    QSet<QString> sets;
    int tokenCells = 0;
    for (const MatrixCellResult &result : outcome.results) {
        if (result.kind != int(ScopeSet::Kind::NoToken)) {
            sets.insert(result.askedScopes.join(u' '));
            ++tokenCells;
        }
    }
    QCOMPARE(tokens.fetchCount(), int(sets.size()));
    QVERIFY(tokenCells > sets.size());

    // The flaw is off unless a test switches it on: then the same cell is the denial it should be.
    m_demo.setOverPermissiveForTests(false);
    QList<MatrixCell> flawedCell;
    for (const MatrixCell &one : cells) {
        if (one.requestId == u"customers"_s && one.set.kind == ScopeSet::Kind::MissingScope)
            flawedCell.append(one);
    }
    const Run fixed = run(runner, env, plan, flawedCell);
    QCOMPARE(fixed.results.size(), 1);
    QCOMPARE(fixed.results.constFirst().verdict, MatrixVerdict::AsExpected);
    QCOMPARE(fixed.results.constFirst().observedStatus, 403);
}

void TestMatrixRunner::onBehalfOfWithoutItsScopeIsDenied()
{
    const Environment env = demoEnvironment(true);
    MatrixPlan plan;
    plan.requests = {planRequest(u"accounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s})};
    const QList<MatrixCell> cells = MatrixPlanner::cells(plan, env, nullptr);
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, cells);
    const QString all = describe(outcome.results);
    const MatrixCellResult *onBehalf = find(outcome.results, u"accounts"_s, ScopeSet::Kind::OnBehalfWithoutScope);
    QVERIFY2(onBehalf, qPrintable(all));
    QCOMPARE(onBehalf->verdict, MatrixVerdict::AsExpected);
    QCOMPARE(onBehalf->observedStatus, 403);
    QVERIFY(!onBehalf->askedScopes.contains(u"core.users:act-on-behalf-of"_s));
    bool headerSent = false;
    for (const QJsonValue &header : onBehalf->evidence.value(u"request"_s).toObject().value(u"headers"_s).toArray())
        headerSent = headerSent || header.toArray().at(0).toString() == u"X-On-Behalf-Of"_s;
    QVERIFY(headerSent);
    for (const MatrixCellResult &result : outcome.results)
        QVERIFY2(result.verdict == MatrixVerdict::AsExpected, qPrintable(all));
}

void TestMatrixRunner::cannotTestWhenTheServerGrantsTheRemovedScope()
{
    // A token server that grants orders:write whatever it is asked for.
    ScriptedHttpServer tokenServer;
    QVERIFY(tokenServer.listen());
    tokenServer.setResponse(tokenResponse(R"({"access_token":"opaque-token-0123456789","token_type":"Bearer","expires_in":300,"scope":"orders:read orders:write"})"));
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", "[]"));

    Environment env = demoEnvironment();
    env.tokenUrl = tokenServer.url(u"/token"_s);
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"orders"_s, u"GET"_s, u"/orders"_s, {u"orders:write"_s})};
    const QList<MatrixCell> cells = {
        cell(0, u"orders"_s, ScopeSet::Kind::Needed, {u"orders:write"_s}),
        cell(0, u"orders"_s, ScopeSet::Kind::MissingScope, {u"orders:read"_s}, {u"orders:write"_s}, 403),
    };
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, cells);
    QCOMPARE(outcome.results.size(), 2);
    const MatrixCellResult *without = find(outcome.results, u"orders"_s, ScopeSet::Kind::MissingScope);
    QCOMPARE(without->verdict, MatrixVerdict::CannotTest);
    QVERIFY2(without->detail.contains(u"cannot test: the server granted orders:write anyway"_s), qPrintable(without->detail));
    QCOMPARE(without->grantedScopes, (QStringList{u"orders:read"_s, u"orders:write"_s}));
    QCOMPARE(without->observedStatus, 0);
    QCOMPARE(api.requestCount(), 1); // only the needed cell went: the other would have proved nothing
    QCOMPARE(find(outcome.results, u"orders"_s, ScopeSet::Kind::Needed)->verdict, MatrixVerdict::AsExpected);
    QVERIFY(!without->passed());
}

void TestMatrixRunner::grantedScopesNotReportedAreSaidAndTested()
{
    ScriptedHttpServer tokenServer;
    QVERIFY(tokenServer.listen());
    tokenServer.setResponse(tokenResponse(R"({"access_token":"opaque-token-0123456789","token_type":"Bearer","expires_in":300})"));
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.setResponse(ScriptedHttpServer::response(200, "OK", "application/json", "[]"));
    Environment env = demoEnvironment();
    env.tokenUrl = tokenServer.url(u"/token"_s);
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"orders"_s, u"GET"_s, u"/orders"_s, {u"orders:write"_s})};
    const QList<MatrixCell> cells = {cell(0, u"orders"_s, ScopeSet::Kind::MissingScope, {u"orders:read"_s}, {u"orders:write"_s}, 403)};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, cells);
    QCOMPARE(outcome.results.size(), 1);
    const MatrixCellResult &result = outcome.results.constFirst();
    QCOMPARE(api.requestCount(), 1);
    QCOMPARE(result.verdict, MatrixVerdict::OverPermissive);
    QVERIFY(!result.grantedReported);
    QVERIFY2(result.detail.contains(u"did not say which scopes it granted"_s), qPrintable(result.detail));
}

void TestMatrixRunner::oneAuthorizationPerScopeSetThroughTheAuthorizer()
{
    // The GUI's source holds one current token per environment; the run still mints each scope set once.
    SecretStore secrets(u"Tokenbench-tests"_s);
    Authorizer authorizer(&secrets);
    authorizer.setBuiltinResolver(m_demo.environmentResolver());
    Environment env = Workspace::demoEnvironment();
    env.id = u"demo-matrix-authorizer"_s;
    env.headers.clear();
    const Environment resolved = authorizer.resolved(env);
    AuthorizerTokenSource tokens(&authorizer, env);
    MatrixPlan plan;
    plan.requests = {planRequest(u"accounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s}),
                     planRequest(u"trades"_s, u"GET"_s, u"/trades"_s, {u"trades:read"_s})};
    QList<MatrixCell> cells;
    for (int round = 0; round < 3; ++round) { // the same columns again and again
        cells.append(cell(0, u"accounts"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s}));
        cells.append(cell(1, u"trades"_s, ScopeSet::Kind::Needed, {u"trades:read"_s}));
        cells.append(cell(1, u"trades"_s, ScopeSet::Kind::MissingScope, {u"accounts:read"_s}, {u"trades:read"_s}, 403));
    }
    QSignalSpy authorizations(&authorizer, &Authorizer::started);
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, resolved, plan, cells);
    const QString all = describe(outcome.results);
    QCOMPARE(outcome.results.size(), cells.size());
    for (const MatrixCellResult &result : outcome.results)
        QVERIFY2(result.verdict == MatrixVerdict::AsExpected, qPrintable(all));
    QCOMPARE(authorizations.size(), 2); // accounts:read, trades:read
}

void TestMatrixRunner::errorsSayWhy()
{
    Environment env = demoEnvironment();
    MatrixPlan plan;
    plan.requests = {planRequest(u"bogus"_s, u"GET"_s, u"/accounts"_s, {u"bogus:scope"_s}),
                     planRequest(u"other"_s, u"GET"_s, u"/trades"_s, {u"bogus:scope"_s})};
    // Two cells of one scope set the server refuses to mint: asked for once, both errors.
    QList<MatrixCell> cells = {cell(0, u"bogus"_s, ScopeSet::Kind::Needed, {u"bogus:scope"_s}),
                               cell(1, u"other"_s, ScopeSet::Kind::Needed, {u"bogus:scope"_s})};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    Run outcome = run(runner, env, plan, cells);
    QCOMPARE(outcome.results.size(), 2);
    for (const MatrixCellResult &result : outcome.results) {
        QCOMPARE(result.verdict, MatrixVerdict::Error);
        QCOMPARE(result.observedStatus, 0);
        QVERIFY2(result.detail.startsWith(u"no token for bogus:scope: "_s), qPrintable(result.detail));
        QVERIFY2(result.detail.contains(u"invalid_scope"_s), qPrintable(result.detail));
    }
    QCOMPARE(tokens.fetchCount(), 1);

    // No answer at all: a port nobody listens on.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    env.apiBaseUrl = QUrl(u"http://127.0.0.1:%1/api"_s.arg(port));
    outcome = run(runner, env, plan, {cell(0, u"bogus"_s, ScopeSet::Kind::NoToken, {}, {}, 401)});
    QCOMPARE(outcome.results.size(), 1);
    QCOMPARE(outcome.results.constFirst().verdict, MatrixVerdict::Error);
    QVERIFY2(outcome.results.constFirst().detail.startsWith(u"no answer: "_s), qPrintable(outcome.results.constFirst().detail));
    QVERIFY(outcome.results.constFirst().evidence.contains(u"error"_s));
}

void TestMatrixRunner::concurrencyLimitOnKeptAliveConnections()
{
    SlowEchoApi api(60, 401);
    QVERIFY(api.listen());
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    QList<MatrixCell> cells;
    for (int i = 0; i < 12; ++i) {
        const QString id = u"r%1"_s.arg(i);
        plan.requests.append(planRequest(id, u"GET"_s, u"/r/%1"_s.arg(i), {u"accounts:read"_s}));
        cells.append(cell(i, id, ScopeSet::Kind::NoToken, {}, {}, 401));
    }
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    MatrixRunner::Options options;
    options.concurrency = 3;
    const Run outcome = run(runner, env, plan, cells, options);
    QCOMPARE(outcome.results.size(), 12);
    for (const MatrixCellResult &result : outcome.results)
        QCOMPARE(result.verdict, MatrixVerdict::AsExpected);
    QCOMPARE(api.requests(), 12);
    QCOMPARE(api.maxInFlight(), 3);
    QVERIFY2(api.connections() <= 3, qPrintable(QString::number(api.connections()))); // kept alive, reused
    QCOMPARE(tokens.fetchCount(), 0); // no token asked for a cell that sends none
    // Three at a time, 60 ms each: four rounds, not twelve.
    QVERIFY2(outcome.elapsedMs < 12 * 60, qPrintable(QString::number(outcome.elapsedMs)));
}

void TestMatrixRunner::retryAfterIsHonoured()
{
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.queueResponse(ScriptedHttpServer::response(429, "Too Many Requests", "application/json", "{}", "Retry-After: 1\r\n"));
    api.setResponse(ScriptedHttpServer::response(401, "Unauthorized", "application/json", "{}", "WWW-Authenticate: Bearer\r\n"));
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"orders"_s, u"GET"_s, u"/orders"_s, {u"orders:read"_s})};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, {cell(0, u"orders"_s, ScopeSet::Kind::NoToken, {}, {}, 401)});
    QCOMPARE(outcome.results.size(), 1);
    const MatrixCellResult &result = outcome.results.constFirst();
    QCOMPARE(api.requestCount(), 2);
    QCOMPARE(result.verdict, MatrixVerdict::AsExpected);
    QCOMPARE(result.observedStatus, 401);
    QVERIFY2(result.elapsedMs >= 950, qPrintable(QString::number(result.elapsedMs)));
    QVERIFY2(result.detail.contains(u"Retry-After"_s), qPrintable(result.detail));
}

void TestMatrixRunner::retryAfterTooLongIsAnError()
{
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.setResponse(ScriptedHttpServer::response(429, "Too Many Requests", "application/json", "{}", "Retry-After: 120\r\n"));
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"orders"_s, u"GET"_s, u"/orders"_s, {u"orders:read"_s})};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const QList<MatrixCell> cells = {cell(0, u"orders"_s, ScopeSet::Kind::NoToken, {}, {}, 401)};
    Run outcome = run(runner, env, plan, cells);
    QCOMPARE(outcome.results.size(), 1);
    QCOMPARE(api.requestCount(), 1);
    QCOMPARE(outcome.results.constFirst().verdict, MatrixVerdict::Error);
    QVERIFY2(outcome.results.constFirst().detail.contains(u"expected 401, got 429"_s), qPrintable(outcome.results.constFirst().detail));
    QVERIFY2(outcome.results.constFirst().detail.contains(u"120 s"_s), qPrintable(outcome.results.constFirst().detail));

    // A short wait, but the server keeps answering 429: a bounded number of retries, then the 429 is the answer.
    api.setResponse(ScriptedHttpServer::response(429, "Too Many Requests", "application/json", "{}", "Retry-After: 0\r\n"));
    MatrixRunner::Options options;
    options.maxRateLimitRetries = 2;
    outcome = run(runner, env, plan, cells, options);
    QCOMPARE(api.requestCount(), 1 + 3);
    QCOMPARE(outcome.results.constFirst().verdict, MatrixVerdict::Error);
}

void TestMatrixRunner::stopCancelsEverythingInFlight()
{
    const Environment env = demoEnvironment();
    MatrixPlan plan;
    plan.requests = {planRequest(u"slow"_s, u"GET"_s, u"/slow?ms=20000"_s, {u"accounts:read"_s}),
                     planRequest(u"accounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s})};
    QList<MatrixCell> cells;
    for (int i = 0; i < 4; ++i)
        cells.append(cell(0, u"slow"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s}));
    cells.append(cell(1, u"accounts"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s}));
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    QSignalSpy started(&runner, &MatrixRunner::cellStarted);
    QSignalSpy cellFinished(&runner, &MatrixRunner::cellFinished);
    MatrixRunner::Options options;
    options.concurrency = 2;
    const Run outcome = run(runner, env, plan, cells, options, [&] {
        // Both slots busy with the slow requests once their token came and they went out.
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 2, 5000);
        QTest::qWait(300);
        runner.stop();
    });
    QVERIFY(outcome.stopped);
    QCOMPARE(outcome.finishedSignals, 1);
    QVERIFY(outcome.results.isEmpty());
    QVERIFY(!runner.isRunning());
    QVERIFY2(outcome.elapsedMs < 5000, qPrintable(QString::number(outcome.elapsedMs)));
    QTest::qWait(200);
    QCOMPARE(cellFinished.size(), 0);
    QCOMPARE(started.size(), 2);

    // The runner runs again after a stop.
    const Run again = run(runner, env, plan, {cells.constLast()});
    QCOMPARE(again.results.size(), 1);
    QCOMPARE(again.results.constFirst().verdict, MatrixVerdict::AsExpected);
}

void TestMatrixRunner::stopGivesUpAGrantWaitingForThePerson()
{
    // The device grant: the token for the column waits for a person at the Demo's verification page.
    Environment env = demoEnvironment();
    env.grant = GrantType::DeviceCode;
    env.provider.deviceAuthorizationUrl = m_demo.deviceAuthorizationUrl();
    MatrixPlan plan;
    plan.requests = {planRequest(u"accounts"_s, u"GET"_s, u"/accounts"_s, {u"accounts:read"_s})};
    const QList<MatrixCell> cells{cell(0, u"accounts"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s})};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    QSignalSpy asked(&tokens, &TokenSource::interactionRequired);
    QSignalSpy over(&tokens, &TokenSource::interactionFinished);
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, cells, {}, [&] {
        QVERIFY(asked.wait(5000));
        runner.stop();
    });
    QVERIFY(outcome.stopped);
    // Which scopes the person would approve, and the code to enter.
    QCOMPARE(asked.first().at(0).toStringList(), QStringList{u"accounts:read"_s});
    QVERIFY(!asked.first().at(1).value<GrantInteraction>().userCode.isEmpty());
    // The wait itself was given up with the run, not left polling behind it.
    QTRY_COMPARE_WITH_TIMEOUT(over.size(), 1, 2000);
    QCOMPARE(over.first().at(0).toStringList(), QStringList{u"accounts:read"_s});
}

void TestMatrixRunner::readOnlySkipsStateChangingRequests()
{
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.setResponse(ScriptedHttpServer::response(401, "Unauthorized", "application/json", "{}"));
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"create"_s, u"POST"_s, u"/trades"_s, {u"trades:execute"_s}),
                     planRequest(u"list"_s, u"GET"_s, u"/trades"_s, {u"trades:read"_s})};
    const QList<MatrixCell> cells = {cell(0, u"create"_s, ScopeSet::Kind::NoToken, {}, {}, 401),
                                     cell(1, u"list"_s, ScopeSet::Kind::NoToken, {}, {}, 401)};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    MatrixRunner::Options options;
    options.readOnly = true;
    const Run outcome = run(runner, env, plan, cells, options);
    QCOMPARE(outcome.results.size(), 2);
    const MatrixCellResult *create = find(outcome.results, u"create"_s, ScopeSet::Kind::NoToken);
    QCOMPARE(create->verdict, MatrixVerdict::Skipped);
    QVERIFY2(create->detail.contains(u"read-only"_s), qPrintable(create->detail));
    QCOMPARE(create->url, api.url(u"/api/trades"_s).toString());
    QVERIFY(create->passed());
    QCOMPARE(find(outcome.results, u"list"_s, ScopeSet::Kind::NoToken)->verdict, MatrixVerdict::AsExpected);
    QCOMPARE(api.requestCount(), 1);
    QVERIFY(!api.received().contains("POST"));

    // Not read-only: the POST goes.
    const Run sent = run(runner, env, plan, cells);
    QCOMPARE(find(sent.results, u"create"_s, ScopeSet::Kind::NoToken)->verdict, MatrixVerdict::AsExpected);
    QVERIFY(api.received().contains("POST /api/trades"));
}

void TestMatrixRunner::productionIsRefusedUnlessAllowed()
{
    ScriptedHttpServer api;
    QVERIFY(api.listen());
    api.setResponse(ScriptedHttpServer::response(401, "Unauthorized", "application/json", "{}"));
    Environment env = demoEnvironment();
    env.name = u"Live"_s;
    env.tier = Tier::Production;
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"create"_s, u"POST"_s, u"/trades"_s, {u"trades:execute"_s})};
    const QList<MatrixCell> cells = {cell(0, u"create"_s, ScopeSet::Kind::NoToken, {}, {}, 401)};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    QSignalSpy finished(&runner, &MatrixRunner::finished);
    const QString refusal = runner.start(env, plan, cells, {});
    QVERIFY(refusal.contains(u"production"_s));
    QVERIFY(!runner.isRunning());
    QTest::qWait(100);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(api.requestCount(), 0);
    QCOMPARE(tokens.fetchCount(), 0);

    MatrixRunner::Options options;
    options.allowProduction = true;
    const Run allowed = run(runner, env, plan, cells, options);
    QVERIFY2(allowed.refusal.isEmpty(), qPrintable(allowed.refusal));
    QCOMPARE(allowed.results.constFirst().verdict, MatrixVerdict::AsExpected); // the state-changing request went
    QCOMPARE(api.requestCount(), 1);
}

void TestMatrixRunner::noCredentialInAResult()
{
    // An API that quotes every request back, Authorization included, and a request that carries
    // the client secret in its query: neither the token nor the secret may reach a result.
    SlowEchoApi api(0, 200);
    QVERIFY(api.listen());
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"echo"_s, u"GET"_s, u"/echo?note={{note}}"_s, {u"accounts:read"_s})};
    plan.variables = {{u"note"_s, DemoServer::clientSecret()}};
    const QList<MatrixCell> cells = {cell(0, u"echo"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s}),
                                     cell(0, u"echo"_s, ScopeSet::Kind::MissingScope, {u"trades:read"_s}, {u"accounts:read"_s}, 403)};
    CachedTokenSource tokens(env.id, tokenRequest(env));
    MatrixRunner runner(&tokens);
    const Run outcome = run(runner, env, plan, cells);
    QCOMPARE(outcome.results.size(), 2);
    QCOMPARE(api.requests(), 2);

    QByteArray json;
    for (const MatrixCellResult &result : outcome.results)
        json += QJsonDocument(result.toJson()).toJson();
    QVERIFY(!json.contains(DemoServer::clientSecret().toUtf8()));
    for (const QStringList &scopes : {QStringList{u"accounts:read"_s}, QStringList{u"trades:read"_s}}) {
        TokenScopes exact;
        exact.scopes = scopes;
        const auto token = tokens.usableToken(exact);
        QVERIFY(token);
        QVERIFY(!json.contains(token->value.toUtf8()));
        // nor any piece of the JWT that identifies it
        QVERIFY(!json.contains(token->value.section(u'.', 2).toUtf8()));
    }
    // The echo did come back, masked: the evidence still shows what the server quoted.
    const QString body = outcome.results.constFirst().evidence.value(u"response"_s).toObject().value(u"body"_s).toString();
    QVERIFY2(body.contains(u"Authorization: Bearer ••••"_s), qPrintable(body));
    QVERIFY2(outcome.results.constFirst().url.contains(u"note=••••"_s), qPrintable(outcome.results.constFirst().url));
}

void TestMatrixRunner::evidenceIsBuiltWhenRead()
{
    // The evidence of a cell is built when a report, a finding or a click reads it, not as each
    // cell finishes; built later, it is redacted exactly as it would have been then — with the
    // run's secrets, even once the run and its tokens are gone.
    SlowEchoApi api(0, 200);
    QVERIFY(api.listen());
    Environment env = demoEnvironment();
    env.apiBaseUrl = api.url(u"/api"_s);
    MatrixPlan plan;
    plan.requests = {planRequest(u"echo"_s, u"GET"_s, u"/echo"_s, {u"accounts:read"_s}),
                     planRequest(u"large"_s, u"GET"_s, u"/large"_s, {u"accounts:read"_s})};
    plan.requests[1].draft.headers.append({u"X-Pad"_s, QString(MatrixCellEvidence::MaxPendingBodyBytes, u'p'), true});
    const QList<MatrixCell> cells = {cell(0, u"echo"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s}),
                                     cell(1, u"large"_s, ScopeSet::Kind::Needed, {u"accounts:read"_s})};
    QList<MatrixCellResult> results;
    QString token;
    {
        CachedTokenSource tokens(env.id, tokenRequest(env));
        MatrixRunner runner(&tokens);
        const Run outcome = run(runner, env, plan, cells);
        QCOMPARE(outcome.results.size(), 2);
        results = outcome.results;
        TokenScopes exact;
        exact.scopes = {u"accounts:read"_s};
        const auto held = tokens.usableToken(exact);
        QVERIFY(held);
        token = held->value;
    }
    const MatrixCellResult &echo = results.at(0);
    QCOMPARE(echo.verdict, MatrixVerdict::AsExpected);
    QVERIFY(!echo.evidence.isEmpty());
    QVERIFY2(!echo.evidence.isBuilt(), "a passing cell's evidence waits until it is read");
    // A cell whose answer is large is built at once: a run never holds whole bodies to cut later.
    QVERIFY(results.at(1).evidence.isBuilt());
    QVERIFY(results.at(1).evidence.value(u"response"_s).toObject().value(u"bodyTruncated"_s).toBool());
    // The URL is there at once, masked as the evidence masks it.
    QCOMPARE(echo.url, api.url(u"/api/echo"_s).toString());

    // Read from two threads at once (the GUI's exporter writes on a worker thread): built once,
    // the same for both, and for every copy.
    const MatrixCellResult copy = echo;
    QJsonObject first, second;
    std::thread one([&first, copy] { first = copy.evidence.json(); });
    std::thread two([&second, &echo] { second = echo.evidence.json(); });
    one.join();
    two.join();
    QVERIFY(!first.isEmpty());
    QCOMPARE(first, second);
    QVERIFY(echo.evidence.isBuilt());
    const QByteArray json = QJsonDocument(echo.toJson()).toJson();
    QVERIFY(json.contains("\"evidence\""));
    QVERIFY2(!json.contains(token.toUtf8()), "the token the server quoted back is masked");
    const QString body = first.value(u"response"_s).toObject().value(u"body"_s).toString();
    QVERIFY2(body.contains(u"Authorization: Bearer ••••"_s), qPrintable(body));
    QCOMPARE(first.value(u"request"_s).toObject().value(u"line"_s).toString(), u"GET "_s + echo.url);
    // Read back from a report, it is the same evidence.
    QString error;
    const auto reread = MatrixCellResult::fromJson(echo.toJson(), &error);
    QVERIFY2(reread, qPrintable(error));
    QCOMPARE(reread->evidence.json(), first);
    QCOMPARE(*reread, echo);
}

QTEST_GUILESS_MAIN(TestMatrixRunner)
#include "tst_matrixrunner.moc"
