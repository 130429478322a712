#include "demo/DemoServer.h"
#include "history/HistoryRecorder.h"
#include "history/HistoryStore.h"
#include "history/ReplayPlan.h"
#include "http/ApiCall.h"
#include "http/CachedTokenSource.h"
#include "workspace/Workspace.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;

// Record an exchange with the Demo API, read it back from the history file, replay it: the
// server gets what it got the first time.
class TestReplay : public QObject
{
    Q_OBJECT

private:
    DemoServer m_demo;

    // The Demo profile with write scopes by default: a replay that fell back to the
    // environment's header would be allowed to write, as demo-user.
    Environment environment() const
    {
        Environment env = Workspace::demoEnvironment();
        env.id = u"demo-env"_s;
        env.builtin.clear();
        env.tokenUrl = m_demo.tokenUrl();
        env.apiBaseUrl = m_demo.apiUrl();
        env.clientId = DemoServer::clientId();
        env.scopes = {u"trades:read"_s, u"trades:execute"_s, u"core.users:act-on-behalf-of"_s};
        return env;
    }

    ApiCallResult run(const Environment &env, const RequestDraft &draft)
    {
        TokenRequest request = TokenRequest::fromEnvironment(env);
        request.clientSecret = DemoServer::clientSecret();
        CachedTokenSource tokens(env.id, request);
        ApiCall call(&tokens);
        ApiCallResult out;
        out.outcome = ApiCallResult::Outcome::Cancelled;
        QEventLoop loop;
        connect(&call, &ApiCall::finished, &loop, [&](const ApiCallResult &result) {
            out = result;
            loop.quit();
        });
        QTimer::singleShot(20000, &loop, &QEventLoop::quit);
        call.start(env, draft);
        loop.exec();
        return out;
    }

    int tradeCount(const Environment &env)
    {
        RequestDraft list;
        list.url = u"/trades"_s;
        const ApiCallResult result = run(env, list);
        return result.exchange.status == 200 ? int(QJsonDocument::fromJson(result.exchange.body).array().size()) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_demo.start(0, &error), qPrintable(error));
    }

    void replayOfTheBlockedUserIsAgain409()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"history.sqlite"_s)).ok());
        const Environment env = environment();
        const int trades = tradeCount(env);
        QVERIFY(trades > 0);

        RequestDraft draft;
        draft.method = u"POST"_s;
        draft.url = u"/trades"_s;
        draft.body = R"({"symbol": "BTC-USD", "side": "buy"})";
        draft.contentType = u"application/json"_s;
        draft.injectionSwitches = {{u"X-On-Behalf-Of"_s, false, u"user {{actor}}"_s}};
        draft.extraVariables = {{u"actor"_s, DemoServer::blockedUserId()}};
        const ApiCallResult first = run(env, draft);
        QCOMPARE(first.exchange.status, 409);
        const auto added = store.append(HistoryRecorder::entryFor(env.id, &env, draft, first));
        QVERIFY2(added.ok(), qPrintable(added.message));

        // From the file, as a later session would.
        store.close();
        QVERIFY(store.open(dir.filePath(u"history.sqlite"_s)).ok());
        const HistoryEntry entry = store.entry(added.id).entry;
        const ReplayPlan plan = ReplayPlan::forEntry(entry, &env);
        QVERIFY2(plan.exact(), qPrintable(plan.differences.join(u'\n')));
        QCOMPARE(plan.environmentId, env.id);
        const ApiCallResult again = run(env, plan.draft);
        QCOMPARE(again.exchange.status, 409);
        QVERIFY(again.readout.reasons.contains(u"user-blocked"_s));
        QCOMPARE(again.request.headers.value("X-On-Behalf-Of"), QByteArray("user blocked-user"));
        QCOMPARE(again.request.headers.fields(), first.request.headers.fields());
        QCOMPARE(again.request.body, first.request.body);
        QCOMPARE(tradeCount(env), trades); // nothing written, as anyone

        // An entry without the composed request (an older history) is never replayed silently:
        // its replay says it is approximate, so the user is asked before it goes.
        HistoryEntry old = entry;
        old.composed.reset();
        const ReplayPlan approximate = ReplayPlan::forEntry(old, &env);
        QVERIFY(approximate.approximate);
        QVERIFY(!approximate.exact());
    }
};

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
