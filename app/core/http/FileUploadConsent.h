#pragma once

#include "http/BuiltRequest.h"
#include "http/OriginGuard.h"

#include <QString>
#include <QStringList>

// Which local files a request may read only with the user's consent: those it would send to an
// origin the environment does not trust (OriginGuard: the API base's origin and the ones trusted
// explicitly). A saved request from a shared workspace — or a pasted curl command, or a replay —
// can name any path ("~/.ssh/id_rsa") in a form's file field and any URL; to the environment's own
// API a file goes as the request says, anywhere else the user is asked first (the desktop app) or
// the run is refused without --allow-file-upload (tokenbench-cli). Decided on the request as
// described (RequestBuilder::Files::Describe), before any file is opened.
class FileUploadConsent
{
public:
    FileUploadConsent() = default;

    // confirmed: absolute paths the user already agreed to send (or typed for this very send).
    static FileUploadConsent forRequest(const BuiltRequest &built, const OriginGuard &guard, const QStringList &confirmed);
    // The form of a path files() and confirmed lists use.
    static QString absolutePath(const QString &path);

    bool needed() const { return !m_files.isEmpty(); }
    QStringList files() const { return m_files; }   // absolute, in the form's order, each once
    QString destination() const { return m_destination; } // the origin they would go to
    // One sentence naming every file and where it would go, and what the environment trusts.
    QString description() const;

    bool operator==(const FileUploadConsent &other) const = default;

private:
    QStringList m_files;
    QString m_destination;
    QStringList m_trusted;
};
