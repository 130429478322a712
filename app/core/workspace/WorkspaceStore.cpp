#include "workspace/WorkspaceStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace {
// A file we refuse to read is copied aside before anything else happens, so the user keeps it
// even if they then choose to start over.
QString keepBackup(const QString &path)
{
    const QString backup = path + u".unreadable-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMddTHHmmssZ"_s);
    return QFile::copy(path, backup) ? backup : QString();
}

WorkspaceStore::LoadResult refuse(WorkspaceStore::Status status, const QString &path, const QString &why)
{
    const QString backup = keepBackup(path);
    QString message = u"Cannot open workspace %1: %2. The file was left untouched"_s.arg(QDir::toNativeSeparators(path), why);
    if (!backup.isEmpty())
        message += u"; a copy is kept at %1"_s.arg(QDir::toNativeSeparators(backup));
    return {status, message + u'.', std::nullopt};
}
} // namespace

QString WorkspaceStore::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + u"/.tokenbench"_s;
    return dir + u"/workspace.tokenbench.json"_s;
}

QByteArray WorkspaceStore::serialize(const Workspace &workspace)
{
    // QJsonObject keeps keys sorted, so the same workspace always gives the same bytes: diffs stay small.
    return QJsonDocument(workspace.toJson()).toJson(QJsonDocument::Indented);
}

WorkspaceStore::LoadResult WorkspaceStore::load(const QString &path)
{
    QFile file(path);
    if (!file.exists())
        return {Status::NotFound, u"Workspace %1 does not exist."_s.arg(QDir::toNativeSeparators(path)), std::nullopt};
    if (!file.open(QIODevice::ReadOnly))
        return {Status::Unreadable, u"Cannot read workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), file.errorString()), std::nullopt};
    // A workspace is a handful of profiles; anything this big is not one.
    constexpr qint64 maxSize = 16 * 1024 * 1024;
    if (file.size() > maxSize)
        return refuse(Status::Corrupt, path, u"the file is larger than 16 MB"_s);
    const QByteArray bytes = file.readAll();
    file.close();

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(Status::Corrupt, path, u"invalid JSON at byte %1 (%2)"_s.arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return refuse(Status::Corrupt, path, u"the top level is not a JSON object"_s);

    const QJsonObject root = doc.object();
    const int version = root.value(u"schemaVersion"_s).toInt(0);
    if (version > Workspace::SchemaVersion) {
        return refuse(Status::FutureSchema, path,
                      u"it uses schema version %1, but this Tokenbench understands up to version %2; update Tokenbench to open it"_s
                          .arg(version)
                          .arg(Workspace::SchemaVersion));
    }
    QString error;
    auto workspace = Workspace::fromJson(root, &error);
    if (!workspace)
        return refuse(Status::Corrupt, path, error);
    return {Status::Ok, QString(), std::move(workspace)};
}

WorkspaceStore::LoadResult WorkspaceStore::loadOrCreate(const QString &path)
{
    LoadResult result = load(path);
    if (result.status != Status::NotFound)
        return result;
    Workspace workspace = Workspace::createDefault();
    const SaveResult saved = save(workspace, path);
    if (!saved.ok())
        return {saved.status, saved.message, std::nullopt};
    return {Status::Ok, QString(), std::move(workspace)};
}

WorkspaceStore::SaveResult WorkspaceStore::save(const Workspace &workspace, const QString &path)
{
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return {Status::WriteFailed, u"Cannot create the folder %1."_s.arg(QDir::toNativeSeparators(info.absolutePath()))};

    // Never replace a file we could not understand: the user's data in it would be lost.
    if (info.exists()) {
        QFile existing(path);
        if (existing.open(QIODevice::ReadOnly)) {
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(existing.readAll(), &parseError);
            const bool ours = parseError.error == QJsonParseError::NoError && doc.isObject()
                && doc.object().value(u"format"_s).toString() == u"tokenbench-workspace"_s
                && doc.object().value(u"schemaVersion"_s).toInt() <= Workspace::SchemaVersion;
            if (!ours)
                return {Status::WriteFailed,
                        u"Refusing to overwrite %1: it is not a workspace this version of Tokenbench wrote."_s.arg(QDir::toNativeSeparators(path))};
        }
    }

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {Status::WriteFailed, u"Cannot write workspace %1: %2."_s.arg(QDir::toNativeSeparators(path), file.errorString())};
    const QByteArray bytes = serialize(workspace);
    if (file.write(bytes) != bytes.size() || !file.commit())
        return {Status::WriteFailed,
                u"Cannot write workspace %1: %2. The previous file is unchanged."_s.arg(QDir::toNativeSeparators(path), file.errorString())};
    return {};
}
