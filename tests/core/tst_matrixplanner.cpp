#include "contract/OpenApiImport.h"
#include "matrix/MatrixPlan.h"
#include "matrix/MatrixPlanReader.h"
#include "matrix/MatrixPlanner.h"
#include "matrix/MatrixShard.h"
#include "workspace/Environment.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSet>
#include <cmath>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
using Kind = ScopeSet::Kind;

PlanRequest request(const QString &name, const QList<QStringList> &alternatives, int success = 200)
{
    PlanRequest out;
    out.id = name;
    out.name = name;
    out.draft.url = u"/"_s + name;
    for (const QStringList &scopes : alternatives)
        out.requiredScopes.append({u"oauth"_s, scopes});
    out.successStatus = success;
    return out;
}

MatrixPlan planOf(const QList<PlanRequest> &requests)
{
    MatrixPlan plan;
    plan.title = u"test"_s;
    plan.requests = requests;
    return plan;
}

Environment environment(const QStringList &catalog, const QList<HeaderTemplate> &headers = {})
{
    Environment env;
    env.name = u"Test"_s;
    for (const QString &scope : catalog)
        env.scopeCatalog.append({scope, {}});
    env.headers = headers;
    return env;
}

// "kind scopes -removed +substitute = status" per cell: the whole matrix of a plan, readable in a
// QCOMPARE failure.
QStringList describe(const QList<MatrixCell> &cells)
{
    QStringList out;
    for (const MatrixCell &cell : cells) {
        QString line = ScopeSet::kindName(cell.set.kind);
        if (!cell.set.scopes.isEmpty())
            line += u' ' + cell.set.scopes.join(u' ');
        if (!cell.set.removed.isEmpty())
            line += u" -"_s + cell.set.removed.join(u",-"_s);
        if (!cell.set.substitute.isEmpty())
            line += u" +"_s + cell.set.substitute;
        out.append(line + u" = "_s + QString::number(cell.expectedStatus));
    }
    return out;
}

MatrixShard shard(int index, int count)
{
    return MatrixShard{index, count};
}

bool grants(const QStringList &held, const QList<ScopeRequirement> &alternatives)
{
    return std::any_of(alternatives.begin(), alternatives.end(), [&](const ScopeRequirement &alternative) {
        return std::all_of(alternative.scopes.begin(), alternative.scopes.end(),
                           [&](const QString &scope) { return held.contains(scope); });
    });
}

// The property every matrix must have: a cell that expects success holds an alternative, a
// cell that expects a denial for a missing scope holds none (else it would prove nothing), an
// on-behalf cell lacks the on-behalf-of scope, ids are unique.
void checkCells(const MatrixPlan &plan, const QList<MatrixCell> &cells)
{
    const QString onBehalfOf = MatrixPlanner::onBehalfOfScope();
    QSet<QString> ids;
    for (const MatrixCell &cell : cells) {
        QVERIFY2(!ids.contains(cell.id()), qPrintable(cell.id()));
        ids.insert(cell.id());
        const PlanRequest &r = plan.requests.at(cell.request);
        QCOMPARE(cell.requestId, r.id);
        if (cell.set.kind == Kind::NoToken)
            QVERIFY(cell.set.scopes.isEmpty());
        else if (cell.expectsSuccess())
            QVERIFY2(grants(cell.set.scopes, r.requiredScopes), qPrintable(cell.id()));
        else if (cell.set.kind == Kind::OnBehalfWithoutScope)
            QVERIFY2(!cell.set.scopes.contains(onBehalfOf), qPrintable(cell.id()));
        else
            QVERIFY2(!grants(cell.set.scopes, r.requiredScopes), qPrintable(cell.id()));
        QStringList sorted = cell.set.scopes;
        sorted.sort();
        QCOMPARE(cell.set.scopes, sorted);
    }
}
} // namespace

class TestMatrixPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scopeSetKeyAndLabel()
    {
        const ScopeSet needed{Kind::Needed, {u"a"_s, u"b"_s}, {}, {}};
        QCOMPARE(needed.key(), u"needed:a b"_s);
        QCOMPARE(needed.label(), u"needed: a b"_s);
        const ScopeSet without{Kind::MissingScope, {u"b"_s}, {u"a"_s}, {}};
        QCOMPARE(without.key(), u"without:b"_s);
        QCOMPARE(without.label(), u"without a"_s);
        const ScopeSet substituted{Kind::MissingScope, {u"x:read"_s}, {u"a"_s, u"c"_s}, u"x:read"_s};
        QCOMPARE(substituted.label(), u"without a, c (asking for x:read instead)"_s);
        const ScopeSet noToken{Kind::NoToken, {}, {}, {}};
        QCOMPARE(noToken.key(), u"no-token"_s);
        QCOMPARE(noToken.label(), u"no token"_s);
        const ScopeSet onBehalf{Kind::OnBehalfWithoutScope, {u"b"_s}, {u"core.users:act-on-behalf-of"_s}, {}};
        QCOMPARE(onBehalf.key(), u"on-behalf:b"_s);
        QCOMPARE(onBehalf.label(), u"on behalf, without core.users:act-on-behalf-of"_s);
        // One scope set, two kinds: two columns (the on-behalf one sends the context header).
        QVERIFY(onBehalf.key() != without.key());
        const MatrixCell cell{0, u"r"_s, without, 403};
        QCOMPARE(cell.id(), u"r\nwithout:b"_s);
        QVERIFY(!cell.expectsSuccess());
    }

    // One scope: it, nothing of it (an unrelated read scope asked for instead of an empty set,
    // since the server would grant its defaults to a request naming none), no token.
    void singleScope()
    {
        const MatrixPlan plan = planOf({request(u"list"_s, {{u"orders:read"_s}})});
        const Environment env = environment({u"orders:read"_s, u"orders:write"_s, u"users:read"_s, u"admin"_s});
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, env, &notes);
        QCOMPARE(describe(cells), (QStringList{u"needed orders:read = 200"_s,
                                               u"without users:read -orders:read +users:read = 403"_s,
                                               u"no-token = 401"_s}));
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join(u'\n')));
        checkCells(plan, cells);
        QCOMPARE(cells.at(0).id(), u"list\nneeded:orders:read"_s);
    }

    // Each scope of an AND requirement removed in turn; the request's own statuses.
    void multiScope()
    {
        PlanRequest r = request(u"refund"_s, {{u"c"_s, u"a"_s, u"b"_s}}, 201);
        r.denialStatus = 404;
        r.unauthenticatedStatus = 400;
        const MatrixPlan plan = planOf({r});
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"a"_s, u"b"_s, u"c"_s}), nullptr);
        QCOMPARE(describe(cells), (QStringList{u"needed a b c = 201"_s, u"without b c -a = 404"_s, u"without a c -b = 404"_s,
                                               u"without a b -c = 404"_s, u"no-token = 400"_s}));
        checkCells(plan, cells);
    }

    // Alternatives: one success cell per alternative; a denial cell lacks every alternative.
    // Two removals that leave one token are one cell that names both.
    void alternatives()
    {
        const MatrixPlan plan = planOf({request(u"pay"_s, {{u"a"_s, u"b"_s}, {u"a"_s, u"c"_s}, {u"d"_s}})});
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"e:read"_s}), nullptr);
        QCOMPARE(describe(cells), (QStringList{u"needed a b = 200"_s, u"needed a c = 200"_s, u"needed d = 200"_s,
                                               u"without b -a = 403"_s, u"without a -b,-c = 403"_s, u"without c -a = 403"_s,
                                               u"without e:read -d +e:read = 403"_s, u"no-token = 401"_s}));
        checkCells(plan, cells);
    }

    // An alternative that holds another (a b | a): "a b without b" still satisfies "a", so it
    // is no denial test; it is left out with a note, never expected to be refused.
    void alternativeContainingAnother()
    {
        const MatrixPlan plan = planOf({request(u"get"_s, {{u"a"_s, u"b"_s}, {u"a"_s}})});
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"a"_s, u"b"_s, u"z:read"_s}), &notes);
        QCOMPARE(describe(cells), (QStringList{u"needed a b = 200"_s, u"needed a = 200"_s, u"without b -a = 403"_s,
                                               u"without z:read -a +z:read = 403"_s, u"no-token = 401"_s}));
        checkCells(plan, cells);
        QCOMPARE(notes, QStringList{u"get, without b: the remaining scopes still satisfy another alternative; no denial to test"_s});
    }

    // The substitute: a read scope outside every alternative (sorted, first), else any unrelated
    // scope, else none (a note says the cell cannot be made exact, and it asks for no scope).
    void emptySetSubstitution()
    {
        const QList<ScopeRequirement> alternatives{{u"o"_s, {u"orders:read"_s}}, {u"o"_s, {u"read:all"_s}}};
        QCOMPARE(MatrixPlanner::substituteScope({u"orders:read"_s, u"zeta:read"_s, u"b:write"_s, u"read:all"_s, u"alpha:read"_s},
                                                alternatives),
                 u"alpha:read"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"orders:read"_s, u"read:users"_s, u"b:write"_s}, alternatives), u"read:users"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"orders:read"_s, u"x.read"_s, u"b:write"_s}, alternatives), u"x.read"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"orders:read"_s, u"c:write"_s, u"b:write"_s}, alternatives), u"b:write"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"https://x/disputes/create"_s, u"https://x/disputes/read-buyer"_s}, alternatives),
                 u"https://x/disputes/read-buyer"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"https://x/readwrite"_s, u"https://x/disputes/read"_s}, alternatives),
                 u"https://x/disputes/read"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"a:readwrite"_s, u"a:write"_s}, alternatives), u"a:readwrite"_s);
        QCOMPARE(MatrixPlanner::substituteScope({u"orders:read"_s, u"core.users:act-on-behalf-of"_s}, alternatives), QString());
        QCOMPARE(MatrixPlanner::substituteScope({}, alternatives), QString());

        // No catalog: the environment's scopes stand for it.
        Environment env;
        env.scopes = {u"orders:read"_s, u"users:read"_s};
        const MatrixPlan plan = planOf({request(u"list"_s, {{u"orders:read"_s}})});
        QCOMPARE(MatrixPlanner::cells(plan, env, nullptr).at(1).set.scopes, QStringList{u"users:read"_s});

        // Nothing to ask for: the cell stays, asking for no scope, and a note says why it is not exact.
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"orders:read"_s}), &notes);
        QCOMPARE(describe(cells), (QStringList{u"needed orders:read = 200"_s, u"without -orders:read = 403"_s, u"no-token = 401"_s}));
        QCOMPARE(notes.size(), 1);
        QVERIFY2(notes.at(0).startsWith(u"list, without orders:read: the catalog has no other scope"_s) && notes.at(0).contains(u"cannot be made exact"_s),
                 qPrintable(notes.at(0)));
    }

    // An on-behalf-of environment (the Demo's: X-On-Behalf-Of sent, the scope in its scopes):
    // every token that must not fail for lacking it asks for it; one more cell drops it while
    // the header is still sent. An endpoint that needs only that scope gets the substitute.
    void onBehalfOf()
    {
        const Environment demo = Workspace::demoEnvironment();
        QVERIFY(MatrixPlanner::isOnBehalfOf(demo));
        const MatrixPlan plan = planOf({request(u"accounts"_s, {{u"accounts:read"_s}}),
                                        request(u"me"_s, {{u"core.users:act-on-behalf-of"_s}})});
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, demo, &notes);
        QCOMPARE(describe(cells),
                 (QStringList{u"needed accounts:read core.users:act-on-behalf-of = 200"_s,
                              u"without core.users:act-on-behalf-of -accounts:read = 403"_s,
                              u"on-behalf accounts:read -core.users:act-on-behalf-of = 403"_s, u"no-token = 401"_s,
                              u"needed core.users:act-on-behalf-of = 200"_s,
                              u"on-behalf accounts:read -core.users:act-on-behalf-of +accounts:read = 403"_s,
                              u"no-token = 401"_s}));
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join(u'\n')));
        checkCells(plan, cells);

        // Not on behalf: no header with a value, or no such scope in the catalog.
        Environment noHeader = demo;
        noHeader.headers = {{u"X-On-Behalf-Of"_s, u""_s}};
        QVERIFY(!MatrixPlanner::isOnBehalfOf(noHeader));
        Environment noScope = demo;
        noScope.scopes = {u"accounts:read"_s};
        QVERIFY(!MatrixPlanner::isOnBehalfOf(noScope));
        const Environment catalogued = environment({u"a"_s, u"core.users:act-on-behalf-of"_s}, {{u"X-Tenant"_s, u"{{t}}"_s}});
        QVERIFY(MatrixPlanner::isOnBehalfOf(catalogued));
        const QList<MatrixCell> plain = MatrixPlanner::cells(planOf({request(u"accounts"_s, {{u"accounts:read"_s}})}), noScope, nullptr);
        QCOMPARE(describe(plain), (QStringList{u"needed accounts:read = 200"_s, u"without -accounts:read = 403"_s, u"no-token = 401"_s}));
    }

    // A request that needs a token but no particular scope: success with one, 401 without; no
    // scope to take away (a note says so). One anyone may call (OpenAPI's {}) is not verified.
    void scopeFreeAndAnonymous()
    {
        PlanRequest tokenOnly = request(u"health"_s, {});
        tokenOnly.requiredScopes = {{u"oauth2"_s, {}}};
        PlanRequest anonymous = request(u"public"_s, {});
        anonymous.requiredScopes = {{QString(), {}}, {u"oauth"_s, {u"a"_s}}};
        const MatrixPlan plan = planOf({tokenOnly, anonymous, request(u"none"_s, {})});
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"a"_s}), &notes);
        QCOMPARE(describe(cells), (QStringList{u"needed = 200"_s, u"no-token = 401"_s}));
        QCOMPARE(notes.size(), 3);
        QVERIFY2(notes.at(0).startsWith(u"health: it can be called with a token of any scope"_s), qPrintable(notes.at(0)));
        QVERIFY2(notes.at(1).startsWith(u"public: its document lets anyone call it"_s), qPrintable(notes.at(1)));
        QVERIFY2(notes.at(2).startsWith(u"none: no scopes documented"_s), qPrintable(notes.at(2)));

        // In an on-behalf-of environment, it still must be refused without the on-behalf-of scope.
        const QList<MatrixCell> onBehalf = MatrixPlanner::cells(planOf({tokenOnly}), Workspace::demoEnvironment(), nullptr);
        QCOMPARE(describe(onBehalf), (QStringList{u"needed core.users:act-on-behalf-of = 200"_s,
                                                  u"on-behalf accounts:read -core.users:act-on-behalf-of +accounts:read = 403"_s,
                                                  u"no-token = 401"_s}));
    }

    // Scopes and URLs may name variables: the request's own win over the plan's, which win over
    // the environment's; what no one defines is noted.
    void variables()
    {
        PlanRequest r = request(u"account"_s, {{u"account:{{accountId}}"_s}});
        r.draft.url = u"/accounts/{{accountId}}/{{missing}}"_s;
        MatrixPlan plan = planOf({r});
        plan.variables = {{u"accountId"_s, u"plan-1"_s}};
        Environment env = environment({u"x:read"_s});
        env.variables = {{u"accountId"_s, u"env-1"_s}};
        QStringList notes;
        QList<MatrixCell> cells = MatrixPlanner::cells(plan, env, &notes);
        QCOMPARE(cells.at(0).set.scopes, QStringList{u"account:plan-1"_s});
        QCOMPARE(notes, QStringList{u"account: {{missing}} is defined neither by the plan nor by the environment"_s});

        plan.variables.clear();
        QCOMPARE(MatrixPlanner::cells(plan, env, nullptr).at(0).set.scopes, QStringList{u"account:env-1"_s});

        plan.variables = {{u"accountId"_s, u"plan-1"_s}, {u"missing"_s, u"m"_s}};
        plan.requests[0].draft.extraVariables = {{u"accountId"_s, u"own-1"_s}};
        notes.clear();
        cells = MatrixPlanner::cells(plan, env, &notes);
        QCOMPARE(cells.at(0).set.scopes, QStringList{u"account:own-1"_s});
        QVERIFY(notes.isEmpty());

        // What the cell sends: its scopes exactly, the variables in the same order of precedence.
        const RequestDraft draft = cells.at(0).draftToSend(plan);
        QCOMPARE(draft.scopes, QStringList{u"account:own-1"_s});
        QVERIFY(!draft.noScopes);
        QCOMPARE(draft.scopeMatch, ScopeMatch::Exact);
        QCOMPARE(draft.extraVariables.at(0), (QPair<QString, QString>{u"accountId"_s, u"own-1"_s}));
        QCOMPARE(draft.extraVariables.at(1), (QPair<QString, QString>{u"accountId"_s, u"plan-1"_s}));
        QVERIFY(draft.switchFor(u"Authorization"_s) == nullptr);
    }

    // No token: no scope asked for and the Authorization header switched off, whatever the draft said.
    void draftWithoutToken()
    {
        PlanRequest r = request(u"get"_s, {{u"a"_s}});
        r.draft.injectionSwitches = {{u"authorization"_s, false, u"Bearer {{t}}"_s}, {u"X-On-Behalf-Of"_s, true, {}}};
        const MatrixPlan plan = planOf({r});
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, environment({u"a"_s, u"b:read"_s}), nullptr);
        const MatrixCell &noToken = cells.constLast();
        QCOMPARE(noToken.set.kind, Kind::NoToken);
        const RequestDraft draft = noToken.draftToSend(plan);
        QVERIFY(draft.noScopes);
        QVERIFY(draft.scopes.isEmpty());
        const auto *authorization = draft.switchFor(u"Authorization"_s);
        QVERIFY(authorization && authorization->disabled && !authorization->value);
        QVERIFY(draft.switchFor(u"X-On-Behalf-Of"_s)->disabled);
        // With a token, the draft's own Authorization override is not sent either: the cell's token is.
        QVERIFY(cells.at(0).draftToSend(plan).switchFor(u"Authorization"_s) == nullptr);
        QCOMPARE(MatrixCell().draftToSend(plan), RequestDraft());
    }

    // A real document: PayPal's disputes, with the environment its import makes. Every cell has
    // the matrix's properties; a write operation's missing-scope cell asks for a read scope of the
    // catalog; a list with five read alternatives has one denial cell lacking all five; the
    // path parameter no one defines is noted.
    void openApiDocument()
    {
        QFile file(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/openapi/paypal-customer-disputes-v1.openapi-3.0.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QString error;
        const auto plan = MatrixPlanReader::fromOpenApi(text, u"disputes.json"_s, &error);
        QVERIFY2(plan, qPrintable(error));
        const auto imported = OpenApiImport::fromText(text, &error);
        QVERIFY2(imported && !imported->environments.isEmpty(), qPrintable(error));
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(*plan, imported->environments.constFirst(), &notes);
        checkCells(*plan, cells);
        const QString base = u"https://uri.paypal.com/services/disputes/"_s;
        QList<MatrixCell> listCells;
        int patchDenials = 0;
        for (const MatrixCell &cell : cells) {
            if (cell.requestId == u"disputes.list"_s)
                listCells.append(cell);
            if (cell.requestId == u"disputes.patch"_s && cell.set.kind == Kind::MissingScope) {
                QCOMPARE(cell.set.scopes, QStringList{base + u"read"_s});
                QCOMPARE(cell.set.removed, QStringList{base + u"update-seller"_s});
                ++patchDenials;
            }
        }
        QCOMPARE(patchDenials, 1);
        QCOMPARE(listCells.size(), 7); // five needed, one without all five, no token
        QCOMPARE(listCells.at(5).set.removed.size(), 5);
        QCOMPARE(listCells.at(5).expectedStatus, 403);
        QVERIFY(notes.contains(u"disputes.get: {{id}} is defined neither by the plan nor by the environment"_s));
    }

    // The most a plan file lets one request name (1,000 single-scope alternatives): its cells in
    // well under a second, the denial cells that all lack every alternative being one.
    void manyAlternativesQuickly()
    {
        PlanRequest r = request(u"wide"_s, {});
        QStringList catalog{u"other:read"_s};
        for (int i = 0; i < 1000; ++i) {
            r.requiredScopes.append({u"oauth"_s, {u"s%1"_s.arg(i)}});
            catalog.append(u"s%1"_s.arg(i));
        }
        QElapsedTimer timer;
        timer.start();
        const QList<MatrixCell> cells = MatrixPlanner::cells(planOf({r}), environment(catalog), nullptr);
        QVERIFY2(timer.elapsed() < 1000, qPrintable(u"%1 ms"_s.arg(timer.elapsed())));
        QCOMPARE(cells.size(), 1002);
        QCOMPARE(cells.at(1000).set.scopes, QStringList{u"other:read"_s});
        QCOMPARE(cells.at(1000).set.removed.size(), 1000);
    }

    // Same plan, same environment: the same cells in the same order.
    void stableOrder()
    {
        const MatrixPlan plan = planOf({request(u"b"_s, {{u"z"_s, u"y"_s}, {u"x"_s}}), request(u"a"_s, {{u"y"_s}})});
        const Environment env = environment({u"x"_s, u"y"_s, u"z"_s, u"w:read"_s});
        const QList<MatrixCell> first = MatrixPlanner::cells(plan, env, nullptr);
        QCOMPARE(MatrixPlanner::cells(plan, env, nullptr), first);
        QCOMPARE(first.at(0).request, 0);
        QCOMPARE(first.constLast().request, 1);
        checkCells(plan, first);
    }

    void shardParse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("error");
        QTest::newRow("1/1") << u"1/1"_s << 1 << 1 << QString();
        QTest::newRow("3/8") << u"3/8"_s << 3 << 8 << QString();
        QTest::newRow("spaces") << u" 2 / 5 "_s << 2 << 5 << QString();
        QTest::newRow("0/4") << u"0/4"_s << 0 << 0 << u"shard \"0/4\": K must be from 1 to 4"_s;
        QTest::newRow("5/4") << u"5/4"_s << 0 << 0 << u"shard \"5/4\": K must be from 1 to 4"_s;
        QTest::newRow("1/0") << u"1/0"_s << 0 << 0 << u"shard \"1/0\": N must be from 1 to 10000"_s;
        QTest::newRow("too many") << u"1/10001"_s << 0 << 0 << u"shard \"1/10001\": N must be from 1 to 10000"_s;
        QTest::newRow("negative") << u"-1/4"_s << 0 << 0 << u"shard \"-1/4\" is not of the form K/N (e.g. 2/5)"_s;
        QTest::newRow("word") << u"half"_s << 0 << 0 << u"shard \"half\" is not of the form K/N (e.g. 2/5)"_s;
        QTest::newRow("empty") << QString() << 0 << 0 << u"shard \"\" is not of the form K/N (e.g. 2/5)"_s;
    }

    void shardParse()
    {
        QFETCH(QString, text);
        QFETCH(int, index);
        QFETCH(int, count);
        QFETCH(QString, error);
        QString said;
        const auto shard = MatrixShard::parse(text, &said);
        QCOMPARE(bool(shard), error.isEmpty());
        if (shard) {
            QCOMPARE(shard->index, index);
            QCOMPARE(shard->count, count);
            QCOMPARE(shard->toString(), u"%1/%2"_s.arg(index).arg(count));
        } else {
            QCOMPARE(said, error);
        }
    }

    // The split is SHA-256's first 8 bytes, big-endian, modulo N: pinned so that every machine
    // (and every later version) puts a cell in the same shard.
    void shardIsPinned()
    {
        const QString id = u"r\nwithout:b"_s;
        QVERIFY(shard(2, 2).contains(id));
        QVERIFY(shard(3, 5).contains(id));
        QVERIFY(shard(7, 7).contains(id));
        QVERIFY(shard(8, 10).contains(id));
        QVERIFY(!shard(1, 2).contains(id));
        QVERIFY(shard(4, 5).contains(u"r\nno-token"_s));
        QVERIFY(shard(1, 1).contains(id));
    }

    // A large plan (300 requests × their scope sets): shards 1..N together hold every cell
    // exactly once, each a fair share; adding requests moves no cell to another shard.
    void shardsCoverEveryCellOnce()
    {
        QList<PlanRequest> requests;
        QStringList catalog{u"audit:read"_s};
        for (int i = 0; i < 300; ++i) {
            const QString resource = u"res%1"_s.arg(i % 37);
            catalog << resource + u":read"_s << resource + u":write"_s;
            requests.append(i % 3 == 0 ? request(u"op%1"_s.arg(i), {{resource + u":write"_s, resource + u":read"_s}})
                                       : request(u"op%1"_s.arg(i), {{resource + u":read"_s}, {u"admin"_s}}));
        }
        const Environment env = environment(catalog);
        const QList<MatrixCell> cells = MatrixPlanner::cells(planOf(requests), env, nullptr);
        QVERIFY(cells.size() > 1000);
        for (const int count : {1, 2, 7, 16}) {
            QHash<QString, int> seen;
            for (int index = 1; index <= count; ++index) {
                int inShard = 0;
                for (const MatrixCell &cell : cells) {
                    if (shard(index, count).contains(cell.id())) {
                        ++seen[cell.id()];
                        ++inShard;
                    }
                }
                // A fair share: within four standard deviations of a uniform split.
                const double share = double(cells.size()) / count;
                QVERIFY2(std::abs(inShard - share) < 4 * std::sqrt(share),
                         qPrintable(u"shard %1/%2 has %3 of %4 cells"_s.arg(index).arg(count).arg(inShard).arg(cells.size())));
            }
            QCOMPARE(seen.size(), cells.size());
            for (auto it = seen.cbegin(); it != seen.cend(); ++it)
                QVERIFY2(it.value() == 1, qPrintable(it.key()));
        }

        // Requests added before, between and after: every old cell keeps its id, hence its shard.
        QList<PlanRequest> grown = requests;
        grown.prepend(request(u"first"_s, {{u"audit:read"_s}}));
        grown.insert(150, request(u"middle"_s, {{u"res1:write"_s}}));
        grown.append(request(u"last"_s, {{u"res2:write"_s, u"admin"_s}}));
        const QList<MatrixCell> more = MatrixPlanner::cells(planOf(grown), env, nullptr);
        QSet<QString> grownIds;
        for (const MatrixCell &cell : more)
            grownIds.insert(cell.id());
        for (const MatrixCell &cell : cells)
            QVERIFY2(grownIds.contains(cell.id()), qPrintable(cell.id()));
        QVERIFY(more.size() > cells.size());
    }
};

QTEST_GUILESS_MAIN(TestMatrixPlanner)
#include "tst_matrixplanner.moc"
