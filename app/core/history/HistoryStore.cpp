#include "history/HistoryStore.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QStringDecoder>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace {

const QString kDriver = u"QSQLITE"_s;

const QFileDevice::Permissions kOwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
const QFileDevice::Permissions kOthers = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
    | QFileDevice::WriteOther | QFileDevice::ExeOther;

// Integrity checking reads every page; past this size opening would stall the start-up, and
// damage is still reported (as Corrupt) by whatever statement first meets it.
constexpr qint64 kQuickCheckLimit = 32 * 1024 * 1024;

const QString kSummaryColumns = u"id, started_at, environment_id, environment_name, method, url, status, reason, "
                                "duration_ms, size_bytes, error, redacted, request_body_truncated, response_body_truncated, origin"_s;
const QString kDetailColumns = u", request_headers, request_body, response_headers, response_body, composed, injected"_s;

QString nativePath(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

// Headers as JSON, readable with the sqlite3 shell: [["Name","value"], …]; a pair that is not
// UTF-8 is kept exactly as ["base64 name","base64 value","base64"].
QString encodeHeaders(const HistoryEntry::Headers &headers)
{
    QJsonArray array;
    for (const auto &header : headers) {
        if (isValidUtf8(header.first) && isValidUtf8(header.second)) {
            array.append(QJsonArray{QString::fromUtf8(header.first), QString::fromUtf8(header.second)});
        } else {
            array.append(QJsonArray{QString::fromLatin1(header.first.toBase64()), QString::fromLatin1(header.second.toBase64()),
                                    u"base64"_s});
        }
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

HistoryEntry::Headers decodeHeaders(const QString &text)
{
    HistoryEntry::Headers headers;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonArray pair = value.toArray();
        if (pair.size() == 3 && pair.at(2).toString() == u"base64"_s) {
            headers.append({QByteArray::fromBase64(pair.at(0).toString().toLatin1()), QByteArray::fromBase64(pair.at(1).toString().toLatin1())});
        } else if (pair.size() >= 2) {
            headers.append({pair.at(0).toString().toUtf8(), pair.at(1).toString().toUtf8()});
        }
    }
    return headers;
}

// Cuts at the cap without splitting a UTF-8 sequence, so the excerpt still reads as text.
void cap(QByteArray &body, qsizetype limit, bool &truncated)
{
    if (body.size() <= limit)
        return;
    qsizetype cut = limit;
    for (int back = 0; back < 3 && cut > 0 && (uchar(body.at(cut)) & 0xC0) == 0x80; ++back)
        --cut;
    body.truncate(cut);
    truncated = true;
}

bool isCorruption(const QSqlError &error)
{
    // SQLITE_CORRUPT (11) and SQLITE_NOTADB (26); the text as a fallback for drivers that
    // report extended codes.
    const QString code = error.nativeErrorCode();
    const QString text = error.databaseText();
    return code == u"11"_s || code == u"26"_s || text.contains(u"malformed"_s) || text.contains(u"not a database"_s);
}

// One condition per word of the filter, ANDed; the values to bind, in order.
QString filterClause(const QString &filter, QVariantList *binds)
{
    static const QRegularExpression statusClass(u"^([1-5])xx$"_s, QRegularExpression::CaseInsensitiveOption);
    QStringList conditions;
    const QStringList words = filter.split(QRegularExpression(u"\\s+"_s), Qt::SkipEmptyParts);
    for (const QString &word : words) {
        const auto match = statusClass.match(word);
        if (match.hasMatch()) {
            const int hundred = match.captured(1).toInt() * 100;
            conditions.append(u"(status BETWEEN ? AND ?)"_s);
            binds->append(hundred);
            binds->append(hundred + 99);
            continue;
        }
        QString escaped = word;
        escaped.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
        const QString pattern = u'%' + escaped + u'%';
        conditions.append(u"(method LIKE ? ESCAPE '\\' OR url LIKE ? ESCAPE '\\' OR CAST(status AS TEXT) LIKE ? ESCAPE '\\' "
                          "OR environment_name LIKE ? ESCAPE '\\' OR origin LIKE ? ESCAPE '\\')"_s);
        for (int i = 0; i < 5; ++i)
            binds->append(pattern);
    }
    return conditions.isEmpty() ? u"1"_s : conditions.join(u" AND "_s);
}

QJsonValue bytesToJson(const QByteArray &bytes, QJsonObject *owner, const QString &key)
{
    if (isValidUtf8(bytes))
        return QString::fromUtf8(bytes);
    owner->insert(key + u"Base64"_s, true);
    return QString::fromLatin1(bytes.toBase64());
}

QByteArray bytesFromJson(const QJsonObject &owner, const QString &key)
{
    const QString text = owner.value(key).toString();
    return owner.value(key + u"Base64"_s).toBool() ? QByteArray::fromBase64(text.toLatin1()) : text.toUtf8();
}

QString encodeInjected(const QList<HistoryEntry::Injected> &injected)
{
    QJsonArray array;
    for (const auto &header : injected) {
        QJsonObject object{{u"name"_s, QString::fromLatin1(header.name)}, {u"source"_s, header.source}, {u"state"_s, header.state}};
        object.insert(u"value"_s, bytesToJson(header.value, &object, u"value"_s));
        if (header.overridden)
            object.insert(u"overridden"_s, true);
        array.append(object);
    }
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

QList<HistoryEntry::Injected> decodeInjected(const QString &text)
{
    QList<HistoryEntry::Injected> injected;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &value : array) {
        const QJsonObject object = value.toObject();
        injected.append({object.value(u"name"_s).toString().toLatin1(), bytesFromJson(object, u"value"_s), object.value(u"source"_s).toString(),
                         object.value(u"state"_s).toString(), object.value(u"overridden"_s).toBool()});
    }
    return injected;
}

// The composed request with what the history could not keep of it; NULL for a row without one.
QVariant encodeComposed(const std::optional<HistoryEntry::Composed> &composed)
{
    if (!composed)
        return QVariant(QMetaType::fromType<QString>());
    QJsonObject object{{u"draft"_s, composed->draft.toHistoryJson()}, {u"environment"_s, composed->environment}};
    if (!composed->redacted.isEmpty())
        object.insert(u"redacted"_s, QJsonArray::fromStringList(composed->redacted));
    if (composed->bodyTruncated)
        object.insert(u"bodyTruncated"_s, true);
    if (composed->bodySize >= 0)
        object.insert(u"bodySize"_s, double(composed->bodySize));
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<HistoryEntry::Composed> decodeComposed(const QVariant &value)
{
    if (value.isNull() || value.toString().isEmpty())
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(value.toString().toUtf8()).object();
    QString error;
    const std::optional<RequestDraft> draft = RequestDraft::fromHistoryJson(object.value(u"draft"_s).toObject(), &error);
    // A draft this version cannot read replays like an entry that has none: approximately, and saying so.
    if (!draft)
        return std::nullopt;
    HistoryEntry::Composed composed;
    composed.draft = *draft;
    for (const QJsonValue &item : object.value(u"redacted"_s).toArray())
        composed.redacted.append(item.toString());
    composed.bodyTruncated = object.value(u"bodyTruncated"_s).toBool();
    composed.bodySize = qint64(object.value(u"bodySize"_s).toDouble(-1));
    composed.environment = object.value(u"environment"_s).toObject();
    return composed;
}

HistoryEntry readEntry(const QSqlQuery &q, bool withDetails)
{
    HistoryEntry e;
    e.id = q.value(0).toLongLong();
    e.timestamp = QDateTime::fromMSecsSinceEpoch(q.value(1).toLongLong(), Qt::UTC);
    e.environmentId = q.value(2).toString();
    e.environmentName = q.value(3).toString();
    e.method = q.value(4).toString();
    e.url = q.value(5).toString();
    e.status = q.value(6).toInt();
    e.reason = q.value(7).toString();
    e.durationMs = q.value(8).toLongLong();
    e.sizeBytes = q.value(9).toLongLong();
    e.error = q.value(10).toString();
    e.redacted = q.value(11).toBool();
    e.requestBodyTruncated = q.value(12).toBool();
    e.responseBodyTruncated = q.value(13).toBool();
    e.origin = q.value(14).toString();
    if (withDetails) {
        e.requestHeaders = decodeHeaders(q.value(15).toString());
        e.requestBody = q.value(16).toByteArray();
        e.responseHeaders = decodeHeaders(q.value(17).toString());
        e.responseBody = q.value(18).toByteArray();
        e.composed = decodeComposed(q.value(19));
        e.injected = decodeInjected(q.value(20).toString());
    }
    return e;
}

} // namespace

QString HistoryStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + u"/.tokenbench"_s;
    return dir + u"/history.sqlite"_s;
}

HistoryStore::HistoryStore()
{
    // Qt SQL keys connections by name, process-wide: two stores (two windows, a test and the
    // app) must never share or close each other's.
    static QAtomicInteger<quint64> counter;
    m_connectionName = u"tokenbench-history-%1"_s.arg(counter.fetchAndAddRelaxed(1));
}

HistoryStore::~HistoryStore()
{
    close();
}

HistoryStore::Result HistoryStore::fail(Status status, const QString &what, const QString &detail) const
{
    QString message = what;
    if (!detail.isEmpty())
        message += u": "_s + detail;
    return {status, message + u'.'};
}

HistoryStore::Result HistoryStore::failSql(const QSqlError &error, const QString &what) const
{
    // A damaged file is told apart: the GUI offers to start a new history then.
    return fail(isCorruption(error) ? Status::Corrupt : Status::Failed, what, error.text());
}

bool HistoryStore::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) && QSqlDatabase::database(m_connectionName, false).isOpen();
}

void HistoryStore::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

HistoryStore::Result HistoryStore::open(const QString &path)
{
    close();
    m_path = path;
    if (!QSqlDatabase::isDriverAvailable(kDriver))
        return fail(Status::DriverMissing, u"History is not kept: Qt's SQLite driver is not installed"_s,
                    u"install libqt6sql6-sqlite (Debian, Ubuntu) or your system's Qt 6 SQLite plugin"_s);

    const QFileInfo info(path);
    const bool existed = info.exists();
    if (existed) {
        if (!info.isFile())
            return fail(Status::CannotOpen, u"Cannot open history %1"_s.arg(nativePath(path)), u"it is not a file"_s);
        // Look before SQLite does: whatever is not an SQLite file stays exactly as it is.
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return fail(Status::CannotOpen, u"Cannot read history %1"_s.arg(nativePath(path)), file.errorString());
        const QByteArray header = file.read(100);
        if (!header.isEmpty() && (header.size() < 100 || !header.startsWith(QByteArrayView("SQLite format 3\0", 16))))
            return fail(Status::NotADatabase,
                        u"History %1 is not an SQLite database; it was left untouched. Move it away or choose another file"_s
                            .arg(nativePath(path)),
                        {});
    } else if (!QDir().mkpath(info.absolutePath())) {
        return fail(Status::CannotOpen, u"Cannot create the folder for history %1"_s.arg(nativePath(path)), {});
    } else {
        // Created owner-only before SQLite sees it (its -wal and -shm files take the database's
        // mode), so there is no moment at which another user could read the history.
        QFile created(path);
        if (!created.open(QIODevice::WriteOnly | QIODevice::NewOnly, kOwnerOnly))
            return fail(Status::CannotOpen, u"Cannot create history %1"_s.arg(nativePath(path)), created.errorString());
    }

    Result result = [&]() -> Result {
        QSqlDatabase db = QSqlDatabase::addDatabase(kDriver, m_connectionName);
        db.setDatabaseName(path);
        db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
        if (!db.open())
            return fail(Status::CannotOpen, u"Cannot open history %1"_s.arg(nativePath(path)), db.lastError().text());

        const auto damaged = [&](const QSqlError &error) {
            if (isCorruption(error))
                return fail(Status::Corrupt, u"History %1 is damaged; it was left untouched. Move it away to start a new history"_s.arg(nativePath(path)),
                            error.databaseText());
            return fail(Status::Failed, u"Cannot read history %1"_s.arg(nativePath(path)), error.text());
        };

        QSqlQuery q(db);
        if (!q.prepare(u"PRAGMA user_version"_s) || !q.exec() || !q.next())
            return damaged(q.lastError());
        const int version = q.value(0).toInt();
        q.finish();

        QStringList tables;
        if (!q.prepare(u"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"_s) || !q.exec())
            return damaged(q.lastError());
        while (q.next())
            tables.append(q.value(0).toString());
        q.finish();

        if (version > SchemaVersion)
            return fail(Status::FutureSchema,
                        u"History %1 was written by a newer Tokenbench (schema %2; this one understands up to %3); it was left untouched"_s
                            .arg(nativePath(path))
                            .arg(version)
                            .arg(SchemaVersion),
                        {});
        if (version == 0 && !tables.isEmpty())
            return fail(Status::ForeignDatabase,
                        u"%1 is an SQLite database, but not a Tokenbench history; it was left untouched"_s.arg(nativePath(path)), {});
        if (version >= 1 && !tables.contains(u"exchange"_s))
            return fail(Status::Corrupt, u"History %1 is damaged (its table is missing); it was left untouched"_s.arg(nativePath(path)), {});

        if (existed && info.size() <= kQuickCheckLimit) {
            if (!q.prepare(u"PRAGMA quick_check"_s) || !q.exec())
                return damaged(q.lastError());
            QStringList problems;
            while (q.next()) {
                const QString line = q.value(0).toString();
                if (line != u"ok"_s)
                    problems.append(line);
            }
            q.finish();
            if (!problems.isEmpty())
                return fail(Status::Corrupt, u"History %1 is damaged; it was left untouched. Move it away to start a new history"_s.arg(nativePath(path)),
                            problems.first());
        }

        // Only now, with the file known to be ours, is anything written to it. A history of an
        // older Tokenbench may be readable by others: owner-only from now on, with its journals.
        for (const QString &file : {path, path + u"-wal"_s, path + u"-shm"_s, path + u"-journal"_s}) {
            if (QFileInfo::exists(file) && (QFile::permissions(file) & kOthers) && !QFile::setPermissions(file, kOwnerOnly))
                return fail(Status::CannotOpen, u"Cannot make history %1 private to its owner"_s.arg(nativePath(file)), {});
        }
        // secure_delete: freed rows are overwritten with zeros, so remove() really removes.
        // temp_store=MEMORY: VACUUM's scratch copy never lands in a temporary file.
        for (const QString &pragma : {u"PRAGMA journal_mode = WAL"_s, u"PRAGMA synchronous = NORMAL"_s, u"PRAGMA secure_delete = ON"_s,
                                      u"PRAGMA temp_store = MEMORY"_s}) {
            if (!q.prepare(pragma) || !q.exec())
                return damaged(q.lastError());
            q.finish();
        }

        if (version == 0) {
            if (!db.transaction())
                return damaged(db.lastError());
            const QStringList schema{
                u"CREATE TABLE exchange ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, "
                "started_at INTEGER NOT NULL, "
                "environment_id TEXT NOT NULL, environment_name TEXT NOT NULL, "
                "method TEXT NOT NULL, url TEXT NOT NULL, "
                "request_headers TEXT NOT NULL, request_body BLOB NOT NULL, request_body_truncated INTEGER NOT NULL, "
                "status INTEGER NOT NULL, reason TEXT NOT NULL, "
                "response_headers TEXT NOT NULL, response_body BLOB NOT NULL, response_body_truncated INTEGER NOT NULL, "
                "duration_ms INTEGER NOT NULL, size_bytes INTEGER NOT NULL, error TEXT NOT NULL, redacted INTEGER NOT NULL, "
                "composed TEXT, injected TEXT NOT NULL DEFAULT '[]', origin TEXT NOT NULL DEFAULT '')"_s,
                u"CREATE INDEX exchange_started_at ON exchange (started_at DESC, id DESC)"_s,
                u"PRAGMA user_version = %1"_s.arg(SchemaVersion),
            };
            for (const QString &statement : schema) {
                if (!q.prepare(statement) || !q.exec()) {
                    const QSqlError error = q.lastError();
                    q.finish();
                    db.rollback();
                    return fail(Status::CannotOpen, u"Cannot create history %1"_s.arg(nativePath(path)), error.text());
                }
                q.finish();
            }
            if (!db.commit())
                return fail(Status::CannotOpen, u"Cannot create history %1"_s.arg(nativePath(path)), db.lastError().text());
        } else if (version < SchemaVersion) {
            // Schema 2 adds the composed request. Old rows keep NULL there: they still show,
            // and replay approximately, saying so. Schema 3 adds the origin: old rows have none
            // (they came from the composer). One transaction: a file is migrated whole or not.
            if (!db.transaction())
                return damaged(db.lastError());
            QStringList migration;
            if (version < 2)
                migration += {u"ALTER TABLE exchange ADD COLUMN composed TEXT"_s,
                              u"ALTER TABLE exchange ADD COLUMN injected TEXT NOT NULL DEFAULT '[]'"_s};
            migration += {u"ALTER TABLE exchange ADD COLUMN origin TEXT NOT NULL DEFAULT ''"_s,
                          u"PRAGMA user_version = %1"_s.arg(SchemaVersion)};
            for (const QString &statement : migration) {
                if (!q.prepare(statement) || !q.exec()) {
                    const QSqlError error = q.lastError();
                    q.finish();
                    db.rollback();
                    return fail(Status::Failed, u"Cannot update history %1 to this version"_s.arg(nativePath(path)), error.text());
                }
                q.finish();
            }
            if (!db.commit())
                return fail(Status::Failed, u"Cannot update history %1 to this version"_s.arg(nativePath(path)), db.lastError().text());
        }
        return {};
    }();

    if (!result.ok()) {
        close();
        // Nothing of a history that never opened is left behind.
        if (!existed && QFileInfo(path).size() == 0)
            QFile::remove(path);
    }
    return result;
}

HistoryStore::AppendResult HistoryStore::append(const HistoryEntry &original)
{
    AppendResult result;
    if (!isOpen()) {
        static_cast<Result &>(result) = fail(Status::NotOpen, u"The history is not open"_s, {});
        return result;
    }
    // Redact the whole body first, then cut: a secret is only recognisable whole.
    HistoryEntry e = m_redactor.redact(original);
    cap(e.requestBody, HistoryEntry::MaxRequestBodyBytes, e.requestBodyTruncated);
    cap(e.responseBody, HistoryEntry::MaxResponseBodyBytes, e.responseBodyTruncated);
    if (e.composed) {
        if (e.composed->bodySize < 0)
            e.composed->bodySize = e.composed->draft.body.size();
        cap(e.composed->draft.body, HistoryEntry::MaxRequestBodyBytes, e.composed->bodyTruncated);
    }
    const QDateTime when = e.timestamp.isValid() ? e.timestamp : QDateTime::currentDateTimeUtc();

    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    const bool ok = q.prepare(
                        u"INSERT INTO exchange (started_at, environment_id, environment_name, method, url, request_headers, request_body, "
                        "request_body_truncated, status, reason, response_headers, response_body, response_body_truncated, duration_ms, "
                        "size_bytes, error, redacted, composed, injected, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s)
        && [&] {
               // Qt SQL binds a null QString as NULL; the schema wants text.
               const auto text = [](const QString &s) { return s.isNull() ? u""_s : s; };
               const auto blob = [](const QByteArray &b) { return b.isNull() ? QByteArray("") : b; };
               q.addBindValue(when.toMSecsSinceEpoch());
               q.addBindValue(text(e.environmentId));
               q.addBindValue(text(e.environmentName));
               q.addBindValue(text(e.method));
               q.addBindValue(text(e.url));
               q.addBindValue(encodeHeaders(e.requestHeaders));
               q.addBindValue(blob(e.requestBody));
               q.addBindValue(e.requestBodyTruncated);
               q.addBindValue(e.status);
               q.addBindValue(text(e.reason));
               q.addBindValue(encodeHeaders(e.responseHeaders));
               q.addBindValue(blob(e.responseBody));
               q.addBindValue(e.responseBodyTruncated);
               q.addBindValue(e.durationMs);
               q.addBindValue(e.sizeBytes);
               q.addBindValue(text(e.error));
               q.addBindValue(e.redacted);
               q.addBindValue(encodeComposed(e.composed));
               q.addBindValue(encodeInjected(e.injected));
               q.addBindValue(text(e.origin));
               return q.exec();
           }();
    if (!ok) {
        static_cast<Result &>(result) = failSql(q.lastError(), u"Cannot add to the history"_s);
        return result;
    }
    result.id = q.lastInsertId().toLongLong();
    return result;
}

HistoryStore::EntriesResult HistoryStore::queryRange(qint64 firstId, qint64 lastId, const QString &filter) const
{
    QVariantList binds{firstId, lastId};
    const QString where = filterClause(filter, &binds);
    return selectSummaries(u"SELECT %1 FROM exchange WHERE id BETWEEN ? AND ? AND %2 ORDER BY started_at DESC, id DESC"_s.arg(kSummaryColumns, where),
                           binds);
}

HistoryStore::AppendAllResult HistoryStore::appendAll(const QList<HistoryEntry> &entries)
{
    AppendAllResult result;
    if (!isOpen()) {
        static_cast<Result &>(result) = fail(Status::NotOpen, u"The history is not open"_s, {});
        return result;
    }
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!db.transaction()) {
        static_cast<Result &>(result) = failSql(db.lastError(), u"Cannot add to the history"_s);
        return result;
    }
    result.ids.reserve(entries.size());
    for (const HistoryEntry &entry : entries) {
        const AppendResult one = append(entry);
        if (!one.ok()) {
            db.rollback();
            static_cast<Result &>(result) = one;
            result.ids.clear();
            return result;
        }
        result.ids.append(one.id);
    }
    if (!db.commit()) {
        static_cast<Result &>(result) = failSql(db.lastError(), u"Cannot add to the history"_s);
        db.rollback();
        result.ids.clear();
    }
    return result;
}

HistoryStore::EntriesResult HistoryStore::query(const QString &filter, int limit, int offset) const
{
    QVariantList binds;
    const QString where = filterClause(filter, &binds);
    binds << (limit < 0 ? -1 : limit) << std::max(offset, 0);
    return selectSummaries(u"SELECT %1 FROM exchange WHERE %2 ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?"_s.arg(kSummaryColumns, where), binds);
}

HistoryStore::EntriesResult HistoryStore::selectSummaries(const QString &sql, const QVariantList &binds) const
{
    EntriesResult result;
    if (!isOpen()) {
        static_cast<Result &>(result) = fail(Status::NotOpen, u"The history is not open"_s, {});
        return result;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    q.setForwardOnly(true);
    if (!q.prepare(sql)) {
        static_cast<Result &>(result) = fail(Status::Failed, u"Cannot search the history"_s, q.lastError().text());
        return result;
    }
    for (const QVariant &bind : binds)
        q.addBindValue(bind);
    if (!q.exec()) {
        static_cast<Result &>(result) = failSql(q.lastError(), u"Cannot search the history"_s);
        return result;
    }
    while (q.next())
        result.entries.append(readEntry(q, false));
    if (q.lastError().isValid())
        static_cast<Result &>(result) = failSql(q.lastError(), u"Cannot search the history"_s);
    return result;
}

HistoryStore::CountResult HistoryStore::count(const QString &filter) const
{
    CountResult result;
    if (!isOpen()) {
        static_cast<Result &>(result) = fail(Status::NotOpen, u"The history is not open"_s, {});
        return result;
    }
    QVariantList binds;
    const QString where = filterClause(filter, &binds);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    bool ok = q.prepare(u"SELECT COUNT(*) FROM exchange WHERE %1"_s.arg(where));
    if (ok) {
        for (const QVariant &bind : std::as_const(binds))
            q.addBindValue(bind);
        ok = q.exec() && q.next();
    }
    if (!ok) {
        static_cast<Result &>(result) = failSql(q.lastError(), u"Cannot count the history"_s);
        return result;
    }
    result.count = q.value(0).toLongLong();
    return result;
}

bool HistoryStore::matches(qint64 id, const QString &filter) const
{
    if (!isOpen())
        return false;
    QVariantList binds;
    const QString where = filterClause(filter, &binds);
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.prepare(u"SELECT 1 FROM exchange WHERE id = ? AND %1"_s.arg(where)))
        return false;
    q.addBindValue(id);
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    return q.exec() && q.next();
}

HistoryStore::EntryResult HistoryStore::entry(qint64 id) const
{
    EntryResult result;
    if (!isOpen()) {
        static_cast<Result &>(result) = fail(Status::NotOpen, u"The history is not open"_s, {});
        return result;
    }
    QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
    if (!q.prepare(u"SELECT %1%2 FROM exchange WHERE id = ?"_s.arg(kSummaryColumns, kDetailColumns))) {
        static_cast<Result &>(result) = fail(Status::Failed, u"Cannot read the history"_s, q.lastError().text());
        return result;
    }
    q.addBindValue(id);
    if (!q.exec()) {
        static_cast<Result &>(result) = failSql(q.lastError(), u"Cannot read the history"_s);
        return result;
    }
    if (!q.next()) {
        static_cast<Result &>(result) = fail(Status::NotFound, u"History entry %1 does not exist"_s.arg(id), {});
        return result;
    }
    result.entry = readEntry(q, true);
    return result;
}

HistoryStore::Result HistoryStore::remove(qint64 id)
{
    if (!isOpen())
        return fail(Status::NotOpen, u"The history is not open"_s, {});
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    {
        QSqlQuery q(db);
        if (!q.prepare(u"DELETE FROM exchange WHERE id = ?"_s))
            return fail(Status::Failed, u"Cannot remove history entry %1"_s.arg(id), q.lastError().text());
        q.addBindValue(id);
        if (!q.exec())
            return failSql(q.lastError(), u"Cannot remove history entry %1"_s.arg(id));
        if (q.numRowsAffected() == 0)
            return fail(Status::NotFound, u"History entry %1 does not exist"_s.arg(id), {});
    }
    // secure_delete zeroed the row in the page written to the log; the checkpoint carries that
    // page into the file and the truncation drops the log's older copies holding the row.
    QSqlQuery q(db);
    if (!q.prepare(u"PRAGMA wal_checkpoint(TRUNCATE)"_s) || !q.exec() || !q.next())
        return fail(Status::Failed, u"History entry %1 was removed, but the history's log could not be cleaned"_s.arg(id),
                    q.lastError().text());
    if (q.value(0).toInt() != 0)
        return fail(Status::Failed,
                    u"History entry %1 was removed, but another program has the history open, so a copy may remain in %2-wal until it closes"_s
                        .arg(id)
                        .arg(nativePath(m_path)),
                    {});
    return {};
}

HistoryStore::Result HistoryStore::clear()
{
    if (!isOpen())
        return fail(Status::NotOpen, u"The history is not open"_s, {});
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    // DELETE marks the rows free (zeroed by secure_delete), VACUUM rebuilds the file without
    // them and gives back the space, and the TRUNCATE checkpoint empties the write-ahead log,
    // which otherwise keeps the old pages in history.sqlite-wal.
    const QStringList steps{u"DELETE FROM exchange"_s, u"VACUUM"_s, u"PRAGMA wal_checkpoint(TRUNCATE)"_s};
    for (const QString &step : steps) {
        QSqlQuery q(db);
        if (!q.prepare(step) || !q.exec())
            return failSql(q.lastError(), u"Cannot clear the history"_s);
        if (step.startsWith(u"PRAGMA"_s) && q.next() && q.value(0).toInt() != 0)
            return fail(Status::Failed,
                        u"The history was cleared, but another program has it open, so old entries may remain in %1-wal until it closes"_s.arg(
                            nativePath(m_path)),
                        {});
    }
    return {};
}
