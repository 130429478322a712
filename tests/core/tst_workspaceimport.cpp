#include "contract/ImportPlan.h"
#include "contract/WorkspaceImport.h"
#include "workspace/Workspace.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString Doc = u"openapi:Pets"_s;

Environment planEnvironment(const QString &name, const QString &key, const QString &version)
{
    Environment env;
    env.name = name;
    env.tier = Tier::Sandbox;
    env.tokenUrl = QUrl(u"https://auth.example.test/oauth/token"_s);
    env.apiBaseUrl = QUrl(u"https://api.sandbox.example.test/v1"_s);
    env.grant = GrantType::ClientCredentials;
    env.scopeCatalog = {{u"pets:read"_s, u"Read pets"_s}, {u"pets:write"_s, u"Change pets"_s}};
    env.variables = {{u"region"_s, u"eu"_s}};
    env.origin = {Doc, key, version};
    return env;
}

SavedRequest planRequest(const QString &name, const QString &key, const QString &version)
{
    SavedRequest request;
    request.name = name;
    request.folder = u"pets"_s;
    request.summary = u"List pets"_s;
    request.draft.method = u"GET"_s;
    request.draft.url = u"/pets/{{petId}}"_s;
    request.draft.queryParams = {{u"limit"_s, u"{{limit}}"_s, true}};
    request.draft.extraVariables = {{u"limit"_s, u"20"_s}};
    request.draft.scopes = {u"pets:read"_s};
    request.requiredScopes = {{u"oauth"_s, {u"pets:read"_s}}};
    request.successStatus = 200;
    request.origin = {Doc, key, version};
    return request;
}

ImportPlan plan(const QString &version)
{
    ImportPlan plan;
    plan.sourceKind = u"OpenAPI 3.1"_s;
    plan.title = u"Pets"_s;
    plan.document = Doc;
    plan.version = version;
    plan.environments = {planEnvironment(u"Pets sandbox"_s, u"clientCredentials@https://api.sandbox.example.test/v1"_s, version),
                         planEnvironment(u"Pets production"_s, u"clientCredentials@https://api.example.test/v1"_s, version)};
    plan.environments[1].tier = Tier::Production;
    plan.requests = {planRequest(u"getPet"_s, u"getPet"_s, version), planRequest(u"GET /pets"_s, u"GET /pets"_s, version)};
    plan.skipped = {u"flow implicit: not supported"_s};
    return plan;
}

const SavedRequest *requestByKey(const Workspace &workspace, const QString &key)
{
    for (const SavedRequest &request : workspace.savedRequests()) {
        if (request.origin.key == key)
            return &request;
    }
    return nullptr;
}

const Environment *environmentByKey(const Workspace &workspace, const QString &key)
{
    for (const Environment &env : workspace.environments()) {
        if (env.origin.key == key)
            return &env;
    }
    return nullptr;
}
} // namespace

class TestWorkspaceImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void previewChangesNothing()
    {
        const Workspace workspace = Workspace::createDefault();
        const Workspace before = workspace;
        const ImportOutcome outcome = WorkspaceImport::preview(workspace, plan(u"1.0"_s));
        QCOMPARE(workspace, before);
        QCOMPARE(outcome.count(ImportAction::Kind::Add, ImportAction::Item::Environment), 2);
        QCOMPARE(outcome.count(ImportAction::Kind::Add, ImportAction::Item::Request), 2);
        QCOMPARE(outcome.skipped, QStringList{u"flow implicit: not supported"_s});
        QCOMPARE(outcome.actions.at(0).name, u"Pets sandbox"_s);
    }

    void applyAddsThenSamePlanIsUnchanged()
    {
        Workspace workspace = Workspace::createDefault();
        QString error;
        ImportOutcome outcome;
        QVERIFY(WorkspaceImport::apply(&workspace, plan(u"1.0"_s), &error, &outcome));
        QCOMPARE(workspace.environments().size(), 3); // Demo + 2
        QCOMPARE(workspace.savedRequests().size(), 2);
        QVERIFY(!workspace.find(u"Pets sandbox"_s)->id.isEmpty());
        QCOMPARE(workspace.find(u"Pets production"_s)->tier, Tier::Production);
        const Workspace afterFirst = workspace;

        const ImportOutcome preview = WorkspaceImport::preview(workspace, plan(u"1.0"_s));
        QCOMPARE(preview.count(ImportAction::Kind::Unchanged, ImportAction::Item::Environment), 2);
        QCOMPARE(preview.count(ImportAction::Kind::Unchanged, ImportAction::Item::Request), 2);
        QVERIFY(WorkspaceImport::apply(&workspace, plan(u"1.0"_s), &error, &outcome));
        QCOMPARE(workspace, afterFirst);
    }

    void newerVersionUpdatesAndKeepsUserEdits()
    {
        Workspace workspace;
        QString error;
        QVERIFY(WorkspaceImport::apply(&workspace, plan(u"1.0"_s), &error));
        const QString sandboxKey = u"clientCredentials@https://api.sandbox.example.test/v1"_s;
        Environment *sandbox = workspace.findById(environmentByKey(workspace, sandboxKey)->id);
        const QString sandboxId = sandbox->id;
        // The user fills in and changes what is theirs.
        sandbox->name = u"My pets sandbox"_s;
        sandbox->clientId = u"client-42"_s;
        sandbox->tier = Tier::Staging;
        sandbox->clientAuth = ClientAuthStyle::Body;
        sandbox->scopes = {u"pets:read"_s};
        sandbox->variables = {{u"region"_s, u"us"_s}, {u"mine"_s, u"x"_s}};
        SavedRequest request = *requestByKey(workspace, u"getPet"_s);
        const QString requestId = request.id;
        request.name = u"Fetch one pet"_s;
        request.draft.extraVariables = {{u"limit"_s, u"5"_s}};
        request.draft.scopes = {u"pets:read"_s, u"pets:write"_s};
        QVERIFY(workspace.upsertRequest(request, &error));

        ImportPlan v2 = plan(u"2.0"_s);
        for (Environment &env : v2.environments) {
            env.tokenUrl = QUrl(u"https://auth.example.test/oauth2/token"_s);
            env.scopeCatalog.append({u"pets:delete"_s, u"Delete pets"_s});
            env.variables.append({u"tenant"_s, u"default"_s});
        }
        v2.requests[0].draft.url = u"/v2/pets/{{petId}}"_s;
        v2.requests[0].draft.extraVariables.append({u"petId"_s, u"1"_s});
        v2.requests[0].requiredScopes = {{u"oauth"_s, {u"pets:read"_s}}, {u"oauth"_s, {u"pets:admin"_s}}};

        const ImportOutcome preview = WorkspaceImport::preview(workspace, v2);
        QCOMPARE(preview.count(ImportAction::Kind::Add, ImportAction::Item::Environment), 0);
        QCOMPARE(preview.count(ImportAction::Kind::Update, ImportAction::Item::Environment), 2);
        QCOMPARE(preview.count(ImportAction::Kind::Add, ImportAction::Item::Request), 0);
        QCOMPARE(preview.count(ImportAction::Kind::Update, ImportAction::Item::Request), 2);
        const ImportAction &sandboxAction = preview.actions.at(0);
        QCOMPARE(sandboxAction.name, u"My pets sandbox"_s);
        QVERIFY(sandboxAction.changes.contains(u"token URL"_s));
        QVERIFY(sandboxAction.changes.contains(u"scope catalog (3 scopes)"_s));
        QVERIFY(sandboxAction.changes.contains(u"version 1.0 → 2.0"_s));
        QVERIFY(!sandboxAction.changes.contains(u"client id"_s));

        QVERIFY(WorkspaceImport::apply(&workspace, v2, &error));
        QCOMPARE(workspace.environments().size(), 2);
        QCOMPARE(workspace.savedRequests().size(), 2);
        const Environment *updated = workspace.findById(sandboxId);
        QVERIFY(updated);
        QCOMPARE(updated->name, u"My pets sandbox"_s);
        QCOMPARE(updated->clientId, u"client-42"_s);
        QCOMPARE(updated->tier, Tier::Staging);
        QCOMPARE(updated->clientAuth, ClientAuthStyle::Body);
        QCOMPARE(updated->scopes, QStringList{u"pets:read"_s});
        QCOMPARE(updated->tokenUrl, QUrl(u"https://auth.example.test/oauth2/token"_s));
        QCOMPARE(updated->scopeCatalog.size(), 3);
        QCOMPARE(updated->origin.version, u"2.0"_s);
        const QList<QPair<QString, QString>> variables{{u"region"_s, u"us"_s}, {u"mine"_s, u"x"_s}, {u"tenant"_s, u"default"_s}};
        QCOMPARE(updated->variables, variables);

        const SavedRequest *updatedRequest = workspace.findRequestById(requestId);
        QVERIFY(updatedRequest);
        QCOMPARE(updatedRequest->name, u"Fetch one pet"_s);
        QCOMPARE(updatedRequest->draft.url, u"/v2/pets/{{petId}}"_s);
        const QList<QPair<QString, QString>> requestVariables{{u"limit"_s, u"5"_s}, {u"petId"_s, u"1"_s}};
        QCOMPARE(updatedRequest->draft.extraVariables, requestVariables);
        QCOMPARE(updatedRequest->draft.scopes, (QStringList{u"pets:read"_s, u"pets:write"_s}));
        QCOMPARE(updatedRequest->requiredScopes.size(), 2);
    }

    void addedNamesAreMadeUnique()
    {
        Workspace workspace;
        Environment mine;
        mine.name = u"pets sandbox"_s; // case-insensitively taken, and not from the document
        workspace.upsert(mine);
        SavedRequest handMade;
        handMade.name = u"GETPET"_s;
        QString error;
        QVERIFY(workspace.upsertRequest(handMade, &error));

        ImportOutcome outcome;
        QVERIFY(WorkspaceImport::apply(&workspace, plan(u"1.0"_s), &error, &outcome));
        QVERIFY(workspace.find(u"Pets sandbox (2)"_s));
        QVERIFY(workspace.findRequest(u"getPet (2)"_s));
        QCOMPARE(workspace.find(u"pets sandbox"_s)->origin, ImportOrigin{});
        QCOMPARE(outcome.actions.at(0).name, u"Pets sandbox (2)"_s);
        QVERIFY(!outcome.actions.at(0).changes.isEmpty());
    }

    void duplicateKeysInAPlanAreSkipped()
    {
        ImportPlan twice = plan(u"1.0"_s);
        twice.requests.append(twice.requests.first());
        twice.environments.append(twice.environments.first());
        Workspace workspace;
        QString error;
        ImportOutcome outcome;
        QVERIFY(WorkspaceImport::apply(&workspace, twice, &error, &outcome));
        QCOMPARE(workspace.savedRequests().size(), 2);
        QCOMPARE(workspace.environments().size(), 2);
        QCOMPARE(outcome.skipped.size(), 3);
        QVERIFY(outcome.skipped.at(1).contains(u"listed twice"_s));
    }

    void importPastTheWorkspaceSizeLimitIsRefusedWhole()
    {
        ImportPlan huge = plan(u"1.0"_s);
        for (int i = 0; i < 20; ++i) {
            SavedRequest request = planRequest(u"big %1"_s.arg(i), u"POST /big/%1"_s.arg(i), u"1.0"_s);
            request.draft.method = u"POST"_s;
            request.draft.body = QByteArray(1024 * 1024, 'x');
            huge.requests.append(request);
        }
        Workspace workspace;
        const Workspace before = workspace;
        QString error;
        QVERIFY(!WorkspaceImport::apply(&workspace, huge, &error));
        QVERIFY2(error.contains(u"more than the 16 MB"_s), qPrintable(error));
        QCOMPARE(workspace, before);
        QVERIFY(WorkspaceImport::preview(workspace, huge).skipped.join(u'\n').contains(u"more than the 16 MB"_s));
    }

    void literalCredentialsAreDroppedNeverStored()
    {
        ImportPlan withSecrets = plan(u"1.0"_s);
        SavedRequest &apiKey = withSecrets.requests[0];
        apiKey.draft.headers = {{u"X-Api-Key"_s, u"sk_live_abcdef123456"_s, true}, {u"Accept"_s, u"application/json"_s, true}};
        SavedRequest &fedVariable = withSecrets.requests[1];
        fedVariable.draft.headers = {{u"Authorization"_s, u"Bearer {{token}}"_s, true}};
        fedVariable.draft.extraVariables.append({u"token"_s, u"literal-token-value"_s});
        SavedRequest jwtInPath = planRequest(u"jwt"_s, u"GET /jwt"_s, u"1.0"_s);
        jwtInPath.draft.url =
            u"/x/eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"_s;
        withSecrets.requests.append(jwtInPath);

        Workspace workspace;
        QString error;
        ImportOutcome outcome;
        QVERIFY(WorkspaceImport::apply(&workspace, withSecrets, &error, &outcome));
        QCOMPARE(workspace.savedRequests().size(), 2);
        const SavedRequest *stored = requestByKey(workspace, u"getPet"_s);
        QCOMPARE(stored->draft.headers.size(), 1);
        QCOMPARE(stored->draft.headers.first().name, u"Accept"_s);
        const SavedRequest *fed = requestByKey(workspace, u"GET /pets"_s);
        QCOMPARE(fed->draft.headers.size(), 1); // the {{token}} template row stays
        for (const auto &[name, value] : fed->draft.extraVariables)
            QVERIFY(name != u"token"_s);
        QVERIFY(!requestByKey(workspace, u"GET /jwt"_s));
        const QString report = outcome.skipped.join(u'\n');
        QVERIFY2(report.contains(u"header X-Api-Key"_s), qPrintable(report));
        QVERIFY2(report.contains(u"variable token"_s), qPrintable(report));
        QVERIFY2(report.contains(u"\"jwt\""_s) && report.contains(u"not imported"_s), qPrintable(report));
        QVERIFY(!QString::fromUtf8(QJsonDocument(workspace.toJson()).toJson()).contains(u"sk_live_abcdef123456"_s));
        QVERIFY(!QString::fromUtf8(QJsonDocument(workspace.toJson()).toJson()).contains(u"literal-token-value"_s));
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceImport)
#include "tst_workspaceimport.moc"
