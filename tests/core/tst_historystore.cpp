#include "history/HistoryEntry.h"
#include "history/HistoryModel.h"
#include "history/HistoryStore.h"
#include "history/HistoryWriter.h"
#include "history/ReplayPlan.h"
#include "workspace/Environment.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <QAbstractItemModelTester>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(HistoryStore::Status)

namespace {

// %2F → %2f, leaving everything else as it is.
QByteArray lowerHex(QByteArray percentEncoded)
{
    for (qsizetype i = 0; i + 2 < percentEncoded.size(); ++i) {
        if (percentEncoded.at(i) == '%') {
            percentEncoded[i + 1] = char(QChar::toLower(char16_t(percentEncoded.at(i + 1))));
            percentEncoded[i + 2] = char(QChar::toLower(char16_t(percentEncoded.at(i + 2))));
        }
    }
    return percentEncoded;
}

// Opaque on purpose (a JWT would be caught by its shape alone) and full of characters that
// every encoding changes.
const QString kToken = u"tbk_Zq9+X/8kP2==mN7~vQ.r4nd0m-t0k3n"_s;
const QString kSecret = u"cl1ent s3cret & ünïcödé/+="_s;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(file.write(bytes), bytes.size());
}

// The database, its write-ahead log and its shared-memory index: all three hold data.
QList<QPair<QString, QByteArray>> historyFiles(const QString &path)
{
    return {{path, readAll(path)}, {path + u"-wal"_s, readAll(path + u"-wal"_s)}, {path + u"-shm"_s, readAll(path + u"-shm"_s)}};
}

// base64 of text inside a longer blob that starts `lead` bytes earlier: the characters that
// come from text's bits alone.
QByteArray alignedBase64(const QByteArray &text, int lead)
{
    const QByteArray encoded = (QByteArray(lead, 'x') + text).toBase64();
    const int first = (lead * 8 + 5) / 6;
    const int last = int(((lead + text.size()) * 8) / 6);
    return encoded.mid(first, last - first);
}

QList<QPair<QString, QByteArray>> formsOf(const QString &secret)
{
    const QByteArray raw = secret.toUtf8();
    QByteArray form = QUrl::toPercentEncoding(secret, " ");
    form.replace(' ', '+');
    QList<QPair<QString, QByteArray>> forms{
        {u"raw"_s, raw},
        {u"percent-encoded"_s, QUrl::toPercentEncoding(secret)},
        {u"percent-encoded, lower-case"_s, lowerHex(QUrl::toPercentEncoding(secret))},
        {u"form-encoded"_s, form},
        {u"base64"_s, raw.toBase64()},
        {u"base64url"_s, raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)},
    };
    for (int lead = 0; lead < 3; ++lead) {
        QByteArray url = alignedBase64(raw, lead);
        forms.append({u"base64 at offset %1"_s.arg(lead), url});
        url.replace('+', '-').replace('/', '_');
        forms.append({u"base64url at offset %1"_s.arg(lead), url});
    }
    return forms;
}

// "" when none of the files holds any form of the secret, else what was found where.
QString leakIn(const QString &path, const QString &secret)
{
    for (const auto &[file, bytes] : historyFiles(path)) {
        for (const auto &[form, needle] : formsOf(secret)) {
            if (bytes.contains(needle))
                return u"%1 form of %2 found in %3"_s.arg(form, secret, QFileInfo(file).fileName());
        }
    }
    return {};
}

bool anyFileContains(const QString &path, const QByteArray &needle)
{
    for (const auto &[file, bytes] : historyFiles(path)) {
        if (bytes.contains(needle))
            return true;
    }
    return false;
}

// Two exchanges that put the token and the client secret everywhere they could go.
QList<HistoryEntry> leakyExchanges()
{
    const QByteArray token = kToken.toUtf8();
    const QByteArray secret = kSecret.toUtf8();

    HistoryEntry tokenRequest;
    tokenRequest.timestamp = QDateTime::currentDateTimeUtc();
    tokenRequest.environmentId = u"env-1"_s;
    tokenRequest.environmentName = u"Sandbox EU"_s;
    tokenRequest.method = u"POST"_s;
    tokenRequest.url = u"https://id.sandbox.example/oauth/token?client_secret="_s + QString::fromLatin1(QUrl::toPercentEncoding(kSecret));
    tokenRequest.requestHeaders = {{"Authorization", "Basic " + ("client-1:" + secret).toBase64()},
                                   {"Content-Type", "application/x-www-form-urlencoded"}};
    tokenRequest.requestBody = "grant_type=client_credentials&scope=accounts%3Aread&client_secret=" + QUrl::toPercentEncoding(kSecret);
    tokenRequest.status = 200;
    tokenRequest.reason = u"OK"_s;
    tokenRequest.responseHeaders = {{"Content-Type", "application/json"}, {"Set-Cookie", "sid=" + token + "; Path=/; HttpOnly"}};
    tokenRequest.responseBody = R"({"access_token":")" + token + R"(","token_type":"Bearer","expires_in":3600,"note":")" + secret + R"("})";
    tokenRequest.durationMs = 42;
    tokenRequest.sizeBytes = tokenRequest.responseBody.size();

    HistoryEntry apiCall;
    apiCall.timestamp = tokenRequest.timestamp.addMSecs(100);
    apiCall.environmentId = u"env-1"_s;
    apiCall.environmentName = u"Sandbox EU"_s;
    apiCall.method = u"GET"_s;
    apiCall.url = u"https://api.sandbox.example/v1/accounts?access_token="_s + QString::fromLatin1(QUrl::toPercentEncoding(kToken))
        + u"&debug="_s + QString::fromLatin1(token.toBase64(QByteArray::Base64UrlEncoding));
    apiCall.requestHeaders = {{"Authorization", "Bearer " + token},
                              {"Cookie", "sid=" + token},
                              {"X-Debug-Echo", token},
                              {"X-Debug-Basic", ("x:" + secret).toBase64()},
                              {"X-On-Behalf-Of", "user 42"}};
    apiCall.status = 403;
    apiCall.reason = u"Forbidden"_s;
    apiCall.responseHeaders = {{"WWW-Authenticate", R"(Bearer error="insufficient_scope", scope="accounts:write")"},
                               {"Content-Type", "text/plain"}};
    apiCall.responseBody = "you sent " + token + " and " + secret.toBase64() + " and " + lowerHex(QUrl::toPercentEncoding(kToken));
    apiCall.error = u"Error transferring https://api.sandbox.example/v1/accounts?token="_s + kToken + u" - server replied: Forbidden"_s;
    apiCall.durationMs = 7;
    apiCall.sizeBytes = apiCall.responseBody.size();
    return {tokenRequest, apiCall};
}

HistoryEntry simpleEntry(const QString &method, const QString &url, int status, const QString &environment, qint64 msAfterEpoch)
{
    HistoryEntry e;
    e.timestamp = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + msAfterEpoch, Qt::UTC);
    e.environmentId = environment.toLower();
    e.environmentName = environment;
    e.method = method;
    e.url = url;
    e.status = status;
    e.durationMs = 10;
    e.sizeBytes = 100;
    return e;
}

QList<qint64> idsOf(const QList<HistoryEntry> &entries)
{
    QList<qint64> ids;
    for (const HistoryEntry &e : entries)
        ids.append(e.id);
    return ids;
}

// A request as a user composes it to act as a blocked user: every kind of per-request choice.
RequestDraft composedDraft()
{
    RequestDraft draft;
    draft.method = u"POST"_s;
    draft.url = u"/trades?dry={{dry}}"_s; // relative to the API base, a variable unresolved
    draft.queryParams = {{u"page"_s, u"2"_s, true}, {u"debug"_s, u"1"_s, false}};
    draft.headers = {{u"X-Request-Id"_s, u"{{requestId}}"_s, true}, {u"X-Trace"_s, u"off"_s, false}};
    draft.body = R"({"symbol":"BTC-USD","side":"buy"})";
    draft.contentType = u"application/json"_s;
    draft.scopes = {u"trades:execute"_s, u"core.users:act-on-behalf-of"_s};
    draft.scopeMatch = ScopeMatch::AtLeast;
    draft.extraVariables = {{u"requestId"_s, u"r-17"_s}, {u"dry"_s, u"false"_s}};
    RequestDraft::InjectionSwitch onBehalf{u"X-On-Behalf-Of"_s, false, u"user blocked-user"_s};
    RequestDraft::InjectionSwitch tenant{u"X-Tenant"_s, true, std::nullopt};
    draft.injectionSwitches = {onBehalf, tenant};
    return draft;
}

Environment sandbox()
{
    Environment env;
    env.id = u"env-1"_s;
    env.name = u"Sandbox EU"_s;
    env.apiBaseUrl = QUrl(u"https://api.sandbox.example/v1"_s);
    env.tokenUrl = QUrl(u"https://id.sandbox.example/oauth/token"_s);
    env.clientId = u"client-1"_s;
    env.headers = {{u"X-On-Behalf-Of"_s, u"user {{userId}}"_s}, {u"X-Tenant"_s, u"eu"_s}};
    env.variables = {{u"userId"_s, u"user-123"_s}};
    env.scopes = {u"accounts:read"_s};
    return env;
}

HistoryEntry composedEntry(const RequestDraft &draft, const Environment &env)
{
    HistoryEntry e = simpleEntry(u"POST"_s, u"https://api.sandbox.example/v1/trades?dry=false&page=2"_s, 409, env.name, 0);
    e.environmentId = env.id;
    e.requestHeaders = {{"X-Request-Id", "r-17"}, {"Content-Type", "application/json"}, {"X-On-Behalf-Of", "user blocked-user"}};
    e.injected = {{"Authorization", "Bearer xyz", u"token"_s, u"sent"_s, false},
                  {"X-On-Behalf-Of", "user blocked-user", u"environment header X-On-Behalf-Of"_s, u"sent"_s, true},
                  {"X-Tenant", "", u"environment header X-Tenant"_s, u"disabled"_s, false}};
    HistoryEntry::Composed composed;
    composed.draft = draft;
    composed.environment = ReplayPlan::fingerprint(env);
    e.composed = composed;
    return e;
}

} // namespace

class TestHistoryStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The whole suite is about SQLite; without the driver every test would fail for the
        // wrong reason, so say what is missing instead.
        HistoryStore probe;
        QTemporaryDir dir;
        const auto result = probe.open(dir.filePath(u"probe.sqlite"_s));
        QVERIFY2(result.ok(), qPrintable(result.message));
    }

    void opensCreatesAndReopens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"nested/dir/history.sqlite"_s);
        qint64 id = 0;
        {
            HistoryStore store;
            QVERIFY(!store.isOpen());
            const auto opened = store.open(path);
            QVERIFY2(opened.ok(), qPrintable(opened.message));
            QVERIFY(store.isOpen());
            QVERIFY(QFile::exists(path));
            QCOMPARE(readAll(path).left(16), QByteArray("SQLite format 3\0", 16));
            const auto added = store.append(simpleEntry(u"GET"_s, u"https://a.example/"_s, 200, u"Demo"_s, 0));
            QVERIFY2(added.ok(), qPrintable(added.message));
            QVERIFY(added.id > 0);
            id = added.id;
            QVERIFY2(QFile::exists(path + u"-wal"_s), "the history runs in WAL mode");
        }
        HistoryStore again;
        QVERIFY(again.open(path).ok());
        QCOMPARE(again.count().count, 1);
        QCOMPARE(again.entry(id).entry.url, u"https://a.example/"_s);
    }

    void filesAreOwnerOnly()
    {
#ifdef Q_OS_UNIX
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther | QFileDevice::WriteOther;
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        {
            HistoryStore store;
            QVERIFY(store.open(path).ok());
            QVERIFY(store.append(simpleEntry(u"GET"_s, u"https://a.example/"_s, 200, u"Demo"_s, 0)).ok());
            for (const QString &file : {path, path + u"-wal"_s, path + u"-shm"_s})
                QVERIFY2(!(QFile::permissions(file) & others), qPrintable(file));
        }
        // A history an older Tokenbench left readable by everyone is made private when opened.
        for (const QString &file : {path, path + u"-wal"_s, path + u"-shm"_s}) {
            if (QFile::exists(file))
                QVERIFY(QFile::setPermissions(file, QFile::permissions(file) | QFileDevice::ReadOther | QFileDevice::ReadGroup));
        }
        QVERIFY(QFile::permissions(path) & others);
        HistoryStore again;
        QVERIFY(again.open(path).ok());
        QCOMPARE(again.count().count, 1);
        for (const QString &file : {path, path + u"-wal"_s, path + u"-shm"_s}) {
            if (QFile::exists(file))
                QVERIFY2(!(QFile::permissions(file) & others), qPrintable(file));
        }
#else
        QSKIP("POSIX file modes");
#endif
    }

    void defaultLocation()
    {
        QVERIFY(HistoryStore::defaultPath().endsWith(u"/history.sqlite"_s));
    }

    void entryRoundTrip()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        store.redactor().setKeepEverything(true); // compare field for field

        HistoryEntry e;
        e.timestamp = QDateTime::fromMSecsSinceEpoch(1'712'345'678'901, Qt::UTC);
        e.environmentId = u"0b6f"_s;
        e.environmentName = u"Prod – Zürich"_s;
        e.method = u"PATCH"_s;
        e.url = u"https://api.example/v1/items/ä?x=1&y=%20"_s;
        e.requestHeaders = {{"Content-Type", "application/json"}, {"X-Bytes", QByteArray("\xff\xfe raw", 6)}, {"X-Empty", ""}};
        e.requestBody = QByteArray("{\"a\":1}\n\0binary", 15);
        e.status = 409;
        e.reason = u"Conflict"_s;
        e.responseHeaders = {{"Content-Type", "application/problem+json"}, {"Retry-After", "5"}};
        e.responseBody = R"({"type":"user-blocked"})";
        e.durationMs = 1234;
        e.sizeBytes = 23;
        e.error = u""_s;
        const auto added = store.append(e);
        QVERIFY2(added.ok(), qPrintable(added.message));

        const auto read = store.entry(added.id);
        QVERIFY2(read.ok(), qPrintable(read.message));
        HistoryEntry expected = e;
        expected.id = added.id;
        expected.redacted = false;
        QCOMPARE(read.entry.timestamp, e.timestamp);
        QCOMPARE(read.entry.timestamp.timeSpec(), Qt::UTC);
        QCOMPARE(read.entry.requestHeaders, e.requestHeaders);
        QCOMPARE(read.entry.requestBody, e.requestBody);
        QCOMPARE(read.entry, expected);

        // A summary from query() has no headers or bodies but everything else.
        const auto page = store.query();
        QCOMPARE(page.entries.size(), 1);
        QCOMPARE(page.entries.first().status, 409);
        QVERIFY(page.entries.first().requestBody.isEmpty());
        QVERIFY(page.entries.first().responseHeaders.isEmpty());

        QCOMPARE(store.entry(added.id + 1000).status, HistoryStore::Status::NotFound);
    }

    void composedRequestRoundTrips()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        const Environment env = sandbox();
        const HistoryEntry e = composedEntry(composedDraft(), env);
        const auto added = store.append(e); // redaction on: nothing here is a credential
        QVERIFY2(added.ok(), qPrintable(added.message));
        const HistoryEntry read = store.entry(added.id).entry;
        QVERIFY(read.composed.has_value());
        // Overrides, switched-off headers, scopes, variables and the relative URL, all as composed.
        QCOMPARE(read.composed->draft, composedDraft());
        QVERIFY(read.composed->redacted.isEmpty());
        QVERIFY(!read.composed->bodyTruncated);
        QCOMPARE(read.composed->environment, ReplayPlan::fingerprint(env));
        QCOMPARE(read.injected.size(), 3);
        QCOMPARE(read.injected.at(0).value, QByteArray("Bearer ••••")); // the token never reaches the file
        QCOMPARE(read.injected.at(1), e.injected.at(1));
        QCOMPARE(read.injected.at(2), e.injected.at(2));

        // And replaying it is exact: the draft as composed, for the environment it was sent on.
        const ReplayPlan plan = ReplayPlan::forEntry(read, &env);
        QVERIFY2(plan.exact(), qPrintable(plan.differences.join(u'\n')));
        QCOMPARE(plan.draft, composedDraft());
        QCOMPARE(plan.environmentId, env.id);
        QCOMPARE(plan.draft.switchFor(u"x-on-behalf-of"_s)->value, std::optional<QString>(u"user blocked-user"_s));
    }

    void composedRequestIsRedacted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        store.redactor().addSecret(kSecret);
        RequestDraft draft = composedDraft();
        draft.headers.append({u"X-Api-Key"_s, u"k3y-4a7f-literal"_s, true});
        draft.headers.append({u"Authorization"_s, u"Bearer {{apiToken}}"_s, true}); // a template stays, its variable goes
        draft.extraVariables.append({u"apiToken"_s, kToken});
        draft.extraVariables.append({u"note"_s, u"pw="_s + kSecret}); // a known secret, whatever the name
        draft.injectionSwitches.append({u"X-Session-Token"_s, false, u"sess-99-literal"_s});
        const auto added = store.append(composedEntry(draft, sandbox()));
        QVERIFY(added.ok());
        store.close();
        for (const QString &secret : {kToken, kSecret, u"k3y-4a7f-literal"_s, u"sess-99-literal"_s})
            QVERIFY2(leakIn(path, secret).isEmpty(), qPrintable(leakIn(path, secret)));

        QVERIFY(store.open(path).ok());
        const HistoryEntry read = store.entry(added.id).entry;
        const HistoryEntry::Composed &composed = *read.composed;
        QCOMPARE(composed.redacted, (QStringList{u"header X-Api-Key"_s, u"the override of X-Session-Token"_s, u"variable apiToken"_s, u"variable note"_s}));
        QCOMPARE(composed.draft.headers.at(3).value, u"Bearer {{apiToken}}"_s);
        QCOMPARE(composed.draft.switchFor(u"X-On-Behalf-Of"_s)->value, std::optional<QString>(u"user blocked-user"_s));
        // Replay names each of them before anything is sent.
        const Environment env = sandbox();
        const ReplayPlan plan = ReplayPlan::forEntry(read, &env);
        QCOMPARE(plan.differences.size(), 4);
        QVERIFY(plan.differences.at(0).contains(u"header X-Api-Key"_s));
        QVERIFY(plan.differences.at(2).contains(u"variable apiToken"_s));
    }

    void variableFeedingAMaskedFieldIsRedacted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        RequestDraft draft = composedDraft();
        draft.body = R"({"user":"ann","password":"{{pw}}"})";
        draft.extraVariables.append({u"pw"_s, u"hunter2-horse"_s});
        HistoryEntry e = composedEntry(draft, sandbox());
        e.requestBody = R"({"user":"ann","password":"hunter2-horse"})"; // as it went on the wire
        const auto added = store.append(e);
        QVERIFY(added.ok());
        store.close();
        QVERIFY2(leakIn(path, u"hunter2-horse"_s).isEmpty(), qPrintable(leakIn(path, u"hunter2-horse"_s)));
        QVERIFY(store.open(path).ok());
        const HistoryEntry read = store.entry(added.id).entry;
        QVERIFY2(read.composed->redacted.contains(u"variable pw"_s), qPrintable(read.composed->redacted.join(u", "_s)));
        QVERIFY(ReplayPlan::holdsRedactedValue(read.composed->draft));
        QVERIFY(!ReplayPlan::holdsRedactedValue(composedDraft()));
    }

    void composedBodyOverTheCapIsRecorded()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        RequestDraft draft = composedDraft();
        draft.body = QByteArray(300 * 1024, 'a');
        const auto added = store.append(composedEntry(draft, sandbox()));
        QVERIFY(added.ok());
        const HistoryEntry read = store.entry(added.id).entry;
        QVERIFY(read.composed->bodyTruncated);
        QCOMPARE(read.composed->bodySize, 300 * 1024);
        QCOMPARE(read.composed->draft.body.size(), HistoryEntry::MaxRequestBodyBytes);
        const Environment env = sandbox();
        const ReplayPlan plan = ReplayPlan::forEntry(read, &env);
        QCOMPARE(plan.differences.size(), 1);
        QVERIFY2(plan.differences.first().contains(u"body"_s), qPrintable(plan.differences.first()));
    }

    void replaySaysWhatItCannotReproduce()
    {
        const HistoryEntry entry = composedEntry(composedDraft(), sandbox());
        Environment changed = sandbox();
        changed.variables = {{u"userId"_s, u"someone-else"_s}};
        changed.headers.removeLast();
        ReplayPlan plan = ReplayPlan::forEntry(entry, &changed);
        QCOMPARE(plan.differences.size(), 1);
        QVERIFY2(plan.differences.first().contains(u"its context headers, its variables"_s), qPrintable(plan.differences.first()));
        QCOMPARE(plan.draft, composedDraft()); // said, never substituted

        // A rename is not a change of what is sent.
        Environment renamed = sandbox();
        renamed.name = u"Sandbox (EU)"_s;
        QVERIFY(ReplayPlan::forEntry(entry, &renamed).exact());

        plan = ReplayPlan::forEntry(entry, nullptr);
        QCOMPARE(plan.differences.size(), 1);
        QVERIFY(plan.differences.first().contains(u"no longer exists"_s));
        QVERIFY(plan.environmentId.isEmpty());

        HistoryEntry withFile = entry;
        withFile.composed->draft.formParts = {{u"doc"_s, u"/nonexistent/contract.pdf"_s, true, true}};
        const Environment env = sandbox();
        plan = ReplayPlan::forEntry(withFile, &env);
        QCOMPARE(plan.differences.size(), 1);
        QVERIFY(plan.differences.first().contains(u"contract.pdf"_s));
    }

    void migratesAHistoryFromSchema1()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        {
            // A history as Tokenbench wrote it before it kept the composed request.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema1"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE exchange (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, "
                           "environment_id TEXT NOT NULL, environment_name TEXT NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL, "
                           "request_headers TEXT NOT NULL, request_body BLOB NOT NULL, request_body_truncated INTEGER NOT NULL, "
                           "status INTEGER NOT NULL, reason TEXT NOT NULL, response_headers TEXT NOT NULL, response_body BLOB NOT NULL, "
                           "response_body_truncated INTEGER NOT NULL, duration_ms INTEGER NOT NULL, size_bytes INTEGER NOT NULL, "
                           "error TEXT NOT NULL, redacted INTEGER NOT NULL)"_s));
            QVERIFY(q.exec(u"INSERT INTO exchange VALUES (1, 1700000000000, 'env-1', 'Sandbox EU', 'POST', "
                           "'https://api.sandbox.example/v1/trades', '[[\"X-On-Behalf-Of\",\"user blocked-user\"],[\"X-Trace\",\"1\"]]', "
                           "'{}', 0, 409, 'Conflict', '[]', '', 0, 5, 0, '', 1)"_s));
            QVERIFY(q.exec(u"PRAGMA user_version = 1"_s));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"schema1"_s);

        HistoryStore store;
        const auto opened = store.open(path);
        QVERIFY2(opened.ok(), qPrintable(opened.message));
        const auto page = store.query();
        QCOMPARE(page.entries.size(), 1);
        QCOMPARE(page.entries.first().status, 409);
        const HistoryEntry old = store.entry(1).entry;
        QVERIFY(!old.composed);
        QVERIFY(old.injected.isEmpty());
        // The old row replays as before, from the wire — and says it is approximate.
        const Environment env = sandbox();
        const ReplayPlan plan = ReplayPlan::forEntry(old, &env);
        QVERIFY(plan.approximate);
        QVERIFY(!plan.exact());
        QCOMPARE(plan.draft.headers, (QList<RequestDraft::Row>{{u"X-Trace"_s, u"1"_s, true}}));
        // New rows keep their composed request in the migrated file, and it opens again as the current schema.
        const auto added = store.append(composedEntry(composedDraft(), sandbox()));
        QVERIFY2(added.ok(), qPrintable(added.message));
        store.close();
        QVERIFY(store.open(path).ok());
        QCOMPARE(store.entry(added.id).entry.composed->draft, composedDraft());
        QCOMPARE(store.count().count, 2);
    }

    void bodiesAreCapped()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        HistoryEntry e = simpleEntry(u"POST"_s, u"https://a.example/upload"_s, 201, u"Demo"_s, 0);
        e.requestBody = QByteArray(300 * 1024, 'a');
        // A multi-byte character straddling the cap: cut before it, not through it.
        e.responseBody = QByteArray(HistoryEntry::MaxResponseBodyBytes - 1, 'b') + "é and more";
        const auto added = store.append(e);
        QVERIFY(added.ok());
        const HistoryEntry read = store.entry(added.id).entry;
        QCOMPARE(read.requestBody.size(), HistoryEntry::MaxRequestBodyBytes);
        QVERIFY(read.requestBodyTruncated);
        QCOMPARE(read.responseBody.size(), HistoryEntry::MaxResponseBodyBytes - 1);
        QVERIFY(read.responseBodyTruncated);
        QVERIFY(!read.responseBody.endsWith('\xc3'));
    }

    void secretsNeverReachTheFile_data()
    {
        QTest::addColumn<bool>("closeFirst");
        QTest::newRow("while open") << false;
        QTest::newRow("after close") << true;
    }

    void secretsNeverReachTheFile()
    {
        QFETCH(bool, closeFirst);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        store.redactor().setSecrets({kToken, kSecret});
        QList<qint64> ids;
        for (const HistoryEntry &e : leakyExchanges()) {
            const auto added = store.append(e);
            QVERIFY2(added.ok(), qPrintable(added.message));
            ids.append(added.id);
        }
        // Reading back is redacted too, and what makes it useful is still there.
        const HistoryEntry call = store.entry(ids.at(1)).entry;
        QVERIFY(call.redacted);
        QCOMPARE(call.requestHeaders.at(0).second, QByteArray("Bearer \xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2"));
        QCOMPARE(call.requestHeaders.at(4).second, QByteArray("user 42"));
        QVERIFY(call.url.startsWith(u"https://api.sandbox.example/v1/accounts?access_token=••••"_s));

        if (closeFirst)
            store.close();
        // The files hold the exchanges (so we are looking at the right bytes) …
        QVERIFY(anyFileContains(path, "api.sandbox.example"));
        QVERIFY(anyFileContains(path, "insufficient_scope"));
        // … and no form of either secret.
        const QString tokenLeak = leakIn(path, kToken);
        QVERIFY2(tokenLeak.isEmpty(), qPrintable(tokenLeak));
        const QString secretLeak = leakIn(path, kSecret);
        QVERIFY2(secretLeak.isEmpty(), qPrintable(secretLeak));
    }

    void optInKeepsSecrets()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        store.redactor().setSecrets({kToken, kSecret});
        store.redactor().setKeepEverything(true);
        const QList<HistoryEntry> exchanges = leakyExchanges();
        qint64 id = 0;
        for (const HistoryEntry &e : exchanges)
            id = store.append(e).id;
        const HistoryEntry read = store.entry(id).entry;
        QVERIFY(!read.redacted);
        QCOMPARE(read.requestHeaders, exchanges.last().requestHeaders);
        QCOMPARE(read.url, exchanges.last().url);
        // The leak check above can see a token: here it must.
        QVERIFY(anyFileContains(path, kToken.toUtf8()));
        QVERIFY(!leakIn(path, kSecret).isEmpty());
    }

    void search_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("expectedUrls"); // newest first

        QTest::newRow("everything") << QString() << QStringList{u"/e"_s, u"/d_x"_s, u"/c%20off"_s, u"/b"_s, u"/a"_s};
        QTest::newRow("method") << u"post"_s << QStringList{u"/d_x"_s, u"/b"_s};
        QTest::newRow("url part") << u"c%20"_s << QStringList{u"/c%20off"_s};
        QTest::newRow("underscore is literal") << u"d_x"_s << QStringList{u"/d_x"_s};
        QTest::newRow("status") << u"403"_s << QStringList{u"/c%20off"_s};
        QTest::newRow("status class") << u"2xx"_s << QStringList{u"/d_x"_s, u"/b"_s, u"/a"_s};
        QTest::newRow("environment") << u"staging"_s << QStringList{u"/e"_s, u"/c%20off"_s};
        QTest::newRow("all words must match") << u"GET 4xx"_s << QStringList{u"/c%20off"_s};
        QTest::newRow("no match") << u"nothing-like-this"_s << QStringList{};
        QTest::newRow("percent alone is literal") << u"%"_s << QStringList{u"/c%20off"_s};
    }

    void search()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, expectedUrls);
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        store.append(simpleEntry(u"GET"_s, u"/a"_s, 200, u"Sandbox"_s, 1));
        store.append(simpleEntry(u"POST"_s, u"/b"_s, 201, u"Sandbox"_s, 2));
        store.append(simpleEntry(u"GET"_s, u"/c%20off"_s, 403, u"Staging"_s, 3));
        store.append(simpleEntry(u"POST"_s, u"/d_x"_s, 200, u"Production"_s, 4));
        store.append(simpleEntry(u"DELETE"_s, u"/e"_s, 500, u"Staging"_s, 5));

        const auto found = store.query(filter, 100, 0);
        QVERIFY2(found.ok(), qPrintable(found.message));
        QStringList urls;
        for (const HistoryEntry &e : found.entries)
            urls.append(e.url);
        QCOMPARE(urls, expectedUrls);
        QCOMPARE(store.count(filter).count, expectedUrls.size());
    }

    void paging()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        for (int i = 0; i < 25; ++i)
            QVERIFY(store.append(simpleEntry(u"GET"_s, u"/item/%1"_s.arg(i), 200, u"Demo"_s, i * 1000)).ok());
        QCOMPARE(store.count().count, 25);

        const auto first = store.query({}, 10, 0);
        const auto second = store.query({}, 10, 10);
        const auto third = store.query({}, 10, 20);
        QCOMPARE(first.entries.size(), 10);
        QCOMPARE(second.entries.size(), 10);
        QCOMPARE(third.entries.size(), 5);
        QCOMPARE(first.entries.first().url, u"/item/24"_s);
        QCOMPARE(second.entries.first().url, u"/item/14"_s);
        QCOMPARE(third.entries.last().url, u"/item/0"_s);
        QList<qint64> all = idsOf(first.entries) + idsOf(second.entries) + idsOf(third.entries);
        std::sort(all.begin(), all.end());
        QCOMPARE(std::unique(all.begin(), all.end()), all.end());
        QVERIFY(store.query({}, 10, 30).entries.isEmpty());
    }

    void removeReallyRemoves()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        store.redactor().setKeepEverything(true);
        const QByteArray marker = "REMOVE-ME-7c1d0e5f";
        HistoryEntry doomed = simpleEntry(u"POST"_s, u"https://a.example/"_s + QString::fromLatin1(marker), 200, u"Demo"_s, 1);
        doomed.requestBody = marker + QByteArray(8000, 'x') + marker; // overflow pages too
        const qint64 keep = store.append(simpleEntry(u"GET"_s, u"https://a.example/keep"_s, 200, u"Demo"_s, 0)).id;
        const qint64 id = store.append(doomed).id;
        QVERIFY(anyFileContains(path, marker));

        const auto removed = store.remove(id);
        QVERIFY2(removed.ok(), qPrintable(removed.message));
        QVERIFY2(!anyFileContains(path, marker), "the removed entry's bytes are still in the history files");
        QCOMPARE(store.entry(id).status, HistoryStore::Status::NotFound);
        QCOMPARE(store.entry(keep).entry.url, u"https://a.example/keep"_s);
        QCOMPARE(store.remove(id).status, HistoryStore::Status::NotFound);
    }

    void clearReallyDeletes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        HistoryStore store;
        QVERIFY(store.open(path).ok());
        store.redactor().setKeepEverything(true);
        const QByteArray marker = "CLEAR-ME-4b2a9c";
        for (int i = 0; i < 40; ++i) {
            HistoryEntry e = simpleEntry(u"GET"_s, u"https://a.example/%1/"_s.arg(i) + QString::fromLatin1(marker), 200, u"Demo"_s, i);
            e.responseBody = marker + QByteArray(20'000, char('a' + i % 26)) + marker;
            QVERIFY(store.append(e).ok());
        }
        QVERIFY(anyFileContains(path, marker));
        const qint64 sizeBefore = QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size();

        const auto cleared = store.clear();
        QVERIFY2(cleared.ok(), qPrintable(cleared.message));
        QCOMPARE(store.count().count, 0);
        QVERIFY2(!anyFileContains(path, marker), "cleared entries are still in the history files");
        QVERIFY(QFileInfo(path).size() + QFileInfo(path + u"-wal"_s).size() < sizeBefore / 10);

        // Still usable afterwards, and still clean after closing.
        QVERIFY(store.append(simpleEntry(u"GET"_s, u"/after"_s, 200, u"Demo"_s, 0)).ok());
        store.close();
        QVERIFY(!anyFileContains(path, marker));
    }

    void refusesFilesItCannotTrust_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<HistoryStore::Status>("expected");
        QTest::newRow("text file") << u"text"_s << HistoryStore::Status::NotADatabase;
        QTest::newRow("short file") << u"short"_s << HistoryStore::Status::NotADatabase;
        QTest::newRow("SQLite header, then garbage") << u"garbage"_s << HistoryStore::Status::Corrupt;
        QTest::newRow("damaged pages") << u"damaged"_s << HistoryStore::Status::Corrupt;
        QTest::newRow("truncated") << u"truncated"_s << HistoryStore::Status::Corrupt;
        QTest::newRow("newer schema") << u"future"_s << HistoryStore::Status::FutureSchema;
        QTest::newRow("someone else's database") << u"foreign"_s << HistoryStore::Status::ForeignDatabase;
    }

    void refusesFilesItCannotTrust()
    {
        QFETCH(QString, kind);
        QFETCH(HistoryStore::Status, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);

        // A real history to damage, written out completely (no -wal left).
        {
            HistoryStore seed;
            QVERIFY(seed.open(path).ok());
            seed.redactor().setKeepEverything(true);
            for (int i = 0; i < 60; ++i) {
                HistoryEntry e = simpleEntry(u"GET"_s, u"/seed/%1"_s.arg(i), 200, u"Demo"_s, i);
                e.responseBody = QByteArray(3000, char('a' + i % 26));
                QVERIFY(seed.append(e).ok());
            }
        }
        QVERIFY(!QFile::exists(path + u"-wal"_s));
        QByteArray bytes = readAll(path);
        QVERIFY(bytes.size() > 16 * 4096);
        const auto setUserVersion = [&](quint32 version) {
            // The header keeps PRAGMA user_version at offset 60, big-endian.
            for (int i = 0; i < 4; ++i)
                bytes[60 + i] = char((version >> (8 * (3 - i))) & 0xFF);
        };
        if (kind == u"text"_s)
            bytes = "these are my notes, not a database\n";
        else if (kind == u"short"_s)
            bytes = "SQLite";
        else if (kind == u"garbage"_s)
            bytes = QByteArray("SQLite format 3\0", 16) + QByteArray(5000, '\x5a');
        else if (kind == u"damaged"_s)
            bytes.replace(4096, 3 * 4096, QByteArray(3 * 4096, '\xab'));
        else if (kind == u"truncated"_s)
            bytes.truncate(bytes.size() / 3);
        else if (kind == u"future"_s)
            setUserVersion(HistoryStore::SchemaVersion + 1);
        else if (kind == u"foreign"_s)
            setUserVersion(0);
        writeAll(path, bytes);
        const QDateTime modified = QFileInfo(path).lastModified();

        HistoryStore store;
        const auto opened = store.open(path);
        QCOMPARE(opened.status, expected);
        QVERIFY(!opened.message.isEmpty());
        QVERIFY2(opened.message.contains(u"history.sqlite"_s), qPrintable(opened.message));
        QVERIFY(!store.isOpen());
        QCOMPARE(store.append(simpleEntry(u"GET"_s, u"/x"_s, 200, u"Demo"_s, 0)).status, HistoryStore::Status::NotOpen);
        QCOMPARE(store.query().status, HistoryStore::Status::NotOpen);
        QCOMPARE(store.clear().status, HistoryStore::Status::NotOpen);

        // Not a byte changed, nothing deleted, nothing left beside it.
        QVERIFY(QFile::exists(path));
        QCOMPARE(readAll(path), bytes);
        QCOMPARE(QFileInfo(path).lastModified(), modified);
        QVERIFY(!QFile::exists(path + u"-wal"_s) || QFileInfo(path + u"-wal"_s).size() == 0);
    }

    void directoryInsteadOfFile()
    {
        QTemporaryDir dir;
        HistoryStore store;
        const auto opened = store.open(dir.path());
        QCOMPARE(opened.status, HistoryStore::Status::CannotOpen);
        QVERIFY(QFileInfo(dir.path()).isDir());
    }

    void storesAreIndependent()
    {
        QTemporaryDir dir;
        auto *first = new HistoryStore;
        HistoryStore second;
        QVERIFY(first->connectionName() != second.connectionName());
        QVERIFY(first->open(dir.filePath(u"one.sqlite"_s)).ok());
        QVERIFY(second.open(dir.filePath(u"two.sqlite"_s)).ok());
        QVERIFY(first->append(simpleEntry(u"GET"_s, u"/one"_s, 200, u"Demo"_s, 0)).ok());
        QVERIFY(second.append(simpleEntry(u"GET"_s, u"/two"_s, 200, u"Demo"_s, 0)).ok());
        delete first; // closes its own connection only
        QVERIFY(second.isOpen());
        QCOMPARE(second.count().count, 1);
        QCOMPARE(second.query().entries.first().url, u"/two"_s);

        // Two stores on one file (two windows) see each other's entries.
        HistoryStore third;
        QVERIFY(third.open(dir.filePath(u"two.sqlite"_s)).ok());
        QCOMPARE(third.count().count, 1);
    }

    void modelPagesAndStaysConsistent()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        for (int i = 0; i < 25; ++i) {
            const QString method = i % 5 == 0 ? u"POST"_s : u"GET"_s;
            QVERIFY(store.append(simpleEntry(method, u"https://api.example/item/%1"_s.arg(i), i % 7 == 0 ? 404 : 200, u"Demo"_s, i * 1000)).ok());
        }

        HistoryModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        model.setPageSize(10);
        model.reload();
        QCOMPARE(model.columnCount(), int(HistoryModel::ColumnCount));
        QCOMPARE(model.rowCount(), 10);
        QVERIFY(model.canFetchMore({}));
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 20);
        model.fetchMore({});
        QCOMPARE(model.rowCount(), 25);
        QVERIFY(!model.canFetchMore({}));
        model.fetchMore({}); // harmless when there is no more
        QCOMPARE(model.rowCount(), 25);

        QCOMPARE(model.data(model.index(0, HistoryModel::UrlColumn)).toString(), u"https://api.example/item/24"_s);
        QCOMPARE(model.data(model.index(24, HistoryModel::UrlColumn)).toString(), u"https://api.example/item/0"_s);
        QCOMPARE(model.data(model.index(0, HistoryModel::MethodColumn)).toString(), u"GET"_s);
        QCOMPARE(model.data(model.index(4, HistoryModel::StatusColumn)).toString(), u"200"_s);
        QCOMPARE(model.data(model.index(0, HistoryModel::EnvironmentColumn)).toString(), u"Demo"_s);
        QCOMPARE(model.data(model.index(0, HistoryModel::DurationColumn)).toString(), u"10 ms"_s);
        QVERIFY(!model.data(model.index(0, HistoryModel::SizeColumn)).toString().isEmpty());
        QVERIFY(!model.data(model.index(0, HistoryModel::TimeColumn)).toString().isEmpty());
        QCOMPARE(model.data(model.index(3, 0), HistoryModel::StatusCodeRole).toInt(), 404); // item 21
        QCOMPARE(model.data(model.index(0, 0), HistoryModel::TimestampRole).toDateTime().toMSecsSinceEpoch(), 1'700'000'024'000);
        QCOMPARE(model.headerData(HistoryModel::UrlColumn, Qt::Horizontal).toString(), u"URL"_s);
        QCOMPARE(model.idAt(0), store.query({}, 1, 0).entries.first().id);

        // Search.
        model.setFilter(u"POST"_s);
        QCOMPARE(model.rowCount(), 5);
        QVERIFY(!model.canFetchMore({}));
        model.setFilter(u"404"_s);
        QCOMPARE(model.rowCount(), 4);

        // An append that matches the filter shows at the top; one that does not, nowhere.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QVERIFY(model.append(simpleEntry(u"GET"_s, u"https://api.example/new"_s, 404, u"Demo"_s, 99'000)).ok());
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.data(model.index(0, HistoryModel::UrlColumn)).toString(), u"https://api.example/new"_s);
        QVERIFY(model.append(simpleEntry(u"GET"_s, u"https://api.example/ok"_s, 200, u"Demo"_s, 100'000)).ok());
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(store.count().count, 27);

        // Removing a row removes the entry.
        const qint64 id = model.idAt(1);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(model.removeEntry(1).ok());
        QCOMPARE(removed.count(), 1);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(store.entry(id).status, HistoryStore::Status::NotFound);
        QVERIFY(!model.removeEntry(99).ok());

        // Paging after a top insert neither repeats nor skips a row.
        model.setFilter({});
        model.setPageSize(7);
        model.reload();
        QVERIFY(model.append(simpleEntry(u"PUT"_s, u"https://api.example/top"_s, 200, u"Demo"_s, 200'000)).ok());
        while (model.canFetchMore({}))
            model.fetchMore({});
        QCOMPARE(model.rowCount(), int(store.count().count));
        QSet<qint64> seen;
        for (int row = 0; row < model.rowCount(); ++row)
            seen.insert(model.idAt(row));
        QCOMPARE(seen.size(), model.rowCount());

        QVERIFY(model.clear().ok());
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(store.count().count, 0);
    }

    void migratesAHistoryFromSchema2()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        {
            // A history as Tokenbench wrote it before it kept what sent an exchange.
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema2"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE exchange (id INTEGER PRIMARY KEY AUTOINCREMENT, started_at INTEGER NOT NULL, "
                           "environment_id TEXT NOT NULL, environment_name TEXT NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL, "
                           "request_headers TEXT NOT NULL, request_body BLOB NOT NULL, request_body_truncated INTEGER NOT NULL, "
                           "status INTEGER NOT NULL, reason TEXT NOT NULL, response_headers TEXT NOT NULL, response_body BLOB NOT NULL, "
                           "response_body_truncated INTEGER NOT NULL, duration_ms INTEGER NOT NULL, size_bytes INTEGER NOT NULL, "
                           "error TEXT NOT NULL, redacted INTEGER NOT NULL, composed TEXT, injected TEXT NOT NULL DEFAULT '[]')"_s));
            QVERIFY(q.exec(u"CREATE INDEX exchange_started_at ON exchange (started_at DESC, id DESC)"_s));
            QVERIFY(q.exec(u"INSERT INTO exchange VALUES (1, 1700000000000, 'env-1', 'Sandbox EU', 'GET', "
                           "'https://api.sandbox.example/v1/trades', '[]', '', 0, 200, 'OK', '[]', '{}', 0, 5, 2, '', 1, NULL, '[]')"_s));
            QVERIFY(q.exec(u"PRAGMA user_version = 2"_s));
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"schema2"_s);

        HistoryStore store;
        const auto opened = store.open(path);
        QVERIFY2(opened.ok(), qPrintable(opened.message));
        const HistoryEntry old = store.entry(1).entry;
        QCOMPARE(old.status, 200);
        QVERIFY(old.origin.isEmpty()); // the composer's, as every send was then
        // New rows say what sent them, and are found by it.
        HistoryEntry matrix = simpleEntry(u"GET"_s, u"https://api.sandbox.example/v1/trades"_s, 403, u"Sandbox EU"_s, 10);
        matrix.origin = u"Scope matrix, Trades API: without trades:read — as expected: 403"_s;
        const auto added = store.append(matrix);
        QVERIFY2(added.ok(), qPrintable(added.message));
        QCOMPARE(store.entry(added.id).entry.origin, matrix.origin);
        const auto found = store.query(u"matrix"_s);
        QCOMPARE(idsOf(found.entries), QList<qint64>{added.id});
        QCOMPARE(found.entries.first().origin, matrix.origin); // in the summaries the dock lists
        store.close();
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"schema3"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"PRAGMA user_version"_s) && q.next());
            QCOMPARE(q.value(0).toInt(), 3);
            q.finish();
            db.close();
        }
        QSqlDatabase::removeDatabase(u"schema3"_s);
        QVERIFY(store.open(path).ok());
        QCOMPARE(store.count().count, 2);
    }

    void appendAllWritesOneTransaction()
    {
        QTemporaryDir dir;
        HistoryStore store;
        QVERIFY(store.open(dir.filePath(u"h.sqlite"_s)).ok());
        store.redactor().addSecret(u"batch-secret-value-1"_s);
        QList<HistoryEntry> batch;
        for (int i = 0; i < 3; ++i) {
            HistoryEntry e = simpleEntry(u"GET"_s, u"/items/%1?key=batch-secret-value-1"_s.arg(i), 200, u"Demo"_s, i);
            e.responseBody = "{\"echo\":\"batch-secret-value-1\"}";
            batch.append(e);
        }
        const auto added = store.appendAll(batch);
        QVERIFY2(added.ok(), qPrintable(added.message));
        QCOMPARE(added.ids.size(), 3);
        QCOMPARE(store.count().count, 3);
        for (const qint64 id : added.ids) {
            const HistoryEntry e = store.entry(id).entry;
            QVERIFY(!e.url.contains(u"batch-secret-value-1"_s));
            QVERIFY(!e.responseBody.contains("batch-secret-value-1"));
        }
        QVERIFY(leakIn(store.path(), u"batch-secret-value-1"_s).isEmpty());
    }

    void writerWritesInBatchesOffTheCallersThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"h.sqlite"_s);
        HistoryStore shown; // the UI's connection, opened first as the app opens it
        QVERIFY(shown.open(path).ok());
        HistoryModel model(&shown);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        {
            HistoryWriter writer(path);
            Redactor redactor;
            redactor.addSecret(u"writer-secret-value-2"_s);
            writer.setRedactor(redactor);
            QSignalSpy written(&writer, &HistoryWriter::written);
            connect(&writer, &HistoryWriter::written, &model, &HistoryModel::showStored);
            const int total = 2 * HistoryWriter::MaxBatch + 50;
            for (int i = 0; i < total; ++i) {
                HistoryEntry e = simpleEntry(u"GET"_s, u"/items/%1"_s.arg(i), 200, u"Demo"_s, i);
                e.requestHeaders = {{"X-Echo", "writer-secret-value-2"}};
                e.origin = u"Scope matrix: needed — as expected"_s;
                writer.add(e);
            }
            // Handed over, not written here: the writing thread reports back through the event loop.
            QCOMPARE(writer.pending(), total);
            QTRY_COMPARE(writer.pending(), 0);
            int sum = 0;
            for (const QList<QVariant> &signal : std::as_const(written))
                sum += int(signal.first().value<QList<qint64>>().size());
            QCOMPARE(sum, total);
            QCOMPARE(written.size(), 3); // two full batches, then the rest after a moment
            QCOMPARE(shown.count().count, total);
            // The dock's model shows the newest as its first rows.
            QCOMPARE(model.rowCount(), total);
            QCOMPARE(model.summaryAt(0).url, u"/items/%1"_s.arg(total - 1));
            QCOMPARE(model.summaryAt(0).origin, u"Scope matrix: needed — as expected"_s);
            // What waits when the writer goes is written before it is gone.
            writer.add(simpleEntry(u"GET"_s, u"/last"_s, 200, u"Demo"_s, total));
        }
        QCOMPARE(shown.count().count, 2 * HistoryWriter::MaxBatch + 51);
        QVERIFY(leakIn(path, u"writer-secret-value-2"_s).isEmpty());
    }

    void modelOverAClosedStore()
    {
        HistoryStore store;
        HistoryModel model(&store);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.canFetchMore({}));
        QSignalSpy errors(&model, &HistoryModel::errorOccurred);
        QCOMPARE(model.append(simpleEntry(u"GET"_s, u"/x"_s, 200, u"Demo"_s, 0)).status, HistoryStore::Status::NotOpen);
        QCOMPARE(errors.count(), 1);
        QVERIFY(!model.lastError().isEmpty());
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
