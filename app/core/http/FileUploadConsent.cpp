#include "http/FileUploadConsent.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

FileUploadConsent FileUploadConsent::forRequest(const BuiltRequest &built, const OriginGuard &guard, const QStringList &confirmed)
{
    FileUploadConsent consent;
    if (built.files.isEmpty() || guard.allows(built.url))
        return consent;
    for (const QString &file : built.files) {
        const QString path = absolutePath(file);
        if (!confirmed.contains(path) && !consent.m_files.contains(path))
            consent.m_files.append(path);
    }
    const QString origin = OriginGuard::originOf(built.url);
    consent.m_destination = origin.isEmpty() ? built.url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery) : origin;
    consent.m_trusted = guard.trustedOrigins();
    return consent;
}

QString FileUploadConsent::absolutePath(const QString &path)
{
    // "~" is not expanded: it is sent as it is named, so it is named as it is sent.
    return QDir::cleanPath(QFileInfo(path).absoluteFilePath());
}

QString FileUploadConsent::description() const
{
    const QString files = m_files.join(u", "_s);
    const QString trusted = m_trusted.isEmpty() ? QCoreApplication::translate("FileUploadConsent", "it has none")
                                                : m_trusted.join(u", "_s);
    return m_files.size() == 1
        ? QCoreApplication::translate("FileUploadConsent", "The request would read the local file %1 and send it to %2, which is not the "
                                                           "environment's API origin (%3).")
              .arg(files, m_destination, trusted)
        : QCoreApplication::translate("FileUploadConsent", "The request would read %1 local files and send them to %2, which is not the "
                                                           "environment's API origin (%3): %4.")
              .arg(m_files.size())
              .arg(m_destination, trusted, files);
}
