#pragma once

#include "http/HttpHeaders.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

// A draft with its variables resolved and its URL made absolute, before the environment's
// headers are injected. Anything that stops it from being sent is in unresolved or problems.
struct BuiltRequest
{
    QByteArray method;
    QUrl url;
    HttpHeaders headers;           // the request's own enabled header rows, resolved
    QByteArray body;
    QStringList files;             // the paths of the form's file fields, resolved: read, or only described
    QList<QPair<QString, QString>> variables; // the request's, then the environment's
    QStringList unresolved;        // {{names}} no variable answers
    QStringList problems;          // sentences: what is wrong and where
    QStringList warnings;          // sent anyway, but worth a look

    bool ok() const { return unresolved.isEmpty() && problems.isEmpty(); }
    // Everything that stops the request, one sentence each, unresolved names included.
    QStringList allProblems() const;
};
