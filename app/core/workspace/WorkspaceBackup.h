#pragma once

#include <QByteArray>
#include <QString>

// The copy kept of a workspace file Tokenbench refuses to read (corrupt, or from a newer
// version), so the user keeps it whatever they do next. One copy per content: it is named by the
// content's SHA-256 ("<file>.unreadable-<hash>"), and a copy with the same bytes under any
// "<file>.unreadable-*" name (older versions used a timestamp) is reused, so opening the same
// broken file again and again does not fill the disk.
class WorkspaceBackup
{
public:
    // Copies bytes (what was read from path) aside; returns the copy's path, existing or new,
    // or an empty string with *error set when none could be written.
    static QString keep(const QString &path, const QByteArray &bytes, QString *error = nullptr);
    static QString nameFor(const QString &path, const QByteArray &bytes);
};
