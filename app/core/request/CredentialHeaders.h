#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

// The headers that carry a credential: never sent to another origin than the environment's API
// (OriginGuard), never stored in a saved request with a literal value (CredentialScan). One list,
// with the request's plain data, so the workspace, the import of API documents and the request
// path agree on it.
struct CredentialHeaders
{
    static QList<QByteArray> names();
    // Case-insensitive; surrounding spaces ignored.
    static bool contains(QByteArrayView name);
};
