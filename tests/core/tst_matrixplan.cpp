#include "contract/OpenApiImport.h"
#include "demo/DemoScopes.h"
#include "matrix/MatrixPlanReader.h"
#include "matrix/MatrixPlanner.h"
#include "templates/StarterWorkspace.h"
#include "templates/TemplateCatalog.h"
#include "workspace/Workspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
QByteArray readData(const QString &name)
{
    QFile file(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/openapi/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

SavedRequest saved(const QString &id, const QString &name, const QString &url, const QList<ScopeRequirement> &scopes,
                   int success = 0)
{
    SavedRequest request;
    request.id = id;
    request.name = name;
    request.folder = u"Folder"_s;
    request.draft.url = url;
    request.requiredScopes = scopes;
    request.successStatus = success;
    return request;
}

const PlanRequest *findRequest(const MatrixPlan &plan, const QString &name)
{
    for (const PlanRequest &request : plan.requests) {
        if (request.name == name)
            return &request;
    }
    return nullptr;
}

QStringList allScopes(const PlanRequest &request)
{
    QStringList scopes;
    for (const ScopeRequirement &requirement : request.requiredScopes)
        scopes += requirement.scopes;
    return scopes;
}

// The plan of the docs' example, in JSON; planYaml() is the same in YAML.
const QByteArray planJson = R"({
  "title": "Orders API",
  "variables": {"orderId": "o-1", "page": 2},
  "requests": [
    {"name": "List orders", "url": "/orders?page={{page}}", "scopes": ["orders:read"], "success": 200},
    {"id": "create-order", "name": "Create an order", "folder": "Orders", "method": "post", "url": "/orders",
     "headers": {"Idempotency-Key": "k-1"}, "body": {"item": "book", "count": 1},
     "scopes": "orders:write orders:read", "success": 201, "denial": 404, "unauthenticated": 400},
    {"name": "Refund", "method": "POST", "url": "/orders/{{orderId}}/refund", "body": "amount=3",
     "headers": {"Content-Type": "application/x-www-form-urlencoded"},
     "anyOf": [["refunds:write"], ["orders:admin", "orders:write"]]},
    {"name": "Health", "url": "/health", "scopes": []}
  ]
})"_ba;

const QByteArray planYaml = R"(# the docs' example
title: Orders API
variables:
  orderId: o-1
  page: 2
requests:
  - name: List orders
    url: /orders?page={{page}}
    scopes: [orders:read]
    success: 200
  - id: create-order
    name: Create an order
    folder: Orders
    method: post
    url: /orders
    headers:
      Idempotency-Key: k-1
    body:
      item: book
      count: 1
    scopes: orders:write orders:read
    success: 201
    denial: 404
    unauthenticated: 400
  - name: Refund
    method: POST
    url: /orders/{{orderId}}/refund
    body: amount=3
    headers: {Content-Type: application/x-www-form-urlencoded}
    anyOf:
      - [refunds:write]
      - [orders:admin, orders:write]
  - name: Health
    url: /health
    scopes: []
)"_ba;
} // namespace

class TestMatrixPlan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The saved requests that carry scopes become the plan, in the workspace's order, with their
    // ids, drafts and success statuses; the others are named in the notes, not dropped silently.
    void fromWorkspaceKeepsRequestsWithScopes()
    {
        Workspace workspace;
        workspace.setSavedRequests({
                saved(u"id-1"_s, u"List accounts"_s, u"/accounts"_s, {{u"oauth"_s, {u"accounts:read"_s}}}, 200),
                saved(u"id-2"_s, u"Ping"_s, u"/ping"_s, {}),
                saved(u"id-3"_s, u"Pay"_s, u"/pay"_s, {{u"oauth"_s, {u"pay:write"_s}}, {u"oauth"_s, {u"admin"_s}}}),
                saved(u"id-4"_s, u"Key only"_s, u"/key"_s, {{u"api_key"_s, {}}}),
        });
        const MatrixPlan plan = MatrixPlanReader::fromWorkspace(workspace);
        QCOMPARE(plan.source, u"workspace"_s);
        QCOMPARE(plan.requests.size(), 2);
        QCOMPARE(plan.requests.at(0).id, u"id-1"_s);
        QCOMPARE(plan.requests.at(0).name, u"List accounts"_s);
        QCOMPARE(plan.requests.at(0).folder, u"Folder"_s);
        QCOMPARE(plan.requests.at(0).draft.url, u"/accounts"_s);
        QCOMPARE(plan.requests.at(0).successStatus, 200);
        QCOMPARE(plan.requests.at(0).denialStatus, 403);
        QCOMPARE(plan.requests.at(0).unauthenticatedStatus, 401);
        QCOMPARE(plan.requests.at(1).id, u"id-3"_s);
        QCOMPARE(plan.requests.at(1).requiredScopes.size(), 2);
        QCOMPARE(plan.notes.size(), 2);
        QVERIFY2(plan.notes.at(0).startsWith(u"Ping: no scopes documented"_s), qPrintable(plan.notes.join(u'\n')));
        QVERIFY2(plan.notes.at(1).startsWith(u"Key only: "_s), qPrintable(plan.notes.join(u'\n')));
        QCOMPARE(MatrixPlanReader::fromWorkspace(Workspace()).requests.size(), 0);
    }

    // A new workspace (StarterWorkspace: the Demo environment and the Demo's example requests) is
    // a plan as it is, with no plan file: each request with the Demo scope it needs, and cells
    // for the Demo environment.
    void fromWorkspaceDemoRequests()
    {
        const ApiTemplate *demo = TemplateCatalog::builtIn().find(u"demo"_s);
        QVERIFY(demo);
        const Workspace workspace = StarterWorkspace::create();
        const MatrixPlan plan = MatrixPlanReader::fromWorkspace(workspace);
        QCOMPARE(plan.requests.size(), demo->requests.size());
        QVERIFY(plan.notes.isEmpty());
        for (const PlanRequest &request : plan.requests) {
            QVERIFY2(!request.id.isEmpty() && request.successStatus >= 200, qPrintable(request.name));
            for (const QString &scope : allScopes(request))
                QVERIFY2(DemoScopes::contains(scope), qPrintable(scope));
        }
        QStringList notes;
        const QList<MatrixCell> cells = MatrixPlanner::cells(plan, *workspace.find(u"Demo"_s), &notes);
        QVERIFY2(notes.isEmpty(), qPrintable(notes.join(u'\n')));
        // Each: needed, without its scope, on behalf without core.users:act-on-behalf-of, no token;
        // "Who am I" needs only that scope, so it has no "without" cell of its own.
        QCOMPARE(cells.size(), 4 * plan.requests.size() - 1);
    }

    void stateChangingMethods()
    {
        PlanRequest request;
        for (const QString &method : {u"GET"_s, u"head"_s, u"OPTIONS"_s, u"TRACE"_s}) {
            request.draft.method = method;
            QVERIFY2(!request.isStateChanging(), qPrintable(method));
        }
        for (const QString &method : {u"POST"_s, u"put"_s, u"PATCH"_s, u"DELETE"_s, u"PROPFIND"_s}) {
            request.draft.method = method;
            QVERIFY2(request.isStateChanging(), qPrintable(method));
        }
    }

    // PayPal's disputes: every operation documents its scopes, most as alternatives; the ids are
    // the operationIds, so a cell keeps its id when the document is read again.
    void fromOpenApiJson()
    {
        QString error;
        const auto plan = MatrixPlanReader::fromOpenApi(readData(u"paypal-customer-disputes-v1.openapi-3.0.json"_s),
                                                        u"disputes.json"_s, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->title, u"Disputes"_s);
        QCOMPARE(plan->source, u"openapi disputes.json"_s);
        QCOMPARE(plan->requests.size(), 15);
        const PlanRequest &list = plan->requests.at(0);
        QCOMPARE(list.id, u"disputes.list"_s);
        QCOMPARE(list.draft.method, u"GET"_s);
        QCOMPARE(list.requiredScopes.size(), 5);
        QCOMPARE(list.requiredScopes.at(3).scopes, QStringList{u"https://uri.paypal.com/services/disputes/read"_s});
        QVERIFY(!list.isStateChanging());
        bool sawAllOf = false;
        for (const PlanRequest &request : plan->requests) {
            QVERIFY2(!request.id.isEmpty() && !request.requiredScopes.isEmpty(), qPrintable(request.name));
            if (request.id == u"disputes.provide-supporting-info") {
                QCOMPARE(request.requiredScopes.size(), 1);
                QCOMPARE(request.requiredScopes.at(0).scopes.size(), 3);
                sawAllOf = true;
            }
        }
        QVERIFY(sawAllOf);
        const auto again = MatrixPlanReader::fromOpenApi(readData(u"paypal-customer-disputes-v1.openapi-3.0.json"_s),
                                                         u"disputes.json"_s, &error);
        QVERIFY(again);
        QCOMPARE(again->requests, plan->requests);
    }

    void fromOpenApiYamlAndSwagger()
    {
        QString error;
        const auto xero = MatrixPlanReader::fromOpenApi(readData(u"xero-app-store.openapi-3.0.yaml"_s), u"xero.yaml"_s, &error);
        QVERIFY2(xero, qPrintable(error));
        QCOMPARE(xero->requests.size(), 4);
        QCOMPARE(xero->requests.at(0).id, u"getSubscription"_s);
        QCOMPARE(xero->requests.at(0).requiredScopes.at(0).scopes, QStringList{u"marketplace.billing"_s});

        const auto fitbit = MatrixPlanReader::fromOpenApi(readData(u"fitbit-plus-twine.swagger-2.0.yaml"_s),
                                                          u"fitbit.yaml"_s, &error);
        QVERIFY2(fitbit, qPrintable(error));
        QCOMPARE(fitbit->requests.size(), 2); // the document gives only two operations a security requirement
        // An operation that needs both of two scopes (AND), as Swagger 2.0 writes it.
        const bool both = std::any_of(fitbit->requests.begin(), fitbit->requests.end(), [](const PlanRequest &r) {
            return r.requiredScopes.size() == 1
                    && r.requiredScopes.at(0).scopes == QStringList{u"group"_s, u"organization"_s};
        });
        QVERIFY(both);
        // What the import leaves out (the token operation, which names no scope) is said.
        const int withScopes = static_cast<int>(fitbit->requests.size());
        const auto imported = OpenApiImport::fromText(readData(u"fitbit-plus-twine.swagger-2.0.yaml"_s), &error);
        QVERIFY(imported);
        QCOMPARE(withScopes + fitbit->notes.size() - imported->skipped.size() - imported->notes.size(),
                 imported->requests.size());
    }

    // A document OpenApiImport refuses is refused with its reason, behind the file's name.
    void fromOpenApiRefusals_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("alias bomb") << u"bad/billion-laughs.yaml"_s;
        QTest::newRow("reference cycle") << u"bad/ref-cycle.json"_s;
        QTest::newRow("cut short") << u"bad/truncated.json"_s;
        QTest::newRow("5000 scopes") << u"bad/5000-scopes.json"_s;
    }

    void fromOpenApiRefusals()
    {
        QFETCH(QString, file);
        QString importError;
        QVERIFY(!OpenApiImport::fromText(readData(file), &importError));
        QString error;
        QVERIFY(!MatrixPlanReader::fromOpenApi(readData(file), file, &error));
        QCOMPARE(error, file + u": "_s + importError);
        QVERIFY(!MatrixPlanReader::fromOpenApi("{\"hello\": 1}", u"x.json"_s, &error));
        QVERIFY2(error.startsWith(u"x.json: "_s) && error.size() > 10, qPrintable(error));
    }

    // Everything a plan file can say, in JSON: the variables, each request's method, URL,
    // headers, body (an object is sent as compact JSON), scopes as a list or a string,
    // alternatives, and the statuses.
    void planFileJson()
    {
        QString error;
        const auto plan = MatrixPlanReader::fromFile(planJson, u"orders.json"_s, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->title, u"Orders API"_s);
        QCOMPARE(plan->source, u"plan orders.json"_s);
        const QList<QPair<QString, QString>> variables{{u"orderId"_s, u"o-1"_s}, {u"page"_s, u"2"_s}};
        QCOMPARE(plan->variables, variables);
        QCOMPARE(plan->requests.size(), 4);

        const PlanRequest &list = plan->requests.at(0);
        QCOMPARE(list.id, u"List orders"_s);
        QCOMPARE(list.draft.method, u"GET"_s);
        QCOMPARE(list.draft.url, u"/orders?page={{page}}"_s);
        QCOMPARE(list.requiredScopes, (QList<ScopeRequirement>{{u"oauth2"_s, {u"orders:read"_s}}}));
        QCOMPARE(list.successStatus, 200);

        const PlanRequest &create = plan->requests.at(1);
        QCOMPARE(create.id, u"create-order"_s);
        QCOMPARE(create.folder, u"Orders"_s);
        QCOMPARE(create.draft.method, u"POST"_s);
        QCOMPARE(create.draft.headers.size(), 1);
        QCOMPARE(create.draft.headers.at(0).name, u"Idempotency-Key"_s);
        QCOMPARE(create.draft.headers.at(0).value, u"k-1"_s);
        QCOMPARE(QJsonDocument::fromJson(create.draft.body).object(),
                 (QJsonObject{{u"item"_s, u"book"_s}, {u"count"_s, 1}}));
        QCOMPARE(create.draft.contentType, u"application/json"_s);
        QCOMPARE(create.requiredScopes.at(0).scopes, (QStringList{u"orders:write"_s, u"orders:read"_s}));
        QCOMPARE(create.successStatus, 201);
        QCOMPARE(create.denialStatus, 404);
        QCOMPARE(create.unauthenticatedStatus, 400);
        QVERIFY(create.isStateChanging());

        const PlanRequest &refund = plan->requests.at(2);
        QCOMPARE(refund.draft.body, QByteArray("amount=3"));
        QCOMPARE(refund.draft.contentType, QString());
        QCOMPARE(refund.requiredScopes.size(), 2);
        QCOMPARE(refund.requiredScopes.at(1).scopes, (QStringList{u"orders:admin"_s, u"orders:write"_s}));
        QCOMPARE(refund.successStatus, 0);

        // [] : a token is needed, no particular scope.
        QCOMPARE(plan->requests.at(3).requiredScopes, (QList<ScopeRequirement>{{u"oauth2"_s, {}}}));
    }

    // The same plan in YAML reads to the same plan (numbers written bare are text in variables).
    void planFileYaml()
    {
        QString error;
        const auto json = MatrixPlanReader::fromFile(planJson, u"orders.json"_s, &error);
        QVERIFY2(json, qPrintable(error));
        for (const QString &name : {u"orders.yaml"_s, u"orders.yml"_s, u"orders"_s}) {
            auto yaml = MatrixPlanReader::fromFile(planYaml, name, &error);
            QVERIFY2(yaml, qPrintable(error));
            QCOMPARE(yaml->source, u"plan "_s + name);
            yaml->source = json->source;
            QCOMPARE(*yaml, *json);
        }
        // No title: the file's name.
        const auto untitled = MatrixPlanReader::fromFile("requests:\n  - {name: a, url: /a, scopes: [x]}\n",
                                                         u"dir/smoke.yaml"_s, &error);
        QVERIFY2(untitled, qPrintable(error));
        QCOMPARE(untitled->title, u"smoke"_s);
    }

    // A plan request may name a saved request of the workspace: its draft, scopes and success
    // status are the saved request's, unless the plan gives its own scopes or statuses.
    void planFileNamesSavedRequests()
    {
        Workspace workspace;
        workspace.setSavedRequests({
                saved(u"id-1"_s, u"List accounts"_s, u"/accounts"_s, {{u"oauth"_s, {u"accounts:read"_s}}}, 200),
                saved(u"id-2"_s, u"Ping"_s, u"/ping"_s, {}),
        });
        const QByteArray text = R"({"requests": [
            {"savedRequest": "list accounts"},
            {"savedRequest": "List accounts", "name": "Accounts, stricter", "id": "strict",
             "scopes": ["accounts:read", "accounts:audit"], "denial": 404},
            {"savedRequest": "Ping", "scopes": ["ping"]}
        ]})"_ba;
        QString error;
        const auto plan = MatrixPlanReader::fromFile(text, u"p.json"_s, &error, &workspace);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->requests.size(), 3);
        QCOMPARE(plan->requests.at(0).id, u"id-1"_s);
        QCOMPARE(plan->requests.at(0).name, u"List accounts"_s);
        QCOMPARE(plan->requests.at(0).folder, u"Folder"_s);
        QCOMPARE(plan->requests.at(0).draft.url, u"/accounts"_s);
        QCOMPARE(plan->requests.at(0).successStatus, 200);
        QCOMPARE(plan->requests.at(0).requiredScopes, workspace.savedRequests().at(0).requiredScopes);
        QCOMPARE(plan->requests.at(1).id, u"strict"_s);
        QCOMPARE(plan->requests.at(1).requiredScopes.at(0).scopes, (QStringList{u"accounts:read"_s, u"accounts:audit"_s}));
        QCOMPARE(plan->requests.at(1).denialStatus, 404);
        QCOMPARE(plan->requests.at(2).name, u"Ping"_s);
        QCOMPARE(plan->requests.at(2).requiredScopes.at(0).scopes, QStringList{u"ping"_s});
        QVERIFY(plan->notes.isEmpty());
    }

    // A wrong plan is refused with the file, the path of what is wrong and why.
    void badPlanFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << "{\"requests\": [\n  {\"name\": }]}"_ba << u"p.json"_s
                                  << u"p.json: not valid JSON at line 2, column 13: "_s;
        QTest::newRow("not YAML") << "requests:\n  - name: [a\n"_ba << u"p.yaml"_s << u"p.yaml: not valid YAML: "_s;
        QTest::newRow("a list") << "[1, 2]"_ba << u"p.json"_s
                                << u"p.json: a plan is an object with \"requests\", found a list"_s;
        QTest::newRow("no requests") << "{\"title\": \"x\"}"_ba << u"p.json"_s << u"p.json: requests: missing"_s;
        QTest::newRow("empty requests") << "{\"requests\": []}"_ba << u"p.json"_s
                                        << u"p.json: requests: lists no request"_s;
        QTest::newRow("title a number") << "{\"title\": 3, \"requests\": []}"_ba << u"p.json"_s
                                        << u"p.json: title: expected a string, found a number"_s;
        QTest::newRow("unknown member") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scope\": [\"x\"]}]}"_ba
                                        << u"p.json"_s << u"p.json: requests[0].scope: unknown member (known: "_s;
        QTest::newRow("unknown top member") << "{\"request\": []}"_ba << u"p.json"_s
                                            << u"p.json: request: unknown member (known: "_s;
        QTest::newRow("scopes a number") << "requests:\n  - {name: a, url: /a, scopes: [x]}\n  - {name: b, url: /b, scopes: 3}\n"_ba
                                         << u"p.yaml"_s
                                         << u"p.yaml: requests[1].scopes: expected a list of scopes or a string, found a number"_s;
        QTest::newRow("scope an object") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [\"x\", {}]}]}"_ba
                                         << u"p.json"_s
                                         << u"p.json: requests[0].scopes[1]: expected a scope (a string), found an object"_s;
        QTest::newRow("anyOf not a list") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"anyOf\": \"x\"}]}"_ba
                                          << u"p.json"_s
                                          << u"p.json: requests[0].anyOf: expected a list of scope lists, found a string"_s;
        QTest::newRow("anyOf entry") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"anyOf\": [[\"x\"], 1]}]}"_ba
                                     << u"p.json"_s
                                     << u"p.json: requests[0].anyOf[1]: expected a list of scopes or a string, found a number"_s;
        QTest::newRow("scopes and anyOf")
                << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [\"x\"], \"anyOf\": [[\"y\"]]}]}"_ba
                << u"p.json"_s << u"p.json: requests[0].anyOf: give either scopes"_s;
        QTest::newRow("no scopes") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\"}]}"_ba << u"p.json"_s
                                   << u"p.json: requests[0]: names no scopes: give \"scopes\""_s;
        QTest::newRow("no name") << "{\"requests\": [{\"url\": \"/a\", \"scopes\": []}]}"_ba << u"p.json"_s
                                 << u"p.json: requests[0].name: missing"_s;
        QTest::newRow("no url") << "{\"requests\": [{\"name\": \"a\", \"scopes\": []}]}"_ba << u"p.json"_s
                                << u"p.json: requests[0].url: missing"_s;
        QTest::newRow("bad method") << "{\"requests\": [{\"name\": \"a\", \"method\": \"GET /x\", \"url\": \"/a\", \"scopes\": []}]}"_ba
                                    << u"p.json"_s << u"p.json: requests[0].method: \"GET /X\" is not an HTTP method"_s;
        QTest::newRow("status out of range")
                << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [], \"success\": 2000}]}"_ba << u"p.json"_s
                << u"p.json: requests[0].success: "_s;
        QTest::newRow("status a string")
                << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [], \"denial\": \"403\"}]}"_ba << u"p.json"_s
                << u"p.json: requests[0].denial: expected a whole number"_s;
        QTest::newRow("header a list") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [], \"headers\": [\"A: b\"]}]}"_ba
                                       << u"p.json"_s
                                       << u"p.json: requests[0].headers: expected an object of names and values, found a list"_s;
        QTest::newRow("variable a list") << "{\"variables\": {\"a\": []}, \"requests\": []}"_ba << u"p.json"_s
                                         << u"p.json: variables.a: expected a string, found a list"_s;
        QTest::newRow("body a number") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [], \"body\": 3}]}"_ba
                                       << u"p.json"_s
                                       << u"p.json: requests[0].body: expected a string, an object or a list, found a number"_s;
        QTest::newRow("credential header")
                << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": [], \"headers\": {\"Authorization\": \"Bearer abc.def\"}}]}"_ba
                << u"p.json"_s << u"p.json: requests[0]: "_s;
        QTest::newRow("same name") << "{\"requests\": [{\"name\": \"a\", \"url\": \"/a\", \"scopes\": []}, {\"name\": \"A\", \"url\": \"/b\", \"scopes\": []}]}"_ba
                                   << u"p.json"_s << u"p.json: requests[1].name: \"A\" names another request too"_s;
        QTest::newRow("same id") << "{\"requests\": [{\"id\": \"x\", \"name\": \"a\", \"url\": \"/a\", \"scopes\": []}, {\"id\": \"x\", \"name\": \"b\", \"url\": \"/b\", \"scopes\": []}]}"_ba
                                 << u"p.json"_s << u"p.json: requests[1].id: \"x\" is the id of another request too"_s;
        QTest::newRow("id of two lines") << "{\"requests\": [{\"id\": \"a\\nno-token\", \"name\": \"a\", \"url\": \"/a\", \"scopes\": []}]}"_ba
                                         << u"p.json"_s << u"p.json: requests[0].id: must be one line"_s;
        QTest::newRow("name of two lines") << "requests:\n  - {name: \"a\\nb\", url: /a, scopes: []}\n"_ba
                                           << u"p.yaml"_s << u"p.yaml: requests[0].name: must be one line"_s;
        QTest::newRow("saved without workspace") << "{\"requests\": [{\"savedRequest\": \"List\"}]}"_ba << u"p.json"_s
                                                 << u"p.json: requests[0].savedRequest: names saved request \"List\", but no workspace was given"_s;
    }

    void badPlanFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, file);
        QFETCH(QString, error);
        QString said;
        QVERIFY(!MatrixPlanReader::fromFile(text, file, &said));
        QVERIFY2(said.startsWith(error), qPrintable(said));
    }

    // A request naming more scopes than any token carries is refused, quickly, before cells are made.
    void tooManyScopes()
    {
        QJsonArray alternatives;
        for (int i = 0; i < 1001; ++i)
            alternatives.append(QJsonArray{u"s%1"_s.arg(i)});
        QJsonObject request{{u"name"_s, u"a"_s}, {u"url"_s, u"/a"_s}, {u"anyOf"_s, alternatives}};
        const auto text = [&] { return QJsonDocument(QJsonObject{{u"requests"_s, QJsonArray{request}}}).toJson(); };
        QString error;
        QVERIFY(!MatrixPlanReader::fromFile(text(), u"p.json"_s, &error));
        QCOMPARE(error, u"p.json: requests[0].anyOf: names 1,001 scopes; a request may name at most 1,000"_s);
        alternatives.removeLast();
        request[u"anyOf"_s] = alternatives;
        const auto plan = MatrixPlanReader::fromFile(text(), u"p.json"_s, &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->requests.at(0).requiredScopes.size(), 1000);

        QJsonArray scopes;
        for (int i = 0; i < 1001; ++i)
            scopes.append(u"s%1"_s.arg(i));
        request.remove(u"anyOf"_s);
        request[u"scopes"_s] = scopes;
        QVERIFY(!MatrixPlanReader::fromFile(text(), u"p.json"_s, &error));
        QCOMPARE(error, u"p.json: requests[0].scopes: names 1,001 scopes; a request may name at most 1,000"_s);
    }

    void badSavedRequestReferences()
    {
        Workspace workspace;
        workspace.setSavedRequests({saved(u"id-1"_s, u"List"_s, u"/l"_s, {{u"oauth"_s, {u"a"_s}}})});
        QString error;
        QVERIFY(!MatrixPlanReader::fromFile("{\"requests\": [{\"savedRequest\": \"Lost\"}]}", u"p.json"_s, &error, &workspace));
        QCOMPARE(error, u"p.json: requests[0].savedRequest: the workspace has no saved request \"Lost\""_s);
        QVERIFY(!MatrixPlanReader::fromFile("{\"requests\": [{\"savedRequest\": \"List\", \"url\": \"/x\"}]}", u"p.json"_s,
                                            &error, &workspace));
        QCOMPARE(error, u"p.json: requests[0].url: not allowed with savedRequest: the saved request's is sent"_s);
        // A saved request that documents no scopes needs the plan's.
        workspace.setSavedRequests({saved(u"id-2"_s, u"Ping"_s, u"/ping"_s, {})});
        QVERIFY(!MatrixPlanReader::fromFile("{\"requests\": [{\"savedRequest\": \"Ping\"}]}", u"p.json"_s, &error, &workspace));
        QCOMPARE(error, u"p.json: requests[0]: saved request \"Ping\" documents no scopes: give \"scopes\" (all needed) or \"anyOf\" (alternatives)"_s);
    }

    // The examples of docs/matrix.md read, YAML and JSON alike, to the same plan: the format the
    // page documents is the one the reader reads.
    void documentedExamplesRead()
    {
        QFile page(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/docs/matrix.md"_s);
        QVERIFY(page.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(page.readAll());
        const auto block = [&](const QString &language) {
            const qsizetype start = text.indexOf(u"```"_s + language + u'\n');
            const qsizetype end = text.indexOf(u"\n```"_s, start + 1);
            return start < 0 || end < 0 ? QByteArray() : text.mid(start + language.size() + 4, end - start - language.size() - 3).toUtf8();
        };
        const QByteArray yamlText = block(u"yaml"_s);
        const QByteArray jsonText = block(u"json"_s);
        QVERIFY(!yamlText.isEmpty() && !jsonText.isEmpty());

        Workspace workspace;
        workspace.setSavedRequests({saved(u"id-1"_s, u"List accounts"_s, u"/accounts"_s, {{u"oauth"_s, {u"accounts:read"_s}}}, 200)});
        QString error;
        auto yaml = MatrixPlanReader::fromFile(yamlText, u"orders.yaml"_s, &error, &workspace);
        QVERIFY2(yaml, qPrintable(error));
        const auto json = MatrixPlanReader::fromFile(jsonText, u"orders.json"_s, &error, &workspace);
        QVERIFY2(json, qPrintable(error));
        QCOMPARE(json->requests.size(), 5);
        QCOMPARE(json->requests.at(4).id, u"id-1"_s);
        QCOMPARE(json->requests.at(4).denialStatus, 404);
        yaml->source = json->source;
        QCOMPARE(*yaml, *json);
        // The plan file test above reads the same example.
        QCOMPARE(json->requests.mid(0, 4), MatrixPlanReader::fromFile(planJson, u"orders.json"_s, &error)->requests);
    }

    // The size limit: refused by the size alone, whether handed the bytes or a path.
    void planFileTooLarge()
    {
        QByteArray big = "{\"title\": \"";
        big += QByteArray(MatrixPlanReader::MaxBytes, 'x');
        big += "\", \"requests\": []}";
        QString error;
        QVERIFY(!MatrixPlanReader::fromFile(big, u"big.json"_s, &error));
        QVERIFY2(error.startsWith(u"big.json: the plan is "_s) && error.contains(u"past the limit of 16"_s), qPrintable(error));

        QTemporaryDir dir;
        QFile file(dir.filePath(u"big.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(big);
        file.close();
        QVERIFY(!MatrixPlanReader::readFile(file.fileName(), &error));
        QVERIFY2(error.contains(u"past the limit of 16"_s), qPrintable(error));
        QVERIFY(!MatrixPlanReader::readFile(dir.path(), &error)); // a folder
        QVERIFY2(error.startsWith(dir.path() + u": "_s), qPrintable(error));
        QVERIFY(!MatrixPlanReader::readFile(dir.filePath(u"none.json"_s), &error));

        QFile small(dir.filePath(u"small.yaml"_s));
        QVERIFY(small.open(QIODevice::WriteOnly));
        small.write(planYaml);
        small.close();
        const auto plan = MatrixPlanReader::readFile(small.fileName(), &error);
        QVERIFY2(plan, qPrintable(error));
        QCOMPARE(plan->requests.size(), 4);
    }

    // Every example plan shipped (resources/plans, compiled in) reads; there is one per built-in
    // template, and every scope it names is in that template's catalog.
    void examplePlansMatchTheirTemplates()
    {
        const QStringList files = QDir(u":/plans"_s).entryList(QDir::Files, QDir::Name);
        QStringList planIds;
        for (const QString &name : files) {
            QFile file(u":/plans/"_s + name);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QString error;
            const auto plan = MatrixPlanReader::fromFile(file.readAll(), name, &error);
            QVERIFY2(plan, qPrintable(error));
            QVERIFY2(!plan->title.isEmpty() && !plan->requests.isEmpty(), qPrintable(name));
            QVERIFY2(plan->notes.isEmpty(), qPrintable(plan->notes.join(u'\n')));
            const QString id = QFileInfo(name).completeBaseName();
            planIds.append(id);
            const ApiTemplate *apiTemplate = TemplateCatalog::builtIn().find(id);
            QVERIFY2(apiTemplate, qPrintable(u"%1 matches no template"_s.arg(name)));
            QStringList catalog;
            for (const CatalogScope &scope : apiTemplate->scopeCatalog)
                catalog.append(scope.name);
            for (const PlanRequest &request : plan->requests) {
                QVERIFY2(!request.requiredScopes.isEmpty(), qPrintable(request.name));
                for (const QString &scope : allScopes(request))
                    QVERIFY2(catalog.contains(scope), qPrintable(u"%1, %2: %3 is not in the catalog"_s.arg(name, request.name, scope)));
            }
        }
        planIds.sort();
        QCOMPARE(planIds, TemplateCatalog::builtIn().ids());
    }

    // The Demo's plan names every route of the Demo API that checks a scope, with that scope.
    void demoPlanCoversTheDemoApi()
    {
        QFile file(u":/plans/demo.json"_s);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString error;
        const auto plan = MatrixPlanReader::fromFile(file.readAll(), u"demo.json"_s, &error);
        QVERIFY2(plan, qPrintable(error));
        const QList<QPair<QString, QString>> routes = {
                {u"GET /accounts"_s, u"accounts:read"_s},     {u"GET /trades"_s, u"trades:read"_s},
                {u"POST /trades"_s, u"trades:execute"_s},     {u"GET /customers"_s, u"customers:read"_s},
                {u"PATCH /customers/{{customerId}}"_s, u"customers:write"_s},
                {u"GET /me"_s, u"core.users:act-on-behalf-of"_s},
        };
        QCOMPARE(plan->requests.size(), routes.size());
        for (int i = 0; i < routes.size(); ++i) {
            const PlanRequest &request = plan->requests.at(i);
            QCOMPARE(request.draft.method + u' ' + request.draft.url, routes.at(i).first);
            QCOMPARE(allScopes(request), QStringList{routes.at(i).second});
            QVERIFY(DemoScopes::contains(routes.at(i).second));
            QVERIFY(request.successStatus == 200 || request.successStatus == 201);
        }
        QVERIFY(findRequest(*plan, u"Place a trade"_s)->isStateChanging());
    }
};

QTEST_GUILESS_MAIN(TestMatrixPlan)
#include "tst_matrixplan.moc"
