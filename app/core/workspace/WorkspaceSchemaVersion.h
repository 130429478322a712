#pragma once

#include <QJsonObject>
#include <QString>

// The "schemaVersion" of a workspace file: a whole number from 1. One above the version this
// Tokenbench writes is a file from a newer Tokenbench: refused (never read in part, never
// rewritten as ours). Anything else that is not a version (missing, negative, a fraction, a
// string, 1e300) makes the file corrupt, and the message names the field.
class WorkspaceSchemaVersion
{
public:
    enum class Verdict { Supported, Future, Invalid };

    struct Check
    {
        Verdict verdict = Verdict::Invalid;
        int version = 0;  // Supported / Future: the file's version
        QString message;  // Future / Invalid: why, for the user
    };

    static Check check(const QJsonObject &root);
};
