#pragma once

#include "workspace/SavedRequest.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// Saved requests' names as Workspace::findRequest matches them (case-insensitively, trimmed), for
// checking many names at once: a name is looked up under a key folded code point by code point as
// QString::compare folds, then confirmed by that comparison, instead of being compared with every
// other name (an import of 2,000 operations made millions of comparisons).
class RequestNameIndex
{
public:
    RequestNameIndex() = default;
    explicit RequestNameIndex(const QList<SavedRequest> &requests);

    bool contains(const QString &name) const;
    void insert(const QString &name);

private:
    static QString key(const QString &name);

    QHash<QString, QStringList> m_names; // key → the names under it (more than one only if they differ in case)
};
