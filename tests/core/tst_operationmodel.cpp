#include "contract/ApiDocumentReader.h"
#include "contract/OperationFilter.h"
#include "contract/OperationModel.h"
#include "contract/ScopeGrant.h"
#include "contract/TryItDraft.h"
#include "workspace/EnvironmentListModel.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// The core of the operations browser: the grant marks, the filter, the draft Try it opens and
// which reader an API document goes to.
class TestOperationModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void grantPicksAnyFullyGrantedAlternative()
    {
        const QList<ScopeRequirement> required{{u"a"_s, {u"x:read"_s, u"y:read"_s}}, {u"b"_s, {u"z:read"_s}}};
        QCOMPARE(ScopeGrant::evaluate(required, std::nullopt).state, ScopeGrant::State::NoToken);
        QCOMPARE(ScopeGrant::evaluate({}, QStringList{}).state, ScopeGrant::State::NotDocumented);
        const ScopeGrant second = ScopeGrant::evaluate(required, QStringList{u"z:read"_s});
        QCOMPARE(second.state, ScopeGrant::State::Granted);
        QCOMPARE(second.alternative, 1);
        // Never merged: x:read from one and z:read from the other grant nothing of the first.
        const ScopeGrant partial = ScopeGrant::evaluate(required, QStringList{u"x:read"_s});
        QCOMPARE(partial.state, ScopeGrant::State::Missing);
        QCOMPARE(partial.missing, QStringList{u"y:read"_s}); // the closest alternative's
        // An alternative with no scope is met by any token.
        QCOMPARE(ScopeGrant::evaluate({{u"oauth"_s, {}}}, QStringList{}).state, ScopeGrant::State::Granted);
        QCOMPARE(ScopeGrant::describe(required), u"x:read y:read | z:read"_s);
        QCOMPARE(ScopeGrant::describe({{u"oauth"_s, {}}}), u"(none)"_s);
    }

    void tryItSelectsTheFirstAlternativeAndListsUnsetVariables()
    {
        SavedRequest request;
        request.draft.url = u"/orgs/{{orgId}}/users/{{userId}}"_s;
        request.draft.queryParams = {{u"page"_s, u"{{page}}"_s, true}, {u"off"_s, u"{{ignored}}"_s, false}};
        request.draft.extraVariables = {{u"page"_s, u"1"_s}};
        request.requiredScopes = {{u"oauth"_s, {u"users:read"_s, u"orgs:read"_s}}, {u"oauth"_s, {u"admin"_s}}};
        Environment env;
        env.variables = {{u"orgId"_s, u"acme"_s}};
        const RequestDraft draft = TryItDraft::of(request, &env);
        QCOMPARE(draft.scopes, (QStringList{u"users:read"_s, u"orgs:read"_s}));
        QCOMPARE(draft.scopeMatch, ScopeMatch::Exact);
        // The environment's orgId and the request's page are set; userId is to fill in.
        const QList<QPair<QString, QString>> expected{{u"page"_s, u"1"_s}, {u"userId"_s, QString()}};
        QCOMPARE(draft.extraVariables, expected);

        // The user's own choice of scopes in the saved draft stays.
        request.draft.scopes = {u"admin"_s};
        QCOMPARE(TryItDraft::of(request, &env).scopes, QStringList{u"admin"_s});
    }

    void modelGroupsByFolderAndFilterMatchesEveryWord()
    {
        QTemporaryDir dir;
        EnvironmentListModel workspace;
        QVERIFY(workspace.open(dir.filePath(u"ws.json"_s), nullptr));
        OperationModel model(&workspace);
        OperationFilter filter;
        filter.setSourceModel(&model);
        const auto save = [&workspace](const QString &name, const QString &folder, const QString &method, const QString &scope) {
            SavedRequest request;
            request.name = name;
            request.folder = folder;
            request.draft.method = method;
            request.draft.url = u"/"_s + name;
            request.requiredScopes = {{u"oauth"_s, {scope}}};
            return workspace.saveRequest(request).has_value();
        };
        QVERIFY(save(u"loose"_s, QString(), u"GET"_s, u"misc:read"_s));
        QVERIFY(save(u"invoices"_s, u"Billing"_s, u"GET"_s, u"billing:read"_s));
        QVERIFY(save(u"pay"_s, u"Billing"_s, u"POST"_s, u"billing:write"_s));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, 0).data().toString(), u"Billing (2)"_s); // the unfiled group last
        QCOMPARE(model.rowCount(model.index(0, 0)), 2);
        QCOMPARE(model.requestCount(), 3);
        QVERIFY(model.indexOfRequest(workspace.workspace().findRequest(u"pay"_s)->id).isValid());

        filter.setFilterText(u"post billing"_s);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 1);
        filter.setFilterText(u"billing"_s); // the folder's name finds its requests
        QCOMPARE(filter.rowCount(filter.index(0, 0)), 2);
        filter.setFilterText(QString());
        QCOMPARE(filter.rowCount(), 2);

        // Marks follow the held scopes.
        const QModelIndex pay = model.indexOfRequest(workspace.workspace().findRequest(u"pay"_s)->id);
        QCOMPARE(pay.siblingAtColumn(OperationModel::AccessColumn).data().toString(), QString());
        model.setHeldScopes(QStringList{u"billing:write"_s});
        QCOMPARE(pay.siblingAtColumn(OperationModel::AccessColumn).data().toString(), u"✓"_s);
        model.setHeldScopes(QStringList{u"billing:read"_s});
        QCOMPARE(pay.siblingAtColumn(OperationModel::AccessColumn).data().toString(), u"missing billing:write"_s);
    }

    void readerToldByContent()
    {
        QCOMPARE(ApiDocumentReader::detect("{\"openapi\": \"3.1.0\", \"info\": {}, \"paths\": {}}"), ApiDocumentReader::Kind::OpenApi);
        QCOMPARE(ApiDocumentReader::detect("{\"swagger\": \"2.0\"}"), ApiDocumentReader::Kind::OpenApi);
        QCOMPARE(ApiDocumentReader::detect("openapi: 3.0.0\ninfo: {}\n"), ApiDocumentReader::Kind::OpenApi);
        QCOMPARE(ApiDocumentReader::detect("{\"info\": {\"name\": \"c\", \"schema\": \"https://schema.getpostman.com/json/collection/v2.1.0/collection.json\"}, \"item\": []}"),
                 ApiDocumentReader::Kind::Postman);
        QString error;
        QVERIFY(!ApiDocumentReader::readFile(u"/dev/zero"_s, &error));
        QVERIFY2(!error.isEmpty(), "a device is refused with a reason");
    }
};

QTEST_GUILESS_MAIN(TestOperationModel)
#include "tst_operationmodel.moc"
