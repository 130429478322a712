// PostmanImport on the real public collections in tests/data/postman/ (see its README for their
// origins and licences), on a collection written here that exercises every auth level, and on
// hostile ones.

#include "contract/PostmanImport.h"
#include "contract/WorkspaceImport.h"
#include "workspace/Workspace.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Qt::StringLiterals;

namespace {

QByteArray dataFile(const QString &name)
{
    QFile file(qEnvironmentVariable("TOKENBENCH_SOURCE_DIR") + u"/tests/data/postman/"_s + name);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

const SavedRequest *findRequest(const ImportPlan &plan, const QString &name)
{
    for (const SavedRequest &request : plan.requests) {
        if (request.name == name)
            return &request;
    }
    return nullptr;
}

bool anyContains(const QStringList &lines, const QString &text)
{
    for (const QString &line : lines) {
        if (line.contains(text))
            return true;
    }
    return false;
}

QJsonObject oauth2(const QList<QPair<QString, QString>> &params)
{
    QJsonArray rows;
    for (const auto &[key, value] : params)
        rows.append(QJsonObject{{u"key"_s, key}, {u"value"_s, value}, {u"type"_s, u"string"_s}});
    return QJsonObject{{u"type"_s, u"oauth2"_s}, {u"oauth2"_s, rows}};
}

QJsonObject requestItem(const QString &name, const QString &method, const QString &url, const QJsonObject &extra = {})
{
    QJsonObject request{{u"method"_s, method}, {u"url"_s, QJsonObject{{u"raw"_s, url}}}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        request.insert(it.key(), it.value());
    return QJsonObject{{u"name"_s, name}, {u"request"_s, request}};
}

QJsonObject collection(const QJsonArray &items, const QJsonObject &extra = {})
{
    QJsonObject out{{u"info"_s, QJsonObject{{u"_postman_id"_s, u"11111111-2222-3333-4444-555555555555"_s},
                                            {u"name"_s, u"Bank API"_s},
                                            {u"schema"_s, u"https://schema.getpostman.com/json/collection/v2.1.0/collection.json"_s}}},
                    {u"item"_s, items}};
    for (auto it = extra.begin(); it != extra.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QByteArray bytes(const QJsonObject &object)
{
    return QJsonDocument(object).toJson();
}

} // namespace

class TestPostmanImport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void microsoftGraph();
    void xero();
    void insomniaGrants();
    void everyAuthLevel();
    void secretsAreReportedNeverKept();
    void requestParts();
    void environmentFile();
    void reimportUpdatesInPlace();
    void refused_data();
    void refused();
};

void TestPostmanImport::microsoftGraph()
{
    QString error;
    const auto plan = PostmanImport::read(dataFile(u"microsoft-graph.postman-v2.1.json"_s), &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->sourceKind, u"Postman Collection v2.1"_s);
    QCOMPARE(plan->document, u"postman:fe719afc-e2ea-4450-bd7c-0b7837488fa5"_s);
    QCOMPARE(plan->requests.size(), 137); // count-postman-auth.py: 137 requests
    // No oauth2 block with a token URL: one environment carries the API origin, its token URL to be set.
    QCOMPARE(plan->environments.size(), 1);
    QCOMPARE(plan->environments.first().apiBaseUrl, QUrl(u"https://graph.microsoft.com"_s));
    QVERIFY(plan->environments.first().tokenUrl.isEmpty());
    // The 131 bearer blocks name two token variables, which the environment's token replaces.
    QVERIFY(anyContains(plan->notes, u"{{UserAccessToken}}"_s));
    QVERIFY(anyContains(plan->notes, u"{{AppAccessToken}}"_s));
    // The old-shape oauth2 block (no accessTokenUrl) is reported, not made into an environment.
    QVERIFY(anyContains(plan->skipped, u"names no token URL"_s));

    const SavedRequest *create = findRequest(*plan, u"Create a new application"_s);
    QVERIFY(create);
    QCOMPARE(create->folder, u"On Behalf of a User/Applications (beta)"_s);
    QCOMPARE(create->draft.method, u"POST"_s);
    QCOMPARE(create->origin.document, plan->document);
    // The token requests are plain form POSTs without auth: nothing injected into them.
    const SavedRequest *tokenRequest = findRequest(*plan, u"Get App-Only Access Token"_s);
    QVERIFY(tokenRequest);
    QCOMPARE(tokenRequest->folder, u"Application"_s);
    QVERIFY(tokenRequest->draft.switchFor(u"Authorization"_s) && tokenRequest->draft.switchFor(u"Authorization"_s)->disabled);
    // Scripts are listed as skipped, never run.
    QVERIFY(anyContains(plan->skipped, u"request On Behalf of a User/Users/Get My Profile: its test script"_s));
}

void TestPostmanImport::xero()
{
    QString error;
    const auto plan = PostmanImport::read(dataFile(u"xero-oauth2.postman-v2.1.json"_s), &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->requests.size(), 4);
    QVERIFY(anyContains(plan->skipped, u"request Invoices: its pre-request script (38 lines) is not run"_s));
    // "Connections" is noauth but writes Authorization: Bearer {{access_token}} itself: the
    // environment's token stands for it, so it is not switched off and the row is not kept.
    const SavedRequest *connections = findRequest(*plan, u"Connections"_s);
    QVERIFY(connections);
    QVERIFY(!connections->draft.switchFor(u"Authorization"_s));
    for (const auto &row : connections->draft.headers)
        QVERIFY(row.name.compare(u"Authorization"_s, Qt::CaseInsensitive) != 0);
    QCOMPARE(plan->environments.size(), 1);
    QCOMPARE(plan->environments.first().apiBaseUrl, QUrl(u"https://api.xero.com"_s));
}

void TestPostmanImport::insomniaGrants()
{
    QString error;
    const auto plan = PostmanImport::read(dataFile(u"insomnia-fixture-oauth2-all-grants.postman-v2.1.json"_s), &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->requests.size(), 5);
    QVERIFY(anyContains(plan->skipped, u"the authorization_code grant is not supported"_s));
    QVERIFY(anyContains(plan->skipped, u"the authorization_code_with_pkce grant is not supported"_s));
    QVERIFY(anyContains(plan->skipped, u"the implicit grant is not supported"_s));
    // password and client_credentials name the token URL "test": no environment from them.
    QVERIFY(anyContains(plan->skipped, u"oauth2 auth of request client: its token URL \"test\" is not an http(s) URL"_s));
    // audience/resource are per-URL objects there: read without a crash, nothing invented.
    QCOMPARE(plan->environments.size(), 1);
    QVERIFY(plan->environments.first().params.isEmpty());
}

void TestPostmanImport::everyAuthLevel()
{
    // Collection: client credentials with body authentication; folder "Payments": password grant
    // for another client; "Payments/Refunds": inherits; one request noauth; one bearer.
    const QJsonObject payments{
        {u"name"_s, u"Payments"_s},
        {u"auth"_s, oauth2({{u"grant_type"_s, u"password_credentials"_s}, {u"accessTokenUrl"_s, u"{{auth}}/token"_s},
                            {u"clientId"_s, u"pay-client"_s}, {u"username"_s, u"{{user}}"_s}, {u"scope"_s, u"payments:write"_s}})},
        {u"item"_s, QJsonArray{requestItem(u"Pay"_s, u"POST"_s, u"{{base}}/payments"_s),
                               QJsonObject{{u"name"_s, u"Refunds"_s},
                                           {u"auth"_s, QJsonObject{{u"type"_s, u"inherit"_s}}},
                                           {u"item"_s, QJsonArray{requestItem(u"Refund"_s, u"POST"_s, u"{{base}}/refunds"_s)}}}}},
    };
    const QJsonArray items{
        requestItem(u"List accounts"_s, u"GET"_s, u"{{base}}/accounts"_s),
        payments,
        requestItem(u"Health"_s, u"GET"_s, u"{{base}}/health"_s, QJsonObject{{u"auth"_s, QJsonObject{{u"type"_s, u"noauth"_s}}}}),
        requestItem(u"Me"_s, u"GET"_s, u"{{base}}/me"_s,
                    QJsonObject{{u"auth"_s, QJsonObject{{u"type"_s, u"bearer"_s},
                                                        {u"bearer"_s, QJsonArray{QJsonObject{{u"key"_s, u"token"_s}, {u"value"_s, u"{{token}}"_s}}}}}}}),
    };
    const QJsonObject root = collection(items, QJsonObject{
        {u"auth"_s, oauth2({{u"grant_type"_s, u"client_credentials"_s}, {u"accessTokenUrl"_s, u"{{auth}}/token"_s},
                            {u"clientId"_s, u"bank-client"_s}, {u"scope"_s, u"accounts:read accounts:write"_s},
                            {u"client_authentication"_s, u"body"_s}})},
        {u"variable"_s, QJsonArray{QJsonObject{{u"key"_s, u"auth"_s}, {u"value"_s, u"https://id.sandbox.bank.example"_s}},
                                   QJsonObject{{u"key"_s, u"base"_s}, {u"value"_s, u"https://api.sandbox.bank.example/v2"_s}}}},
    });
    QString error;
    const auto plan = PostmanImport::read(bytes(root), &error);
    QVERIFY2(plan, qPrintable(error));
    QCOMPARE(plan->document, u"postman:11111111-2222-3333-4444-555555555555"_s);
    QCOMPARE(plan->environments.size(), 2);

    const Environment &bank = plan->environments.at(0);
    QCOMPARE(bank.origin.key, u"oauth2:collection"_s);
    QCOMPARE(bank.tokenUrl, QUrl(u"https://id.sandbox.bank.example/token"_s));
    QCOMPARE(bank.apiBaseUrl, QUrl(u"https://api.sandbox.bank.example"_s));
    QCOMPARE(bank.grant, GrantType::ClientCredentials);
    QCOMPARE(bank.clientAuth, ClientAuthStyle::Body);
    QCOMPARE(bank.clientId, u"bank-client"_s);
    QCOMPARE(bank.scopes, (QStringList{u"accounts:read"_s, u"accounts:write"_s}));
    QCOMPARE(bank.tier, Tier::Sandbox); // from the host name
    QVERIFY(bank.variables.contains(QPair<QString, QString>{u"base"_s, u"https://api.sandbox.bank.example/v2"_s}));

    const Environment &pay = plan->environments.at(1);
    QCOMPARE(pay.origin.key, u"oauth2:folder:Payments"_s);
    QCOMPARE(pay.grant, GrantType::Password);
    QCOMPARE(pay.clientAuth, ClientAuthStyle::Basic); // Postman's default: "Send as Basic Auth header"
    QCOMPARE(pay.clientId, u"pay-client"_s);
    QVERIFY(pay.username.isEmpty()); // {{user}} has no value: asked for, never invented
    QCOMPARE(plan->inputsFor(pay).size(), 1);
    QCOMPARE(plan->inputsFor(pay).first().name, u"username"_s);
    QVERIFY(pay.name != bank.name);

    const SavedRequest *refund = findRequest(*plan, u"Refund"_s);
    QVERIFY(refund);
    QCOMPARE(refund->folder, u"Payments/Refunds"_s);
    QCOMPARE(refund->origin.key, u"Payments/Refunds/Refund"_s); // no item id: folder path and name
    QVERIFY(!refund->draft.switchFor(u"Authorization"_s));
    const SavedRequest *health = findRequest(*plan, u"Health"_s);
    QVERIFY(health->draft.switchFor(u"Authorization"_s) && health->draft.switchFor(u"Authorization"_s)->disabled);
    QVERIFY(anyContains(plan->notes, u"bearer auth {{token}}"_s));
}

void TestPostmanImport::secretsAreReportedNeverKept()
{
    const QString clientSecret = u"s3cr3t-client-value-123"_s;
    const QString password = u"hunter2-password-value"_s;
    const QString token = u"literal-bearer-token-0123456789"_s;
    const QJsonArray items{
        requestItem(u"Accounts"_s, u"GET"_s, u"https://api.bank.example/accounts"_s),
        requestItem(u"Pinned"_s, u"GET"_s, u"https://api.bank.example/pinned"_s,
                    QJsonObject{{u"auth"_s, QJsonObject{{u"type"_s, u"bearer"_s},
                                                        {u"bearer"_s, QJsonArray{QJsonObject{{u"key"_s, u"token"_s}, {u"value"_s, token}}}}}},
                                {u"header"_s, QJsonArray{QJsonObject{{u"key"_s, u"X-Api-Key"_s}, {u"value"_s, u"abcdef0123456789"_s}}}}}),
    };
    const QJsonObject root = collection(items, QJsonObject{
        {u"auth"_s, oauth2({{u"grant_type"_s, u"password_credentials"_s}, {u"accessTokenUrl"_s, u"https://id.bank.example/token"_s},
                            {u"clientId"_s, u"bank-client"_s}, {u"clientSecret"_s, clientSecret}, {u"username"_s, u"alice"_s},
                            {u"password"_s, password}, {u"accessToken"_s, token}})},
        {u"variable"_s, QJsonArray{QJsonObject{{u"key"_s, u"client_secret"_s}, {u"value"_s, u"var-secret-value-42"_s}},
                                   QJsonObject{{u"key"_s, u"tenant"_s}, {u"value"_s, u"acme"_s}}}},
    });
    QString error;
    const auto plan = PostmanImport::read(bytes(root), &error);
    QVERIFY2(plan, qPrintable(error));
    QVERIFY(anyContains(plan->notes, u"a client secret: not imported"_s));
    QVERIFY(anyContains(plan->notes, u"'tokenbench-cli secret set \"Bank API\" client-secret'"_s));
    QVERIFY(anyContains(plan->notes, u"'tokenbench-cli secret set \"Bank API\" password'"_s));
    QVERIFY(anyContains(plan->notes, u"a password: not imported"_s));
    QVERIFY(anyContains(plan->notes, u"variable client_secret holds a secret: not imported"_s));
    QVERIFY(anyContains(plan->notes, u"bearer auth of request Pinned holds a literal token"_s));
    QCOMPARE(plan->environments.first().username, u"alice"_s);
    QVERIFY(plan->environments.first().variables.contains(QPair<QString, QString>{u"tenant"_s, u"acme"_s}));

    // Through the workspace: nothing of them is stored (the X-Api-Key literal is dropped by WorkspaceImport).
    Workspace workspace;
    ImportOutcome outcome;
    QVERIFY2(WorkspaceImport::apply(&workspace, *plan, &error, &outcome), qPrintable(error));
    const QByteArray stored = QJsonDocument(workspace.toJson()).toJson();
    for (const QString &secret : {clientSecret, password, token, u"var-secret-value-42"_s, u"abcdef0123456789"_s})
        QVERIFY2(!stored.contains(secret.toUtf8()), qPrintable(secret));
    QVERIFY(anyContains(outcome.skipped, u"X-Api-Key"_s));
}

void TestPostmanImport::requestParts()
{
    const QJsonObject getInvoice{
        {u"name"_s, u"Get invoice"_s},
        {u"id"_s, u"item-42"_s},
        {u"event"_s, QJsonArray{QJsonObject{{u"listen"_s, u"prerequest"_s},
                                            {u"script"_s, QJsonObject{{u"exec"_s, QJsonArray{u"pm.variables.set('x', 1);"_s, u""_s}}}}}}},
        {u"request"_s, QJsonObject{
             {u"method"_s, u"get"_s},
             {u"description"_s, u"Reads one invoice"_s},
             {u"url"_s, QJsonObject{{u"raw"_s, u"{{base}}/invoices/:invoiceId?expand=lines&draft=1"_s},
                                    {u"query"_s, QJsonArray{QJsonObject{{u"key"_s, u"expand"_s}, {u"value"_s, u"lines"_s}},
                                                            QJsonObject{{u"key"_s, u"draft"_s}, {u"value"_s, u"1"_s}, {u"disabled"_s, true}}}},
                                    {u"variable"_s, QJsonArray{QJsonObject{{u"key"_s, u"invoiceId"_s}, {u"value"_s, u"INV-7"_s}}}}}},
             {u"header"_s, QJsonArray{QJsonObject{{u"key"_s, u"X-Request-Id"_s}, {u"value"_s, u"{{$guid}}"_s}}}}}},
    };
    const QJsonArray items{
        QJsonObject{{u"name"_s, u"Accounts"_s},
                    {u"item"_s, QJsonArray{QJsonObject{{u"name"_s, u"Invoices"_s}, {u"item"_s, QJsonArray{getInvoice}}}}}},
        requestItem(u"Form"_s, u"POST"_s, u"{{base}}/form"_s,
                    QJsonObject{{u"body"_s, QJsonObject{{u"mode"_s, u"urlencoded"_s},
                                                        {u"urlencoded"_s, QJsonArray{QJsonObject{{u"key"_s, u"a b"_s}, {u"value"_s, u"x&y"_s}},
                                                                                     QJsonObject{{u"key"_s, u"off"_s}, {u"value"_s, u"1"_s}, {u"disabled"_s, true}}}}}}}),
        requestItem(u"Upload"_s, u"POST"_s, u"{{base}}/upload"_s,
                    QJsonObject{{u"body"_s, QJsonObject{{u"mode"_s, u"formdata"_s},
                                                        {u"formdata"_s, QJsonArray{QJsonObject{{u"key"_s, u"note"_s}, {u"value"_s, u"hi"_s}, {u"type"_s, u"text"_s}},
                                                                                   QJsonObject{{u"key"_s, u"file"_s}, {u"src"_s, u"/tmp/a.pdf"_s}, {u"type"_s, u"file"_s}}}}}}}),
        requestItem(u"Json"_s, u"PUT"_s, u"{{base}}/json"_s,
                    QJsonObject{{u"body"_s, QJsonObject{{u"mode"_s, u"raw"_s}, {u"raw"_s, u"{\"a\": 1}"_s},
                                                        {u"options"_s, QJsonObject{{u"raw"_s, QJsonObject{{u"language"_s, u"json"_s}}}}}}}}),
    };
    QString error;
    const auto plan = PostmanImport::read(bytes(collection(items)), &error);
    QVERIFY2(plan, qPrintable(error));
    const SavedRequest *invoice = findRequest(*plan, u"Get invoice"_s);
    QVERIFY(invoice);
    QCOMPARE(invoice->folder, u"Accounts/Invoices"_s);
    QCOMPARE(invoice->origin.key, u"item-42"_s);
    QCOMPARE(invoice->summary, u"Reads one invoice"_s);
    QCOMPARE(invoice->draft.method, u"GET"_s);
    QCOMPARE(invoice->draft.url, u"{{base}}/invoices/{{invoiceId}}"_s);
    QCOMPARE(invoice->draft.extraVariables, (QList<QPair<QString, QString>>{{u"invoiceId"_s, u"INV-7"_s}}));
    QCOMPARE(invoice->draft.queryParams.size(), 2);
    QVERIFY(invoice->draft.queryParams.at(0).enabled);
    QVERIFY(!invoice->draft.queryParams.at(1).enabled);
    QVERIFY(anyContains(plan->skipped, u"request Accounts/Invoices/Get invoice: its pre-request script (1 lines) is not run"_s));
    QVERIFY(anyContains(plan->notes, u"{{$guid}}"_s) || anyContains(plan->notes, u"$guid"_s));

    const SavedRequest *form = findRequest(*plan, u"Form"_s);
    QCOMPARE(form->draft.body, QByteArray("a%20b=x%26y"));
    QCOMPARE(form->draft.contentType, u"application/x-www-form-urlencoded"_s);
    const SavedRequest *upload = findRequest(*plan, u"Upload"_s);
    QCOMPARE(upload->draft.formParts.size(), 2);
    QVERIFY(upload->draft.formParts.at(1).isFile);
    QCOMPARE(upload->draft.formParts.at(1).value, u"/tmp/a.pdf"_s);
    const SavedRequest *json = findRequest(*plan, u"Json"_s);
    QCOMPARE(json->draft.body, QByteArray("{\"a\": 1}"));
    QCOMPARE(json->draft.contentType, u"application/json"_s);
}

void TestPostmanImport::environmentFile()
{
    const QJsonObject root = collection(QJsonArray{requestItem(u"A"_s, u"GET"_s, u"{{base}}/a"_s)},
                                        QJsonObject{{u"variable"_s, QJsonArray{QJsonObject{{u"key"_s, u"base"_s}, {u"value"_s, u"https://old.example"_s}}}}});
    QString error;
    auto plan = PostmanImport::read(bytes(root), &error);
    QVERIFY2(plan, qPrintable(error));
    const QJsonObject environment{
        {u"name"_s, u"Staging"_s},
        {u"values"_s, QJsonArray{QJsonObject{{u"key"_s, u"base"_s}, {u"value"_s, u"https://staging.example"_s}, {u"enabled"_s, true}},
                                 QJsonObject{{u"key"_s, u"apiKey"_s}, {u"value"_s, u"k-123456789"_s}, {u"type"_s, u"secret"_s}, {u"enabled"_s, true}},
                                 QJsonObject{{u"key"_s, u"off"_s}, {u"value"_s, u"x"_s}, {u"enabled"_s, false}}}},
        {u"_postman_variable_scope"_s, u"environment"_s},
    };
    QVERIFY2(PostmanImport::addEnvironmentFile(bytes(environment), &*plan, &error), qPrintable(error));
    const auto variables = plan->environments.first().variables;
    QCOMPARE(variables, (QList<QPair<QString, QString>>{{u"base"_s, u"https://staging.example"_s}}));
    QVERIFY(anyContains(plan->notes, u"apiKey holds a secret"_s));
    // A Postman environment given as the collection is named for what it is.
    QVERIFY(!PostmanImport::read(bytes(environment), &error));
    QVERIFY2(error.contains(u"a Postman environment, not a collection"_s), qPrintable(error));
}

void TestPostmanImport::reimportUpdatesInPlace()
{
    QString error;
    const auto first = PostmanImport::read(dataFile(u"xero-oauth2.postman-v2.1.json"_s), &error);
    QVERIFY(first);
    Workspace workspace;
    QVERIFY(WorkspaceImport::apply(&workspace, *first, &error));
    const qsizetype requests = workspace.savedRequests().size();
    const QString id = workspace.findRequest(u"Invoices"_s)->id;

    // A newer version of the collection: Invoices moved to another path.
    QJsonObject root = QJsonDocument::fromJson(dataFile(u"xero-oauth2.postman-v2.1.json"_s)).object();
    QJsonArray items = root.value(u"item"_s).toArray();
    QJsonObject invoices = items.at(2).toObject();
    QJsonObject request = invoices.value(u"request"_s).toObject();
    request.insert(u"url"_s, u"https://api.xero.com/api.xro/2.0/Invoices?page=2"_s);
    invoices.insert(u"request"_s, request);
    items.replace(2, invoices);
    root.insert(u"item"_s, items);
    const auto second = PostmanImport::read(bytes(root), &error);
    QVERIFY(second);
    const ImportOutcome preview = WorkspaceImport::preview(workspace, *second);
    QCOMPARE(preview.count(ImportAction::Kind::Update, ImportAction::Item::Request), 1);
    QCOMPARE(preview.count(ImportAction::Kind::Add, ImportAction::Item::Request), 0);
    QVERIFY(WorkspaceImport::apply(&workspace, *second, &error));
    QCOMPARE(workspace.savedRequests().size(), requests);
    QCOMPARE(workspace.findRequest(u"Invoices"_s)->id, id);
    QCOMPARE(workspace.findRequest(u"Invoices"_s)->draft.url, u"https://api.xero.com/api.xro/2.0/Invoices?page=2"_s);
}

void TestPostmanImport::refused_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("reason");

    QTest::newRow("not JSON") << QByteArray("{\"info\": {\"name\": \"x\"") << u"not valid JSON"_s;
    const QByteArray graph = dataFile(u"microsoft-graph.postman-v2.1.json"_s);
    QTest::newRow("truncated real collection") << graph.left(graph.size() * 2 / 3) << u"not valid JSON"_s;
    QTest::newRow("an array") << QByteArray("[1, 2]") << u"not a JSON object"_s;
    QTest::newRow("v1 collection") << QByteArray(R"({"id": "x", "name": "old", "requests": []})") << u"Collection v1"_s;
    QTest::newRow("no schema") << QByteArray(R"({"info": {"name": "x"}, "item": []})") << u"not a Postman Collection v2.1"_s;

    // 10,000 nested arrays: the JSON parser's own nesting limit.
    QTest::newRow("deep JSON") << QByteArray(10000, '[') + QByteArray(10000, ']') << u"not valid JSON"_s;
    // Folders nested past MaxDepth.
    QJsonObject folder{{u"name"_s, u"leaf"_s}, {u"item"_s, QJsonArray{requestItem(u"r"_s, u"GET"_s, u"https://x.example/"_s)}}};
    for (int i = 0; i < PostmanImport::MaxDepth + 5; ++i)
        folder = QJsonObject{{u"name"_s, u"f%1"_s.arg(i)}, {u"item"_s, QJsonArray{folder}}};
    QTest::newRow("deep folders") << bytes(collection(QJsonArray{folder})) << u"deeper than"_s;
    // More items than MaxItems (each small): refused, not walked to the end.
    QJsonArray many;
    for (int i = 0; i <= PostmanImport::MaxItems; ++i)
        many.append(QJsonObject{{u"name"_s, QString::number(i)}, {u"request"_s, u"https://x.example/"_s}});
    QTest::newRow("too many items") << bytes(collection(many)) << u"more than"_s;
    QTest::newRow("item not an object") << bytes(collection(QJsonArray{42})) << u"not an object"_s;
    QTest::newRow("too large") << QByteArray(PostmanImport::MaxBytes + 1, ' ') << u"larger than"_s;
}

void TestPostmanImport::refused()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, reason);
    QElapsedTimer timer;
    timer.start();
    QString error;
    QVERIFY(!PostmanImport::read(document, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(timer.elapsed() < 1000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
}

QTEST_GUILESS_MAIN(TestPostmanImport)
#include "tst_postmanimport.moc"
